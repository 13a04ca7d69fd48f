"""Forms of the events app: they parse and validate input; the services apply the rules."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from koblingsboks.events.models import Event, Registration
from koblingsboks.events.services import COMMENT_MAX, NEEDS_MAX
from koblingsboks.network.models import Network, Organisation, User
from koblingsboks.network.validators import normalise_org_number, validate_org_number

FORM_SALT = "events.registration-form"


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker; the value travels as 2026-11-26T09:00."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=Event.Audience.choices,
        help_text=_("Public events get a registration page and appear in the public feeds."),
    )
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=Network.objects.none(),
        required=False,
        help_text=_("For the audience “network”: whose members the event is for."),
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())
    registration_deadline = forms.DateTimeField(
        label=_("Registration deadline"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Empty: until the event starts."),
    )
    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, required=False, help_text=_("Empty: no limit.")
    )
    price = forms.DecimalField(
        label=_("Price (NOK)"), min_value=0, max_digits=10, decimal_places=2, initial=0
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=User.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, lists and links."),
    )

    def __init__(self, *args, organisation: Organisation, people: list[int], **kwargs):
        """``people``: user ids who may be responsible (the members of the active host)."""
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.filter(
            party_links__organisation=organisation
        ).order_by("name")
        self.fields["responsible"].queryset = User.objects.filter(pk__in=people).order_by(
            "full_name"
        )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        deadline = data.get("registration_deadline")
        if starts and deadline and deadline > starts:
            self.add_error(
                "registration_deadline",
                _("The registration deadline must not be after the start of the event."),
            )
        if data.get("audience") == Event.Audience.NETWORK and not data.get("network"):
            self.add_error("network", _("Choose the network whose members the event is for."))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("audience") != Event.Audience.NETWORK:
            data["network"] = None
        return data


class HostsForm(forms.Form):
    """A host checkbox and a cost share per candidate organisation."""

    def __init__(
        self, *args, candidates: list[Organisation], lead: Organisation, initial_shares, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.lead = lead
        for org in candidates:
            share = initial_shares.get(org.pk)
            self.fields[f"host_{org.pk}"] = forms.BooleanField(
                label=org.name,
                required=False,
                initial=share is not None or org.pk == lead.pk,
                disabled=org.pk == lead.pk,
            )
            self.fields[f"share_{org.pk}"] = forms.DecimalField(
                label=_("Share (%%) of %(org)s") % {"org": org.name},
                required=False,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                initial=share if share is not None else None,
            )

    def rows(self):
        return [
            (org, self[f"host_{org.pk}"], self[f"share_{org.pk}"], org.pk == self.lead.pk)
            for org in self.candidates
        ]

    def shares(self):
        chosen = []
        for org in self.candidates:
            if org.pk == self.lead.pk or self.cleaned_data.get(f"host_{org.pk}"):
                share = self.cleaned_data.get(f"share_{org.pk}")
                if share is None:
                    self.add_error(f"share_{org.pk}", _("Give the share of each host."))
                    continue
                chosen.append((org, share))
        return chosen


class SpamCheckedForm(forms.Form):
    """A honeypot field people never see and a signed time stamp: a form sent back in less
    than ``EVENTS_MIN_FILL_SECONDS`` or with the honeypot filled is from a robot."""

    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=FORM_SALT)

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                _("Your registration could not be accepted. Please try again."), code="spam"
            )
        try:
            started = signing.loads(data.get("started") or "", salt=FORM_SALT, max_age=86400)
        except signing.BadSignature as exc:
            raise forms.ValidationError(
                _("The form has expired. Please reload the page and try again."), code="expired"
            ) from exc
        minimum = getattr(settings, "EVENTS_MIN_FILL_SECONDS", 3)
        if time.time() - float(started) < minimum:
            raise forms.ValidationError(
                _("That was very fast. Please check your details and send the form again."),
                code="too_fast",
            )
        return data


class RegistrantFields(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        required=False,
        help_text=_("Nine digits; we fill in the company name from the register."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    company_name = forms.CharField(label=_("Company"), max_length=300, required=False)
    needs = forms.CharField(
        label=_("Dietary or other needs"),
        max_length=NEEDS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_org_number(self):
        value = self.cleaned_data.get("org_number", "")
        if not value:
            return ""
        number = normalise_org_number(value)
        validate_org_number(number)
        return number


class PublicRegistrationForm(RegistrantFields, SpamCheckedForm):
    consent = forms.BooleanField(
        label=_("I agree that the hosts store these details to run the event."), required=True
    )


class HostRegistrationForm(RegistrantFields):
    pass


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    include_waitlist = forms.BooleanField(label=_("Also to the waitlist"), required=False)


class CostLineForm(forms.Form):
    description = forms.CharField(label=_("Cost"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount (NOK)"), min_value=0.01, max_digits=12, decimal_places=2
    )


class FeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How useful was the event?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CalendarFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all kinds")), *Event.Kind.choices]
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("all audiences")), *Event.Audience.choices],
    )
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("upcoming", _("upcoming")), ("past", _("past")), ("all", _("all"))],
    )

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("all organisations"))] + [
            (org.pk, org.name) for org in organisations
        ]


class FeedTokenForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=Network.objects.none())
    name = forms.CharField(
        label=_("Name of the link"),
        max_length=100,
        help_text=_("For example the calendar you add it to."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.filter(
            party_links__organisation=organisation
        ).order_by("name")


class RegistrationStatusFilter(forms.Form):
    status = forms.ChoiceField(
        required=False,
        initial="active",
        choices=[("active", _("confirmed and waitlist")), ("", _("all"))]
        + list(Registration.Status.choices),
    )
    q = forms.CharField(required=False, max_length=100)
