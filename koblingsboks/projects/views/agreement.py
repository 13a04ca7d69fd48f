"""The agreement's life cycle: circulating, amending, signing (signed in or by e-mail link),
versions with their diff, the PDF, and the network's default terms."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koblingsboks.core.decorators import organisation_required
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Network
from koblingsboks.projects import permissions, services
from koblingsboks.projects.agreement import agreement_text, budget_summary
from koblingsboks.projects.forms import LinkSignForm, SignForm
from koblingsboks.projects.models import AgreementVersion, TermKey
from koblingsboks.projects.pdf import version_pdf
from koblingsboks.projects.selectors import signature_rows, version_detail
from koblingsboks.projects.signing import signing_link_open
from koblingsboks.projects.views.common import back, project_or_404, run


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_POST
@organisation_required
def circulate(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(pk)
    run(
        request,
        lambda: services.project_circulate(
            project=project, actor=request.user, base_url=_base_url(request)
        ),
        success=_("The agreement was circulated for signatures."),
    )
    return back(project, anchor="agreement")


@require_POST
@organisation_required
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(pk)
    run(
        request,
        lambda: services.amendment_start(project=project, actor=request.user),
        success=_(
            "An amendment is open. Change what is needed and circulate it; all parties sign again."
        ),
    )
    return back(project)


@require_POST
@organisation_required
def activate(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(pk)
    run(
        request,
        lambda: services.project_activate(project=project, actor=request.user),
        success=_("The project is active."),
    )
    return back(project)


@require_POST
@organisation_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(pk)
    run(
        request,
        lambda: services.project_close(project=project, actor=request.user),
        success=_("The project is closed."),
    )
    return back(project)


@require_POST
@organisation_required
def sign(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    project = project_or_404(pk)
    version = get_object_or_404(project.versions.all(), number=number)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The signature form was incomplete; nothing was signed."))
        return back(project, anchor="agreement")
    party = get_object_or_404(
        project.parties.select_related("organisation"), pk=form.cleaned_data["party"]
    )
    run(
        request,
        lambda: services.agreement_sign(
            version=version,
            party=party,
            actor=request.user,
            expected_hash=form.cleaned_data["content_hash"],
        ),
        success=_("You signed version %(number)d for %(party)s.")
        % {"number": version.number, "party": party.name},
    )
    return back(project, anchor="agreement")


@require_POST
@organisation_required
def resend_link(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    project = project_or_404(pk)
    party = get_object_or_404(project.parties.all(), pk=party_pk)
    run(
        request,
        lambda: services.signing_link_resend(
            project=project, party=party, actor=request.user, base_url=_base_url(request)
        ),
        success=_("A new signing link was sent to %(email)s.") % {"email": party.signer_email},
    )
    return back(project, anchor="agreement")


@organisation_required
def version_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    project = project_or_404(pk)
    try:
        version = version_detail(project=project, number=number)
    except AgreementVersion.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "projects/version.html",
        {
            "project": project,
            "version": version,
            "text": agreement_text(version.snapshot),
            "summary": budget_summary(version.snapshot),
            "rows": signature_rows(version=version),
            "diff_lines": _diff_lines(version.diff),
        },
    )


def _diff_lines(diff: str) -> list[dict]:
    lines = []
    for text in diff.splitlines():
        if text.startswith(("+++", "---")):
            kind = "file"
        elif text.startswith("+"):
            kind = "added"
        elif text.startswith("-"):
            kind = "removed"
        elif text.startswith("@@"):
            kind = "hunk"
        else:
            kind = ""
        lines.append({"kind": kind, "text": text})
    return lines


def _pdf_response(version: AgreementVersion) -> HttpResponse:
    response = HttpResponse(version_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="prosjektavtale-{version.project_id}-v{version.number}.pdf"'
    )
    return response


@organisation_required
def version_pdf_download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    project = project_or_404(pk)
    try:
        version = version_detail(project=project, number=number)
    except AgreementVersion.DoesNotExist as exc:
        raise Http404 from exc
    return _pdf_response(version)


# --- the external signer's one-time link ---


def sign_link(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anybody with the secret; the link finds one version and one party only."""
    opened = signing_link_open(token=token)
    if opened is None:
        return render(request, "projects/sign_link_invalid.html", status=404)
    link = opened.link
    version = link.version
    project = version.project
    form = LinkSignForm(request.POST or None)
    done = False
    problem = opened.problem
    if request.method == "POST" and not problem and form.is_valid():
        with organisation_scope(project.lead_organisation):
            try:
                services.signing_link_sign(link=link, signer_name=form.cleaned_data["signer_name"])
            except ServiceError as exc:
                problem = exc.message
            else:
                done = True
    return render(
        request,
        "projects/sign_link.html",
        {
            "link": link,
            "version": version,
            "project": project,
            "party": link.party,
            "form": form,
            "problem": problem,
            "done": done,
            "text": agreement_text(version.snapshot),
            "summary": budget_summary(version.snapshot),
            "token": token,
        },
        status=200 if not problem else 410,
    )


def sign_link_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The PDF of the version a valid link is for, so the signer reads what they sign."""
    opened = signing_link_open(token=token)
    if opened is None or opened.problem:
        raise Http404
    with organisation_scope(opened.link.version.project.lead_organisation):
        return _pdf_response(opened.link.version)


# --- the network's default terms


@organisation_required
def terms_template(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(
        Network.objects.filter(party_links__organisation=request.organisation), slug=slug
    )
    can_edit = permissions.can_edit_terms_template(request.membership)
    current = services.terms_template_for(network)
    labels = dict(TermKey.choices)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        sections = [
            {
                "key": key,
                "title": request.POST.get(f"{key}-title", ""),
                "text": request.POST.get(f"{key}-text", ""),
            }
            for key in TermKey.values
            if request.POST.get(f"{key}-title") or request.POST.get(f"{key}-text")
        ]
        try:
            services.terms_template_save(
                network=network,
                organisation=request.organisation,
                actor=request.user,
                sections=sections,
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            current = [(s["key"], s["title"], s["text"]) for s in sections]
        else:
            messages.success(request, _("The default terms of the network were saved."))
            return redirect("projects:terms-template", slug=network.slug)
    by_key = {key: (title, text) for key, title, text in current}
    rows = [
        {
            "key": key,
            "label": labels[key],
            "title": by_key.get(key, ("", ""))[0],
            "text": by_key.get(key, ("", ""))[1],
        }
        for key in TermKey.values
    ]
    return render(
        request,
        "projects/terms_template.html",
        {"network": network, "rows": rows, "can_edit": can_edit},
    )
