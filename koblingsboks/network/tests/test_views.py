"""Pages: dashboard, switching organisation, directory, networks, members, audit log, edits."""

import re

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.invitations import invitation_create
from koblingsboks.network.models import Invitation, Membership, Organisation, Role, User
from koblingsboks.network.services import membership_change_role
from tests.factories import (
    CooperationAreaFactory,
    MembershipFactory,
    NetworkPartyFactory,
    OrganisationFactory,
    UserFactory,
    municipality,
)

NON_ADMIN_ROLES = ["manager", "advisor", "observer"]


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def _audit(organisation, action=None) -> list[AuditEntry]:
    with organisation_scope(organisation):
        entries = AuditEntry.objects.filter(organisation=organisation)
        return list(entries.filter(action=action) if action else entries)


def _client_for(client, tenant, role):
    client.force_login(getattr(tenant, role))
    return client


def _invite(tenant, email):
    with organisation_scope(tenant.organisation):
        return invitation_create(
            organisation=tenant.organisation,
            email=email,
            role=Role.ADVISOR,
            actor=tenant.admin,
            base_url="http://testserver/",
        )


# --- dashboard and the active organisation ------------------------------------------


def test_home_sends_a_signed_in_user_to_the_dashboard(client_a):
    response = client_a.get("/")
    assert response.status_code == 302
    assert response.url == "/dashboard/"


def test_home_is_public(client, db):
    assert client.get("/").status_code == 200


def test_dashboard_needs_sign_in(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/dashboard/")


def test_dashboard_shows_the_active_organisation_and_its_networks(
    client_a, tenant_a, shared_network
):
    response = client_a.get("/dashboard/")

    assert response.status_code == 200
    assert response.context["active_organisation"] == tenant_a.organisation
    assert response.context["member_count"] == 4
    assert response.context["networks"] == [shared_network]
    page = response.content.decode()
    assert tenant_a.organisation.name in page
    assert f'href="/networks/{shared_network.slug}/"' in page


def test_admin_dashboard_shows_recent_changes_and_open_invitations(client_a, tenant_a):
    _invite(tenant_a, "ny@hage.example")

    response = client_a.get("/dashboard/")

    assert response.context["open_invitations"] == 1
    assert [e.action for e in response.context["recent_changes"]] == ["network.invitation.created"]
    assert 'href="/organisation/audit/"' in response.content.decode()


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_dashboard_of_other_roles_has_no_admin_links_or_audit(client, tenant_a, role):
    _invite(tenant_a, "ny@hage.example")

    response = _client_for(client, tenant_a, role).get("/dashboard/")

    assert response.status_code == 200
    assert response.context["recent_changes"] == []
    assert response.context["open_invitations"] == 0
    page = response.content.decode()
    assert 'href="/organisation/members/"' not in page
    assert 'href="/organisation/audit/"' not in page


def test_user_without_membership_sees_the_no_membership_page(client, db):
    client.force_login(UserFactory())

    response = client.get("/dashboard/")

    assert response.status_code == 403
    assert "core/no_membership.html" in [t.name for t in response.templates]


@pytest.fixture
def member_of_both(tenant_a, tenant_b):
    """Tenant A's advisor, who is also a manager in tenant B."""
    with scopes_disabled():
        MembershipFactory(user=tenant_a.advisor, organisation=tenant_b.organisation, role="manager")
    return tenant_a.advisor


def test_switching_the_active_organisation(client, tenant_a, tenant_b, member_of_both):
    client.force_login(member_of_both)
    first = client.get("/dashboard/")
    assert first.context["active_organisation"] == tenant_a.organisation
    assert 'data-testid="org-switcher"' in first.content.decode()

    response = client.post("/organisation/switch/", {"organisation": tenant_b.organisation.pk})

    assert response.status_code == 302
    assert response.url == "/dashboard/"
    dashboard = client.get("/dashboard/")
    assert dashboard.context["active_organisation"] == tenant_b.organisation
    assert dashboard.context["active_membership"].role == Role.MANAGER
    title = re.search(r'data-testid="dashboard-title">([^<]*)<', dashboard.content.decode())
    assert title.group(1) == tenant_b.organisation.name


def test_switching_keeps_a_local_next_url_and_ignores_a_foreign_one(
    client, tenant_b, member_of_both
):
    client.force_login(member_of_both)
    org = tenant_b.organisation.pk

    local = client.post("/organisation/switch/", {"organisation": org, "next": "/networks/"})
    foreign = client.post(
        "/organisation/switch/", {"organisation": org, "next": "https://evil.example/"}
    )

    assert local.url == "/networks/"
    assert foreign.url == "/dashboard/"


@pytest.mark.parametrize("value", ["other", "", "999999"])
def test_switching_to_anything_but_own_memberships_is_404(client_a, tenant_a, value):
    response = client_a.post("/organisation/switch/", {"organisation": value})

    assert response.status_code == 404
    assert client_a.get("/dashboard/").context["active_organisation"] == tenant_a.organisation


def test_switching_to_a_foreign_organisation_is_404(client_a, tenant_a, tenant_b):
    response = client_a.post("/organisation/switch/", {"organisation": tenant_b.organisation.pk})

    assert response.status_code == 404
    assert client_a.get("/dashboard/").context["active_organisation"] == tenant_a.organisation


def test_switching_needs_post(client_a, tenant_a):
    response = client_a.get(f"/organisation/switch/?organisation={tenant_a.organisation.pk}")
    assert response.status_code == 405


# --- the public directory ------------------------------------------------------------


def _names(response) -> list[str]:
    return [o.name for o in response.context["page"].object_list]


def test_directory_is_public_and_paginated(client, db):
    OrganisationFactory.create_batch(30)

    first = client.get("/organisations/")
    second = client.get("/organisations/?page=2")

    assert first.status_code == 200
    assert len(_names(first)) == 25
    assert len(_names(second)) == 5
    assert set(_names(first)).isdisjoint(_names(second))
    assert first.context["page"].paginator.count == 30
    assert 'href="?page=2"' in first.content.decode()
    # A page out of range gives the last page instead of an error.
    assert _names(client.get("/organisations/?page=99")) == _names(second)


def test_directory_pagination_keeps_the_filters(client, db):
    OrganisationFactory.create_batch(27, kind=Organisation.Kind.INCUBATOR)

    response = client.get("/organisations/?kind=incubator&sort=-name")

    assert "kind=incubator&amp;sort=-name&amp;page=2" in response.content.decode()


def test_directory_search_by_name_place_and_org_number(client, db):
    OrganisationFactory(name="Fjellhagen", postal_place="Oppdal", org_number="974760673")
    OrganisationFactory(name="Kysthagen", postal_place="Hitra")

    assert _names(client.get("/organisations/?q=fjell")) == ["Fjellhagen"]
    assert _names(client.get("/organisations/?q=hitra")) == ["Kysthagen"]
    assert _names(client.get("/organisations/?q=974 760 673")) == ["Fjellhagen"]
    nothing = client.get("/organisations/?q=finnes-ikke")
    assert _names(nothing) == []
    assert nothing.status_code == 200


def test_directory_filter_by_kind(client, db):
    OrganisationFactory(name="Inkubatoren", kind=Organisation.Kind.INCUBATOR)
    OrganisationFactory(name="Hagen", kind=Organisation.Kind.BUSINESS_GARDEN)

    assert _names(client.get("/organisations/?kind=incubator")) == ["Inkubatoren"]
    # An unknown kind is ignored rather than failing.
    unknown = client.get("/organisations/?kind=school")
    assert unknown.status_code == 200
    assert set(_names(unknown)) == {"Inkubatoren", "Hagen"}


def test_directory_sort(client, db):
    for name, place in [("Bravo", "Røros"), ("Alfa", "Oppdal"), ("Charlie", "Hitra")]:
        OrganisationFactory(name=name, postal_place=place)

    assert _names(client.get("/organisations/")) == ["Alfa", "Bravo", "Charlie"]
    assert _names(client.get("/organisations/?sort=-name")) == ["Charlie", "Bravo", "Alfa"]
    assert _names(client.get("/organisations/?sort=postal_place")) == ["Charlie", "Alfa", "Bravo"]


def test_directory_htmx_request_gets_only_the_results_partial(client, db):
    OrganisationFactory(name="Fjellhagen")
    OrganisationFactory(name="Kysthagen")

    full = client.get("/organisations/?q=fjell")
    partial = client.get("/organisations/?q=fjell", headers={"HX-Request": "true"})

    assert "<html" in full.content.decode()
    body = partial.content.decode()
    assert partial.status_code == 200
    assert "<html" not in body
    assert "Fjellhagen" in body
    assert "Kysthagen" not in body
    assert [t.name for t in partial.templates][0] == "network/partials/directory_results.html"


def test_organisation_page_shows_public_facts(client, db):
    organisation = OrganisationFactory(
        name="Fjellhagen", org_number="974760673", postal_code="7340", postal_place="Oppdal"
    )
    organisation.municipalities.set([municipality("5021")])
    party = NetworkPartyFactory(organisation=organisation)

    response = client.get(f"/organisations/{organisation.slug}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "974 760 673" in page
    assert "Oppdal (5021)" in page
    assert party.network.name in page
    assert 'href="/organisation/edit/"' not in page


def test_organisation_page_offers_editing_to_its_admin_only(client, tenant_a, tenant_b):
    url = f"/organisations/{tenant_a.organisation.slug}/"

    assert (
        'href="/organisation/edit/"'
        in _client_for(client, tenant_a, "admin").get(url).content.decode()
    )
    assert (
        'href="/organisation/edit/"'
        not in _client_for(client, tenant_a, "advisor").get(url).content.decode()
    )
    assert (
        'href="/organisation/edit/"'
        not in _client_for(client, tenant_b, "admin").get(url).content.decode()
    )


def test_unknown_organisation_is_404(client, db):
    assert client.get("/organisations/finnes-ikke/").status_code == 404


# --- networks -----------------------------------------------------------------------


def test_network_page_is_visible_to_a_member_of_a_party(client, tenant_a, tenant_b, shared_network):
    CooperationAreaFactory(network=shared_network, title="Kapasitet på tvers")
    client.force_login(tenant_b.observer)

    response = client.get(f"/networks/{shared_network.slug}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert shared_network.name in page
    assert "Kapasitet på tvers" in page
    assert tenant_a.organisation.name in page
    assert tenant_b.organisation.name in page


def test_network_page_is_404_for_a_non_party(client, shared_network):
    outsider = MembershipFactory(role=Role.ADMIN)
    client.force_login(outsider.user)

    assert client.get(f"/networks/{shared_network.slug}/").status_code == 404
    assert client.get("/networks/finnes-ikke/").status_code == 404
    assert client.get("/networks/").context["networks"].count() == 0


def test_network_page_needs_sign_in(client, shared_network):
    response = client.get(f"/networks/{shared_network.slug}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_network_list_shows_the_organisations_networks(client_a, shared_network):
    response = client_a.get("/networks/")
    assert list(response.context["networks"]) == [shared_network]


# --- members ------------------------------------------------------------------------


def test_members_page_lists_the_members_for_the_admin(client_a, tenant_a, tenant_b):
    response = client_a.get("/organisation/members/")

    assert response.status_code == 200
    listed = {m.user for m in response.context["page"].object_list}
    assert listed == {tenant_a.admin, tenant_a.manager, tenant_a.advisor, tenant_a.observer}
    page = response.content.decode()
    assert tenant_a.advisor.email in page
    assert tenant_b.advisor.email not in page


def test_members_page_sorts_by_role(client_a, tenant_a):
    response = client_a.get("/organisation/members/?sort=role")
    roles = [m.role for m in response.context["page"].object_list]
    assert roles == sorted(roles)


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_members_page_is_for_admins_only(client, tenant_a, role):
    client = _client_for(client, tenant_a, role)

    assert client.get("/organisation/members/").status_code == 403
    response = client.post(
        "/organisation/members/", {"email": "ny@hage.example", "role": Role.ADMIN}
    )
    assert response.status_code == 403
    with organisation_scope(tenant_a.organisation):
        assert not Invitation.objects.exists()


def test_invite_through_the_members_page(client_a, tenant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            "/organisation/members/",
            {"email": "ny@hage.example", "role": Role.MANAGER},
            follow=True,
        )

    assert response.redirect_chain == [("/organisation/members/", 302)]
    assert [level for level, _text in _messages(response)] == ["success"]
    [invitation] = response.context["invitations"]
    assert (invitation.email, invitation.role) == ("ny@hage.example", Role.MANAGER)
    [message] = mail.outbox
    assert message.to == ["ny@hage.example"]


@pytest.mark.parametrize(
    "data",
    [
        {"email": "ikke-en-adresse", "role": Role.ADVISOR},
        {"email": "", "role": Role.ADVISOR},
        {"email": "ny@hage.example", "role": "owner"},
    ],
)
def test_invalid_invitation_form_is_shown_again_with_400(client_a, tenant_a, data):
    response = client_a.post("/organisation/members/", data)

    assert response.status_code == 400
    assert response.context["invite_form"].errors
    assert 'class="error"' in response.content.decode()
    with organisation_scope(tenant_a.organisation):
        assert not Invitation.objects.exists()
    assert _audit(tenant_a.organisation) == []


def test_inviting_an_existing_member_is_refused_with_400(client_a, tenant_a):
    response = client_a.post(
        "/organisation/members/", {"email": tenant_a.advisor.email, "role": Role.ADMIN}
    )

    assert response.status_code == 400
    [error] = response.context["invite_form"].errors["email"]
    assert tenant_a.advisor.email in error
    with organisation_scope(tenant_a.organisation):
        assert not Invitation.objects.exists()
    assert tenant_a.membership(tenant_a.advisor).role == Role.ADVISOR


def test_double_submitted_invitation_is_refused_with_400(client_a, tenant_a):
    data = {"email": "ny@hage.example", "role": Role.ADVISOR}
    assert client_a.post("/organisation/members/", data).status_code == 302

    again = client_a.post("/organisation/members/", data)

    assert again.status_code == 400
    assert again.context["invite_form"].errors["email"]
    with organisation_scope(tenant_a.organisation):
        assert Invitation.objects.count() == 1


def test_change_role_through_the_page(client_a, tenant_a):
    membership = tenant_a.membership(tenant_a.advisor)

    response = client_a.post(
        f"/organisation/members/{membership.pk}/role/", {"role": Role.MANAGER}, follow=True
    )

    assert response.redirect_chain == [("/organisation/members/", 302)]
    assert [level for level, _text in _messages(response)] == ["success"]
    assert tenant_a.membership(tenant_a.advisor).role == Role.MANAGER
    [entry] = _audit(tenant_a.organisation, "network.membership.role_changed")
    assert entry.actor == tenant_a.admin


def test_unknown_role_through_the_page_changes_nothing(client_a, tenant_a):
    membership = tenant_a.membership(tenant_a.advisor)

    response = client_a.post(
        f"/organisation/members/{membership.pk}/role/", {"role": "owner"}, follow=True
    )

    assert [level for level, _text in _messages(response)] == ["error"]
    assert tenant_a.membership(tenant_a.advisor).role == Role.ADVISOR


def test_last_admin_rule_is_shown_as_an_error_when_demoting(client_a, tenant_a):
    membership = tenant_a.membership(tenant_a.admin)

    response = client_a.post(
        f"/organisation/members/{membership.pk}/role/", {"role": Role.ADVISOR}, follow=True
    )

    [(level, text)] = _messages(response)
    assert level == "error"
    assert tenant_a.organisation.name in text
    assert tenant_a.membership(tenant_a.admin).role == Role.ADMIN
    assert _audit(tenant_a.organisation) == []


def test_remove_through_the_page(client_a, tenant_a):
    membership = tenant_a.membership(tenant_a.observer)

    response = client_a.post(f"/organisation/members/{membership.pk}/remove/", follow=True)

    assert [level for level, _text in _messages(response)] == ["success"]
    with organisation_scope(tenant_a.organisation):
        assert not Membership.objects.filter(pk=membership.pk).exists()
    assert len(_audit(tenant_a.organisation, "network.membership.removed")) == 1


def test_last_admin_rule_is_shown_as_an_error_when_removing(client_a, tenant_a):
    membership = tenant_a.membership(tenant_a.admin)

    response = client_a.post(f"/organisation/members/{membership.pk}/remove/", follow=True)

    [(level, text)] = _messages(response)
    assert level == "error"
    assert tenant_a.organisation.name in text
    assert tenant_a.membership(tenant_a.admin).role == Role.ADMIN


def test_members_of_another_organisation_cannot_be_changed(client_a, tenant_b):
    foreign = tenant_b.membership(tenant_b.advisor)

    role = client_a.post(f"/organisation/members/{foreign.pk}/role/", {"role": Role.ADMIN})
    remove = client_a.post(f"/organisation/members/{foreign.pk}/remove/")

    assert role.status_code == 404
    assert remove.status_code == 404
    assert tenant_b.membership(tenant_b.advisor).role == Role.ADVISOR


@pytest.mark.parametrize("action", ["role", "remove"])
def test_member_actions_need_post(client_a, tenant_a, action):
    membership = tenant_a.membership(tenant_a.advisor)
    assert client_a.get(f"/organisation/members/{membership.pk}/{action}/").status_code == 405


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_member_actions_are_for_admins_only(client, tenant_a, role):
    client = _client_for(client, tenant_a, role)
    target = tenant_a.membership(tenant_a.observer)
    invitation = _invite(tenant_a, "ny@hage.example")

    assert (
        client.post(f"/organisation/members/{target.pk}/role/", {"role": "admin"}).status_code
        == 403
    )
    assert client.post(f"/organisation/members/{target.pk}/remove/").status_code == 403
    assert client.post(f"/organisation/invitations/{invitation.pk}/revoke/").status_code == 403
    assert tenant_a.membership(tenant_a.observer).role == Role.OBSERVER


def test_revoke_invitation_through_the_page(client_a, tenant_a):
    invitation = _invite(tenant_a, "ny@hage.example")

    response = client_a.post(f"/organisation/invitations/{invitation.pk}/revoke/", follow=True)

    assert [level for level, _text in _messages(response)] == ["success"]
    assert list(response.context["invitations"]) == []
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    # Withdrawing it again is refused with a message.
    again = client_a.post(f"/organisation/invitations/{invitation.pk}/revoke/", follow=True)
    assert [level for level, _text in _messages(again)] == ["error"]


def test_invitation_of_another_organisation_cannot_be_revoked(client_a, tenant_b):
    invitation = _invite(tenant_b, "ny@hage.example")

    assert client_a.post(f"/organisation/invitations/{invitation.pk}/revoke/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- audit log ------------------------------------------------------------------------


def _make_changes(tenant, count):
    """``count`` role changes, alternating the advisor between manager and advisor."""
    with organisation_scope(tenant.organisation):
        for n in range(count):
            membership_change_role(
                membership=tenant.membership(tenant.advisor),
                role=Role.MANAGER if n % 2 == 0 else Role.ADVISOR,
                actor=tenant.admin,
            )


def test_audit_log_lists_the_organisations_entries(client_a, tenant_a, tenant_b):
    _make_changes(tenant_a, 2)
    _make_changes(tenant_b, 3)

    response = client_a.get("/organisation/audit/")

    assert response.status_code == 200
    entries = list(response.context["page"].object_list)
    assert len(entries) == 2
    assert {e.organisation_id for e in entries} == {tenant_a.organisation.pk}
    page = response.content.decode()
    assert "network.membership.role_changed" in page
    assert tenant_a.admin.email in page
    assert f'href="/organisation/audit/{entries[0].pk}/"' in page


def test_audit_log_filters_by_action(client_a, tenant_a):
    _make_changes(tenant_a, 2)
    _invite(tenant_a, "ny@hage.example")

    response = client_a.get("/organisation/audit/?action=network.invitation.created")

    assert [e.action for e in response.context["page"].object_list] == [
        "network.invitation.created"
    ]
    assert list(response.context["actions"]) == [
        "network.invitation.created",
        "network.membership.role_changed",
    ]
    assert list(client_a.get("/organisation/audit/?action=x.y.z").context["page"].object_list) == []


def test_audit_log_paginates_newest_first(client_a, tenant_a):
    _make_changes(tenant_a, 30)

    first = client_a.get("/organisation/audit/")
    second = client_a.get("/organisation/audit/?page=2")

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    ids = [e.pk for e in first.context["page"].object_list] + [
        e.pk for e in second.context["page"].object_list
    ]
    assert ids == sorted(ids, reverse=True)


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_audit_log_is_for_admins_only(client, tenant_a, role):
    _make_changes(tenant_a, 1)
    [entry] = _audit(tenant_a.organisation)
    client = _client_for(client, tenant_a, role)

    assert client.get("/organisation/audit/").status_code == 403
    assert client.get(f"/organisation/audit/{entry.pk}/").status_code == 403


def test_audit_entry_page_shows_before_and_after(client_a, tenant_a):
    _make_changes(tenant_a, 1)
    [entry] = _audit(tenant_a.organisation)

    response = client_a.get(f"/organisation/audit/{entry.pk}/")

    assert response.status_code == 200
    assert response.context["entry"] == entry
    page = response.content.decode()
    # Field and values as people know them (Norwegian is the default language).
    assert re.search(r"<td>Rolle</td><td>rådgiver</td><td>daglig leder</td>", page)


def test_audit_entry_of_another_organisation_is_404(client_a, tenant_b):
    _make_changes(tenant_b, 1)
    [entry] = _audit(tenant_b.organisation)

    assert client_a.get(f"/organisation/audit/{entry.pk}/").status_code == 404


# --- editing the organisation -----------------------------------------------------------


def _organisation_form(organisation, **changes):
    data = {
        "name": organisation.name,
        "street_address": organisation.street_address,
        "postal_code": organisation.postal_code,
        "postal_place": organisation.postal_place,
        "website": organisation.website,
        "email": organisation.email,
        "description": organisation.description,
        "municipalities": [],
    }
    data.update(changes)
    return data


def test_organisation_edit_saves_and_audits(client_a, tenant_a):
    organisation = tenant_a.organisation

    response = client_a.post(
        "/organisation/edit/",
        _organisation_form(
            organisation,
            postal_code="7374",
            postal_place="Røros",
            website="roros.example",
            municipalities=["5025", "5026"],
        ),
        follow=True,
    )

    assert response.redirect_chain == [(f"/organisations/{organisation.slug}/", 302)]
    assert [level for level, _text in _messages(response)] == ["success"]
    organisation.refresh_from_db()
    assert (organisation.postal_code, organisation.postal_place) == ("7374", "Røros")
    assert organisation.website == "https://roros.example"
    assert set(organisation.municipalities.values_list("number", flat=True)) == {"5025", "5026"}
    [entry] = _audit(organisation, "network.organisation.updated")
    assert entry.actor == tenant_a.admin
    assert entry.before["postal_place"] == "Trondheim"
    assert entry.after["postal_place"] == "Røros"


def test_organisation_edit_shows_the_current_values(client_a, tenant_a):
    response = client_a.get("/organisation/edit/")
    assert response.status_code == 200
    assert response.context["form"].initial["name"] == tenant_a.organisation.name


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("postal_code", "12ab"),
        ("postal_code", "12345"),
        ("description", "x" * 4001),
        ("email", "ikke-en-adresse"),
        ("name", ""),
        ("municipalities", ["9999"]),
    ],
)
def test_invalid_organisation_data_is_rejected_and_nothing_saved(client_a, tenant_a, field, value):
    organisation = tenant_a.organisation
    before = Organisation.objects.values().get(pk=organisation.pk)

    response = client_a.post(
        "/organisation/edit/",
        _organisation_form(organisation, **{field: value, "postal_place": "Endret"}),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert 'role="alert"' in response.content.decode()
    assert Organisation.objects.values().get(pk=organisation.pk) == before
    assert _audit(organisation) == []


def test_kind_and_org_number_cannot_be_changed_by_the_form(client_a, tenant_a):
    organisation = tenant_a.organisation
    org_number = organisation.org_number

    client_a.post(
        "/organisation/edit/",
        _organisation_form(organisation, kind="incubator", org_number="974760673"),
    )

    organisation.refresh_from_db()
    assert organisation.kind == Organisation.Kind.BUSINESS_GARDEN
    assert organisation.org_number == org_number


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_organisation_edit_is_for_admins_only(client, tenant_a, role):
    client = _client_for(client, tenant_a, role)
    organisation = tenant_a.organisation

    assert client.get("/organisation/edit/").status_code == 403
    response = client.post("/organisation/edit/", _organisation_form(organisation, name="Kapret"))
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name != "Kapret"


# --- profile ---------------------------------------------------------------------------


def test_profile_edit(client, tenant_a):
    user = tenant_a.advisor
    client.force_login(user)

    response = client.post(
        "/profile/",
        {
            "full_name": "Kari Rådgiver",
            "title": "Seniorrådgiver",
            "phone": "+47 400 00 000",
            "bio": "Kan eksport.",
            "language": "en",
        },
        follow=True,
    )

    assert response.redirect_chain == [("/profile/", 302)]
    assert [level for level, _text in _messages(response)] == ["success"]
    user.refresh_from_db()
    assert (user.full_name, user.title, user.language) == ("Kari Rådgiver", "Seniorrådgiver", "en")
    assert client.cookies["django_language"].value == "en"


def test_profile_edit_refuses_invalid_data(client, tenant_a):
    user = tenant_a.advisor
    client.force_login(user)

    response = client.post("/profile/", {"full_name": "", "language": "de"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "language"}
    user.refresh_from_db()
    assert user.full_name != ""


def test_profile_cannot_make_oneself_staff(client, tenant_a):
    user = tenant_a.advisor
    client.force_login(user)

    client.post(
        "/profile/", {"full_name": "X", "language": "nb", "is_staff": "on", "email": "ny@x.example"}
    )

    user.refresh_from_db()
    assert user.is_staff is False
    assert user.email != "ny@x.example"


def test_profile_needs_sign_in(client, db):
    assert client.get("/profile/").status_code == 302


# --- the invitation link ------------------------------------------------------------------


def _invitation_link(tenant, email, django_capture_on_commit_callbacks, role=Role.ADVISOR):
    with django_capture_on_commit_callbacks(execute=True), organisation_scope(tenant.organisation):
        invitation_create(
            organisation=tenant.organisation,
            email=email,
            role=role,
            actor=tenant.admin,
            base_url="http://testserver/",
        )
    return re.search(r"http://testserver(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)


def test_new_person_creates_an_account_from_the_link(
    client, tenant_a, django_capture_on_commit_callbacks
):
    link = _invitation_link(tenant_a, "helt.ny@hage.example", django_capture_on_commit_callbacks)

    response = client.post(
        link,
        {"full_name": "Helt Ny", "password1": "Fjellvann-2026!", "password2": "Fjellvann-2026!"},
        follow=True,
    )

    assert response.redirect_chain == [("/dashboard/", 302)]
    assert response.context["active_organisation"] == tenant_a.organisation
    assert response.context["user"].email == "helt.ny@hage.example"
    assert response.context["active_membership"].role == Role.ADVISOR
    # The link has been used up.
    assert client.get(link).status_code == 404


def test_signup_form_errors_create_nothing(client, tenant_a, django_capture_on_commit_callbacks):
    link = _invitation_link(tenant_a, "helt.ny@hage.example", django_capture_on_commit_callbacks)

    differ = client.post(
        link, {"full_name": "Helt Ny", "password1": "Fjellvann-2026!", "password2": "Annet-2026!"}
    )
    weak = client.post(link, {"full_name": "Helt Ny", "password1": "123", "password2": "123"})

    assert differ.context["form"].errors["password2"]
    assert weak.context["form"].errors["password1"]
    assert not User.objects.filter(email="helt.ny@hage.example").exists()
    assert client.get(link).status_code == 200


def test_existing_user_is_asked_to_sign_in_and_then_accepts(
    client, tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    invitee = tenant_b.advisor
    link = _invitation_link(tenant_a, invitee.email, django_capture_on_commit_callbacks, "manager")

    anonymous = client.get(link)
    assert anonymous.status_code == 302
    assert anonymous.url == f"/accounts/login/?next={link}"

    client.force_login(invitee)
    confirm = client.get(link)
    assert confirm.status_code == 200
    accepted = client.post(link, follow=True)

    assert accepted.redirect_chain == [("/dashboard/", 302)]
    assert accepted.context["active_organisation"] == tenant_a.organisation
    assert tenant_a.membership(invitee).role == Role.MANAGER


def test_another_signed_in_user_cannot_accept(
    client, tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    link = _invitation_link(tenant_a, "riktig@hage.example", django_capture_on_commit_callbacks)
    client.force_login(tenant_b.advisor)

    response = client.post(link, follow=True)

    assert [level for level, _text in _messages(response)] == ["error"]
    with scopes_disabled():
        assert not Membership.objects.filter(
            user=tenant_b.advisor, organisation=tenant_a.organisation
        ).exists()


def test_unknown_invitation_link_is_404(client, db):
    response = client.get("/invitations/ukjent-token/")
    assert response.status_code == 404
    assert "network/invitation_invalid.html" in [t.name for t in response.templates]
