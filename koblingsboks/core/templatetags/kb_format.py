"""Norwegian figures in templates: {{ value|number }}, {{ value|number:1 }}, {{ amount|nok }}."""

from django import template

from koblingsboks.core.formatting import format_nok, format_number

register = template.Library()


@register.filter
def number(value, decimal_pos=None):
    return format_number(value, int(decimal_pos) if decimal_pos is not None else None)


@register.filter
def nok(value):
    return format_nok(value)
