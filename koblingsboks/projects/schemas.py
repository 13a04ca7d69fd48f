"""API schemas of joint projects. Names start with ``Project`` (unique OpenAPI components);
inputs refuse unknown fields. Amounts are decimals in NOK with two decimals."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict


def _money():
    return Field(ge=0, max_digits=14, decimal_places=2)


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class ProjectPartyOut(Schema):
    id: int
    name: str
    organisation_slug: str | None = Field(description="None for an external partner")
    external: bool
    contact_name: str
    contact_email: str
    contact_phone: str
    signer_name: str = Field(description="External partners: who signs by e-mail link")


class ProjectOut(Schema):
    id: int
    title: str
    status: str = Field(description="draft, circulated, signed, active or closed")
    start_date: date
    end_date: date
    lead_organisation: str
    amending: bool = Field(description="An amendment is open")
    parties: list[str]

    @staticmethod
    def resolve_lead_organisation(obj) -> str:
        return obj.lead_organisation.name

    @staticmethod
    def resolve_parties(obj) -> list[str]:
        return [party.name for party in obj.parties.all()]


class ProjectDeliverableOut(Schema):
    title: str
    due_date: date


class ProjectResponsibilityOut(Schema):
    id: int
    party_id: int
    title: str
    description: str
    deliverables: list[ProjectDeliverableOut]


class ProjectBudgetLineOut(Schema):
    id: int
    party_id: int
    year: int
    category: str = Field(description="personnel, purchased_services, travel, events or other")
    description: str
    cash: Decimal
    in_kind: Decimal


class ProjectFundingOut(Schema):
    id: int
    kind: str = Field(description="own, programme, county or other")
    name: str
    amount: Decimal


class ProjectTermOut(Schema):
    key: str
    title: str
    text: str


class ProjectSignatureOut(Schema):
    party_id: int
    signer_name: str
    method: str = Field(description="account or email_link")
    signed_at: datetime
    version_hash: str


class ProjectVersionOut(Schema):
    number: int
    status: str = Field(description="circulated (awaiting signatures), signed or superseded")
    content_hash: str = Field(description="SHA-256 of the version's canonical JSON")
    created_at: datetime
    signed_at: datetime | None
    diff: str = Field(description="Unified diff against the last signed version, if any")
    signatures: list[ProjectSignatureOut]


class ProjectTotalsOut(Schema):
    budget_cash: Decimal
    budget_in_kind: Decimal
    budget_total: Decimal
    funding_total: Decimal
    balanced: bool = Field(description="The funding sources cover the budget exactly")
    by_party: dict[str, Decimal] = Field(description="Budget total per party name")
    by_year: dict[str, Decimal] = Field(description="Budget total per year")


class ProjectDetailOut(Schema):
    """A project as its parties see it (built by the handler, amounts in NOK)."""

    id: int
    title: str
    status: str = Field(description="draft, circulated, signed, active or closed")
    start_date: date
    end_date: date
    lead_organisation: str
    amending: bool = Field(description="An amendment is open")
    parties: list[str]
    purpose: str
    network: str | None
    party_details: list[ProjectPartyOut]
    responsibilities: list[ProjectResponsibilityOut]
    budget_lines: list[ProjectBudgetLineOut]
    funding: list[ProjectFundingOut]
    terms: list[ProjectTermOut]
    totals: ProjectTotalsOut
    versions: list[ProjectVersionOut]


class ProjectIn(StrictIn):
    title: str = Field(min_length=1, max_length=200)
    purpose: str = Field("", max_length=4000)
    start_date: date
    end_date: date
    network_slug: str | None = Field(None, description="Share title, parties and status with it")


class ProjectPartyIn(StrictIn):
    organisation_slug: str | None = Field(None, description="A member organisation, or…")
    external_name: str = Field("", max_length=200, description="…an external partner")
    contact_name: str = Field("", max_length=200)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=40)
    signer_name: str = Field("", max_length=200)
    signer_email: str = Field("", max_length=254)


class ProjectResponsibilityIn(StrictIn):
    party_id: int
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=4000)


class ProjectBudgetLineIn(StrictIn):
    party_id: int
    year: int = Field(ge=2000, le=2100)
    category: str
    description: str = Field("", max_length=200)
    cash: Decimal = _money()
    in_kind: Decimal = _money()


class ProjectFundingIn(StrictIn):
    kind: str
    name: str = Field(min_length=1, max_length=200)
    amount: Decimal = _money()


class ProjectSignIn(StrictIn):
    party_id: int
    content_hash: str = Field(
        min_length=64, max_length=64, description="The hash of the version you read"
    )


class ProjectCostIn(StrictIn):
    budget_line_id: int
    date: date
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    kind: str = Field(description="cash or in_kind")
    note: str = Field("", max_length=500)


class ProjectCostOut(Schema):
    id: int
    budget_line_id: int
    date: date
    amount: Decimal
    kind: str
    note: str
    has_attachment: bool

    @staticmethod
    def resolve_has_attachment(obj) -> bool:
        return bool(obj.attachment)


class ProjectActualRowOut(Schema):
    budget_line_id: int
    party: str
    year: int
    category: str
    budget_cash: Decimal
    budget_in_kind: Decimal
    actual_cash: Decimal
    actual_in_kind: Decimal
    remaining: Decimal
    over_budget: bool


class ProjectActualsOut(Schema):
    rows: list[ProjectActualRowOut]
    budget_total: Decimal
    actual_total: Decimal
    over_budget: bool


class ProjectNetworkOut(Schema):
    id: int = Field(description="The project; only its title, parties and status are shared")
    title: str
    status: str
    parties: list[str]
    network: str
