import io

import pytest
from django.core.management import call_command

from koblingsboks.network.models import Network
from koblingsboks.reporting.demo import load_app_demo
from koblingsboks.reporting.kpi import kpi_report, scope_for_network

pytestmark = pytest.mark.django_db


def test_the_demo_gives_every_garden_and_the_network_results_and_is_idempotent(client):
    call_command("load_demo", stdout=io.StringIO())
    assert load_app_demo() == 0  # load_demo already ran it
    network = Network.objects.get(slug="naeringshagene-i-sor-trondelag")
    report = kpi_report(scope=scope_for_network(network), year=2025)
    assert report["affiliated"] >= 20
    assert report["satisfaction"]["answers"] >= 10
    assert report["growth"]["base"] > 0 and report["doubled"]["base"] > 0
    from koblingsboks.network.models import User

    client.force_login(User.objects.get(email="leder@orkdalsregionen.example"))
    assert client.get("/results/").status_code == 200
    assert client.get(f"/results/networks/{network.slug}/").status_code == 200
