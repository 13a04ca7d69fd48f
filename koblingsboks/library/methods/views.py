"""Pages of the methodology library (metodebank)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koblingsboks.core.decorators import organisation_required, role_required
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.pagination import paginate
from koblingsboks.library import permissions
from koblingsboks.library.forms import ExperienceForm, MethodFilterForm, MethodForm
from koblingsboks.library.methods import selectors
from koblingsboks.library.methods.diff import version_diff
from koblingsboks.library.methods.services import (
    method_create,
    method_experience_save,
    method_update,
)
from koblingsboks.library.models import Method
from koblingsboks.library.tags import tag_text
from koblingsboks.network.selectors import member_list


def _method_or_404(request: HttpRequest, pk: int) -> Method:
    try:
        return selectors.method_detail(pk=pk, organisation=request.organisation)
    except Method.DoesNotExist as exc:
        raise Http404 from exc


@organisation_required
def method_list_view(request: HttpRequest) -> HttpResponse:
    options = selectors.method_filter_options(organisation=request.organisation)
    form = MethodFilterForm(request.GET or None, options=options)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.MethodFilters(
        tag=data.get("tag", ""),
        competence=data.get("competence"),
        organisation=data.get("organisation", ""),
        sort=data.get("sort") or "title",
    )
    page = paginate(
        request, selectors.method_list(organisation=request.organisation, filters=filters)
    )
    context = {
        "form": form,
        "page": page,
        "filtered": any([filters.tag, filters.competence, filters.organisation]),
        "can_add": permissions.can_publish(request.membership),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "library/partials/method_results.html", context)
    return render(request, "library/methods.html", context)


def _people(request: HttpRequest):
    from koblingsboks.network.models import User

    return User.objects.filter(
        pk__in=member_list(organisation=request.organisation).values("user_id")
    ).order_by("full_name")


@role_required(permissions.can_publish)
def method_create_view(request: HttpRequest) -> HttpResponse:
    form = MethodForm(
        request.POST or None,
        request.FILES or None,
        people=_people(request),
        initial={"contact": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        uploads = data.pop("files")
        contact = data.pop("contact")
        try:
            method = method_create(
                organisation=request.organisation,
                actor=request.user,
                contact=contact,
                uploads=uploads,
                **data,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The method was added to the library."))
            return redirect("library:method-detail", pk=method.pk)
    status = 400 if form.errors else 200
    return render(request, "library/method_form.html", {"form": form}, status=status)


@organisation_required
def method_detail_view(request: HttpRequest, pk: int, experience_form=None, status=200):
    method = _method_or_404(request, pk)
    experiences = list(method.experiences.all())
    own = method.organisation_id == request.organisation.pk
    context = {
        "method": method,
        "experiences": experiences,
        "can_edit": permissions.can_edit_method(request.membership, method),
        "can_add_experience": not own and permissions.can_publish(request.membership),
        "experience_form": experience_form
        or ExperienceForm(
            initial=next(
                (
                    {"note": e.note, "companies_count": e.companies_count, "place": e.place}
                    for e in experiences
                    if e.author_id == request.user.pk
                ),
                None,
            )
        ),
        "latest_version": selectors.version_list(method=method).first(),
    }
    return render(request, "library/method_detail.html", context, status=status)


@role_required(permissions.can_publish)
def method_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    method = _method_or_404(request, pk)
    if not permissions.can_edit_method(request.membership, method):
        raise PermissionDenied
    initial = {
        "title": method.title,
        "summary": method.summary,
        "body": method.body,
        "tags": tag_text(method.tags.all()),
        "competence_areas": [area.pk for area in method.competence_areas.all()],
        "contact": method.contact_id,
        "audience": method.audience,
        "licence": method.licence,
    }
    form = MethodForm(
        request.POST or None,
        request.FILES or None,
        people=_people(request),
        editing=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        uploads = data.pop("files")
        contact = data.pop("contact")
        change_note = data.pop("change_note")
        try:
            method_update(
                method=method,
                actor=request.user,
                contact=contact,
                change_note=change_note,
                uploads=uploads,
                **data,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The method was changed."))
            return redirect("library:method-detail", pk=method.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "method": method}
    return render(request, "library/method_form.html", context, status=status)


@organisation_required
def method_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    method = _method_or_404(request, pk)
    versions = list(selectors.version_list(method=method))  # newest first
    changes = []
    for i, version in enumerate(versions):
        previous = versions[i + 1] if i + 1 < len(versions) else None
        changes.append({"version": version, "diff": version_diff(previous, version)})
    context = {"method": method, "changes": changes}
    return render(request, "library/method_history.html", context)


@require_POST
@organisation_required
def experience_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    method = _method_or_404(request, pk)
    form = ExperienceForm(request.POST)
    if form.is_valid():
        try:
            method_experience_save(
                method=method,
                organisation=request.organisation,
                author=request.user,
                **form.cleaned_data,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you: your experience is shown on the method."))
            return redirect("library:method-detail", pk=pk)
    return method_detail_view(request, pk, experience_form=form, status=400)
