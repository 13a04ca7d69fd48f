"""Competence areas from the people app's taxonomy: methods carry them, the library is browsed
by them, and people whose areas (profile or settings) include a new method's area are told
about it, if they may read it."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_tenant
from koblingsboks.api.services import api_token_create
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.library.methods import selectors
from koblingsboks.library.methods.services import method_update
from koblingsboks.library.models import Audience, MethodVersion, Notification
from koblingsboks.library.notifications.services import notify_method_followers, settings_update
from koblingsboks.library.tests.factories import committed, make_method
from koblingsboks.people.services import profile_save
from koblingsboks.people.tests.factories import CompetenceAreaFactory, CompetenceFactory
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(db):
    return {
        "funding": CompetenceAreaFactory(name_nb="Finansiering", name_en="Funding"),
        "export": CompetenceAreaFactory(name_nb="Eksport", name_en="Export"),
        "board": CompetenceAreaFactory(name_nb="Styrearbeid", name_en="Board work"),
    }


def _profile(tenant, user, *areas):
    competences = {CompetenceFactory(area=area).pk: 2 for area in areas}
    with organisation_scope(tenant.organisation):
        profile_save(
            organisation=tenant.organisation,
            user=user,
            text="",
            competences=competences,
            languages=["nb"],
            sectors=[],
            actor=user,
        )


def _notified(method) -> set[int]:
    return set(
        Notification.objects.filter(kind="method", method=method).values_list("user_id", flat=True)
    )


def _update(method, actor, **changes):
    data = {
        "title": method.title,
        "summary": method.summary,
        "body": method.body,
        "tags": [t.name for t in method.tags.all()],
        "competence_areas": list(method.competence_areas.all()),
        "audience": method.audience,
        "licence": method.licence,
    }
    data.update(changes)
    with committed():
        return method_update(method=method, actor=actor, contact=method.contact, **data)


# --- the service ---------------------------------------------------------------------------


def test_a_method_carries_areas_of_the_taxonomy_and_versions_keep_their_names(tenant_a, areas):
    method = make_method(tenant_a, competence_areas=[areas["funding"].pk, str(areas["board"].pk)])
    assert set(method.competence_areas.all()) == {areas["funding"], areas["board"]}
    assert MethodVersion.objects.get(method=method).competence_areas == "Finansiering, Styrearbeid"
    # The same areas given as rows change nothing: no new version.
    same = _update(method, tenant_a.advisor, competence_areas=[areas["board"], areas["funding"]])
    assert same.version == 1
    changed = _update(method, tenant_a.advisor, competence_areas=[areas["export"]])
    assert changed.version == 2
    assert MethodVersion.objects.get(method=method, number=2).competence_areas == "Eksport"


def test_unknown_or_malformed_areas_are_refused_and_nothing_is_stored(tenant_a, areas):
    with pytest.raises(ServiceError) as error:
        make_method(tenant_a, competence_areas=[areas["funding"].pk, 999_999])
    assert error.value.code == "competence_areas" and "999999" in error.value.message
    with pytest.raises(ServiceError) as error:
        make_method(tenant_a, competence_areas=["Finansiering"])
    assert error.value.code == "competence_areas" and "Finansiering" in error.value.message
    assert _methods_of(tenant_a) == []


def _methods_of(tenant):
    from koblingsboks.library.models import Method

    with organisation_scope(tenant.organisation):
        return list(Method.objects.all())


def test_areas_with_counts_count_only_methods_the_organisation_may_read(
    tenant_a, tenant_b, shared_network, areas
):
    make_method(tenant_a, title="A1", competence_areas=[areas["funding"]])
    make_method(tenant_a, title="A2", competence_areas=[areas["funding"], areas["board"]])
    make_method(
        tenant_a, title="Intern", competence_areas=[areas["export"]], audience="organisation"
    )
    make_method(tenant_b, title="B1", competence_areas=[areas["funding"]])

    def counts(tenant):
        return {
            area.name_nb: area.method_count
            for area in selectors.competence_areas_with_counts(organisation=tenant.organisation)
        }

    assert counts(tenant_a) == {"Finansiering": 3, "Styrearbeid": 1, "Eksport": 1}
    assert counts(tenant_b) == {"Finansiering": 3, "Styrearbeid": 1}
    outsider = make_tenant("Hage C")
    assert counts(outsider) == {}
    titles = [
        m.title
        for m in selectors.method_list(
            organisation=tenant_b.organisation,
            filters=selectors.MethodFilters(competence=areas["funding"].pk),
        )
    ]
    assert titles == ["A1", "A2", "B1"]


# --- notifications -------------------------------------------------------------------------


def test_people_of_the_area_by_profile_or_settings_are_notified_once(
    tenant_a, tenant_b, shared_network, areas
):
    _profile(tenant_b, tenant_b.advisor, areas["funding"])  # profile-derived
    settings_update(user=tenant_b.manager, digest="weekly", competence_areas=[areas["board"]])
    # Both ways for the admin: still one notification.
    _profile(tenant_b, tenant_b.admin, areas["funding"])
    settings_update(user=tenant_b.admin, digest="weekly", competence_areas=[areas["funding"]])
    settings_update(user=tenant_b.observer, digest="weekly", competence_areas=[areas["export"]])
    # The author's own areas include it: the author is not told about their own method.
    _profile(tenant_a, tenant_a.advisor, areas["funding"])
    method = make_method(tenant_a, competence_areas=[areas["funding"], areas["board"]])
    assert _notified(method) == {tenant_b.advisor.pk, tenant_b.manager.pk, tenant_b.admin.pk}
    assert Notification.objects.filter(method=method, user=tenant_b.admin).count() == 1
    # Once per user and method, however often it is asked.
    assert notify_method_followers(method=method, actor=tenant_a.advisor) == 0
    assert Notification.objects.filter(method=method).count() == 3


def test_people_who_may_not_read_the_method_get_nothing(tenant_a, tenant_b, shared_network, areas):
    outsider = make_tenant("Hage C")  # another network: shares none with tenant A
    _profile(outsider, outsider.advisor, areas["funding"])
    _profile(tenant_b, tenant_b.advisor, areas["funding"])
    _profile(tenant_a, tenant_a.manager, areas["funding"])
    network_method = make_method(tenant_a, competence_areas=[areas["funding"]])
    assert _notified(network_method) == {tenant_b.advisor.pk, tenant_a.manager.pk}
    own = make_method(
        tenant_a, title="Intern", competence_areas=[areas["funding"]], audience="organisation"
    )
    assert _notified(own) == {tenant_a.manager.pk}
    # A public method is read by every signed-in member, the other network's included.
    public = make_method(
        tenant_a, title="Offentlig", competence_areas=[areas["funding"]], audience="public"
    )
    assert _notified(public) == {tenant_b.advisor.pk, tenant_a.manager.pk, outsider.advisor.pk}


def test_widening_the_audience_tells_only_the_new_readers(
    tenant_a, tenant_b, shared_network, areas
):
    _profile(tenant_a, tenant_a.manager, areas["funding"])
    _profile(tenant_b, tenant_b.advisor, areas["funding"])
    method = make_method(tenant_a, competence_areas=[areas["funding"]], audience="organisation")
    assert _notified(method) == {tenant_a.manager.pk}
    method = _update(method, tenant_a.advisor, audience=Audience.NETWORK)
    assert _notified(method) == {tenant_a.manager.pk, tenant_b.advisor.pk}
    assert Notification.objects.filter(method=method).count() == 2
    # An added area reaches the people of that area who were not told yet.
    settings_update(user=tenant_b.manager, digest="weekly", competence_areas=[areas["export"]])
    _update(method, tenant_a.advisor, competence_areas=[areas["funding"], areas["export"]])
    assert _notified(method) == {tenant_a.manager.pk, tenant_b.advisor.pk, tenant_b.manager.pk}


def test_notifying_takes_the_same_number_of_queries_for_many_people(
    tenant_a, tenant_b, shared_network, areas
):
    def queries_for(title):
        method = make_method(tenant_a, title=title, competence_areas=[areas["funding"]])
        Notification.objects.filter(method=method).delete()
        with CaptureQueriesContext(connection) as ctx:
            told = notify_method_followers(method=method, actor=tenant_a.advisor)
        return told, len(ctx.captured_queries)

    settings_update(user=tenant_b.advisor, digest="weekly", competence_areas=[areas["funding"]])
    few = queries_for("Få")
    for _i in range(8):
        user = MembershipFactory(organisation=tenant_b.organisation).user
        _profile(tenant_b, user, areas["funding"])
    many = queries_for("Mange")
    assert (few[0], many[0]) == (1, 9)
    assert few[1] == many[1] <= 4


# --- pages ---------------------------------------------------------------------------------


def test_methods_page_browses_by_area_with_counts(client, tenant_a, areas):
    make_method(tenant_a, title="Styrekurs", competence_areas=[areas["board"]])
    make_method(tenant_a, title="Søknadsklinikk", competence_areas=[areas["funding"]])
    client.force_login(tenant_a.advisor)
    html = client.get(reverse("library:methods")).content.decode()
    assert f'<option value="{areas["board"].pk}">Styrearbeid (1)</option>' in html
    assert "Eksport" not in html  # no method in that area
    html = client.get(f"{reverse('library:methods')}?competence={areas['board'].pk}").content
    assert b"Styrekurs" in html and "Søknadsklinikk".encode() not in html


def test_settings_show_profile_areas_and_follow_more(client, tenant_a, areas):
    _profile(tenant_a, tenant_a.advisor, areas["funding"])
    client.force_login(tenant_a.advisor)
    page = client.get(reverse("library:settings")).content.decode()
    profile_part = page.split('data-testid="profile-areas"')[1].split("</section>")[0]
    assert "Finansiering" in profile_part and "Eksport" not in profile_part
    response = client.post(
        reverse("library:settings"),
        {"digest": "weekly", "competence_areas": [areas["export"].pk]},
    )
    assert response.status_code == 302
    page = client.get(reverse("library:settings")).content.decode()
    checked = re.findall(
        r'<input type="checkbox" name="competence_areas" value="(\d+)"[^>]*checked', page
    )
    assert checked == [str(areas["export"].pk)]
    bad = client.post(reverse("library:settings"), {"digest": "weekly", "competence_areas": [0]})
    assert bad.status_code == 400


# --- API -----------------------------------------------------------------------------------


def _api(user) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_api_takes_area_ids_and_answers_id_and_name(tenant_a, tenant_b, shared_network, areas):
    base = f"/api/v1/organisations/{tenant_a.organisation.slug}/library"
    api = _api(tenant_a.advisor)
    data = {"title": "Klinikk", "summary": "Drop-in", "body": "Tekst"}
    unknown = api.post(
        f"{base}/methods",
        json.dumps({**data, "competence_areas": [areas["funding"].pk, 424242]}),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert unknown.status_code == 400
    assert "Unknown competence area: 424242" in unknown.json()["detail"]
    names = api.post(
        f"{base}/methods",
        json.dumps({**data, "competence_areas": ["Finansiering"]}),
        content_type="application/json",
    )
    assert names.status_code == 422
    assert _methods_of(tenant_a) == []
    created = api.post(
        f"{base}/methods",
        json.dumps({**data, "competence_areas": [areas["funding"].pk]}),
        content_type="application/json",
    )
    assert created.status_code == 201
    method_id = created.json()["id"]
    english = api.get(f"{base}/methods/{method_id}", headers={"Accept-Language": "en"})
    assert english.json()["competence_areas"] == [{"id": areas["funding"].pk, "name": "Funding"}]
    patched = api.patch(
        f"{base}/methods/{method_id}",
        json.dumps({"competence_areas": [areas["board"].pk]}),
        content_type="application/json",
    )
    assert [a["id"] for a in patched.json()["competence_areas"]] == [areas["board"].pk]
    listed = api.get(f"{base}/methods?competence={areas['board'].pk}").json()
    assert [m["id"] for m in listed["items"]] == [method_id]
    assert api.get(f"{base}/methods?competence={areas['funding'].pk}").json()["items"] == []

    make_method(
        tenant_a, title="Intern", competence_areas=[areas["export"]], audience="organisation"
    )
    own = api.get(f"{base}/methods/competence-areas").json()
    assert {(a["name"], a["method_count"]) for a in own} == {("Styrearbeid", 1), ("Eksport", 1)}
    other = _api(tenant_b.advisor).get(
        f"/api/v1/organisations/{tenant_b.organisation.slug}/library/methods/competence-areas"
    )
    assert [(a["name"], a["method_count"]) for a in other.json()] == [("Styrearbeid", 1)]


# --- the data migration --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_maps_free_tag_areas_to_the_taxonomy_and_keeps_the_rest_as_tags(tenant_a):
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    before = [("library", "0004_competence_areas_from_taxonomy")]
    latest = [("library", "0006_competence_areas_rename")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        Area = apps.get_model("people", "CompetenceArea")
        Tag = apps.get_model("library", "Tag")
        Method = apps.get_model("library", "Method")
        Settings = apps.get_model("library", "NotificationSettings")
        funding = Area.objects.create(name_nb="Finansiering", name_en="Funding")
        export = Area.objects.create(name_nb="Eksport og internasjonalisering", name_en="Export")
        now = timezone.now()
        method = Method.objects.create(
            organisation_id=tenant_a.organisation.pk,
            title="Klinikk",
            summary="S",
            body="B",
            created_at=now,
            updated_at=now,
        )
        finans = Tag.objects.create(name="finansiering", slug="finansiering")
        havbruk = Tag.objects.create(name="Havbruk", slug="havbruk")
        eksport = Tag.objects.create(name="EKSPORT OG INTERNASJONALISERING", slug="eksport-og")
        method.competence_areas.set([finans, havbruk, eksport])
        settings = Settings.objects.create(user_id=tenant_a.advisor.pk)
        settings.competence_areas.set([finans, havbruk])

        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        apps = executor.loader.project_state(latest).apps
        Method = apps.get_model("library", "Method")
        Settings = apps.get_model("library", "NotificationSettings")
        method = Method.objects.get(pk=method.pk)
        assert set(method.competence_areas.values_list("pk", flat=True)) == {funding.pk, export.pk}
        # The area without a match in the taxonomy is not lost: it is now an ordinary tag.
        assert list(method.tags.values_list("name", flat=True)) == ["Havbruk"]
        settings = Settings.objects.get(pk=settings.pk)
        assert list(settings.competence_areas.values_list("pk", flat=True)) == [funding.pk]
    finally:
        MigrationExecutor(connection).migrate(latest)
