"""Database constraints: the database refuses what the validators would refuse."""

import itertools
from datetime import timedelta

import pytest
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from koblingsboks.network.models import Invitation, Membership, Municipality, Role
from tests.factories import (
    MembershipFactory,
    NetworkPartyFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


_token_numbers = itertools.count()


def _open_invitation(organisation, email, **extra):
    fields = {
        "organisation": organisation,
        "email": email,
        "role": Role.ADVISOR,
        "token_hash": f"hash-{next(_token_numbers)}",
        "expires_at": timezone.now() + timedelta(days=14),
        **extra,
    }
    with scopes_disabled():
        return Invitation.objects.create(**fields)


def _refused(create) -> None:
    # PostgreSQL refuses an over-long value by its column type (DataError) before any
    # check constraint; SQLite has no length limit, so the check constraint refuses it.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        create()


@pytest.mark.parametrize("org_number", ["12345678", "1234567890", "97476067A", "974 760 6"])
def test_org_number_must_be_nine_digits(org_number):
    _refused(lambda: OrganisationFactory(org_number=org_number))


def test_org_number_is_unique():
    OrganisationFactory(org_number="974760673")
    _refused(lambda: OrganisationFactory(org_number="974760673"))


def test_kind_must_be_one_of_the_choices():
    _refused(lambda: OrganisationFactory(kind="school"))


@pytest.mark.parametrize("postal_code", ["12ab", "123", "0"])
def test_postal_code_is_empty_or_four_digits(postal_code):
    _refused(lambda: OrganisationFactory(postal_code=postal_code))


def test_empty_and_four_digit_postal_codes_are_stored():
    assert OrganisationFactory(postal_code="").postal_code == ""
    assert OrganisationFactory(postal_code="0150").postal_code == "0150"


def test_municipality_number_must_be_four_digits():
    _refused(lambda: Municipality.objects.create(number="50a6", name="Feil"))


def test_the_trondelag_municipalities_are_installed_by_migration():
    hitra = Municipality.objects.get(number="5056")
    assert hitra.name == "Hitra"
    assert str(hitra) == "5056 Hitra"


def test_duplicate_membership_is_refused():
    membership = MembershipFactory()
    with scopes_disabled():
        _refused(
            lambda: Membership.objects.create(
                user=membership.user, organisation=membership.organisation, role=Role.ADMIN
            )
        )


def test_membership_role_must_be_known():
    with scopes_disabled():
        _refused(lambda: MembershipFactory(role="owner"))


def test_same_user_may_be_member_of_two_organisations():
    user = UserFactory()
    with scopes_disabled():
        MembershipFactory(user=user)
        MembershipFactory(user=user)
        assert Membership.objects.filter(user=user).count() == 2


def test_user_email_is_unique_regardless_of_case():
    UserFactory(email="kari@hage.example")
    _refused(lambda: UserFactory(email="KARI@hage.example"))


def test_second_open_invitation_to_the_same_address_is_refused():
    organisation = OrganisationFactory()
    _open_invitation(organisation, "ny@hage.example")
    _refused(lambda: _open_invitation(organisation, "NY@hage.example"))


def test_closed_invitations_do_not_block_a_new_one():
    organisation = OrganisationFactory()
    _open_invitation(organisation, "a@hage.example", accepted_at=timezone.now())
    _open_invitation(organisation, "a@hage.example", revoked_at=timezone.now())
    _open_invitation(organisation, "a@hage.example")
    # The same address may also be invited by another organisation at the same time.
    _open_invitation(OrganisationFactory(), "a@hage.example")
    with scopes_disabled():
        assert Invitation.objects.filter(email="a@hage.example").count() == 4


def test_invitation_role_must_be_known():
    organisation = OrganisationFactory()
    _refused(lambda: _open_invitation(organisation, "x@hage.example", role="owner"))


def test_invitation_must_expire_after_it_was_created():
    organisation = OrganisationFactory()
    _refused(
        lambda: _open_invitation(
            organisation, "x@hage.example", expires_at=timezone.now() - timedelta(days=1)
        )
    )


def test_organisation_appears_once_per_network():
    party = NetworkPartyFactory()
    _refused(lambda: NetworkPartyFactory(network=party.network, organisation=party.organisation))


def test_network_party_role_must_be_known():
    _refused(lambda: NetworkPartyFactory(role="owner"))


def test_invitation_is_open_only_until_used_revoked_or_expired():
    organisation = OrganisationFactory()
    invitation = _open_invitation(organisation, "y@hage.example")
    assert invitation.is_open
    invitation.expires_at = timezone.now() - timedelta(seconds=1)
    assert not invitation.is_open
    invitation.expires_at = timezone.now() + timedelta(days=1)
    invitation.accepted_at = timezone.now()
    assert not invitation.is_open
    invitation.accepted_at = None
    invitation.revoked_at = timezone.now()
    assert not invitation.is_open


def test_org_number_is_displayed_in_groups_of_three():
    organisation = OrganisationFactory(org_number="974760673")
    assert organisation.org_number_display == "974 760 673"
