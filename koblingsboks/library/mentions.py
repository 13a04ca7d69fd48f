"""@-mentions: ``@kari.nordmann@orkdal.example`` in a post or comment names a person by their
e-mail address (unambiguous, unlike names). Only people in the writer's network who may
read the post can be mentioned."""

import re

from django.db.models import Q
from django.utils.translation import gettext as _

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.library import sharing
from koblingsboks.library.models import Post
from koblingsboks.network.models import Organisation, User

MENTION_RE = re.compile(r"(?<![\w.@])@([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
MAX_MENTIONS = 20
# The word being typed at the end of a text: "… takk til @ka" → "ka".
TYPED_RE = re.compile(r"(?:^|\s)@([^\s@]*)$")
SUGGEST_MIN = 2
SUGGEST_MAX = 10


def mentioned_addresses(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(text or ""):
        seen.setdefault(match.group(1).rstrip(".").lower(), None)
    return list(seen)


def resolve_mentions(*, text: str, organisation: Organisation, post: Post) -> list[User]:
    """The people ``text`` mentions; refused when one is unknown, outside the network of
    ``organisation`` or unable to read ``post`` (nothing is stored then)."""
    addresses = mentioned_addresses(text)
    if not addresses:
        return []
    if len(addresses) > MAX_MENTIONS:
        raise ServiceError(_("Mention at most %d people at a time.") % MAX_MENTIONS, "mentions")
    people = {
        user.email.lower(): user
        for user in sharing.people_in_network_of(organisation=organisation).filter(
            email__in=addresses
        )
    }
    outside = [a for a in addresses if a not in people]
    if outside:
        raise ServiceError(
            _("You can only mention people in your network; not %s.") % ", ".join(outside),
            code="mention_outside",
        )
    blind = [u for u in people.values() if not sharing.post_visible_to_user(post=post, user=u)]
    if blind:
        raise ServiceError(
            _("%s cannot read this post; choose a wider audience or do not mention them.")
            % ", ".join(str(u) for u in blind),
            code="mention_cannot_see",
        )
    return list(people.values())


def mention_names(texts) -> dict[str, str]:
    """The names of the people mentioned in ``texts``, by lower-case e-mail (one query)."""
    addresses = {a for text in texts for a in mentioned_addresses(text)}
    if not addresses:
        return {}
    users = User.objects.filter(email__in=addresses).only("email", "full_name")
    return {u.email.lower(): u.full_name or u.email for u in users}


def typed_prefix(text: str) -> str:
    """The mention being typed at the end of ``text`` (without the @), or ""."""
    match = TYPED_RE.search(text or "")
    return match.group(1) if match else ""


def mention_suggestions(*, organisation: Organisation, prefix: str) -> list[User]:
    """At most 10 people ``organisation``'s members may mention (the set resolve_mentions
    allows) whose e-mail address, name or a later word of their name starts with
    ``prefix``; none for fewer than 2 characters."""
    prefix = (prefix or "").strip().lstrip("@")
    if len(prefix) < SUGGEST_MIN:
        return []
    people = sharing.people_in_network_of(organisation=organisation)
    return list(
        people.filter(
            Q(email__istartswith=prefix)
            | Q(full_name__istartswith=prefix)
            | Q(full_name__icontains=f" {prefix}")
        ).only("email", "full_name")[:SUGGEST_MAX]
    )
