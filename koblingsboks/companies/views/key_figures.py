"""A garden enters a company's figures by hand (self-reported), e.g. for a sole proprietorship
that files no accounts."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koblingsboks.companies import permissions
from koblingsboks.companies.key_figures import key_figures_self_report
from koblingsboks.companies.models import Company, KeyFigures
from koblingsboks.companies.selectors import company_detail, company_ever_in_portfolio
from koblingsboks.core.decorators import role_required
from koblingsboks.core.exceptions import ServiceError

AMOUNT = {"max_digits": 16, "decimal_places": 2, "required": False, "localize": True}


class SelfReportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1900)
    currency = forms.CharField(label=gettext_lazy("Currency"), max_length=3, initial="NOK")
    turnover = forms.DecimalField(label=gettext_lazy("Turnover"), **AMOUNT)
    operating_result = forms.DecimalField(label=gettext_lazy("Operating result"), **AMOUNT)
    personnel_costs = forms.DecimalField(label=gettext_lazy("Personnel costs"), **AMOUNT)
    result_before_tax = forms.DecimalField(label=gettext_lazy("Result before tax"), **AMOUNT)
    employees = forms.IntegerField(label=gettext_lazy("Employees"), min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["year"].initial = timezone.localdate().year - 1


def _affiliated_company_or_404(request: HttpRequest, org_number: str) -> Company:
    """Only a garden the company is or was affiliated with may report its figures."""
    try:
        company = company_detail(org_number=org_number)
    except Company.DoesNotExist as exc:
        raise Http404 from exc
    if not company_ever_in_portfolio(organisation=request.organisation, company=company):
        raise Http404
    return company


@role_required(permissions.can_edit_portfolio)
def key_figures_report(request: HttpRequest, org_number: str) -> HttpResponse:
    company = _affiliated_company_or_404(request, org_number)
    form = SelfReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key_figures_self_report(
                organisation=request.organisation, company=company, actor=request.user,
                **form.cleaned_data,
            )  # fmt: skip
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("The figures for %(year)s were saved as self-reported.")
                % {"year": form.cleaned_data["year"]},
            )
            url = reverse("companies:company-detail", kwargs={"org_number": company.org_number})
            return redirect(f"{url}#key-figures")
    reported = KeyFigures.objects.filter(
        company=company, source=KeyFigures.Source.SELF_REPORTED
    ).order_by("-year")
    context = {"company": company, "form": form, "reported": reported}
    status = 400 if form.errors else 200
    return render(request, "companies/key_figures_report.html", context, status=status)
