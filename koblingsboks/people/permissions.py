"""Who may edit the competence taxonomy and profiles. Plain predicates."""

from koblingsboks.network.models import Membership, NetworkParty, Role


def can_edit_taxonomy(membership: Membership | None) -> bool:
    """Network coordinators: an administrator or manager of an organisation that coordinates
    a network."""
    if membership is None or membership.role not in (Role.ADMIN, Role.MANAGER):
        return False
    return NetworkParty.objects.filter(
        organisation_id=membership.organisation_id, is_coordinator=True
    ).exists()


def can_edit_profile(membership: Membership | None, user) -> bool:
    """Everyone edits their own profile; administrators edit any profile of the organisation."""
    if membership is None or membership.role == Role.OBSERVER:
        return False
    return membership.user_id == user.pk or membership.role == Role.ADMIN
