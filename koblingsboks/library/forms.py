"""Forms of the library pages. They parse input; the services decide."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from koblingsboks.library.models import Audience, NotificationSettings, Post
from koblingsboks.library.models.feed import BODY_MAX, COMMENT_MAX, TITLE_MAX
from koblingsboks.people.models import CompetenceArea


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks size and type of each."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


AUDIENCE_HELP = _(
    "Own organisation: only your colleagues. Network: every garden in the network. "
    "Public: also in the network's public news feed."
)


def mention_textarea(rows: int) -> forms.Textarea:
    """A textarea that asks the server (htmx) for people to mention while an @ is typed;
    the suggestions appear in the page's ``#mention-suggestions``."""
    return forms.Textarea(
        attrs={
            "rows": rows,
            "hx-get": reverse_lazy("library:mention-suggestions"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#mention-suggestions",
            "hx-sync": "this:replace",
            "aria-describedby": "mention-suggestions",
        }
    )


class PostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=mention_textarea(8),
        help_text=_("Markdown. Mention a colleague with @ and their e-mail address."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Post.Kind.choices)
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        initial=Audience.NETWORK,
        help_text=AUDIENCE_HELP,
    )
    network = forms.ModelChoiceField(label=_("Network"), queryset=None, required=False)
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separated by commas.")
    )
    company = forms.CharField(
        label=_("Company (org.nr)"),
        required=False,
        max_length=11,
        help_text=_("Optional: a company in your own portfolio."),
    )
    method = forms.ModelChoiceField(label=_("Method"), queryset=None, required=False)
    event = forms.TypedChoiceField(
        label=_("Event"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Optional: an event in your calendar."),
    )
    project = forms.TypedChoiceField(
        label=_("Project"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Optional: a project your organisation is a party of."),
    )
    files = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, networks, methods, events=(), projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        self.fields["method"].queryset = methods
        self.fields["event"].choices = [("", "---------"), *events]
        self.fields["project"].choices = [("", "---------"), *projects]
        if networks.count() == 1 and not self.is_bound and "network" not in self.initial:
            self.fields["network"].initial = networks.first().pk


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        widget=mention_textarea(3),
        help_text=_("Mention a colleague with @ and their e-mail address."),
    )


class FeedFilterForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Post.Kind.choices]
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    unread = forms.BooleanField(label=_("Unread only"), required=False)

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("All organisations"))] + [
            (o.slug, o.name) for o in options["organisations"]
        ]
        self.fields["tag"].choices = [("", _("All tags"))] + [
            (t.slug, t.name) for t in options["tags"]
        ]


class MethodForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Description"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: how to run it, what it takes, what to watch out for."),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separated by commas.")
    )
    competence_areas = forms.ModelMultipleChoiceField(
        label=_("Competence areas"),
        queryset=CompetenceArea.objects.order_by("position", "name_nb"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the competence taxonomy; people with these areas are notified."),
    )
    contact = forms.ModelChoiceField(label=_("Contact person"), queryset=None, required=False)
    audience = forms.ChoiceField(
        label=_("Audience"), choices=Audience.choices, initial=Audience.NETWORK
    )
    licence = forms.CharField(
        label=_("Licence note"),
        required=False,
        max_length=300,
        help_text=_("E.g. free to use in the network; credit the owner."),
    )
    change_note = forms.CharField(label=_("What did you change?"), required=False, max_length=300)
    files = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, people, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = people
        if not editing:
            del self.fields["change_note"]


class ExperienceForm(forms.Form):
    note = forms.CharField(
        label=_("Your experience"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. ran it with 12 companies in Oppdal – worked, but budget two sessions."),
    )
    companies_count = forms.IntegerField(
        label=_("Number of companies"), required=False, min_value=0, max_value=100_000
    )
    place = forms.CharField(label=_("Where"), required=False, max_length=100)


class MethodFilterForm(forms.Form):
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    competence = forms.TypedChoiceField(
        label=_("Competence area"), required=False, coerce=int, empty_value=None
    )
    organisation = forms.ChoiceField(label=_("Owner"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("title", _("title")),
            ("-updated", _("recently changed")),
            ("-used", _("most used")),
        ],
    )

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("All tags"))] + [
            (t.slug, t.name) for t in options["tags"]
        ]
        self.fields["competence"].choices = [("", _("All competence areas"))] + [
            (area.pk, f"{area.name} ({area.method_count})") for area in options["competence_areas"]
        ]
        self.fields["organisation"].choices = [("", _("All organisations"))] + [
            (o.slug, o.name) for o in options["organisations"]
        ]


class SettingsForm(forms.Form):
    digest = forms.ChoiceField(
        label=_("Digest e-mail"), choices=NotificationSettings.Frequency.choices
    )
    competence_areas = forms.ModelMultipleChoiceField(
        label=_("Also follow these competence areas"),
        queryset=CompetenceArea.objects.order_by("position", "name_nb"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "You are notified of new methods in the areas of your competence profile and in these."
        ),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
