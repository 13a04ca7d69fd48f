from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "koblingsboks.people"
    label = "people"
    verbose_name = _("Competence")

    def ready(self) -> None:
        from koblingsboks.core.audit_display import register_action_labels

        register_action_labels(
            {
                "people.competence_area.created": _("Competence area added"),
                "people.competence.created": _("Competence added"),
                "people.competence.renamed": _("Competence renamed"),
                "people.profile.created": _("Competence profile created"),
                "people.profile.updated": _("Competence profile changed"),
            }
        )
