"""The Django admin for platform staff: shared facts only, and audited."""

import pytest
from django_scopes import scopes_disabled

from koblingsboks.core.models import AuditEntry
from koblingsboks.network.models import Municipality, User
from tests.factories import OrganisationFactory


@pytest.fixture
def staff_client(client, db):
    staff = User.objects.create_superuser(
        email="drift@koblingsboks.example", password="x", full_name="Drift"
    )
    client.force_login(staff)
    return client


def _form(organisation, **changes):
    data = {
        "kind": organisation.kind,
        "name": organisation.name,
        "slug": organisation.slug,
        "org_number": organisation.org_number,
        "municipalities": [],
        "street_address": "",
        "postal_code": "",
        "postal_place": organisation.postal_place,
        "website": "",
        "email": "",
        "description": "",
    }
    data.update(changes)
    return data


def test_staff_change_to_an_organisation_is_audited_with_municipalities(staff_client):
    organisation = OrganisationFactory(name="Fjellhagen")
    hitra = Municipality.objects.get(number="5056")
    response = staff_client.post(
        f"/admin/network/organisation/{organisation.pk}/change/",
        _form(organisation, name="Fjellhagen Næringshage", municipalities=[hitra.pk]),
    )
    assert response.status_code == 302
    with scopes_disabled():
        entry = AuditEntry.objects.get(organisation=organisation)
    assert entry.action == "network.organisation.updated"
    assert entry.actor_label == "drift@koblingsboks.example"
    assert entry.before["name"] == "Fjellhagen"
    assert entry.after["name"] == "Fjellhagen Næringshage"
    assert entry.before["municipalities"] == []
    assert entry.after["municipalities"] == ["5056"]


def test_staff_save_without_changes_writes_no_entry(staff_client):
    organisation = OrganisationFactory()
    response = staff_client.post(
        f"/admin/network/organisation/{organisation.pk}/change/", _form(organisation)
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert not AuditEntry.objects.filter(organisation=organisation).exists()


def test_private_models_are_not_in_the_admin(staff_client):
    for path in ["network/membership", "network/invitation", "core/auditentry"]:
        assert staff_client.get(f"/admin/{path}/").status_code == 404
