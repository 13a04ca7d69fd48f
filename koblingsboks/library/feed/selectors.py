"""Reads of the news feed. Every read across organisations goes through library.sharing."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from koblingsboks.library import sharing
from koblingsboks.library.models import Attachment, Comment, Post, PostRead, Tag
from koblingsboks.network.models import Network, Organisation, User

# Posts older than this never show as unread: a new colleague does not start with a backlog.
UNREAD_WINDOW = datetime.timedelta(days=30)


@dataclass(frozen=True)
class FeedFilters:
    organisation: str = ""  # an organisation's slug
    kind: str = ""
    tag: str = ""  # a tag's slug
    network: str = ""  # a network's slug
    unread: bool = False


def post_list(
    *, organisation: Organisation, user: User, filters: FeedFilters | None = None
) -> QuerySet[Post]:
    """The feed: the organisation's own posts and its networks' posts, newest first, with
    what the page shows (author, organisation, tags, files, comment count, read marker)."""
    filters = filters or FeedFilters()
    qs = sharing.posts_visible_to(organisation=organisation)
    if filters.organisation:
        qs = qs.filter(organisation__slug=filters.organisation)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.tag:
        qs = qs.filter(tags__slug=filters.tag)
    if filters.network:
        qs = qs.filter(network__slug=filters.network)
    qs = qs.annotate(
        comment_count=Count("comments", distinct=True),
        is_read=Exists(PostRead.objects.filter(user=user, post=OuterRef("pk"))),
    )
    if filters.unread:
        qs = qs.filter(is_read=False, created_at__gte=timezone.now() - UNREAD_WINDOW).exclude(
            author=user
        )
    return _with_related(qs).order_by("-created_at", "-id")


def _with_related(qs: QuerySet[Post]) -> QuerySet[Post]:
    return qs.select_related(
        "organisation", "author", "network", "method", "company"
    ).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        Prefetch("attachments", queryset=Attachment.objects.order_by("name", "id")),
    )


def is_unread(post: Post, user: User) -> bool:
    return (
        not getattr(post, "is_read", True)
        and post.author_id != user.pk
        and post.created_at >= timezone.now() - UNREAD_WINDOW
    )


def pinned_posts(*, organisation: Organisation) -> list[Post]:
    """The pinned posts of the organisation's networks, newest pin first."""
    qs = sharing.posts_visible_to(organisation=organisation).filter(pinned_at__isnull=False)
    return list(_with_related(qs).order_by("-pinned_at")[:5])


def post_detail(*, pk: int, organisation: Organisation | None) -> Post:
    """One post the organisation may read; Post.DoesNotExist otherwise."""
    qs = sharing.posts_visible_to(organisation=organisation).filter(pk=pk)
    return _with_related(qs).select_related("company").get()


def comment_list(*, post: Post) -> QuerySet[Comment]:
    """The comments of a post the caller has already been allowed to read."""
    return Comment.objects.filter(post=post).select_related("author", "organisation")


def comment_for_post(*, pk: int, organisation: Organisation) -> Comment:
    """A comment on a post the organisation may read; Comment.DoesNotExist otherwise."""
    visible = sharing.posts_visible_to(organisation=organisation).values("pk")
    return (
        Comment.objects.filter(pk=pk, post_id__in=visible)
        .select_related("post", "post__organisation", "author", "organisation")
        .get()
    )


def feed_filter_options(*, organisation: Organisation) -> dict:
    """The organisations, networks and tags the reader's feed can be filtered by."""
    visible = sharing.posts_visible_to(organisation=organisation)
    return {
        "organisations": Organisation.objects.filter(
            pk__in=sharing.partner_organisation_ids(organisation)
        ).order_by("name"),
        "networks": Network.objects.filter(pk__in=sharing.network_ids_of(organisation)),
        "tags": Tag.objects.filter(posts__in=visible.values("pk")).distinct().order_by("name"),
    }


def networks_to_post_in(*, organisation: Organisation) -> QuerySet[Network]:
    return Network.objects.filter(pk__in=sharing.network_ids_of(organisation)).order_by("name")


def unread_count(*, organisation: Organisation, user: User) -> int:
    return (
        post_list(organisation=organisation, user=user, filters=FeedFilters(unread=True))
        .order_by()
        .count()
    )
