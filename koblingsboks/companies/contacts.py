"""Writes to a garden's contact persons of its companies: add, change, delete, and erase a
person on request.

Contact persons are private to the garden and personal data. The rules:

- only members who may change the portfolio (every role but observer) write them;
- only for a company that is or was in the garden's portfolio;
- a name is required; an e-mail address is unique per garden and company (case does not
  count); a phone number has digits, spaces and at most a leading "+";
- every change is audited (``companies.contact.created``, ``.updated``, ``.deleted``,
  ``.erased``) — without the personal values: the audit log outlives an erasure, so it
  records the company, whether the person receives surveys and *which* fields changed.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from koblingsboks.companies import permissions
from koblingsboks.companies.models import Company, ContactPerson, validate_phone
from koblingsboks.companies.selectors import company_ever_in_portfolio
from koblingsboks.core.audit import log_action
from koblingsboks.core.erasure import erase_person
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Organisation, User
from koblingsboks.network.selectors import membership_for

CONTACT_FIELDS = ("name", "role", "email", "phone", "receives_surveys")
NAME_MAX_LENGTH = 200
ROLE_MAX_LENGTH = 120
PHONE_MAX_LENGTH = 30
EMAIL_MAX_LENGTH = 254


# --- checks ------------------------------------------------------------------------------------


def _check_may_write(actor: User | None, organisation: Organisation) -> None:
    """``actor`` None is the platform itself (demo data)."""
    if actor is None:
        return
    membership = membership_for(user=actor, organisation=organisation)
    if not permissions.can_edit_portfolio(membership):
        raise ServiceError(
            _("Only members of %(org)s who are not observers can change its contact persons.")
            % {"org": organisation.name},
            code="forbidden",
        )


def _check_in_portfolio(organisation: Organisation, company: Company) -> None:
    if not company_ever_in_portfolio(organisation=organisation, company=company):
        raise ServiceError(
            _(
                "%(company)s is not and has never been in the portfolio of %(org)s; add it to "
                "the portfolio before you register its contact persons."
            )
            % {"company": company.name, "org": organisation.name},
            code="not_in_portfolio",
        )


def _clean_text(value, *, label: str, max_length: int) -> str:
    value = " ".join(str(value or "").split())
    if len(value) > max_length:
        raise ServiceError(
            _("The %(label)s can be at most %(max)d characters long.")
            % {"label": label, "max": max_length},
            code="too_long",
        )
    return value


def _clean_email(value) -> str:
    email = str(value or "").strip()
    if not email:
        return ""
    if len(email) > EMAIL_MAX_LENGTH:
        raise ServiceError(_("The e-mail address is too long."), code="email")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ServiceError(
            _("“%(email)s” is not a valid e-mail address.") % {"email": email}, code="email"
        ) from exc
    return email


def _clean_phone(value) -> str:
    phone = re.sub(r"\s+", " ", str(value or "").strip())
    if not phone:
        return ""
    try:
        validate_phone(phone)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], code="phone") from exc
    if len(phone) > PHONE_MAX_LENGTH:
        raise ServiceError(
            _("A phone number can be at most %(max)d characters long.") % {"max": PHONE_MAX_LENGTH},
            code="phone",
        )
    return phone


def clean_contact_data(data: dict, *, partial: bool = False) -> dict:
    """The contact fields of ``data``, validated and normalised (spaces collapsed).
    ``partial``: only the fields given (a change); else every field, with defaults."""
    cleaned = {}
    if not partial or "name" in data:
        cleaned["name"] = _clean_text(data.get("name"), label=_("name"), max_length=NAME_MAX_LENGTH)
        if not cleaned["name"]:
            raise ServiceError(_("A contact person needs a name."), code="name")
    if not partial or "role" in data:
        cleaned["role"] = _clean_text(
            data.get("role"), label=_("role or title"), max_length=ROLE_MAX_LENGTH
        )
    if not partial or "email" in data:
        cleaned["email"] = _clean_email(data.get("email"))
    if not partial or "phone" in data:
        cleaned["phone"] = _clean_phone(data.get("phone"))
    if not partial or "receives_surveys" in data:
        value = data.get("receives_surveys", True)
        cleaned["receives_surveys"] = True if value is None else bool(value)
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    return cleaned


def _duplicate_error(email: str, company: Company) -> ServiceError:
    return ServiceError(
        _("%(company)s already has a contact person with the e-mail address %(email)s.")
        % {"company": company.name, "email": email},
        code="duplicate_email",
    )


def _check_email_free(contact: ContactPerson) -> None:
    if not contact.email:
        return
    others = ContactPerson.objects.filter(
        organisation_id=contact.organisation_id,
        company_id=contact.company_id,
        email__iexact=contact.email,
    )
    if contact.pk is not None:
        others = others.exclude(pk=contact.pk)
    if others.exists():
        raise _duplicate_error(contact.email, contact.company)


def _save(contact: ContactPerson, **kwargs) -> None:
    """Save in a savepoint: a concurrent duplicate that got past the check above hits the
    unique constraint, and is refused with the same message."""
    try:
        with transaction.atomic():
            contact.save(**kwargs)
    except IntegrityError as exc:
        raise _duplicate_error(contact.email, contact.company) from exc


def _audit_values(contact: ContactPerson) -> dict:
    """What the audit keeps of a contact person: nothing personal."""
    return {"company": contact.company_id, "receives_surveys": contact.receives_surveys}


# --- services ----------------------------------------------------------------------------------


def contact_person_add(
    *, organisation: Organisation, company: Company, data: dict, actor: User | None
) -> ContactPerson:
    """Register a contact person of ``company`` for the garden."""
    cleaned = clean_contact_data(data)
    with transaction.atomic(), organisation_scope(organisation):
        _check_may_write(actor, organisation)
        _check_in_portfolio(organisation, company)
        contact = ContactPerson(
            organisation=organisation, company=company, created_by=actor, **cleaned
        )
        _check_email_free(contact)
        _save(contact)
        log_action(
            organisation=organisation,
            actor=actor,
            action="companies.contact.created",
            obj=contact,
            after=_audit_values(contact),
        )
    return contact


def contact_person_update(*, contact: ContactPerson, data: dict, actor: User) -> ContactPerson:
    """Change the fields in ``data`` (any of CONTACT_FIELDS)."""
    cleaned = clean_contact_data(data, partial=True)
    organisation = contact.organisation
    with transaction.atomic(), organisation_scope(organisation):
        _check_may_write(actor, organisation)
        contact = (
            ContactPerson.objects.select_for_update(of=("self",))
            .select_related("company", "organisation")
            .get(pk=contact.pk)
        )
        changed = sorted(name for name, value in cleaned.items() if getattr(contact, name) != value)
        if not changed:
            return contact
        before = _audit_values(contact)
        for name in changed:
            setattr(contact, name, cleaned[name])
        _check_email_free(contact)
        _save(contact, update_fields=[*changed, "updated_at"])
        log_action(
            organisation=organisation,
            actor=actor,
            action="companies.contact.updated",
            obj=contact,
            before=before,
            after={**_audit_values(contact), "changed": changed},
        )
    return contact


def contact_person_delete(*, contact: ContactPerson, actor: User) -> None:
    organisation = contact.organisation
    with transaction.atomic(), organisation_scope(organisation):
        _check_may_write(actor, organisation)
        contact = ContactPerson.objects.select_for_update().get(pk=contact.pk)
        log_action(
            organisation=organisation,
            actor=actor,
            action="companies.contact.deleted",
            obj=contact,
            before=_audit_values(contact),
        )
        contact.delete()


def contact_person_erase(*, organisation: Organisation, email: str, actor: User | None) -> int:
    """Erase a person on their request: their contact entries of ``organisation`` on every
    company (deleted) and — through ``core.erasure`` — what the organisation's other apps
    keep under the address (event registrations, survey links). Returns the number of
    contact entries erased."""
    email = (email or "").strip()
    if not email:
        raise ServiceError(_("Give the e-mail address of the person."), code="email")
    _check_may_write(actor, organisation)
    return erase_person(organisation=organisation, email=email, actor=actor)["contact_persons"]


def contact_entries_erase(*, organisation: Organisation, email: str, actor: User | None) -> int:
    """The contact persons' eraser (registered with core.erasure): delete every contact entry
    of ``organisation`` with ``email`` (case ignored); the audit log keeps one
    ``companies.contact.erased`` entry per entry, with the company only."""
    with transaction.atomic(), organisation_scope(organisation):
        contacts = list(
            ContactPerson.objects.select_for_update()
            .filter(organisation=organisation, email__iexact=email)
            .order_by("pk")
        )
        for contact in contacts:
            log_action(
                organisation=organisation,
                actor=actor,
                action="companies.contact.erased",
                obj=contact,
                before={"company": contact.company_id},
            )
        ContactPerson.objects.filter(pk__in=[c.pk for c in contacts]).delete()
    return len(contacts)
