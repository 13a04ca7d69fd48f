"""Writing notifications and each user's settings. Notifications are created by the feed
and method services after their own writes commit (transaction.on_commit)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.library import sharing
from koblingsboks.library.competence import areas_for
from koblingsboks.library.models import Method, Notification, NotificationSettings
from koblingsboks.network.models import User


def notify(*, users, kind: str, actor: User | None, post=None, comment=None, method=None) -> int:
    """One notification per user (never to the actor). Returns how many were created."""
    rows = [
        Notification(user=user, kind=kind, actor=actor, post=post, comment=comment, method=method)
        for user in {u.pk: u for u in users}.values()
        if actor is None or user.pk != actor.pk
    ]
    # A "new method" notification exists at most once per user and method (a constraint).
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def notify_method_followers(*, method: Method, actor: User | None) -> int:
    """Tell the people whose competence areas (profile or settings) include one of the
    method's areas, who may read it and who did not write it, that it is there: once per
    user and method (a later call, e.g. when the audience widens, reaches only new readers).
    A fixed number of queries, however many people are told."""
    area_ids = list(method.competence_areas.values_list("pk", flat=True))
    if not area_ids:
        return 0
    already = Notification.objects.filter(kind=Notification.Kind.METHOD, method=method)
    users = (
        sharing.users_who_may_read_method(method=method)
        .filter(pk__in=sharing.users_with_competence_areas(area_ids).values("pk"))
        .exclude(pk__in=already.values("user_id"))
        .exclude(pk__in=[pk for pk in (method.created_by_id,) if pk])
    )
    return notify(users=list(users), kind=Notification.Kind.METHOD, actor=actor, method=method)


def notification_mark_read(*, notification: Notification, user: User) -> None:
    if notification.user_id != user.pk:
        raise ServiceError(_("This is not your notification."), code="forbidden")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notification_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def settings_for(user: User) -> NotificationSettings:
    settings, _created = NotificationSettings.objects.get_or_create(user=user)
    return settings


def settings_update(*, user: User, digest: str, competence_areas=None) -> NotificationSettings:
    """The digest frequency and the competence areas ``user`` follows besides those of
    their competence profile (areas of the taxonomy, as rows or ids)."""
    if digest not in NotificationSettings.Frequency.values:
        raise ServiceError(_("Unknown digest frequency: %s") % digest, code="digest")
    areas = areas_for(competence_areas)
    with transaction.atomic():
        settings = settings_for(user)
        settings.digest = digest
        settings.save(update_fields=["digest"])
        settings.competence_areas.set(areas)
    return settings


def digest_unsubscribe(*, user: User) -> bool:
    """Turn the digest off; True when it was on."""
    settings = settings_for(user)
    if settings.digest == NotificationSettings.Frequency.OFF:
        return False
    settings.digest = NotificationSettings.Frequency.OFF
    settings.save(update_fields=["digest"])
    return True
