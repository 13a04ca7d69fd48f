"""The methodology library (metodebank): methods, their versions and experience notes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koblingsboks.core.tenancy import scoped_manager
from koblingsboks.library.models.common import AUDIENCE_VALUES, Audience, Tag

SUMMARY_MAX = 500


class Method(models.Model):
    """A method that works, owned by one organisation, with a contact person.

    Private to its organisation (scoped manager) unless its audience says otherwise: a
    ``network`` method is read by every organisation that shares a network with the owner,
    a ``public`` one by every signed-in user. Read across organisations only through
    ``library.methods.selectors``. Every edit keeps the previous text as a MethodVersion.
    """

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX)
    body = models.TextField(_("description"), max_length=50_000)
    tags = models.ManyToManyField(Tag, blank=True, related_name="methods", verbose_name=_("tags"))
    competence_areas = models.ManyToManyField(
        "people.CompetenceArea",
        blank=True,
        related_name="library_methods",
        verbose_name=_("competence areas"),
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact person"),
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.NETWORK
    )
    licence = models.CharField(_("licence note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()

    objects = scoped_manager()

    class Meta:
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        ordering = ["title"]
        indexes = [
            models.Index(fields=["organisation", "title"], name="method_org_title_idx"),
            models.Index(fields=["audience", "-updated_at"], name="method_audience_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(audience__in=AUDIENCE_VALUES), name="method_audience_valid"
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="method_title_not_empty"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="method_version_pos"),
        ]

    def __str__(self) -> str:
        return self.title


class MethodVersion(models.Model):
    """The text of a method as one edit left it (number 1 is the first). Read with its
    method; the diff between two versions shows who changed what."""

    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=SUMMARY_MAX)
    body = models.TextField(max_length=50_000)
    tags = models.CharField(max_length=1000, blank=True)
    competence_areas = models.CharField(max_length=1000, blank=True)  # area names (nb)
    licence = models.CharField(max_length=300, blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["method", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["method", "number"], name="method_version_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="method_version_gte1"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class MethodExperience(models.Model):
    """ "We used it": another organisation's short experience with a method. One per person
    and method (a second submission edits the first)."""

    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="experiences")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    companies_count = models.PositiveIntegerField(_("number of companies"), null=True, blank=True)
    place = models.CharField(_("where"), max_length=100, blank=True)
    note = models.TextField(_("experience"), max_length=2000)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["method", "author"], name="method_experience_unique"),
            models.CheckConstraint(condition=~models.Q(note=""), name="experience_note_not_empty"),
        ]

    def __str__(self) -> str:
        return self.note[:60]
