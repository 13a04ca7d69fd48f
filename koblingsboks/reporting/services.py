"""The satisfaction survey's writes: create a survey, send one-time links, answer.

Answering happens in ``survey_links.py``: the person answering has no account, so the link
is found by the hash of its secret across organisations.
"""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koblingsboks.companies.models import Company
from koblingsboks.core.audit import log_action, snapshot
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Organisation, User
from koblingsboks.reporting.models import SatisfactionSurvey, SurveyInvitation

MAX_TITLE = 200
MAX_MESSAGE = 4000


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_create(
    *,
    organisation: Organisation,
    year: int,
    title: str,
    message: str = "",
    closes_on=None,
    actor: User | None,
) -> SatisfactionSurvey:
    """A garden's survey for ``year``; one per garden and year."""
    title = (title or "").strip()
    message = (message or "").strip()
    if not title:
        raise ServiceError(_("The survey needs a title."), code="title")
    if len(title) > MAX_TITLE or len(message) > MAX_MESSAGE:
        raise ServiceError(_("The title or the message is too long."), code="too_long")
    if not 2000 <= int(year) <= 2200:
        raise ServiceError(_("The year must be between 2000 and 2200."), code="year")
    if closes_on is not None and closes_on < timezone.localdate():
        raise ServiceError(_("The closing date has already passed."), code="closes_on")
    try:
        with transaction.atomic():
            survey = SatisfactionSurvey.objects.create(
                organisation=organisation,
                year=year,
                title=title,
                message=message,
                closes_on=closes_on,
                created_by=actor,
            )
            log_action(
                organisation=organisation,
                actor=actor,
                action="reporting.survey.created",
                obj=survey,
                after=snapshot(survey, ["year", "title", "closes_on"]),
            )
    except IntegrityError as exc:
        raise ServiceError(
            _("There is already a survey for %(year)s.") % {"year": year}, code="duplicate"
        ) from exc
    return survey


def survey_send(
    *,
    survey: SatisfactionSurvey,
    recipients: list[tuple[Company, str]],
    actor: User | None,
    base_url: str,
) -> dict[int, str]:
    """Give each company a one-time link and e-mail it to the address given (if any).

    A company that already has an unanswered link gets a new one (the old stops working);
    one that has answered is refused. Returns the new links by company id, for those sent
    without an e-mail address, to be shown once. Nothing is written if any address is bad.
    """
    if not recipients:
        raise ServiceError(_("Choose at least one company."), code="empty")
    if survey.closes_on is not None and survey.closes_on < timezone.localdate():
        raise ServiceError(_("The survey is closed."), code="closed")
    cleaned = []
    for company, email in recipients:
        email = (email or "").strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise ServiceError(
                    _("“%(email)s” is not a valid e-mail address.") % {"email": email},
                    code="email",
                ) from exc
        cleaned.append((company, email))
    links: dict[int, str] = {}
    outgoing: list[tuple[str, str, str]] = []
    with transaction.atomic():
        existing = {
            i.company_id: i
            for i in SurveyInvitation.objects.select_for_update().filter(
                survey=survey, company__in=[c for c, _e in cleaned]
            )
        }
        now = timezone.now()
        for company, email in cleaned:
            token = secrets.token_urlsafe(32)
            invitation = existing.get(company.pk)
            if invitation is not None and invitation.is_answered:
                raise ServiceError(
                    _("%(company)s has already answered.") % {"company": company.name},
                    code="answered",
                )
            if invitation is None:
                invitation = SurveyInvitation(
                    organisation_id=survey.organisation_id, survey=survey, company=company
                )
            invitation.email = email
            invitation.token_hash = token_hash(token)
            invitation.sent_at = now if email else None
            invitation.save()
            link = base_url.rstrip("/") + reverse("reporting:survey-answer", args=[token])
            if email:
                outgoing.append((email, company.name, link))
            else:
                links[company.pk] = link
        log_action(
            organisation=survey.organisation,
            actor=actor,
            action="reporting.survey.sent",
            obj=survey,
            after={"companies": sorted(c.org_number for c, _e in cleaned)},
        )
        transaction.on_commit(lambda: _send_links(survey=survey, outgoing=outgoing))
    return links


def _send_links(*, survey: SatisfactionSurvey, outgoing: list[tuple[str, str, str]]) -> None:
    garden = survey.organisation.name
    for email, company_name, link in outgoing:
        body = render_to_string(
            "reporting/email/survey_invitation.txt",
            {"survey": survey, "garden": garden, "company_name": company_name, "link": link},
        )
        send_mail(
            subject=_("%(garden)s asks: how satisfied are you?") % {"garden": garden},
            message=body,
            from_email=None,
            recipient_list=[email],
        )


def survey_answer_save(*, invitation: SurveyInvitation, score, comment: str) -> SurveyInvitation:
    """Record the answer once. A second submission (or a race of two) is refused."""
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 6:
        raise ServiceError(_("Choose a score from 1 to 6."), code="score")
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ServiceError(_("The comment is too long (at most 2000 characters)."), code="long")
    survey = invitation.survey
    if survey.closes_on is not None and survey.closes_on < timezone.localdate():
        raise ServiceError(_("The survey is closed."), code="closed")
    with transaction.atomic():
        updated = SurveyInvitation.objects.filter(
            pk=invitation.pk, answered_at__isnull=True
        ).update(score=score, comment=comment, answered_at=timezone.now())
        if not updated:
            raise ServiceError(_("This link has already been used to answer."), code="answered")
        log_action(
            organisation=survey.organisation,
            actor=None,
            action="reporting.survey.answered",
            obj=survey,
            after={"company": invitation.company.org_number},
        )
    invitation.refresh_from_db()
    return invitation


def survey_addresses_erase(*, organisation: Organisation, email: str, actor: User | None) -> int:
    """Erase ``email`` (case ignored) from the organisation's survey links, on the person's
    request (registered with core.erasure, which the erasure pages call). The link and an
    answer stay — they belong to the company, not to the person. Returns how many links
    lost their address; the audit entry says how many, never which address."""
    with organisation_scope(organisation):
        erased = SurveyInvitation.objects.filter(
            organisation=organisation, email__iexact=email.strip()
        ).update(email="")
    if erased:
        log_action(
            organisation=organisation,
            actor=actor,
            action="reporting.survey.addresses_erased",
            after={"links": erased},
        )
    return erased
