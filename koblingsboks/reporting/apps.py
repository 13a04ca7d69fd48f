from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "koblingsboks.reporting"
    label = "reporting"
    verbose_name = _("Results")

    def ready(self):
        from koblingsboks.core.audit_display import register_action_labels
        from koblingsboks.core.erasure import register_eraser
        from koblingsboks.reporting.services import survey_addresses_erase

        register_eraser("survey_links", survey_addresses_erase)

        register_action_labels(
            {
                "reporting.survey.created": _("Satisfaction survey created"),
                "reporting.survey.sent": _("Satisfaction survey links sent"),
                "reporting.survey.answered": _("Satisfaction survey answered"),
                "reporting.survey.addresses_erased": _(
                    "E-mail address erased from satisfaction survey links"
                ),
            }
        )
