"""Public pages: upcoming public events, an event with its registration form (no account),
the cancellation and feedback links from the e-mails, and the iCalendar feeds.

The registration form is protected without third-party services: a honeypot field, a
signed time stamp (a minimum fill time) and a rate limit per IP address; the feeds and the
org.nr look-up are rate-limited too.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from koblingsboks.companies.models import Company
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.ratelimit import ratelimit
from koblingsboks.events import selectors, services
from koblingsboks.events.forms import FeedbackForm, PublicRegistrationForm
from koblingsboks.events.ics import calendar_bytes, event_ics
from koblingsboks.events.models import Event, Registration, RegistrationToken
from koblingsboks.network.models import Network, Organisation
from koblingsboks.network.validators import normalise_org_number

REGISTER_RATE = getattr(settings, "EVENTS_REGISTER_RATE", "10/h")
FEED_RATE = getattr(settings, "EVENTS_FEED_RATE", "120/h")
LOOKUP_RATE = getattr(settings, "EVENTS_LOOKUP_RATE", "60/h")
TOKEN_RATE = getattr(settings, "EVENTS_TOKEN_RATE", "30/h")
ICS = "text/calendar; charset=utf-8"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _public_event(public_id) -> Event:
    try:
        return selectors.public_event(public_id=public_id)
    except Event.DoesNotExist as exc:
        raise Http404 from exc


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    return render(request, "events/public_list.html", {"events": selectors.public_event_list()})


@ratelimit("events.register", REGISTER_RATE, methods=("POST",))
def public_detail(request: HttpRequest, public_id) -> HttpResponse:
    event = _public_event(public_id)
    now = timezone.now()
    is_open = event.status == Event.Status.PUBLISHED and now <= event.effective_deadline
    form = PublicRegistrationForm(request.POST or None)
    if request.method == "POST" and is_open and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                event=event,
                name=data["name"],
                email=data["email"],
                company_name=data["company_name"],
                org_number=data["org_number"],
                needs=data["needs"],
                language=request.LANGUAGE_CODE,
                base_url=_base_url(request),
            )
        except ServiceError as exc:
            form.add_error("email" if exc.code == "duplicate" else None, exc.message)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(
                    request,
                    _(
                        "Thank you, %(name)s: your seat is confirmed. We have sent you an "
                        "e-mail with a calendar file and a link to cancel."
                    )
                    % {"name": registration.name},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Thank you, %(name)s: the event is full, so you are on the waitlist. "
                        "If a seat frees you move up automatically, and we e-mail you."
                    )
                    % {"name": registration.name},
                )
            return redirect(reverse("events:public-detail", kwargs={"public_id": event.public_id}))
    elif request.method == "POST" and not is_open:
        form.add_error(None, _("Registration for this event is closed."))
    return render(
        request,
        "events/public_detail.html",
        {"event": event, "form": form, "is_open": is_open},
    )


@ratelimit("events.feed", FEED_RATE)
def public_event_ics(request: HttpRequest, public_id) -> HttpResponse:
    event = _public_event(public_id)
    response = HttpResponse(event_ics(event, base_url=_base_url(request)), content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@require_GET
@ratelimit("events.lookup", LOOKUP_RATE)
def company_lookup(request: HttpRequest) -> HttpResponse:
    """The company name for an org.nr typed in the registration form (register facts)."""
    number = normalise_org_number(request.GET.get("org_number", ""))
    company = Company.objects.filter(org_number=number).first() if len(number) == 9 else None
    return render(request, "events/partials/company_lookup.html", {"company": company})


# --- links from the e-mails ------------------------------------------------------------------


@ratelimit("events.token", TOKEN_RATE, methods=("POST",))
def cancel_view(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.registration_by_token(raw=token, purpose=RegistrationToken.Purpose.CANCEL)
    if found is None:
        return render(request, "events/cancel.html", {"invalid": True}, status=404)
    registration = found.registration
    error = ""
    if request.method == "POST":
        try:
            services.registration_cancel_by_token(token=found, base_url=_base_url(request))
        except ServiceError as exc:
            error = exc.message
        else:
            return render(
                request, "events/cancel.html", {"registration": registration, "done": True}
            )
    return render(
        request,
        "events/cancel.html",
        {"registration": registration, "event": registration.event, "error": error},
    )


@ratelimit("events.token", TOKEN_RATE, methods=("POST",))
def feedback_view(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.registration_by_token(raw=token, purpose=RegistrationToken.Purpose.FEEDBACK)
    if found is None:
        return render(request, "events/feedback_form.html", {"invalid": True}, status=404)
    registration = found.registration
    form = FeedbackForm(request.POST or None)
    if registration.has_feedback:
        return render(
            request, "events/feedback_form.html", {"registration": registration, "done": True}
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(token=found, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return render(
                request, "events/feedback_form.html", {"registration": registration, "done": True}
            )
    return render(
        request, "events/feedback_form.html", {"registration": registration, "form": form}
    )


# --- feeds -----------------------------------------------------------------------------------


def _feed(events, *, name: str, request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        calendar_bytes(events, name=name, base_url=_base_url(request)), content_type=ICS
    )
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_GET
@ratelimit("events.feed", FEED_RATE)
def organisation_feed(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    events = selectors.organisation_feed_events(organisation=organisation)
    return _feed(events, name=organisation.name, request=request)


@require_GET
@ratelimit("events.feed", FEED_RATE)
def network_feed(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    events = selectors.network_feed_events(network=network, internal=False)
    return _feed(events, name=network.name, request=request)


@require_GET
@ratelimit("events.feed", FEED_RATE)
def network_private_feed(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.feed_token_by_secret(raw=token)
    if found is None:
        raise Http404
    services.feed_token_touch(token=found)
    events = selectors.network_feed_events(network=found.network, internal=True)
    return _feed(events, name=found.network.name, request=request)
