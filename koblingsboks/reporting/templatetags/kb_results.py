"""Template filters of the results pages: shares as per cent, suppressed figures."""

from django import template
from django.utils.translation import gettext as _

from koblingsboks.core.formatting import format_number
from koblingsboks.reporting.definitions import SUPPRESSION_THRESHOLD

register = template.Library()


@register.filter
def percent(share) -> str:
    """0.6153 → '61,5 %'; None → '–'."""
    if share is None or share == "":
        return "–"
    return f"{format_number(round(float(share) * 100, 1))}\xa0%"


@register.filter
def shown(value, suppressed=False) -> str:
    """A count or sum as the viewer may see it: '< 3' when suppressed."""
    if suppressed:
        return _("fewer than %(n)s") % {"n": SUPPRESSION_THRESHOLD}
    if value is None:
        return "–"
    return format_number(value, 0 if not isinstance(value, int) else None)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
