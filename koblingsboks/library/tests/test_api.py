"""The library's JSON API: posts, comments, methods with versions, search, notifications."""

import json

import pytest
from django.test import Client

from koblingsboks.api.services import api_token_create
from koblingsboks.library.models import Notification
from koblingsboks.library.tests.factories import committed, make_method, make_post
from koblingsboks.people.tests.factories import CompetenceAreaFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _bearer(user) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _base(tenant):
    return f"/api/v1/organisations/{tenant.organisation.slug}/library"


def test_post_comment_and_mention_through_the_api(tenant_a, tenant_b, shared_network):
    api_a = _bearer(tenant_a.advisor)
    with committed():
        response = api_a.post(
            f"{_base(tenant_a)}/posts",
            json.dumps(
                {
                    "title": "Fra API",
                    "body": f"Hei @{tenant_b.advisor.email} <script>x</script>",
                    "audience": "network",
                    "network": shared_network.slug,
                    "tags": ["api", "test"],
                }
            ),
            content_type=JSON,
        )
    assert response.status_code == 201, response.content
    post = response.json()
    assert post["network"] == shared_network.slug and post["tags"] == ["api", "test"]
    assert "<script>" not in post["body_html"]

    api_b = _bearer(tenant_b.advisor)
    listed = api_b.get(f"{_base(tenant_b)}/posts").json()
    assert [p["title"] for p in listed["items"]] == ["Fra API"]
    notes = api_b.get("/api/v1/library/notifications?unread=true").json()
    assert [(n["kind"], n["title"]) for n in notes["items"]] == [("mention", "Fra API")]
    read = api_b.post(f"/api/v1/library/notifications/{notes['items'][0]['id']}/read")
    assert read.status_code == 200 and read.json()["read_at"] is not None

    comment = api_b.post(
        f"{_base(tenant_b)}/posts/{post['id']}/comments",
        json.dumps({"body": "Svar"}),
        content_type=JSON,
    )
    assert comment.status_code == 201
    changed = api_b.patch(
        f"{_base(tenant_b)}/comments/{comment.json()['id']}",
        json.dumps({"body": "Endret svar"}),
        content_type=JSON,
    )
    assert changed.json()["edited_at"] is not None
    refused = api_a.patch(
        f"{_base(tenant_a)}/comments/{comment.json()['id']}",
        json.dumps({"body": "Ikke din"}),
        content_type=JSON,
    )
    assert refused.status_code == 403


def test_api_refuses_bad_input_with_clear_messages(tenant_a, tenant_b, shared_network):
    api = _bearer(tenant_a.advisor)
    outside = api.post(
        f"{_base(tenant_a)}/posts",
        json.dumps({"title": "X", "body": "Y", "network": "finnes-ikke"}),
        content_type=JSON,
    )
    assert outside.status_code == 400 and "finnes-ikke" in outside.json()["detail"]
    observer = _bearer(tenant_a.observer).post(
        f"{_base(tenant_a)}/posts",
        json.dumps({"title": "X", "body": "Y", "audience": "organisation"}),
        content_type=JSON,
    )
    assert observer.status_code == 403
    internal = make_post(tenant_b, title="Intern B")
    hidden = api.post(
        f"{_base(tenant_a)}/posts/{internal.pk}/comments",
        json.dumps({"body": "Hei"}),
        content_type=JSON,
    )
    assert hidden.status_code == 404


def test_methods_versions_and_experience_through_the_api(tenant_a, tenant_b, shared_network):
    funding = CompetenceAreaFactory(name_nb="Finansiering", name_en="Funding")
    api_a = _bearer(tenant_a.advisor)
    created = api_a.post(
        f"{_base(tenant_a)}/methods",
        json.dumps(
            {
                "title": "Søknadsklinikk",
                "summary": "Drop-in",
                "body": "Linje 1",
                "tags": ["finansiering"],
                "competence_areas": [funding.pk],
                "contact_id": tenant_a.advisor.pk,
            }
        ),
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    method_id = created.json()["id"]
    assert created.json()["competence_areas"] == [{"id": funding.pk, "name": "Finansiering"}]
    patched = api_a.patch(
        f"{_base(tenant_a)}/methods/{method_id}",
        json.dumps({"body": "Linje 1\nLinje 2", "change_note": "Mer"}),
        content_type=JSON,
    )
    assert patched.json()["version"] == 2
    versions = api_a.get(f"{_base(tenant_a)}/methods/{method_id}/versions").json()
    assert [(v["number"], v["change_note"]) for v in versions] == [(2, "Mer"), (1, "")]

    api_b = _bearer(tenant_b.advisor)
    assert (
        api_b.patch(
            f"{_base(tenant_b)}/methods/{method_id}",
            json.dumps({"title": "Kapret"}),
            content_type=JSON,
        ).status_code
        == 403
    )
    experience = api_b.post(
        f"{_base(tenant_b)}/methods/{method_id}/experiences",
        json.dumps({"note": "Virket", "companies_count": 4}),
        content_type=JSON,
    )
    assert experience.status_code == 201
    detail = api_b.get(f"{_base(tenant_b)}/methods/{method_id}").json()
    assert [e["note"] for e in detail["experiences"]] == ["Virket"]


def test_search_through_the_api(tenant_a, tenant_b, shared_network):
    make_method(tenant_a, title="Søknadsverksted", body="Vi skriver søknader.")
    make_method(tenant_a, title="Intern", body="søknader", audience="organisation")
    hits = _bearer(tenant_b.advisor).get(f"{_base(tenant_b)}/search?q=søknad").json()
    assert [h["title"] for h in hits] == ["Søknadsverksted"]
    assert "<mark>" in hits[0]["snippet_html"]


def test_notifications_are_private_to_their_user(tenant_a, tenant_b, shared_network):
    make_post(tenant_a, network=shared_network, body=f"@{tenant_b.advisor.email}")
    notification = Notification.objects.get()
    other = _bearer(tenant_b.admin)
    assert other.get("/api/v1/library/notifications").json()["count"] == 0
    assert other.post(f"/api/v1/library/notifications/{notification.pk}/read").status_code == 404


def test_a_posts_company_link_through_the_api_is_the_own_gardens_and_shown_only_to_it(
    tenant_a, tenant_b, shared_network
):
    import datetime

    from koblingsboks.companies.models import Affiliation
    from koblingsboks.core.tenancy import organisation_scope
    from tests.factories import CompanyFactory

    own, foreign = CompanyFactory(name="EGEN AS"), CompanyFactory(name="FREMMED AS")
    with organisation_scope(tenant_a.organisation):
        Affiliation.objects.create(
            organisation=tenant_a.organisation,
            company=own,
            kind=Affiliation.Kind.values[0],
            start_date=datetime.date(2026, 1, 1),
        )
    api_a, api_b = _bearer(tenant_a.advisor), _bearer(tenant_b.advisor)
    body = {"title": "Om en bedrift", "body": "Tekst", "network": shared_network.slug}

    refused = api_a.post(
        f"{_base(tenant_a)}/posts",
        json.dumps({**body, "company": foreign.org_number}),
        content_type=JSON,
    )
    assert refused.status_code == 400 and "FREMMED AS" in refused.json()["detail"]
    unknown = api_a.post(
        f"{_base(tenant_a)}/posts", json.dumps({**body, "company": "999999999"}), content_type=JSON
    )
    assert unknown.status_code == 400
    assert unknown.json()["detail"] == "No company with that organisation number."
    malformed = api_a.post(
        f"{_base(tenant_a)}/posts", json.dumps({**body, "company": "12"}), content_type=JSON
    )
    assert malformed.status_code == 422

    with committed():
        created = api_a.post(
            f"{_base(tenant_a)}/posts",
            json.dumps({**body, "company": own.org_number}),
            content_type=JSON,
        )
    assert created.status_code == 201
    post_id = created.json()["id"]
    assert created.json()["company"] == {"org_number": own.org_number, "name": "EGEN AS"}
    # The other garden reads the network post, but not which company it is about.
    seen_by_b = api_b.get(f"{_base(tenant_b)}/posts/{post_id}").json()
    assert seen_by_b["title"] == "Om en bedrift" and seen_by_b["company"] is None
    listed = api_b.get(f"{_base(tenant_b)}/posts").json()
    assert all(item["company"] is None for item in listed["items"])

    removed = api_a.patch(
        f"{_base(tenant_a)}/posts/{post_id}", json.dumps({"company": None}), content_type=JSON
    )
    assert removed.status_code == 200 and removed.json()["company"] is None
