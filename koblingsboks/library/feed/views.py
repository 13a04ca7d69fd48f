"""Pages of the news feed. Thin: forms parse, selectors read, services write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from koblingsboks.core.decorators import organisation_required, role_required
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.pagination import paginate
from koblingsboks.library import permissions, sharing
from koblingsboks.library.feed import links, selectors
from koblingsboks.library.feed.services import (
    can_pin,
    comment_create,
    comment_delete,
    comment_update,
    feed_mark_all_read,
    post_create,
    post_delete,
    post_mark_read,
    post_pin,
    post_update,
)
from koblingsboks.library.forms import CommentForm, FeedFilterForm, PostForm
from koblingsboks.library.mentions import mention_names
from koblingsboks.library.models import Comment, Post
from koblingsboks.library.tags import tag_text

FEED_PAGE_SIZE = 15


def _post_or_404(request: HttpRequest, pk: int) -> Post:
    try:
        return selectors.post_detail(pk=pk, organisation=request.organisation)
    except Post.DoesNotExist as exc:
        raise Http404 from exc


def _comment_or_404(request: HttpRequest, pk: int) -> Comment:
    try:
        return selectors.comment_for_post(pk=pk, organisation=request.organisation)
    except Comment.DoesNotExist as exc:
        raise Http404 from exc


def _filters(request: HttpRequest) -> tuple[FeedFilterForm, selectors.FeedFilters]:
    options = selectors.feed_filter_options(organisation=request.organisation)
    form = FeedFilterForm(request.GET or None, options=options)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.FeedFilters(
        organisation=data.get("organisation", ""),
        kind=data.get("kind", ""),
        tag=data.get("tag", ""),
        unread=bool(data.get("unread")),
    )
    return form, filters


def _mark_unread(posts, user) -> None:
    for post in posts:
        post.unread = selectors.is_unread(post, user)


@organisation_required
def feed_page(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    qs = selectors.post_list(organisation=request.organisation, user=request.user, filters=filters)
    page = paginate(request, qs, per_page=FEED_PAGE_SIZE)
    _mark_unread(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "form": form,
        "filters": filters,
        "query": query.urlencode(),
        "can_post": permissions.can_publish(request.membership),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "library/partials/feed_page.html", context)
    context["pinned"] = selectors.pinned_posts(organisation=request.organisation)
    _mark_unread(context["pinned"], request.user)
    return render(request, "library/feed.html", context)


@require_POST
@organisation_required
def feed_mark_read(request: HttpRequest) -> HttpResponse:
    count = feed_mark_all_read(user=request.user, organisation=request.organisation)
    messages.success(
        request,
        ngettext("%d post marked as read.", "%d posts marked as read.", count) % count,
    )
    return redirect("library:feed")


def _post_form(request: HttpRequest, **kwargs) -> PostForm:
    return PostForm(
        request.POST or None,
        request.FILES or None,
        networks=selectors.networks_to_post_in(organisation=request.organisation),
        methods=sharing.methods_visible_to(organisation=request.organisation).order_by("title"),
        events=links.event_choices(organisation=request.organisation),
        projects=links.project_choices(organisation=request.organisation),
        **kwargs,
    )


def _links(request: HttpRequest, data: dict) -> dict:
    """The form's link fields as the objects the services take (checked there)."""
    return {
        "company": _company(data["company"]),
        "method": data["method"],
        "event": links.visible_event(event_id=data["event"], organisation=request.organisation),
        "project": links.party_project(
            project_id=data["project"], organisation=request.organisation
        ),
    }


def _company(org_number: str):
    from koblingsboks.companies.models import Company

    number = (org_number or "").replace(" ", "")
    if not number:
        return None
    company = Company.objects.filter(org_number=number).first()
    if company is None:
        raise ServiceError(_("No company with org.nr %s in the register.") % number, "company")
    return company


@role_required(permissions.can_publish)
def post_create_view(request: HttpRequest) -> HttpResponse:
    form = _post_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = post_create(
                organisation=request.organisation,
                author=request.user,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                audience=data["audience"],
                network=data["network"],
                tags=data["tags"],
                uploads=data["files"],
                **_links(request, data),
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The post was published."))
            return redirect("library:post-detail", pk=post.pk)
    status = 400 if form.errors else 200
    return render(request, "library/post_form.html", {"form": form}, status=status)


@organisation_required
def post_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(request, pk)
    post_mark_read(post=post, user=request.user)
    return _detail(request, post, CommentForm())


def _detail(request: HttpRequest, post: Post, comment_form: CommentForm, status=200):
    comments = list(selectors.comment_list(post=post))
    context = {
        "post": post,
        "comments": comments,
        "comment_form": comment_form,
        "can_comment": permissions.can_publish(request.membership),
        "can_change": permissions.can_change_post(request.membership, post),
        "can_pin": can_pin(post=post, user=request.user),
        # Which of its own companies a post links to is the organisation's own business.
        "show_company": post.company is not None
        and post.organisation_id == request.organisation.pk,
        # A method link only if the reader's organisation may read the method: a network
        # post may link a method its author's organisation keeps to itself.
        "show_method": post.method_id is not None
        and sharing.methods_visible_to(organisation=request.organisation)
        .filter(pk=post.method_id)
        .exists(),
        # An event or project link only if the reader's organisation may see it.
        "links": links.links_for_reader(post, request.organisation),
        "people": sharing.people_in_network_of(organisation=request.organisation)[:200],
        "mention_names": mention_names([post.body, *(c.body for c in comments)]),
    }
    return render(request, "library/post_detail.html", context, status=status)


@role_required(permissions.can_publish)
def post_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(request, pk)
    if not permissions.can_change_post(request.membership, post):
        raise PermissionDenied
    initial = {
        "title": post.title,
        "body": post.body,
        "kind": post.kind,
        "audience": post.audience,
        "network": post.network_id,
        "tags": tag_text(post.tags.all()),
        "company": post.company.org_number if post.company_id else "",
        "method": post.method_id,
        "event": post.event_id,
        "project": post.project_id,
    }
    form = _post_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post_update(
                post=post,
                actor=request.user,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                audience=data["audience"],
                network=data["network"],
                tags=data["tags"],
                uploads=data["files"],
                **_links(request, data),
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The post was changed."))
            return redirect("library:post-detail", pk=post.pk)
    status = 400 if form.errors else 200
    return render(request, "library/post_form.html", {"form": form, "post": post}, status=status)


def _run(request: HttpRequest, action, *, ok: str) -> bool:
    try:
        action()
    except ServiceError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, ok)
    return True


@require_POST
@organisation_required
def post_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(request, pk)
    if _run(request, lambda: post_delete(post=post, actor=request.user), ok=_("Post deleted.")):
        return redirect("library:feed")
    return redirect("library:post-detail", pk=pk)


@require_POST
@organisation_required
def post_pin_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(request, pk)
    pinned = request.POST.get("pinned", "1") == "1"
    _run(
        request,
        lambda: post_pin(post=post, actor=request.user, pinned=pinned),
        ok=_("Post pinned.") if pinned else _("Post unpinned."),
    )
    return redirect("library:post-detail", pk=pk)


@require_POST
@organisation_required
def comment_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = comment_create(
                post=post,
                organisation=request.organisation,
                author=request.user,
                body=form.cleaned_data["body"],
            )
        except ServiceError as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(request, _("Your comment was posted."))
            url = reverse("library:post-detail", kwargs={"pk": pk})
            return redirect(f"{url}#comment-{comment.pk}")
    return _detail(request, post, form, status=400)


@organisation_required
def comment_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    if not permissions.can_change_comment(request.user, comment):
        raise PermissionDenied
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment_update(comment=comment, actor=request.user, body=form.cleaned_data["body"])
        except ServiceError as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(request, _("Your comment was changed."))
            url = reverse("library:post-detail", kwargs={"pk": comment.post_id})
            return redirect(f"{url}#comment-{comment.pk}")
    status = 400 if form.errors else 200
    context = {"form": form, "comment": comment}
    return render(request, "library/comment_form.html", context, status=status)


@require_POST
@organisation_required
def comment_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    post_id = comment.post_id
    _run(
        request,
        lambda: comment_delete(comment=comment, actor=request.user),
        ok=_("Your comment was deleted."),
    )
    return redirect("library:post-detail", pk=post_id)
