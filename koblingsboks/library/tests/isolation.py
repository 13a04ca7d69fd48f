"""The library's part of the shared tenant-isolation test (tests/isolation/plugins.py).

Each tenant gets a post for its own organisation (with a file), a post for its own network
(a network where it is the only party) with a comment by its admin, a method for its own
organisation with two versions, a notification and notification settings for its admin.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test import TestCase

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.library.feed.services import comment_create, post_create
from koblingsboks.library.methods.services import method_create, method_update
from koblingsboks.library.models import (
    Attachment,
    Audience,
    Comment,
    Method,
    MethodExperience,
    MethodVersion,
    Notification,
    NotificationSettings,
    Post,
    PostRead,
)
from koblingsboks.library.notifications.services import settings_update
from koblingsboks.people.models import CompetenceArea
from tests.isolation.entries import Entry, ObjectUrl, Public, ScopedList

PDF = b"%PDF-1.4\n%canary\n%%EOF\n"


def tenant_data(tenant, label: str, data) -> dict[str, object]:
    from koblingsboks.events.models import Event
    from koblingsboks.events.tests.factories import make_event
    from koblingsboks.projects.tests.factories import draft_project

    org = tenant.organisation
    # A private event and project of the tenant, linked from its network post: the link
    # must never show them to another organisation.
    linked_event = make_event(
        org, title=f"Canary linked event {label}", audience=Event.Audience.ORGANISATION
    )
    linked_project = draft_project(
        tenant, title=f"Canary linked project {label}", external=False, label=label
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        post = post_create(
            organisation=org,
            author=tenant.admin,
            title=f"Canary library post {label}",
            body=f"Canary library body {label}",
            audience=Audience.ORGANISATION,
            tags=f"Canarytag {label}",
            uploads=[SimpleUploadedFile(f"canary-file-{label}.pdf", PDF)],
        )
        network_post = post_create(
            organisation=org,
            author=tenant.advisor,
            title=f"Canary network post {label}",
            body=f"Canary network body {label}",
            audience=Audience.NETWORK,
            network=data.network,
            event=linked_event,
            project=linked_project,
        )
        comment = comment_create(
            post=network_post,
            organisation=org,
            author=tenant.admin,
            body=f"Canary comment {label}",
        )
    method = method_create(
        organisation=org,
        actor=tenant.admin,
        contact=tenant.advisor,
        title=f"Canary methodtitle {label}",
        summary=f"Canary method summary {label}",
        body=f"Canary method body {label}",
        audience=Audience.ORGANISATION,
        tags=f"Canarymethodtag {label}",
    )
    method = method_update(
        method=method,
        actor=tenant.admin,
        contact=tenant.advisor,
        title=method.title,
        summary=method.summary,
        body=f"Canary method body {label}, second version",
        audience=Audience.ORGANISATION,
        tags=f"Canarymethodtag {label}",
        change_note=f"Canary change note {label}",
    )
    # The comment above notified the network post's author (the advisor); the admin gets one.
    notification = Notification.objects.create(
        user=tenant.admin, kind=Notification.Kind.MENTION, actor=tenant.advisor, post=network_post
    )
    # Competence areas are the shared taxonomy (every settings page and method form lists
    # them), so no canary name can be one; which areas a user follows is in the snapshot.
    area = CompetenceArea.objects.create(name_nb=f"Område {label}", name_en=f"Area {label}")
    settings_update(user=tenant.admin, digest="daily", competence_areas=[area])
    attachment = Attachment.objects.get(post=post)
    data.canaries += [
        linked_event.title,
        linked_project.title,
        post.title,
        post.body,
        network_post.title,
        network_post.body,
        comment.body,
        method.title,
        method.summary,
        f"Canary change note {label}",
        attachment.name,
        f"Canarytag {label}",
        f"Canarymethodtag {label}",
    ]
    return {
        "library_post": post,
        "library_network_post": network_post,
        "library_comment": comment,
        "library_method": method,
        "library_attachment": attachment,
        "library_notification": notification,
    }


def _own_search_hits(tenant) -> list[str]:
    return [tenant.library_post.title, tenant.library_method.title]


def snapshot(tenant) -> dict[str, list]:
    org = tenant.organisation
    user_ids = [user.pk for user in tenant.users]
    with organisation_scope(org):
        post_ids = list(Post.objects.values_list("pk", flat=True))
        method_ids = list(Method.objects.values_list("pk", flat=True))
        return {
            "library posts": list(Post.objects.order_by("pk").values()),
            "library methods": list(Method.objects.order_by("pk").values()),
            "library post tags": list(
                Post.tags.through.objects.filter(post_id__in=post_ids).order_by("pk").values()
            ),
            "library comments": list(
                Comment.objects.filter(Q(post_id__in=post_ids) | Q(organisation=org))
                .order_by("pk")
                .values()
            ),
            "library attachments": list(
                Attachment.objects.filter(organisation=org).order_by("pk").values()
            ),
            "library method versions": list(
                MethodVersion.objects.filter(method_id__in=method_ids).order_by("pk").values()
            ),
            "library experiences": list(
                MethodExperience.objects.filter(method_id__in=method_ids).order_by("pk").values()
            ),
            "library notifications": list(
                Notification.objects.filter(user_id__in=user_ids).order_by("pk").values()
            ),
            "library settings": list(
                NotificationSettings.objects.filter(user_id__in=user_ids).order_by("pk").values()
            ),
            "library followed areas": list(
                NotificationSettings.competence_areas.through.objects.filter(
                    notificationsettings__user_id__in=user_ids
                )
                .order_by("pk")
                .values()
            ),
            "library method areas": list(
                Method.competence_areas.through.objects.filter(method_id__in=method_ids)
                .order_by("pk")
                .values()
            ),
            "library reads": list(
                PostRead.objects.filter(user_id__in=user_ids).order_by("pk").values()
            ),
        }


def _slug(t):
    return {"slug": t.organisation.slug}


def _post(t):
    return {"pk": t.library_post.pk}


def _method(t):
    return {"pk": t.library_method.pk}


POST_DATA = {
    "title": "Changed by another organisation",
    "body": "Changed",
    "kind": "news",
    "audience": "organisation",
}
METHOD_DATA = {
    "title": "Changed by another organisation",
    "summary": "Changed",
    "body": "Changed",
    "audience": "organisation",
}
OWN_ONLY = "acts only on the signed-in user's own {}; POST only"

ENTRIES: list[tuple[str, Entry]] = [
    (
        "library:feed",
        ScopedList(shows=lambda t: [t.library_post.title, t.library_network_post.title]),
    ),
    ("library:post-create", ScopedList(shows=lambda t: [t.network.name])),
    ("library:feed-mark-read", Public(OWN_ONLY.format("read markers"))),
    ("library:post-detail", ObjectUrl(kwargs=_post, methods=("GET",))),
    (
        "library:post-edit",
        ObjectUrl(kwargs=_post, data=lambda t: POST_DATA, methods=("GET", "POST")),
    ),
    ("library:post-delete", ObjectUrl(kwargs=_post, methods=("POST",))),
    (
        "library:post-pin",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.library_network_post.pk},
            data=lambda t: {"pinned": "1"},
            methods=("POST",),
        ),
    ),
    (
        "library:comment-create",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.library_network_post.pk},
            data=lambda t: {"body": "Written by another organisation"},
            methods=("POST",),
        ),
    ),
    (
        "library:comment-edit",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.library_comment.pk},
            data=lambda t: {"body": "Changed by another organisation"},
            methods=("GET", "POST"),
        ),
    ),
    (
        "library:comment-delete",
        ObjectUrl(kwargs=lambda t: {"pk": t.library_comment.pk}, methods=("POST",)),
    ),
    (
        "library:network-feed",
        Public(
            "Atom feed of a network's public posts only",
            kwargs=lambda t: {"slug": t.network.slug},
        ),
    ),
    ("library:methods", ScopedList(shows=lambda t: [t.library_method.title])),
    ("library:method-create", ScopedList(shows=lambda t: [t.users[2].full_name])),
    ("library:method-detail", ObjectUrl(kwargs=_method, methods=("GET",))),
    (
        "library:method-edit",
        ObjectUrl(kwargs=_method, data=lambda t: METHOD_DATA, methods=("GET", "POST")),
    ),
    ("library:method-history", ObjectUrl(kwargs=_method, methods=("GET",))),
    (
        "library:method-experience",
        ObjectUrl(
            kwargs=_method,
            data=lambda t: {"note": "Used by another organisation"},
            methods=("POST",),
        ),
    ),
    (
        "library:attachment",
        ObjectUrl(
            kwargs=lambda t: {"key": t.library_attachment.key, "name": t.library_attachment.name},
            methods=("GET",),
        ),
    ),
    # Without a query the page holds no data; search isolation: test_search.py and test_pages.py.
    # "Canary" is in the titles of A's and of B's private posts and methods.
    (
        "library:search",
        ScopedList(shows=_own_search_hits, query=lambda t: {"q": "Canary"}),
    ),
    # Every test user is called "Person Nummer…": A's colleagues are suggested, B's never
    # (their addresses are canaries; more in test_mention_suggestions.py).
    (
        "library:mention-suggestions",
        ScopedList(shows=lambda t: [t.users[2].full_name], query=lambda t: {"q": "Person"}),
    ),
    ("library:notifications", ScopedList(shows=lambda t: [t.library_network_post.title])),
    (
        "library:notification-open",
        ObjectUrl(kwargs=lambda t: {"pk": t.library_notification.pk}, methods=("POST",)),
    ),
    ("library:notifications-read", Public(OWN_ONLY.format("notifications"))),
    ("library:settings", ScopedList(shows=lambda t: [t.admin.email])),
    (
        "library:unsubscribe",
        Public(
            "capability link signed with the secret key; a forged one changes nothing",
            kwargs=lambda t: {"token": "not-a-valid-token"},
        ),
    ),
    # --- API ---
    (
        "api:library_post_list",
        ScopedList(
            shows=lambda t: [t.library_post.title, t.library_network_post.title], kwargs=_slug
        ),
    ),
    (
        "api:library_post_create",
        ObjectUrl(kwargs=_slug, data=lambda t: POST_DATA, methods=("POST",)),
    ),
    (
        "api:library_post_detail",
        ObjectUrl(kwargs=lambda t: {"post_id": t.library_post.pk}, context=_slug, methods=("GET",)),
    ),
    (
        "api:library_post_update",
        ObjectUrl(
            kwargs=lambda t: {"post_id": t.library_post.pk},
            context=_slug,
            data=lambda t: {"title": "Changed by another organisation"},
            methods=("PATCH",),
        ),
    ),
    (
        "api:library_post_delete",
        ObjectUrl(
            kwargs=lambda t: {"post_id": t.library_post.pk}, context=_slug, methods=("DELETE",)
        ),
    ),
    # Multipart uploads; the shared check sends no file, which the route refuses (400) only
    # after it found the post: another organisation's post answers 404 first.
    (
        "api:library_post_attachments",
        ObjectUrl(
            kwargs=lambda t: {"post_id": t.library_post.pk}, context=_slug, methods=("POST",)
        ),
    ),
    (
        "api:library_comment_list",
        ObjectUrl(
            kwargs=lambda t: {"post_id": t.library_network_post.pk},
            context=_slug,
            methods=("GET",),
        ),
    ),
    (
        "api:library_comment_create",
        ObjectUrl(
            kwargs=lambda t: {"post_id": t.library_network_post.pk},
            context=_slug,
            data=lambda t: {"body": "Written by another organisation"},
            methods=("POST",),
        ),
    ),
    (
        "api:library_comment_update",
        ObjectUrl(
            kwargs=lambda t: {"comment_id": t.library_comment.pk},
            context=_slug,
            data=lambda t: {"body": "Changed by another organisation"},
            methods=("PATCH",),
        ),
    ),
    (
        "api:library_comment_delete",
        ObjectUrl(
            kwargs=lambda t: {"comment_id": t.library_comment.pk},
            context=_slug,
            methods=("DELETE",),
        ),
    ),
    (
        "api:library_method_list",
        ScopedList(shows=lambda t: [t.library_method.title], kwargs=_slug),
    ),
    # Counts of the shared taxonomy's areas over the methods the organisation may read; the
    # counts' isolation: test_competence.py.
    ("api:library_method_areas", ScopedList(shows=lambda t: [], kwargs=_slug)),
    (
        "api:library_method_create",
        ObjectUrl(kwargs=_slug, data=lambda t: METHOD_DATA, methods=("POST",)),
    ),
    (
        "api:library_method_detail",
        ObjectUrl(
            kwargs=lambda t: {"method_id": t.library_method.pk}, context=_slug, methods=("GET",)
        ),
    ),
    (
        "api:library_method_update",
        ObjectUrl(
            kwargs=lambda t: {"method_id": t.library_method.pk},
            context=_slug,
            data=lambda t: {"title": "Changed by another organisation"},
            methods=("PATCH",),
        ),
    ),
    (
        "api:library_method_attachments",
        ObjectUrl(
            kwargs=lambda t: {"method_id": t.library_method.pk}, context=_slug, methods=("POST",)
        ),
    ),
    (
        "api:library_method_versions",
        ObjectUrl(
            kwargs=lambda t: {"method_id": t.library_method.pk}, context=_slug, methods=("GET",)
        ),
    ),
    (
        "api:library_method_experience",
        ObjectUrl(
            kwargs=lambda t: {"method_id": t.library_method.pk},
            context=_slug,
            data=lambda t: {"note": "Used by another organisation"},
            methods=("POST",),
        ),
    ),
    (
        "api:library_search",
        ScopedList(shows=_own_search_hits, kwargs=_slug, query=lambda t: {"q": "Canary"}),
    ),
    (
        "api:library_notification_list",
        ScopedList(shows=lambda t: [t.library_network_post.title]),
    ),
    (
        "api:library_notification_read",
        ObjectUrl(
            kwargs=lambda t: {"notification_id": t.library_notification.pk}, methods=("POST",)
        ),
    ),
]


BASE = "/api/v1/organisations/{slug}/library"
API_OPERATIONS = {
    ("get", f"{BASE}/posts"),
    ("post", f"{BASE}/posts"),
    ("get", f"{BASE}/posts/{{post_id}}"),
    ("patch", f"{BASE}/posts/{{post_id}}"),
    ("delete", f"{BASE}/posts/{{post_id}}"),
    ("post", f"{BASE}/posts/{{post_id}}/attachments"),
    ("get", f"{BASE}/posts/{{post_id}}/comments"),
    ("post", f"{BASE}/posts/{{post_id}}/comments"),
    ("patch", f"{BASE}/comments/{{comment_id}}"),
    ("delete", f"{BASE}/comments/{{comment_id}}"),
    ("get", f"{BASE}/methods"),
    ("post", f"{BASE}/methods"),
    ("get", f"{BASE}/methods/competence-areas"),
    ("get", f"{BASE}/methods/{{method_id}}"),
    ("patch", f"{BASE}/methods/{{method_id}}"),
    ("post", f"{BASE}/methods/{{method_id}}/attachments"),
    ("get", f"{BASE}/methods/{{method_id}}/versions"),
    ("post", f"{BASE}/methods/{{method_id}}/experiences"),
    ("get", f"{BASE}/search"),
    ("get", "/api/v1/library/notifications"),
    ("post", "/api/v1/library/notifications/{notification_id}/read"),
}
