"""The JSON API under /api/v1/: schema, authentication, organisations, members, networks."""

import typing
from datetime import timedelta

import pydantic
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from koblingsboks.api.api import api
from koblingsboks.api.models import ApiToken
from koblingsboks.api.services import api_token_create, api_token_revoke
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.invitations import invitation_create
from koblingsboks.network.models import Invitation, Membership, Organisation, Role
from tests.factories import CooperationAreaFactory, MembershipFactory, OrganisationFactory
from tests.isolation.plugins import app_isolation_modules

API = "/api/v1"
JSON = "application/json"


def _bearer(user) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _as(client, user) -> Client:
    client.force_login(user)
    return client


def _audit(organisation, action=None):
    with organisation_scope(organisation):
        entries = AuditEntry.objects.filter(organisation=organisation)
        return list(entries.filter(action=action) if action else entries)


def _org_url(tenant, rest=""):
    return f"{API}/organisations/{tenant.organisation.slug}{rest}"


# --- OpenAPI schema ---------------------------------------------------------------------

# The API's contract: every operation a client may rely on.
EXPECTED_OPERATIONS = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/organisations"),
    ("get", "/api/v1/organisations/{slug}"),
    ("patch", "/api/v1/organisations/{slug}"),
    ("get", "/api/v1/organisations/{slug}/memberships"),
    ("patch", "/api/v1/organisations/{slug}/memberships/{membership_id}"),
    ("delete", "/api/v1/organisations/{slug}/memberships/{membership_id}"),
    ("get", "/api/v1/organisations/{slug}/invitations"),
    ("post", "/api/v1/organisations/{slug}/invitations"),
    ("delete", "/api/v1/organisations/{slug}/invitations/{invitation_id}"),
    ("get", "/api/v1/organisations/{slug}/audit"),
    ("get", "/api/v1/networks"),
    ("get", "/api/v1/networks/{network_slug}"),
    ("get", "/api/v1/companies"),
    ("get", "/api/v1/companies/{org_number}"),
    ("get", "/api/v1/companies/{org_number}/key-figures"),
    ("get", "/api/v1/organisations/{slug}/affiliations"),
    ("post", "/api/v1/organisations/{slug}/affiliations"),
    ("patch", "/api/v1/organisations/{slug}/affiliations/{affiliation_id}"),
    ("get", "/api/v1/organisations/{slug}/companies/{org_number}/notes"),
    ("post", "/api/v1/organisations/{slug}/companies/{org_number}/notes"),
    ("delete", "/api/v1/organisations/{slug}/companies/{org_number}/notes/{note_id}"),
    ("get", "/api/v1/organisations/{slug}/companies/{org_number}/advisory-log"),
    ("post", "/api/v1/organisations/{slug}/companies/{org_number}/advisory-log"),
    ("delete", "/api/v1/organisations/{slug}/companies/{org_number}/advisory-log/{entry_id}"),
    ("post", "/api/v1/organisations/{slug}/companies/{org_number}/key-figures"),
}
# The later apps list theirs in koblingsboks/<app>/tests/isolation.py.
for _module in app_isolation_modules():
    EXPECTED_OPERATIONS |= getattr(_module, "API_OPERATIONS", set())


@pytest.fixture
def openapi(client, db) -> dict:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def _registered_operations() -> set[tuple[str, str]]:
    """(method, path) of every operation registered on the API's routers."""
    found = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.add((method.lower(), f"{API}{prefix}{path}"))
    return found


def test_schema_lists_every_route(openapi):
    documented = {
        (method, path) for path, operations in openapi["paths"].items() for method in operations
    }

    assert documented == EXPECTED_OPERATIONS
    assert _registered_operations() == documented


def test_every_operation_has_a_unique_id_and_documents_its_errors(openapi):
    ids = [op["operationId"] for ops in openapi["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            if "{slug}" in path and path != "/api/v1/organisations/{slug}":
                assert "404" in operation["responses"], (method, path)


def _named_models(annotation, seen: set) -> typing.Iterator[type[pydantic.BaseModel]]:
    """Every pydantic model reachable from a type annotation."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        yield annotation
        for field in annotation.model_fields.values():
            yield from _named_models(field.annotation, seen)
    for argument in typing.get_args(annotation):
        yield from _named_models(argument, seen)


def test_component_schema_names_are_unique(openapi):
    """Two different schema classes with the same name would overwrite each other silently."""
    seen: set = set()
    classes_by_name: dict[str, set] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                roots = [*operation.models, *filter(None, operation.response_models.values())]
                for root in roots:
                    for model in _named_models(root, seen):
                        classes_by_name.setdefault(model.__name__, set()).add(model)

    components = openapi["components"]["schemas"]
    # Written by KoblingsboksAPI for django-ninja's own 422 answers; no class behind it.
    handwritten = {"ValidationErrorOut"}
    for name in set(components) - handwritten:
        assert name in classes_by_name, name
        assert len(classes_by_name[name]) == 1, f"{name}: {classes_by_name[name]}"


def test_every_schema_reference_resolves(openapi):
    components = openapi["components"]["schemas"]
    references = []

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                references.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(openapi)
    assert references
    for reference in references:
        assert reference.startswith("#/components/schemas/")
        assert reference.rsplit("/", 1)[1] in components


def test_schema_offers_token_and_session_authentication(openapi):
    schemes = openapi["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    me = openapi["paths"]["/api/v1/me"]["get"]
    assert len(me["security"]) == 2
    assert "security" not in openapi["paths"]["/api/v1/organisations"]["get"]


def test_interactive_docs_are_served(client, db):
    assert client.get(f"{API}/docs").status_code == 200


# --- authentication ----------------------------------------------------------------------


def test_me_with_session(client_a, tenant_a):
    response = client_a.get(f"{API}/me")

    assert response.status_code == 200
    data = response.json()
    assert data["email"] == tenant_a.admin.email
    assert data["memberships"] == [
        {"organisation": data["memberships"][0]["organisation"], "role": "admin"}
    ]
    assert data["memberships"][0]["organisation"]["slug"] == tenant_a.organisation.slug


def test_me_with_a_bearer_token(tenant_a):
    token, raw = api_token_create(user=tenant_a.advisor, name="integrasjon")
    client = Client(headers={"Authorization": f"Bearer {raw}"})

    response = client.get(f"{API}/me")

    assert response.status_code == 200
    assert response.json()["email"] == tenant_a.advisor.email
    assert [m["role"] for m in response.json()["memberships"]] == ["advisor"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_me_lists_every_organisation_of_the_user(tenant_a, tenant_b):
    with scopes_disabled():
        MembershipFactory(
            user=tenant_a.advisor, organisation=tenant_b.organisation, role="observer"
        )

    data = _bearer(tenant_a.advisor).get(f"{API}/me").json()

    roles = {m["organisation"]["slug"]: m["role"] for m in data["memberships"]}
    assert roles == {tenant_a.organisation.slug: "advisor", tenant_b.organisation.slug: "observer"}


def test_without_credentials_is_401(client, db):
    assert client.get(f"{API}/me").status_code == 401
    assert client.get(f"{API}/networks").status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer kbx_unknown", "Bearer ", "Token abc", "Basic Zm9vOmJhcg=="]
)
def test_unknown_or_malformed_token_is_401(db, header):
    assert Client(headers={"Authorization": header}).get(f"{API}/me").status_code == 401


def test_revoked_token_is_401(tenant_a):
    token, raw = api_token_create(user=tenant_a.advisor, name="gammel")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get(f"{API}/me").status_code == 200

    api_token_revoke(token=token, user=tenant_a.advisor)

    assert client.get(f"{API}/me").status_code == 401


def test_expired_token_is_401(tenant_a):
    token, raw = api_token_create(user=tenant_a.advisor, name="kortlevd", valid_days=1)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get(f"{API}/me").status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(f"{API}/me").status_code == 401


def test_token_of_a_deactivated_user_is_401(tenant_a):
    client = _bearer(tenant_a.advisor)
    tenant_a.advisor.is_active = False
    tenant_a.advisor.save()

    assert client.get(f"{API}/me").status_code == 401


def test_token_without_expiry_keeps_working(tenant_a):
    _token, raw = api_token_create(user=tenant_a.advisor, name="evig", valid_days=None)
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get(f"{API}/me")
    assert response.status_code == 200


def test_session_writes_need_the_csrf_token_but_token_writes_do_not(tenant_a):
    session_client = Client(enforce_csrf_checks=True)
    session_client.force_login(tenant_a.admin)
    body = {"postal_place": "Endret"}

    refused = session_client.patch(_org_url(tenant_a), body, content_type=JSON)
    accepted = _bearer(tenant_a.admin).patch(_org_url(tenant_a), body, content_type=JSON)

    assert refused.status_code in {401, 403}
    assert accepted.status_code == 200
    tenant_a.organisation.refresh_from_db()
    assert tenant_a.organisation.postal_place == "Endret"


# --- organisations ------------------------------------------------------------------------


def test_organisation_list_is_public_and_paginated(client, db):
    OrganisationFactory.create_batch(7)

    first = client.get(f"{API}/organisations?limit=5&offset=0").json()
    rest = client.get(f"{API}/organisations?limit=5&offset=5").json()

    assert first["count"] == 7
    assert len(first["items"]) == 5
    assert len(rest["items"]) == 2
    slugs = [o["slug"] for o in first["items"] + rest["items"]]
    assert len(set(slugs)) == 7


def test_organisation_list_filters_and_sorts(client, db):
    OrganisationFactory(name="Inkubatoren", kind=Organisation.Kind.INCUBATOR)
    OrganisationFactory(name="Bravo hage", org_number="974760673")
    OrganisationFactory(name="Alfa hage")

    def names(query):
        return [o["name"] for o in client.get(f"{API}/organisations?{query}").json()["items"]]

    assert names("kind=incubator") == ["Inkubatoren"]
    assert names("q=hage") == ["Alfa hage", "Bravo hage"]
    assert names("q=hage&sort=-name") == ["Bravo hage", "Alfa hage"]
    assert names("q=974760673") == ["Bravo hage"]
    assert names("q=ingenting") == []


def test_organisation_list_refuses_a_bad_limit(client, db):
    assert client.get(f"{API}/organisations?limit=0").status_code == 422
    assert client.get(f"{API}/organisations?offset=-1").status_code == 422


def test_organisation_detail_is_public(client, db):
    organisation = OrganisationFactory(name="Fjellhagen", org_number="974760673")

    response = client.get(f"{API}/organisations/{organisation.slug}")

    assert response.status_code == 200
    assert response.json()["org_number"] == "974760673"
    assert client.get(f"{API}/organisations/finnes-ikke").status_code == 404


def test_organisation_patch_by_admin_is_saved_and_audited(client_a, tenant_a):
    response = client_a.patch(
        _org_url(tenant_a),
        {"postal_code": "7374", "postal_place": "Røros", "municipalities": ["5025", "5026"]},
        content_type=JSON,
    )

    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["postal_code"], data["postal_place"]) == ("7374", "Røros")
    assert sorted(m["number"] for m in data["municipalities"]) == ["5025", "5026"]
    tenant_a.organisation.refresh_from_db()
    assert tenant_a.organisation.postal_place == "Røros"
    [entry] = _audit(tenant_a.organisation, "network.organisation.updated")
    assert entry.actor == tenant_a.admin
    assert entry.after["municipalities"] == ["5025", "5026"]


def test_organisation_patch_leaves_unsent_fields_alone(client_a, tenant_a):
    organisation = tenant_a.organisation
    organisation.municipalities.set(["5021"])
    organisation.description = "Beholdes"
    organisation.save()

    client_a.patch(_org_url(tenant_a), {"postal_place": "Oppdal"}, content_type=JSON)

    organisation.refresh_from_db()
    assert organisation.description == "Beholdes"
    assert list(organisation.municipalities.values_list("number", flat=True)) == ["5021"]


@pytest.mark.parametrize("role", ["manager", "advisor", "observer"])
def test_organisation_patch_by_other_roles_is_403(client, tenant_a, role):
    response = _as(client, getattr(tenant_a, role)).patch(
        _org_url(tenant_a), {"name": "Kapret"}, content_type=JSON
    )

    assert response.status_code == 403
    assert response.json()["detail"]
    tenant_a.organisation.refresh_from_db()
    assert tenant_a.organisation.name != "Kapret"


def test_organisation_patch_by_a_non_member_is_404(client, tenant_a, tenant_b):
    response = _as(client, tenant_b.admin).patch(
        _org_url(tenant_a), {"name": "Kapret"}, content_type=JSON
    )
    unknown = client.patch(f"{API}/organisations/finnes-ikke", {"name": "x"}, content_type=JSON)

    assert response.status_code == 404
    assert unknown.status_code == 404
    assert response.json() == unknown.json()
    tenant_a.organisation.refresh_from_db()
    assert tenant_a.organisation.name != "Kapret"


def test_organisation_patch_anonymous_is_401(client, tenant_a):
    assert client.patch(_org_url(tenant_a), {"name": "x"}, content_type=JSON).status_code == 401


@pytest.mark.parametrize(
    ("body", "quoted"),
    [
        ({"postal_code": "12ab"}, "12ab"),
        ({"email": "ikke-en-adresse"}, None),
        ({"name": ""}, None),
        ({"municipalities": ["5025", "9999"]}, "9999"),
    ],
)
def test_organisation_patch_with_invalid_data_is_400_and_changes_nothing(
    client_a, tenant_a, body, quoted
):
    before = Organisation.objects.values().get(pk=tenant_a.organisation.pk)

    response = client_a.patch(
        _org_url(tenant_a), {"postal_place": "Endret", **body}, content_type=JSON
    )

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail
    assert "Constraint" not in detail and "organisation_" not in detail
    if quoted:
        assert quoted in detail
    assert Organisation.objects.values().get(pk=tenant_a.organisation.pk) == before
    assert tenant_a.organisation.municipalities.count() == 0
    assert _audit(tenant_a.organisation) == []


@pytest.mark.parametrize(
    "body", [{"description": "x" * 4001}, {"postal_code": "12345"}, {"name": None, "kind": 3}]
)
def test_organisation_patch_outside_the_schema_is_refused(client_a, tenant_a, body):
    before = Organisation.objects.values().get(pk=tenant_a.organisation.pk)

    response = client_a.patch(_org_url(tenant_a), body, content_type=JSON)

    assert response.status_code in {400, 422}
    assert Organisation.objects.values().get(pk=tenant_a.organisation.pk) == before


def test_organisation_patch_cannot_change_kind_or_org_number(client_a, tenant_a):
    organisation = tenant_a.organisation
    org_number = organisation.org_number

    client_a.patch(
        _org_url(tenant_a), {"kind": "incubator", "org_number": "974760673"}, content_type=JSON
    )

    organisation.refresh_from_db()
    assert (organisation.kind, organisation.org_number) == ("business_garden", org_number)


# --- memberships ----------------------------------------------------------------------------


def test_membership_list_for_admin(client_a, tenant_a, tenant_b):
    data = client_a.get(_org_url(tenant_a, "/memberships?sort=role")).json()

    assert data["count"] == 4
    emails = {m["user"]["email"] for m in data["items"]}
    assert emails == {
        u.email for u in (tenant_a.admin, tenant_a.manager, tenant_a.advisor, tenant_a.observer)
    }
    roles = [m["role"] for m in data["items"]]
    assert roles == sorted(roles)
    assert len(client_a.get(_org_url(tenant_a, "/memberships?limit=2")).json()["items"]) == 2


@pytest.mark.parametrize("role", ["manager", "advisor", "observer"])
def test_membership_list_for_other_roles_is_403(client, tenant_a, role):
    assert (
        _as(client, getattr(tenant_a, role)).get(_org_url(tenant_a, "/memberships")).status_code
        == 403
    )


def test_membership_list_of_another_organisation_is_404(client_a, tenant_b):
    assert client_a.get(_org_url(tenant_b, "/memberships")).status_code == 404


def test_membership_patch_changes_the_role(client_a, tenant_a):
    membership = tenant_a.membership(tenant_a.advisor)

    response = client_a.patch(
        _org_url(tenant_a, f"/memberships/{membership.pk}"), {"role": "manager"}, content_type=JSON
    )

    assert response.status_code == 200
    assert response.json()["role"] == "manager"
    assert tenant_a.membership(tenant_a.advisor).role == Role.MANAGER
    assert len(_audit(tenant_a.organisation, "network.membership.role_changed")) == 1


def test_membership_patch_of_the_last_admin_is_400_with_detail(client_a, tenant_a):
    membership = tenant_a.membership(tenant_a.admin)

    response = client_a.patch(
        _org_url(tenant_a, f"/memberships/{membership.pk}"), {"role": "advisor"}, content_type=JSON
    )

    assert response.status_code == 400
    assert response.json()["code"] == "last_admin"
    assert tenant_a.organisation.name in response.json()["detail"]
    assert tenant_a.membership(tenant_a.admin).role == Role.ADMIN


def test_membership_patch_with_an_unknown_role_is_400(client_a, tenant_a):
    membership = tenant_a.membership(tenant_a.advisor)

    response = client_a.patch(
        _org_url(tenant_a, f"/memberships/{membership.pk}"), {"role": "owner"}, content_type=JSON
    )

    assert response.status_code == 400
    assert "owner" in response.json()["detail"]
    assert tenant_a.membership(tenant_a.advisor).role == Role.ADVISOR


def test_membership_of_another_organisation_is_404(client_a, tenant_a, tenant_b):
    foreign = tenant_b.membership(tenant_b.advisor)
    url = _org_url(tenant_a, f"/memberships/{foreign.pk}")

    assert client_a.patch(url, {"role": "admin"}, content_type=JSON).status_code == 404
    assert client_a.delete(url).status_code == 404
    assert tenant_b.membership(tenant_b.advisor).role == Role.ADVISOR


def test_membership_delete(client_a, tenant_a):
    membership = tenant_a.membership(tenant_a.observer)

    response = client_a.delete(_org_url(tenant_a, f"/memberships/{membership.pk}"))

    assert response.status_code == 204
    with organisation_scope(tenant_a.organisation):
        assert not Membership.objects.filter(pk=membership.pk).exists()
    assert len(_audit(tenant_a.organisation, "network.membership.removed")) == 1


def test_membership_delete_of_the_last_admin_is_400_with_detail(client_a, tenant_a):
    membership = tenant_a.membership(tenant_a.admin)

    response = client_a.delete(_org_url(tenant_a, f"/memberships/{membership.pk}"))

    assert response.status_code == 400
    assert response.json()["code"] == "last_admin"
    assert response.json()["detail"]
    assert tenant_a.membership(tenant_a.admin).role == Role.ADMIN


@pytest.mark.parametrize("role", ["manager", "advisor", "observer"])
def test_membership_changes_by_other_roles_are_403(client, tenant_a, role):
    client = _as(client, getattr(tenant_a, role))
    target = tenant_a.membership(tenant_a.observer)
    url = _org_url(tenant_a, f"/memberships/{target.pk}")

    assert client.patch(url, {"role": "admin"}, content_type=JSON).status_code == 403
    assert client.delete(url).status_code == 403
    assert tenant_a.membership(tenant_a.observer).role == Role.OBSERVER


# --- invitations ------------------------------------------------------------------------------


def _open_invitations(tenant):
    with organisation_scope(tenant.organisation):
        return list(Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True))


def test_invitation_create_list_and_delete(client_a, tenant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = client_a.post(
            _org_url(tenant_a, "/invitations"),
            {"email": "Ny@Hage.example", "role": "manager"},
            content_type=JSON,
        )

    assert created.status_code == 201
    data = created.json()
    assert (data["email"], data["role"]) == ("ny@hage.example", "manager")
    [message] = mail.outbox
    assert message.to == ["ny@hage.example"]
    assert "http://testserver/invitations/" in message.body

    listed = client_a.get(_org_url(tenant_a, "/invitations")).json()
    assert [i["id"] for i in listed] == [data["id"]]

    deleted = client_a.delete(_org_url(tenant_a, f"/invitations/{data['id']}"))
    assert deleted.status_code == 204
    assert client_a.get(_org_url(tenant_a, "/invitations")).json() == []
    again = client_a.delete(_org_url(tenant_a, f"/invitations/{data['id']}"))
    assert again.status_code == 400
    assert again.json()["detail"]


def test_double_submitted_invitation_is_400(client_a, tenant_a):
    body = {"email": "ny@hage.example", "role": "advisor"}
    assert (
        client_a.post(_org_url(tenant_a, "/invitations"), body, content_type=JSON).status_code
        == 201
    )

    again = client_a.post(_org_url(tenant_a, "/invitations"), body, content_type=JSON)

    assert again.status_code == 400
    assert again.json()["code"] == "already_invited"
    assert "ny@hage.example" in again.json()["detail"]
    assert len(_open_invitations(tenant_a)) == 1


@pytest.mark.parametrize(
    ("email_of", "role", "code"),
    [("member", "advisor", "already_member"), (None, "owner", "role")],
)
def test_invitation_refused_by_a_rule_is_400(client_a, tenant_a, email_of, role, code):
    email = tenant_a.advisor.email if email_of == "member" else "ny@hage.example"

    response = client_a.post(
        _org_url(tenant_a, "/invitations"), {"email": email, "role": role}, content_type=JSON
    )

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert _open_invitations(tenant_a) == []


def test_invitation_with_a_bad_address_is_400(client_a, tenant_a):
    response = client_a.post(
        _org_url(tenant_a, "/invitations"), {"email": "ikke-en-adresse"}, content_type=JSON
    )

    assert response.status_code == 400
    assert "ikke-en-adresse" in response.json()["detail"]
    assert _open_invitations(tenant_a) == []


def test_invitations_of_another_organisation_are_404(client_a, tenant_a, tenant_b):
    with organisation_scope(tenant_b.organisation):
        foreign = invitation_create(
            organisation=tenant_b.organisation,
            email="ny@hage.example",
            role=Role.ADVISOR,
            actor=tenant_b.admin,
            base_url="http://testserver/",
        )

    assert client_a.get(_org_url(tenant_b, "/invitations")).status_code == 404
    assert client_a.delete(_org_url(tenant_a, f"/invitations/{foreign.pk}")).status_code == 404
    assert client_a.delete(_org_url(tenant_b, f"/invitations/{foreign.pk}")).status_code == 404
    assert len(_open_invitations(tenant_b)) == 1


@pytest.mark.parametrize("role", ["manager", "advisor", "observer"])
def test_invitations_are_for_admins_only(client, tenant_a, role):
    client = _as(client, getattr(tenant_a, role))

    assert client.get(_org_url(tenant_a, "/invitations")).status_code == 403
    response = client.post(
        _org_url(tenant_a, "/invitations"), {"email": "ny@hage.example"}, content_type=JSON
    )
    assert response.status_code == 403
    assert _open_invitations(tenant_a) == []


# --- audit log -----------------------------------------------------------------------------


def test_audit_list(client_a, tenant_a):
    membership = tenant_a.membership(tenant_a.advisor)
    client_a.patch(
        _org_url(tenant_a, f"/memberships/{membership.pk}"), {"role": "manager"}, content_type=JSON
    )
    client_a.patch(_org_url(tenant_a), {"postal_place": "Hitra"}, content_type=JSON)

    data = client_a.get(_org_url(tenant_a, "/audit")).json()

    assert data["count"] == 2
    newest, oldest = data["items"]
    assert newest["action"] == "network.organisation.updated"
    assert newest["actor"] == tenant_a.admin.email
    assert newest["object_type"] == "organisation"
    assert oldest["before"]["role"] == "advisor"
    assert oldest["after"]["role"] == "manager"
    filtered = client_a.get(_org_url(tenant_a, "/audit?action=network.membership.role_changed"))
    assert [e["action"] for e in filtered.json()["items"]] == ["network.membership.role_changed"]


def test_audit_list_is_for_admins_of_the_organisation_only(client, tenant_a, tenant_b):
    assert _as(client, tenant_a.advisor).get(_org_url(tenant_a, "/audit")).status_code == 403
    assert _as(client, tenant_b.admin).get(_org_url(tenant_a, "/audit")).status_code == 404


# --- networks -------------------------------------------------------------------------------


def test_network_list_and_detail_for_a_party(tenant_a, tenant_b, shared_network):
    CooperationAreaFactory(network=shared_network, title="Kapasitet", position=2)
    CooperationAreaFactory(network=shared_network, title="Informasjon", position=1)
    client = _bearer(tenant_b.observer)

    listed = client.get(f"{API}/networks").json()
    detail = client.get(f"{API}/networks/{shared_network.slug}")

    assert [n["slug"] for n in listed] == [shared_network.slug]
    assert detail.status_code == 200
    data = detail.json()
    assert [a["title"] for a in data["areas"]] == ["Informasjon", "Kapasitet"]
    assert {p["organisation"]["slug"] for p in data["parties"]} == {
        tenant_a.organisation.slug,
        tenant_b.organisation.slug,
    }


def test_network_of_which_the_user_is_no_party_is_404(shared_network):
    outsider = MembershipFactory(role=Role.ADMIN).user
    client = _bearer(outsider)

    assert client.get(f"{API}/networks").json() == []
    assert client.get(f"{API}/networks/{shared_network.slug}").status_code == 404
    assert client.get(f"{API}/networks/finnes-ikke").status_code == 404
