"""The public pages: registration without an account (with spam protection and a rate
limit), the confirmation e-mail with its .ics, cancelling and giving feedback by link."""

import datetime
import time

import icalendar
import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.events import services
from koblingsboks.events.forms import FORM_SALT
from koblingsboks.events.models import Event, Feedback, Registration
from koblingsboks.events.tests.factories import make_event
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _started(seconds_ago=10):
    return signing.dumps(time.time() - seconds_ago, salt=FORM_SALT)


def _form(**overrides):
    data = {
        "name": "Kari Nordmann",
        "email": "kari@bedrift.no",
        "company_name": "",
        "org_number": "",
        "needs": "Vegetar",
        "consent": "on",
        "website": "",
        "started": _started(),
    }
    data.update(overrides)
    return data


def _url(event):
    return reverse("events:public-detail", kwargs={"public_id": event.public_id})


def _registrations(event):
    with organisation_scope(event.organisation):
        return list(Registration.objects.filter(event=event).order_by("id"))


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def call(url, data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **kwargs)

    return call


def test_public_page_shows_the_event_and_the_form(client, tenant_a):
    event = make_event(
        tenant_a.organisation,
        title="Eksportkurs",
        capacity=5,
        description="Om **eksport**.<script>alert('x')</script> [lenke](javascript:alert(1))",
    )
    response = client.get(_url(event))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Eksportkurs" in body and "<strong>eksport</strong>" in body
    assert "alert" not in body  # the description's Markdown is sanitised
    assert 'data-testid="registration-form"' in body
    assert "5 plasser igjen" in body


@pytest.mark.parametrize("audience", ["organisation", "network"])
def test_non_public_and_draft_events_are_404(client, tenant_a, shared_network, audience):
    event = make_event(tenant_a.organisation, audience=audience, network=shared_network)
    assert client.get(_url(event)).status_code == 404
    draft = make_event(tenant_a.organisation, publish=False)
    assert client.get(_url(draft)).status_code == 404


def test_register_confirms_and_emails_a_valid_ics(client, tenant_a, post):
    event = make_event(tenant_a.organisation, title="Styrekurs")
    response = post(_url(event), _form())
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "plassen din er bekreftet" in page

    [registration] = _registrations(event)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.needs == "Vegetar"
    [message] = mail.outbox
    assert message.to == ["kari@bedrift.no"]
    assert "/events/r/" in message.body and "/cancel/" in message.body
    calendar = icalendar.Calendar.from_ical(message.attachments[0][1])
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Styrekurs"
    assert vevent.decoded("DTSTART") == event.starts_at


def test_company_org_number_is_checked_and_looked_up(client, tenant_a, post):
    company = CompanyFactory(name="FRØYA FISK AS")
    event = make_event(tenant_a.organisation)
    response = post(_url(event), _form(org_number="123 456 789"))
    assert response.status_code == 200
    assert "kontrollsifferet er feil" in response.content.decode()
    assert _registrations(event) == []

    lookup = client.get(reverse("events:company-lookup"), {"org_number": company.org_number})
    assert "FRØYA FISK AS" in lookup.content.decode()

    post(_url(event), _form(org_number=company.org_number))
    [registration] = _registrations(event)
    assert registration.company == company and registration.company_name == "FRØYA FISK AS"


def test_honeypot_and_too_fast_submissions_are_refused(client, tenant_a, post):
    event = make_event(tenant_a.organisation)
    response = post(_url(event), _form(website="http://spam.example"))
    assert response.status_code == 200 and "kunne ikke tas imot" in response.content.decode()
    response = post(_url(event), _form(started=_started(seconds_ago=0)))
    assert "Det gikk veldig fort" in response.content.decode()
    response = post(_url(event), _form(started="forged"))
    assert "Skjemaet er utløpt" in response.content.decode()
    assert _registrations(event) == []
    assert mail.outbox == []


def test_same_email_twice_gets_a_clear_message(client, tenant_a, post):
    event = make_event(tenant_a.organisation)
    post(_url(event), _form())
    response = post(_url(event), _form(email="KARI@bedrift.no"))
    assert response.status_code == 200
    assert "er allerede påmeldt" in response.content.decode()
    assert len(_registrations(event)) == 1


def test_after_the_deadline_the_form_is_closed(client, tenant_a, post):
    event = make_event(tenant_a.organisation)
    with organisation_scope(tenant_a.organisation):
        Event.objects.filter(pk=event.pk).update(
            registration_deadline=timezone.now() - datetime.timedelta(minutes=1)
        )
    response = post(_url(event), _form())
    assert "Påmeldingen til dette arrangementet er stengt" in response.content.decode()
    assert _registrations(event) == []


def test_full_event_waitlists_and_cancel_link_moves_it_up(client, tenant_a, post):
    event = make_event(tenant_a.organisation, capacity=1)
    post(_url(event), _form(email="first@example.no"))
    response = post(_url(event), _form(email="second@example.no", name="Ola"))
    assert "du står på ventelisten" in client.get(response.url).content.decode()
    first_mail = mail.outbox[0]
    link = next(line for line in first_mail.body.splitlines() if "/cancel/" in line)
    path = link[link.index("/events/") :]
    mail.outbox.clear()

    page = client.get(path)
    assert page.status_code == 200 and 'data-testid="cancel-confirm"' in page.content.decode()
    done = post(path, {})
    assert 'data-testid="cancel-done"' in done.content.decode()
    statuses = [(r.email, r.status) for r in _registrations(event)]
    assert statuses == [("first@example.no", "cancelled"), ("second@example.no", "confirmed")]
    promoted = next(m for m in mail.outbox if m.to == ["second@example.no"])
    assert promoted.attachments and "plass er blitt ledig" in promoted.body

    # The link used twice: a clear message and nothing changes.
    again = post(path, {})
    assert "allerede meldt av" in again.content.decode()
    assert [(r.email, r.status) for r in _registrations(event)] == statuses


def test_unknown_cancel_link_is_404(client, db):
    response = client.get(reverse("events:cancel", kwargs={"token": "nope"}))
    assert response.status_code == 404
    assert "ikke gyldig" in response.content.decode()


def test_registration_is_rate_limited_per_ip(client, tenant_a, post, settings):
    event = make_event(tenant_a.organisation, capacity=100)
    statuses = [post(_url(event), _form(email=f"p{n}@example.no")).status_code for n in range(11)]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
    assert len(_registrations(event)) == 10
    other_ip = post(_url(event), _form(email="x@example.no"), REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 302


def test_feedback_link_records_one_answer(client, tenant_a, run):
    event = make_event(tenant_a.organisation)
    run(services.registration_create, event=event, name="Kari", email="kari@example.no")
    with organisation_scope(tenant_a.organisation):
        Event.objects.filter(pk=event.pk).update(
            starts_at=timezone.now() - datetime.timedelta(hours=3),
            ends_at=timezone.now() - datetime.timedelta(hours=1),
            registration_deadline=None,
        )
    event.refresh_from_db()
    mail.outbox.clear()
    run(services.event_change_status, event=event, status="held", actor=tenant_a.admin)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/feedback/" in line)
    path = link[link.index("/events/") :]

    assert client.post(path, {"score": "9"}).status_code == 200
    response = client.post(path, {"score": "5", "comment": "Svært nyttig"})
    assert 'data-testid="feedback-done"' in response.content.decode()
    with organisation_scope(tenant_a.organisation):
        assert list(Feedback.objects.values_list("score", "comment")) == [(5, "Svært nyttig")]
    again = client.get(path)
    assert 'data-testid="feedback-done"' in again.content.decode()
