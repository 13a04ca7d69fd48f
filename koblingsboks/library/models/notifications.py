"""In-app notifications and each user's notification and digest settings (private to the
user: always read filtered by ``user``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something that happened that ``user`` should see: a mention, a comment on their post,
    a new method in one of their competence areas."""

    class Kind(models.TextChoices):
        MENTION = "mention", _("mention")
        COMMENT = "comment", _("comment on your post")
        METHOD = "method", _("new method in your competence areas")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey("library.Post", null=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(
        "library.Comment", null=True, on_delete=models.CASCADE, related_name="+"
    )
    method = models.ForeignKey(
        "library.Method", null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["mention", "comment", "method"]),
                name="notification_kind_valid",
            ),
            # "New method in your competence areas" at most once per user and method.
            models.UniqueConstraint(
                fields=["user", "method"],
                condition=models.Q(kind="method"),
                name="notification_method_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class NotificationSettings(models.Model):
    """How often ``user`` gets the digest, and the competence areas they follow besides
    those of their competence profile(s)."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        DAILY = "daily", _("daily")
        OFF = "off", _("off")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_settings"
    )
    digest = models.CharField(
        _("digest e-mail"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    competence_areas = models.ManyToManyField(
        "people.CompetenceArea",
        blank=True,
        related_name="+",
        verbose_name=_("my competence areas"),
        help_text=_("Areas followed beyond those of one's competence profile."),
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest__in=["weekly", "daily", "off"]),
                name="notification_settings_digest_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.digest}"
