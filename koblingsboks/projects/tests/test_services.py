"""Rules of joint projects: drafting, circulating, signing, amending and actuals."""

import re
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_scopes import ScopeError, scopes_disabled

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.projects import services
from koblingsboks.projects.agreement import agreement_snapshot, budget_summary, content_hash
from koblingsboks.projects.models import (
    AgreementVersion,
    BudgetLine,
    Category,
    CostEntry,
    FundingKind,
    Project,
    Signature,
    SigningLink,
)
from koblingsboks.projects.signing import signing_link_open
from koblingsboks.projects.tests.factories import BASE_URL, draft_project, external_party

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def link_token(message) -> str:
    return re.search(r"/projects/sign/([^/\s]+)/", message.body).group(1)


@pytest.fixture(autouse=True)
def _mail_on_commit(monkeypatch):
    """The test's transaction never commits; send the e-mail the moment it is queued."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())


def circulate(project, tenant):
    with organisation_scope(tenant.organisation):
        return services.project_circulate(project=project, actor=tenant.manager, base_url=BASE_URL)


def sign_all(project, version, a, b, *, captured):
    with organisation_scope(a.organisation):
        services.agreement_sign(
            version=version, party=project.parties.get(organisation=a.organisation), actor=a.manager
        )
    with organisation_scope(b.organisation):
        services.agreement_sign(
            version=version, party=project.parties.get(organisation=b.organisation), actor=b.manager
        )
    token = link_token(captured[-1] if captured else mail.outbox[-1])
    opened = signing_link_open(token=token)
    with organisation_scope(a.organisation):
        return services.signing_link_sign(link=opened.link, signer_name="Ordfører Olsen")


@pytest.fixture
def project(tenant_a, tenant_b):
    return draft_project(tenant_a, tenant_b)


def test_a_project_is_visible_to_its_parties_only(project, tenant_a, tenant_b, shared_network):
    with organisation_scope(tenant_b.organisation):
        assert Project.objects.filter(pk=project.pk).exists()
    from tests.factories import OrganisationFactory

    outsider = OrganisationFactory()
    with organisation_scope(outsider):
        assert not Project.objects.filter(pk=project.pk).exists()
        assert not BudgetLine.objects.filter(project_id=project.pk).exists()
    with pytest.raises(ScopeError):
        list(Project.objects.all())


def test_the_snapshot_hash_is_stable_and_changes_with_the_content(project, tenant_a):
    with organisation_scope(tenant_a.organisation):
        first = content_hash(agreement_snapshot(project))
        assert first == content_hash(agreement_snapshot(Project.objects.get(pk=project.pk)))
        line = project.budget_lines.first()
        services.budget_line_set(
            project=project,
            party=line.party,
            actor=tenant_a.manager,
            year=line.year,
            category=line.category,
            cash=line.cash + 1,
            in_kind=line.in_kind,
        )
        assert content_hash(agreement_snapshot(project)) != first


def test_budget_totals_per_party_and_year(project, tenant_a):
    with organisation_scope(tenant_a.organisation):
        summary = budget_summary(agreement_snapshot(project))
    assert summary.total.total == Decimal("510001.50")
    assert summary.by_year[2026].total == Decimal("450000")
    assert summary.by_year[2027].total == Decimal("60001.50")
    assert {amounts.total for amounts in summary.by_party.values()} == {Decimal("170000.50")}
    assert summary.balanced


def test_an_unbalanced_budget_cannot_be_circulated(project, tenant_a):
    with organisation_scope(tenant_a.organisation):
        services.funding_add(
            project=project, actor=tenant_a.manager, kind=FundingKind.OWN, name="Egne", amount=10
        )
        with pytest.raises(ServiceError) as error:
            services.project_circulate(project=project, actor=tenant_a.manager, base_url=BASE_URL)
        assert "does not balance" in str(error.value.message) or "balanserer" in error.value.message
        assert not AgreementVersion.objects.filter(project=project).exists()
        assert Project.objects.get(pk=project.pk).status == Project.Status.DRAFT


def test_a_party_without_a_responsibility_blocks_circulation(project, tenant_a):
    with organisation_scope(tenant_a.organisation):
        services.party_add(
            project=project,
            actor=tenant_a.manager,
            external_name="NTNU",
            signer_name="Rektor",
            signer_email="rektor@ntnu.example",
        )
        problems = services.circulation_problems(project)
        assert any("NTNU" in problem for problem in problems)
        with pytest.raises(ServiceError):
            services.project_circulate(project=project, actor=tenant_a.manager, base_url=BASE_URL)
        assert not project.versions.exists()


def test_bad_input_is_refused(project, tenant_a):
    with organisation_scope(tenant_a.organisation):
        party = project.parties.first()
        with pytest.raises(ServiceError):  # year outside the period
            services.budget_line_set(
                project=project,
                party=party,
                actor=tenant_a.manager,
                year=2030,
                category=Category.OTHER,
                cash=1,
                in_kind=0,
            )
        with pytest.raises(ServiceError):  # negative
            services.budget_line_set(
                project=project,
                party=party,
                actor=tenant_a.manager,
                year=2026,
                category=Category.OTHER,
                cash=-1,
                in_kind=0,
            )
        with pytest.raises(ServiceError):
            services.project_update(
                project=project,
                actor=tenant_a.manager,
                title="x",
                purpose="",
                start_date=date(2026, 5, 1),
                end_date=date(2026, 4, 1),
                network=None,
            )
        with pytest.raises(ServiceError):  # an advisor of another organisation
            services.party_add(project=project, actor=tenant_a.observer, external_name="X")
        with pytest.raises(ServiceError):  # external partner without signer
            services.party_add(project=project, actor=tenant_a.manager, external_name="X")
        assert project.parties.count() == 3


def test_circulate_sign_by_everybody(project, tenant_a, tenant_b):
    version = circulate(project, tenant_a)
    assert version.number == 1
    assert version.content_hash == content_hash(version.snapshot)
    assert len(version.content_hash) == 64
    external_mail = [m for m in mail.outbox if m.to == ["ordforer@kommune.example"]]
    assert len(external_mail) == 1
    token = link_token(external_mail[0])
    with scopes_disabled():
        stored = SigningLink.objects.get()
    assert token not in stored.token_hash and stored.token_hash == services.token_hash(token)
    assert any(tenant_b.manager.email in m.to for m in mail.outbox)

    with organisation_scope(tenant_a.organisation):
        services.agreement_sign(
            version=version,
            party=project.parties.get(organisation=tenant_a.organisation),
            actor=tenant_a.manager,
            expected_hash=version.content_hash,
        )
        with pytest.raises(ServiceError) as twice:
            services.agreement_sign(
                version=version,
                party=project.parties.get(organisation=tenant_a.organisation),
                actor=tenant_a.manager,
            )
        assert twice.value.code == "already_signed"
        with pytest.raises(ServiceError) as not_manager:  # A's manager signing for B
            services.agreement_sign(
                version=version,
                party=project.parties.get(organisation=tenant_b.organisation),
                actor=tenant_a.manager,
            )
        assert not_manager.value.code == "forbidden"
    with organisation_scope(tenant_b.organisation):
        with pytest.raises(ServiceError):  # an advisor is not an authorised signer
            services.agreement_sign(
                version=version,
                party=project.parties.get(organisation=tenant_b.organisation),
                actor=tenant_b.advisor,
            )
        services.agreement_sign(
            version=version,
            party=project.parties.get(organisation=tenant_b.organisation),
            actor=tenant_b.manager,
        )
        assert Project.objects.get(pk=project.pk).status == Project.Status.CIRCULATED
    opened = signing_link_open(token=token)
    assert opened.problem == ""
    with organisation_scope(tenant_a.organisation):
        signature = services.signing_link_sign(link=opened.link, signer_name="Ordfører Olsen")
        assert signature.version_hash == version.content_hash
        assert signature.method == Signature.Method.EMAIL_LINK
        project.refresh_from_db()
        assert project.status == Project.Status.SIGNED
        version.refresh_from_db()
        assert version.status == AgreementVersion.Status.SIGNED
        assert Signature.objects.filter(version=version).count() == 3
        assert AuditEntry.objects.filter(action="projects.signature.recorded").count() == 3
    # the link works once
    reused = signing_link_open(token=token)
    assert "already been used" in reused.problem or reused.problem
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError) as used:
        services.signing_link_sign(link=reused.link, signer_name="Noen andre")
    assert used.value.code == "used"


def test_an_expired_link_signs_nothing(project, tenant_a):
    circulate(project, tenant_a)
    token = link_token(
        mail.outbox[-1]
        if mail.outbox[-1].to[0].startswith("ordforer")
        else next(m for m in mail.outbox if m.to == ["ordforer@kommune.example"])
    )
    with scopes_disabled():
        SigningLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    opened = signing_link_open(token=token)
    assert opened.problem
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError) as error:
        services.signing_link_sign(link=opened.link, signer_name="Olsen")
    assert error.value.code == "expired"
    with organisation_scope(tenant_a.organisation):
        assert not Signature.objects.exists()
    assert signing_link_open(token="not-the-token") is None
    with scopes_disabled():
        assert signing_link_open(token=SigningLink.objects.get().token_hash) is None


def test_editing_a_circulated_version_in_place_is_refused(project, tenant_a):
    circulate(project, tenant_a)
    with organisation_scope(tenant_a.organisation):
        line = project.budget_lines.first()
        before = (line.cash, line.in_kind)
        with pytest.raises(ServiceError) as error:
            services.budget_line_set(
                project=project,
                party=line.party,
                actor=tenant_a.manager,
                year=line.year,
                category=line.category,
                cash=1,
                in_kind=1,
            )
        assert error.value.code == "frozen"
        line.refresh_from_db()
        assert (line.cash, line.in_kind) == before
        with pytest.raises(ServiceError):
            services.funding_add(
                project=project, actor=tenant_a.manager, kind="own", name="x", amount=1
            )


def test_an_amendment_after_signing_needs_all_signatures_again(project, tenant_a, tenant_b):
    version = circulate(project, tenant_a)
    external = [m for m in mail.outbox if m.to == ["ordforer@kommune.example"]]
    sign_all(project, version, tenant_a, tenant_b, captured=external)
    with organisation_scope(tenant_a.organisation):
        services.project_activate(project=project, actor=tenant_a.manager)
        services.amendment_start(project=project, actor=tenant_a.manager)
        line = project.budget_lines.get(party__organisation=tenant_a.organisation, year=2026)
        services.budget_line_set(
            project=project,
            party=line.party,
            actor=tenant_a.manager,
            year=2026,
            category=line.category,
            cash=Decimal("120000"),
            in_kind=line.in_kind,
        )
        services.funding_add(
            project=project,
            actor=tenant_a.manager,
            kind=FundingKind.OWN,
            name="Egne midler",
            amount=Decimal("20000"),
        )
        mail.outbox.clear()
        amended = services.project_circulate(
            project=project, actor=tenant_a.manager, base_url=BASE_URL
        )
        assert amended.number == 2 and amended.diff_against == 1
        removed = [ln for ln in amended.diff.splitlines() if ln.startswith("-Budsjett Hage A 2026")]
        added = [ln for ln in amended.diff.splitlines() if ln.startswith("+Budsjett Hage A 2026")]
        assert len(removed) == 1 and "kr\xa0100\xa0000" in removed[0]
        assert len(added) == 1 and "kr\xa0120\xa0000" in added[0]
        assert any(
            ln.startswith("+Finansiering") and "Egne midler" in ln
            for ln in amended.diff.splitlines()
        )
        assert amended.content_hash != version.content_hash
        project.refresh_from_db()
        assert project.status == Project.Status.CIRCULATED
        assert not amended.signatures.exists()
        # the old version can no longer be signed; the first signed version stays signed
        version.refresh_from_db()
        assert version.status == AgreementVersion.Status.SIGNED
    new_token = link_token(next(m for m in mail.outbox if m.to == ["ordforer@kommune.example"]))
    sign_all(project, amended, tenant_a, tenant_b, captured=[])
    with organisation_scope(tenant_a.organisation):
        project.refresh_from_db()
        assert project.status == Project.Status.ACTIVE  # it was active before the amendment
        assert amended.signatures.count() == 3
    assert signing_link_open(token=new_token).problem


def test_signing_a_version_that_is_no_longer_current(project, tenant_a, tenant_b):
    version = circulate(project, tenant_a)
    with organisation_scope(tenant_a.organisation):
        services.amendment_start(project=project, actor=tenant_a.manager)
        services.responsibility_add(
            project=project, party=project.parties.first(), actor=tenant_a.manager, title="Mer"
        )
        services.project_circulate(project=project, actor=tenant_a.manager, base_url=BASE_URL)
    with organisation_scope(tenant_b.organisation), pytest.raises(ServiceError) as error:
        services.agreement_sign(
            version=version,
            party=project.parties.get(organisation=tenant_b.organisation),
            actor=tenant_b.manager,
        )
    assert error.value.code == "not_current"
    version.refresh_from_db()
    assert version.status == AgreementVersion.Status.SUPERSEDED


def test_signatures_are_never_edited(project, tenant_a):
    version = circulate(project, tenant_a)
    with organisation_scope(tenant_a.organisation):
        signature = services.agreement_sign(
            version=version,
            party=project.parties.get(organisation=tenant_a.organisation),
            actor=tenant_a.manager,
        )
        signature.signer_name = "Forfalsket"
        with pytest.raises(ValueError):
            signature.save()
        with pytest.raises(ValueError):
            signature.delete()
        with pytest.raises(DatabaseError), transaction.atomic():
            Signature.objects.filter(pk=signature.pk).update(signer_name="Forfalsket")
        assert Signature.objects.get(pk=signature.pk).signer_name != "Forfalsket"


def test_costs_and_budget_against_actuals(project, tenant_a, tenant_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    version = circulate(project, tenant_a)
    sign_all(
        project,
        version,
        tenant_a,
        tenant_b,
        captured=[m for m in mail.outbox if m.to == ["ordforer@kommune.example"]],
    )
    with organisation_scope(tenant_b.organisation):
        line_b = project.budget_lines.get(party__organisation=tenant_b.organisation, year=2026)
        line_a = project.budget_lines.get(party__organisation=tenant_a.organisation, year=2026)
        with pytest.raises(ServiceError):  # B records on A's line
            services.cost_entry_add(
                budget_line=line_a,
                actor=tenant_b.manager,
                date=date(2026, 3, 1),
                amount=10,
                kind="cash",
            )
        with pytest.raises(ServiceError) as bad_file:
            services.cost_entry_add(
                budget_line=line_b,
                actor=tenant_b.advisor,
                date=date(2026, 3, 1),
                amount=10,
                kind="cash",
                attachment=SimpleUploadedFile("faktura.pdf", b"MZ not a pdf", "application/pdf"),
            )
        assert bad_file.value.code == "attachment"
        entry = services.cost_entry_add(
            budget_line=line_b,
            actor=tenant_b.advisor,
            date=date(2026, 3, 1),
            amount=Decimal("110000"),
            kind="cash",
            note="Prosjektleder",
            attachment=SimpleUploadedFile("faktura.pdf", PDF_BYTES, "application/pdf"),
        )
        assert entry.attachment.read() == PDF_BYTES
        services.cost_entry_add(
            budget_line=line_b,
            actor=tenant_b.advisor,
            date=date(2026, 3, 2),
            amount=Decimal("5000"),
            kind="in_kind",
        )
        from koblingsboks.projects.selectors import budget_vs_actual

        report = budget_vs_actual(project=project)
        row = next(r for r in report.rows if r.line.pk == line_b.pk)
        assert row.actual_cash == Decimal("110000") and row.over_cash and not row.over
        assert row.remaining == Decimal("35000")
        assert report.total.actual == Decimal("115000")
        assert CostEntry.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_signatures_for_one_party_give_one(tenant_a, tenant_b):
    project = draft_project(tenant_a, tenant_b)
    version = circulate(project, tenant_a)
    with organisation_scope(tenant_b.organisation):
        party = project.parties.get(organisation=tenant_b.organisation)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def sign():
        try:
            with organisation_scope(tenant_b.organisation):
                barrier.wait()
                services.agreement_sign(version=version, party=party, actor=tenant_b.manager)
            outcomes.append("signed")
        except ServiceError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_signed", "signed"]
    with organisation_scope(tenant_b.organisation):
        assert Signature.objects.filter(version=version).count() == 1


def test_a_new_link_replaces_the_old_and_the_project_closes(project, tenant_a, tenant_b):
    version = circulate(project, tenant_a)
    first = link_token(next(m for m in mail.outbox if m.to == ["ordforer@kommune.example"]))
    mail.outbox.clear()
    with organisation_scope(tenant_a.organisation):
        with pytest.raises(ServiceError):  # B's manager is not the lead's manager
            services.signing_link_resend(
                project=project,
                party=external_party(project),
                actor=tenant_b.manager,
                base_url=BASE_URL,
            )
        services.signing_link_resend(
            project=project,
            party=external_party(project),
            actor=tenant_a.manager,
            base_url=BASE_URL,
        )
    second = link_token(mail.outbox[-1])
    assert signing_link_open(token=first).problem  # expired at once
    sign_all(project, version, tenant_a, tenant_b, captured=[mail.outbox[-1]])
    assert second != first
    with organisation_scope(tenant_a.organisation):
        project.refresh_from_db()
        assert project.status == Project.Status.SIGNED
        with pytest.raises(ServiceError):  # an advisor may not start it
            services.project_activate(project=project, actor=tenant_a.advisor)
        services.project_activate(project=project, actor=tenant_a.manager)
        services.project_close(project=project, actor=tenant_a.manager)
        project.refresh_from_db()
        assert project.status == Project.Status.CLOSED
        with pytest.raises(ServiceError) as closed:
            services.amendment_start(project=project, actor=tenant_a.manager)
        assert closed.value.code == "closed"
