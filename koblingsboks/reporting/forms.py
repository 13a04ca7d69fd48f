"""Forms of the results pages: the report's year and definitions (GET), the survey."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koblingsboks.companies.models import Affiliation
from koblingsboks.reporting.definitions import (
    BASELINE_RULES,
    BASELINE_YEAR_BEFORE_OR_FIRST,
    DEFAULT_KINDS,
    MAX_WINDOW,
    KpiDefinitions,
)
from koblingsboks.reporting.kpi import FIRST_REPORT_YEAR, LAST_REPORT_YEAR
from koblingsboks.reporting.selectors import DRILLDOWN_FIGURES, default_report_year


class ReportParametersForm(forms.Form):
    """The year and the parameters of the definitions; every field has the programme's
    default, so an empty query string gives the standard report."""

    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_REPORT_YEAR + 9, max_value=LAST_REPORT_YEAR, required=False
    )
    kinds = forms.MultipleChoiceField(
        label=_("Counted kinds of affiliation"),
        choices=Affiliation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    window = forms.IntegerField(
        label=_("“Newly started” window (years)"), min_value=1, max_value=MAX_WINDOW, required=False
    )
    baseline = forms.ChoiceField(
        label=_("Baseline"),
        choices=[(k, v) for k, v in BASELINE_RULES.items()],
        required=False,
    )
    self_reported = forms.ChoiceField(
        label=_("Self-reported key figures"),
        choices=[("yes", _("included")), ("no", _("left out"))],
        required=False,
    )

    def parameters(self) -> tuple[int, KpiDefinitions]:
        """The year and definitions asked for; the defaults for anything missing or bad."""
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or default_report_year()
        definitions = KpiDefinitions(
            kinds=tuple(data.get("kinds") or DEFAULT_KINDS),
            newly_started_years=data.get("window") or 3,
            baseline_rule=data.get("baseline") or BASELINE_YEAR_BEFORE_OR_FIRST,
            include_self_reported=data.get("self_reported") != "no",
        )
        return year, definitions


def parameters_from(query) -> tuple[ReportParametersForm, int, KpiDefinitions]:
    form = ReportParametersForm(query or None)
    year, definitions = form.parameters()
    return form, year, definitions


def figure_from(query) -> str:
    figure = query.get("figure", "affiliated")
    return figure if figure in DRILLDOWN_FIGURES else "affiliated"


def cohort_from(query) -> int | None:
    """The admission year of the ``cohort`` parameter; None when absent or not a year."""
    value = query.get("cohort", "")
    return int(value) if value.isdigit() and 1900 <= int(value) <= 2200 else None


class SurveyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    title = forms.CharField(label=_("Title"), max_length=200)
    message = forms.CharField(
        label=_("Message to the companies"), max_length=4000, required=False, widget=forms.Textarea
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)

    def clean_closes_on(self):
        value = self.cleaned_data.get("closes_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The closing date has already passed."))
        return value


class SurveyAnswerForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_(
            "How satisfied are you with the business garden's help? (1 = not at all, 6 = very)"
        ),
        choices=[(i, str(i)) for i in range(1, 7)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
