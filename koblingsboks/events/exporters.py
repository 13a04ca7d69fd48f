"""Exports of the events app: participants and the cost split. One function yields the rows;
the companies app's renderers write CSV (UTF-8 with BOM) or xlsx."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from koblingsboks.companies.exporters import render_csv, render_xlsx  # noqa: F401
from koblingsboks.events.models import Event
from koblingsboks.events.selectors import CostSplit, registration_list


def participant_rows(*, event: Event, status: str = "active") -> Iterator[list]:
    yield [
        _("Name"),
        _("E-mail"),
        _("Company"),
        _("Org.nr."),
        _("Dietary or other needs"),
        _("Status"),
        _("Registered"),
        _("Checked in"),
    ]
    for registration in registration_list(event=event, status=status).iterator(chunk_size=500):
        yield [
            registration.name,
            registration.email,
            registration.company_name,
            registration.org_number,
            registration.needs,
            str(registration.get_status_display()),
            timezone.localtime(registration.registered_at).replace(tzinfo=None),
            timezone.localtime(registration.checked_in_at).replace(tzinfo=None)
            if registration.checked_in_at
            else None,
        ]


def cost_rows(*, split: CostSplit) -> Iterator[list]:
    """The cost lines, then each host's part of the total."""
    yield [_("Cost"), _("Amount (NOK)"), _("Host"), _("Share (%)")]
    for line in split.lines:
        yield [line.description, line.amount, "", None]
    yield [_("Total"), split.total, "", None]
    for part in split.parts:
        yield [_("Part of the total"), part.amount, part.key.organisation.name, part.share]


def registrant_rows(*, registrations) -> Iterator[list]:
    """One person's registrations (their data, for a request to see it)."""
    yield [
        _("Event"),
        _("Starts"),
        _("Name"),
        _("E-mail"),
        _("Company"),
        _("Org.nr."),
        _("Dietary or other needs"),
        _("Status"),
        _("Registered"),
        _("Checked in"),
        _("Score"),
        _("Comment"),
    ]
    for r in registrations:
        feedback = getattr(r, "feedback", None)
        yield [
            r.event.title,
            timezone.localtime(r.event.starts_at).replace(tzinfo=None),
            r.name,
            r.email,
            r.company_name,
            r.org_number,
            r.needs,
            str(r.get_status_display()),
            timezone.localtime(r.registered_at).replace(tzinfo=None),
            timezone.localtime(r.checked_in_at).replace(tzinfo=None) if r.checked_in_at else None,
            feedback.score if feedback else None,
            feedback.comment if feedback else "",
        ]
