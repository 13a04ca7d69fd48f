"""The demo: competences, profiles, offers, bookings with hours, one open settlement."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from koblingsboks.capacity import demo as capacity_demo
from koblingsboks.capacity.models import Booking, Settlement, TimeEntry
from koblingsboks.capacity.services import settlement_totals
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Organisation
from koblingsboks.people import demo as people_demo
from koblingsboks.people.models import Competence, Profile

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_holds_an_open_settlement():
    call_command("load_demo", stdout=StringIO())
    assert people_demo.load_app_demo() == 0
    assert capacity_demo.load_app_demo() == 0
    assert Competence.objects.count() == 11
    hitra = Organisation.objects.get(slug=capacity_demo.HITRA)
    with organisation_scope(hitra):
        assert Profile.objects.filter(organisation=hitra).count() == 2
        states = set(Booking.objects.values_list("state", flat=True))
        settlement = Settlement.objects.get()
        assert settlement.state == Settlement.State.OPEN
        assert TimeEntry.objects.filter(settlement__isnull=True).exists()
        totals = settlement_totals(settlement)
    assert states == {Booking.State.ACCEPTED}
    # Hitra worked 7.5 hours for Røros at kr 950.
    worked = totals["amount_a_for_b"] + totals["amount_b_for_a"]
    assert worked == Decimal("7125.00")
