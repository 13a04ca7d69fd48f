"""The free-tag competence areas are gone (0005 moved them to the taxonomy or to the
methods' tags) and the taxonomy fields take their name; a "new method" notification at
most once per user and method."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("library", "0005_competence_areas_data")]

    operations = [
        migrations.RemoveField(model_name="method", name="competence_areas"),
        migrations.RemoveField(model_name="notificationsettings", name="competence_areas"),
        migrations.RenameField(
            model_name="method", old_name="taxonomy_areas", new_name="competence_areas"
        ),
        migrations.RenameField(
            model_name="notificationsettings",
            old_name="taxonomy_areas",
            new_name="competence_areas",
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "method")),
                fields=("user", "method"),
                name="notification_method_once",
            ),
        ),
    ]
