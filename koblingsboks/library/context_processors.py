"""The unread-notification counter in the header (one query, signed-in users only)."""

from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from koblingsboks.library.models import Notification

        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    # Lazy: pages that do not show the header (fragments, feeds) make no query.
    return {"unread_notifications": _Lazy(count)}


class _Lazy:
    def __init__(self, func):
        self._func = func
        self._value = None

    def _get(self) -> int:
        if self._value is None:
            self._value = self._func()
        return self._value

    def __int__(self) -> int:
        return self._get()

    def __bool__(self) -> bool:
        return self._get() > 0

    def __str__(self) -> str:
        return str(self._get())

    def __gt__(self, other) -> bool:
        return self._get() > other
