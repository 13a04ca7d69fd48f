"""The KPI report: the figures of PRODUCT.md for a scope and a year (or a range of years),
assembled from the SQL aggregates in ``kpi_sql``, and the suppressed view of it that
programme observers and the public get."""

from decimal import ROUND_HALF_UP, Decimal

from koblingsboks.network.models import Network, NetworkParty, Organisation
from koblingsboks.reporting import kpi_sql
from koblingsboks.reporting.definitions import SUPPRESSION_THRESHOLD, KpiDefinitions, Scope

RATIO_FIGURES = ("growth", "growth_since_admission", "doubled")
FIRST_REPORT_YEAR = 1990
LAST_REPORT_YEAR = 2100


# --- scopes -------------------------------------------------------------------------------


def scope_for_organisation(organisation: Organisation) -> Scope:
    return Scope(
        kind="organisation",
        name=organisation.name,
        slug=organisation.slug,
        org_number=organisation.org_number,
        organisation_ids=(organisation.pk,),
    )


def network_garden_ids(network: Network) -> tuple[int, ...]:
    """The network's members and partners; an observer party (the programme owner) has no
    companies of its own in the network's figures."""
    return tuple(
        NetworkParty.objects.filter(network=network)
        .exclude(role=NetworkParty.Role.OBSERVER)
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)
    )


def scope_for_network(network: Network) -> Scope:
    return Scope(
        kind="network",
        name=network.name,
        slug=network.slug,
        organisation_ids=network_garden_ids(network),
    )


def scope_national() -> Scope:
    return Scope(kind="national", name="Norway", organisation_ids=None)


# --- the report ---------------------------------------------------------------------------


def ratio(count: int, base: int) -> dict:
    """``{"count", "base", "share"}``; share is count/base, None when base is 0."""
    return {"count": count, "base": base, "share": (count / base) if base else None}


def _empty_totals() -> dict:
    return {
        name: Decimal("0.00") if name in kpi_sql.MONEY_FIELDS else 0
        for name in kpi_sql.AGGREGATE_FIELDS[3:]
    }


def _add(totals: dict, row: dict) -> None:
    for name in kpi_sql.AGGREGATE_FIELDS[3:]:
        totals[name] += row[name]


def _average(answers: int, total: int) -> Decimal | None:
    if not answers:
        return None
    return (Decimal(total) / Decimal(answers)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _figures(totals: dict) -> dict:
    return {
        "affiliated": totals["affiliated"],
        "newly_started": totals["newly_started"],
        "growth": ratio(totals["growth"], totals["growth_base"]),
        "growth_since_admission": ratio(
            totals["growth_since_admission"], totals["growth_since_admission_base"]
        ),
        "doubled": ratio(totals["doubled"], totals["doubled_base"]),
        "value_creation": {
            "total": totals["value_creation_total"],
            "baseline_total": totals["value_creation_baseline_total"],
            "companies": totals["value_creation_companies"],
            "baseline_companies": totals["value_creation_baseline_companies"],
            "total_of_baseline_companies": totals["value_creation_total_of_baseline_companies"],
            "other_currency_excluded": totals["value_creation_other_currency"],
        },
        "employees": {
            "total": totals["employees_total"],
            "change": totals["employees_change"],
            "companies": totals["employees_companies"],
            "change_companies": totals["employees_change_companies"],
        },
        "self_reported": totals["self_reported"],
    }


def _check_years(first_year: int, last_year: int) -> None:
    if not FIRST_REPORT_YEAR <= first_year <= last_year <= LAST_REPORT_YEAR:
        raise ValueError("years must be in order and between 1990 and 2100")


def _report(*, scope, year, definitions, rows, satisfaction) -> dict:
    """One year's report from its (year, admission year) aggregate rows."""
    totals = _empty_totals()
    cohorts = []
    for row in rows:
        _add(totals, row)
        cohorts.append(
            {
                "admission_year": row["admission_year"],
                "companies": row["affiliated"],
                "growth_since_admission": ratio(
                    row["growth_since_admission"], row["growth_since_admission_base"]
                ),
                "doubled": ratio(row["doubled"], row["doubled_base"]),
            }
        )
    answers, score_total = satisfaction
    return {
        "scope": scope.as_dict(),
        "year": year,
        "definitions": definitions.as_dict(),
        **_figures(totals),
        "satisfaction": {"average": _average(answers, score_total), "answers": answers},
        "cohorts": cohorts,
    }


def kpi_series(
    *,
    scope: Scope,
    first_year: int,
    last_year: int,
    definitions: KpiDefinitions | None = None,
) -> list[dict]:
    """The report for every year from ``first_year`` to ``last_year``, oldest first, from
    two queries (the figures and the satisfaction survey) whatever the number of years."""
    definitions = definitions or KpiDefinitions()
    _check_years(first_year, last_year)
    rows = kpi_sql.kpi_rows(
        scope=scope, definitions=definitions, first_year=first_year, last_year=last_year
    )
    satisfaction = kpi_sql.satisfaction_rows(
        scope=scope, first_year=first_year, last_year=last_year
    )
    by_year: dict[int, list[dict]] = {y: [] for y in range(first_year, last_year + 1)}
    for row in rows:
        by_year[row["year"]].append(row)
    return [
        _report(
            scope=scope,
            year=year,
            definitions=definitions,
            rows=year_rows,
            satisfaction=satisfaction.get((0, year), (0, 0)),
        )
        for year, year_rows in by_year.items()
    ]


def kpi_comparison(
    *, organisations: list[Organisation], year: int, definitions: KpiDefinitions | None = None
) -> list[tuple[Organisation, dict]]:
    """Each organisation's own report for ``year`` (its own admission years), side by side,
    from two queries whatever the number of organisations."""
    definitions = definitions or KpiDefinitions()
    _check_years(year, year)
    scope = Scope(
        kind="network", name="comparison", organisation_ids=tuple(o.pk for o in organisations)
    )
    rows = kpi_sql.kpi_rows(
        scope=scope,
        definitions=definitions,
        first_year=year,
        last_year=year,
        per_organisation=True,
    )
    satisfaction = kpi_sql.satisfaction_rows(
        scope=scope, first_year=year, last_year=year, per_organisation=True
    )
    by_organisation: dict[int, list[dict]] = {o.pk: [] for o in organisations}
    for row in rows:
        by_organisation[row["organisation_id"]].append(row)
    return [
        (
            organisation,
            _report(
                scope=scope_for_organisation(organisation),
                year=year,
                definitions=definitions,
                rows=by_organisation[organisation.pk],
                satisfaction=satisfaction.get((organisation.pk, year), (0, 0)),
            ),
        )
        for organisation in organisations
    ]


def kpi_report(*, scope: Scope, year: int, definitions: KpiDefinitions | None = None) -> dict:
    """The report for one year, in the shape of ``manage.py kpi_report`` (issue 4)."""
    return kpi_series(scope=scope, first_year=year, last_year=year, definitions=definitions)[0]


# --- suppression --------------------------------------------------------------------------


def _suppress_ratio(value: dict, threshold: int) -> dict:
    if value["base"] < threshold:
        return _hidden_ratio()
    return {**value, "suppressed": False}


def suppress_report(report: dict, *, threshold: int = SUPPRESSION_THRESHOLD) -> dict:
    """The report as programme observers and the public see it: every figure computed over
    fewer than ``threshold`` companies (or answers) is replaced by None and marked."""
    out = {key: report[key] for key in ("scope", "year", "definitions")}
    out["definitions"] = {**report["definitions"], "suppression_threshold": threshold}
    out["suppressed"] = []
    affiliated = report["affiliated"]
    if affiliated < threshold:
        out["affiliated"] = None
        out["suppressed"].append("affiliated")
    else:
        out["affiliated"] = affiliated
    # Newly started is a count among the affiliated: shown when those are enough.
    out["newly_started"] = report["newly_started"] if affiliated >= threshold else None
    if out["newly_started"] is None:
        out["suppressed"].append("newly_started")
    for name in RATIO_FIGURES:
        out[name] = _suppress_ratio(report[name], threshold)
        if out[name]["suppressed"]:
            out["suppressed"].append(name)
    value = report["value_creation"]
    if value["companies"] < threshold:
        out["value_creation"] = {"total": None, "baseline_total": None, "suppressed": True}
        out["suppressed"].append("value_creation")
    else:
        baseline_ok = value["baseline_companies"] >= threshold
        out["value_creation"] = {
            "total": value["total"],
            "companies": value["companies"],
            "baseline_total": value["baseline_total"] if baseline_ok else None,
            "baseline_companies": value["baseline_companies"] if baseline_ok else None,
            "total_of_baseline_companies": (
                value["total_of_baseline_companies"] if baseline_ok else None
            ),
            "other_currency_excluded": value["other_currency_excluded"],
            "suppressed": False,
        }
    employees = report["employees"]
    if employees["companies"] < threshold:
        out["employees"] = {"total": None, "change": None, "suppressed": True}
        out["suppressed"].append("employees")
    else:
        change_ok = employees["change_companies"] >= threshold
        out["employees"] = {
            "total": employees["total"],
            "companies": employees["companies"],
            "change": employees["change"] if change_ok else None,
            "change_companies": employees["change_companies"] if change_ok else None,
            "suppressed": False,
        }
    out["self_reported"] = report["self_reported"] if affiliated >= threshold else None
    satisfaction = report["satisfaction"]
    if satisfaction["answers"] < threshold:
        out["satisfaction"] = {"average": None, "answers": None, "suppressed": True}
        if satisfaction["answers"]:
            out["suppressed"].append("satisfaction")
    else:
        out["satisfaction"] = {**satisfaction, "suppressed": False}
    out["cohorts"] = _suppress_cohorts(report["cohorts"], threshold)
    return out


def _suppress_cohorts(cohorts: list[dict], threshold: int) -> list[dict]:
    out = [
        {
            "admission_year": cohort["admission_year"],
            "companies": cohort["companies"] if cohort["companies"] >= threshold else None,
            "growth_since_admission": _suppress_ratio(cohort["growth_since_admission"], threshold),
            "doubled": _suppress_ratio(cohort["doubled"], threshold),
            "suppressed": cohort["companies"] < threshold,
        }
        for cohort in cohorts
    ]
    # The cohorts add up to the year's figures, which stand beside them.
    _complement(
        out,
        hidden=lambda c: c["companies"] is None,
        size=lambda c: c["companies"],
        hide=lambda c: c.update(companies=None, suppressed=True),
    )
    for name in ("growth_since_admission", "doubled"):
        _complement_ratio(out, name)
    return out


def _hidden_ratio() -> dict:
    return {"count": None, "base": None, "share": None, "suppressed": True}


def _complement(items: list[dict], *, hidden, size, hide) -> None:
    """Where exactly one of ``items`` is suppressed and the total is shown beside them, the
    hidden one could be worked out by subtraction; hiding the next smallest as well leaves
    only the sum of two."""
    hidden_items = [item for item in items if hidden(item)]
    shown = [item for item in items if not hidden(item)]
    if len(hidden_items) == 1 and shown:
        hide(min(shown, key=size))


def _complement_ratio(items: list[dict], name: str, on_hide=None) -> None:
    def hide(item):
        item[name] = _hidden_ratio()
        if on_hide:
            on_hide(item, name)

    _complement(
        items,
        hidden=lambda item: item[name]["suppressed"],
        size=lambda item: item[name]["base"],
        hide=hide,
    )


def complementary_suppression(reports: list[dict]) -> None:
    """Complementary suppression across the gardens compared beside their network's figure
    (a company in two gardens counts once in the network, so the subtraction is nearly
    exact): the counts, each share's count and base, value creation and employees."""

    def mark(report, name):
        report["suppressed"].append(name)

    def hide_affiliated(report):
        for key in ("affiliated", "newly_started", "self_reported"):
            report[key] = None
        mark(report, "affiliated")

    def hide_value_creation(report):
        report["value_creation"] = {"total": None, "baseline_total": None, "suppressed": True}
        mark(report, "value_creation")

    def hide_employees(report):
        report["employees"] = {"total": None, "change": None, "suppressed": True}
        mark(report, "employees")

    _complement(
        reports,
        hidden=lambda r: r["affiliated"] is None,
        size=lambda r: r["affiliated"],
        hide=hide_affiliated,
    )
    for name in RATIO_FIGURES:
        _complement_ratio(reports, name, on_hide=mark)
    for name, hide in (("value_creation", hide_value_creation), ("employees", hide_employees)):
        _complement(
            reports,
            hidden=lambda r, name=name: r[name]["suppressed"],
            size=lambda r, name=name: r[name]["companies"],
            hide=hide,
        )
