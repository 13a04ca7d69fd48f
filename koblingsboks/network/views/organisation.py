"""The active organisation: its details, members, invitations and audit log."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koblingsboks.core.decorators import role_required
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.pagination import paginate
from koblingsboks.network import permissions
from koblingsboks.network.forms import InviteForm, OrganisationForm, RoleForm
from koblingsboks.network.invitations import invitation_create, invitation_revoke
from koblingsboks.network.models import Invitation, Membership
from koblingsboks.network.selectors import invitation_list_open, member_list
from koblingsboks.network.services import (
    ORGANISATION_EDITABLE_FIELDS,
    membership_change_role,
    membership_remove,
    organisation_update,
)


@role_required(permissions.can_edit_organisation)
def organisation_edit(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ORGANISATION_EDITABLE_FIELDS}
        try:
            organisation_update(
                organisation=organisation,
                actor=request.user,
                data=data,
                municipalities=list(form.cleaned_data["municipalities"]),
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The organisation's details were saved."))
            return redirect("network:organisation", slug=organisation.slug)
    return render(request, "network/organisation_edit.html", {"form": form})


@role_required(permissions.can_manage_members)
def member_index(request: HttpRequest) -> HttpResponse:
    ordering = request.GET.get("sort", "name")
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                organisation=request.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ServiceError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(
                request, _("An invitation was sent to %s.") % form.cleaned_data["email"]
            )
            return redirect("network:members")
    context = {
        "page": paginate(
            request, member_list(organisation=request.organisation, ordering=ordering)
        ),
        "invitations": invitation_list_open(organisation=request.organisation),
        "invite_form": form,
        "roles": RoleForm.base_fields["role"].choices,
        "sort": ordering,
    }
    return render(request, "network/members.html", context, status=400 if form.errors else 200)


def _membership_or_404(request: HttpRequest, pk: int) -> Membership:
    # The scoped manager only finds memberships of the active organisation.
    return get_object_or_404(Membership.objects.select_related("user"), pk=pk)


def _run_and_report(request: HttpRequest, action: Callable[[], object], success: str):
    """Run a service; show its refusal or ``success`` as a message on the members page."""
    try:
        action()
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("network:members")


@require_POST
@role_required(permissions.can_manage_members)
def member_change_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_or_404(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles in the list."))
        return redirect("network:members")
    return _run_and_report(
        request,
        lambda: membership_change_role(
            membership=membership, role=form.cleaned_data["role"], actor=request.user
        ),
        _("%s has a new role.") % membership.user,
    )


@require_POST
@role_required(permissions.can_manage_members)
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_or_404(request, pk)
    return _run_and_report(
        request,
        lambda: membership_remove(membership=membership, actor=request.user),
        _("%s was removed from the organisation.") % membership.user,
    )


@require_POST
@role_required(permissions.can_manage_members)
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    return _run_and_report(
        request,
        lambda: invitation_revoke(invitation=invitation, actor=request.user),
        _("The invitation to %s was withdrawn.") % invitation.email,
    )


@role_required(permissions.can_read_audit_log)
def audit_log(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    entries = AuditEntry.objects.filter(organisation=request.organisation).select_related(
        "actor", "content_type"
    )
    if action:
        entries = entries.filter(action=action)
    actions = (
        AuditEntry.objects.filter(organisation=request.organisation)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    context = {"page": paginate(request, entries), "actions": actions, "action": action}
    return render(request, "network/audit_log.html", context)


@role_required(permissions.can_read_audit_log)
def audit_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(AuditEntry.objects.select_related("actor"), pk=pk)
    if entry.organisation_id != request.organisation.pk:
        raise Http404
    return render(request, "network/audit_entry.html", {"entry": entry})
