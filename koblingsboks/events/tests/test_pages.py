"""The hosts' pages: calendar (list and month), creating and editing, hosts and shares,
participants with check-in and exports, messages, costs, copying and feed links."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.events import services
from koblingsboks.events.models import CostLine, Event, EventHost, Registration
from koblingsboks.events.tests.factories import make_event

pytestmark = pytest.mark.django_db


def _register(event, n, **kwargs):
    return services.registration_create(
        event=event, name=f"Deltaker {n}", email=f"d{n}@example.no", **kwargs
    )


def _form(**overrides):
    starts = timezone.localtime() + datetime.timedelta(days=20)
    data = {
        "title": "Frokostmøte om finansiering",
        "kind": "seminar",
        "audience": "public",
        "starts_at": starts.strftime("%Y-%m-%dT08:00"),
        "ends_at": starts.strftime("%Y-%m-%dT10:00"),
        "location": "Kristiansund",
        "capacity": "30",
        "price": "0",
        "description": "Om **Innovasjon Norge**.",
    }
    data.update(overrides)
    return data


def test_calendar_lists_own_network_and_public_events_with_filters(
    client_a, tenant_a, tenant_b, shared_network
):
    make_event(tenant_a.organisation, title="Vårt kurs", audience="organisation", kind="course")
    make_event(
        tenant_b.organisation,
        title="Nettverksmøte",
        audience="network",
        network=shared_network,
        kind="network_meeting",
    )
    make_event(tenant_b.organisation, title="Bare hos B", audience="organisation")
    make_event(tenant_b.organisation, title="B-utkast", publish=False)

    body = client_a.get(reverse("events:calendar")).content.decode()
    assert "Vårt kurs" in body and "Nettverksmøte" in body
    assert "Bare hos B" not in body and "B-utkast" not in body

    filtered = client_a.get(reverse("events:calendar"), {"kind": "course"}).content.decode()
    assert "Vårt kurs" in filtered and "Nettverksmøte" not in filtered
    by_org = client_a.get(
        reverse("events:calendar"), {"organisation": tenant_b.organisation.pk}
    ).content.decode()
    assert "Nettverksmøte" in by_org and "Vårt kurs" not in by_org
    empty = client_a.get(reverse("events:calendar"), {"when": "past"}).content.decode()
    assert "Ingen tidligere arrangementer passer" in empty


def test_month_view_puts_events_on_their_day(client_a, tenant_a):
    event = make_event(tenant_a.organisation, title="Månedens kurs")
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")
    body = client_a.get(reverse("events:calendar-month"), {"month": month}).content.decode()
    assert "Månedens kurs" in body
    assert 'data-testid="calendar-month"' in body
    # A malformed month falls back to this month rather than failing.
    assert client_a.get(reverse("events:calendar-month"), {"month": "x"}).status_code == 200


def test_calendar_queries_do_not_grow_with_events(client_a, tenant_a, tenant_b, shared_network):
    def grow(n):
        for _ in range(n):
            event = make_event(tenant_a.organisation)
            _register(event, 1)
            make_event(tenant_b.organisation, audience="network", network=shared_network)

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client_a.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    few = [queries(reverse("events:calendar")), queries(reverse("events:calendar-month"))]
    grow(10)
    many = [queries(reverse("events:calendar")), queries(reverse("events:calendar-month"))]
    assert many == few


def test_create_edit_and_refusals(client_a, tenant_a):
    response = client_a.post(reverse("events:create"), _form())
    assert response.status_code == 302
    with organisation_scope(tenant_a.organisation):
        event = Event.objects.get(title="Frokostmøte om finansiering")
    assert event.status == "draft" and event.capacity == 30

    detail = client_a.get(response.url).content.decode()
    assert "<strong>Innovasjon Norge</strong>" in detail

    bad = client_a.post(
        reverse("events:edit", kwargs={"pk": event.pk}),
        _form(ends_at=_form()["starts_at"].replace("T08", "T07")),
    )
    assert "Arrangementet må slutte etter at det starter" in bad.content.decode()
    deadline = client_a.post(
        reverse("events:edit", kwargs={"pk": event.pk}),
        _form(registration_deadline=_form()["starts_at"].replace("T08", "T09")),
    )
    assert "Påmeldingsfristen kan ikke være etter" in deadline.content.decode()
    event.refresh_from_db()
    assert event.title == "Frokostmøte om finansiering"

    client_a.post(reverse("events:status", kwargs={"pk": event.pk}), {"status": "published"})
    for n in range(3):
        _register(event, n)
    low = client_a.post(reverse("events:edit", kwargs={"pk": event.pk}), _form(capacity="2"))
    assert "3 plasser er allerede bekreftet" in low.content.decode()
    event.refresh_from_db()
    assert event.capacity == 30


def test_observer_cannot_open_the_editing_pages(client, tenant_a):
    event = make_event(tenant_a.organisation)
    client.force_login(tenant_a.observer)
    assert client.get(reverse("events:create")).status_code == 403
    assert client.get(reverse("events:edit", kwargs={"pk": event.pk})).status_code == 403
    assert client.get(reverse("events:participants", kwargs={"pk": event.pk})).status_code == 200


def test_hosts_form_enforces_100_percent(client_a, tenant_a, tenant_b, shared_network):
    event = make_event(tenant_a.organisation)
    url = reverse("events:hosts", kwargs={"pk": event.pk})
    assert tenant_b.organisation.name in client_a.get(url).content.decode()
    a, b = tenant_a.organisation.pk, tenant_b.organisation.pk
    bad = client_a.post(url, {f"share_{a}": "50", f"host_{b}": "on", f"share_{b}": "40"})
    assert "må bli 100 % til sammen" in bad.content.decode()
    assert EventHost.objects.filter(event=event).count() == 1
    good = client_a.post(url, {f"share_{a}": "50", f"host_{b}": "on", f"share_{b}": "50"})
    assert good.status_code == 302
    assert EventHost.objects.filter(event=event).count() == 2


def test_participants_check_in_and_exports(client_a, tenant_a):
    event = make_event(tenant_a.organisation, capacity=1)
    first = _register(event, 1, needs="Glutenfri", company_name="=HYPERLINK()")
    _register(event, 2)
    page = client_a.get(reverse("events:participants", kwargs={"pk": event.pk})).content.decode()
    assert "Deltaker 1" in page and "Glutenfri" in page and "på venteliste" in page

    url = reverse("events:check-in", kwargs={"pk": event.pk, "rid": first.pk})
    row = client_a.post(url, {"attended": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert row.strip().startswith("<tr") and 'data-testid="undo-check-in"' in row
    with organisation_scope(tenant_a.organisation):
        assert Registration.objects.get(pk=first.pk).checked_in_at is not None

    csv = client_a.get(reverse("events:participants-csv", kwargs={"pk": event.pk}))
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Navn,E-post,Bedrift")
    assert "d1@example.no" in text and "d2@example.no" in text
    assert "'=HYPERLINK()" in text  # never a formula
    xlsx = client_a.get(reverse("events:participants-xlsx", kwargs={"pk": event.pk}))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Navn" and {r[1] for r in rows[1:]} == {"d1@example.no", "d2@example.no"}


def test_host_adds_someone_and_cancels_a_registration(client_a, tenant_a, run):
    event = make_event(tenant_a.organisation, capacity=1)
    url = reverse("events:participant-add", kwargs={"pk": event.pk})
    run(client_a.post, path=url, data={"name": "Per", "email": "per@example.no"})
    run(client_a.post, path=url, data={"name": "Pål", "email": "pal@example.no"})
    with organisation_scope(tenant_a.organisation):
        per = Registration.objects.get(email="per@example.no")
    mail.outbox.clear()
    run(
        client_a.post,
        path=reverse("events:participant-cancel", kwargs={"pk": event.pk, "rid": per.pk}),
    )
    with organisation_scope(tenant_a.organisation):
        statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {"per@example.no": "cancelled", "pal@example.no": "confirmed"}
    assert {m.to[0] for m in mail.outbox} == {"per@example.no", "pal@example.no"}


def test_message_to_participants(client_a, tenant_a, run):
    event = make_event(tenant_a.organisation)
    _register(event, 1)
    mail.outbox.clear()
    url = reverse("events:message", kwargs={"pk": event.pk})
    empty = client_a.post(url, {"subject": "", "body": ""})
    assert empty.status_code == 200 and mail.outbox == []
    response = run(client_a.post, path=url, data={"subject": "Husk", "body": "Ta med PC."})
    assert response.status_code == 302
    assert [m.subject for m in mail.outbox] == [f"Husk – {event.title}"]
    assert "Ta med PC." in mail.outbox[0].body


def test_costs_split_shown_and_exported(client_a, tenant_a, tenant_b):
    event = make_event(tenant_a.organisation)
    services.event_set_hosts(
        event=event,
        shares=[
            (tenant_a.organisation, Decimal("66.67")),
            (tenant_b.organisation, Decimal("33.33")),
        ],
        actor=tenant_a.admin,
    )
    url = reverse("events:cost-add", kwargs={"pk": event.pk})
    client_a.post(url, {"description": "Lokale", "amount": "1000"})
    client_a.post(url, {"description": "Kaffe", "amount": "-3"})
    with organisation_scope(tenant_a.organisation):
        assert list(CostLine.objects.values_list("description", flat=True)) == ["Lokale"]
    page = client_a.get(reverse("events:detail", kwargs={"pk": event.pk})).content.decode()
    assert "kr\xa0666,70" in page and "kr\xa0333,30" in page
    csv = client_a.get(reverse("events:costs-csv", kwargs={"pk": event.pk})).content.decode(
        "utf-8-sig"
    )
    assert "666.7," in csv and "333.3," in csv and "Lokale,1000" in csv


def test_copy_makes_a_draft(client_a, tenant_a):
    event = make_event(tenant_a.organisation, title="Årlig samling")
    response = client_a.post(reverse("events:copy", kwargs={"pk": event.pk}))
    assert response.status_code == 302
    with organisation_scope(tenant_a.organisation):
        copies = list(Event.objects.filter(title="Årlig samling").order_by("pk"))
    assert [e.status for e in copies] == ["published", "draft"]
    assert response.url == reverse("events:edit", kwargs={"pk": copies[1].pk})


def test_other_organisations_network_event_is_read_only(client_a, tenant_b, shared_network):
    event = make_event(
        tenant_b.organisation, title="Felles samling", audience="network", network=shared_network
    )
    _register(event, 1)
    page = client_a.get(reverse("events:detail", kwargs={"pk": event.pk})).content.decode()
    assert "Felles samling" in page
    assert "d1@example.no" not in page and "Deltakerliste" not in page
    assert client_a.get(reverse("events:participants", kwargs={"pk": event.pk})).status_code == 404
    assert client_a.get(reverse("events:edit", kwargs={"pk": event.pk})).status_code == 404


def test_feed_links_page_creates_and_revokes(client_a, tenant_a, shared_network):
    response = client_a.post(
        reverse("events:feed-links"), {"network": shared_network.pk, "name": "Outlook"}
    )
    body = response.content.decode()
    assert 'data-testid="new-feed-url"' in body and "/feeds/private/kbf_" in body
    url = body.split("/feeds/private/")[1].split(".ics")[0]
    assert client_a.get(f"/feeds/private/{url}.ics").status_code == 200


def test_every_page_renders_with_the_demo_data(client):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import translation

    from koblingsboks.network.models import Organisation, User

    call_command("load_demo", stdout=StringIO())
    client.force_login(User.objects.get(email="admin@kystkompetanse.example"))
    kyst = Organisation.objects.get(org_number="921001371")
    with organisation_scope(kyst):
        events = list(Event.objects.all())
    assert len(events) >= 4
    urls = [reverse("events:calendar"), reverse("events:calendar-month"), reverse("events:create")]
    urls += [reverse("events:feed-links"), reverse("events:public-list")]
    for event in events:
        for name in ("detail", "participants", "edit", "hosts", "message", "event-ics"):
            urls.append(reverse(f"events:{name}", kwargs={"pk": event.pk}))
    for language in ("nb", "en"):
        client.cookies["django_language"] = language
        with translation.override(language):
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("events:calendar"), {"when": "all"}).content.decode()
    assert "Joint calendar" in page and "Nettverkssamling for rådgiverne" in page


def test_registrant_data_is_found_exported_and_erased(client_a, tenant_a, tenant_b):
    mine = make_event(tenant_a.organisation, title="Vårt kurs")
    theirs = make_event(tenant_b.organisation, title="Deres kurs")
    registration = services.registration_create(
        event=mine, name="Kari Hansen", email="kari@example.no", needs="Nøtteallergi"
    )
    services.registration_create(event=theirs, name="Kari Hansen", email="kari@example.no")
    url = reverse("events:registrant-data")

    page = client_a.get(url, {"email": "KARI@example.no"}).content.decode()
    assert "Vårt kurs" in page and "Deres kurs" not in page
    csv = client_a.get(url, {"email": "kari@example.no", "format": "csv"}).content.decode()
    assert "Nøtteallergi" in csv and "Deres kurs" not in csv

    done = client_a.post(url, {"email": "kari@example.no"}, follow=True).content.decode()
    assert "1 påmeldinger, 0 kontaktpersoner, 0 lenker til undersøkelser" in done
    with organisation_scope(tenant_a.organisation):
        erased = Registration.objects.get(pk=registration.pk)
        assert (erased.name, erased.needs) == ("–", "")
        assert "kari" not in erased.email
        assert erased.status == "confirmed"  # the seat and the counts stay
    with organisation_scope(tenant_b.organisation):
        assert Registration.objects.get(event=theirs).email == "kari@example.no"
