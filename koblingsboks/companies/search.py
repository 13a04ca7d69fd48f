"""Company search over the whole register: by name (prefix, word, fuzzy) or by org.nr.

Each database gets the index it is good at (created by migration 0002, SQL below):

- PostgreSQL: a btree on ``upper(name) COLLATE "C"`` finds names that start with the query
  in index order; a trigram GIN index (pg_trgm) finds names that contain every word of
  three letters or more, and — when nothing else matched — names similar to the query
  (typos), with the ``<%`` operator; a full-text GIN index ('simple' configuration) finds
  word starts for queries of only one- and two-letter words, which have no trigram.
  Matches are ranked by trigram word similarity.
- SQLite: a NOCASE index for names that start with the query; an FTS5 table over the name,
  kept in sync by triggers, for word prefixes ranked by bm25; and, when nothing matched,
  any of the words. Without FTS5 the words are matched with LIKE (slow but correct).

A word that matches tens of thousands of companies is not ranked over all of them: only the
first CANDIDATES matches the index yields are (see ``_pg_ranked``), so every search has a
bounded cost; a distinctive name has fewer matches and is ranked in full.

Digits (spaces allowed, 1–9 of them) search the org.nr by prefix. Results come stage by
stage — prefix matches first, then word matches — without duplicates.

Every statement here is built from the constants below and ``%s`` placeholders only; user
input is always a bound parameter (hence the ``noqa: S608`` markers).
"""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import connection as default_connection
from django.db import connections

from koblingsboks.companies.models import Company

MAX_QUERY_LENGTH = 100
MAX_LIMIT = 100
# How many matches of a word search are ranked at most (see _pg_ranked).
CANDIDATES = 200
FTS_TABLE = "companies_company_fts"
TABLE = "companies_company"

PG_TSVECTOR = "to_tsvector('simple', name)"
PG_CREATE_BTREE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f'CREATE INDEX IF NOT EXISTS company_name_prefix_idx ON {TABLE} ((upper(name) COLLATE "C"))',
]
# The two GIN indexes take most of the time of building the search index.
PG_CREATE_GIN = [
    f"CREATE INDEX IF NOT EXISTS company_name_trgm_idx ON {TABLE} USING gin (name gin_trgm_ops)",
    f"CREATE INDEX IF NOT EXISTS company_name_fts_idx ON {TABLE} USING gin (({PG_TSVECTOR}))",
]
PG_CREATE = PG_CREATE_BTREE + PG_CREATE_GIN
# The extension stays when the indexes go: other objects may use it.
PG_DROP = [
    "DROP INDEX IF EXISTS company_name_prefix_idx",
    "DROP INDEX IF EXISTS company_name_fts_idx",
    "DROP INDEX IF EXISTS company_name_trgm_idx",
]

SQLITE_CREATE = [
    f"CREATE INDEX IF NOT EXISTS company_name_nocase_idx ON {TABLE} (name COLLATE NOCASE)",
]
SQLITE_FTS_CREATE = [
    # remove_diacritics 0: "Ås" must not match every "AS".
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(name, content='{TABLE}', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {TABLE} BEGIN "  # noqa: S608
    f"INSERT INTO {FTS_TABLE}(rowid, name) VALUES (new.id, new.name); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {TABLE} BEGIN "  # noqa: S608
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name) VALUES ('delete', old.id, old.name); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF name ON {TABLE} "  # noqa: S608
    "WHEN old.name IS NOT new.name BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name) VALUES ('delete', old.id, old.name); "
    f"INSERT INTO {FTS_TABLE}(rowid, name) VALUES (new.id, new.name); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",  # noqa: S608
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
    "DROP INDEX IF EXISTS company_name_nocase_idx",
]


def create_search_index(connection=default_connection) -> None:
    """Create (or complete) the search index of ``connection``'s database; idempotent.

    Also the repair after SQLite rebuilt companies_company (which drops its triggers): the
    FTS table is rebuilt from the company rows.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in PG_CREATE:
                cursor.execute(sql)
        elif connection.vendor == "sqlite":
            for sql in SQLITE_CREATE:
                cursor.execute(sql)
            if _sqlite_has_fts5(cursor):
                for sql in SQLITE_FTS_CREATE:
                    cursor.execute(sql)


def create_indexes_in_parallel(statements: list[str], alias: str = "default") -> None:
    """Run CREATE INDEX statements two at a time, each on a connection of its own (in
    autocommit), for a bulk load that has committed its rows without its indexes.

    CREATE INDEX takes a SHARE lock, which does not block another build of the same table,
    and PostgreSQL 15 builds a GIN index in one process: two connections use two cores.
    The statements are taken in the order given (put the longest first).
    """
    pending = iter(statements)
    lock = threading.Lock()

    def next_statement() -> str | None:
        with lock:
            return next(pending, None)

    def work() -> None:
        connection = connections.create_connection(alias)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '256MB'")
                while (sql := next_statement()) is not None:
                    cursor.execute(sql)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(work) for _ in range(2)]:
            future.result()


def drop_search_index(connection=default_connection) -> None:
    """Remove the search index (a bulk load may drop it first and create it afterwards)."""
    statements = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _sqlite_has_fts5(cursor) -> bool:
    cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
    if cursor.fetchone()[0]:
        return True
    cursor.execute("SELECT 1 FROM pragma_module_list WHERE name = 'fts5'")
    return cursor.fetchone() is not None


def search_index_ready(connection=default_connection) -> bool:
    """Whether the fast path exists: pg_trgm on PostgreSQL, the FTS table on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
            )
        else:
            return False
        return cursor.fetchone() is not None


@dataclass(frozen=True)
class ParsedQuery:
    """The query as typed, trimmed; its org.nr digits when it is one; its words."""

    text: str
    digits: str = ""
    words: list[str] = field(default_factory=list)


def parse_query(query: str) -> ParsedQuery:
    text = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    compact = text.replace(" ", "")
    if re.fullmatch(r"[0-9]{1,9}", compact):
        return ParsedQuery(text=text, digits=compact)
    # Word characters as FTS5's unicode61 tokenizer sees them (letters and digits).
    words = re.findall(r"[^\W_]+", text)
    return ParsedQuery(text=text, words=words)


@dataclass(frozen=True)
class Filters:
    nace: str = ""  # a prefix of the main NACE code: "62" or "62.1"
    municipality: str = ""  # a municipality number

    def sql(self, alias: str = "") -> tuple[str, list]:
        prefix = f"{alias}." if alias else ""
        clauses, params = [], []
        if self.nace:
            clauses.append(f"{prefix}nace_code LIKE %s ESCAPE '\\'")
            params.append(_like_escape(self.nace) + "%")
        if self.municipality:
            clauses.append(f"{prefix}municipality_number = %s")
            params.append(self.municipality)
        return "".join(f" AND {c}" for c in clauses), params


def company_search(
    *, query: str, nace: str = "", municipality: str = "", limit: int = 20
) -> list[Company]:
    """Companies matching ``query`` (name or org.nr), best first, at most ``limit``."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    parsed = parse_query(query)
    filters = Filters(nace=nace or "", municipality=municipality or "")
    if parsed.digits:
        return _by_org_number(parsed.digits, filters, limit)
    if not parsed.text:
        if not (filters.nace or filters.municipality):
            return []
        return _browse(filters, limit)
    vendor = default_connection.vendor
    if vendor == "postgresql" and search_index_ready():
        stages = [_pg_prefix, _pg_words, _pg_fuzzy]
    elif vendor == "sqlite" and search_index_ready():
        stages = [_sqlite_prefix, _sqlite_words, _sqlite_any_word]
    else:
        stages = [_like_words]
    found: dict[int, Company] = {}
    for stage in stages:
        # The last stage (fuzzy / any word) only runs when nothing matched at all.
        if stage is stages[-1] and len(stages) > 1 and found:
            break
        for company in stage(parsed, filters, limit - len(found), exclude=list(found)):
            found.setdefault(company.pk, company)
        if len(found) >= limit:
            break
    return list(found.values())[:limit]


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _raw(sql: str, params: list) -> list[Company]:
    return list(Company.objects.raw(sql, params))


def _exclude_sql(exclude: list[int], alias: str = "") -> tuple[str, list]:
    if not exclude:
        return "", []
    prefix = f"{alias}." if alias else ""
    marks = ", ".join(["%s"] * len(exclude))
    return f" AND {prefix}id NOT IN ({marks})", list(exclude)


def _by_org_number(digits: str, filters: Filters, limit: int) -> list[Company]:
    # A range on the unique index works the same on every database (no LIKE collation).
    high = digits + "9" * (9 - len(digits))
    where, params = filters.sql()
    sql = (
        f"SELECT * FROM {TABLE} WHERE org_number >= %s AND org_number <= %s{where} "  # noqa: S608
        "ORDER BY org_number LIMIT %s"
    )
    return _raw(sql, [digits, high, *params, limit])


def _browse(filters: Filters, limit: int) -> list[Company]:
    where, params = filters.sql()
    sql = f"SELECT * FROM {TABLE} WHERE 1 = 1{where} ORDER BY name LIMIT %s"  # noqa: S608
    return _raw(sql, [*params, limit])


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_prefix(parsed: ParsedQuery, filters: Filters, limit: int, *, exclude) -> list[Company]:
    where, params = filters.sql()
    sql = (
        f'SELECT * FROM {TABLE} WHERE upper(name) COLLATE "C" LIKE %s{where} '  # noqa: S608
        'ORDER BY upper(name) COLLATE "C" LIMIT %s'
    )
    return _raw(sql, [_like_escape(parsed.text.upper()) + "%", *params, limit])


def _pg_ranked(
    condition: str, params: list, parsed: ParsedQuery, filters: Filters, limit: int, exclude
) -> list[Company]:
    """The matches of ``condition``, most similar to the query first.

    Only the first CANDIDATES matches the index yields are ranked: a common word matches tens
    of thousands of companies, and ranking all of them would cost far more than the search
    may take. Fewer matches than that (any distinctive name) are ranked in full.
    """
    where, filter_params = filters.sql()
    not_in, excluded = _exclude_sql(exclude)
    sql = (
        f"SELECT * FROM (SELECT * FROM {TABLE} WHERE {condition}{where}{not_in} LIMIT %s) c "  # noqa: S608
        "ORDER BY word_similarity(%s, name) DESC, name LIMIT %s"
    )
    return _raw(sql, [*params, *filter_params, *excluded, CANDIDATES, parsed.text, limit])


def _pg_words(parsed: ParsedQuery, filters: Filters, limit: int, *, exclude) -> list[Company]:
    """Names that contain every word of the query.

    Words of three letters or more are found anywhere in the name through the trigram
    index; shorter ones have no trigram, so a query of only short words matches word starts
    through the full-text index ('simple' configuration: names are not prose, so no stemming
    and no stop words).
    """
    if not parsed.words:
        return []
    if any(len(word) >= 3 for word in parsed.words):
        condition = " AND ".join(["name ILIKE %s"] * len(parsed.words))
        params = [f"%{_like_escape(word)}%" for word in parsed.words]
    else:
        condition = f"{PG_TSVECTOR} @@ to_tsquery('simple', %s)"
        params = [" & ".join(f"{word}:*" for word in parsed.words)]
    return _pg_ranked(condition, params, parsed, filters, limit, exclude)


def _pg_fuzzy(parsed: ParsedQuery, filters: Filters, limit: int, *, exclude) -> list[Company]:
    """Names similar to the query (a typo), when nothing else matched."""
    if len(parsed.text) < 3:
        return []
    return _pg_ranked("%s <%% name", [parsed.text], parsed, filters, limit, exclude)


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_prefix(parsed: ParsedQuery, filters: Filters, limit: int, *, exclude) -> list[Company]:
    # NOCASE folds ASCII only; register names are upper case, so the query is too.
    low = parsed.text.upper()
    high = low + "\U0010ffff"
    where, params = filters.sql()
    sql = (
        f"SELECT * FROM {TABLE} WHERE name >= %s COLLATE NOCASE AND name < %s COLLATE NOCASE"  # noqa: S608
        f"{where} ORDER BY name COLLATE NOCASE LIMIT %s"
    )
    return _raw(sql, [low, high, *params, limit])


def _fts_match(words: list[str], operator: str) -> str:
    return f" {operator} ".join(f'"{word}"*' for word in words)


def _sqlite_fts(match: str, filters: Filters, limit: int, exclude) -> list[Company]:
    """FTS matches ranked by bm25, among the first CANDIDATES the index yields (see
    ``_pg_ranked``)."""
    where, params = filters.sql("c")
    not_in, excluded = _exclude_sql(exclude, "c")
    sql = (
        f"SELECT c.*, f.rank AS search_rank FROM {FTS_TABLE} f JOIN {TABLE} c ON c.id = f.rowid "  # noqa: S608
        f"WHERE {FTS_TABLE} MATCH %s{where}{not_in} LIMIT %s"
    )
    sql = f"SELECT * FROM ({sql}) ORDER BY search_rank, name LIMIT %s"  # noqa: S608
    return _raw(sql, [match, *params, *excluded, CANDIDATES, limit])


def _sqlite_words(parsed: ParsedQuery, filters: Filters, limit: int, *, exclude) -> list[Company]:
    if not parsed.words:
        return _like_words(parsed, filters, limit, exclude=exclude)
    return _sqlite_fts(_fts_match(parsed.words, "AND"), filters, limit, exclude)


def _sqlite_any_word(
    parsed: ParsedQuery, filters: Filters, limit: int, *, exclude
) -> list[Company]:
    if len(parsed.words) < 2:
        return []
    return _sqlite_fts(_fts_match(parsed.words, "OR"), filters, limit, exclude)


# --- any database, without an index -------------------------------------------------------


def _like_words(parsed: ParsedQuery, filters: Filters, limit: int, *, exclude) -> list[Company]:
    """Every word (or, with none, the whole text) somewhere in the name: a full scan."""
    terms = parsed.words or [parsed.text]
    qs = Company.objects.all()
    for term in terms:
        qs = qs.filter(name__icontains=term)
    if filters.nace:
        qs = qs.filter(nace_code__startswith=filters.nace)
    if filters.municipality:
        qs = qs.filter(municipality_number=filters.municipality)
    return list(qs.exclude(pk__in=exclude).order_by("name")[:limit])
