"""The projects pages: list and filters, drafting, signing, the PDF, actuals and xlsx."""

import io
import re
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from koblingsboks.core.middleware import SESSION_KEY
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.projects import services
from koblingsboks.projects.models import AgreementVersion, Project, Signature
from koblingsboks.projects.signing import signing_link_open
from koblingsboks.projects.tests.factories import BASE_URL, draft_project

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n% test\n%%EOF\n"


@pytest.fixture(autouse=True)
def _mail_on_commit(monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())


def login(client, tenant, user):
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = tenant.organisation.pk
    session.save()
    return client


@pytest.fixture
def project(tenant_a, tenant_b):
    return draft_project(tenant_a, tenant_b)


def signed(project, a, b):
    with organisation_scope(a.organisation):
        version = services.project_circulate(project=project, actor=a.manager, base_url=BASE_URL)
        services.agreement_sign(
            version=version, party=project.parties.get(organisation=a.organisation), actor=a.manager
        )
    with organisation_scope(b.organisation):
        services.agreement_sign(
            version=version, party=project.parties.get(organisation=b.organisation), actor=b.manager
        )
    message = next(m for m in mail.outbox if m.to == ["ordforer@kommune.example"])
    token = re.search(r"/projects/sign/([^/\s]+)/", message.body).group(1)
    opened = signing_link_open(token=token)
    with organisation_scope(a.organisation):
        services.signing_link_sign(link=opened.link, signer_name="Ordfører Olsen")
    return version, token


def test_list_filters_by_status_party_and_year(client, tenant_a, tenant_b, project):
    login(client, tenant_a, tenant_a.manager)
    other = draft_project(tenant_a, external=False, title="Reiselivsnettverket")
    with organisation_scope(tenant_a.organisation):
        Project.objects.filter(pk=other.pk).update(
            start_date=date(2028, 1, 1), end_date=date(2028, 12, 31)
        )
    page = client.get(reverse("projects:list")).content.decode()
    assert "Felles kompetanseløft" in page and "Reiselivsnettverket" in page
    page = client.get(reverse("projects:list"), {"party": "kommune"}).content.decode()
    assert "Felles kompetanseløft" in page and "Reiselivsnettverket" not in page
    page = client.get(reverse("projects:list"), {"year": 2028}).content.decode()
    assert "Felles kompetanseløft" not in page and "Reiselivsnettverket" in page
    page = client.get(reverse("projects:list"), {"status": "circulated"}).content.decode()
    assert "Felles kompetanseløft" not in page and 'data-testid="project-empty"' in page
    # B is a party too
    login(client, tenant_b, tenant_b.advisor)
    page = client.get(reverse("projects:list")).content.decode()
    assert "Felles kompetanseløft" in page and "Reiselivsnettverket" not in page


def test_create_and_draft_through_the_pages(client, tenant_a, tenant_b):
    login(client, tenant_a, tenant_a.manager)
    response = client.post(
        reverse("projects:create"),
        {"title": "Grønn omstilling", "start_date": "2026-01-01", "end_date": "2025-01-01"},
    )
    assert response.status_code == 200  # dates in the wrong order
    with organisation_scope(tenant_a.organisation):
        assert not Project.objects.exists()
    response = client.post(
        reverse("projects:create"),
        {"title": "Grønn omstilling", "start_date": "2026-01-01", "end_date": "2026-12-31"},
    )
    with organisation_scope(tenant_a.organisation):
        project = Project.objects.get()
    assert response.url == reverse("projects:detail", args=[project.pk])
    client.post(
        reverse("projects:party-add", args=[project.pk]),
        {"organisation": tenant_b.organisation.pk, "contact_name": "Berit"},
    )
    response = client.post(
        reverse("projects:budget-line-add", args=[project.pk]),
        {
            "party": project.parties.first().pk if False else _lead_party(project, tenant_a).pk,
            "year": 2026,
            "category": "travel",
            "cash": "12 500,50",
            "in_kind": "0",
        },
    )
    page = client.get(reverse("projects:budget", args=[project.pk])).content.decode()
    assert "kr\xa012\xa0500,50" in page
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Hage B" in detail
    assert 'data-testid="circulation-problems"' in detail  # no responsibilities, unbalanced
    assert "Varighet" in detail  # the default Norwegian terms


def _lead_party(project, tenant):
    with organisation_scope(tenant.organisation):
        return project.parties.get(organisation=tenant.organisation)


def test_editing_a_circulated_version_in_place_shows_a_clear_message(
    client, tenant_a, tenant_b, project
):
    with organisation_scope(tenant_a.organisation):
        services.project_circulate(project=project, actor=tenant_a.manager, base_url=BASE_URL)
        line = project.budget_lines.first()
    login(client, tenant_a, tenant_a.manager)
    response = client.post(
        reverse("projects:budget-line-add", args=[project.pk]),
        {
            "party": line.party_id,
            "year": line.year,
            "category": line.category,
            "cash": "1",
            "in_kind": "0",
        },
        follow=True,
    )
    assert "start an amendment" in response.content.decode().lower() or "endring" in (
        response.content.decode().lower()
    )
    line.refresh_from_db()
    assert line.cash == Decimal("100000")


def test_signing_in_the_browser_and_by_link(client, tenant_a, tenant_b, project):
    with organisation_scope(tenant_a.organisation):
        version = services.project_circulate(
            project=project, actor=tenant_a.manager, base_url=BASE_URL
        )
    login(client, tenant_b, tenant_b.manager)
    party_b = _lead_party(project, tenant_b)
    # a stale hash signs nothing
    client.post(
        reverse("projects:sign", args=[project.pk, 1]),
        {"content_hash": "0" * 64, "party": party_b.pk},
    )
    with organisation_scope(tenant_b.organisation):
        assert not Signature.objects.exists()
    client.post(
        reverse("projects:sign", args=[project.pk, 1]),
        {"content_hash": version.content_hash, "party": party_b.pk},
    )
    with organisation_scope(tenant_b.organisation):
        assert Signature.objects.get().signer == tenant_b.manager
    # B's manager cannot sign for A
    client.post(
        reverse("projects:sign", args=[project.pk, 1]),
        {"content_hash": version.content_hash, "party": _lead_party(project, tenant_a).pk},
    )
    with organisation_scope(tenant_b.organisation):
        assert Signature.objects.count() == 1
    message = next(m for m in mail.outbox if m.to == ["ordforer@kommune.example"])
    token = re.search(r"/projects/sign/([^/\s]+)/", message.body).group(1)
    anonymous = client.__class__()
    page = anonymous.get(reverse("projects:sign-link", args=[token]))
    assert page.status_code == 200 and version.content_hash in page.content.decode()
    pdf = anonymous.get(reverse("projects:sign-link-pdf", args=[token]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    response = anonymous.post(
        reverse("projects:sign-link", args=[token]),
        {"signer_name": "Ordfører Olsen", "confirm": "on"},
    )
    assert 'data-testid="link-signed"' in response.content.decode()
    again = anonymous.post(
        reverse("projects:sign-link", args=[token]),
        {"signer_name": "Ordfører Olsen", "confirm": "on"},
    )
    assert again.status_code == 410 and 'data-testid="link-problem"' in again.content.decode()
    assert anonymous.get(reverse("projects:sign-link", args=["nonsense"])).status_code == 404
    with organisation_scope(tenant_b.organisation):
        assert Signature.objects.count() == 2


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "agreement.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_pdf_has_the_totals_per_party_and_year(client, tenant_a, tenant_b, project, tmp_path):
    version, token = signed(project, tenant_a, tenant_b)
    login(client, tenant_a, tenant_a.advisor)
    response = client.get(reverse("projects:version-pdf", args=[project.pk, version.number]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert "Samarbeidsavtale" in text and "Signaturer" in text
    assert version.content_hash[:32] in text.replace("\n", "").replace(" ", "")
    lines = text.splitlines()
    sums = next(i for i, line in enumerate(lines) if "Sum per part og år" in line)
    # each party: 2026 150 000, 2027 20 000,50, cash 120 000,50, in-kind 50 000, total 170 000,50
    for party in ("Hage A", "Hage B", "Orkland kommune"):
        row = next(line for line in lines[sums:] if line.strip().startswith(party))
        cells = [c.replace("\xa0", " ") for c in re.split(r"\s{2,}", row.strip())]
        assert cells[1:] == [
            "kr 150 000",
            "kr 20 000,50",
            "kr 120 000,50",
            "kr 50 000",
            "kr 170 000,50",
        ], row
    total = next(line for line in lines[sums:] if line.strip().startswith("Sum per år"))
    cells = [c.replace("\xa0", " ") for c in re.split(r"\s{2,}", total.strip())]
    assert cells[1:] == [
        "kr 450 000",
        "kr 60 001,50",
        "kr 360 001,50",
        "kr 150 000",
        "kr 510 001,50",
    ]
    assert "Sum finansiering" in text and "kr 510 001,50" in text.replace("\xa0", " ")
    assert "Ordfører Olsen" in text  # the signature record


def test_actuals_attachment_and_xlsx(client, tenant_a, tenant_b, project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    signed(project, tenant_a, tenant_b)
    with organisation_scope(tenant_b.organisation):
        line = project.budget_lines.get(party__organisation=tenant_b.organisation, year=2027)
    login(client, tenant_b, tenant_b.advisor)
    bad = client.post(
        reverse("projects:actuals", args=[project.pk]),
        {
            "budget_line": line.pk,
            "date": "2026-02-01",
            "amount": "100",
            "kind": "cash",
            "attachment": SimpleUploadedFile("x.pdf", b"<html>not a pdf", "application/pdf"),
        },
    )
    assert bad.status_code == 400
    response = client.post(
        reverse("projects:actuals", args=[project.pk]),
        {
            "budget_line": line.pk,
            "date": "2026-02-01",
            "amount": "25000",
            "kind": "cash",
            "note": "Reise til Røros",
            "attachment": SimpleUploadedFile("kvittering.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("projects:actuals", args=[project.pk])).content.decode()
    assert 'data-testid="over-budget"' in page  # 25 000 against 20 000,50
    assert "kr\xa025\xa0000" in page
    with organisation_scope(tenant_b.organisation):
        entry = line.cost_entries.get()
    download = client.get(reverse("projects:cost-attachment", args=[project.pk, entry.pk]))
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("projects:actuals-xlsx", args=[project.pk])).content)
    )
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    row = next(r for r in rows if r[0] == "Hage B" and r[1] == 2027)
    assert row[3] == pytest.approx(20000.5) and row[6] == 25000 and row[10]
    assert rows[-1][8] == 25000  # total actual
    costs = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert costs[1][6] == "Reise til Røros"


def test_an_amendment_shows_its_diff(client, tenant_a, tenant_b, project):
    signed(project, tenant_a, tenant_b)
    login(client, tenant_a, tenant_a.manager)
    client.post(reverse("projects:amend", args=[project.pk]))
    with organisation_scope(tenant_a.organisation):
        services.term_save(
            project=project,
            actor=tenant_a.manager,
            key="other",
            title="Kommunikasjon",
            text="Partene omtaler prosjektet felles.",
        )
    client.post(reverse("projects:circulate", args=[project.pk]))
    with organisation_scope(tenant_a.organisation):
        assert project.versions.get(number=2).status == AgreementVersion.Status.CIRCULATED
    page = client.get(reverse("projects:version", args=[project.pk, 2])).content.decode()
    assert 'data-testid="diff"' in page
    assert "+  Partene omtaler prosjektet felles." in page
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert detail.count('data-testid="not-signed"') == 3


def test_pages_in_english_and_bokmaal(client, tenant_a, project):
    login(client, tenant_a, tenant_a.advisor)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Ansvarsområder" in page and "Økonomisk ramme" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Areas of responsibility" in page and "Economic frame" in page
    assert "kr\xa0510\xa0001,50" in page or "kr\xa0510,001.50" in page
