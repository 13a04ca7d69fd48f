"""Request and response schemas. Names are unique so OpenAPI components never collide."""

from datetime import date, datetime

from ninja import Field, Schema


class MunicipalityOut(Schema):
    number: str = Field(description="Official municipality number (2024 numbering)")
    name: str


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    kind: str = Field(description="business_garden, incubator, partner or programme_owner")
    org_number: str = Field(description="Norwegian organisation number, 9 digits")
    municipalities: list[MunicipalityOut]
    street_address: str
    postal_code: str
    postal_place: str
    website: str
    email: str
    description: str

    @staticmethod
    def resolve_municipalities(obj) -> list:
        return list(obj.municipalities.all())


class OrganisationPatchIn(Schema):
    name: str | None = Field(None, max_length=200)
    street_address: str | None = Field(None, max_length=200)
    postal_code: str | None = Field(None, max_length=4)
    postal_place: str | None = Field(None, max_length=100)
    website: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    description: str | None = Field(None, max_length=4000)
    municipalities: list[str] | None = Field(None, description="Municipality numbers")


class CooperationAreaOut(Schema):
    position: int
    title: str
    description: str


class NetworkPartyOut(Schema):
    organisation: OrganisationOut
    role: str
    is_coordinator: bool
    joined_on: date | None


class NetworkOut(Schema):
    id: int
    slug: str
    name: str
    agreement_title: str
    agreement_signed_on: date | None


class NetworkDetailOut(NetworkOut):
    agreement_text: str
    areas: list[CooperationAreaOut]
    parties: list[NetworkPartyOut]

    @staticmethod
    def resolve_areas(obj) -> list:
        return list(obj.areas.all())

    @staticmethod
    def resolve_parties(obj) -> list:
        return list(obj.party_links.all())


class MemberUserOut(Schema):
    id: int
    email: str
    full_name: str
    title: str
    phone: str


class MembershipOut(Schema):
    id: int
    role: str = Field(description="admin, manager, advisor or observer")
    user: MemberUserOut
    created_at: datetime


class MembershipRoleIn(Schema):
    role: str = Field(description="admin, manager, advisor or observer")


class MyMembershipOut(Schema):
    organisation: OrganisationOut
    role: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    title: str
    phone: str
    bio: str
    language: str
    memberships: list[MyMembershipOut]


class InvitationIn(Schema):
    email: str = Field(max_length=254)
    role: str = Field("advisor", description="admin, manager, advisor or observer")


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    created_at: datetime
    expires_at: datetime


class AuditEntryOut(Schema):
    id: int
    created_at: datetime
    actor: str = Field(description="E-mail of the acting user at the time of the change")
    action: str
    object_type: str | None
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_label

    @staticmethod
    def resolve_object_type(obj) -> str | None:
        return obj.content_type.model if obj.content_type_id else None


class ErrorOut(Schema):
    detail: str
    code: str | None = None
