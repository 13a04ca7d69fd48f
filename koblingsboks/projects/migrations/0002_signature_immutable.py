"""Signatures are never edited: the database refuses an UPDATE of a signature row.

The model and the services refuse it too; the trigger also stops raw SQL and bulk updates.
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE TRIGGER projects_signature_no_update BEFORE UPDATE ON projects_signature
BEGIN SELECT RAISE(ABORT, 'a signature is never edited'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS projects_signature_no_update;"

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION projects_signature_no_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'a signature is never edited'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER projects_signature_no_update BEFORE UPDATE ON projects_signature
FOR EACH ROW EXECUTE FUNCTION projects_signature_no_update();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS projects_signature_no_update ON projects_signature;
DROP FUNCTION IF EXISTS projects_signature_no_update();
"""


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
