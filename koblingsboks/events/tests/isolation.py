"""The events app in the shared tenant-isolation test (tests/isolation/plugins.py).

Each tenant hosts a private event (own organisation only), a network event of its own
network, and a public event. Their registrations, needs, cost lines, feedback, messages and
private feed links are private, and carry the canaries. The public event's title is public
by design (it is shown in every calendar), so it is not a canary.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.events.models import (
    CostLine,
    Event,
    EventHost,
    EventMessage,
    Feedback,
    FeedToken,
    Registration,
    RegistrationToken,
)
from koblingsboks.events.selectors import token_hash
from koblingsboks.events.services import (
    cost_line_add,
    event_change_status,
    event_create,
    feed_token_create,
    registration_create,
)
from tests.isolation.entries import ObjectUrl, Public, ScopedList


def _event(org, actor, *, title, audience, network=None, description=""):
    starts = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    event = event_create(
        organisation=org,
        data={
            "title": title,
            "kind": Event.Kind.COURSE,
            "description": description,
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
            "location": "Møterommet",
            "capacity": 10,
            "price": Decimal("0"),
            "audience": audience,
            "network": network,
        },
        actor=actor,
    )
    return event_change_status(event=event, status=Event.Status.PUBLISHED, actor=actor)


def tenant_data(tenant, label, data) -> dict:
    org, admin = tenant.organisation, tenant.admin
    event = _event(
        org,
        admin,
        title=f"Canary private event {label}",
        audience=Event.Audience.ORGANISATION,
        description=f"Canary event description {label}",
    )
    network_event = _event(
        org,
        admin,
        title=f"Canary network event {label}",
        audience=Event.Audience.NETWORK,
        network=data.network,
    )
    public_event = _event(org, admin, title=f"Open seminar {label}", audience="public")
    registration = registration_create(
        event=event,
        name=f"Canary Registrant {label}",
        email=f"registrant-{label}@canary.example",
        needs=f"Canary needs {label}",
    )
    public_registration = registration_create(
        event=public_event,
        name=f"Canary Public Registrant {label}",
        email=f"public-registrant-{label}@canary.example",
    )
    cost_line = cost_line_add(
        event=public_event, description=f"Canary cost {label}", amount="1234.50", actor=admin
    )
    feed_token, _raw = feed_token_create(
        organisation=org, network=data.network, name=f"Canary feed {label}", actor=admin
    )
    with organisation_scope(org):
        cancel_token = RegistrationToken.objects.get(
            registration=public_registration, purpose=RegistrationToken.Purpose.CANCEL
        )
        feedback_token = RegistrationToken.objects.create(
            registration=registration,
            purpose=RegistrationToken.Purpose.FEEDBACK,
            token_hash=token_hash(f"feedback-{label}"),
        )
        Feedback.objects.create(
            registration=public_registration, score=4, comment=f"Canary feedback {label}"
        )
        message = EventMessage.objects.create(
            event=public_event,
            subject=f"Canary message {label}",
            body="Hello",
            recipient_count=1,
            sent_by=admin,
        )
    data.canaries += [
        event.title,
        network_event.title,
        f"Canary event description {label}",
        registration.name,
        registration.email,
        registration.needs,
        public_registration.name,
        public_registration.email,
        cost_line.description,
        feed_token.name,
        f"Canary feedback {label}",
        message.subject,
    ]
    return {
        "event": event,
        "network_event": network_event,
        "public_event": public_event,
        "registration": registration,
        "public_registration": public_registration,
        "cost_line": cost_line,
        "feed_token": feed_token,
        "cancel_token_hash": cancel_token.token_hash,
        "feedback_token_hash": feedback_token.token_hash,
    }


def snapshot(data) -> dict[str, list]:
    org = data.organisation
    with organisation_scope(org):
        events = Event.objects.order_by("pk")
        return {
            "events": list(events.values()),
            "event hosts": list(EventHost.objects.filter(event__in=events).order_by("pk").values()),
            "registrations": list(Registration.objects.order_by("pk").values()),
            "registration tokens": list(RegistrationToken.objects.order_by("pk").values()),
            "feedback": list(Feedback.objects.order_by("pk").values()),
            "cost lines": list(CostLine.objects.order_by("pk").values()),
            "event messages": list(EventMessage.objects.order_by("pk").values()),
            "feed tokens": list(FeedToken.objects.order_by("pk").values()),
        }


def _event_pk(t):
    return {"pk": t.event.pk}


def _public_event_pk(t):
    return {"pk": t.public_event.pk}


def _registration(t):
    return {"pk": t.event.pk, "rid": t.registration.pk}


def _event_form(t):
    start = timezone.localtime(t.event.starts_at)
    return {
        "title": "Changed by another organisation",
        "kind": "course",
        "audience": "organisation",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Elsewhere",
        "price": "0",
        "capacity": "5",
    }


def _slug(t):
    return {"slug": t.organisation.slug}


def _slug_event(t):
    return {"slug": t.organisation.slug, "event_id": t.event.pk}


PUBLIC_TOKEN = (
    "capability link: the secret in it is the credential and only its hash is stored; "
    "requested with B's stored hash it must find nothing"
)

ENTRIES = [
    ("events:calendar", ScopedList(shows=lambda t: [t.event.title, t.network_event.title])),
    ("events:calendar-month", ScopedList(shows=lambda t: [t.organisation.name])),
    ("events:create", ScopedList(shows=lambda t: [t.network.name])),
    ("events:feed-links", ScopedList(shows=lambda t: [t.feed_token.name])),
    # Looks up (and erases) registrations only in the active organisation's own events; shown
    # here without an address, so it lists nothing of anybody's.
    ("events:registrant-data", ScopedList(shows=lambda t: [t.organisation.name])),
    (
        "events:feed-link-revoke",
        ObjectUrl(kwargs=lambda t: {"pk": t.feed_token.pk}, methods=("POST",)),
    ),
    ("events:detail", ObjectUrl(kwargs=_event_pk, methods=("GET",))),
    ("events:event-ics", ObjectUrl(kwargs=_event_pk, methods=("GET",))),
    ("events:edit", ObjectUrl(kwargs=_event_pk, data=_event_form, methods=("GET", "POST"))),
    (
        "events:hosts",
        ObjectUrl(
            kwargs=_event_pk,
            data=lambda t: {f"share_{t.organisation.pk}": "100"},
            methods=("GET", "POST"),
        ),
    ),
    (
        "events:status",
        ObjectUrl(kwargs=_event_pk, data=lambda t: {"status": "cancelled"}, methods=("POST",)),
    ),
    ("events:copy", ObjectUrl(kwargs=_event_pk, methods=("POST",))),
    ("events:participants", ObjectUrl(kwargs=_event_pk, methods=("GET",))),
    (
        "events:participant-add",
        ObjectUrl(
            kwargs=_event_pk,
            data=lambda t: {"name": "Intruder", "email": "intruder@example.no"},
            methods=("POST",),
        ),
    ),
    (
        "events:check-in",
        ObjectUrl(kwargs=_registration, data=lambda t: {"attended": "1"}, methods=("POST",)),
    ),
    ("events:participant-cancel", ObjectUrl(kwargs=_registration, methods=("POST",))),
    ("events:participants-csv", ObjectUrl(kwargs=_event_pk, methods=("GET",))),
    ("events:participants-xlsx", ObjectUrl(kwargs=_event_pk, methods=("GET",))),
    (
        "events:message",
        ObjectUrl(
            kwargs=_event_pk,
            data=lambda t: {"subject": "Spam", "body": "From another organisation"},
            methods=("GET", "POST"),
        ),
    ),
    (
        "events:cost-add",
        ObjectUrl(
            kwargs=_event_pk,
            data=lambda t: {"description": "Sneaky cost", "amount": "100"},
            methods=("POST",),
        ),
    ),
    (
        "events:cost-delete",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.public_event.pk, "cid": t.cost_line.pk}, methods=("POST",)
        ),
    ),
    ("events:costs-csv", ObjectUrl(kwargs=_public_event_pk, methods=("GET",))),
    ("events:costs-xlsx", ObjectUrl(kwargs=_public_event_pk, methods=("GET",))),
    ("events:feedback-send", ObjectUrl(kwargs=_event_pk, methods=("POST",))),
    ("events:public-list", Public("public events only: their facts are published")),
    ("events:company-lookup", Public("the name of a company in the public register")),
    (
        "events:public-detail",
        Public(
            "a public event's page and registration form; other events are 404",
            kwargs=lambda t: {"public_id": t.event.public_id},
        ),
    ),
    (
        "events:public-ics",
        Public(
            "a public event as iCalendar; other events are 404",
            kwargs=lambda t: {"public_id": t.event.public_id},
        ),
    ),
    ("events:cancel", Public(PUBLIC_TOKEN, kwargs=lambda t: {"token": t.cancel_token_hash})),
    ("events:feedback", Public(PUBLIC_TOKEN, kwargs=lambda t: {"token": t.feedback_token_hash})),
    (
        "events:organisation-feed",
        Public("the public events an organisation hosts", kwargs=_slug),
    ),
    (
        "events:network-feed",
        Public(
            "the public events of a network's parties (never its internal events)",
            kwargs=lambda t: {"slug": t.network.slug},
        ),
    ),
    (
        "events:network-private-feed",
        Public(PUBLIC_TOKEN, kwargs=lambda t: {"token": t.feed_token.token_hash}),
    ),
]

_EVENT_BODY = {"title": "Changed by another organisation"}

ENTRIES += [
    (
        "api:event_list",
        ScopedList(shows=lambda t: [t.event.title], kwargs=_slug),
    ),
    (
        "api:event_calendar",
        ScopedList(shows=lambda t: [t.event.title, t.network_event.title], kwargs=_slug),
    ),
    (
        "api:event_create",
        ObjectUrl(
            kwargs=_slug,
            data=lambda t: {
                "title": "Created by another organisation",
                "kind": "course",
                "audience": "organisation",
                "starts_at": "2030-01-01T10:00:00+01:00",
                "ends_at": "2030-01-01T12:00:00+01:00",
                "location": "Elsewhere",
            },
            methods=("POST",),
        ),
    ),
    (
        "api:event_detail",
        ObjectUrl(kwargs=lambda t: {"event_id": t.event.pk}, context=_slug, methods=("GET",)),
    ),
    (
        "api:event_update",
        ObjectUrl(
            kwargs=lambda t: {"event_id": t.event.pk},
            context=_slug,
            data=lambda t: _EVENT_BODY,
            methods=("PATCH",),
        ),
    ),
    (
        "api:event_status",
        ObjectUrl(
            kwargs=lambda t: {"event_id": t.event.pk},
            context=_slug,
            data=lambda t: {"status": "cancelled"},
            methods=("POST",),
        ),
    ),
    (
        "api:event_hosts",
        ObjectUrl(
            kwargs=lambda t: {"event_id": t.event.pk},
            context=_slug,
            data=lambda t: {"hosts": [{"organisation_slug": t.organisation.slug, "share": "100"}]},
            methods=("PUT",),
        ),
    ),
    (
        "api:event_registration_list",
        ObjectUrl(kwargs=lambda t: {"event_id": t.event.pk}, context=_slug, methods=("GET",)),
    ),
    (
        "api:event_registration_create",
        ObjectUrl(
            kwargs=lambda t: {"event_id": t.event.pk},
            context=_slug,
            data=lambda t: {"name": "Intruder", "email": "intruder@example.no"},
            methods=("POST",),
        ),
    ),
    (
        "api:event_registration_update",
        ObjectUrl(
            kwargs=lambda t: {"event_id": t.event.pk, "registration_id": t.registration.pk},
            context=_slug,
            data=lambda t: {"checked_in": True},
            methods=("PATCH",),
        ),
    ),
    ("api:event_public_list", Public("public events only: their facts are published")),
]

API_OPERATIONS = {
    ("get", "/api/v1/organisations/{slug}/events"),
    ("post", "/api/v1/organisations/{slug}/events"),
    ("get", "/api/v1/organisations/{slug}/calendar"),
    ("get", "/api/v1/organisations/{slug}/events/{event_id}"),
    ("patch", "/api/v1/organisations/{slug}/events/{event_id}"),
    ("post", "/api/v1/organisations/{slug}/events/{event_id}/status"),
    ("put", "/api/v1/organisations/{slug}/events/{event_id}/hosts"),
    ("get", "/api/v1/organisations/{slug}/events/{event_id}/registrations"),
    ("post", "/api/v1/organisations/{slug}/events/{event_id}/registrations"),
    ("patch", "/api/v1/organisations/{slug}/events/{event_id}/registrations/{registration_id}"),
    ("get", "/api/v1/events/public"),
}
