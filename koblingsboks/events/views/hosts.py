"""The hosts' pages: the joint calendar, creating and editing events, hosts and cost shares,
participants (check-in, exports, messages), costs, feedback results and feed links.

Views are thin: forms parse, selectors read, services write. An event the active
organisation does not host is 404 on every host page (the scoped manager finds only hosted
events); events of the network or the public are shown read-only on the detail page.
"""

import datetime

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koblingsboks.core.decorators import organisation_required, role_required
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.pagination import paginate
from koblingsboks.events import exporters, selectors, services
from koblingsboks.events.forms import (
    CalendarFilterForm,
    CostLineForm,
    EventForm,
    FeedTokenForm,
    HostRegistrationForm,
    HostsForm,
    MessageForm,
    RegistrationStatusFilter,
)
from koblingsboks.events.ics import event_ics
from koblingsboks.events.models import CostLine, Event, FeedToken, Registration
from koblingsboks.events.permissions import can_manage_events
from koblingsboks.network.models import Organisation
from koblingsboks.network.selectors import member_list, network_list_for_organisation

manage_required = role_required(can_manage_events)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _hosted(pk: int) -> Event:
    try:
        return selectors.event_for_host(pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404 from exc


def _detail_url(event: Event, anchor: str = "") -> str:
    url = reverse("events:detail", kwargs={"pk": event.pk})
    return f"{url}#{anchor}" if anchor else url


def _calendar_organisations(organisation: Organisation) -> list[Organisation]:
    """The organisations to filter the calendar by: the active one and its networks' parties."""
    return list(
        Organisation.objects.filter(
            Q(network_links__network__party_links__organisation=organisation)
            | Q(pk=organisation.pk)
        )
        .distinct()
        .order_by("name")
    )


def _filters(request: HttpRequest, organisation: Organisation):
    form = CalendarFilterForm(
        request.GET or None, organisations=_calendar_organisations(organisation)
    )
    filters = selectors.CalendarFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.CalendarFilters(
            organisation=data.get("organisation"),
            kind=data.get("kind") or "",
            audience=data.get("audience") or "",
            when=data.get("when") or "upcoming",
            q=data.get("q") or "",
        )
    return form, filters


# --- the joint calendar ----------------------------------------------------------------------


@organisation_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request, request.organisation)
    events = selectors.event_list_visible_to(organisation=request.organisation, filters=filters)
    page = paginate(request, events)
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "can_manage": can_manage_events(request.membership),
        "query": request.GET.urlencode(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "events/partials/calendar_list.html", context)
    return render(request, "events/calendar.html", context)


@organisation_required
def calendar_month(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        first = datetime.date(year, month, 1)
    except (TypeError, ValueError):
        first = today.replace(day=1)
    form, filters = _filters(request, request.organisation)
    grid = selectors.month_grid(
        organisation=request.organisation, year=first.year, month=first.month, filters=filters
    )
    params = request.GET.copy()
    params.pop("month", None)
    return render(
        request,
        "events/calendar_month.html",
        {
            "grid": grid,
            "first": first,
            "today": today,
            "form": form,
            "query": params.urlencode(),
            "can_manage": can_manage_events(request.membership),
        },
    )


# --- creating and editing --------------------------------------------------------------------


def _people(organisation: Organisation) -> list[int]:
    return list(member_list(organisation=organisation).values_list("user_id", flat=True))


@manage_required
def event_create_view(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = EventForm(
        request.POST or None,
        organisation=organisation,
        people=_people(organisation),
        initial={"responsible": request.user.pk, "price": 0},
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                organisation=organisation, data=form.service_data(), actor=request.user
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The event is saved as a draft. Publish it when ready."))
            return redirect(_detail_url(event))
    return render(request, "events/event_form.html", {"form": form, "event": None})


@manage_required
def event_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _hosted(pk)
    initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    for name in ("starts_at", "ends_at", "registration_deadline"):
        if initial[name]:
            initial[name] = timezone.localtime(initial[name])
    form = EventForm(
        request.POST or None,
        organisation=request.organisation,
        people=_people(request.organisation)
        + ([event.responsible_id] if event.responsible_id else []),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                event=event,
                data=form.service_data(),
                actor=request.user,
                base_url=_base_url(request),
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(_detail_url(event))
    return render(request, "events/event_form.html", {"form": form, "event": event})


@manage_required
def event_hosts_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _hosted(pk)
    current = {host.organisation_id: host.share for host in event.hosts.all()}
    candidates = {org.pk: org for org in _calendar_organisations(request.organisation)}
    candidates.update({host.organisation_id: host.organisation for host in event.hosts.all()})
    ordered = sorted(candidates.values(), key=lambda o: (o.pk != event.organisation_id, o.name))
    form = HostsForm(
        request.POST or None, candidates=ordered, lead=event.organisation, initial_shares=current
    )
    if request.method == "POST" and form.is_valid():
        shares = form.shares()
        if form.is_valid():
            try:
                services.event_set_hosts(event=event, shares=shares, actor=request.user)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Hosts and cost shares are saved."))
                return redirect(_detail_url(event, "costs"))
    return render(request, "events/hosts_form.html", {"form": form, "event": event})


@require_POST
@manage_required
def event_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _hosted(pk)
    status = request.POST.get("status", "")
    try:
        services.event_change_status(
            event=event, status=status, actor=request.user, base_url=_base_url(request)
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        labels = {
            Event.Status.PUBLISHED: _("The event is published."),
            Event.Status.CANCELLED: _("The event is cancelled; everyone registered is told."),
            Event.Status.HELD: _(
                "The event is marked as held; participants get the feedback form."
            ),
            Event.Status.DRAFT: _("The event is back to draft."),
        }
        messages.success(request, labels.get(status, _("Saved.")))
    return redirect(_detail_url(event))


@require_POST
@manage_required
def event_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _hosted(pk)
    try:
        copy = services.event_copy(
            event=event, actor=request.user, organisation=request.organisation
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_detail_url(event))
    messages.success(request, _("This is a copy (a draft). Change the date and publish it."))
    return redirect(reverse("events:edit", kwargs={"pk": copy.pk}))


# --- the event page --------------------------------------------------------------------------


@organisation_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = selectors.event_visible_detail(pk=pk, organisation=request.organisation)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    context = {"event": event, "can_manage": False}
    if event.is_host:
        event = selectors.event_for_host(pk=pk)
        event.is_host = True
        context.update(
            event=event,
            can_manage=can_manage_events(request.membership),
            counts=selectors.registration_counts(event=event),
            split=selectors.cost_split(event=event),
            cost_form=CostLineForm(),
            feedback=selectors.feedback_summary(event=event),
            messages_sent=list(event.messages.select_related("sent_by")[:10]),
            public_url=request.build_absolute_uri(
                reverse("events:public-detail", kwargs={"public_id": event.public_id})
            )
            if event.audience == Event.Audience.PUBLIC
            else "",
        )
    return render(request, "events/event_detail.html", context)


@organisation_required
def event_ics_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = selectors.event_visible_detail(pk=pk, organisation=request.organisation)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    response = HttpResponse(
        event_ics(event, base_url=_base_url(request)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


# --- participants ----------------------------------------------------------------------------


@organisation_required
def participants_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = _hosted(pk)
    data = request.GET.copy()
    data.setdefault("status", "active")
    filters = RegistrationStatusFilter(data)
    status, q = "active", ""
    if filters.is_valid():
        status, q = filters.cleaned_data["status"], filters.cleaned_data["q"]
    ordering = request.GET.get("sort", "registered")
    registrations = selectors.registration_list(event=event, status=status, q=q, ordering=ordering)
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "page": paginate(request, registrations, per_page=100),
            "filters": filters,
            "sort": ordering,
            "counts": selectors.registration_counts(event=event),
            "form": HostRegistrationForm(),
            "can_manage": can_manage_events(request.membership),
        },
    )


@require_POST
@manage_required
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _hosted(pk)
    form = HostRegistrationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                event=event,
                name=data["name"],
                email=data["email"],
                company_name=data["company_name"],
                org_number=data["org_number"],
                needs=data["needs"],
                source=Registration.Source.HOST,
                actor=request.user,
                language=request.LANGUAGE_CODE,
                base_url=_base_url(request),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(
                    request, _("%(name)s is registered.") % {"name": registration.name}
                )
            else:
                messages.success(
                    request,
                    _("The event is full: %(name)s is on the waitlist.")
                    % {"name": registration.name},
                )
    else:
        messages.error(
            request,
            " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect(reverse("events:participants", kwargs={"pk": event.pk}))


def _registration(event: Event, rid: int) -> Registration:
    try:
        return Registration.objects.select_related("event").get(pk=rid, event=event)
    except Registration.DoesNotExist as exc:
        raise Http404 from exc


@require_POST
@manage_required
def participant_check_in(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    event = _hosted(pk)
    registration = _registration(event, rid)
    attended = request.POST.get("attended") == "1"
    error = ""
    try:
        registration = services.registration_set_attendance(
            registration=registration, attended=attended, actor=request.user
        )
    except ServiceError as exc:
        error = exc.message
    if request.htmx:
        return render(
            request,
            "events/partials/participant_row.html",
            {"r": registration, "event": event, "can_manage": True, "error": error},
        )
    if error:
        messages.error(request, error)
    return redirect(reverse("events:participants", kwargs={"pk": event.pk}))


@require_POST
@manage_required
def participant_cancel(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    event = _hosted(pk)
    registration = _registration(event, rid)
    try:
        services.registration_cancel(
            registration=registration, actor=request.user, base_url=_base_url(request)
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The registration of %(name)s is cancelled.") % {"name": registration.name}
        )
    return redirect(reverse("events:participants", kwargs={"pk": event.pk}))


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@organisation_required
def participants_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    event = _hosted(pk)
    status = request.GET.get("status", "active")
    rows = exporters.participant_rows(event=event, status=status)
    name = f"participants-{event.pk}"
    if fmt == "xlsx":
        return _download(
            exporters.render_xlsx(rows, sheet_title=_("Participants")), f"{name}.xlsx", XLSX
        )
    return _download(exporters.render_csv(rows), f"{name}.csv", "text/csv; charset=utf-8")


# --- messages, costs, feedback ---------------------------------------------------------------


@manage_required
def message_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _hosted(pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.event_message_send(
                event=event, actor=request.user, **form.cleaned_data
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("The message is sent to %(n)s people.") % {"n": message.recipient_count},
            )
            return redirect(_detail_url(event))
    return render(
        request,
        "events/message_form.html",
        {"form": form, "event": event, "counts": selectors.registration_counts(event=event)},
    )


@require_POST
@manage_required
def cost_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _hosted(pk)
    form = CostLineForm(request.POST)
    if form.is_valid():
        try:
            services.cost_line_add(event=event, actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(_detail_url(event, "costs"))


@require_POST
@manage_required
def cost_delete(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    event = _hosted(pk)
    try:
        line = CostLine.objects.get(pk=cid, event=event)
    except CostLine.DoesNotExist as exc:
        raise Http404 from exc
    services.cost_line_delete(line=line, actor=request.user)
    return redirect(_detail_url(event, "costs"))


@organisation_required
def cost_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    event = _hosted(pk)
    rows = exporters.cost_rows(split=selectors.cost_split(event=event))
    name = f"costs-{event.pk}"
    if fmt == "xlsx":
        return _download(exporters.render_xlsx(rows, sheet_title=_("Costs")), f"{name}.xlsx", XLSX)
    return _download(exporters.render_csv(rows), f"{name}.csv", "text/csv; charset=utf-8")


@require_POST
@manage_required
def feedback_send(request: HttpRequest, pk: int) -> HttpResponse:
    event = _hosted(pk)
    try:
        sent = services.feedback_requests_send(
            event=event, actor=request.user, base_url=_base_url(request)
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The feedback form is sent to %(n)s people.") % {"n": sent})
    return redirect(_detail_url(event, "feedback"))


# --- feed links ------------------------------------------------------------------------------


@organisation_required
def feed_links(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = FeedTokenForm(request.POST or None, organisation=organisation)
    new_url = ""
    if request.method == "POST":
        if not can_manage_events(request.membership):
            raise Http404
        if form.is_valid():
            try:
                _token, raw = services.feed_token_create(
                    organisation=organisation,
                    network=form.cleaned_data["network"],
                    name=form.cleaned_data["name"],
                    actor=request.user,
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                new_url = request.build_absolute_uri(
                    reverse("events:network-private-feed", kwargs={"token": raw})
                )
                form = FeedTokenForm(organisation=organisation)
    networks = list(network_list_for_organisation(organisation=organisation))
    return render(
        request,
        "events/feed_links.html",
        {
            "form": form,
            "tokens": selectors.feed_token_list(organisation=organisation),
            "new_url": new_url,
            "organisation_feed": request.build_absolute_uri(
                reverse("events:organisation-feed", kwargs={"slug": organisation.slug})
            ),
            "network_feeds": [
                (
                    network,
                    request.build_absolute_uri(
                        reverse("events:network-feed", kwargs={"slug": network.slug})
                    ),
                )
                for network in networks
            ],
            "can_manage": can_manage_events(request.membership),
        },
    )


@require_POST
@manage_required
def feed_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = FeedToken.objects.get(pk=pk, revoked_at__isnull=True)
    except FeedToken.DoesNotExist as exc:
        raise Http404 from exc
    services.feed_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The link no longer works."))
    return redirect("events:feed-links")


# --- a registrant's personal data ------------------------------------------------------------


@organisation_required
def registrant_data(request: HttpRequest) -> HttpResponse:
    """Find, export or erase everything registered under one e-mail address in the events
    the organisation hosts (a person's request to see or delete their data)."""
    email = (request.POST.get("email") or request.GET.get("email") or "").strip()
    registrations = selectors.registrant_registrations(email=email) if email else []
    if request.method == "POST":
        if not can_manage_events(request.membership):
            raise Http404
        try:
            erased = services.registrant_erase(
                organisation=request.organisation, email=email, actor=request.user
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Erased the personal data under this address: %(registrations)s "
                    "registrations, %(contacts)s contact persons, %(links)s survey links."
                )
                % {
                    "registrations": erased.get("event_registrations", 0),
                    "contacts": erased.get("contact_persons", 0),
                    "links": erased.get("survey_links", 0),
                },
            )
        return redirect("events:registrant-data")
    if email and request.GET.get("format") == "csv":
        rows = exporters.registrant_rows(registrations=registrations)
        return _download(exporters.render_csv(rows), "registrations.csv", "text/csv; charset=utf-8")
    return render(
        request,
        "events/registrant_data.html",
        {
            "email": email,
            "registrations": registrations,
            "can_manage": can_manage_events(request.membership),
        },
    )
