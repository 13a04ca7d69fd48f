"""The parameters of the KPI definitions (PRODUCT.md, "Results the programme asks for") and
the scope a report is for. Every report carries its definitions, so a figure always says
what it counts; any of them can be changed per report."""

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

from koblingsboks.companies.models import Affiliation

BASELINE_YEAR_BEFORE_OR_FIRST = "year_before_or_first"
BASELINE_YEAR_BEFORE = "year_before"
BASELINE_FIRST_FROM_ADMISSION = "first_from_admission"
BASELINE_RULES = {
    BASELINE_YEAR_BEFORE_OR_FIRST: _(
        "the accounts for the year before the admission year; if there are none, the first "
        "accounts from the admission year on"
    ),
    BASELINE_YEAR_BEFORE: _("the accounts for the year before the admission year only"),
    BASELINE_FIRST_FROM_ADMISSION: _("the first accounts from the admission year on"),
}
DEFAULT_KINDS = (Affiliation.Kind.TARGET.value, Affiliation.Kind.INCUBATOR.value)
SUPPRESSION_THRESHOLD = 3
MAX_WINDOW = 10


@dataclass(frozen=True)
class KpiDefinitions:
    """What a report counts. The defaults are the programme's (PRODUCT.md)."""

    kinds: tuple[str, ...] = DEFAULT_KINDS
    newly_started_years: int = 3
    baseline_rule: str = BASELINE_YEAR_BEFORE_OR_FIRST
    include_self_reported: bool = True
    # Sums across companies (value creation) use accounts in this currency only.
    sum_currency: str = "NOK"

    def __post_init__(self):
        kinds = tuple(sorted(set(self.kinds)))
        if not kinds or any(k not in Affiliation.Kind.values for k in kinds):
            raise ValueError(f"counted kinds must be among {Affiliation.Kind.values}")
        object.__setattr__(self, "kinds", kinds)
        if not 1 <= self.newly_started_years <= MAX_WINDOW:
            raise ValueError(f"the newly-started window must be 1 to {MAX_WINDOW} years")
        if self.baseline_rule not in BASELINE_RULES:
            raise ValueError(f"baseline rule must be one of {sorted(BASELINE_RULES)}")

    def as_dict(self) -> dict:
        data = asdict(self)
        data["kinds"] = list(self.kinds)
        data["account_type"] = "company"
        return data

    def describe(self) -> dict[str, str]:
        """One sentence per figure, for the page, the exports and the API."""
        kinds = ", ".join(str(Affiliation.Kind(k).label) for k in self.kinds)
        window = self.newly_started_years
        return {
            "affiliated": _(
                "Companies with an affiliation of a counted kind (%(kinds)s) whose period "
                "overlaps the year; each company is counted once."
            )
            % {"kinds": kinds},
            "newly_started": _(
                "Affiliated companies founded (else registered) in the year or the %(n)s "
                "calendar years before it."
            )
            % {"n": window - 1},
            "growth": _(
                "Turnover greater than the year before, among affiliated companies with "
                "accounts in the same currency for both years."
            ),
            "growth_since_admission": _(
                "Turnover greater than at baseline (%(rule)s), among affiliated companies "
                "with accounts for the year and a baseline before it."
            )
            % {"rule": BASELINE_RULES[self.baseline_rule]},
            "doubled": _(
                "Turnover at least twice the baseline turnover, among affiliated companies "
                "with accounts for the year and a positive baseline before it."
            ),
            "value_creation": _(
                "Operating result + personnel costs, summed over accounts in %(currency)s; "
                "accounts in other currencies are left out and counted."
            )
            % {"currency": self.sum_currency},
            "employees": _(
                "Sum of employees in the year's accounts; the change is taken over "
                "companies with a headcount for both this and the year before."
            ),
            "self_reported": _(
                "Affiliated companies whose figures in this report include key figures "
                "entered by a garden (self-reported)."
            ),
            "satisfaction": _(
                "Average score (1–6) of the answers to the gardens' satisfaction survey for "
                "the year, with the number of answers."
            ),
            "cohorts": _("Growth figures broken down by the year the company was admitted."),
        }


@dataclass(frozen=True)
class Scope:
    """Whom a report is about: one organisation, one network, or the whole country.

    ``organisation_ids`` is None for the national scope (every organisation).
    """

    kind: str  # organisation | network | national
    name: str
    slug: str = ""
    org_number: str = ""
    organisation_ids: tuple[int, ...] | None = field(default=None)

    def as_dict(self) -> dict:
        data = {"kind": self.kind, "name": self.name}
        if self.slug:
            data["slug"] = self.slug
        if self.org_number:
            data["org_number"] = self.org_number
        if self.organisation_ids is not None:
            data["organisations"] = len(self.organisation_ids)
        return data
