"""Demo portfolios: fictional companies of the four demo gardens (network/demo.py).

Every company here is invented: the names are made up, and the organisation numbers have
valid check digits in the range 939 81x xxx, which neither the demo organisations (9210xxxxx)
nor the register samples in ../shared/data/brreg/ use. Each garden gets about a dozen
companies in its own municipalities, with register facts, yearly key figures 2019–2025
(from the accounts register; self-reported by the garden for sole proprietorships),
affiliations of every kind and phase (some ended, two companies in two gardens), notes,
advisory hours by the gardens' demo advisors, and one or two contact persons per company
and garden (invented names, addresses under .example).

Deterministic (the figures come from a random generator seeded with the org.nr) and
idempotent: a second run creates nothing. Private rows are written inside each garden's
organisation scope, so no scope is ever disabled here. Run after network.demo.load_demo.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from koblingsboks.companies.models import (
    AdvisoryLogEntry,
    Affiliation,
    Company,
    CompanyNote,
    ContactPerson,
    KeyFigures,
)
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.demo import EMAIL_LOCAL_PART, GARDENS, SHARED_ADVISOR
from koblingsboks.network.models import Organisation, Role, User

FIRST_YEAR = 2019
LAST_ACCOUNTS_YEAR = 2025
# The demo's "now": advisory hours and notes are dated up to this day, never later.
DEMO_TODAY = date(2026, 11, 20)

MUNICIPALITIES = {
    "5056": "HITRA",
    "5014": "FRØYA",
    "5059": "ORKLAND",
    "5029": "SKAUN",
    "5021": "OPPDAL",
    "5022": "RENNEBU",
    "5025": "RØROS",
    "5026": "HOLTÅLEN",
}
FORMS = {
    "AS": "Aksjeselskap",
    "ENK": "Enkeltpersonforetak",
    "DA": "Selskap med delt ansvar",
    "SA": "Samvirkeforetak",
}
# SN2025 codes ("NN.NNN") with a short description, as the register gives them.
NACE = {
    "01.130": "Dyrking av grønnsaker, meloner, rot- og knollvekster",
    "01.620": "Tjenester tilknyttet husdyrhold",
    "03.211": "Hav- og kystbasert akvakultur",
    "03.220": "Ferskvannsbasert fiskeoppdrett",
    "10.130": "Produksjon av kjøttvarer",
    "10.209": "Annen bearbeiding og konservering av fisk og fiskevarer",
    "10.510": "Produksjon av meierivarer",
    "11.030": "Produksjon av sider og annen fruktvin",
    "11.050": "Produksjon av øl",
    "13.100": "Bearbeiding og spinning av tekstilfibre",
    "16.100": "Saging, høvling og impregnering av tre",
    "16.230": "Produksjon av monteringsferdige hus",
    "16.290": "Produksjon av andre produkter av tre",
    "23.410": "Produksjon av keramiske husholdningsartikler og dekorasjonsgjenstander",
    "23.700": "Hogging og bearbeiding av monument- og bygningsstein",
    "25.110": "Produksjon av metallkonstruksjoner og deler",
    "25.620": "Bearbeiding av metaller",
    "28.990": "Produksjon av spesialmaskiner ikke nevnt annet sted",
    "32.120": "Produksjon av gull- og sølvvarer",
    "33.150": "Reparasjon og vedlikehold av skip og båter",
    "43.210": "Elektrisk installasjonsarbeid",
    "43.220": "VVS-arbeid",
    "49.410": "Godstransport på vei",
    "55.101": "Drift av hoteller, pensjonater og moteller med restaurant",
    "55.300": "Drift av campingplasser og turistbruk",
    "62.100": "Programmeringstjenester",
    "62.200": "Konsulentvirksomhet tilknyttet informasjonsteknologi",
    "69.201": "Regnskap og bokføring",
    "71.129": "Annen teknisk konsulentvirksomhet",
    "73.110": "Reklamebyråer",
    "74.200": "Fotografvirksomhet",
    "77.210": "Utleie og leasing av sports- og fritidsutstyr",
    "79.900": "Annen reisebyrå- og reisearrangørvirksomhet og tilknyttede tjenester",
    "81.210": "Rengjøring av bygninger",
    "81.300": "Beplantning av hager og parkanlegg",
    "85.599": "Annen undervisning ikke nevnt annet sted",
    "93.290": "Andre fritidsaktiviteter",
    "96.210": "Frisering og annen skjønnhetspleie",
}


@dataclass(frozen=True)
class DemoCompany:
    org_number: str
    name: str
    form: str
    nace: str
    municipality: str
    street: str
    postal_code: str
    postal_place: str
    founded: date
    turnover: int  # thousand NOK in the first accounts year
    growth: float  # yearly growth of turnover


def _c(*args) -> DemoCompany:
    return DemoCompany(*args)


# fmt: off
COMPANIES = (
    # Trøndersk Kystkompetanse: Hitra and Frøya
    _c("939810005", "MERDVAKT TEKNOLOGI AS", "AS", "62.100", "5014", "Sistrandveien 12", "7260", "SISTRANDA", date(2019, 3, 14), 1200, 0.35),  # noqa: E501
    _c("939810137", "SKALLVÆR SJØMAT AS", "AS", "10.209", "5014", "Nordhamnvegen 4", "7263", "HAMARVIK", date(2011, 5, 2), 18000, 0.06),  # noqa: E501
    _c("939810269", "DOLMØY TAREDYRKING AS", "AS", "03.211", "5056", "Dolmøyvegen 88", "7250", "MELANDSJØ", date(2024, 4, 10), 250, 0.9),  # noqa: E501
    _c("939810390", "KNAUSEN BÅTSERVICE AS", "AS", "33.150", "5056", "Fillvegen 41", "7240", "HITRA", date(2006, 8, 21), 7400, 0.04),  # noqa: E501
    _c("939810528", "SANDSTAD KYSTOPPLEVELSER AS", "AS", "79.900", "5056", "Sandstadvegen 7", "7246", "SANDSTAD", date(2016, 2, 1), 2100, 0.12),  # noqa: E501
    _c("939810781", "ØYVÆRET OVERNATTING DA", "DA", "55.300", "5014", "Dyrviksvegen 30", "7270", "DYRVIK", date(2013, 4, 15), 3200, 0.03),  # noqa: E501
    _c("939810919", "TARESTAD IDA", "ENK", "74.200", "5056", "Strandvegen 3", "7240", "HITRA", date(2022, 6, 1), 380, 0.2),  # noqa: E501
    _c("939811044", "FLATHOLMEN FÔRLOGISTIKK AS", "AS", "49.410", "5014", "Kjerringvågvegen 2", "7263", "HAMARVIK", date(2009, 9, 9), 25000, 0.02),  # noqa: E501
    _c("939811176", "KYSTLYS ELEKTRO AS", "AS", "43.210", "5056", "Industrivegen 5", "7240", "HITRA", date(2025, 2, 3), 900, 0.5),  # noqa: E501
    _c("939811303", "SULASKJÆR SJØDATA AS", "AS", "62.100", "5014", "Sistrandveien 40", "7260", "SISTRANDA", date(2026, 1, 20), 0, 0.0),  # noqa: E501
    _c("939811435", "MAUSUNDVÆR RØKERI AS", "AS", "10.209", "5014", "Mausundvær 1", "7268", "TITRAN", date(2002, 3, 30), 5600, -0.04),  # noqa: E501
    _c("939811567", "LØVØYBAKKEN EIRILL", "ENK", "81.300", "5056", "Løvøybakken 9", "7246", "SANDSTAD", date(2021, 4, 12), 450, 0.1),  # noqa: E501
    # Næringshagen i Orkdalsregionen: Orkland and Skaun
    _c("939811699", "THAMSBRUA PRESISJONSMEKANIKK AS", "AS", "25.620", "5059", "Thamsbrua 14", "7300", "ORKANGER", date(2004, 10, 5), 31000, 0.05),  # noqa: E501
    _c("939811826", "GJØLME FORTØYNINGSTEKNIKK AS", "AS", "25.110", "5059", "Gjølmevegen 21", "7310", "GJØLME", date(2015, 1, 19), 8800, 0.18),  # noqa: E501
    _c("939811958", "BØRSØRA BYGGTEKNIKK AS", "AS", "71.129", "5029", "Børsøra 6", "7353", "BØRSA", date(2012, 11, 1), 6200, 0.07),  # noqa: E501
    _c("939812083", "VIGGJABRUA VANN OG VARME AS", "AS", "43.220", "5029", "Viggjavegen 55", "7354", "VIGGJA", date(2018, 2, 26), 4100, 0.1),  # noqa: E501
    _c("939812210", "FANNREMSLIA FRUKTPRESS AS", "AS", "11.030", "5059", "Fannremslia 2", "7320", "FANNREM", date(2021, 3, 8), 300, 0.8),  # noqa: E501
    _c("939812342", "LØKKEN VERK DIGITAL VERKSTED AS", "AS", "62.200", "5059", "Verksvegen 3", "7332", "LØKKEN VERK", date(2023, 6, 12), 700, 0.6),  # noqa: E501
    _c("939812474", "SVORKBOGEN TRESLIP AS", "AS", "16.100", "5059", "Svorkbogen 100", "7327", "SVORKMO", date(1998, 5, 20), 42000, 0.01),  # noqa: E501
    _c("939812601", "SKAUNSBYGDA GARDSMATLAG SA", "SA", "10.130", "5029", "Skaunavegen 17", "7357", "SKAUN", date(2017, 9, 4), 2600, 0.09),  # noqa: E501
    _c("939812733", "BRÅTTESTUGU MALIN", "ENK", "96.210", "5059", "Gata 8", "7300", "ORKANGER", date(2020, 1, 6), 600, 0.05),  # noqa: E501
    _c("939812865", "ORKANGER HAVNEROBOTIKK AS", "AS", "28.990", "5059", "Havnevegen 30", "7300", "ORKANGER", date(2025, 6, 10), 400, 0.5),  # noqa: E501
    _c("939812997", "MELDALSLIA GRØNT AS", "AS", "01.130", "5059", "Meldalslia 4", "7336", "MELDAL", date(2026, 3, 2), 0, 0.0),  # noqa: E501
    _c("939813128", "BUVIKSTRANDA REGNSKAPSKONTOR AS", "AS", "69.201", "5029", "Strandvegen 11", "7350", "BUVIKA", date(2010, 8, 16), 3900, 0.03),  # noqa: E501
    # Nasjonalparken Næringshage: Oppdal and Rennebu
    _c("939813381", "DOVRETIND FJELLFØRING AS", "AS", "93.290", "5021", "Inge Krokanns veg 20", "7340", "OPPDAL", date(2014, 6, 2), 4300, 0.08),  # noqa: E501
    _c("939813519", "KONGSVOLDSKAR SNØMÅLING AS", "AS", "71.129", "5021", "Aunevegen 7", "7340", "OPPDAL", date(2020, 8, 24), 900, 0.45),  # noqa: E501
    _c("939813640", "VANGSSKIFER PRODUKSJON AS", "AS", "23.700", "5021", "Skiferbruddvegen 1", "7340", "OPPDAL", date(1999, 2, 11), 22000, 0.02),  # noqa: E501
    _c("939813772", "BERKÅKSLETTA BYGDEMEIERI AS", "AS", "10.510", "5022", "Berkåkvegen 12", "7391", "RENNEBU", date(2016, 10, 17), 5200, 0.11),  # noqa: E501
    _c("939814035", "GRINDALSBAKKEN GARDSBRYGGERI AS", "AS", "11.050", "5022", "Grindalsvegen 40", "7393", "RENNEBU", date(2019, 1, 28), 800, 0.25),  # noqa: E501
    _c("939814167", "LØNSETHØGDA FJELLSTUER DA", "DA", "55.300", "5021", "Lønsetvegen 210", "7342", "LØNSET", date(2008, 12, 1), 2700, 0.04),  # noqa: E501
    _c("939814299", "FJELLSTUGU HEDDA", "ENK", "73.110", "5021", "Ola Setroms veg 4", "7340", "OPPDAL", date(2022, 1, 10), 420, 0.15),  # noqa: E501
    _c("939814426", "TROLLHEIMSPORTEN ELSYKKEL AS", "AS", "77.210", "5021", "Stasjonsvegen 2", "7340", "OPPDAL", date(2024, 3, 5), 350, 0.7),  # noqa: E501
    _c("939814558", "INNSETBRUA TREDREIERI AS", "AS", "16.290", "5022", "Innsetvegen 66", "7393", "RENNEBU", date(2011, 7, 7), 3400, -0.03),  # noqa: E501
    _c("939814817", "AUNEKLEIVA DRONEKART AS", "AS", "71.129", "5021", "Kleivvegen 5", "7340", "OPPDAL", date(2025, 1, 15), 600, 0.5),  # noqa: E501
    _c("939814949", "BJØRKLIMOEN AGROSERVICE AS", "AS", "01.620", "5022", "Bjørklimoen 3", "7391", "RENNEBU", date(2013, 3, 18), 2900, 0.05),  # noqa: E501
    _c("939815074", "GJEVILVASSLIA HYTTESERVICE AS", "AS", "81.210", "5021", "Gjevilvassvegen 90", "7340", "OPPDAL", date(2017, 4, 3), 2300, 0.06),  # noqa: E501
    # Rørosregionen Næringshage: Røros and Holtålen
    _c("939815201", "SMELTHYTTEBAKKEN KERAMIKK AS", "AS", "23.410", "5025", "Slegghaugen 4", "7374", "RØROS", date(2015, 5, 26), 1900, 0.06),  # noqa: E501
    _c("939815333", "RISBERGLIA VILTFOREDLING AS", "AS", "10.130", "5025", "Glåmosvegen 120", "7372", "GLÅMOS", date(2010, 9, 13), 9800, 0.04),  # noqa: E501
    _c("939815465", "STORWARTZHØGDA OVERNATTING AS", "AS", "55.101", "5025", "Kjerkgata 40", "7374", "RØROS", date(2005, 6, 6), 14000, 0.03),  # noqa: E501
    _c("939815597", "FERAGSTRØMMEN FJELLFISK AS", "AS", "03.220", "5025", "Feragsvegen 8", "7374", "RØROS", date(2018, 11, 19), 1500, 0.2),  # noqa: E501
    _c("939815724", "ÅLBUTANGEN SMIE OG METALL AS", "AS", "25.620", "5026", "Ålbuvegen 2", "7380", "ÅLEN", date(2001, 4, 23), 6300, 0.02),  # noqa: E501
    _c("939815856", "HALTDALSGJELET TØMMERHUS AS", "AS", "16.230", "5026", "Gjelvegen 14", "7383", "HALTDALEN", date(2012, 2, 14), 11000, 0.07),  # noqa: E501
    _c("939815988", "BERGSTADSVINDEN APPUTVIKLING AS", "AS", "62.100", "5025", "Bergmannsgata 9", "7374", "RØROS", date(2022, 9, 5), 500, 0.9),  # noqa: E501
    _c("939816119", "GAULÅSHEIM RAGNFRID", "ENK", "32.120", "5025", "Mørkstugata 3", "7374", "RØROS", date(2019, 7, 1), 310, 0.08),  # noqa: E501
    _c("939816240", "HITTERDALSSETRA ULLVARE AS", "AS", "13.100", "5025", "Hitterdalsvegen 77", "7374", "RØROS", date(2024, 6, 1), 200, 0.6),  # noqa: E501
    _c("939816372", "KJURUDALSHAUGEN REGNSKAP AS", "AS", "69.201", "5025", "Kjurudalen 1", "7374", "RØROS", date(2009, 1, 12), 4800, 0.02),  # noqa: E501
    _c("939816631", "AURSUNDSTRANDA FRILUFT AS", "AS", "93.290", "5025", "Aursundvegen 300", "7372", "GLÅMOS", date(2025, 9, 10), 120, 0.5),  # noqa: E501
    _c("939816763", "NORDVIKSÆTRA KOMPETANSE AS", "AS", "85.599", "5026", "Nordvikvegen 6", "7380", "ÅLEN", date(2026, 4, 14), 0, 0.0),  # noqa: E501
)
# fmt: on

T, INC, TEN = Affiliation.Kind.TARGET, Affiliation.Kind.INCUBATOR, Affiliation.Kind.TENANT
LEAD, ONB = Affiliation.Phase.LEAD, Affiliation.Phase.ONBOARDING
ACT, ALU = Affiliation.Phase.ACTIVE, Affiliation.Phase.ALUMNI

# (garden position in network.demo.GARDENS, org.nr, kind, start, end, phase)
# fmt: off
AFFILIATIONS = (
    (0, "939810005", T, date(2019, 6, 1), None, ACT),
    (0, "939810137", T, date(2018, 1, 15), date(2023, 12, 31), ALU),
    (0, "939810269", INC, date(2024, 5, 1), None, ACT),
    (0, "939810390", T, date(2020, 2, 1), None, ACT),
    (0, "939810528", T, date(2021, 3, 1), None, ACT),
    (0, "939810781", TEN, date(2017, 9, 1), None, ACT),
    (0, "939810919", INC, date(2022, 9, 1), date(2025, 8, 31), ALU),
    (0, "939811044", T, date(2019, 1, 1), None, ACT),
    (0, "939811176", T, date(2025, 3, 1), None, ONB),
    (0, "939811303", INC, date(2026, 2, 1), None, ONB),
    (0, "939811435", T, date(2018, 4, 1), date(2021, 4, 30), ALU),
    (0, "939811567", T, date(2026, 9, 1), None, LEAD),
    (0, "939811826", T, date(2022, 1, 1), None, ACT),  # also in Orkdalsregionen
    (1, "939811699", T, date(2017, 3, 1), date(2022, 12, 31), ALU),
    (1, "939811826", T, date(2019, 5, 1), None, ACT),
    (1, "939811958", T, date(2020, 1, 15), None, ACT),
    (1, "939812083", TEN, date(2018, 6, 1), None, ACT),
    (1, "939812210", INC, date(2021, 5, 1), date(2024, 4, 30), ALU),
    (1, "939812210", T, date(2024, 5, 1), None, ACT),  # incubator company, then target
    (1, "939812342", INC, date(2023, 8, 15), None, ACT),
    (1, "939812474", T, date(2019, 9, 1), None, ACT),
    (1, "939812601", T, date(2020, 10, 1), None, ACT),
    (1, "939812733", TEN, date(2020, 3, 1), date(2024, 12, 31), ALU),
    (1, "939812865", INC, date(2025, 9, 1), None, ONB),
    (1, "939812997", T, date(2026, 10, 1), None, LEAD),
    (1, "939813128", TEN, date(2016, 1, 1), None, ACT),
    (1, "939815724", T, date(2023, 4, 1), None, ACT),  # earlier in Rørosregionen
    (2, "939813381", T, date(2018, 2, 1), None, ACT),
    (2, "939813519", INC, date(2020, 9, 1), date(2023, 8, 31), ALU),
    (2, "939813519", T, date(2023, 9, 1), None, ACT),  # incubator company, then target
    (2, "939813640", T, date(2017, 5, 1), date(2020, 12, 31), ALU),
    (2, "939813772", T, date(2019, 3, 1), None, ACT),
    (2, "939814035", T, date(2020, 4, 1), None, ACT),
    (2, "939814167", T, date(2021, 1, 1), None, ACT),
    (2, "939814299", TEN, date(2022, 2, 1), None, ACT),
    (2, "939814426", INC, date(2024, 4, 1), None, ACT),
    (2, "939814558", T, date(2018, 9, 1), date(2024, 6, 30), ALU),
    (2, "939814817", INC, date(2025, 2, 1), None, ACT),
    (2, "939814949", T, date(2026, 10, 15), None, LEAD),
    (2, "939815074", T, date(2022, 5, 1), None, ACT),
    (3, "939815201", T, date(2018, 3, 1), None, ACT),
    (3, "939815333", T, date(2019, 6, 1), None, ACT),
    (3, "939815465", T, date(2017, 1, 1), date(2021, 12, 31), ALU),
    (3, "939815597", T, date(2020, 5, 1), None, ACT),
    (3, "939815724", T, date(2018, 10, 1), date(2023, 3, 31), ALU),
    (3, "939815856", T, date(2021, 2, 1), None, ACT),
    (3, "939815988", INC, date(2022, 10, 1), None, ACT),
    (3, "939816119", TEN, date(2019, 8, 1), None, ACT),
    (3, "939816240", INC, date(2024, 8, 1), None, ACT),
    (3, "939816372", TEN, date(2016, 9, 1), date(2020, 8, 31), ALU),
    (3, "939816631", INC, date(2025, 10, 1), None, ONB),
    (3, "939816763", T, date(2026, 6, 1), None, LEAD),
    (3, "939813772", T, date(2022, 1, 1), None, ACT),  # also in Nasjonalparken
)
# fmt: on

TOPICS = (
    "Forretningsmodell og verdiforslag",
    "Søknad om tilskudd til Innovasjon Norge",
    "Markedsføring og salg",
    "Styrearbeid og eierstrategi",
    "Rekruttering og kompetansebehov",
    "Eksportklarhet",
    "Regnskap og økonomistyring",
    "Bærekraft og rapportering",
    "Digitalisering av drift",
    "Finansiering og investorer",
)
NOTES = (
    "Oppstartsmøte: gikk gjennom forretningsplanen og avtalte oppfølging hver sjette uke.",
    "Ønsker kontakt med en rådgiver i nettverket som kan eksport til Sverige.",
    "Vurderer å ansette to nye i løpet av året; trenger hjelp med rekrutteringsplan.",
    "Har søkt om etablerertilskudd; venter svar fra kommunen.",
    "Daglig leder deltar på styrekurset i nettverket i vår.",
    "Aktuell for samarbeidsprosjektet om grønn omstilling i regionen.",
)


# Invented contact persons: (first name, its ASCII spelling for the e-mail address).
CONTACT_FIRST_NAMES = (
    ("Ingrid", "ingrid"),
    ("Ola", "ola"),
    ("Sigrid", "sigrid"),
    ("Håkon", "hakon"),
    ("Marte", "marte"),
    ("Øystein", "oystein"),
    ("Kari", "kari"),
    ("Eirik", "eirik"),
    ("Solveig", "solveig"),
    ("Bjørnar", "bjornar"),
)
CONTACT_LAST_NAMES = (
    "Aune",
    "Fjeldstad",
    "Hoff",
    "Kvenild",
    "Lian",
    "Moen",
    "Rønning",
    "Strand",
    "Vold",
    "Ørnes",
)
CONTACT_ROLES = ("Daglig leder", "Styreleder", "Økonomiansvarlig", "Salgssjef", "Gründer")


def _rng(seed: str) -> random.Random:
    """A generator seeded with a fixed string: the same figures on every run and machine."""
    return random.Random(seed)  # noqa: S311 - invented demo figures, not security


@dataclass
class PortfolioResult:
    created: int = 0


def load_demo_portfolios() -> PortfolioResult:
    """Create whatever of the demo portfolios is missing (the demo gardens must exist)."""
    result = PortfolioResult()
    with transaction.atomic():
        companies = {c.org_number: _company(c, result) for c in COMPANIES}
        gardens = {
            position: Organisation.objects.get(org_number=garden.org_number)
            for position, garden in enumerate(GARDENS)
        }
        for position, organisation in gardens.items():
            rows = [a for a in AFFILIATIONS if a[0] == position]
            staff = _staff(position)
            with organisation_scope(organisation):
                for _pos, number, kind, start, end, phase in rows:
                    company = companies[number]
                    result.created += _affiliation(
                        organisation, company, kind, start, end, phase, staff
                    )
                    result.created += _notes_and_hours(
                        organisation, company, start, end, phase, staff
                    )
                    result.created += _contact_persons(organisation, company)
        for demo in COMPANIES:
            reporter = _self_reporter(demo, gardens)
            result.created += _key_figures(demo, companies[demo.org_number], reporter)
    return result


def _staff(position: int) -> list[User]:
    """The garden's demo advisor (and the advisor shared by two gardens), then its manager."""
    garden = GARDENS[position]
    emails = [f"{EMAIL_LOCAL_PART[Role.ADVISOR]}@{garden.mail_domain}"]
    if position in (1, 3):
        emails.append(SHARED_ADVISOR[0])
    emails.append(f"{EMAIL_LOCAL_PART[Role.MANAGER]}@{garden.mail_domain}")
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [users[email] for email in emails]


def _company(demo: DemoCompany, result: PortfolioResult) -> Company:
    employees = _employees(demo, LAST_ACCOUNTS_YEAR)
    has_accounts = demo.form != "ENK" and demo.founded.year <= LAST_ACCOUNTS_YEAR
    company, created = Company.objects.get_or_create(
        org_number=demo.org_number,
        defaults={
            "name": demo.name,
            "organisation_form": demo.form,
            "organisation_form_description": FORMS[demo.form],
            "nace_code": demo.nace,
            "nace_description": NACE[demo.nace],
            "municipality_number": demo.municipality,
            "municipality_name": MUNICIPALITIES[demo.municipality],
            "business_address": demo.street,
            "business_postal_code": demo.postal_code,
            "business_postal_place": demo.postal_place,
            "business_country_code": "NO",
            "founded_on": demo.founded,
            "registered_on": demo.founded + timedelta(days=9),
            # The register publishes a headcount only from 5 employees.
            "employees": employees if employees >= 5 else None,
            "has_registered_employees": employees > 0,
            "last_accounts_year": LAST_ACCOUNTS_YEAR if has_accounts else None,
        },
    )
    result.created += int(created)
    return company


def _affiliation(organisation, company, kind, start, end, phase, staff) -> int:
    _, created = Affiliation.objects.get_or_create(
        organisation=organisation,
        company=company,
        kind=kind,
        start_date=start,
        defaults={
            "end_date": end,
            "phase": phase,
            "responsible_advisor": staff[int(company.org_number) % (len(staff) - 1)],
        },
    )
    return int(created)


def _notes_and_hours(organisation, company, start, end, phase, staff) -> int:
    """A note or two and a few advisory log entries within the affiliation's period."""
    if phase == Affiliation.Phase.LEAD:
        return 0
    rng = _rng(f"{organisation.org_number}-{company.org_number}-{start}")
    last = min(end or DEMO_TODAY, DEMO_TODAY)
    span = max((last - start).days, 1)
    created = 0
    for index in range(1 + rng.randrange(2)):
        text = NOTES[(int(company.org_number) + index * 7) % len(NOTES)]
        _, new = CompanyNote.objects.get_or_create(
            organisation=organisation,
            company=company,
            text=text,
            defaults={"author": staff[index % len(staff)]},
        )
        created += int(new)
    for _index in range(2 + rng.randrange(4)):
        day = start + timedelta(days=rng.randrange(span))
        topic = TOPICS[rng.randrange(len(TOPICS))]
        hours = Decimal(rng.randrange(1, 9)) / 2
        advisor = staff[rng.randrange(len(staff) - 1)]
        _, new = AdvisoryLogEntry.objects.get_or_create(
            organisation=organisation,
            company=company,
            date=day,
            topic=topic,
            defaults={"hours": hours, "advisor": advisor},
        )
        created += int(new)
    return created


def _contact_persons(organisation, company) -> int:
    """One or two invented contact persons of the company, kept by the garden; the first
    receives the satisfaction survey. Their addresses are under .example."""
    rng = _rng(f"contacts-{organisation.org_number}-{company.org_number}")
    created = 0
    for index in range(1 + rng.randrange(2)):
        first, ascii_first = CONTACT_FIRST_NAMES[rng.randrange(len(CONTACT_FIRST_NAMES))]
        last = CONTACT_LAST_NAMES[rng.randrange(len(CONTACT_LAST_NAMES))]
        _, new = ContactPerson.objects.get_or_create(
            organisation=organisation,
            company=company,
            name=f"{first} {last}",
            defaults={
                "role": CONTACT_ROLES[(index + int(company.org_number)) % len(CONTACT_ROLES)],
                "email": f"{ascii_first}.{index + 1}@{company.org_number}.example",
                "phone": f"+47 9{rng.randrange(10_000_000):07d}",
                "receives_surveys": index == 0,
            },
        )
        created += int(new)
    return created


def _turnover(demo: DemoCompany, year: int) -> Decimal:
    rng = _rng(f"{demo.org_number}-{year}")
    first = max(FIRST_YEAR, demo.founded.year)
    value = demo.turnover * 1000 * (1 + demo.growth) ** (year - first) * rng.uniform(0.94, 1.06)
    return Decimal(round(value, -3))


def _employees(demo: DemoCompany, year: int) -> int:
    if demo.turnover == 0 or year < demo.founded.year:
        return 0
    return int(_turnover(demo, year) * _personnel_share(demo) / 650_000)


def _personnel_share(demo: DemoCompany) -> Decimal:
    return Decimal(str(round(0.25 + _rng(demo.org_number).random() * 0.2, 3)))


def _margin(demo: DemoCompany) -> Decimal:
    return Decimal(str(round(-0.02 + _rng(demo.org_number + "-margin").random() * 0.14, 3)))


def _self_reporter(demo: DemoCompany, gardens: dict[int, Organisation]):
    """For a sole proprietorship: the garden that reports its figures, who entered them, and
    the years of its affiliation (a garden reports only for its own companies)."""
    if demo.form != "ENK":
        return None
    position, _number, _kind, start, end, _phase = next(
        a for a in AFFILIATIONS if a[1] == demo.org_number
    )
    years = range(start.year, (end or DEMO_TODAY).year + 1)
    return gardens[position], _staff(position)[0], years


def _key_figures(demo: DemoCompany, company: Company, reporter) -> int:
    """Yearly figures 2019–2025 from the founding year: accounts for limited companies,
    self-reported figures for the last three years of a sole proprietorship."""
    first = max(FIRST_YEAR, demo.founded.year)
    years = list(range(first, LAST_ACCOUNTS_YEAR + 1)) if demo.turnover else []
    if reporter:
        years = [year for year in years if year in reporter[2]][-3:]
    stored = set(KeyFigures.objects.filter(company=company).values_list("period_end", flat=True))
    personnel_share, margin = _personnel_share(demo), _margin(demo)
    rows = []
    for year in years:
        period_end = date(year, 12, 31)
        if period_end in stored:
            continue
        turnover = _turnover(demo, year)
        operating = (turnover * margin).quantize(Decimal(1))
        figures = KeyFigures(
            company=company,
            year=year,
            period_start=max(date(year, 1, 1), demo.founded),
            period_end=period_end,
            turnover=turnover,
            operating_result=operating,
            personnel_costs=(turnover * personnel_share).quantize(Decimal(1)),
            result_before_tax=operating - (turnover / 100).quantize(Decimal(1)),
            employees=_employees(demo, year),
            source=KeyFigures.Source.ACCOUNTS_REGISTER,
        )
        if reporter:
            figures.source = KeyFigures.Source.SELF_REPORTED
            figures.reported_by_organisation, figures.entered_by = reporter[:2]
        rows.append(figures)
    KeyFigures.objects.bulk_create(rows)
    return len(rows)
