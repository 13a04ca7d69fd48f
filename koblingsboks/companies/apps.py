from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "koblingsboks.companies"
    label = "companies"
    verbose_name = _("Companies")

    def ready(self):
        from koblingsboks.companies.contacts import contact_entries_erase
        from koblingsboks.core.audit_display import register_action_labels
        from koblingsboks.core.erasure import register_eraser

        register_eraser("contact_persons", contact_entries_erase)

        register_action_labels(
            {
                # Contact persons (companies/contacts.py)
                "companies.contact.created": _("Contact person added"),
                "companies.contact.updated": _("Contact person changed"),
                "companies.contact.deleted": _("Contact person deleted"),
                "companies.contact.erased": _("A contact person's data erased on request"),
            }
        )
