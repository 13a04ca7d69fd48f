"""The digest e-mail: what happened in the user's networks since the last one.

``digest_for`` collects the posts and methods a user may read (through every organisation
they belong to) in a period; ``render_digest`` renders it as plain text and HTML in the
user's language; ``send_digests`` (a background task, also run by ``manage.py
send_digests``) sends it to everybody whose daily or weekly digest is due.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from koblingsboks.library import sharing
from koblingsboks.library.models import Method, NotificationSettings, Post
from koblingsboks.library.notifications.services import settings_for
from koblingsboks.network.models import Organisation, User

UNSUBSCRIBE_SALT = "koblingsboks.library.digest.unsubscribe"
PERIODS = {
    NotificationSettings.Frequency.DAILY: datetime.timedelta(days=1),
    NotificationSettings.Frequency.WEEKLY: datetime.timedelta(days=7),
}
# A digest run a little early (a scheduler's jitter) still counts as due.
SLACK = datetime.timedelta(hours=1)
MAX_ITEMS = 30
# The digest lists the published events starting within this long after it is made.
UPCOMING_EVENTS = datetime.timedelta(days=14)


@dataclass
class Digest:
    user: User
    since: datetime.datetime
    until: datetime.datetime
    posts: list[Post] = field(default_factory=list)
    methods: list[Method] = field(default_factory=list)
    events: list = field(default_factory=list)  # events.Event, upcoming

    @property
    def is_empty(self) -> bool:
        # Upcoming events alone do not make a digest worth sending: they would repeat in
        # every daily digest of a quiet fortnight.
        return not (self.posts or self.methods)


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token: str) -> User | None:
    """The user of a valid token; None for a token that was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"]).first()


def digest_for(*, user: User, since: datetime.datetime, until: datetime.datetime) -> Digest:
    """The posts published and methods added or changed in [since, until) that ``user`` may
    read through any of their organisations."""
    organisations = Organisation.objects.filter(pk__in=sharing.organisation_ids_of_user(user))
    posts: dict[int, Post] = {}
    methods: dict[int, Method] = {}
    for organisation in organisations:
        for post in (
            sharing.posts_visible_to(organisation=organisation)
            .filter(created_at__gte=since, created_at__lt=until)
            .select_related("organisation", "author")
            .order_by("-created_at")[:MAX_ITEMS]
        ):
            posts.setdefault(post.pk, post)
        for method in (
            sharing.methods_visible_to(organisation=organisation)
            .filter(updated_at__gte=since, updated_at__lt=until)
            .select_related("organisation")
            .order_by("-updated_at")[:MAX_ITEMS]
        ):
            methods.setdefault(method.pk, method)
    return Digest(
        user=user,
        events=upcoming_events(organisations=organisations, start=until),
        since=since,
        until=until,
        posts=sorted(posts.values(), key=lambda p: p.created_at, reverse=True)[:MAX_ITEMS],
        methods=sorted(methods.values(), key=lambda m: m.updated_at, reverse=True)[:MAX_ITEMS],
    )


def upcoming_events(*, organisations, start: datetime.datetime) -> list:
    """Published events visible to any of ``organisations`` (hosted, their networks' or
    public; through the events selectors) that start in [start, start + 14 days)."""
    from koblingsboks.events.models import Event
    from koblingsboks.events.selectors import event_list_visible_to

    end = start + UPCOMING_EVENTS
    events = {}
    for organisation in organisations:
        for event in event_list_visible_to(organisation=organisation, start=start, end=end):
            if event.status == Event.Status.PUBLISHED and start <= event.starts_at < end:
                events.setdefault(event.pk, event)
    return sorted(events.values(), key=lambda e: (e.starts_at, e.pk))[:MAX_ITEMS]


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if getattr(settings, "SITE_URL", "") else path


def render_digest(digest: Digest) -> tuple[str, str, str]:
    """(subject, text, html) in the user's language."""
    with translation.override(digest.user.language or settings.LANGUAGE_CODE):
        context = {
            "digest": digest,
            "site_url": getattr(settings, "SITE_URL", "").rstrip("/"),
            "unsubscribe_url": _absolute(
                reverse("library:unsubscribe", kwargs={"token": unsubscribe_token(digest.user)})
            ),
            "settings_url": _absolute(reverse("library:settings")),
        }
        subject = _("Koblingsboks: news from your network")
        text = render_to_string("library/email/digest.txt", context)
        html = render_to_string("library/email/digest.html", context)
    return subject, text, html


def send_digest(digest: Digest) -> None:
    subject, text, html = render_digest(digest)
    message = EmailMultiAlternatives(subject, text, to=[digest.user.email])
    message.attach_alternative(html, "text/html")
    unsubscribe = _absolute(
        reverse("library:unsubscribe", kwargs={"token": unsubscribe_token(digest.user)})
    )
    message.extra_headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    message.send()


def _due_users(frequency: str, now: datetime.datetime):
    users = sharing.members_of(Organisation.objects.values("pk")).order_by("pk")
    for user in users:
        prefs = settings_for(user)
        if frequency and prefs.digest != frequency:
            continue
        period = PERIODS.get(prefs.digest)
        if period is None:
            continue
        if prefs.last_digest_at is not None and prefs.last_digest_at > now - period + SLACK:
            continue
        yield user, prefs, period


@task()
def send_digests(frequency: str = "", now: str = "") -> dict:
    """Send every due digest (``frequency`` "daily" or "weekly" limits the run; ``now`` an
    ISO time for a replay). Returns counts; an empty digest is not sent."""
    moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    sent = skipped = 0
    for user, prefs, period in _due_users(frequency, moment):
        since = prefs.last_digest_at or (moment - period)
        digest = digest_for(user=user, since=since, until=moment)
        if digest.is_empty:
            skipped += 1
            continue
        send_digest(digest)
        prefs.last_digest_at = moment
        prefs.save(update_fields=["last_digest_at"])
        sent += 1
    return {"sent": sent, "empty": skipped}
