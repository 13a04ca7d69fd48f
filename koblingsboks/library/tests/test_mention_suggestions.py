"""Mention autocomplete: people of the network for a typed prefix (htmx), never anybody
outside it."""

import pytest
from django.urls import reverse

from conftest import make_tenant
from koblingsboks.library.mentions import mention_suggestions, typed_prefix
from koblingsboks.library.tests.factories import make_post
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _person(tenant, full_name, email):
    user = UserFactory(full_name=full_name, email=email)
    MembershipFactory(organisation=tenant.organisation, user=user)
    return user


def test_typed_prefix_is_the_mention_at_the_end():
    assert typed_prefix("Takk til @ka") == "ka"
    assert typed_prefix("@kari@orkdal") == ""  # an address is being typed after the first @
    assert typed_prefix("e-post: ola@ka") == ""  # not a mention: no space before the @
    assert typed_prefix("Hei @kari@x.no og") == ""


def test_suggestions_come_from_the_network_only(tenant_a, tenant_b, shared_network):
    colleague = _person(tenant_a, "Kari Nordmann", "kari@a.example")
    partner = _person(tenant_b, "Per Karlsen", "per@b.example")
    outsider_tenant = make_tenant("Hage C")
    _person(outsider_tenant, "Karen Utenfor", "karen@c.example")
    found = mention_suggestions(organisation=tenant_a.organisation, prefix="ka")
    assert set(found) == {colleague, partner}  # name, later word of the name
    assert mention_suggestions(organisation=tenant_a.organisation, prefix="per@") == [partner]
    assert mention_suggestions(organisation=tenant_a.organisation, prefix="k") == []
    # The outsider's own network has only its own garden.
    outsider_view = mention_suggestions(organisation=outsider_tenant.organisation, prefix="ka")
    assert [u.email for u in outsider_view] == ["karen@c.example"]


def test_at_most_ten_suggestions(tenant_a):
    for i in range(14):
        _person(tenant_a, f"Anne {i:02d}", f"anne{i:02d}@a.example")
    assert len(mention_suggestions(organisation=tenant_a.organisation, prefix="an")) == 10


def test_the_htmx_endpoint_and_the_textareas(client, tenant_a, tenant_b, shared_network):
    _person(tenant_b, "Per Karlsen", "per@b.example")
    _person(make_tenant("Hage C"), "Per Utenfor", "per@c.example")
    client.force_login(tenant_a.advisor)
    url = reverse("library:mention-suggestions")
    html = client.get(url, {"body": "Hei @pe"}, headers={"HX-Request": "true"}).content.decode()
    assert 'data-mention="@per@b.example"' in html and "per@c.example" not in html
    assert "per@b.example" in client.get(url, {"q": "per"}).content.decode()
    assert client.get(url, {"q": "p"}).content.decode().strip() == ""
    assert 'data-testid="mention-none"' in client.get(url, {"q": "zz"}).content.decode()
    post = make_post(tenant_a, network=shared_network)
    page = client.get(reverse("library:post-detail", args=[post.pk])).content.decode()
    assert f'hx-get="{url}"' in page and 'id="mention-suggestions"' in page
    form = client.get(reverse("library:post-create")).content.decode()
    assert f'hx-get="{url}"' in form
    client.logout()
    assert client.get(url, {"q": "per"}).status_code == 302  # sign in first
