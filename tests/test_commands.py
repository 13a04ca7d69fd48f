"""Operator commands."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from koblingsboks.network.models import Invitation, Organisation, Role


@pytest.mark.django_db(transaction=True)
def test_create_organisation_invites_first_admin():
    call_command(
        "create_organisation",
        name="Fjordhagen Inkubator",
        org_number="921 008 228",
        kind="incubator",
        admin_email="Leder@Fjordhagen.example",
    )
    organisation = Organisation.objects.get(org_number="921008228")
    assert organisation.kind == Organisation.Kind.INCUBATOR
    assert organisation.slug == "fjordhagen-inkubator"
    with scopes_disabled():
        invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.email == "leder@fjordhagen.example"
    assert invitation.role == Role.ADMIN
    assert len(mail.outbox) == 1
    assert "/invitations/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_create_organisation_refuses_bad_org_number_and_writes_nothing():
    with pytest.raises(CommandError, match="921008229"):
        call_command(
            "create_organisation",
            name="Feil AS",
            org_number="921008229",
            admin_email="a@b.example",
        )
    assert not Organisation.objects.filter(name="Feil AS").exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_create_organisation_rolls_back_when_invitation_is_refused():
    with pytest.raises(CommandError):
        call_command(
            "create_organisation",
            name="Tom Adresse AS",
            org_number="921008228",
            admin_email="",
        )
    assert not Organisation.objects.filter(org_number="921008228").exists()
