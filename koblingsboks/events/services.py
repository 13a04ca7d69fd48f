"""Writes of the events app: events and their hosts, registrations with the waitlist,
attendance, messages, feedback, cost lines and private feed links.

Each service validates, runs in one transaction, writes a namespaced audit entry
(``events.event.created`` …) in the lead host's audit log, raises ServiceError with a
message for the user, and sends e-mail when the transaction commits.

Seats: a registration locks the event row (``select_for_update`` on PostgreSQL; on SQLite the
IMMEDIATE transaction already holds the database's write lock), then counts the confirmed
seats. So two people can never both take the last seat, and the waitlist moves up in order
under the same lock whenever a seat frees.
"""

import datetime
import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koblingsboks.companies.models import Company
from koblingsboks.core.audit import log_action, snapshot
from koblingsboks.core.erasure import erase_person
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.events import notifications
from koblingsboks.events.models import (
    CostLine,
    Event,
    EventHost,
    EventMessage,
    Feedback,
    FeedToken,
    Registration,
    RegistrationToken,
)
from koblingsboks.events.permissions import can_manage_events
from koblingsboks.events.selectors import token_hash
from koblingsboks.network.models import Network, NetworkParty, Organisation, User
from koblingsboks.network.selectors import membership_for
from koblingsboks.network.validators import normalise_org_number, validate_org_number

EVENT_FIELDS = [
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "capacity",
    "registration_deadline",
    "price",
    "audience",
    "network",
    "responsible",
]
TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
NEEDS_MAX = 1000
NAME_MAX = 200
COMMENT_MAX = 2000
HUNDRED = Decimal("100")


# --- shared checks ---------------------------------------------------------------------------


def _check_actor(actor: User | None, event: Event) -> None:
    """The actor must be a member (not an observer) of one of the event's hosts."""
    if actor is None:
        return
    for host in event.hosts.all():
        if can_manage_events(membership_for(user=actor, organisation=host.organisation)):
            return
    raise ServiceError(
        _("Only members of the hosting organisations who are not observers can change it."),
        code="forbidden",
    )


def _check_event(event: Event, *, host_ids: list[int]) -> None:
    if not (event.title or "").strip():
        raise ServiceError(_("An event needs a title."), code="title")
    if len(event.title) > TITLE_MAX:
        raise ServiceError(
            _("The title is too long (at most %(n)s characters).") % {"n": TITLE_MAX},
            code="title",
        )
    if len(event.description or "") > DESCRIPTION_MAX:
        raise ServiceError(
            _("The description is too long (at most %(n)s characters).") % {"n": DESCRIPTION_MAX},
            code="description",
        )
    if event.kind not in Event.Kind.values:
        raise ServiceError(_("Unknown kind of event: %s") % event.kind, code="kind")
    if event.audience not in Event.Audience.values:
        raise ServiceError(_("Unknown audience: %s") % event.audience, code="audience")
    if event.starts_at is None or event.ends_at is None:
        raise ServiceError(_("An event needs a start and an end."), code="dates")
    if event.ends_at <= event.starts_at:
        raise ServiceError(_("The event must end after it starts."), code="dates")
    if event.registration_deadline and event.registration_deadline > event.starts_at:
        raise ServiceError(
            _("The registration deadline must not be after the start of the event."),
            code="deadline",
        )
    if event.capacity is not None and event.capacity < 1:
        raise ServiceError(_("The capacity must be at least 1 (or empty for no limit)."))
    if event.price is None or event.price < 0:
        raise ServiceError(_("The price cannot be negative."), code="price")
    if event.online_url:
        try:
            URLValidator(schemes=["http", "https"])(event.online_url)
        except ValidationError as exc:
            raise ServiceError(
                _("The online link is not a valid web address."), code="url"
            ) from exc
    if event.audience == Event.Audience.NETWORK:
        if event.network is None:
            raise ServiceError(
                _("Choose the network whose members the event is for."), code="network"
            )
        if not NetworkParty.objects.filter(
            network=event.network, organisation_id__in=host_ids
        ).exists():
            raise ServiceError(
                _("None of the hosts is a party of %(network)s.") % {"network": event.network},
                code="network",
            )
    if event.responsible_id is not None:
        user = event.responsible
        hosts = Organisation.objects.filter(pk__in=host_ids)
        if not any(membership_for(user=user, organisation=org) for org in hosts):
            raise ServiceError(
                _("%(person)s is not a member of a hosting organisation.") % {"person": user},
                code="responsible",
            )


def _check_shares(shares: list[tuple[Organisation, Decimal]], lead: Organisation) -> None:
    if not shares:
        raise ServiceError(_("An event needs at least one host."), code="shares")
    ids = [org.pk for org, _share in shares]
    if len(set(ids)) != len(ids):
        raise ServiceError(_("An organisation is listed twice as host."), code="shares")
    if lead.pk not in ids:
        raise ServiceError(
            _("%(org)s created the event and must stay a host.") % {"org": lead.name},
            code="shares",
        )
    total = Decimal(0)
    for org, share in shares:
        try:
            share = Decimal(share)
        except (InvalidOperation, TypeError) as exc:
            raise ServiceError(_("A cost share must be a number."), code="shares") from exc
        if share < 0 or share > HUNDRED or share != share.quantize(Decimal("0.01")):
            raise ServiceError(
                _("The cost share of %(org)s must be between 0 and 100 with at most two decimals.")
                % {"org": org.name},
                code="shares",
            )
        total += share
    if total != HUNDRED:
        raise ServiceError(
            _("The cost shares must sum to 100 %%; they sum to %(total)s %%.") % {"total": total},
            code="shares",
        )


def _locked(event: Event) -> Event:
    """The event row, locked until the transaction ends (PostgreSQL; SQLite: see module)."""
    return Event.objects.select_for_update(of=("self",)).get(pk=event.pk)


def _new_token(registration: Registration, purpose: str) -> str:
    raw = secrets.token_urlsafe(32)
    RegistrationToken.objects.create(
        registration=registration, purpose=purpose, token_hash=token_hash(raw)
    )
    return raw


# --- events ----------------------------------------------------------------------------------


def event_create(
    *,
    organisation: Organisation,
    data: dict,
    actor: User | None,
    shares: list[tuple[Organisation, Decimal]] | None = None,
) -> Event:
    """Create a draft event with ``organisation`` as lead host (100 % unless ``shares``)."""
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ServiceError(_("These fields cannot be set: %s") % ", ".join(sorted(unknown)))
    shares = shares or [(organisation, HUNDRED)]
    _check_shares(shares, organisation)
    if actor is not None and not can_manage_events(
        membership_for(user=actor, organisation=organisation)
    ):
        raise ServiceError(
            _("Only members of %(org)s who are not observers can create events.")
            % {"org": organisation.name},
            code="forbidden",
        )
    event = Event(organisation=organisation, created_by=actor, **data)
    if event.price is None:
        event.price = Decimal(0)
    _check_event(event, host_ids=[org.pk for org, _s in shares])
    with transaction.atomic(), organisation_scope(organisation):
        event.save()
        EventHost.objects.bulk_create(
            [EventHost(event=event, organisation=org, share=Decimal(s)) for org, s in shares]
        )
        log_action(
            organisation=organisation,
            actor=actor,
            action="events.event.created",
            obj=event,
            after={**snapshot(event, EVENT_FIELDS), "hosts": _shares_repr(shares)},
        )
    return event


def _shares_repr(shares) -> list[str]:
    return [f"{org.name}: {Decimal(share)} %" for org, share in shares]


def event_update(*, event: Event, data: dict, actor: User | None, base_url: str = "") -> Event:
    """Change an event's details. The capacity cannot go below the confirmed seats; more
    capacity moves the waitlist up at once."""
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ServiceError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic(), organisation_scope(event.organisation):
        event = _locked(event)
        _check_actor(actor, event)
        if event.status == Event.Status.CANCELLED:
            raise ServiceError(_("A cancelled event cannot be changed."), code="state")
        before = snapshot(event, EVENT_FIELDS)
        for name, value in data.items():
            setattr(event, name, value)
        if event.price is None:
            event.price = Decimal(0)
        _check_event(event, host_ids=[h.organisation_id for h in event.hosts.all()])
        confirmed = _confirmed_count(event)
        if event.capacity is not None and event.capacity < confirmed:
            raise ServiceError(
                _(
                    "The capacity cannot be %(capacity)s: %(confirmed)s seats are already "
                    "confirmed. Cancel registrations first, or choose at least %(confirmed)s."
                )
                % {"capacity": event.capacity, "confirmed": confirmed},
                code="capacity",
            )
        after = snapshot(event, EVENT_FIELDS)
        if before != after:
            event.save()
            log_action(
                organisation=event.organisation,
                actor=actor,
                action="events.event.updated",
                obj=event,
                before={k: v for k, v in before.items() if after[k] != v},
                after={k: v for k, v in after.items() if before[k] != v},
            )
            _promote_waitlist(event, base_url=base_url, actor=actor)
    return event


def event_set_hosts(
    *, event: Event, shares: list[tuple[Organisation, Decimal]], actor: User | None
) -> Event:
    """Replace the hosts and their cost shares (which must sum to 100 %)."""
    _check_shares(shares, event.organisation)
    with transaction.atomic(), organisation_scope(event.organisation):
        event = _locked(event)
        _check_actor(actor, event)
        before = _shares_repr([(h.organisation, h.share) for h in event.hosts.all()])
        if event.audience == Event.Audience.NETWORK:
            _check_event(event, host_ids=[org.pk for org, _s in shares])
        EventHost.objects.filter(event=event).delete()
        EventHost.objects.bulk_create(
            [EventHost(event=event, organisation=org, share=Decimal(s)) for org, s in shares]
        )
        after = _shares_repr(shares)
        if before != after:
            log_action(
                organisation=event.organisation,
                actor=actor,
                action="events.event.hosts_changed",
                obj=event,
                before={"hosts": before},
                after={"hosts": after},
            )
    return event


TRANSITIONS = {
    Event.Status.DRAFT: {Event.Status.PUBLISHED, Event.Status.CANCELLED},
    Event.Status.PUBLISHED: {Event.Status.CANCELLED, Event.Status.HELD, Event.Status.DRAFT},
    Event.Status.HELD: set(),
    Event.Status.CANCELLED: set(),
}


def event_change_status(
    *, event: Event, status: str, actor: User | None, base_url: str = "", now=None
) -> Event:
    """draft → published → held or cancelled (a published event without registrations may
    go back to draft). Cancelling e-mails everyone registered; marking an event held sends
    the feedback form to its participants."""
    now = now or timezone.now()
    with transaction.atomic(), organisation_scope(event.organisation):
        event = _locked(event)
        _check_actor(actor, event)
        if status not in TRANSITIONS.get(event.status, set()):
            raise ServiceError(
                _("An event that is %(current)s cannot become %(new)s.")
                % {
                    "current": event.get_status_display(),
                    "new": Event.Status(status).label if status in Event.Status.values else status,
                },
                code="state",
            )
        active = Registration.objects.filter(event=event).exclude(
            status=Registration.Status.CANCELLED
        )
        if status == Event.Status.PUBLISHED and not (event.location or event.online_url):
            raise ServiceError(
                _("Give a place or an online link before publishing."), code="location"
            )
        if status == Event.Status.DRAFT and active.exists():
            raise ServiceError(
                _("People have registered; the event can no longer go back to draft."),
                code="state",
            )
        if status == Event.Status.HELD and event.starts_at > now:
            raise ServiceError(_("An event that has not started cannot be held yet."), code="state")
        before = event.status
        event.status = status
        event.save(update_fields=["status", "updated_at"])
        log_action(
            organisation=event.organisation,
            actor=actor,
            action=f"events.event.{status}",
            obj=event,
            before={"status": before},
            after={"status": status},
        )
        if status == Event.Status.CANCELLED:
            recipients = list(active)
            transaction.on_commit(
                lambda: notifications.send_event_cancelled(
                    event=event, registrations=recipients, base_url=base_url
                )
            )
        if status == Event.Status.HELD:
            _feedback_requests(event, base_url=base_url, actor=actor)
    return event


def event_copy(*, event: Event, actor: User | None, organisation: Organisation) -> Event:
    """A new draft with the same details, hosts and shares (no registrations or costs).

    ``organisation`` (a host of the event) leads the copy."""
    data = {name: getattr(event, name) for name in EVENT_FIELDS}
    shares = [(h.organisation, h.share) for h in event.hosts.all()]
    return event_create(organisation=organisation, data=data, actor=actor, shares=shares)


# --- registrations ---------------------------------------------------------------------------


def _confirmed_count(event: Event) -> int:
    return Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()


def _clean_registrant(name: str, email: str, needs: str, org_number: str):
    name = (name or "").strip()
    email = (email or "").strip()
    needs = (needs or "").strip()
    if not name:
        raise ServiceError(_("Please give your name."), code="name")
    if len(name) > NAME_MAX:
        raise ServiceError(_("The name is too long."), code="name")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ServiceError(
            _("“%(email)s” is not a valid e-mail address.") % {"email": email}, code="email"
        ) from exc
    if len(needs) > NEEDS_MAX:
        raise ServiceError(
            _("Needs: at most %(n)s characters, please.") % {"n": NEEDS_MAX}, code="needs"
        )
    number = normalise_org_number(org_number) if org_number else ""
    if number:
        try:
            validate_org_number(number)
        except ValidationError as exc:
            raise ServiceError(exc.messages[0], code="org_number") from exc
    return name, email, needs, number


def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    company_name: str = "",
    org_number: str = "",
    needs: str = "",
    source: str = Registration.Source.PUBLIC_FORM,
    actor: User | None = None,
    language: str = "nb",
    base_url: str = "",
    now: datetime.datetime | None = None,
) -> Registration:
    """Register a person: a confirmed seat while there is one, else the waitlist.

    Refused for an event that is not published, after the deadline (hosts may still add
    people until the event ends), and for an e-mail address already registered.
    """
    now = now or timezone.now()
    name, email, needs, number = _clean_registrant(name, email, needs, org_number)
    company = Company.objects.filter(org_number=number).first() if number else None
    company_name = (company_name or "").strip()[:300] or (company.name if company else "")
    with transaction.atomic(), organisation_scope(event.organisation):
        event = _locked(event)
        if actor is not None:
            _check_actor(actor, event)
        if event.status != Event.Status.PUBLISHED:
            raise ServiceError(_("This event is not open for registration."), code="closed")
        last_moment = (
            event.ends_at if source == Registration.Source.HOST else (event.effective_deadline)
        )
        if now > last_moment:
            raise ServiceError(
                _("The registration deadline for this event has passed."), code="deadline"
            )
        if (
            Registration.objects.filter(event=event, email__iexact=email)
            .exclude(status=Registration.Status.CANCELLED)
            .exists()
        ):
            raise ServiceError(
                _("%(email)s is already registered for this event.") % {"email": email},
                code="duplicate",
            )
        confirmed = _confirmed_count(event)
        has_seat = event.capacity is None or confirmed < event.capacity
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event,
                    name=name,
                    email=email,
                    company_name=company_name,
                    org_number=number,
                    company=company,
                    needs=needs,
                    status=(
                        Registration.Status.CONFIRMED
                        if has_seat
                        else Registration.Status.WAITLISTED
                    ),
                    source=source,
                    language=language if language in ("nb", "en") else "nb",
                    registered_at=now,
                    confirmed_at=now if has_seat else None,
                    added_by=actor,
                )
        except IntegrityError as exc:  # the same address, registering twice at once
            raise ServiceError(
                _("%(email)s is already registered for this event.") % {"email": email},
                code="duplicate",
            ) from exc
        raw = _new_token(registration, RegistrationToken.Purpose.CANCEL)
        log_action(
            organisation=event.organisation,
            actor=actor,
            action=f"events.registration.{registration.status}",
            obj=registration,
            after={"status": registration.status, "source": source},
        )
        transaction.on_commit(
            lambda: notifications.send_registration_received(
                registration=registration, cancel_token=raw, base_url=base_url
            )
        )
    return registration


def _promote_waitlist(event: Event, *, base_url: str, actor: User | None) -> list[Registration]:
    """Give free seats to the waitlist, first come first served. Call with the event locked."""
    if event.status != Event.Status.PUBLISHED:
        return []
    waiting = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
    if event.capacity is not None:
        free = event.capacity - _confirmed_count(event)
        if free <= 0:
            return []
        waiting = waiting.order_by("registered_at", "id")[:free]
    promoted = []
    now = timezone.now()
    for registration in waiting:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        raw = _new_token(registration, RegistrationToken.Purpose.CANCEL)
        log_action(
            organisation=event.organisation,
            actor=actor,
            action="events.registration.promoted",
            obj=registration,
            before={"status": Registration.Status.WAITLISTED},
            after={"status": Registration.Status.CONFIRMED},
        )
        promoted.append((registration, raw))
    for registration, raw in promoted:
        transaction.on_commit(
            lambda r=registration, t=raw: notifications.send_promoted(
                registration=r, cancel_token=t, base_url=base_url
            )
        )
    return [registration for registration, _raw in promoted]


def _cancel(registration: Registration, *, actor: User | None, base_url: str) -> Registration:
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ServiceError(_("This registration is already cancelled."), code="already_cancelled")
    if event.ends_at <= timezone.now():
        raise ServiceError(
            _("The event is over; the registration cannot be cancelled."), code="over"
        )
    before = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    log_action(
        organisation=event.organisation,
        actor=actor,
        action="events.registration.cancelled",
        obj=registration,
        before={"status": before},
        after={"status": registration.status},
    )
    transaction.on_commit(
        lambda: notifications.send_cancelled(registration=registration, base_url=base_url)
    )
    if before == Registration.Status.CONFIRMED:
        registration.event = event
        _promote_waitlist(event, base_url=base_url, actor=actor)
    return registration


def registration_cancel(
    *, registration: Registration, actor: User | None, base_url: str = ""
) -> Registration:
    """Cancel a registration (by a host); the first on the waitlist moves up."""
    with transaction.atomic(), organisation_scope(registration.event.organisation):
        if actor is not None:
            _check_actor(actor, registration.event)
        return _cancel(registration, actor=actor, base_url=base_url)


def registration_cancel_by_token(*, token: RegistrationToken, base_url: str = "") -> Registration:
    """Cancel by the link in the e-mail. A link used twice changes nothing."""
    registration = token.registration
    with transaction.atomic(), organisation_scope(registration.event.organisation):
        locked = RegistrationToken.objects.select_for_update(of=("self",)).get(pk=token.pk)
        if locked.used_at is not None:
            raise ServiceError(
                _("This link has already been used; the registration is cancelled."),
                code="already_cancelled",
            )
        registration = _cancel(registration, actor=None, base_url=base_url)
        RegistrationToken.objects.filter(
            registration=registration, purpose=RegistrationToken.Purpose.CANCEL
        ).update(used_at=timezone.now())
    return registration


def registration_set_attendance(
    *, registration: Registration, attended: bool, actor: User | None
) -> Registration:
    """Check a confirmed participant in (or undo it)."""
    with transaction.atomic(), organisation_scope(registration.event.organisation):
        _check_actor(actor, registration.event)
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        if registration.status != Registration.Status.CONFIRMED:
            raise ServiceError(_("Only confirmed participants can be checked in."), code="state")
        if registration.event.status not in (Event.Status.PUBLISHED, Event.Status.HELD):
            raise ServiceError(_("Attendance is recorded for published or held events."))
        value = timezone.now() if attended else None
        if (registration.checked_in_at is not None) != attended:
            registration.checked_in_at = value
            registration.save(update_fields=["checked_in_at"])
            log_action(
                organisation=registration.event.organisation,
                actor=actor,
                action="events.registration.checked_in"
                if attended
                else "events.registration.unchecked",
                obj=registration,
            )
    return registration


# --- messages and feedback -------------------------------------------------------------------


def event_message_send(
    *,
    event: Event,
    subject: str,
    body: str,
    include_waitlist: bool,
    actor: User | None,
) -> EventMessage:
    """E-mail everyone confirmed (and the waitlist, if asked) and keep the message."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or not body:
        raise ServiceError(_("A message needs a subject and a text."), code="message")
    if len(subject) > 200 or len(body) > 5000:
        raise ServiceError(_("The message is too long."), code="message")
    with transaction.atomic(), organisation_scope(event.organisation):
        _check_actor(actor, event)
        statuses = [Registration.Status.CONFIRMED]
        if include_waitlist:
            statuses.append(Registration.Status.WAITLISTED)
        recipients = list(Registration.objects.filter(event=event, status__in=statuses))
        if not recipients:
            raise ServiceError(_("Nobody is registered to receive the message."), code="recipients")
        message = EventMessage.objects.create(
            event=event,
            subject=subject,
            body=body,
            include_waitlist=include_waitlist,
            recipient_count=len(recipients),
            sent_by=actor,
        )
        log_action(
            organisation=event.organisation,
            actor=actor,
            action="events.message.sent",
            obj=event,
            after={"subject": subject, "recipients": len(recipients)},
        )
        reply_to = actor.email if actor is not None else ""
        transaction.on_commit(
            lambda: notifications.send_message(
                event=event, message=message, registrations=recipients, reply_to=reply_to
            )
        )
    return message


def _feedback_requests(event: Event, *, base_url: str, actor: User | None) -> int:
    """Send the feedback form to the participants: those checked in, or, when nobody was
    checked in, everyone confirmed. Each gets it once."""
    confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    attended = confirmed.filter(checked_in_at__isnull=False)
    recipients = attended if attended.exists() else confirmed
    recipients = recipients.exclude(tokens__purpose=RegistrationToken.Purpose.FEEDBACK)
    sent = []
    for registration in recipients.distinct():
        sent.append((registration, _new_token(registration, RegistrationToken.Purpose.FEEDBACK)))
    event.feedback_requested_at = timezone.now()
    event.save(update_fields=["feedback_requested_at"])
    for registration, raw in sent:
        transaction.on_commit(
            lambda r=registration, t=raw: notifications.send_feedback_request(
                registration=r, token=t, base_url=base_url
            )
        )
    if sent:
        log_action(
            organisation=event.organisation,
            actor=actor,
            action="events.feedback.requested",
            obj=event,
            after={"recipients": len(sent)},
        )
    return len(sent)


def feedback_requests_send(*, event: Event, actor: User | None, base_url: str = "") -> int:
    """Send the feedback form (again) to participants who have not had it; held events only."""
    with transaction.atomic(), organisation_scope(event.organisation):
        event = _locked(event)
        _check_actor(actor, event)
        if event.status != Event.Status.HELD:
            raise ServiceError(_("Feedback is asked for after the event is held."), code="state")
        return _feedback_requests(event, base_url=base_url, actor=actor)


def feedback_submit(*, token: RegistrationToken, score, comment: str) -> Feedback:
    """A participant's answer by the link in the e-mail; once per registration."""
    try:
        score = int(score)
    except (TypeError, ValueError) as exc:
        raise ServiceError(_("Choose a score from 1 to 5."), code="score") from exc
    if not 1 <= score <= 5:
        raise ServiceError(_("Choose a score from 1 to 5."), code="score")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ServiceError(
            _("The comment is too long (at most %(n)s characters).") % {"n": COMMENT_MAX},
            code="comment",
        )
    registration = token.registration
    with transaction.atomic(), organisation_scope(registration.event.organisation):
        if Feedback.objects.filter(registration=registration).exists():
            raise ServiceError(
                _("Thank you — your feedback is already recorded."), code="duplicate"
            )
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    registration=registration, score=score, comment=comment
                )
        except IntegrityError as exc:
            raise ServiceError(
                _("Thank you — your feedback is already recorded."), code="duplicate"
            ) from exc
        RegistrationToken.objects.filter(pk=token.pk).update(used_at=timezone.now())
    return feedback


# --- costs -----------------------------------------------------------------------------------


def cost_line_add(*, event: Event, description: str, amount, actor: User | None) -> CostLine:
    description = (description or "").strip()
    if not description or len(description) > 200:
        raise ServiceError(_("Describe the cost in at most 200 characters."), code="description")
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, TypeError) as exc:
        raise ServiceError(_("The amount must be a number."), code="amount") from exc
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e10"):
        raise ServiceError(
            _("The amount must be more than 0 kr, with at most two decimals."), code="amount"
        )
    with transaction.atomic(), organisation_scope(event.organisation):
        _check_actor(actor, event)
        line = CostLine.objects.create(
            event=event, description=description, amount=amount, created_by=actor
        )
        log_action(
            organisation=event.organisation,
            actor=actor,
            action="events.cost.added",
            obj=line,
            after={"description": description, "amount": str(amount)},
        )
    return line


def cost_line_delete(*, line: CostLine, actor: User | None) -> None:
    event = line.event
    with transaction.atomic(), organisation_scope(event.organisation):
        _check_actor(actor, event)
        log_action(
            organisation=event.organisation,
            actor=actor,
            action="events.cost.deleted",
            obj=line,
            before={"description": line.description, "amount": str(line.amount)},
        )
        line.delete()


# --- private feed links ----------------------------------------------------------------------


def feed_token_create(
    *, organisation: Organisation, network: Network, name: str, actor: User | None
) -> tuple[FeedToken, str]:
    """A private feed URL of ``network``'s internal calendar; the secret is returned once."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ServiceError(_("Name the link (at most 100 characters)."), code="name")
    if not NetworkParty.objects.filter(network=network, organisation=organisation).exists():
        raise ServiceError(_("Your organisation is not a party of this network."), code="network")
    raw = "kbf_" + secrets.token_urlsafe(32)
    with transaction.atomic(), organisation_scope(organisation):
        token = FeedToken.objects.create(
            organisation=organisation,
            network=network,
            name=name,
            token_hash=token_hash(raw),
            prefix=raw[4:12],
            created_by=actor,
        )
        log_action(
            organisation=organisation,
            actor=actor,
            action="events.feed_link.created",
            obj=token,
            after={"network": network.name, "name": name},
        )
    return token, raw


def feed_token_revoke(*, token: FeedToken, actor: User | None) -> None:
    with transaction.atomic(), organisation_scope(token.organisation):
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            log_action(
                organisation=token.organisation,
                actor=actor,
                action="events.feed_link.revoked",
                obj=token,
            )


def feed_token_touch(*, token: FeedToken) -> None:
    """Note when a private feed was last fetched (at most once a minute: feeds are polled)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        with organisation_scope(token.organisation):
            FeedToken.objects.filter(pk=token.pk).update(last_used_at=now)


# --- personal data ---------------------------------------------------------------------------

ERASED_NAME = "–"


def registrant_erase(
    *, organisation: Organisation, email: str, actor: User | None
) -> dict[str, int]:
    """Erase a person on their request: their registrations in the events ``organisation``
    hosts and — through ``core.erasure`` — what the organisation's other apps keep under
    the address (contact persons, survey links). Returns the number of rows erased per
    eraser (``event_registrations``, ``contact_persons``, ``survey_links``)."""
    email = (email or "").strip()
    if not email:
        raise ServiceError(_("Give the e-mail address of the person."), code="email")
    if actor is not None and not can_manage_events(
        membership_for(user=actor, organisation=organisation)
    ):
        raise ServiceError(_("Observers cannot erase personal data."), code="forbidden")
    return erase_person(organisation=organisation, email=email, actor=actor)


def registrations_erase(*, organisation: Organisation, email: str, actor: User | None) -> int:
    """The registrations' eraser (registered with core.erasure): pseudonymise every
    registration with ``email`` in the events ``organisation`` hosts. The rows stay, so
    counts, attendance, feedback scores and the audit log keep adding up; links stop
    working."""
    with transaction.atomic(), organisation_scope(organisation):
        registrations = list(
            Registration.objects.select_for_update(of=("self",))
            .filter(email__iexact=email)
            .select_related("event")
        )
        for registration in registrations:
            registration.name = ERASED_NAME
            registration.email = f"erased-{registration.pk}@erased.invalid"
            registration.company_name = ""
            registration.org_number = ""
            registration.company = None
            registration.needs = ""
            registration.save(
                update_fields=["name", "email", "company_name", "org_number", "company", "needs"]
            )
            Feedback.objects.filter(registration=registration).update(comment="")
            RegistrationToken.objects.filter(registration=registration).delete()
            log_action(
                organisation=organisation,
                actor=actor,
                action="events.registrant.erased",
                obj=registration,
                after={"event": registration.event_id},
            )
    return len(registrations)
