"""The satisfaction survey: the garden's surveys, sending the one-time links, the answers
(private to the garden), and the public answer page behind a link."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koblingsboks.companies.models import Company
from koblingsboks.companies.selectors import survey_contact_emails
from koblingsboks.core.decorators import organisation_required
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.reporting.definitions import DEFAULT_KINDS
from koblingsboks.reporting.forms import SurveyAnswerForm, SurveyForm
from koblingsboks.reporting.models import SatisfactionSurvey
from koblingsboks.reporting.permissions import can_manage_surveys, can_read_survey_answers
from koblingsboks.reporting.selectors import survey_candidates, survey_detail, survey_list
from koblingsboks.reporting.services import survey_answer_save, survey_create, survey_send
from koblingsboks.reporting.survey_links import survey_invitation_by_token


@organisation_required
def survey_index(request: HttpRequest) -> HttpResponse:
    can_manage = can_manage_surveys(request.membership)
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                survey = survey_create(
                    organisation=request.organisation,
                    actor=request.user,
                    **form.cleaned_data,
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The survey was created. Now send the links."))
                return redirect("reporting:survey", pk=survey.pk)
    return render(
        request,
        "reporting/surveys.html",
        {
            "surveys": survey_list(organisation=request.organisation),
            "form": form,
            "can_manage": can_manage,
            "can_read": can_read_survey_answers(request.membership),
        },
        status=400 if form.errors else 200,
    )


def _survey_or_404(request, pk: int) -> SatisfactionSurvey:
    try:
        return survey_detail(organisation=request.organisation, pk=pk)
    except SatisfactionSurvey.DoesNotExist as exc:
        raise Http404 from exc


def _attach_contact_emails(request, invitations, candidates) -> None:
    """Each row of the send form gets ``contact_emails``: the addresses of the company's
    contact persons who receive surveys (companies app), the first of which pre-fills the
    field; an invitation keeps the address it was sent to."""
    emails = survey_contact_emails(
        organisation=request.organisation,
        company_ids=[i.company_id for i in invitations] + [c.pk for c in candidates],
    )
    for invitation in invitations:
        invitation.contact_emails = emails.get(invitation.company_id, [])
        invitation.prefill = invitation.email or next(iter(invitation.contact_emails), "")
    for company in candidates:
        company.contact_emails = emails.get(company.pk, [])
        company.prefill = next(iter(company.contact_emails), "")


@organisation_required
def survey_page(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_or_404(request, pk)
    if not can_read_survey_answers(request.membership):
        raise PermissionDenied
    invitations = list(survey.invitations.all())
    answered = [i for i in invitations if i.is_answered]
    can_manage = can_manage_surveys(request.membership)
    candidates = (
        survey_candidates(organisation=request.organisation, survey=survey, kinds=DEFAULT_KINDS)
        if can_manage
        else []
    )
    if can_manage:
        _attach_contact_emails(request, [i for i in invitations if not i.is_answered], candidates)
    return render(
        request,
        "reporting/survey_detail.html",
        {
            "survey": survey,
            "invitations": invitations,
            "answered": answered,
            "average": (sum(i.score for i in answered) / len(answered)) if answered else None,
            "distribution": [
                (score, sum(1 for i in answered if i.score == score)) for score in range(1, 7)
            ],
            "candidates": candidates,
            "can_manage": can_manage,
            "links": request.session.pop(f"survey-links-{survey.pk}", None),
        },
    )


@require_POST
@organisation_required
def survey_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_or_404(request, pk)
    if not can_manage_surveys(request.membership):
        raise PermissionDenied
    ids = [int(v) for v in request.POST.getlist("company") if v.isdigit()]
    companies = {c.pk: c for c in Company.objects.filter(pk__in=ids)}
    allowed = {
        c.pk
        for c in survey_candidates(
            organisation=request.organisation, survey=survey, kinds=DEFAULT_KINDS
        )
    } | {i.company_id for i in survey.invitations.all() if not i.is_answered}
    recipients = [
        (companies[i], request.POST.get(f"email-{i}", ""))
        for i in ids
        if i in companies and i in allowed
    ]
    try:
        links = survey_send(
            survey=survey,
            recipients=recipients,
            actor=request.user,
            base_url=request.build_absolute_uri("/"),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        sent = len(recipients) - len(links)
        messages.success(
            request,
            _("%(sent)s e-mailed, %(links)s links to pass on yourself.")
            % {"sent": sent, "links": len(links)},
        )
        if links:
            # Shown once on the next page: only their hashes are stored.
            request.session[f"survey-links-{survey.pk}"] = [
                (companies[cid].name, link) for cid, link in links.items()
            ]
    return redirect("reporting:survey", pk=survey.pk)


def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The public page behind a one-time link: no account, one answer."""
    invitation = survey_invitation_by_token(token=token)
    if invitation is None:
        return render(request, "reporting/survey_answer.html", {"invalid": True}, status=404)
    with organisation_scope(invitation.survey.organisation):
        form = SurveyAnswerForm(request.POST or None)
        error = None
        if request.method == "POST" and not invitation.is_answered and form.is_valid():
            try:
                survey_answer_save(
                    invitation=invitation,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except ServiceError as exc:
                error = exc.message
            else:
                return render(
                    request,
                    "reporting/survey_answer.html",
                    {"thanks": True, "survey": invitation.survey},
                )
        return render(
            request,
            "reporting/survey_answer.html",
            {
                "invitation": invitation,
                "survey": invitation.survey,
                "form": form,
                "error": error,
                "already": invitation.is_answered,
            },
            status=400 if (form.errors or error) else 200,
        )
