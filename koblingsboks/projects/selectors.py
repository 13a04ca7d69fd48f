"""Reads of joint projects for the pages, the API and the exports.

Inside an organisation's scope the project models hold only projects where that
organisation is a party. ``project_list_visible_to`` and ``network_project_summary`` are the
one place where other organisations of a network read projects: title, parties and status
only, never the budget, terms, responsibilities, actuals or signatures. They disable the
scope (listed in SCOPE_DISABLING_ALLOWED) and return plain data, not model instances.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django_scopes import scopes_disabled

from koblingsboks.network.models import NetworkParty, Organisation
from koblingsboks.projects.models import (
    AgreementVersion,
    BudgetLine,
    CostEntry,
    Project,
    ProjectParty,
    Responsibility,
    Signature,
)

SORTS = {
    "start": ("-start_date", "title"),
    "title": ("title",),
    "status": ("status", "-start_date"),
    "end": ("end_date", "title"),
}


@dataclass(frozen=True)
class ProjectFilters:
    status: str = ""
    party: str = ""
    year: int | None = None
    q: str = ""
    sort: str = "start"


def project_list(*, organisation: Organisation, filters: ProjectFilters) -> QuerySet[Project]:
    """The projects ``organisation`` is a party of (the scope), filtered and sorted."""
    projects = Project.objects.select_related("lead_organisation").prefetch_related(
        Prefetch("parties", queryset=ProjectParty.objects.select_related("organisation"))
    )
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.q:
        projects = projects.filter(Q(title__icontains=filters.q) | Q(purpose__icontains=filters.q))
    if filters.party:
        matching = ProjectParty.objects.filter(
            Q(organisation__name__icontains=filters.party)
            | Q(external_name__icontains=filters.party)
        ).values("project_id")
        projects = projects.filter(pk__in=matching)
    if filters.year:
        projects = projects.filter(
            start_date__year__lte=filters.year, end_date__year__gte=filters.year
        )
    return projects.order_by(*SORTS.get(filters.sort, SORTS["start"]))


def project_detail(*, pk: int) -> Project:
    """One project of the active organisation, with what its page shows (DoesNotExist else)."""
    return (
        Project.objects.select_related("lead_organisation", "network")
        .prefetch_related(
            Prefetch("parties", queryset=ProjectParty.objects.select_related("organisation")),
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related(
                    "party__organisation"
                ).prefetch_related("deliverables"),
            ),
            "funding_sources",
            "terms",
        )
        .get(pk=pk)
    )


def budget_lines(*, project: Project) -> QuerySet[BudgetLine]:
    return project.budget_lines.select_related("party__organisation").order_by(
        "party__position", "party_id", "year", "category"
    )


def version_list(*, project: Project) -> list[AgreementVersion]:
    return list(
        project.versions.order_by("-number").prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.select_related("party__organisation"))
        )
    )


def version_detail(*, project: Project, number: int) -> AgreementVersion:
    return project.versions.prefetch_related(
        Prefetch("signatures", queryset=Signature.objects.select_related("party__organisation"))
    ).get(number=number)


def cost_entry_list(*, project: Project) -> QuerySet[CostEntry]:
    return CostEntry.objects.filter(budget_line__project=project).select_related(
        "budget_line__party__organisation", "created_by"
    )


# --- budget against actuals


@dataclass
class ActualRow:
    """One budget line against the costs recorded on it."""

    line: BudgetLine
    actual_cash: Decimal = Decimal("0")
    actual_in_kind: Decimal = Decimal("0")

    @property
    def budget(self) -> Decimal:
        return self.line.total

    @property
    def actual(self) -> Decimal:
        return self.actual_cash + self.actual_in_kind

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.actual

    @property
    def over_cash(self) -> bool:
        return self.actual_cash > self.line.cash

    @property
    def over_in_kind(self) -> bool:
        return self.actual_in_kind > self.line.in_kind

    @property
    def over(self) -> bool:
        return self.actual > self.budget


@dataclass
class ActualTotals:
    budget_cash: Decimal = Decimal("0")
    budget_in_kind: Decimal = Decimal("0")
    actual_cash: Decimal = Decimal("0")
    actual_in_kind: Decimal = Decimal("0")

    @property
    def budget(self) -> Decimal:
        return self.budget_cash + self.budget_in_kind

    @property
    def actual(self) -> Decimal:
        return self.actual_cash + self.actual_in_kind

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.actual

    @property
    def over(self) -> bool:
        return self.actual > self.budget

    def add(self, row: ActualRow) -> None:
        self.budget_cash += row.line.cash
        self.budget_in_kind += row.line.in_kind
        self.actual_cash += row.actual_cash
        self.actual_in_kind += row.actual_in_kind


@dataclass
class BudgetVsActual:
    rows: list[ActualRow] = field(default_factory=list)
    by_party: dict[str, ActualTotals] = field(default_factory=dict)
    by_year: dict[int, ActualTotals] = field(default_factory=dict)
    by_category: dict[str, ActualTotals] = field(default_factory=dict)
    total: ActualTotals = field(default_factory=ActualTotals)


def budget_vs_actual(*, project: Project) -> BudgetVsActual:
    """Budget per line (party, year, category) against recorded costs; two queries."""
    sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for item in (
        CostEntry.objects.filter(budget_line__project=project)
        .values("budget_line_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        sums[(item["budget_line_id"], item["kind"])] = item["total"] or Decimal("0")
    result = BudgetVsActual()
    for line in budget_lines(project=project):
        row = ActualRow(
            line=line,
            actual_cash=sums[(line.pk, CostEntry.Kind.CASH)],
            actual_in_kind=sums[(line.pk, CostEntry.Kind.IN_KIND)],
        )
        result.rows.append(row)
        result.by_party.setdefault(line.party.name, ActualTotals()).add(row)
        result.by_year.setdefault(line.year, ActualTotals()).add(row)
        result.by_category.setdefault(line.get_category_display(), ActualTotals()).add(row)
        result.total.add(row)
    result.by_year = dict(sorted(result.by_year.items()))
    return result


# --- what other organisations of a network see


@dataclass(frozen=True)
class NetworkProject:
    """A project as other organisations of its network see it: title, parties, status."""

    pk: int
    title: str
    status: str
    status_label: str
    parties: tuple[str, ...]
    network: str


def _network_ids(organisation: Organisation) -> list[int]:
    return list(
        NetworkParty.objects.filter(organisation=organisation).values_list("network_id", flat=True)
    )


def _as_network_projects(projects) -> list[NetworkProject]:
    return [
        NetworkProject(
            pk=project.pk,
            title=project.title,
            status=project.status,
            status_label=project.get_status_display(),
            parties=tuple(party.name for party in project.parties.all()),
            network=project.network.name,
        )
        for project in projects
    ]


def project_list_visible_to(*, organisation: Organisation) -> list[NetworkProject]:
    """Projects of the organisation's networks it is not a party of: title, parties, status."""
    network_ids = _network_ids(organisation)
    if not network_ids:
        return []
    with scopes_disabled():
        projects = (
            Project.objects.filter(network_id__in=network_ids)
            .exclude(parties__organisation=organisation)
            .select_related("network")
            .prefetch_related(
                Prefetch("parties", queryset=ProjectParty.objects.select_related("organisation"))
            )
            .order_by("-start_date", "title")
        )
        return _as_network_projects(projects)


def network_project_summary(*, pk: int, organisation: Organisation) -> NetworkProject:
    """One project of the organisation's networks (title, parties, status); LookupError else."""
    network_ids = _network_ids(organisation)
    with scopes_disabled():
        projects = (
            Project.objects.filter(pk=pk, network_id__in=network_ids)
            .select_related("network")
            .prefetch_related(
                Prefetch("parties", queryset=ProjectParty.objects.select_related("organisation"))
            )
        )
        found = _as_network_projects(projects)
    if not found:
        raise LookupError(pk)
    return found[0]


@dataclass(frozen=True)
class SignatureRow:
    party_id: int
    party_name: str
    external: bool
    signature: Signature | None


def signature_rows(*, version: AgreementVersion) -> list[SignatureRow]:
    """Each party of the version (as frozen in it) with its signature, if given."""
    signatures = {signature.party_id: signature for signature in version.signatures.all()}
    return [
        SignatureRow(
            party_id=party["id"],
            party_name=party["name"],
            external=party["external"],
            signature=signatures.get(party["id"]),
        )
        for party in version.snapshot["parties"]
    ]
