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
