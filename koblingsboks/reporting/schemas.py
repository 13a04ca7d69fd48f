"""API schemas of the KPI reports and the satisfaction survey. Names carry the Kpi/Survey
prefix (OpenAPI component names are unique across the API). In a suppressed report
(observers, the public) a figure over fewer than 3 companies is null and ``suppressed``."""

from decimal import Decimal

from ninja import Field, Schema


class KpiScopeOut(Schema):
    kind: str = Field(description="organisation | network | national")
    name: str
    slug: str | None = None
    org_number: str | None = None
    organisations: int | None = Field(None, description="Organisations counted in the scope")


class KpiDefinitionsOut(Schema):
    kinds: list[str] = Field(description="Affiliation kinds counted")
    newly_started_years: int = Field(description="Window of 'newly started' in calendar years")
    baseline_rule: str
    include_self_reported: bool
    sum_currency: str = Field(description="Sums across companies use accounts in this currency")
    account_type: str
    suppression_threshold: int | None = None


class KpiRatioOut(Schema):
    count: int | None
    base: int | None = Field(description="The number of companies the share is taken over")
    share: float | None = Field(description="count/base; null when base is 0 or suppressed")
    suppressed: bool = False


class KpiValueCreationOut(Schema):
    total: Decimal | None = Field(description="Operating result + personnel costs, summed")
    baseline_total: Decimal | None
    companies: int | None = None
    baseline_companies: int | None = None
    total_of_baseline_companies: Decimal | None = None
    other_currency_excluded: int | None = None
    suppressed: bool = False


class KpiEmployeesOut(Schema):
    total: int | None
    change: int | None
    companies: int | None = None
    change_companies: int | None = None
    suppressed: bool = False


class KpiSatisfactionOut(Schema):
    average: Decimal | None = Field(description="Average score, 1–6")
    answers: int | None
    suppressed: bool = False


class KpiCohortOut(Schema):
    admission_year: int
    companies: int | None
    growth_since_admission: KpiRatioOut
    doubled: KpiRatioOut
    suppressed: bool = False


class KpiReportOut(Schema):
    scope: KpiScopeOut
    year: int
    definitions: KpiDefinitionsOut
    affiliated: int | None
    newly_started: int | None
    growth: KpiRatioOut
    growth_since_admission: KpiRatioOut
    doubled: KpiRatioOut
    value_creation: KpiValueCreationOut
    employees: KpiEmployeesOut
    self_reported: int | None
    satisfaction: KpiSatisfactionOut
    cohorts: list[KpiCohortOut]
    suppressed: list[str] = Field(
        default_factory=list, description="Figures suppressed for this viewer"
    )


class KpiGardenOut(Schema):
    slug: str
    name: str
    report: KpiReportOut


class KpiNetworkReportOut(Schema):
    report: KpiReportOut
    gardens: list[KpiGardenOut] = Field(description="Each garden's own report, side by side")


class KpiCompanyOut(Schema):
    org_number: str
    name: str
    admission_year: int
    baseline_year: int | None
    turnover: Decimal | None
    currency: str
    baseline_turnover: Decimal | None


class SurveyOut(Schema):
    id: int
    year: int
    title: str
    closes_on: str | None = None
    invited: int
    answers: int
    average: float | None
