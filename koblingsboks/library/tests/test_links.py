"""A post's links to an event and a project: who may link what, and who sees the link."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_tenant
from koblingsboks.api.services import api_token_create
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.events.models import Event
from koblingsboks.events.tests.factories import make_event
from koblingsboks.library.feed import links
from koblingsboks.library.models import Post
from koblingsboks.library.tests.factories import committed, make_post
from koblingsboks.projects.tests.factories import draft_project

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def linked(tenant_a, tenant_b, shared_network):
    """A's internal event and A's own project, linked from a network post of A."""
    event = make_event(
        tenant_a.organisation,
        title="Internt styremøte hos A",
        audience=Event.Audience.ORGANISATION,
    )
    project = draft_project(tenant_a, title="Hemmelig prosjekt A", external=False)
    post = make_post(tenant_a, network=shared_network, event=event, project=project)
    return post, event, project


def test_the_author_may_link_its_own_event_and_project(linked):
    post, event, project = linked
    post.refresh_from_db()
    assert (post.event_id, post.project_id) == (event.pk, project.pk)


def test_a_network_or_public_event_of_another_garden_may_be_linked(
    tenant_a, tenant_b, shared_network
):
    public = make_event(tenant_b.organisation, title="Åpent seminar hos B")
    network_event = make_event(
        tenant_b.organisation,
        title="Samling i nettverket",
        audience=Event.Audience.NETWORK,
        network=shared_network,
    )
    for event in (public, network_event):
        post = make_post(tenant_a, network=shared_network, event=event)
        assert post.event_id == event.pk


def test_a_private_or_draft_event_of_another_garden_cannot_be_linked(
    tenant_a, tenant_b, shared_network
):
    internal = make_event(
        tenant_b.organisation, title="Internt hos B", audience=Event.Audience.ORGANISATION
    )
    draft = make_event(tenant_b.organisation, title="Utkast hos B", publish=False)
    for event in (internal, draft):
        with pytest.raises(ServiceError) as refused:
            make_post(tenant_a, network=shared_network, event=event)
        assert refused.value.code == "event"
    with organisation_scope(tenant_a.organisation):
        assert not Post.objects.exists()


def test_only_a_project_the_organisation_is_a_party_of_can_be_linked(
    tenant_a, tenant_b, shared_network
):
    theirs = draft_project(tenant_b, title="Bs prosjekt", external=False)
    with pytest.raises(ServiceError) as refused:
        make_post(tenant_a, network=shared_network, project=theirs)
    assert refused.value.code == "project"
    joint = draft_project(tenant_b, tenant_a, title="Felles prosjekt", external=False)
    assert make_post(tenant_a, network=shared_network, project=joint).project_id == joint.pk


def test_a_reader_sees_a_link_only_to_what_it_may_see(linked, tenant_a, tenant_b):
    post, event, project = linked
    own = links.links_for_reader(post, tenant_a.organisation)
    assert (own["event"].pk, own["project"].pk) == (event.pk, project.pk)
    assert links.links_for_reader(post, tenant_b.organisation) == {"event": None, "project": None}


def test_post_page_shows_links_only_to_readers_who_may_see_them(client, linked, tenant_a, tenant_b):
    post, _event, _project = linked
    client.force_login(tenant_a.advisor)
    own = client.get(reverse("library:post-detail", args=[post.pk])).content.decode()
    assert "Internt styremøte hos A" in own and "Hemmelig prosjekt A" in own
    client.force_login(tenant_b.advisor)
    page = client.get(reverse("library:post-detail", args=[post.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert post.title in body
    assert "Internt styremøte hos A" not in body and "Hemmelig prosjekt A" not in body


def test_post_form_offers_and_saves_event_and_project_links(
    client, tenant_a, tenant_b, shared_network
):
    event = make_event(tenant_a.organisation, title="Vårt seminar")
    project = draft_project(tenant_a, title="Vårt prosjekt", external=False)
    hidden = make_event(
        tenant_b.organisation, title="Skjult hos B", audience=Event.Audience.ORGANISATION
    )
    client.force_login(tenant_a.advisor)
    form = client.get(reverse("library:post-create")).content.decode()
    assert "Vårt seminar" in form and "Vårt prosjekt" in form and "Skjult hos B" not in form
    data = {
        "title": "Med lenker",
        "body": "Se arrangementet.",
        "kind": "news",
        "audience": "network",
        "network": shared_network.pk,
        "event": event.pk,
        "project": project.pk,
    }
    with committed():
        refused = client.post(reverse("library:post-create"), {**data, "event": hidden.pk})
    assert refused.status_code == 400
    with committed():
        response = client.post(reverse("library:post-create"), data)
    assert response.status_code == 302
    with organisation_scope(tenant_a.organisation):
        post = Post.objects.get(title="Med lenker")
    assert (post.event_id, post.project_id) == (event.pk, project.pk)


def _bearer(user) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_api_links_are_validated_and_shown_only_to_those_who_may_see_them(
    tenant_a, tenant_b, shared_network
):
    event = make_event(
        tenant_a.organisation, title="Internt hos A", audience=Event.Audience.ORGANISATION
    )
    project = draft_project(tenant_a, title="Prosjekt A", external=False)
    theirs = draft_project(make_tenant("Hage C"), title="Cs prosjekt", external=False)
    api_a = _bearer(tenant_a.advisor)
    url = f"/api/v1/organisations/{tenant_a.organisation.slug}/library/posts"
    payload = {"title": "Lenket", "body": "Tekst", "network": shared_network.slug}
    with committed():
        refused = api_a.post(
            url, json.dumps({**payload, "project_id": theirs.pk}), content_type=JSON
        )
    assert refused.status_code == 400
    with committed():
        response = api_a.post(
            url,
            json.dumps({**payload, "event_id": event.pk, "project_id": project.pk}),
            content_type=JSON,
        )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["event"] == {"id": event.pk, "title": "Internt hos A"}
    assert created["project"] == {"id": project.pk, "title": "Prosjekt A"}
    api_b = _bearer(tenant_b.advisor)
    b_url = f"/api/v1/organisations/{tenant_b.organisation.slug}/library/posts"
    seen = api_b.get(f"{b_url}/{created['id']}").json()
    assert seen["title"] == "Lenket"
    assert seen["event"] is None and seen["project"] is None
    listed = api_b.get(b_url).json()["items"]
    assert [(p["event"], p["project"]) for p in listed] == [(None, None)]
    assert "Internt hos A" not in json.dumps(listed) and "Prosjekt A" not in json.dumps(listed)


def test_a_method_the_organisation_keeps_to_itself_is_not_shown_to_other_readers(
    client, tenant_a, tenant_b, shared_network
):
    from koblingsboks.library.models import Audience
    from koblingsboks.library.tests.factories import make_method

    method = make_method(tenant_a, audience=Audience.ORGANISATION, title="Intern metode hos A")
    post = make_post(tenant_a, network=shared_network, method=method)
    client.force_login(tenant_a.advisor)
    assert (
        "Intern metode hos A"
        in client.get(reverse("library:post-detail", args=[post.pk])).content.decode()
    )
    client.force_login(tenant_b.advisor)
    page = client.get(reverse("library:post-detail", args=[post.pk]))
    assert page.status_code == 200
    assert post.title in page.content.decode()
    assert "Intern metode hos A" not in page.content.decode()


# --- changing the links after publishing ----------------------------------------------------


def _edit(post, actor, **links_given):
    from koblingsboks.library.feed.services import post_update

    with committed():
        return post_update(
            post=post,
            actor=actor,
            title=post.title,
            body=post.body,
            kind=post.kind,
            audience=post.audience,
            network=post.network,
            tags=[tag.name for tag in post.tags.all()],
            **links_given,
        )


def _audits(tenant, action):
    from django_scopes import scopes_disabled

    from koblingsboks.core.models import AuditEntry

    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(organisation=tenant.organisation, action=action).order_by(
                "pk"
            )
        )


def test_links_are_changed_on_edit_with_the_publish_checks_and_audited(
    tenant_a, tenant_b, shared_network
):
    import datetime

    from koblingsboks.companies.models import Affiliation
    from koblingsboks.library.tests.factories import make_method
    from tests.factories import CompanyFactory

    post = make_post(tenant_a, network=shared_network, title="Uten lenker")
    event = make_event(tenant_a.organisation, title="Vårt seminar")
    project = draft_project(tenant_a, title="Vårt prosjekt", external=False)
    method = make_method(tenant_b, title="Bs metode")
    own_company, other_company = CompanyFactory(), CompanyFactory()
    with organisation_scope(tenant_a.organisation):
        Affiliation.objects.create(
            organisation=tenant_a.organisation,
            company=own_company,
            kind=Affiliation.Kind.values[0],
            start_date=datetime.date(2026, 1, 1),
        )
    post = _edit(
        post, tenant_a.advisor, event=event, project=project, method=method, company=own_company
    )
    post.refresh_from_db()
    assert (post.event_id, post.project_id, post.method_id, post.company_id) == (
        event.pk,
        project.pk,
        method.pk,
        own_company.pk,
    )
    audit = _audits(tenant_a, "library.post.updated")[-1]
    assert audit.before["event"] is None and audit.after["event"] == event.pk
    assert audit.after["project"] == project.pk and audit.after["company"] == own_company.pk

    hidden = make_event(
        tenant_b.organisation, title="Internt hos B", audience=Event.Audience.ORGANISATION
    )
    theirs = draft_project(tenant_b, title="Bs prosjekt", external=False)
    private_method = make_method(tenant_b, title="Bs interne", audience="organisation")
    refusals = [
        ({"event": hidden}, "event"),
        ({"project": theirs}, "project"),
        ({"method": private_method}, "method"),
        ({"company": other_company}, "company"),
    ]
    for given, code in refusals:
        with pytest.raises(ServiceError) as refused:
            _edit(post, tenant_a.advisor, **given)
        assert refused.value.code == code
    post.refresh_from_db()
    assert (post.event_id, post.project_id, post.method_id, post.company_id) == (
        event.pk,
        project.pk,
        method.pk,
        own_company.pk,
    )
    assert len(_audits(tenant_a, "library.post.updated")) == 1
    # Links that are not given stay; None removes one.
    post = _edit(post, tenant_a.advisor, event=None)
    post.refresh_from_db()
    assert post.event_id is None and post.project_id == project.pk


def test_post_edit_form_changes_links(client, linked, tenant_a, tenant_b, shared_network):
    post, event, project = linked
    other = make_event(tenant_a.organisation, title="Nytt seminar")
    hidden = make_event(
        tenant_b.organisation, title="Skjult hos B", audience=Event.Audience.ORGANISATION
    )
    client.force_login(tenant_a.advisor)
    url = reverse("library:post-edit", args=[post.pk])
    form = client.get(url).content.decode()
    assert f'<option value="{event.pk}" selected>' in form
    assert "Nytt seminar" in form and "Skjult hos B" not in form
    data = {
        "title": post.title,
        "body": post.body,
        "kind": post.kind,
        "audience": post.audience,
        "network": shared_network.pk,
        "event": other.pk,
        "project": "",
    }
    with committed():
        assert client.post(url, {**data, "event": hidden.pk}).status_code == 400
    with committed():
        assert client.post(url, data).status_code == 302
    post.refresh_from_db()
    assert (post.event_id, post.project_id) == (other.pk, None)


def test_api_patch_changes_links(linked, tenant_a, tenant_b, shared_network):
    post, event, project = linked
    other = make_event(tenant_a.organisation, title="Nytt seminar")
    theirs = draft_project(tenant_b, title="Bs prosjekt", external=False)
    api = _bearer(tenant_a.advisor)
    url = f"/api/v1/organisations/{tenant_a.organisation.slug}/library/posts/{post.pk}"
    refused = api.patch(url, json.dumps({"project_id": theirs.pk}), content_type=JSON)
    assert refused.status_code == 400
    post.refresh_from_db()
    assert post.project_id == project.pk
    with committed():
        changed = api.patch(
            url, json.dumps({"event_id": other.pk, "project_id": None}), content_type=JSON
        )
    assert changed.status_code == 200, changed.content
    assert changed.json()["event"] == {"id": other.pk, "title": "Nytt seminar"}
    assert changed.json()["project"] is None
    with committed():
        kept = api.patch(url, json.dumps({"title": "Ny tittel"}), content_type=JSON)
    assert kept.json()["event"]["id"] == other.pk
