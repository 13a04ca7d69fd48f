"""E-mails to registrants, sent by the services when their transaction commits.

Each is written in the language the person registered in, and opens the organisation
scope of the event itself (callbacks run after the service's scope has closed).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.events.ics import event_ics
from koblingsboks.events.models import Event, EventMessage, Registration

ICS_NAME = "invitation.ics"
ICS_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def _link(base_url: str, name: str, token: str) -> str:
    return base_url.rstrip("/") + reverse(name, kwargs={"token": token})


def _send(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    ics: bytes | None = None,
    reply_to: str = "",
) -> None:
    body = render_to_string(template, context)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
    )
    if ics is not None:
        message.attach(ICS_NAME, ics, ICS_TYPE)
    message.send()


def _waitlist_position(registration: Registration) -> int:
    return (
        Registration.objects.filter(
            event=registration.event,
            status=Registration.Status.WAITLISTED,
            registered_at__lte=registration.registered_at,
        )
        .exclude(registered_at=registration.registered_at, id__gt=registration.id)
        .count()
    )


def send_registration_received(
    *, registration: Registration, cancel_token: str, base_url: str
) -> None:
    """A confirmed seat (with the .ics), or a place on the waitlist."""
    event = registration.event
    with translation.override(registration.language), organisation_scope(event.organisation):
        context = {
            "registration": registration,
            "event": event,
            "cancel_url": _link(base_url, "events:cancel", cancel_token),
        }
        if registration.status == Registration.Status.CONFIRMED:
            _send(
                to=registration.email,
                subject=_("Registration confirmed: %(title)s") % {"title": event.title},
                template="events/email/confirmed.txt",
                context=context,
                ics=event_ics(event, base_url=base_url),
            )
        else:
            context["position"] = _waitlist_position(registration)
            _send(
                to=registration.email,
                subject=_("You are on the waitlist: %(title)s") % {"title": event.title},
                template="events/email/waitlisted.txt",
                context=context,
            )


def send_promoted(*, registration: Registration, cancel_token: str, base_url: str) -> None:
    event = registration.event
    with translation.override(registration.language):
        _send(
            to=registration.email,
            subject=_("You have a seat: %(title)s") % {"title": event.title},
            template="events/email/promoted.txt",
            context={
                "registration": registration,
                "event": event,
                "cancel_url": _link(base_url, "events:cancel", cancel_token),
            },
            ics=event_ics(event, base_url=base_url),
        )


def send_cancelled(*, registration: Registration, base_url: str) -> None:
    event = registration.event
    with translation.override(registration.language):
        _send(
            to=registration.email,
            subject=_("Registration cancelled: %(title)s") % {"title": event.title},
            template="events/email/cancelled.txt",
            context={"registration": registration, "event": event},
        )


def send_event_cancelled(*, event: Event, registrations: list[Registration], base_url: str):
    ics = event_ics(event, base_url=base_url)
    for registration in registrations:
        with translation.override(registration.language):
            _send(
                to=registration.email,
                subject=_("Cancelled: %(title)s") % {"title": event.title},
                template="events/email/event_cancelled.txt",
                context={"registration": registration, "event": event},
                ics=ics,
            )


def send_message(
    *, event: Event, message: EventMessage, registrations: list[Registration], reply_to: str
) -> None:
    for registration in registrations:
        with translation.override(registration.language):
            _send(
                to=registration.email,
                subject=f"{message.subject} – {event.title}",
                template="events/email/message.txt",
                context={"registration": registration, "event": event, "message": message},
                reply_to=reply_to,
            )


def send_feedback_request(*, registration: Registration, token: str, base_url: str) -> None:
    event = registration.event
    with translation.override(registration.language):
        _send(
            to=registration.email,
            subject=_("How was %(title)s?") % {"title": event.title},
            template="events/email/feedback_request.txt",
            context={
                "registration": registration,
                "event": event,
                "feedback_url": _link(base_url, "events:feedback", token),
            },
        )
