"""Methods' and notification settings' competence areas move from free tags to the people
app's competence taxonomy (people.CompetenceArea).

A free-tag area whose name equals an area's Norwegian name (ignoring case) becomes that
area. Any other is kept as one of the method's ordinary tags, so nothing is lost; a user's
followed free-tag area without a matching taxonomy area is dropped (there is nothing to
follow it with). Backwards, the areas become free tags again.
"""

from django.db import migrations
from django.utils.text import slugify


def _through(model, name):
    return model._meta.get_field(name).remote_field.through


def forward(apps, schema_editor):
    Method = apps.get_model("library", "Method")
    NotificationSettings = apps.get_model("library", "NotificationSettings")
    CompetenceArea = apps.get_model("people", "CompetenceArea")
    by_name = {area.name_nb.casefold(): area.pk for area in CompetenceArea.objects.all()}

    method_old = _through(Method, "competence_areas")
    method_area = _through(Method, "taxonomy_areas")
    method_tag = _through(Method, "tags")
    areas, tags = [], []
    for method_id, tag_id, name in method_old.objects.values_list(
        "method_id", "tag_id", "tag__name"
    ):
        area_id = by_name.get(name.strip().casefold())
        if area_id is not None:
            areas.append(method_area(method_id=method_id, competencearea_id=area_id))
        else:
            tags.append(method_tag(method_id=method_id, tag_id=tag_id))
    method_area.objects.bulk_create(areas, ignore_conflicts=True)
    method_tag.objects.bulk_create(tags, ignore_conflicts=True)

    settings_old = _through(NotificationSettings, "competence_areas")
    settings_area = _through(NotificationSettings, "taxonomy_areas")
    followed = []
    for settings_id, name in settings_old.objects.values_list(
        "notificationsettings_id", "tag__name"
    ):
        area_id = by_name.get(name.strip().casefold())
        if area_id is not None:
            followed.append(
                settings_area(notificationsettings_id=settings_id, competencearea_id=area_id)
            )
    settings_area.objects.bulk_create(followed, ignore_conflicts=True)


def backward(apps, schema_editor):
    Method = apps.get_model("library", "Method")
    NotificationSettings = apps.get_model("library", "NotificationSettings")
    Tag = apps.get_model("library", "Tag")

    def tag_id(name):
        tag, _created = Tag.objects.get_or_create(
            slug=slugify(name, allow_unicode=True)[:60], defaults={"name": name[:50]}
        )
        return tag.pk

    for model, owner in ((Method, "method_id"), (NotificationSettings, "notificationsettings_id")):
        new = _through(model, "taxonomy_areas")
        old = _through(model, "competence_areas")
        rows = [
            old(**{owner: owner_id, "tag_id": tag_id(name)})
            for owner_id, name in new.objects.values_list(owner, "competencearea__name_nb")
        ]
        old.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("library", "0004_competence_areas_from_taxonomy")]

    operations = [migrations.RunPython(forward, backward)]
