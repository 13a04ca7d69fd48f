"""Full-text search over profiles: PostgreSQL's ``norwegian`` configuration, or a fallback.

PostgreSQL: ``to_tsvector('norwegian', search_document)`` matched with
``websearch_to_tsquery('norwegian', q)`` — stemming ("eksportere" finds "eksport"), stop
words, quoted phrases and ``-word`` — ranked by ``ts_rank``. The GIN index on exactly that
expression is created by migration 0002 on PostgreSQL only (``SEARCH_INDEX``), so the
planner uses it.

SQLite has no Norwegian stemmer: every word of the query must occur in the document as a
substring of its case-folded text (``search_document`` is stored case-folded, see
services.search_document_for). That finds a superset of word-prefix matches ("eksport"
finds "eksportregler") and is ranked by name.
"""

import re

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet

CONFIG = "norwegian"
MAX_QUERY_LENGTH = 200
VECTOR = SearchVector("search_document", config=CONFIG)
SEARCH_INDEX = GinIndex(VECTOR, name="profile_search_fts_idx")

_WORD = re.compile(r"\w+", re.UNICODE)


def query_words(query: str) -> list[str]:
    return _WORD.findall(query.casefold())[:20]


def search_profiles(queryset: QuerySet, query: str) -> QuerySet:
    """``queryset`` narrowed to profiles matching ``query``, best matches first."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not query_words(query):
        return queryset
    if connection.vendor == "postgresql":
        search = SearchQuery(query, config=CONFIG, search_type="websearch")
        return (
            queryset.alias(document=VECTOR)
            .annotate(search_rank=SearchRank(VECTOR, search))
            .filter(document=search)
            .order_by(F("search_rank").desc(), "user__full_name")
        )
    for word in query_words(query):
        queryset = queryset.filter(search_document__contains=word)
    return queryset.order_by("user__full_name")
