"""A second, independent computation of the KPI figures: plain Python over the same rows,
written from PRODUCT.md without looking at the SQL. The tests require both to agree
exactly."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django_scopes import scopes_disabled

from koblingsboks.companies.models import Affiliation, Company, KeyFigures
from koblingsboks.reporting.definitions import (
    BASELINE_FIRST_FROM_ADMISSION,
    BASELINE_YEAR_BEFORE,
    KpiDefinitions,
)


def _share(count, base):
    return {"count": count, "base": base, "share": count / base if base else None}


def reference_report(*, organisation_ids, year: int, definitions: KpiDefinitions) -> dict:
    with scopes_disabled():
        affiliations = list(
            Affiliation.objects.filter(kind__in=definitions.kinds).values(
                "company_id", "organisation_id", "start_date", "end_date"
            )
        )
    if organisation_ids is not None:
        affiliations = [a for a in affiliations if a["organisation_id"] in organisation_ids]
    first_of_year, last_of_year = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    admission: dict[int, int] = {}
    affiliated: set[int] = set()
    for a in affiliations:
        c = a["company_id"]
        admission[c] = min(admission.get(c, 9999), a["start_date"].year)
        if a["start_date"] <= last_of_year and (
            a["end_date"] is None or a["end_date"] >= first_of_year
        ):
            affiliated.add(c)

    accounts: dict[int, dict[int, KeyFigures]] = defaultdict(dict)
    rows = KeyFigures.objects.filter(company_id__in=affiliated, account_type="company")
    if not definitions.include_self_reported:
        rows = rows.exclude(source="self_reported")
    for row in rows.order_by("period_end"):
        accounts[row.company_id][row.year] = row  # the later period of a year wins

    companies = {c.pk: c for c in Company.objects.filter(pk__in=affiliated)}
    totals = defaultdict(int)
    totals["vc_total"] = Decimal("0.00")
    totals["vcb_total"] = Decimal("0.00")
    totals["vcb_cur_total"] = Decimal("0.00")
    cohorts: dict[int, dict] = {}
    per_company = {}
    for c in sorted(affiliated):
        company = companies[c]
        ay = admission[c]
        own = accounts.get(c, {})
        if definitions.baseline_rule == BASELINE_YEAR_BEFORE:
            candidates = [y for y in own if y == ay - 1]
        elif definitions.baseline_rule == BASELINE_FIRST_FROM_ADMISSION:
            candidates = [y for y in own if y >= ay]
        else:
            candidates = [ay - 1] if (ay - 1) in own else [y for y in own if y >= ay]
        baseline_year = min(candidates) if candidates else None
        if baseline_year is not None and baseline_year >= year:
            baseline_year = None
        cur, prev = own.get(year), own.get(year - 1)
        base = own.get(baseline_year) if baseline_year is not None else None
        t = cur.turnover if cur else None
        founded = company.founded_on or company.registered_on
        newly = (
            founded is not None and year - definitions.newly_started_years < founded.year <= year
        )
        g_base = (
            t is not None
            and prev is not None
            and prev.turnover is not None
            and (prev.currency == cur.currency)
        )
        g = g_base and t > prev.turnover
        ga_base = (
            t is not None
            and base is not None
            and base.turnover is not None
            and (base.currency == cur.currency)
        )
        ga = ga_base and t > base.turnover
        d_base = ga_base and base.turnover > 0
        d = d_base and t >= 2 * base.turnover

        def vc(row):
            if row is None or row.operating_result is None or row.personnel_costs is None:
                return None
            return row.operating_result + row.personnel_costs

        vc_cur, vc_base = vc(cur), vc(base)
        money = definitions.sum_currency
        if vc_cur is not None and cur.currency == money:
            totals["vc_total"] += vc_cur
            totals["vc_n"] += 1
            if vc_base is not None and base.currency == money:
                totals["vcb_total"] += vc_base
                totals["vcb_cur_total"] += vc_cur
                totals["vcb_n"] += 1
        elif vc_cur is not None:
            totals["vc_other"] += 1
        if cur is not None and cur.employees is not None:
            totals["e_total"] += cur.employees
            totals["e_n"] += 1
            if prev is not None and prev.employees is not None:
                totals["e_change"] += cur.employees - prev.employees
                totals["e_change_n"] += 1
        used = [r for r in (cur, prev, base) if r is not None]
        self_reported = any(r.source == "self_reported" for r in used)
        totals["self_reported"] += self_reported
        for name, value in (
            ("newly", newly),
            ("g", g),
            ("g_base", g_base),
            ("ga", ga),
            ("ga_base", ga_base),
            ("d", d),
            ("d_base", d_base),
        ):
            totals[name] += bool(value)
        cohort = cohorts.setdefault(ay, defaultdict(int))
        cohort["companies"] += 1
        for name, value in (("ga", ga), ("ga_base", ga_base), ("d", d), ("d_base", d_base)):
            cohort[name] += bool(value)
        per_company[c] = {
            "admission_year": ay,
            "baseline_year": baseline_year,
            "newly_started": int(newly),
            "growth": int(g),
            "growth_base": int(g_base),
            "growth_since_admission": int(ga),
            "growth_since_admission_base": int(ga_base),
            "doubled": int(d),
            "doubled_base": int(d_base),
        }
    return {
        "affiliated": len(affiliated),
        "newly_started": totals["newly"],
        "growth": _share(totals["g"], totals["g_base"]),
        "growth_since_admission": _share(totals["ga"], totals["ga_base"]),
        "doubled": _share(totals["d"], totals["d_base"]),
        "value_creation": {
            "total": totals["vc_total"],
            "baseline_total": totals["vcb_total"],
            "companies": totals["vc_n"],
            "baseline_companies": totals["vcb_n"],
            "total_of_baseline_companies": totals["vcb_cur_total"],
            "other_currency_excluded": totals["vc_other"],
        },
        "employees": {
            "total": totals["e_total"],
            "change": totals["e_change"],
            "companies": totals["e_n"],
            "change_companies": totals["e_change_n"],
        },
        "self_reported": totals["self_reported"],
        "cohorts": [
            {
                "admission_year": ay,
                "companies": cohorts[ay]["companies"],
                "growth_since_admission": _share(cohorts[ay]["ga"], cohorts[ay]["ga_base"]),
                "doubled": _share(cohorts[ay]["d"], cohorts[ay]["d_base"]),
            }
            for ay in sorted(cohorts)
        ],
        "per_company": per_company,
    }


def comparable(report: dict) -> dict:
    """The figures of a KPI report without scope, year, definitions and the survey."""
    skip = {"scope", "year", "definitions", "satisfaction", "per_company"}
    return {k: v for k, v in report.items() if k not in skip}
