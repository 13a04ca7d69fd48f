"""Reads of the methodology library. Reads across organisations go through library.sharing."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from koblingsboks.library import sharing
from koblingsboks.library.models import Attachment, Method, MethodExperience, MethodVersion, Tag
from koblingsboks.network.models import Organisation
from koblingsboks.people.models import CompetenceArea

SORTS = {
    "title": ["title", "id"],
    "-updated": ["-updated_at", "-id"],
    "-used": ["-experience_count", "title"],
}


@dataclass(frozen=True)
class MethodFilters:
    tag: str = ""  # tag slug
    competence: int | None = None  # competence area id
    organisation: str = ""  # owner's slug
    sort: str = "title"


def method_list(
    *, organisation: Organisation, filters: MethodFilters | None = None
) -> QuerySet[Method]:
    filters = filters or MethodFilters()
    qs = sharing.methods_visible_to(organisation=organisation)
    if filters.tag:
        qs = qs.filter(tags__slug=filters.tag)
    if filters.competence:
        qs = qs.filter(competence_areas=filters.competence)
    if filters.organisation:
        qs = qs.filter(organisation__slug=filters.organisation)
    qs = qs.annotate(experience_count=Count("experiences", distinct=True))
    return _with_related(qs).order_by(*SORTS.get(filters.sort, SORTS["title"]))


def _with_related(qs: QuerySet[Method]) -> QuerySet[Method]:
    return qs.select_related("organisation", "contact").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        Prefetch(
            "competence_areas", queryset=CompetenceArea.objects.order_by("position", "name_nb")
        ),
    )


def method_detail(*, pk: int, organisation: Organisation | None) -> Method:
    """A method the organisation may read; Method.DoesNotExist otherwise."""
    qs = sharing.methods_visible_to(organisation=organisation).filter(pk=pk)
    return (
        _with_related(qs)
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("name", "id")),
            Prefetch(
                "experiences",
                queryset=MethodExperience.objects.select_related("organisation", "author"),
            ),
        )
        .get()
    )


def version_list(*, method: Method) -> QuerySet[MethodVersion]:
    return MethodVersion.objects.filter(method=method).select_related("edited_by")


def competence_areas_with_counts(*, organisation: Organisation) -> QuerySet[CompetenceArea]:
    """The taxonomy's areas that have methods ``organisation`` may read, each with
    ``method_count``: how many of those methods (one query)."""
    visible = sharing.methods_visible_to(organisation=organisation).values("pk")
    return (
        CompetenceArea.objects.filter(library_methods__in=visible)
        .annotate(method_count=Count("library_methods", distinct=True))
        .order_by("position", "name_nb")
    )


def method_filter_options(*, organisation: Organisation) -> dict:
    visible = sharing.methods_visible_to(organisation=organisation).values("pk")
    return {
        "tags": Tag.objects.filter(methods__in=visible).distinct().order_by("name"),
        "competence_areas": competence_areas_with_counts(organisation=organisation),
        "organisations": Organisation.objects.filter(
            pk__in=sharing.partner_organisation_ids(organisation)
        ).order_by("name"),
    }
