"""API routes of the projects app, mounted under /api/v1/.

Everything lives under /organisations/{slug}/…: members only (404 for anyone else), and a
project only when the organisation is one of its parties (404 otherwise, as for a project
that does not exist). Refusals by the rules answer 400, by role 403.
"""

from collections.abc import Callable
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from koblingsboks.api.auth import AUTH, in_organisation
from koblingsboks.api.schemas import ErrorOut
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.network.models import Network, Organisation
from koblingsboks.network.permissions import can_write
from koblingsboks.projects import services
from koblingsboks.projects.agreement import agreement_snapshot, budget_summary
from koblingsboks.projects.models import Project
from koblingsboks.projects.schemas import (
    ProjectActualsOut,
    ProjectBudgetLineIn,
    ProjectBudgetLineOut,
    ProjectCostIn,
    ProjectCostOut,
    ProjectDetailOut,
    ProjectFundingIn,
    ProjectFundingOut,
    ProjectIn,
    ProjectNetworkOut,
    ProjectOut,
    ProjectPartyIn,
    ProjectPartyOut,
    ProjectResponsibilityIn,
    ProjectResponsibilityOut,
    ProjectSignatureOut,
    ProjectSignIn,
    ProjectVersionOut,
)
from koblingsboks.projects.selectors import (
    ProjectFilters,
    budget_lines,
    budget_vs_actual,
    project_detail,
    project_list,
    project_list_visible_to,
    version_list,
)

router = Router(tags=["projects"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _run(action: Callable):
    try:
        return action()
    except ServiceError as exc:
        raise HttpError(403 if exc.code == "forbidden" else 400, exc.message) from exc


def _project(project_id: int) -> Project:
    try:
        return project_detail(pk=project_id)
    except Project.DoesNotExist as exc:
        raise HttpError(404, "Not Found") from exc


def _party(project: Project, party_id: int):
    party = project.parties.select_related("organisation").filter(pk=party_id).first()
    if party is None:
        raise HttpError(400, f"No party of this project has the id {party_id}.")
    return party


def _party_out(party) -> dict:
    return {
        "id": party.pk,
        "name": party.name,
        "organisation_slug": party.organisation.slug if party.organisation_id else None,
        "external": party.is_external,
        "contact_name": party.contact_name,
        "contact_email": party.contact_email,
        "contact_phone": party.contact_phone,
        "signer_name": party.signer_name,
    }


def _responsibility_out(item) -> dict:
    return {
        "id": item.pk,
        "party_id": item.party_id,
        "title": item.title,
        "description": item.description,
        "deliverables": [
            {"title": d.title, "due_date": d.due_date} for d in item.deliverables.all()
        ],
    }


def _signature_out(signature) -> dict:
    return {
        name: getattr(signature, name)
        for name in ("party_id", "signer_name", "method", "signed_at", "version_hash")
    }


def _version_out(version) -> dict:
    data = {
        name: getattr(version, name)
        for name in ("number", "status", "content_hash", "created_at", "signed_at", "diff")
    }
    data["signatures"] = [_signature_out(s) for s in version.signatures.all()]
    return data


def _detail(project: Project) -> dict:
    summary = budget_summary(agreement_snapshot(project))
    data = {name: getattr(project, name) for name in ("id", "title", "status", "purpose")}
    data.update(
        start_date=project.start_date,
        end_date=project.end_date,
        amending=project.amending,
        lead_organisation=project.lead_organisation.name,
        network=project.network.name if project.network_id else None,
        parties=[party.name for party in project.parties.all()],
        party_details=[_party_out(party) for party in project.parties.all()],
        responsibilities=[_responsibility_out(item) for item in project.responsibilities.all()],
        budget_lines=list(budget_lines(project=project)),
        funding=list(project.funding_sources.all()),
        terms=list(project.terms.all()),
        totals={
            "budget_cash": summary.total.cash,
            "budget_in_kind": summary.total.in_kind,
            "budget_total": summary.total.total,
            "funding_total": summary.funding_total,
            "balanced": summary.balanced,
            "by_party": {name: totals.total for name, totals, _years in summary.party_rows()},
            "by_year": {str(year): amounts.total for year, amounts in summary.year_rows()},
        },
        versions=[_version_out(v) for v in version_list(project=project)],
    )
    return data


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@router.get(
    "/organisations/{slug}/projects",
    response={200: list[ProjectOut], 404: ErrorOut},
    auth=AUTH,
    url_name="project_list",
)
@in_organisation()
@paginate(LimitOffsetPagination)
def project_index(
    request,
    slug: str,
    status: str = Query("", pattern=r"^(draft|circulated|signed|active|closed)?$"),
    party: str = Query("", max_length=100),
    year: int | None = Query(None, ge=2000, le=2100),
    q: str = Query("", max_length=100),
    sort: str = Query("start", pattern=r"^(start|title|status|end)$"),
):
    """The projects the organisation is a party to, with the list page's filters."""
    filters = ProjectFilters(status=status, party=party, year=year, q=q, sort=sort)
    return project_list(organisation=request.organisation, filters=filters)


@router.get(
    "/organisations/{slug}/network-projects",
    response={200: list[ProjectNetworkOut], 404: ErrorOut},
    auth=AUTH,
    url_name="project_network_list",
)
@in_organisation()
def project_network_index(request, slug: str):
    """Projects of the organisation's networks it is not a party to: title, parties, status."""
    return [
        {
            "id": item.pk,
            "title": item.title,
            "status": item.status,
            "parties": list(item.parties),
            "network": item.network,
        }
        for item in project_list_visible_to(organisation=request.organisation)
    ]


@router.post(
    "/organisations/{slug}/projects",
    response={201: ProjectDetailOut, **ERRORS},
    auth=AUTH,
    url_name="project_create",
)
@in_organisation(can_write)
def project_post(request, slug: str, payload: ProjectIn):
    """Create a draft led by the organisation, with the network's default terms."""
    network = None
    if payload.network_slug:
        network = Network.objects.filter(
            slug=payload.network_slug, party_links__organisation=request.organisation
        ).first()
        if network is None:
            raise HttpError(400, "The organisation is not a party of that network.")
    project = _run(
        lambda: services.project_create(
            organisation=request.organisation,
            actor=request.user,
            title=payload.title,
            purpose=payload.purpose,
            start_date=payload.start_date,
            end_date=payload.end_date,
            network=network,
        )
    )
    return Status(201, _detail(_project(project.pk)))


@router.get(
    "/organisations/{slug}/projects/{project_id}",
    response={200: ProjectDetailOut, 404: ErrorOut},
    auth=AUTH,
    url_name="project_detail",
)
@in_organisation()
def project_get(request, slug: str, project_id: int):
    """Parties, responsibilities, budget, funding, terms, totals and versions with signatures."""
    return _detail(_project(project_id))


@router.post(
    "/organisations/{slug}/projects/{project_id}/parties",
    response={201: ProjectPartyOut, **ERRORS},
    auth=AUTH,
    url_name="project_party_add",
)
@in_organisation()
def project_party_post(request, slug: str, project_id: int, payload: ProjectPartyIn):
    project = _project(project_id)
    organisation = None
    if payload.organisation_slug:
        organisation = Organisation.objects.filter(slug=payload.organisation_slug).first()
        if organisation is None:
            raise HttpError(400, f"No organisation is called {payload.organisation_slug}.")
    values = payload.dict(exclude={"organisation_slug"})
    party = _run(
        lambda: services.party_add(
            project=project, actor=request.user, organisation=organisation, **values
        )
    )
    return Status(201, _party_out(party))


@router.post(
    "/organisations/{slug}/projects/{project_id}/responsibilities",
    response={201: ProjectResponsibilityOut, **ERRORS},
    auth=AUTH,
    url_name="project_responsibility_add",
)
@in_organisation()
def project_responsibility_post(
    request, slug: str, project_id: int, payload: ProjectResponsibilityIn
):
    project = _project(project_id)
    party = _party(project, payload.party_id)
    item = _run(
        lambda: services.responsibility_add(
            project=project,
            party=party,
            actor=request.user,
            title=payload.title,
            description=payload.description,
        )
    )
    return Status(201, _responsibility_out(item))


@router.put(
    "/organisations/{slug}/projects/{project_id}/budget-lines",
    response={200: ProjectBudgetLineOut, **ERRORS},
    auth=AUTH,
    url_name="project_budget_line_set",
)
@in_organisation()
def project_budget_line_put(request, slug: str, project_id: int, payload: ProjectBudgetLineIn):
    """Set one party's budget for a year and category (creates or replaces the line)."""
    project = _project(project_id)
    party = _party(project, payload.party_id)
    return _run(
        lambda: services.budget_line_set(
            project=project,
            party=party,
            actor=request.user,
            year=payload.year,
            category=payload.category,
            cash=payload.cash,
            in_kind=payload.in_kind,
            description=payload.description,
        )
    )


@router.post(
    "/organisations/{slug}/projects/{project_id}/funding",
    response={201: ProjectFundingOut, **ERRORS},
    auth=AUTH,
    url_name="project_funding_add",
)
@in_organisation()
def project_funding_post(request, slug: str, project_id: int, payload: ProjectFundingIn):
    project = _project(project_id)
    source = _run(
        lambda: services.funding_add(
            project=project,
            actor=request.user,
            kind=payload.kind,
            name=payload.name,
            amount=payload.amount,
        )
    )
    return Status(201, source)


@router.post(
    "/organisations/{slug}/projects/{project_id}/circulate",
    response={201: ProjectVersionOut, **ERRORS},
    auth=AUTH,
    url_name="project_circulate",
)
@in_organisation()
def project_circulate_post(request, slug: str, project_id: int):
    """Freeze the working content as a new version and ask every party to sign it."""
    project = _project(project_id)
    version = _run(
        lambda: services.project_circulate(
            project=project, actor=request.user, base_url=_base_url(request)
        )
    )
    return Status(201, _version_out(version))


@router.post(
    "/organisations/{slug}/projects/{project_id}/amend",
    response={200: ProjectOut, **ERRORS},
    auth=AUTH,
    url_name="project_amend",
)
@in_organisation()
def project_amend_post(request, slug: str, project_id: int):
    """Open an amendment: the content may change and must then be circulated and signed."""
    project = _project(project_id)
    _run(lambda: services.amendment_start(project=project, actor=request.user))
    return ProjectOut.from_orm(_project(project_id))


@router.post(
    "/organisations/{slug}/projects/{project_id}/versions/{number}/sign",
    response={201: ProjectSignatureOut, **ERRORS},
    auth=AUTH,
    url_name="project_sign",
)
@in_organisation()
def project_sign_post(request, slug: str, project_id: int, number: int, payload: ProjectSignIn):
    """Sign the version for a party whose manager the caller is; the hash must match."""
    project = _project(project_id)
    version = get_object_or_404(project.versions.all(), number=number)
    party = _party(project, payload.party_id)
    signature = _run(
        lambda: services.agreement_sign(
            version=version,
            party=party,
            actor=request.user,
            expected_hash=payload.content_hash,
        )
    )
    return Status(201, _signature_out(signature))


@router.get(
    "/organisations/{slug}/projects/{project_id}/actuals",
    response={200: ProjectActualsOut, 404: ErrorOut},
    auth=AUTH,
    url_name="project_actuals",
)
@in_organisation()
def project_actuals(request, slug: str, project_id: int):
    """Budget against recorded costs per budget line (party, year, category)."""
    report = budget_vs_actual(project=_project(project_id))
    return {
        "rows": [
            {
                "budget_line_id": row.line.pk,
                "party": row.line.party.name,
                "year": row.line.year,
                "category": row.line.category,
                "budget_cash": row.line.cash,
                "budget_in_kind": row.line.in_kind,
                "actual_cash": row.actual_cash,
                "actual_in_kind": row.actual_in_kind,
                "remaining": row.remaining,
                "over_budget": row.over,
            }
            for row in report.rows
        ],
        "budget_total": report.total.budget,
        "actual_total": report.total.actual,
        "over_budget": report.total.over,
    }


@router.post(
    "/organisations/{slug}/projects/{project_id}/costs",
    response={201: ProjectCostOut, **ERRORS},
    auth=AUTH,
    url_name="project_cost_add",
)
@in_organisation()
def project_cost_post(request, slug: str, project_id: int, payload: ProjectCostIn):
    """Record an actual cost against a budget line (attachments are added on the page)."""
    project = _project(project_id)
    line = project.budget_lines.select_related("party").filter(pk=payload.budget_line_id).first()
    if line is None:
        raise HttpError(400, f"No budget line of this project has the id {payload.budget_line_id}.")
    entry = _run(
        lambda: services.cost_entry_add(
            budget_line=line,
            actor=request.user,
            date=payload.date,
            amount=Decimal(payload.amount),
            kind=payload.kind,
            note=payload.note,
        )
    )
    return Status(201, entry)
