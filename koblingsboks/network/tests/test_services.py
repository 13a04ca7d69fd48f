"""Services for organisations, memberships and invitations: rules, audit, side effects."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.invitations import (
    invitation_accept,
    invitation_by_token,
    invitation_create,
    invitation_revoke,
    user_register_from_invitation,
)
from koblingsboks.network.models import Invitation, Membership, Organisation, Role, User
from koblingsboks.network.services import (
    membership_change_role,
    membership_create,
    membership_remove,
    organisation_update,
    user_profile_update,
)
from tests.factories import MembershipFactory, UserFactory, municipality

BASE_URL = "http://testserver/"


def _entries(organisation, action=None):
    with organisation_scope(organisation):
        entries = AuditEntry.objects.filter(organisation=organisation)
        if action:
            entries = entries.filter(action=action)
        return list(entries)


# --- organisation_update -------------------------------------------------------------


def test_organisation_update_saves_and_audits_before_and_after(tenant_a):
    organisation = tenant_a.organisation
    old_name = organisation.name

    organisation_update(
        organisation=organisation,
        actor=tenant_a.admin,
        data={"name": "Hage A Næringshage", "postal_code": "7240", "postal_place": "Hitra"},
        municipalities=[municipality("5056")],
    )

    organisation.refresh_from_db()
    assert organisation.name == "Hage A Næringshage"
    assert organisation.postal_code == "7240"
    assert list(organisation.municipalities.values_list("number", flat=True)) == ["5056"]
    [entry] = _entries(organisation, "network.organisation.updated")
    assert entry.actor == tenant_a.admin
    assert entry.before["name"] == old_name
    assert entry.after["name"] == "Hage A Næringshage"
    assert entry.before["municipalities"] == []
    assert entry.after["municipalities"] == ["5056"]
    changed = {field for field, _before, _after in entry.changed_fields}
    assert changed == {"name", "postal_code", "postal_place", "municipalities"}


def test_organisation_update_without_changes_writes_no_audit_entry(tenant_a):
    organisation = tenant_a.organisation

    organisation_update(
        organisation=organisation, actor=tenant_a.admin, data={"name": organisation.name}
    )

    assert _entries(organisation) == []


@pytest.mark.parametrize(
    "data",
    [
        {"org_number": "923609016"},
        {"kind": Organisation.Kind.INCUBATOR},
        {"slug": "ny-slug"},
        {"name": "Nytt navn", "org_number": "923609016"},
    ],
)
def test_organisation_update_refuses_fields_that_are_not_editable(tenant_a, data):
    organisation = tenant_a.organisation
    before = Organisation.objects.values().get(pk=organisation.pk)

    with pytest.raises(ServiceError) as exc_info:
        organisation_update(organisation=organisation, actor=tenant_a.admin, data=data)

    assert (
        "org_number" in exc_info.value.message
        or "kind" in exc_info.value.message
        or ("slug" in exc_info.value.message)
    )
    assert Organisation.objects.values().get(pk=organisation.pk) == before
    assert _entries(organisation) == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "ikke-en-adresse"}, "email"),
        ({"website": "ikke en nettadresse"}, "website"),
        ({"name": ""}, "name"),
        ({"name": "Ny", "postal_code": "12ab"}, "postal_code"),
        ({"postal_code": "123"}, "postal_code"),
        ({"description": "x" * 4001}, "description"),
    ],
)
def test_organisation_update_refuses_invalid_values_and_saves_nothing(tenant_a, data, field):
    organisation = tenant_a.organisation
    before = Organisation.objects.values().get(pk=organisation.pk)

    with pytest.raises(ValidationError) as exc_info:
        organisation_update(organisation=organisation, actor=tenant_a.admin, data=data)

    # The error names the field, so a form or the API can show it next to the value.
    assert list(exc_info.value.message_dict) == [field]
    assert Organisation.objects.values().get(pk=organisation.pk) == before
    assert _entries(organisation) == []


def test_postal_code_error_quotes_the_value(tenant_a):
    with pytest.raises(ValidationError) as exc_info:
        organisation_update(
            organisation=tenant_a.organisation, actor=tenant_a.admin, data={"postal_code": "12ab"}
        )
    [message] = exc_info.value.message_dict["postal_code"]
    assert "12ab" in message


def test_description_of_exactly_4000_characters_is_accepted(tenant_a):
    organisation_update(
        organisation=tenant_a.organisation, actor=tenant_a.admin, data={"description": "x" * 4000}
    )
    tenant_a.organisation.refresh_from_db()
    assert len(tenant_a.organisation.description) == 4000


# --- memberships ---------------------------------------------------------------------


def test_membership_change_role_is_audited(tenant_a):
    membership = tenant_a.membership(tenant_a.advisor)

    with organisation_scope(tenant_a.organisation):
        membership_change_role(membership=membership, role=Role.MANAGER, actor=tenant_a.admin)

    assert tenant_a.membership(tenant_a.advisor).role == Role.MANAGER
    [entry] = _entries(tenant_a.organisation, "network.membership.role_changed")
    assert entry.actor == tenant_a.admin
    assert entry.before == {"user": tenant_a.advisor.pk, "role": "advisor"}
    assert entry.after == {"user": tenant_a.advisor.pk, "role": "manager"}


def test_membership_change_to_the_same_role_changes_nothing(tenant_a):
    with organisation_scope(tenant_a.organisation):
        membership_change_role(
            membership=tenant_a.membership(tenant_a.advisor),
            role=Role.ADVISOR,
            actor=tenant_a.admin,
        )

    assert _entries(tenant_a.organisation) == []


def test_membership_change_role_refuses_an_unknown_role(tenant_a):
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError) as exc_info:
        membership_change_role(
            membership=tenant_a.membership(tenant_a.advisor), role="owner", actor=tenant_a.admin
        )

    assert exc_info.value.code == "role"
    assert tenant_a.membership(tenant_a.advisor).role == Role.ADVISOR


def test_the_last_admin_cannot_be_demoted(tenant_a):
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError) as exc_info:
        membership_change_role(
            membership=tenant_a.membership(tenant_a.admin), role=Role.ADVISOR, actor=tenant_a.admin
        )

    assert exc_info.value.code == "last_admin"
    assert tenant_a.organisation.name in exc_info.value.message
    assert tenant_a.membership(tenant_a.admin).role == Role.ADMIN
    assert _entries(tenant_a.organisation) == []


def test_an_admin_may_be_demoted_while_another_admin_remains(tenant_a):
    with organisation_scope(tenant_a.organisation):
        membership_change_role(
            membership=tenant_a.membership(tenant_a.manager), role=Role.ADMIN, actor=tenant_a.admin
        )
        membership_change_role(
            membership=tenant_a.membership(tenant_a.admin), role=Role.ADVISOR, actor=tenant_a.admin
        )

    assert tenant_a.membership(tenant_a.admin).role == Role.ADVISOR
    # Now the former manager is the only admin and is protected in turn.
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError):
        membership_change_role(
            membership=tenant_a.membership(tenant_a.manager),
            role=Role.OBSERVER,
            actor=tenant_a.manager,
        )


def test_membership_remove_is_audited(tenant_a):
    membership = tenant_a.membership(tenant_a.observer)

    with organisation_scope(tenant_a.organisation):
        membership_remove(membership=membership, actor=tenant_a.admin)
        assert not Membership.objects.filter(pk=membership.pk).exists()

    [entry] = _entries(tenant_a.organisation, "network.membership.removed")
    assert entry.object_id == str(membership.pk)
    assert entry.before["email"] == tenant_a.observer.email
    assert entry.before["role"] == "observer"
    assert entry.after is None
    # The user account itself stays.
    assert User.objects.filter(pk=tenant_a.observer.pk).exists()


def test_the_last_admin_cannot_be_removed(tenant_a):
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError) as exc_info:
        membership_remove(membership=tenant_a.membership(tenant_a.admin), actor=tenant_a.admin)

    assert exc_info.value.code == "last_admin"
    assert tenant_a.membership(tenant_a.admin).role == Role.ADMIN
    assert _entries(tenant_a.organisation) == []


def test_an_admin_may_leave_while_another_admin_remains(tenant_a):
    second_admin = UserFactory()
    with scopes_disabled():
        MembershipFactory(user=second_admin, organisation=tenant_a.organisation, role=Role.ADMIN)

    with organisation_scope(tenant_a.organisation):
        membership_remove(membership=tenant_a.membership(tenant_a.admin), actor=tenant_a.admin)
        admins = list(Membership.objects.filter(role=Role.ADMIN).values_list("user", flat=True))

    assert admins == [second_admin.pk]


def test_admins_of_another_organisation_do_not_count(tenant_a, tenant_b):
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError):
        membership_remove(membership=tenant_a.membership(tenant_a.admin), actor=tenant_a.admin)


def test_membership_create_is_audited(tenant_a):
    newcomer = UserFactory()

    with organisation_scope(tenant_a.organisation):
        membership = membership_create(
            organisation=tenant_a.organisation, user=newcomer, role=Role.ADVISOR, actor=None
        )

    assert membership.role == Role.ADVISOR
    [entry] = _entries(tenant_a.organisation, "network.membership.created")
    assert entry.after == {"user": newcomer.pk, "role": "advisor", "email": newcomer.email}
    assert entry.actor is None


def test_membership_create_refuses_a_duplicate(tenant_a):
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError) as exc_info:
        membership_create(
            organisation=tenant_a.organisation,
            user=tenant_a.advisor,
            role=Role.ADMIN,
            actor=tenant_a.admin,
        )

    assert exc_info.value.code == "already_member"
    assert tenant_a.membership(tenant_a.advisor).role == Role.ADVISOR
    assert _entries(tenant_a.organisation) == []


def test_membership_create_refuses_an_unknown_role(tenant_a):
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError):
        membership_create(
            organisation=tenant_a.organisation, user=UserFactory(), role="owner", actor=None
        )


# --- user profile ----------------------------------------------------------------------


def test_user_profile_update_saves_own_fields_only(tenant_a):
    user = tenant_a.advisor

    user_profile_update(user=user, data={"title": "Rådgiver", "language": "en"})
    user.refresh_from_db()
    assert (user.title, user.language) == ("Rådgiver", "en")

    with pytest.raises(ServiceError):
        user_profile_update(user=user, data={"is_staff": True})
    user.refresh_from_db()
    assert user.is_staff is False


# --- invitations -----------------------------------------------------------------------


def _invite(tenant, email="ny.kollega@hage.example", role=Role.ADVISOR):
    with organisation_scope(tenant.organisation):
        return invitation_create(
            organisation=tenant.organisation,
            email=email,
            role=role,
            actor=tenant.admin,
            base_url=BASE_URL,
        )


def _token_from_mail(message) -> str:
    match = re.search(r"http://testserver/invitations/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


def _invite_and_get_token(tenant, django_capture_on_commit_callbacks, **kwargs) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        _invite(tenant, **kwargs)
    return _token_from_mail(mail.outbox[-1])


def _open_invitations(organisation):
    with organisation_scope(organisation):
        return list(Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True))


def test_invitation_is_mailed_after_commit_with_a_working_link(
    tenant_a, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = _invite(tenant_a, email="Ny.Kollega@Hage.example", role=Role.MANAGER)
    # Nothing is sent before the transaction commits.
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()

    [message] = mail.outbox
    assert message.to == ["ny.kollega@hage.example"]
    assert tenant_a.organisation.name in message.subject
    token = _token_from_mail(message)
    # Only a hash of the secret is stored.
    assert token not in invitation.token_hash
    assert invitation.email == "ny.kollega@hage.example"
    assert invitation.role == Role.MANAGER
    assert invitation.expires_at > timezone.now() + timedelta(days=1)
    [entry] = _entries(tenant_a.organisation, "network.invitation.created")
    assert entry.after["email"] == "ny.kollega@hage.example"
    # The link opens the sign-up page for this invitation.
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 200
    assert response.context["invitation"] == invitation
    assert invitation_by_token(token=token) == invitation


def test_invitation_to_an_existing_member_is_refused(tenant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ServiceError) as exc:
        _invite(tenant_a, email=tenant_a.advisor.email.upper())

    assert exc.value.code == "already_member"
    assert _open_invitations(tenant_a.organisation) == []
    assert mail.outbox == []


def test_member_of_another_organisation_can_be_invited(tenant_a, tenant_b):
    invitation = _invite(tenant_a, email=tenant_b.advisor.email)
    assert invitation.email == tenant_b.advisor.email


def test_invitation_refuses_an_unknown_role(tenant_a):
    with pytest.raises(ServiceError) as exc_info:
        _invite(tenant_a, role="owner")
    assert exc_info.value.code == "role"


def test_double_submission_creates_one_invitation_and_one_mail(
    tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(tenant_a, email="dobbel@hage.example")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ServiceError) as exc:
        _invite(tenant_a, email="DOBBEL@hage.example")

    assert exc.value.code == "already_invited"
    assert "dobbel@hage.example" in exc.value.message
    assert len(_open_invitations(tenant_a.organisation)) == 1
    assert len(mail.outbox) == 1
    assert len(_entries(tenant_a.organisation, "network.invitation.created")) == 1


def test_a_new_invitation_is_allowed_after_the_old_one_expired(tenant_a):
    old = _invite(tenant_a, email="sein@hage.example")
    with organisation_scope(tenant_a.organisation):
        Invitation.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(days=30),
            expires_at=timezone.now() - timedelta(days=1),
        )

    new = _invite(tenant_a, email="sein@hage.example")

    assert new.pk != old.pk
    assert [i.pk for i in _open_invitations(tenant_a.organisation)] == [new.pk]


def test_same_address_may_be_invited_by_two_organisations(tenant_a, tenant_b):
    _invite(tenant_a, email="begge@hage.example")
    _invite(tenant_b, email="begge@hage.example")

    assert len(_open_invitations(tenant_a.organisation)) == 1
    assert len(_open_invitations(tenant_b.organisation)) == 1


def test_revoked_invitation_link_stops_working_and_is_audited(
    tenant_a, django_capture_on_commit_callbacks
):
    token = _invite_and_get_token(tenant_a, django_capture_on_commit_callbacks)
    invitation = invitation_by_token(token=token)

    with organisation_scope(tenant_a.organisation):
        invitation_revoke(invitation=invitation, actor=tenant_a.admin)

    assert invitation_by_token(token=token) is None
    with pytest.raises(ServiceError):
        invitation_accept(token=token, user=UserFactory(email="ny.kollega@hage.example"))
    [entry] = _entries(tenant_a.organisation, "network.invitation.revoked")
    assert entry.before == {"email": "ny.kollega@hage.example", "role": "advisor"}
    # Revoking twice is refused, and a new invitation may now be sent.
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError):
        invitation_revoke(invitation=invitation, actor=tenant_a.admin)
    assert _invite(tenant_a).pk != invitation.pk


def test_invitation_is_accepted_by_the_invited_user(tenant_a, django_capture_on_commit_callbacks):
    invitee = UserFactory(email="ny.kollega@hage.example")
    token = _invite_and_get_token(tenant_a, django_capture_on_commit_callbacks, role=Role.MANAGER)

    membership = invitation_accept(token=token, user=invitee)

    assert membership.user == invitee
    assert membership.role == Role.MANAGER
    assert tenant_a.membership(invitee) == membership
    actions = {e.action for e in _entries(tenant_a.organisation)}
    assert {"network.membership.created", "network.invitation.accepted"} <= actions


def test_invitation_cannot_be_accepted_by_another_user(
    tenant_a, django_capture_on_commit_callbacks
):
    token = _invite_and_get_token(tenant_a, django_capture_on_commit_callbacks)
    intruder = UserFactory(email="inntrenger@hage.example")

    with pytest.raises(ServiceError) as exc_info:
        invitation_accept(token=token, user=intruder)

    assert exc_info.value.code == "wrong_user"
    with scopes_disabled():
        assert not Membership.objects.filter(user=intruder).exists()
    # The invitation stays open for the right person.
    assert invitation_by_token(token=token) is not None


def test_invitation_link_works_once(tenant_a, django_capture_on_commit_callbacks):
    invitee = UserFactory(email="ny.kollega@hage.example")
    token = _invite_and_get_token(tenant_a, django_capture_on_commit_callbacks)
    invitation_accept(token=token, user=invitee)

    with pytest.raises(ServiceError) as exc_info:
        invitation_accept(token=token, user=invitee)

    assert exc_info.value.code == "invalid_invitation"
    assert invitation_by_token(token=token) is None
    with scopes_disabled():
        assert Membership.objects.filter(user=invitee).count() == 1


def test_expired_invitation_link_is_invalid(tenant_a, client, django_capture_on_commit_callbacks):
    token = _invite_and_get_token(tenant_a, django_capture_on_commit_callbacks)
    with organisation_scope(tenant_a.organisation):
        Invitation.objects.update(
            created_at=timezone.now() - timedelta(days=20),
            expires_at=timezone.now() - timedelta(minutes=1),
        )
    invitee = UserFactory(email="ny.kollega@hage.example")

    assert invitation_by_token(token=token) is None
    with pytest.raises(ServiceError) as exc_info:
        invitation_accept(token=token, user=invitee)
    assert exc_info.value.code == "invalid_invitation"
    assert client.get(f"/invitations/{token}/").status_code == 404


def test_unknown_token_is_invalid(db):
    assert invitation_by_token(token="ikke-et-token") is None


def test_new_person_registers_from_an_invitation(tenant_a, django_capture_on_commit_callbacks):
    token = _invite_and_get_token(
        tenant_a, django_capture_on_commit_callbacks, email="helt.ny@hage.example"
    )

    user, membership = user_register_from_invitation(
        token=token, full_name="Helt Ny", password="et-langt-og-godt-passord"
    )

    assert user.email == "helt.ny@hage.example"
    assert user.full_name == "Helt Ny"
    assert user.check_password("et-langt-og-godt-passord")
    assert membership.organisation == tenant_a.organisation
    assert membership.role == Role.ADVISOR
    assert invitation_by_token(token=token) is None


def test_registration_refuses_an_address_that_already_has_an_account(
    tenant_a, django_capture_on_commit_callbacks
):
    UserFactory(email="finnes@hage.example")
    token = _invite_and_get_token(
        tenant_a, django_capture_on_commit_callbacks, email="finnes@hage.example"
    )

    with pytest.raises(ServiceError) as exc_info:
        user_register_from_invitation(token=token, full_name="X", password="et-langt-passord")

    assert exc_info.value.code == "account_exists"
    assert User.objects.filter(email__iexact="finnes@hage.example").count() == 1
    assert invitation_by_token(token=token) is not None


def test_registration_with_an_invalid_link_creates_no_account(db):
    with pytest.raises(ServiceError):
        user_register_from_invitation(token="ugyldig", full_name="X", password="et-langt-passord")
    assert not User.objects.filter(full_name="X").exists()
