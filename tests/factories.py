"""factory_boy factories shared by every app's tests."""

import factory
from stdnum.no import orgnr

from koblingsboks.network.models import (
    CooperationArea,
    Invitation,
    Membership,
    Municipality,
    Network,
    NetworkParty,
    Organisation,
    Role,
    User,
)


def _valid_org_number(n: int) -> str:
    """The n-th invented org.nr with a valid check digit, in a range no demo data uses."""
    base = 810_000_000 + n * 10
    for candidate in range(base, base + 10):
        if orgnr.is_valid(str(candidate)):
            return str(candidate)
    return _valid_org_number(n + 100_000)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.BUSINESS_GARDEN
    name = factory.Sequence(lambda n: f"Testhagen {n}")
    slug = factory.Sequence(lambda n: f"testhagen-{n}")
    org_number = factory.Sequence(_valid_org_number)
    postal_place = "Trondheim"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@test.example")
    full_name = factory.Sequence(lambda n: f"Person Nummer{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.ADVISOR


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Testnettverket {n}")
    slug = factory.Sequence(lambda n: f"testnettverket-{n}")
    agreement_title = "Samarbeidsavtale"


class NetworkPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkParty

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class CooperationAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationArea

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Område {n}")


def municipality(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


__all__ = [
    "CooperationAreaFactory",
    "Invitation",
    "MembershipFactory",
    "NetworkFactory",
    "NetworkPartyFactory",
    "OrganisationFactory",
    "UserFactory",
    "municipality",
]


# --- companies: register companies and their key figures (portfolio helper) ---------------

import datetime as _dt  # noqa: E402
from decimal import Decimal as _Decimal  # noqa: E402

from koblingsboks.companies.models import Company, KeyFigures  # noqa: E402


def _valid_company_org_number(n: int) -> str:
    """The n-th invented company org.nr with a valid check digit (a range of its own)."""
    base = 830_000_000 + n * 10
    for candidate in range(base, base + 10):
        if orgnr.is_valid(str(candidate)):
            return str(candidate)
    return _valid_company_org_number(n + 1_000_000)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    org_number = factory.Sequence(_valid_company_org_number)
    name = factory.Sequence(lambda n: f"TESTBEDRIFT {n} AS")
    organisation_form = "AS"
    nace_code = "62.100"
    nace_description = "Programmeringstjenester"
    municipality_number = "5059"
    municipality_name = "ORKLAND"
    founded_on = _dt.date(2015, 3, 1)
    registered_on = _dt.date(2015, 3, 10)


class KeyFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigures

    company = factory.SubFactory(CompanyFactory)
    year = 2024
    period_start = factory.LazyAttribute(lambda o: _dt.date(o.year, 1, 1))
    period_end = factory.LazyAttribute(lambda o: _dt.date(o.year, 12, 31))
    turnover = _Decimal("1000000")
    operating_result = _Decimal("100000")
    personnel_costs = _Decimal("400000")
    source = KeyFigures.Source.ACCOUNTS_REGISTER


__all__ += ["CompanyFactory", "KeyFiguresFactory"]


BRREG_SAMPLE = "/work/shared/data/brreg/enheter_sample.json"


def company_from_register_entity(entity: dict) -> Company:
    """A Company from one entity of the register's bulk file, by a deliberately simple
    mapping (the real importer is companies/register/); saved, or updated if it exists."""

    def day(value):
        return _dt.date.fromisoformat(value) if value else None

    address = entity.get("forretningsadresse") or {}
    nace = entity.get("naeringskode1") or {}
    form = entity.get("organisasjonsform") or {}
    company, _created = Company.objects.update_or_create(
        org_number=entity["organisasjonsnummer"],
        defaults={
            "name": entity["navn"],
            "organisation_form": form.get("kode", ""),
            "organisation_form_description": form.get("beskrivelse", ""),
            "nace_code": nace.get("kode", ""),
            "nace_description": nace.get("beskrivelse", ""),
            "municipality_number": address.get("kommunenummer", ""),
            "municipality_name": address.get("kommune", ""),
            "business_address": ", ".join(line for line in address.get("adresse", []) if line),
            "business_postal_code": address.get("postnummer", ""),
            "business_postal_place": address.get("poststed", ""),
            "business_country_code": address.get("landkode", ""),
            "founded_on": day(entity.get("stiftelsesdato")),
            "registered_on": day(entity.get("registreringsdatoEnhetsregisteret")),
            "employees": entity.get("antallAnsatte"),
            "has_registered_employees": entity.get("harRegistrertAntallAnsatte", False),
            "is_bankrupt": entity.get("konkurs", False),
            "bankrupt_on": day(entity.get("konkursdato")),
            "is_under_liquidation": entity.get("underAvvikling", False),
            "liquidation_on": day(entity.get("underAvviklingDato")),
            "is_under_forced_liquidation": entity.get(
                "underTvangsavviklingEllerTvangsopplosning", False
            ),
            "website": entity.get("hjemmeside", ""),
        },
    )
    return company


def companies_from_register_sample(path: str = BRREG_SAMPLE) -> list[Company]:
    """The 40 entities of the shared bulk-file sample as Company rows."""
    import json

    with open(path, encoding="utf-8") as sample:
        return [company_from_register_entity(entity) for entity in json.load(sample)]


__all__ += ["companies_from_register_sample", "company_from_register_entity"]
