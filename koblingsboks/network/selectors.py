"""Reads of organisations, networks and memberships.

This module is part of the tenancy core: the functions that resolve a user's own
memberships must look across organisations before any scope is open, so they disable the
scope, always filtered by the user. Nothing else here may.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django_scopes import scopes_disabled

from koblingsboks.network.models import (
    Invitation,
    Membership,
    Network,
    NetworkParty,
    Organisation,
    User,
)


@dataclass
class ActiveMembership:
    active: Membership | None
    all_memberships: list[Membership] = field(default_factory=list)


def membership_list_for_user(*, user: User) -> list[Membership]:
    """Every membership of ``user``, across organisations (the user's own data)."""
    with scopes_disabled():
        return list(
            Membership.objects.filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name")
        )


def active_membership_for(*, user: User, wanted_id: int | None) -> ActiveMembership:
    """The membership for the organisation the user chose, else their first one."""
    memberships = membership_list_for_user(user=user)
    chosen = next((m for m in memberships if m.organisation_id == wanted_id), None)
    if chosen is None and memberships:
        chosen = memberships[0]
    return ActiveMembership(active=chosen, all_memberships=memberships)


def membership_for(*, user: User, organisation: Organisation) -> Membership | None:
    """The user's membership of ``organisation``, or None."""
    with scopes_disabled():
        return (
            Membership.objects.filter(user=user, organisation=organisation)
            .select_related("organisation")
            .first()
        )


def organisation_list(
    *, search: str = "", kind: str = "", municipality: str = "", ordering: str = "name"
) -> QuerySet[Organisation]:
    """The public directory of organisations (register facts only)."""
    qs = Organisation.objects.prefetch_related("municipalities").annotate(
        network_count=Count("network_links", distinct=True)
    )
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(org_number__contains=search.replace(" ", ""))
            | Q(postal_place__icontains=search)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if municipality:
        qs = qs.filter(municipalities__number=municipality)
    allowed = {"name", "-name", "kind", "-kind", "postal_place", "-postal_place"}
    return qs.order_by(ordering if ordering in allowed else "name", "name")


def organisation_detail(*, slug: str) -> Organisation:
    return Organisation.objects.prefetch_related(
        "municipalities",
        Prefetch("network_links", queryset=NetworkParty.objects.select_related("network")),
    ).get(slug=slug)


def network_list_for_organisation(*, organisation: Organisation) -> QuerySet[Network]:
    return Network.objects.filter(party_links__organisation=organisation).order_by("name")


def network_visible_to(*, slug: str, organisation: Organisation | None) -> Network:
    """A network and its framework agreement, for a member of one of its parties.

    Raises Network.DoesNotExist for anybody else, so views answer 404.
    """
    if organisation is None:
        raise Network.DoesNotExist
    return (
        Network.objects.filter(slug=slug, party_links__organisation=organisation)
        .prefetch_related(
            "areas",
            Prefetch(
                "party_links",
                queryset=NetworkParty.objects.select_related("organisation").prefetch_related(
                    "organisation__municipalities"
                ),
            ),
        )
        .get()
    )


def member_list(*, organisation: Organisation, ordering: str = "name") -> QuerySet[Membership]:
    """Members of the active organisation (scoped)."""
    orderings = {
        "name": ["user__full_name", "user__email"],
        "-name": ["-user__full_name", "-user__email"],
        "role": ["role", "user__full_name"],
        "-role": ["-role", "user__full_name"],
        "joined": ["created_at"],
        "-joined": ["-created_at"],
    }
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by(*orderings.get(ordering, orderings["name"]))
    )


def invitation_list_open(*, organisation: Organisation) -> QuerySet[Invitation]:
    from django.utils import timezone

    return Invitation.objects.filter(
        organisation=organisation,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")
