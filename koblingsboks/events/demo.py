"""Demo events of the four demo gardens (network/demo.py): past events that were held (with
attendance and feedback), and upcoming ones — some co-hosted with cost shares and costs,
one full with a waitlist, a network meeting, an internal breakfast and a webinar.

Dates are relative to the day the demo is loaded, so "upcoming" stays upcoming. Idempotent:
an event is found again by its lead host and title, and a second run creates nothing.
Registrations are written directly (no e-mails while loading a demo); private rows are
written inside the lead host's organisation scope, so no scope is disabled here.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.events.models import CostLine, Event, Feedback, Registration
from koblingsboks.events.services import event_change_status, event_create
from koblingsboks.network.demo import EMAIL_LOCAL_PART, GARDENS, NETWORK
from koblingsboks.network.models import Network, Organisation, Role, User

KYST, ORKDAL, NASJONALPARKEN, ROROS = (garden.org_number for garden in GARDENS)

PEOPLE = [
    ("Anne Strand", "Strand Sjømat AS"),
    ("Bjørn Aasen", "Aasen Bygg AS"),
    ("Camilla Berg", "Bergtind Reiseliv AS"),
    ("Dag Hoel", "Hoel Mekaniske AS"),
    ("Eva Lien", "Lien Design"),
    ("Frode Vik", "Vik Havbruk AS"),
    ("Guro Nes", "Nes Gårdsmat"),
    ("Håkon Dahl", "Dahl Data AS"),
    ("Ida Rønning", "Rønning Regnskap AS"),
    ("Jonas Fjell", "Fjell Elektro AS"),
]
COMMENTS = [
    "Svært nyttig, gode eksempler fra egen region.",
    "Bra innhold, men litt for lite tid til spørsmål.",
    "Fint å møte andre bedrifter med samme utfordringer.",
    "",
]


@dataclass
class DemoEvent:
    lead: str
    title: str
    kind: str
    audience: str
    days: int  # from today; negative: in the past
    hour: int
    hours: int
    location: str
    capacity: int | None
    price: str
    description: str
    co_hosts: tuple[tuple[str, str], ...] = ()  # (org.nr, share); the lead gets the rest
    registrations: int = 0
    costs: tuple[tuple[str, str], ...] = ()
    online_url: str = ""
    status: str = Event.Status.PUBLISHED
    feedback: list[int] = field(default_factory=list)


EVENTS = [
    DemoEvent(
        KYST,
        "Eksport til EU for sjømatbedrifter",
        Event.Kind.SEMINAR,
        Event.Audience.PUBLIC,
        days=-40,
        hour=9,
        hours=4,
        location="Hitra næringshage, Fillan",
        capacity=40,
        price="0",
        registrations=8,
        feedback=[5, 4, 4, 5, 3],
        co_hosts=((ORKDAL, "40"),),
        costs=(("Foredragsholder", "8000"), ("Lunsj", "2450.50")),
        description="Tollregler, sertifisering og logistikk for eksport av sjømat.",
        status=Event.Status.HELD,
    ),
    DemoEvent(
        NASJONALPARKEN,
        "Styrekurs for gründere",
        Event.Kind.COURSE,
        Event.Audience.PUBLIC,
        days=-12,
        hour=10,
        hours=6,
        location="Oppdal kulturhus",
        capacity=20,
        price="950",
        registrations=6,
        feedback=[4, 5, 4],
        status=Event.Status.HELD,
        description="Hva et aktivt styre kan gjøre for en ung bedrift. **Med lunsj.**",
    ),
    DemoEvent(
        ORKDAL,
        "Frokostmøte: finansiering av vekst",
        Event.Kind.SEMINAR,
        Event.Audience.PUBLIC,
        days=9,
        hour=8,
        hours=2,
        location="Orkanger, Orkdalsveien 10",
        capacity=5,
        price="0",
        registrations=7,
        co_hosts=((KYST, "33.33"), (NASJONALPARKEN, "33.33")),
        costs=(("Frokost", "1500"), ("Lokale", "1000")),
        description="Innovasjon Norge, banken og en investor om hvordan vekst finansieres.\n\n"
        "- Lån og garantier\n- Tilskudd\n- Egenkapital",
    ),
    DemoEvent(
        ROROS,
        "Nettverkssamling for rådgiverne",
        Event.Kind.NETWORK_MEETING,
        Event.Audience.NETWORK,
        days=16,
        hour=10,
        hours=24,
        location="Røros hotell",
        capacity=16,
        price="0",
        registrations=6,
        co_hosts=((KYST, "25"), (ORKDAL, "25"), (NASJONALPARKEN, "25")),
        costs=(("Overnatting", "18400"), ("Møterom og mat", "9600")),
        description="To dager om felles metodikk, kapasitetsdeling og arrangementer.",
    ),
    DemoEvent(
        KYST,
        "Webinar: digital markedsføring",
        Event.Kind.WEBINAR,
        Event.Audience.PUBLIC,
        days=23,
        hour=12,
        hours=1,
        location="",
        capacity=None,
        price="0",
        registrations=4,
        online_url="https://webinar.example/kyst-markedsforing",
        description="Lunsjwebinar om annonsering i sosiale medier for små bedrifter.",
    ),
    DemoEvent(
        NASJONALPARKEN,
        "Internt frokostmøte",
        Event.Kind.OTHER,
        Event.Audience.ORGANISATION,
        days=5,
        hour=8,
        hours=1,
        location="Kontoret",
        capacity=12,
        price="0",
        description="Status i porteføljen og planer for våren.",
    ),
    DemoEvent(
        ROROS,
        "Kurs i prosjektledelse (utkast)",
        Event.Kind.COURSE,
        Event.Audience.PUBLIC,
        days=45,
        hour=9,
        hours=6,
        location="Røros",
        capacity=15,
        price="1500",
        description="Utkast – programmet kommer.",
        status=Event.Status.DRAFT,
    ),
]


def _org(org_number: str) -> Organisation:
    return Organisation.objects.get(org_number=org_number)


def _admin(organisation: Organisation) -> User | None:
    garden = next(g for g in GARDENS if g.org_number == organisation.org_number)
    return User.objects.filter(email=f"{EMAIL_LOCAL_PART[Role.ADMIN]}@{garden.mail_domain}").first()


def load_app_demo() -> int:
    """Create the demo events that are missing; returns how many rows were created."""
    created = 0
    if not Organisation.objects.filter(org_number=KYST).exists():
        return 0
    network = Network.objects.filter(slug=NETWORK["slug"]).first()
    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    for spec in EVENTS:
        lead = _org(spec.lead)
        with transaction.atomic(), organisation_scope(lead):
            if Event.objects.filter(organisation=lead, title=spec.title).exists():
                continue
            created += _create(spec, lead, network, today)
    return created


def _create(spec: DemoEvent, lead: Organisation, network, today) -> int:
    starts = (today + datetime.timedelta(days=spec.days)).replace(hour=spec.hour)
    shares = [(_org(number), Decimal(share)) for number, share in spec.co_hosts]
    shares.insert(0, (lead, Decimal(100) - sum((s for _o, s in shares), Decimal(0))))
    actor = _admin(lead)
    event = event_create(
        organisation=lead,
        data={
            "title": spec.title,
            "kind": spec.kind,
            "description": spec.description,
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=spec.hours),
            "location": spec.location,
            "online_url": spec.online_url,
            "capacity": spec.capacity,
            "price": Decimal(spec.price),
            "audience": spec.audience,
            "network": network if spec.audience == Event.Audience.NETWORK else None,
            "responsible": actor,
        },
        actor=actor,
        shares=shares,
    )
    rows = 1 + len(shares)
    if spec.status == Event.Status.DRAFT:
        return rows
    event = event_change_status(event=event, status=Event.Status.PUBLISHED, actor=actor)
    for description, amount in spec.costs:
        CostLine.objects.create(
            event=event, description=description, amount=Decimal(amount), created_by=actor
        )
        rows += 1
    registrations = []
    for n in range(spec.registrations):
        name, company = PEOPLE[n % len(PEOPLE)]
        confirmed = spec.capacity is None or n < spec.capacity
        registered = starts - datetime.timedelta(days=20 - n)
        local = name.lower().replace(" ", ".").replace("ø", "o").replace("å", "a")
        registrations.append(
            Registration.objects.create(
                event=event,
                name=name,
                email=f"{local}@bedrift.example",
                company_name=company,
                needs="Vegetar" if n % 4 == 1 else "",
                status=Registration.Status.CONFIRMED
                if confirmed
                else Registration.Status.WAITLISTED,
                registered_at=registered,
                confirmed_at=registered if confirmed else None,
                checked_in_at=starts if spec.status == Event.Status.HELD and n % 5 else None,
            )
        )
        rows += 1
    for registration, score in zip(registrations, spec.feedback, strict=False):
        Feedback.objects.create(
            registration=registration, score=score, comment=COMMENTS[score % len(COMMENTS)]
        )
        rows += 1
    if spec.status == Event.Status.HELD:
        # Straight to held: the demo sends no feedback e-mails.
        Event.objects.filter(pk=event.pk).update(
            status=Event.Status.HELD, feedback_requested_at=starts + datetime.timedelta(days=1)
        )
    return rows
