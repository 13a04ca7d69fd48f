"""Reads of the capacity app.

Offers are visible network-wide: ``offer_list_visible_to`` and ``offer_visible_to`` are the
only reads of other organisations' offers (organisations sharing a network with the reader;
never their requests). Requests are read by their own organisation, and by the provider of
a booking only through ``booking.request`` — with the company hidden unless shared
(``request_company_visible``). Bookings, time entries and settlements are scoped to both of
their organisations (capacity/tenancy.py).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_scopes import scopes_disabled

from koblingsboks.capacity.models import (
    ZERO,
    Booking,
    CapacityOffer,
    CapacityRequest,
    Settlement,
    TimeEntry,
)
from koblingsboks.companies.models import Affiliation, Company
from koblingsboks.companies.selectors import organisations_sharing_a_network
from koblingsboks.core.pagination import PAGE_SIZE
from koblingsboks.network.models import Organisation
from koblingsboks.people.selectors import DirectoryFilters, profile_directory_queryset

COUNTED_STATES = [Booking.State.ACCEPTED, Booking.State.COMPLETED]
OFFER_SORTS = {
    "start": ["period_start", "title"],
    "rate": ["hourly_rate", "title"],
    "-free": ["-free_hours", "title"],
    "organisation": ["organisation__name", "title"],
}


@dataclass(frozen=True)
class OfferFilters:
    competence: int | None = None
    organisation: int | None = None
    available_from: datetime.date | None = None
    include_past: bool = False
    sort: str = "start"


def _with_free_hours(offers: QuerySet[CapacityOffer]) -> QuerySet[CapacityOffer]:
    """Annotate booked (accepted and completed, extensions included) and free hours. A
    subquery, so that other joins (competences) cannot multiply the sum. Call it where the
    scope is disabled: it counts the bookings of every organisation."""
    hours = DecimalField(max_digits=9, decimal_places=2)
    booked = (
        Booking.objects.filter(offer=OuterRef("pk"), state__in=COUNTED_STATES)
        .values("offer")
        .annotate(total=Sum(F("hours") + F("extra_hours"), output_field=hours))
        .values("total")
    )
    return offers.annotate(
        booked_hours=Coalesce(Subquery(booked, output_field=hours), Value(ZERO), output_field=hours)
    ).annotate(free_hours=F("hours") - F("booked_hours"))


def _visible_offers(organisation: Organisation) -> QuerySet[CapacityOffer]:
    visible = organisations_sharing_a_network(organisation=organisation)
    return (
        CapacityOffer.objects.filter(organisation__in=visible)
        .select_related("organisation", "person")
        .prefetch_related("competences")
    )


def offer_list_visible_to(
    *, organisation: Organisation, filters: OfferFilters, page=1, per_page: int = PAGE_SIZE
) -> Page:
    """One page of the offers of every organisation sharing a network with ``organisation``
    (its own included), with their free hours."""
    with scopes_disabled():
        offers = _with_free_hours(_visible_offers(organisation))
        if not filters.include_past:
            offers = offers.filter(is_withdrawn=False, period_end__gte=timezone.localdate())
        if filters.competence:
            offers = offers.filter(competences=filters.competence)
        if filters.organisation:
            offers = offers.filter(organisation_id=filters.organisation)
        if filters.available_from:
            offers = offers.filter(period_end__gte=filters.available_from)
        offers = offers.order_by(*OFFER_SORTS.get(filters.sort, OFFER_SORTS["start"]), "pk")
        result = Paginator(offers, per_page).get_page(page)
        result.object_list = list(result.object_list)
    return result


def offer_visible_to(*, organisation: Organisation, pk: int) -> CapacityOffer:
    """One offer of the shared networks; ``CapacityOffer.DoesNotExist`` for any other."""
    with scopes_disabled():
        offer = _with_free_hours(_visible_offers(organisation)).get(pk=pk)
        offer.competence_list = list(offer.competences.all())
    return offer


def offer_bookings(*, offer: CapacityOffer) -> QuerySet[Booking]:
    """The offer's bookings the active organisation is a party of (the scope filters)."""
    return (
        Booking.objects.filter(offer=offer)
        .select_related("requester", "provider", "person", "request")
        .order_by("-created_at")
    )


def request_list(*, organisation: Organisation, status: str = "open") -> QuerySet[CapacityRequest]:
    requests = CapacityRequest.objects.filter(organisation=organisation)
    if status in (CapacityRequest.Status.OPEN, CapacityRequest.Status.CLOSED):
        requests = requests.filter(status=status)
    return (
        requests.select_related("company")
        .prefetch_related("competences")
        .annotate(booking_count=Count("bookings"))
        .order_by("-created_at", "-pk")
    )


def request_detail(*, organisation: Organisation, pk: int) -> CapacityRequest:
    """The organisation's own request (scoped: another organisation's is DoesNotExist)."""
    return (
        CapacityRequest.objects.filter(organisation=organisation)
        .select_related("company", "created_by")
        .prefetch_related("competences")
        .get(pk=pk)
    )


def suggested_offers(*, request: CapacityRequest, limit: int = 10) -> list[CapacityOffer]:
    """Open offers of partner organisations whose period overlaps the request's window,
    those sharing the most of the request's competences first. With competences on the
    request, offers sharing none are left out."""
    wanted = [competence.pk for competence in request.competences.all()]
    with scopes_disabled():
        offers = (
            _with_free_hours(_visible_offers(request.organisation))
            .exclude(organisation=request.organisation)
            .filter(
                is_withdrawn=False,
                period_end__gte=max(request.window_start, timezone.localdate()),
                period_start__lte=request.window_end,
            )
            .annotate(overlap=Count("competences", filter=Q(competences__in=wanted), distinct=True))
        )
        if wanted:
            offers = offers.filter(overlap__gt=0)
        offers = offers.filter(free_hours__gt=0).order_by("-overlap", "-free_hours", "pk")
        return list(offers[:limit])


def request_company_visible(*, booking: Booking, organisation: Organisation) -> bool:
    """The company on the request is the requester's secret unless it chose to share it."""
    request = booking.request
    if request.company_id is None:
        return False
    return organisation.pk == booking.requester_id or request.share_company


BOOKING_DIRECTIONS = ("all", "incoming", "outgoing")


def booking_list(
    *, organisation: Organisation, direction: str = "all", state: str = ""
) -> QuerySet[Booking]:
    """Bookings of ``organisation``: incoming (it provides the hours), outgoing (it asked for
    them) or all."""
    bookings = Booking.objects.select_related(
        "request", "offer", "person", "requester", "provider"
    ).annotate(logged_hours=Coalesce(Sum("time_entries__hours"), Value(ZERO)))
    if direction == "incoming":
        bookings = bookings.filter(provider=organisation)
    elif direction == "outgoing":
        bookings = bookings.filter(requester=organisation)
    if state in Booking.State.values:
        bookings = bookings.filter(state=state)
    return bookings.order_by("-created_at", "-pk")


def booking_list_for_person(*, user) -> QuerySet[Booking]:
    """Bookings the user works on or proposed (within the active organisation's scope)."""
    return (
        Booking.objects.filter(Q(person=user) | Q(created_by=user))
        .select_related("request", "offer", "person", "requester", "provider")
        .annotate(logged_hours=Coalesce(Sum("time_entries__hours"), Value(ZERO)))
        .order_by("-created_at", "-pk")
    )


def booking_detail(*, pk: int) -> Booking:
    """A booking the active organisation is a party of (the scope raises DoesNotExist else)."""
    return Booking.objects.select_related(
        "request",
        "request__company",
        "offer",
        "person",
        "requester",
        "provider",
        "created_by",
        "decided_by",
    ).get(pk=pk)


def time_entry_list(*, booking: Booking) -> QuerySet[TimeEntry]:
    return TimeEntry.objects.filter(booking=booking).select_related("person", "settlement")


def loggable_bookings(*, organisation: Organisation, user) -> QuerySet[Booking]:
    """Accepted bookings of ``organisation`` on which ``user`` may log hours."""
    return (
        Booking.objects.filter(provider=organisation, state=Booking.State.ACCEPTED)
        .filter(Q(person=user) | Q(person__isnull=True))
        .select_related("request", "requester")
        .annotate(logged_hours=Coalesce(Sum("time_entries__hours"), Value(ZERO)))
        .order_by("-created_at")
    )


def time_entry_list_for_person(*, user, limit: int = 50) -> QuerySet[TimeEntry]:
    return (
        TimeEntry.objects.filter(person=user)
        .select_related("booking__request", "booking__requester", "settlement")
        .order_by("-date", "-pk")[:limit]
    )


def settlement_list(*, organisation: Organisation) -> QuerySet[Settlement]:
    return Settlement.objects.select_related("organisation_a", "organisation_b").order_by(
        "-period_end", "pk"
    )


def settlement_detail(*, pk: int) -> Settlement:
    return Settlement.objects.select_related(
        "organisation_a", "organisation_b", "approved_by_a", "approved_by_b"
    ).get(pk=pk)


def settlement_counterparts(*, organisation: Organisation) -> QuerySet[Organisation]:
    """Organisations ``organisation`` has bookings with (candidates for a settlement)."""
    ids = set()
    for requester, provider in Booking.objects.values_list("requester", "provider"):
        ids |= {requester, provider}
    ids.discard(organisation.pk)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def hours_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def request_company_choices(*, organisation: Organisation) -> QuerySet[Company]:
    """Companies of the organisation's portfolio (ever affiliated), for a request's company."""
    companies = Affiliation.objects.filter(organisation=organisation).values("company")
    return Company.objects.filter(pk__in=companies).order_by("name")


def bookable_people(*, request: CapacityRequest, limit: int = 50) -> list:
    """People of partner organisations who can be booked by name for ``request``: those with
    the most of its competences first (everyone in the networks when it names none)."""
    wanted = [competence.pk for competence in request.competences.all()]
    with scopes_disabled():
        profiles = (
            profile_directory_queryset(
                organisation=request.organisation, filters=DirectoryFilters()
            )
            .exclude(organisation=request.organisation)
            .annotate(
                overlap=Count(
                    "competences", filter=Q(competences__competence__in=wanted), distinct=True
                )
            )
            .order_by("-overlap", "user__full_name", "pk")
        )
        return list(profiles[:limit])
