"""The companies API: register facts and key figures for signed-in callers; affiliations,
notes and the advisory log under /organisations/{slug}/ with the tenancy rules."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client

from koblingsboks.api.services import api_token_create
from koblingsboks.companies.models import AdvisoryLogEntry, Affiliation, CompanyNote
from koblingsboks.companies.services import advisory_log_add, affiliation_create, note_create
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from tests.factories import CompanyFactory, KeyFiguresFactory, companies_from_register_sample

API = "/api/v1"
JSON = "application/json"
D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db):
    return {c.org_number: c for c in companies_from_register_sample()}


@pytest.fixture
def svorka(register):
    return register["918744126"]


def _as(client, user) -> Client:
    client.force_login(user)
    return client


def _org(tenant, rest="") -> str:
    return f"{API}/organisations/{tenant.organisation.slug}{rest}"


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type=JSON)


def _patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type=JSON)


def _rows(tenant, model):
    with organisation_scope(tenant.organisation):
        return list(model.objects.all())


def _affiliate(tenant, company, **fields):
    arguments = {"kind": "target", "start_date": D(2024, 1, 1), "phase": "active", **fields}
    return affiliation_create(
        organisation=tenant.organisation, company=company, actor=tenant.admin, **arguments
    )


# --- register facts --------------------------------------------------------------------------


def test_company_search_needs_authentication(client, register):
    assert client.get(f"{API}/companies?q=svorka").status_code == 401


def test_company_search(client_a, register):
    response = client_a.get(f"{API}/companies", {"q": "svorka", "limit": 5})
    assert response.status_code == 200
    first = response.json()[0]
    assert first["org_number"] == "918744126"
    assert first["name"] == "SVORKA SENSORIKK AS"
    assert first["municipality_number"] == "5059"
    assert first["employees"] == 14


def test_company_search_filters_and_bad_filters(client_a, register):
    filtered = client_a.get(f"{API}/companies", {"q": "", "nace": "62", "municipality": "5001"})
    assert {c["org_number"] for c in filtered.json()} == {"924813717", "935899168"}
    assert client_a.get(f"{API}/companies", {"nace": "IT"}).status_code == 422
    assert client_a.get(f"{API}/companies", {"limit": 1000}).status_code == 422


def test_company_detail_with_key_figures_oldest_first(client_a, svorka):
    KeyFiguresFactory(company=svorka, year=2025, turnover=Decimal("12900000"), employees=14)
    KeyFiguresFactory(company=svorka, year=2024, turnover=Decimal("6100000"))

    data = client_a.get(f"{API}/companies/918 744 126".replace(" ", "%20")).json()

    assert data["name"] == "SVORKA SENSORIKK AS"
    assert data["business_postal_place"]
    assert [k["year"] for k in data["key_figures"]] == [2024, 2025]
    assert Decimal(data["key_figures"][1]["turnover"]) == Decimal("12900000")
    assert Decimal(data["key_figures"][1]["value_creation"]) == Decimal("500000")
    figures = client_a.get(f"{API}/companies/918744126/key-figures").json()
    assert figures == data["key_figures"]


def test_company_detail_explains_bad_and_unknown_numbers(client_a, register):
    wrong = client_a.get(f"{API}/companies/918744127")
    assert wrong.status_code == 400
    assert "918744127" in wrong.json()["detail"]
    unknown = client_a.get(f"{API}/companies/974760673")
    assert unknown.status_code == 404
    assert "register" in unknown.json()["detail"]


# --- affiliations ------------------------------------------------------------------------------


def test_affiliation_list_is_the_organisations_own(client_a, tenant_a, tenant_b, register):
    _affiliate(tenant_a, register["918744126"], phase="lead", responsible_advisor=tenant_a.advisor)
    _affiliate(tenant_a, register["921775318"], start_date=D(2020, 1, 1), end_date=D(2021, 1, 1))
    _affiliate(tenant_b, register["924813717"])

    data = client_a.get(_org(tenant_a, "/affiliations")).json()

    assert data["count"] == 2
    by_number = {a["company"]["org_number"]: a for a in data["items"]}
    assert set(by_number) == {"918744126", "921775318"}
    assert by_number["918744126"]["phase"] == "lead"
    assert by_number["918744126"]["responsible_advisor"]["id"] == tenant_a.advisor.pk
    active = client_a.get(_org(tenant_a, "/affiliations"), {"status": "active"}).json()
    assert [a["company"]["org_number"] for a in active["items"]] == ["918744126"]
    assert client_a.get(_org(tenant_b, "/affiliations")).status_code == 404


def test_create_an_affiliation(client_a, tenant_a, svorka):
    response = _post(
        client_a,
        _org(tenant_a, "/affiliations"),
        {
            "org_number": "918 744 126",
            "kind": "incubator",
            "start_date": "2025-02-01",
            "phase": "onboarding",
            "responsible_advisor_id": tenant_a.advisor.pk,
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body["company"] == {"org_number": "918744126", "name": "SVORKA SENSORIKK AS"}
    assert (body["kind"], body["end_date"]) == ("incubator", None)
    (stored,) = _rows(tenant_a, Affiliation)
    assert stored.responsible_advisor == tenant_a.advisor
    with organisation_scope(tenant_a.organisation):
        assert AuditEntry.objects.filter(action="companies.affiliation.created").count() == 1


def test_an_overlapping_affiliation_is_refused_with_the_reason(client_a, tenant_a, svorka):
    body = {"org_number": "918744126", "kind": "target", "start_date": "2025-02-01"}
    assert _post(client_a, _org(tenant_a, "/affiliations"), body).status_code == 201
    again = _post(client_a, _org(tenant_a, "/affiliations"), body)
    assert again.status_code == 400
    assert again.json()["code"] == "overlap"
    assert len(_rows(tenant_a, Affiliation)) == 1


def test_create_refuses_bad_input_and_changes_nothing(client_a, tenant_a, tenant_b, svorka):
    url = _org(tenant_a, "/affiliations")
    base = {"org_number": "918744126", "kind": "target", "start_date": "2025-02-01"}
    cases = [
        ({**base, "org_number": "918744127"}, 400),
        ({**base, "org_number": "974760673"}, 404),
        ({**base, "end_date": "2025-01-01"}, 400),
        ({**base, "kind": "partner"}, 400),
        ({**base, "responsible_advisor_id": tenant_b.advisor.pk}, 400),
        ({**base, "organisation": tenant_b.organisation.pk}, 422),
        ({**base, "start_date": "1.2.2025"}, 422),
    ]
    for body, status in cases:
        response = _post(client_a, url, body)
        assert response.status_code == status, body
    # The refusal of an outside advisor does not reveal who has that user id.
    response = _post(client_a, url, {**base, "responsible_advisor_id": tenant_b.advisor.pk})
    assert tenant_b.advisor.full_name not in response.content.decode()
    assert _rows(tenant_a, Affiliation) == []


def test_observers_read_but_cannot_write(client, tenant_a, svorka):
    _as(client, tenant_a.observer)
    body = {"org_number": "918744126", "kind": "target", "start_date": "2025-02-01"}
    assert client.get(_org(tenant_a, "/affiliations")).status_code == 200
    assert _post(client, _org(tenant_a, "/affiliations"), body).status_code == 403
    assert _rows(tenant_a, Affiliation) == []


def test_patch_changes_phase_ends_and_refuses_nulls(client_a, tenant_a, svorka):
    affiliation = _affiliate(tenant_a, svorka)
    url = _org(tenant_a, f"/affiliations/{affiliation.pk}")

    assert _patch(client_a, url, {"phase": "alumni", "end_date": "2025-12-31"}).status_code == 200
    assert _patch(client_a, url, {"kind": None}).status_code == 400
    assert _patch(client_a, url, {"end_date": "2023-01-01"}).status_code == 400
    assert _patch(client_a, url, {"role": "admin"}).status_code == 422

    (stored,) = _rows(tenant_a, Affiliation)
    assert (stored.phase, stored.end_date, stored.kind) == ("alumni", D(2025, 12, 31), "target")


def test_patch_can_clear_the_advisor(client_a, tenant_a, svorka):
    affiliation = _affiliate(tenant_a, svorka, responsible_advisor=tenant_a.advisor)
    url = _org(tenant_a, f"/affiliations/{affiliation.pk}")
    response = _patch(client_a, url, {"responsible_advisor_id": None})
    assert response.status_code == 200
    assert response.json()["responsible_advisor"] is None


def test_a_personal_token_works_for_the_portfolio(tenant_a, svorka):
    _token, raw = api_token_create(user=tenant_a.advisor, name="integrasjon")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    body = {"org_number": "918744126", "kind": "target", "start_date": "2025-02-01"}
    assert _post(client, _org(tenant_a, "/affiliations"), body).status_code == 201


# --- notes and the advisory log ----------------------------------------------------------------


def test_notes_list_create_and_delete(client, tenant_a, svorka):
    url = _org(tenant_a, "/companies/918744126/notes")
    _as(client, tenant_a.advisor)

    created = _post(client, url, {"text": "Søker midler til pilot."})
    assert created.status_code == 201
    note_id = created.json()["id"]
    assert created.json()["author"]["id"] == tenant_a.advisor.pk
    assert [n["text"] for n in client.get(url).json()] == ["Søker midler til pilot."]

    _as(client, tenant_a.manager)
    assert client.delete(f"{url}/{note_id}").status_code == 403
    _as(client, tenant_a.advisor)
    assert client.delete(f"{url}/{note_id}").status_code == 204
    assert _rows(tenant_a, CompanyNote) == []


def test_note_refusals(client_a, tenant_a, svorka):
    url = _org(tenant_a, "/companies/918744126/notes")
    too_long = _post(client_a, url, {"text": "x" * 10_001})
    assert too_long.status_code == 400 and too_long.json()["code"] == "note_too_long"
    assert _post(client_a, url, {"text": "   "}).status_code == 400
    assert _post(client_a, url, {}).status_code == 422
    assert (
        _post(client_a, _org(tenant_a, "/companies/918744127/notes"), {"text": "x"}).status_code
        == 400
    )
    assert _rows(tenant_a, CompanyNote) == []


def test_notes_of_another_organisation_are_not_found(client_a, tenant_a, tenant_b, svorka):
    with organisation_scope(tenant_b.organisation):
        note = note_create(
            organisation=tenant_b.organisation, company=svorka, text="B only", author=tenant_b.admin
        )
    url = _org(tenant_a, f"/companies/918744126/notes/{note.pk}")
    assert client_a.delete(url).status_code == 404
    assert client_a.get(_org(tenant_a, "/companies/918744126/notes")).json() == []
    assert len(_rows(tenant_b, CompanyNote)) == 1


def test_advisory_log_defaults_to_the_caller_and_refuses_bad_hours(client, tenant_a, svorka):
    url = _org(tenant_a, "/companies/918744126/advisory-log")
    _as(client, tenant_a.advisor)

    created = _post(client, url, {"date": "2025-05-05", "hours": "1.25", "topic": "Eksport"})
    assert created.status_code == 201
    assert created.json()["advisor"]["id"] == tenant_a.advisor.pk
    assert Decimal(created.json()["hours"]) == Decimal("1.25")

    future = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    for body in (
        {"date": future, "hours": "1", "topic": "x"},
        {"date": "2025-05-05", "hours": "0", "topic": "x"},
        {"date": "2025-05-05", "hours": "24.5", "topic": "x"},
        {"date": "2025-05-05", "hours": "1", "topic": ""},
    ):
        assert _post(client, url, body).status_code == 400, body
    assert len(client.get(url).json()) == 1


def test_advisory_log_delete_by_the_advisor(client, tenant_a, svorka):
    entry = advisory_log_add(
        organisation=tenant_a.organisation,
        company=svorka,
        advisor=tenant_a.advisor,
        date=D(2025, 1, 1),
        hours="2",
        topic="Marked",
        actor=tenant_a.advisor,
    )
    url = _org(tenant_a, f"/companies/918744126/advisory-log/{entry.pk}")
    _as(client, tenant_a.observer)
    assert client.delete(url).status_code == 403
    _as(client, tenant_a.advisor)
    assert client.delete(url).status_code == 204
    assert _rows(tenant_a, AdvisoryLogEntry) == []


def test_company_in_the_path_must_match_the_note(client_a, tenant_a, svorka):
    note = note_create(
        organisation=tenant_a.organisation, company=svorka, text="Svorka", author=tenant_a.admin
    )
    other = CompanyFactory()
    url = _org(tenant_a, f"/companies/{other.org_number}/notes/{note.pk}")
    assert client_a.delete(url).status_code == 404
    assert len(_rows(tenant_a, CompanyNote)) == 1
