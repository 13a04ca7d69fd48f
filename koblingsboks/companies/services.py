"""Writes to a garden's portfolio: affiliations, notes and the advisory log.

Each service validates, runs in one transaction, writes a namespaced audit entry
(``companies.affiliation.created`` …) and raises ServiceError with a message for the user.
``actor`` None means the platform itself (imports, demo data).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from koblingsboks.companies import permissions
from koblingsboks.companies.models import (
    AdvisoryLogEntry,
    Affiliation,
    Company,
    CompanyNote,
)
from koblingsboks.core.audit import log_action, snapshot
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Membership, Organisation, User
from koblingsboks.network.permissions import can_write
from koblingsboks.network.selectors import membership_for

AFFILIATION_FIELDS = ["company", "kind", "start_date", "end_date", "phase", "responsible_advisor"]
AFFILIATION_EDITABLE_FIELDS = ["kind", "start_date", "end_date", "phase", "responsible_advisor"]
NOTE_MAX_LENGTH = 10_000
TOPIC_MAX_LENGTH = 300
MAX_HOURS_PER_ENTRY = Decimal("24")


# --- shared checks ---------------------------------------------------------------------------


def _actor_membership(actor: User | None, organisation: Organisation) -> Membership | None:
    """The actor's membership; refuses actors who may not change the organisation's data."""
    if actor is None:
        return None
    membership = membership_for(user=actor, organisation=organisation)
    if not can_write(membership):
        raise ServiceError(
            _("Only members of %(org)s who are not observers can change its portfolio.")
            % {"org": organisation.name},
            code="forbidden",
        )
    return membership


def _check_member(user: User | None, organisation: Organisation, *, what: str) -> None:
    if user is None:
        return
    if membership_for(user=user, organisation=organisation) is None:
        raise ServiceError(
            _("%(person)s is not a member of %(org)s and cannot be %(what)s.")
            % {"person": user, "org": organisation.name, "what": what},
            code="not_member",
        )


def _check_choice(value: str, choices, label: str) -> None:
    if value not in choices.values:
        raise ServiceError(_("Unknown %(label)s: %(value)s") % {"label": label, "value": value})


def _check_dates(start_date: datetime.date, end_date: datetime.date | None) -> None:
    if start_date is None:
        raise ServiceError(_("An affiliation needs a start date."), code="dates")
    if end_date is not None and end_date < start_date:
        raise ServiceError(
            _("The end date (%(end)s) is before the start date (%(start)s).")
            % {"end": end_date.isoformat(), "start": start_date.isoformat()},
            code="dates",
        )


def _check_no_overlap(
    *,
    organisation: Organisation,
    company: Company,
    start_date: datetime.date,
    end_date: datetime.date | None,
    exclude_pk: int | None = None,
) -> None:
    """Two periods overlap when each starts before (or when) the other ends; open = forever."""
    overlapping = Affiliation.objects.filter(organisation=organisation, company=company).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    other = overlapping.order_by("start_date").first()
    if other is not None:
        until = other.end_date.isoformat() if other.end_date else _("ongoing")
        raise ServiceError(
            _(
                "%(company)s already has an affiliation with %(org)s from %(start)s (%(until)s) "
                "that overlaps this period. End or change that one first."
            )
            % {
                "company": company.name,
                "org": organisation.name,
                "start": other.start_date.isoformat(),
                "until": until,
            },
            code="overlap",
        )


def _lock_company(company: Company) -> Company:
    """Serialise portfolio changes of one company: a row lock on PostgreSQL; on SQLite the
    IMMEDIATE transaction (settings) already holds the database's write lock."""
    return Company.objects.select_for_update().get(pk=company.pk)


# --- affiliations ------------------------------------------------------------------------------


def affiliation_create(
    *,
    organisation: Organisation,
    company: Company,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    phase: str,
    responsible_advisor: User | None = None,
    actor: User | None,
) -> Affiliation:
    """Affiliate ``company`` with ``organisation``; refused when it overlaps another
    affiliation of the same company with the same organisation (of any kind)."""
    _check_choice(kind, Affiliation.Kind, _("kind of affiliation"))
    _check_choice(phase, Affiliation.Phase, _("phase"))
    _check_dates(start_date, end_date)
    _check_member(responsible_advisor, organisation, what=_("responsible advisor"))
    with transaction.atomic(), organisation_scope(organisation):
        _actor_membership(actor, organisation)
        company = _lock_company(company)
        _check_no_overlap(
            organisation=organisation, company=company, start_date=start_date, end_date=end_date
        )
        affiliation = Affiliation.objects.create(
            organisation=organisation,
            company=company,
            kind=kind,
            start_date=start_date,
            end_date=end_date,
            phase=phase,
            responsible_advisor=responsible_advisor,
        )
        log_action(
            organisation=organisation,
            actor=actor,
            action="companies.affiliation.created",
            obj=affiliation,
            after=snapshot(affiliation, AFFILIATION_FIELDS),
        )
    return affiliation


def affiliation_update(*, affiliation: Affiliation, data: dict, actor: User | None) -> Affiliation:
    """Change kind, dates, phase or responsible advisor of an affiliation."""
    unknown = set(data) - set(AFFILIATION_EDITABLE_FIELDS)
    if unknown:
        raise ServiceError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    organisation = affiliation.organisation
    with transaction.atomic(), organisation_scope(organisation):
        _actor_membership(actor, organisation)
        company = _lock_company(affiliation.company)
        affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
        before = snapshot(affiliation, AFFILIATION_FIELDS)
        for name, value in data.items():
            setattr(affiliation, name, value)
        _check_choice(affiliation.kind, Affiliation.Kind, _("kind of affiliation"))
        _check_choice(affiliation.phase, Affiliation.Phase, _("phase"))
        _check_dates(affiliation.start_date, affiliation.end_date)
        if "responsible_advisor" in data:
            _check_member(
                affiliation.responsible_advisor, organisation, what=_("responsible advisor")
            )
        _check_no_overlap(
            organisation=organisation,
            company=company,
            start_date=affiliation.start_date,
            end_date=affiliation.end_date,
            exclude_pk=affiliation.pk,
        )
        after = snapshot(affiliation, AFFILIATION_FIELDS)
        if before != after:
            affiliation.save()
            log_action(
                organisation=organisation,
                actor=actor,
                action="companies.affiliation.updated",
                obj=affiliation,
                before=before,
                after=after,
            )
    return affiliation


def affiliation_end(
    *, affiliation: Affiliation, end_date: datetime.date, actor: User | None
) -> Affiliation:
    """End an affiliation on ``end_date`` (on or after its start)."""
    if end_date is None:
        raise ServiceError(_("Give the date the affiliation ends."), code="dates")
    organisation = affiliation.organisation
    with transaction.atomic(), organisation_scope(organisation):
        _actor_membership(actor, organisation)
        company = _lock_company(affiliation.company)
        affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
        _check_dates(affiliation.start_date, end_date)
        _check_no_overlap(
            organisation=organisation,
            company=company,
            start_date=affiliation.start_date,
            end_date=end_date,
            exclude_pk=affiliation.pk,
        )
        before = snapshot(affiliation, AFFILIATION_FIELDS)
        affiliation.end_date = end_date
        affiliation.save(update_fields=["end_date", "updated_at"])
        log_action(
            organisation=organisation,
            actor=actor,
            action="companies.affiliation.ended",
            obj=affiliation,
            before=before,
            after=snapshot(affiliation, AFFILIATION_FIELDS),
        )
    return affiliation


# --- notes ---------------------------------------------------------------------------------------


def _clean_note_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("A note cannot be empty."), code="note_empty")
    if len(text) > NOTE_MAX_LENGTH:
        raise ServiceError(
            _("A note can be at most %(max)d characters long; this one has %(n)d.")
            % {"max": NOTE_MAX_LENGTH, "n": len(text)},
            code="note_too_long",
        )
    return text


def _note_audit(note: CompanyNote) -> dict:
    return {"company": note.company_id, "text": note.text}


def note_create(
    *, organisation: Organisation, company: Company, text: str, author: User
) -> CompanyNote:
    """A private note of the garden on a company."""
    text = _clean_note_text(text)
    with transaction.atomic(), organisation_scope(organisation):
        _actor_membership(author, organisation)
        note = CompanyNote.objects.create(
            organisation=organisation, company=company, author=author, text=text
        )
        log_action(
            organisation=organisation,
            actor=author,
            action="companies.note.created",
            obj=note,
            after=_note_audit(note),
        )
    return note


def _check_may_change_note(note: CompanyNote, actor: User) -> None:
    membership = membership_for(user=actor, organisation=note.organisation)
    if not permissions.can_change_note(membership, note):
        raise ServiceError(
            _("Only the author of a note or an administrator can change or delete it."),
            code="forbidden",
        )


def note_update(*, note: CompanyNote, text: str, actor: User) -> CompanyNote:
    text = _clean_note_text(text)
    with transaction.atomic(), organisation_scope(note.organisation):
        note = CompanyNote.objects.select_for_update().get(pk=note.pk)
        _check_may_change_note(note, actor)
        before = _note_audit(note)
        if note.text == text:
            return note
        note.text = text
        note.save(update_fields=["text", "updated_at"])
        log_action(
            organisation=note.organisation,
            actor=actor,
            action="companies.note.updated",
            obj=note,
            before=before,
            after=_note_audit(note),
        )
    return note


def note_delete(*, note: CompanyNote, actor: User) -> None:
    with transaction.atomic(), organisation_scope(note.organisation):
        note = CompanyNote.objects.select_for_update().get(pk=note.pk)
        _check_may_change_note(note, actor)
        log_action(
            organisation=note.organisation,
            actor=actor,
            action="companies.note.deleted",
            obj=note,
            before=_note_audit(note),
        )
        note.delete()


# --- the advisory log --------------------------------------------------------------------------


def _clean_hours(hours) -> Decimal:
    try:
        value = Decimal(str(hours).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ServiceError(
            _("Hours must be a number, such as 1.5; “%s” is not.") % hours, code="hours"
        ) from None
    if not value.is_finite() or value <= 0 or value > MAX_HOURS_PER_ENTRY:
        raise ServiceError(
            _("Hours must be more than 0 and at most 24 per entry; %s is not.") % hours,
            code="hours",
        )
    if value != value.quantize(Decimal("0.01")):
        raise ServiceError(
            _("Hours are logged to two decimals at most (such as 1.25); %s has more.") % hours,
            code="hours",
        )
    return value


def _advisory_audit(entry: AdvisoryLogEntry) -> dict:
    return {
        "company": entry.company_id,
        "advisor": entry.advisor_id,
        "date": entry.date.isoformat(),
        "hours": str(entry.hours),
        "topic": entry.topic,
    }


def advisory_log_add(
    *,
    organisation: Organisation,
    company: Company,
    advisor: User,
    date: datetime.date,
    hours,
    topic: str,
    actor: User | None,
) -> AdvisoryLogEntry:
    """Log ``hours`` an advisor of the garden spent with ``company`` on ``date``."""
    hours = _clean_hours(hours)
    topic = (topic or "").strip()
    if not topic:
        raise ServiceError(_("Say what the advice was about (the topic)."), code="topic")
    if len(topic) > TOPIC_MAX_LENGTH:
        raise ServiceError(
            _("The topic can be at most %(max)d characters long; this one has %(n)d.")
            % {"max": TOPIC_MAX_LENGTH, "n": len(topic)},
            code="topic",
        )
    if date is None:
        raise ServiceError(_("Give the date of the advice."), code="date")
    if date > timezone.localdate():
        raise ServiceError(
            _("Hours cannot be logged for a future date (%s).") % date.isoformat(), code="date"
        )
    if advisor is None:
        raise ServiceError(_("Choose the advisor who gave the advice."), code="not_member")
    _check_member(advisor, organisation, what=_("the advisor of logged hours"))
    with transaction.atomic(), organisation_scope(organisation):
        _actor_membership(actor, organisation)
        entry = AdvisoryLogEntry.objects.create(
            organisation=organisation,
            company=company,
            advisor=advisor,
            date=date,
            hours=hours,
            topic=topic,
        )
        log_action(
            organisation=organisation,
            actor=actor,
            action="companies.advisory_log.added",
            obj=entry,
            after=_advisory_audit(entry),
        )
    return entry


def advisory_log_delete(*, entry: AdvisoryLogEntry, actor: User) -> None:
    """Remove logged hours: the advisor they are logged for, a manager or an administrator."""
    with transaction.atomic(), organisation_scope(entry.organisation):
        entry = AdvisoryLogEntry.objects.select_for_update().get(pk=entry.pk)
        membership = membership_for(user=actor, organisation=entry.organisation)
        if not permissions.can_delete_advisory_entry(membership, entry):
            raise ServiceError(
                _("Only the advisor, a manager or an administrator can delete logged hours."),
                code="forbidden",
            )
        log_action(
            organisation=entry.organisation,
            actor=actor,
            action="companies.advisory_log.deleted",
            obj=entry,
            before=_advisory_audit(entry),
        )
        entry.delete()
