"""No overbooking when two managers accept bookings of the same offer at the same moment.

Two threads (two database connections) accept two bookings of 6 hours each on an offer of
10 hours, released together by a barrier. ``offer_booked_hours`` is slowed down after it has
counted, so that without the row lock both would count 0 booked hours and both accept; with
``SELECT … FOR UPDATE`` on the offer the second waits for the first to commit, counts 6, and
is refused. Twenty rounds in a row, each on a fresh offer.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from koblingsboks.capacity import services
from koblingsboks.capacity.models import Booking
from koblingsboks.capacity.tests.factories import make_booking, make_offer, make_request
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope

ROUNDS = 20


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_never_exceed_the_offered_hours(
    tenant_a, tenant_b, shared_network, monkeypatch
):
    counted = services.offer_booked_hours

    def slow_count(offer):
        hours = counted(offer)
        time.sleep(0.2)  # the window in which an unlocked second accept would count too
        return hours

    monkeypatch.setattr(services, "offer_booked_hours", slow_count)
    request = make_request(tenant_a, hours="12")
    managers = [tenant_b.manager, tenant_b.admin]
    for _round in range(ROUNDS):
        offer = make_offer(tenant_b, hours="10")
        bookings = [
            make_booking(tenant_a, tenant_b, hours="6", offer=offer, request=request)
            for _manager in managers
        ]
        barrier = threading.Barrier(len(bookings))
        outcomes: list[str] = []

        def accept(booking, manager):
            try:
                with organisation_scope(tenant_b.organisation):
                    barrier.wait()
                    services.booking_accept(
                        booking=booking, organisation=tenant_b.organisation, actor=manager
                    )
                outcomes.append("accepted")
            except ServiceError as exc:
                outcomes.append(exc.code)
            finally:
                connection.close()

        threads = [threading.Thread(target=accept, args=pair) for pair in zip(bookings, managers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(outcomes) == ["accepted", "overbooked"]
        with organisation_scope(tenant_b.organisation):
            accepted = Booking.objects.filter(offer=offer, state=Booking.State.ACCEPTED)
            assert accepted.count() == 1
            assert counted(offer) == Decimal("6")
