"""The pages where a user creates and revokes personal API tokens."""

import hashlib
import re

import pytest
from django.test import Client

from koblingsboks.api.models import ApiToken
from koblingsboks.api.services import MAX_ACTIVE_TOKENS, api_token_create
from koblingsboks.core.exceptions import ServiceError

URL = "/profile/tokens/"


def _shown_token(response) -> str | None:
    match = re.search(r'data-testid="new-token">([^<]+)<', response.content.decode())
    return match.group(1) if match else None


def test_token_pages_need_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_create_shows_the_raw_token_once_and_stores_only_its_hash(client_a, tenant_a):
    response = client_a.post(URL, {"name": "Regneark"})

    assert response.status_code == 200
    raw = _shown_token(response)
    assert raw
    [token] = ApiToken.objects.filter(user=tenant_a.admin)
    assert token.name == "Regneark"
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix)
    assert len(token.prefix) < len(raw)
    stored = [str(v) for v in ApiToken.objects.values().get(pk=token.pk).values()]
    assert raw not in stored
    # The list shows the prefix only; the token is not shown again.
    again = client_a.get(URL)
    assert _shown_token(again) is None
    assert raw not in again.content.decode()
    assert token.prefix in again.content.decode()
    # The token shown works in the API.
    api_client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api_client.get("/api/v1/me").json()["email"] == tenant_a.admin.email


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_create_without_a_proper_name_is_refused(client_a, tenant_a, name):
    response = client_a.post(URL, {"name": name})

    assert response.status_code == 400
    assert response.context["error"]
    assert _shown_token(response) is None
    assert not ApiToken.objects.filter(user=tenant_a.admin).exists()


def test_number_of_active_tokens_is_limited(tenant_a):
    for n in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=tenant_a.admin, name=f"t{n}")

    with pytest.raises(ServiceError) as exc_info:
        api_token_create(user=tenant_a.admin, name="en for mye")

    assert exc_info.value.code == "limit"
    assert ApiToken.objects.filter(user=tenant_a.admin).count() == MAX_ACTIVE_TOKENS


def test_the_page_lists_only_the_users_own_tokens(client_a, tenant_a, tenant_b):
    api_token_create(user=tenant_a.admin, name="Min token")
    api_token_create(user=tenant_b.admin, name="Andres token")

    response = client_a.get(URL)

    assert [t.name for t in response.context["tokens"]] == ["Min token"]
    assert "Andres token" not in response.content.decode()


def test_revoke(client_a, tenant_a):
    token, raw = api_token_create(user=tenant_a.admin, name="Regneark")

    response = client_a.post(f"{URL}{token.pk}/revoke/", follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 401
    # A revoked token is listed without a revoke button.
    assert f'action="{URL}{token.pk}/revoke/"' not in response.content.decode()


def test_revoke_needs_post(client_a, tenant_a):
    token, _raw = api_token_create(user=tenant_a.admin, name="Regneark")

    assert client_a.get(f"{URL}{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_cannot_revoke_another_users_token(client_a, tenant_b):
    token, raw = api_token_create(user=tenant_b.advisor, name="Ikke din")

    response = client_a.post(f"{URL}{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 200


def test_revoke_service_refuses_another_user(tenant_a, tenant_b):
    from koblingsboks.api.services import api_token_revoke

    token, _raw = api_token_create(user=tenant_b.advisor, name="Ikke din")

    with pytest.raises(ServiceError):
        api_token_revoke(token=token, user=tenant_a.admin)
    token.refresh_from_db()
    assert token.revoked_at is None
