"""Search indexes over the company register, different per database.

PostgreSQL: the pg_trgm extension, a trigram GIN index on the name (substring, word and
fuzzy matches) and a btree on upper(name) in the "C" collation (name prefixes, in index
order).

SQLite: an FTS5 table over the name, kept in sync with companies_company by triggers, and
a NOCASE index for name prefixes. Without FTS5 (SQLite built without it) only the NOCASE
index is created and company_search falls back to LIKE.

The SQL lives in koblingsboks/companies/search.py (SEARCH_INDEX_SQL), which also recreates
it; the operations do not change the model state, so makemigrations never sees them.

SQLite drops a table's triggers when Django rebuilds the table (any later AlterField on
Company): such a migration must call ``search.create_search_index`` again afterwards.
tests/…/test_search.py checks that the triggers exist after all migrations.
"""

from django.db import migrations


def forward(apps, schema_editor):
    from koblingsboks.companies.search import create_search_index

    create_search_index(schema_editor.connection)


def backward(apps, schema_editor):
    from koblingsboks.companies.search import drop_search_index

    drop_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
