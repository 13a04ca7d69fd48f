"""Key figures: accounts from the register, the CSV import and self-reported figures."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django_scopes import scopes_disabled

from koblingsboks.companies.key_figures import (
    KeyFiguresImportError,
    key_figures_import_csv,
    key_figures_self_report,
    key_figures_upsert_accounts,
)
from koblingsboks.companies.models import Affiliation, Company, ImportRun, KeyFigures
from koblingsboks.companies.register.accounts import accounts_from_json, iter_accounts_file
from koblingsboks.companies.register.records import entity_from_json
from koblingsboks.companies.register.sync import upsert_entity
from koblingsboks.companies.tests.brreg_mock import SAMPLES, sample
from koblingsboks.core.audit_display import action_label
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope


@pytest.fixture(autouse=True)
def english_messages():
    """The assertions below read the English messages; the default UI language is Norwegian."""
    with translation.override("en"):
        yield


ACCOUNTS_FILE = SAMPLES / "regnskap_sample.json"
HEADER = (
    "org_nr,year,turnover,operating_result,personnel_costs,result_before_tax,employees,currency"
)
# Sole proprietorships (ENK) in the bulk sample: they file no accounts.
ENK = "928761541"
ENK_2 = "934185307"


@pytest.fixture
def companies(db):
    for obj in sample("enheter_sample.json"):
        upsert_entity(entity_from_json(obj))
    return {c.org_number: c for c in Company.objects.all()}


def _accounts(number: str, year: int | None = None):
    data = sample("regnskap_sample.json")[number]
    records = accounts_from_json(data, org_number=number)
    return [r for r in records if year is None or r.year == year]


def _figures(number: str, **filters) -> list[KeyFigures]:
    return list(KeyFigures.objects.filter(company__org_number=number, **filters).order_by("year"))


def _affiliate(organisation, company):
    with organisation_scope(organisation):
        Affiliation.objects.create(
            organisation=organisation,
            company=company,
            kind=Affiliation.Kind.TARGET,
            start_date=datetime.date(2023, 1, 1),
        )


def _audit(organisation, action):
    with organisation_scope(organisation):
        return list(AuditEntry.objects.filter(organisation=organisation, action=action))


def _csv(*lines: str, header: str = HEADER) -> io.StringIO:
    return io.StringIO("\n".join([header, *lines]) + "\n")


# --- accounts from the register -----------------------------------------------------------


def test_upsert_stores_every_account_and_a_second_run_writes_nothing(companies):
    result = key_figures_upsert_accounts(records=iter_accounts_file(ACCOUNTS_FILE))
    assert (result.created, result.updated, result.skipped) == (33, 0, 0)
    assert KeyFigures.objects.count() == 33
    stamps = dict(KeyFigures.objects.values_list("pk", "updated_at"))
    again = key_figures_upsert_accounts(records=iter_accounts_file(ACCOUNTS_FILE))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 33)
    assert dict(KeyFigures.objects.values_list("pk", "updated_at")) == stamps


def test_upsert_fields_source_and_raw(companies):
    key_figures_upsert_accounts(records=_accounts("926603183"))
    row = KeyFigures.objects.get(company__org_number="926603183", year=2025)
    assert row.source == KeyFigures.Source.ACCOUNTS_REGISTER
    assert row.account_type == KeyFigures.AccountType.COMPANY
    assert row.period_start == datetime.date(2024, 7, 1)
    assert row.period_end == datetime.date(2025, 6, 30)
    assert row.turnover == Decimal("3300000")
    assert row.employees is None
    assert row.raw["regnkapsprinsipper"]["smaaForetak"] is True


def test_holding_company_turnover_stays_none_and_group_accounts_are_apart(companies):
    key_figures_upsert_accounts(records=_accounts("915330061", 2025))
    own = KeyFigures.objects.get(company__org_number="915330061", account_type="company")
    group = KeyFigures.objects.get(company__org_number="915330061", account_type="group")
    assert own.turnover is None
    assert own.operating_result == Decimal("-85000")
    assert group.turnover == Decimal("31400000")


def test_every_year_ever_fetched_is_kept(companies):
    """The open register serves only the latest year: fetching 2024, then 2025, keeps both."""
    key_figures_upsert_accounts(records=_accounts("918744126", 2024))
    key_figures_upsert_accounts(records=_accounts("918744126", 2025))
    rows = _figures("918744126")
    assert [(r.year, r.turnover) for r in rows] == [
        (2024, Decimal("6100000")),
        (2025, Decimal("12900000")),
    ]


def test_a_corrected_account_updates_its_period_only(companies):
    key_figures_upsert_accounts(records=_accounts("918744126"))
    data = sample("regnskap_sample.json")["918744126"]
    data[0]["resultatregnskapResultat"]["driftsresultat"]["driftsinntekter"][
        "sumDriftsinntekter"
    ] = 13000000
    result = key_figures_upsert_accounts(records=accounts_from_json(data[:1]))
    assert (result.created, result.updated) == (0, 1)
    assert [r.turnover for r in _figures("918744126")] == [
        Decimal("4200000"),
        Decimal("6100000"),
        Decimal("13000000"),
    ]


def test_accounts_of_unknown_companies_are_skipped_and_counted(companies):
    Company.objects.filter(org_number="918744126").delete()
    result = key_figures_upsert_accounts(records=iter_accounts_file(ACCOUNTS_FILE))
    assert result.skipped == 3
    assert result.unknown_companies == {"918744126"}
    assert result.created == 30
    assert not KeyFigures.objects.filter(company__org_number="918744126").exists()


def test_register_replaces_imported_figures_of_the_same_year(companies):
    key_figures_import_csv(file=_csv("933418774,2025,1000000,,,,3,NOK"))
    result = key_figures_upsert_accounts(records=_accounts("933418774", 2025))
    assert (result.created, result.replaced) == (0, 1)
    row = KeyFigures.objects.get(company__org_number="933418774", year=2025)
    assert row.source == KeyFigures.Source.ACCOUNTS_REGISTER
    assert row.turnover == Decimal("1380000")
    assert row.employees == 3  # accounts carry no headcount: the imported one is kept


def test_register_replaces_self_reported_figures_under_another_period_end(companies, tenant_a):
    """A non-calendar year (ending 30 June) replaces the garden's figures for that year,
    and the garden's audit log says so."""
    company = companies["926603183"]
    _affiliate(tenant_a.organisation, company)
    key_figures_self_report(
        organisation=tenant_a.organisation,
        company=company,
        year=2025,
        turnover=3000000,
        actor=tenant_a.advisor,
    )
    result = key_figures_upsert_accounts(records=_accounts("926603183", 2025))
    assert result.replaced == 1
    rows = _figures("926603183", year=2025)
    assert [(r.period_end, r.source, r.turnover) for r in rows] == [
        (datetime.date(2025, 6, 30), "accounts_register", Decimal("3300000"))
    ]
    [entry] = _audit(tenant_a.organisation, "companies.key_figures.replaced")
    assert entry.before["turnover"] == "3000000.00"
    assert entry.before["source"] == "self_reported"
    assert entry.after["source"] == "accounts_register"


# --- self-reported figures ----------------------------------------------------------------


def test_self_report_by_an_affiliated_garden_is_marked_and_audited(companies, tenant_a):
    company = companies[ENK]
    _affiliate(tenant_a.organisation, company)
    row = key_figures_self_report(
        organisation=tenant_a.organisation,
        company=company,
        year=2025,
        turnover="850000",
        operating_result=Decimal("120000.5"),
        employees=2,
        actor=tenant_a.advisor,
    )
    row.refresh_from_db()
    assert row.source == KeyFigures.Source.SELF_REPORTED
    assert row.reported_by_organisation == tenant_a.organisation
    assert row.entered_by == tenant_a.advisor
    assert (row.turnover, row.operating_result, row.personnel_costs) == (
        Decimal("850000"),
        Decimal("120000.50"),
        None,
    )
    assert row.period_end == datetime.date(2025, 12, 31)
    [entry] = _audit(tenant_a.organisation, "companies.key_figures.self_reported")
    assert entry.actor == tenant_a.advisor
    assert entry.before is None
    assert entry.after["turnover"] == "850000.00"
    assert action_label(entry.action) != entry.action


def test_self_report_change_is_audited_and_repeating_it_is_not(companies, tenant_a):
    company = companies[ENK]
    _affiliate(tenant_a.organisation, company)
    report = {
        "organisation": tenant_a.organisation,
        "company": company,
        "year": 2024,
        "actor": tenant_a.advisor,
    }
    key_figures_self_report(turnover=100, **report)
    key_figures_self_report(turnover=200, **report)
    key_figures_self_report(turnover=200, **report)
    entries = _audit(tenant_a.organisation, "companies.key_figures.self_reported")
    assert len(entries) == 2
    change = max(entries, key=lambda e: e.pk)
    assert (change.before["turnover"], change.after["turnover"]) == ("100.00", "200.00")
    assert KeyFigures.objects.get(company=company).turnover == Decimal("200")


def test_self_report_never_overwrites_register_figures(companies, tenant_a):
    company = companies["918744126"]
    _affiliate(tenant_a.organisation, company)
    key_figures_upsert_accounts(records=_accounts("918744126", 2025))
    with pytest.raises(ServiceError, match="accounts register has .* 2025") as caught:
        key_figures_self_report(
            organisation=tenant_a.organisation,
            company=company,
            year=2025,
            turnover=1,
            actor=tenant_a.advisor,
        )
    assert caught.value.code == "register_covers_year"
    assert KeyFigures.objects.get(company=company).turnover == Decimal("12900000")
    assert _audit(tenant_a.organisation, "companies.key_figures.self_reported") == []


def test_self_report_needs_an_affiliation(companies, tenant_a, tenant_b):
    company = companies[ENK]
    _affiliate(tenant_b.organisation, company)
    with pytest.raises(ServiceError, match="not affiliated") as caught:
        key_figures_self_report(
            organisation=tenant_a.organisation,
            company=company,
            year=2025,
            turnover=1,
            actor=tenant_a.advisor,
        )
    assert caught.value.code == "not_affiliated"
    assert not KeyFigures.objects.exists()


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({"year": 2025}, "at least one figure"),
        ({"year": 1850, "turnover": 1}, "between 1900"),
        ({"year": datetime.date.today().year + 1, "turnover": 1}, "between 1900"),
        ({"year": 2025, "turnover": "mye"}, "not an amount: mye"),
        ({"year": 2025, "turnover": 1, "currency": "kroner"}, "not a currency code"),
        ({"year": 2025, "employees": -1}, "cannot be negative"),
        ({"year": 2025, "turnover": Decimal("1e17")}, "out of range"),
    ],
)
def test_self_report_refuses_bad_figures(companies, tenant_a, figures, message):
    company = companies[ENK]
    _affiliate(tenant_a.organisation, company)
    with pytest.raises(ServiceError, match=message):
        key_figures_self_report(
            organisation=tenant_a.organisation, company=company, actor=tenant_a.advisor, **figures
        )
    assert not KeyFigures.objects.exists()


def test_another_gardens_report_replaces_and_both_logs_tell(companies, tenant_a, tenant_b):
    company = companies[ENK]
    _affiliate(tenant_a.organisation, company)
    _affiliate(tenant_b.organisation, company)
    common = {"company": company, "year": 2025}
    key_figures_self_report(
        organisation=tenant_a.organisation, turnover=1, actor=tenant_a.advisor, **common
    )
    key_figures_self_report(
        organisation=tenant_b.organisation, turnover=2, actor=tenant_b.advisor, **common
    )
    row = KeyFigures.objects.get(company=company)
    assert row.reported_by_organisation == tenant_b.organisation
    assert len(_audit(tenant_a.organisation, "companies.key_figures.replaced")) == 1
    assert len(_audit(tenant_b.organisation, "companies.key_figures.self_reported")) == 1


# --- CSV import ---------------------------------------------------------------------------


def test_csv_import_creates_rows_and_a_second_run_changes_nothing(companies):
    file = _csv(
        f"{ENK},2023,450000,80000,0,79000,1,NOK",
        f"{ENK},2024,,,,,2,",
        "918744126,2022,3900000,300000,1500000,290000,4,NOK",
    )
    result = key_figures_import_csv(file=file)
    assert (result.lines, result.created, result.updated) == (3, 3, 0)
    rows = _figures(ENK)
    assert [(r.year, r.turnover, r.employees, r.currency) for r in rows] == [
        (2023, Decimal("450000"), 1, "NOK"),
        (2024, None, 2, "NOK"),  # empty is "not given", never 0
    ]
    assert {r.source for r in rows} == {KeyFigures.Source.IMPORT}
    assert rows[0].reported_by_organisation is None
    file.seek(0)
    again = key_figures_import_csv(file=file)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_csv_import_updates_a_changed_line(companies):
    key_figures_import_csv(file=_csv(f"{ENK},2023,450000,,,,,NOK"))
    result = key_figures_import_csv(file=_csv(f"{ENK},2023,460000,,,,,NOK"))
    assert (result.created, result.updated) == (0, 1)
    assert _figures(ENK)[0].turnover == Decimal("460000")


def test_csv_with_semicolons_and_decimal_commas(companies):
    header = HEADER.replace(",", ";")
    key_figures_import_csv(
        file=_csv(f"{ENK};2023;1 234 567,50;-10,5;;;;nok", header="\ufeff" + header)
    )
    row = _figures(ENK)[0]
    assert (row.turnover, row.operating_result, row.currency) == (
        Decimal("1234567.50"),
        Decimal("-10.50"),
        "NOK",
    )


def test_csv_errors_name_line_and_value_and_nothing_is_imported(companies):
    file = _csv(
        f"{ENK},2023,450000,,,,,NOK",
        "918744127,2023,1,,,,,NOK",
        f"{ENK},twenty,1,,,,,NOK",
        f"{ENK_2},2023,lots,,,,,NOK",
        "974760673,2023,1,,,,,NOK",
        f"{ENK},2023,1,,,,,NOK",
    )
    with pytest.raises(KeyFiguresImportError) as caught:
        key_figures_import_csv(file=file)
    errors = caught.value.errors
    assert len(errors) == 5
    assert "3" in errors[0] and "918744127" in errors[0]
    assert "4" in errors[1] and "twenty" in errors[1]
    assert "5" in errors[2] and "lots" in errors[2]
    assert "6" in errors[3] and "974760673" in errors[3] and "import_brreg" in errors[3]
    assert "7" in errors[4] and "line 2" in errors[4].lower()
    assert not KeyFigures.objects.exists()


def test_csv_missing_column_is_named(companies):
    header = HEADER.replace(",employees", "")
    with pytest.raises(KeyFiguresImportError, match="Missing column.*employees"):
        key_figures_import_csv(file=_csv(f"{ENK},2023,1,,,,NOK", header=header))


def test_csv_not_utf8(companies, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_bytes((HEADER + "\n928761541,2023,1,,,,,NOK\n").encode() + b"\xff\xfe")
    with path.open(encoding="utf-8") as file, pytest.raises(KeyFiguresImportError, match="UTF-8"):
        key_figures_import_csv(file=file)


def test_csv_lines_for_years_the_register_covers_are_skipped(companies):
    key_figures_upsert_accounts(records=_accounts("918744126", 2025))
    result = key_figures_import_csv(
        file=_csv("918744126,2025,1,,,,,NOK", "918744126,2021,2000000,,,,,NOK")
    )
    assert result.created == 1
    assert len(result.skipped_register) == 1
    assert "918744126 2025" in result.skipped_register[0]
    rows = {r.year: r for r in _figures("918744126")}
    assert rows[2025].turnover == Decimal("12900000")
    assert rows[2021].source == KeyFigures.Source.IMPORT


def test_csv_self_reported_lines(companies, tenant_a):
    _affiliate(tenant_a.organisation, companies[ENK])
    header = HEADER + ",self_reported"
    result = key_figures_import_csv(
        file=_csv(f"{ENK},2023,1,,,,,NOK,true", f"{ENK},2022,2,,,,,NOK,false", header=header),
        reported_by=tenant_a.organisation,
    )
    assert result.created == 2
    rows = {r.year: r for r in _figures(ENK)}
    assert rows[2023].source == KeyFigures.Source.SELF_REPORTED
    assert rows[2023].reported_by_organisation == tenant_a.organisation
    assert rows[2022].source == KeyFigures.Source.IMPORT
    [entry] = _audit(tenant_a.organisation, "companies.key_figures.self_reported")
    assert entry.object_id == str(rows[2023].pk)


def test_csv_self_reported_column_without_a_garden_is_refused(companies):
    header = HEADER + ",self_reported"
    with pytest.raises(KeyFiguresImportError, match="Line 2.*--organisation"):
        key_figures_import_csv(file=_csv(f"{ENK},2023,1,,,,,NOK,yes", header=header))
    assert not KeyFigures.objects.exists()


def test_csv_self_reported_for_a_company_the_garden_does_not_follow(companies, tenant_a):
    with pytest.raises(KeyFiguresImportError, match="not affiliated"):
        key_figures_import_csv(
            file=_csv(f"{ENK},2023,1,,,,,NOK"), reported_by=tenant_a.organisation
        )


# --- commands -----------------------------------------------------------------------------


def test_import_accounts_command_both_shapes_and_idempotent(companies, tmp_path):
    out = io.StringIO()
    call_command("import_accounts", str(ACCOUNTS_FILE), stdout=out)
    assert "33 created" in out.getvalue()
    single = tmp_path / "985122474.json"
    single.write_text(json.dumps(sample("regnskap_sample.json")["985122474"]))
    out = io.StringIO()
    call_command("import_accounts", str(single), stdout=out)
    assert "0 created, 0 updated, 3 unchanged" in out.getvalue()
    out = io.StringIO()
    call_command("import_accounts", str(ACCOUNTS_FILE), stdout=out)
    assert "0 created, 0 updated, 33 unchanged" in out.getvalue()
    assert KeyFigures.objects.count() == 33
    runs = ImportRun.objects.filter(kind="accounts").order_by("pk")
    assert [(r.status, r.created) for r in runs] == [("done", 33), ("done", 0), ("done", 0)]


def test_import_accounts_command_reports_unknown_companies(companies):
    Company.objects.filter(org_number__in=["918744126", "985122474"]).delete()
    out = io.StringIO()
    call_command("import_accounts", str(ACCOUNTS_FILE), stdout=out)
    assert "Skipped 6 accounts of 2 companies" in out.getvalue()
    assert "918744126, 985122474" in out.getvalue()


def test_import_accounts_command_error_imports_nothing(companies, tmp_path):
    data = sample("regnskap_sample.json")
    data["919602538"][1]["valuta"] = None
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="919602538, account 4180210.*valuta"):
        call_command("import_accounts", str(path))
    assert not KeyFigures.objects.exists()
    run = ImportRun.objects.get(kind="accounts")
    assert run.status == ImportRun.Status.FAILED
    assert "4180210" in run.error
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_accounts", str(tmp_path / "missing.json"))


def test_import_key_figures_command_self_reported(companies, tenant_a, tmp_path):
    _affiliate(tenant_a.organisation, companies[ENK])
    path = tmp_path / "figures.csv"
    path.write_text(_csv(f"{ENK},2024,300000,,,,1,NOK").getvalue(), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_key_figures",
        str(path),
        "--self-reported",
        "--organisation",
        tenant_a.organisation.org_number,
        stdout=out,
    )
    assert "1 created" in out.getvalue()
    row = KeyFigures.objects.get(company__org_number=ENK)
    assert row.source == KeyFigures.Source.SELF_REPORTED
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="companies.key_figures.self_reported").count() == 1


def test_import_key_figures_command_errors(companies, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(_csv(f"{ENK},2024,300000,,,,1,NOK", f"{ENK},2023,x,,,,,NOK").getvalue())
    with pytest.raises(CommandError, match=r"nothing was imported\.\nLine 3: .*x"):
        call_command("import_key_figures", str(path))
    assert not KeyFigures.objects.exists()
    with pytest.raises(CommandError, match="go together"):
        call_command("import_key_figures", str(path), "--self-reported")
    with pytest.raises(CommandError, match="No organisation"):
        call_command(
            "import_key_figures", str(path), "--self-reported", "--organisation", "974760673"
        )
