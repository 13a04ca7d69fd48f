from django.db import migrations

from koblingsboks.network.municipalities import TRONDELAG_2024


def load(apps, schema_editor):
    Municipality = apps.get_model("network", "Municipality")
    for number, name in TRONDELAG_2024:
        Municipality.objects.update_or_create(number=number, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
