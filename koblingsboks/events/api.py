"""API routes of the events app, mounted under /api/v1/.

Events an organisation hosts live under /organisations/{slug}/events…: members only (404 for
anyone else, and for events the organisation does not host); writes for every role but
observer (403). /organisations/{slug}/calendar is the joint calendar (its own, its
networks' and public events); /events/public lists public events without sign-in.
"""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from koblingsboks.api.auth import AUTH, in_organisation
from koblingsboks.api.errors import run_service
from koblingsboks.api.schemas import ErrorOut
from koblingsboks.events import selectors, services
from koblingsboks.events.models import Event, Registration
from koblingsboks.events.permissions import can_manage_events
from koblingsboks.events.schemas import (
    EventCalendarOut,
    EventDetailOut,
    EventHostsIn,
    EventIn,
    EventOut,
    EventPatchIn,
    EventPublicOut,
    EventRegistrationIn,
    EventRegistrationOut,
    EventRegistrationPatchIn,
    EventStatusIn,
)
from koblingsboks.network.models import Network, Organisation, User

router = Router(tags=["events"])


def _event(event_id: int) -> Event:
    try:
        return selectors.event_for_host(pk=event_id)
    except Event.DoesNotExist as exc:
        raise HttpError(404, "Not Found") from exc


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _network(slug: str | None, organisation: Organisation) -> Network | None:
    if not slug:
        return None
    network = Network.objects.filter(slug=slug, party_links__organisation=organisation).first()
    if network is None:
        raise HttpError(400, f"Your organisation is not a party of a network '{slug}'.")
    return network


def _responsible(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise HttpError(400, f"No user has the id {user_id}.")
    return user


def _detail(event: Event) -> Event:
    """The event with what EventDetailOut adds: registration counts and the cost split."""
    counts = selectors.registration_counts(event=event)
    split = selectors.cost_split(event=event)
    event.confirmed = counts["confirmed"]
    event.waitlisted = counts["waitlisted"]
    event.cancelled = counts["cancelled"]
    event.checked_in = counts["checked_in"]
    event.cost_total = split.total
    event.cost_split = [
        {
            "organisation_slug": part.key.organisation.slug,
            "share": part.share,
            "amount": part.amount,
        }
        for part in split.parts
    ]
    return event


# --- events ----------------------------------------------------------------------------------


@router.get(
    "/organisations/{slug}/events",
    response={200: list[EventOut], 404: ErrorOut},
    auth=AUTH,
    url_name="event_list",
)
@in_organisation()
@paginate(LimitOffsetPagination)
def event_index(
    request, slug: str, status: str = Query("", pattern=r"^(|draft|published|cancelled|held)$")
):
    """The events the organisation hosts (as lead or co-host), newest first."""
    return selectors.event_list_for_host(organisation=request.organisation, status=status)


@router.get(
    "/organisations/{slug}/calendar",
    response={200: list[EventCalendarOut], 404: ErrorOut},
    auth=AUTH,
    url_name="event_calendar",
)
@in_organisation()
@paginate(LimitOffsetPagination)
def event_calendar(
    request,
    slug: str,
    when: str = Query("upcoming", pattern=r"^(upcoming|past|all)$"),
    kind: str = "",
    audience: str = "",
    organisation_id: int | None = None,
):
    """The joint calendar: the organisation's own events, its networks' and public events."""
    filters = selectors.CalendarFilters(
        organisation=organisation_id, kind=kind, audience=audience, when=when
    )
    return selectors.event_list_visible_to(organisation=request.organisation, filters=filters)


@router.post(
    "/organisations/{slug}/events",
    response={201: EventDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="event_create",
)
@in_organisation(can_manage_events)
def event_post(request, slug: str, payload: EventIn):
    """Create a draft event with the organisation as lead host (100 % of the costs)."""
    data = payload.dict()
    data["network"] = _network(data.pop("network_slug"), request.organisation)
    data["responsible"] = _responsible(data.pop("responsible_id"))
    event = run_service(
        lambda: services.event_create(
            organisation=request.organisation, data=data, actor=request.user
        )
    )
    return Status(201, _detail(selectors.event_for_host(pk=event.pk)))


@router.get(
    "/organisations/{slug}/events/{event_id}",
    response={200: EventDetailOut, 404: ErrorOut},
    auth=AUTH,
    url_name="event_detail",
)
@in_organisation()
def event_get(request, slug: str, event_id: int):
    return _detail(_event(event_id))


@router.patch(
    "/organisations/{slug}/events/{event_id}",
    response={200: EventDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="event_update",
)
@in_organisation(can_manage_events)
def event_patch(request, slug: str, event_id: int, payload: EventPatchIn):
    event = _event(event_id)
    data = payload.dict(exclude_unset=True)
    if "network_slug" in data:
        data["network"] = _network(data.pop("network_slug"), request.organisation)
    for required in ("title", "kind", "audience", "starts_at", "ends_at", "price"):
        if required in data and data[required] is None:
            raise HttpError(400, f"{required} cannot be null.")
    run_service(
        lambda: services.event_update(
            event=event, data=data, actor=request.user, base_url=_base_url(request)
        )
    )
    return _detail(_event(event_id))


@router.post(
    "/organisations/{slug}/events/{event_id}/status",
    response={200: EventDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="event_status",
)
@in_organisation(can_manage_events)
def event_status(request, slug: str, event_id: int, payload: EventStatusIn):
    """Publish, cancel (e-mails everyone registered), mark held (sends the feedback form)."""
    event = _event(event_id)
    run_service(
        lambda: services.event_change_status(
            event=event, status=payload.status, actor=request.user, base_url=_base_url(request)
        )
    )
    return _detail(_event(event_id))


@router.put(
    "/organisations/{slug}/events/{event_id}/hosts",
    response={200: EventDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="event_hosts",
)
@in_organisation(can_manage_events)
def event_hosts(request, slug: str, event_id: int, payload: EventHostsIn):
    """Replace the hosts and their cost shares (which must sum to 100)."""
    event = _event(event_id)
    shares = []
    for host in payload.hosts:
        organisation = Organisation.objects.filter(slug=host.organisation_slug).first()
        if organisation is None:
            raise HttpError(400, f"No organisation has the short name '{host.organisation_slug}'.")
        shares.append((organisation, host.share))
    run_service(lambda: services.event_set_hosts(event=event, shares=shares, actor=request.user))
    return _detail(_event(event_id))


# --- registrations ---------------------------------------------------------------------------


@router.get(
    "/organisations/{slug}/events/{event_id}/registrations",
    response={200: list[EventRegistrationOut], 404: ErrorOut},
    auth=AUTH,
    url_name="event_registration_list",
)
@in_organisation()
@paginate(LimitOffsetPagination)
def registration_index(
    request,
    slug: str,
    event_id: int,
    status: str = Query("", pattern=r"^(|active|confirmed|waitlisted|cancelled)$"),
):
    """The event's registrations in order of registration (the waitlist's order)."""
    return selectors.registration_list(event=_event(event_id), status=status)


@router.post(
    "/organisations/{slug}/events/{event_id}/registrations",
    response={201: EventRegistrationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="event_registration_create",
)
@in_organisation(can_manage_events)
def registration_post(request, slug: str, event_id: int, payload: EventRegistrationIn):
    """Register somebody (a confirmed seat while there is one, else the waitlist)."""
    event = _event(event_id)
    registration = run_service(
        lambda: services.registration_create(
            event=event,
            source=Registration.Source.API,
            actor=request.user,
            base_url=_base_url(request),
            language=getattr(request, "LANGUAGE_CODE", "nb"),
            **payload.dict(),
        )
    )
    return Status(201, registration)


@router.patch(
    "/organisations/{slug}/events/{event_id}/registrations/{registration_id}",
    response={200: EventRegistrationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="event_registration_update",
)
@in_organisation(can_manage_events)
def registration_patch(
    request, slug: str, event_id: int, registration_id: int, payload: EventRegistrationPatchIn
):
    """Check a participant in (or undo it), or cancel the registration."""
    event = _event(event_id)
    registration = get_object_or_404(
        Registration.objects.select_related("event"), pk=registration_id, event=event
    )
    if payload.status not in (None, Registration.Status.CANCELLED):
        raise HttpError(400, "status can only be set to 'cancelled'.")
    if payload.checked_in is not None:
        registration = run_service(
            lambda: services.registration_set_attendance(
                registration=registration, attended=payload.checked_in, actor=request.user
            )
        )
    if payload.status == Registration.Status.CANCELLED:
        registration = run_service(
            lambda: services.registration_cancel(
                registration=registration, actor=request.user, base_url=_base_url(request)
            )
        )
    return Registration.objects.get(pk=registration.pk)


# --- public ----------------------------------------------------------------------------------


@router.get("/events/public", response=list[EventPublicOut], url_name="event_public_list")
def public_events(request):
    """Upcoming public events of every organisation (no sign-in)."""
    events = selectors.public_event_list()
    for event in events:
        event.url = request.build_absolute_uri(f"/e/{event.public_id}/")
    return events
