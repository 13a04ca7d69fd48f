"""The KPI API: the same reports as the pages, with the same suppression rules."""

import pytest

from koblingsboks.network.models import NetworkParty
from koblingsboks.reporting.tests.factories import affiliate, company
from tests.factories import MembershipFactory, NetworkPartyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_the_organisation_report_has_the_shape_of_the_command(client_a, tenant_a, portfolio):
    slug = tenant_a.organisation.slug
    data = client_a.get(f"{API}/organisations/{slug}/results?year=2024").json()
    assert data["affiliated"] == 4
    assert data["growth"] == {"count": 2, "base": 3, "share": 2 / 3, "suppressed": False}
    assert data["definitions"]["kinds"] == ["incubator", "target"]
    assert data["cohorts"][0]["admission_year"] == 2023
    changed = client_a.get(f"{API}/organisations/{slug}/results?year=2024&kinds=tenant").json()
    assert changed["affiliated"] == 0
    bad = client_a.get(f"{API}/organisations/{slug}/results?kinds=nonsense")
    assert bad.status_code == 400
    series = client_a.get(f"{API}/organisations/{slug}/results/series?year=2024&first_year=2022")
    assert [r["affiliated"] for r in series.json()] == [0, 4, 4]
    companies = client_a.get(
        f"{API}/organisations/{slug}/results/companies?year=2024&figure=doubled"
    ).json()
    assert [c["name"] for c in companies] == ["ALFA VEKST AS"]


def test_observers_get_a_suppressed_report_and_no_companies(client, tenant_a, portfolio):
    client.force_login(tenant_a.observer)
    slug = tenant_a.organisation.slug
    data = client.get(f"{API}/organisations/{slug}/results?year=2024").json()
    assert data["doubled"] == {"count": None, "base": None, "share": None, "suppressed": True}
    assert "doubled" in data["suppressed"]
    assert client.get(f"{API}/organisations/{slug}/results/companies").status_code == 403


def test_the_network_report_and_its_observers(client, client_a, portfolio):
    slug = portfolio["network"].slug
    data = client_a.get(f"{API}/networks/{slug}/results?year=2024").json()
    assert data["report"]["affiliated"] == 5  # ALFA once
    assert [g["report"]["affiliated"] for g in data["gardens"]] == [4, 2]
    names = [
        c["name"] for c in client_a.get(f"{API}/networks/{slug}/results/companies?year=2024").json()
    ]
    assert names.count("ALFA VEKST AS") == 1
    siva = OrganisationFactory(kind="programme_owner")
    NetworkPartyFactory(
        network=portfolio["network"], organisation=siva, role=NetworkParty.Role.OBSERVER
    )
    observer = MembershipFactory(organisation=siva, role="observer").user
    client.force_login(observer)
    data = client.get(f"{API}/networks/{slug}/results?year=2024").json()
    assert data["gardens"][1]["report"]["affiliated"] is None  # B has 2
    assert client.get(f"{API}/networks/{slug}/results/companies").status_code == 403
    outsider = MembershipFactory(role="admin").user
    client.force_login(outsider)
    assert client.get(f"{API}/networks/{slug}/results").status_code == 404


def test_public_and_national_reports_are_suppressed(client, portfolio, tenant_a):
    slug = portfolio["network"].slug
    public = client.get(f"{API}/public/networks/{slug}/results?year=2024").json()
    assert public["report"]["affiliated"] == 5
    assert public["report"]["doubled"]["suppressed"] is True  # base 2 (ALFA, BETA)
    assert public["gardens"][1]["report"]["affiliated"] is None
    assert client.get(f"{API}/public/networks/nope/results").status_code == 404
    client.force_login(tenant_a.admin)
    national = client.get(f"{API}/national/results?year=2024").json()
    assert national["affiliated"] == 5 and national["definitions"]["suppression_threshold"] == 3
    client.logout()
    assert client.get(f"{API}/national/results").status_code == 401


def test_the_companies_of_one_cohort(client_a, tenant_a, portfolio):
    late = company(name="ZETA SEN AS")
    affiliate(portfolio["a"], late, "2024-03-01")
    url = f"{API}/organisations/{tenant_a.organisation.slug}/results/companies?year=2024"
    assert [c["name"] for c in client_a.get(f"{url}&cohort=2024").json()] == ["ZETA SEN AS"]
    names_2023 = [c["name"] for c in client_a.get(f"{url}&cohort=2023").json()]
    assert len(names_2023) == 4 and "ZETA SEN AS" not in names_2023
    assert client_a.get(f"{url}&cohort=1800").status_code == 422
    network = portfolio["network"].slug
    shared = client_a.get(f"{API}/networks/{network}/results/companies?year=2024&cohort=2024")
    assert [c["name"] for c in shared.json()] == ["ZETA SEN AS"]
