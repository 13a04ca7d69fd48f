"""Full-text search over methods and posts: Norwegian stemming and ranking on PostgreSQL,
the documented fallback elsewhere, and never anything the reader may not see."""

import pytest
from django.db import connection

from koblingsboks.library.models import Audience
from koblingsboks.library.search import search, stem
from koblingsboks.library.tests.factories import make_method, make_post

pytestmark = pytest.mark.django_db
ON_POSTGRES = connection.vendor == "postgresql"
only_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL full-text search")

MANY = (
    "Vi hjelper gründere med søknader til Innovasjon Norge og regionale fond. "
    "Klinikken går gjennom søknader linje for linje, og gode søknader deles som eksempler."
)
IN_PASSING = (
    "Et styrekurs over tre kvelder om roller, ansvar og strategi i små selskaper. "
    "Kurset passer også før en søknad om lån, men handler om styrearbeid."
)


def _methods(tenant):
    plural = make_method(
        tenant, title="Søknadsverksted", summary="Vi skriver søknader sammen.", body=MANY
    )
    passing = make_method(
        tenant, title="Styrekurs", summary="Styrearbeid i praksis.", body=IN_PASSING
    )
    return plural, passing


@pytest.mark.postgresql
@only_postgres
def test_postgres_stemming_finds_soknader_and_ranks_it_first(tenant_a):
    assert connection.vendor == "postgresql"
    plural, passing = _methods(tenant_a)
    hits = search(query="søknad", organisation=tenant_a.organisation)
    assert [h.obj.pk for h in hits[:2]] == [plural.pk, passing.pk]
    assert hits[0].rank > hits[1].rank
    # The plural method never says "søknad" on its own: found through the stem.
    assert "søknad " not in plural.body and "søknad." not in plural.body
    assert "<mark>" in hits[0].snippet


@pytest.mark.postgresql
@only_postgres
def test_postgres_search_uses_the_gin_index(tenant_a):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('library_method', 'library_post')"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {"library_method_fts_idx", "library_post_fts_idx"} <= names


def test_search_finds_the_plural_form_and_ranks_by_weight(tenant_a):
    plural, passing = _methods(tenant_a)
    hits = search(query="søknad", organisation=tenant_a.organisation)
    assert [h.obj.pk for h in hits] == [plural.pk, passing.pk]
    assert "<mark>" in hits[0].snippet


def test_search_covers_posts_and_respects_the_audience(tenant_a, tenant_b, shared_network):
    make_post(tenant_a, title="Søknaden må inn fredag", network=shared_network)
    make_post(tenant_a, title="Intern søknad", body="Bare for oss.")
    make_method(tenant_a, title="Hemmelig metode for søknader", audience=Audience.ORGANISATION)
    titles_b = {h.obj.title for h in search(query="søknad", organisation=tenant_b.organisation)}
    assert titles_b == {"Søknaden må inn fredag"}
    titles_a = {h.obj.title for h in search(query="søknad", organisation=tenant_a.organisation)}
    assert titles_a == {"Søknaden må inn fredag", "Intern søknad", "Hemmelig metode for søknader"}


def test_snippets_escape_what_users_wrote(tenant_a):
    make_method(tenant_a, title="Metode", body="<script>alert(1)</script> søknader")
    hit = search(query="søknad", organisation=tenant_a.organisation)[0]
    assert "<script>" not in hit.snippet


def test_empty_query_finds_nothing(tenant_a):
    _methods(tenant_a)
    assert search(query="   ", organisation=tenant_a.organisation) == []


@pytest.mark.parametrize(
    ("word", "expected"),
    [("søknader", "søknad"), ("søknaden", "søknad"), ("søknad", "søknad"), ("styret", "styr")],
)
def test_fallback_stems(word, expected):
    assert stem(word) == expected


@pytest.mark.postgresql
@only_postgres
def test_postgres_match_can_use_the_gin_index(tenant_a):
    from django.contrib.postgres.search import SearchQuery

    from koblingsboks.library.models import Method
    from koblingsboks.library.search import CONFIG, method_vector

    _methods(tenant_a)
    query = SearchQuery("søknad", config=CONFIG, search_type="websearch")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Method._base_manager.annotate(search=method_vector()).filter(search=query).explain()
    assert "library_method_fts_idx" in plan
