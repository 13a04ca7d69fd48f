"""The import pages: upload → preview → confirm, the pending file kept server-side, and who
may import what."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from stdnum.no import orgnr

from koblingsboks.companies.models import Affiliation, Company
from koblingsboks.companies.views.imports import MAX_UPLOAD_BYTES, SESSION_PREFIX
from koblingsboks.core.middleware import SESSION_KEY
from koblingsboks.network.models import Network, Organisation, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

AFF_HEADER = "organisation_org_nr,company_org_nr,kind,start_date,end_date\n"
ORG_HEADER = "org_nr,name,kind,network\n"
PENDING_AFFILIATIONS = SESSION_PREFIX + "affiliations"


def _number(n: int) -> str:
    for prefix in range(84_000_000 + n * 100, 84_000_000 + n * 100 + 100):
        for digit in range(10):
            if orgnr.is_valid(f"{prefix}{digit}"):
                return f"{prefix}{digit}"
    raise AssertionError(n)


def _upload(data: bytes, name: str = "portefolje.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def _affiliations() -> list[Affiliation]:
    with scopes_disabled():
        return list(Affiliation.objects.order_by("pk"))


@pytest.fixture
def companies(db) -> list[Company]:
    return [Company.objects.create(org_number=_number(n), name=f"BEDRIFT {n} AS") for n in range(3)]


@pytest.fixture
def good_file(tenant_a, companies) -> bytes:
    org = tenant_a.organisation.org_number
    return (
        AFF_HEADER
        + f"{org},{companies[0].org_number},target,2024-01-15,\n"
        + f"{org},{companies[1].org_number},tenant,2019-03-01,2022-02-28\n"
    ).encode()


def _preview(client, data: bytes):
    """Upload ``data`` and follow to the preview page."""
    return client.post("/imports/affiliations/", {"file": _upload(data)}, follow=True)


def _confirm(client, organisation, token=None):
    if token is None:
        token = client.session[PENDING_AFFILIATIONS]["token"]
    return client.post(
        "/imports/affiliations/confirm/",
        {"organisation": organisation.pk, "token": token},
        follow=True,
    )


# --- who may import ----------------------------------------------------------------------


def test_the_index_offers_an_admin_the_affiliation_import_only(client_a):
    response = client_a.get("/imports/")
    assert response.status_code == 200
    assert response.context["affiliations"] is True
    assert response.context["organisations"] is False
    assert b'data-testid="import-organisations"' not in response.content


@pytest.mark.parametrize("role", ["manager", "advisor", "observer"])
def test_other_roles_are_refused(client, tenant_a, good_file, role):
    client.force_login(getattr(tenant_a, role))
    assert client.get("/imports/").status_code == 403
    assert client.get("/imports/affiliations/").status_code == 403
    response = client.post("/imports/affiliations/", {"file": _upload(good_file)})
    assert response.status_code == 403
    confirm = client.post(
        "/imports/affiliations/confirm/",
        {"organisation": tenant_a.organisation.pk, "token": "x"},
    )
    assert confirm.status_code == 403
    assert _affiliations() == []


def test_anonymous_users_are_sent_to_sign_in(client, db):
    for url in ("/imports/", "/imports/affiliations/", "/imports/organisations/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_the_organisation_import_is_for_platform_staff_only(client_a, tenant_a):
    data = (ORG_HEADER + "921001371,Kysthagen,garden,nett\n").encode()
    assert client_a.get("/imports/organisations/").status_code == 403
    response = client_a.post("/imports/organisations/", {"file": _upload(data)})
    assert response.status_code == 403
    assert client_a.post("/imports/organisations/confirm/", {"token": "x"}).status_code == 403
    assert not Organisation.objects.filter(org_number="921001371").exists()


# --- affiliations: preview and confirm ---------------------------------------------------------


def test_upload_shows_a_preview_and_writes_nothing(client_a, tenant_a, good_file):
    response = _preview(client_a, good_file)

    assert response.status_code == 200
    assert response.redirect_chain == [("/imports/affiliations/", 302)]
    plan = response.context["plan"]
    assert [(row.line, row.status) for row in plan.rows] == [(2, "new"), (3, "new")]
    assert b'data-testid="confirm"' in response.content
    assert response.content.count(b'data-status="new"') == 2
    assert _affiliations() == []
    # The preview survives a reload: the file is kept in the session.
    again = client_a.get("/imports/affiliations/")
    assert [row.status for row in again.context["plan"].rows] == ["new", "new"]


def test_confirm_imports_and_reports_what_it_did(client_a, tenant_a, good_file, companies):
    _preview(client_a, good_file)

    response = _confirm(client_a, tenant_a.organisation)

    assert response.redirect_chain[-1] == ("/imports/", 302)
    [(level, text)] = _messages(response)
    assert level == "success"
    assert "portefolje.csv" in text
    saved = _affiliations()
    assert [(a.organisation_id, a.company_id, a.kind) for a in saved] == [
        (tenant_a.organisation.pk, companies[0].pk, "target"),
        (tenant_a.organisation.pk, companies[1].pk, "tenant"),
    ]
    assert PENDING_AFFILIATIONS not in client_a.session


def test_a_double_confirm_imports_once(client_a, tenant_a, good_file):
    _preview(client_a, good_file)
    token = client_a.session[PENDING_AFFILIATIONS]["token"]
    _confirm(client_a, tenant_a.organisation, token)

    second = _confirm(client_a, tenant_a.organisation, token)

    assert [level for level, _text in _messages(second)] == ["error"]
    assert len(_affiliations()) == 2


def test_a_replayed_confirm_with_the_file_still_pending_changes_nothing(
    client_a, tenant_a, good_file
):
    """Two confirms racing each other both find the file pending; the second is a no-op."""
    _preview(client_a, good_file)
    pending = client_a.session[PENDING_AFFILIATIONS]
    _confirm(client_a, tenant_a.organisation)
    session = client_a.session
    session[PENDING_AFFILIATIONS] = pending
    session.save()

    replay = _confirm(client_a, tenant_a.organisation, pending["token"])

    [(level, _text)] = _messages(replay)
    assert level == "success"
    assert len(_affiliations()) == 2


def test_rows_with_errors_are_shown_and_cannot_be_confirmed(client_a, tenant_a, companies):
    org = tenant_a.organisation.org_number
    bad = companies[0].org_number[:8] + str((int(companies[0].org_number[8]) + 1) % 10)
    data = (
        AFF_HEADER
        + f"{org},{companies[1].org_number},target,2024-01-15,\n"
        + f"{org},{bad},target,2024-01-15,\n"
        + f"{org},{companies[2].org_number},target,2024-01-15,2023-01-01\n"
    ).encode()

    response = _preview(client_a, data)

    plan = response.context["plan"]
    assert [(row.line, row.status) for row in plan.rows] == [
        (2, "new"),
        (3, "error"),
        (4, "error"),
    ]
    assert b'data-testid="confirm"' not in response.content
    assert bad.encode() in response.content
    # Errors come first in the table.
    rows = response.context["preview_rows"]
    assert [row["line"] for row in rows] == [3, 4, 2]

    forced = _confirm(client_a, tenant_a.organisation)
    assert [level for level, _text in _messages(forced)] == ["error"]
    assert _affiliations() == []


def test_rows_of_another_organisation_are_refused(client_a, tenant_a, tenant_b, companies):
    data = (
        AFF_HEADER
        + f"{tenant_a.organisation.org_number},{companies[0].org_number},target,2024-01-15,\n"
        + f"{tenant_b.organisation.org_number},{companies[1].org_number},target,2024-01-15,\n"
    ).encode()

    response = _preview(client_a, data)

    [ok, refused] = response.context["plan"].rows
    assert ok.status == "new"
    assert [e.code for e in refused.errors] == ["other_organisation"]
    _confirm(client_a, tenant_a.organisation)
    assert _affiliations() == []


def test_a_file_error_is_shown_and_nothing_is_kept(client_a, good_file):
    _preview(client_a, good_file)
    data = b"organisation_org_nr;company_org_nr;kind;start_date;end_date\n1;2;3;4;5\n"

    response = client_a.post("/imports/affiliations/", {"file": _upload(data)})

    assert response.status_code == 400
    assert response.context["file_error"]
    assert response.context["plan"] is None
    assert PENDING_AFFILIATIONS not in client_a.session


def test_a_file_over_the_size_limit_is_refused_clearly(client_a, tenant_a, companies):
    row = f"{tenant_a.organisation.org_number},{companies[0].org_number},target,2024-01-15,\n"
    data = (AFF_HEADER + row * (MAX_UPLOAD_BYTES // len(row) + 1)).encode()
    assert len(data) > MAX_UPLOAD_BYTES

    response = client_a.post("/imports/affiliations/", {"file": _upload(data)})

    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert PENDING_AFFILIATIONS not in client_a.session


def test_a_stale_token_imports_nothing(client_a, tenant_a, good_file):
    _preview(client_a, good_file)
    response = _confirm(client_a, tenant_a.organisation, token="0" * 64)
    assert [level for level, _text in _messages(response)] == ["error"]
    assert _affiliations() == []


def test_switching_organisation_after_the_preview_imports_nothing(
    client, tenant_a, tenant_b, good_file
):
    admin = tenant_a.admin
    with scopes_disabled():
        MembershipFactory(user=admin, organisation=tenant_b.organisation, role=Role.ADMIN)
    client.force_login(admin)
    session = client.session
    session[SESSION_KEY] = tenant_a.organisation.pk
    session.save()
    _preview(client, good_file)
    token = client.session[PENDING_AFFILIATIONS]["token"]
    client.post("/organisation/switch/", {"organisation": tenant_b.organisation.pk})
    assert client.session[SESSION_KEY] == tenant_b.organisation.pk

    response = _confirm(client, tenant_a.organisation, token)

    assert [level for level, _text in _messages(response)] == ["error"]
    assert _affiliations() == []


def test_confirming_for_an_organisation_one_is_not_a_member_of_is_404(
    client_a, tenant_b, good_file
):
    _preview(client_a, good_file)
    token = client_a.session[PENDING_AFFILIATIONS]["token"]
    response = client_a.post(
        "/imports/affiliations/confirm/",
        {"organisation": tenant_b.organisation.pk, "token": token},
    )
    assert response.status_code == 404
    assert _affiliations() == []


def test_confirm_needs_post(client_a):
    assert client_a.get("/imports/affiliations/confirm/").status_code == 405


def test_the_update_of_an_end_date_is_previewed_and_applied(client_a, tenant_a, companies):
    with scopes_disabled():
        Affiliation.objects.create(
            organisation=tenant_a.organisation,
            company=companies[0],
            kind="target",
            start_date=date(2024, 1, 15),
        )
    data = (
        AFF_HEADER
        + f"{tenant_a.organisation.org_number},{companies[0].org_number},target,"
        + "2024-01-15,2025-12-31\n"
    ).encode()

    preview = _preview(client_a, data)
    assert [row.status for row in preview.context["plan"].rows] == ["update"]
    _confirm(client_a, tenant_a.organisation)

    [affiliation] = _affiliations()
    assert affiliation.end_date == date(2025, 12, 31)


# --- organisations: platform staff ---------------------------------------------------------


@pytest.fixture
def staff_client(client, db):
    """Platform staff without any membership."""
    client.force_login(UserFactory(is_staff=True))
    return client


def test_staff_preview_and_confirm_the_organisation_import(staff_client):
    data = (
        ORG_HEADER
        + "921001371,Kysthagen,garden,alliansen\n"
        + "921006853,Programeieren,programme_owner,alliansen\n"
    ).encode()
    index = staff_client.get("/imports/")
    assert index.status_code == 200
    assert index.context["organisations"] is True
    assert index.context["affiliations"] is False

    preview = staff_client.post("/imports/organisations/", {"file": _upload(data)}, follow=True)
    assert [row.status for row in preview.context["plan"].rows] == ["new", "new"]
    assert not Organisation.objects.exists()

    token = staff_client.session[SESSION_PREFIX + "organisations"]["token"]
    done = staff_client.post("/imports/organisations/confirm/", {"token": token}, follow=True)

    assert [level for level, _text in _messages(done)] == ["success"]
    assert set(Organisation.objects.values_list("org_number", flat=True)) == {
        "921001371",
        "921006853",
    }
    assert Network.objects.get().slug == "alliansen"
    again = staff_client.post("/imports/organisations/confirm/", {"token": token}, follow=True)
    assert [level for level, _text in _messages(again)] == ["error"]
    assert Organisation.objects.count() == 2


def test_a_staff_admin_sees_both_imports_with_distinct_field_ids(client, tenant_a):
    tenant_a.admin.is_staff = True
    tenant_a.admin.save()
    client.force_login(tenant_a.admin)

    response = client.get("/imports/")

    body = response.content.decode()
    assert 'data-testid="import-affiliations"' in body
    assert 'data-testid="import-organisations"' in body
    assert body.count('id="affiliations_file"') == 1
    assert body.count('id="organisations_file"') == 1


def test_confirm_checks_the_file_again_against_the_data_of_that_moment(
    client_a, tenant_a, good_file, companies
):
    _preview(client_a, good_file)
    # Meanwhile a colleague registers an affiliation that the first row now overlaps.
    with scopes_disabled():
        Affiliation.objects.create(
            organisation=tenant_a.organisation,
            company=companies[0],
            kind="incubator",
            start_date=date(2023, 1, 1),
        )

    response = _confirm(client_a, tenant_a.organisation)

    assert [level for level, _text in _messages(response)] == ["error"]
    assert len(_affiliations()) == 1
    # The file is still pending, and its preview now shows why.
    plan = response.context["plan"]
    assert [e.code for e in plan.rows[0].errors] == ["overlap"]


def test_a_write_conflict_at_confirm_is_reported_not_a_server_error(staff_client, monkeypatch):
    from django.db import IntegrityError

    from koblingsboks.companies.views import imports as views

    def conflict(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    data = (ORG_HEADER + "921001371,Kysthagen,garden,alliansen\n").encode()
    staff_client.post("/imports/organisations/", {"file": _upload(data)})
    token = staff_client.session[SESSION_PREFIX + "organisations"]["token"]
    monkeypatch.setattr(views, "organisation_import_apply", conflict)

    response = staff_client.post("/imports/organisations/confirm/", {"token": token}, follow=True)

    assert response.status_code == 200
    assert [level for level, _text in _messages(response)] == ["error"]
    assert not Organisation.objects.exists()
