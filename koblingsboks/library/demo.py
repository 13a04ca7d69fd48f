"""Demo data of the library: news between the four demo gardens (network/demo.py) and a
dozen methods, some with versions and experience notes from the other gardens.

Everything is invented. The posts fall in the demo week (16–20 November 2026, the week
before companies.demo.DEMO_TODAY's Friday), so the digest of that week lists them. Written
through the services (audit entries, mentions and their notifications), with the dates
set afterwards; idempotent: a post or method that exists (same organisation and title) is
left alone, and a second run creates nothing.
"""

import datetime
from zoneinfo import ZoneInfo

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.library.feed.services import comment_create, post_create
from koblingsboks.library.methods.services import (
    method_create,
    method_experience_save,
    method_update,
)
from koblingsboks.library.models import Audience, Comment, Method, Post
from koblingsboks.library.tags import tag_text
from koblingsboks.network.demo import EMAIL_LOCAL_PART, GARDENS, NETWORK
from koblingsboks.network.models import Network, Organisation, Role, User
from koblingsboks.people.models import CompetenceArea

OSLO = ZoneInfo("Europe/Oslo")
DEMO_WEEK_START = datetime.date(2026, 11, 14)  # the digest of the demo week: 14–20 Nov
DEMO_WEEK_END = datetime.date(2026, 11, 21)
KYST, ORKDAL, NASJONALPARK, ROROS = range(4)


def at(day: int, hour: int = 9, month: int = 11, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=OSLO)


def _user(garden: int, role: str) -> User:
    return User.objects.get(email=f"{EMAIL_LOCAL_PART[role]}@{GARDENS[garden].mail_domain}")


def _org(garden: int) -> Organisation:
    return Organisation.objects.get(slug=GARDENS[garden].slug)


# (garden, role, title, body, kind, audience, tags, day, hour, comments)
# comments: (garden, role, body, day, hour); "{advisor:N}" is replaced by a mention.
POSTS = [
    (
        ORKDAL,
        Role.MANAGER,
        "Felles gründeruke i januar",
        "Vi foreslår en **felles gründeruke** 18.–22. januar med ett arrangement i hver hage. "
        "Programmet ligger i metodebanken (*Gründeruka – program for fem dager*).\n\n"
        "{advisor:2}, kan dere ta dagen om finansiering i Oppdal?",
        "event",
        Audience.NETWORK,
        "gründer, arrangement",
        16,
        9,
        [
            (
                NASJONALPARK,
                Role.ADVISOR,
                "Ja, vi tar finansieringsdagen. Innovasjon Norge har sagt ja til å stille.",
                16,
                13,
            ),
            (ROROS, Role.MANAGER, "Røros tar avslutningen med pitchekonkurranse.", 17, 8),
        ],
    ),
    (
        KYST,
        Role.ADVISOR,
        "Erfaringer fra søknadsklinikken på Hitra",
        "Ni bedrifter kom til søknadsklinikken. Fire sendte søknad til Innovasjon Norge "
        "samme uke. Det som virket: **faste tidsluker på 45 minutter** og en ferdig mal for "
        "budsjett. Se metoden *Søknadsklinikk* i metodebanken.",
        "experience",
        Audience.NETWORK,
        "finansiering, søknad",
        17,
        10,
        [
            (ORKDAL, Role.ADVISOR, "Vi låner malen til klinikken i Orkanger i desember.", 17, 14),
        ],
    ),
    (
        NASJONALPARK,
        Role.MANAGER,
        "Spørsmål: noen som kan styrearbeid for reiseliv?",
        "En reiselivsbedrift i Rennebu trenger hjelp til å sette sammen et aktivt styre. "
        "Har noen i nettverket en rådgiver med erfaring fra reiselivsstyrer? "
        "{advisor:3}, dere har vel gjort dette på Røros?",
        "question",
        Audience.NETWORK,
        "styre, reiseliv",
        18,
        11,
        [
            (
                ROROS,
                Role.ADVISOR,
                "Ja, vi har kjørt styrekurset tre ganger for reiseliv. "
                "Jeg kan ta en time på Teams neste uke.",
                18,
                15,
            ),
        ],
    ),
    (
        ROROS,
        Role.ADMIN,
        "Regionalt næringsfond åpner ny runde",
        "Søknadsfristen for neste runde i det regionale næringsfondet er 15. januar. "
        "Fondet prioriterer bedrifter med eksportplaner.",
        "news",
        Audience.PUBLIC,
        "finansiering",
        19,
        9,
        [],
    ),
    (
        ORKDAL,
        Role.ADMIN,
        "Nettverksmøte 3. desember – sakliste",
        "Saker: felles rapportering til Siva, kapasitetsdeling i første kvartal, gründeruka. "
        "Send innspill innen fredag.",
        "news",
        Audience.NETWORK,
        "nettverksmøte",
        20,
        8,
        [],
    ),
    (
        KYST,
        Role.MANAGER,
        "Intern: ferieavvikling i jula",
        "Kontoret er stengt 23. desember – 2. januar. Avtal dekning for akutte saker med meg.",
        "news",
        Audience.ORGANISATION,
        "",
        19,
        12,
        [],
    ),
]

# (garden, title, summary, body, tags, competence areas (Norwegian names of the people demo's
#  taxonomy, people/demo.py), audience, created (day, month, year),
#  versions: [(editor garden, body addition, change note, (day, month, year))],
#  experiences: [(garden, note, companies, place, (day, month))])
METHODS = [
    (
        ORKDAL,
        "Gründeruka – program for fem dager",
        "Fem dager med idé, marked, finansiering, drift og pitch for nye gründere.",
        "## Dag 1: Fra idé til forretningsmodell\nKorte innlegg og arbeid i par.\n\n"
        "## Dag 2: Kunder og marked\nIntervju tre kunder før dag 3.\n\n"
        "## Dag 3: Finansiering\nInnovasjon Norge, banken og regionale fond.\n\n"
        "## Dag 4: Drift og regnskap\n\n## Dag 5: Pitch\nFem minutter per bedrift.",
        "gründer, arrangement, etablererveiledning",
        "Forretningsutvikling, Finansiering",
        Audience.NETWORK,
        (3, 3, 2025),
        [
            (
                ORKDAL,
                "\n\n## Erfaring\nBudsjetter to rådgivere per dag.",
                "La til erfaring om bemanning",
                (17, 11, 2026),
            )
        ],
        [
            (
                NASJONALPARK,
                "Vi kjørte dette med 12 bedrifter i Oppdal – det virket, men sett av "
                "to økter til finansiering.",
                12,
                "Oppdal",
                (10, 6),
            )
        ],
    ),
    (
        KYST,
        "Søknadsklinikk",
        "Drop-in der gründere får hjelp med søknader til Innovasjon Norge og fond.",
        "Klinikken hjelper bedrifter med søknader. Vi går gjennom søknader linje for linje, "
        "med en ferdig budsjettmal. Gode søknader deles (anonymisert) som eksempler til neste "
        "gang. Faste tidsluker på 45 minutter.",
        "finansiering, søknad",
        "Finansiering",
        Audience.NETWORK,
        (12, 1, 2026),
        [
            (
                KYST,
                "\n\nHusk: be om regnskap og budsjett på forhånd.",
                "Forberedelser",
                (18, 11, 2026),
            )
        ],
        [(ORKDAL, "Fungerte godt i Orkanger; seks søknader sendt.", 6, "Orkanger", (2, 9))],
    ),
    (
        ROROS,
        "Styrekompetanse for små selskaper",
        "Kurs over tre kvelder om styrets roller, ansvar og strategiarbeid.",
        "Kveld 1: roller og ansvar. Kveld 2: strategi og risiko. Kveld 3: styremøtet i praksis, "
        "med rollespill. Passer også før en søknad om lån, men handler om styrearbeid.",
        "styre, styrearbeid",
        "Forretningsutvikling",
        Audience.NETWORK,
        (20, 8, 2024),
        [
            (
                ROROS,
                "\n\nNy kveld 4 om styreevaluering (valgfri).",
                "Valgfri fjerde kveld",
                (5, 2, 2026),
            )
        ],
        [(KYST, "Kjørt for sju bedrifter på Frøya, god respons.", 7, "Frøya", (15, 4))],
    ),
    (
        NASJONALPARK,
        "Reiselivsnettverk i nasjonalparkregionen",
        "Slik samler vi reiselivsbedrifter til felles pakker og markedsføring.",
        "Start med fire til seks bedrifter som utfyller hverandre. Fasilitert verksted, "
        "felles produktark, én ansvarlig for booking.",
        "reiseliv, nettverk, markedsføring",
        "Forretningsutvikling, Digitalisering",
        Audience.NETWORK,
        (11, 11, 2025),
        [],
        [],
    ),
    (
        ORKDAL,
        "Eksportklar på 90 dager",
        "Et løp for bedrifter som vil selge til Sverige og Tyskland.",
        "Tre samlinger: markedsvalg, pris og frakt, avtaler. Mellom samlingene: kundebesøk.",
        "eksport",
        "Eksport og internasjonalisering",
        Audience.NETWORK,
        (1, 10, 2025),
        [],
        [],
    ),
    (
        KYST,
        "Havbruksleverandører – fra lokal til nasjonal",
        "Hvordan små leverandører til havbruk kvalifiserer seg hos de store.",
        "Leverandørdag med innkjøpere, HMS-krav og sertifisering, referansekunder.",
        "havbruk, leverandør",
        "Eksport og internasjonalisering, Forretningsutvikling",
        Audience.NETWORK,
        (14, 3, 2025),
        [],
        [],
    ),
    (
        ROROS,
        "Kulturarv som forretningsidé",
        "Verksted for bedrifter som bygger på håndverk og kulturarv.",
        "Fortelling, prissetting av håndverk og samarbeid med museer.",
        "kulturarv, reiseliv",
        "Forretningsutvikling",
        Audience.PUBLIC,
        (9, 9, 2025),
        [],
        [],
    ),
    (
        NASJONALPARK,
        "Mentorprogram med pensjonerte ledere",
        "Match nye gründere med erfarne ledere for seks måneder.",
        "Rekruttering via lokale næringsforeninger; matching etter bransje; tre møter i kvartalet.",
        "mentor, gründer, etablererveiledning",
        "Forretningsutvikling",
        Audience.NETWORK,
        (2, 2, 2026),
        [],
        [],
    ),
    (
        ORKDAL,
        "Bærekraftsrapport for små bedrifter",
        "En enkel mal for bærekraftsrapportering som bankene godtar.",
        "Ti nøkkeltall, én side tekst. Gå gjennom malen sammen med regnskapsfører.",
        "bærekraft",
        "Finansiering",
        Audience.NETWORK,
        (16, 11, 2026),
        [],
        [],
    ),
    (
        KYST,
        "Rekruttering til distriktene",
        "Felles kampanje for å rekruttere fagfolk til bedrifter i kystkommunene.",
        "Felles stillingsside, bo-og-jobb-pakker, besøksdag for studenter.",
        "rekruttering, HR",
        "",
        Audience.NETWORK,
        (19, 11, 2026),
        [],
        [],
    ),
    (
        ROROS,
        "Digital markedsføring på et lite budsjett",
        "Tre timer om sosiale medier, nettside og annonser for små bedrifter.",
        "Hands-on: hver bedrift lager en kampanje i løpet av kurset.",
        "markedsføring",
        "Digitalisering",
        Audience.NETWORK,
        (10, 5, 2025),
        [],
        [],
    ),
    (
        NASJONALPARK,
        "Intern: oppfølgingsrutine for målbedrifter",
        "Hvordan vi følger opp målbedriftene våre hvert kvartal.",
        "Kvartalsmøte, oppdatert handlingsplan, registrering i porteføljen.",
        "oppfølging",
        "",
        Audience.ORGANISATION,
        (5, 1, 2026),
        [],
        [],
    ),
]


def _mentions(text: str) -> str:
    for garden in range(4):
        email = f"{EMAIL_LOCAL_PART[Role.ADVISOR]}@{GARDENS[garden].mail_domain}"
        text = text.replace(f"{{advisor:{garden}}}", f"@{email}")
    return text


def _areas(names: str) -> list[CompetenceArea]:
    """The people demo's taxonomy areas named in ``names`` (loaded before the library's
    demo: people comes first in INSTALLED_APPS); an area that is missing is left out."""
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    return list(CompetenceArea.objects.filter(name_nb__in=wanted))


def _load_methods(network: Network) -> int:
    created = 0
    for garden, title, summary, body, tags, areas, audience, (
        d,
        m,
        y,
    ), versions, experiences in METHODS:
        organisation = _org(garden)
        with organisation_scope(organisation):
            if Method.objects.filter(organisation=organisation, title=title).exists():
                continue
        contact = _user(garden, Role.ADVISOR)
        method = method_create(
            organisation=organisation,
            actor=_user(garden, Role.MANAGER),
            contact=contact,
            title=title,
            summary=summary,
            body=body,
            tags=tags,
            competence_areas=_areas(areas),
            audience=audience,
            licence="Fri bruk i nettverket; oppgi eier.",
            created_at=at(d, 9, m, y),
        )
        created += 2  # the method and its first version
        for editor, addition, note, (vd, vm, vy) in versions:
            method = method_update(
                method=method,
                actor=_user(editor, Role.ADVISOR),
                contact=contact,
                title=method.title,
                summary=method.summary,
                body=method.body + addition,
                tags=tag_text(method.tags.all()),
                competence_areas=list(method.competence_areas.all()),
                audience=method.audience,
                licence=method.licence,
                change_note=note,
                updated_at=at(vd, 14, vm, vy),
            )
            created += 1
        for other, note, count, place, (ed, em) in experiences:
            method_experience_save(
                method=method,
                organisation=_org(other),
                author=_user(other, Role.ADVISOR),
                note=note,
                companies_count=count,
                place=place,
                at=at(ed, 12, em, 2026),
            )
            created += 1
    return created


def _load_posts(network: Network) -> int:
    created = 0
    for garden, role, title, body, kind, audience, tags, day, hour, comments in POSTS:
        organisation = _org(garden)
        with organisation_scope(organisation):
            if Post.objects.filter(organisation=organisation, title=title).exists():
                continue
        post = post_create(
            organisation=organisation,
            author=_user(garden, role),
            title=title,
            body=_mentions(body),
            kind=kind,
            audience=audience,
            network=None if audience == Audience.ORGANISATION else network,
            tags=tags,
        )
        with organisation_scope(organisation):
            Post.objects.filter(pk=post.pk).update(created_at=at(day, hour))
        created += 1
        for c_garden, c_role, c_body, c_day, c_hour in comments:
            comment = comment_create(
                post=post,
                organisation=_org(c_garden),
                author=_user(c_garden, c_role),
                body=_mentions(c_body),
            )
            Comment.objects.filter(pk=comment.pk).update(created_at=at(c_day, c_hour))
            created += 1
    return created


def load_app_demo() -> int:
    """Create the demo posts, comments and methods; returns the rows created (0 when run
    again)."""
    network = Network.objects.get(slug=NETWORK["slug"])
    # Each service commits on its own, so that the mentions' notifications are written as
    # in real use (after the commit).
    return _load_methods(network) + _load_posts(network)
