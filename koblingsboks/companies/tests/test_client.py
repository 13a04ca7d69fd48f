"""The register's HTTP client, offline: httpx.MockTransport serving the recorded samples."""

import datetime
from decimal import Decimal

import httpx
import pytest
from django.test import override_settings

from koblingsboks.companies.register.client import (
    RegisterClient,
    RegisterError,
    RegisterUnavailable,
)
from koblingsboks.companies.tests.brreg_mock import MockRegister


@pytest.fixture
def register():
    return MockRegister()


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(register, sleeps):
    with RegisterClient(transport=register.transport, sleep=sleeps.append) as client:
        yield client


def test_get_entity_maps_the_rest_shape(client, register):
    record = client.get_entity("924813717")
    assert record.business_address == "Strandveien 37"
    assert record.business_postal_code == "7041"
    assert record.deleted_on is None
    request = register.requests[0]
    assert str(request.url) == "https://data.brreg.no/enhetsregisteret/api/enheter/924813717"
    assert "Koblingsboks" in request.headers["User-Agent"]
    assert request.headers["Accept"] == "application/json"


def test_get_entity_gives_a_deleted_record_for_a_slettet_enhet_stub(client):
    record = client.get_entity("923114831")
    assert record.deleted_on == datetime.date(2026, 10, 8)
    assert record.name == "SVORKMO VEDPRODUKSJON AS"


def test_get_entity_unknown_is_none_and_not_retried(client, register, sleeps):
    assert client.get_entity("974760673") is None
    assert len(register.requests) == 1
    assert sleeps == []


def test_search_follows_next_links(client, register):
    records = list(client.search(kommunenummer="5059", size=5))
    assert len(records) == 8
    assert len({r.org_number for r in records}) == 8
    assert all(r.municipality_number == "5059" for r in records)
    first, second = register.requests
    assert first.url.params["kommunenummer"] == "5059"
    assert first.url.params["size"] == "5"
    assert str(second.url) == register.page["_links"]["next"]["href"]


def test_search_passes_name_and_list_filters(client, register):
    list(client.search(name="svorka", kommunenummer=["5059", "5056"]))
    params = register.requests[0].url.params
    assert params["navn"] == "svorka"
    assert params["kommunenummer"] == "5059,5056"


def test_search_stops_at_the_10000_hit_cap(register, sleeps):
    """Pages of 5,000: the second page reaches hit 10,000, a third would pass the cap."""

    def endless(request):
        page = int(request.url.params.get("page", 0))
        body = dict(register.page)
        body["page"] = {"size": 5000, "totalElements": 50_000, "totalPages": 10, "number": page}
        body["_links"] = {
            "next": {"href": f"https://data.brreg.no/enhetsregisteret/api/enheter?page={page + 1}"}
        }
        return httpx.Response(200, json=body)

    register.fail = endless
    with RegisterClient(transport=register.transport, sleep=sleeps.append) as client:
        pages = list(client.search_pages(size=5000))
    assert [p.number for p in pages] == [0, 1]
    assert len(register.requests) == 2


def test_iter_update_pages_pages_by_update_id_until_empty(client, register):
    pages = list(client.iter_update_pages(since_id=28310454, size=2))
    assert [[e.update_id for e in page] for page in pages] == [
        [28310455, 28314372],
        [28318289, 28322206],
        [28326123],
    ]
    asked = [int(r.url.params["oppdateringsid"]) for r in register.requests]
    assert asked == [28310455, 28314373, 28322207, 28326124]
    events = [e for page in pages for e in page]
    assert [e.change_type for e in events] == ["Endring", "Ny", "Sletting", "Endring", "Sletting"]
    assert events[2].org_number == "923114831"
    assert events[2].changed_at == datetime.datetime(
        2026, 10, 9, 4, 55, 13, 102000, tzinfo=datetime.UTC
    )


def test_iter_update_pages_from_a_date(client, register):
    since = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
    events = [e for page in client.iter_update_pages(since=since, size=3) for e in page]
    assert len(events) == 5
    assert register.requests[0].url.params["dato"] == "2026-10-01T00:00:00.000Z"
    assert register.requests[1].url.params["oppdateringsid"] == "28318290"


def test_iter_updates_after_the_last_event_is_empty(client):
    assert list(client.iter_updates(since_id=28326123)) == []


def test_get_accounts_gives_the_latest_year(client, register):
    accounts = client.get_accounts("915330061")
    assert {(a.account_type, a.year) for a in accounts} == {("company", 2025), ("group", 2025)}
    company = next(a for a in accounts if a.account_type == "company")
    assert company.turnover is None  # a holding company: driftsinntekter is {}
    assert register.requests[0].url.path == "/regnskapsregisteret/regnskap/915330061"
    group = next(a for a in accounts if a.account_type == "group")
    assert group.turnover == Decimal("31400000")


def test_get_accounts_of_a_company_without_accounts_is_empty(client):
    assert client.get_accounts("924813717") == []


def test_retries_5xx_with_exponential_backoff(register, sleeps):
    answers = iter([httpx.Response(503), httpx.Response(502), None])
    register.fail = lambda request: next(answers)
    with RegisterClient(transport=register.transport, sleep=sleeps.append) as client:
        record = client.get_entity("938204551")
    assert record.org_number == "938204551"
    assert len(register.requests) == 3
    assert sleeps == [1.0, 2.0]


def test_retries_429_after_retry_after(register, sleeps):
    answers = iter([httpx.Response(429, headers={"Retry-After": "7"}), None])
    register.fail = lambda request: next(answers)
    with RegisterClient(transport=register.transport, sleep=sleeps.append) as client:
        assert client.get_entity("938204551") is not None
    assert sleeps == [7.0]


@pytest.mark.parametrize(
    "error", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.ConnectTimeout("x")]
)
def test_retries_timeouts_and_connection_errors(register, sleeps, error):
    calls = []

    def flaky(request):
        calls.append(request)
        if len(calls) <= 2:
            raise error
        return None

    register.fail = flaky
    with RegisterClient(transport=register.transport, sleep=sleeps.append) as client:
        assert client.get_entity("938204551").name
    assert sleeps == [1.0, 2.0]


def test_gives_up_after_the_retries(register, sleeps):
    register.fail = lambda request: httpx.Response(500)
    client = RegisterClient(transport=register.transport, sleep=sleeps.append, max_retries=3)
    with client, pytest.raises(RegisterUnavailable, match="4 tries: HTTP 500"):
        client.get_accounts("918744126")
    assert len(register.requests) == 4
    assert sleeps == [1.0, 2.0, 4.0]


def test_backoff_is_capped(register, sleeps):
    register.fail = lambda request: httpx.Response(503)
    client = RegisterClient(
        transport=register.transport, sleep=sleeps.append, max_retries=5, max_backoff_seconds=5
    )
    with client, pytest.raises(RegisterUnavailable):
        client.get_entity("938204551")
    assert sleeps == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_other_4xx_are_not_retried(register, sleeps):
    register.fail = lambda request: httpx.Response(400, json={"error": "Bad Request"})
    client = RegisterClient(transport=register.transport, sleep=sleeps.append)
    with client, pytest.raises(RegisterError, match="HTTP 400"):
        client.get_entity("938204551")
    assert len(register.requests) == 1
    assert sleeps == []


def test_not_json_is_a_clear_error(register, sleeps):
    register.fail = lambda request: httpx.Response(200, text="<html>maintenance</html>")
    client = RegisterClient(transport=register.transport, sleep=sleeps.append)
    with client, pytest.raises(RegisterError, match="not JSON"):
        client.get_entity("938204551")


def test_timeouts_are_set(client):
    assert client.http.timeout.connect == 5.0
    assert client.http.timeout.read == 30.0


@override_settings(
    BRREG_ENTITY_API_URL="https://mirror.example/enhetsregisteret/api/",
    BRREG_ACCOUNTS_API_URL="https://mirror.example/regnskap",
)
def test_base_urls_come_from_settings(register, sleeps):
    with RegisterClient(transport=register.transport, sleep=sleeps.append) as client:
        client.get_entity("938204551")
        client.get_accounts("918744126")
    assert [str(r.url) for r in register.requests] == [
        "https://mirror.example/enhetsregisteret/api/enheter/938204551",
        "https://mirror.example/regnskap/918744126",
    ]
