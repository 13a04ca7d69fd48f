"""What another organisation of a project's network sees: title, parties and status only.

The shared isolation test covers an outsider (no common network). Here A joins B's network,
where B's project is shared, and every projects URL and API route is requested as A against
B's private parts (budget, terms, responsibilities, actuals, signatures, signing links).
"""

import pytest
from django.test import Client

from koblingsboks.core.middleware import SESSION_KEY
from koblingsboks.projects.selectors import network_project_summary, project_list_visible_to
from tests.factories import NetworkPartyFactory
from tests.isolation.checks import check_url
from tests.isolation.coverage import entry_for
from tests.isolation.fixture import build_fixture
from tests.isolation.patterns import iter_url_patterns
from tests.isolation.registry import ENTRIES, NAMESPACES

# Shared with the network on purpose: the detail page answers with the summary, and the
# network's default terms are the network's own (edited by its parties' managers).
SHARED = {"projects:detail", "projects:terms-template"}
PATTERNS = [
    pattern
    for pattern in {p.label: p for p in iter_url_patterns()}.values()
    if (pattern.label.startswith("projects:") or pattern.label.startswith("api:project"))
    and pattern.label not in SHARED
]


@pytest.fixture
def fx(tenant_a, tenant_b):
    fixture = build_fixture(tenant_a, tenant_b)
    NetworkPartyFactory(network=fixture.b.network, organisation=fixture.a.organisation)
    shared = {fixture.b.project.title, fixture.b.external_party.name, "Canary template b"}
    fixture.b.canaries = [c for c in fixture.b.canaries if c not in shared]
    return fixture


def _client(fx) -> Client:
    client = Client()
    client.force_login(fx.a.admin)
    session = client.session
    session[SESSION_KEY] = fx.a.organisation.pk
    session.save()
    return client


def test_the_network_sees_title_parties_and_status(fx):
    visible = project_list_visible_to(organisation=fx.a.organisation)
    assert [item.title for item in visible] == [fx.b.project.title]
    summary = network_project_summary(pk=fx.b.project.pk, organisation=fx.a.organisation)
    assert set(summary.parties) == {fx.b.organisation.name, fx.b.external_party.name}
    assert summary.status == "signed"
    client = _client(fx)
    page = client.get(f"/projects/{fx.b.project.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert fx.b.project.title in body and fx.b.external_party.name in body
    assert [canary for canary in fx.b.canaries if canary in body] == []
    listing = client.get("/projects/").content.decode()
    assert fx.b.project.title in listing
    assert [canary for canary in fx.b.canaries if canary in listing] == []


def test_an_outsider_sees_nothing(fx, tenant_b):
    from tests.factories import OrganisationFactory

    outsider = OrganisationFactory()
    assert project_list_visible_to(organisation=outsider) == []
    with pytest.raises(LookupError):
        network_project_summary(pk=fx.b.project.pk, organisation=outsider)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda pattern: pattern.label)
def test_private_parts_stay_private_to_the_network(pattern, fx):
    entry = entry_for(pattern, entries=ENTRIES, namespaces=NAMESPACES)
    assert entry is not None
    failures = check_url(pattern, entry, fx)
    assert failures == [], "\n".join(failures)
