"""Suppression for observers and the public: nothing over fewer than 3 companies, and no
hidden figure that subtraction from the figures beside it would give back."""

from koblingsboks.reporting.kpi import complementary_suppression, suppress_report


def ratio(count, base):
    return {"count": count, "base": base, "share": count / base if base else None}


def cohort(year, companies, grew, doubled_base):
    return {
        "admission_year": year,
        "companies": companies,
        "growth_since_admission": ratio(grew, companies),
        "doubled": ratio(0, doubled_base),
    }


def report(affiliated, *, cohorts=(), growth_base=None, employees_companies=None):
    growth_base = affiliated if growth_base is None else growth_base
    employees_companies = affiliated if employees_companies is None else employees_companies
    return {
        "scope": {"kind": "organisation"},
        "year": 2024,
        "definitions": {},
        "affiliated": affiliated,
        "newly_started": 1,
        "growth": ratio(1, growth_base),
        "growth_since_admission": ratio(1, growth_base),
        "doubled": ratio(0, growth_base),
        "value_creation": {
            "total": 1000,
            "companies": affiliated,
            "baseline_total": 500,
            "baseline_companies": affiliated,
            "total_of_baseline_companies": 900,
            "other_currency_excluded": 0,
        },
        "employees": {
            "total": 10,
            "companies": employees_companies,
            "change": 1,
            "change_companies": employees_companies,
        },
        "self_reported": 0,
        "satisfaction": {"average": None, "answers": 0},
        "cohorts": list(cohorts),
    }


def test_one_small_cohort_hides_the_next_smallest_too():
    # 20 companies in three cohorts: 2 + 5 + 13. The 2 alone would be 20 - 5 - 13.
    out = suppress_report(
        report(20, cohorts=[cohort(2019, 2, 1, 2), cohort(2020, 5, 3, 5), cohort(2021, 13, 6, 9)])
    )
    assert out["affiliated"] == 20
    companies = [c["companies"] for c in out["cohorts"]]
    assert companies == [None, None, 13]
    assert [c["growth_since_admission"]["suppressed"] for c in out["cohorts"]] == [
        True,
        True,
        False,
    ]
    assert out["cohorts"][2]["growth_since_admission"]["count"] == 6


def test_cohorts_all_large_enough_are_all_shown():
    out = suppress_report(report(20, cohorts=[cohort(2019, 7, 1, 7), cohort(2020, 13, 3, 5)]))
    assert [c["companies"] for c in out["cohorts"]] == [7, 13]
    assert not any(c["doubled"]["suppressed"] for c in out["cohorts"])


def test_two_small_cohorts_need_no_third():
    out = suppress_report(
        report(20, cohorts=[cohort(2019, 1, 1, 1), cohort(2020, 2, 1, 2), cohort(2021, 17, 6, 9)])
    )
    assert [c["companies"] for c in out["cohorts"]] == [None, None, 17]


def test_one_suppressed_gardens_share_hides_the_next_smallest_gardens_share():
    # Growth is over 2 companies in garden A: hidden; the network's count and B's and C's
    # would give it back, so B's (the smaller base) is hidden as well.
    gardens = [
        suppress_report(report(10, growth_base=2)),
        suppress_report(report(10, growth_base=4)),
        suppress_report(report(10, growth_base=6)),
    ]
    complementary_suppression(gardens)
    assert [g["growth"]["suppressed"] for g in gardens] == [True, True, False]
    assert gardens[1]["growth"]["count"] is None
    assert "growth" in gardens[1]["suppressed"]
    assert gardens[2]["growth"]["base"] == 6


def test_one_suppressed_gardens_count_hides_the_next_smallest_gardens_count():
    gardens = [suppress_report(report(n)) for n in (2, 5, 9)]
    complementary_suppression(gardens)
    assert [g["affiliated"] for g in gardens] == [None, None, 9]
    assert gardens[1]["newly_started"] is None
    assert [g["value_creation"]["suppressed"] for g in gardens] == [True, True, False]
    assert [g["employees"]["suppressed"] for g in gardens] == [True, True, False]


def test_employees_alone_small_in_one_garden():
    gardens = [suppress_report(report(9, employees_companies=n)) for n in (2, 5, 9)]
    complementary_suppression(gardens)
    assert [g["affiliated"] for g in gardens] == [9, 9, 9]
    assert [g["employees"]["total"] for g in gardens] == [None, None, 10]
