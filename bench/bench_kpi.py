# ruff: noqa: S608 - placeholders only; every value is a bound parameter
"""The KPI report over the synthetic national dataset (bench/generate_national.py): median of
5 runs, each with the ratio to the plain query that only counts the rows the report reads.

    python bench/bench_kpi.py --database-url sqlite:////tmp/kb_kpi.sqlite3
    python bench/bench_kpi.py --database-url postgres://postgres@127.0.0.1:5432/kb_reporting_bench

Targets (issue 4): the national report for one year under 300 ms on PostgreSQL and 600 ms
on SQLite; a garden's dashboard data (its ten-year series: the figures and the survey)
under 30 ms. Measured, after one warm-up run each:

- ``national year``: ``kpi_report(scope=national, year)`` — the figures and the cohorts;
- ``national 10 years``: ``kpi_series`` over the ten years (every year, all gardens);
- ``network year``: one network of 10 gardens, with the 10 gardens compared (two queries);
- ``garden dashboard``: ``dashboard_data`` for one garden, ten years (what the page reads);

and for each its baseline: ``SELECT COUNT(*)`` over the affiliation rows and the account
rows the report reads (same filters, no joins, no window) — on PostgreSQL the rows of the
account summary instead of the accounts, since that is what its report reads — timed the
same way.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate_national import setup_django  # noqa: E402

TARGETS_MS = {
    ("postgresql", "national year"): 300,
    ("sqlite", "national year"): 600,
    ("postgresql", "garden dashboard"): 30,
    ("sqlite", "garden dashboard"): 30,
}


def median_ms(fn, runs: int = 5) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def count_rows(*, organisation_ids, last_year: int) -> int:
    """The plain query: count the affiliation and account rows the report reads."""
    from django.db import connection

    kinds = ("incubator", "target")
    org_filter, params = "", list(kinds)
    if organisation_ids is not None:
        org_filter = f"AND organisation_id IN ({', '.join(['%s'] * len(organisation_ids))})"
        params += list(organisation_ids)
    if connection.vendor == "postgresql":
        # The report reads each company's row of the account summary, not its accounts.
        accounts = "SELECT COUNT(*) FROM reporting_account_summary WHERE %s > 0 AND"
    else:
        accounts = """SELECT COUNT(*) FROM companies_keyfigures
        WHERE account_type = 'company' AND year <= %s AND"""
    sql = f"""
SELECT (SELECT COUNT(*) FROM companies_affiliation WHERE kind IN (%s, %s) {org_filter})
     + ({accounts} company_id IN (
            SELECT company_id FROM companies_affiliation WHERE kind IN (%s, %s) {org_filter}))
"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params + [last_year] + params)
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.db import connection

    from koblingsboks.network.models import Network, Organisation
    from koblingsboks.reporting.definitions import KpiDefinitions
    from koblingsboks.reporting.kpi import (
        kpi_comparison,
        kpi_report,
        kpi_series,
        scope_for_network,
        scope_for_organisation,
        scope_national,
    )
    from koblingsboks.reporting.selectors import dashboard_data, network_gardens

    vendor = connection.vendor
    year = args.year
    garden = Organisation.objects.get(slug="benchhagen-007")
    network = Network.objects.get(slug="benchnettverk-3")
    gardens = network_gardens(network)
    definitions = KpiDefinitions()
    national = scope_national()
    cases = [
        (
            "national year",
            lambda: kpi_report(scope=national, year=year),
            lambda: count_rows(organisation_ids=None, last_year=year),
        ),
        (
            "national 10 years",
            lambda: kpi_series(scope=national, first_year=year - 9, last_year=year),
            lambda: count_rows(organisation_ids=None, last_year=year),
        ),
        (
            "network year",
            lambda: (
                kpi_report(scope=scope_for_network(network), year=year),
                kpi_comparison(organisations=gardens, year=year),
            ),
            lambda: count_rows(organisation_ids=[g.pk for g in gardens], last_year=year),
        ),
        (
            "garden dashboard",
            lambda: dashboard_data(
                scope=scope_for_organisation(garden),
                year=year,
                definitions=definitions,
                detailed=True,
            ),
            lambda: count_rows(organisation_ids=[garden.pk], last_year=year),
        ),
    ]
    report = kpi_report(scope=national, year=year)
    print(
        f"{vendor}: national {year}: affiliated {report['affiliated']}, "
        f"rows read {count_rows(organisation_ids=None, last_year=year)}"
    )
    print(f"{'case':20} {'median ms':>10} {'plain ms':>9} {'ratio':>6} {'target':>7}")
    for name, fn, baseline in cases:
        ms = median_ms(fn)
        base = median_ms(baseline)
        target = TARGETS_MS.get((vendor, name))
        verdict = "" if target is None else f"{target} ms {'ok' if ms < target else 'MISSED'}"
        print(f"{name:20} {ms:10.1f} {base:9.1f} {ms / base:6.1f} {verdict}")


if __name__ == "__main__":
    main()
