"""Writes of the people app: the competence taxonomy and profiles. Each is one transaction
with its audit entry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from koblingsboks.core.audit import log_action
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.people.models import (
    LANGUAGE_CODES,
    NACE_SECTION_CODES,
    Competence,
    CompetenceArea,
    Level,
    Profile,
    ProfileCompetence,
    ProfileLanguage,
    ProfileSector,
)


def _clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        messages = [m for values in exc.message_dict.values() for m in values]
        raise ServiceError(" ".join(messages)) from exc


def competence_area_create(*, name_nb: str, name_en: str, organisation, actor) -> CompetenceArea:
    """A new area of the shared taxonomy."""
    area = CompetenceArea(name_nb=name_nb.strip(), name_en=name_en.strip())
    if not area.name_nb or not area.name_en:
        raise ServiceError(_("Give the name in both Norwegian and English."))
    _clean(area)
    with transaction.atomic():
        area.save()
        log_action(
            organisation=organisation,
            actor=actor,
            action="people.competence_area.created",
            obj=area,
            after={"name_nb": area.name_nb, "name_en": area.name_en},
        )
    return area


def competence_create(
    *, area: CompetenceArea, name_nb: str, name_en: str, organisation, actor
) -> Competence:
    """A new competence in ``area``; names are unique within the area."""
    competence = Competence(area=area, name_nb=name_nb.strip(), name_en=name_en.strip())
    if not competence.name_nb or not competence.name_en:
        raise ServiceError(_("Give the name in both Norwegian and English."))
    if Competence.objects.filter(area=area, name_nb__iexact=competence.name_nb).exists():
        raise ServiceError(_("This area already has a competence with that name."))
    _clean(competence)
    with transaction.atomic():
        competence.save()
        log_action(
            organisation=organisation,
            actor=actor,
            action="people.competence.created",
            obj=competence,
            after={"area": area.pk, "name_nb": competence.name_nb, "name_en": competence.name_en},
        )
    return competence


def competence_rename(*, competence: Competence, name_nb: str, name_en: str, organisation, actor):
    before = {"name_nb": competence.name_nb, "name_en": competence.name_en}
    competence.name_nb, competence.name_en = name_nb.strip(), name_en.strip()
    if not competence.name_nb or not competence.name_en:
        raise ServiceError(_("Give the name in both Norwegian and English."))
    clash = Competence.objects.filter(area=competence.area, name_nb__iexact=competence.name_nb)
    if clash.exclude(pk=competence.pk).exists():
        raise ServiceError(_("This area already has a competence with that name."))
    _clean(competence)
    with transaction.atomic():
        competence.save()
        log_action(
            organisation=organisation,
            actor=actor,
            action="people.competence.renamed",
            obj=competence,
            before=before,
            after={"name_nb": competence.name_nb, "name_en": competence.name_en},
        )
    return competence


def search_document_for(profile: Profile) -> str:
    """Name, title and text: what the directory's full-text search reads. Competences are
    filtered on exactly, not searched as text.

    Lower-cased with ``casefold`` so that the SQLite fallback can match case-insensitively
    beyond ASCII (SQLite's LIKE folds only A–Z, not Æ, Ø, Å).
    """
    parts = [profile.user.full_name, profile.user.title, profile.text]
    return " ".join(part for part in parts if part).casefold()


def _refresh_search_document(profile: Profile) -> None:
    profile.search_document = search_document_for(profile)
    Profile.objects.filter(pk=profile.pk).update(search_document=profile.search_document)


def profile_save(
    *,
    organisation,
    user,
    text: str,
    competences: dict[int, int],
    languages: list[str],
    sectors: list[str],
    actor,
) -> Profile:
    """Create or replace ``user``'s profile in ``organisation``.

    ``competences`` maps competence ids to levels (1–3).
    """
    text = (text or "").strip()
    if len(text) > 2000:
        raise ServiceError(_("The text can be at most 2000 characters."))
    for level in competences.values():
        if level not in Level.values:
            raise ServiceError(_("A competence level must be basic, experienced or expert."))
    known = set(Competence.objects.filter(pk__in=competences).values_list("pk", flat=True))
    if known != set(competences):
        raise ServiceError(_("Unknown competence."))
    if set(languages) - set(LANGUAGE_CODES):
        raise ServiceError(_("Unknown language."))
    if set(sectors) - set(NACE_SECTION_CODES):
        raise ServiceError(_("Unknown sector."))
    with transaction.atomic():
        profile, created = Profile.objects.get_or_create(organisation=organisation, user=user)
        before = None if created else _profile_state(profile)
        profile.text = text
        profile.save()
        profile.competences.all().delete()
        ProfileCompetence.objects.bulk_create(
            ProfileCompetence(profile=profile, competence_id=pk, level=level)
            for pk, level in competences.items()
        )
        profile.languages.all().delete()
        ProfileLanguage.objects.bulk_create(
            ProfileLanguage(profile=profile, code=code) for code in sorted(set(languages))
        )
        profile.sectors.all().delete()
        ProfileSector.objects.bulk_create(
            ProfileSector(profile=profile, section=code) for code in sorted(set(sectors))
        )
        _refresh_search_document(profile)
        log_action(
            organisation=organisation,
            actor=actor,
            action="people.profile.created" if created else "people.profile.updated",
            obj=profile,
            before=before,
            after=_profile_state(profile),
        )
    return profile


def _profile_state(profile: Profile) -> dict:
    return {
        "text": profile.text,
        "competences": {
            str(pk): level for pk, level in profile.competences.values_list("competence", "level")
        },
        "languages": list(profile.languages.values_list("code", flat=True)),
        "sectors": list(profile.sectors.values_list("section", flat=True)),
    }
