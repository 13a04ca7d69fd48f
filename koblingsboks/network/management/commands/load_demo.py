"""manage.py load_demo — the four Sør-Trøndelag gardens, their network, demo users, and the
gardens' portfolios of fictional companies."""

import importlib

from django.conf import settings
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
        created = result.created + portfolios.created + sum(load() for load in app_demo_loaders())
        self.stdout.write(f"Demo data loaded: {created} rows created.")
        if options["verbosity"] > 1:
            for email, organisation, role in demo_users():
                self.stdout.write(f"  {email:45} {role:15} {organisation}")
            self.stdout.write(f"  password for every demo user: {DEMO_PASSWORD}")


def app_demo_loaders():
    """``load_app_demo()`` of every later app's ``demo`` module, in INSTALLED_APPS order.

    Each returns the number of rows it created and, like the rest, creates nothing when run
    again.
    """
    loaders = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("koblingsboks.") or app.endswith((".network", ".companies")):
            continue
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.demo":
                raise
            continue
        loaders.append(module.load_app_demo)
    return loaders
