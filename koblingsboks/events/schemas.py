"""API schemas of the events app. Names start with Event so that OpenAPI components stay
unique across the API; inputs refuse unknown fields."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict


class EventHostOut(Schema):
    organisation_id: int
    organisation_slug: str = Field(alias="organisation.slug")
    organisation_name: str = Field(alias="organisation.name")
    share: Decimal = Field(description="Per cent of the costs; the shares sum to 100")


class EventOut(Schema):
    id: int
    public_id: UUID = Field(description="Identifies the public page /e/{public_id}/")
    title: str
    kind: str = Field(description="course, seminar, network_meeting, webinar or other")
    audience: str = Field(description="organisation, network or public")
    status: str = Field(description="draft, published, cancelled or held")
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime | None = Field(description="None: until the start")
    location: str
    online_url: str
    capacity: int | None = Field(description="None: no limit")
    price: Decimal = Field(description="NOK; 0 is free")
    network_slug: str | None = Field(None, description="For the audience network")
    lead_organisation_slug: str = Field(alias="organisation.slug")
    hosts: list[EventHostOut]

    @staticmethod
    def resolve_hosts(obj) -> list:
        return list(obj.hosts.all())

    @staticmethod
    def resolve_network_slug(obj) -> str | None:
        return obj.network.slug if obj.network_id else None


class EventCalendarOut(EventOut):
    is_host: bool = Field(description="The organisation hosts this event")


class EventCostPartOut(Schema):
    organisation_slug: str
    share: Decimal
    amount: Decimal = Field(description="NOK; the parts sum to the total exactly")


class EventDetailOut(EventOut):
    description: str = Field(description="Markdown")
    responsible_id: int | None
    confirmed: int
    waitlisted: int
    cancelled: int
    checked_in: int
    cost_total: Decimal
    cost_split: list[EventCostPartOut]


class EventIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=200)
    kind: str = Field(description="course, seminar, network_meeting, webinar or other")
    audience: str = Field(description="organisation, network or public")
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime | None = None
    location: str = Field("", max_length=300)
    online_url: str = Field("", max_length=500)
    capacity: int | None = Field(None, ge=1)
    price: Decimal = Field(Decimal(0), ge=0, max_digits=10, decimal_places=2)
    description: str = Field("", max_length=10000)
    network_slug: str | None = Field(None, description="Required for the audience network")
    responsible_id: int | None = Field(None, description="User id of a member of a host")


class EventPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, max_length=200)
    kind: str | None = None
    audience: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    registration_deadline: datetime | None = None
    location: str | None = Field(None, max_length=300)
    online_url: str | None = Field(None, max_length=500)
    capacity: int | None = Field(None, ge=1)
    price: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    description: str | None = Field(None, max_length=10000)
    network_slug: str | None = None


class EventStatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(description="published, cancelled, held or draft")


class EventShareIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organisation_slug: str
    share: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2)


class EventHostsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    hosts: list[EventShareIn] = Field(description="Every host with its share; sum 100")


class EventRegistrationOut(Schema):
    id: int
    name: str
    email: str
    company_name: str
    org_number: str
    needs: str
    status: str = Field(description="confirmed, waitlisted or cancelled")
    source: str
    registered_at: datetime
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    checked_in_at: datetime | None


class EventRegistrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    company_name: str = Field("", max_length=300)
    org_number: str = Field("", max_length=20)
    needs: str = Field("", max_length=1000)


class EventRegistrationPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    checked_in: bool | None = Field(None, description="Record or undo attendance")
    status: str | None = Field(None, description="Only 'cancelled' (frees the seat)")


class EventPublicOut(Schema):
    public_id: UUID
    title: str
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    location: str
    price: Decimal
    capacity: int | None
    seats_left: int | None = Field(description="None: no limit")
    hosts: list[str] = Field(description="Names of the host organisations")
    url: str = Field(description="The public page with the registration form")

    @staticmethod
    def resolve_hosts(obj) -> list[str]:
        return [host.organisation.name for host in obj.hosts.all()]
