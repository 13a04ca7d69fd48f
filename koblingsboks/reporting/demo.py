"""Demo satisfaction surveys: each of the four demo gardens asked its companies in 2024 and
2025; most answered. Deterministic (scores from a generator seeded with the garden's org.nr)
and idempotent: a survey that exists is left alone. Written in each garden's own scope."""

import datetime
import random
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from koblingsboks.companies.models import Affiliation
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.demo import GARDENS
from koblingsboks.network.models import Organisation
from koblingsboks.reporting.definitions import DEFAULT_KINDS
from koblingsboks.reporting.models import SatisfactionSurvey, SurveyInvitation
from koblingsboks.reporting.services import token_hash

YEARS = (2024, 2025)
COMMENTS = (
    "Rådgiveren kjente bransjen vår godt.",
    "Nyttig hjelp med søknaden til Innovasjon Norge.",
    "Gode kurs, men vi ønsker flere møter i vår kommune.",
    "Fikk kontakt med riktig person i en annen næringshage.",
    "",
    "",
)


def load_app_demo() -> int:
    created = 0
    gardens = Organisation.objects.filter(org_number__in=[g.org_number for g in GARDENS])
    for garden in gardens.order_by("org_number"):
        with organisation_scope(garden), transaction.atomic():
            for year in YEARS:
                created += _survey(garden, year)
    return created


def _survey(garden: Organisation, year: int) -> int:
    if SatisfactionSurvey.objects.filter(organisation=garden, year=year).exists():
        return 0
    rng = random.Random(f"{garden.org_number}-{year}")  # noqa: S311 - demo scores
    survey = SatisfactionSurvey.objects.create(
        organisation=garden,
        year=year,
        title=f"Kundetilfredshet {year}",
        message="Hvor fornøyd var dere med hjelpen fra næringshagen i år?",
    )
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    company_ids = (
        Affiliation.objects.filter(organisation=garden, kind__in=DEFAULT_KINDS)
        .filter(start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .values_list("company_id", flat=True)
        .distinct()
        .order_by("company_id")
    )
    sent = timezone.make_aware(datetime.datetime(year, 11, 15, 9, 0))
    rows = 1
    for company_id in company_ids:
        answered = rng.random() < 0.8
        SurveyInvitation.objects.create(
            organisation=garden,
            survey=survey,
            company_id=company_id,
            token_hash=token_hash(secrets.token_urlsafe(32)),
            sent_at=sent,
            answered_at=sent + datetime.timedelta(days=rng.randint(1, 20)) if answered else None,
            score=rng.choice((4, 5, 5, 5, 6, 6, 3)) if answered else None,
            comment=rng.choice(COMMENTS) if answered else "",
        )
        rows += 1
    return rows
