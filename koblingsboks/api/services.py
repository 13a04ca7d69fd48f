"""Creating, checking and revoking personal API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koblingsboks.api.models import ApiToken
from koblingsboks.core.exceptions import ServiceError

TOKEN_PREFIX = "kbx_"
MAX_ACTIVE_TOKENS = 20


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user, name: str, valid_days: int | None = 365) -> tuple[ApiToken, str]:
    """A new token for ``user``; the raw secret is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the token a name."), code="name")
    if len(name) > 100:
        raise ServiceError(_("The name can be at most 100 characters."), code="name")
    with transaction.atomic():
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise ServiceError(
                _("You have %(n)d active tokens; revoke one first.") % {"n": active}, code="limit"
            )
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[:12],
            key_hash=_hash(raw),
            expires_at=timezone.now() + timedelta(days=valid_days) if valid_days else None,
        )
    return token, raw


def api_token_authenticate(*, raw: str):
    """The user behind a raw token, or None when it is unknown, revoked or expired."""
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(raw or "")).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    # Writing on every request would serialise API traffic on SQLite; once a minute is enough.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, token: ApiToken, user) -> ApiToken:
    if token.user_id != user.pk:
        raise ServiceError(_("This is not your token."), code="not_owner")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
