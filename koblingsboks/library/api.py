"""API routes of the library app, mounted under /api/v1/.

Posts, comments, methods and search live under /organisations/{slug}/library/…: members
only (404 for anybody else), writes for every role but observer (403). A post or method of
another organisation answers 404 unless its audience lets the organisation read it.
Notifications belong to the signed-in user: /library/notifications. Files are attached
with multipart POSTs to …/posts/{id}/attachments and …/methods/{id}/attachments.
"""

from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from koblingsboks.api.auth import AUTH, in_organisation
from koblingsboks.api.errors import run_service
from koblingsboks.api.schemas import ErrorOut
from koblingsboks.companies.models import Company
from koblingsboks.library import permissions, sharing
from koblingsboks.library.feed import links
from koblingsboks.library.feed import selectors as feed_selectors
from koblingsboks.library.feed import services as feed_services
from koblingsboks.library.methods import selectors as method_selectors
from koblingsboks.library.methods import services as method_services
from koblingsboks.library.models import Comment, Method, Post
from koblingsboks.library.notifications.selectors import notification_list
from koblingsboks.library.notifications.services import notification_mark_read
from koblingsboks.library.schemas import (
    LibraryAttachmentOut,
    LibraryCommentIn,
    LibraryCommentOut,
    LibraryCompetenceAreaCountOut,
    LibraryExperienceIn,
    LibraryExperienceOut,
    LibraryMethodDetailOut,
    LibraryMethodIn,
    LibraryMethodOut,
    LibraryMethodPatchIn,
    LibraryMethodVersionOut,
    LibraryNotificationOut,
    LibraryPostIn,
    LibraryPostOut,
    LibraryPostPatchIn,
    LibrarySearchHitOut,
)
from koblingsboks.library.search import search
from koblingsboks.network.models import Membership, Network

router = Router(tags=["library"])

BASE = "/organisations/{slug}/library"
WRITE = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _post(request, post_id: int) -> Post:
    try:
        return feed_selectors.post_detail(pk=post_id, organisation=request.organisation)
    except Post.DoesNotExist as exc:
        raise HttpError(404, "Not Found") from exc


def _method(request, method_id: int) -> Method:
    try:
        return method_selectors.method_detail(pk=method_id, organisation=request.organisation)
    except Method.DoesNotExist as exc:
        raise HttpError(404, "Not Found") from exc


def _network(request, slug: str | None) -> Network | None:
    if not slug:
        return None
    network = Network.objects.filter(
        slug=slug, pk__in=sharing.network_ids_of(request.organisation)
    ).first()
    if network is None:
        raise HttpError(400, f"Your organisation is not a party of a network called {slug}.")
    return network


# --- posts ---------------------------------------------------------------------------------


@router.get(
    f"{BASE}/posts",
    response={200: list[LibraryPostOut], 404: ErrorOut},
    auth=AUTH,
    url_name="library_post_list",
)
@in_organisation()
@paginate(LimitOffsetPagination)
def post_index(
    request,
    slug: str,
    kind: str = Query("", max_length=20),
    tag: str = Query("", max_length=60, description="Tag slug"),
    organisation: str = Query("", max_length=80, description="Slug of the posting organisation"),
    unread: bool = False,
):
    """The organisation's feed: its own posts and its networks' posts, newest first."""
    filters = feed_selectors.FeedFilters(
        organisation=organisation, kind=kind, tag=tag, unread=unread
    )
    return feed_selectors.post_list(
        organisation=request.organisation, user=request.user, filters=filters
    )


def _company(org_number: str) -> Company:
    """The company (shared register facts); whether it is in the organisation's portfolio
    the service checks, with the page's message."""
    try:
        return Company.objects.get(org_number=org_number)
    except Company.DoesNotExist:
        raise HttpError(400, "No company with that organisation number.") from None


def _links(request, data: dict) -> dict:
    """The links given in ``data`` (company, method_id, event_id, project_id; null removes one) as
    the objects the services take; one the organisation may not see or use answers 400."""
    changed = {}
    if "company" in data:
        changed["company"] = _company(data["company"]) if data["company"] else None
    if "method_id" in data:
        changed["method"] = _method(request, data["method_id"]) if data["method_id"] else None
    if "event_id" in data:
        event = links.visible_event(event_id=data["event_id"], organisation=request.organisation)
        if data["event_id"] and event is None:
            raise HttpError(400, "That event does not exist.")
        changed["event"] = event
    if "project_id" in data:
        project = links.party_project(
            project_id=data["project_id"], organisation=request.organisation
        )
        if data["project_id"] and project is None:
            raise HttpError(400, "Your organisation is not a party of that project.")
        changed["project"] = project
    return changed


@router.post(
    f"{BASE}/posts",
    response={201: LibraryPostOut, **WRITE},
    auth=AUTH,
    url_name="library_post_create",
)
@in_organisation(permissions.can_publish)
def post_post(request, slug: str, payload: LibraryPostIn):
    """Publish a post (files are attached afterwards: POST …/posts/{post_id}/attachments)."""
    given = _links(request, payload.dict())
    post = run_service(
        lambda: feed_services.post_create(
            organisation=request.organisation,
            author=request.user,
            title=payload.title,
            body=payload.body,
            kind=payload.kind,
            audience=payload.audience,
            network=_network(request, payload.network),
            tags=payload.tags,
            **given,
        )
    )
    return Status(201, _post(request, post.pk))


@router.get(
    f"{BASE}/posts/{{post_id}}",
    response={200: LibraryPostOut, 404: ErrorOut},
    auth=AUTH,
    url_name="library_post_detail",
)
@in_organisation()
def post_get(request, slug: str, post_id: int):
    return _post(request, post_id)


@router.patch(
    f"{BASE}/posts/{{post_id}}",
    response={200: LibraryPostOut, **WRITE},
    auth=AUTH,
    url_name="library_post_update",
)
@in_organisation(permissions.can_publish)
def post_patch(request, slug: str, post_id: int, payload: LibraryPostPatchIn):
    """Change a post (its author or an administrator of its organisation)."""
    post = _post(request, post_id)
    if not permissions.can_change_post(request.membership, post):
        raise HttpError(403, "Only the author or an administrator can change this post.")
    data = payload.dict(exclude_unset=True)
    network = _network(request, data["network"]) if "network" in data else post.network
    changed_links = _links(request, data)
    run_service(
        lambda: feed_services.post_update(
            post=post,
            actor=request.user,
            title=data.get("title") or post.title,
            body=data.get("body") or post.body,
            kind=data.get("kind") or post.kind,
            audience=data.get("audience") or post.audience,
            network=network,
            tags=data["tags"]
            if data.get("tags") is not None
            else [tag.name for tag in post.tags.all()],
            **changed_links,
        )
    )
    return _post(request, post_id)


@router.delete(
    f"{BASE}/posts/{{post_id}}",
    response={204: None, **WRITE},
    auth=AUTH,
    url_name="library_post_delete",
)
@in_organisation(permissions.can_publish)
def post_remove(request, slug: str, post_id: int):
    post = _post(request, post_id)
    if not permissions.can_change_post(request.membership, post):
        raise HttpError(403, "Only the author or an administrator can delete this post.")
    run_service(lambda: feed_services.post_delete(post=post, actor=request.user))
    return Status(204, None)


ATTACH_HELP = (
    "multipart/form-data with one or more `files` (at most 10 at a time, each at most "
    "LIBRARY_MAX_UPLOAD_BYTES, 10 MB by default). The type is checked by content: PDF, PNG, "
    "JPEG, GIF, docx, xlsx, pptx, odt, ods, odp, txt, md, csv, and the extension must match "
    "it; names are sanitised. Answers the attachments added (400 with a message otherwise)."
)

# Optional, so that a request without a file reaches the view (404 for a post one may not
# see, before the service's "Choose at least one file."). One marker for both routes.
FILES = File(None, description="The files to attach")


@router.post(
    f"{BASE}/posts/{{post_id}}/attachments",
    response={201: list[LibraryAttachmentOut], **WRITE},
    auth=AUTH,
    url_name="library_post_attachments",
    description=ATTACH_HELP,
)
@in_organisation(permissions.can_publish)
def post_attach(request, slug: str, post_id: int, files: list[UploadedFile] = FILES):
    """Attach files to a post of your organisation (its author or an administrator)."""
    post = _post(request, post_id)
    if post.organisation_id != request.organisation.pk:
        raise HttpError(404, "Not Found")  # another organisation's post is not yours to change
    if not permissions.can_change_post(request.membership, post):
        raise HttpError(403, "Only the author or an administrator can change this post.")
    saved = run_service(
        lambda: feed_services.post_attachments_add(
            post=post, actor=request.user, uploads=files or []
        )
    )
    return Status(201, saved)


# --- comments ------------------------------------------------------------------------------


@router.get(
    f"{BASE}/posts/{{post_id}}/comments",
    response={200: list[LibraryCommentOut], 404: ErrorOut},
    auth=AUTH,
    url_name="library_comment_list",
)
@in_organisation()
def comment_index(request, slug: str, post_id: int):
    return list(feed_selectors.comment_list(post=_post(request, post_id)))


@router.post(
    f"{BASE}/posts/{{post_id}}/comments",
    response={201: LibraryCommentOut, **WRITE},
    auth=AUTH,
    url_name="library_comment_create",
)
@in_organisation(permissions.can_publish)
def comment_post(request, slug: str, post_id: int, payload: LibraryCommentIn):
    """Comment; @e-mail mentions notify people of the network who may read the post."""
    post = _post(request, post_id)
    comment = run_service(
        lambda: feed_services.comment_create(
            post=post, organisation=request.organisation, author=request.user, body=payload.body
        )
    )
    return Status(201, comment)


def _comment(request, comment_id: int) -> Comment:
    try:
        return feed_selectors.comment_for_post(pk=comment_id, organisation=request.organisation)
    except Comment.DoesNotExist as exc:
        raise HttpError(404, "Not Found") from exc


@router.patch(
    f"{BASE}/comments/{{comment_id}}",
    response={200: LibraryCommentOut, **WRITE},
    auth=AUTH,
    url_name="library_comment_update",
)
@in_organisation()
def comment_patch(request, slug: str, comment_id: int, payload: LibraryCommentIn):
    """Change one's own comment; it then shows as edited."""
    comment = _comment(request, comment_id)
    return run_service(
        lambda: feed_services.comment_update(comment=comment, actor=request.user, body=payload.body)
    )


@router.delete(
    f"{BASE}/comments/{{comment_id}}",
    response={204: None, **WRITE},
    auth=AUTH,
    url_name="library_comment_delete",
)
@in_organisation()
def comment_remove(request, slug: str, comment_id: int):
    comment = _comment(request, comment_id)
    run_service(lambda: feed_services.comment_delete(comment=comment, actor=request.user))
    return Status(204, None)


# --- methods -------------------------------------------------------------------------------


@router.get(
    f"{BASE}/methods",
    response={200: list[LibraryMethodOut], 404: ErrorOut},
    auth=AUTH,
    url_name="library_method_list",
)
@in_organisation()
@paginate(LimitOffsetPagination)
def method_index(
    request,
    slug: str,
    tag: str = Query("", max_length=60),
    competence: int | None = Query(None, description="Competence area id"),
    organisation: str = Query("", max_length=80),
    sort: str = Query("title", pattern=r"^(title|-updated|-used)$"),
):
    """The methods the organisation may read, with the page's filters."""
    filters = method_selectors.MethodFilters(
        tag=tag, competence=competence, organisation=organisation, sort=sort
    )
    return method_selectors.method_list(organisation=request.organisation, filters=filters)


def _contact(request, user_id: int | None):
    if user_id is None:
        return None
    membership = (
        Membership.objects.filter(organisation=request.organisation, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise HttpError(400, f"No member of this organisation has the user id {user_id}.")
    return membership.user


@router.get(
    f"{BASE}/methods/competence-areas",
    response={200: list[LibraryCompetenceAreaCountOut], 404: ErrorOut},
    auth=AUTH,
    url_name="library_method_areas",
)
@in_organisation()
def method_areas(request, slug: str):
    """The competence areas that have methods the organisation may read, with how many
    (browse by area: ``methods?competence={id}``)."""
    return list(method_selectors.competence_areas_with_counts(organisation=request.organisation))


@router.post(
    f"{BASE}/methods",
    response={201: LibraryMethodDetailOut, **WRITE},
    auth=AUTH,
    url_name="library_method_create",
)
@in_organisation(permissions.can_publish)
def method_post(request, slug: str, payload: LibraryMethodIn):
    data = payload.dict()
    contact = _contact(request, data.pop("contact_id"))
    method = run_service(
        lambda: method_services.method_create(
            organisation=request.organisation, actor=request.user, contact=contact, **data
        )
    )
    return Status(201, _method(request, method.pk))


@router.get(
    f"{BASE}/methods/{{method_id}}",
    response={200: LibraryMethodDetailOut, 404: ErrorOut},
    auth=AUTH,
    url_name="library_method_detail",
)
@in_organisation()
def method_get(request, slug: str, method_id: int):
    return _method(request, method_id)


@router.patch(
    f"{BASE}/methods/{{method_id}}",
    response={200: LibraryMethodDetailOut, **WRITE},
    auth=AUTH,
    url_name="library_method_update",
)
@in_organisation(permissions.can_publish)
def method_patch(request, slug: str, method_id: int, payload: LibraryMethodPatchIn):
    """Change a method of the organisation; the change is kept as a new version."""
    method = _method(request, method_id)
    if not permissions.can_edit_method(request.membership, method):
        raise HttpError(403, "Only members of the owner organisation can change this method.")
    changes = payload.dict(exclude_unset=True)
    change_note = changes.pop("change_note", "")
    data = {
        "title": method.title,
        "summary": method.summary,
        "body": method.body,
        "licence": method.licence,
        "audience": method.audience,
        "tags": [t.name for t in method.tags.all()],
        "competence_areas": [area.pk for area in method.competence_areas.all()],
    }
    data.update({k: v for k, v in changes.items() if v is not None})
    run_service(
        lambda: method_services.method_update(
            method=method,
            actor=request.user,
            contact=method.contact,
            change_note=change_note,
            **data,
        )
    )
    return _method(request, method_id)


@router.post(
    f"{BASE}/methods/{{method_id}}/attachments",
    response={201: list[LibraryAttachmentOut], **WRITE},
    auth=AUTH,
    url_name="library_method_attachments",
    description=ATTACH_HELP,
)
@in_organisation(permissions.can_publish)
def method_attach(request, slug: str, method_id: int, files: list[UploadedFile] = FILES):
    """Attach files to a method of your organisation (no new version: the text is the same)."""
    method = _method(request, method_id)
    if method.organisation_id != request.organisation.pk:
        raise HttpError(404, "Not Found")  # another organisation's method is not yours to change
    saved = run_service(
        lambda: method_services.method_attachments_add(
            method=method, actor=request.user, uploads=files or []
        )
    )
    return Status(201, saved)


@router.get(
    f"{BASE}/methods/{{method_id}}/versions",
    response={200: list[LibraryMethodVersionOut], 404: ErrorOut},
    auth=AUTH,
    url_name="library_method_versions",
)
@in_organisation()
def method_versions(request, slug: str, method_id: int):
    """Every version of the method, newest first, with who made it."""
    return list(method_selectors.version_list(method=_method(request, method_id)))


@router.post(
    f"{BASE}/methods/{{method_id}}/experiences",
    response={201: LibraryExperienceOut, **WRITE},
    auth=AUTH,
    url_name="library_method_experience",
)
@in_organisation(permissions.can_publish)
def method_experience(request, slug: str, method_id: int, payload: LibraryExperienceIn):
    """ "We used it": an experience note from another organisation (replaces one's own)."""
    method = _method(request, method_id)
    experience = run_service(
        lambda: method_services.method_experience_save(
            method=method,
            organisation=request.organisation,
            author=request.user,
            **payload.dict(),
        )
    )
    return Status(201, experience)


# --- search --------------------------------------------------------------------------------


@router.get(
    f"{BASE}/search",
    response={200: list[LibrarySearchHitOut], 404: ErrorOut},
    auth=AUTH,
    url_name="library_search",
)
@in_organisation()
def library_search(request, slug: str, q: str = Query("", max_length=200)):
    """Methods and posts the organisation may read, best match first (Norwegian stemming on
    PostgreSQL)."""
    return [
        {
            "kind": hit.kind,
            "id": hit.obj.pk,
            "title": hit.obj.title,
            "organisation": hit.obj.organisation.name,
            "rank": hit.rank,
            "snippet_html": str(hit.snippet),
        }
        for hit in search(query=q, organisation=request.organisation)
    ]


# --- notifications (the signed-in user's own) ------------------------------------------------


@router.get(
    "/library/notifications",
    response=list[LibraryNotificationOut],
    auth=AUTH,
    url_name="library_notification_list",
)
@paginate(LimitOffsetPagination)
def notification_index(request, unread: bool = False):
    """Your notifications, newest first."""
    qs = notification_list(user=request.user)
    return qs.filter(read_at__isnull=True) if unread else qs


@router.post(
    "/library/notifications/{notification_id}/read",
    response={200: LibraryNotificationOut, 404: ErrorOut},
    auth=AUTH,
    url_name="library_notification_read",
)
def notification_read(request, notification_id: int):
    notification = get_object_or_404(notification_list(user=request.user), pk=notification_id)
    notification_mark_read(notification=notification, user=request.user)
    return notification
