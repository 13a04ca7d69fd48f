"""Writes to the news feed: posts, comments, pins and read markers.

Each service validates first (text, audience, links, mentions, files), then writes in one
transaction with an audit entry (``library.post.created`` …); notifications and file
removal happen only after the commit. Refusals raise ServiceError with a message for the
user and store nothing.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koblingsboks.core.audit import log_action
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.library import files as library_files
from koblingsboks.library import permissions, sharing
from koblingsboks.library.mentions import resolve_mentions
from koblingsboks.library.models import Audience, Comment, Method, Notification, Post, PostRead
from koblingsboks.library.models.feed import BODY_MAX, COMMENT_MAX, TITLE_MAX
from koblingsboks.library.notifications.services import notify
from koblingsboks.library.tags import parse_tags, tag_text, tags_for
from koblingsboks.network.models import Network, NetworkParty, Organisation, User
from koblingsboks.network.selectors import membership_for


def _check_text(value: str, *, label: str, maximum: int, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(_("%s cannot be empty.") % label, code=code)
    if len(value) > maximum:
        raise ServiceError(
            _("%(label)s can be at most %(max)d characters long; this one has %(n)d.")
            % {"label": label, "max": maximum, "n": len(value)},
            code=code,
        )
    return value


def _check_publisher(actor: User, organisation: Organisation):
    membership = membership_for(user=actor, organisation=organisation)
    if not permissions.can_publish(membership):
        raise ServiceError(
            _("Only members of %s who are not observers can post.") % organisation.name,
            code="forbidden",
        )
    return membership


def _check_audience(audience: str, network: Network | None, organisation: Organisation):
    if audience not in Audience.values:
        raise ServiceError(_("Unknown audience: %s") % audience, code="audience")
    if audience == Audience.ORGANISATION:
        return None
    if network is None:
        raise ServiceError(_("Choose the network the post is for."), code="network")
    if not NetworkParty.objects.filter(network=network, organisation=organisation).exists():
        raise ServiceError(
            _("%(org)s is not a party of %(network)s.")
            % {"org": organisation.name, "network": network.name},
            code="network",
        )
    return network


def _check_links(
    organisation: Organisation, company, method: Method | None, event=None, project=None
) -> None:
    from koblingsboks.library.feed import links

    if (
        event is not None
        and links.visible_event(event_id=event.pk, organisation=organisation) is None
    ):
        raise ServiceError(_("That event does not exist."), code="event")
    if project is not None and (
        links.party_project(project_id=project.pk, organisation=organisation) is None
    ):
        raise ServiceError(
            _("Your organisation is not a party of that project; link only your own projects."),
            code="project",
        )
    if company is not None:
        from koblingsboks.companies.selectors import company_ever_in_portfolio

        with organisation_scope(organisation):
            if not company_ever_in_portfolio(organisation=organisation, company=company):
                raise ServiceError(
                    _("%s is not in your organisation's portfolio; link only your own companies.")
                    % company.name,
                    code="company",
                )
    visible = sharing.methods_visible_to(organisation=organisation)
    if method is not None and not visible.filter(pk=method.pk).exists():
        raise ServiceError(_("That method does not exist."), code="method")


def _post_audit(post: Post) -> dict:
    return {
        "title": post.title,
        "kind": post.kind,
        "audience": post.audience,
        "network": post.network_id,
        "tags": tag_text(post.tags.all()),
        "company": post.company_id,
        "method": post.method_id,
        "event": post.event_id,
        "project": post.project_id,
    }


def post_create(
    *,
    organisation: Organisation,
    author: User,
    title: str,
    body: str,
    kind: str = Post.Kind.NEWS,
    audience: str = Audience.NETWORK,
    network: Network | None = None,
    tags=None,
    company=None,
    method: Method | None = None,
    event=None,
    project=None,
    uploads=None,
) -> Post:
    """Publish a post of ``organisation``; mentioned people are notified. ``event`` must be
    one the organisation may see, ``project`` one it is a party of."""
    title = _check_text(title, label=_("The title"), maximum=TITLE_MAX, code="title")
    body = _check_text(body, label=_("The text"), maximum=BODY_MAX, code="body")
    if kind not in Post.Kind.values:
        raise ServiceError(_("Unknown kind of post: %s") % kind, code="kind")
    _check_publisher(author, organisation)
    network = _check_audience(audience, network, organisation)
    _check_links(organisation, company, method, event, project)
    names = parse_tags(tags)
    checked = library_files.check_uploads(uploads)
    post = Post(
        organisation=organisation,
        author=author,
        title=title,
        body=body,
        kind=kind,
        audience=audience,
        network=network,
        company=company,
        method=method,
        event=event,
        project=project,
        created_at=timezone.now(),
    )
    mentioned = resolve_mentions(text=body, organisation=organisation, post=post)
    stored: list = []
    with library_files.removing_files_on_error(stored), transaction.atomic():
        with organisation_scope(organisation):
            post.save()
        post.tags.set(tags_for(names))
        library_files.attachments_save(
            checked, organisation=organisation, user=author, stored=stored, post=post
        )
        log_action(
            organisation=organisation,
            actor=author,
            action="library.post.created",
            obj=post,
            after=_post_audit(post),
        )
        transaction.on_commit(
            lambda: notify(users=mentioned, kind=Notification.Kind.MENTION, actor=author, post=post)
        )
    return post


# A link argument of post_update that was not given: the link stays as it is.
UNCHANGED = object()


def post_update(
    *,
    post: Post,
    actor: User,
    title: str,
    body: str,
    kind: str,
    audience: str,
    network: Network | None,
    tags=None,
    uploads=None,
    company=UNCHANGED,
    method=UNCHANGED,
    event=UNCHANGED,
    project=UNCHANGED,
) -> Post:
    """Change a post (its author or an administrator of its organisation); marks it edited
    and notifies people mentioned for the first time. A link (company, method, event,
    project) that is given is changed (None removes it), with the same checks as when the
    post is published; one that is not given stays."""
    organisation = post.organisation
    membership = membership_for(user=actor, organisation=organisation)
    if not permissions.can_change_post(membership, post):
        raise ServiceError(
            _("Only the author or an administrator can change this post."), code="forbidden"
        )
    title = _check_text(title, label=_("The title"), maximum=TITLE_MAX, code="title")
    body = _check_text(body, label=_("The text"), maximum=BODY_MAX, code="body")
    if kind not in Post.Kind.values:
        raise ServiceError(_("Unknown kind of post: %s") % kind, code="kind")
    network = _check_audience(audience, network, organisation)
    given = {"company": company, "method": method, "event": event, "project": project}
    changed_links = {
        name: value
        for name, value in given.items()
        if value is not UNCHANGED
        and getattr(post, f"{name}_id") != (value.pk if value is not None else None)
    }
    _check_links(
        organisation,
        changed_links.get("company"),
        changed_links.get("method"),
        changed_links.get("event"),
        changed_links.get("project"),
    )
    names = parse_tags(tags)
    checked = library_files.check_uploads(uploads)
    before_mentions = set(resolve_mentions_quiet(post.body))
    before = _post_audit(post)
    post.title, post.body, post.kind = title, body, kind
    post.audience, post.network = audience, network
    for name, value in changed_links.items():
        setattr(post, name, value)
    mentioned = resolve_mentions(text=body, organisation=organisation, post=post)
    new_mentions = [u for u in mentioned if u.email.lower() not in before_mentions]
    stored: list = []
    with library_files.removing_files_on_error(stored), transaction.atomic():
        post.edited_at = timezone.now()
        with organisation_scope(organisation):
            post.save()
        post.tags.set(tags_for(names))
        library_files.attachments_save(
            checked, organisation=organisation, user=actor, stored=stored, post=post
        )
        log_action(
            organisation=organisation,
            actor=actor,
            action="library.post.updated",
            obj=post,
            before=before,
            after=_post_audit(post),
        )
        transaction.on_commit(
            lambda: notify(
                users=new_mentions, kind=Notification.Kind.MENTION, actor=actor, post=post
            )
        )
    return post


def post_attachments_add(*, post: Post, actor: User, uploads) -> list:
    """Attach files to a published post (its author or an administrator of its
    organisation), with the checks of the pages: size, type by content, sanitised names."""
    organisation = post.organisation
    membership = membership_for(user=actor, organisation=organisation)
    if not permissions.can_change_post(membership, post):
        raise ServiceError(
            _("Only the author or an administrator can change this post."), code="forbidden"
        )
    return library_files.attachments_add(
        uploads,
        organisation=organisation,
        actor=actor,
        action="library.post.attachments_added",
        obj=post,
        post=post,
    )


def resolve_mentions_quiet(text: str) -> list[str]:
    from koblingsboks.library.mentions import mentioned_addresses

    return mentioned_addresses(text)


def post_delete(*, post: Post, actor: User) -> None:
    """Delete a post with its comments and files (author or administrator)."""
    organisation = post.organisation
    membership = membership_for(user=actor, organisation=organisation)
    if not permissions.can_change_post(membership, post):
        raise ServiceError(
            _("Only the author or an administrator can delete this post."), code="forbidden"
        )
    files = [(a.file.storage, a.file.name) for a in post.attachments.all()]
    with transaction.atomic():
        log_action(
            organisation=organisation,
            actor=actor,
            action="library.post.deleted",
            obj=post,
            before=_post_audit(post),
        )
        with organisation_scope(organisation):
            Post.objects.filter(pk=post.pk).delete()
        transaction.on_commit(lambda: library_files.delete_stored(files))


def can_pin(*, post: Post, user: User) -> bool:
    """Members (not observers) of an organisation that coordinates the post's network."""
    if post.network_id is None or post.audience == Audience.ORGANISATION:
        return False
    coordinators = NetworkParty.objects.filter(
        network_id=post.network_id, is_coordinator=True
    ).select_related("organisation")
    return any(
        permissions.can_publish(membership_for(user=user, organisation=party.organisation))
        for party in coordinators
    )


def post_pin(*, post: Post, actor: User, pinned: bool) -> Post:
    """Pin a network post to the top of the feed, or unpin it (network coordinators)."""
    if not can_pin(post=post, user=actor):
        raise ServiceError(
            _("Only the network's coordinators can pin posts to its feed."), code="forbidden"
        )
    with transaction.atomic():
        post.pinned_at = timezone.now() if pinned else None
        post.pinned_by = actor if pinned else None
        with organisation_scope(post.organisation):
            post.save(update_fields=["pinned_at", "pinned_by"])
        log_action(
            organisation=post.organisation,
            actor=actor,
            action="library.post.pinned" if pinned else "library.post.unpinned",
            obj=post,
        )
    return post


# --- comments ----------------------------------------------------------------------------------


def comment_create(*, post: Post, organisation: Organisation, author: User, body: str) -> Comment:
    """Comment on a post the author's organisation may read; notifies the post's author and
    the people mentioned."""
    if not sharing.posts_visible_to(organisation=organisation).filter(pk=post.pk).exists():
        # The same answer as for a post that does not exist.
        raise ServiceError(_("That post does not exist."), code="not_found")
    if not permissions.can_publish(membership_for(user=author, organisation=organisation)):
        raise ServiceError(_("Observers cannot comment."), code="forbidden")
    body = _check_text(body, label=_("The comment"), maximum=COMMENT_MAX, code="body")
    mentioned = resolve_mentions(text=body, organisation=organisation, post=post)
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post, organisation=organisation, author=author, body=body
        )
        log_action(
            organisation=organisation,
            actor=author,
            action="library.comment.created",
            obj=comment,
            after={"post": post.pk, "body": body},
        )

        def notify_people():
            notify(
                users=mentioned,
                kind=Notification.Kind.MENTION,
                actor=author,
                post=post,
                comment=comment,
            )
            mentioned_ids = {u.pk for u in mentioned}
            if post.author is not None and post.author_id not in mentioned_ids:
                notify(
                    users=[post.author],
                    kind=Notification.Kind.COMMENT,
                    actor=author,
                    post=post,
                    comment=comment,
                )

        transaction.on_commit(notify_people)
    return comment


def comment_update(*, comment: Comment, actor: User, body: str) -> Comment:
    if not permissions.can_change_comment(actor, comment):
        raise ServiceError(_("You can only change your own comments."), code="forbidden")
    body = _check_text(body, label=_("The comment"), maximum=COMMENT_MAX, code="body")
    if body == comment.body:
        return comment
    before_mentions = set(resolve_mentions_quiet(comment.body))
    mentioned = resolve_mentions(text=body, organisation=comment.organisation, post=comment.post)
    new_mentions = [u for u in mentioned if u.email.lower() not in before_mentions]
    with transaction.atomic():
        before = {"body": comment.body}
        comment.body = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        log_action(
            organisation=comment.organisation,
            actor=actor,
            action="library.comment.updated",
            obj=comment,
            before=before,
            after={"body": body},
        )
        transaction.on_commit(
            lambda: notify(
                users=new_mentions,
                kind=Notification.Kind.MENTION,
                actor=actor,
                post=comment.post,
                comment=comment,
            )
        )
    return comment


def comment_delete(*, comment: Comment, actor: User) -> None:
    if not permissions.can_change_comment(actor, comment):
        raise ServiceError(_("You can only delete your own comments."), code="forbidden")
    with transaction.atomic():
        log_action(
            organisation=comment.organisation,
            actor=actor,
            action="library.comment.deleted",
            obj=comment,
            before={"post": comment.post_id, "body": comment.body},
        )
        comment.delete()


# --- read markers ------------------------------------------------------------------------------


def post_mark_read(*, post: Post, user: User) -> None:
    PostRead.objects.get_or_create(user=user, post=post)


def feed_mark_all_read(*, user: User, organisation: Organisation) -> int:
    """Mark every post the user can see in the feed as read."""
    read = PostRead.objects.filter(user=user).values("post_id")
    unread = (
        sharing.posts_visible_to(organisation=organisation)
        .exclude(pk__in=read)
        .values_list("pk", flat=True)
    )
    rows = [PostRead(user=user, post_id=pk) for pk in unread]
    PostRead.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
