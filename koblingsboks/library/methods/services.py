"""Writes to the methodology library: methods, their versions and experience notes.

Every change to a method keeps a MethodVersion with the new text, who made it and why, so
that the history shows who changed what (methods.diff renders it).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koblingsboks.core.audit import log_action
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.library import files as library_files
from koblingsboks.library import permissions, sharing
from koblingsboks.library.competence import area_text, areas_for
from koblingsboks.library.models import Audience, Method, MethodExperience, MethodVersion
from koblingsboks.library.models.methods import SUMMARY_MAX
from koblingsboks.library.notifications.services import notify_method_followers
from koblingsboks.library.tags import parse_tags, tag_text, tags_for
from koblingsboks.network.models import Organisation, User
from koblingsboks.network.selectors import membership_for

TITLE_MAX = 200
BODY_MAX = 50_000
LICENCE_MAX = 300
NOTE_MAX = 2000


# How far an audience reaches: a change to a wider one brings new readers.
WIDTH = {Audience.ORGANISATION: 0, Audience.NETWORK: 1, Audience.PUBLIC: 2}


def _text(value, *, label, maximum, code, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(_("%s cannot be empty.") % label, code=code)
    if len(value) > maximum:
        raise ServiceError(
            _("%(label)s can be at most %(max)d characters long; this one has %(n)d.")
            % {"label": label, "max": maximum, "n": len(value)},
            code=code,
        )
    return value


def _check_contact(contact: User | None, organisation: Organisation) -> None:
    if contact is not None and membership_for(user=contact, organisation=organisation) is None:
        raise ServiceError(
            _("The contact person must be a member of %s.") % organisation.name, code="contact"
        )


def _clean(data: dict) -> dict:
    audience = data.get("audience", Audience.NETWORK)
    if audience not in Audience.values:
        raise ServiceError(_("Unknown audience: %s") % audience, code="audience")
    return {
        "title": _text(data.get("title"), label=_("The title"), maximum=TITLE_MAX, code="title"),
        "summary": _text(
            data.get("summary"), label=_("The summary"), maximum=SUMMARY_MAX, code="summary"
        ),
        "body": _text(data.get("body"), label=_("The description"), maximum=BODY_MAX, code="body"),
        "licence": _text(
            data.get("licence"),
            label=_("The licence note"),
            maximum=LICENCE_MAX,
            code="licence",
            required=False,
        ),
        "audience": audience,
        "tags": parse_tags(data.get("tags")),
        "competence_areas": areas_for(data.get("competence_areas")),
    }


def _version(method: Method, *, actor: User | None, change_note: str, at) -> MethodVersion:
    return MethodVersion.objects.create(
        method=method,
        number=method.version,
        title=method.title,
        summary=method.summary,
        body=method.body,
        tags=tag_text(method.tags.all()),
        competence_areas=area_text(method.competence_areas.all()),
        licence=method.licence,
        change_note=change_note[:300],
        edited_by=actor,
        created_at=at,
    )


def _audit(method: Method) -> dict:
    return {
        "title": method.title,
        "audience": method.audience,
        "version": method.version,
        "contact": method.contact_id,
    }


def method_create(
    *,
    organisation: Organisation,
    actor: User | None,
    contact: User | None = None,
    uploads=None,
    created_at=None,
    **data,
) -> Method:
    """Add a method to the library (version 1); the people whose competence areas (profile
    or settings) include one of its areas and who may read it are notified."""
    if actor is not None and not permissions.can_publish(
        membership_for(user=actor, organisation=organisation)
    ):
        raise ServiceError(
            _("Only members of %s who are not observers can add methods.") % organisation.name,
            code="forbidden",
        )
    clean = _clean(data)
    _check_contact(contact, organisation)
    checked = library_files.check_uploads(uploads)
    now = created_at or timezone.now()
    stored: list = []
    with library_files.removing_files_on_error(stored), transaction.atomic():
        method = Method(
            organisation=organisation,
            contact=contact,
            created_by=actor,
            created_at=now,
            updated_at=now,
            **{k: v for k, v in clean.items() if k not in ("tags", "competence_areas")},
        )
        with organisation_scope(organisation):
            method.save()
        method.tags.set(tags_for(clean["tags"]))
        method.competence_areas.set(clean["competence_areas"])
        _version(method, actor=actor, change_note="", at=now)
        library_files.attachments_save(
            checked, organisation=organisation, user=actor, stored=stored, method=method
        )
        log_action(
            organisation=organisation,
            actor=actor,
            action="library.method.created",
            obj=method,
            after=_audit(method),
        )
        transaction.on_commit(lambda: notify_method_followers(method=method, actor=actor))
    return method


def method_update(
    *,
    method: Method,
    actor: User | None,
    contact: User | None = None,
    change_note: str = "",
    uploads=None,
    updated_at=None,
    **data,
) -> Method:
    """Change a method; keeps the new text as the next version. Nothing changes (and no
    version is added) when the text, tags and settings are the same. When the audience
    widens or an area is added, people of its areas who were not told yet are notified."""
    organisation = method.organisation
    if actor is not None and not permissions.can_edit_method(
        membership_for(user=actor, organisation=organisation), method
    ):
        raise ServiceError(
            _("Only members of %s can change this method.") % organisation.name,
            code="forbidden",
        )
    clean = _clean(data)
    _check_contact(contact, organisation)
    change_note = _text(
        change_note, label=_("What changed"), maximum=300, code="change_note", required=False
    )
    checked = library_files.check_uploads(uploads)
    before = _audit(method)
    old_area_ids = set(method.competence_areas.values_list("pk", flat=True))
    new_readers = WIDTH[clean["audience"]] > WIDTH[method.audience] or bool(
        {area.pk for area in clean["competence_areas"]} - old_area_ids
    )
    same = (
        all(getattr(method, k) == clean[k] for k in ("title", "summary", "body", "licence"))
        and method.audience == clean["audience"]
        and method.contact_id == (contact.pk if contact else None)
        and tag_text(method.tags.all()) == ", ".join(sorted(clean["tags"]))
        and old_area_ids == {area.pk for area in clean["competence_areas"]}
    )
    if same and not checked:
        return method
    now = updated_at or timezone.now()
    stored: list = []
    with library_files.removing_files_on_error(stored), transaction.atomic():
        with organisation_scope(organisation):
            method = Method.objects.select_for_update().get(pk=method.pk)
        for key in ("title", "summary", "body", "licence", "audience"):
            setattr(method, key, clean[key])
        method.contact = contact
        method.updated_at = now
        if not same:
            method.version += 1
        method.save()
        method.tags.set(tags_for(clean["tags"]))
        method.competence_areas.set(clean["competence_areas"])
        if not same:
            _version(method, actor=actor, change_note=change_note, at=now)
        library_files.attachments_save(
            checked, organisation=organisation, user=actor, stored=stored, method=method
        )
        log_action(
            organisation=organisation,
            actor=actor,
            action="library.method.updated",
            obj=method,
            before=before,
            after=_audit(method),
        )
        if new_readers:  # a wider audience or a new area: tell those not told before
            transaction.on_commit(lambda: notify_method_followers(method=method, actor=actor))
    return method


def method_attachments_add(*, method: Method, actor: User, uploads) -> list:
    """Attach files to a method (members of its organisation who are not observers), with
    the checks of the pages. The text is unchanged, so no version is added."""
    organisation = method.organisation
    if not permissions.can_edit_method(
        membership_for(user=actor, organisation=organisation), method
    ):
        raise ServiceError(
            _("Only members of %s can change this method.") % organisation.name,
            code="forbidden",
        )

    def touch_method():
        with organisation_scope(organisation):
            Method.objects.filter(pk=method.pk).update(updated_at=timezone.now())

    return library_files.attachments_add(
        uploads,
        organisation=organisation,
        actor=actor,
        action="library.method.attachments_added",
        obj=method,
        on_saved=touch_method,
        method=method,
    )


def method_experience_save(
    *,
    method: Method,
    organisation: Organisation,
    author: User,
    note: str,
    companies_count: int | None = None,
    place: str = "",
    at=None,
) -> MethodExperience:
    """ "We used it": an experience note from another organisation (one per person; a second
    one replaces the first)."""
    if not sharing.methods_visible_to(organisation=organisation).filter(pk=method.pk).exists():
        raise ServiceError(_("That method does not exist."), code="not_found")
    if method.organisation_id == organisation.pk:
        raise ServiceError(
            _("Experience notes come from other organisations; improve your own method instead."),
            code="own_method",
        )
    if not permissions.can_publish(membership_for(user=author, organisation=organisation)):
        raise ServiceError(_("Observers cannot add experience notes."), code="forbidden")
    note = _text(note, label=_("The experience note"), maximum=NOTE_MAX, code="note")
    place = _text(place, label=_("The place"), maximum=100, code="place", required=False)
    if companies_count is not None and not 0 <= int(companies_count) <= 100_000:
        raise ServiceError(_("The number of companies must be between 0 and 100 000."), "count")
    now = at or timezone.now()
    with transaction.atomic():
        experience, created = MethodExperience.objects.update_or_create(
            method=method,
            author=author,
            defaults={
                "organisation": organisation,
                "note": note,
                "companies_count": companies_count,
                "place": place,
                "updated_at": now,
            },
            create_defaults={
                "organisation": organisation,
                "note": note,
                "companies_count": companies_count,
                "place": place,
                "created_at": now,
                "updated_at": now,
            },
        )
        log_action(
            organisation=organisation,
            actor=author,
            action="library.method.experience_added"
            if created
            else "library.method.experience_changed",
            obj=method,
            after={"note": note, "companies_count": companies_count, "place": place},
        )
    return experience
