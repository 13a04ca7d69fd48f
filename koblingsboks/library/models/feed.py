"""The news feed: posts, their comments, and who has read which post."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koblingsboks.core.tenancy import scoped_manager
from koblingsboks.library.models.common import AUDIENCE_VALUES, Audience, Tag

TITLE_MAX = 200
BODY_MAX = 20_000
COMMENT_MAX = 5_000


class Post(models.Model):
    """A piece of news from one organisation.

    Private to its organisation (scoped manager) unless its audience says otherwise: a
    ``network`` post is read by the members of every party of ``network``, a ``public`` one
    also by anybody through the network's Atom feed. Other organisations read posts only
    through ``library.feed.selectors``.
    """

    class Kind(models.TextChoices):
        NEWS = "news", _("news")
        QUESTION = "question", _("question")
        EXPERIENCE = "experience", _("experience")
        OFFER = "offer", _("offer of help")
        EVENT = "event", _("event")

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.NETWORK
    )
    network = models.ForeignKey(
        "network.Network",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("network"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", verbose_name=_("tags"))
    company = models.ForeignKey(
        "companies.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("company"),
    )
    method = models.ForeignKey(
        "library.Method",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("method"),
    )
    # Checked by the services (an event visible to the organisation, a project it is a
    # party of) and shown to a reader only if the reader may see it (``feed.links``).
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("event"),
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("project"),
    )
    pinned_at = models.DateTimeField(_("pinned"), null=True, blank=True)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("published"), db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="post_org_created_idx"),
            models.Index(fields=["network", "audience", "-created_at"], name="post_network_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(audience__in=AUDIENCE_VALUES), name="post_audience_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["news", "question", "experience", "offer", "event"]),
                name="post_kind_valid",
            ),
            # A post for the network or the public names the network it goes to.
            models.CheckConstraint(
                condition=models.Q(audience="organisation", network__isnull=True)
                | models.Q(audience__in=["network", "public"], network__isnull=False),
                name="post_network_matches_audience",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="post_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """A comment on a post. Readable by everybody who may read the post, and only through
    the post (``feed.selectors.comment_list``); ``organisation`` is the commenter's."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"], name="comment_post_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="comment_body_not_empty")
        ]

    def __str__(self) -> str:
        return self.body[:60]


class PostRead(models.Model):
    """That ``user`` has read ``post`` (the feed's unread markers). Private to the user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="post_read_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.post_id}"
