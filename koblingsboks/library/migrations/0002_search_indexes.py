"""Full-text GIN indexes over methods and posts with the ``norwegian`` configuration.

PostgreSQL only: the index expressions are exactly the vectors library/search.py queries,
so the @@ match can use them. On SQLite this migration does nothing (search.py documents
the fallback). The operations do not change the model state, so makemigrations never sees
them.
"""

from django.db import migrations


def forward(apps, schema_editor):
    from koblingsboks.library.search import create_search_indexes

    create_search_indexes(schema_editor)


def backward(apps, schema_editor):
    from koblingsboks.library.search import drop_search_indexes

    drop_search_indexes(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
