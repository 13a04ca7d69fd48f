"""Who may do what with events. Plain predicates over a membership (or None)."""

from koblingsboks.network.models import Membership
from koblingsboks.network.permissions import can_write


def can_manage_events(membership: Membership | None) -> bool:
    """Every role but observer may create events and manage those its organisation hosts."""
    return can_write(membership)
