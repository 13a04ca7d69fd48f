"""Everything the library shares across organisations, in one place.

Posts and methods are private to their organisation (scoped managers) unless their audience
says otherwise. These functions are the only reads across organisations in the library;
they disable the scope and put the audience rule in its place, always filtered by the
reader's organisation:

- a post is visible to its own organisation; a ``network`` or ``public`` post also to
  every party of the network it was posted to;
- a method is visible to its own organisation; a ``network`` method to every organisation
  that shares a network with the owner; a ``public`` one to everybody signed in;
- people who can be mentioned are the members of the organisations that share a network
  with the reader's organisation (and of the organisation itself).

The querysets are built with the scope disabled and may be evaluated later (django-scopes
checks when the manager is used, not when the rows are fetched).
"""

from django.db.models import Q, QuerySet
from django_scopes import scopes_disabled

from koblingsboks.library.models import Audience, Method, Post
from koblingsboks.network.models import Membership, NetworkParty, Organisation, User

SHARED = [Audience.NETWORK, Audience.PUBLIC]


def network_ids_of(organisation: Organisation | None) -> list[int]:
    if organisation is None:
        return []
    return list(
        NetworkParty.objects.filter(organisation=organisation).values_list("network_id", flat=True)
    )


def partner_organisation_ids(organisation: Organisation | None) -> set[int]:
    """The organisation and every organisation that shares a network with it."""
    if organisation is None:
        return set()
    ids = set(
        NetworkParty.objects.filter(network_id__in=network_ids_of(organisation)).values_list(
            "organisation_id", flat=True
        )
    )
    return ids | {organisation.pk}


# --- posts ---------------------------------------------------------------------------------


def post_visibility(organisation: Organisation | None) -> Q:
    if organisation is None:
        return Q(pk__in=[])
    return Q(organisation=organisation) | Q(
        audience__in=SHARED, network_id__in=network_ids_of(organisation)
    )


def posts_visible_to(*, organisation: Organisation | None) -> QuerySet[Post]:
    """Every post ``organisation``'s members may read."""
    with scopes_disabled():
        return Post.objects.filter(post_visibility(organisation))


def public_posts_of_network(*, network_id: int) -> QuerySet[Post]:
    """The public posts of one network (its Atom feed): no sign-in needed."""
    with scopes_disabled():
        return Post.objects.filter(audience=Audience.PUBLIC, network_id=network_id)


def post_visible_to_user(*, post: Post, user: User) -> bool:
    """Whether ``user`` may read ``post`` through any of their memberships."""
    org_ids = organisation_ids_of_user(user)
    if post.organisation_id in org_ids:
        return True
    if post.audience not in SHARED or post.network_id is None:
        return False
    return NetworkParty.objects.filter(
        network_id=post.network_id, organisation_id__in=org_ids
    ).exists()


# --- methods -------------------------------------------------------------------------------


def method_visibility(organisation: Organisation | None) -> Q:
    if organisation is None:
        return Q(pk__in=[])
    return (
        Q(organisation=organisation)
        | Q(audience=Audience.PUBLIC)
        | Q(audience=Audience.NETWORK, organisation_id__in=partner_organisation_ids(organisation))
    )


def methods_visible_to(*, organisation: Organisation | None) -> QuerySet[Method]:
    """Every method ``organisation``'s members may read."""
    with scopes_disabled():
        return Method.objects.filter(method_visibility(organisation))


def method_visible_to_user(*, method: Method, user: User) -> bool:
    org_ids = organisation_ids_of_user(user)
    if method.organisation_id in org_ids:
        return True
    if method.audience == Audience.PUBLIC:
        return bool(org_ids)
    if method.audience != Audience.NETWORK:
        return False
    networks = NetworkParty.objects.filter(organisation_id__in=org_ids).values("network_id")
    return NetworkParty.objects.filter(
        network_id__in=networks, organisation_id=method.organisation_id
    ).exists()


def users_who_may_read_method(*, method: Method) -> QuerySet[User]:
    """Active users who may read ``method`` through any of their memberships: the rule of
    ``method_visibility`` seen from the method (sharing a network is symmetric). One query
    when evaluated."""
    with scopes_disabled():
        memberships = Membership.objects.all()
        if method.audience == Audience.ORGANISATION:
            memberships = memberships.filter(organisation_id=method.organisation_id)
        elif method.audience == Audience.NETWORK:
            networks = NetworkParty.objects.filter(organisation_id=method.organisation_id).values(
                "network_id"
            )
            partners = NetworkParty.objects.filter(network_id__in=networks).values(
                "organisation_id"
            )
            memberships = memberships.filter(
                Q(organisation_id=method.organisation_id) | Q(organisation_id__in=partners)
            )
        elif method.audience != Audience.PUBLIC:
            return User.objects.none()
        return User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)


def users_with_competence_areas(area_ids) -> QuerySet[User]:
    """Users whose competence areas include one of ``area_ids``: the areas of the
    competences in their people profiles (in any of their organisations) plus the areas
    they follow in their notification settings. A queryset (subqueries, no query yet)."""
    from koblingsboks.library.models import NotificationSettings
    from koblingsboks.people.models import ProfileCompetence

    with scopes_disabled():
        from_profiles = ProfileCompetence.objects.filter(competence__area_id__in=area_ids).values(
            "profile__user_id"
        )
    followed = NotificationSettings.competence_areas.through.objects.filter(
        competencearea_id__in=area_ids
    ).values("notificationsettings__user_id")
    return User.objects.filter(Q(pk__in=from_profiles) | Q(pk__in=followed))


# --- people --------------------------------------------------------------------------------


def organisation_ids_of_user(user: User) -> set[int]:
    if user is None or not user.pk:
        return set()
    with scopes_disabled():
        return set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def people_in_network_of(*, organisation: Organisation) -> QuerySet[User]:
    """Active users who are members of ``organisation`` or of an organisation that shares a
    network with it: the people one may mention."""
    with scopes_disabled():
        user_ids = Membership.objects.filter(
            organisation_id__in=partner_organisation_ids(organisation)
        ).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "email")


def organisations_of_users(user_ids: list[int]) -> dict[int, list[int]]:
    """The organisation ids of each user (for notifying the right people)."""
    result: dict[int, list[int]] = {}
    with scopes_disabled():
        rows = Membership.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "organisation_id"
        )
        for user_id, organisation_id in rows:
            result.setdefault(user_id, []).append(organisation_id)
    return result


def members_of(organisation_ids) -> QuerySet[User]:
    with scopes_disabled():
        user_ids = Membership.objects.filter(organisation_id__in=organisation_ids).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True)
