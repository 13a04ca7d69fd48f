"""Reads of the people app.

``profile_directory`` is the one place where profiles of other organisations are read: the
directory shows the people of every organisation that shares a network with the active one
(the network-wide visibility of competence profiles), so it opens the scope to exactly those
organisations and evaluates the page inside it.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django_scopes import scopes_disabled

from koblingsboks.companies.selectors import organisations_sharing_a_network
from koblingsboks.core.pagination import PAGE_SIZE
from koblingsboks.network.models import Organisation
from koblingsboks.people.models import Competence, CompetenceArea, Profile, ProfileCompetence
from koblingsboks.people.search import search_profiles


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    competence: int | None = None
    area: int | None = None
    sector: str = ""
    language: str = ""
    organisation: int | None = None
    min_level: int | None = None


def competence_taxonomy() -> list[CompetenceArea]:
    """Every area with its competences, in taxonomy order."""
    return list(
        CompetenceArea.objects.prefetch_related(
            Prefetch("competences", queryset=Competence.objects.order_by("name_nb"))
        )
    )


def competence_choices() -> QuerySet[Competence]:
    return Competence.objects.select_related("area")


def _directory_queryset(*, visible: set[int], filters: DirectoryFilters) -> QuerySet[Profile]:
    profiles = (
        Profile.objects.filter(organisation__in=visible, user__is_active=True)
        .select_related("user", "organisation")
        .prefetch_related(
            Prefetch(
                "competences",
                queryset=ProfileCompetence.objects.select_related("competence__area"),
            ),
            "languages",
            "sectors",
        )
    )
    if filters.competence:
        held = ProfileCompetence.objects.filter(competence_id=filters.competence)
        if filters.min_level:
            held = held.filter(level__gte=filters.min_level)
        profiles = profiles.filter(pk__in=held.values("profile"))
    if filters.area:
        held = ProfileCompetence.objects.filter(competence__area_id=filters.area)
        profiles = profiles.filter(pk__in=held.values("profile"))
    if filters.sector:
        profiles = profiles.filter(sectors__section=filters.sector)
    if filters.language:
        profiles = profiles.filter(languages__code=filters.language)
    if filters.organisation:
        profiles = profiles.filter(organisation_id=filters.organisation)
    if filters.q:
        return search_profiles(profiles, filters.q)
    return profiles.order_by("user__full_name", "pk")


def profile_directory_queryset(
    *, organisation: Organisation, filters: DirectoryFilters
) -> QuerySet[Profile]:
    """The directory as a queryset (for the API's pagination). It is built with the scope
    disabled, filtered to the sharing organisations; a queryset fixes its manager's filter
    when built, and the prefetched children (competences, languages, sectors) are not
    scoped, so it can be evaluated later."""
    visible = organisations_sharing_a_network(organisation=organisation)
    with scopes_disabled():
        return _directory_queryset(visible=visible, filters=filters)


def profile_directory(
    *,
    organisation: Organisation,
    filters: DirectoryFilters,
    page: str | int | None = 1,
    per_page: int = PAGE_SIZE,
) -> Page:
    """One page of the network-wide directory as seen from ``organisation``."""
    visible = organisations_sharing_a_network(organisation=organisation)
    with scopes_disabled():
        paginator = Paginator(_directory_queryset(visible=visible, filters=filters), per_page)
        result = paginator.get_page(page)
        result.object_list = list(result.object_list)
    return result


def profile_visible_to(*, organisation: Organisation, pk: int) -> Profile:
    """One profile of the directory; ``Profile.DoesNotExist`` outside the shared networks."""
    visible = organisations_sharing_a_network(organisation=organisation)
    with scopes_disabled():
        return (
            Profile.objects.filter(organisation__in=visible, user__is_active=True)
            .select_related("user", "organisation")
            .prefetch_related(
                Prefetch(
                    "competences",
                    queryset=ProfileCompetence.objects.select_related("competence__area"),
                ),
                "languages",
                "sectors",
            )
            .get(pk=pk)
        )


def directory_organisations(*, organisation: Organisation) -> QuerySet[Organisation]:
    """The organisations whose people the directory shows (for its filter)."""
    return Organisation.objects.filter(
        pk__in=organisations_sharing_a_network(organisation=organisation)
    ).order_by("name")


def own_profile(*, organisation: Organisation, user) -> Profile | None:
    """``user``'s profile in the active (scoped) organisation, or None."""
    return (
        Profile.objects.filter(organisation=organisation, user=user)
        .prefetch_related("competences", "languages", "sectors")
        .first()
    )
