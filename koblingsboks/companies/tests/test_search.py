"""Company search over the register, on whichever database the suite runs on (SQLite: FTS5;
PostgreSQL: trigram index), and the fallback without an index."""

import pytest
from django.db import connection

from koblingsboks.companies import search
from koblingsboks.companies.models import Company
from koblingsboks.companies.selectors import company_search
from tests.factories import CompanyFactory, companies_from_register_sample

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def register(db):
    return {c.org_number: c for c in companies_from_register_sample()}


def names(results) -> list[str]:
    return [c.name for c in results]


def test_a_name_prefix_finds_the_company_first(register):
    results = company_search(query="svorka", limit=10)
    assert names(results)[0] == "SVORKA SENSORIKK AS"
    # "SVORKMO VEDPRODUKSJON AS" does not start with "svorka", so it is not a prefix match.
    assert "SVORKMO VEDPRODUKSJON AS" not in names(results)


def test_a_word_inside_the_name_finds_it(register):
    assert names(company_search(query="sensorikk", limit=10)) == ["SVORKA SENSORIKK AS"]
    assert "GIMSE RØR OG BAD AS" in names(company_search(query="bad", limit=10))


def test_every_word_must_match_as_a_word_start_or_part(register):
    results = names(company_search(query="gaula kaffe", limit=10))
    assert results == ["GAULA KAFFEBRENNERI AS"]


def test_prefix_matches_come_before_word_matches(register):
    results = names(company_search(query="gaula", limit=10))
    assert set(results[:2]) == {"GAULA KAFFEBRENNERI AS", "GAULA DRONEINSPEKSJON AS"}
    assert "GAULDAL EIENDOM OG INVEST AS" not in results[:2]


def test_case_and_norwegian_letters_do_not_matter(register):
    assert names(company_search(query="frøya sjø", limit=5))[0] == "FRØYA SJØMATDATA AS"
    assert names(company_search(query="ØVINGSTAD", limit=5))[0] == "ØVINGSTAD AKVAKONSULENT"
    assert "BERKÅK STRØMVERKSTED AS" in names(company_search(query="strøm", limit=5))


def test_aa_is_not_folded_into_a(register):
    """With diacritics removed, "Ås" would match every "AS"; it must not."""
    assert names(company_search(query="ålen", limit=5)) == ["ÅLEN VARMEPUMPESERVICE AS"]


def test_org_number_with_spaces_and_org_number_prefix(register):
    assert names(company_search(query="918 744 126", limit=5)) == ["SVORKA SENSORIKK AS"]
    prefix = company_search(query="937", limit=10)
    assert {c.org_number for c in prefix} == {"937022646", "937314558", "937901127"}
    assert [c.org_number for c in prefix] == sorted(c.org_number for c in prefix)


def test_nace_and_municipality_filters(register):
    it = company_search(query="", nace="62", limit=20)
    assert {c.org_number for c in it} == {
        c.org_number for c in register.values() if c.nace_code.startswith("62")
    }
    in_orkland = company_search(query="as", municipality="5059", limit=20)
    assert in_orkland and all(c.municipality_number == "5059" for c in in_orkland)
    both = company_search(query="svorka", nace="62.1", municipality="5059", limit=20)
    assert names(both) == ["SVORKA SENSORIKK AS"]
    assert company_search(query="svorka", municipality="5001", limit=20) == []


def test_empty_query_without_filters_finds_nothing(register):
    assert company_search(query="   ", limit=10) == []


def test_limit_is_honoured(register):
    assert len(company_search(query="as", limit=3)) == 3


def test_like_wildcards_are_taken_literally(register):
    percent = CompanyFactory(name="100% BIO AS")
    CompanyFactory(name="1000 BIO AS")
    assert company_search(query="100%", limit=5)[0] == percent
    assert company_search(query="_", limit=5) == []
    assert all("%" in c.name for c in company_search(query="%", limit=5))


def test_a_typo_still_finds_the_company_by_its_other_word(register):
    """PostgreSQL: trigram similarity; SQLite: any of the words, when all of them found
    nothing."""
    assert "SVORKA SENSORIKK AS" in names(company_search(query="svorka sensrikk", limit=5))


@pytest.mark.skipif(not ON_POSTGRES, reason="trigram similarity is PostgreSQL's")
@pytest.mark.postgresql
def test_postgresql_finds_a_single_misspelt_word(register):
    assert names(company_search(query="kobberstuen hoteldrift", limit=3))[0] == (
        "KOBBERSTUA HOTELLDRIFT AS"
    )


def test_the_index_follows_inserts_renames_and_deletes(register):
    company = register["918744126"]
    company.name = "OMDØPT MÅLEUTSTYR AS"
    company.save()
    fresh = CompanyFactory(name="HELT NY SAGBRUKSDRIFT AS")

    assert names(company_search(query="måleutstyr", limit=5)) == ["OMDØPT MÅLEUTSTYR AS"]
    assert names(company_search(query="sensorikk", limit=5)) == []
    assert names(company_search(query="sagbruk", limit=5)) == [fresh.name]

    fresh.delete()
    assert company_search(query="sagbruk", limit=5) == []


def test_bulk_created_rows_are_searchable(db):
    """The register import writes in bulk; the index must not depend on save()."""
    Company.objects.bulk_create(
        [
            Company(org_number=c.org_number, name=f"BULKVARE {i} AS")
            for i, c in enumerate(CompanyFactory.build_batch(3))
        ]
    )
    assert len(company_search(query="bulkvare", limit=10)) == 3


def test_without_the_index_the_search_falls_back_to_like(register, monkeypatch):
    monkeypatch.setattr(search, "search_index_ready", lambda connection=None: False)
    assert names(company_search(query="sensorikk", limit=5)) == ["SVORKA SENSORIKK AS"]
    assert names(company_search(query="gaula kaffe", limit=5)) == ["GAULA KAFFEBRENNERI AS"]
    assert names(company_search(query="918744126", limit=5)) == ["SVORKA SENSORIKK AS"]


@pytest.mark.skipif(ON_POSTGRES, reason="the FTS5 table is SQLite's")
def test_sqlite_has_the_fts_table_and_its_triggers_after_all_migrations(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE %s", ["%fts%"])
        objects = set(cursor.fetchall())
    assert ("table", search.FTS_TABLE) in objects
    for suffix in ("ai", "ad", "au"):
        assert ("trigger", f"{search.FTS_TABLE}_{suffix}") in objects


@pytest.mark.skipif(ON_POSTGRES, reason="the FTS5 table is SQLite's")
def test_sqlite_without_the_fts_table_still_searches(register):
    search.drop_search_index(connection)  # rolled back with the test's transaction
    assert not search.search_index_ready()
    assert names(company_search(query="sensorikk", limit=5)) == ["SVORKA SENSORIKK AS"]
    search.create_search_index(connection)
    assert search.search_index_ready()
    assert names(company_search(query="sensorikk", limit=5)) == ["SVORKA SENSORIKK AS"]


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_trgm is PostgreSQL's")
@pytest.mark.postgresql
def test_postgresql_has_the_trigram_and_prefix_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'companies_company'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert {"company_name_trgm_idx", "company_name_prefix_idx", "company_name_fts_idx"} <= indexes
    assert search.search_index_ready()
