"""The projects API: drafting, circulating, signing and actuals, with clear refusals."""

import pytest
from django.test import Client

from koblingsboks.api.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_on_commit(monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())


def api(user) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_draft_circulate_and_sign_through_the_api(tenant_a, tenant_b):
    a = api(tenant_a.manager)
    base = f"/api/v1/organisations/{tenant_a.organisation.slug}/projects"
    created = a.post(
        base,
        {"title": "Sjømatklyngen", "start_date": "2026-01-01", "end_date": "2026-12-31"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    project = created.json()
    assert project["status"] == "draft" and project["totals"]["budget_total"] == "0"
    url = f"{base}/{project['id']}"
    party_b = a.post(
        f"{url}/parties",
        {"organisation_slug": tenant_b.organisation.slug},
        content_type="application/json",
    ).json()
    lead = project["party_details"][0]
    for party in (lead, party_b):
        assert (
            a.post(
                f"{url}/responsibilities",
                {"party_id": party["id"], "title": "Ansvar"},
                content_type="application/json",
            ).status_code
            == 201
        )
        line = a.put(
            f"{url}/budget-lines",
            {
                "party_id": party["id"],
                "year": 2026,
                "category": "events",
                "cash": "1000.50",
                "in_kind": "0",
            },
            content_type="application/json",
        )
        assert line.status_code == 200 and line.json()["cash"] == "1000.50"
    refused = a.post(f"{url}/circulate", content_type="application/json")
    assert refused.status_code == 400 and "kr" in refused.json()["detail"]
    assert (
        a.post(
            f"{url}/funding",
            {"kind": "county", "name": "Fylket", "amount": "2001.00"},
            content_type="application/json",
        ).status_code
        == 201
    )
    version = a.post(f"{url}/circulate", content_type="application/json")
    assert version.status_code == 201
    content_hash = version.json()["content_hash"]
    bad = a.post(
        f"{url}/versions/1/sign",
        {"party_id": party_b["id"], "content_hash": content_hash},
        content_type="application/json",
    )
    assert bad.status_code == 403  # A's manager for B
    assert (
        a.post(
            f"{url}/versions/1/sign",
            {"party_id": lead["id"], "content_hash": content_hash},
            content_type="application/json",
        ).status_code
        == 201
    )
    b = api(tenant_b.manager)
    b_url = f"/api/v1/organisations/{tenant_b.organisation.slug}/projects/{project['id']}"
    signed = b.post(
        f"{b_url}/versions/1/sign",
        {"party_id": party_b["id"], "content_hash": content_hash},
        content_type="application/json",
    )
    assert signed.status_code == 201 and signed.json()["version_hash"] == content_hash
    detail = b.get(b_url).json()
    assert detail["status"] == "signed"
    assert len(detail["versions"][0]["signatures"]) == 2
    cost = b.post(
        f"{b_url}/costs",
        {
            "budget_line_id": detail["budget_lines"][1]["id"],
            "date": "2026-03-01",
            "amount": "2000",
            "kind": "cash",
        },
        content_type="application/json",
    )
    assert cost.status_code == 201, cost.content
    actuals = b.get(f"{b_url}/actuals").json()
    assert actuals["actual_total"] == "2000.00" or actuals["actual_total"] == "2000"
    assert actuals["over_budget"] is False
    assert [row["over_budget"] for row in actuals["rows"]] == [False, True]
    listed = b.get(f"/api/v1/organisations/{tenant_b.organisation.slug}/projects?status=signed")
    assert [p["title"] for p in listed.json()["items"]] == ["Sjømatklyngen"]
