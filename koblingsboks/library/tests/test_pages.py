"""The library's pages: feed, posts with files, comments, methods, search, notifications,
settings, the Atom feed and the unsubscribe link."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_tenant
from koblingsboks.library.models import Attachment, Audience, Comment, Notification
from koblingsboks.library.notifications.digest import unsubscribe_token
from koblingsboks.library.notifications.services import settings_for
from koblingsboks.library.tests.factories import (
    committed,
    exe_as_pdf,
    make_method,
    make_post,
    pdf,
)
from koblingsboks.people.tests.factories import CompetenceAreaFactory

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_feed_shows_network_posts_with_unread_markers_and_pages_with_htmx(
    client, tenant_a, tenant_b, shared_network
):
    for i in range(17):
        make_post(tenant_a, network=shared_network, title=f"Nyhet {i:02d}")
    make_post(tenant_a, title="Intern nyhet")
    client = _client(client, tenant_b.advisor)
    response = client.get(reverse("library:feed"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nyhet 16" in body and "Intern nyhet" not in body
    assert body.count('data-testid="unread-marker"') == 15
    assert 'data-testid="feed-more"' in body
    more = client.get(reverse("library:feed") + "?page=2", headers={"HX-Request": "true"})
    fragment = more.content.decode()
    assert "<html" not in fragment
    assert "Nyhet 01" in fragment and "Nyhet 00" in fragment and "Nyhet 16" not in fragment
    assert 'data-testid="feed-more"' not in fragment


def test_opening_a_post_marks_it_read(client, tenant_a, tenant_b, shared_network):
    post = make_post(tenant_a, network=shared_network)
    client = _client(client, tenant_b.advisor)
    client.get(reverse("library:post-detail", args=[post.pk]))
    body = client.get(reverse("library:feed")).content.decode()
    assert 'data-testid="unread-marker"' not in body


def test_markdown_with_script_is_rendered_safely(client, tenant_a):
    post = make_post(
        tenant_a,
        body='Hei <script>alert("x")</script> <img src=x onerror="alert(1)"> '
        "[lenke](javascript:alert(1)) [ok](https://example.org)",
    )
    body = _client(client, tenant_a.advisor).get(reverse("library:post-detail", args=[post.pk]))
    html = body.content.decode()
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert 'rel="noopener noreferrer"' in html


def test_create_a_post_with_a_file_through_the_page(client, tenant_a, shared_network):
    client = _client(client, tenant_a.advisor)
    assert client.get(reverse("library:post-create")).status_code == 200
    with committed():
        response = client.post(
            reverse("library:post-create"),
            {
                "title": "Program for gründeruka",
                "body": "Se vedlagt program.",
                "kind": "news",
                "audience": "network",
                "network": shared_network.pk,
                "tags": "gründer, program",
                "files": [pdf("Program.pdf")],
            },
        )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == "Program.pdf"


def test_a_disguised_file_gets_a_clear_message_and_nothing_is_stored(
    client, tenant_a, shared_network
):
    client = _client(client, tenant_a.advisor)
    response = client.post(
        reverse("library:post-create"),
        {
            "title": "Rapport",
            "body": "Vedlagt",
            "kind": "news",
            "audience": "organisation",
            "files": [exe_as_pdf()],
        },
    )
    assert response.status_code == 400
    assert "rapport.pdf" in response.content.decode()
    assert not Attachment.objects.exists()


def test_attachment_is_served_only_to_readers_of_its_post(
    client, tenant_a, tenant_b, shared_network
):
    outsider = make_tenant("Hage C")
    post = make_post(tenant_a, network=shared_network, uploads=[pdf("Plan ø.pdf")])
    attachment = post.attachments.get()
    url = reverse("library:attachment", args=[attachment.key, attachment.name])
    response = _client(client, tenant_b.advisor).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "private" in response["Cache-Control"]
    client.logout()
    assert _client(client, outsider.advisor).get(url).status_code == 404
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_comment_through_the_page_and_edited_marker(client, tenant_a, tenant_b, shared_network):
    post = make_post(tenant_a, network=shared_network)
    client = _client(client, tenant_b.advisor)
    with committed():
        response = client.post(
            reverse("library:comment-create", args=[post.pk]),
            {"body": f"Vi hjelper gjerne, @{tenant_a.manager.email}"},
        )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert set(Notification.objects.values_list("user", "kind")) == {
        (tenant_a.manager.pk, "mention"),
        (tenant_a.advisor.pk, "comment"),
    }
    client.post(reverse("library:comment-edit", args=[comment.pk]), {"body": "Endret"})
    html = client.get(reverse("library:post-detail", args=[post.pk])).content.decode()
    assert 'data-testid="comment-edited"' in html


def test_comment_mentioning_an_outsider_shows_the_reason(
    client, tenant_a, tenant_b, shared_network
):
    outsider = make_tenant("Hage C")
    post = make_post(tenant_a, network=shared_network)
    response = _client(client, tenant_b.advisor).post(
        reverse("library:comment-create", args=[post.pk]),
        {"body": f"Spør @{outsider.advisor.email}"},
    )
    assert response.status_code == 400
    assert outsider.advisor.email in response.content.decode()
    assert not Comment.objects.exists()


def test_comment_on_an_invisible_post_is_404(client, tenant_a, tenant_b, shared_network):
    post = make_post(tenant_a, title="Intern")
    response = _client(client, tenant_b.advisor).post(
        reverse("library:comment-create", args=[post.pk]), {"body": "Hei"}
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_notification_counter_in_the_header_and_opening_a_notification(
    client, tenant_a, tenant_b, shared_network
):
    post = make_post(
        tenant_a, network=shared_network, body=f"Hei @{tenant_b.advisor.email}, se her"
    )
    client = _client(client, tenant_b.advisor)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="notification-count">1<' in html
    notification = Notification.objects.get(user=tenant_b.advisor)
    response = client.post(reverse("library:notification-open", args=[notification.pk]))
    assert response["Location"] == reverse("library:post-detail", args=[post.pk])
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="notification-count"' not in html


def test_method_pages_and_history_diff(client, tenant_a, tenant_b, shared_network):
    board = CompetenceAreaFactory(name_nb="Styrearbeid", name_en="Board work")
    funding = CompetenceAreaFactory(name_nb="Finansiering", name_en="Funding")
    client = _client(client, tenant_a.advisor)
    form = client.get(reverse("library:method-create")).content.decode()
    assert 'type="checkbox" name="competence_areas"' in form and "Styrearbeid" in form
    response = client.post(
        reverse("library:method-create"),
        {
            "title": "Styrekurs",
            "summary": "Tre kvelder.",
            "body": "Kveld 1\nKveld 2",
            "tags": "styre",
            "competence_areas": [board.pk],
            "contact": tenant_a.advisor.pk,
            "audience": "network",
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    edit = url + "edit/"
    response = client.post(
        edit,
        {
            "title": "Styrekurs",
            "summary": "Tre kvelder.",
            "body": "Kveld 1\nKveld 2 med case\nKveld 3",
            "tags": "styre",
            "competence_areas": [board.pk, funding.pk],
            "contact": tenant_a.advisor.pk,
            "audience": "network",
            "change_note": "La til case",
        },
    )
    assert response.status_code == 302
    history = client.get(url + "history/").content.decode()
    assert "La til case" in history
    assert 'data-testid="diff-removed"' in history and "Kveld 3" in history
    # The areas are snapshotted by name: the diff shows the area that was added.
    assert "Finansiering, Styrearbeid" in history
    detail = client.get(url).content.decode()
    assert f'href="/methods/?competence={funding.pk}"' in detail
    client.logout()
    client = _client(client, tenant_b.advisor)
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="experience-form"' in page.content.decode()
    response = client.post(url + "experience/", {"note": "Virket hos oss", "companies_count": 12})
    assert response.status_code == 302
    assert "Virket hos oss" in client.get(url).content.decode()
    assert client.get(edit).status_code == 403


def test_methods_page_browses_by_tag(client, tenant_a):
    make_method(tenant_a, title="Styrekurs", tags="styre")
    make_method(tenant_a, title="Søknadsklinikk", tags="finansiering")
    client = _client(client, tenant_a.advisor)
    html = client.get(reverse("library:methods") + "?tag=styre").content.decode()
    assert "Styrekurs" in html and "Søknadsklinikk" not in html


def test_search_page(client, tenant_a, tenant_b, shared_network):
    make_method(tenant_a, title="Søknadsverksted", body="Vi skriver søknader.")
    make_method(
        tenant_a, title="Hemmelig", body="Søknader internt.", audience=Audience.ORGANISATION
    )
    client = _client(client, tenant_b.advisor)
    html = client.get(reverse("library:search") + "?q=søknad").content.decode()
    assert "Søknadsverksted" in html and "Hemmelig" not in html
    assert "<mark>" in html


def test_atom_feed_lists_only_public_posts(client, tenant_a, shared_network):
    make_post(tenant_a, network=shared_network, title="Offentlig nyhet", audience=Audience.PUBLIC)
    make_post(tenant_a, network=shared_network, title="Nettverksnyhet")
    response = client.get(reverse("library:network-feed", args=[shared_network.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Offentlig nyhet" in body and "Nettverksnyhet" not in body
    assert client.get(reverse("library:network-feed", args=["finnes-ikke"])).status_code == 404


def test_settings_and_one_click_unsubscribe(client, tenant_a):
    export = CompetenceAreaFactory(name_nb="Eksport", name_en="Export")
    client = _client(client, tenant_a.advisor)
    response = client.post(
        reverse("library:settings"), {"digest": "daily", "competence_areas": [export.pk]}
    )
    assert response.status_code == 302
    assert settings_for(tenant_a.advisor).digest == "daily"
    assert list(settings_for(tenant_a.advisor).competence_areas.all()) == [export]
    client.logout()
    token = unsubscribe_token(tenant_a.advisor)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    bad = client.get(reverse("library:unsubscribe", args=[tampered]))
    assert bad.status_code == 400 and 'data-testid="unsubscribe-invalid"' in bad.content.decode()
    assert settings_for(tenant_a.advisor).digest == "daily"
    other = client.get(reverse("library:unsubscribe", args=[token.replace(":", ":x", 1)]))
    assert other.status_code == 400
    mail_client = Client(enforce_csrf_checks=True)
    good = mail_client.post(reverse("library:unsubscribe", args=[token]))
    assert good.status_code == 200
    assert settings_for(tenant_a.advisor).digest == "off"


def test_post_edit_and_delete_pages(client, tenant_a, shared_network):
    post = make_post(tenant_a, network=shared_network, author=tenant_a.advisor)
    client = _client(client, tenant_a.manager)
    assert client.get(reverse("library:post-edit", args=[post.pk])).status_code == 403
    client.logout()
    client = _client(client, tenant_a.advisor)
    response = client.post(
        reverse("library:post-edit", args=[post.pk]),
        {
            "title": "Ny tittel",
            "body": "Ny",
            "kind": "news",
            "audience": "network",
            "network": shared_network.pk,
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("library:post-detail", args=[post.pk])).content.decode()
    assert 'data-testid="post-edited"' in html
    response = client.post(reverse("library:post-delete", args=[post.pk]))
    assert response.status_code == 302
    assert client.get(reverse("library:post-detail", args=[post.pk])).status_code == 404


def test_pages_speak_bokmal_by_default_and_english_on_request(client, tenant_a):
    client = _client(client, tenant_a.advisor)
    assert "Nytt fra nettverket" in client.get(reverse("library:feed")).content.decode()
    client.cookies["django_language"] = "en"
    assert "News from the network" in client.get(reverse("library:feed")).content.decode()


def test_mentions_show_the_persons_name(client, tenant_a, tenant_b, shared_network):
    post = make_post(
        tenant_a, network=shared_network, body=f"Spør @{tenant_b.advisor.email} om dette."
    )
    html = _client(client, tenant_b.advisor).get(reverse("library:post-detail", args=[post.pk]))
    text = html.content.decode()
    assert f">@{tenant_b.advisor.full_name}</span>" in text
