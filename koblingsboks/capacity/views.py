"""Pages of capacity: offers, requests with suggested offers, bookings, time logging and
settlements. Thin: forms parse, selectors read, services write; a refusal is shown as a
message and changes nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koblingsboks.capacity import permissions, selectors, services
from koblingsboks.capacity.exporters import (
    render_csv,
    render_xlsx,
    settlement_filename,
    settlement_rows,
)
from koblingsboks.capacity.forms import (
    BookingFilterForm,
    DeclineForm,
    ExtendForm,
    OfferFilterForm,
    OfferForm,
    ProposeForm,
    RequestForm,
    SettlementOpenForm,
    TimeEntryForm,
)
from koblingsboks.capacity.models import (
    Booking,
    CapacityOffer,
    CapacityRequest,
    Settlement,
    TimeEntry,
)
from koblingsboks.core.decorators import organisation_required, role_required
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.pagination import paginate
from koblingsboks.network.models import User
from koblingsboks.network.selectors import member_list
from koblingsboks.people.models import Profile
from koblingsboks.people.selectors import directory_organisations, profile_visible_to


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _booking_or_404(pk: int) -> Booking:
    try:
        return selectors.booking_detail(pk=pk)
    except Booking.DoesNotExist as exc:
        raise Http404 from exc


def _settlement_or_404(pk: int) -> Settlement:
    try:
        return selectors.settlement_detail(pk=pk)
    except Settlement.DoesNotExist as exc:
        raise Http404 from exc


def _run(request: HttpRequest, action, success: str) -> bool:
    try:
        action()
    except ServiceError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


# --- offers --------------------------------------------------------------------------------


@organisation_required
def offer_list(request: HttpRequest) -> HttpResponse:
    organisations = directory_organisations(organisation=request.organisation)
    form = OfferFilterForm(request.GET or None, organisations=organisations)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.OfferFilters(
        competence=data["competence"].pk if data.get("competence") else None,
        organisation=data["organisation"].pk if data.get("organisation") else None,
        include_past=bool(data.get("include_past")),
        sort=data.get("sort") or "start",
    )
    page = selectors.offer_list_visible_to(
        organisation=request.organisation, filters=filters, page=request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "capacity/offer_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_write": permissions.can_write(request.membership),
        },
    )


@role_required(permissions.can_write)
def offer_create(request: HttpRequest) -> HttpResponse:
    members = User.objects.filter(
        pk__in=member_list(organisation=request.organisation).values("user")
    ).order_by("full_name")
    form = OfferForm(request.POST or None, members=members, initial={"person": request.user})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            offer = services.offer_create(
                organisation=request.organisation,
                person=data["person"],
                title=data["title"],
                description=data["description"],
                competences=data["competences"],
                hours=data["hours"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                hourly_rate=data["hourly_rate"],
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The offer is visible to your networks."))
            return redirect("capacity:offer-detail", pk=offer.pk)
    return render(request, "capacity/offer_form.html", {"form": form})


@organisation_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        offer = selectors.offer_visible_to(organisation=request.organisation, pk=pk)
    except CapacityOffer.DoesNotExist as exc:
        raise Http404 from exc
    own = offer.organisation_id == request.organisation.pk
    return render(
        request,
        "capacity/offer_detail.html",
        {
            "offer": offer,
            "own": own,
            "bookings": selectors.offer_bookings(offer=offer),
            "can_write": permissions.can_write(request.membership),
        },
    )


@require_POST
@role_required(permissions.can_write)
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        offer = CapacityOffer.objects.get(pk=pk)  # scoped: only the organisation's own
    except CapacityOffer.DoesNotExist as exc:
        raise Http404 from exc
    _run(
        request,
        lambda: services.offer_withdraw(offer=offer, actor=request.user),
        _("The offer is withdrawn."),
    )
    return redirect("capacity:offer-detail", pk=offer.pk)


# --- requests ------------------------------------------------------------------------------


@organisation_required
def request_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    requests = selectors.request_list(organisation=request.organisation, status=status)
    return render(
        request,
        "capacity/request_list.html",
        {
            "page": paginate(request, requests),
            "status": status,
            "can_write": permissions.can_write(request.membership),
        },
    )


@role_required(permissions.can_write)
def request_create(request: HttpRequest) -> HttpResponse:
    companies = selectors.request_company_choices(organisation=request.organisation)
    form = RequestForm(request.POST or None, companies=companies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            capacity_request = services.request_create(
                organisation=request.organisation,
                title=data["title"],
                need=data["need"],
                competences=data["competences"],
                hours=data["hours"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                company=data["company"],
                share_company=data["share_company"],
                actor=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your request is saved. Choose an offer to book."))
            return redirect("capacity:request-detail", pk=capacity_request.pk)
    return render(request, "capacity/request_form.html", {"form": form})


def _request_or_404(request: HttpRequest, pk: int) -> CapacityRequest:
    try:
        return selectors.request_detail(organisation=request.organisation, pk=pk)
    except CapacityRequest.DoesNotExist as exc:
        raise Http404 from exc


@organisation_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    capacity_request = _request_or_404(request, pk)
    return render(
        request,
        "capacity/request_detail.html",
        {
            "capacity_request": capacity_request,
            "suggestions": selectors.suggested_offers(request=capacity_request),
            "people": selectors.bookable_people(request=capacity_request),
            "bookings": selectors.booking_list(organisation=request.organisation).filter(
                request=capacity_request
            ),
            "can_write": permissions.can_write(request.membership),
        },
    )


@require_POST
@role_required(permissions.can_write)
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    capacity_request = _request_or_404(request, pk)
    _run(
        request,
        lambda: services.request_close(request=capacity_request, actor=request.user),
        _("The request is closed."),
    )
    return redirect("capacity:request-detail", pk=pk)


@require_POST
@role_required(permissions.can_write)
def booking_propose(request: HttpRequest, pk: int) -> HttpResponse:
    capacity_request = _request_or_404(request, pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("capacity:request-detail", pk=pk)
    data = form.cleaned_data
    target = {"offer": None, "person": None, "provider": None, "hourly_rate": None}
    try:
        if data["offer"]:
            target["offer"] = selectors.offer_visible_to(
                organisation=request.organisation, pk=data["offer"]
            )
        else:
            profile = profile_visible_to(organisation=request.organisation, pk=data["profile"])
            target.update(
                person=profile.user, provider=profile.organisation, hourly_rate=data["hourly_rate"]
            )
    except (CapacityOffer.DoesNotExist, Profile.DoesNotExist) as exc:
        raise Http404 from exc
    booking = None

    def propose():
        nonlocal booking
        booking = services.booking_propose(
            request=capacity_request,
            hours=data["hours"],
            message=data["message"],
            actor=request.user,
            **target,
        )

    if _run(request, propose, _("Booking proposed; the other garden's managers are told.")):
        return redirect("capacity:booking-detail", pk=booking.pk)
    return redirect("capacity:request-detail", pk=pk)


# --- bookings ------------------------------------------------------------------------------


@organisation_required
def booking_list(request: HttpRequest) -> HttpResponse:
    form = BookingFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    bookings = selectors.booking_list(
        organisation=request.organisation,
        direction=data.get("direction") or "all",
        state=data.get("state") or "",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "capacity/booking_list.html",
        {"form": form, "page": paginate(request, bookings), "query": query.urlencode()},
    )


@organisation_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    bookings = selectors.booking_list_for_person(user=request.user)
    return render(request, "capacity/my_bookings.html", {"page": paginate(request, bookings)})


@organisation_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking_or_404(pk)
    organisation = request.organisation
    membership = request.membership
    is_provider = booking.provider_id == organisation.pk
    logged = services.booking_logged_hours(booking)
    return render(
        request,
        "capacity/booking_detail.html",
        {
            "booking": booking,
            "is_provider": is_provider,
            "show_company": selectors.request_company_visible(
                booking=booking, organisation=organisation
            ),
            "entries": selectors.time_entry_list(booking=booking),
            "logged": logged,
            "remaining": booking.allowed_hours - logged,
            "can_decide": permissions.can_decide(membership),
            "can_write": permissions.can_write(membership),
            "can_log": is_provider
            and booking.state == Booking.State.ACCEPTED
            and permissions.can_write(membership)
            and booking.person_id in (None, request.user.pk),
            "decline_form": DeclineForm(),
            "extend_form": ExtendForm(),
            "time_form": TimeEntryForm(),
        },
    )


def _booking_action(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    booking = _booking_or_404(pk)
    _run(request, lambda: action(booking), success)
    return redirect("capacity:booking-detail", pk=pk)


@require_POST
@organisation_required
def booking_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _booking_action(
        request,
        pk,
        lambda booking: services.booking_accept(
            booking=booking, organisation=request.organisation, actor=request.user
        ),
        _("The booking is accepted."),
    )


@require_POST
@organisation_required
def booking_decline(request: HttpRequest, pk: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _booking_action(
        request,
        pk,
        lambda booking: services.booking_decline(
            booking=booking, organisation=request.organisation, actor=request.user, note=note
        ),
        _("The booking is declined."),
    )


@require_POST
@organisation_required
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _booking_action(
        request,
        pk,
        lambda booking: services.booking_cancel(
            booking=booking, organisation=request.organisation, actor=request.user
        ),
        _("The booking is cancelled."),
    )


@require_POST
@organisation_required
def booking_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _booking_action(
        request,
        pk,
        lambda booking: services.booking_complete(
            booking=booking, organisation=request.organisation, actor=request.user
        ),
        _("The booking is completed."),
    )


@require_POST
@organisation_required
def booking_extend(request: HttpRequest, pk: int) -> HttpResponse:
    form = ExtendForm(request.POST)
    booking = _booking_or_404(pk)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("capacity:booking-detail", pk=pk)
    _run(
        request,
        lambda: services.booking_extend(
            booking=booking,
            organisation=request.organisation,
            hours=form.cleaned_data["hours"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        ),
        _("The booking is extended."),
    )
    return redirect("capacity:booking-detail", pk=pk)


# --- time ----------------------------------------------------------------------------------


@organisation_required
def time_log(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "capacity/time_log.html",
        {
            "bookings": selectors.loggable_bookings(
                organisation=request.organisation, user=request.user
            ),
            "entries": selectors.time_entry_list_for_person(user=request.user),
            # One form per booking on the page: no ids, the labels wrap their inputs.
            "form": TimeEntryForm(auto_id=False),
        },
    )


@require_POST
@organisation_required
def time_entry_create(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking_or_404(pk)
    form = TimeEntryForm(request.POST)
    back = request.POST.get("next") == "time-log"
    target = reverse("capacity:time-log") if back else reverse("capacity:booking-detail", args=[pk])
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(target)
    _run(
        request,
        lambda: services.time_entry_log(
            booking=booking,
            organisation=request.organisation,
            date=form.cleaned_data["date"],
            hours=form.cleaned_data["hours"],
            description=form.cleaned_data["description"],
            actor=request.user,
        ),
        _("The hours are logged."),
    )
    return redirect(target)


@require_POST
@organisation_required
def time_entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        entry = TimeEntry.objects.select_related("booking").get(pk=pk)
    except TimeEntry.DoesNotExist as exc:
        raise Http404 from exc
    _run(
        request,
        lambda: services.time_entry_delete(
            entry=entry, organisation=request.organisation, actor=request.user
        ),
        _("The entry is deleted."),
    )
    return redirect("capacity:booking-detail", pk=entry.booking_id)


# --- settlements ---------------------------------------------------------------------------


@organisation_required
def settlement_list(request: HttpRequest) -> HttpResponse:
    counterparts = selectors.settlement_counterparts(organisation=request.organisation)
    form = SettlementOpenForm(request.POST or None, counterparts=counterparts)
    can_decide = permissions.can_decide(request.membership)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                settlement = services.settlement_open(
                    organisation=request.organisation,
                    counterpart=data["counterpart"],
                    kind=data["kind"],
                    year=data["year"],
                    number=data["number"],
                    actor=request.user,
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The settlement is open; both managers are told."))
                return redirect("capacity:settlement-detail", pk=settlement.pk)
    settlements = selectors.settlement_list(organisation=request.organisation)
    return render(
        request,
        "capacity/settlement_list.html",
        {"form": form, "page": paginate(request, settlements), "can_decide": can_decide},
    )


@organisation_required
def settlement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    settlement = _settlement_or_404(pk)
    side = "a" if settlement.organisation_a_id == request.organisation.pk else "b"
    totals = services.settlement_totals(settlement)
    net = totals["amount_a_for_b"] - totals["amount_b_for_a"]
    return render(
        request,
        "capacity/settlement_detail.html",
        {
            "settlement": settlement,
            "lines": services.settlement_lines(settlement),
            "totals": totals,
            "net": abs(net),
            "net_hours": totals["hours_a_for_b"] - totals["hours_b_for_a"],
            "debtor": settlement.organisation_b if net >= 0 else settlement.organisation_a,
            "creditor": settlement.organisation_a if net >= 0 else settlement.organisation_b,
            "approved_by_us": getattr(settlement, f"approved_at_{side}") is not None,
            "can_decide": permissions.can_decide(request.membership),
        },
    )


@require_POST
@organisation_required
def settlement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    settlement = _settlement_or_404(pk)
    _run(
        request,
        lambda: services.settlement_approve(
            settlement=settlement, organisation=request.organisation, actor=request.user
        ),
        _("You approved the settlement."),
    )
    return redirect("capacity:settlement-detail", pk=pk)


def _export(settlement: Settlement, *, kind: str) -> HttpResponse:
    rows = settlement_rows(settlement)
    if kind == "xlsx":
        body = render_xlsx(rows, sheet_title=_("Settlement"))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, content_type = render_csv(rows), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    filename = settlement_filename(settlement, kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@organisation_required
def settlement_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(_settlement_or_404(pk), kind="xlsx")


@organisation_required
def settlement_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(_settlement_or_404(pk), kind="csv")
