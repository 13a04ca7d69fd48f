"""API schemas of the library. Names start with Library so OpenAPI components never collide;
inputs refuse unknown fields."""

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from koblingsboks.core.markdown import render_markdown

AUDIENCE = r"^(organisation|network|public)$"
KINDS = r"^(news|question|experience|offer|event)$"


class LibraryPersonOut(Schema):
    id: int
    full_name: str


class LibraryOrganisationOut(Schema):
    slug: str
    name: str


class LibraryAttachmentOut(Schema):
    name: str
    content_type: str
    size: int
    url: str = Field(description="Served only to those who may read the post or method")

    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        return reverse("library:attachment", kwargs={"key": obj.key, "name": obj.name})


class LibraryCompetenceAreaOut(Schema):
    id: int
    name: str = Field(description="In the request's language (Norwegian or English)")


class LibraryCompetenceAreaCountOut(LibraryCompetenceAreaOut):
    method_count: int = Field(description="Methods in this area the organisation may read")


class LibraryLinkOut(Schema):
    id: int
    title: str


class LibraryCompanyLinkOut(Schema):
    org_number: str
    name: str


class LibraryPostOut(Schema):
    id: int
    title: str
    body: str = Field(description="Markdown as written")
    body_html: str = Field(description="The Markdown rendered and sanitised")
    kind: str
    audience: str = Field(description="organisation, network or public")
    network: str | None = Field(description="Slug of the network it was posted to")
    organisation: LibraryOrganisationOut
    author: LibraryPersonOut | None
    tags: list[str]
    attachments: list[LibraryAttachmentOut]
    created_at: datetime
    edited_at: datetime | None
    pinned: bool
    company: LibraryCompanyLinkOut | None = Field(
        None,
        description="The linked company, only for members of the post's own organisation "
        "(which gardens work with which company is not shared through the feed)",
    )
    event: LibraryLinkOut | None = Field(
        None, description="The linked event, only if the reader's organisation may see it"
    )
    project: LibraryLinkOut | None = Field(
        None, description="The linked project, only if the reader's organisation is a party"
    )

    @staticmethod
    def resolve_company(obj, context) -> dict | None:
        if not obj.company_id or obj.organisation_id != context["request"].organisation.pk:
            return None
        return {"org_number": obj.company.org_number, "name": obj.company.name}

    @staticmethod
    def resolve_event(obj, context) -> dict | None:
        from koblingsboks.library.feed import links

        event = links.visible_event(
            event_id=obj.event_id, organisation=context["request"].organisation
        )
        return {"id": event.pk, "title": event.title} if event else None

    @staticmethod
    def resolve_project(obj, context) -> dict | None:
        from koblingsboks.library.feed import links

        project = links.party_project(
            project_id=obj.project_id, organisation=context["request"].organisation
        )
        return {"id": project.pk, "title": project.title} if project else None

    @staticmethod
    def resolve_body_html(obj) -> str:
        return str(render_markdown(obj.body))

    @staticmethod
    def resolve_network(obj) -> str | None:
        return obj.network.slug if obj.network_id else None

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_pinned(obj) -> bool:
        return obj.pinned_at is not None


class LibraryPostIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000, description="Markdown; @e-mail mentions")
    kind: str = Field("news", pattern=KINDS)
    audience: str = Field("network", pattern=AUDIENCE)
    network: str | None = Field(None, description="Slug; required for network and public")
    tags: list[str] = Field(default_factory=list, max_length=12)
    method_id: int | None = None
    company: str | None = Field(
        None,
        pattern=r"^\d{9}$",
        description="Organisation number of a company in your organisation's portfolio",
    )
    event_id: int | None = Field(None, description="An event your organisation may see")
    project_id: int | None = Field(None, description="A project your organisation is a party of")


class LibraryPostPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, min_length=1, max_length=20_000)
    kind: str | None = Field(None, pattern=KINDS)
    audience: str | None = Field(None, pattern=AUDIENCE)
    network: str | None = None
    tags: list[str] | None = Field(None, max_length=12)
    method_id: int | None = Field(
        None, description="A method your organisation may read; null removes the link"
    )
    company: str | None = Field(
        None,
        pattern=r"^\d{9}$",
        description="Organisation number of a company in your organisation's portfolio; "
        "null removes the link",
    )
    event_id: int | None = Field(
        None, description="An event your organisation may see; null removes the link"
    )
    project_id: int | None = Field(
        None, description="A project your organisation is a party of; null removes the link"
    )


class LibraryCommentOut(Schema):
    id: int
    post_id: int
    body: str
    body_html: str
    author: LibraryPersonOut | None
    organisation: LibraryOrganisationOut
    created_at: datetime
    edited_at: datetime | None

    @staticmethod
    def resolve_body_html(obj) -> str:
        return str(render_markdown(obj.body))


class LibraryCommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=5000)


class LibraryMethodOut(Schema):
    id: int
    title: str
    summary: str
    body: str
    body_html: str
    audience: str
    licence: str
    version: int
    organisation: LibraryOrganisationOut
    contact: LibraryPersonOut | None
    tags: list[str]
    competence_areas: list[LibraryCompetenceAreaOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_body_html(obj) -> str:
        return str(render_markdown(obj.body))

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_competence_areas(obj) -> list[dict]:
        return [{"id": area.pk, "name": area.name} for area in obj.competence_areas.all()]


class LibraryExperienceOut(Schema):
    organisation: LibraryOrganisationOut
    author: LibraryPersonOut | None
    note: str
    companies_count: int | None
    place: str
    created_at: datetime


class LibraryMethodDetailOut(LibraryMethodOut):
    attachments: list[LibraryAttachmentOut]
    experiences: list[LibraryExperienceOut]

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_experiences(obj) -> list:
        return list(obj.experiences.all())


class LibraryMethodIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=500)
    body: str = Field(min_length=1, max_length=50_000)
    tags: list[str] = Field(default_factory=list, max_length=12)
    competence_areas: list[int] = Field(
        default_factory=list, max_length=30, description="Ids of competence areas of the taxonomy"
    )
    audience: str = Field("network", pattern=AUDIENCE)
    licence: str = Field("", max_length=300)
    contact_id: int | None = Field(None, description="A member of the organisation")


class LibraryMethodPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, min_length=1, max_length=500)
    body: str | None = Field(None, min_length=1, max_length=50_000)
    tags: list[str] | None = Field(None, max_length=12)
    competence_areas: list[int] | None = Field(
        None, max_length=30, description="Ids of competence areas of the taxonomy"
    )
    audience: str | None = Field(None, pattern=AUDIENCE)
    licence: str | None = Field(None, max_length=300)
    change_note: str = Field("", max_length=300)


class LibraryMethodVersionOut(Schema):
    number: int
    title: str
    summary: str
    body: str
    tags: str
    competence_areas: str = Field(description="Names (Norwegian) of the areas, as then")
    licence: str
    change_note: str
    edited_by: LibraryPersonOut | None
    created_at: datetime


class LibraryExperienceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=2000)
    companies_count: int | None = Field(None, ge=0, le=100_000)
    place: str = Field("", max_length=100)


class LibrarySearchHitOut(Schema):
    kind: str = Field(description="method or post")
    id: int
    title: str
    organisation: str
    rank: float
    snippet_html: str = Field(description="Escaped text with <mark> around matched words")


class LibraryNotificationOut(Schema):
    id: int
    kind: str = Field(description="mention, comment or method")
    actor: LibraryPersonOut | None
    post_id: int | None
    comment_id: int | None
    method_id: int | None
    title: str = Field(description="Title of the post or method")
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_title(obj) -> str:
        target = obj.post or obj.method
        return target.title if target else ""
