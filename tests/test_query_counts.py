"""List pages must not make more queries as their lists grow (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from koblingsboks.core.audit import log_action
from koblingsboks.network.models import Municipality, Role
from tests.factories import MembershipFactory, NetworkPartyFactory, OrganisationFactory


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow_directory(n: int, network) -> None:
    municipalities = list(Municipality.objects.all()[:3])
    for _ in range(n):
        organisation = OrganisationFactory()
        organisation.municipalities.set(municipalities)
        NetworkPartyFactory(network=network, organisation=organisation)


def _grow_members(n: int, tenant) -> None:
    with scopes_disabled():
        for _ in range(n):
            membership = MembershipFactory(organisation=tenant.organisation, role=Role.ADVISOR)
            log_action(
                organisation=tenant.organisation,
                actor=tenant.admin,
                action="network.membership.created",
                obj=membership,
                after={"role": membership.role},
            )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/organisations/", "/organisation/members/", "/organisation/audit/", "/dashboard/"],
)
def test_list_page_queries_do_not_grow_with_rows(client_a, tenant_a, shared_network, url):
    _grow_directory(2, shared_network)
    _grow_members(2, tenant_a)
    few = _queries(client_a, url)
    _grow_directory(20, shared_network)
    _grow_members(20, tenant_a)
    many = _queries(client_a, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"


@pytest.mark.django_db
def test_network_page_queries_do_not_grow_with_parties(client_a, shared_network):
    url = f"/networks/{shared_network.slug}/"
    few = _queries(client_a, url)
    _grow_directory(15, shared_network)
    many = _queries(client_a, url)
    assert many == few
