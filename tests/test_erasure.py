"""A person's erasure on their request reaches every app of the organisation that keeps
their address — contact persons, event registrations, survey links — in one go, whichever
page takes the request, and never another organisation's data."""

import datetime

import pytest
from django_scopes import scopes_disabled

from koblingsboks.companies.contacts import contact_person_add, contact_person_erase
from koblingsboks.companies.models import ContactPerson
from koblingsboks.companies.services import affiliation_create
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.events import services as event_services
from koblingsboks.events.models import Registration
from koblingsboks.events.tests.factories import make_event
from koblingsboks.reporting.models import SurveyInvitation
from koblingsboks.reporting.services import survey_create, survey_send
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db
KARI = "kari@fjordfisk.example"


def _kari_everywhere(tenant, company):
    """Kari as a contact person, an event registrant and a survey recipient of ``tenant``."""
    with organisation_scope(tenant.organisation):
        affiliation_create(
            organisation=tenant.organisation,
            company=company,
            kind="target",
            start_date=datetime.date(2024, 1, 1),
            end_date=None,
            phase="active",
            responsible_advisor=None,
            actor=tenant.admin,
        )
        contact_person_add(
            organisation=tenant.organisation,
            company=company,
            data={"name": "Kari Nordmann", "email": KARI},
            actor=tenant.admin,
        )
        survey = survey_create(
            organisation=tenant.organisation, year=2024, title="Tilfredshet", actor=tenant.admin
        )
        survey_send(
            survey=survey,
            recipients=[(company, KARI)],
            actor=tenant.admin,
            base_url="http://testserver/",
        )
    event = make_event(tenant.organisation, title=f"Kurs hos {tenant.organisation.name}")
    event_services.registration_create(event=event, name="Kari Nordmann", email=KARI)


def _what_is_kept():
    with scopes_disabled():
        return {
            "contacts": sorted(
                ContactPerson.objects.filter(email=KARI).values_list("organisation_id", flat=True)
            ),
            "registrations": sorted(
                Registration.objects.filter(email=KARI).values_list(
                    "event__organisation_id", flat=True
                )
            ),
            "survey_links": sorted(
                SurveyInvitation.objects.filter(email=KARI).values_list(
                    "organisation_id", flat=True
                )
            ),
        }


@pytest.mark.parametrize("through", ["contact persons", "events page"])
def test_erasing_a_person_erases_them_in_every_app_of_the_organisation_only(
    tenant_a, tenant_b, through
):
    company = CompanyFactory()
    _kari_everywhere(tenant_a, company)
    _kari_everywhere(tenant_b, company)
    a, b = tenant_a.organisation.pk, tenant_b.organisation.pk
    assert _what_is_kept() == {"contacts": [a, b], "registrations": [a, b], "survey_links": [a, b]}

    if through == "contact persons":
        erased = contact_person_erase(
            organisation=tenant_a.organisation, email="KARI@fjordfisk.example", actor=tenant_a.admin
        )
    else:
        erased = event_services.registrant_erase(
            organisation=tenant_a.organisation, email="KARI@fjordfisk.example", actor=tenant_a.admin
        )

    if through == "contact persons":
        assert erased == 1
    else:
        assert erased == {"contact_persons": 1, "event_registrations": 1, "survey_links": 1}
    assert _what_is_kept() == {"contacts": [b], "registrations": [b], "survey_links": [b]}


def test_an_observer_erases_nothing_anywhere(tenant_a):
    company = CompanyFactory()
    _kari_everywhere(tenant_a, company)
    before = _what_is_kept()
    for erase in (contact_person_erase, event_services.registrant_erase):
        with pytest.raises(ServiceError):
            erase(organisation=tenant_a.organisation, email=KARI, actor=tenant_a.observer)
    assert _what_is_kept() == before
