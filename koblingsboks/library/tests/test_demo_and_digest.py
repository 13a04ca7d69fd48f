"""The demo data of the library and the digest of the demo week (HTML and text), the
digest task and its command, and the unsubscribe link in it."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.library.demo import DEMO_WEEK_END, DEMO_WEEK_START, METHODS, OSLO
from koblingsboks.library.models import Method, MethodExperience, Post
from koblingsboks.library.notifications.digest import (
    digest_for,
    render_digest,
    send_digests,
    user_from_unsubscribe_token,
)
from koblingsboks.library.notifications.services import settings_for, settings_update
from koblingsboks.library.tests.factories import make_method, make_post
from koblingsboks.network.models import Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


def _week():
    since = datetime.datetime.combine(DEMO_WEEK_START, datetime.time(), tzinfo=OSLO)
    until = datetime.datetime.combine(DEMO_WEEK_END, datetime.time(), tzinfo=OSLO)
    return since, until


def test_demo_loads_posts_comments_methods_versions_and_experiences_once(demo):
    from koblingsboks.library.demo import load_app_demo

    kyst = Organisation.objects.get(slug="trondersk-kystkompetanse")
    with organisation_scope(kyst):
        assert Post.objects.filter(organisation=kyst).exists()
    methods_total = 0
    for organisation in Organisation.objects.all():
        with organisation_scope(organisation):
            methods_total += Method.objects.filter(organisation=organisation).count()
    assert methods_total == len(METHODS) >= 12
    assert MethodExperience.objects.count() >= 3
    assert load_app_demo() == 0


def test_digest_of_the_demo_week_lists_demo_posts_and_methods_in_html_and_text(demo):
    user = User.objects.get(email="radgiver@nasjonalparken.example")
    since, until = _week()
    digest = digest_for(user=user, since=since, until=until)
    titles = {p.title for p in digest.posts}
    assert "Felles gründeruke i januar" in titles
    assert "Erfaringer fra søknadsklinikken på Hitra" in titles
    # The other garden's internal post is not for this user.
    assert "Intern: ferieavvikling i jula" not in titles
    method_titles = {m.title for m in digest.methods}
    assert {"Søknadsklinikk", "Rekruttering til distriktene"} <= method_titles
    subject, text, html = render_digest(digest)
    assert subject
    for title in ["Felles gründeruke i januar", "Søknadsklinikk"]:
        assert title in text and title in html
    assert "<a href=" in html and "<a href=" not in text
    assert "14.11.2026" in text and "21.11.2026" in text
    assert reverse("library:unsubscribe", args=["x"]).rsplit("x", 1)[0] in text


def test_send_digests_sends_due_digests_once_and_skips_empty_ones(
    tenant_a, tenant_b, shared_network
):
    make_post(tenant_a, network=shared_network, title="Ukens nyhet")
    make_method(tenant_a, title="Ukens metode")
    settings_update(user=tenant_b.manager, digest="off", competence_areas="")
    settings_update(user=tenant_b.advisor, digest="daily", competence_areas="")
    result = send_digests.enqueue()
    assert result.return_value["sent"] >= 5
    recipients = {message.to[0] for message in mail.outbox}
    assert tenant_b.advisor.email in recipients
    assert tenant_b.manager.email not in recipients
    message = next(m for m in mail.outbox if m.to == [tenant_b.advisor.email])
    assert "Ukens nyhet" in message.body and "Ukens metode" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Ukens nyhet" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = message.extra_headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert user_from_unsubscribe_token(token) == tenant_b.advisor
    # Not due again right away.
    mail.outbox.clear()
    assert send_digests.enqueue().return_value["sent"] == 0
    assert mail.outbox == []


def test_a_week_later_only_what_is_new_is_sent(tenant_a, tenant_b, shared_network):
    make_post(tenant_a, network=shared_network, title="Gammel nyhet")
    send_digests.enqueue(frequency="weekly")
    mail.outbox.clear()
    later = timezone.now() + datetime.timedelta(days=8)
    post = make_post(tenant_a, network=shared_network, title="Ny nyhet")
    with organisation_scope(tenant_a.organisation):
        Post.objects.filter(pk=post.pk).update(created_at=later - datetime.timedelta(days=1))
    send_digests.enqueue(frequency="weekly", now=later.isoformat())
    bodies = [m.body for m in mail.outbox if m.to == [tenant_b.advisor.email]]
    assert len(bodies) == 1
    assert "Ny nyhet" in bodies[0] and "Gammel nyhet" not in bodies[0]


def test_send_digests_command(tenant_a, shared_network):
    make_post(tenant_a, title="Til kommandoen")
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "Digests sent: 4" in out.getvalue()
    assert settings_for(tenant_a.advisor).last_digest_at is not None


def test_preview_of_the_demo_week_digest(demo):
    out = StringIO()
    call_command(
        "send_digests",
        preview="radgiver@rorosregionen.example",
        since="2026-11-14",
        until="2026-11-21",
        stdout=out,
    )
    text = out.getvalue()
    assert "Felles gründeruke i januar" in text and "Søknadsklinikk" in text
    assert mail.outbox == []


def test_digest_lists_the_demo_events_of_the_next_fortnight_visible_to_the_user(demo):
    # The demo events are dated from today, so the digest is made "now".
    now = timezone.now()
    user = User.objects.get(email="radgiver@nasjonalparken.example")
    digest = digest_for(user=user, since=now - datetime.timedelta(days=7), until=now)
    titles = [e.title for e in digest.events]
    assert "Frokostmøte: finansiering av vekst" in titles  # public, in 9 days
    assert "Internt frokostmøte" in titles  # the user's own garden's internal one
    assert "Nettverkssamling for rådgiverne" not in titles  # in 16 days: too late
    assert "Kurs i prosjektledelse (utkast)" not in titles  # a draft, in 45 days
    assert [e.starts_at for e in digest.events] == sorted(e.starts_at for e in digest.events)
    _subject, text, html = render_digest(digest)
    assert "Frokostmøte: finansiering av vekst" in text and "Frokostmøte: finansiering" in html
    assert reverse("events:detail", args=[digest.events[0].pk]) in html
    # Another garden does not see Nasjonalparken's internal event.
    other = User.objects.get(email="radgiver@kystkompetanse.example")
    other_digest = digest_for(user=other, since=now - datetime.timedelta(days=7), until=now)
    assert "Internt frokostmøte" not in {e.title for e in other_digest.events}


def test_digest_events_are_published_visible_and_within_fourteen_days(
    tenant_a, tenant_b, shared_network
):
    from koblingsboks.events.models import Event
    from koblingsboks.events.tests.factories import make_event

    now = timezone.now()
    make_event(tenant_a.organisation, title="Snart offentlig", days_ahead=3)
    make_event(tenant_a.organisation, title="Om tre uker", days_ahead=21)
    make_event(tenant_a.organisation, title="Bare et utkast", days_ahead=3, publish=False)
    make_event(
        tenant_a.organisation,
        title="Internt hos A",
        days_ahead=4,
        audience=Event.Audience.ORGANISATION,
    )
    since = now - datetime.timedelta(days=7)
    mine = {e.title for e in digest_for(user=tenant_a.advisor, since=since, until=now).events}
    assert mine == {"Snart offentlig", "Internt hos A"}
    theirs = {e.title for e in digest_for(user=tenant_b.advisor, since=since, until=now).events}
    assert theirs == {"Snart offentlig"}
    digest = digest_for(user=tenant_b.advisor, since=since, until=now)
    digest.user.language = "en"
    _subject, text, html = render_digest(digest)
    assert "Upcoming events" in text and "Upcoming events" in html
    assert "Internt hos A" not in text + html
