"""Helpers shared by the projects pages."""

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.projects import permissions
from koblingsboks.projects.models import Project
from koblingsboks.projects.selectors import project_detail


def project_or_404(pk: int) -> Project:
    """A project of the active organisation (the scope); 404 for any other."""
    try:
        return project_detail(pk=pk)
    except Project.DoesNotExist as exc:
        raise Http404 from exc


def project_url(project: Project, name: str = "detail", anchor: str = "") -> str:
    url = reverse(f"projects:{name}", kwargs={"pk": project.pk})
    return f"{url}#{anchor}" if anchor else url


def run(request: HttpRequest, action, *, success: str = "") -> bool:
    """Run a service; show its refusal as an error message. True when it went through."""
    try:
        action()
    except ServiceError as exc:
        messages.error(request, exc.message)
        return False
    if success:
        messages.success(request, success)
    return True


def back(project: Project, name: str = "detail", anchor: str = ""):
    return redirect(project_url(project, name, anchor))


def rights(request: HttpRequest, project: Project) -> dict:
    membership = request.membership
    editable = project.status == Project.Status.DRAFT or (
        project.amending and project.status != Project.Status.CLOSED
    )
    can_edit = permissions.can_edit_project(membership, project)
    return {
        "can_edit": can_edit,
        "editable": editable,
        "can_change": can_edit and editable,
        "can_manage": permissions.can_manage_agreement(membership, project),
    }
