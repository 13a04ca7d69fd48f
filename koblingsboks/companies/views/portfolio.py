"""Company search, the company page (with the garden's notes, contact persons and advisory
log; the contact persons' own views are in views/contacts.py), and the
garden's portfolio: list, exports, adding, editing and ending affiliations.

Views are thin: forms parse, selectors read, services write. htmx requests get the
fragment they swap; everything also works as plain forms and links.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koblingsboks.companies import permissions
from koblingsboks.companies.charts import key_figures_chart
from koblingsboks.companies.exporters import portfolio_export_rows, render_csv, render_xlsx
from koblingsboks.companies.forms import (
    AdvisoryLogForm,
    AffiliationCreateForm,
    AffiliationEndForm,
    AffiliationForm,
    CompanySearchForm,
    ContactPersonForm,
    NoteForm,
    PortfolioFilterForm,
    municipality_options,
    org_number_lookup,
)
from koblingsboks.companies.models import AdvisoryLogEntry, Affiliation, Company, CompanyNote
from koblingsboks.companies.selectors import (
    PortfolioFilters,
    advisory_hours_total,
    advisory_log_list,
    affiliated_company_ids,
    affiliation_list_for_company,
    affiliation_list_visible_to,
    company_detail,
    company_search,
    contact_list,
    key_figures_series,
    note_list,
    portfolio_list,
    portfolio_nace_sections,
)
from koblingsboks.companies.services import (
    AFFILIATION_EDITABLE_FIELDS,
    advisory_log_add,
    advisory_log_delete,
    affiliation_create,
    affiliation_end,
    affiliation_update,
    note_create,
    note_delete,
    note_update,
)
from koblingsboks.core.decorators import organisation_required, role_required
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.pagination import paginate

SEARCH_LIMIT = 25


def _wants_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _company_or_404(org_number: str) -> Company:
    try:
        return company_detail(org_number=org_number)
    except Company.DoesNotExist as exc:
        raise Http404 from exc


def _company_url(company: Company, anchor: str = "") -> str:
    url = reverse("companies:company-detail", kwargs={"org_number": company.org_number})
    return f"{url}#{anchor}" if anchor else url


# --- search ----------------------------------------------------------------------------------


@organisation_required
def company_search_page(request: HttpRequest) -> HttpResponse:
    form = CompanySearchForm(request.GET or None)
    results: list[Company] = []
    searched = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        searched = bool(data["q"] or data["nace"] or data["municipality"])
        if searched:
            results = company_search(
                query=data["q"],
                nace=data["nace"],
                municipality=data["municipality"],
                limit=SEARCH_LIMIT,
            )
    context = {
        "form": form,
        "results": results,
        "searched": searched,
        "org_number_problem": form.org_number_problem() if form.is_bound else "",
        "in_portfolio": affiliated_company_ids(
            organisation=request.organisation, company_ids=[c.pk for c in results]
        ),
        "can_edit": permissions.can_edit_portfolio(request.membership),
        "limit": SEARCH_LIMIT,
    }
    if _wants_fragment(request):
        return render(request, "companies/partials/search_results.html", context)
    context["municipalities"] = municipality_options()
    return render(request, "companies/search.html", context)


# --- the company page --------------------------------------------------------------------------


def _company_context(request: HttpRequest, company: Company, **forms) -> dict:
    organisation = request.organisation
    can_edit = permissions.can_edit_portfolio(request.membership)
    series = key_figures_series(company=company)
    notes = list(note_list(organisation=organisation, company=company))
    entries = list(advisory_log_list(organisation=organisation, company=company))
    own = list(affiliation_list_for_company(organisation=organisation, company=company))
    today = timezone.localdate()
    context = {
        "company": company,
        "series": series,
        "chart": key_figures_chart(series),
        "visible_affiliations": affiliation_list_visible_to(
            organisation=organisation, company=company
        ),
        "own_affiliations": own,
        "active_affiliation": next(
            (a for a in own if a.end_date is None or a.end_date >= today), None
        ),
        "notes": notes,
        "editable_notes": {
            n.pk for n in notes if permissions.can_change_note(request.membership, n)
        },
        "advisory_entries": entries,
        "deletable_entries": {
            e.pk for e in entries if permissions.can_delete_advisory_entry(request.membership, e)
        },
        "advisory_hours": advisory_hours_total(organisation=organisation, company=company),
        "can_edit": can_edit,
        # Contact persons only for a company that is or was in the portfolio.
        "contacts": list(contact_list(organisation=organisation, company=company)) if own else [],
    }
    if can_edit and own:
        context["contact_form"] = forms.get("contact_form") or ContactPersonForm()
    if can_edit:
        context["note_form"] = forms.get("note_form") or NoteForm()
        context["advisory_form"] = forms.get("advisory_form") or AdvisoryLogForm(
            organisation=organisation, initial={"advisor": request.user.pk}
        )
    return context


@organisation_required
def company_page(request: HttpRequest, org_number: str) -> HttpResponse:
    company = _company_or_404(org_number)
    return render(request, "companies/company_detail.html", _company_context(request, company))


def _section_response(
    request: HttpRequest, company: Company, section: str, *, ok: str, **forms
) -> HttpResponse:
    """After a note or hours: the refreshed section for htmx, else back to the page."""
    failed = any(form.errors for form in forms.values())
    if _wants_fragment(request):
        context = _company_context(request, company, **forms)
        return render(request, f"companies/partials/{section}.html", context)
    if failed:
        context = _company_context(request, company, **forms)
        return render(request, "companies/company_detail.html", context, status=400)
    messages.success(request, ok)
    return redirect(_company_url(company, section))


@require_POST
@role_required(permissions.can_edit_portfolio)
def note_create_view(request: HttpRequest, org_number: str) -> HttpResponse:
    company = _company_or_404(org_number)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note_create(
                organisation=request.organisation,
                company=company,
                text=form.cleaned_data["text"],
                author=request.user,
            )
        except ServiceError as exc:
            form.add_error("text", exc.message)
        else:
            form = NoteForm()
    return _section_response(request, company, "notes", ok=_("The note was saved."), note_form=form)


def _note_or_404(org_number: str, pk: int) -> tuple[Company, CompanyNote]:
    company = _company_or_404(org_number)
    # The scoped manager finds only the active organisation's notes.
    note = get_object_or_404(CompanyNote.objects.select_related("author"), pk=pk, company=company)
    return company, note


@role_required(permissions.can_edit_portfolio)
def note_edit_view(request: HttpRequest, org_number: str, pk: int) -> HttpResponse:
    company, note = _note_or_404(org_number, pk)
    if not permissions.can_change_note(request.membership, note):
        messages.error(request, _("Only the author of a note or an administrator can change it."))
        return redirect(_company_url(company, "notes"))
    form = NoteForm(request.POST or None, initial={"text": note.text})
    if request.method == "POST" and form.is_valid():
        try:
            note_update(note=note, text=form.cleaned_data["text"], actor=request.user)
        except ServiceError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, _("The note was changed."))
            return redirect(_company_url(company, "notes"))
    context = {"company": company, "note": note, "form": form}
    return render(request, "companies/note_edit.html", context, status=400 if form.errors else 200)


def _run_and_report(request: HttpRequest, action, *, ok: str) -> None:
    try:
        action()
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok)


@require_POST
@role_required(permissions.can_edit_portfolio)
def note_delete_view(request: HttpRequest, org_number: str, pk: int) -> HttpResponse:
    company, note = _note_or_404(org_number, pk)
    _run_and_report(
        request,
        lambda: note_delete(note=note, actor=request.user),
        ok=_("The note was deleted."),
    )
    return redirect(_company_url(company, "notes"))


@require_POST
@role_required(permissions.can_edit_portfolio)
def advisory_log_add_view(request: HttpRequest, org_number: str) -> HttpResponse:
    company = _company_or_404(org_number)
    form = AdvisoryLogForm(request.POST, organisation=request.organisation)
    if form.is_valid():
        data = form.cleaned_data
        try:
            advisory_log_add(
                organisation=request.organisation,
                company=company,
                advisor=data["advisor"],
                date=data["date"],
                hours=data["hours"],
                topic=data["topic"],
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            form = AdvisoryLogForm(
                organisation=request.organisation, initial={"advisor": data["advisor"].pk}
            )
    return _section_response(
        request, company, "advisory", ok=_("The hours were logged."), advisory_form=form
    )


@require_POST
@role_required(permissions.can_edit_portfolio)
def advisory_log_delete_view(request: HttpRequest, org_number: str, pk: int) -> HttpResponse:
    company = _company_or_404(org_number)
    entry = get_object_or_404(AdvisoryLogEntry, pk=pk, company=company)  # scoped
    _run_and_report(
        request,
        lambda: advisory_log_delete(entry=entry, actor=request.user),
        ok=_("The logged hours were deleted."),
    )
    return redirect(_company_url(company, "advisory"))


# --- the portfolio -------------------------------------------------------------------------------


def _portfolio_filters(request: HttpRequest) -> tuple[PortfolioFilterForm, PortfolioFilters]:
    form = PortfolioFilterForm(
        request.GET or None,
        nace_sections=portfolio_nace_sections(organisation=request.organisation),
    )
    return form, form.filters()


@organisation_required
def portfolio_page(request: HttpRequest) -> HttpResponse:
    form, filters = _portfolio_filters(request)
    page = paginate(request, portfolio_list(organisation=request.organisation, filters=filters))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "export_query": query.urlencode(),
        "can_edit": permissions.can_edit_portfolio(request.membership),
    }
    if _wants_fragment(request):
        return render(request, "companies/partials/portfolio_results.html", context)
    context["municipalities"] = municipality_options()
    return render(request, "companies/portfolio.html", context)


def _export_name(request: HttpRequest, extension: str) -> str:
    return f"portfolio-{request.organisation.slug}-{timezone.localdate().isoformat()}.{extension}"


@organisation_required
def portfolio_export_csv(request: HttpRequest) -> HttpResponse:
    _form, filters = _portfolio_filters(request)
    rows = portfolio_export_rows(organisation=request.organisation, filters=filters)
    response = HttpResponse(render_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(request, "csv")}"'
    return response


@organisation_required
def portfolio_export_xlsx(request: HttpRequest) -> HttpResponse:
    _form, filters = _portfolio_filters(request)
    rows = portfolio_export_rows(organisation=request.organisation, filters=filters)
    content = render_xlsx(rows, sheet_title=_("Portfolio"))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(request, "xlsx")}"'
    return response


@role_required(permissions.can_edit_portfolio)
def portfolio_add(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    initial = {
        "org_number": request.GET.get("org_number", "")[:20],
        "responsible_advisor": request.user.pk,
    }
    form = AffiliationCreateForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            affiliation_create(
                organisation=organisation,
                company=form.company,
                kind=data["kind"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                phase=data["phase"],
                responsible_advisor=data["responsible_advisor"],
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%s was added to the portfolio.") % form.company.name)
            return redirect(_company_url(form.company))
    preview = None
    if not form.is_bound and initial["org_number"]:
        try:
            preview = org_number_lookup(initial["org_number"])
        except ValidationError:  # a bad number in the link: the form says why on submit
            preview = None
    context = {"form": form, "company": preview or getattr(form, "company", None)}
    status = 400 if form.errors else 200
    return render(request, "companies/affiliation_add.html", context, status=status)


@role_required(permissions.can_edit_portfolio)
def affiliation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # The scoped manager finds only the active organisation's affiliations.
    affiliation = get_object_or_404(Affiliation.objects.select_related("company"), pk=pk)
    initial = {name: getattr(affiliation, name) for name in AFFILIATION_EDITABLE_FIELDS}
    form = AffiliationForm(request.POST or None, organisation=request.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in AFFILIATION_EDITABLE_FIELDS}
        try:
            affiliation_update(affiliation=affiliation, data=data, actor=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The affiliation was saved."))
            return redirect(_company_url(affiliation.company))
    context = {"form": form, "affiliation": affiliation, "company": affiliation.company}
    status = 400 if form.errors else 200
    return render(request, "companies/affiliation_edit.html", context, status=status)


@require_POST
@role_required(permissions.can_edit_portfolio)
def affiliation_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    affiliation = get_object_or_404(Affiliation.objects.select_related("company"), pk=pk)
    form = AffiliationEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the end date as a date, e.g. 31.12.2026."))
    else:
        _run_and_report(
            request,
            lambda: affiliation_end(
                affiliation=affiliation, end_date=form.cleaned_data["end_date"], actor=request.user
            ),
            ok=_("The affiliation was ended."),
        )
    return redirect(_company_url(affiliation.company))
