"""Demo competences and profiles for the four Sør-Trøndelag gardens (manage.py load_demo)."""

from django.db import transaction

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.demo import EMAIL_LOCAL_PART, GARDENS
from koblingsboks.network.models import Organisation, Role, User
from koblingsboks.people.models import Competence, CompetenceArea, Profile
from koblingsboks.people.services import profile_save

TAXONOMY = [
    (
        ("Eksport og internasjonalisering", "Export and internationalisation"),
        [
            ("Eksportregelverk og toll", "Export regulations and customs"),
            ("Markedsanalyse utland", "Foreign market analysis"),
            ("Sjømateksport", "Seafood export"),
        ],
    ),
    (
        ("Finansiering", "Funding"),
        [
            ("Innovasjon Norge-søknader", "Innovation Norway applications"),
            ("SkatteFUNN", "SkatteFUNN tax incentive"),
            ("Investorkontakt", "Investor relations"),
        ],
    ),
    (
        ("Forretningsutvikling", "Business development"),
        [
            ("Forretningsmodeller", "Business models"),
            ("Styrearbeid", "Board work"),
            ("Reiseliv og opplevelser", "Tourism and experiences"),
        ],
    ),
    (
        ("Digitalisering", "Digitalisation"),
        [
            ("Netthandel", "E-commerce"),
            ("Digital markedsføring", "Digital marketing"),
        ],
    ),
]

# (garden slug, role, text, {competence (nb): level}, languages, sectors)
PROFILES = [
    (
        "trondersk-kystkompetanse",
        Role.ADVISOR,
        "Har hjulpet over ti sjømatbedrifter med eksport til Asia og EU: tolldokumenter, "
        "opprinnelsesregler, veterinærattester og kontakt med importører.",
        {"Eksportregelverk og toll": 3, "Sjømateksport": 3, "Markedsanalyse utland": 2},
        ["nb", "en", "de"],
        ["A", "C", "G"],
    ),
    (
        "trondersk-kystkompetanse",
        Role.MANAGER,
        "Daglig leder med bakgrunn fra havbruk og styrearbeid i vekstbedrifter.",
        {"Styrearbeid": 3, "Investorkontakt": 2},
        ["nb", "en"],
        ["A", "C"],
    ),
    (
        "naeringshagen-i-orkdalsregionen",
        Role.ADVISOR,
        "Rådgiver for industribedrifter: SkatteFUNN, Innovasjon Norge-søknader og "
        "forretningsmodeller for nye produkter.",
        {"SkatteFUNN": 3, "Innovasjon Norge-søknader": 3, "Forretningsmodeller": 2},
        ["nb", "en", "pl"],
        ["C", "F", "M"],
    ),
    (
        "nasjonalparken-naeringshage",
        Role.ADVISOR,
        "Jobber med reiseliv og opplevelsesbedrifter rundt Dovrefjell: pakking av "
        "produkter, netthandel og digital markedsføring.",
        {"Reiseliv og opplevelser": 3, "Netthandel": 2, "Digital markedsføring": 3},
        ["nb", "en", "fr"],
        ["I", "N", "R"],
    ),
    (
        "rorosregionen-naeringshage",
        Role.ADVISOR,
        "Rådgiver for lokalmat og håndverk i Rørosregionen; eksport er nytt for mange av "
        "bedriftene vi følger.",
        {"Forretningsmodeller": 2, "Netthandel": 2, "Markedsanalyse utland": 1},
        ["nb", "se", "sv"],
        ["A", "C", "I"],
    ),
]


def _taxonomy() -> int:
    created = 0
    for position, ((area_nb, area_en), competences) in enumerate(TAXONOMY):
        area, new = CompetenceArea.objects.get_or_create(
            name_nb=area_nb, defaults={"name_en": area_en, "position": position}
        )
        created += new
        for name_nb, name_en in competences:
            _competence, new = Competence.objects.get_or_create(
                area=area, name_nb=name_nb, defaults={"name_en": name_en}
            )
            created += new
    return created


def _profiles() -> int:
    created = 0
    by_name = {competence.name_nb: competence.pk for competence in Competence.objects.all()}
    gardens = {garden.slug: garden for garden in GARDENS}
    for slug, role, text, competences, languages, sectors in PROFILES:
        organisation = Organisation.objects.filter(slug=slug).first()
        email = f"{EMAIL_LOCAL_PART[role]}@{gardens[slug].mail_domain}"
        user = User.objects.filter(email=email).first()
        if organisation is None or user is None:
            continue
        with organisation_scope(organisation):
            if Profile.objects.filter(organisation=organisation, user=user).exists():
                continue
            profile_save(
                organisation=organisation,
                user=user,
                text=text,
                competences={by_name[name]: level for name, level in competences.items()},
                languages=languages,
                sectors=sectors,
                actor=user,
            )
        created += 1 + len(competences) + len(languages) + len(sectors)
    return created


@transaction.atomic
def load_app_demo() -> int:
    """The taxonomy and one profile per demo advisor (and a manager); idempotent."""
    return _taxonomy() + _profiles()
