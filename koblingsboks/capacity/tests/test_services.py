"""The business rules of capacity, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation

from koblingsboks.capacity.models import Booking, Settlement, TimeEntry
from koblingsboks.capacity.services import (
    booking_accept,
    booking_cancel,
    booking_complete,
    booking_decline,
    booking_extend,
    booking_propose,
    offer_booked_hours,
    settlement_approve,
    settlement_lines,
    settlement_open,
    settlement_period,
    settlement_totals,
    time_entry_delete,
    time_entry_log,
)
from koblingsboks.capacity.tests.factories import make_booking, make_offer, make_request
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The tests read the services' messages in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """E-mail goes out after the commit: ``with commit(execute=True):`` runs it."""
    return django_capture_on_commit_callbacks


def _last_month():
    first = timezone.localdate().replace(day=1)
    previous = first - datetime.timedelta(days=1)
    return previous.year, previous.month, previous.replace(day=10)


def _log(booking, tenant, *, hours, date=None, person=None):
    with organisation_scope(tenant.organisation):
        return time_entry_log(
            booking=booking,
            organisation=tenant.organisation,
            date=date or timezone.localdate(),
            hours=Decimal(hours),
            description="Gjennomgang av tolldokumenter",
            actor=person or tenant.advisor,
        )


def test_offer_rejects_bad_input(tenant_a):
    with pytest.raises(ServiceError, match="more than 0"):
        make_offer(tenant_a, hours="0")
    with pytest.raises(ServiceError, match="ends before it starts"):
        make_offer(
            tenant_a, period_start=datetime.date(2026, 5, 1), period_end=datetime.date(2026, 4, 1)
        )
    with pytest.raises(ServiceError, match="negative"):
        make_offer(tenant_a, rate="-1")


def test_booking_lifecycle_is_audited_in_both_organisations(
    tenant_a, tenant_b, shared_network, commit
):
    mail.outbox.clear()
    with commit(execute=True):
        booking = make_booking(tenant_a, tenant_b, hours="4")
    assert booking.state == Booking.State.PROPOSED
    assert {m.to[0] for m in mail.outbox} >= {tenant_b.manager.email, tenant_b.admin.email}
    assert any(tenant_b.advisor.email in m.to for m in mail.outbox)  # the offered person
    mail.outbox.clear()
    with organisation_scope(tenant_b.organisation), commit(execute=True):
        booking = booking_accept(
            booking=booking, organisation=tenant_b.organisation, actor=tenant_b.manager
        )
    assert booking.state == Booking.State.ACCEPTED
    assert booking.decided_by == tenant_b.manager and booking.decided_at is not None
    assert tenant_a.advisor.email in {m.to[0] for m in mail.outbox}
    for tenant in (tenant_a, tenant_b):
        with organisation_scope(tenant.organisation):
            actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"capacity.booking.proposed", "capacity.booking.accepted"} <= actions
    with organisation_scope(tenant_a.organisation):
        booking = booking_complete(
            booking=booking, organisation=tenant_a.organisation, actor=tenant_a.manager
        )
    assert booking.state == Booking.State.COMPLETED


def test_only_the_provider_manager_accepts(tenant_a, tenant_b, shared_network):
    booking = make_booking(tenant_a, tenant_b)
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError) as error:
        booking_accept(booking=booking, organisation=tenant_a.organisation, actor=tenant_a.admin)
    assert error.value.code == "forbidden"
    with organisation_scope(tenant_b.organisation), pytest.raises(ServiceError) as error:
        booking_accept(booking=booking, organisation=tenant_b.organisation, actor=tenant_b.advisor)
    assert error.value.code == "forbidden"
    booking.refresh_from_db()
    assert booking.state == Booking.State.PROPOSED


def test_accepting_more_than_offered_is_refused(tenant_a, tenant_b, shared_network):
    offer = make_offer(tenant_b, hours="10")
    first = make_booking(tenant_a, tenant_b, hours="6", offer=offer)
    second = make_booking(tenant_a, tenant_b, hours="6", offer=offer)
    with organisation_scope(tenant_b.organisation):
        booking_accept(booking=first, organisation=tenant_b.organisation, actor=tenant_b.manager)
        with pytest.raises(ServiceError, match="more hours than offered") as error:
            booking_accept(
                booking=second, organisation=tenant_b.organisation, actor=tenant_b.manager
            )
        second.refresh_from_db()
        assert error.value.code == "overbooked"
        assert second.state == Booking.State.PROPOSED
        assert offer_booked_hours(offer) == Decimal("6")


def test_proposing_more_than_free_is_refused(tenant_a, tenant_b, shared_network):
    offer = make_offer(tenant_b, hours="5")
    with pytest.raises(ServiceError, match="still free"):
        make_booking(tenant_a, tenant_b, hours="6", offer=offer)


def test_decline_and_double_decision(tenant_a, tenant_b, shared_network, commit):
    booking = make_booking(tenant_a, tenant_b)
    mail.outbox.clear()
    with organisation_scope(tenant_b.organisation):
        with commit(execute=True):
            booking_decline(
                booking=booking,
                organisation=tenant_b.organisation,
                actor=tenant_b.manager,
                note="Fullt denne måneden",
            )
        with pytest.raises(ServiceError, match="declined"):
            booking_accept(
                booking=booking, organisation=tenant_b.organisation, actor=tenant_b.manager
            )
    booking.refresh_from_db()
    assert booking.state == Booking.State.DECLINED
    assert "Fullt denne måneden" in mail.outbox[0].body


def test_booking_outside_the_network_is_refused(tenant_a, tenant_b):
    offer = make_offer(tenant_b)
    request = make_request(tenant_a)
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError, match="networks"):
        booking_propose(request=request, offer=offer, hours=Decimal("2"), actor=tenant_a.advisor)


def test_time_entries_stay_within_the_booking_unless_extended(tenant_a, tenant_b, shared_network):
    booking = make_booking(tenant_a, tenant_b, hours="4", accept=True)
    _log(booking, tenant_b, hours="3")
    with pytest.raises(ServiceError, match="extend"):
        _log(booking, tenant_b, hours="2")
    with organisation_scope(tenant_b.organisation):
        booking_extend(
            booking=booking,
            organisation=tenant_b.organisation,
            hours=Decimal("2"),
            reason="Mer dokumentasjon enn ventet",
            actor=tenant_b.manager,
        )
        assert AuditEntry.objects.filter(action="capacity.booking.extended").exists()
    _log(booking, tenant_b, hours="2")
    with organisation_scope(tenant_b.organisation):
        assert TimeEntry.objects.filter(booking=booking).count() == 2


def test_time_entry_on_someone_elses_booking_is_refused(tenant_a, tenant_b, shared_network):
    booking = make_booking(tenant_a, tenant_b, hours="4", accept=True)  # B's advisor's booking
    with pytest.raises(ServiceError) as error:
        _log(booking, tenant_b, hours="1", person=tenant_b.manager)
    assert error.value.code == "forbidden"
    with pytest.raises(ServiceError):
        _log(booking, tenant_a, hours="1", person=tenant_a.advisor)  # the requester's side
    with organisation_scope(tenant_b.organisation):
        assert not TimeEntry.objects.exists()


def test_hours_at_or_below_zero_are_refused(tenant_a, tenant_b, shared_network):
    booking = make_booking(tenant_a, tenant_b, hours="4", accept=True)
    for hours in ("0", "-1"):
        with pytest.raises(ServiceError, match="more than 0"):
            _log(booking, tenant_b, hours=hours)


def test_cancel_accepted_booking_without_hours(tenant_a, tenant_b, shared_network):
    booking = make_booking(tenant_a, tenant_b, hours="4", accept=True)
    with organisation_scope(tenant_a.organisation):
        booking = booking_cancel(
            booking=booking, organisation=tenant_a.organisation, actor=tenant_a.manager
        )
    assert booking.state == Booking.State.CANCELLED


def test_settlement_period():
    assert settlement_period("month", 2026, 2) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
    )
    assert settlement_period("quarter", 2026, 4) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    with pytest.raises(ServiceError):
        settlement_period("quarter", 2026, 5)


def test_settlement_nets_both_directions_and_freezes(tenant_a, tenant_b, shared_network, commit):
    year, month, day = _last_month()
    a_for_b = make_booking(
        tenant_b, tenant_a, hours="10", accept=True, offer=make_offer(tenant_a, rate="850.50")
    )
    b_for_a = make_booking(
        tenant_a, tenant_b, hours="10", accept=True, offer=make_offer(tenant_b, rate="1000")
    )
    _log(a_for_b, tenant_a, hours="2.5", date=day)
    _log(b_for_a, tenant_b, hours="1.25", date=day)
    mail.outbox.clear()
    with organisation_scope(tenant_a.organisation), commit(execute=True):
        settlement = settlement_open(
            organisation=tenant_a.organisation,
            counterpart=tenant_b.organisation,
            kind="month",
            year=year,
            number=month,
            actor=tenant_a.manager,
        )
    assert {tenant_a.manager.email, tenant_b.manager.email} <= {m.to[0] for m in mail.outbox}
    a_is_first = settlement.organisation_a_id == tenant_a.organisation.pk
    with organisation_scope(tenant_b.organisation):
        totals = settlement_totals(settlement)
        assert len(settlement_lines(settlement)) == 2
    a_amount = Decimal("2126.25")  # 2.5 h × 850.50
    b_amount = Decimal("1250.00")  # 1.25 h × 1000
    expected = (a_amount, b_amount) if a_is_first else (b_amount, a_amount)
    assert (totals["amount_a_for_b"], totals["amount_b_for_a"]) == expected

    with organisation_scope(tenant_b.organisation):
        settlement = settlement_approve(
            settlement=settlement, organisation=tenant_b.organisation, actor=tenant_b.manager
        )
        assert settlement.state == Settlement.State.FROZEN
        with pytest.raises(ServiceError, match="already approved"):
            settlement_approve(
                settlement=settlement, organisation=tenant_b.organisation, actor=tenant_b.manager
            )
    # Logged after the freeze, dated in the period: goes to the next settlement.
    late = _log(a_for_b, tenant_a, hours="1", date=day)
    with organisation_scope(tenant_a.organisation):
        settlement = settlement_approve(
            settlement=settlement, organisation=tenant_a.organisation, actor=tenant_a.manager
        )
        late.refresh_from_db()
    assert settlement.state == Settlement.State.APPROVED
    assert late.settlement_id is None
    settlement.refresh_from_db()
    assert settlement.net_amount == (a_amount - b_amount if a_is_first else b_amount - a_amount)
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError, match="settlement"):
        time_entry_delete(
            entry=TimeEntry.objects.filter(settlement=settlement, booking=a_for_b).get(),
            organisation=tenant_a.organisation,
            actor=tenant_a.advisor,
        )


def test_settlement_of_a_running_period_cannot_be_approved(tenant_a, tenant_b, shared_network):
    today = timezone.localdate()
    with organisation_scope(tenant_a.organisation):
        settlement = settlement_open(
            organisation=tenant_a.organisation,
            counterpart=tenant_b.organisation,
            kind="month",
            year=today.year,
            number=today.month,
            actor=tenant_a.manager,
        )
        with pytest.raises(ServiceError, match="not over"):
            settlement_approve(
                settlement=settlement, organisation=tenant_a.organisation, actor=tenant_a.manager
            )
        with pytest.raises(ServiceError, match="already covers"):
            settlement_open(
                organisation=tenant_a.organisation,
                counterpart=tenant_b.organisation,
                kind="month",
                year=today.year,
                number=today.month,
                actor=tenant_a.manager,
            )


def test_booking_a_named_person_needs_a_rate_and_a_partner(tenant_a, tenant_b, shared_network):
    request = make_request(tenant_a)
    with organisation_scope(tenant_a.organisation):
        with pytest.raises(ServiceError, match="hourly rate"):
            booking_propose(
                request=request,
                person=tenant_b.advisor,
                provider=tenant_b.organisation,
                hours=Decimal("3"),
                actor=tenant_a.advisor,
            )
        with pytest.raises(ServiceError, match="not a member"):
            booking_propose(
                request=request,
                person=tenant_a.advisor,
                provider=tenant_b.organisation,
                hours=Decimal("3"),
                hourly_rate=Decimal("700"),
                actor=tenant_a.advisor,
            )
        booking = booking_propose(
            request=request,
            person=tenant_b.advisor,
            provider=tenant_b.organisation,
            hours=Decimal("3"),
            hourly_rate=Decimal("700"),
            actor=tenant_a.advisor,
        )
    assert booking.offer is None and booking.hourly_rate == Decimal("700")
    with organisation_scope(tenant_b.organisation):
        booking = booking_accept(
            booking=booking, organisation=tenant_b.organisation, actor=tenant_b.manager
        )
    assert booking.state == Booking.State.ACCEPTED
    _log(booking, tenant_b, hours="3")
    with pytest.raises(ServiceError, match="extend"):
        _log(booking, tenant_b, hours="0.5")
