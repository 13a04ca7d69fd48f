"""What posts and methods share: who may see them (audience) and free tags."""

from django.db import models
from django.utils.translation import gettext_lazy as _

AUDIENCE_VALUES = ["organisation", "network", "public"]


class Audience(models.TextChoices):
    """Who may read a post or method besides the organisation that owns it."""

    ORGANISATION = "organisation", _("own organisation")
    NETWORK = "network", _("network")
    PUBLIC = "public", _("public")


class Tag(models.Model):
    """A free tag on posts and methods (competence areas come from the people app's
    taxonomy). A shared vocabulary: a tag holds no private data, but which tags are
    listed is always computed from the posts and methods the reader may see."""

    name = models.CharField(_("name"), max_length=50)
    slug = models.SlugField(_("short name"), max_length=60, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(slug=""), name="library_tag_slug_not_empty")
        ]

    def __str__(self) -> str:
        return self.name
