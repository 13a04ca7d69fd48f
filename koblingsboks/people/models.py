"""The competence taxonomy (shared by the whole platform) and people's competence profiles.

The taxonomy is a shared fact, edited by network coordinators. A profile belongs to the
organisation the person works for (scoped); other organisations read it only through
``selectors.profile_directory``, which shows profiles of organisations sharing a network.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koblingsboks.core.tenancy import scoped_manager

# NACE Rev. 2 / SN2025 sections (the letter level), the granularity people know sectors at.
NACE_SECTIONS = [
    ("A", _("Agriculture, forestry and fishing")),
    ("B", _("Mining and quarrying")),
    ("C", _("Manufacturing")),
    ("D", _("Electricity, gas and steam supply")),
    ("E", _("Water supply, sewerage and waste")),
    ("F", _("Construction")),
    ("G", _("Wholesale and retail trade")),
    ("H", _("Transportation and storage")),
    ("I", _("Accommodation and food service")),
    ("J", _("Information and communication")),
    ("K", _("Financial and insurance activities")),
    ("L", _("Real estate activities")),
    ("M", _("Professional, scientific and technical activities")),
    ("N", _("Administrative and support service activities")),
    ("O", _("Public administration and defence")),
    ("P", _("Education")),
    ("Q", _("Human health and social work")),
    ("R", _("Arts, entertainment and recreation")),
    ("S", _("Other service activities")),
]
NACE_SECTION_CODES = [code for code, _label in NACE_SECTIONS]

LANGUAGES = [
    ("nb", _("Norwegian")),
    ("en", _("English")),
    ("se", _("Northern Sami")),
    ("sv", _("Swedish")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pl", _("Polish")),
    ("lt", _("Lithuanian")),
    ("uk", _("Ukrainian")),
    ("ar", _("Arabic")),
]
LANGUAGE_CODES = [code for code, _label in LANGUAGES]


def _localised(nb: str, en: str) -> str:
    return en if (get_language() or "nb").startswith("en") and en else nb


class CompetenceArea(models.Model):
    """A field of competence (export, financing, innovation…), the taxonomy's top level."""

    name_nb = models.CharField(_("name (Norwegian)"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        ordering = ["position", "name_nb"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localised(self.name_nb, self.name_en)


class Competence(models.Model):
    """A specific competence within an area (e.g. "Export regulations" under "Export")."""

    area = models.ForeignKey(
        CompetenceArea, on_delete=models.PROTECT, related_name="competences", verbose_name=_("area")
    )
    name_nb = models.CharField(_("name (Norwegian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["area__position", "area__name_nb", "name_nb"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name_nb"], name="competence_unique_in_area")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localised(self.name_nb, self.name_en)


class Level(models.IntegerChoices):
    BASIC = 1, _("basic")
    EXPERIENCED = 2, _("experienced")
    EXPERT = 3, _("expert")


class Profile(models.Model):
    """What one person in one organisation knows: competences, languages, sectors, a text.

    ``search_document`` is the text the directory searches (name, title, text and competence
    names), rebuilt by ``services.profile_save``; PostgreSQL indexes it for the
    ``norwegian`` text search configuration (migration 0002).
    """

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="profiles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profiles"
    )
    text = models.TextField(
        _("about"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)]
    )
    search_document = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("competence profile")
        verbose_name_plural = _("competence profiles")
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="profile_unique_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class ProfileCompetence(models.Model):
    """One competence of a profile, with a level. Read through its (scoped) profile."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="competences")
    competence = models.ForeignKey(
        Competence, on_delete=models.PROTECT, related_name="holders", verbose_name=_("competence")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)

    class Meta:
        ordering = ["-level", "competence__name_nb"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "competence"], name="profile_competence_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=3), name="profile_competence_level"
            ),
        ]
        indexes = [models.Index(fields=["competence", "level"], name="profile_comp_level_idx")]

    def __str__(self) -> str:
        return f"{self.competence} ({self.get_level_display()})"


class ProfileLanguage(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=3, choices=LANGUAGES)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "code"], name="profile_language_unique"),
        ]
        indexes = [models.Index(fields=["code"], name="profile_language_code_idx")]

    def __str__(self) -> str:
        return self.get_code_display()


class ProfileSector(models.Model):
    """A NACE section the person knows well."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="sectors")
    section = models.CharField(_("sector"), max_length=1, choices=NACE_SECTIONS)

    class Meta:
        ordering = ["section"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "section"], name="profile_sector_unique"),
            models.CheckConstraint(
                condition=models.Q(section__in=NACE_SECTION_CODES), name="profile_sector_valid"
            ),
        ]
        indexes = [models.Index(fields=["section"], name="profile_sector_idx")]

    def __str__(self) -> str:
        return f"{self.section} {self.get_section_display()}"
