"""Helpers that build capacity data through the services (so the rules hold in tests too)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from koblingsboks.capacity.services import (
    booking_accept,
    booking_propose,
    offer_create,
    request_create,
)
from koblingsboks.core.tenancy import organisation_scope


def make_offer(tenant, *, hours="10", rate="900", person=None, competences=(), days=90, **extra):
    today = timezone.localdate()
    with organisation_scope(tenant.organisation):
        return offer_create(
            organisation=tenant.organisation,
            person=person if person is not None else tenant.advisor,
            title=extra.pop("title", "Eksportrådgivning"),
            description=extra.pop("description", "Toll, opprinnelsesregler og dokumentasjon."),
            competences=competences,
            hours=Decimal(hours),
            period_start=extra.pop("period_start", today - datetime.timedelta(days=60)),
            period_end=extra.pop("period_end", today + datetime.timedelta(days=days)),
            hourly_rate=Decimal(rate),
            actor=tenant.manager,
        )


def make_request(tenant, *, hours="10", company=None, share_company=False, competences=()):
    today = timezone.localdate()
    with organisation_scope(tenant.organisation):
        return request_create(
            organisation=tenant.organisation,
            title="Hjelp med eksport",
            need="En kunde skal eksportere sjømat til Japan.",
            competences=competences,
            hours=Decimal(hours),
            window_start=today - datetime.timedelta(days=60),
            window_end=today + datetime.timedelta(days=60),
            company=company,
            share_company=share_company,
            actor=tenant.advisor,
        )


def make_booking(requester, provider, *, hours="4", offer=None, request=None, accept=False):
    offer = offer or make_offer(provider)
    request = request or make_request(requester)
    with organisation_scope(requester.organisation):
        booking = booking_propose(
            request=request, offer=offer, hours=Decimal(hours), actor=requester.advisor
        )
    if accept:
        with organisation_scope(provider.organisation):
            booking = booking_accept(
                booking=booking, organisation=provider.organisation, actor=provider.manager
            )
    return booking
