"""The capacity pages and API: the loop through HTTP, bad input, the private company."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from koblingsboks.capacity.models import Booking, CapacityOffer, CapacityRequest, Settlement
from koblingsboks.capacity.tests.factories import make_booking, make_offer, make_request
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.people.tests.factories import CompetenceFactory
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/organisations"


def _as(client, user):
    client.force_login(user)
    return client


def _last_month_day():
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=5)


def test_offer_form_refuses_bad_input_and_creates(client, tenant_a):
    _as(client, tenant_a.advisor)
    response = client.post(
        "/capacity/offers/new/",
        {
            "title": "Eksport",
            "hours": "0",
            "period_start": "2030-02-01",
            "period_end": "2030-01-01",
            "hourly_rate": "900",
        },
    )
    assert response.status_code == 200
    with organisation_scope(tenant_a.organisation):
        assert not CapacityOffer.objects.exists()
    body = response.content.decode()
    assert "0,01" in body or "0.01" in body  # hours must be positive
    response = client.post(
        "/capacity/offers/new/",
        {
            "title": "Eksport",
            "hours": "12,5",
            "period_start": "2030-01-01",
            "period_end": "2030-02-01",
            "hourly_rate": "900",
        },
    )
    assert response.status_code == 302
    with organisation_scope(tenant_a.organisation):
        assert CapacityOffer.objects.get().hours == Decimal("12.5")


def test_request_page_suggests_offers_by_competence_overlap(
    client, tenant_a, tenant_b, shared_network
):
    export, customs, tourism = CompetenceFactory(), CompetenceFactory(), CompetenceFactory()
    best = make_offer(tenant_b, title="Beste treff", competences=[export, customs])
    make_offer(tenant_b, title="Ett treff", competences=[export])
    make_offer(tenant_b, title="Ingen treff", competences=[tourism])
    request = make_request(tenant_a, competences=[export, customs])
    body = _as(client, tenant_a.advisor).get(f"/capacity/requests/{request.pk}/").content.decode()
    assert body.index("Beste treff") < body.index("Ett treff")
    assert "Ingen treff" not in body
    response = client.post(
        f"/capacity/requests/{request.pk}/book/", {"offer": best.pk, "hours": "3"}
    )
    with organisation_scope(tenant_a.organisation):
        booking = Booking.objects.get()
    assert response.url == f"/capacity/bookings/{booking.pk}/"
    assert booking.hours == Decimal("3") and booking.provider == tenant_b.organisation


def test_company_stays_private_unless_shared(client, tenant_a, tenant_b, shared_network):
    secret = CompanyFactory(name="HEMMELIG KUNDE AS")
    shared = CompanyFactory(name="DELT KUNDE AS")
    private_booking = make_booking(
        tenant_a, tenant_b, request=make_request(tenant_a, company=secret)
    )
    shared_booking = make_booking(
        tenant_a, tenant_b, request=make_request(tenant_a, company=shared, share_company=True)
    )
    _as(client, tenant_b.manager)
    for url in (
        f"/capacity/bookings/{private_booking.pk}/",
        "/capacity/bookings/",
        f"{API}/{tenant_b.organisation.slug}/capacity/bookings",
        f"{API}/{tenant_b.organisation.slug}/capacity/bookings/{private_booking.pk}",
    ):
        body = client.get(url).content.decode()
        assert "HEMMELIG KUNDE" not in body and secret.org_number not in body
    assert (
        "DELT KUNDE AS" in client.get(f"/capacity/bookings/{shared_booking.pk}/").content.decode()
    )
    # The provider cannot open the request itself.
    assert client.get(f"/capacity/requests/{private_booking.request_id}/").status_code == 404
    # The requester sees its own company.
    _as(client, tenant_a.advisor)
    body = client.get(f"/capacity/bookings/{private_booking.pk}/").content.decode()
    assert "HEMMELIG KUNDE AS" in body


def test_accepting_another_organisations_booking_changes_nothing(
    client, tenant_a, tenant_b, shared_network
):
    booking = make_booking(tenant_a, tenant_b)
    _as(client, tenant_a.manager)  # the requester's manager, not the provider's
    response = client.post(f"/capacity/bookings/{booking.pk}/accept/", follow=True)
    assert "Only the organisation that provides the hours" in response.content.decode() or (
        "Bare organisasjonen" in response.content.decode()
    )
    booking.refresh_from_db()
    assert booking.state == Booking.State.PROPOSED


def test_the_loop_through_the_api(client, tenant_a, tenant_b, shared_network):
    offer = make_offer(tenant_b, hours="10", rate="1000", person=None)
    a_slug, b_slug = tenant_a.organisation.slug, tenant_b.organisation.slug
    _as(client, tenant_a.advisor)
    response = client.post(
        f"{API}/{a_slug}/capacity/requests",
        {
            "title": "Eksport",
            "need": "Toll",
            "hours": "4",
            "window_start": "2026-01-01",
            "window_end": "2030-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]
    detail = client.get(f"{API}/{a_slug}/capacity/requests/{request_id}").json()
    assert [o["id"] for o in detail["suggested_offers"]] == [offer.pk]
    response = client.post(
        f"{API}/{a_slug}/capacity/requests/{request_id}/bookings",
        {"offer_id": offer.pk, "hours": "11"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "overbooked"
    response = client.post(
        f"{API}/{a_slug}/capacity/requests/{request_id}/bookings",
        {"offer_id": offer.pk, "hours": "4"},
        content_type="application/json",
    )
    booking_id = response.json()["id"]
    assert response.json()["state"] == "proposed"
    # The requester may not accept; the provider's advisor may not either; its manager may.
    assert client.post(f"{API}/{a_slug}/capacity/bookings/{booking_id}/accept").status_code == 403
    _as(client, tenant_b.advisor)
    assert client.post(f"{API}/{b_slug}/capacity/bookings/{booking_id}/accept").status_code == 403
    _as(client, tenant_b.manager)
    response = client.post(f"{API}/{b_slug}/capacity/bookings/{booking_id}/accept")
    assert response.json()["state"] == "accepted"
    _as(client, tenant_b.advisor)
    response = client.post(
        f"{API}/{b_slug}/capacity/bookings/{booking_id}/time-entries",
        {"date": _last_month_day().isoformat(), "hours": "2.5"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    day = _last_month_day()
    _as(client, tenant_b.manager)
    response = client.post(
        f"{API}/{b_slug}/capacity/settlements",
        {"counterpart_slug": a_slug, "kind": "month", "year": day.year, "number": day.month},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    settlement = response.json()
    b_is_a = settlement["organisation_a_slug"] == b_slug
    assert Decimal(settlement["net_amount"]) == (Decimal("2500") if b_is_a else Decimal("-2500"))
    url = f"{API}/{b_slug}/capacity/settlements/{settlement['id']}/approve"
    assert client.post(url).json()["state"] == "frozen"
    second = client.post(url)
    assert second.status_code == 400 and second.json()["code"] == "state"
    _as(client, tenant_a.manager)
    response = client.post(f"{API}/{a_slug}/capacity/settlements/{settlement['id']}/approve")
    assert response.json()["state"] == "approved"


def test_settlement_pages_and_exports(client, tenant_a, tenant_b, shared_network):
    booking = make_booking(
        tenant_a, tenant_b, hours="10", accept=True, offer=make_offer(tenant_b, rate="987.50")
    )
    day = _last_month_day()
    _as(client, tenant_b.advisor)
    response = client.post(
        f"/capacity/bookings/{booking.pk}/hours/",
        {"date": day.isoformat(), "hours": "3,5", "description": "Toll"},
    )
    assert response.status_code == 302
    _as(client, tenant_a.manager)
    response = client.post(
        "/capacity/settlements/",
        {
            "counterpart": tenant_b.organisation.pk,
            "kind": "month",
            "year": day.year,
            "number": day.month,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with organisation_scope(tenant_a.organisation):
        settlement = Settlement.objects.get()
    body = client.get(f"/capacity/settlements/{settlement.pk}/").content.decode()
    assert "kr\xa03\xa0456,25" in body  # 3.5 h × 987.50, Norwegian format
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/capacity/settlements/{settlement.pk}/export.xlsx").content)
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[1][6] == 3.5 and rows[1][8] == 3456.25
    assert rows[-1][8] == 3456.25
    text = client.get(f"/capacity/settlements/{settlement.pk}/export.csv").content.decode(
        "utf-8-sig"
    )
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1][8] == "3456.25"
    assert lines[-1][4] == tenant_a.organisation.name  # A owes B


def test_empty_states(client, tenant_a):
    _as(client, tenant_a.advisor)
    assert 'data-testid="offers-empty"' in client.get("/capacity/offers/").content.decode()
    assert 'data-testid="requests-empty"' in client.get("/capacity/requests/").content.decode()
    assert 'data-testid="bookings-empty"' in client.get("/capacity/bookings/").content.decode()
    assert 'data-testid="no-loggable"' in client.get("/capacity/hours/").content.decode()
    body = client.get("/capacity/settlements/").content.decode()
    assert 'data-testid="settlements-empty"' in body


def test_request_with_window_in_wrong_order_is_refused(client, tenant_a):
    _as(client, tenant_a.advisor)
    response = client.post(
        "/capacity/requests/new/",
        {
            "title": "X",
            "need": "Y",
            "hours": "2",
            "window_start": "2030-02-01",
            "window_end": "2030-01-01",
        },
    )
    assert response.status_code == 200
    with organisation_scope(tenant_a.organisation):
        assert not CapacityRequest.objects.exists()


def test_request_page_books_a_named_person(client, tenant_a, tenant_b, shared_network):
    from koblingsboks.people.services import profile_save

    competence = CompetenceFactory()
    with organisation_scope(tenant_b.organisation):
        profile = profile_save(
            organisation=tenant_b.organisation,
            user=tenant_b.advisor,
            text="Toll",
            competences={competence.pk: 3},
            languages=[],
            sectors=[],
            actor=tenant_b.advisor,
        )
    request = make_request(tenant_a, competences=[competence])
    _as(client, tenant_a.advisor)
    body = client.get(f"/capacity/requests/{request.pk}/").content.decode()
    assert 'data-testid="propose-person-form"' in body and tenant_b.advisor.full_name in body
    response = client.post(
        f"/capacity/requests/{request.pk}/book/",
        {"profile": profile.pk, "hours": "2", "hourly_rate": "750"},
    )
    with organisation_scope(tenant_a.organisation):
        booking = Booking.objects.get()
    assert response.url == f"/capacity/bookings/{booking.pk}/"
    assert (booking.person, booking.provider, booking.hourly_rate) == (
        tenant_b.advisor,
        tenant_b.organisation,
        Decimal("750"),
    )
