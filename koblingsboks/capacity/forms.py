"""Forms of the capacity pages: they parse and check types; the services apply the rules."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koblingsboks.capacity.models import Booking, Settlement
from koblingsboks.people.models import Competence

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# localize: accept "12,5" as well as "12.5".
HOURS = {"max_digits": 7, "decimal_places": 2, "min_value": 0.01, "localize": True}


def competence_field(required: bool = False) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Competence.objects.select_related("area"),
        required=required,
        label=_("Competences"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class PeriodMixin:
    start_field = "period_start"
    end_field = "period_end"

    def clean(self):
        data = super().clean()
        start, end = data.get(self.start_field), data.get(self.end_field)
        if start and end and end < start:
            self.add_error(self.end_field, _("The period ends before it starts."))
        return data


class OfferForm(PeriodMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    person = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Person"),
        empty_label=_("The organisation (no named person)"),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    competences = competence_field()
    hours = forms.DecimalField(label=_("Hours offered"), **HOURS)
    period_start = forms.DateField(label=_("From"), widget=DATE)
    period_end = forms.DateField(label=_("To"), widget=DATE)
    hourly_rate = forms.DecimalField(
        label=_("Hourly rate (NOK)"), max_digits=12, decimal_places=2, min_value=0, localize=True
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members
        self.fields["person"].label_from_instance = lambda user: user.full_name or user.email


class RequestForm(PeriodMixin, forms.Form):
    start_field = "window_start"
    end_field = "window_end"

    title = forms.CharField(label=_("Title"), max_length=200)
    need = forms.CharField(
        label=_("What do you need help with?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    competences = competence_field()
    hours = forms.DecimalField(label=_("Hours needed"), **HOURS)
    window_start = forms.DateField(label=_("From"), widget=DATE)
    window_end = forms.DateField(label=_("To"), widget=DATE)
    company = forms.ModelChoiceField(
        queryset=None, required=False, label=_("For the company (optional)")
    )
    share_company = forms.BooleanField(
        required=False,
        label=_("Show the company to the garden that helps"),
        help_text=_("Otherwise the company stays private to your organisation."),
    )

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies


class ProposeForm(forms.Form):
    """Book an offer, or a named person of another garden at a proposed hourly rate."""

    offer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    profile = forms.IntegerField(required=False, label=_("Person"))
    hours = forms.DecimalField(label=_("Hours"), **HOURS)
    hourly_rate = forms.DecimalField(
        label=_("Hourly rate (NOK)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        localize=True,
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("offer") and not data.get("profile"):
            raise forms.ValidationError(_("Choose an offer or a person."))
        if data.get("profile") and data.get("hourly_rate") is None:
            self.add_error("hourly_rate", _("Propose an hourly rate for the person's hours."))
        return data


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)


class ExtendForm(forms.Form):
    hours = forms.DecimalField(label=_("Extra hours"), **HOURS)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class TimeEntryForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=4,
        decimal_places=2,
        min_value=0.01,
        max_value=24,
        localize=True,
    )
    description = forms.CharField(label=_("What was done"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class OfferFilterForm(forms.Form):
    competence = forms.ModelChoiceField(
        queryset=Competence.objects.select_related("area"), required=False, label=_("Competence")
    )
    organisation = forms.ModelChoiceField(queryset=None, required=False, label=_("Organisation"))
    include_past = forms.BooleanField(required=False, label=_("Include past and withdrawn"))
    sort = forms.ChoiceField(
        required=False,
        label=_("Sort by"),
        choices=[
            ("start", _("start")),
            ("rate", _("hourly rate")),
            ("-free", _("most free hours")),
            ("organisation", _("organisation")),
        ],
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class BookingFilterForm(forms.Form):
    direction = forms.ChoiceField(
        required=False,
        label=_("Direction"),
        choices=[("all", _("all")), ("incoming", _("incoming")), ("outgoing", _("outgoing"))],
    )
    state = forms.ChoiceField(
        required=False, label=_("State"), choices=[("", _("any state")), *Booking.State.choices]
    )


def _previous_month() -> datetime.date:
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


class SettlementOpenForm(forms.Form):
    counterpart = forms.ModelChoiceField(queryset=None, label=_("With"))
    kind = forms.ChoiceField(label=_("Period"), choices=Settlement.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Month or quarter"),
        min_value=1,
        max_value=12,
        help_text=_("Month 1–12, quarter 1–4"),
    )

    def __init__(self, *args, counterparts=None, **kwargs):
        previous = _previous_month()
        kwargs.setdefault(
            "initial", {"kind": "month", "year": previous.year, "number": previous.month}
        )
        super().__init__(*args, **kwargs)
        self.fields["counterpart"].queryset = counterparts
