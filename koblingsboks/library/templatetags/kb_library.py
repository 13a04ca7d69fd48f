"""Template filters of the library."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from koblingsboks.library.mentions import MENTION_RE

register = template.Library()


@register.filter(name="mentions")
def mentions_filter(html, names: dict):
    """Show ``@kari@orkdal.example`` in already sanitised HTML as "@Kari Nordmann".

    ``names`` maps lower-case e-mail addresses to names (mentions.mention_names); unknown
    addresses stay as they are. The HTML comes from render_markdown, so it is safe; the
    names are escaped here.
    """

    def replace(match):
        name = names.get(match.group(1).rstrip(".").lower()) if names else None
        if not name:
            return match.group(0)
        title = escape(match.group(1))
        return f'<span class="library-mention" title="{title}">@{escape(name)}</span>'

    return mark_safe(MENTION_RE.sub(replace, str(html)))  # noqa: S308 — see docstring
