"""Service rules: events, hosts and shares, registrations and the waitlist, cancellation,
attendance, messages, feedback and costs."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.events import selectors, services
from koblingsboks.events.models import Event, EventHost, Feedback, Registration, RegistrationToken
from koblingsboks.events.selectors import registration_by_token
from koblingsboks.events.tests.factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit(run):
    global RUN
    RUN = run


def _register(event, n, **kwargs):
    return RUN(
        services.registration_create,
        event=event,
        name=f"Person {n}",
        email=f"p{n}@example.no",
        **kwargs,
    )


def _statuses(event):
    with organisation_scope(event.organisation):
        return list(
            Registration.objects.filter(event=event).order_by("id").values_list("email", "status")
        )


def _token_from(message, path):
    line = next(line for line in message.body.splitlines() if path in line)
    return line.split("/r/")[1].split("/")[0]


def test_create_makes_a_draft_with_the_lead_host_at_100_percent(tenant_a):
    event = make_event(tenant_a.organisation, actor=tenant_a.advisor, publish=False)

    assert event.status == Event.Status.DRAFT
    hosts = list(EventHost.objects.filter(event=event).values_list("organisation", "share"))
    assert hosts == [(tenant_a.organisation.pk, Decimal("100.00"))]
    with organisation_scope(tenant_a.organisation):
        assert AuditEntry.objects.filter(action="events.event.created").count() == 1


@pytest.mark.parametrize(
    "fields,code",
    [
        ({"ends_at_offset": -1}, "dates"),
        ({"deadline_offset": 2}, "deadline"),
        ({"title": ""}, "title"),
        ({"price": Decimal("-1")}, "price"),
        ({"audience": "network"}, "network"),
    ],
)
def test_create_refuses_bad_input_and_creates_nothing(tenant_a, fields, code):
    starts = timezone.now() + datetime.timedelta(days=3)
    data = {
        "title": fields.get("title", "Kurs"),
        "kind": "course",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=fields.get("ends_at_offset", 2)),
        "price": fields.get("price", Decimal(0)),
        "audience": fields.get("audience", "public"),
        "location": "Orkanger",
    }
    if "deadline_offset" in fields:
        data["registration_deadline"] = starts + datetime.timedelta(hours=2)
    with pytest.raises(ServiceError) as exc:
        services.event_create(organisation=tenant_a.organisation, data=data, actor=tenant_a.admin)
    assert exc.value.code == code
    with organisation_scope(tenant_a.organisation):
        assert not Event.objects.exists()


def test_observer_cannot_create(tenant_a):
    with pytest.raises(ServiceError) as exc:
        make_event(tenant_a.organisation, actor=tenant_a.observer)
    assert exc.value.code == "forbidden"


def test_shares_must_sum_to_100(tenant_a, tenant_b):
    event = make_event(tenant_a.organisation)
    a, b = tenant_a.organisation, tenant_b.organisation
    with pytest.raises(ServiceError) as exc:
        services.event_set_hosts(
            event=event, shares=[(a, Decimal("60")), (b, Decimal("30"))], actor=tenant_a.admin
        )
    assert "90" in exc.value.message
    assert EventHost.objects.filter(event=event).count() == 1

    services.event_set_hosts(
        event=event, shares=[(a, Decimal("60")), (b, Decimal("40"))], actor=tenant_a.admin
    )
    # Now B hosts it too: B's scope finds it.
    with organisation_scope(b):
        assert Event.objects.filter(pk=event.pk).exists()


def test_registration_confirms_then_waitlists_and_sends_ics(tenant_a):
    event = make_event(tenant_a.organisation, capacity=2)

    for n in range(3):
        _register(event, n, language="en")

    assert [s for _e, s in _statuses(event)] == ["confirmed", "confirmed", "waitlisted"]
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Registration confirmed",
        "Registration confirmed",
        "You are on the waitlist",
    ]
    assert "number 1" in mail.outbox[2].body
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content
    assert mail.outbox[0].attachments and not mail.outbox[2].attachments


def test_same_email_twice_is_refused(tenant_a):
    event = make_event(tenant_a.organisation)
    _register(event, 1)
    with pytest.raises(ServiceError) as exc:
        services.registration_create(event=event, name="Again", email="P1@example.no")
    assert exc.value.code == "duplicate"
    assert len(_statuses(event)) == 1


def test_registration_after_the_deadline_is_refused(tenant_a):
    event = make_event(tenant_a.organisation)
    with pytest.raises(ServiceError) as exc:
        _register(event, 1, now=event.starts_at + datetime.timedelta(minutes=1))
    assert exc.value.code == "deadline"
    assert _statuses(event) == []


def test_draft_event_is_not_open(tenant_a):
    event = make_event(tenant_a.organisation, publish=False)
    with pytest.raises(ServiceError):
        _register(event, 1)


def test_org_number_is_validated_and_looked_up(tenant_a):
    from tests.factories import CompanyFactory

    company = CompanyFactory(name="HITRA LAKS AS")
    event = make_event(tenant_a.organisation)
    with pytest.raises(ServiceError) as exc:
        _register(event, 1, org_number="123456789")
    assert exc.value.code == "org_number"

    registration = _register(event, 2, org_number=company.org_number)
    assert registration.company == company
    assert registration.company_name == "HITRA LAKS AS"


def test_cancel_by_link_moves_the_waitlist_up_in_order(tenant_a):
    event = make_event(tenant_a.organisation, capacity=1)
    for n in range(3):
        _register(event, n)
    raw = _token_from(mail.outbox[0], "/cancel/")
    mail.outbox.clear()

    token = registration_by_token(raw=raw, purpose="cancel")
    RUN(services.registration_cancel_by_token, token=token)

    assert _statuses(event) == [
        ("p0@example.no", "cancelled"),
        ("p1@example.no", "confirmed"),
        ("p2@example.no", "waitlisted"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.no", "p1@example.no"]
    promoted = next(m for m in mail.outbox if m.to == ["p1@example.no"])
    assert promoted.attachments  # the .ics

    # The link used twice: a clear message, nothing changed.
    with pytest.raises(ServiceError) as exc:
        RUN(
            services.registration_cancel_by_token,
            token=registration_by_token(raw=raw, purpose="cancel"),
        )
    assert exc.value.code == "already_cancelled"
    assert _statuses(event)[1] == ("p1@example.no", "confirmed")


def test_capacity_below_confirmed_is_refused_and_raising_it_promotes(tenant_a):
    event = make_event(tenant_a.organisation, capacity=2)
    for n in range(4):
        _register(event, n)
    with pytest.raises(ServiceError) as exc:
        RUN(services.event_update, event=event, data={"capacity": 1}, actor=tenant_a.admin)
    assert exc.value.code == "capacity"

    RUN(services.event_update, event=event, data={"capacity": 3}, actor=tenant_a.admin)
    assert [s for _e, s in _statuses(event)] == ["confirmed"] * 3 + ["waitlisted"]


def test_attendance_feedback_and_summary(tenant_a):
    event = make_event(tenant_a.organisation, days_ahead=0, hours=1)
    with organisation_scope(tenant_a.organisation):
        Event.objects.filter(pk=event.pk).update(
            starts_at=timezone.now() - datetime.timedelta(hours=2),
            ends_at=timezone.now() + datetime.timedelta(hours=1),
        )
    r1 = _register(event, 1, source="host", actor=tenant_a.admin)
    _register(event, 2, source="host", actor=tenant_a.admin)
    services.registration_set_attendance(registration=r1, attended=True, actor=tenant_a.admin)
    mail.outbox.clear()

    event.refresh_from_db()
    RUN(services.event_change_status, event=event, status="held", actor=tenant_a.admin)

    assert [m.to for m in mail.outbox] == [["p1@example.no"]]  # only the one who came
    raw = _token_from(mail.outbox[0], "/feedback/")
    token = registration_by_token(raw=raw, purpose="feedback")
    with pytest.raises(ServiceError):
        RUN(services.feedback_submit, token=token, score=6, comment="")
    RUN(services.feedback_submit, token=token, score=4, comment="Nyttig")
    with pytest.raises(ServiceError):
        RUN(services.feedback_submit, token=token, score=5, comment="Igjen")
    with organisation_scope(tenant_a.organisation):
        summary = selectors.feedback_summary(event=event)
        assert Feedback.objects.count() == 1
    assert summary.count == 1 and summary.average == Decimal("4")
    assert summary.distribution[4] == 1
    assert [f.comment for f in summary.comments] == ["Nyttig"]


def test_cost_split_sums_to_the_total_to_the_ore(tenant_a, tenant_b):
    from koblingsboks.network.models import Organisation

    c = Organisation.objects.create(
        kind="business_garden", name="C", slug="c", org_number="921001371"
    )
    event = make_event(tenant_a.organisation)
    services.event_set_hosts(
        event=event,
        shares=[
            (tenant_a.organisation, Decimal("33.33")),
            (tenant_b.organisation, Decimal("33.33")),
            (c, Decimal("33.34")),
        ],
        actor=tenant_a.admin,
    )
    services.cost_line_add(
        event=event, description="Lokale", amount="1000.00", actor=tenant_a.admin
    )
    services.cost_line_add(event=event, description="Lunsj", amount="0.01", actor=tenant_a.admin)
    with pytest.raises(ServiceError):
        services.cost_line_add(event=event, description="X", amount="-5", actor=tenant_a.admin)
    with organisation_scope(tenant_a.organisation):
        split = selectors.cost_split(event=event)
    assert split.total == Decimal("1000.01")
    assert sum(p.amount for p in split.parts) == Decimal("1000.01")
    assert sorted(p.amount for p in split.parts) == [
        Decimal("333.30"),
        Decimal("333.30"),
        Decimal("333.41"),
    ]


def test_message_goes_to_confirmed_only_unless_asked(tenant_a):
    event = make_event(tenant_a.organisation, capacity=1)
    _register(event, 1)
    _register(event, 2)
    mail.outbox.clear()
    message = RUN(
        services.event_message_send,
        event=event,
        subject="Parkering",
        body="Bruk p-huset.",
        include_waitlist=False,
        actor=tenant_a.admin,
    )
    assert message.recipient_count == 1
    assert [m.to for m in mail.outbox] == [["p1@example.no"]]
    assert mail.outbox[0].reply_to == [tenant_a.admin.email]


def test_cancelling_the_event_tells_everyone(tenant_a):
    event = make_event(tenant_a.organisation, capacity=1)
    _register(event, 1)
    _register(event, 2)
    mail.outbox.clear()
    RUN(services.event_change_status, event=event, status="cancelled", actor=tenant_a.admin)
    assert sorted(m.to[0] for m in mail.outbox) == ["p1@example.no", "p2@example.no"]
    assert "STATUS:CANCELLED" in mail.outbox[0].attachments[0][1]


def test_copy_is_a_draft_with_the_same_hosts(tenant_a, tenant_b):
    event = make_event(tenant_a.organisation)
    services.event_set_hosts(
        event=event,
        shares=[(tenant_a.organisation, Decimal(70)), (tenant_b.organisation, Decimal(30))],
        actor=tenant_a.admin,
    )
    _register(event, 1)
    copy = services.event_copy(
        event=event, actor=tenant_a.admin, organisation=tenant_a.organisation
    )
    assert copy.pk != event.pk and copy.status == "draft" and copy.title == event.title
    assert sorted(EventHost.objects.filter(event=copy).values_list("share", flat=True)) == [
        Decimal("30.00"),
        Decimal("70.00"),
    ]
    assert _statuses(copy) == []


def test_only_hashes_of_secrets_are_stored(tenant_a):
    event = make_event(tenant_a.organisation)
    _register(event, 1)
    raw = _token_from(mail.outbox[0], "/cancel/")
    with organisation_scope(tenant_a.organisation):
        stored = list(RegistrationToken.objects.values_list("token_hash", flat=True))
    assert raw not in stored and len(stored[0]) == 64
    assert registration_by_token(raw=stored[0], purpose="cancel") is None


def test_close_past_events_command_marks_held_and_asks_for_feedback(tenant_a):
    from io import StringIO

    from django.core.management import call_command

    event = make_event(tenant_a.organisation)
    _register(event, 1)
    with organisation_scope(tenant_a.organisation):
        Event.objects.filter(pk=event.pk).update(
            starts_at=timezone.now() - datetime.timedelta(hours=6),
            ends_at=timezone.now() - datetime.timedelta(hours=4),
            registration_deadline=None,
        )
    upcoming = make_event(tenant_a.organisation)
    out = StringIO()
    call_command("close_past_events", stdout=out)
    assert "1 event(s)" in out.getvalue()
    with organisation_scope(tenant_a.organisation):
        assert Event.objects.get(pk=event.pk).status == "held"
        assert Event.objects.get(pk=upcoming.pk).status == "published"
        assert RegistrationToken.objects.filter(purpose="feedback").count() == 1
