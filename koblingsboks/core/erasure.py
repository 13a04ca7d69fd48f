"""Erasing a person on their request, in every app that keeps their e-mail address.

Each app that holds personal data under an e-mail address registers an eraser in its
``AppConfig.ready`` (so no app imports another for this). Whatever page or API route takes
the request — the companies app's contact persons, the events app's personal-data page —
checks its own permission and calls ``erase_person``, which runs every eraser in one
transaction: a person is erased everywhere in the organisation or nowhere."""

from collections.abc import Callable

from django.db import transaction

Eraser = Callable[..., int]
_ERASERS: dict[str, Eraser] = {}


def register_eraser(name: str, eraser: Eraser) -> None:
    """``eraser(organisation=…, email=…, actor=…)`` erases (or pseudonymises) what the
    organisation keeps under that address, case ignored, audits it without the address, and
    returns how many rows it changed. It checks no permission: the caller has."""
    _ERASERS[name] = eraser


def erase_person(*, organisation, email: str, actor) -> dict[str, int]:
    """Run every registered eraser; returns the number of rows each changed, by name."""
    email = email.strip()
    with transaction.atomic():
        return {
            name: eraser(organisation=organisation, email=email, actor=actor)
            for name, eraser in sorted(_ERASERS.items())
        }
