"""Forms of the people pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from koblingsboks.people.models import LANGUAGES, NACE_SECTIONS, CompetenceArea, Level


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Search"),
        widget=forms.SearchInput(attrs={"placeholder": _("name, title or text")}),
    )
    competence = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label=_("Competence")
    )
    min_level = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label=_("At least"),
        choices=[("", _("any level")), *Level.choices],
    )
    sector = forms.ChoiceField(
        required=False, label=_("Sector"), choices=[("", _("any sector")), *NACE_SECTIONS]
    )
    language = forms.ChoiceField(
        required=False, label=_("Language"), choices=[("", _("any language")), *LANGUAGES]
    )
    organisation = forms.ModelChoiceField(queryset=None, required=False, label=_("Organisation"))

    def __init__(self, *args, taxonomy=(), organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competence"].choices = [("", _("any competence"))] + [
            (area.name, [(c.pk, c.name) for c in area.competences.all()]) for area in taxonomy
        ]
        self.fields["organisation"].queryset = organisations


class ProfileForm(forms.Form):
    """The text, languages and sectors; competence levels are extra fields per competence."""

    text = forms.CharField(
        required=False,
        max_length=2000,
        label=_("About you"),
        help_text=_("What you have done and can help with. Colleagues in your networks read it."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    languages = forms.MultipleChoiceField(
        required=False, choices=LANGUAGES, label=_("Languages"), widget=forms.CheckboxSelectMultiple
    )
    sectors = forms.MultipleChoiceField(
        required=False,
        choices=NACE_SECTIONS,
        label=_("Sectors you know"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, taxonomy=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.competence_fields = []
        for area in taxonomy:
            names = []
            for competence in area.competences.all():
                name = f"competence_{competence.pk}"
                self.fields[name] = forms.TypedChoiceField(
                    required=False,
                    coerce=int,
                    empty_value=None,
                    label=competence.name,
                    choices=[("", "–"), *Level.choices],
                )
                names.append(name)
            self.competence_fields.append((area, [self[name] for name in names]))

    def competence_levels(self) -> dict[int, int]:
        return {
            int(name.removeprefix("competence_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("competence_") and value
        }


class AreaForm(forms.Form):
    name_nb = forms.CharField(max_length=120, label=_("Name (Norwegian)"))
    name_en = forms.CharField(max_length=120, label=_("Name (English)"))


class CompetenceForm(forms.Form):
    area = forms.ModelChoiceField(queryset=CompetenceArea.objects.all(), label=_("Area"))
    name_nb = forms.CharField(max_length=120, label=_("Name (Norwegian)"))
    name_en = forms.CharField(max_length=120, label=_("Name (English)"))
