"""The demo data: four Sør-Trøndelag gardens, Siva, their network and one user per role."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django_scopes import scopes_disabled
from stdnum.no import orgnr

from koblingsboks.network.demo import DEMO_PASSWORD, load_demo
from koblingsboks.network.models import (
    Membership,
    Network,
    NetworkParty,
    Organisation,
    Role,
    User,
)

pytestmark = pytest.mark.django_db

# From the cooperation agreement: the gardens and the municipalities each one serves.
GARDENS = {
    "Trøndersk Kystkompetanse": {"5056", "5014"},  # Hitra, Frøya
    "Næringshagen i Orkdalsregionen": {"5059", "5029"},  # Orkland, Skaun
    "Nasjonalparken Næringshage": {"5021", "5022"},  # Oppdal, Rennebu
    "Rørosregionen Næringshage": {"5025", "5026"},  # Røros, Holtålen
}


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def _row_counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            model._meta.label: model._base_manager.count()
            for model in apps.get_models()
            if model._meta.app_label in {"network", "core", "api"}
        }


def test_the_four_gardens_serve_their_municipalities(demo):
    gardens = Organisation.objects.filter(kind=Organisation.Kind.BUSINESS_GARDEN)

    assert {g.name for g in gardens} == set(GARDENS)
    for garden in gardens:
        numbers = set(garden.municipalities.values_list("number", flat=True))
        assert numbers == GARDENS[garden.name], garden.name


def test_siva_is_the_programme_owner_and_observes_the_network(demo):
    [siva] = Organisation.objects.filter(kind=Organisation.Kind.PROGRAMME_OWNER)
    assert "Siva" in siva.name
    [network] = Network.objects.all()
    link = NetworkParty.objects.get(network=network, organisation=siva)
    assert link.role == NetworkParty.Role.OBSERVER


def test_the_network_has_the_four_gardens_as_members_and_four_areas(demo):
    [network] = Network.objects.all()

    members = NetworkParty.objects.filter(network=network, role=NetworkParty.Role.MEMBER)
    assert {p.organisation.name for p in members} == set(GARDENS)
    assert members.filter(is_coordinator=True).count() == 1
    assert network.areas.count() == 4
    assert network.agreement_signed_on is not None
    assert network.agreement_text


def test_every_demo_org_number_is_valid(demo):
    numbers = list(Organisation.objects.values_list("org_number", flat=True))
    assert len(numbers) == 5
    for number in numbers:
        assert orgnr.is_valid(number), number


def _shared_user_ids() -> set[int]:
    with scopes_disabled():
        return {u.pk for u in User.objects.all() if Membership.objects.filter(user=u).count() > 1}


def test_each_garden_has_one_user_per_role(demo):
    shared = _shared_user_ids()
    with scopes_disabled():
        for garden in Organisation.objects.filter(kind=Organisation.Kind.BUSINESS_GARDEN):
            roles = Membership.objects.filter(organisation=garden).exclude(user__in=shared)
            assert sorted(roles.values_list("role", flat=True)) == sorted(Role.values), garden


def test_one_advisor_works_for_two_gardens(demo):
    [shared] = _shared_user_ids()
    with scopes_disabled():
        memberships = Membership.objects.filter(user_id=shared)
        assert {m.role for m in memberships} == {Role.ADVISOR}
        assert {m.organisation.name for m in memberships} <= set(GARDENS)


def test_every_demo_user_can_sign_in_with_the_demo_password(demo, client):
    users = list(User.objects.all())
    assert len(users) >= 4 * 4 + 1

    for user in users:
        response = client.post(
            "/accounts/login/", {"username": user.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, user.email
        assert response.url == "/dashboard/"
        assert client.session["_auth_user_id"] == str(user.pk)
        dashboard = client.get("/dashboard/")
        assert dashboard.status_code == 200, user.email
        assert dashboard.context["active_organisation"] is not None
        client.post("/accounts/logout/")


def test_loading_twice_creates_nothing_the_second_time(demo):
    first = _row_counts()

    result = load_demo()
    call_command("load_demo", verbosity=0)

    assert result.created == 0
    assert _row_counts() == first


def test_first_load_reports_what_it_created(db):
    before = _row_counts()
    result = load_demo()
    after = _row_counts()

    # Every row the loader created is counted.
    assert result.created == sum(after[label] - before[label] for label in after)
    assert result.created > 0


def test_command_prints_users_when_verbose(db, capsys):
    call_command("load_demo", verbosity=2)
    out = capsys.readouterr().out
    assert "admin@kystkompetanse.example" in out
    assert DEMO_PASSWORD in out
