"""CSV imports of organisations and affiliations: the parsers, the plans, the writes and the
commands. Every error names its line and the offending value; a failed import writes
nothing; a second import of the same file changes nothing."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django_scopes import scopes_disabled
from stdnum.no import orgnr

from koblingsboks.companies.imports import (
    PLACEHOLDER_COMPANY_NAME,
    affiliation_import_apply,
    affiliation_import_plan,
)
from koblingsboks.companies.models import Affiliation, Company
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.imports import (
    CsvFileError,
    ImportFailed,
    organisation_import_apply,
    organisation_import_plan,
    read_csv,
)
from koblingsboks.network.models import Network, NetworkParty, Organisation
from tests.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ORG_HEADER = "org_nr,name,kind,network\n"
AFF_HEADER = "organisation_org_nr,company_org_nr,kind,start_date,end_date\n"


def _number(n: int) -> str:
    """The n-th valid org.nr of a range that no factory or demo data uses."""
    for prefix in range(83_000_000 + n * 100, 83_000_000 + n * 100 + 100):
        for digit in range(10):
            if orgnr.is_valid(f"{prefix}{digit}"):
                return f"{prefix}{digit}"
    raise AssertionError(n)


def _bad_check_digit(number: str) -> str:
    return number[:8] + str((int(number[8]) + 1) % 10)


def _csv(header: str, *lines: str) -> bytes:
    return (header + "".join(line + "\n" for line in lines)).encode()


def _company(n: int, name: str = "") -> Company:
    return Company.objects.create(org_number=_number(n), name=name or f"BEDRIFT {n} AS")


def _errors(plan) -> list[tuple[int, str, str]]:
    return [(row.line, error.code, error.column) for row in plan.rows for error in row.errors]


def _statuses(plan) -> list[tuple[int, str]]:
    return [(row.line, row.status) for row in plan.rows]


def _all_affiliations() -> list[Affiliation]:
    with scopes_disabled():
        return list(Affiliation.objects.select_related("organisation", "company").order_by("pk"))


def _audit(action: str) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# --- reading the file --------------------------------------------------------------------


def test_reads_utf8_with_and_without_a_byte_order_mark():
    body = _csv(ORG_HEADER, "921001371,Ærlig Hage,garden,nett")
    for data in (body, b"\xef\xbb\xbf" + body):
        [row] = read_csv(data, columns=("org_nr", "name", "kind", "network"))
        assert row.line == 2
        assert row.values == {
            "org_nr": "921001371",
            "name": "Ærlig Hage",
            "kind": "garden",
            "network": "nett",
        }


def test_columns_may_come_in_any_order_and_values_are_trimmed():
    data = b'network , KIND,name,org_nr\r\n nett ,garden,"Hage, Sj\xc3\xb8",921001371\r\n'
    [row] = read_csv(data, columns=("org_nr", "name", "kind", "network"))
    assert row.values == {
        "org_nr": "921001371",
        "name": "Hage, Sjø",
        "kind": "garden",
        "network": "nett",
    }


def test_blank_lines_are_skipped_and_line_numbers_stay_true():
    data = _csv(ORG_HEADER, "921001371,A,garden,nett", "", "921002742,B,garden,nett")
    rows = read_csv(data, columns=("org_nr", "name", "kind", "network"))
    assert [row.line for row in rows] == [2, 4]


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("org_nr,name,kind\n", "network"),
        ("org_nr,name,kind,network,comment\n", "comment"),
        ("org_nr,navn,kind,network\n", "navn"),
        ("org_nr,name,kind,network,name\n", "name"),
    ],
)
def test_a_missing_unknown_or_repeated_column_is_named(header, named):
    data = (header + "921001371,A,garden,nett\n").encode()
    with pytest.raises(CsvFileError) as exc:
        organisation_import_plan(data=data)
    assert exc.value.code == "header"
    assert named in exc.value.message


def test_semicolons_are_refused_with_the_expected_header():
    data = b"org_nr;name;kind;network\n921001371;A;garden;nett\n"
    with pytest.raises(CsvFileError) as exc:
        organisation_import_plan(data=data)
    assert exc.value.code == "separator"
    assert "org_nr,name,kind,network" in exc.value.message


def test_a_file_that_is_not_utf8_names_the_line():
    data = _csv(ORG_HEADER, "921001371,A,garden,nett") + "921002742,Sjø,garden,nett\n".encode(
        "latin-1"
    )
    with pytest.raises(CsvFileError) as exc:
        organisation_import_plan(data=data)
    assert exc.value.code == "encoding"
    assert "3" in exc.value.message
    assert "0xF8" in exc.value.message


def test_utf16_is_refused_clearly():
    data = ORG_HEADER.encode("utf-16")
    with pytest.raises(CsvFileError) as exc:
        organisation_import_plan(data=data)
    assert exc.value.code == "encoding"


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty"), (b"  \n", "empty"), (b"org_nr,name,kind,network\n", "no_rows")],
)
def test_an_empty_file_or_a_header_alone_is_refused(data, code):
    with pytest.raises(CsvFileError) as exc:
        organisation_import_plan(data=data)
    assert exc.value.code == code


def test_a_row_with_the_wrong_number_of_fields_is_an_error_on_its_line():
    plan = organisation_import_plan(
        data=_csv(ORG_HEADER, "921001371,A,garden,nett", "921002742,B,garden", "x,y,z,w,v")
    )
    assert _errors(plan) == [(3, "fields", ""), (4, "fields", "")]


# --- organisations -------------------------------------------------------------------------


def test_organisations_are_created_with_their_networks_and_party_roles():
    existing = NetworkFactory(slug="alliansen", name="Alliansen i Trøndelag")
    data = _csv(
        ORG_HEADER,
        "921 001 371,Kysthagen,garden,alliansen",
        "921002742,Inkubatoren,incubator,alliansen",
        "921004117,Samarbeidspartneren,partner,alliansen",
        "921006853,Programeieren,programme_owner,ny-allianse",
    )

    plan = organisation_import_plan(data=data)
    assert _statuses(plan) == [(2, "new"), (3, "new"), (4, "new"), (5, "new")]
    result = organisation_import_apply(data=data, actor=None)

    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    kinds = dict(Organisation.objects.values_list("org_number", "kind"))
    assert kinds == {
        "921001371": "business_garden",
        "921002742": "incubator",
        "921004117": "partner",
        "921006853": "programme_owner",
    }
    roles = dict(NetworkParty.objects.values_list("organisation__org_number", "role"))
    assert roles == {
        "921001371": "member",
        "921002742": "member",
        "921004117": "partner",
        "921006853": "observer",
    }
    existing.refresh_from_db()
    assert existing.name == "Alliansen i Trøndelag"  # an existing network keeps its name
    assert Network.objects.get(slug="ny-allianse").name == "Ny Allianse"
    assert len(_audit("network.organisation.imported")) == 4


def test_a_second_run_changes_nothing():
    data = _csv(ORG_HEADER, "921001371,Kysthagen,garden,nett", "921002742,Fjellhagen,garden,nett")
    organisation_import_apply(data=data, actor=None)
    before = list(Organisation.objects.order_by("pk").values())

    result = organisation_import_apply(data=data, actor=None)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert list(Organisation.objects.order_by("pk").values()) == before
    assert NetworkParty.objects.count() == 2
    assert len(_audit("network.organisation.imported")) == 2


def test_a_changed_name_updates_the_organisation_and_keeps_its_short_name():
    organisation_import_apply(data=_csv(ORG_HEADER, "921001371,Kysthagen,garden,nett"), actor=None)
    slug = Organisation.objects.get().slug

    data = _csv(ORG_HEADER, "921001371,Kysthagen AS,garden,nett")
    plan = organisation_import_plan(data=data)
    assert _statuses(plan) == [(2, "update")]
    assert any("Kysthagen AS" in change for change in plan.rows[0].changes)
    organisation_import_apply(data=data, actor=None)

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.slug) == ("Kysthagen AS", slug)
    last = _audit("network.organisation.imported")[-1]
    assert (last.before["name"], last.after["name"]) == ("Kysthagen", "Kysthagen AS")


def test_an_existing_organisation_joins_another_network():
    organisation = OrganisationFactory(org_number="921001371", name="Kysthagen")
    plan = organisation_import_plan(data=_csv(ORG_HEADER, "921001371,Kysthagen,garden,nett"))
    assert _statuses(plan) == [(2, "update")]
    organisation_import_apply(data=_csv(ORG_HEADER, "921001371,Kysthagen,garden,nett"), actor=None)
    assert NetworkParty.objects.filter(organisation=organisation, network__slug="nett").exists()


def test_one_organisation_may_be_listed_for_several_networks():
    data = _csv(
        ORG_HEADER, "921006853,Siva,programme_owner,nett-a", "921006853,Siva,programme_owner,nett-b"
    )
    organisation_import_apply(data=data, actor=None)
    assert Organisation.objects.count() == 1
    assert sorted(NetworkParty.objects.values_list("network__slug", flat=True)) == [
        "nett-a",
        "nett-b",
    ]


def test_short_names_get_a_suffix_when_taken():
    OrganisationFactory(slug="kysthagen", name="Kysthagen")
    organisation_import_apply(
        data=_csv(
            ORG_HEADER, "921001371,Kysthagen,garden,nett", "921002742,Kysthagen!,garden,nett"
        ),
        actor=None,
    )
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    assert slugs == {"kysthagen", "kysthagen-2", "kysthagen-3"}


def test_every_bad_organisation_row_is_reported_with_line_column_and_value():
    bad = _bad_check_digit("921001371")
    data = _csv(
        ORG_HEADER,
        f"{bad},A,garden,nett",  # 2: check digit
        "92100137,B,garden,nett",  # 3: length
        "921002742,,garden,nett",  # 4: empty name
        "921004117,D,hage,nett",  # 5: unknown kind
        "921005482,E,garden,Ugyldig Nett",  # 6: not a short name
        "921006853,F,garden,nett",  # 7: fine
        "921006853,F,garden,nett",  # 8: duplicate of 7
        "921006853,Annet navn,garden,nett-2",  # 9: same org.nr, another name
    )
    plan = organisation_import_plan(data=data)

    assert _errors(plan) == [
        (2, "orgnr_checksum", "org_nr"),
        (3, "orgnr_length", "org_nr"),
        (4, "required", "name"),
        (5, "kind", "kind"),
        (6, "network", "network"),
        (8, "duplicate", "org_nr"),
        (9, "conflict", "name"),
    ]
    messages = {row.line: " ".join(e.message for e in row.errors) for row in plan.rows}
    assert bad in messages[2]
    assert "hage" in messages[5]
    assert "Ugyldig Nett" in messages[6]
    assert "7" in messages[8]
    assert plan.rows[5].status == "new"
    assert not plan.ok


def test_a_failed_organisation_import_writes_nothing():
    data = _csv(ORG_HEADER, "921001371,Kysthagen,garden,nytt-nett", "921002742,B,hage,nytt-nett")
    with pytest.raises(ImportFailed) as exc:
        organisation_import_apply(data=data, actor=None)
    assert [row.line for row in exc.value.plan.error_rows] == [3]
    assert not Organisation.objects.exists()
    assert not Network.objects.exists()


def test_messages_are_plain_english_when_english_is_active():
    with translation.override("en"):
        plan = organisation_import_plan(data=_csv(ORG_HEADER, "921001371,A,hage,nett"))
    assert plan.rows[0].errors[0].message == (
        "Unknown kind “hage”: use one of garden, incubator, partner, programme_owner."
    )


# --- affiliations ----------------------------------------------------------------------------


@pytest.fixture
def garden():
    return OrganisationFactory(name="Kysthagen")


def test_affiliations_are_created_in_the_organisations_scope_and_audited(garden):
    first, second = _company(1), _company(2)
    data = _csv(
        AFF_HEADER,
        f"{garden.org_number},{first.org_number},target,2024-01-15,",
        f"{garden.org_number},{second.org_number[:3]} {second.org_number[3:]},incubator,"
        "2020-03-01,2022-02-28",
    )

    result = affiliation_import_apply(data=data, actor=None)

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    with organisation_scope(garden):
        ongoing = Affiliation.objects.get(company=first)
        ended = Affiliation.objects.get(company=second)
    assert (ongoing.kind, ongoing.start_date, ongoing.end_date) == (
        "target",
        date(2024, 1, 15),
        None,
    )
    assert ongoing.phase == Affiliation.Phase.ACTIVE
    assert (ended.kind, ended.end_date, ended.phase) == ("incubator", date(2022, 2, 28), "alumni")
    entries = _audit("companies.affiliation.imported")
    assert len(entries) == 2
    assert {e.organisation_id for e in entries} == {garden.pk}
    assert {e.after["company_org_nr"] for e in entries} == {first.org_number, second.org_number}


def test_the_same_affiliation_twice_is_one_affiliation(garden):
    company = _company(1)
    data = _csv(AFF_HEADER, f"{garden.org_number},{company.org_number},target,2024-01-15,")
    affiliation_import_apply(data=data, actor=None)

    result = affiliation_import_apply(data=data, actor=None)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert len(_all_affiliations()) == 1
    assert len(_audit("companies.affiliation.imported")) == 1


def test_a_changed_end_date_updates_the_affiliation(garden):
    company = _company(1)
    row = f"{garden.org_number},{company.org_number},target,2024-01-15,"
    affiliation_import_apply(data=_csv(AFF_HEADER, row), actor=None)

    ended = _csv(AFF_HEADER, row + "2025-06-30")
    assert _statuses(affiliation_import_plan(data=ended)) == [(2, "update")]
    result = affiliation_import_apply(data=ended, actor=None)

    assert result.updated == 1
    [affiliation] = _all_affiliations()
    assert affiliation.end_date == date(2025, 6, 30)
    last = _audit("companies.affiliation.imported")[-1]
    assert (last.before["end_date"], last.after["end_date"]) == (None, "2025-06-30")

    affiliation_import_apply(data=_csv(AFF_HEADER, row), actor=None)  # reopened
    [affiliation] = _all_affiliations()
    assert affiliation.end_date is None


def test_consecutive_affiliations_of_one_company_are_fine(garden):
    company = _company(1)
    data = _csv(
        AFF_HEADER,
        f"{garden.org_number},{company.org_number},incubator,2021-05-01,2024-04-30",
        f"{garden.org_number},{company.org_number},target,2024-05-01,",
    )
    assert affiliation_import_apply(data=data, actor=None).created == 2


def test_a_company_missing_from_the_register_is_refused_with_advice(garden):
    missing = _number(5)
    data = _csv(AFF_HEADER, f"{garden.org_number},{missing},target,2024-01-15,")
    plan = affiliation_import_plan(data=data)
    assert _errors(plan) == [(2, "unknown_company", "company_org_nr")]
    message = plan.rows[0].errors[0].message
    assert missing in message
    assert "import_brreg" in message


def test_missing_companies_can_be_created_as_placeholders_on_request(garden):
    missing = _number(5)
    data = _csv(
        AFF_HEADER,
        f"{garden.org_number},{missing},target,2024-01-15,",
        f"{garden.org_number},{missing},tenant,2020-01-01,2020-12-31",
    )
    assert affiliation_import_plan(data=data, create_missing_companies=True).ok

    affiliation_import_apply(data=data, actor=None, create_missing_companies=True)

    company = Company.objects.get(org_number=missing)
    assert company.name == PLACEHOLDER_COMPANY_NAME
    assert len(_all_affiliations()) == 2


def test_every_bad_affiliation_row_is_reported(garden):
    company, other = _company(1), _company(2)
    org, co = garden.org_number, company.org_number
    bad = _bad_check_digit(co)
    data = _csv(
        AFF_HEADER,
        f"{org},{bad},target,2024-01-01,",  # 2: check digit
        f"{org},{co},målbedrift,2024-01-01,",  # 3: unknown kind
        f"{org},{co},target,15.01.2024,",  # 4: not an ISO date
        f"{org},{co},target,2024-02-30,",  # 5: no such day
        f"{org},{co},target,2024-05-01,2024-04-30",  # 6: end before start
        f"{org},{co},target,,",  # 7: no start
        f"{_number(9)},{co},target,2024-01-01,",  # 8: unknown organisation
        f"{org},{other.org_number},target,2024-01-01,",  # 9: fine
        f"{org},{other.org_number},target,2024-01-01,2024-12-31",  # 10: duplicate of 9
        f"{org},{other.org_number},tenant,2024-06-01,",  # 11: overlaps 9
    )
    plan = affiliation_import_plan(data=data)

    assert _errors(plan) == [
        (2, "orgnr_checksum", "company_org_nr"),
        (3, "kind", "kind"),
        (4, "date", "start_date"),
        (5, "date", "start_date"),
        (6, "end_before_start", "end_date"),
        (7, "required", "start_date"),
        (8, "unknown_organisation", "organisation_org_nr"),
        (10, "duplicate", "start_date"),
        (11, "overlap", "start_date"),
    ]
    messages = {row.line: " ".join(e.message for e in row.errors) for row in plan.rows}
    assert bad in messages[2]
    assert "målbedrift" in messages[3]
    assert "15.01.2024" in messages[4]
    assert "2024-02-30" in messages[5]
    assert "2024-04-30" in messages[6]
    assert "9" in messages[10] and "9" in messages[11]
    assert plan.rows[7].status == "new"


def test_an_overlap_with_a_stored_affiliation_is_an_error(garden):
    company = _company(1)
    with organisation_scope(garden):
        Affiliation.objects.create(
            organisation=garden, company=company, kind="target", start_date=date(2020, 1, 1)
        )
    data = _csv(
        AFF_HEADER,
        f"{garden.org_number},{company.org_number},incubator,2023-01-01,2023-12-31",
    )
    plan = affiliation_import_plan(data=data)
    assert _errors(plan) == [(2, "overlap", "start_date")]


def test_ending_a_stored_affiliation_late_enough_to_overlap_the_next_is_an_error(garden):
    company = _company(1)
    data = _csv(
        AFF_HEADER,
        f"{garden.org_number},{company.org_number},incubator,2021-01-01,2021-12-31",
        f"{garden.org_number},{company.org_number},target,2022-01-01,",
    )
    affiliation_import_apply(data=data, actor=None)
    longer = _csv(
        AFF_HEADER, f"{garden.org_number},{company.org_number},incubator,2021-01-01,2022-06-30"
    )
    assert _errors(affiliation_import_plan(data=longer)) == [(2, "overlap", "start_date")]


def test_affiliations_with_other_organisations_do_not_overlap(garden):
    company = _company(1)
    other = OrganisationFactory()
    data = _csv(
        AFF_HEADER,
        f"{garden.org_number},{company.org_number},target,2020-01-01,",
        f"{other.org_number},{company.org_number},target,2021-01-01,",
    )
    assert affiliation_import_apply(data=data, actor=None).created == 2
    with organisation_scope(other):
        assert Affiliation.objects.count() == 1


def test_only_the_given_organisations_rows_are_accepted(garden):
    company = _company(1)
    other = OrganisationFactory()
    data = _csv(
        AFF_HEADER,
        f"{garden.org_number},{company.org_number},target,2020-01-01,",
        f"{other.org_number},{company.org_number},target,2021-01-01,",
        f"{_number(9)},{company.org_number},target,2021-01-01,",
    )
    plan = affiliation_import_plan(data=data, only_organisation=garden)
    assert _errors(plan) == [
        (3, "other_organisation", "organisation_org_nr"),
        (4, "other_organisation", "organisation_org_nr"),
    ]
    with pytest.raises(ImportFailed):
        affiliation_import_apply(data=data, actor=None, only_organisation=garden)
    assert _all_affiliations() == []


def test_a_failed_affiliation_import_writes_nothing(garden):
    company = _company(1)
    data = _csv(
        AFF_HEADER,
        f"{garden.org_number},{company.org_number},target,2020-01-01,",
        f"{garden.org_number},{company.org_number},tenant,2019-01-01,2019-13-01",
    )
    with pytest.raises(ImportFailed):
        affiliation_import_apply(data=data, actor=None)
    assert _all_affiliations() == []
    assert _audit("companies.affiliation.imported") == []


# --- the commands ----------------------------------------------------------------------------


@pytest.fixture
def write(tmp_path):
    def _write(data: bytes, name: str = "import.csv") -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return _write


def test_import_organisations_prints_a_summary_and_is_idempotent(write, capsys):
    path = write(_csv(ORG_HEADER, "921001371,Kysthagen,garden,nett", "921002742,B,garden,nett"))

    call_command("import_organisations", path)
    assert "2 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    call_command("import_organisations", path)
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert Organisation.objects.count() == 2


def test_import_organisations_fails_with_the_line_errors_and_changes_nothing(write, capsys):
    organisation_import_apply(data=_csv(ORG_HEADER, "921001371,Kysthagen,garden,nett"), actor=None)
    before = list(Organisation.objects.values())
    bad = _bad_check_digit("921002742")
    path = write(
        _csv(
            ORG_HEADER,
            "921001371,Nytt navn,garden,nett",
            f"{bad},B,garden,nett",
            "921004117,C,x,nett",
        )
    )

    with pytest.raises(CommandError):
        call_command("import_organisations", path)

    err = capsys.readouterr().err
    assert "line 3: " in err and bad in err
    assert "line 4: " in err
    assert list(Organisation.objects.values()) == before


def test_import_organisations_reports_a_bad_header(write):
    with pytest.raises(CommandError) as exc:
        call_command("import_organisations", write(b"org_nr,name,kind\n921001371,A,garden\n"))
    assert "network" in str(exc.value)


def test_import_organisations_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_organisations", str(tmp_path / "nope.csv"))


def test_dry_run_writes_nothing(write, capsys):
    path = write(_csv(ORG_HEADER, "921001371,Kysthagen,garden,nett"))
    call_command("import_organisations", path, "--dry-run")
    assert "line 2: new" in capsys.readouterr().out
    assert not Organisation.objects.exists()


def test_import_affiliations_command(write, capsys, garden):
    company = _company(1)
    path = write(_csv(AFF_HEADER, f"{garden.org_number},{company.org_number},target,2024-01-15,"))

    call_command("import_affiliations", path)
    assert "1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    call_command("import_affiliations", path)
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert len(_all_affiliations()) == 1


def test_import_affiliations_rolls_back_on_any_error(write, capsys, garden):
    company = _company(1)
    missing = _number(7)
    path = write(
        _csv(
            AFF_HEADER,
            f"{garden.org_number},{company.org_number},target,2024-01-15,",
            f"{garden.org_number},{missing},target,2024-01-15,",
        )
    )

    with pytest.raises(CommandError):
        call_command("import_affiliations", path)

    err = capsys.readouterr().err
    assert "line 3: " in err and missing in err and "import_brreg" in err
    assert _all_affiliations() == []

    call_command("import_affiliations", path, "--create-missing-companies")
    assert len(_all_affiliations()) == 2
