"""The company page's contact persons: add (htmx replaces the section), change, delete.

Only for a company that is or was in the active organisation's portfolio (else 404), and
only the active organisation's own contact persons (the scoped manager; else 404).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koblingsboks.companies import permissions
from koblingsboks.companies.contacts import (
    contact_person_add,
    contact_person_delete,
    contact_person_update,
)
from koblingsboks.companies.forms import ContactPersonForm
from koblingsboks.companies.models import Company, ContactPerson
from koblingsboks.companies.selectors import company_ever_in_portfolio
from koblingsboks.companies.views.portfolio import (
    _company_or_404,
    _company_url,
    _run_and_report,
    _section_response,
)
from koblingsboks.core.decorators import role_required
from koblingsboks.core.exceptions import ServiceError

FORM_FIELDS = ("name", "role", "email", "phone", "receives_surveys")


def _portfolio_company_or_404(request: HttpRequest, org_number: str) -> Company:
    company = _company_or_404(org_number)
    if not company_ever_in_portfolio(organisation=request.organisation, company=company):
        raise Http404
    return company


def _contact_or_404(request: HttpRequest, org_number: str, pk: int):
    company = _portfolio_company_or_404(request, org_number)
    # The scoped manager finds only the active organisation's contact persons.
    contact = get_object_or_404(
        ContactPerson.objects.select_related("organisation", "company"), pk=pk, company=company
    )
    return company, contact


@require_POST
@role_required(permissions.can_edit_portfolio)
def contact_create_view(request: HttpRequest, org_number: str) -> HttpResponse:
    company = _portfolio_company_or_404(request, org_number)
    form = ContactPersonForm(request.POST)
    if form.is_valid():
        try:
            contact_person_add(
                organisation=request.organisation,
                company=company,
                data=form.cleaned_data,
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            form = ContactPersonForm()
    return _section_response(
        request, company, "contacts", ok=_("The contact person was saved."), contact_form=form
    )


@role_required(permissions.can_edit_portfolio)
def contact_edit_view(request: HttpRequest, org_number: str, pk: int) -> HttpResponse:
    company, contact = _contact_or_404(request, org_number, pk)
    initial = {name: getattr(contact, name) for name in FORM_FIELDS}
    form = ContactPersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact_person_update(contact=contact, data=form.cleaned_data, actor=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The contact person was changed."))
            return redirect(_company_url(company, "contacts"))
    context = {"company": company, "contact": contact, "form": form}
    status = 400 if form.errors else 200
    return render(request, "companies/contact_edit.html", context, status=status)


@require_POST
@role_required(permissions.can_edit_portfolio)
def contact_delete_view(request: HttpRequest, org_number: str, pk: int) -> HttpResponse:
    company, contact = _contact_or_404(request, org_number, pk)
    _run_and_report(
        request,
        lambda: contact_person_delete(contact=contact, actor=request.user),
        ok=_("The contact person was deleted."),
    )
    return redirect(_company_url(company, "contacts"))
