"""manage.py load_demo — the four Sør-Trøndelag gardens, their network, demo users, and the
gardens' portfolios of fictional companies."""

from django.core.management.base import BaseCommand

from koblingsboks.companies.demo import load_demo_portfolios
from koblingsboks.network.demo import DEMO_PASSWORD, demo_users, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo network of four business gardens and their company portfolios. "
        "Running it again changes nothing."
    )

    def handle(self, *args, **options):
        result = load_demo()
        portfolios = load_demo_portfolios()
        self.stdout.write(f"Demo data loaded: {result.created + portfolios.created} rows created.")
        if options["verbosity"] > 1:
            for email, organisation, role in demo_users():
                self.stdout.write(f"  {email:45} {role:15} {organisation}")
            self.stdout.write(f"  password for every demo user: {DEMO_PASSWORD}")
