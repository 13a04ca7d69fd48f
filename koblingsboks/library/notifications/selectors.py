"""Reads of a user's own notifications (always filtered by the user)."""

from django.db.models import QuerySet

from koblingsboks.library.models import Notification
from koblingsboks.network.models import User
from koblingsboks.people.models import CompetenceArea


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related(
        "actor", "post", "comment", "method"
    )


def unread_notification_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def profile_competence_areas(*, user: User) -> QuerySet[CompetenceArea]:
    """The areas of the competences in ``user``'s own competence profiles (in any of their
    organisations): the areas they are notified about without following them."""
    return CompetenceArea.objects.filter(competences__holders__profile__user=user).distinct()
