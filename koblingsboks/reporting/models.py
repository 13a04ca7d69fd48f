"""The customer satisfaction survey: a garden's yearly survey of its companies, one-time
links per company, and the answers (private to the garden)."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from koblingsboks.core.tenancy import scoped_manager


class SatisfactionSurvey(models.Model):
    """A garden's customer satisfaction survey for one year (one per garden and year).

    The answers go into the KPI report as an average score and a count; the single answers
    and comments are private to the garden.
    """

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(
        _("message to the companies"),
        max_length=4000,
        blank=True,
        validators=[MaxLengthValidator(4000)],
    )
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    created_by = models.ForeignKey(
        "network.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="survey_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2200), name="survey_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class SurveyInvitation(models.Model):
    """One company's one-time link to a survey, and its answer once given.

    Only a SHA-256 hash of the secret in the link is stored. ``organisation`` repeats the
    survey's so that the row is scoped like every private row.
    """

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    survey = models.ForeignKey(
        SatisfactionSurvey, on_delete=models.CASCADE, related_name="invitations"
    )
    # Companies are never deleted by the platform (the register's deletions are marked), so
    # this cascades only when an operator clears the company table.
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(
        _("comment"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["survey", "company__name"]
        indexes = [
            models.Index(fields=["organisation", "answered_at"], name="survey_inv_answered_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "company"], name="survey_invitation_one_per_company"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=6),
                name="survey_score_1_to_6",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True, score__isnull=True)
                | models.Q(answered_at__isnull=False, score__isnull=False),
                name="survey_answer_has_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} – {self.company_id}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
