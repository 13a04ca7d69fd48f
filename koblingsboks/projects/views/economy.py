"""The economic frame (budget lines and funding) and the actuals recorded against it."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koblingsboks.core.decorators import organisation_required
from koblingsboks.core.pagination import paginate
from koblingsboks.projects import permissions, services
from koblingsboks.projects.agreement import agreement_snapshot, budget_summary
from koblingsboks.projects.exporters import actuals_xlsx
from koblingsboks.projects.forms import BudgetLineForm, CostEntryForm, FundingForm
from koblingsboks.projects.models import BudgetLine, FundingSource, Project
from koblingsboks.projects.selectors import budget_lines, budget_vs_actual, cost_entry_list
from koblingsboks.projects.views.common import back, project_or_404, rights, run


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@organisation_required
def budget_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(pk)
    parties = list(project.parties.all())
    context = rights(request, project)
    context.update(
        {
            "project": project,
            "lines": budget_lines(project=project),
            "summary": budget_summary(agreement_snapshot(project)),
            "funding": project.funding_sources.all(),
            "line_form": BudgetLineForm(project=project, parties=parties),
            "funding_form": FundingForm(),
        }
    )
    return render(request, "projects/budget.html", context)


@require_POST
@organisation_required
def budget_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(pk)
    form = BudgetLineForm(request.POST, project=project, parties=project.parties.all())
    if not form.is_valid():
        _form_errors(request, form)
        return back(project, "budget")
    data = form.cleaned_data
    party = get_object_or_404(project.parties.all(), pk=data.pop("party"))
    run(
        request,
        lambda: services.budget_line_set(project=project, party=party, actor=request.user, **data),
        success=_("The budget line was saved."),
    )
    return back(project, "budget")


@require_POST
@organisation_required
def budget_line_delete(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    project = project_or_404(pk)
    line = get_object_or_404(BudgetLine.objects.filter(project=project), pk=line_pk)
    run(
        request,
        lambda: services.budget_line_delete(line=line, actor=request.user),
        success=_("The budget line was removed."),
    )
    return back(project, "budget")


@require_POST
@organisation_required
def funding_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(pk)
    form = FundingForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return back(project, "budget", "funding")
    run(
        request,
        lambda: services.funding_add(project=project, actor=request.user, **form.cleaned_data),
        success=_("The funding source was added."),
    )
    return back(project, "budget", "funding")


@require_POST
@organisation_required
def funding_delete(request: HttpRequest, pk: int, source_pk: int) -> HttpResponse:
    project = project_or_404(pk)
    source = get_object_or_404(FundingSource.objects.filter(project=project), pk=source_pk)
    run(
        request,
        lambda: services.funding_delete(source=source, actor=request.user),
        success=_("The funding source was removed."),
    )
    return back(project, "budget", "funding")


# --- actuals


def _recordable_lines(request, project: Project) -> list[BudgetLine]:
    return [
        line
        for line in budget_lines(project=project)
        if permissions.can_record_costs(request.membership, line, project)
    ]


@organisation_required
def actuals_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(pk)
    lines = _recordable_lines(request, project)
    form = CostEntryForm(request.POST or None, request.FILES or None, lines=lines)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            line = get_object_or_404(
                BudgetLine.objects.filter(project=project), pk=data.pop("budget_line")
            )
            if run(
                request,
                lambda: services.cost_entry_add(budget_line=line, actor=request.user, **data),
                success=_("The cost was recorded."),
            ):
                return back(project, "actuals")
        else:
            messages.error(request, _("The cost was not recorded; see the form below."))
    recordable = project.status in (Project.Status.SIGNED, Project.Status.ACTIVE)
    return render(
        request,
        "projects/actuals.html",
        {
            "project": project,
            "report": budget_vs_actual(project=project),
            "page": paginate(request, cost_entry_list(project=project)),
            "form": form if lines and recordable else None,
            "recordable": recordable,
            "deletable": {line.pk for line in lines} if recordable else set(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@organisation_required
def cost_delete(request: HttpRequest, pk: int, cost_pk: int) -> HttpResponse:
    project = project_or_404(pk)
    entry = get_object_or_404(cost_entry_list(project=project), pk=cost_pk)
    run(
        request,
        lambda: services.cost_entry_delete(entry=entry, actor=request.user),
        success=_("The cost was removed."),
    )
    return back(project, "actuals")


@organisation_required
def cost_attachment(request: HttpRequest, pk: int, cost_pk: int) -> HttpResponse:
    """Served only to the project's parties (the scope), as a download with its real type."""
    project = project_or_404(pk)
    entry = get_object_or_404(cost_entry_list(project=project), pk=cost_pk)
    if not entry.attachment:
        raise Http404
    return FileResponse(
        entry.attachment.open("rb"),
        as_attachment=True,
        filename=entry.attachment_name or entry.attachment.name.rsplit("/", 1)[-1],
        content_type=services.attachment_content_type(entry),
    )


@organisation_required
def actuals_export(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(pk)
    content = actuals_xlsx(project=project)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="budsjett-mot-regnskap-{project.pk}.xlsx"'
    )
    return response
