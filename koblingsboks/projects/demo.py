"""Demo projects between the four demo gardens (network/demo.py).

1. «Sjømat og kystopplevelser» – led by Trøndersk Kystkompetanse with Næringshagen i
   Orkdalsregionen and Hitra kommune (external): signed by all, active, with actual costs
   (one line over budget).
2. «Fjellregionen som reisemål» – led by Nasjonalparken Næringshage with Rørosregionen
   Næringshage and NTNU (external): circulated, signed by the lead only, waiting.

Everything goes through the services, in the lead's organisation scope (nothing disables
the scope). Idempotent: a project whose title exists is skipped. The external partner of the
active project signs through a link made here (its secret is thrown away); the e-mails of
circulation go to the configured e-mail backend.
"""

import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.demo import EMAIL_LOCAL_PART, GARDENS, NETWORK
from koblingsboks.network.models import Network, Organisation, Role, User
from koblingsboks.projects import services
from koblingsboks.projects.models import Project, SigningLink

BASE_URL = "http://localhost:8000/"


def _garden(index: int) -> tuple[Organisation, User]:
    garden = GARDENS[index]
    organisation = Organisation.objects.get(slug=garden.slug)
    manager = User.objects.get(email=f"{EMAIL_LOCAL_PART[Role.MANAGER]}@{garden.mail_domain}")
    return organisation, manager


def _exists(organisation: Organisation, title: str) -> bool:
    with organisation_scope(organisation):
        return Project.objects.filter(title=title, lead_organisation=organisation).exists()


def _build(*, lead, manager, partner, partner_manager, external, spec, network) -> tuple:
    """Create one project from ``spec`` and return it with its parties."""
    project = services.project_create(
        organisation=lead,
        actor=manager,
        title=spec["title"],
        purpose=spec["purpose"],
        start_date=spec["start"],
        end_date=spec["end"],
        network=network,
    )
    own = project.parties.get()
    other = services.party_add(
        project=project,
        actor=manager,
        organisation=partner,
        contact_name=partner_manager.get_full_name(),
        contact_email=partner_manager.email,
    )
    ext = services.party_add(project=project, actor=manager, **external)
    parties = {"lead": own, "partner": other, "external": ext}
    for key, title, description, deliverables in spec["responsibilities"]:
        item = services.responsibility_add(
            project=project, party=parties[key], actor=manager, title=title, description=description
        )
        for deliverable, due in deliverables:
            services.deliverable_add(
                responsibility=item, actor=manager, title=deliverable, due_date=due
            )
    total = Decimal("0")
    for key, year, category, cash, in_kind, description in spec["budget"]:
        services.budget_line_set(
            project=project,
            party=parties[key],
            actor=manager,
            year=year,
            category=category,
            cash=Decimal(cash),
            in_kind=Decimal(in_kind),
            description=description,
        )
        total += Decimal(cash) + Decimal(in_kind)
    remaining = total
    for kind, name, share in spec["funding"]:
        amount = remaining if share is None else (total * Decimal(share)).quantize(Decimal("1"))
        services.funding_add(project=project, actor=manager, kind=kind, name=name, amount=amount)
        remaining -= amount
    return project, parties


ACTIVE = {
    "title": "Sjømat og kystopplevelser",
    "purpose": (
        "Utvikle felles tilbud innen sjømat og kystopplevelser for bedriftene på Hitra, Frøya "
        "og i Orkdalsregionen, med felles markedsføring og et bedriftsnettverk."
    ),
    "start": date(2026, 1, 1),
    "end": date(2027, 6, 30),
    "responsibilities": [
        (
            "lead",
            "Prosjektledelse",
            "Leder prosjektet og rapporterer til partene.",
            [
                ("Oppstartsseminar", date(2026, 2, 15)),
                ("Sluttrapport", date(2027, 6, 30)),
            ],
        ),
        (
            "partner",
            "Bedriftsnettverk",
            "Rekrutterer og følger opp bedrifter i innlandet.",
            [
                ("Nettverk med minst 12 bedrifter", date(2026, 9, 1)),
            ],
        ),
        (
            "external",
            "Vertskap og tilrettelegging",
            "Stiller lokaler og kaier til disposisjon.",
            [
                ("Kystfestival", date(2026, 8, 20)),
            ],
        ),
    ],
    "budget": [
        ("lead", 2026, "personnel", "350000", "50000", "Prosjektleder 40 %"),
        ("lead", 2026, "travel", "30000", "0", "Reiser i regionen"),
        ("lead", 2027, "personnel", "175000", "25000", "Prosjektleder 40 %"),
        ("partner", 2026, "personnel", "120000", "60000", "Rådgivere"),
        ("partner", 2026, "events", "60000", "0", "Nettverkssamlinger"),
        ("external", 2026, "events", "0", "80000", "Lokaler og kai"),
        ("external", 2026, "purchased_services", "40000", "0", "Markedsføring"),
    ],
    "funding": [
        ("programme", "Siva – næringshageprogrammet", "0.5"),
        ("county", "Trøndelag fylkeskommune", "0.25"),
        ("own", "Partenes egeninnsats og egne midler", None),
    ],
}
ACTIVE_COSTS = [
    # (party, year, category, date, amount, kind, note)
    (
        "lead",
        2026,
        "personnel",
        date(2026, 3, 31),
        "87500",
        "cash",
        "Lønn prosjektleder 1. kvartal",
    ),
    (
        "lead",
        2026,
        "personnel",
        date(2026, 6, 30),
        "87500",
        "cash",
        "Lønn prosjektleder 2. kvartal",
    ),
    ("lead", 2026, "travel", date(2026, 5, 12), "18400", "cash", "Reiser Frøya og Orkanger"),
    ("lead", 2026, "travel", date(2026, 9, 3), "14950", "cash", "Reiser kystfestival"),
    ("partner", 2026, "events", date(2026, 4, 22), "32000", "cash", "Nettverkssamling Orkanger"),
    ("partner", 2026, "personnel", date(2026, 6, 30), "30000", "in_kind", "Rådgivertimer"),
    ("external", 2026, "events", date(2026, 8, 20), "80000", "in_kind", "Kystfestival, lokaler"),
]
WAITING = {
    "title": "Fjellregionen som reisemål",
    "purpose": (
        "Et felles kompetanseprogram for reiselivsbedrifter i Oppdal, Rennebu og Røros, med "
        "forskningsbasert kunnskap om helårsturisme."
    ),
    "start": date(2027, 1, 1),
    "end": date(2028, 12, 31),
    "responsibilities": [
        (
            "lead",
            "Prosjektledelse og program",
            "Leder prosjektet og kompetanseprogrammet.",
            [
                ("Programplan", date(2027, 3, 1)),
            ],
        ),
        (
            "partner",
            "Rekruttering av bedrifter",
            "Rekrutterer bedrifter i Rørosregionen.",
            [
                ("20 deltakende bedrifter", date(2027, 5, 1)),
            ],
        ),
        (
            "external",
            "Faglig innhold",
            "Forelesninger og følgeforskning.",
            [
                ("Følgeforskningsrapport", date(2028, 12, 1)),
            ],
        ),
    ],
    "budget": [
        ("lead", 2027, "personnel", "250000", "40000", "Prosjektleder"),
        ("lead", 2028, "personnel", "250000", "40000", "Prosjektleder"),
        ("partner", 2027, "events", "90000", "30000", "Samlinger på Røros"),
        ("external", 2027, "purchased_services", "0", "150000", "Forskere"),
        ("external", 2028, "purchased_services", "0", "150000", "Forskere"),
    ],
    "funding": [
        ("programme", "Innovasjon Norge – reiselivsprogram", "0.4"),
        ("county", "Trøndelag fylkeskommune", "0.2"),
        ("own", "Egeninnsats", None),
    ],
}


def load_app_demo() -> int:
    network = Network.objects.filter(slug=NETWORK["slug"]).first()
    rows = 0
    coast, coast_manager = _garden(0)
    orkdal, orkdal_manager = _garden(1)
    mountain, mountain_manager = _garden(2)
    roros, roros_manager = _garden(3)
    if not _exists(coast, ACTIVE["title"]):
        with transaction.atomic():
            project = _active_project(coast, coast_manager, orkdal, orkdal_manager, network)
            with organisation_scope(coast):
                rows += _row_count(project)
    if not _exists(mountain, WAITING["title"]):
        with transaction.atomic(), organisation_scope(mountain):
            project, parties = _build(
                lead=mountain,
                manager=mountain_manager,
                partner=roros,
                partner_manager=roros_manager,
                external={
                    "external_name": "NTNU",
                    "contact_name": "Professor Ragnhild Fjell",
                    "contact_email": "ragnhild.fjell@ntnu.example",
                    "signer_name": "Instituttleder Trond Vidde",
                    "signer_email": "trond.vidde@ntnu.example",
                },
                spec=WAITING,
                network=network,
            )
            version = services.project_circulate(
                project=project, actor=mountain_manager, base_url=BASE_URL
            )
            services.agreement_sign(version=version, party=parties["lead"], actor=mountain_manager)
            rows += _row_count(project)
    return rows


def _row_count(project: Project) -> int:
    """Every row the project consists of (call inside a party's scope)."""
    from koblingsboks.projects.models import CostEntry, Deliverable, Signature

    return (
        1
        + project.parties.count()
        + project.responsibilities.count()
        + Deliverable.objects.filter(responsibility__project=project).count()
        + project.budget_lines.count()
        + project.funding_sources.count()
        + project.terms.count()
        + project.versions.count()
        + Signature.objects.filter(version__project=project).count()
        + SigningLink.objects.filter(version__project=project).count()
        + CostEntry.objects.filter(budget_line__project=project).count()
    )


def _active_project(coast, coast_manager, orkdal, orkdal_manager, network) -> Project:
    with organisation_scope(coast):
        project, parties = _build(
            lead=coast,
            manager=coast_manager,
            partner=orkdal,
            partner_manager=orkdal_manager,
            external={
                "external_name": "Hitra kommune",
                "contact_name": "Næringssjef Hege Fillan",
                "contact_email": "hege.fillan@hitra.example",
                "signer_name": "Ordfører Kåre Strøm",
                "signer_email": "ordforer@hitra.example",
            },
            spec=ACTIVE,
            network=network,
        )
        version = services.project_circulate(
            project=project, actor=coast_manager, base_url=BASE_URL
        )
        services.agreement_sign(version=version, party=parties["lead"], actor=coast_manager)
    with organisation_scope(orkdal):
        services.agreement_sign(version=version, party=parties["partner"], actor=orkdal_manager)
    with organisation_scope(coast):
        link = SigningLink.objects.create(
            version=version,
            party=parties["external"],
            email=parties["external"].signer_email,
            token_hash=services.token_hash(secrets.token_urlsafe(32)),
            expires_at=timezone.now() + timedelta(days=1),
        )
        services.signing_link_sign(link=link, signer_name="Kåre Strøm")
        services.project_activate(project=project, actor=coast_manager)
        lines = {(x.party_id, x.year, x.category): x for x in project.budget_lines.all()}
    for key, year, category, day, amount, kind, note in ACTIVE_COSTS:
        party = parties[key]
        # a party records its own costs; the lead records the external partner's
        organisation, actor = (
            (orkdal, orkdal_manager) if key == "partner" else (coast, coast_manager)
        )
        with organisation_scope(organisation):
            services.cost_entry_add(
                budget_line=lines[(party.pk, year, category)],
                actor=actor,
                date=day,
                amount=Decimal(amount),
                kind=kind,
                note=note,
            )
    return project
