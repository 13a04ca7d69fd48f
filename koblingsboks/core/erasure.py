"""A person's erasure on their request, across the apps that keep their e-mail address.

The app that takes the request (the companies app's contact persons) erases its own rows
and then calls ``erase_elsewhere``; apps that keep copies of the address elsewhere register
an eraser in their ``AppConfig.ready`` — so the erasing app need not import them."""

from collections.abc import Callable

Eraser = Callable[..., int]
_ERASERS: list[Eraser] = []


def register_eraser(eraser: Eraser) -> None:
    """``eraser(organisation=…, email=…, actor=…)`` erases what the organisation keeps of
    that address (case ignored) and returns how many rows it changed."""
    if eraser not in _ERASERS:
        _ERASERS.append(eraser)


def erase_elsewhere(*, organisation, email: str, actor) -> int:
    return sum(eraser(organisation=organisation, email=email, actor=actor) for eraser in _ERASERS)
