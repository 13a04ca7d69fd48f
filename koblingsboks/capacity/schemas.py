"""API schemas of capacity (names unique across the API; inputs refuse unknown fields)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

HOURS = {"gt": 0, "max_digits": 7, "decimal_places": 2}


class CapacityOfferOut(Schema):
    id: int
    organisation_slug: str
    organisation_name: str
    person_id: int | None
    person_name: str | None
    title: str
    description: str
    competence_ids: list[int]
    hours: Decimal
    booked_hours: Decimal = Field(description="Accepted and completed, extensions included")
    free_hours: Decimal
    period_start: date
    period_end: date
    hourly_rate: Decimal = Field(description="NOK per hour")
    is_withdrawn: bool

    @staticmethod
    def resolve_organisation_slug(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_person_name(obj) -> str | None:
        return obj.person.full_name if obj.person_id else None

    @staticmethod
    def resolve_competence_ids(obj) -> list[int]:
        return [competence.pk for competence in obj.competences.all()]


class CapacityOfferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    person_id: int | None = Field(None, description="A member; None: the organisation")
    competence_ids: list[int] = []
    hours: Decimal = Field(**HOURS)
    period_start: date
    period_end: date
    hourly_rate: Decimal = Field(ge=0, max_digits=12, decimal_places=2)


class CapacityRequestOut(Schema):
    id: int
    title: str
    need: str
    competence_ids: list[int]
    hours: Decimal
    window_start: date
    window_end: date
    company_org_number: str | None = Field(description="Private to your organisation")
    share_company: bool
    status: str = Field(description="open or closed")
    created_at: datetime

    @staticmethod
    def resolve_competence_ids(obj) -> list[int]:
        return [competence.pk for competence in obj.competences.all()]

    @staticmethod
    def resolve_company_org_number(obj) -> str | None:
        return obj.company.org_number if obj.company_id else None


class CapacityRequestDetailOut(CapacityRequestOut):
    suggested_offers: list[CapacityOfferOut] = Field(
        description="Open offers of partner organisations, most shared competences first"
    )


class CapacityRequestIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    need: str = Field(min_length=1, max_length=4000)
    competence_ids: list[int] = []
    hours: Decimal = Field(**HOURS)
    window_start: date
    window_end: date
    company_org_number: str | None = Field(None, description="A company of your portfolio")
    share_company: bool = False


class CapacityProposeIn(Schema):
    """Either ``offer_id``, or ``profile_id`` (a person of the directory) with an
    ``hourly_rate``."""

    model_config = ConfigDict(extra="forbid")

    offer_id: int | None = None
    profile_id: int | None = Field(None, description="A person of another organisation")
    hourly_rate: Decimal | None = Field(
        None, ge=0, max_digits=12, decimal_places=2, description="For a named person only"
    )
    hours: Decimal = Field(**HOURS)
    message: str = Field("", max_length=2000)


class CapacityBookingOut(Schema):
    id: int
    request_id: int
    request_title: str
    need: str
    company_org_number: str | None = Field(
        description="Only for the requester, or when the requester shares it"
    )
    offer_id: int | None
    person_id: int | None
    requester_slug: str
    provider_slug: str
    hours: Decimal
    extra_hours: Decimal = Field(description="Added by audited extensions")
    hourly_rate: Decimal
    state: str = Field(description="proposed, accepted, completed, declined or cancelled")
    decision_note: str
    decided_at: datetime | None
    created_at: datetime


class CapacityDeclineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=500)


class CapacityExtendIn(Schema):
    model_config = ConfigDict(extra="forbid")

    hours: Decimal = Field(**HOURS)
    reason: str = Field(min_length=1, max_length=500)


class CapacityTimeEntryOut(Schema):
    id: int
    booking_id: int
    person_id: int
    date: date
    hours: Decimal
    description: str
    settlement_id: int | None


class CapacityTimeEntryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    date: date
    hours: Decimal = Field(gt=0, le=24, max_digits=4, decimal_places=2)
    description: str = Field("", max_length=500)


class CapacitySettlementLineOut(Schema):
    booking_id: int
    title: str
    provider_id: int
    hours: Decimal
    rate: Decimal
    amount: Decimal


class CapacitySettlementOut(Schema):
    id: int
    organisation_a_slug: str
    organisation_b_slug: str
    kind: str
    period_start: date
    period_end: date
    state: str = Field(description="open, frozen (one approval) or approved (both)")
    hours_a_for_b: Decimal
    amount_a_for_b: Decimal
    hours_b_for_a: Decimal
    amount_b_for_a: Decimal
    net_amount: Decimal = Field(description="What B owes A in NOK; negative: A owes B")
    approved_at_a: datetime | None
    approved_at_b: datetime | None


class CapacitySettlementDetailOut(CapacitySettlementOut):
    lines: list[CapacitySettlementLineOut]


class CapacitySettlementIn(Schema):
    model_config = ConfigDict(extra="forbid")

    counterpart_slug: str
    kind: str = Field(pattern=r"^(month|quarter)$")
    year: int = Field(ge=2000, le=2100)
    number: int = Field(ge=1, le=12, description="Month 1–12 or quarter 1–4")
