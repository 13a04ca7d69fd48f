"""Audit entries shown as people read them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from koblingsboks.core.audit_display import action_label, describe_changes
from koblingsboks.core.models import AuditEntry
from koblingsboks.network.models import Invitation, Membership


def _entry(model, before, after, action="network.membership.role_changed") -> AuditEntry:
    return AuditEntry(
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        before=before,
        after=after,
    )


@pytest.mark.django_db
def test_choice_values_show_their_labels_in_the_active_language():
    entry = _entry(Membership, {"role": "advisor"}, {"role": "observer"})
    with translation.override("nb"):
        (change,) = describe_changes(entry)
        assert (change.field, change.before, change.after) == ("rolle", "rådgiver", "observatør")
    with translation.override("en"):
        (change,) = describe_changes(entry)
        assert (change.field, change.before, change.after) == ("role", "advisor", "observer")


@pytest.mark.django_db
def test_timestamps_show_in_oslo_time_and_norwegian_format():
    entry = _entry(
        Invitation,
        None,
        {"expires_at": "2026-12-10T18:36:18.076682+00:00", "email": "a@b.example"},
        action="network.invitation.created",
    )
    with translation.override("nb"):
        changes = {c.field: c for c in describe_changes(entry)}
    assert changes["utløper"].after == "10.12.2026 19:36"
    assert changes["utløper"].before == "–"
    assert changes["e-post"].after == "a@b.example"


@pytest.mark.django_db
def test_lists_and_unknown_fields_are_shown_plainly():
    entry = _entry(Membership, {"municipalities": []}, {"municipalities": ["5056", "5014"]})
    (change,) = describe_changes(entry)
    assert (change.field, change.before, change.after) == ("municipalities", "–", "5056, 5014")


def test_action_labels_are_translated_and_unknown_codes_pass_through():
    with translation.override("en"):
        assert action_label("network.invitation.created") == "Invitation sent"
        assert action_label("projects.agreement.signed") == "projects.agreement.signed"


@pytest.mark.django_db
def test_audit_page_shows_readable_actions_and_values(client_a, tenant_a):
    client_a.post(
        f"/organisation/members/{tenant_a.membership(tenant_a.advisor).pk}/role/",
        {"role": "observer"},
    )
    with translation.override("nb"):
        page = client_a.get("/organisation/audit/").content.decode()
    assert "Rolle endret" in page
    assert "rådgiver → observatør" in page
