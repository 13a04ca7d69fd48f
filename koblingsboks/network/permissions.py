"""Who may do what in an organisation. Plain predicates over a membership (or None)."""

from koblingsboks.network.models import Membership, Role


def is_admin(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.ADMIN


def can_manage_members(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_edit_organisation(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_read_audit_log(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_write(membership: Membership | None) -> bool:
    """Observers only read; every other role may change the organisation's working data."""
    return membership is not None and membership.role != Role.OBSERVER
