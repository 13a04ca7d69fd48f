"""API routes of the people app, mounted under /api/v1/.

The taxonomy is shared (any signed-in caller reads it; network coordinators add to it). The
directory is read as an organisation the caller is a member of: people of every
organisation sharing a network with it.
"""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from koblingsboks.api.auth import AUTH, in_organisation
from koblingsboks.api.schemas import ErrorOut
from koblingsboks.people import permissions, selectors, services
from koblingsboks.people.models import CompetenceArea, Profile
from koblingsboks.people.schemas import (
    PeopleCompetenceAreaOut,
    PeopleCompetenceIn,
    PeopleCompetenceOut,
    PeopleProfileIn,
    PeopleProfileOut,
)

router = Router(tags=["people"])


@router.get(
    "/competences", response=list[PeopleCompetenceAreaOut], auth=AUTH, url_name="competence_list"
)
def competence_index(request):
    """The competence taxonomy: areas with their competences."""
    return selectors.competence_taxonomy()


@router.post(
    "/organisations/{slug}/competences",
    response={201: PeopleCompetenceOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="competence_create",
)
@in_organisation(permissions.can_edit_taxonomy)
def competence_post(request, slug: str, payload: PeopleCompetenceIn):
    """Add a competence to the taxonomy (network coordinators only)."""
    area = get_object_or_404(CompetenceArea, pk=payload.area_id)
    competence = services.competence_create(
        area=area,
        name_nb=payload.name_nb,
        name_en=payload.name_en,
        organisation=request.organisation,
        actor=request.user,
    )
    return Status(201, competence)


@router.get(
    "/organisations/{slug}/people",
    response={200: list[PeopleProfileOut], 404: ErrorOut},
    auth=AUTH,
    url_name="people_directory",
)
@in_organisation()
@paginate(LimitOffsetPagination)
def people_index(
    request,
    slug: str,
    q: str = Query("", max_length=200, description="Full-text search: name, title, text"),
    competence: int | None = None,
    min_level: int | None = Query(None, ge=1, le=3),
    sector: str = Query("", pattern=r"^[A-S]?$"),
    language: str = Query("", max_length=3),
    organisation: int | None = None,
):
    """People of every organisation sharing a network with this one, filtered."""
    filters = selectors.DirectoryFilters(
        q=q,
        competence=competence,
        min_level=min_level,
        sector=sector,
        language=language,
        organisation=organisation,
    )
    return selectors.profile_directory_queryset(organisation=request.organisation, filters=filters)


@router.get(
    "/organisations/{slug}/people/{profile_id}",
    response={200: PeopleProfileOut, 404: ErrorOut},
    auth=AUTH,
    url_name="people_profile_detail",
)
@in_organisation()
def people_get(request, slug: str, profile_id: int):
    try:
        return selectors.profile_visible_to(organisation=request.organisation, pk=profile_id)
    except Profile.DoesNotExist as exc:
        raise HttpError(404, "Not Found") from exc


@router.put(
    "/organisations/{slug}/profile",
    response={200: PeopleProfileOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="people_profile_save",
)
@in_organisation()
def people_profile_put(request, slug: str, payload: PeopleProfileIn):
    """Create or replace the caller's own competence profile in this organisation."""
    if not permissions.can_edit_profile(request.membership, request.user):
        raise HttpError(403, "Your role does not allow this.")
    levels = {item.competence_id: item.level for item in payload.competences}
    profile = services.profile_save(
        organisation=request.organisation,
        user=request.user,
        text=payload.text,
        competences=levels,
        languages=payload.languages,
        sectors=payload.sectors,
        actor=request.user,
    )
    return selectors.profile_visible_to(organisation=request.organisation, pk=profile.pk)
