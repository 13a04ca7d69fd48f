"""Pages outside the feed and the method library: attachments, search, notifications,
settings and the digest's unsubscribe link."""

from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from koblingsboks.core.decorators import organisation_required
from koblingsboks.core.pagination import paginate
from koblingsboks.library import sharing
from koblingsboks.library.files import is_inline
from koblingsboks.library.forms import SearchForm, SettingsForm
from koblingsboks.library.mentions import mention_suggestions, typed_prefix
from koblingsboks.library.models import Attachment, Notification
from koblingsboks.library.notifications import digest, services
from koblingsboks.library.notifications.selectors import (
    notification_list,
    profile_competence_areas,
)
from koblingsboks.library.search import search


@organisation_required
def attachment_view(request: HttpRequest, key, name: str) -> HttpResponse:
    """A file, only for those who may read its post or method (404 for anybody else: the
    same answer as for a key that does not exist)."""
    attachment = Attachment.objects.filter(key=key).first()
    if attachment is None:
        raise Http404
    organisation = request.organisation
    if attachment.post_id is not None:
        visible = sharing.posts_visible_to(organisation=organisation)
        allowed = visible.filter(pk=attachment.post_id).exists()
    else:
        visible = sharing.methods_visible_to(organisation=organisation)
        allowed = visible.filter(pk=attachment.method_id).exists()
    if not allowed:
        raise Http404
    inline = is_inline(attachment.content_type)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not inline,
        filename=attachment.name,
    )
    if inline:
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(attachment.name)}"
    # Shown as what it is, never as a page of this site; private to the reader's cache.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@organisation_required
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    hits = search(query=query, organisation=request.organisation) if query else []
    context = {"form": form, "query": query, "hits": hits}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "library/partials/search_results.html", context)
    return render(request, "library/search.html", context)


@organisation_required
def mention_suggestions_view(request: HttpRequest) -> HttpResponse:
    """htmx: people of the network to mention for the word being typed (``q``, or the end
    of the textarea's ``body``); at least 2 characters, at most 10 people."""
    prefix = request.GET.get("q") or typed_prefix(request.GET.get("body", ""))
    people = mention_suggestions(organisation=request.organisation, prefix=prefix[:100])
    context = {"people": people, "prefix": prefix}
    return render(request, "library/partials/mention_suggestions.html", context)


@organisation_required
def notification_page(request: HttpRequest) -> HttpResponse:
    page = paginate(request, notification_list(user=request.user))
    return render(request, "library/notifications.html", {"page": page})


@require_POST
@organisation_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notification_mark_read(notification=notification, user=request.user)
    if notification.post_id:
        anchor = f"#comment-{notification.comment_id}" if notification.comment_id else ""
        url = reverse("library:post-detail", kwargs={"pk": notification.post_id})
        return redirect(url + anchor)
    if notification.method_id:
        return redirect("library:method-detail", pk=notification.method_id)
    return redirect("library:notifications")


@require_POST
@organisation_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("%d notification marked as read.", "%d notifications marked as read.", count)
        % count,
    )
    return redirect("library:notifications")


@organisation_required
def settings_page(request: HttpRequest) -> HttpResponse:
    current = services.settings_for(request.user)
    initial = {
        "digest": current.digest,
        "competence_areas": list(current.competence_areas.values_list("pk", flat=True)),
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        from koblingsboks.core.exceptions import ServiceError

        try:
            services.settings_update(
                user=request.user,
                digest=form.cleaned_data["digest"],
                competence_areas=form.cleaned_data["competence_areas"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your settings were saved."))
            return redirect("library:settings")
    status = 400 if form.errors else 200
    context = {"form": form, "profile_areas": profile_competence_areas(user=request.user)}
    return render(request, "library/settings.html", context, status=status)


@csrf_exempt  # RFC 8058: the mail client POSTs without a session; the signed token is the key
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from the digest turns it off, without signing in. The link is signed: a
    tampered one changes nothing and says so. POST is the one-click form of RFC 8058."""
    user = digest.user_from_unsubscribe_token(token)
    if user is None:
        return render(request, "library/unsubscribe.html", {"invalid": True}, status=400)
    services.digest_unsubscribe(user=user)
    return render(request, "library/unsubscribe.html", {"invalid": False, "email": user.email})
