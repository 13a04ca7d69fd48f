"""manage.py kpi_report: the issue's JSON shape, csv and xlsx, and clear errors."""

import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from koblingsboks.reporting.definitions import KpiDefinitions
from koblingsboks.reporting.tests.reference import comparable, reference_report

pytestmark = pytest.mark.django_db

KEYS = {
    "scope",
    "year",
    "definitions",
    "affiliated",
    "newly_started",
    "growth",
    "growth_since_admission",
    "doubled",
    "value_creation",
    "employees",
    "self_reported",
    "cohorts",
}


def run(*args) -> str:
    out = io.StringIO()
    call_command("kpi_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_for_an_organisation_a_network_and_the_country(tenant_a, portfolio):
    data = json.loads(run("--year", "2024", "--organisation", tenant_a.organisation.org_number))
    assert set(data) >= KEYS
    assert data["scope"]["kind"] == "organisation"
    assert data["affiliated"] == 4
    assert data["growth"] == {"count": 2, "base": 3, "share": 2 / 3}
    assert set(data["value_creation"]) >= {"total", "baseline_total"}
    assert data["value_creation"]["total"] == 40  # ALFA 30 + BETA 10, whole kroner as ints
    assert set(data["employees"]) >= {"total", "change"}
    cohort = data["cohorts"][0]
    assert set(cohort) == {"admission_year", "companies", "growth_since_admission", "doubled"}
    network = json.loads(run("--year", "2024", "--network", portfolio["network"].slug))
    assert network["affiliated"] == 5
    national = json.loads(run("--year", "2024", "--national", "--window", "1"))
    assert national["definitions"]["newly_started_years"] == 1
    reference = reference_report(
        organisation_ids=None, year=2024, definitions=KpiDefinitions(newly_started_years=1)
    )
    assert national["newly_started"] == reference["newly_started"]
    assert national["doubled"] == comparable(reference)["doubled"]


def test_csv_and_xlsx(tenant_a, portfolio, tmp_path):
    csv_text = run(
        "--year", "2024", "--organisation", tenant_a.organisation.org_number, "--format", "csv"
    )
    assert "0.6667" in csv_text
    path = tmp_path / "r.xlsx"
    run("--year", "2024", "--national", "--format", "xlsx", "--output", str(path))
    rows = list(openpyxl.load_workbook(path).worksheets[0].values)
    assert rows[2][1] == 5


def test_errors(tenant_a):
    with pytest.raises(CommandError, match="org.nr"):
        run("--year", "2024", "--organisation", "999999999")
    with pytest.raises(CommandError, match="network"):
        run("--year", "2024", "--network", "nope")
    with pytest.raises(CommandError):
        run("--year", "2024", "--national", "--kinds", "nonsense")
    with pytest.raises(CommandError):
        run("--year", "1200", "--national")
