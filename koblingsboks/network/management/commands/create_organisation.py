"""manage.py create_organisation — register an organisation and invite its first administrator."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.invitations import invitation_create
from koblingsboks.network.models import Organisation, Role
from koblingsboks.network.validators import normalise_org_number


class Command(BaseCommand):
    help = "Create an organisation and e-mail an invitation to its first administrator."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--org-number", required=True, help="9 digits with a valid check digit")
        parser.add_argument("--kind", default="business_garden", choices=Organisation.Kind.values)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--base-url", default="http://127.0.0.1:8000/")

    def handle(self, *args, **options):
        organisation = Organisation(
            name=options["name"],
            slug=slugify(options["name"])[:80],
            org_number=normalise_org_number(options["org_number"]),
            kind=options["kind"],
        )
        try:
            organisation.full_clean()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        try:
            with transaction.atomic():
                organisation.save()
                with organisation_scope(organisation):
                    invitation_create(
                        organisation=organisation,
                        email=options["admin_email"],
                        role=Role.ADMIN,
                        actor=None,
                        base_url=options["base_url"],
                    )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Created {organisation.name} ({organisation.org_number}); "
            f"invitation sent to {options['admin_email']}."
        )
