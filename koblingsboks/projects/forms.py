"""Forms of the projects pages. They parse input; the services hold the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from koblingsboks.network.models import Network, Organisation
from koblingsboks.projects.models import Category, CostEntry, FundingKind, Project, TermKey
from koblingsboks.projects.services import MAX_ATTACHMENT_BYTES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class NokField(forms.DecimalField):
    """An amount in NOK as people type it: "12 500,50", "12500.50" or "kr 12 500"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("kr").strip()
            value = value.replace("\xa0", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


def _money_field(label, *, required=True):
    return NokField(
        label=label,
        required=required,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 12}),
    )


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all"))] + Project.Status.choices
    )
    party = forms.CharField(label=_("Party"), required=False, max_length=100)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("start", _("newest start")),
            ("title", _("title")),
            ("status", _("status")),
            ("end", _("end date")),
        ],
    )


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=Network.objects.none(),
        required=False,
        help_text=_("Other members of this network see the title, parties and status."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.filter(
            party_links__organisation=organisation
        ).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError(_("The end date is before the start date."))
        return data


class PartyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Member organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("A garden or other organisation on the platform, or…"),
    )
    external_name = forms.CharField(
        label=_("External partner"),
        max_length=200,
        required=False,
        help_text=_("…a partner without an account, e.g. a municipality or a university."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    signer_name = forms.CharField(
        label=_("Authorised signer"),
        max_length=200,
        required=False,
        help_text=_("External partners only: the person who signs, by an e-mail link."),
    )
    signer_email = forms.EmailField(label=_("Signer's e-mail"), required=False)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            project_parties__project=project
        ).order_by("name")


class PartyEditForm(forms.Form):
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    signer_name = forms.CharField(label=_("Authorised signer"), max_length=200, required=False)
    signer_email = forms.EmailField(label=_("Signer's e-mail"), required=False)


class ResponsibilityForm(forms.Form):
    party = forms.TypedChoiceField(label=_("Party"), coerce=int)
    title = forms.CharField(label=_("Area"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(p.pk, p.name) for p in parties]


class DeliverableForm(forms.Form):
    title = forms.CharField(label=_("Deliverable"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())


class BudgetLineForm(forms.Form):
    party = forms.TypedChoiceField(label=_("Party"), coerce=int)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    cash = _money_field(_("Cash (NOK)"))
    in_kind = _money_field(_("In-kind (NOK)"))

    def __init__(self, *args, project: Project, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(p.pk, p.name) for p in parties]
        self.fields["year"].choices = [(y, y) for y in project.years]


class FundingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FundingKind.choices)
    name = forms.CharField(label=_("Source"), max_length=200)
    amount = _money_field(_("Amount (NOK)"))


class TermForm(forms.Form):
    key = forms.ChoiceField(label=_("Kind"), choices=TermKey.choices)
    title = forms.CharField(label=_("Heading"), max_length=200)
    text = forms.CharField(
        label=_("Text"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )


class CostEntryForm(forms.Form):
    budget_line = forms.TypedChoiceField(label=_("Budget line"), coerce=int)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    amount = _money_field(_("Amount (NOK)"))
    kind = forms.ChoiceField(label=_("Cash or in-kind"), choices=CostEntry.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, PNG or JPEG, at most %(mb)d MB.")
        % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].choices = [
            (line.pk, f"{line.party.name} · {line.year} · {line.get_category_display()}")
            for line in lines
        ]


class SignForm(forms.Form):
    content_hash = forms.CharField(max_length=64, widget=forms.HiddenInput)
    party = forms.IntegerField(widget=forms.HiddenInput)


class LinkSignForm(forms.Form):
    signer_name = forms.CharField(label=_("Your full name"), max_length=200)
    confirm = forms.BooleanField(
        label=_("I have read the agreement and sign it on behalf of the party I represent.")
    )
