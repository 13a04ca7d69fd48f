"""People and capacity in the shared tenant-isolation test (tests/isolation/plugins.py).

Each tenant gets a partner garden it shares a network with (not shared with the other
tenant), and then, on both sides of a booking:

- a competence profile of its advisor (text is a canary);
- its own offer (hours of the organisation, no named person) and the partner's offer;
- its own request naming a private company (not shared: the company's name is a canary, and
  so are the request's title and need), booked on the partner's offer (``booking_out``);
- the partner's request booked on the tenant's offer, proposed (``booking_in``) and accepted
  with hours logged last month (``booking_accepted``, ``time_entry``);
- an open settlement with the partner for last month.

Tenant A shares no network with B, so nothing of B's — not its offers, its people or the
company on its request — may reach A through any page or API route.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from koblingsboks.capacity.models import (
    Booking,
    CapacityOffer,
    CapacityRequest,
    Settlement,
    TimeEntry,
)
from koblingsboks.capacity.services import (
    booking_accept,
    booking_propose,
    offer_create,
    request_create,
    settlement_open,
    time_entry_log,
)
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Role
from koblingsboks.people.models import Profile
from koblingsboks.people.services import profile_save
from koblingsboks.people.tests.factories import CompetenceFactory
from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    NetworkPartyFactory,
    OrganisationFactory,
)
from tests.isolation.entries import ObjectUrl, Public, ScopedList


def _last_month_day() -> datetime.date:
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=20)


def _offer(org, actor, *, title, person=None):
    today = timezone.localdate()
    with organisation_scope(org):
        return offer_create(
            organisation=org,
            person=person,
            title=title,
            description=f"{title}: description",
            competences=[],
            hours=Decimal("40"),
            period_start=today - datetime.timedelta(days=90),
            period_end=today + datetime.timedelta(days=90),
            hourly_rate=Decimal("950"),
            actor=actor,
        )


def _request(org, actor, *, title, need, company=None):
    today = timezone.localdate()
    with organisation_scope(org):
        return request_create(
            organisation=org,
            title=title,
            need=need,
            competences=[],
            hours=Decimal("8"),
            window_start=today - datetime.timedelta(days=60),
            window_end=today + datetime.timedelta(days=60),
            company=company,
            share_company=False,
            actor=actor,
        )


def _propose(request, offer, actor):
    with organisation_scope(request.organisation):
        return booking_propose(request=request, offer=offer, hours=Decimal("4"), actor=actor)


def tenant_data(tenant, label, data) -> dict:
    org = tenant.organisation
    partner = OrganisationFactory(name=f"Partner garden {label}")
    with scopes_disabled():
        partner_manager = MembershipFactory(organisation=partner, role=Role.MANAGER).user
    network = NetworkPartyFactory(
        organisation=org, is_coordinator=True, network__name=f"Capacity network {label}"
    )
    NetworkPartyFactory(network=network.network, organisation=partner)
    competence = CompetenceFactory()
    with organisation_scope(org):
        profile = profile_save(
            organisation=org,
            user=tenant.advisor,
            text=f"Canary profile text {label}",
            competences={competence.pk: 3},
            languages=["nb"],
            sectors=["C"],
            actor=tenant.advisor,
        )
    offer = _offer(org, tenant.manager, title=f"Canary offer {label}")
    partner_offer = _offer(partner, partner_manager, title=f"Canary partner offer {label}")
    company = CompanyFactory(name=f"CANARY PRIVATE COMPANY {label.upper()} AS")
    capacity_request = _request(
        org,
        tenant.advisor,
        title=f"Canary request {label}",
        need=f"Canary need {label}",
        company=company,
    )
    booking_out = _propose(capacity_request, partner_offer, tenant.advisor)
    partner_request = _request(
        partner, partner_manager, title=f"Canary partner request {label}", need="Partner need"
    )
    booking_in = _propose(partner_request, offer, partner_manager)
    booking_accepted = _propose(partner_request, offer, partner_manager)
    with organisation_scope(org):
        booking_accept(booking=booking_accepted, organisation=org, actor=tenant.manager)
        entry = time_entry_log(
            booking=booking_accepted,
            organisation=org,
            date=_last_month_day(),
            hours=Decimal("2.5"),
            description=f"Canary work {label}",
            actor=tenant.advisor,
        )
        day = _last_month_day()
        settlement = settlement_open(
            organisation=org,
            counterpart=partner,
            kind="month",
            year=day.year,
            number=day.month,
            actor=tenant.manager,
        )
    data.canaries += [
        profile.text,
        offer.title,
        partner_offer.title,
        capacity_request.title,
        capacity_request.need,
        company.name,
        partner_request.title,
        entry.description,
    ]
    return {
        "competence": competence,
        "profile": profile,
        "offer": offer,
        "partner": partner,
        "partner_offer": partner_offer,
        "capacity_request": capacity_request,
        "private_company": company,
        "booking_out": booking_out,
        "booking_in": booking_in,
        "booking_accepted": booking_accepted,
        "time_entry": entry,
        "settlement": settlement,
    }


def snapshot(data) -> dict[str, list]:
    with organisation_scope(data.organisation):
        return {
            "profiles": list(Profile.objects.order_by("pk").values()),
            "offers": list(CapacityOffer.objects.order_by("pk").values()),
            "requests": list(CapacityRequest.objects.order_by("pk").values()),
            "bookings": list(Booking.objects.order_by("pk").values()),
            "time entries": list(TimeEntry.objects.order_by("pk").values()),
            "settlements": list(Settlement.objects.order_by("pk").values()),
        }


def _slug(t):
    return {"slug": t.organisation.slug}


def _pk(name):
    return lambda t: {"pk": getattr(t, name).pk}


def _api(name, key):
    return lambda t: {key: getattr(t, name).pk}


TIME_DATA = {"date": "2020-01-06", "hours": "1", "description": "Other organisation"}

ENTRIES = [
    # --- people ---
    ("people:directory", ScopedList(shows=lambda t: [t.profile.text])),
    ("people:profile-detail", ObjectUrl(kwargs=_pk("profile"), methods=("GET",))),
    ("people:profile-edit", ScopedList(shows=lambda t: [t.organisation.name])),
    ("people:taxonomy", Public("the competence taxonomy is shared by the whole platform")),
    (
        "people:area-create",
        Public("adds to the shared taxonomy; network coordinators only, no tenant data"),
    ),
    (
        "people:competence-create",
        Public("adds to the shared taxonomy; network coordinators only, no tenant data"),
    ),
    (
        "people:competence-rename",
        Public(
            "renames a competence of the shared taxonomy; network coordinators only",
            kwargs=lambda t: {"pk": t.competence.pk},
        ),
    ),
    ("api:competence_list", Public("the competence taxonomy is shared by the whole platform")),
    (
        "api:competence_create",
        ObjectUrl(
            kwargs=_slug,
            data=lambda t: {"area_id": t.competence.area_id, "name_nb": "Ny", "name_en": "New"},
            methods=("POST",),
        ),
    ),
    ("api:people_directory", ScopedList(shows=lambda t: [t.profile.text], kwargs=_slug)),
    (
        "api:people_profile_detail",
        ObjectUrl(kwargs=_api("profile", "profile_id"), context=_slug, methods=("GET",)),
    ),
    (
        "api:people_profile_save",
        ObjectUrl(kwargs=_slug, data=lambda t: {"text": "Changed by another"}, methods=("PUT",)),
    ),
    # --- capacity pages ---
    ("capacity:offers", ScopedList(shows=lambda t: [t.offer.title, t.partner_offer.title])),
    ("capacity:offer-create", ScopedList(shows=lambda t: [t.users[2].full_name])),
    ("capacity:offer-detail", ObjectUrl(kwargs=_pk("offer"), methods=("GET",))),
    ("capacity:offer-withdraw", ObjectUrl(kwargs=_pk("offer"), methods=("POST",))),
    ("capacity:requests", ScopedList(shows=lambda t: [t.capacity_request.title])),
    ("capacity:request-create", ScopedList(shows=lambda t: [t.company.name])),
    (
        "capacity:request-detail",
        ObjectUrl(kwargs=_pk("capacity_request"), methods=("GET",)),
    ),
    ("capacity:request-close", ObjectUrl(kwargs=_pk("capacity_request"), methods=("POST",))),
    (
        "capacity:booking-propose",
        ObjectUrl(
            kwargs=_pk("capacity_request"),
            data=lambda t: {"offer": t.partner_offer.pk, "hours": "2"},
            methods=("POST",),
        ),
    ),
    ("capacity:bookings", ScopedList(shows=lambda t: [t.capacity_request.title])),
    ("capacity:my-bookings", ScopedList(shows=lambda t: [t.organisation.name])),
    ("capacity:booking-detail", ObjectUrl(kwargs=_pk("booking_out"), methods=("GET",))),
    ("capacity:booking-accept", ObjectUrl(kwargs=_pk("booking_in"), methods=("POST",))),
    (
        "capacity:booking-decline",
        ObjectUrl(kwargs=_pk("booking_in"), data=lambda t: {"note": "x"}, methods=("POST",)),
    ),
    ("capacity:booking-cancel", ObjectUrl(kwargs=_pk("booking_in"), methods=("POST",))),
    ("capacity:booking-complete", ObjectUrl(kwargs=_pk("booking_accepted"), methods=("POST",))),
    (
        "capacity:booking-extend",
        ObjectUrl(
            kwargs=_pk("booking_accepted"),
            data=lambda t: {"hours": "1", "reason": "More work"},
            methods=("POST",),
        ),
    ),
    (
        "capacity:time-entry-create",
        ObjectUrl(kwargs=_pk("booking_accepted"), data=lambda t: TIME_DATA, methods=("POST",)),
    ),
    ("capacity:time-log", ScopedList(shows=lambda t: [t.booking_accepted.request.title])),
    ("capacity:time-entry-delete", ObjectUrl(kwargs=_pk("time_entry"), methods=("POST",))),
    ("capacity:settlements", ScopedList(shows=lambda t: [t.partner.name])),
    ("capacity:settlement-detail", ObjectUrl(kwargs=_pk("settlement"), methods=("GET",))),
    ("capacity:settlement-approve", ObjectUrl(kwargs=_pk("settlement"), methods=("POST",))),
    ("capacity:settlement-export-csv", ObjectUrl(kwargs=_pk("settlement"), methods=("GET",))),
    ("capacity:settlement-export-xlsx", ObjectUrl(kwargs=_pk("settlement"), methods=("GET",))),
    # --- capacity API ---
    (
        "api:capacity_offer_list",
        ScopedList(shows=lambda t: [t.offer.title, t.partner_offer.title], kwargs=_slug),
    ),
    (
        "api:capacity_offer_create",
        ObjectUrl(
            kwargs=_slug,
            data=lambda t: {
                "title": "Offer by another organisation",
                "hours": "5",
                "period_start": "2030-01-01",
                "period_end": "2030-02-01",
                "hourly_rate": "500",
            },
            methods=("POST",),
        ),
    ),
    (
        "api:capacity_offer_detail",
        ObjectUrl(kwargs=_api("offer", "offer_id"), context=_slug, methods=("GET",)),
    ),
    (
        "api:capacity_offer_withdraw",
        ObjectUrl(kwargs=_api("offer", "offer_id"), context=_slug, methods=("POST",)),
    ),
    (
        "api:capacity_request_list",
        ScopedList(shows=lambda t: [t.capacity_request.title], kwargs=_slug),
    ),
    (
        "api:capacity_request_create",
        ObjectUrl(
            kwargs=_slug,
            data=lambda t: {
                "title": "Request by another organisation",
                "need": "Help",
                "hours": "3",
                "window_start": "2030-01-01",
                "window_end": "2030-02-01",
            },
            methods=("POST",),
        ),
    ),
    (
        "api:capacity_request_detail",
        ObjectUrl(kwargs=_api("capacity_request", "request_id"), context=_slug, methods=("GET",)),
    ),
    (
        "api:capacity_request_close",
        ObjectUrl(kwargs=_api("capacity_request", "request_id"), context=_slug, methods=("POST",)),
    ),
    (
        "api:capacity_booking_propose",
        ObjectUrl(
            kwargs=_api("capacity_request", "request_id"),
            context=_slug,
            data=lambda t: {"offer_id": t.partner_offer.pk, "hours": "2"},
            methods=("POST",),
        ),
    ),
    (
        "api:capacity_booking_list",
        ScopedList(shows=lambda t: [t.capacity_request.title], kwargs=_slug),
    ),
    (
        "api:capacity_booking_detail",
        ObjectUrl(kwargs=_api("booking_out", "booking_id"), context=_slug, methods=("GET",)),
    ),
    (
        "api:capacity_booking_accept",
        ObjectUrl(kwargs=_api("booking_in", "booking_id"), context=_slug, methods=("POST",)),
    ),
    (
        "api:capacity_booking_decline",
        ObjectUrl(
            kwargs=_api("booking_in", "booking_id"),
            context=_slug,
            data=lambda t: {"note": "No"},
            methods=("POST",),
        ),
    ),
    (
        "api:capacity_booking_cancel",
        ObjectUrl(kwargs=_api("booking_in", "booking_id"), context=_slug, methods=("POST",)),
    ),
    (
        "api:capacity_booking_complete",
        ObjectUrl(kwargs=_api("booking_accepted", "booking_id"), context=_slug, methods=("POST",)),
    ),
    (
        "api:capacity_booking_extend",
        ObjectUrl(
            kwargs=_api("booking_accepted", "booking_id"),
            context=_slug,
            data=lambda t: {"hours": "1", "reason": "More"},
            methods=("POST",),
        ),
    ),
    (
        "api:capacity_time_entry_list",
        ObjectUrl(kwargs=_api("booking_accepted", "booking_id"), context=_slug, methods=("GET",)),
    ),
    (
        "api:capacity_time_entry_create",
        ObjectUrl(
            kwargs=_api("booking_accepted", "booking_id"),
            context=_slug,
            data=lambda t: TIME_DATA,
            methods=("POST",),
        ),
    ),
    (
        "api:capacity_time_entry_delete",
        ObjectUrl(kwargs=_api("time_entry", "entry_id"), context=_slug, methods=("DELETE",)),
    ),
    ("api:capacity_settlement_list", ScopedList(shows=lambda t: [t.partner.slug], kwargs=_slug)),
    (
        "api:capacity_settlement_create",
        ObjectUrl(
            kwargs=_slug,
            data=lambda t: {
                "counterpart_slug": t.partner.slug,
                "kind": "quarter",
                "year": 2020,
                "number": 1,
            },
            methods=("POST",),
        ),
    ),
    (
        "api:capacity_settlement_detail",
        ObjectUrl(kwargs=_api("settlement", "settlement_id"), context=_slug, methods=("GET",)),
    ),
    (
        "api:capacity_settlement_approve",
        ObjectUrl(kwargs=_api("settlement", "settlement_id"), context=_slug, methods=("POST",)),
    ),
]

_BASE = "/api/v1/organisations/{slug}/capacity"
API_OPERATIONS = {
    ("get", "/api/v1/competences"),
    ("post", "/api/v1/organisations/{slug}/competences"),
    ("get", "/api/v1/organisations/{slug}/people"),
    ("get", "/api/v1/organisations/{slug}/people/{profile_id}"),
    ("put", "/api/v1/organisations/{slug}/profile"),
    ("get", f"{_BASE}/offers"),
    ("post", f"{_BASE}/offers"),
    ("get", f"{_BASE}/offers/{{offer_id}}"),
    ("post", f"{_BASE}/offers/{{offer_id}}/withdraw"),
    ("get", f"{_BASE}/requests"),
    ("post", f"{_BASE}/requests"),
    ("get", f"{_BASE}/requests/{{request_id}}"),
    ("post", f"{_BASE}/requests/{{request_id}}/close"),
    ("post", f"{_BASE}/requests/{{request_id}}/bookings"),
    ("get", f"{_BASE}/bookings"),
    ("get", f"{_BASE}/bookings/{{booking_id}}"),
    ("post", f"{_BASE}/bookings/{{booking_id}}/accept"),
    ("post", f"{_BASE}/bookings/{{booking_id}}/decline"),
    ("post", f"{_BASE}/bookings/{{booking_id}}/cancel"),
    ("post", f"{_BASE}/bookings/{{booking_id}}/complete"),
    ("post", f"{_BASE}/bookings/{{booking_id}}/extend"),
    ("get", f"{_BASE}/bookings/{{booking_id}}/time-entries"),
    ("post", f"{_BASE}/bookings/{{booking_id}}/time-entries"),
    ("delete", f"{_BASE}/time-entries/{{entry_id}}"),
    ("get", f"{_BASE}/settlements"),
    ("post", f"{_BASE}/settlements"),
    ("get", f"{_BASE}/settlements/{{settlement_id}}"),
    ("post", f"{_BASE}/settlements/{{settlement_id}}/approve"),
}
