from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    name = "koblingsboks.capacity"
    label = "capacity"
    verbose_name = _("Capacity")

    def ready(self) -> None:
        from koblingsboks.core.audit_display import register_action_labels

        register_action_labels(
            {
                "capacity.offer.created": _("Capacity offered"),
                "capacity.offer.withdrawn": _("Capacity offer withdrawn"),
                "capacity.request.created": _("Help requested"),
                "capacity.request.closed": _("Request closed"),
                "capacity.booking.proposed": _("Booking proposed"),
                "capacity.booking.accepted": _("Booking accepted"),
                "capacity.booking.declined": _("Booking declined"),
                "capacity.booking.cancelled": _("Booking cancelled"),
                "capacity.booking.completed": _("Booking completed"),
                "capacity.booking.extended": _("Booking extended"),
                "capacity.time_entry.logged": _("Hours logged"),
                "capacity.time_entry.deleted": _("Logged hours deleted"),
                "capacity.settlement.opened": _("Settlement opened"),
                "capacity.settlement.approved": _("Settlement approved"),
            }
        )
