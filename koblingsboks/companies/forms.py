"""Forms for company search, the portfolio and its filters, notes, contact persons and the
advisory log."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koblingsboks.companies.contacts import NAME_MAX_LENGTH, PHONE_MAX_LENGTH, ROLE_MAX_LENGTH
from koblingsboks.companies.models import Affiliation, Company, validate_phone
from koblingsboks.companies.selectors import (
    PortfolioFilters,
    advisor_choices,
    company_detail,
)
from koblingsboks.companies.services import NOTE_MAX_LENGTH, TOPIC_MAX_LENGTH
from koblingsboks.network.models import Municipality, Organisation, User
from koblingsboks.network.validators import normalise_org_number, validate_org_number


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO (2026-11-26)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _validate_nace(value: str) -> None:
    if value and not re.fullmatch(r"[0-9]{2}(\.[0-9]{0,3})?", value):
        raise ValidationError(
            _("A NACE code looks like 62 or 62.100; “%(value)s” does not."),
            params={"value": value},
        )


def _validate_municipality(value: str) -> None:
    if value and not re.fullmatch(r"[0-9]{4}", value):
        raise ValidationError(
            _("A municipality number has four digits, e.g. 5059; “%(value)s” does not."),
            params={"value": value},
        )


def municipality_options() -> list[Municipality]:
    return list(Municipality.objects.order_by("name"))


class CompanySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or organisation number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )
    nace = forms.CharField(
        label=_("NACE code"),
        required=False,
        max_length=6,
        validators=[_validate_nace],
        widget=forms.TextInput(attrs={"placeholder": "62.100", "size": 7}),
    )
    municipality = forms.CharField(
        label=_("Municipality number"),
        required=False,
        max_length=4,
        validators=[_validate_municipality],
        widget=forms.TextInput(attrs={"list": "municipalities", "size": 6, "inputmode": "numeric"}),
    )

    def org_number_problem(self) -> str:
        """Why a query of nine digits cannot be an org.nr (a wrong check digit), or ''."""
        q = (self.cleaned_data.get("q") or "") if self.is_valid() else ""
        compact = q.replace(" ", "")
        if re.fullmatch(r"[0-9]{9}", compact):
            try:
                validate_org_number(compact)
            except ValidationError as exc:
                return exc.messages[0]
        return ""


def org_number_lookup(value: str) -> Company:
    """The register's company for a typed org.nr, or a ValidationError that says why not."""
    number = normalise_org_number(value)
    validate_org_number(number)
    try:
        return company_detail(org_number=number)
    except Company.DoesNotExist:
        raise ValidationError(
            _(
                "%(number)s is a valid organisation number, but it is not in the company "
                "register here yet. Import the register (manage.py import_brreg) or sync it "
                "(manage.py sync_brreg), then try again."
            ),
            code="not_in_register",
            params={"number": number},
        ) from None


class AdvisorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


def _advisor_field(organisation: Organisation, *, required: bool, label) -> AdvisorChoiceField:
    members = advisor_choices(organisation=organisation).values("user_id")
    return AdvisorChoiceField(
        label=label,
        required=required,
        queryset=User.objects.filter(pk__in=members).order_by("full_name", "email"),
        empty_label=_("– nobody –") if not required else None,
    )


class AffiliationForm(forms.Form):
    """Kind, dates, phase and advisor of an affiliation (editing)."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=Affiliation.Kind.choices, initial=Affiliation.Kind.TARGET
    )
    start_date = forms.DateField(label=_("Start"), widget=DateInput())
    end_date = forms.DateField(
        label=_("End"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty while the affiliation lasts."),
    )
    phase = forms.ChoiceField(
        label=_("Phase"), choices=Affiliation.Phase.choices, initial=Affiliation.Phase.ACTIVE
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_advisor"] = _advisor_field(
            organisation, required=False, label=_("Responsible advisor")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class AffiliationCreateForm(AffiliationForm):
    """Add a company to the portfolio by its org.nr (typed, or chosen in the search)."""

    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    field_order = ["org_number", "kind", "start_date", "end_date", "phase", "responsible_advisor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate
        self.order_fields(self.field_order)

    def clean_org_number(self) -> str:
        self.company = org_number_lookup(self.cleaned_data["org_number"])
        return self.company.org_number


class AffiliationEndForm(forms.Form):
    end_date = forms.DateField(label=_("End date"), widget=DateInput(), initial=timezone.localdate)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Private to your organisation."),
    )


class ContactPersonForm(forms.Form):
    """A contact person of a company; the service (companies/contacts.py) has the rules."""

    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH)
    role = forms.CharField(label=_("Role or title"), max_length=ROLE_MAX_LENGTH, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=PHONE_MAX_LENGTH,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    receives_surveys = forms.BooleanField(
        label=_("Receives the satisfaction survey"), required=False, initial=True
    )


class HoursField(forms.DecimalField):
    """Hours with a decimal comma or point (1,5 or 1.5), whichever language the page is in."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class AdvisoryLogForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    hours = HoursField(
        label=_("Hours"),
        min_value=Decimal("0.01"),
        max_value=24,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
    )
    topic = forms.CharField(label=_("Topic"), max_length=TOPIC_MAX_LENGTH)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"] = _advisor_field(organisation, required=True, label=_("Advisor"))


SORT_CHOICES = [
    ("name", _("Name A–Å")),
    ("-name", _("Name Å–A")),
    ("org_number", _("Organisation number")),
    ("-start", _("Newest affiliation")),
    ("start", _("Oldest affiliation")),
    ("phase", _("Phase")),
    ("kind", _("Kind")),
    ("municipality", _("Municipality")),
    ("-turnover", _("Highest turnover")),
    ("turnover", _("Lowest turnover")),
    ("-hours", _("Most advisory hours")),
]


class PortfolioFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or org.nr."),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"enterkeyhint": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Active")), ("ended", _("Ended")), ("all", _("All"))],
    )
    phase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        choices=[("", _("All phases")), *Affiliation.Phase.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Affiliation.Kind.choices]
    )
    nace_section = forms.ChoiceField(label=_("NACE division"), required=False)
    municipality = forms.CharField(
        label=_("Municipality number"),
        required=False,
        max_length=4,
        validators=[_validate_municipality],
        widget=forms.TextInput(attrs={"list": "municipalities", "size": 6}),
    )
    newly_started = forms.BooleanField(
        label=_("Newly started (founded in the last 3 calendar years)"), required=False
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, nace_sections: list[tuple[str, int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nace_section"].choices = [
            ("", _("All divisions")),
            *((code, f"{code} ({count})") for code, count in nace_sections),
        ]

    def filters(self) -> PortfolioFilters:
        """The valid filters; an invalid value is ignored (and shown with its error)."""
        if not self.is_bound:
            return PortfolioFilters()
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return PortfolioFilters(
            q=data.get("q", "") or "",
            phase=data.get("phase", "") or "",
            kind=data.get("kind", "") or "",
            nace_section=data.get("nace_section", "") or "",
            municipality=data.get("municipality", "") or "",
            newly_started=bool(data.get("newly_started")),
            status=data.get("status") or "active",
            sort=data.get("sort") or "name",
        )
