"""The audit log: JSON-safe snapshots, entries written by log_action, and changed fields."""

import datetime
import decimal
import json
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType

from koblingsboks.core.audit import _jsonable, log_action, snapshot
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
    municipality,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 11, 26), "2026-11-26"),
        (
            datetime.datetime(2026, 11, 26, 14, 30, tzinfo=datetime.UTC),
            "2026-11-26T14:30:00+00:00",
        ),
        (datetime.time(8, 15), "08:15:00"),
        (decimal.Decimal("1234.50"), "1234.50"),
        (
            uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "12345678-1234-5678-1234-567812345678",
        ),
        ((decimal.Decimal("1.5"), datetime.date(2020, 1, 2)), ["1.5", "2020-01-02"]),
        ("tekst", "tekst"),
        (None, None),
        (42, 42),
    ],
)
def test_values_are_made_json_safe(value, expected):
    converted = _jsonable(value)
    assert converted == expected
    assert json.loads(json.dumps(converted)) == expected


@pytest.mark.django_db
def test_snapshot_of_an_organisation_is_json_serialisable():
    organisation = OrganisationFactory(name="Fjellhagen", postal_code="7340")
    organisation.municipalities.set([municipality("5022"), municipality("5021")])

    data = snapshot(organisation, ["name", "postal_code", "municipalities", "created_at"])

    assert data["name"] == "Fjellhagen"
    assert data["postal_code"] == "7340"
    # Many-to-many relations become a sorted list of primary keys as text.
    assert data["municipalities"] == ["5021", "5022"]
    assert data["created_at"] == organisation.created_at.isoformat()
    assert json.loads(json.dumps(data)) == data


@pytest.mark.django_db
def test_snapshot_stores_foreign_keys_as_their_primary_key_and_dates_as_iso():
    network = NetworkFactory(agreement_signed_on=datetime.date(2015, 3, 12))
    membership = MembershipFactory()

    assert snapshot(network, ["agreement_signed_on"]) == {"agreement_signed_on": "2015-03-12"}
    assert snapshot(membership, ["user", "organisation", "role"]) == {
        "user": membership.user.pk,
        "organisation": membership.organisation.pk,
        "role": membership.role,
    }


@pytest.mark.django_db
def test_log_action_records_actor_object_and_values():
    organisation = OrganisationFactory()
    actor = UserFactory(email="admin@hage.example")
    before = snapshot(organisation, ["name", "municipalities"])
    organisation.name = "Nytt navn"
    organisation.save()
    after = snapshot(organisation, ["name", "municipalities"])

    entry = log_action(
        organisation=organisation,
        actor=actor,
        action="network.organisation.updated",
        obj=organisation,
        before=before,
        after=after,
    )

    with organisation_scope(organisation):
        stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == actor
    assert stored.actor_label == "admin@hage.example"
    assert stored.action == "network.organisation.updated"
    assert stored.content_type == ContentType.objects.get_for_model(organisation)
    assert stored.object_id == str(organisation.pk)
    assert stored.object_repr == "Nytt navn"
    assert stored.before["municipalities"] == []
    assert stored.after["name"] == "Nytt navn"
    assert stored.changed_fields == [("name", before["name"], "Nytt navn")]


@pytest.mark.django_db
def test_log_action_without_actor_or_object():
    organisation = OrganisationFactory()

    entry = log_action(organisation=organisation, actor=None, action="network.demo.loaded")

    assert entry.actor is None
    assert entry.actor_label == ""
    assert entry.content_type is None
    assert entry.object_id == ""


@pytest.mark.django_db
def test_log_action_ignores_an_unsaved_actor():
    organisation = OrganisationFactory()
    anonymous_like = UserFactory.build()

    entry = log_action(organisation=organisation, actor=anonymous_like, action="x.y.z")

    assert entry.actor is None
    assert entry.actor_label == ""


@pytest.mark.django_db
def test_object_repr_is_cut_to_the_column_length():
    organisation = OrganisationFactory(name="N" * 200)
    long_network = NetworkFactory(name="L" * 200)
    long_network.name = "L" * 400  # longer than any column, as some __str__ may be

    entry = log_action(
        organisation=organisation, actor=None, action="network.network.updated", obj=long_network
    )

    assert entry.object_repr == "L" * 300


def test_changed_fields_lists_only_differences_including_added_and_removed_keys():
    entry = AuditEntry(
        action="x.y.z",
        before={"name": "A", "role": "admin", "gone": 1},
        after={"name": "A", "role": "advisor", "new": [1, 2]},
    )

    assert entry.changed_fields == [
        ("gone", 1, None),
        ("new", None, [1, 2]),
        ("role", "admin", "advisor"),
    ]


def test_changed_fields_of_a_creation_and_of_a_removal():
    created = AuditEntry(action="x.created", before=None, after={"role": "advisor"})
    removed = AuditEntry(action="x.removed", before={"role": "advisor"}, after=None)
    unchanged = AuditEntry(action="x.same", before={"a": 1}, after={"a": 1})

    assert created.changed_fields == [("role", None, "advisor")]
    assert removed.changed_fields == [("role", "advisor", None)]
    assert unchanged.changed_fields == []
