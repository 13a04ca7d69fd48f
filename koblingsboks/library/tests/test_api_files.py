"""Attachments uploaded through the API (multipart): the checks of the pages, only to posts
and methods of the caller's organisation that the caller may change, and the routes in the
OpenAPI schema."""

import pytest
from django.test import Client

from conftest import make_tenant
from koblingsboks.api.services import api_token_create
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.library.models import Attachment, Audience
from koblingsboks.library.tests.factories import (
    PDF_BYTES,
    docx,
    exe_as_pdf,
    make_method,
    make_post,
    pdf,
)

pytestmark = pytest.mark.django_db


def _bearer(user) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _base(tenant):
    return f"/api/v1/organisations/{tenant.organisation.slug}/library"


def test_post_attachments_are_checked_stored_and_served(tenant_a, tenant_b, shared_network):
    post = make_post(tenant_a, network=shared_network)
    api = _bearer(tenant_a.advisor)
    url = f"{_base(tenant_a)}/posts/{post.pk}/attachments"
    response = api.post(url, {"files": [pdf('Plan "vår"\x07.pdf'), docx()]})
    assert response.status_code == 201, response.content
    names = [a["name"] for a in response.json()]
    assert names == ["Plan vår.pdf", "program.docx"]
    assert response.json()[0]["content_type"] == "application/pdf"
    assert Attachment.objects.filter(post=post).count() == 2
    # The file is served to a reader of the post (another garden in the network).
    reader = Client()
    reader.force_login(tenant_b.advisor)
    served = reader.get(response.json()[0]["url"])
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF_BYTES

    disguised = api.post(url, {"files": [exe_as_pdf()]})
    assert disguised.status_code == 400
    assert "rapport.pdf" in disguised.json()["detail"]
    assert api.post(url, {}).status_code == 400  # no file
    assert Attachment.objects.filter(post=post).count() == 2


def test_upload_limit_applies(settings, tenant_a):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 20
    post = make_post(tenant_a)
    response = _bearer(tenant_a.advisor).post(
        f"{_base(tenant_a)}/posts/{post.pk}/attachments", {"files": [pdf()]}
    )
    assert response.status_code == 400
    assert not Attachment.objects.filter(post=post).exists()


def test_only_those_who_may_change_a_post_attach_to_it(tenant_a, tenant_b, shared_network):
    own = make_post(tenant_a, audience=Audience.ORGANISATION)
    network_post = make_post(tenant_a, network=shared_network)
    # Another organisation: its own post is hidden, the network post is not its to change.
    api_b = _bearer(tenant_b.advisor)
    for post in (own, network_post):
        for base in (_base(tenant_b), _base(tenant_a)):
            answer = api_b.post(f"{base}/posts/{post.pk}/attachments", {"files": [pdf()]})
            assert answer.status_code == 404, (post.title, base)
    # In the same organisation: neither a colleague who is not the author, nor an observer.
    for user in (tenant_a.manager, tenant_a.observer):
        answer = _bearer(user).post(
            f"{_base(tenant_a)}/posts/{own.pk}/attachments", {"files": [pdf()]}
        )
        assert answer.status_code == 403
    admin = _bearer(tenant_a.admin).post(
        f"{_base(tenant_a)}/posts/{own.pk}/attachments", {"files": [pdf()]}
    )
    assert admin.status_code == 201
    assert Attachment.objects.filter(post__in=[own, network_post]).count() == 1


def test_method_attachments(tenant_a, tenant_b, shared_network):
    method = make_method(tenant_a)
    internal = make_method(tenant_a, title="Intern", audience=Audience.ORGANISATION)
    api = _bearer(tenant_a.manager)
    response = api.post(f"{_base(tenant_a)}/methods/{method.pk}/attachments", {"files": [pdf()]})
    assert response.status_code == 201
    detail = api.get(f"{_base(tenant_a)}/methods/{method.pk}").json()
    assert [a["name"] for a in detail["attachments"]] == ["plan.pdf"]
    assert detail["version"] == 1  # the text did not change
    api_b = _bearer(tenant_b.advisor)
    for target in (method, internal):
        answer = api_b.post(
            f"{_base(tenant_b)}/methods/{target.pk}/attachments", {"files": [pdf()]}
        )
        assert answer.status_code == 404
    outsider = make_tenant("Hage C")
    answer = _bearer(outsider.admin).post(
        f"{_base(outsider)}/methods/{method.pk}/attachments", {"files": [pdf()]}
    )
    assert answer.status_code == 404
    with organisation_scope(tenant_a.organisation):
        assert Attachment.objects.filter(method=method).count() == 1


def test_upload_routes_are_documented_as_multipart(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/organisations/{slug}/library/posts/{post_id}/attachments",
        "/api/v1/organisations/{slug}/library/methods/{method_id}/attachments",
    ):
        operation = schema["paths"][path]["post"]
        content = operation["requestBody"]["content"]
        assert "multipart/form-data" in content
        files = content["multipart/form-data"]["schema"]["properties"]["files"]
        assert files["type"] == "array" and files["items"]["format"] == "binary"
        assert "checked by content" in operation["description"]
