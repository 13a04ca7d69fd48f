"""Helpers shared by the projects services: rights, validation, locking and the audit."""

import hashlib
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from koblingsboks.core.audit import log_action
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.formatting import format_nok
from koblingsboks.network.models import Membership, Organisation, User
from koblingsboks.network.selectors import membership_for
from koblingsboks.projects import permissions
from koblingsboks.projects.models import (
    Project,
)

SIGNING_LINK_VALID_DAYS = 14
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Attachment types, told by their first bytes (never by the name or the browser's claim).
ATTACHMENT_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
MAX_AMOUNT = Decimal("999999999999.99")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- helpers


def membership_of(actor: User | None, organisation: Organisation | None) -> Membership | None:
    if actor is None or organisation is None or not actor.is_authenticated:
        return None
    return membership_for(user=actor, organisation=organisation)


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise ServiceError(
            message or _("Your role does not allow this in this project."), code="forbidden"
        )


def require_editor(project: Project, actor: User) -> None:
    require(
        permissions.can_edit_project(membership_of(actor, project.lead_organisation), project),
        _("Only the lead organisation's staff can change the agreement draft."),
    )


def require_manager(project: Project, actor: User) -> None:
    require(
        permissions.can_manage_agreement(membership_of(actor, project.lead_organisation), project),
        _("Only a manager of the lead organisation can do this."),
    )


def require_editable(project: Project) -> None:
    """The working content changes only in a draft or an open amendment."""
    if project.status == Project.Status.CLOSED:
        raise ServiceError(_("The project is closed; nothing can be changed."), code="closed")
    if project.status != Project.Status.DRAFT and not project.amending:
        raise ServiceError(
            _(
                "The agreement has been circulated and this version is frozen. Start an "
                "amendment to change it; the amendment needs all signatures again."
            ),
            code="frozen",
        )


def lock_project(project: Project) -> Project:
    """Re-read the project under a row lock (PostgreSQL), so concurrent changes queue up."""
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("lead_organisation")
        .get(pk=project.pk)
    )


def member_organisations(project: Project) -> list[Organisation]:
    return [
        party.organisation
        for party in project.parties.select_related("organisation")
        if party.organisation_id
    ]


def audit(project: Project, actor: User | None, action: str, obj=None, **values) -> None:
    """One audit entry per member party, so that each garden's log shows its projects."""
    for organisation in member_organisations(project):
        log_action(
            organisation=organisation,
            actor=actor,
            action=action,
            obj=obj if obj is not None else project,
            before=values.get("before"),
            after=values.get("after"),
        )


def clean_text(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(_("%(field)s is required.") % {"field": field}, code="required")
    if len(value) > max_length:
        raise ServiceError(
            _("%(field)s is too long (at most %(max)d characters).")
            % {"field": field, "max": max_length},
            code="too_long",
        )
    return value


def clean_email(value: str, *, field: str, required: bool = False) -> str:
    value = (value or "").strip().lower()
    if not value:
        if required:
            raise ServiceError(_("%(field)s is required.") % {"field": field}, code="required")
        return ""
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ServiceError(
            _("“%(email)s” is not a valid e-mail address.") % {"email": value}, code="email"
        ) from exc
    return value


def clean_amount(value, *, field: str, allow_zero: bool = True) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation as exc:
        raise ServiceError(_("%(field)s must be an amount.") % {"field": field}) from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ServiceError(
            _("%(field)s must be an amount between 0 and %(max)s.")
            % {"field": field, "max": format_nok(MAX_AMOUNT)},
            code="amount",
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise ServiceError(_("%(field)s can have at most two decimals.") % {"field": field})
    if not allow_zero and amount == 0:
        raise ServiceError(_("%(field)s must be more than zero.") % {"field": field})
    return amount.quantize(Decimal("0.01"))


def check_period(start_date: date, end_date: date) -> None:
    if start_date is None or end_date is None:
        raise ServiceError(_("The project needs a start and an end date."), code="period")
    if end_date < start_date:
        raise ServiceError(_("The end date is before the start date."), code="period")
