"""Actual costs recorded against budget lines, with attachments checked by content."""

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.network.models import User
from koblingsboks.projects import permissions
from koblingsboks.projects.models import (
    BudgetLine,
    CostEntry,
    Project,
)
from koblingsboks.projects.services.common import (
    ATTACHMENT_SIGNATURES,
    MAX_ATTACHMENT_BYTES,
    audit,
    clean_amount,
    clean_text,
    lock_project,
    membership_of,
    require,
)

# --- actuals


def _attachment_type(upload: UploadedFile) -> str:
    """The content type told by the file's first bytes; refuses anything else or too large."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ServiceError(
            _("The attachment is too large (at most %(mb)d MB).")
            % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            code="attachment",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in ATTACHMENT_SIGNATURES.items():
        if head.startswith(magic):
            return content_type
    raise ServiceError(_("The attachment must be a PDF, PNG or JPEG file."), code="attachment")


def _may_record_costs(actor: User, line: BudgetLine, project: Project) -> bool:
    return any(
        permissions.can_record_costs(membership_of(actor, organisation), line, project)
        for organisation in {line.party.organisation, project.lead_organisation}
        if organisation is not None
    )


def cost_entry_add(
    *,
    budget_line: BudgetLine,
    actor: User,
    date: date,
    amount,
    kind: str,
    note: str = "",
    attachment: UploadedFile | None = None,
) -> CostEntry:
    """Record an actual cost; the party itself, or the lead for an external partner."""
    project = budget_line.project
    require(
        _may_record_costs(actor, budget_line, project),
        _("Only the party itself (or the lead, for an external partner) records its costs."),
    )
    if kind not in CostEntry.Kind.values:
        raise ServiceError(_("Choose cash or in-kind."), code="kind")
    if date is None:
        raise ServiceError(_("A cost needs a date."), code="date")
    if date > timezone.localdate():
        raise ServiceError(_("A cost cannot be dated in the future."), code="date")
    amount = clean_amount(amount, field=_("Amount"), allow_zero=False)
    note = clean_text(note, field=_("Note"), max_length=500)
    content_type = _attachment_type(attachment) if attachment else ""
    with transaction.atomic():
        project = lock_project(project)
        if project.status not in (Project.Status.SIGNED, Project.Status.ACTIVE):
            raise ServiceError(
                _("Costs are recorded once the agreement is signed and until the project closes."),
                code="status",
            )
        entry = CostEntry(
            budget_line=budget_line,
            date=date,
            amount=amount,
            kind=kind,
            note=note,
            created_by=actor,
        )
        if attachment:
            extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[
                content_type
            ]
            entry.attachment_name = clean_text(
                attachment.name, field=_("Attachment"), max_length=200
            )
            entry.attachment.save(f"cost.{extension}", attachment, save=False)
        try:
            entry.save()
        except Exception:
            if entry.attachment:
                entry.attachment.delete(save=False)
            raise
        audit(
            project,
            actor,
            "projects.cost.added",
            obj=entry,
            after={"line": str(budget_line), "amount": str(amount), "kind": kind},
        )
    return entry


def cost_entry_delete(*, entry: CostEntry, actor: User) -> None:
    line = entry.budget_line
    project = line.project
    require(_may_record_costs(actor, line, project))
    if project.status == Project.Status.CLOSED:
        raise ServiceError(_("The project is closed; nothing can be changed."), code="closed")
    with transaction.atomic():
        audit(
            project,
            actor,
            "projects.cost.removed",
            obj=entry,
            before={"line": str(line), "amount": str(entry.amount), "kind": entry.kind},
        )
        attachment = entry.attachment.name
        entry.delete()
        if attachment:
            storage = CostEntry._meta.get_field("attachment").storage
            transaction.on_commit(lambda: storage.delete(attachment))


ATTACHMENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def attachment_content_type(entry: CostEntry) -> str:
    return ATTACHMENT_TYPES.get(
        entry.attachment.name.rsplit(".", 1)[-1], "application/octet-stream"
    )
