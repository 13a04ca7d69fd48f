"""Who sees what of the results. Plain predicates.

Programme observers (the observer role, a programme owner organisation, or an observer
party of a network) and the public see aggregates only, suppressed below three companies.
Everyone else in a garden sees its figures in full and the companies behind them.
"""

from koblingsboks.network.models import Membership, NetworkParty, Organisation, Role


def sees_details(membership: Membership | None) -> bool:
    """Full figures and the companies behind them, for the member's own organisation."""
    return (
        membership is not None
        and membership.role != Role.OBSERVER
        and membership.organisation.kind != Organisation.Kind.PROGRAMME_OWNER
    )


def sees_network_details(membership: Membership | None, party: NetworkParty | None) -> bool:
    """Full network figures and drill-down: a non-observer of a member or partner garden.

    Which gardens of a shared network a company is affiliated with is already shared
    between the network's parties (companies.selectors.affiliation_list_visible_to)."""
    return (
        sees_details(membership) and party is not None and party.role != NetworkParty.Role.OBSERVER
    )


def can_manage_surveys(membership: Membership | None) -> bool:
    """Create and send the satisfaction survey: managers and administrators."""
    return membership is not None and membership.role in (Role.ADMIN, Role.MANAGER)


def can_read_survey_answers(membership: Membership | None) -> bool:
    """The single answers and comments are private to the garden's staff (not observers)."""
    return sees_details(membership)
