"""A synthetic national dataset for the KPI benchmark (issue 4): 100 gardens in 10 networks,
50,000 companies, 10 years of annual accounts (about 500,000 rows) and their affiliations.

    python bench/generate_national.py --database-url sqlite:////tmp/kb_kpi.sqlite3
    python bench/generate_national.py --database-url postgres://postgres@127.0.0.1:5432/kb_reporting_bench
    python bench/generate_national.py --files /tmp/national   # the files only, no database

``--files DIR`` writes the data in the official register formats as well:
``enheter.json.gz`` (the entity register's bulk-file shape: organisasjonsnummer, navn,
organisasjonsform, naeringskode1, forretningsadresse, stiftelsesdato, …),
``regnskap.json.gz`` (org.nr → the accounts register's array of annual accounts:
regnskapstype, regnskapsperiode, valuta, driftsinntekter.sumDriftsinntekter, driftsresultat,
loennskostnad) and ``affiliations.csv`` (the columns of ``manage.py import_affiliations``).

The database load writes the same rows with ``bulk_create`` in batches (the register
importers are measured by bench_import.py; going through them here would only slow the
set-up). Deterministic for a ``--seed``; refuses to load into a database that already has
the generated rows (marker: companies with ``record_hash = "bench-national"``).

Shape: every company is affiliated with one garden (10 % with a second garden in the same
network, 8 % as tenants, 30 % of affiliations ended), admitted 2014–2025; accounts
2016–2025 (a few missing years, zero and negative turnovers, 2 % in SEK, 3 % self-reported).
"""

import argparse
import csv
import datetime
import gzip
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARKER = "bench-national"
GARDENS = 100
NETWORKS = 10
COMPANIES = 50_000
YEARS = range(2016, 2026)
WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def org_number(n: int, base: int) -> str:
    """The n-th org.nr from ``base`` with a valid MOD11 check digit."""
    candidate = base + n * 100
    while True:
        digits = str(candidate)[:8]
        total = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            return digits + str(check)
        candidate += 10


def generate(seed: int, companies: int = COMPANIES, gardens: int = GARDENS):
    """Yields nothing; returns (gardens, companies, accounts, affiliations) as plain dicts."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    garden_rows = [
        {
            "org_number": org_number(i, 960_000_000),
            "name": f"Benchhagen {i:03d}",
            "slug": f"benchhagen-{i:03d}",
            "network": i % NETWORKS,
        }
        for i in range(gardens)
    ]
    company_rows, account_rows, affiliation_rows = [], [], []
    for i in range(companies):
        number = org_number(i, 700_000_000)
        founded = datetime.date(rng.randint(2000, 2025), rng.randint(1, 12), rng.randint(1, 28))
        company_rows.append(
            {
                "org_number": number,
                "name": f"BENCHBEDRIFT {i:05d} AS",
                "founded_on": founded,
                "registered_on": founded + datetime.timedelta(days=rng.randint(0, 60)),
                "municipality_number": "5001",
            }
        )
        garden = rng.randrange(gardens)
        start = datetime.date(rng.randint(2014, 2025), rng.randint(1, 12), rng.randint(1, 28))
        kind = "tenant" if rng.random() < 0.08 else rng.choice(("target", "target", "incubator"))
        end = None
        if rng.random() < 0.3:
            end = start + datetime.timedelta(days=rng.randint(30, 2500))
        affiliation_rows.append((garden, number, kind, start, end))
        if rng.random() < 0.1:
            other = (garden + NETWORKS * rng.randint(1, gardens // NETWORKS - 1)) % gardens
            second = start + datetime.timedelta(days=rng.randint(0, 900))
            affiliation_rows.append((other, number, "target", second, None))
        currency = "SEK" if rng.random() < 0.02 else "NOK"
        source = "self_reported" if rng.random() < 0.03 else "accounts_register"
        turnover = rng.choice((0, 50_000, 500_000, 2_000_000, 10_000_000)) * rng.random()
        for year in YEARS:
            if rng.random() < 0.04:
                continue
            turnover = turnover * rng.uniform(0.7, 1.6) + rng.choice((0, 0, 100_000))
            value = int(turnover) if rng.random() > 0.01 else -rng.randint(1, 50_000)
            account_rows.append(
                {
                    "org_number": number,
                    "year": year,
                    "currency": currency,
                    "turnover": value,
                    "operating_result": int(value * rng.uniform(-0.2, 0.2)),
                    "personnel_costs": int(max(value, 0) * rng.uniform(0.1, 0.5)),
                    "employees": rng.randint(0, 30),
                    "source": source,
                }
            )
    return garden_rows, company_rows, account_rows, affiliation_rows


def write_files(directory: Path, data) -> None:
    gardens, companies, accounts, affiliations = data
    directory.mkdir(parents=True, exist_ok=True)
    with gzip.open(directory / "enheter.json.gz", "wt", encoding="utf-8") as out:
        out.write("[")
        for index, c in enumerate(companies):
            entity = {
                "organisasjonsnummer": c["org_number"],
                "navn": c["name"],
                "organisasjonsform": {"kode": "AS", "beskrivelse": "Aksjeselskap"},
                "naeringskode1": {"kode": "62.100", "beskrivelse": "Programmeringstjenester"},
                "forretningsadresse": {
                    "land": "Norge",
                    "landkode": "NO",
                    "postnummer": "7010",
                    "poststed": "TRONDHEIM",
                    "adresse": ["Benchgata 1"],
                    "kommune": "TRONDHEIM",
                    "kommunenummer": c["municipality_number"],
                },
                "stiftelsesdato": c["founded_on"].isoformat(),
                "registreringsdatoEnhetsregisteret": c["registered_on"].isoformat(),
            }
            out.write(("," if index else "") + json.dumps(entity, ensure_ascii=False))
        out.write("]")
    by_company: dict[str, list] = {}
    for a in accounts:
        by_company.setdefault(a["org_number"], []).append(
            {
                "regnskapstype": "SELSKAP",
                "virksomhet": {"organisasjonsnummer": a["org_number"]},
                "regnskapsperiode": {
                    "fraDato": f"{a['year']}-01-01",
                    "tilDato": f"{a['year']}-12-31",
                },
                "valuta": a["currency"],
                "resultatregnskapResultat": {
                    "driftsresultat": {
                        "driftsresultat": a["operating_result"],
                        "driftsinntekter": {"sumDriftsinntekter": a["turnover"]},
                        "driftskostnad": {"loennskostnad": a["personnel_costs"]},
                    }
                },
            }
        )
    with gzip.open(directory / "regnskap.json.gz", "wt", encoding="utf-8") as out:
        json.dump(by_company, out)
    with open(directory / "affiliations.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(("organisation_org_nr", "company_org_nr", "kind", "start_date", "end_date"))
        for garden, number, kind, start, end in affiliations:
            writer.writerow(
                (
                    gardens[garden]["org_number"],
                    number,
                    kind,
                    start.isoformat(),
                    end.isoformat() if end else "",
                )
            )


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if database_url.startswith("postgres"):
        import psycopg

        base, _, name = database_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(data, batch: int = 5000) -> dict:
    """Write the rows; returns counts."""
    from django.db import transaction
    from django_scopes import scopes_disabled

    from koblingsboks.companies.models import Affiliation, Company, KeyFigures
    from koblingsboks.network.models import Network, NetworkParty, Organisation

    gardens, companies, accounts, affiliations = data
    if Company.objects.filter(record_hash=MARKER).exists():
        raise SystemExit("The national bench data is already loaded in this database.")
    with transaction.atomic(), scopes_disabled():
        networks = Network.objects.bulk_create(
            [Network(name=f"Benchnettverk {i}", slug=f"benchnettverk-{i}") for i in range(NETWORKS)]
        )
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(
                    kind="business_garden",
                    name=g["name"],
                    slug=g["slug"],
                    org_number=g["org_number"],
                )
                for g in gardens
            ]
        )
        NetworkParty.objects.bulk_create(
            [
                NetworkParty(network=networks[g["network"]], organisation=o)
                for g, o in zip(gardens, orgs, strict=True)
            ]
        )
        Company.objects.bulk_create(
            [Company(record_hash=MARKER, **c) for c in companies], batch_size=batch
        )
        ids = dict(Company.objects.filter(record_hash=MARKER).values_list("org_number", "id"))
        KeyFigures.objects.bulk_create(
            (
                KeyFigures(
                    company_id=ids[a["org_number"]],
                    year=a["year"],
                    period_start=datetime.date(a["year"], 1, 1),
                    period_end=datetime.date(a["year"], 12, 31),
                    currency=a["currency"],
                    turnover=Decimal(a["turnover"]),
                    operating_result=Decimal(a["operating_result"]),
                    personnel_costs=Decimal(a["personnel_costs"]),
                    employees=a["employees"],
                    source=a["source"],
                )
                for a in accounts
            ),
            batch_size=batch,
        )
        Affiliation.objects.bulk_create(
            (
                Affiliation(
                    organisation=orgs[g], company_id=ids[n], kind=k, start_date=s, end_date=e
                )
                for g, n, k, s, e in affiliations
            ),
            batch_size=batch,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What autovacuum would do after a load: the account summary's triggers leave a
            # dead row version per company (placeholder, then the figures).
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return {
        "gardens": len(gardens),
        "companies": len(companies),
        "accounts": len(accounts),
        "affiliations": len(affiliations),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--files", type=Path, help="also write the official-format files here")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--companies", type=int, default=COMPANIES)
    args = parser.parse_args()
    started = time.perf_counter()
    data = generate(args.seed, companies=args.companies)
    print(f"generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if args.files:
        write_files(args.files, data)
        print(f"files written to {args.files}", file=sys.stderr)
    if args.database_url:
        setup_django(args.database_url)
        started = time.perf_counter()
        counts = load(data)
        print(f"loaded {counts} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
