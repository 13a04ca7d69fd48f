"""Reads of events for the pages, the API and the feeds.

Inside an organisation's scope, ``Event.objects`` finds only the events that organisation
hosts. Everything another organisation or the public may see is read here, through the
selectors named for it, with the scope disabled and the visibility rule spelt out:

- ``event_list_visible_to``: the joint calendar of an organisation — its own events (any
  status), published/held/cancelled events of the networks it is a party of, and public ones;
- ``public_event`` / ``public_event_list``: public events only, never drafts;
- ``network_feed_events``: a network's calendar (public, or also internal by token);
- ``registration_by_token`` / ``feed_token_by_secret``: capability links, found by the hash
  of their secret.

Each returns evaluated lists (or single objects) so that nothing is queried later outside
the disabled scope. Registrations and feedback are never read here except through a token.
"""

import calendar
import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from koblingsboks.events.costs import SharePart, split_amount
from koblingsboks.events.models import (
    CostLine,
    Event,
    EventHost,
    Feedback,
    FeedToken,
    Registration,
    RegistrationToken,
)
from koblingsboks.network.models import Network, Organisation

VISIBLE_STATES = [Event.Status.PUBLISHED, Event.Status.HELD, Event.Status.CANCELLED]
HOSTS = Prefetch("hosts", queryset=EventHost.objects.select_related("organisation"))


def token_hash(raw: str) -> str:
    return hashlib.sha256((raw or "").encode()).hexdigest()


@dataclass
class CalendarFilters:
    organisation: int | None = None  # a host's id
    kind: str = ""
    audience: str = ""
    when: str = "upcoming"  # upcoming, past, all
    q: str = ""


def _filtered(qs: QuerySet, filters: CalendarFilters) -> QuerySet:
    if filters.organisation:
        qs = qs.filter(hosts__organisation_id=filters.organisation)
    if filters.kind in Event.Kind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.audience in Event.Audience.values:
        qs = qs.filter(audience=filters.audience)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(location__icontains=filters.q))
    return qs


def _visible_q(organisation: Organisation) -> Q:
    network_ids = list(
        Network.objects.filter(party_links__organisation=organisation).values_list("pk", flat=True)
    )
    hosted = Q(pk__in=EventHost.objects.filter(organisation=organisation).values("event_id"))
    shared = Q(status__in=VISIBLE_STATES) & (
        Q(audience=Event.Audience.PUBLIC)
        | Q(audience=Event.Audience.NETWORK, network_id__in=network_ids)
    )
    return hosted | shared


def event_list_visible_to(
    *,
    organisation: Organisation,
    filters: CalendarFilters | None = None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
) -> list[Event]:
    """The joint calendar of ``organisation``: what it hosts, its networks' and public events.

    ``start``/``end`` select events overlapping that period (the month view); otherwise
    ``filters.when`` picks upcoming (not yet ended) or past events.
    """
    filters = filters or CalendarFilters()
    now = timezone.now()
    with scopes_disabled():
        qs = Event.objects.filter(_visible_q(organisation))
        qs = _filtered(qs, filters)
        if start is not None and end is not None:
            qs = qs.filter(starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "id")
        elif filters.when == "past":
            qs = qs.filter(ends_at__lte=now).order_by("-starts_at", "-id")
        elif filters.when == "all":
            qs = qs.order_by("-starts_at", "-id")
        else:
            qs = qs.filter(ends_at__gt=now).order_by("starts_at", "id")
        qs = qs.distinct().select_related("organisation", "network").prefetch_related(HOSTS)
        events = list(qs)
        _annotate_counts(events)
    hosted = set(
        EventHost.objects.filter(organisation=organisation).values_list("event_id", flat=True)
    )
    for event in events:
        event.is_host = event.pk in hosted
    return events


def _annotate_counts(events: list[Event]) -> None:
    """Confirmed and waitlisted counts (aggregates only), in one query."""
    ids = [event.pk for event in events]
    counts = {
        row["event_id"]: row
        for row in Registration.objects.filter(event_id__in=ids)
        .values("event_id")
        .annotate(
            confirmed=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
            waitlisted=Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
        )
    }
    for event in events:
        row = counts.get(event.pk, {})
        event.confirmed_count = row.get("confirmed", 0)
        event.waitlist_count = row.get("waitlisted", 0)
        event.seats_left = (
            None if event.capacity is None else max(0, event.capacity - event.confirmed_count)
        )


def event_visible_detail(*, pk: int, organisation: Organisation) -> Event:
    """One event of the joint calendar, for an organisation that may see it (as for
    ``event_list_visible_to``); raises Event.DoesNotExist otherwise."""
    with scopes_disabled():
        event = (
            Event.objects.filter(_visible_q(organisation), pk=pk)
            .select_related("organisation", "network", "responsible")
            .prefetch_related(HOSTS)
            .distinct()
            .get()
        )
        _annotate_counts([event])
    event.is_host = any(host.organisation_id == organisation.pk for host in event.hosts.all())
    return event


@dataclass
class MonthGrid:
    year: int
    month: int
    weeks: list[list[dict]] = field(default_factory=list)  # 7 days each: date, in_month, events
    previous: datetime.date | None = None
    next: datetime.date | None = None


def month_grid(*, organisation: Organisation, year: int, month: int, filters) -> MonthGrid:
    """The month view: weeks from Monday, each day with the events on it."""
    tz = timezone.get_current_timezone()
    first = datetime.date(year, month, 1)
    days = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start = datetime.datetime.combine(days[0][0], datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        days[-1][-1] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    events = event_list_visible_to(organisation=organisation, filters=filters, start=start, end=end)
    grid = MonthGrid(year=year, month=month)
    for week in days:
        row = []
        for day in week:
            day_start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
            day_end = day_start + datetime.timedelta(days=1)
            row.append(
                {
                    "date": day,
                    "in_month": day.month == month,
                    "events": [
                        e for e in events if e.starts_at < day_end and e.ends_at > day_start
                    ],
                }
            )
        grid.weeks.append(row)
    grid.previous = (first - datetime.timedelta(days=1)).replace(day=1)
    grid.next = (first + datetime.timedelta(days=32)).replace(day=1)
    return grid


# --- the hosts' own events (scoped) -----------------------------------------------------------


def event_for_host(*, pk: int) -> Event:
    """An event the active organisation hosts (scoped); DoesNotExist otherwise."""
    return (
        Event.objects.select_related("organisation", "network", "responsible")
        .prefetch_related(HOSTS)
        .get(pk=pk)
    )


def event_list_for_host(*, organisation: Organisation, status: str = "") -> QuerySet[Event]:
    qs = Event.objects.select_related("organisation", "network").prefetch_related(HOSTS)
    if status in Event.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_at", "-id")


REGISTRATION_ORDERINGS = {
    "registered": ["registered_at", "id"],
    "-registered": ["-registered_at", "-id"],
    "name": ["name", "id"],
    "-name": ["-name", "-id"],
    "company": ["company_name", "name"],
    "-company": ["-company_name", "name"],
}


def registration_list(
    *, event: Event, status: str = "", q: str = "", ordering: str = "registered"
) -> QuerySet[Registration]:
    """The participants of an event the active organisation hosts (scoped)."""
    qs = Registration.objects.filter(event=event).select_related("company", "feedback")
    if status in Registration.Status.values:
        qs = qs.filter(status=status)
    elif status == "active":
        qs = qs.exclude(status=Registration.Status.CANCELLED)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(email__icontains=q) | Q(company_name__icontains=q))
    return qs.order_by(*REGISTRATION_ORDERINGS.get(ordering, REGISTRATION_ORDERINGS["registered"]))


def registration_counts(*, event: Event) -> dict[str, int]:
    rows = Registration.objects.filter(event=event).values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(Registration.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    counts["checked_in"] = Registration.objects.filter(
        event=event, checked_in_at__isnull=False
    ).count()
    return counts


@dataclass
class FeedbackSummary:
    count: int
    average: Decimal | None
    distribution: dict[int, int]
    comments: list[Feedback]


def feedback_summary(*, event: Event) -> FeedbackSummary:
    qs = Feedback.objects.filter(registration__event=event)
    aggregate = qs.aggregate(n=Count("id"), avg=Avg("score"))
    distribution = dict.fromkeys(range(1, 6), 0)
    for row in qs.values("score").annotate(n=Count("id")):
        distribution[row["score"]] = row["n"]
    average = aggregate["avg"]
    return FeedbackSummary(
        count=aggregate["n"],
        average=Decimal(str(round(average, 2))) if average is not None else None,
        distribution=distribution,
        comments=list(qs.exclude(comment="").select_related("registration").order_by("-id")),
    )


@dataclass
class CostSplit:
    lines: list[CostLine]
    total: Decimal
    parts: list[SharePart]  # key: EventHost


def cost_split(*, event: Event) -> CostSplit:
    lines = list(CostLine.objects.filter(event=event).order_by("id"))
    total = sum((line.amount for line in lines), Decimal("0.00"))
    hosts = list(event.hosts.all())
    parts = split_amount(total, [(host, host.share) for host in hosts]) if hosts else []
    return CostSplit(lines=lines, total=total, parts=parts)


# --- public events and capability links -------------------------------------------------------


def public_event(*, public_id) -> Event:
    """A public event that is not a draft; raises Event.DoesNotExist for anything else."""
    with scopes_disabled():
        event = (
            Event.objects.filter(
                public_id=public_id, audience=Event.Audience.PUBLIC, status__in=VISIBLE_STATES
            )
            .select_related("organisation", "responsible")
            .prefetch_related(HOSTS)
            .get()
        )
        _annotate_counts([event])
    return event


def public_event_list(
    *, organisation: Organisation | None = None, network: Network | None = None, upcoming=True
) -> list[Event]:
    """Public events (not drafts), optionally of one host organisation or of the parties of
    one network."""
    with scopes_disabled():
        qs = Event.objects.filter(audience=Event.Audience.PUBLIC, status__in=VISIBLE_STATES)
        if organisation is not None:
            qs = qs.filter(hosts__organisation=organisation)
        if network is not None:
            qs = qs.filter(hosts__organisation__network_links__network=network)
        if upcoming:
            qs = qs.filter(ends_at__gt=timezone.now())
        events = list(
            qs.distinct()
            .select_related("organisation")
            .prefetch_related(HOSTS)
            .order_by("starts_at", "id")
        )
        _annotate_counts(events)
    return events


FEED_PAST_DAYS = 365


def network_feed_events(*, network: Network, internal: bool) -> list[Event]:
    """A network's calendar feed: public events of its parties, and with ``internal`` also
    the network-audience events of this network. The past year and everything ahead."""
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    with scopes_disabled():
        shown = Q(
            audience=Event.Audience.PUBLIC, hosts__organisation__network_links__network=network
        )
        if internal:
            shown |= Q(audience=Event.Audience.NETWORK, network=network)
        return list(
            Event.objects.filter(shown, status__in=VISIBLE_STATES, ends_at__gte=since)
            .distinct()
            .order_by("starts_at", "id")
        )


def organisation_feed_events(*, organisation: Organisation) -> list[Event]:
    """An organisation's public feed: the public events it hosts, past year and ahead."""
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    with scopes_disabled():
        return list(
            Event.objects.filter(
                audience=Event.Audience.PUBLIC,
                status__in=VISIBLE_STATES,
                hosts__organisation=organisation,
                ends_at__gte=since,
            )
            .distinct()
            .order_by("starts_at", "id")
        )


def registration_by_token(*, raw: str, purpose: str) -> RegistrationToken | None:
    """The token of a link from an e-mail, with its registration and event; None if unknown."""
    with scopes_disabled():
        token = (
            RegistrationToken.objects.filter(token_hash=token_hash(raw), purpose=purpose)
            .select_related("registration__event__organisation")
            .first()
        )
        if token is not None:
            # Evaluate what the page shows while the scope is disabled.
            token.registration.event.host_list = list(
                token.registration.event.hosts.select_related("organisation")
            )
            token.registration.has_feedback = Feedback.objects.filter(
                registration=token.registration
            ).exists()
    return token


def feed_token_by_secret(*, raw: str) -> FeedToken | None:
    """An unrevoked private feed token by its secret (from the feed URL)."""
    with scopes_disabled():
        return (
            FeedToken.objects.filter(token_hash=token_hash(raw), revoked_at__isnull=True)
            .select_related("network", "organisation")
            .first()
        )


def feed_token_list(*, organisation: Organisation) -> QuerySet[FeedToken]:
    return FeedToken.objects.filter(revoked_at__isnull=True).select_related("network", "created_by")


def registrant_registrations(*, email: str) -> list[Registration]:
    """Every registration under ``email`` in the events the active organisation hosts."""
    return list(
        Registration.objects.filter(email__iexact=email.strip())
        .select_related("event", "feedback")
        .order_by("-registered_at")
    )
