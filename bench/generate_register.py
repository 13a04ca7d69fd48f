"""Write a synthetic entity-register bulk file, pretty-printed like the real one.

    python bench/generate_register.py OUT.json.gz [--count 1100000] [--seed 1]
    python bench/generate_register.py OUT2.json.gz --from OUT.json.gz --changed-percent 1

The output has the shape of ``enheter_alle.json.gz`` (see ../shared/data/brreg/FORMATS.md):
one JSON array, Jackson style (``"key" : value``, inline ``[ "x" ]``, empty ``[ ]``, ``[ {``
and ``}, {`` between entities), sorted by org.nr, every org.nr with a valid MOD11 check digit,
and the field mix of the real register (legal forms, optional fields, foreign NUF addresses,
withheld headcounts below 5, SN2025 NACE codes, sparse distress dates). All names are invented.

``--from FILE --changed-percent P`` streams FILE and writes the same entities with about P %
of them changed in a field the platform stores (address, headcount, last accounts year or
bankruptcy). Beside every output a ``.meta.json`` records how many entities it holds and,
for a changed file, exactly how many were changed.

The file is written as it is generated (gzip when the name ends in ``.gz``); memory stays
small whatever the count.
"""

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)

# (code, description, share of the register) — FORMATS.md, Aug 2026 counts, rounded.
FORMS = [
    ("ENK", "Enkeltpersonforetak", 39.3),
    ("AS", "Aksjeselskap", 36.7),
    ("FLI", "Forening/lag/innretning", 11.0),
    ("NUF", "Norskregistrert utenlandsk foretak", 2.2),
    ("SA", "Samvirkeforetak", 1.0),
    ("DA", "Ansvarlig selskap med delt ansvar", 1.5),
    ("ANS", "Ansvarlig selskap med solidarisk ansvar", 1.0),
    ("STI", "Stiftelse", 1.5),
    ("BRL", "Borettslag", 2.2),
    ("ESEK", "Eierseksjonssameie", 2.4),
    ("ORGL", "Organisasjonsledd", 0.9),
    ("KS", "Kommandittselskap", 0.2),
    ("ASA", "Allmennaksjeselskap", 0.02),
]

NACE = [
    ("62.100", "Programmeringstjenester"),
    ("62.200", "Konsulentvirksomhet tilknyttet informasjonsteknologi"),
    ("68.209", "Utleie av egen eller leid fast eiendom ellers"),
    ("68.100", "Kjøp og salg av egen fast eiendom"),
    ("41.000", "Oppføring av bygninger"),
    ("43.220", "VVS-arbeid"),
    ("43.210", "Elektrisk installasjonsarbeid"),
    ("01.450", "Saue- og geitehold"),
    ("01.410", "Melkeproduksjon på storfe"),
    ("03.211", "Produksjon av matfisk og skalldyr i hav- og kystbasert fiskeoppdrett"),
    ("47.190", "Butikkhandel med bredt vareutvalg ellers"),
    ("56.101", "Drift av restauranter og kafeer"),
    ("70.220", "Bedriftsrådgivning og annen administrativ rådgivning"),
    ("74.100", "Spesialisert designvirksomhet"),
    ("85.599", "Annen undervisning"),
    ("86.909", "Andre helsetjenester"),
    ("90.012", "Selvstendig kunstnerisk virksomhet innen visuell kunst"),
    ("93.130", "Treningssentre"),
    ("94.991", "Aktiviteter i andre interesseorganisasjoner"),
    ("96.210", "Frisering og annen skjønnhetspleie"),
    ("49.410", "Godstransport på vei"),
    ("55.101", "Drift av hoteller, pensjonater og moteller med restaurant"),
]

# Municipality number, name, postal code, postal place.
PLACES = [
    ("0301", "OSLO", "0150", "OSLO"),
    ("4601", "BERGEN", "5003", "BERGEN"),
    ("5001", "TRONDHEIM", "7011", "TRONDHEIM"),
    ("1103", "STAVANGER", "4006", "STAVANGER"),
    ("3203", "ASKER", "1384", "ASKER"),
    ("3201", "BÆRUM", "1337", "SANDVIKA"),
    ("4204", "KRISTIANSAND", "4610", "KRISTIANSAND S"),
    ("5501", "TROMSØ", "9008", "TROMSØ"),
    ("1804", "BODØ", "8006", "BODØ"),
    ("3301", "DRAMMEN", "3015", "DRAMMEN"),
    ("5059", "ORKLAND", "7300", "ORKANGER"),
    ("5056", "HITRA", "7240", "HITRA"),
    ("5014", "FRØYA", "7260", "SISTRANDA"),
    ("5021", "OPPDAL", "7340", "OPPDAL"),
    ("5025", "RØROS", "7374", "RØROS"),
    ("5027", "MIDTRE GAULDAL", "7290", "STØREN"),
    ("5028", "MELHUS", "7224", "MELHUS"),
    ("5035", "STJØRDAL", "7500", "STJØRDAL"),
    ("1508", "ÅLESUND", "6002", "ÅLESUND"),
    ("3907", "SANDEFJORD", "3210", "SANDEFJORD"),
]

WORDS = [
    "FJELL",
    "HAV",
    "SKOG",
    "NORD",
    "SØR",
    "VEST",
    "ØST",
    "BRU",
    "STRAND",
    "DAL",
    "ELV",
    "LIA",
    "BERG",
    "VIK",
    "NES",
    "HOLM",
    "MYR",
    "TIND",
    "FOSS",
    "ÅS",
    "GÅRD",
    "BÅT",
    "KRAFT",
    "LYS",
    "DATA",
    "BYGG",
    "MEKANIKK",
    "HANDEL",
    "UTVIKLING",
    "TEKNIKK",
    "SERVICE",
    "DESIGN",
    "MAT",
]
SURNAMES = ["PRØVESTAD", "EKSEMPELRUD", "TESTLI", "DEMOVIK", "FIKTIVSEN", "PRØVELAND", "UTKASTRUD"]
FIRST = ["KARI", "OLA", "INGRID", "ERIK", "SIGRID", "ANDERS", "MARI", "JON", "LIV", "PER"]
STREETS = ["Storgata", "Kirkegata", "Fjordvegen", "Industrivegen", "Havnegata", "Skolevegen"]
PURPOSES = [
    "Utvikling og salg av programvare og tjenester knyttet til dette",
    "Drift av eiendom, og alt som står i forbindelse med dette",
    "Handel, rådgivning og annen virksomhet som naturlig hører sammen med dette",
]
SECTORS = {
    "AS": ("2100", "Private aksjeselskaper mv."),
    "ASA": ("2100", "Private aksjeselskaper mv."),
    "ENK": ("8200", "Personlig næringsdrivende"),
    "FLI": ("7000", "Ideelle organisasjoner"),
    "STI": ("7000", "Ideelle organisasjoner"),
    "NUF": ("1120", "Statlig eide aksjeselskaper mv."),
}


def check_digit(first8: int) -> int | None:
    """The MOD11 check digit for 8 digits, or None when no valid number exists (k = 10)."""
    digits = f"{first8:08d}"
    remainder = sum(w * int(d) for w, d in zip(WEIGHTS, digits, strict=True)) % 11
    k = (11 - remainder) % 11
    return None if k == 10 else k


def org_numbers(count: int, rng: random.Random):
    """``count`` distinct valid org.nrs between 800 000 000 and 999 999 999, ascending."""
    span = 20_000_000
    mean_step = max(1.0, span / (count * 1.12))
    prefix = 80_000_000
    for _ in range(count):
        while True:
            prefix += 1 + int(rng.random() * 2 * (mean_step - 1))
            if prefix > 99_999_999:
                raise SystemExit("too many entities for the org.nr range")
            k = check_digit(prefix)
            if k is not None:
                yield f"{prefix:08d}{k}"
                break


def _date(rng: random.Random, first_year: int, last_year: int = 2026) -> str:
    year = rng.randint(first_year, last_year)
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _address(rng: random.Random, place) -> dict:
    number, name, postal_code, postal_place = place
    return {
        "land": "Norge",
        "landkode": "NO",
        "postnummer": postal_code,
        "poststed": postal_place,
        "adresse": [f"{rng.choice(STREETS)} {rng.randint(1, 120)}"],
        "kommune": name,
        "kommunenummer": number,
    }


def entity(number: str, rng: random.Random) -> dict:
    """One invented entity with the keys, key order and optional fields of the bulk file."""
    r = rng.random() * 100
    code, description = FORMS[-1][:2]
    for form_code, form_description, share in FORMS:
        r -= share
        if r <= 0:
            code, description = form_code, form_description
            break
    place = rng.choice(PLACES)
    if code == "ENK":
        name = f"{rng.choice(FIRST)} {rng.choice(SURNAMES)} {rng.choice(WORDS)}"
    else:
        name = f"{rng.choice(WORDS)}{rng.choice(WORDS)} {rng.choice(WORDS)} {code}"
    registered = _date(rng, 1995)
    e: dict = {
        "organisasjonsnummer": number,
        "navn": name,
        "organisasjonsform": {"kode": code, "beskrivelse": description, "links": []},
    }
    if rng.random() < 0.10:
        e["hjemmeside"] = f"www.{name.split()[0].lower()}.example"
    e["registreringsdatoEnhetsregisteret"] = registered
    e["registrertIMvaregisteret"] = rng.random() < 0.45
    if rng.random() < 0.90:
        nace = rng.choice(NACE)
        e["naeringskode1"] = {"kode": nace[0], "beskrivelse": nace[1]}
        if rng.random() < 0.05:
            nace2 = rng.choice(NACE)
            e["naeringskode2"] = {"kode": nace2[0], "beskrivelse": nace2[1]}
    employees = rng.random()
    if employees < 0.06:
        e["antallAnsatte"] = rng.choice([5, 6, 8, 12, 17, 25, 40, 75, 150, 600])
    e["harRegistrertAntallAnsatte"] = employees < 0.25
    if employees < 0.25:
        e["registreringsdatoAntallAnsatteEnhetsregisteret"] = _date(rng, 2020)
        e["registreringsdatoAntallAnsatteNAVAaregisteret"] = _date(rng, 2020)
    if code == "NUF":
        e["forretningsadresse"] = {
            "land": "Sverige",
            "landkode": "SE",
            "postnummer": f"{rng.randint(10000, 99999)}",
            "poststed": "GÖTEBORG",
            "adresse": [f"Storgatan {rng.randint(1, 90)}"],
        }
        e["postadresse"] = _address(rng, place)
    else:
        e["forretningsadresse"] = _address(rng, place)
        if rng.random() < 0.15:
            e["postadresse"] = {
                "land": "Norge",
                "landkode": "NO",
                "postnummer": place[2],
                "poststed": place[3],
                "adresse": [f"Postboks {rng.randint(1, 9999)}"],
                "kommune": place[1],
                "kommunenummer": place[0],
            }
    if rng.random() < 0.79:
        e["stiftelsesdato"] = registered
    if rng.random() < 0.92:
        sector = SECTORS.get(code, ("2500", "Private produsentorienterte foretak"))
        e["institusjonellSektorkode"] = {"kode": sector[0], "beskrivelse": sector[1]}
    registered_companies = code in ("AS", "ASA", "NUF", "DA", "ANS", "SA", "KS")
    e["registrertIForetaksregisteret"] = registered_companies
    if registered_companies:
        e["registreringsdatoForetaksregisteret"] = registered
    e["registrertIStiftelsesregisteret"] = code == "STI"
    e["registrertIFrivillighetsregisteret"] = code == "FLI" and rng.random() < 0.4
    if code in ("AS", "ASA") and rng.random() < 0.8:
        e["sisteInnsendteAarsregnskap"] = str(rng.choice([2024, 2025, 2025, 2025]))
    distress = rng.random()
    e["konkurs"] = distress < 0.003
    if distress < 0.003:
        e["konkursdato"] = _date(rng, 2023)
    e["underAvvikling"] = 0.003 <= distress < 0.009
    if 0.003 <= distress < 0.009:
        e["underAvviklingDato"] = _date(rng, 2023)
    e["underTvangsavviklingEllerTvangsopplosning"] = 0.009 <= distress < 0.011
    if 0.009 <= distress < 0.011:
        e["tvangsopplostPgaManglendeRegnskapDato"] = _date(rng, 2024)
    e["maalform"] = "Nynorsk" if rng.random() < 0.12 else "Bokmål"
    if code in ("AS", "ASA", "SA", "STI", "FLI"):
        e["vedtektsdato"] = registered
        e["vedtektsfestetFormaal"] = [rng.choice(PURPOSES)]
    if rng.random() < 0.3:
        e["aktivitet"] = [rng.choice(PURPOSES)]
    if e["registrertIMvaregisteret"]:
        e["registreringsdatoMerverdiavgiftsregisteret"] = registered
        e["registreringsdatoMerverdiavgiftsregisteretEnhetsregisteret"] = registered
    e["registrertIPartiregisteret"] = False
    e["paategninger"] = []
    if code in ("AS", "ASA"):
        shares = rng.choice([100, 300, 1000, 10000])
        e["kapital"] = {
            "belop": float(shares * rng.choice([30, 100, 1000])),
            "antallAksjer": shares,
            "innfortDato": registered,
            "type": "Aksjekapital",
            "valuta": "NOK",
            "fulltInnbetalt": True,
        }
        e["erIKonsern"] = rng.random() < 0.15
    e["links"] = []
    return e


def jackson(value, indent: str = "") -> str:
    """Serialise like the register's Jackson pretty printer."""
    if isinstance(value, dict):
        inner = indent + "  "
        parts = [f'{inner}"{key}" : {jackson(item, inner)}' for key, item in value.items()]
        return "{\n" + ",\n".join(parts) + "\n" + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[ ]"
        return "[ " + ", ".join(jackson(item, indent) for item in value) + " ]"
    return json.dumps(value, ensure_ascii=False)


def change(e: dict, rng: random.Random) -> None:
    """Change one field that the platform stores, so that its record hash changes."""
    kind = rng.randrange(4)
    if kind == 0:
        address = e.get("forretningsadresse") or {}
        address["adresse"] = [f"{rng.choice(STREETS)} {rng.randint(121, 240)} B"]
        e["forretningsadresse"] = address
    elif kind == 1:
        e["antallAnsatte"] = int(e.get("antallAnsatte") or 5) + 1
        e["harRegistrertAntallAnsatte"] = True
    elif kind == 2:
        e["sisteInnsendteAarsregnskap"] = str(int(e.get("sisteInnsendteAarsregnskap") or 2024) + 1)
    else:
        e["konkurs"] = not e.get("konkurs")
        e["konkursdato"] = "2026-11-02" if e["konkurs"] else ""


def open_out(path: Path):
    if path.name.endswith(".gz"):
        # Level 6 is gzip's default and close to the register's own file (about 9:1).
        return gzip.open(path, "wt", encoding="utf-8", compresslevel=6)
    return open(path, "w", encoding="utf-8")  # noqa: SIM115


def read_entities(path: Path):
    import ijson

    with open(path, "rb") as raw:
        stream = gzip.GzipFile(fileobj=raw) if raw.read(2) == b"\x1f\x8b" else None
        raw.seek(0)
        yield from ijson.items(stream or raw, "item", use_float=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="output file (.json or .json.gz)")
    parser.add_argument("--count", type=int, default=1_100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--from", dest="source", type=Path, help="file to copy with changes")
    parser.add_argument("--changed-percent", type=float, default=0.0)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)  # noqa: S311 - invented test data, not secrets
    if args.source:
        entities = read_entities(args.source)
    else:
        entities = (entity(number, rng) for number in org_numbers(args.count, rng))
    change_rng = random.Random(args.seed + 1000)  # noqa: S311
    written = changed = 0
    started = time.monotonic()
    with open_out(args.out) as out:
        out.write("[ ")
        for e in entities:
            if args.changed_percent and change_rng.random() * 100 < args.changed_percent:
                change(e, change_rng)
                changed += 1
            if written:
                out.write(", ")
            out.write(jackson(e))
            written += 1
            if written % 100_000 == 0:
                print(f"{written} entities, {time.monotonic() - started:.0f} s", file=sys.stderr)
        out.write(" ]\n")
    meta = {"entities": written, "changed": changed, "source": str(args.source or "")}
    Path(f"{args.out}.meta.json").write_text(json.dumps(meta) + "\n")
    print(
        f"wrote {written} entities ({changed} changed) to {args.out}: "
        f"{args.out.stat().st_size / 1e6:.1f} MB in {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
