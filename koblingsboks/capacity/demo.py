"""Demo capacity between the four Sør-Trøndelag gardens (manage.py load_demo): offers,
requests, bookings with hours logged last month, and one open settlement.

Runs after the people demo (INSTALLED_APPS order), whose competences it uses.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from koblingsboks.capacity.models import CapacityOffer, Settlement
from koblingsboks.capacity.services import (
    booking_accept,
    booking_propose,
    offer_create,
    request_create,
    settlement_open,
    time_entry_log,
)
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.demo import EMAIL_LOCAL_PART, GARDENS
from koblingsboks.network.models import Organisation, Role, User
from koblingsboks.people.models import Competence

HITRA = "trondersk-kystkompetanse"
ORKDAL = "naeringshagen-i-orkdalsregionen"
OPPDAL = "nasjonalparken-naeringshage"
ROROS = "rorosregionen-naeringshage"


def _user(slug: str, role: str) -> User:
    garden = next(garden for garden in GARDENS if garden.slug == slug)
    return User.objects.get(email=f"{EMAIL_LOCAL_PART[role]}@{garden.mail_domain}")


def _competences(*names: str) -> list[Competence]:
    return list(Competence.objects.filter(name_nb__in=names))


def _offer(org, *, title, description, competences, hours, rate, person=True) -> CapacityOffer:
    today = timezone.localdate()
    with organisation_scope(org):
        return offer_create(
            organisation=org,
            person=_user(org.slug, Role.ADVISOR) if person else None,
            title=title,
            description=description,
            competences=_competences(*competences),
            hours=Decimal(hours),
            period_start=today.replace(day=1) - datetime.timedelta(days=62),
            period_end=today + datetime.timedelta(days=120),
            hourly_rate=Decimal(rate),
            actor=_user(org.slug, Role.MANAGER),
        )


def _request(org, *, title, need, competences, hours):
    today = timezone.localdate()
    with organisation_scope(org):
        return request_create(
            organisation=org,
            title=title,
            need=need,
            competences=_competences(*competences),
            hours=Decimal(hours),
            window_start=today.replace(day=1) - datetime.timedelta(days=45),
            window_end=today + datetime.timedelta(days=90),
            actor=_user(org.slug, Role.ADVISOR),
        )


def _book(request, offer, hours, *, accept=True):
    with organisation_scope(request.organisation):
        booking = booking_propose(
            request=request,
            offer=offer,
            hours=Decimal(hours),
            message="Hei! Kan dere hjelpe oss med dette?",
            actor=request.created_by,
        )
    if accept:
        with organisation_scope(offer.organisation):
            booking = booking_accept(
                booking=booking,
                organisation=offer.organisation,
                actor=_user(offer.organisation.slug, Role.MANAGER),
            )
    return booking


def _log(booking, entries) -> int:
    provider = booking.provider
    worker = booking.person or _user(provider.slug, Role.ADVISOR)
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    with organisation_scope(provider):
        for day, hours, text in entries:
            time_entry_log(
                booking=booking,
                organisation=provider,
                date=last_month.replace(day=day),
                hours=Decimal(hours),
                description=text,
                actor=worker,
            )
    return len(entries)


@transaction.atomic
def load_app_demo() -> int:
    """Idempotent: nothing is created when the demo offers exist already."""
    gardens = {
        org.slug: org
        for org in Organisation.objects.filter(slug__in=[HITRA, ORKDAL, OPPDAL, ROROS])
    }
    if len(gardens) < 4 or not Competence.objects.exists():
        return 0
    with organisation_scope(gardens[HITRA]):
        if CapacityOffer.objects.filter(title="Eksportrådgivning for sjømat og mat").exists():
            return 0
    export = _offer(
        gardens[HITRA],
        title="Eksportrådgivning for sjømat og mat",
        description="Tolldokumenter, opprinnelsesregler og veterinærattester.",
        competences=["Eksportregelverk og toll", "Sjømateksport", "Markedsanalyse utland"],
        hours="40",
        rate="950",
    )
    funding = _offer(
        gardens[ORKDAL],
        title="SkatteFUNN- og Innovasjon Norge-søknader",
        description="Fra idé til innsendt søknad, med budsjett.",
        competences=["SkatteFUNN", "Innovasjon Norge-søknader"],
        hours="30",
        rate="900",
    )
    tourism = _offer(
        gardens[OPPDAL],
        title="Reiselivspakker og digital markedsføring",
        description="Produktutvikling og synlighet på nett for opplevelsesbedrifter.",
        competences=["Reiseliv og opplevelser", "Digital markedsføring", "Netthandel"],
        hours="25",
        rate="850",
    )
    _offer(
        gardens[ROROS],
        title="Lokalmat og håndverk – fra gårdsbutikk til netthandel",
        description="Erfaringer fra Rørosmat-nettverket.",
        competences=["Forretningsmodeller", "Netthandel"],
        hours="15",
        rate="800",
        person=False,
    )
    export_request = _request(
        gardens[ROROS],
        title="Eksport av spekemat til Tyskland",
        need="En produsent av spekemat vil selge til Tyskland og trenger hjelp med toll og "
        "regelverk for kjøttprodukter.",
        competences=["Eksportregelverk og toll", "Markedsanalyse utland"],
        hours="12",
    )
    funding_request = _request(
        gardens[HITRA],
        title="SkatteFUNN for ny fôrteknologi",
        need="En havbruksleverandør skal søke SkatteFUNN for et utviklingsprosjekt.",
        competences=["SkatteFUNN"],
        hours="8",
    )
    tourism_request = _request(
        gardens[ROROS],
        title="Vinterpakker for reiselivsbedrifter",
        need="Tre reiselivsbedrifter vil lage felles vinterpakker.",
        competences=["Reiseliv og opplevelser"],
        hours="10",
    )
    created = 7
    booking = _book(export_request, export, "12")
    created += 1 + _log(
        booking,
        [
            (4, "3", "Gjennomgang av tollregler for kjøttprodukter"),
            (11, "2.5", "Møte med importør i Hamburg (digitalt)"),
            (18, "2", "Dokumentasjon og attester"),
        ],
    )
    booking = _book(funding_request, funding, "8")
    created += 1 + _log(booking, [(7, "4", "Søknadsutkast SkatteFUNN")])
    _book(tourism_request, tourism, "10", accept=False)
    created += 1
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    with organisation_scope(gardens[HITRA]):
        settlement_open(
            organisation=gardens[HITRA],
            counterpart=gardens[ROROS],
            kind=Settlement.Kind.MONTH,
            year=last_month.year,
            number=last_month.month,
            actor=_user(HITRA, Role.MANAGER),
        )
    return created + 1
