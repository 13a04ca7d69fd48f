from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "koblingsboks.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from koblingsboks.core.audit_display import register_action_labels
        from koblingsboks.core.erasure import register_eraser
        from koblingsboks.events.services import registrations_erase

        register_eraser("event_registrations", registrations_erase)

        register_action_labels(
            {
                "events.event.created": _("Event created"),
                "events.event.updated": _("Event changed"),
                "events.event.hosts_changed": _("Event hosts and cost shares changed"),
                "events.event.published": _("Event published"),
                "events.event.cancelled": _("Event cancelled"),
                "events.event.held": _("Event marked as held"),
                "events.event.draft": _("Event back to draft"),
                "events.registration.confirmed": _("Registration confirmed"),
                "events.registration.waitlisted": _("Registration on the waitlist"),
                "events.registration.promoted": _("Moved up from the waitlist"),
                "events.registration.cancelled": _("Registration cancelled"),
                "events.registration.checked_in": _("Participant checked in"),
                "events.registration.unchecked": _("Check-in undone"),
                "events.message.sent": _("Message sent to participants"),
                "events.feedback.requested": _("Feedback form sent"),
                "events.cost.added": _("Event cost added"),
                "events.cost.deleted": _("Event cost deleted"),
                "events.registrant.erased": _("A registrant's personal data erased"),
                "events.feed_link.created": _("Private calendar link created"),
                "events.feed_link.revoked": _("Private calendar link revoked"),
            }
        )
