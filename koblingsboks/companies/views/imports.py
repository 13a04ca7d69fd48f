"""The CSV import pages: upload → preview with a status per row → confirm → applied.

The uploaded file is kept server-side in the session between the preview and the confirm
(never round-tripped through the browser), bound to the organisation it was previewed for
and identified by a hash that the confirm form must repeat. Confirming plans the file
again, so a change since the preview is caught; confirming twice changes nothing the
second time (the import is idempotent, and the pending file is dropped once applied).

Who may use them (docs/imports.md):
- the affiliation import: administrators of the active organisation, for its own rows only;
- the organisation import: platform staff only, since it creates organisations and
  networks and adds parties to networks, which are facts shared by every tenant.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from koblingsboks.companies.imports import (
    AFFILIATION_COLUMNS,
    affiliation_import_apply,
    affiliation_import_plan,
)
from koblingsboks.core.decorators import role_required
from koblingsboks.core.formatting import format_number
from koblingsboks.network import permissions
from koblingsboks.network.imports import (
    ERROR,
    NEW,
    ORGANISATION_COLUMNS,
    UNCHANGED,
    UPDATE,
    CsvFileError,
    ImportFailed,
    ImportPlan,
    ImportResult,
    organisation_import_apply,
    organisation_import_plan,
)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# Rows shown in the preview table; error rows come first. The counts cover every row.
PREVIEW_ROWS = 500
SESSION_PREFIX = "companies.pending_import."
AFFILIATIONS = "affiliations"
ORGANISATIONS = "organisations"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8, comma-separated, at most 2 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s MB; at most 2 MB can be uploaded here. Split it into "
                    "smaller files, or ask the platform operator to run the import command."
                )
                % {"size": format_number(round(upload.size / 1024 / 1024, 1))}
            )
        return upload.read()


def can_import_affiliations(membership) -> bool:
    return permissions.is_admin(membership)


def staff_required(view: Callable) -> Callable:
    """Signed in as platform staff (``User.is_staff``); anyone else is refused with 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def import_index(request: HttpRequest) -> HttpResponse:
    """The imports this user may run."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    affiliations = can_import_affiliations(request.membership)
    organisations = request.user.is_staff
    if not (affiliations or organisations):
        raise PermissionDenied
    context = {
        "affiliations": affiliations,
        "organisations": organisations,
        "affiliation_columns": ",".join(AFFILIATION_COLUMNS),
        "organisation_columns": ",".join(ORGANISATION_COLUMNS),
        # Two forms on one page: distinct element ids, the same field name.
        "affiliation_form": UploadForm(auto_id="affiliations_%s"),
        "organisation_form": UploadForm(auto_id="organisations_%s"),
    }
    return render(request, "companies/imports/index.html", context)


# --- the pending file in the session -----------------------------------------------------


def _token(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _store(request: HttpRequest, kind: str, *, data: bytes, name: str, organisation_id) -> None:
    request.session[SESSION_PREFIX + kind] = {
        # The bytes were checked to be UTF-8 by the preview; this round-trips exactly.
        "text": data.decode("utf-8"),
        "name": name[:200],
        "token": _token(data),
        "organisation": organisation_id,
    }


def _pending(request: HttpRequest, kind: str, organisation_id) -> dict | None:
    pending = request.session.get(SESSION_PREFIX + kind)
    if not pending or pending.get("organisation") != organisation_id:
        return None
    return {**pending, "data": pending["text"].encode("utf-8")}


def _drop(request: HttpRequest, kind: str) -> None:
    request.session.pop(SESSION_PREFIX + kind, None)


# --- shared page logic ---------------------------------------------------------------------


STATUS_LABELS = {
    NEW: gettext_lazy("new"),
    UPDATE: gettext_lazy("update"),
    UNCHANGED: gettext_lazy("unchanged"),
    ERROR: gettext_lazy("error"),
}


def _preview_rows(plan: ImportPlan) -> list[dict]:
    """Rows for the preview table, errors first, with their cells in column order."""
    ordered = plan.error_rows + [row for row in plan.rows if not row.errors]
    return [
        {
            "line": row.line,
            "cells": [row.values.get(column, "") for column in plan.columns],
            "status": row.status,
            "status_label": STATUS_LABELS[row.status],
            "changes": row.changes,
            "errors": [error.message for error in row.errors],
        }
        for row in ordered[:PREVIEW_ROWS]
    ]


def _upload_page(
    request: HttpRequest,
    *,
    kind: str,
    organisation_id,
    plan_for: Callable[[bytes], ImportPlan],
) -> HttpResponse:
    """GET: the upload form and the preview of the pending file. POST: a new upload."""
    form = UploadForm(request.POST or None, request.FILES or None)
    file_error = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data["file"]
            try:
                plan_for(data)
            except CsvFileError as exc:
                file_error = exc.message
            else:
                _store(
                    request,
                    kind,
                    data=data,
                    name=request.FILES["file"].name,
                    organisation_id=organisation_id,
                )
                return redirect(request.path)
        _drop(request, kind)
        status = 400
    pending = _pending(request, kind, organisation_id)
    plan = None
    if pending is not None:
        try:
            plan = plan_for(pending["data"])
        except CsvFileError as exc:  # cannot happen for a stored file; be safe
            file_error = exc.message
    context = {
        "kind": kind,
        "form": form,
        "file_error": file_error,
        "pending": pending,
        "plan": plan,
        "preview_rows": _preview_rows(plan) if plan else [],
        "columns": AFFILIATION_COLUMNS if kind == AFFILIATIONS else ORGANISATION_COLUMNS,
        "max_rows": PREVIEW_ROWS,
    }
    return render(request, "companies/imports/import.html", context, status=status)


def _confirm(
    request: HttpRequest,
    *,
    kind: str,
    organisation_id,
    apply: Callable[[bytes], ImportResult],
    back: str,
) -> HttpResponse:
    pending = _pending(request, kind, organisation_id)
    if pending is None or request.POST.get("token") != pending["token"]:
        messages.error(
            request,
            _(
                "No previewed file is waiting for confirmation here (it may have been imported "
                "already). Upload the file again to see its preview."
            ),
        )
        return redirect(back)
    try:
        result = apply(pending["data"])
    except (CsvFileError, ImportFailed) as exc:
        messages.error(request, exc.message)
        return redirect(back)
    except (DatabaseError, ValidationError):
        # Only when another import wrote the same rows between the check and the write;
        # the transaction rolled back.
        messages.error(
            request,
            _(
                "Nothing was imported: the same data was changed by someone else at the same "
                "time. Check the preview again and confirm."
            ),
        )
        return redirect(back)
    _drop(request, kind)
    messages.success(
        request,
        _("%(name)s was imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "name": pending["name"],
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return redirect("companies:imports")


# --- affiliations: the active organisation's own rows ----------------------------------


@role_required(can_import_affiliations)
def affiliation_import(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    return _upload_page(
        request,
        kind=AFFILIATIONS,
        organisation_id=organisation.pk,
        plan_for=lambda data: affiliation_import_plan(data=data, only_organisation=organisation),
    )


@require_POST
@role_required(can_import_affiliations)
def affiliation_import_confirm(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    try:
        previewed_for = int(request.POST.get("organisation", ""))
    except ValueError as exc:
        raise Http404 from exc
    if previewed_for not in {m.organisation_id for m in request.memberships}:
        raise Http404
    if previewed_for != organisation.pk:
        messages.error(
            request,
            _(
                "You switched to another organisation after the preview. Upload the file "
                "again for %(name)s."
            )
            % {"name": organisation.name},
        )
        return redirect("companies:import-affiliations")
    return _confirm(
        request,
        kind=AFFILIATIONS,
        organisation_id=organisation.pk,
        apply=lambda data: affiliation_import_apply(
            data=data, actor=request.user, only_organisation=organisation
        ),
        back="companies:import-affiliations",
    )


# --- organisations: platform staff -------------------------------------------------------


@staff_required
def organisation_import(request: HttpRequest) -> HttpResponse:
    return _upload_page(
        request,
        kind=ORGANISATIONS,
        organisation_id=None,
        plan_for=lambda data: organisation_import_plan(data=data),
    )


@staff_required
@require_POST
def organisation_import_confirm(request: HttpRequest) -> HttpResponse:
    return _confirm(
        request,
        kind=ORGANISATIONS,
        organisation_id=None,
        apply=lambda data: organisation_import_apply(data=data, actor=request.user),
        back="companies:import-organisations",
    )
