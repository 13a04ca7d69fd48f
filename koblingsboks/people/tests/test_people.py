"""Profiles, the taxonomy, the network-wide directory and its full-text search."""

import pytest
from django.db import connection
from django.utils import translation

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import NetworkParty
from koblingsboks.people.models import Profile
from koblingsboks.people.selectors import DirectoryFilters, profile_directory, profile_visible_to
from koblingsboks.people.services import competence_create, profile_save
from koblingsboks.people.tests.factories import CompetenceAreaFactory, CompetenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The tests read the services' messages in English."""
    with translation.override("en"):
        yield


def _profile(tenant, user, *, text, competences=None, languages=(), sectors=()):
    with organisation_scope(tenant.organisation):
        return profile_save(
            organisation=tenant.organisation,
            user=user,
            text=text,
            competences=competences or {},
            languages=list(languages),
            sectors=list(sectors),
            actor=user,
        )


def _names(tenant, **filters):
    page = profile_directory(organisation=tenant.organisation, filters=DirectoryFilters(**filters))
    return [profile.user.full_name for profile in page.object_list]


def test_profile_save_replaces_and_audits(tenant_a):
    export = CompetenceFactory(name_nb="Eksportregelverk", name_en="Export regulations")
    profile = _profile(
        tenant_a,
        tenant_a.advisor,
        text="Eksport til Japan",
        competences={export.pk: 3},
        languages=["nb", "en"],
        sectors=["A"],
    )
    profile = _profile(tenant_a, tenant_a.advisor, text="Ny tekst", languages=["de"])
    with organisation_scope(tenant_a.organisation):
        assert Profile.objects.count() == 1
        assert list(profile.languages.values_list("code", flat=True)) == ["de"]
        assert not profile.competences.exists()
        actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "people.profile.created" in actions and "people.profile.updated" in actions


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "x" * 2001}, "2000"),
        ({"text": "", "languages": ["xx"]}, "language"),
        ({"text": "", "sectors": ["Z"]}, "sector"),
        ({"text": "", "competences": {999999: 2}}, "competence"),
    ],
)
def test_profile_bad_input_changes_nothing(tenant_a, kwargs, message):
    with pytest.raises(ServiceError, match=message):
        _profile(tenant_a, tenant_a.advisor, **kwargs)
    with organisation_scope(tenant_a.organisation):
        assert not Profile.objects.exists()


def test_directory_shows_only_organisations_sharing_a_network(tenant_a, tenant_b):
    _profile(tenant_a, tenant_a.advisor, text="Hitra")
    _profile(tenant_b, tenant_b.advisor, text="Røros")
    assert _names(tenant_a) == [tenant_a.advisor.full_name]
    b_profile = _profile(tenant_b, tenant_b.manager, text="Leder")
    with pytest.raises(Profile.DoesNotExist):
        profile_visible_to(organisation=tenant_a.organisation, pk=b_profile.pk)


def test_directory_across_a_shared_network_filters(tenant_a, tenant_b, shared_network):
    export = CompetenceFactory()
    _profile(
        tenant_a,
        tenant_a.advisor,
        text="Sjømat",
        competences={export.pk: 3},
        languages=["de"],
        sectors=["A"],
    )
    _profile(
        tenant_b,
        tenant_b.advisor,
        text="Reiseliv",
        competences={export.pk: 1},
        languages=["en"],
        sectors=["I"],
    )
    assert len(_names(tenant_a)) == 2
    assert _names(tenant_a, competence=export.pk, min_level=3) == [tenant_a.advisor.full_name]
    assert _names(tenant_a, language="en") == [tenant_b.advisor.full_name]
    assert _names(tenant_a, sector="A") == [tenant_a.advisor.full_name]
    assert _names(tenant_a, organisation=tenant_b.organisation.pk) == [tenant_b.advisor.full_name]


def test_full_text_search_over_name_title_and_text(tenant_a):
    tenant_a.advisor.title = "Seniorrådgiver"
    tenant_a.advisor.save()
    _profile(tenant_a, tenant_a.advisor, text="Har hjulpet bedrifter med eksportregler og toll")
    _profile(tenant_a, tenant_a.manager, text="Styrearbeid i ØKOLOGISKE bedrifter")
    assert _names(tenant_a, q="eksportregler") == [tenant_a.advisor.full_name]
    assert _names(tenant_a, q="seniorrådgiver") == [tenant_a.advisor.full_name]
    # Beyond ASCII, any case.
    assert _names(tenant_a, q="økologiske") == [tenant_a.manager.full_name]
    assert _names(tenant_a, q=tenant_a.manager.full_name.split()[-1]) == [
        tenant_a.manager.full_name
    ]
    assert _names(tenant_a, q="regnskap") == []


def test_taxonomy_names_follow_the_language():
    competence = CompetenceFactory(name_nb="Toll", name_en="Customs")
    with translation.override("en"):
        assert competence.name == "Customs"
    with translation.override("nb"):
        assert competence.name == "Toll"


def test_competence_names_are_unique_in_an_area(tenant_a):
    area = CompetenceAreaFactory()
    competence_create(
        area=area,
        name_nb="Toll",
        name_en="Customs",
        organisation=tenant_a.organisation,
        actor=tenant_a.admin,
    )
    with pytest.raises(ServiceError, match="already"):
        competence_create(
            area=area,
            name_nb="toll",
            name_en="Customs 2",
            organisation=tenant_a.organisation,
            actor=tenant_a.admin,
        )


def test_pages_directory_profile_and_taxonomy(client, tenant_a, tenant_b, shared_network):
    competence = CompetenceFactory(name_nb="Eksportregelverk")
    profile = _profile(
        tenant_b, tenant_b.advisor, text="Tollspesialist", competences={competence.pk: 3}
    )
    client.force_login(tenant_a.advisor)
    response = client.get("/people/", {"q": "tollspesialist"})
    assert response.status_code == 200
    assert tenant_b.advisor.full_name in response.content.decode()
    response = client.get(f"/people/{profile.pk}/")
    assert "Eksportregelverk" in response.content.decode()
    response = client.post(
        "/people/me/",
        {"text": "Mitt felt", f"competence_{competence.pk}": "2", "languages": ["nb"]},
    )
    assert response.status_code == 302
    with organisation_scope(tenant_a.organisation):
        assert Profile.objects.get(user=tenant_a.advisor).text == "Mitt felt"
    # The taxonomy is edited by network coordinators only.
    response = client.post(
        "/people/competences/new/", {"area": competence.area_id, "name_nb": "Ny", "name_en": "New"}
    )
    assert response.status_code == 403
    NetworkParty.objects.filter(organisation=tenant_a.organisation).update(is_coordinator=True)
    client.force_login(tenant_a.manager)
    response = client.post(
        "/people/competences/new/",
        {"area": competence.area_id, "name_nb": "Ny", "name_en": "New"},
        follow=True,
    )
    assert "Ny" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the norwegian configuration")
@pytest.mark.postgresql
def test_postgresql_search_stems_norwegian_words(tenant_a):
    _profile(tenant_a, tenant_a.advisor, text="Eksport av sjømat for bedriftene på kysten")
    _profile(tenant_a, tenant_a.manager, text="Reiseliv")
    assert _names(tenant_a, q="eksporten") == [tenant_a.advisor.full_name]
    assert _names(tenant_a, q="bedrift -reiseliv") == [tenant_a.advisor.full_name]
    assert _names(tenant_a, q='"sjømat for bedriftene"') == [tenant_a.advisor.full_name]
