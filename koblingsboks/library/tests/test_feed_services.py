"""The news feed's rules: audience, mentions, comments, pins, files and read markers."""

import os

import pytest
from django.core.files.storage import default_storage
from django_scopes import scopes_disabled

from conftest import make_tenant
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.library import sharing
from koblingsboks.library.feed import selectors
from koblingsboks.library.feed.services import (
    comment_create,
    comment_delete,
    comment_update,
    feed_mark_all_read,
    post_delete,
    post_pin,
    post_update,
)
from koblingsboks.library.models import Attachment, Audience, Comment, Notification, Post
from koblingsboks.library.tests.factories import committed, exe_as_pdf, make_post, pdf
from tests.factories import NetworkPartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant_c(db):
    """An organisation outside the shared network."""
    return make_tenant("Hage C")


def _visible_titles(tenant):
    return set(
        sharing.posts_visible_to(organisation=tenant.organisation).values_list("title", flat=True)
    )


def test_audience_decides_who_reads_a_post(tenant_a, tenant_b, tenant_c, shared_network):
    make_post(tenant_a, title="Bare oss")
    make_post(tenant_a, title="Til nettverket", network=shared_network)
    make_post(tenant_a, title="Til alle", network=shared_network, audience=Audience.PUBLIC)

    assert _visible_titles(tenant_a) == {"Bare oss", "Til nettverket", "Til alle"}
    assert _visible_titles(tenant_b) == {"Til nettverket", "Til alle"}
    assert _visible_titles(tenant_c) == set()
    public = sharing.public_posts_of_network(network_id=shared_network.pk)
    assert [p.title for p in public] == ["Til alle"]


def test_post_model_is_scoped_and_fails_closed(tenant_a):
    from django_scopes import ScopeError

    make_post(tenant_a)
    with pytest.raises(ScopeError):
        Post.objects.count()
    with organisation_scope(tenant_a.organisation):
        assert Post.objects.count() == 1


def test_network_posts_need_a_network_the_organisation_belongs_to(
    tenant_a, tenant_b, shared_network
):
    other = NetworkPartyFactory(organisation=tenant_b.organisation).network
    with pytest.raises(ServiceError) as error:
        make_post(tenant_a, network=other)
    assert error.value.code == "network" and other.name in error.value.message
    with pytest.raises(ServiceError) as error:
        make_post(tenant_a, audience=Audience.NETWORK, network=None)
    assert error.value.code == "network"
    assert not sharing.posts_visible_to(organisation=tenant_b.organisation).exists()


def test_observers_cannot_post(tenant_a):
    with pytest.raises(ServiceError) as error:
        make_post(tenant_a, author=tenant_a.observer)
    assert error.value.code == "forbidden"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("title", "", "title"), ("title", "x" * 201, "title"), ("body", "  ", "body")],
)
def test_bad_text_is_refused(tenant_a, field, value, code):
    with pytest.raises(ServiceError) as error:
        make_post(tenant_a, **{field: value})
    assert error.value.code == code
    assert not sharing.posts_visible_to(organisation=tenant_a.organisation).exists()


def test_mention_notifies_a_colleague_in_another_garden(tenant_a, tenant_b, shared_network):
    post = make_post(
        tenant_a,
        network=shared_network,
        body=f"Kan @{tenant_b.advisor.email} hjelpe oss med søknaden?",
    )
    notes = list(Notification.objects.filter(user=tenant_b.advisor))
    assert [(n.kind, n.post_id, n.actor_id) for n in notes] == [
        ("mention", post.pk, tenant_a.advisor.pk)
    ]


def test_mention_of_someone_outside_the_network_is_refused_and_nothing_stored(
    tenant_a, tenant_c, shared_network
):
    with pytest.raises(ServiceError, match=tenant_c.advisor.email) as error:
        make_post(tenant_a, network=shared_network, body=f"Hei @{tenant_c.advisor.email}")
    assert error.value.code == "mention_outside"
    assert not sharing.posts_visible_to(organisation=tenant_a.organisation).exists()
    assert not Notification.objects.exists()


def test_mention_of_someone_who_cannot_read_an_internal_post_is_refused(
    tenant_a, tenant_b, shared_network
):
    with pytest.raises(ServiceError) as error:
        make_post(tenant_a, body=f"Internt: @{tenant_b.advisor.email}")
    assert error.value.code == "mention_cannot_see"


def test_comment_notifies_the_author_and_can_be_edited_and_deleted_by_its_author(
    tenant_a, tenant_b, shared_network
):
    post = make_post(tenant_a, network=shared_network)
    with committed():
        comment = comment_create(
            post=post, organisation=tenant_b.organisation, author=tenant_b.advisor, body="Flott!"
        )
    assert Notification.objects.get(user=tenant_a.advisor).kind == "comment"

    with pytest.raises(ServiceError):
        comment_update(comment=comment, actor=tenant_a.advisor, body="Endret av andre")
    comment = comment_update(comment=comment, actor=tenant_b.advisor, body="Flott arbeid!")
    comment.refresh_from_db()
    assert comment.body == "Flott arbeid!" and comment.edited_at is not None

    with pytest.raises(ServiceError):
        comment_delete(comment=comment, actor=tenant_a.admin)
    comment_delete(comment=comment, actor=tenant_b.advisor)
    assert not Comment.objects.exists()
    with organisation_scope(tenant_b.organisation):
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"library.comment.created", "library.comment.deleted"} <= actions


def test_comment_on_a_post_the_user_may_not_see_is_refused(tenant_a, tenant_b, shared_network):
    internal = make_post(tenant_a, title="Intern")
    with pytest.raises(ServiceError) as error:
        comment_create(
            post=internal, organisation=tenant_b.organisation, author=tenant_b.advisor, body="Hei"
        )
    assert error.value.code == "not_found"
    assert not Comment.objects.exists()


def test_editing_a_post_marks_it_edited_and_only_author_or_admin_may(tenant_a, shared_network):
    post = make_post(tenant_a, network=shared_network, tags="styre, finansiering")
    args = {
        "title": "Nytt navn",
        "body": "Ny tekst",
        "kind": "news",
        "audience": Audience.NETWORK,
        "network": shared_network,
        "tags": "styre",
    }
    with pytest.raises(ServiceError):
        post_update(post=post, actor=tenant_a.manager, **args)
    post = post_update(post=post, actor=tenant_a.admin, **args)
    assert post.edited_at is not None
    assert [t.name for t in post.tags.all()] == ["styre"]


def test_pinning_is_for_the_networks_coordinators(tenant_a, tenant_b, shared_network):
    post = make_post(tenant_b, network=shared_network)
    with pytest.raises(ServiceError):
        post_pin(post=post, actor=tenant_a.advisor, pinned=True)
    with scopes_disabled():
        shared_network.party_links.filter(organisation=tenant_a.organisation).update(
            is_coordinator=True
        )
    post_pin(post=post, actor=tenant_a.advisor, pinned=True)
    assert [p.pk for p in selectors.pinned_posts(organisation=tenant_b.organisation)] == [post.pk]
    with pytest.raises(ServiceError):
        post_pin(post=post, actor=tenant_a.observer, pinned=False)


def test_attachments_are_stored_and_removed_with_the_post(tenant_a, shared_network):
    post = make_post(tenant_a, network=shared_network, uploads=[pdf("Plan 2027.pdf")])
    attachment = Attachment.objects.get(post=post)
    assert attachment.name == "Plan 2027.pdf"
    assert attachment.content_type == "application/pdf"
    assert "Plan" not in attachment.file.name  # the stored name says nothing
    assert default_storage.exists(attachment.file.name)
    with committed():
        post_delete(post=post, actor=tenant_a.advisor)
    assert not Attachment.objects.exists()
    assert not default_storage.exists(attachment.file.name)


def test_a_disguised_file_is_refused_and_nothing_is_stored(tenant_a, shared_network):
    with pytest.raises(ServiceError) as error:
        make_post(tenant_a, network=shared_network, uploads=[pdf(), exe_as_pdf()])
    assert error.value.code == "file_type"
    assert not Attachment.objects.exists()
    assert not sharing.posts_visible_to(organisation=tenant_a.organisation).exists()


def test_a_file_over_the_limit_is_refused(tenant_a, settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 20
    with pytest.raises(ServiceError) as error:
        make_post(tenant_a, uploads=[pdf()])
    assert error.value.code == "file_too_large"
    assert not Attachment.objects.exists()


def test_a_failed_write_removes_the_stored_files(tenant_a, monkeypatch, media_root):
    from koblingsboks.library.feed import services

    stored = []
    real_save = services.library_files.attachments_save

    def save_then_fail(checked, **kwargs):
        real_save(checked, **kwargs)
        stored.extend(kwargs["stored"])
        raise RuntimeError("disk full after the first file")

    monkeypatch.setattr(services.library_files, "attachments_save", save_then_fail)
    with pytest.raises(RuntimeError):
        make_post(tenant_a, uploads=[pdf()])
    assert len(stored) == 1  # a file had been written…
    assert not Attachment.objects.exists()
    assert [f for _root, _dirs, files in os.walk(media_root) for f in files] == []  # …and went


def test_unread_markers_per_user(tenant_a, tenant_b, shared_network):
    post = make_post(tenant_a, network=shared_network)
    make_post(tenant_a, network=shared_network, title="Andre")
    unread = selectors.unread_count(organisation=tenant_b.organisation, user=tenant_b.advisor)
    assert unread == 2
    # The author's own posts are never unread for them.
    assert selectors.unread_count(organisation=tenant_a.organisation, user=tenant_a.advisor) == 0
    from koblingsboks.library.feed.services import post_mark_read

    post_mark_read(post=post, user=tenant_b.advisor)
    assert selectors.unread_count(organisation=tenant_b.organisation, user=tenant_b.advisor) == 1
    assert selectors.unread_count(organisation=tenant_b.organisation, user=tenant_b.admin) == 2
    assert feed_mark_all_read(user=tenant_b.advisor, organisation=tenant_b.organisation) == 1
    assert selectors.unread_count(organisation=tenant_b.organisation, user=tenant_b.advisor) == 0


def test_company_link_only_to_the_own_portfolio(tenant_a):
    from tests.factories import CompanyFactory

    company = CompanyFactory()
    with pytest.raises(ServiceError) as error:
        make_post(tenant_a, company=company)
    assert error.value.code == "company"


def test_feed_filters(tenant_a, tenant_b, shared_network):
    make_post(tenant_a, network=shared_network, title="A", kind="question", tags="styre")
    make_post(tenant_b, network=shared_network, title="B", tags="eksport")
    user = tenant_b.advisor

    def titles(**kw):
        qs = selectors.post_list(
            organisation=tenant_b.organisation, user=user, filters=selectors.FeedFilters(**kw)
        )
        return [p.title for p in qs]

    assert titles() == ["B", "A"]
    assert titles(kind="question") == ["A"]
    assert titles(tag="styre") == ["A"]
    assert titles(organisation=tenant_b.organisation.slug) == ["B"]
