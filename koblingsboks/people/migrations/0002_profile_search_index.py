"""The GIN index for the directory's full-text search, on PostgreSQL only.

The index is on exactly the expression search.VECTOR compiles to
(``to_tsvector('norwegian'::regconfig, COALESCE(search_document, ''))``), so queries by
search.search_profiles can use it. SQLite has no such index type; its fallback (substring
matches over the case-folded document) needs none for a directory of a few hundred people.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from koblingsboks.people.search import SEARCH_INDEX

    schema_editor.add_index(apps.get_model("people", "Profile"), SEARCH_INDEX)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from koblingsboks.people.search import SEARCH_INDEX

    schema_editor.remove_index(apps.get_model("people", "Profile"), SEARCH_INDEX)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
