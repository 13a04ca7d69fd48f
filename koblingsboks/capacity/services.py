"""Business rules of capacity: offers, requests, bookings, time entries, settlements.

Every write is one transaction with its audit entries (in the audit log of each
organisation concerned) and its e-mail sent on commit. Refusals raise ``ServiceError``
with a message for the user; nothing is changed then.

No overbooking: the sum of the accepted hours of an offer's bookings never exceeds the
offer's hours. ``booking_accept`` and ``booking_extend`` lock the offer's row before they
count (``SELECT … FOR UPDATE`` on PostgreSQL, so a second accept of the same offer waits
until the first commits and then counts its hours); on SQLite the transaction takes the
database's write lock at its start (``transaction_mode = IMMEDIATE`` in settings, and a
write to the offer row first in case it is not), so accepts run one after the other.
"""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from koblingsboks.capacity import permissions
from koblingsboks.capacity.models import (
    ZERO,
    Booking,
    CapacityOffer,
    CapacityRequest,
    Settlement,
    TimeEntry,
)
from koblingsboks.capacity.notifications import decision_makers, notify
from koblingsboks.companies.selectors import organisations_sharing_a_network
from koblingsboks.core.audit import log_action, snapshot
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.formatting import format_number
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Membership, Organisation, User
from koblingsboks.network.selectors import membership_for

MAX_HOURS = Decimal("10000")
MAX_RATE = Decimal("100000")
CENT = Decimal("0.01")
COUNTED_STATES = (Booking.State.ACCEPTED, Booking.State.COMPLETED)
BOOKING_FIELDS = ["state", "hours", "extra_hours", "hourly_rate", "decided_by", "decision_note"]


# --- shared checks -------------------------------------------------------------------------


def _check_hours(hours, *, label=None) -> Decimal:
    if hours is None or Decimal(hours) <= 0:
        raise ServiceError(_("Hours must be more than 0."), code="hours")
    hours = Decimal(hours)
    if hours > MAX_HOURS:
        raise ServiceError(_("At most 10 000 hours."), code="hours")
    if hours != hours.quantize(CENT):
        raise ServiceError(_("Hours can have at most two decimals."), code="hours")
    return hours


def _check_rate(rate) -> Decimal:
    if rate is None:
        raise ServiceError(_("Give the hourly rate."), code="rate")
    if Decimal(rate) < 0:
        raise ServiceError(_("The hourly rate cannot be negative."), code="rate")
    rate = Decimal(rate)
    if rate > MAX_RATE or rate != rate.quantize(CENT):
        raise ServiceError(_("Give the hourly rate in NOK with at most two decimals."), code="rate")
    return rate


def _check_period(start: datetime.date, end: datetime.date) -> None:
    if start is None or end is None:
        raise ServiceError(_("Give both the start and the end of the period."), code="period")
    if end < start:
        raise ServiceError(_("The period ends before it starts."), code="period")


def _check_text(value: str, limit: int, label: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(_("%(field)s is required.") % {"field": label}, code="required")
    if len(value) > limit:
        raise ServiceError(
            _("%(field)s can be at most %(limit)s characters.") % {"field": label, "limit": limit},
            code="too_long",
        )
    return value


def _membership(user: User, organisation: Organisation) -> Membership | None:
    return membership_for(user=user, organisation=organisation)


def _require(predicate, user: User, organisation: Organisation, message: str) -> None:
    if not predicate(_membership(user, organisation)):
        raise ServiceError(message, code="forbidden")


def _log_both(booking: Booking, *, actor, action: str, before=None, after=None) -> None:
    """The change is in the audit log of both organisations of the booking."""
    for organisation in (booking.requester, booking.provider):
        with organisation_scope(organisation):
            log_action(
                organisation=organisation,
                actor=actor,
                action=action,
                obj=booking,
                before=before,
                after=after,
            )


# --- offers --------------------------------------------------------------------------------


def offer_create(
    *,
    organisation: Organisation,
    person: User | None,
    title: str,
    description: str,
    competences,
    hours,
    period_start: datetime.date,
    period_end: datetime.date,
    hourly_rate,
    actor: User,
) -> CapacityOffer:
    """Offer hours of ``person`` (or of the organisation when None) to the network."""
    _require(permissions.can_write, actor, organisation, _("Your role cannot offer capacity."))
    title = _check_text(title, 200, _("Title"), required=True)
    description = _check_text(description, 2000, _("Description"))
    hours = _check_hours(hours)
    hourly_rate = _check_rate(hourly_rate)
    _check_period(period_start, period_end)
    if person is not None and _membership(person, organisation) is None:
        raise ServiceError(_("The person must be a member of your organisation."))
    with transaction.atomic():
        offer = CapacityOffer.objects.create(
            organisation=organisation,
            person=person,
            title=title,
            description=description,
            hours=hours,
            period_start=period_start,
            period_end=period_end,
            hourly_rate=hourly_rate,
            created_by=actor,
        )
        offer.competences.set(competences)
        log_action(
            organisation=organisation,
            actor=actor,
            action="capacity.offer.created",
            obj=offer,
            after=snapshot(
                offer,
                [
                    "title",
                    "person",
                    "hours",
                    "period_start",
                    "period_end",
                    "hourly_rate",
                    "competences",
                ],
            ),
        )
    return offer


def offer_withdraw(*, offer: CapacityOffer, actor: User) -> CapacityOffer:
    """No new bookings of the offer; accepted ones stand."""
    _require(permissions.can_write, actor, offer.organisation, _("Your role cannot do this."))
    if offer.is_withdrawn:
        raise ServiceError(_("The offer is already withdrawn."), code="state")
    with transaction.atomic():
        offer.is_withdrawn = True
        offer.save(update_fields=["is_withdrawn", "updated_at"])
        log_action(
            organisation=offer.organisation,
            actor=actor,
            action="capacity.offer.withdrawn",
            obj=offer,
            before={"is_withdrawn": False},
            after={"is_withdrawn": True},
        )
    return offer


def offer_booked_hours(offer: CapacityOffer) -> Decimal:
    """Hours of the offer's accepted and completed bookings, extensions included.

    Counted in the offering organisation's scope: every booking of an offer has it as
    provider, whoever asks."""
    with organisation_scope(offer.organisation):
        totals = Booking.objects.filter(offer=offer, state__in=COUNTED_STATES).aggregate(
            hours=Sum("hours"), extra=Sum("extra_hours")
        )
    return (totals["hours"] or ZERO) + (totals["extra"] or ZERO)


# --- requests ------------------------------------------------------------------------------


def request_create(
    *,
    organisation: Organisation,
    title: str,
    need: str,
    competences,
    hours,
    window_start: datetime.date,
    window_end: datetime.date,
    company=None,
    share_company: bool = False,
    actor: User,
) -> CapacityRequest:
    """Ask the network for help with a need. The company stays private unless shared."""
    _require(permissions.can_write, actor, organisation, _("Your role cannot ask for help."))
    title = _check_text(title, 200, _("Title"), required=True)
    need = _check_text(need, 4000, _("Need"), required=True)
    hours = _check_hours(hours)
    _check_period(window_start, window_end)
    with transaction.atomic():
        request = CapacityRequest.objects.create(
            organisation=organisation,
            title=title,
            need=need,
            hours=hours,
            window_start=window_start,
            window_end=window_end,
            company=company,
            share_company=bool(company) and share_company,
            created_by=actor,
        )
        request.competences.set(competences)
        log_action(
            organisation=organisation,
            actor=actor,
            action="capacity.request.created",
            obj=request,
            after=snapshot(
                request,
                [
                    "title",
                    "hours",
                    "window_start",
                    "window_end",
                    "company",
                    "share_company",
                    "competences",
                ],
            ),
        )
    return request


def request_close(*, request: CapacityRequest, actor: User) -> CapacityRequest:
    _require(permissions.can_write, actor, request.organisation, _("Your role cannot do this."))
    if request.status == CapacityRequest.Status.CLOSED:
        raise ServiceError(_("The request is already closed."), code="state")
    with transaction.atomic():
        request.status = CapacityRequest.Status.CLOSED
        request.save(update_fields=["status"])
        log_action(
            organisation=request.organisation,
            actor=actor,
            action="capacity.request.closed",
            obj=request,
            before={"status": "open"},
            after={"status": "closed"},
        )
    return request


# --- bookings ------------------------------------------------------------------------------


def booking_propose(
    *,
    request: CapacityRequest,
    hours,
    actor: User,
    offer: CapacityOffer | None = None,
    person: User | None = None,
    provider: Organisation | None = None,
    hourly_rate=None,
    message: str = "",
) -> Booking:
    """The requester asks for ``hours`` of an offer, or of a named person of ``provider``
    (then at the ``hourly_rate`` it proposes). The provider's managers are told by e-mail."""
    requester = request.organisation
    _require(permissions.can_write, actor, requester, _("Your role cannot book capacity."))
    if request.status != CapacityRequest.Status.OPEN:
        raise ServiceError(_("The request is closed."), code="state")
    hours = _check_hours(hours)
    message = _check_text(message, 2000, _("Message"))
    partners = organisations_sharing_a_network(organisation=requester)
    if offer is not None:
        provider = offer.organisation
        person = offer.person
        hourly_rate = offer.hourly_rate
        if offer.is_withdrawn:
            raise ServiceError(_("The offer has been withdrawn."), code="state")
        if offer.period_end < timezone.localdate():
            raise ServiceError(_("The offer's period is over."), code="state")
        free = offer.hours - offer_booked_hours(offer)
        if hours > free:
            raise ServiceError(
                _("Only %(free)s of the offer's hours are still free.")
                % {"free": format_number(free)},
                code="overbooked",
            )
    else:
        if person is None or provider is None:
            raise ServiceError(_("Choose an offer or a person."), code="required")
        if _membership(person, provider) is None:
            raise ServiceError(_("The person is not a member of that organisation."))
        hourly_rate = _check_rate(hourly_rate)
    if provider.pk == requester.pk:
        raise ServiceError(_("Book hours of another organisation, not your own."))
    if provider.pk not in partners:
        raise ServiceError(_("You can book only organisations of your networks."))
    with transaction.atomic():
        booking = Booking.objects.create(
            request=request,
            offer=offer,
            person=person,
            requester=requester,
            provider=provider,
            hours=hours,
            hourly_rate=hourly_rate,
            message=message,
            created_by=actor,
        )
        _log_both(
            booking,
            actor=actor,
            action="capacity.booking.proposed",
            after=snapshot(booking, BOOKING_FIELDS),
        )
        notify(
            recipients=[*decision_makers(provider), person],
            template="booking_proposed",
            context={"booking": booking, "request": request},
            url_name="capacity:booking-detail",
            url_kwargs={"pk": booking.pk},
        )
    return booking


def _lock_offer(offer_id: int) -> CapacityOffer:
    """Serialise everything that counts an offer's accepted hours (see the module doc)."""
    if connection.vendor == "sqlite":
        # A write first: this transaction now holds SQLite's write lock whatever its mode.
        CapacityOffer.objects.filter(pk=offer_id).update(updated_at=timezone.now())
    return CapacityOffer.objects.select_for_update().get(pk=offer_id)


def _decide(booking: Booking, actor: User, organisation: Organisation) -> None:
    if organisation.pk != booking.provider_id:
        raise ServiceError(
            _("Only the organisation that provides the hours can accept or decline."),
            code="forbidden",
        )
    _require(permissions.can_decide, actor, organisation, _("Only a manager can decide."))


def booking_accept(*, booking: Booking, organisation: Organisation, actor: User) -> Booking:
    """The provider's manager accepts; refused when the offer has not enough free hours."""
    _decide(booking, actor, organisation)
    with transaction.atomic():
        if booking.offer_id:
            offer = _lock_offer(booking.offer_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.state != Booking.State.PROPOSED:
            raise ServiceError(
                _("The booking is %(state)s, it can no longer be accepted.")
                % {"state": booking.get_state_display()},
                code="state",
            )
        if booking.offer_id:
            free = offer.hours - offer_booked_hours(offer)
            if booking.hours > free:
                raise ServiceError(
                    _(
                        "Accepting would book more hours than offered: %(free)s of %(total)s "
                        "hours are free."
                    )
                    % {"free": format_number(free), "total": format_number(offer.hours)},
                    code="overbooked",
                )
        before = snapshot(booking, BOOKING_FIELDS)
        booking.state = Booking.State.ACCEPTED
        booking.decided_by = actor
        booking.decided_at = timezone.now()
        booking.save(update_fields=["state", "decided_by", "decided_at"])
        _log_both(
            booking,
            actor=actor,
            action="capacity.booking.accepted",
            before=before,
            after=snapshot(booking, BOOKING_FIELDS),
        )
        notify(
            recipients=[booking.created_by, *decision_makers(booking.requester), booking.person],
            template="booking_accepted",
            context={"booking": booking},
            url_name="capacity:booking-detail",
            url_kwargs={"pk": booking.pk},
        )
    return booking


def booking_decline(
    *, booking: Booking, organisation: Organisation, actor: User, note: str = ""
) -> Booking:
    _decide(booking, actor, organisation)
    note = _check_text(note, 500, _("Note"))
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.state != Booking.State.PROPOSED:
            raise ServiceError(
                _("The booking is %(state)s, it can no longer be declined.")
                % {"state": booking.get_state_display()},
                code="state",
            )
        before = snapshot(booking, BOOKING_FIELDS)
        booking.state = Booking.State.DECLINED
        booking.decided_by = actor
        booking.decided_at = timezone.now()
        booking.decision_note = note
        booking.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        _log_both(
            booking,
            actor=actor,
            action="capacity.booking.declined",
            before=before,
            after=snapshot(booking, BOOKING_FIELDS),
        )
        notify(
            recipients=[booking.created_by, *decision_makers(booking.requester)],
            template="booking_declined",
            context={"booking": booking},
            url_name="capacity:booking-detail",
            url_kwargs={"pk": booking.pk},
        )
    return booking


def booking_cancel(*, booking: Booking, organisation: Organisation, actor: User) -> Booking:
    """Either side cancels a proposed booking, or an accepted one on which no hours are
    logged yet."""
    if organisation.pk not in (booking.requester_id, booking.provider_id):
        raise ServiceError(_("This booking is not your organisation's."), code="forbidden")
    _require(permissions.can_write, actor, organisation, _("Your role cannot do this."))
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.state not in (Booking.State.PROPOSED, Booking.State.ACCEPTED):
            raise ServiceError(
                _("Only a proposed or accepted booking can be cancelled."), code="state"
            )
        if booking.state == Booking.State.ACCEPTED:
            if not permissions.can_decide(_membership(actor, organisation)):
                raise ServiceError(
                    _("Only a manager can cancel an accepted booking."), code="forbidden"
                )
            if booking.time_entries.exists():
                raise ServiceError(
                    _("Hours are logged on this booking; complete it instead."), code="state"
                )
        before = snapshot(booking, BOOKING_FIELDS)
        booking.state = Booking.State.CANCELLED
        booking.save(update_fields=["state"])
        _log_both(
            booking,
            actor=actor,
            action="capacity.booking.cancelled",
            before=before,
            after=snapshot(booking, BOOKING_FIELDS),
        )
        other = booking.provider if organisation.pk == booking.requester_id else booking.requester
        notify(
            recipients=decision_makers(other),
            template="booking_cancelled",
            context={"booking": booking},
            url_name="capacity:booking-detail",
            url_kwargs={"pk": booking.pk},
        )
    return booking


def booking_complete(*, booking: Booking, organisation: Organisation, actor: User) -> Booking:
    """The work is done: no more hours can be logged."""
    if organisation.pk not in (booking.requester_id, booking.provider_id):
        raise ServiceError(_("This booking is not your organisation's."), code="forbidden")
    _require(permissions.can_decide, actor, organisation, _("Only a manager can do this."))
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.state != Booking.State.ACCEPTED:
            raise ServiceError(_("Only an accepted booking can be completed."), code="state")
        before = snapshot(booking, BOOKING_FIELDS)
        booking.state = Booking.State.COMPLETED
        booking.save(update_fields=["state"])
        _log_both(
            booking,
            actor=actor,
            action="capacity.booking.completed",
            before=before,
            after=snapshot(booking, BOOKING_FIELDS),
        )
    return booking


def booking_extend(
    *, booking: Booking, organisation: Organisation, hours, reason: str, actor: User
) -> Booking:
    """More hours on an accepted booking: by the provider's manager, with a reason, within
    the offer's free hours."""
    _decide(booking, actor, organisation)
    hours = _check_hours(hours)
    reason = _check_text(reason, 500, _("Reason"), required=True)
    with transaction.atomic():
        if booking.offer_id:
            offer = _lock_offer(booking.offer_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.state != Booking.State.ACCEPTED:
            raise ServiceError(_("Only an accepted booking can be extended."), code="state")
        if booking.offer_id:
            free = offer.hours - offer_booked_hours(offer)
            if hours > free:
                raise ServiceError(
                    _("Only %(free)s of the offer's hours are still free.")
                    % {"free": format_number(free)},
                    code="overbooked",
                )
        before = snapshot(booking, BOOKING_FIELDS)
        booking.extra_hours += hours
        booking.save(update_fields=["extra_hours"])
        _log_both(
            booking,
            actor=actor,
            action="capacity.booking.extended",
            before={**before, "reason": ""},
            after={**snapshot(booking, BOOKING_FIELDS), "reason": reason},
        )
    return booking


def booking_logged_hours(booking: Booking) -> Decimal:
    return booking.time_entries.aggregate(total=Sum("hours"))["total"] or ZERO


# --- time entries --------------------------------------------------------------------------


def time_entry_log(
    *,
    booking: Booking,
    organisation: Organisation,
    date: datetime.date,
    hours,
    description: str,
    actor: User,
) -> TimeEntry:
    """The person who did the work logs hours on an accepted booking of their organisation;
    the total may not pass the booking's hours (plus extensions)."""
    if organisation.pk != booking.provider_id or _membership(actor, organisation) is None:
        raise ServiceError(
            _("Hours are logged by the people of the organisation that does the work."),
            code="forbidden",
        )
    _require(permissions.can_write, actor, organisation, _("Your role cannot log hours."))
    if booking.person_id and booking.person_id != actor.pk:
        raise ServiceError(
            _("This booking is %(person)s's; only they log hours on it.")
            % {"person": booking.person},
            code="forbidden",
        )
    hours = _check_hours(hours)
    if hours > 24:
        raise ServiceError(_("At most 24 hours in one entry."), code="hours")
    description = _check_text(description, 500, _("Description"))
    if date is None:
        raise ServiceError(_("Give the date."), code="required")
    if date > timezone.localdate():
        raise ServiceError(_("Hours cannot be logged in the future."), code="date")
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.state != Booking.State.ACCEPTED:
            raise ServiceError(_("Hours are logged only on accepted bookings."), code="state")
        logged = booking_logged_hours(booking)
        if logged + hours > booking.allowed_hours:
            raise ServiceError(
                _(
                    "This would pass the booking's %(allowed)s hours (%(logged)s logged). "
                    "Ask a manager of your organisation to extend the booking."
                )
                % {
                    "allowed": format_number(booking.allowed_hours),
                    "logged": format_number(logged),
                },
                code="over_booking",
            )
        entry = TimeEntry.objects.create(
            booking=booking, person=actor, date=date, hours=hours, description=description
        )
        for party in (booking.requester, booking.provider):
            with organisation_scope(party):
                log_action(
                    organisation=party,
                    actor=actor,
                    action="capacity.time_entry.logged",
                    obj=entry,
                    after=snapshot(entry, ["booking", "date", "hours", "description"]),
                )
    return entry


def time_entry_delete(*, entry: TimeEntry, organisation: Organisation, actor: User) -> None:
    """Remove an entry not yet in a settlement: by its author or the provider's manager."""
    booking = entry.booking
    if organisation.pk != booking.provider_id:
        raise ServiceError(
            _("Only the organisation that did the work can do this."), code="forbidden"
        )
    if entry.person_id != actor.pk:
        _require(permissions.can_decide, actor, organisation, _("Only a manager can do this."))
    if entry.settlement_id:
        raise ServiceError(
            _("The entry is in a settlement and can no longer change."), code="state"
        )
    with transaction.atomic():
        before = snapshot(entry, ["booking", "date", "hours", "description"])
        for party in (booking.requester, booking.provider):
            with organisation_scope(party):
                log_action(
                    organisation=party,
                    actor=actor,
                    action="capacity.time_entry.deleted",
                    obj=entry,
                    before=before,
                )
        entry.delete()


# --- settlements ---------------------------------------------------------------------------


def settlement_period(kind: str, year: int, number: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of month ``number`` (1–12) or quarter ``number`` (1–4)."""
    if kind == Settlement.Kind.MONTH and 1 <= number <= 12:
        first_month, last_month = number, number
    elif kind == Settlement.Kind.QUARTER and 1 <= number <= 4:
        first_month, last_month = 3 * number - 2, 3 * number
    else:
        raise ServiceError(_("Choose a month (1–12) or a quarter (1–4)."), code="period")
    if not 2000 <= year <= 2100:
        raise ServiceError(_("Choose a year between 2000 and 2100."), code="period")
    last_day = calendar.monthrange(year, last_month)[1]
    return datetime.date(year, first_month, 1), datetime.date(year, last_month, last_day)


def settlement_open(
    *,
    organisation: Organisation,
    counterpart: Organisation,
    kind: str,
    year: int,
    number: int,
    actor: User,
) -> Settlement:
    """Open the settlement of ``organisation`` and ``counterpart`` for a month or quarter;
    the managers of both are told it is ready for approval."""
    _require(permissions.can_decide, actor, organisation, _("Only a manager can do this."))
    if counterpart.pk == organisation.pk:
        raise ServiceError(_("Choose another organisation."))
    if counterpart.pk not in organisations_sharing_a_network(organisation=organisation):
        raise ServiceError(_("You can settle only with organisations of your networks."))
    start, end = settlement_period(kind, year, number)
    if start > timezone.localdate():
        raise ServiceError(_("The period has not started yet."), code="period")
    a, b = sorted([organisation, counterpart], key=lambda org: org.pk)
    with transaction.atomic():
        overlapping = Settlement.objects.filter(
            organisation_a=a, organisation_b=b, period_start__lte=end, period_end__gte=start
        )
        if overlapping.exists():
            raise ServiceError(
                _("A settlement of these organisations already covers part of this period."),
                code="duplicate",
            )
        settlement = Settlement.objects.create(
            organisation_a=a,
            organisation_b=b,
            kind=kind,
            period_start=start,
            period_end=end,
            created_by=actor,
        )
        for party in (a, b):
            with organisation_scope(party):
                log_action(
                    organisation=party,
                    actor=actor,
                    action="capacity.settlement.opened",
                    obj=settlement,
                    after=snapshot(settlement, ["kind", "period_start", "period_end"]),
                )
        notify(
            recipients=[*decision_makers(a), *decision_makers(b)],
            template="settlement_ready",
            context={"settlement": settlement},
            url_name="capacity:settlement-detail",
            url_kwargs={"pk": settlement.pk},
        )
    return settlement


def settlement_entries(settlement: Settlement):
    """The time entries behind the settlement: once frozen, exactly those attached to it;
    while open, every unsettled entry of the pair dated up to the period's end (entries from
    earlier periods that came in after those froze are settled here)."""
    if settlement.state != Settlement.State.OPEN:
        return TimeEntry.objects.filter(settlement=settlement)
    a, b = settlement.organisation_a_id, settlement.organisation_b_id
    return TimeEntry.objects.filter(
        settlement__isnull=True,
        date__lte=settlement.period_end,
        booking__requester_id__in=[a, b],
        booking__provider_id__in=[a, b],
    )


def settlement_lines(settlement: Settlement) -> list[dict]:
    """One line per booking: who worked for whom, hours, rate and amount (exact, to øre)."""
    rows = (
        settlement_entries(settlement)
        .values("booking", "booking__provider", "booking__hourly_rate", "booking__request__title")
        .annotate(hours=Sum("hours"))
        .order_by("booking")
    )
    lines = []
    for row in rows:
        rate = row["booking__hourly_rate"]
        lines.append(
            {
                "booking_id": row["booking"],
                "title": row["booking__request__title"],
                "provider_id": row["booking__provider"],
                "hours": row["hours"],
                "rate": rate,
                "amount": (row["hours"] * rate).quantize(CENT, rounding=ROUND_HALF_UP),
            }
        )
    return lines


def settlement_totals(settlement: Settlement) -> dict[str, Decimal]:
    """Hours and NOK each side worked for the other, from the lines (frozen ones if frozen)."""
    if settlement.state != Settlement.State.OPEN:
        return {
            "hours_a_for_b": settlement.hours_a_for_b,
            "amount_a_for_b": settlement.amount_a_for_b,
            "hours_b_for_a": settlement.hours_b_for_a,
            "amount_b_for_a": settlement.amount_b_for_a,
        }
    totals = dict.fromkeys(
        ("hours_a_for_b", "amount_a_for_b", "hours_b_for_a", "amount_b_for_a"), ZERO
    )
    for line in settlement_lines(settlement):
        side = "a_for_b" if line["provider_id"] == settlement.organisation_a_id else "b_for_a"
        totals[f"hours_{side}"] += line["hours"]
        totals[f"amount_{side}"] += line["amount"]
    return totals


def settlement_approve(*, settlement: Settlement, organisation: Organisation, actor: User):
    """A manager of one side approves. The first approval freezes the numbers and attaches
    the entries behind them; the other side's approval completes the settlement."""
    if organisation.pk not in (settlement.organisation_a_id, settlement.organisation_b_id):
        raise ServiceError(_("This settlement is not your organisation's."), code="forbidden")
    _require(permissions.can_decide, actor, organisation, _("Only a manager can approve."))
    side = "a" if organisation.pk == settlement.organisation_a_id else "b"
    with transaction.atomic():
        settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
        if getattr(settlement, f"approved_at_{side}") is not None:
            raise ServiceError(
                _("Your organisation has already approved this settlement."), code="state"
            )
        if settlement.period_end >= timezone.localdate():
            raise ServiceError(
                _("The period is not over yet; approve it after %(date)s.")
                % {"date": settlement.period_end.strftime("%d.%m.%Y")},
                code="period",
            )
        before = snapshot(settlement, ["state", f"approved_by_{side}"])
        if settlement.state == Settlement.State.OPEN:
            totals = settlement_totals(settlement)
            entry_ids = list(settlement_entries(settlement).values_list("pk", flat=True))
            TimeEntry.objects.filter(pk__in=entry_ids).update(settlement=settlement)
            for key, value in totals.items():
                setattr(settlement, key, value)
            settlement.state = Settlement.State.FROZEN
        else:
            settlement.state = Settlement.State.APPROVED
        setattr(settlement, f"approved_by_{side}", actor)
        setattr(settlement, f"approved_at_{side}", timezone.now())
        settlement.save()
        after = snapshot(
            settlement,
            [
                "state",
                f"approved_by_{side}",
                "hours_a_for_b",
                "amount_a_for_b",
                "hours_b_for_a",
                "amount_b_for_a",
            ],
        )
        for party in (settlement.organisation_a, settlement.organisation_b):
            with organisation_scope(party):
                log_action(
                    organisation=party,
                    actor=actor,
                    action="capacity.settlement.approved",
                    obj=settlement,
                    before=before,
                    after=after,
                )
        other = settlement.organisation_b if side == "a" else settlement.organisation_a
        notify(
            recipients=decision_makers(other),
            template="settlement_approved",
            context={"settlement": settlement, "approver": organisation},
            url_name="capacity:settlement-detail",
            url_kwargs={"pk": settlement.pk},
        )
    return settlement
