"""Readable audit entries: action names, field labels and values as people know them."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from koblingsboks.core.models import AuditEntry

# One line per action any service records; unknown actions show their code.
ACTION_LABELS = {
    "network.organisation.created": _("Organisation registered"),
    "network.organisation.updated": _("Organisation details changed"),
    "network.membership.created": _("Member added"),
    "network.membership.role_changed": _("Role changed"),
    "network.membership.removed": _("Member removed"),
    "network.invitation.created": _("Invitation sent"),
    "network.invitation.revoked": _("Invitation withdrawn"),
    "network.invitation.accepted": _("Invitation accepted"),
    # CSV imports (network/imports.py, companies/imports.py)
    "network.organisation.imported": _("Organisation imported"),
    "companies.affiliation.imported": _("Affiliation imported"),
    # Key figures (companies/key_figures.py)
    "companies.key_figures.self_reported": _("Key figures reported by the garden"),
    "companies.key_figures.replaced": _("Self-reported key figures replaced"),
    # The portfolio: affiliations, notes and the advisory log (companies/services.py)
    "companies.affiliation.created": _("Company added to the portfolio"),
    "companies.affiliation.updated": _("Affiliation changed"),
    "companies.affiliation.ended": _("Affiliation ended"),
    "companies.note.created": _("Note written"),
    "companies.note.updated": _("Note changed"),
    "companies.note.deleted": _("Note deleted"),
    "companies.advisory_log.added": _("Advisory hours logged"),
    "companies.advisory_log.deleted": _("Logged advisory hours deleted"),
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def register_action_labels(labels: dict) -> None:
    """Lets an app add the labels of its own actions, from its AppConfig.ready()."""
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def describe_changes(entry: AuditEntry) -> list[Change]:
    """The entry's changed fields with verbose names and display values."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    return [
        Change(
            field=_field_label(model, name),
            before=_display(model, name, before),
            after=_display(model, name, after),
        )
        for name, before, after in entry.changed_fields
    ]


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _field_label(model, name: str) -> str:
    field = _model_field(model, name)
    verbose = getattr(field, "verbose_name", None)
    return str(verbose) if verbose else name.replace("_", " ")


def _display(model, name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    field = _model_field(model, name)
    choices = dict(getattr(field, "flatchoices", None) or [])
    if value in choices:
        return str(choices[value])
    if isinstance(value, str):
        return _display_date(value) or value
    return str(value)


def _display_date(value: str) -> str | None:
    moment = parse_datetime(value) if "T" in value else None
    if isinstance(moment, datetime.datetime):
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    try:
        day = parse_date(value)
    except ValueError:
        return None
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else None
