"""Invitations to join an organisation by e-mail.

Accepting is done by a person who is not a member yet, so the invitation is found by the
hash of the secret in its link with the scope disabled (listed in SCOPE_DISABLING_ALLOWED).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from koblingsboks.core.audit import log_action, snapshot
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.network.models import Invitation, Membership, Organisation, Role, User
from koblingsboks.network.services import membership_create


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, organisation: Organisation, email: str, role: str, actor: User | None, base_url: str
) -> Invitation:
    """Invite ``email`` to ``organisation``; the e-mail goes out when the transaction commits."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ServiceError(
            _("“%(email)s” is not a valid e-mail address.") % {"email": email}, code="email"
        ) from exc
    if role not in Role.values:
        raise ServiceError(_("Unknown role: %s") % role, code="role")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
            raise ServiceError(
                _("%(email)s is already a member of %(org)s.")
                % {"email": email, "org": organisation.name},
                code="already_member",
            )
        _expire_stale(organisation=organisation, email=email)
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    organisation=organisation,
                    email=email,
                    role=role,
                    token_hash=_hash(token),
                    invited_by=actor,
                    expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
                )
        except IntegrityError as exc:
            raise ServiceError(
                _("%(email)s already has an open invitation.") % {"email": email},
                code="already_invited",
            ) from exc
        log_action(
            organisation=organisation,
            actor=actor,
            action="network.invitation.created",
            obj=invitation,
            after=snapshot(invitation, ["email", "role", "expires_at"]),
        )
        link = base_url.rstrip("/") + reverse("network:invitation-accept", args=[token])
        transaction.on_commit(lambda: _send_invitation(invitation=invitation, link=link))
    return invitation


def _expire_stale(*, organisation: Organisation, email: str) -> None:
    """An expired, never-used invitation no longer blocks a new one."""
    Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__lte=timezone.now(),
    ).update(revoked_at=timezone.now())


def _send_invitation(*, invitation: Invitation, link: str) -> None:
    context = {"invitation": invitation, "link": link}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Invitation to %(org)s on Koblingsboks") % {"org": invitation.organisation.name}
        body = render_to_string("network/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at or invitation.revoked_at:
            raise ServiceError(_("This invitation is no longer open."), code="not_open")
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        log_action(
            organisation=invitation.organisation,
            actor=actor,
            action="network.invitation.revoked",
            obj=invitation,
            before={"email": invitation.email, "role": invitation.role},
        )
    return invitation


def invitation_by_token(*, token: str) -> Invitation | None:
    """The open invitation behind a link, or None (unknown, used, revoked or expired)."""
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("organisation")
            .filter(token_hash=_hash(token))
            .first()
        )
    if invitation is None or not invitation.is_open:
        return None
    return invitation


def invitation_accept(*, token: str, user: User) -> Membership:
    """Make ``user`` a member as the invitation says. The link works once."""
    from koblingsboks.core.tenancy import organisation_scope

    invitation = invitation_by_token(token=token)
    if invitation is None:
        raise ServiceError(
            _("This invitation link is not valid any more. Ask for a new invitation."),
            code="invalid_invitation",
        )
    with organisation_scope(invitation.organisation), transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ServiceError(_("This invitation has already been used."), code="used")
        if invitation.email.lower() != user.email.lower():
            raise ServiceError(
                _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                % {"email": invitation.email},
                code="wrong_user",
            )
        membership = membership_create(
            organisation=invitation.organisation, user=user, role=invitation.role, actor=user
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        log_action(
            organisation=invitation.organisation,
            actor=user,
            action="network.invitation.accepted",
            obj=invitation,
            after={"email": invitation.email, "role": invitation.role},
        )
    return membership


def user_register_from_invitation(
    *, token: str, full_name: str, password: str
) -> tuple[User, Membership]:
    """Create the account of a new person who opened an invitation link, and accept it."""
    invitation = invitation_by_token(token=token)
    if invitation is None:
        raise ServiceError(
            _("This invitation link is not valid any more. Ask for a new invitation."),
            code="invalid_invitation",
        )
    with transaction.atomic():
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ServiceError(
                _("An account with this e-mail already exists. Sign in to accept the invitation."),
                code="account_exists",
            )
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name
        )
        membership = invitation_accept(token=token, user=user)
    return user, membership
