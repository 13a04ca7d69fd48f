"""Template helpers for audit entries: {{ entry.action|action_label }}, {% changes entry %}."""

from django import template

from koblingsboks.core.audit_display import action_label as _action_label
from koblingsboks.core.audit_display import describe_changes

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return _action_label(action)


@register.simple_tag
def changes(entry):
    return describe_changes(entry)
