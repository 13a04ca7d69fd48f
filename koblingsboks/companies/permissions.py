"""Who may change a garden's portfolio, notes and advisory log. Plain predicates."""

from koblingsboks.companies.models import AdvisoryLogEntry, CompanyNote
from koblingsboks.network.models import Membership, Role
from koblingsboks.network.permissions import can_write, is_admin


def can_edit_portfolio(membership: Membership | None) -> bool:
    """Add, change and end affiliations, write notes and log hours: every role but observer."""
    return can_write(membership)


def can_change_note(membership: Membership | None, note: CompanyNote) -> bool:
    """A note is changed or deleted by its author, or by an administrator."""
    if membership is None or membership.organisation_id != note.organisation_id:
        return False
    return is_admin(membership) or (
        can_write(membership)
        and note.author_id is not None
        and note.author_id == membership.user_id
    )


def can_delete_advisory_entry(membership: Membership | None, entry: AdvisoryLogEntry) -> bool:
    """Logged hours are deleted by the advisor they are logged for, or a manager or admin."""
    if membership is None or membership.organisation_id != entry.organisation_id:
        return False
    if membership.role in (Role.ADMIN, Role.MANAGER):
        return True
    return can_write(membership) and entry.advisor_id == membership.user_id
