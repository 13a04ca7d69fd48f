"""Free tags: parsing what people type and finding or creating the Tag rows."""

from django.utils.text import slugify
from django.utils.translation import gettext as _

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.library.models import Tag

MAX_TAGS = 12
MAX_TAG_LENGTH = 50


def parse_tags(value: str | list[str] | None) -> list[str]:
    """ "Gründer, styre ,  gründer" → ["Gründer", "styre"]: trimmed, without duplicates."""
    if value is None:
        return []
    parts = value if isinstance(value, list) else str(value).split(",")
    names: dict[str, str] = {}
    for part in parts:
        name = " ".join(str(part).lstrip("#").split())
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ServiceError(
                _("A tag can be at most %(max)d characters long: “%(tag)s”.")
                % {"max": MAX_TAG_LENGTH, "tag": name[:60]},
                code="tags",
            )
        slug = slugify(name, allow_unicode=True)
        if not slug:
            raise ServiceError(_("“%s” is not a usable tag.") % name, code="tags")
        names.setdefault(slug, name)
    if len(names) > MAX_TAGS:
        raise ServiceError(_("Use at most %d tags.") % MAX_TAGS, code="tags")
    return list(names.values())


def tags_for(names: list[str]) -> list[Tag]:
    """The Tag rows for ``names`` (created when new); call inside the service transaction."""
    tags = []
    for name in names:
        tag, _created = Tag.objects.get_or_create(
            slug=slugify(name, allow_unicode=True), defaults={"name": name}
        )
        tags.append(tag)
    return tags


def tag_text(tags) -> str:
    return ", ".join(sorted(tag.name for tag in tags))
