"""Events and competence measures: the event and its hosts, registrations (with waitlist),
attendance, feedback, cost lines, messages to participants and private feed tokens.

Tenancy: an event belongs to every organisation that hosts it. The scoped managers filter
on ``hosts__organisation``, so inside an organisation's scope an event and its
registrations are found only when that organisation is a host (lead or co-host). What other
organisations and the public may see is read only through the selectors named for it
(``event_list_visible_to``, ``public_event_…``).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from koblingsboks.core.tenancy import scoped_manager


class Event(models.Model):
    """A course, seminar, network meeting or webinar, hosted by one or more organisations.

    ``organisation`` is the lead host (it created the event; its audit log records the
    changes); the hosts, the lead included, are in ``EventHost`` with their cost shares.
    """

    class Kind(models.TextChoices):
        COURSE = "course", _("course")
        SEMINAR = "seminar", _("seminar")
        NETWORK_MEETING = "network_meeting", _("network meeting")
        WEBINAR = "webinar", _("webinar")
        OTHER = "other", _("other")

    class Audience(models.TextChoices):
        ORGANISATION = "organisation", _("own organisation")
        NETWORK = "network", _("network")
        PUBLIC = "public", _("public")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")
        HELD = "held", _("held")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead host"),
    )
    network = models.ForeignKey(
        "network.Network",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("network"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(
        _("description"), max_length=10000, blank=True, validators=[MaxLengthValidator(10000)]
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    # None: no limit (a webinar).
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    price = models.DecimalField(_("price (NOK)"), max_digits=10, decimal_places=2, default=0)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    feedback_requested_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager("hosts__organisation")

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["starts_at"], name="event_starts_idx"),
            models.Index(fields=["audience", "status", "starts_at"], name="event_audience_idx"),
            models.Index(fields=["network", "status", "starts_at"], name="event_network_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(registration_deadline__isnull=True)
                | models.Q(registration_deadline__lte=models.F("starts_at")),
                name="event_deadline_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="event_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["course", "seminar", "network_meeting", "webinar", "other"]
                ),
                name="event_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(audience__in=["organisation", "network", "public"]),
                name="event_audience_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published", "cancelled", "held"]),
                name="event_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(audience="network") | models.Q(network__isnull=False),
                name="event_network_audience_has_network",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return not self.price

    @property
    def effective_deadline(self):
        return self.registration_deadline or self.starts_at


class EventHost(models.Model):
    """An organisation hosting an event, and its share of the costs in per cent.

    Not scoped itself: it says only which organisations host an event, and is reached through
    the (scoped) event. The shares of an event sum to 100 (services.event_set_hosts).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="hosts")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    share = models.DecimalField(
        _("cost share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        ordering = ["-share", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="event_host_unique"),
            models.CheckConstraint(
                condition=models.Q(share__gte=0, share__lte=100), name="event_host_share_range"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "event"], name="event_host_org_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.share} %)"


class Registration(models.Model):
    """A person's registration for an event: confirmed, on the waitlist, or cancelled.

    Personal data (name, e-mail, needs), private to the hosts. The waitlist is ordered by
    ``registered_at`` then id; its head moves up when a seat frees.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the waitlist")
        CANCELLED = "cancelled", _("cancelled")

    class Source(models.TextChoices):
        PUBLIC_FORM = "public", _("public form")
        HOST = "host", _("added by a host")
        API = "api", _("API")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    company_name = models.CharField(_("company"), max_length=300, blank=True)
    org_number = models.CharField(_("organisation number"), max_length=9, blank=True)
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    needs = models.TextField(
        _("dietary or other needs"),
        max_length=1000,
        blank=True,
        validators=[MaxLengthValidator(1000)],
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PUBLIC_FORM)
    language = models.CharField(max_length=5, default="nb")
    registered_at = models.DateTimeField(_("registered"))
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = scoped_manager("event__hosts__organisation")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "id"]
        indexes = [
            models.Index(fields=["event", "status", "registered_at"], name="registration_queue_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=~models.Q(status="cancelled"),
                name="registration_one_active_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["confirmed", "waitlisted", "cancelled"]),
                name="registration_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(org_number="") | models.Q(org_number__regex=r"^[0-9]{9}$"),
                name="registration_orgnr_9_digits",
            ),
        ]

    def __str__(self) -> str:
        # No name or address: this text is kept in the audit log, which outlives erasure.
        return f"{self.event} #{self.pk}"


class RegistrationToken(models.Model):
    """A secret link sent to a registrant (to cancel, or to give feedback). Only the SHA-256
    of the secret is stored; the link itself exists only in the e-mail."""

    class Purpose(models.TextChoices):
        CANCEL = "cancel", _("cancel")
        FEEDBACK = "feedback", _("feedback")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager("registration__event__hosts__organisation")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose__in=["cancel", "feedback"]),
                name="registration_token_purpose_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.token_hash[:8]}"


class Feedback(models.Model):
    """A participant's answer to the feedback form: a score from 1 to 5 and a comment."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(
        _("comment"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("registration__event__hosts__organisation")

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="feedback_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.score}/5"


class CostLine(models.Model):
    """One cost of an event (room, catering, speaker), split across the hosts by share."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="cost_lines")
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount (NOK)"), max_digits=12, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("event__hosts__organisation")

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="cost_line_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class EventMessage(models.Model):
    """A message the hosts sent to the event's participants (kept as a record)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=5000, validators=[MaxLengthValidator(5000)])
    include_waitlist = models.BooleanField(_("also to the waitlist"), default=False)
    recipient_count = models.PositiveIntegerField(default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("event__hosts__organisation")

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.subject


class FeedToken(models.Model):
    """A private iCalendar feed URL of a network's internal calendar, created by a member of
    one of its parties. Only the SHA-256 of the secret in the URL is stored."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("feed link")
        verbose_name_plural = _("feed links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
