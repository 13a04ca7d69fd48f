"""Methods' and notification settings' competence areas move from free tags to the people
app's competence taxonomy (people.CompetenceArea).

0004 adds the taxonomy fields under a temporary name (``taxonomy_areas``), 0005 moves the
data, 0006 removes the free-tag fields and gives the new ones their name. (Three
migrations, so that on PostgreSQL no table is altered in the transaction that wrote its
rows; and the new tables are created under new names, so their indexes never collide with
those of the old tables.)"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0003_post_event_project"),
        ("people", "0002_profile_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="method",
            name="taxonomy_areas",
            field=models.ManyToManyField(
                blank=True,
                related_name="library_methods",
                to="people.competencearea",
                verbose_name="competence areas",
            ),
        ),
        migrations.AddField(
            model_name="notificationsettings",
            name="taxonomy_areas",
            field=models.ManyToManyField(
                blank=True,
                help_text="Areas followed beyond those of one's competence profile.",
                related_name="+",
                to="people.competencearea",
                verbose_name="my competence areas",
            ),
        ),
    ]
