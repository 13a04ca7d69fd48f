from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "koblingsboks.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from koblingsboks.core.audit_display import register_action_labels

        register_action_labels(
            {
                "projects.project.created": _("Project created"),
                "projects.project.updated": _("Project changed"),
                "projects.project.activated": _("Project started"),
                "projects.project.closed": _("Project closed"),
                "projects.party.added": _("Project party added"),
                "projects.party.updated": _("Project party changed"),
                "projects.party.removed": _("Project party removed"),
                "projects.responsibility.added": _("Area of responsibility added"),
                "projects.responsibility.removed": _("Area of responsibility removed"),
                "projects.deliverable.added": _("Deliverable added"),
                "projects.deliverable.removed": _("Deliverable removed"),
                "projects.budget_line.set": _("Budget line set"),
                "projects.budget_line.removed": _("Budget line removed"),
                "projects.funding.added": _("Funding source added"),
                "projects.funding.removed": _("Funding source removed"),
                "projects.terms.saved": _("Agreement terms changed"),
                "projects.terms.removed": _("Agreement terms section removed"),
                "projects.terms_template.saved": _("Network's default terms changed"),
                "projects.agreement.circulated": _("Agreement circulated for signatures"),
                "projects.agreement.amendment_started": _("Agreement amendment opened"),
                "projects.signature.recorded": _("Agreement signed"),
                "projects.agreement.fully_signed": _("Agreement signed by all parties"),
                "projects.agreement.link_sent": _("Signing link sent"),
                "projects.cost.added": _("Project cost recorded"),
                "projects.cost.removed": _("Project cost removed"),
            }
        )
