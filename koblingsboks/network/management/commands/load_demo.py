"""manage.py load_demo — the four Sør-Trøndelag gardens, their network and demo users."""

from django.core.management.base import BaseCommand

from koblingsboks.network.demo import DEMO_PASSWORD, demo_users, load_demo


class Command(BaseCommand):
    help = "Load the demo network of four business gardens. Running it again changes nothing."

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(f"Demo data loaded: {result.created} rows created.")
        if options["verbosity"] > 1:
            for email, organisation, role in demo_users():
                self.stdout.write(f"  {email:45} {role:15} {organisation}")
            self.stdout.write(f"  password for every demo user: {DEMO_PASSWORD}")
