"""Company search over a register-sized table: p50/p95 of ``company_search``.

    python bench/bench_search.py                       # 1.1 million rows, temporary SQLite file
    python bench/bench_search.py --rows 200000
    python bench/bench_search.py --database-url postgres://postgres@127.0.0.1:5432/kb_bench

Targets (issue 3): p95 under 50 ms on PostgreSQL and under 200 ms on SQLite for 1.1 million
companies. The script

1. migrates the database (PostgreSQL: creates the database first if it does not exist);
2. writes ``--rows`` synthetic companies (marked ``record_hash = "bench-search"``) — COPY on
   PostgreSQL, batches of prepared INSERTs on SQLite — with the search index dropped during
   the load and created afterwards, as a full register load would do; a later run with the
   same ``--rows`` reuses them;
3. runs ``--queries`` searches (as-you-type name prefixes, whole words, two words, org.nr and
   org.nr prefixes, typos, common words with a municipality filter), after a warm-up, and
   prints p50, p95 and max per kind and overall, and the ratio of p95 to the target;
4. deletes its rows again unless ``--keep`` (the default SQLite file is simply removed).

Names: a compound of two of 90 syllables (8 100 stems), an optional business word of 60 and
the legal form, in the register's upper case — so a stem is as selective as in the real
register, and words such as EIENDOM, HOLDING or AS are as common.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARKER = "bench-search"
TARGET_MS = {"postgresql": 50.0, "sqlite": 200.0}
WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)

SYLLABLES = (  # noqa: SIM905 - word lists read better as text
    "AL BA BE BJØR BRA BRU DAL DO EI ELV FJE FLO FO FRØ GA GAU GJE GRA GRO HA HAM HEI HOL HU "
    "IN JO KA KLE KO KRO KVA LA LI LØ LY MA ME MO MY NA NE NO NY OP OR OS PA PE RA RE RI RO "
    "RØ SA SE SI SJØ SKA SKO SLE SNØ SO SPE STA STE STO SU SVA SVE TA TE TI TO TRO TY UL UT "
    "VA VE VI VO ÅL ÅS ØR ØY ÆR BER GÅR HAV MYR NES TIND VIK"
).split()
WORDS = (  # noqa: SIM905
    "EIENDOM HOLDING INVEST CONSULTING BYGG TRANSPORT SERVICE DATA TEKNIKK MEKANISKE ELEKTRO "
    "RØR VVS REGNSKAP RÅDGIVNING SNEKKERI MALING FRISØR HUDPLEIE KAFE RESTAURANT HOTELL "
    "CAMPING GÅRD SKOGSDRIFT FISKE HAVBRUK AKVA SJØMAT BAKERI SLAKTERI MAT HANDEL SPORT "
    "DESIGN MEDIA FOTO FILM MUSIKK HELSE FYSIOTERAPI TANNLEGE BARNEHAGE UTVIKLING INNOVASJON "
    "ENERGI KRAFT SOL VIND BÅT MARINE MASKIN ANLEGG GRAVING TRE METALL PLAST GLASS LOGISTIKK"
).split()
FORMS = [("AS", 50), ("ENK", 30), ("FLI", 8), ("DA", 3), ("ANS", 3), ("SA", 2), ("NUF", 4)]
PLACES = [
    ("0301", "OSLO"), ("4601", "BERGEN"), ("5001", "TRONDHEIM"), ("1103", "STAVANGER"),
    ("3203", "ASKER"), ("5059", "ORKLAND"), ("5056", "HITRA"), ("5014", "FRØYA"),
    ("5021", "OPPDAL"), ("5025", "RØROS"), ("5027", "MIDTRE GAULDAL"), ("5028", "MELHUS"),
    ("1508", "ÅLESUND"), ("3907", "SANDEFJORD"), ("5501", "TROMSØ"), ("1804", "BODØ"),
]  # fmt: skip
NACE = ["62.100", "68.209", "41.000", "43.220", "01.450", "56.101", "70.220", "96.210", "49.410"]


def valid_org_numbers(count: int):
    """``count`` ascending org.nrs with a valid MOD11 check digit, from 800 000 000 on."""
    step = max(1, int(19_000_000 / (count * 1.15)))
    prefix = 80_000_000
    produced = 0
    while produced < count:
        prefix += step
        digits = f"{prefix:08d}"
        k = (11 - sum(w * int(d) for w, d in zip(WEIGHTS, digits, strict=True)) % 11) % 11
        if k == 10:
            continue
        produced += 1
        yield f"{digits}{k}"


def company_rows(count: int, seed: int):
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    forms = [code for code, weight in FORMS for _ in range(weight)]
    for number in valid_org_numbers(count):
        stem = rng.choice(SYLLABLES) + rng.choice(SYLLABLES).lower()
        form = rng.choice(forms)
        parts = [stem.upper()]
        if rng.random() < 0.7:
            parts.append(rng.choice(WORDS))
        if rng.random() < 0.25:
            parts.append(rng.choice(WORDS))
        if form != "ENK":
            parts.append(form)
        municipality, municipality_name = rng.choice(PLACES)
        yield {
            "org_number": number,
            "name": " ".join(parts),
            "organisation_form": form,
            "nace_code": rng.choice(NACE),
            "municipality_number": municipality,
            "municipality_name": municipality_name,
            "registered_on": f"{rng.randint(1990, 2026)}-{rng.randint(1, 12):02d}-01",
            "record_hash": MARKER,
        }


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if database_url.startswith("postgres"):
        _create_pg_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _create_pg_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def load(rows: int, seed: int) -> float:
    """Write the synthetic rows; returns seconds (index rebuild included)."""
    from django.db import connection

    from koblingsboks.companies import search
    from koblingsboks.companies.models import Company

    started = time.perf_counter()
    search.drop_search_index(connection)
    fields = [f for f in Company._meta.concrete_fields if not f.primary_key]
    if connection.vendor == "postgresql":
        _copy(connection, fields, company_rows(rows, seed))
    else:
        _insert_batches(connection, fields, company_rows(rows, seed))
    loaded = time.perf_counter()
    search.create_search_index(connection)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    finished = time.perf_counter()
    print(
        f"loaded {rows:,} rows in {loaded - started:.1f} s, search index built in "
        f"{finished - loaded:.1f} s"
    )
    return finished - started


def _copy(connection, fields, rows) -> None:
    columns = [f.column for f in fields]
    defaults = {f.column: _copy_default(f) for f in fields}
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        sql = f"COPY companies_company ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for values in rows:
                copy.write_row([values.get(c, defaults[c]) for c in columns])
    connection.connection.commit()


def _insert_batches(connection, fields, rows, size: int = 10_000) -> None:
    from django.db import transaction

    """Batches of prepared INSERTs (executemany). Django's bulk_create is limited to 999
    parameters per statement on SQLite, which is 30 companies: ten times slower here."""
    columns = [f.column for f in fields]
    defaults = {f.column: _copy_default(f) for f in fields}
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO companies_company ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        batch = []
        for values in rows:
            batch.append([values.get(c, defaults[c]) for c in columns])
            if len(batch) == size:
                cursor.executemany(sql, batch)
                batch = []
        cursor.executemany(sql, batch)


def _copy_default(field):
    if field.null:
        return None
    if field.get_internal_type() == "BooleanField":
        return False
    return field.get_default()


def queries(count: int, seed: int) -> list[tuple[str, str, str]]:
    """(kind, query, municipality) — from companies picked by a seeded random draw, so that
    every run with the same seed asks the same questions."""
    from django.db.models import Max, Min

    from koblingsboks.companies.models import Company

    rng = random.Random(seed + 1)  # noqa: S311 - synthetic data, not secrets
    bench_rows = Company.objects.filter(record_hash=MARKER)
    low, high = bench_rows.aggregate(low=Min("pk"), high=Max("pk")).values()
    picks = sorted({rng.randint(low, high) for _ in range(count * 3)})
    fields = ("pk", "name", "org_number", "municipality_number")
    found = {row[0]: row[1:] for row in bench_rows.filter(pk__in=picks).values_list(*fields)}
    order = picks[:]
    rng.shuffle(order)
    sample = [found[pk] for pk in order if pk in found]
    result = []
    kinds = ["prefix", "word", "two words", "org.nr", "org.nr prefix", "typo", "common word"]
    for i in range(count):
        kind = kinds[i % len(kinds)]
        name, number, municipality = sample[i]
        words = name.split()
        stem = words[0]
        if kind == "prefix":
            result.append((kind, name[: rng.randint(3, min(10, len(name)))].lower(), ""))
        elif kind == "word":
            result.append((kind, (words[1] if len(words) > 2 else stem).title(), ""))
        elif kind == "two words":
            second = (
                words[1][: rng.randint(min(3, len(words[1])), len(words[1]))]
                if len(words) > 1
                else ""
            )
            result.append((kind, f"{stem.lower()} {second.lower()}".strip(), ""))
        elif kind == "org.nr":
            result.append((kind, f"{number[:3]} {number[3:6]} {number[6:]}", ""))
        elif kind == "org.nr prefix":
            result.append((kind, number[: rng.randint(4, 7)], ""))
        elif kind == "typo":
            position = rng.randrange(1, len(stem))
            typo = stem[:position] + rng.choice("aeiouk") + stem[position + 1 :]
            result.append((kind, typo.lower(), ""))
        else:
            result.append((kind, rng.choice(["eiendom", "holding", "as", "bygg"]), municipality))
    return result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(args) -> int:
    from django.db import connection

    from koblingsboks.companies.models import Company
    from koblingsboks.companies.selectors import company_search

    vendor = connection.vendor
    existing = Company.objects.filter(record_hash=MARKER).count()
    if existing != args.rows:
        if existing:
            print(f"removing {existing:,} rows of an earlier run …")
            _delete_rows(connection)
        load(args.rows, args.seed)
    else:
        print(f"reusing {existing:,} rows of an earlier run")
    total = Company.objects.count()
    plan = queries(args.queries, args.seed)
    for _kind, query, municipality in plan[:20]:  # warm-up
        company_search(query=query, municipality=municipality, limit=20)

    timings: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    slowest: list[tuple[float, str, str, str]] = []
    for kind, query, municipality in plan:
        started = time.perf_counter()
        found = company_search(query=query, municipality=municipality, limit=20)
        elapsed = (time.perf_counter() - started) * 1000
        timings.setdefault(kind, []).append(elapsed)
        hits[kind] = hits.get(kind, 0) + int(bool(found))
        slowest.append((elapsed, kind, query, municipality))

    every = [t for values in timings.values() for t in values]
    target = TARGET_MS[vendor]
    print(f"\n{vendor}: {total:,} companies, {len(every)} queries, limit 20")
    print(f"{'kind':15} {'n':>4} {'hits':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in timings.items():
        print(
            f"{kind:15} {len(values):4d} {hits[kind]:5d} {statistics.median(values):8.2f} "
            f"{percentile(values, 0.95):8.2f} {max(values):8.2f}"
        )
    p50, p95 = statistics.median(every), percentile(every, 0.95)
    print(
        f"{'all':15} {len(every):4d} {sum(hits.values()):5d} {p50:8.2f} {p95:8.2f} "
        f"{max(every):8.2f}"
    )
    print("slowest:", "; ".join(f"{q!r} {m} {t:.0f} ms" for t, _k, q, m in sorted(slowest)[-5:]))
    print(f"\np95 {p95:.1f} ms against the target {target:.0f} ms: ratio {p95 / target:.2f}")

    if not args.keep:
        _delete_rows(connection)
    return 0 if p95 <= target else 1


def _delete_rows(connection) -> None:
    """One DELETE; the ORM would first fetch every pk to look for related rows."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM companies_company WHERE record_hash = %s", [MARKER])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--keep", action="store_true", help="keep the rows for another run")
    args = parser.parse_args(argv)

    temporary = None
    if not args.database_url:
        temporary = Path(tempfile.gettempdir()) / "koblingsboks-bench-search.sqlite3"
        args.database_url = f"sqlite:///{temporary}"
    setup_django(args.database_url)
    status = run(args)
    if temporary is not None and not args.keep:
        from django.db import connection

        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
