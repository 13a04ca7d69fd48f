"""Finding a survey link by the secret in it. The person answering has no account and no
organisation scope, so the invitation is looked up by the hash of its secret with the scope
disabled (listed in SCOPE_DISABLING_ALLOWED); the page then runs in the garden's scope."""

from django_scopes import scopes_disabled

from koblingsboks.reporting.models import SurveyInvitation
from koblingsboks.reporting.services import token_hash


def survey_invitation_by_token(*, token: str) -> SurveyInvitation | None:
    """The invitation whose link holds ``token``, or None. Only the hash is compared."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        return (
            SurveyInvitation.objects.select_related("survey", "survey__organisation", "company")
            .filter(token_hash=token_hash(token))
            .first()
        )
