"""Benchmark of manage.py import_brreg against the issue's targets (issue 3, "Speed").

    python bench/bench_import.py --file FULL.json.gz --changed CHANGED.json.gz \
        [--db postgresql sqlite] [--workers N]

Make the files first (bench/generate_register.py; the defaults are 1.1 million entities):

    python bench/generate_register.py /tmp/enheter.json.gz
    python bench/generate_register.py /tmp/enheter-1pct.json.gz \
        --from /tmp/enheter.json.gz --changed-percent 1

What it measures, each step in its own process (so that peak RSS is that step's alone):

(a) PostgreSQL baseline: the same streaming parse (the import's worker processes and COPY
    blocks), written with psycopg ``COPY`` into a bare table — no indexes, no constraints,
    no upsert: the practical limit of "parse + COPY".
(b) ``import_brreg FILE`` into an empty, migrated database (indexes built as the app has
    them, search indexes included).
(c) Refresh: ``import_brreg CHANGED`` into the result of (b); the rows written must equal
    the number of changed entities the generator recorded.
(d) Peak RSS of each step (``ru_maxrss`` from ``os.wait4`` of the step's process, which
    includes the parser worker processes it started: the largest of them counts).

The databases are separate: PostgreSQL ``koblingsboks_bench`` on the server of
DATABASE_URL (default postgres://postgres@127.0.0.1:5432), dropped and created by this
script; SQLite a temporary file. Prints rows/s, seconds, peak MB, the ratio to the baseline,
and each target as met or missed.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BENCH_DB = "koblingsboks_bench"

TARGETS = {
    "postgresql_full_s": 30,
    "postgresql_ratio": 2.0,
    "sqlite_full_s": 90,
    "peak_mb": 200,
    "postgresql_refresh_s": 30,
}

BASELINE = """
import sys, time
import psycopg
from koblingsboks.companies.register.parser import iter_entities
from koblingsboks.companies.register.records import FIELD_NAMES
url, path, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
workers = None if workers < 0 else workers  # None: the parser's default, as the import
columns = ", ".join([*FIELD_NAMES, "record_hash"])
types = ["text"] * 18 + ["date", "date", "integer", "boolean", "boolean", "date", "boolean",
         "date", "boolean", "date", "text", "integer", "text"]
with psycopg.connect(url) as conn:
    conn.execute("DROP TABLE IF EXISTS bench_bare")
    conn.execute("CREATE TABLE bench_bare (" + ", ".join(
        f"{name} {kind}" for name, kind in zip([*FIELD_NAMES, "record_hash"], types)) + ")")
    conn.commit()
    started = time.monotonic()
    count = 0
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY bench_bare ({columns}) FROM STDIN") as copy:
            for block in iter_entities(path, workers=workers).copy_blocks("\\n"):
                copy.write(block.data)
                count += block.count
    conn.commit()
    print(f"BASELINE rows={count} seconds={time.monotonic() - started:.2f}")
    conn.execute("DROP TABLE bench_bare")
"""


def _server_url(database_url: str, name: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _run(args: list[str], env: dict) -> tuple[float, int, str]:
    """Run a step; (seconds, peak RSS in MB of it and its children, output)."""
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        print(output)
        raise SystemExit(f"step failed ({code}): {' '.join(args)}")
    return seconds, usage.ru_maxrss // 1024, output


def _env(database_url: str, workers: int | None) -> dict:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DEBUG="False",  # as in production: no query log
    )
    env.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    if workers is not None:
        env["BRREG_IMPORT_WORKERS"] = str(workers)
    return env


def _import(path: Path, env: dict) -> dict:
    seconds, peak, output = _run(
        [PYTHON, "manage.py", "import_brreg", str(path), "-v2", "--progress-every", "0"], env
    )
    counts = re.search(
        r"Read (\d+) entities .*?: (\d+) created, (\d+) updated, (\d+) unchanged, "
        r"(\d+) marked deleted",
        output,
    )
    if not counts:
        print(output)
        raise SystemExit("could not read the import's summary")
    read, created, updated, unchanged, deleted = map(int, counts.groups())
    timings = dict(re.findall(r"^  ([a-z ]+): ([0-9.]+) s$", output, flags=re.MULTILINE))
    return {
        "seconds": seconds,
        "peak_mb": peak,
        "read": read,
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "marked_deleted": deleted,
        "rows_per_s": read / seconds,
        "timings": timings,
        "memory": re.findall(r"peak memory \(RSS\): (.*)", output),
    }


def _migrate(env: dict) -> None:
    _run([PYTHON, "manage.py", "migrate", "-v0"], env)


def _verdict(value: float, limit: float) -> str:
    return "met" if value <= limit else "MISSED"


def bench_postgresql(args, meta_changed: int) -> dict:
    import psycopg

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/koblingsboks")
    if not server.startswith("postgres"):
        server = "postgres://postgres@127.0.0.1:5432/koblingsboks"
    admin = _server_url(server, "postgres")
    url = _server_url(server, BENCH_DB)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    try:
        env = _env(url, args.workers)
        _migrate(env)
        workers = args.workers if args.workers is not None else -1
        seconds, peak, output = _run(
            [PYTHON, "-c", BASELINE, url, str(args.file), str(workers)], env
        )
        baseline = {"seconds": seconds, "peak_mb": peak}
        print(f"(a) baseline parse + COPY into a bare table: {seconds:.1f} s, {peak} MB")
        full = _import(args.file, env)
        _print("(b) import_brreg, empty database", full)
        refresh = _import(args.changed, env) if args.changed else None
        if refresh:
            _print("(c) refresh with the changed file", refresh)
    finally:
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    ratio = full["seconds"] / baseline["seconds"]
    print(f"    ratio to the baseline: {ratio:.2f}")
    checks = [
        ("PostgreSQL full import < 30 s", full["seconds"], TARGETS["postgresql_full_s"]),
        ("PostgreSQL full import <= 2x baseline", ratio, TARGETS["postgresql_ratio"]),
        ("peak memory < 200 MB (full import)", full["peak_mb"], TARGETS["peak_mb"]),
    ]
    if refresh:
        checks.append(
            ("PostgreSQL refresh < 30 s", refresh["seconds"], TARGETS["postgresql_refresh_s"])
        )
        checks.append(("peak memory < 200 MB (refresh)", refresh["peak_mb"], TARGETS["peak_mb"]))
        written = refresh["created"] + refresh["updated"]
        print(
            f"    refresh wrote {written} rows; the generator changed {meta_changed}: "
            + ("equal" if written == meta_changed else "DIFFERENT")
        )
    for label, value, limit in checks:
        print(f"    {label}: {value:.2f} → {_verdict(value, limit)}")
    return {"baseline": baseline, "full": full, "refresh": refresh, "ratio": ratio}


def bench_sqlite(args, meta_changed: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as directory:
        url = f"sqlite:///{directory}/bench.sqlite3"
        env = _env(url, args.workers)
        _migrate(env)
        full = _import(args.file, env)
        _print("(b) import_brreg into SQLite, empty database", full)
        refresh = _import(args.changed, env) if args.changed else None
        if refresh:
            _print("(c) refresh into SQLite with the changed file", refresh)
            written = refresh["created"] + refresh["updated"]
            print(
                f"    refresh wrote {written} rows; the generator changed {meta_changed}: "
                + ("equal" if written == meta_changed else "DIFFERENT")
            )
    for label, value, limit in [
        ("SQLite full import < 90 s", full["seconds"], TARGETS["sqlite_full_s"]),
        ("peak memory < 200 MB (full import)", full["peak_mb"], TARGETS["peak_mb"]),
    ]:
        print(f"    {label}: {value:.2f} → {_verdict(value, limit)}")
    return {"full": full, "refresh": refresh}


def _print(label: str, step: dict) -> None:
    print(
        f"{label}: {step['seconds']:.1f} s, {step['rows_per_s']:.0f} rows/s, "
        f"peak {step['peak_mb']} MB; {step['created']} created, {step['updated']} updated, "
        f"{step['unchanged']} unchanged, {step['marked_deleted']} marked deleted"
    )
    if step["timings"]:
        print("    " + ", ".join(f"{k} {v} s" for k, v in step["timings"].items()))
    for line in step["memory"]:
        print(f"    peak memory: {line}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, required=True, help="the full register file")
    parser.add_argument("--changed", type=Path, help="the same file with some entities changed")
    parser.add_argument(
        "--db", nargs="+", choices=["postgresql", "sqlite"], default=["postgresql", "sqlite"]
    )
    parser.add_argument(
        "--workers", type=int, help="parser processes (default: the import's own default)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    meta_changed = -1
    if args.changed:
        meta_path = Path(f"{args.changed}.meta.json")
        if meta_path.exists():
            meta_changed = json.loads(meta_path.read_text())["changed"]
    print(
        f"file {args.file} ({args.file.stat().st_size / 1e6:.0f} MB); workers: "
        f"{args.workers if args.workers is not None else 'default'}; "
        f"load average before: {os.getloadavg()[0]:.2f}"
    )
    results = {}
    if "postgresql" in args.db:
        results["postgresql"] = bench_postgresql(args, meta_changed)
    if "sqlite" in args.db:
        results["sqlite"] = bench_sqlite(args, meta_changed)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
