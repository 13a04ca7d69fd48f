"""makemessages without fuzzy matching, and with a catalogue per app.

A guessed translation of a new string is worse than none. ``--app LABEL`` writes the
strings of that app's folder into ``koblingsboks/<app>/locale`` (created if missing); a run
without it skips the apps that keep their own catalogue, so no string is in two files.
"""

import os
from pathlib import Path

from django.apps import apps
from django.core.management.commands import makemessages
from django.test.utils import override_settings


def apps_with_own_catalogue() -> list[Path]:
    return [
        Path(config.path)
        for config in apps.get_app_configs()
        if config.name.startswith("koblingsboks.") and (Path(config.path) / "locale").is_dir()
    ]


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--app", help="Label of the app whose own catalogue to update.")

    def handle(self, *args, **options):
        label = options.pop("app")
        if label:
            app_dir = Path(apps.get_app_config(label).path)
            (app_dir / "locale").mkdir(exist_ok=True)
            os.chdir(app_dir)
            with override_settings(LOCALE_PATHS=[]):
                return super().handle(*args, **options)
        root = Path.cwd()
        options["ignore_patterns"] = [
            *options.get("ignore_patterns", []),
            *(str(path.relative_to(root)) for path in apps_with_own_catalogue()),
        ]
        return super().handle(*args, **options)
