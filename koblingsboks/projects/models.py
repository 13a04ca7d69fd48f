"""Joint projects under formal agreements (samarbeidsprosjekt, prosjektavtale).

A project belongs to all of its member parties at once: the scoped managers filter on
``parties__organisation``, so inside an organisation's scope only the projects where that
organisation is a party exist. Other organisations of a network see title, parties and
status through ``selectors.project_list_visible_to`` only.

The working content (parties, responsibilities, budget, funding, terms) is edited while the
project is a draft or an amendment is open. Circulating freezes it as an
``AgreementVersion``: a canonical JSON snapshot whose SHA-256 hash identifies the version.
Signatures refer to one version and its hash and are never edited (a database trigger
refuses updates, see migration 0002).
"""

from decimal import Decimal

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koblingsboks.core.tenancy import scoped_manager
from koblingsboks.network.models import Network, Organisation

ZERO = Decimal("0")
MONEY = {"max_digits": 14, "decimal_places": 2}


def attachment_storage():
    """Cost attachments go through Django's storage API (the default storage)."""
    return default_storage


class Category(models.TextChoices):
    PERSONNEL = "personnel", _("personnel")
    PURCHASED = "purchased_services", _("purchased services")
    TRAVEL = "travel", _("travel")
    EVENTS = "events", _("events")
    OTHER = "other", _("other")


class FundingKind(models.TextChoices):
    OWN = "own", _("own funds")
    PROGRAMME = "programme", _("programme funds")
    COUNTY = "county", _("county")
    OTHER = "other", _("other")


class TermKey(models.TextChoices):
    DURATION = "duration", _("duration")
    TERMINATION = "termination", _("termination")
    CONFIDENTIALITY = "confidentiality", _("confidentiality")
    DISPUTES = "disputes", _("disputes")
    OTHER = "other", _("other")


class Project(models.Model):
    """A joint project of two or more parties, and the working draft of its agreement."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CIRCULATED = "circulated", _("circulated")
        SIGNED = "signed", _("signed")
        ACTIVE = "active", _("active")
        CLOSED = "closed", _("closed")

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(
        _("purpose"), max_length=4000, blank=True, validators=[MaxLengthValidator(4000)]
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("lead organisation"),
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("network"),
        help_text=_("Other members of this network see the title, parties and status."),
    )
    # An amendment is open: the working content may be changed although circulated before.
    amending = models.BooleanField(default=False)
    activated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager("parties__organisation")

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="project_period_order"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "circulated", "signed", "active", "closed"]),
                name="project_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start_date"], name="project_status_start_idx"),
            models.Index(fields=["network", "status"], name="project_network_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.start_date.year, self.end_date.year + 1))


class ProjectParty(models.Model):
    """A party: a member organisation, or an external partner without a user account."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_parties",
        verbose_name=_("member organisation"),
    )
    external_name = models.CharField(_("external partner"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    # External partners sign by a one-time e-mail link sent to this person.
    signer_name = models.CharField(_("authorised signer"), max_length=200, blank=True)
    signer_email = models.EmailField(_("signer's e-mail"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = scoped_manager("project__parties__organisation")

    class Meta:
        verbose_name = _("project party")
        verbose_name_plural = _("project parties")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                condition=Q(organisation__isnull=False),
                name="project_party_unique_organisation",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(external_name=""),
                name="project_party_has_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation_id else self.external_name

    @property
    def is_external(self) -> bool:
        return self.organisation_id is None


class Responsibility(models.Model):
    """An area of responsibility of one party."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="responsibilities")
    party = models.ForeignKey(
        ProjectParty, on_delete=models.CASCADE, related_name="responsibilities"
    )
    title = models.CharField(_("area"), max_length=200)
    description = models.TextField(
        _("description"), max_length=4000, blank=True, validators=[MaxLengthValidator(4000)]
    )

    objects = scoped_manager("project__parties__organisation")

    class Meta:
        verbose_name = _("area of responsibility")
        verbose_name_plural = _("areas of responsibility")
        ordering = ["party__position", "party_id", "pk"]

    def __str__(self) -> str:
        return self.title


class Deliverable(models.Model):
    """Something a responsibility delivers, by a due date."""

    responsibility = models.ForeignKey(
        Responsibility, on_delete=models.CASCADE, related_name="deliverables"
    )
    title = models.CharField(_("deliverable"), max_length=200)
    due_date = models.DateField(_("due date"))

    objects = scoped_manager("responsibility__project__parties__organisation")

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    """The budget of one party in one year and category, split into cash and in-kind."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    party = models.ForeignKey(ProjectParty, on_delete=models.PROTECT, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    cash = models.DecimalField(_("cash"), default=ZERO, validators=[MinValueValidator(0)], **MONEY)
    in_kind = models.DecimalField(
        _("in-kind"), default=ZERO, validators=[MinValueValidator(0)], **MONEY
    )

    objects = scoped_manager("project__parties__organisation")

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["party__position", "party_id", "year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "party", "year", "category"], name="budget_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(cash__gte=0) & Q(in_kind__gte=0), name="budget_line_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in Category]),
                name="budget_line_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.year} {self.get_category_display()}"

    @property
    def total(self) -> Decimal:
        return self.cash + self.in_kind


class FundingSource(models.Model):
    """Where the money comes from; together the sources must cover the budget total."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding_sources")
    kind = models.CharField(_("kind"), max_length=20, choices=FundingKind.choices)
    name = models.CharField(_("source"), max_length=200)
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)

    objects = scoped_manager("project__parties__organisation")

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in FundingKind]), name="funding_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TermSection(models.Model):
    """A section of the agreement's terms (duration, termination, confidentiality, …)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="terms")
    key = models.CharField(_("kind"), max_length=20, choices=TermKey.choices)
    title = models.CharField(_("heading"), max_length=200)
    text = models.TextField(_("text"), max_length=8000, validators=[MaxLengthValidator(8000)])
    position = models.PositiveSmallIntegerField(default=0)

    objects = scoped_manager("project__parties__organisation")

    class Meta:
        verbose_name = _("terms section")
        verbose_name_plural = _("terms sections")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class TermsTemplateSection(models.Model):
    """The network's default terms, copied into every new project of the network.

    Shared by the parties of the network (not private to one organisation). Without rows the
    built-in Norwegian template (terms.py) applies.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="terms_template")
    key = models.CharField(_("kind"), max_length=20, choices=TermKey.choices)
    title = models.CharField(_("heading"), max_length=200)
    text = models.TextField(_("text"), max_length=8000, validators=[MaxLengthValidator(8000)])
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("terms template section")
        verbose_name_plural = _("terms template sections")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "key"], name="terms_template_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


class AgreementVersion(models.Model):
    """A frozen version of the agreement, identified by the SHA-256 of its canonical JSON."""

    class Status(models.TextChoices):
        CIRCULATED = "circulated", _("awaiting signatures")
        SIGNED = "signed", _("signed")
        SUPERSEDED = "superseded", _("superseded")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    snapshot = models.JSONField()
    content_hash = models.CharField(_("content hash"), max_length=64)
    # The readable diff against the last signed version (empty for the first version).
    diff = models.TextField(blank=True)
    diff_against = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager("project__parties__organisation")

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="agreement_version_unique"),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status="circulated"),
                name="agreement_one_circulating_version",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["circulated", "signed", "superseded"]),
                name="agreement_version_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} v{self.number}"


class Signature(models.Model):
    """One party's approval of one exact version. Created once, never changed or deleted."""

    class Method(models.TextChoices):
        ACCOUNT = "account", _("signed in")
        EMAIL_LINK = "email_link", _("e-mail link")

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    party = models.ForeignKey(ProjectParty, on_delete=models.PROTECT, related_name="signatures")
    version_hash = models.CharField(max_length=64)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(max_length=200)
    signer_email = models.EmailField()
    method = models.CharField(max_length=20, choices=Method.choices)
    signed_at = models.DateTimeField()

    objects = scoped_manager("version__project__parties__organisation")

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="signature_once_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.party})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("A signature is never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A signature is never deleted.")


class SigningLink(models.Model):
    """A one-time e-mail link for an external party's signer. Only the token's hash is kept."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="signing_links"
    )
    party = models.ForeignKey(ProjectParty, on_delete=models.CASCADE, related_name="signing_links")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("version__project__parties__organisation")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class CostEntry(models.Model):
    """An actual cost recorded against a budget line."""

    class Kind(models.TextChoices):
        CASH = "cash", _("cash")
        IN_KIND = "in_kind", _("in-kind")

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="cost_entries"
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)
    kind = models.CharField(_("cash or in-kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="projects/costs/%Y/", storage=attachment_storage, blank=True
    )
    attachment_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("budget_line__project__parties__organisation")

    class Meta:
        verbose_name = _("cost entry")
        verbose_name_plural = _("cost entries")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cost_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=["cash", "in_kind"]), name="cost_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["budget_line", "date"], name="cost_line_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.amount}"
