"""Building projects for tests through the services, so the rules apply as in real use."""

from datetime import date
from decimal import Decimal

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.projects import services
from koblingsboks.projects.models import Category, FundingKind, Project, ProjectParty

BASE_URL = "http://testserver/"


def draft_project(
    lead,
    *others,
    external: bool = True,
    title: str = "Felles kompetanseløft",
    network=None,
    label: str = "",
) -> Project:
    """A draft led by ``lead`` (a conftest.Tenant) with ``others`` (Tenants) and, when
    ``external``, a municipality as external partner; ready to circulate: every party has a
    responsibility, budget lines in 2026 and 2027 and funding covering the total."""
    with organisation_scope(lead.organisation):
        project = services.project_create(
            organisation=lead.organisation,
            actor=lead.manager,
            title=title,
            purpose=f"Purpose {label}".strip(),
            start_date=date(2026, 1, 1),
            end_date=date(2027, 12, 31),
            network=network,
        )
        parties = [project.parties.get()]
        for other in others:
            parties.append(
                services.party_add(
                    project=project,
                    actor=lead.manager,
                    organisation=other.organisation,
                    contact_name="Kontakt",
                    contact_email=other.manager.email,
                )
            )
        if external:
            parties.append(
                services.party_add(
                    project=project,
                    actor=lead.manager,
                    external_name=f"Orkland kommune {label}".strip(),
                    contact_name="Kari Kommune",
                    contact_email="kari@kommune.example",
                    signer_name="Ordfører Olsen",
                    signer_email=f"ordforer{label}@kommune.example",
                )
            )
        for index, party in enumerate(parties):
            services.responsibility_add(
                project=project,
                party=party,
                actor=lead.manager,
                title=f"Ansvar {index} {label}".strip(),
                description="Beskrivelse",
            )
            services.budget_line_set(
                project=project,
                party=party,
                actor=lead.manager,
                year=2026,
                category=Category.PERSONNEL,
                cash=Decimal("100000"),
                in_kind=Decimal("50000"),
                description=f"Budget line {label}".strip(),
            )
            services.budget_line_set(
                project=project,
                party=party,
                actor=lead.manager,
                year=2027,
                category=Category.TRAVEL,
                cash=Decimal("20000.50"),
                in_kind=Decimal("0"),
            )
        total = Decimal("170000.50") * len(parties)
        services.funding_add(
            project=project,
            actor=lead.manager,
            kind=FundingKind.PROGRAMME,
            name=f"Siva {label}".strip(),
            amount=total - Decimal("100000"),
        )
        services.funding_add(
            project=project,
            actor=lead.manager,
            kind=FundingKind.COUNTY,
            name="Trøndelag fylkeskommune",
            amount=Decimal("100000"),
        )
        return Project.objects.get(pk=project.pk)


def external_party(project: Project) -> ProjectParty:
    return project.parties.get(organisation__isnull=True)


def signed_project(lead, *others, **kwargs) -> Project:
    """``draft_project`` circulated and signed by every party (the external one by a link)."""
    import datetime

    from django.utils import timezone

    from koblingsboks.projects.models import SigningLink

    project = draft_project(lead, *others, **kwargs)
    with organisation_scope(lead.organisation):
        version = services.project_circulate(project=project, actor=lead.manager, base_url=BASE_URL)
    for tenant in (lead, *others):
        with organisation_scope(tenant.organisation):
            services.agreement_sign(
                version=version,
                party=project.parties.get(organisation=tenant.organisation),
                actor=tenant.manager,
            )
    with organisation_scope(lead.organisation):
        if kwargs.get("external", True):
            party = external_party(project)
            link = SigningLink.objects.create(
                version=version,
                party=party,
                email=party.signer_email,
                token_hash=services.token_hash(f"test-{project.pk}"),
                expires_at=timezone.now() + datetime.timedelta(days=1),
            )
            services.signing_link_sign(link=link, signer_name=party.signer_name)
        return Project.objects.get(pk=project.pk)
