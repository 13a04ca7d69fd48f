"""Uploads: size limit, type by content (magic bytes), sanitised names, and storage.

A file is accepted only when its first bytes say it is one of the allowed types AND its
extension belongs to that type: a Windows program renamed to ``rapport.pdf`` starts with
``MZ`` and is refused, and so is a real PDF named ``bilde.png``. Files are stored through
Django's default storage under a random name (files.attachment_path); the original name,
sanitised, is kept for the download.
"""

import os
import re
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.formatting import format_number

MAX_FILES = 10
NAME_MAX = 120


def max_upload_bytes() -> int:
    return int(getattr(settings, "LIBRARY_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    inline: bool = False  # shown in the browser rather than downloaded


PDF = FileType("application/pdf", ("pdf",), inline=True)
PNG = FileType("image/png", ("png",), inline=True)
JPEG = FileType("image/jpeg", ("jpg", "jpeg"), inline=True)
GIF = FileType("image/gif", ("gif",), inline=True)
TEXT = FileType("text/plain", ("txt", "md", "csv"))
OOXML = {
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
    ),
    "xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)
    ),
    "pptx": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)
    ),
}
ODF = {
    "odt": FileType("application/vnd.oasis.opendocument.text", ("odt",)),
    "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", ("ods",)),
    "odp": FileType("application/vnd.oasis.opendocument.presentation", ("odp",)),
}
ALLOWED_EXTENSIONS = sorted(
    {
        ext
        for t in [PDF, PNG, JPEG, GIF, TEXT, *OOXML.values(), *ODF.values()]
        for ext in t.extensions
    }
)


def sanitise_name(name: str) -> str:
    """A file name safe on every disk and in a Content-Disposition header: no path, no
    control characters, no quotes; Norwegian letters kept."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = re.sub(r"[\x00-\x1f\x7f\"'<>:;|?*/\\]", "", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem[: NAME_MAX - len(ext) - 1] or "fil"
    return f"{stem}.{ext.lower()}" if ext else stem


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def _zip_type(upload: UploadedFile, ext: str) -> FileType | None:
    """An Office Open XML or OpenDocument file: a zip with the parts its format requires."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if ext in OOXML and "[Content_Types].xml" in names:
                prefix = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}[ext]
                if any(n.startswith(prefix) for n in names):
                    return OOXML[ext]
            declared = archive.read("mimetype") if "mimetype" in names else b""
            if ext in ODF and declared.decode("ascii", "replace") == ODF[ext].content_type:
                return ODF[ext]
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut off at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def sniff(upload: UploadedFile, ext: str) -> FileType | None:
    """The allowed type the content is, if its extension agrees; else None."""
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith((b"GIF87a", b"GIF89a")):
        found = GIF
    elif head.startswith(b"PK\x03\x04"):
        return _zip_type(upload, ext)
    elif head and _is_text(head):
        found = TEXT
    else:
        return None
    return found if ext in found.extensions else None


@dataclass(frozen=True)
class CheckedUpload:
    upload: UploadedFile
    name: str
    content_type: str
    size: int


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Refuse a file that is too big, empty, or not what its name says."""
    name = sanitise_name(upload.name)
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ServiceError(
            _("“%(name)s” is %(size)s MB; files can be at most %(max)s MB.")
            % {
                "name": name,
                "size": format_number(round(upload.size / 1024 / 1024, 1)),
                "max": format_number(round(limit / 1024 / 1024, 1)),
            },
            code="file_too_large",
        )
    if upload.size == 0:
        raise ServiceError(_("“%s” is empty.") % name, code="file_empty")
    ext = _extension(name)
    if ext not in ALLOWED_EXTENSIONS:
        raise ServiceError(
            _("“%(name)s”: this kind of file is not accepted. Allowed: %(types)s.")
            % {"name": name, "types": ", ".join(ALLOWED_EXTENSIONS)},
            code="file_type",
        )
    found = sniff(upload, ext)
    if found is None:
        raise ServiceError(
            _("“%(name)s” does not contain what its name says (.%(ext)s); it was not accepted.")
            % {"name": name, "ext": ext},
            code="file_type",
        )
    return CheckedUpload(
        upload=upload, name=name, content_type=found.content_type, size=upload.size
    )


def check_uploads(uploads) -> list[CheckedUpload]:
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > MAX_FILES:
        raise ServiceError(_("Attach at most %d files at a time.") % MAX_FILES, code="files")
    return [check_upload(u) for u in uploads]


def is_inline(content_type: str) -> bool:
    return content_type in {PDF.content_type, PNG.content_type, JPEG.content_type, GIF.content_type}


def attachments_save(
    checked: list[CheckedUpload], *, organisation, user, stored: list, post=None, method=None
) -> list:
    """Store checked uploads as attachments of ``post`` or ``method``. Each stored file is
    appended to ``stored`` so that the service can remove it if its transaction fails
    (``removing_files_on_error``)."""
    from koblingsboks.library.models import Attachment

    saved = []
    for item in checked:
        attachment = Attachment(
            post=post,
            method=method,
            organisation=organisation,
            uploaded_by=user,
            name=item.name,
            content_type=item.content_type,
            size=item.size,
        )
        item.upload.seek(0)
        attachment.file.save(item.name, item.upload, save=False)
        stored.append((attachment.file.storage, attachment.file.name))
        attachment.save()
        saved.append(attachment)
    return saved


@contextmanager
def removing_files_on_error(stored: list):
    """Wrap a service's transaction: files it stored are deleted again when it fails, so
    that nothing is left on disk that no row points to."""
    try:
        yield
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise


def attachments_add(
    uploads, *, organisation, actor, action: str, obj, on_saved=None, post=None, method=None
) -> list:
    """Attach ``uploads`` to an existing ``post`` or ``method`` (``obj``) with the pages'
    checks and audit ``action`` — all or nothing: files stored before a failure are removed.
    ``on_saved`` runs inside the transaction after the rows are written."""
    from django.db import transaction

    from koblingsboks.core.audit import log_action

    checked = check_uploads(uploads)
    if not checked:
        raise ServiceError(_("Choose at least one file."), code="files")
    stored: list = []
    with removing_files_on_error(stored), transaction.atomic():
        saved = attachments_save(
            checked, organisation=organisation, user=actor, stored=stored, post=post, method=method
        )
        if on_saved is not None:
            on_saved()
        log_action(
            organisation=organisation,
            actor=actor,
            action=action,
            obj=obj,
            after={"files": [a.name for a in saved]},
        )
    return saved


def delete_stored(files: list[tuple]) -> None:
    for storage, name in files:
        storage.delete(name)
