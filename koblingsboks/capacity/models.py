"""Hours lent across gardens: offers, requests, bookings, time entries and settlements.

Offers and requests belong to one organisation (scoped); offers are shown network-wide and
requests to the partners they are booked with, only through the selectors named for that.
Bookings, time entries and settlements belong to two organisations (the requester and the
provider) and are scoped to either of them (capacity/tenancy.py).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koblingsboks.capacity.tenancy import BookingManager, SettlementManager, TimeEntryManager
from koblingsboks.core.tenancy import scoped_manager

HOURS = {"max_digits": 7, "decimal_places": 2}
MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0")


class CapacityOffer(models.Model):
    """Hours a person (or the organisation as a whole) offers in a period, at a rate."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="capacity_offers"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="capacity_offers",
        verbose_name=_("person"),
        help_text=_("Empty: the organisation offers the hours, not one named person."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)]
    )
    competences = models.ManyToManyField(
        "people.Competence", blank=True, related_name="offers", verbose_name=_("competences")
    )
    hours = models.DecimalField(_("hours offered"), **HOURS)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    hourly_rate = models.DecimalField(_("hourly rate (NOK)"), **MONEY)
    is_withdrawn = models.BooleanField(_("withdrawn"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("capacity offer")
        verbose_name_plural = _("capacity offers")
        ordering = ["period_start", "title"]
        indexes = [
            models.Index(fields=["organisation", "period_end"], name="offer_org_period_idx"),
            models.Index(fields=["period_end", "is_withdrawn"], name="offer_open_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="offer_hours_positive"),
            models.CheckConstraint(
                condition=models.Q(hourly_rate__gte=0), name="offer_rate_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="offer_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CapacityRequest(models.Model):
    """An organisation asks the network for help. The company it is for stays private to the
    requester unless ``share_company`` is set."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("request status", "open")
        CLOSED = "closed", pgettext_lazy("request status", "closed")

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="capacity_requests"
    )
    title = models.CharField(_("title"), max_length=200)
    need = models.TextField(_("need"), max_length=4000, validators=[MaxLengthValidator(4000)])
    competences = models.ManyToManyField(
        "people.Competence", blank=True, related_name="requests", verbose_name=_("competences")
    )
    hours = models.DecimalField(_("hours needed"), **HOURS)
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("to"))
    company = models.ForeignKey(
        "companies.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("company"),
    )
    share_company = models.BooleanField(
        _("share the company with the helping garden"), default=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("capacity request")
        verbose_name_plural = _("capacity requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "status"], name="request_org_status_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="request_hours_positive"),
            models.CheckConstraint(
                condition=models.Q(window_end__gte=models.F("window_start")),
                name="request_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "closed"]), name="request_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Booking(models.Model):
    """A request matched to an offer (or to a named person of another organisation).

    proposed → accepted → completed, or declined / cancelled. Only the provider's manager
    accepts or declines. ``requester`` and ``provider`` are copied from the request and the
    offer so that the two-party scope and the settlement can filter on them directly.
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("booking state", "proposed")
        ACCEPTED = "accepted", pgettext_lazy("booking state", "accepted")
        COMPLETED = "completed", pgettext_lazy("booking state", "completed")
        DECLINED = "declined", pgettext_lazy("booking state", "declined")
        CANCELLED = "cancelled", pgettext_lazy("booking state", "cancelled")

    request = models.ForeignKey(
        CapacityRequest,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("request"),
    )
    offer = models.ForeignKey(
        CapacityOffer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("offer"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="capacity_bookings",
        verbose_name=_("person"),
    )
    requester = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="bookings_requested"
    )
    provider = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="bookings_provided"
    )
    hours = models.DecimalField(_("hours"), **HOURS)
    # Hours added after acceptance by an explicit, audited extension.
    extra_hours = models.DecimalField(_("extension"), default=ZERO, **HOURS)
    hourly_rate = models.DecimalField(_("hourly rate (NOK)"), **MONEY)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = BookingManager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["provider", "state"], name="booking_provider_state_idx"),
            models.Index(fields=["requester", "state"], name="booking_requester_state_idx"),
            models.Index(fields=["offer", "state"], name="booking_offer_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="booking_hours_positive"),
            models.CheckConstraint(
                condition=models.Q(extra_hours__gte=0), name="booking_extra_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(hourly_rate__gte=0), name="booking_rate_not_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("provider")),
                name="booking_between_two_organisations",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    state__in=["proposed", "accepted", "completed", "declined", "cancelled"]
                ),
                name="booking_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(offer__isnull=False) | models.Q(person__isnull=False),
                name="booking_offer_or_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} ← {self.provider}"

    @property
    def allowed_hours(self) -> Decimal:
        return self.hours + self.extra_hours


class TimeEntry(models.Model):
    """Hours logged against an accepted booking by the person who did the work.

    ``settlement`` is set when a settlement freezes: the entry is then settled and can no
    longer change; entries without it go to the next settlement of the pair.
    """

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="time_entries")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="capacity_time_entries"
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), **HOURS)
    description = models.CharField(_("what was done"), max_length=500, blank=True)
    settlement = models.ForeignKey(
        "Settlement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="time_entries",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TimeEntryManager()

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["booking", "date"], name="time_entry_booking_date_idx"),
            models.Index(fields=["settlement", "date"], name="time_entry_settlement_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="time_entry_positive"),
            models.CheckConstraint(
                condition=models.Q(hours__lte=24), name="time_entry_at_most_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.hours} h"


class Settlement(models.Model):
    """Who owes whom for a period, between two organisations (``organisation_a`` has the
    lower id). Open while either manager has not approved; the first approval freezes the
    numbers and the time entries behind them, the second confirms them."""

    class Kind(models.TextChoices):
        MONTH = "month", _("month")
        QUARTER = "quarter", _("quarter")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("settlement state", "open")
        FROZEN = "frozen", pgettext_lazy("settlement state", "awaiting the other approval")
        APPROVED = "approved", pgettext_lazy("settlement state", "approved")

    organisation_a = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    organisation_b = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("period"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    # Frozen at the first approval: hours and NOK each side worked for the other.
    hours_a_for_b = models.DecimalField(default=ZERO, **HOURS)
    amount_a_for_b = models.DecimalField(default=ZERO, **MONEY)
    hours_b_for_a = models.DecimalField(default=ZERO, **HOURS)
    amount_b_for_a = models.DecimalField(default=ZERO, **MONEY)
    approved_by_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at_a = models.DateTimeField(null=True, blank=True)
    approved_by_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at_b = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SettlementManager()

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-period_end", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_a", "organisation_b", "period_start"],
                name="settlement_unique_period",
            ),
            models.CheckConstraint(
                condition=models.Q(organisation_a__lt=models.F("organisation_b")),
                name="settlement_pair_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="settlement_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "frozen", "approved"]),
                name="settlement_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["month", "quarter"]), name="settlement_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_a} ↔ {self.organisation_b} {self.period_start:%Y-%m}"

    @property
    def net_amount(self) -> Decimal:
        """What B owes A (negative: A owes B)."""
        return self.amount_a_for_b - self.amount_b_for_a

    @property
    def net_hours(self) -> Decimal:
        return self.hours_a_for_b - self.hours_b_for_a
