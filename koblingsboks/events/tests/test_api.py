"""The events API: hosts' events, the calendar, registrations, and their refusals."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from koblingsboks.api.services import api_token_create
from koblingsboks.events.tests.factories import make_event

pytestmark = pytest.mark.django_db
API = "/api/v1"
JSON = "application/json"


def _bearer(user) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _url(tenant, rest=""):
    return f"{API}/organisations/{tenant.organisation.slug}{rest}"


def _event_payload(**overrides):
    starts = (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0)
    data = {
        "title": "Vekstkurs",
        "kind": "course",
        "audience": "public",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + datetime.timedelta(hours=3)).isoformat(),
        "location": "Oppdal",
        "capacity": 1,
        "price": "450.00",
        "description": "Tre timer om vekst.",
    }
    data.update(overrides)
    return data


def test_create_publish_register_and_waitlist(tenant_a, run):
    client = _bearer(tenant_a.advisor)
    response = client.post(_url(tenant_a, "/events"), _event_payload(), content_type=JSON)
    assert response.status_code == 201, response.content
    event = response.json()
    assert event["status"] == "draft"
    assert event["hosts"] == [
        {
            "organisation_id": tenant_a.organisation.pk,
            "organisation_slug": tenant_a.organisation.slug,
            "organisation_name": tenant_a.organisation.name,
            "share": "100.00",
        }
    ]
    base = _url(tenant_a, f"/events/{event['id']}")
    assert (
        client.post(f"{base}/status", {"status": "published"}, content_type=JSON).json()["status"]
        == "published"
    )

    first = client.post(
        f"{base}/registrations", {"name": "Kari", "email": "kari@example.no"}, content_type=JSON
    )
    second = client.post(
        f"{base}/registrations", {"name": "Ola", "email": "ola@example.no"}, content_type=JSON
    )
    assert (first.status_code, first.json()["status"]) == (201, "confirmed")
    assert second.json()["status"] == "waitlisted"
    duplicate = client.post(
        f"{base}/registrations", {"name": "Kari", "email": "KARI@example.no"}, content_type=JSON
    )
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "duplicate"

    listed = client.get(f"{base}/registrations").json()
    assert [r["email"] for r in listed["items"]] == ["kari@example.no", "ola@example.no"]

    mail.outbox.clear()
    cancelled = run(
        client.patch,
        path=f"{base}/registrations/{first.json()['id']}",
        data={"status": "cancelled"},
        content_type=JSON,
    )
    assert cancelled.json()["status"] == "cancelled"
    detail = client.get(base).json()
    assert (detail["confirmed"], detail["waitlisted"], detail["cancelled"]) == (1, 0, 1)
    assert any(m.to == ["ola@example.no"] for m in mail.outbox)


def test_bad_input_is_refused_with_a_message(tenant_a):
    client = _bearer(tenant_a.admin)
    starts = timezone.now() + datetime.timedelta(days=3)
    bad = client.post(
        _url(tenant_a, "/events"),
        _event_payload(
            ends_at=(starts - datetime.timedelta(hours=1)).isoformat(), starts_at=starts.isoformat()
        ),
        content_type=JSON,
    )
    assert bad.status_code == 400 and bad.json()["code"] == "dates"
    event = make_event(tenant_a.organisation, capacity=5)
    base = _url(tenant_a, f"/events/{event.pk}")
    for n in range(3):
        client.post(f"{base}/registrations", {"name": "x", "email": f"{n}@x.no"}, content_type=JSON)
    capacity = client.patch(base, {"capacity": 2}, content_type=JSON)
    assert capacity.status_code == 400 and capacity.json()["code"] == "capacity"
    shares = client.put(
        f"{base}/hosts",
        {"hosts": [{"organisation_slug": tenant_a.organisation.slug, "share": "90"}]},
        content_type=JSON,
    )
    assert shares.status_code == 400 and "100" in shares.json()["detail"]
    extra = client.post(f"{base}/status", {"status": "held", "x": 1}, content_type=JSON)
    assert extra.status_code == 422


def test_observer_reads_but_cannot_write(tenant_a):
    event = make_event(tenant_a.organisation)
    client = _bearer(tenant_a.observer)
    assert client.get(_url(tenant_a, f"/events/{event.pk}")).status_code == 200
    response = client.post(
        _url(tenant_a, f"/events/{event.pk}/registrations"),
        {"name": "x", "email": "x@x.no"},
        content_type=JSON,
    )
    assert response.status_code == 403


def test_co_host_sees_the_event_others_do_not(tenant_a, tenant_b):
    event = make_event(tenant_a.organisation, audience="organisation")
    b = _bearer(tenant_b.admin)
    assert b.get(_url(tenant_b, f"/events/{event.pk}")).status_code == 404
    a = _bearer(tenant_a.admin)
    response = a.put(
        _url(tenant_a, f"/events/{event.pk}/hosts"),
        {
            "hosts": [
                {"organisation_slug": tenant_a.organisation.slug, "share": "33.33"},
                {"organisation_slug": tenant_b.organisation.slug, "share": "66.67"},
            ]
        },
        content_type=JSON,
    )
    assert response.status_code == 200
    detail = b.get(_url(tenant_b, f"/events/{event.pk}")).json()
    assert {h["organisation_slug"]: h["share"] for h in detail["hosts"]} == {
        tenant_a.organisation.slug: "33.33",
        tenant_b.organisation.slug: "66.67",
    }


def test_calendar_and_public_list(tenant_a, tenant_b, shared_network, client):
    mine = make_event(tenant_a.organisation, title="Vårt", audience="organisation")
    network = make_event(
        tenant_b.organisation, title="Nettverk", audience="network", network=shared_network
    )
    public = make_event(tenant_b.organisation, title="Åpent", price=Decimal("100"))
    hidden = make_event(tenant_b.organisation, title="Bare B", audience="organisation")
    items = _bearer(tenant_a.admin).get(_url(tenant_a, "/calendar")).json()["items"]
    assert {e["id"] for e in items} == {mine.pk, network.pk, public.pk}
    assert hidden.pk not in {e["id"] for e in items}

    listed = client.get(f"{API}/events/public").json()
    assert [e["title"] for e in listed] == ["Åpent"]
    assert listed[0]["url"].endswith(f"/e/{public.public_id}/")
    assert listed[0]["seats_left"] == 20
