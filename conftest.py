"""Fixtures shared by every test: two organisations that must never see each other's data."""

from dataclasses import dataclass

import pytest
from django_scopes import scopes_disabled

from koblingsboks.network.models import Membership, Organisation, Role, User
from tests.factories import MembershipFactory, NetworkPartyFactory, OrganisationFactory

pytest_plugins = ["tests.browser.plugin"]


def pytest_runtest_setup(item):
    """Tests marked ``postgresql`` need PostgreSQL: skipped on the SQLite run."""
    if item.get_closest_marker("postgresql") is None:
        return
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://…)")


@dataclass
class Tenant:
    organisation: Organisation
    admin: User
    manager: User
    advisor: User
    observer: User

    def membership(self, user: User) -> Membership:
        with scopes_disabled():
            return Membership.objects.get(user=user, organisation=self.organisation)


def make_tenant(name: str) -> Tenant:
    organisation = OrganisationFactory(name=name)
    users = {}
    with scopes_disabled():
        for role in Role.values:
            users[role] = MembershipFactory(organisation=organisation, role=role).user
    return Tenant(organisation=organisation, **users)


@pytest.fixture
def tenant_a(db) -> Tenant:
    return make_tenant("Hage A")


@pytest.fixture
def tenant_b(db) -> Tenant:
    return make_tenant("Hage B")


@pytest.fixture
def shared_network(tenant_a, tenant_b):
    """A network in which both tenants are parties."""
    party = NetworkPartyFactory(organisation=tenant_a.organisation)
    NetworkPartyFactory(network=party.network, organisation=tenant_b.organisation)
    return party.network


@pytest.fixture
def client_a(client, tenant_a):
    """A client signed in as tenant A's administrator."""
    client.force_login(tenant_a.admin)
    return client
