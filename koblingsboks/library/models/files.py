"""Files attached to posts and methods, stored through Django's storage API."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is random: nothing about the post, the organisation or the original
    # file name can be guessed from it. The original (sanitised) name is kept in the row.
    return f"library/{instance.key.hex[:2]}/{instance.key.hex}"


class Attachment(models.Model):
    """A file on exactly one post or method; served only by ``library:attachment``, which
    checks that the reader may see that post or method."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    post = models.ForeignKey(
        "library.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    method = models.ForeignKey(
        "library.Method",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, method__isnull=True)
                | models.Q(post__isnull=True, method__isnull=False),
                name="attachment_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name
