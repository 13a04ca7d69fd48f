"""API schemas of companies, key figures and a garden's portfolio. Names are unique across
the whole API (OpenAPI components); inputs refuse unknown fields."""

import datetime as dt
from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict


class CompanyOut(Schema):
    org_number: str = Field(description="Organisation number, 9 digits")
    name: str
    organisation_form: str = Field(description="Register code, e.g. AS, ENK, NUF")
    nace_code: str = Field(
        description="Main NACE code as the register gives it (SN2025), e.g. 62.100"
    )
    nace_description: str
    municipality_number: str = Field(description="Empty for a foreign business address")
    municipality_name: str
    founded_on: date | None
    registered_on: date | None
    employees: int | None = Field(description="None: not published (fewer than 5) or none")
    is_bankrupt: bool
    is_under_liquidation: bool
    deleted_on: date | None = Field(description="Set when the register deleted the entity")


class KeyFiguresOut(Schema):
    year: int = Field(description="The year the accounting period ends in")
    period_start: date | None
    period_end: date
    currency: str
    turnover: Decimal | None = Field(description="Sum of operating income (driftsinntekter)")
    operating_result: Decimal | None
    personnel_costs: Decimal | None
    value_creation: Decimal | None = Field(description="Operating result + personnel costs")
    result_before_tax: Decimal | None
    employees: int | None
    source: str = Field(description="accounts_register, import or self_reported")


class KeyFiguresSelfReportIn(Schema):
    year: int = Field(ge=1900, le=2200)
    currency: str = Field("NOK", min_length=3, max_length=3)
    turnover: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    operating_result: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    personnel_costs: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    result_before_tax: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    employees: int | None = Field(None, ge=0)


class CompanyDetailOut(CompanyOut):
    organisation_form_description: str
    nace_code_2: str
    nace_code_3: str
    business_address: str
    business_postal_code: str
    business_postal_place: str
    business_country_code: str
    postal_address: str
    postal_code: str
    postal_place: str
    has_registered_employees: bool
    bankrupt_on: date | None
    liquidation_on: date | None
    is_under_forced_liquidation: bool
    website: str
    last_accounts_year: int | None
    key_figures: list[KeyFiguresOut]


class CompanyBriefOut(Schema):
    org_number: str
    name: str


class PortfolioAdvisorOut(Schema):
    id: int
    full_name: str
    email: str


class AffiliationOut(Schema):
    id: int
    company: CompanyBriefOut
    kind: str = Field(description="target, incubator or tenant")
    start_date: date
    end_date: date | None = Field(description="None while the affiliation lasts")
    phase: str = Field(description="lead, onboarding, active or alumni")
    responsible_advisor: PortfolioAdvisorOut | None
    created_at: datetime
    updated_at: datetime


class AffiliationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    org_number: str = Field(max_length=20, description="The company's organisation number")
    kind: str = Field(description="target, incubator or tenant")
    start_date: date
    end_date: date | None = None
    phase: str = Field("active", description="lead, onboarding, active or alumni")
    responsible_advisor_id: int | None = Field(None, description="User id of a member")


class AffiliationPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    start_date: date | None = None
    end_date: date | None = Field(None, description="Set it to end the affiliation")
    phase: str | None = None
    responsible_advisor_id: int | None = Field(None, description="User id of a member, or null")


class NoteOut(Schema):
    id: int
    text: str
    author: PortfolioAdvisorOut | None
    created_at: datetime
    updated_at: datetime


class NoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="At most 10 000 characters")


class AdvisoryLogOut(Schema):
    id: int
    date: dt.date
    hours: Decimal
    topic: str
    advisor: PortfolioAdvisorOut | None
    created_at: datetime


class AdvisoryLogIn(Schema):
    model_config = ConfigDict(extra="forbid")

    date: dt.date
    hours: Decimal = Field(description="More than 0 and at most 24, two decimals at most")
    topic: str
    advisor_id: int | None = Field(None, description="User id of a member; default: the caller")


class ContactPersonOut(Schema):
    id: int
    name: str
    role: str = Field(description="Role or title; empty when not given")
    email: str = Field(description="Empty when not given")
    phone: str = Field(description="Empty when not given")
    receives_surveys: bool = Field(description="Pre-filled as recipient of the yearly survey")
    created_at: datetime
    updated_at: datetime


class ContactPersonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    role: str = Field("", max_length=120)
    email: str = Field("", max_length=254, description="Unique per company (case ignored)")
    phone: str = Field("", max_length=30, description="Digits, spaces, at most a leading +")
    receives_surveys: bool = True


class ContactPersonPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=200)
    role: str | None = Field(None, max_length=120)
    email: str | None = Field(None, max_length=254, description="Empty string removes it")
    phone: str | None = Field(None, max_length=30, description="Empty string removes it")
    receives_surveys: bool | None = None


class ContactPersonExportOut(ContactPersonOut):
    company: CompanyBriefOut


class ContactEraseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254, description="The person's e-mail address")


class ContactEraseOut(Schema):
    erased: int = Field(description="How many contact entries were deleted")
