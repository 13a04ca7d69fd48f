"""Who may do what with capacity. Plain predicates over a membership (or None)."""

from koblingsboks.network.models import Membership, Role


def can_write(membership: Membership | None) -> bool:
    """Offer hours, ask for help, propose bookings, log one's own hours: every role but
    observer."""
    return membership is not None and membership.role != Role.OBSERVER


def can_decide(membership: Membership | None) -> bool:
    """Accept or decline bookings, extend them, open and approve settlements: the
    organisation's managers (and administrators)."""
    return membership is not None and membership.role in (Role.ADMIN, Role.MANAGER)
