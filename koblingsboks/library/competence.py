"""Competence areas of methods and of the people who follow them: the people app's
competence taxonomy (``people.CompetenceArea``), a shared vocabulary edited by network
coordinators. Which methods carry an area is always read through the methods the reader
may see."""

from django.utils.translation import gettext as _

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.people.models import CompetenceArea


def area_ids(value) -> list[int]:
    """Ids from what forms and the API give: CompetenceArea rows, ids or digit strings
    (in their order, without duplicates). Anything else is refused with a clear message."""
    if value is None or value == "":
        return []
    if isinstance(value, CompetenceArea | int | str):
        value = [value]
    ids: dict[int, None] = {}
    for item in value:
        if isinstance(item, CompetenceArea):
            ids[item.pk] = None
            continue
        text = str(item).strip()
        if isinstance(item, bool) or not text.isdigit():
            raise ServiceError(
                _("“%s” is not a competence area; give the id of an area of the taxonomy.")
                % text[:40],
                code="competence_areas",
            )
        ids[int(text)] = None
    return list(ids)


def areas_for(value) -> list[CompetenceArea]:
    """The CompetenceArea rows for ``value`` (see area_ids); unknown ids are refused."""
    ids = area_ids(value)
    if not ids:
        return []
    found = {area.pk: area for area in CompetenceArea.objects.filter(pk__in=ids)}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ServiceError(
            _("Unknown competence area: %s. Choose areas from the competence taxonomy.")
            % ", ".join(missing),
            code="competence_areas",
        )
    return [found[pk] for pk in ids]


def area_text(areas) -> str:
    """The areas' Norwegian names, sorted: the snapshot a method version keeps."""
    return ", ".join(sorted(area.name_nb for area in areas))
