"""Full-text search over the methods and posts a reader may see, in Norwegian.

PostgreSQL: the ``norwegian`` text search configuration (Snowball stemming: "søknader",
"søknaden" and "søknad" share the stem "søknad"; stop words dropped). Title, summary and
text are weighted A, B and C; matches are ranked with ts_rank (SearchRank) and shown with a
highlighted snippet (SearchHeadline). GIN indexes over exactly the vectors queried here are
created by migration 0002 (PostgreSQL only), so the @@ match uses them.

SQLite (the embedded default) has no Norwegian stemmer. The fallback matches each query word
by its crude stem — common Norwegian plural and definite endings cut off (-ene, -ane, -er,
-en, -et, -a, -e …) — as a case-insensitive substring of title, summary or text, among the
methods and posts the reader may see; it ranks by weighted occurrences (title 3, summary 2,
text 1) and cuts the snippet around the first match in Python. It finds "søknader" for
"søknad" and the other way round, but not irregular forms, and it reads every visible row,
which is fine for the size of one network's library.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from koblingsboks.core.markdown import markdown_to_text
from koblingsboks.library import sharing
from koblingsboks.library.models import Method, Post
from koblingsboks.network.models import Organisation

CONFIG = "norwegian"
MAX_QUERY = 200
LIMIT = 50
# Control characters cannot occur in stored text: safe markers for the highlighted words.
START, STOP = "\x02", "\x03"


def method_vector() -> SearchVector:
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def post_vector() -> SearchVector:
    return SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        "body", weight="C", config=CONFIG
    )


INDEXES = [
    ("library_method", "library_method_fts_idx", method_vector),
    ("library_post", "library_post_fts_idx", post_vector),
]


@dataclass
class Hit:
    kind: str  # "method" or "post"
    obj: Method | Post
    rank: float
    snippet: SafeString


def _highlight(text: str) -> SafeString:
    return mark_safe(  # noqa: S308 — escaped first; only our own <mark> tags are added
        escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    )


def search(*, query: str, organisation: Organisation, limit: int = LIMIT) -> list[Hit]:
    """Methods and posts matching ``query`` that ``organisation`` may see, best first."""
    query = " ".join((query or "").split())[:MAX_QUERY]
    if not query:
        return []
    methods = sharing.methods_visible_to(organisation=organisation).select_related("organisation")
    posts = sharing.posts_visible_to(organisation=organisation).select_related(
        "organisation", "author"
    )
    if connection.vendor == "postgresql":
        hits = _pg(query, methods, "method", method_vector(), "summary") + _pg(
            query, posts, "post", post_vector(), "body"
        )
    else:
        hits = _fallback(query, methods, "method") + _fallback(query, posts, "post")
    hits.sort(key=lambda h: (-h.rank, h.obj.title))
    return hits[:limit]


def _pg(query: str, qs, kind: str, vector, snippet_field: str) -> list[Hit]:
    search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    options = {"start_sel": START, "stop_sel": STOP, "max_words": 35, "min_words": 12}
    qs = (
        qs.annotate(search=vector)
        .filter(search=search_query)
        .annotate(
            rank=SearchRank(vector, search_query),
            snippet=SearchHeadline("body", search_query, config=CONFIG, **options),
            short=SearchHeadline(snippet_field, search_query, config=CONFIG, **options),
        )
        .order_by("-rank", "title")[:LIMIT]
    )
    hits = []
    for obj in qs:
        text = obj.snippet if START in obj.snippet else obj.short
        hits.append(Hit(kind=kind, obj=obj, rank=float(obj.rank), snippet=_highlight(text)))
    return hits


# --- the fallback (SQLite and any other database) ----------------------------------------------

ENDINGS = sorted(
    ["ene", "ane", "ende", "ers", "ens", "ets", "er", "en", "et", "ar", "a", "e", "s"],
    key=len,
    reverse=True,
)


def stem(word: str) -> str:
    """A crude Norwegian stem: one common ending cut off, at least three letters kept."""
    word = word.casefold()
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _fallback(query: str, qs, kind: str) -> list[Hit]:
    words = [w for w in re.findall(r"[^\W_]+", query) if len(w) >= 2]
    stems = [stem(w) for w in words]
    if not stems:
        return []
    hits = []
    fields = (
        [("title", 3), ("summary", 2), ("body", 1)]
        if kind == "method"
        else [
            ("title", 3),
            ("body", 1),
        ]
    )
    for obj in qs.order_by("-id")[:2000]:
        texts = {name: (getattr(obj, name) or "").casefold() for name, _w in fields}
        rank = 0.0
        matched_all = True
        for s in stems:
            found = sum(texts[name].count(s) * weight for name, weight in fields)
            if not found:
                matched_all = False
                break
            rank += found
        if matched_all:
            hits.append(Hit(kind=kind, obj=obj, rank=rank, snippet=_snippet(obj, stems, fields)))
    return hits


def _snippet(obj, stems: list[str], fields) -> SafeString:
    for name, _weight in reversed(fields):
        text = markdown_to_text(getattr(obj, name) or "") if name == "body" else getattr(obj, name)
        lowered = text.casefold()
        positions = [lowered.find(s) for s in stems if lowered.find(s) >= 0]
        if not positions:
            continue
        start = max(0, min(positions) - 80)
        window = text[start : start + 240]
        pattern = re.compile(
            r"(\w*(?:" + "|".join(re.escape(s) for s in stems) + r")\w*)", re.IGNORECASE
        )
        marked = pattern.sub(lambda m: START + m.group(1) + STOP, window)
        return _highlight(
            ("… " if start else "") + marked + (" …" if len(text) > start + 240 else "")
        )
    return _highlight(getattr(obj, "summary", "") or "")


def create_search_indexes(schema_editor) -> None:
    """GIN indexes over the queried vectors (PostgreSQL only; see migration 0002)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    for table, name, vector in INDEXES:
        model = Method if table == "library_method" else Post
        schema_editor.add_index(model, GinIndex(vector(), name=name))


def drop_search_indexes(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for _table, name, _vector in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
