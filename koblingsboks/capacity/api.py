"""API routes of capacity, mounted under /api/v1/, all under /organisations/{slug}/capacity/:
members only (404 for anyone else). Offers are read network-wide; requests are the
organisation's own; bookings, time entries and settlements those it is a party of."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from koblingsboks.api.auth import AUTH, in_organisation
from koblingsboks.api.errors import run_service
from koblingsboks.api.schemas import ErrorOut
from koblingsboks.capacity import permissions, selectors, services
from koblingsboks.capacity.models import (
    Booking,
    CapacityOffer,
    CapacityRequest,
    Settlement,
    TimeEntry,
)
from koblingsboks.capacity.schemas import (
    CapacityBookingOut,
    CapacityDeclineIn,
    CapacityExtendIn,
    CapacityOfferIn,
    CapacityOfferOut,
    CapacityProposeIn,
    CapacityRequestDetailOut,
    CapacityRequestIn,
    CapacityRequestOut,
    CapacitySettlementDetailOut,
    CapacitySettlementIn,
    CapacitySettlementOut,
    CapacityTimeEntryIn,
    CapacityTimeEntryOut,
)
from koblingsboks.network.models import Membership, Organisation
from koblingsboks.people.models import Competence, Profile
from koblingsboks.people.selectors import profile_visible_to

router = Router(tags=["capacity"])
BASE = "/organisations/{slug}/capacity"
OBJECT = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _competences(ids: list[int]) -> list[Competence]:
    competences = list(Competence.objects.filter(pk__in=ids))
    if len(competences) != len(set(ids)):
        raise HttpError(400, "Unknown competence id.")
    return competences


def _booking(booking_id: int) -> Booking:
    try:
        return selectors.booking_detail(pk=booking_id)
    except Booking.DoesNotExist as exc:
        raise HttpError(404, "Not Found") from exc


def _booking_out(booking: Booking, organisation: Organisation) -> dict:
    visible = selectors.request_company_visible(booking=booking, organisation=organisation)
    return {
        **{
            name: getattr(booking, name)
            for name in CapacityBookingOut.model_fields
            if hasattr(booking, name)
        },
        "request_title": booking.request.title,
        "need": booking.request.need,
        "company_org_number": booking.request.company.org_number if visible else None,
        "requester_slug": booking.requester.slug,
        "provider_slug": booking.provider.slug,
    }


def _settlement(settlement_id: int) -> Settlement:
    try:
        return selectors.settlement_detail(pk=settlement_id)
    except Settlement.DoesNotExist as exc:
        raise HttpError(404, "Not Found") from exc


def _settlement_out(settlement: Settlement, *, lines: bool = False) -> dict:
    totals = services.settlement_totals(settlement)
    data = {
        "id": settlement.pk,
        "organisation_a_slug": settlement.organisation_a.slug,
        "organisation_b_slug": settlement.organisation_b.slug,
        "kind": settlement.kind,
        "period_start": settlement.period_start,
        "period_end": settlement.period_end,
        "state": settlement.state,
        **totals,
        "net_amount": totals["amount_a_for_b"] - totals["amount_b_for_a"],
        "approved_at_a": settlement.approved_at_a,
        "approved_at_b": settlement.approved_at_b,
    }
    if lines:
        data["lines"] = services.settlement_lines(settlement)
    return data


# --- offers --------------------------------------------------------------------------------


@router.get(
    f"{BASE}/offers",
    response={200: list[CapacityOfferOut], 404: ErrorOut},
    auth=AUTH,
    url_name="capacity_offer_list",
)
@in_organisation()
def offer_index(
    request,
    slug: str,
    competence: int | None = None,
    organisation: int | None = None,
    include_past: bool = False,
    sort: str = Query("start", pattern=r"^(start|rate|-free|organisation)$"),
    page: int = Query(1, ge=1),
):
    """Offers of every organisation sharing a network with this one (25 per page)."""
    filters = selectors.OfferFilters(
        competence=competence, organisation=organisation, include_past=include_past, sort=sort
    )
    result = selectors.offer_list_visible_to(
        organisation=request.organisation, filters=filters, page=page
    )
    return result.object_list if result.number == page else []


@router.post(
    f"{BASE}/offers",
    response={201: CapacityOfferOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_offer_create",
)
@in_organisation(permissions.can_write)
def offer_post(request, slug: str, payload: CapacityOfferIn):
    person = None
    if payload.person_id is not None:
        membership = (
            Membership.objects.filter(organisation=request.organisation, user_id=payload.person_id)
            .select_related("user")
            .first()
        )
        if membership is None:
            raise HttpError(400, "No member of this organisation has that user id.")
        person = membership.user
    offer = run_service(
        lambda: services.offer_create(
            organisation=request.organisation,
            person=person,
            title=payload.title,
            description=payload.description,
            competences=_competences(payload.competence_ids),
            hours=payload.hours,
            period_start=payload.period_start,
            period_end=payload.period_end,
            hourly_rate=payload.hourly_rate,
            actor=request.user,
        )
    )
    return Status(201, selectors.offer_visible_to(organisation=request.organisation, pk=offer.pk))


@router.get(
    f"{BASE}/offers/{{offer_id}}",
    response={200: CapacityOfferOut, 404: ErrorOut},
    auth=AUTH,
    url_name="capacity_offer_detail",
)
@in_organisation()
def offer_get(request, slug: str, offer_id: int):
    try:
        return selectors.offer_visible_to(organisation=request.organisation, pk=offer_id)
    except CapacityOffer.DoesNotExist as exc:
        raise HttpError(404, "Not Found") from exc


@router.post(
    f"{BASE}/offers/{{offer_id}}/withdraw",
    response={200: CapacityOfferOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_offer_withdraw",
)
@in_organisation(permissions.can_write)
def offer_withdraw(request, slug: str, offer_id: int):
    offer = get_object_or_404(CapacityOffer, pk=offer_id)  # scoped: own offers only
    run_service(lambda: services.offer_withdraw(offer=offer, actor=request.user))
    return selectors.offer_visible_to(organisation=request.organisation, pk=offer.pk)


# --- requests ------------------------------------------------------------------------------


@router.get(
    f"{BASE}/requests",
    response={200: list[CapacityRequestOut], 404: ErrorOut},
    auth=AUTH,
    url_name="capacity_request_list",
)
@in_organisation()
@paginate(LimitOffsetPagination)
def request_index(request, slug: str, status: str = Query("open", pattern=r"^(open|closed|all)$")):
    """The organisation's own requests."""
    return selectors.request_list(organisation=request.organisation, status=status)


@router.post(
    f"{BASE}/requests",
    response={201: CapacityRequestOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_request_create",
)
@in_organisation(permissions.can_write)
def request_post(request, slug: str, payload: CapacityRequestIn):
    company = None
    if payload.company_org_number:
        company = (
            selectors.request_company_choices(organisation=request.organisation)
            .filter(org_number=payload.company_org_number)
            .first()
        )
        if company is None:
            raise HttpError(400, "The company is not in your organisation's portfolio.")
    capacity_request = run_service(
        lambda: services.request_create(
            organisation=request.organisation,
            title=payload.title,
            need=payload.need,
            competences=_competences(payload.competence_ids),
            hours=payload.hours,
            window_start=payload.window_start,
            window_end=payload.window_end,
            company=company,
            share_company=payload.share_company,
            actor=request.user,
        )
    )
    return Status(201, capacity_request)


def _request(request, request_id: int) -> CapacityRequest:
    try:
        return selectors.request_detail(organisation=request.organisation, pk=request_id)
    except CapacityRequest.DoesNotExist as exc:
        raise HttpError(404, "Not Found") from exc


@router.get(
    f"{BASE}/requests/{{request_id}}",
    response={200: CapacityRequestDetailOut, 404: ErrorOut},
    auth=AUTH,
    url_name="capacity_request_detail",
)
@in_organisation()
def request_get(request, slug: str, request_id: int):
    """One of the organisation's requests, with suggested offers."""
    capacity_request = _request(request, request_id)
    capacity_request.suggested_offers = selectors.suggested_offers(request=capacity_request)
    return capacity_request


@router.post(
    f"{BASE}/requests/{{request_id}}/close",
    response={200: CapacityRequestOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_request_close",
)
@in_organisation(permissions.can_write)
def request_close(request, slug: str, request_id: int):
    capacity_request = _request(request, request_id)
    return run_service(lambda: services.request_close(request=capacity_request, actor=request.user))


@router.post(
    f"{BASE}/requests/{{request_id}}/bookings",
    response={201: CapacityBookingOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_booking_propose",
)
@in_organisation(permissions.can_write)
def booking_post(request, slug: str, request_id: int, payload: CapacityProposeIn):
    """Book hours of an offer, or of a named person at a proposed rate, for the request; the
    provider's managers are told."""
    capacity_request = _request(request, request_id)
    target = {"offer": None, "person": None, "provider": None, "hourly_rate": None}
    try:
        if payload.offer_id is not None:
            target["offer"] = selectors.offer_visible_to(
                organisation=request.organisation, pk=payload.offer_id
            )
        elif payload.profile_id is not None:
            profile = profile_visible_to(organisation=request.organisation, pk=payload.profile_id)
            target.update(
                person=profile.user,
                provider=profile.organisation,
                hourly_rate=payload.hourly_rate,
            )
        else:
            raise HttpError(400, "Give offer_id, or profile_id with hourly_rate.")
    except (CapacityOffer.DoesNotExist, Profile.DoesNotExist) as exc:
        raise HttpError(404, "No such offer or person in your networks.") from exc
    booking = run_service(
        lambda: services.booking_propose(
            request=capacity_request,
            hours=payload.hours,
            message=payload.message,
            actor=request.user,
            **target,
        )
    )
    return Status(201, _booking_out(_booking(booking.pk), request.organisation))


# --- bookings ------------------------------------------------------------------------------


@router.get(
    f"{BASE}/bookings",
    response={200: list[CapacityBookingOut], 404: ErrorOut},
    auth=AUTH,
    url_name="capacity_booking_list",
)
@in_organisation()
@paginate(LimitOffsetPagination)
def booking_index(
    request,
    slug: str,
    direction: str = Query("all", pattern=r"^(all|incoming|outgoing)$"),
    state: str = Query("", pattern=r"^(|proposed|accepted|completed|declined|cancelled)$"),
):
    """Incoming (the organisation provides the hours), outgoing (it asked) or all."""
    bookings = selectors.booking_list(
        organisation=request.organisation, direction=direction, state=state
    ).select_related("request__company")
    return [_booking_out(booking, request.organisation) for booking in bookings]


@router.get(
    f"{BASE}/bookings/{{booking_id}}",
    response={200: CapacityBookingOut, 404: ErrorOut},
    auth=AUTH,
    url_name="capacity_booking_detail",
)
@in_organisation()
def booking_get(request, slug: str, booking_id: int):
    return _booking_out(_booking(booking_id), request.organisation)


def _decision(request, booking_id: int, action) -> dict:
    booking = _booking(booking_id)
    run_service(lambda: action(booking))
    return _booking_out(_booking(booking_id), request.organisation)


@router.post(
    f"{BASE}/bookings/{{booking_id}}/accept",
    response={200: CapacityBookingOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_booking_accept",
)
@in_organisation()
def booking_accept(request, slug: str, booking_id: int):
    """The provider's manager accepts; 400 (code overbooked) when the offer is full."""
    return _decision(
        request,
        booking_id,
        lambda booking: services.booking_accept(
            booking=booking, organisation=request.organisation, actor=request.user
        ),
    )


@router.post(
    f"{BASE}/bookings/{{booking_id}}/decline",
    response={200: CapacityBookingOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_booking_decline",
)
@in_organisation()
def booking_decline(request, slug: str, booking_id: int, payload: CapacityDeclineIn):
    return _decision(
        request,
        booking_id,
        lambda booking: services.booking_decline(
            booking=booking,
            organisation=request.organisation,
            actor=request.user,
            note=payload.note,
        ),
    )


@router.post(
    f"{BASE}/bookings/{{booking_id}}/cancel",
    response={200: CapacityBookingOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_booking_cancel",
)
@in_organisation()
def booking_cancel(request, slug: str, booking_id: int):
    return _decision(
        request,
        booking_id,
        lambda booking: services.booking_cancel(
            booking=booking, organisation=request.organisation, actor=request.user
        ),
    )


@router.post(
    f"{BASE}/bookings/{{booking_id}}/complete",
    response={200: CapacityBookingOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_booking_complete",
)
@in_organisation()
def booking_complete(request, slug: str, booking_id: int):
    return _decision(
        request,
        booking_id,
        lambda booking: services.booking_complete(
            booking=booking, organisation=request.organisation, actor=request.user
        ),
    )


@router.post(
    f"{BASE}/bookings/{{booking_id}}/extend",
    response={200: CapacityBookingOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_booking_extend",
)
@in_organisation()
def booking_extend(request, slug: str, booking_id: int, payload: CapacityExtendIn):
    """More hours on an accepted booking, with a reason (audited)."""
    return _decision(
        request,
        booking_id,
        lambda booking: services.booking_extend(
            booking=booking,
            organisation=request.organisation,
            hours=payload.hours,
            reason=payload.reason,
            actor=request.user,
        ),
    )


# --- time entries --------------------------------------------------------------------------


@router.get(
    f"{BASE}/bookings/{{booking_id}}/time-entries",
    response={200: list[CapacityTimeEntryOut], 404: ErrorOut},
    auth=AUTH,
    url_name="capacity_time_entry_list",
)
@in_organisation()
def time_entry_index(request, slug: str, booking_id: int):
    return list(selectors.time_entry_list(booking=_booking(booking_id)))


@router.post(
    f"{BASE}/bookings/{{booking_id}}/time-entries",
    response={201: CapacityTimeEntryOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_time_entry_create",
)
@in_organisation()
def time_entry_post(request, slug: str, booking_id: int, payload: CapacityTimeEntryIn):
    """Log hours you worked on an accepted booking of your organisation."""
    booking = _booking(booking_id)
    entry = run_service(
        lambda: services.time_entry_log(
            booking=booking,
            organisation=request.organisation,
            date=payload.date,
            hours=payload.hours,
            description=payload.description,
            actor=request.user,
        )
    )
    return Status(201, entry)


@router.delete(
    f"{BASE}/time-entries/{{entry_id}}",
    response={204: None, **OBJECT},
    auth=AUTH,
    url_name="capacity_time_entry_delete",
)
@in_organisation()
def time_entry_remove(request, slug: str, entry_id: int):
    entry = get_object_or_404(TimeEntry.objects.select_related("booking"), pk=entry_id)
    run_service(
        lambda: services.time_entry_delete(
            entry=entry, organisation=request.organisation, actor=request.user
        )
    )
    return Status(204, None)


# --- settlements ---------------------------------------------------------------------------


@router.get(
    f"{BASE}/settlements",
    response={200: list[CapacitySettlementOut], 404: ErrorOut},
    auth=AUTH,
    url_name="capacity_settlement_list",
)
@in_organisation()
@paginate(LimitOffsetPagination)
def settlement_index(request, slug: str):
    settlements = selectors.settlement_list(organisation=request.organisation)
    return [_settlement_out(settlement) for settlement in settlements]


@router.post(
    f"{BASE}/settlements",
    response={201: CapacitySettlementDetailOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_settlement_create",
)
@in_organisation(permissions.can_decide)
def settlement_post(request, slug: str, payload: CapacitySettlementIn):
    """Open the settlement with another organisation for a month or a quarter."""
    counterpart = Organisation.objects.filter(slug=payload.counterpart_slug).first()
    if counterpart is None:
        raise HttpError(400, "No organisation has that slug.")
    settlement = run_service(
        lambda: services.settlement_open(
            organisation=request.organisation,
            counterpart=counterpart,
            kind=payload.kind,
            year=payload.year,
            number=payload.number,
            actor=request.user,
        )
    )
    return Status(201, _settlement_out(_settlement(settlement.pk), lines=True))


@router.get(
    f"{BASE}/settlements/{{settlement_id}}",
    response={200: CapacitySettlementDetailOut, 404: ErrorOut},
    auth=AUTH,
    url_name="capacity_settlement_detail",
)
@in_organisation()
def settlement_get(request, slug: str, settlement_id: int):
    """The settlement's lines and totals (live while open, frozen after an approval)."""
    return _settlement_out(_settlement(settlement_id), lines=True)


@router.post(
    f"{BASE}/settlements/{{settlement_id}}/approve",
    response={200: CapacitySettlementDetailOut, **OBJECT},
    auth=AUTH,
    url_name="capacity_settlement_approve",
)
@in_organisation()
def settlement_approve(request, slug: str, settlement_id: int):
    settlement = _settlement(settlement_id)
    run_service(
        lambda: services.settlement_approve(
            settlement=settlement, organisation=request.organisation, actor=request.user
        )
    )
    return _settlement_out(_settlement(settlement_id), lines=True)
