"""Opening an external signer's one-time link.

The signer has no account and no organisation scope, so the link is found by the SHA-256 of
the secret in it with the scope disabled (listed in SCOPE_DISABLING_ALLOWED); everything
after that runs in the scope of the project's lead organisation. Only the hash is stored,
so a stored value (or anything but the secret itself) finds nothing.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from koblingsboks.projects.models import AgreementVersion, SigningLink
from koblingsboks.projects.services import token_hash


@dataclass
class OpenedLink:
    """A link found by its secret, with why it cannot be used (``problem``) if so."""

    link: SigningLink
    problem: str = ""


def signing_link_open(*, token: str) -> OpenedLink | None:
    """The link whose secret is ``token``, or None. Open the lead's scope to use it."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        link = (
            SigningLink.objects.select_related(
                "version__project__lead_organisation", "party__organisation"
            )
            .filter(token_hash=token_hash(token))
            .first()
        )
    if link is None:
        return None
    problem = ""
    if link.used_at is not None:
        problem = _("This signing link has already been used.")
    elif link.expires_at <= timezone.now():
        problem = _("This signing link has expired. Ask the project's lead for a new one.")
    elif link.version.status != AgreementVersion.Status.CIRCULATED:
        problem = _(
            "This link is for version %(number)d, which is no longer the current version."
        ) % {"number": link.version.number}
    return OpenedLink(link=link, problem=problem)
