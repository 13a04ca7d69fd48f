"""Demo data: the alliance of four business gardens in Sør-Trøndelag.

Names of people, e-mail addresses and organisation numbers are invented (the numbers have
valid check digits). Loading is idempotent: a second run changes nothing. The loader spans
every organisation, so it runs with the scope disabled (listed in SCOPE_DISABLING_ALLOWED).
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django_scopes import scopes_disabled

from koblingsboks.network.models import (
    CooperationArea,
    Membership,
    Municipality,
    Network,
    NetworkParty,
    Organisation,
    Role,
    User,
)

DEMO_PASSWORD = "koblingsboks-demo"  # noqa: S105 - documented demo password, demo data only


@dataclass(frozen=True)
class DemoGarden:
    slug: str
    name: str
    org_number: str
    municipalities: tuple[str, ...]
    street_address: str
    postal_code: str
    postal_place: str
    mail_domain: str
    people: tuple[tuple[str, str], ...]  # (role, full name), one per role


GARDENS = (
    DemoGarden(
        slug="trondersk-kystkompetanse",
        name="Trøndersk Kystkompetanse",
        org_number="921001371",
        municipalities=("5056", "5014"),
        street_address="Fillvegen 1",
        postal_code="7240",
        postal_place="Hitra",
        mail_domain="kystkompetanse.example",
        people=(
            (Role.ADMIN, "Ingrid Havbakken"),
            (Role.MANAGER, "Ola Sjøstrøm"),
            (Role.ADVISOR, "Siri Holmvik"),
            (Role.OBSERVER, "Per Skjærgård"),
        ),
    ),
    DemoGarden(
        slug="naeringshagen-i-orkdalsregionen",
        name="Næringshagen i Orkdalsregionen",
        org_number="921002742",
        municipalities=("5059", "5029"),
        street_address="Orkdalsveien 10",
        postal_code="7300",
        postal_place="Orkanger",
        mail_domain="orkdalsregionen.example",
        people=(
            (Role.ADMIN, "Marit Elvedal"),
            (Role.MANAGER, "Knut Bråten"),
            (Role.ADVISOR, "Hanne Lia"),
            (Role.OBSERVER, "Eirik Moen"),
        ),
    ),
    DemoGarden(
        slug="nasjonalparken-naeringshage",
        name="Nasjonalparken Næringshage",
        org_number="921004117",
        municipalities=("5021", "5022"),
        street_address="Inge Krokanns veg 3",
        postal_code="7340",
        postal_place="Oppdal",
        mail_domain="nasjonalparken.example",
        people=(
            (Role.ADMIN, "Randi Fjellstad"),
            (Role.MANAGER, "Arne Dovreli"),
            (Role.ADVISOR, "Tone Snøhetta"),
            (Role.OBSERVER, "Lars Trollheim"),
        ),
    ),
    DemoGarden(
        slug="rorosregionen-naeringshage",
        name="Rørosregionen Næringshage",
        org_number="921005482",
        municipalities=("5025", "5026"),
        street_address="Kjerkgata 2",
        postal_code="7374",
        postal_place="Røros",
        mail_domain="rorosregionen.example",
        people=(
            (Role.ADMIN, "Berit Glåmos"),
            (Role.MANAGER, "Jon Hitterdal"),
            (Role.ADVISOR, "Kristin Aursund"),
            (Role.OBSERVER, "Nils Feragen"),
        ),
    ),
)

PROGRAMME_OWNER = {
    "slug": "siva",
    "name": "Siva – Selskapet for industrivekst (demo)",
    "org_number": "921006853",
    "street_address": "Postboks 1253 Torgard",
    "postal_code": "7462",
    "postal_place": "Trondheim",
}
PROGRAMME_OBSERVER = ("observator@siva.example", "Solveig Programvoll")
# One person working for two gardens, to show switching the active organisation.
SHARED_ADVISOR = ("delt.radgiver@orkdalsregionen.example", "Åse Tverrfaglig")

NETWORK = {
    "slug": "naeringshagene-i-sor-trondelag",
    "name": "Næringshagene i Sør-Trøndelag",
    "agreement_title": "Samarbeidsavtale mellom næringshagene i Sør-Trøndelag",
    "agreement_signed_on": date(2015, 3, 12),
    "agreement_text": (
        "Trøndersk Kystkompetanse, Næringshagen i Orkdalsregionen, Nasjonalparken "
        "Næringshage og Rørosregionen Næringshage inngår denne avtalen om samarbeid. "
        "Partene skal utveksle informasjon løpende, bruke erfaring, nettverk og kapasitet "
        "på tvers av næringshagene til beste for næringslivet i hele regionen, og styrke "
        "måloppnåelsen i det nasjonale næringshageprogrammet.\n\n"
        "Der partene alene eller sammen med andre blir enige om å løse konkrete oppgaver "
        "eller prosjekter, inngås formaliserte prosjektavtaler med definerte "
        "ansvarsområder og økonomiske rammer."
    ),
}
AREAS = (
    (
        "Informasjonsutveksling og kontakt",
        "Løpende informasjonsutveksling og kontakt mellom de fire organisasjonene.",
    ),
    (
        "Kapasitet og kompetanse på tvers",
        "Effektiv bruk av erfaring, nettverk og kapasitet på tvers av næringshagene, til "
        "beste for lokale bedrifter i hele regionen.",
    ),
    (
        "Måloppnåelse i næringshageprogrammet",
        "Sterkere og mer effektiv måloppnåelse i det nasjonale næringshageprogrammet, og et "
        "fellesskap mellom de ansatte i næringshagene.",
    ),
    (
        "Arrangement og kompetansetiltak",
        "Felles arrangementer og kompetansetiltak, og formaliserte prosjektavtaler der "
        "partene blir enige om konkrete oppgaver eller prosjekter.",
    ),
)

EMAIL_LOCAL_PART = {
    Role.ADMIN: "admin",
    Role.MANAGER: "leder",
    Role.ADVISOR: "radgiver",
    Role.OBSERVER: "observator",
}


@dataclass
class DemoResult:
    created: int = 0

    def count(self, created: bool) -> None:
        self.created += int(created)


def demo_users() -> list[tuple[str, str, str]]:
    """(e-mail, organisation, role) of every demo user, for the README and the tests."""
    rows = [
        (f"{EMAIL_LOCAL_PART[role]}@{g.mail_domain}", g.name, str(role.label))
        for g in GARDENS
        for role, _name in g.people
    ]
    rows.append((PROGRAMME_OBSERVER[0], PROGRAMME_OWNER["name"], str(Role.OBSERVER.label)))
    rows.append((SHARED_ADVISOR[0], f"{GARDENS[1].name}, {GARDENS[3].name}", "advisor"))
    return rows


def load_demo() -> DemoResult:
    """Create whatever of the demo data is missing; returns how many rows were created."""
    result = DemoResult()
    with transaction.atomic(), scopes_disabled():
        network = _network(result)
        for position, garden in enumerate(GARDENS):
            organisation = _garden(garden, result)
            _party(network, organisation, result, coordinator=position == 1)
            for role, full_name in garden.people:
                email = f"{EMAIL_LOCAL_PART[role]}@{garden.mail_domain}"
                _member(organisation, _user(email, full_name, result), role, result)
        siva = _organisation(
            kind=Organisation.Kind.PROGRAMME_OWNER, defaults=PROGRAMME_OWNER, result=result
        )
        _party(network, siva, result, role=NetworkParty.Role.OBSERVER)
        _member(siva, _user(*PROGRAMME_OBSERVER, result), Role.OBSERVER, result)
        shared = _user(*SHARED_ADVISOR, result)
        orkdal = Organisation.objects.get(org_number=GARDENS[1].org_number)
        roros = Organisation.objects.get(org_number=GARDENS[3].org_number)
        _member(orkdal, shared, Role.ADVISOR, result)
        _member(roros, shared, Role.ADVISOR, result)
        for position, (title, description) in enumerate(AREAS, start=1):
            _, created = CooperationArea.objects.get_or_create(
                network=network,
                title=title,
                defaults={"position": position, "description": description},
            )
            result.count(created)
    return result


def _network(result: DemoResult) -> Network:
    fields = dict(NETWORK)
    network, created = Network.objects.get_or_create(slug=fields.pop("slug"), defaults=fields)
    result.count(created)
    return network


def _organisation(*, kind: str, defaults: dict, result: DemoResult) -> Organisation:
    fields = {k: v for k, v in defaults.items() if k != "org_number"}
    organisation, created = Organisation.objects.get_or_create(
        org_number=defaults["org_number"], defaults={"kind": kind, **fields}
    )
    result.count(created)
    return organisation


def _garden(garden: DemoGarden, result: DemoResult) -> Organisation:
    organisation = _organisation(
        kind=Organisation.Kind.BUSINESS_GARDEN,
        defaults={
            "slug": garden.slug,
            "name": garden.name,
            "org_number": garden.org_number,
            "street_address": garden.street_address,
            "postal_code": garden.postal_code,
            "postal_place": garden.postal_place,
            "email": f"post@{garden.mail_domain}",
        },
        result=result,
    )
    if not organisation.municipalities.exists():
        organisation.municipalities.set(
            Municipality.objects.filter(number__in=garden.municipalities)
        )
    return organisation


def _party(network, organisation, result, *, coordinator=False, role="member") -> None:
    _, created = NetworkParty.objects.get_or_create(
        network=network,
        organisation=organisation,
        defaults={"role": role, "is_coordinator": coordinator, "joined_on": date(2015, 3, 12)},
    )
    result.count(created)


def _user(email: str, full_name: str, result: DemoResult) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
        result.count(True)
    return user


def _member(organisation: Organisation, user: User, role: str, result: DemoResult) -> None:
    _, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    result.count(created)
