"""Reads for the dashboard."""

from koblingsboks.core.models import AuditEntry
from koblingsboks.network.models import Membership, Organisation
from koblingsboks.network.permissions import can_read_audit_log
from koblingsboks.network.selectors import invitation_list_open, network_list_for_organisation


def dashboard_for(*, organisation: Organisation, membership: Membership) -> dict:
    """What the dashboard of the active organisation shows to this member."""
    context = {
        "networks": list(network_list_for_organisation(organisation=organisation)),
        "member_count": Membership.objects.filter(organisation=organisation).count(),
        "recent_changes": [],
        "open_invitations": 0,
    }
    if can_read_audit_log(membership):
        context["recent_changes"] = list(
            AuditEntry.objects.filter(organisation=organisation).select_related("actor")[:5]
        )
        context["open_invitations"] = invitation_list_open(organisation=organisation).count()
    return context
