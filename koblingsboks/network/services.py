"""Writes to organisations and memberships. Each runs in one transaction and is audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from koblingsboks.core.audit import log_action, snapshot
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.network.models import Membership, Municipality, Organisation, Role, User

ORGANISATION_EDITABLE_FIELDS = [
    "name",
    "street_address",
    "postal_code",
    "postal_place",
    "website",
    "email",
    "description",
]
ORGANISATION_AUDITED_FIELDS = [
    *ORGANISATION_EDITABLE_FIELDS,
    "kind",
    "org_number",
    "municipalities",
]


def organisation_update(
    *,
    organisation: Organisation,
    actor: User,
    data: dict,
    municipalities: list[Municipality] | None = None,
) -> Organisation:
    """Change an organisation's public details; only fields in ORGANISATION_EDITABLE_FIELDS."""
    unknown = set(data) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise ServiceError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = snapshot(organisation, ORGANISATION_AUDITED_FIELDS)
        for name, value in data.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.save()
        if municipalities is not None:
            organisation.municipalities.set(municipalities)
        after = snapshot(organisation, ORGANISATION_AUDITED_FIELDS)
        if before != after:
            log_action(
                organisation=organisation,
                actor=actor,
                action="network.organisation.updated",
                obj=organisation,
                before=before,
                after=after,
            )
    return organisation


def _lock_admins(organisation: Organisation) -> list[Membership]:
    return list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Role.ADMIN)
        .order_by("pk")
    )


def _ensure_admin_remains(organisation: Organisation, leaving: Membership) -> None:
    admins = _lock_admins(organisation)
    if [m.pk for m in admins] == [leaving.pk]:
        raise ServiceError(
            _("%(org)s must keep at least one administrator.") % {"org": organisation.name},
            code="last_admin",
        )


def membership_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    """Give a member another role; the organisation always keeps one administrator."""
    if role not in Role.values:
        raise ServiceError(_("Unknown role: %s") % role, code="role")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == role:
            return membership
        if membership.role == Role.ADMIN:
            _ensure_admin_remains(membership.organisation, membership)
        before = snapshot(membership, ["user", "role"])
        membership.role = role
        membership.save(update_fields=["role"])
        log_action(
            organisation=membership.organisation,
            actor=actor,
            action="network.membership.role_changed",
            obj=membership,
            before=before,
            after=snapshot(membership, ["user", "role"]),
        )
    return membership


def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove a member from the organisation; the last administrator cannot be removed."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        )
        if membership.role == Role.ADMIN:
            _ensure_admin_remains(membership.organisation, membership)
        before = snapshot(membership, ["user", "role"])
        before["email"] = membership.user.email
        log_action(
            organisation=membership.organisation,
            actor=actor,
            action="network.membership.removed",
            obj=membership,
            before=before,
            after=None,
        )
        membership.delete()


def membership_create(
    *, organisation: Organisation, user: User, role: str, actor: User | None
) -> Membership:
    """Add ``user`` to ``organisation`` (used by invitations and demo data)."""
    if role not in Role.values:
        raise ServiceError(_("Unknown role: %s") % role, code="role")
    with transaction.atomic():
        if Membership.objects.filter(organisation=organisation, user=user).exists():
            raise ServiceError(
                _("%(user)s is already a member of %(org)s.")
                % {"user": user.email, "org": organisation.name},
                code="already_member",
            )
        membership = Membership.objects.create(organisation=organisation, user=user, role=role)
        after = snapshot(membership, ["user", "role"])
        after["email"] = user.email
        log_action(
            organisation=organisation,
            actor=actor,
            action="network.membership.created",
            obj=membership,
            after=after,
        )
    return membership


PROFILE_FIELDS = ["full_name", "title", "phone", "bio", "language"]


def user_profile_update(*, user: User, data: dict) -> User:
    """Change the signed-in user's own profile."""
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ServiceError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    for name, value in data.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(data))
    return user
