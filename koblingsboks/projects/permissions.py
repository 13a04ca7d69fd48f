"""Who may do what with a joint project. Plain predicates over a membership (or None)."""

from koblingsboks.network.models import Membership, Role
from koblingsboks.network.permissions import can_write

SIGNING_ROLES = (Role.MANAGER, Role.ADMIN)


def can_create_project(membership: Membership | None) -> bool:
    return can_write(membership)


def is_lead(membership: Membership | None, project) -> bool:
    return membership is not None and membership.organisation_id == project.lead_organisation_id


def can_edit_project(membership: Membership | None, project) -> bool:
    """The lead organisation's staff (not observers) draft the agreement."""
    return can_write(membership) and is_lead(membership, project)


def can_manage_agreement(membership: Membership | None, project) -> bool:
    """Circulating, amending, activating and closing: the lead's manager or administrator."""
    return is_lead(membership, project) and membership.role in SIGNING_ROLES


def can_sign_for(membership: Membership | None, party) -> bool:
    """A party's authorised signer: a manager (or administrator) of that organisation."""
    return (
        membership is not None
        and party.organisation_id is not None
        and membership.organisation_id == party.organisation_id
        and membership.role in SIGNING_ROLES
    )


def can_record_costs(membership: Membership | None, budget_line, project) -> bool:
    """A party records its own costs; the lead also records an external partner's."""
    if not can_write(membership):
        return False
    if budget_line.party.organisation_id is None:
        return is_lead(membership, project)
    return membership.organisation_id == budget_line.party.organisation_id


def can_edit_terms_template(membership: Membership | None) -> bool:
    return membership is not None and membership.role in SIGNING_ROLES
