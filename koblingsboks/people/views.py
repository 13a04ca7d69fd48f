"""Pages of the people app: the network-wide directory, a person's profile, editing one's own
profile, and the competence taxonomy (edited by network coordinators)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koblingsboks.core.decorators import organisation_required
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.people import permissions, selectors, services
from koblingsboks.people.forms import AreaForm, CompetenceForm, DirectoryFilterForm, ProfileForm
from koblingsboks.people.models import Competence, Profile


def _wants_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@organisation_required
def directory(request: HttpRequest) -> HttpResponse:
    taxonomy = selectors.competence_taxonomy()
    organisations = selectors.directory_organisations(organisation=request.organisation)
    form = DirectoryFilterForm(request.GET or None, taxonomy=taxonomy, organisations=organisations)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.DirectoryFilters(
        q=data.get("q") or "",
        competence=data.get("competence"),
        min_level=data.get("min_level"),
        sector=data.get("sector") or "",
        language=data.get("language") or "",
        organisation=data["organisation"].pk if data.get("organisation") else None,
    )
    page = selectors.profile_directory(
        organisation=request.organisation, filters=filters, page=request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "has_profile": selectors.own_profile(organisation=request.organisation, user=request.user)
        is not None,
    }
    if _wants_fragment(request):
        return render(request, "people/partials/directory_results.html", context)
    return render(request, "people/directory.html", context)


@organisation_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        profile = selectors.profile_visible_to(organisation=request.organisation, pk=pk)
    except Profile.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "people/profile_detail.html", {"profile": profile})


@organisation_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    if not permissions.can_edit_profile(request.membership, request.user):
        raise PermissionDenied
    taxonomy = selectors.competence_taxonomy()
    profile = selectors.own_profile(organisation=request.organisation, user=request.user)
    initial = {}
    if profile is not None:
        initial = {
            "text": profile.text,
            "languages": [item.code for item in profile.languages.all()],
            "sectors": [item.section for item in profile.sectors.all()],
            **{
                f"competence_{item.competence_id}": item.level for item in profile.competences.all()
            },
        }
    form = ProfileForm(request.POST or None, taxonomy=taxonomy, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_save(
                organisation=request.organisation,
                user=request.user,
                text=form.cleaned_data["text"],
                competences=form.competence_levels(),
                languages=form.cleaned_data["languages"],
                sectors=form.cleaned_data["sectors"],
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your competence profile is saved."))
            return redirect("people:profile-detail", pk=profile.pk)
    return render(request, "people/profile_form.html", {"form": form, "profile": profile})


@organisation_required
def taxonomy(request: HttpRequest) -> HttpResponse:
    can_edit = permissions.can_edit_taxonomy(request.membership)
    return render(
        request,
        "people/taxonomy.html",
        {
            "taxonomy": selectors.competence_taxonomy(),
            "can_edit": can_edit,
            "area_form": AreaForm(),
            "competence_form": CompetenceForm(),
        },
    )


def _taxonomy_write(request: HttpRequest, form, action, success: str) -> HttpResponse:
    if not permissions.can_edit_taxonomy(request.membership):
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("people:taxonomy")
    try:
        action(form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("people:taxonomy")


@require_POST
@organisation_required
def area_create(request: HttpRequest) -> HttpResponse:
    return _taxonomy_write(
        request,
        AreaForm(request.POST),
        lambda data: services.competence_area_create(
            name_nb=data["name_nb"],
            name_en=data["name_en"],
            organisation=request.organisation,
            actor=request.user,
        ),
        _("The area is added."),
    )


@require_POST
@organisation_required
def competence_create(request: HttpRequest) -> HttpResponse:
    return _taxonomy_write(
        request,
        CompetenceForm(request.POST),
        lambda data: services.competence_create(
            area=data["area"],
            name_nb=data["name_nb"],
            name_en=data["name_en"],
            organisation=request.organisation,
            actor=request.user,
        ),
        _("The competence is added."),
    )


@require_POST
@organisation_required
def competence_rename(request: HttpRequest, pk: int) -> HttpResponse:
    competence = get_object_or_404(Competence, pk=pk)
    form = CompetenceForm(request.POST)
    return _taxonomy_write(
        request,
        form,
        lambda data: services.competence_rename(
            competence=competence,
            name_nb=data["name_nb"],
            name_en=data["name_en"],
            organisation=request.organisation,
            actor=request.user,
        ),
        _("The competence is renamed."),
    )
