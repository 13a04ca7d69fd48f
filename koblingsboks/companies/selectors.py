"""Reads of companies, key figures and a garden's portfolio.

Register facts (Company, KeyFigures) are shared. Affiliations, notes, contact persons and
the advisory log are scoped to the active organisation; the one exception is
``affiliation_list_visible_to``, which tells members of a network which of its gardens a
company is affiliated with (organisation, kind and dates only — never phase or advisor),
and therefore looks across organisations with the scope disabled.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear, Lower, Substr
from django.utils import timezone
from django_scopes import scopes_disabled

from koblingsboks.companies import search
from koblingsboks.companies.models import (
    AdvisoryLogEntry,
    Affiliation,
    Company,
    CompanyNote,
    ContactPerson,
    KeyFigures,
)
from koblingsboks.network.models import Membership, NetworkParty, Organisation, Role

NEWLY_STARTED_YEARS = 3


def company_search(
    *, query: str, nace: str | None = None, municipality: str | None = None, limit: int = 20
) -> list[Company]:
    """Companies in the whole register by name (prefix, word, fuzzy) or org.nr (digits,
    spaces allowed), best first. See companies/search.py for the indexes behind it."""
    return search.company_search(
        query=query, nace=nace or "", municipality=municipality or "", limit=limit
    )


def company_detail(*, org_number: str) -> Company:
    """One company by its org.nr; raises Company.DoesNotExist."""
    return Company.objects.get(org_number=org_number)


def company_list_by_org_numbers(*, org_numbers: list[str]) -> dict[str, Company]:
    return {c.org_number: c for c in Company.objects.filter(org_number__in=org_numbers)}


@dataclass(frozen=True)
class KeyFiguresPoint:
    """One year of a company's own accounts, for the chart and the table under it."""

    year: int
    period_start: datetime.date | None
    period_end: datetime.date
    currency: str
    turnover: Decimal | None
    operating_result: Decimal | None
    personnel_costs: Decimal | None
    result_before_tax: Decimal | None
    employees: int | None
    source: str
    source_label: str

    @property
    def value_creation(self) -> Decimal | None:
        """Operating result + personnel costs (PRODUCT.md), when both are stated."""
        if self.operating_result is None or self.personnel_costs is None:
            return None
        return self.operating_result + self.personnel_costs

    @property
    def is_self_reported(self) -> bool:
        return self.source == KeyFigures.Source.SELF_REPORTED


def key_figures_series(*, company: Company) -> list[KeyFiguresPoint]:
    """The company's own (not group) accounts, one per year, oldest first.

    A year with two periods (a changed accounting year) shows the later one.
    """
    rows = KeyFigures.objects.filter(
        company=company, account_type=KeyFigures.AccountType.COMPANY
    ).order_by("year", "period_end")
    by_year: dict[int, KeyFigures] = {}
    for row in rows:
        by_year[row.year] = row
    return [
        KeyFiguresPoint(
            year=row.year,
            period_start=row.period_start,
            period_end=row.period_end,
            currency=row.currency,
            turnover=row.turnover,
            operating_result=row.operating_result,
            personnel_costs=row.personnel_costs,
            result_before_tax=row.result_before_tax,
            employees=row.employees,
            source=row.source,
            source_label=str(row.get_source_display()),
        )
        for row in by_year.values()
    ]


# --- the portfolio -------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioFilters:
    """What the portfolio list, its exports and the API filter and sort by."""

    q: str = ""  # name or org.nr, contains
    phase: str = ""
    kind: str = ""
    nace_section: str = ""  # the first two digits of the main NACE code
    municipality: str = ""
    newly_started: bool = False  # founded in this or the two previous calendar years
    status: str = "active"  # active | ended | all
    sort: str = "name"


PORTFOLIO_SORTS = {
    "name": ["company__name", "start_date"],
    "-name": ["-company__name", "start_date"],
    "org_number": ["company__org_number", "start_date"],
    "start": ["start_date", "company__name"],
    "-start": ["-start_date", "company__name"],
    "phase": ["phase", "company__name"],
    "kind": ["kind", "company__name"],
    "municipality": ["company__municipality_name", "company__name"],
    "turnover": [F("latest_turnover").asc(nulls_last=True), "company__name"],
    "-turnover": [F("latest_turnover").desc(nulls_last=True), "company__name"],
    "hours": [F("advisory_hours").asc(nulls_first=True), "company__name"],
    "-hours": [F("advisory_hours").desc(nulls_last=True), "company__name"],
}
STATUSES = ("active", "ended", "all")


def _latest_accounts(field: str):
    latest = KeyFigures.objects.filter(
        company=OuterRef("company_id"),
        account_type=KeyFigures.AccountType.COMPANY,
        turnover__isnull=False,
    ).order_by("-period_end")
    return Subquery(latest.values(field)[:1])


def portfolio_list(
    *,
    organisation: Organisation,
    filters: PortfolioFilters | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Affiliation]:
    """The garden's affiliations with their company, advisor, latest turnover and hours.

    The number of queries does not depend on the number of rows: the latest accounts and
    the advisory hours are subqueries of the one list query.
    """
    filters = filters or PortfolioFilters()
    today = today or timezone.localdate()
    hours = (
        AdvisoryLogEntry.objects.filter(organisation=organisation, company=OuterRef("company_id"))
        .values("company")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    qs = (
        Affiliation.objects.filter(organisation=organisation)
        .select_related("company", "responsible_advisor")
        .annotate(
            latest_turnover=_latest_accounts("turnover"),
            latest_turnover_year=_latest_accounts("year"),
            latest_turnover_currency=_latest_accounts("currency"),
            advisory_hours=Subquery(
                hours, output_field=DecimalField(max_digits=9, decimal_places=2)
            ),
        )
    )
    if filters.q:
        digits = filters.q.replace(" ", "")
        match = Q(company__name__icontains=filters.q)
        if digits.isdigit():
            match |= Q(company__org_number__startswith=digits)
        qs = qs.filter(match)
    if filters.phase:
        qs = qs.filter(phase=filters.phase)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.nace_section:
        qs = qs.filter(company__nace_code__startswith=filters.nace_section[:2])
    if filters.municipality:
        qs = qs.filter(company__municipality_number=filters.municipality)
    if filters.newly_started:
        qs = qs.annotate(
            founded_year=ExtractYear(Coalesce("company__founded_on", "company__registered_on"))
        ).filter(founded_year__gte=today.year - (NEWLY_STARTED_YEARS - 1))
    if filters.status == "active":
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    elif filters.status == "ended":
        qs = qs.filter(end_date__lt=today)
    return qs.order_by(*PORTFOLIO_SORTS.get(filters.sort, PORTFOLIO_SORTS["name"]), "pk")


def portfolio_nace_sections(*, organisation: Organisation) -> list[tuple[str, int]]:
    """The NACE divisions (first two digits) in the garden's portfolio, with counts."""
    rows = (
        Affiliation.objects.filter(organisation=organisation)
        .exclude(company__nace_code="")
        .annotate(section=Substr("company__nace_code", 1, 2))
        .values("section")
        .annotate(n=Count("company", distinct=True))
        .order_by("section")
    )
    return [(row["section"], row["n"]) for row in rows]


def affiliation_list_for_company(
    *, organisation: Organisation, company: Company
) -> QuerySet[Affiliation]:
    """The garden's own affiliations of ``company``, newest first (scoped)."""
    return (
        Affiliation.objects.filter(organisation=organisation, company=company)
        .select_related("responsible_advisor")
        .order_by("-start_date", "-pk")
    )


def affiliation_active_for_company(
    *, organisation: Organisation, company: Company, today: datetime.date | None = None
) -> Affiliation | None:
    today = today or timezone.localdate()
    return (
        affiliation_list_for_company(organisation=organisation, company=company)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .first()
    )


def affiliated_company_ids(*, organisation: Organisation, company_ids: list[int]) -> set[int]:
    """Which of ``company_ids`` have an affiliation with the garden that has not ended."""
    today = timezone.localdate()
    return set(
        Affiliation.objects.filter(organisation=organisation, company_id__in=company_ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("company_id", flat=True)
    )


def company_ever_in_portfolio(*, organisation: Organisation, company: Company) -> bool:
    """Whether the garden is or was affiliated with the company (ended affiliations count)."""
    return Affiliation.objects.filter(organisation=organisation, company=company).exists()


@dataclass(frozen=True)
class VisibleAffiliation:
    """What another garden may know of an affiliation: who, what kind, from when to when."""

    organisation_name: str
    organisation_slug: str
    kind: str
    kind_label: str
    start_date: datetime.date
    end_date: datetime.date | None
    is_own: bool


def organisations_sharing_a_network(*, organisation: Organisation) -> set[int]:
    """The organisation itself and every party of a network it is a party of."""
    networks = NetworkParty.objects.filter(organisation=organisation).values("network")
    ids = set(
        NetworkParty.objects.filter(network__in=networks).values_list("organisation", flat=True)
    )
    return ids | {organisation.pk}


def affiliation_list_visible_to(
    *, organisation: Organisation, company: Company
) -> list[VisibleAffiliation]:
    """Which gardens ``company`` is affiliated with, as far as ``organisation`` may know:
    its own affiliations and those of organisations sharing a network with it.

    Register facts only — the organisation, kind and dates; never phase or advisor.
    """
    visible = organisations_sharing_a_network(organisation=organisation)
    # Sharing selector: reads other organisations' affiliations, limited to the fields above.
    with scopes_disabled():
        rows = list(
            Affiliation.objects.filter(company=company, organisation__in=visible)
            .order_by("-start_date", "organisation__name")
            .values(
                "organisation_id",
                "organisation__name",
                "organisation__slug",
                "kind",
                "start_date",
                "end_date",
            )
        )
    labels = dict(Affiliation.Kind.choices)
    return [
        VisibleAffiliation(
            organisation_name=row["organisation__name"],
            organisation_slug=row["organisation__slug"],
            kind=row["kind"],
            kind_label=str(labels.get(row["kind"], row["kind"])),
            start_date=row["start_date"],
            end_date=row["end_date"],
            is_own=row["organisation_id"] == organisation.pk,
        )
        for row in rows
    ]


# --- notes and the advisory log --------------------------------------------------------------


def note_list(*, organisation: Organisation, company: Company) -> QuerySet[CompanyNote]:
    return (
        CompanyNote.objects.filter(organisation=organisation, company=company)
        .select_related("author")
        .order_by("-created_at", "-pk")
    )


def contact_list(*, organisation: Organisation, company: Company) -> QuerySet[ContactPerson]:
    """The garden's contact persons of ``company``, by name."""
    return ContactPerson.objects.filter(organisation=organisation, company=company).order_by(
        Lower("name"), "pk"
    )


def contact_persons_all(*, organisation: Organisation) -> QuerySet[ContactPerson]:
    """Every contact person of the garden, on every company."""
    return (
        ContactPerson.objects.filter(organisation=organisation)
        .select_related("company")
        .order_by("company__name", Lower("name"), "pk")
    )


def contact_persons_by_email(*, organisation: Organisation, email: str) -> QuerySet:
    """Every contact entry of the garden with ``email`` (case does not count): what the
    garden holds on one person, for an export on request."""
    return (
        ContactPerson.objects.filter(organisation=organisation, email__iexact=email.strip())
        .select_related("company")
        .order_by("company__name", "pk")
    )


def survey_contact_emails(
    *, organisation: Organisation, company_ids: list[int]
) -> dict[int, list[str]]:
    """For each of ``company_ids``: the e-mail addresses of the garden's contact persons who
    receive surveys, in the order of the company page (by name); companies without one are
    left out."""
    rows = (
        ContactPerson.objects.filter(
            organisation=organisation, company_id__in=company_ids, receives_surveys=True
        )
        .exclude(email="")
        .order_by("company_id", Lower("name"), "pk")
        .values_list("company_id", "email")
    )
    emails: dict[int, list[str]] = {}
    for company_id, email in rows:
        known = emails.setdefault(company_id, [])
        if email.lower() not in {e.lower() for e in known}:
            known.append(email)
    return emails


def advisory_log_list(
    *, organisation: Organisation, company: Company
) -> QuerySet[AdvisoryLogEntry]:
    return (
        AdvisoryLogEntry.objects.filter(organisation=organisation, company=company)
        .select_related("advisor")
        .order_by("-date", "-pk")
    )


def advisory_hours_total(*, organisation: Organisation, company: Company) -> Decimal:
    total = advisory_log_list(organisation=organisation, company=company).aggregate(
        total=Sum("hours")
    )["total"]
    return total or Decimal("0")


def advisor_choices(*, organisation: Organisation) -> QuerySet[Membership]:
    """Members who can be a company's responsible advisor or log hours (not observers)."""
    return (
        Membership.objects.filter(organisation=organisation)
        .exclude(role=Role.OBSERVER)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
