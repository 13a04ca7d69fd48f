"""The project list, creating a project, its page, and drafting its content."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koblingsboks.core.decorators import organisation_required
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.pagination import paginate
from koblingsboks.projects import permissions, services
from koblingsboks.projects.agreement import agreement_snapshot, budget_summary
from koblingsboks.projects.forms import (
    DeliverableForm,
    PartyEditForm,
    PartyForm,
    ProjectFilterForm,
    ProjectForm,
    ResponsibilityForm,
    TermForm,
)
from koblingsboks.projects.models import (
    AgreementVersion,
    Deliverable,
    Project,
    ProjectParty,
    Responsibility,
    TermSection,
)
from koblingsboks.projects.selectors import (
    ProjectFilters,
    network_project_summary,
    project_detail,
    project_list,
    project_list_visible_to,
    signature_rows,
    version_list,
)
from koblingsboks.projects.views.common import back, project_or_404, project_url, rights, run


@organisation_required
def project_index(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = ProjectFilters(
        status=data.get("status") or "",
        party=data.get("party") or "",
        year=data.get("year"),
        q=data.get("q") or "",
        sort=data.get("sort") or "start",
    )
    page = paginate(request, project_list(organisation=request.organisation, filters=filters))
    return render(
        request,
        "projects/list.html",
        {
            "form": form,
            "page": page,
            "filtered": any([filters.status, filters.party, filters.year, filters.q]),
            "network_projects": project_list_visible_to(organisation=request.organisation),
            "can_create": permissions.can_create_project(request.membership),
        },
    )


@organisation_required
def project_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_project(request.membership):
        raise Http404
    form = ProjectForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The project was created as a draft."))
            return redirect(project_url(project))
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@organisation_required
def project_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        project = project_detail(pk=pk)
    except Project.DoesNotExist:
        # Another organisation of the project's network sees title, parties and status only.
        try:
            summary = network_project_summary(pk=pk, organisation=request.organisation)
        except LookupError as exc:
            raise Http404 from exc
        return render(request, "projects/network_summary.html", {"summary": summary})
    context = rights(request, project)
    parties = list(project.parties.all())
    versions = version_list(project=project)
    current = next((v for v in versions if v.status == AgreementVersion.Status.CIRCULATED), None)
    signed = next((v for v in versions if v.status == AgreementVersion.Status.SIGNED), None)
    summary = budget_summary(agreement_snapshot(project))
    context.update(
        {
            "project": project,
            "parties": parties,
            "versions": versions,
            "current": current,
            "current_rows": signature_rows(version=current) if current else [],
            "last_signed": signed,
            "summary": summary,
            "problems": services.circulation_problems(project)
            if context["editable"] and context["can_manage"]
            else [],
            "party_form": PartyForm(project=project),
            "responsibility_form": ResponsibilityForm(parties=parties),
            "deliverable_form": DeliverableForm(),
            "term_form": TermForm(),
            "signable": _signable(request, current, parties),
        }
    )
    return render(request, "projects/detail.html", context)


def _signable(request, current, parties) -> list[ProjectParty]:
    """The parties the user may sign the current version for and that have not signed."""
    if current is None:
        return []
    signed = {signature.party_id for signature in current.signatures.all()}
    return [
        party
        for party in parties
        if party.pk not in signed and permissions.can_sign_for(request.membership, party)
    ]


@organisation_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(pk)
    if not permissions.can_edit_project(request.membership, project):
        raise Http404
    initial = {
        "title": project.title,
        "purpose": project.purpose,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "network": project.network_id,
    }
    form = ProjectForm(request.POST or None, initial=initial, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The project was saved."))
            return back(project)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


# --- parties


@require_POST
@organisation_required
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(pk)
    form = PartyForm(request.POST, project=project)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return back(project, anchor="parties")
    run(
        request,
        lambda: services.party_add(project=project, actor=request.user, **form.cleaned_data),
        success=_("The party was added."),
    )
    return back(project, anchor="parties")


@organisation_required
def party_edit(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    project = project_or_404(pk)
    party = get_object_or_404(project.parties.select_related("organisation"), pk=party_pk)
    if not permissions.can_edit_project(request.membership, project):
        raise Http404
    initial = {
        name: getattr(party, name)
        for name in (
            "contact_name",
            "contact_email",
            "contact_phone",
            "signer_name",
            "signer_email",
        )
    }
    form = PartyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.party_update(party=party, actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The party was saved."))
            return back(project, anchor="parties")
    return render(
        request, "projects/party_form.html", {"form": form, "project": project, "party": party}
    )


@require_POST
@organisation_required
def party_remove(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    project = project_or_404(pk)
    party = get_object_or_404(project.parties.all(), pk=party_pk)
    run(
        request,
        lambda: services.party_remove(party=party, actor=request.user),
        success=_("The party was removed."),
    )
    return back(project, anchor="parties")


# --- responsibilities, deliverables, terms


@require_POST
@organisation_required
def responsibility_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(pk)
    form = ResponsibilityForm(request.POST, parties=project.parties.all())
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return back(project, anchor="responsibilities")
    data = form.cleaned_data
    party = get_object_or_404(project.parties.all(), pk=data["party"])
    run(
        request,
        lambda: services.responsibility_add(
            project=project,
            party=party,
            actor=request.user,
            title=data["title"],
            description=data["description"],
        ),
        success=_("The area of responsibility was added."),
    )
    return back(project, anchor="responsibilities")


@require_POST
@organisation_required
def responsibility_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    project = project_or_404(pk)
    item = get_object_or_404(Responsibility.objects.filter(project=project), pk=item_pk)
    run(
        request,
        lambda: services.responsibility_delete(responsibility=item, actor=request.user),
        success=_("The area of responsibility was removed."),
    )
    return back(project, anchor="responsibilities")


@require_POST
@organisation_required
def deliverable_add(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    project = project_or_404(pk)
    item = get_object_or_404(Responsibility.objects.filter(project=project), pk=item_pk)
    form = DeliverableForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return back(project, anchor="responsibilities")
    run(
        request,
        lambda: services.deliverable_add(
            responsibility=item, actor=request.user, **form.cleaned_data
        ),
        success=_("The deliverable was added."),
    )
    return back(project, anchor="responsibilities")


@require_POST
@organisation_required
def deliverable_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    project = project_or_404(pk)
    item = get_object_or_404(
        Deliverable.objects.filter(responsibility__project=project), pk=item_pk
    )
    run(
        request,
        lambda: services.deliverable_delete(deliverable=item, actor=request.user),
        success=_("The deliverable was removed."),
    )
    return back(project, anchor="responsibilities")


@organisation_required
def term_edit(request: HttpRequest, pk: int, term_pk: int | None = None) -> HttpResponse:
    """Edit one section of the terms (``term_pk``), or add one; a POST without it adds."""
    project = project_or_404(pk)
    section = (
        get_object_or_404(TermSection.objects.filter(project=project), pk=term_pk)
        if term_pk
        else None
    )
    if not permissions.can_edit_project(request.membership, project):
        raise Http404
    initial = {"key": section.key, "title": section.title, "text": section.text} if section else {}
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_save(
                project=project, actor=request.user, section=section, **form.cleaned_data
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The terms were saved."))
            return back(project, anchor="terms")
    return render(
        request, "projects/term_form.html", {"form": form, "project": project, "section": section}
    )


@require_POST
@organisation_required
def term_delete(request: HttpRequest, pk: int, term_pk: int) -> HttpResponse:
    project = project_or_404(pk)
    section = get_object_or_404(TermSection.objects.filter(project=project), pk=term_pk)
    run(
        request,
        lambda: services.term_delete(section=section, actor=request.user),
        success=_("The section was removed."),
    )
    return back(project, anchor="terms")
