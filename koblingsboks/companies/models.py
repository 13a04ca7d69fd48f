"""Companies from the national register, their yearly key figures, and each garden's
portfolio: affiliations, private notes, contact persons and the advisory log."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from koblingsboks.core.tenancy import scoped_manager
from koblingsboks.network.validators import validate_org_number


class Company(models.Model):
    """An entity in the Brønnøysund entity register (Enhetsregisteret).

    Register facts are public in Norway and shared network-wide, so this model is not
    scoped. Rows are written by the register import (companies/register/), never by hand.
    """

    org_number = models.CharField(
        _("organisation number"), max_length=9, unique=True, validators=[validate_org_number]
    )
    name = models.CharField(_("name"), max_length=500)
    organisation_form = models.CharField(_("organisation form"), max_length=10, blank=True)
    organisation_form_description = models.CharField(max_length=200, blank=True)
    # NACE codes as the register gives them ("62.100"), opaque strings; SN2025 since 2025.
    nace_code = models.CharField(_("NACE code"), max_length=10, blank=True)
    nace_description = models.CharField(max_length=300, blank=True)
    nace_code_2 = models.CharField(max_length=10, blank=True)
    nace_code_3 = models.CharField(max_length=10, blank=True)
    # Business address (forretningsadresse); municipality empty for foreign addresses.
    municipality_number = models.CharField(_("municipality number"), max_length=4, blank=True)
    municipality_name = models.CharField(_("municipality"), max_length=100, blank=True)
    business_address = models.CharField(_("business address"), max_length=500, blank=True)
    business_postal_code = models.CharField(max_length=10, blank=True)
    business_postal_place = models.CharField(max_length=100, blank=True)
    business_country_code = models.CharField(max_length=2, blank=True)
    # Postal address (postadresse).
    postal_address = models.CharField(_("postal address"), max_length=500, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    postal_place = models.CharField(max_length=100, blank=True)
    postal_country_code = models.CharField(max_length=2, blank=True)
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    registered_on = models.DateField(_("registered"), null=True, blank=True)
    # None means "not published" (headcounts below 5 are withheld since 2024), never 0.
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    has_registered_employees = models.BooleanField(default=False)
    is_bankrupt = models.BooleanField(_("bankrupt"), default=False)
    bankrupt_on = models.DateField(null=True, blank=True)
    is_under_liquidation = models.BooleanField(_("under liquidation"), default=False)
    liquidation_on = models.DateField(null=True, blank=True)
    is_under_forced_liquidation = models.BooleanField(default=False)
    # Set from the updates feed or a lookup (SlettetEnhet); the bulk file has no deleted rows.
    deleted_on = models.DateField(_("deleted"), null=True, blank=True)
    website = models.CharField(_("website"), max_length=300, blank=True)
    last_accounts_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Hash of the register record as imported; a refresh writes only rows whose hash differs.
    record_hash = models.CharField(max_length=32, blank=True)
    register_synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["municipality_number"], name="company_municipality_idx"),
            models.Index(fields=["nace_code"], name="company_nace_idx"),
            models.Index(fields=["name"], name="company_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(org_number__regex=r"^[0-9]{9}$"), name="company_orgnr_9_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.org_number})"

    @property
    def nace_section_code(self) -> str:
        """The two-digit NACE division ("62") of the main code."""
        return self.nace_code[:2]


class KeyFigures(models.Model):
    """A company's figures for one accounting period. Kept for every year ever fetched, since
    the open accounts register serves only the latest year."""

    class AccountType(models.TextChoices):
        COMPANY = "company", _("company accounts")
        GROUP = "group", _("group accounts")

    class Source(models.TextChoices):
        ACCOUNTS_REGISTER = "accounts_register", _("accounts register")
        IMPORT = "import", _("imported")
        SELF_REPORTED = "self_reported", _("self-reported")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="key_figures")
    year = models.PositiveSmallIntegerField(_("year"))
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(_("period end"))
    account_type = models.CharField(
        max_length=10, choices=AccountType.choices, default=AccountType.COMPANY
    )
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    # None means the account does not state it (a holding company's empty driftsinntekter).
    turnover = models.DecimalField(_("turnover"), max_digits=18, decimal_places=2, null=True)
    operating_result = models.DecimalField(
        _("operating result"), max_digits=18, decimal_places=2, null=True
    )
    personnel_costs = models.DecimalField(
        _("personnel costs"), max_digits=18, decimal_places=2, null=True
    )
    result_before_tax = models.DecimalField(
        _("result before tax"), max_digits=18, decimal_places=2, null=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    reported_by_organisation = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raw = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("key figures")
        verbose_name_plural = _("key figures")
        ordering = ["company", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "account_type", "period_end"], name="key_figures_unique_period"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1900, year__lte=2200), name="key_figures_year_range"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_start__lte=models.F("period_end")),
                name="key_figures_period_order",
            ),
        ]
        indexes = [models.Index(fields=["year", "company"], name="key_figures_year_idx")]

    def __str__(self) -> str:
        return f"{self.company.org_number} {self.year}"


class Affiliation(models.Model):
    """A company's affiliation with a garden, from a start date to an optional end date.

    Private to the garden (phase, advisor); which gardens a company is affiliated with is
    shared network-wide only through ``selectors.affiliation_list_visible_to``.
    """

    class Kind(models.TextChoices):
        TARGET = "target", _("target company")
        INCUBATOR = "incubator", _("incubator company")
        TENANT = "tenant", _("tenant (co-located only)")

    class Phase(models.TextChoices):
        LEAD = "lead", _("lead")
        ONBOARDING = "onboarding", _("onboarding")
        ACTIVE = "active", _("active follow-up")
        ALUMNI = "alumni", _("alumni")

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="affiliations"
    )
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="affiliations")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.ACTIVE)
    responsible_advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible advisor"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["organisation", "company"], name="affiliation_org_company_idx"),
            models.Index(fields=["company", "start_date"], name="affiliation_company_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="affiliation_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["target", "incubator", "tenant"]),
                name="affiliation_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.organisation}"


class CompanyNote(models.Model):
    """A garden's private note on a company."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"), max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "company", "-created_at"], name="note_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="note_text_not_empty")
        ]

    def __str__(self) -> str:
        return self.text[:60]


# Loose on purpose: digits, spaces and a leading or inner "+" (e.g. "+47 912 34 567").
validate_phone = RegexValidator(
    r"^\+?[0-9 ]*[0-9][0-9 ]*$",
    _("A phone number has digits, spaces and at most a leading +, such as +47 912 34 567."),
    code="phone",
)


class ContactPerson(models.Model):
    """A contact person of a company, kept by a garden. Private to the garden, and personal
    data: it can be exported and erased on request (services.contact_person_erase)."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contact_persons")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role or title"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    receives_surveys = models.BooleanField(_("receives surveys"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "company"], name="contact_org_company_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="contact_name_not_empty"),
            models.UniqueConstraint(
                "organisation",
                "company",
                Lower("email"),
                condition=~models.Q(email=""),
                name="contact_unique_email_per_company",
            ),
        ]

    def __str__(self) -> str:
        # No personal data: this text is what the audit log keeps (object_repr), and the
        # audit log outlives an erasure.
        return f"contact person {self.pk} of company {self.company_id}"


class AdvisoryLogEntry(models.Model):
    """Hours an advisor spent with a company, private to the garden."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="advisory_log")
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    topic = models.CharField(_("topic"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("advisory log entry")
        verbose_name_plural = _("advisory log")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organisation", "company", "-date"], name="advisory_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24), name="advisory_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.hours} h {self.topic}"


class RegisterSync(models.Model):
    """Where the incremental sync with a register feed stopped (one row per feed)."""

    feed = models.CharField(max_length=50, unique=True)
    last_update_id = models.BigIntegerField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.feed} @ {self.last_update_id}"


class ImportRun(models.Model):
    """One run of a register or accounts import, for progress, the audit of bulk changes, and
    for resuming an interrupted run."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=30)
    source_name = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    records_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    marked_deleted = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_name} ({self.status})"
