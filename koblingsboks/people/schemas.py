"""API schemas of the people app (names unique across the API)."""

from ninja import Field, Schema
from pydantic import ConfigDict


class PeopleCompetenceOut(Schema):
    id: int
    area_id: int
    name_nb: str
    name_en: str


class PeopleCompetenceAreaOut(Schema):
    id: int
    name_nb: str
    name_en: str
    competences: list[PeopleCompetenceOut]

    @staticmethod
    def resolve_competences(obj) -> list:
        return list(obj.competences.all())


class PeopleCompetenceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    area_id: int
    name_nb: str = Field(min_length=1, max_length=120)
    name_en: str = Field(min_length=1, max_length=120)


class PeopleHeldCompetenceOut(Schema):
    competence_id: int
    name: str
    level: int = Field(description="1 basic, 2 experienced, 3 expert")

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.competence.name


class PeopleProfileOut(Schema):
    id: int
    user_id: int
    full_name: str
    title: str
    email: str
    organisation_slug: str
    organisation_name: str
    text: str
    competences: list[PeopleHeldCompetenceOut]
    languages: list[str] = Field(description="Language codes, e.g. nb, en, de")
    sectors: list[str] = Field(description="NACE section letters, e.g. A, C, J")

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.user.title

    @staticmethod
    def resolve_email(obj) -> str:
        return obj.user.email

    @staticmethod
    def resolve_organisation_slug(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_competences(obj) -> list:
        return list(obj.competences.all())

    @staticmethod
    def resolve_languages(obj) -> list[str]:
        return [item.code for item in obj.languages.all()]

    @staticmethod
    def resolve_sectors(obj) -> list[str]:
        return [item.section for item in obj.sectors.all()]


class PeopleLevelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    competence_id: int
    level: int = Field(ge=1, le=3)


class PeopleProfileIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=2000)
    competences: list[PeopleLevelIn] = []
    languages: list[str] = []
    sectors: list[str] = []
