"""Helpers for the library's tests: posts, methods and uploads made through the services."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from koblingsboks.library.feed.services import post_create
from koblingsboks.library.methods.services import method_create
from koblingsboks.library.models import Audience

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="plan.pdf", content=PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def exe_as_pdf(name="rapport.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 60, content_type="application/pdf")


def docx(name="program.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def committed():
    """Run the on-commit side effects (notifications) of the writes inside, as a real commit
    would; tests run in a transaction that never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def make_post(tenant, *, network=None, audience=None, author=None, **kwargs):
    audience = audience or (Audience.NETWORK if network else Audience.ORGANISATION)
    kwargs.setdefault("title", "Nytt fra hagen")
    kwargs.setdefault("body", "Vi har startet et nytt program.")
    with committed():
        return post_create(
            organisation=tenant.organisation,
            author=author or tenant.advisor,
            audience=audience,
            network=network,
            **kwargs,
        )


def make_method(tenant, *, audience=Audience.NETWORK, actor=None, **kwargs):
    kwargs.setdefault("title", "Gründerverksted")
    kwargs.setdefault("summary", "Tre kvelder for nye gründere.")
    kwargs.setdefault("body", "Slik gjør vi det.")
    with committed():
        return method_create(
            organisation=tenant.organisation,
            actor=actor or tenant.advisor,
            contact=tenant.advisor,
            audience=audience,
            **kwargs,
        )
