"""Is every URL pattern classified in the registry, exactly once?"""

from collections import Counter
from collections.abc import Iterable

from tests.isolation.entries import Entry
from tests.isolation.patterns import UrlPatternInfo

REGISTRY_FILE = "tests/isolation/registry.py"


def entry_for(
    pattern: UrlPatternInfo, *, entries: list[tuple[str, Entry]], namespaces: dict[str, Entry]
) -> Entry | None:
    """The entry that classifies ``pattern``: its own, else its namespace's, else None."""
    if pattern.name is not None:
        for name, entry in entries:
            if name == pattern.name:
                return entry
    return namespaces.get(pattern.namespace.split(":")[0])


def classification_problems(
    patterns: Iterable[UrlPatternInfo],
    *,
    entries: list[tuple[str, Entry]],
    namespaces: dict[str, Entry],
) -> list[str]:
    """One message per pattern that is unnamed or unclassified, per duplicate, per stale name."""
    patterns = list(patterns)
    listed = Counter(name for name, _entry in entries)
    problems = [
        f"URL name {name!r} is classified {count} times in {REGISTRY_FILE}; keep one entry."
        for name, count in listed.items()
        if count > 1
    ]
    for pattern in patterns:
        whole = pattern.namespace.split(":")[0] in namespaces
        if pattern.name in listed and whole:
            problems.append(
                f"URL name {pattern.name!r} is classified twice: by name and by its namespace "
                f"{pattern.namespace!r} in {REGISTRY_FILE}; remove the by-name entry."
            )
        elif whole:
            continue
        elif pattern.name is None:
            problems.append(
                f"URL pattern {pattern.route!r} has no name. Give it name=… and classify it in "
                f"{REGISTRY_FILE}."
            )
        elif pattern.name not in listed:
            problems.append(
                f"URL name {pattern.name!r} (route {pattern.route!r}) is not classified. Add it "
                f"to {REGISTRY_FILE} as ObjectUrl, ScopedList, Public or PlatformStaff."
            )
    existing = {pattern.name for pattern in patterns}
    problems += [
        f"URL name {name!r} is in {REGISTRY_FILE} but no URL pattern has it any more; "
        "remove its entry."
        for name in listed
        if name not in existing
    ]
    return problems
