"""E-mail to the people concerned by a booking or a settlement.

Sent after the transaction commits (``transaction.on_commit``), in each recipient's own
language, to the managers (and administrators) of an organisation and to named people.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Membership, Organisation, Role


def decision_makers(organisation: Organisation) -> list:
    """The managers and administrators of ``organisation`` (read in its own scope)."""
    with organisation_scope(organisation):
        return [
            membership.user
            for membership in Membership.objects.filter(
                organisation=organisation,
                role__in=[Role.MANAGER, Role.ADMIN],
                user__is_active=True,
            ).select_related("user")
        ]


def notify(*, recipients, template: str, context: dict, url_name: str, url_kwargs=None) -> None:
    """Queue one e-mail per recipient (deduplicated) for after the commit."""
    unique = {user.email: user for user in recipients if user is not None and user.email}
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    link = base + reverse(url_name, kwargs=url_kwargs or {})

    def send() -> None:
        for user in unique.values():
            with translation.override(user.language or "nb"):
                body = render_to_string(
                    f"capacity/email/{template}.txt", {**context, "link": link, "user": user}
                )
                subject, _sep, text = body.strip().partition("\n")
                send_mail(subject.strip(), text.strip() + "\n", None, [user.email])

    transaction.on_commit(send)
