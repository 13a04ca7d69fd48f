"""API handlers for companies, key figures, affiliations, notes, contact persons and the
advisory log.

Register facts (/companies…) are for any signed-in caller. The portfolio, notes and the
advisory log live under /organisations/{slug}/…: members only (404 for anyone else),
writes for every role but observer (403).
"""

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from koblingsboks.api.auth import AUTH, in_organisation
from koblingsboks.api.errors import run_service
from koblingsboks.api.schemas import ErrorOut
from koblingsboks.companies import permissions
from koblingsboks.companies.contacts import (
    contact_person_add,
    contact_person_delete,
    contact_person_erase,
    contact_person_update,
)
from koblingsboks.companies.key_figures import key_figures_self_report
from koblingsboks.companies.models import (
    AdvisoryLogEntry,
    Affiliation,
    Company,
    CompanyNote,
    ContactPerson,
)
from koblingsboks.companies.schemas import (
    AdvisoryLogIn,
    AdvisoryLogOut,
    AffiliationIn,
    AffiliationOut,
    AffiliationPatchIn,
    CompanyDetailOut,
    CompanyOut,
    ContactEraseIn,
    ContactEraseOut,
    ContactPersonExportOut,
    ContactPersonIn,
    ContactPersonOut,
    ContactPersonPatchIn,
    KeyFiguresOut,
    KeyFiguresSelfReportIn,
    NoteIn,
    NoteOut,
)
from koblingsboks.companies.selectors import (
    PortfolioFilters,
    advisory_log_list,
    company_detail,
    company_ever_in_portfolio,
    company_search,
    contact_list,
    contact_persons_all,
    contact_persons_by_email,
    key_figures_series,
    note_list,
    portfolio_list,
)
from koblingsboks.companies.services import (
    advisory_log_add,
    advisory_log_delete,
    affiliation_create,
    affiliation_update,
    note_create,
    note_delete,
)
from koblingsboks.network.models import Membership, User
from koblingsboks.network.validators import normalise_org_number, validate_org_number

router = Router(tags=["companies"])

NACE_PATTERN = r"^([0-9]{2}(\.[0-9]{0,3})?)?$"
MUNICIPALITY_PATTERN = r"^([0-9]{4})?$"


def _company_or_error(org_number: str) -> Company:
    """400 for a number that cannot be an org.nr, 404 for one not in the register here."""
    number = normalise_org_number(org_number)
    try:
        validate_org_number(number)
    except ValidationError as exc:
        raise HttpError(400, exc.messages[0]) from exc
    try:
        return company_detail(org_number=number)
    except Company.DoesNotExist as exc:
        raise HttpError(
            404,
            f"{number} is not in the company register here; import or sync the register first.",
        ) from exc


def _member_user(request, user_id: int | None) -> User | None:
    """The member of the request's organisation with ``user_id``; 400 for anybody else."""
    if user_id is None:
        return None
    membership = (
        Membership.objects.filter(organisation=request.organisation, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise HttpError(400, f"No member of this organisation has the user id {user_id}.")
    return membership.user


def _key_figures(company: Company) -> list[dict]:
    return [
        {**asdict(point), "value_creation": point.value_creation}
        for point in key_figures_series(company=company)
    ]


# --- register facts ------------------------------------------------------------------------


@router.get("/companies", response=list[CompanyOut], auth=AUTH, url_name="company_list")
def company_index(
    request,
    q: str = Query("", max_length=100, description="Name, or org.nr digits (spaces allowed)"),
    nace: str = Query("", pattern=NACE_PATTERN, description="Prefix of the NACE code: 62"),
    municipality: str = Query("", pattern=MUNICIPALITY_PATTERN),
    limit: int = Query(20, ge=1, le=100),
):
    """Search the whole company register, best matches first."""
    return company_search(query=q, nace=nace, municipality=municipality, limit=limit)


@router.get(
    "/companies/{org_number}",
    response={200: CompanyDetailOut, 400: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="company_detail",
)
def company_get(request, org_number: str):
    """Register facts and the company's own annual accounts, one per year."""
    company = _company_or_error(org_number)
    data = {name: getattr(company, name) for name in CompanyDetailOut.model_fields}
    data["key_figures"] = _key_figures(company)  # not the related manager of that name
    return data


@router.get(
    "/companies/{org_number}/key-figures",
    response={200: list[KeyFiguresOut], 400: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="company_key_figures",
)
def company_key_figures(request, org_number: str):
    """The company's own annual accounts, one per year, oldest first."""
    return _key_figures(_company_or_error(org_number))


# --- the portfolio -------------------------------------------------------------------------


@router.get(
    "/organisations/{slug}/affiliations",
    response={200: list[AffiliationOut], 404: ErrorOut},
    auth=AUTH,
    url_name="affiliation_list",
)
@in_organisation()
@paginate(LimitOffsetPagination)
def affiliation_index(
    request,
    slug: str,
    status: str = Query("all", pattern=r"^(active|ended|all)$"),
    phase: str = "",
    kind: str = "",
    q: str = Query("", max_length=100),
    sort: str = "name",
):
    """The organisation's affiliations (its portfolio), with the same filters as the page."""
    filters = PortfolioFilters(q=q, phase=phase, kind=kind, status=status, sort=sort)
    return portfolio_list(organisation=request.organisation, filters=filters)


@router.post(
    "/organisations/{slug}/affiliations",
    response={201: AffiliationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="affiliation_create",
)
@in_organisation(permissions.can_edit_portfolio)
def affiliation_post(request, slug: str, payload: AffiliationIn):
    company = _company_or_error(payload.org_number)
    advisor = _member_user(request, payload.responsible_advisor_id)
    affiliation = run_service(
        lambda: affiliation_create(
            organisation=request.organisation,
            company=company,
            kind=payload.kind,
            start_date=payload.start_date,
            end_date=payload.end_date,
            phase=payload.phase,
            responsible_advisor=advisor,
            actor=request.user,
        )
    )
    return Status(201, affiliation)


@router.patch(
    "/organisations/{slug}/affiliations/{affiliation_id}",
    response={200: AffiliationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="affiliation_update",
)
@in_organisation(permissions.can_edit_portfolio)
def affiliation_patch(request, slug: str, affiliation_id: int, payload: AffiliationPatchIn):
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("company", "organisation"), pk=affiliation_id
    )
    data = payload.dict(exclude_unset=True)
    if "responsible_advisor_id" in data:
        data["responsible_advisor"] = _member_user(request, data.pop("responsible_advisor_id"))
    for required in ("kind", "start_date", "phase"):
        if required in data and data[required] is None:
            raise HttpError(400, f"{required} cannot be null.")
    return run_service(
        lambda: affiliation_update(affiliation=affiliation, data=data, actor=request.user)
    )


# --- notes ---------------------------------------------------------------------------------


@router.get(
    "/organisations/{slug}/companies/{org_number}/notes",
    response={200: list[NoteOut], 400: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="note_list",
)
@in_organisation()
def note_index(request, slug: str, org_number: str):
    company = _company_or_error(org_number)
    return list(note_list(organisation=request.organisation, company=company))


@router.post(
    "/organisations/{slug}/companies/{org_number}/notes",
    response={201: NoteOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="note_create",
)
@in_organisation(permissions.can_edit_portfolio)
def note_post(request, slug: str, org_number: str, payload: NoteIn):
    company = _company_or_error(org_number)
    note = run_service(
        lambda: note_create(
            organisation=request.organisation,
            company=company,
            text=payload.text,
            author=request.user,
        )
    )
    return Status(201, note)


@router.delete(
    "/organisations/{slug}/companies/{org_number}/notes/{note_id}",
    response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="note_delete",
)
@in_organisation(permissions.can_edit_portfolio)
def note_remove(request, slug: str, org_number: str, note_id: int):
    company = _company_or_error(org_number)
    note = get_object_or_404(CompanyNote, pk=note_id, company=company)  # scoped
    run_service(lambda: note_delete(note=note, actor=request.user))
    return Status(204, None)


# --- contact persons ------------------------------------------------------------------------


def _portfolio_company_or_404(request, org_number: str) -> Company:
    """The company, if it is or was in the organisation's portfolio; else 404."""
    company = _company_or_error(org_number)
    if not company_ever_in_portfolio(organisation=request.organisation, company=company):
        raise HttpError(404, "The company is not and has never been in this portfolio.")
    return company


def _contact_or_404(request, org_number: str, contact_id: int) -> ContactPerson:
    company = _portfolio_company_or_404(request, org_number)
    return get_object_or_404(  # scoped: only the organisation's own
        ContactPerson.objects.select_related("organisation", "company"),
        pk=contact_id,
        company=company,
    )


@router.get(
    "/organisations/{slug}/companies/{org_number}/contacts",
    response={200: list[ContactPersonOut], 400: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="contact_list",
)
@in_organisation()
def contact_index(request, slug: str, org_number: str):
    """The organisation's contact persons of a company in its portfolio (private to it)."""
    company = _portfolio_company_or_404(request, org_number)
    return list(contact_list(organisation=request.organisation, company=company))


@router.post(
    "/organisations/{slug}/companies/{org_number}/contacts",
    response={201: ContactPersonOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="contact_create",
)
@in_organisation(permissions.can_edit_portfolio)
def contact_post(request, slug: str, org_number: str, payload: ContactPersonIn):
    """Add a contact person. 400 for a duplicate e-mail address (per company, case ignored)
    or a bad phone number; 403 for observers; 404 outside the portfolio."""
    company = _portfolio_company_or_404(request, org_number)
    contact = run_service(
        lambda: contact_person_add(
            organisation=request.organisation,
            company=company,
            data=payload.dict(),
            actor=request.user,
        )
    )
    return Status(201, contact)


@router.patch(
    "/organisations/{slug}/companies/{org_number}/contacts/{contact_id}",
    response={200: ContactPersonOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="contact_update",
)
@in_organisation(permissions.can_edit_portfolio)
def contact_patch(
    request, slug: str, org_number: str, contact_id: int, payload: ContactPersonPatchIn
):
    """Change the fields given; an empty string removes role, e-mail or phone."""
    contact = _contact_or_404(request, org_number, contact_id)
    data = payload.dict(exclude_unset=True)
    for required in ("name", "receives_surveys"):
        if required in data and data[required] is None:
            raise HttpError(400, f"{required} cannot be null.")
    data = {name: "" if value is None else value for name, value in data.items()}
    return run_service(
        lambda: contact_person_update(contact=contact, data=data, actor=request.user)
    )


@router.delete(
    "/organisations/{slug}/companies/{org_number}/contacts/{contact_id}",
    response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="contact_delete",
)
@in_organisation(permissions.can_edit_portfolio)
def contact_remove(request, slug: str, org_number: str, contact_id: int):
    contact = _contact_or_404(request, org_number, contact_id)
    run_service(lambda: contact_person_delete(contact=contact, actor=request.user))
    return Status(204, None)


@router.get(
    "/organisations/{slug}/contact-persons",
    response={200: list[ContactPersonExportOut], 404: ErrorOut},
    auth=AUTH,
    url_name="contact_export",
)
@in_organisation()
def contact_export(
    request,
    slug: str,
    email: str = Query(
        "", max_length=254, description="One person's e-mail address (case ignored); empty: all"
    ),
):
    """The organisation's contact persons on every company: with ``email``, everything it
    holds on that one person (the export of a person's data on their request)."""
    if email.strip():
        return list(contact_persons_by_email(organisation=request.organisation, email=email))
    return list(contact_persons_all(organisation=request.organisation))


@router.post(
    "/organisations/{slug}/contact-persons/erase",
    response={200: ContactEraseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="contact_erase",
)
@in_organisation(permissions.can_edit_portfolio)
def contact_erase(request, slug: str, payload: ContactEraseIn):
    """Erase a person on their request: delete every contact entry of the organisation with
    this e-mail address (case ignored). The audit log keeps that an entry was erased, and of
    which company, nothing personal."""
    erased = run_service(
        lambda: contact_person_erase(
            organisation=request.organisation, email=payload.email, actor=request.user
        )
    )
    return {"erased": erased}


# --- the advisory log ----------------------------------------------------------------------


@router.get(
    "/organisations/{slug}/companies/{org_number}/advisory-log",
    response={200: list[AdvisoryLogOut], 400: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="advisory_log_list",
)
@in_organisation()
def advisory_log_index(request, slug: str, org_number: str):
    company = _company_or_error(org_number)
    return list(advisory_log_list(organisation=request.organisation, company=company))


@router.post(
    "/organisations/{slug}/companies/{org_number}/advisory-log",
    response={201: AdvisoryLogOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="advisory_log_create",
)
@in_organisation(permissions.can_edit_portfolio)
def advisory_log_post(request, slug: str, org_number: str, payload: AdvisoryLogIn):
    company = _company_or_error(org_number)
    if payload.advisor_id is None:
        advisor = request.user
    else:
        advisor = _member_user(request, payload.advisor_id)
    entry = run_service(
        lambda: advisory_log_add(
            organisation=request.organisation,
            company=company,
            advisor=advisor,
            date=payload.date,
            hours=payload.hours,
            topic=payload.topic,
            actor=request.user,
        )
    )
    return Status(201, entry)


@router.delete(
    "/organisations/{slug}/companies/{org_number}/advisory-log/{entry_id}",
    response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="advisory_log_delete",
)
@in_organisation(permissions.can_edit_portfolio)
def advisory_log_remove(request, slug: str, org_number: str, entry_id: int):
    company = _company_or_error(org_number)
    entry = get_object_or_404(AdvisoryLogEntry, pk=entry_id, company=company)  # scoped
    run_service(lambda: advisory_log_delete(entry=entry, actor=request.user))
    return Status(204, None)


@router.post(
    "/organisations/{slug}/companies/{org_number}/key-figures",
    response={201: KeyFiguresOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="key_figures_self_report",
)
@in_organisation(permissions.can_edit_portfolio)
def key_figures_report(request, slug: str, org_number: str, payload: KeyFiguresSelfReportIn):
    """Enter a company's figures by hand (self-reported), for a company in the portfolio."""
    company = _company_or_error(org_number)
    if not company_ever_in_portfolio(organisation=request.organisation, company=company):
        raise HttpError(404, "Not Found")
    figures = run_service(
        lambda: key_figures_self_report(
            organisation=request.organisation,
            company=company,
            actor=request.user,
            **payload.dict(),
        )
    )
    return Status(201, _figures_dict(figures))


def _figures_dict(figures) -> dict:
    data = {
        name: getattr(figures, name)
        for name in KeyFiguresOut.model_fields
        if name != "value_creation"
    }
    if figures.operating_result is not None and figures.personnel_costs is not None:
        data["value_creation"] = figures.operating_result + figures.personnel_costs
    else:
        data["value_creation"] = None
    return data
