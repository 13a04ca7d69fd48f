"""Walk a urlconf and describe every URL pattern it contains."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

_ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class UrlPatternInfo:
    """One URL pattern with everything the isolation test needs to request it."""

    name: str | None  # fully namespaced, e.g. "network:member-role"; None when unnamed
    namespace: str  # e.g. "network", "api", "admin"; "" at the top level
    route: str  # the full route, e.g. "organisation/members/<int:pk>/role/"
    kwargs: tuple[str, ...]  # names of the URL parameters, e.g. ("pk",)

    @property
    def label(self) -> str:
        """The name, or a stand-in naming the route when the pattern has none."""
        return self.name or f"<unnamed {self.route}>"


def iter_url_patterns(urlconf: str | None = None) -> Iterator[UrlPatternInfo]:
    """Every pattern of ``urlconf`` (default: ROOT_URLCONF), includes resolved recursively."""
    yield from _walk(get_resolver(urlconf), route="", namespace="", kwargs=())


def _walk(
    resolver: URLResolver, *, route: str, namespace: str, kwargs: tuple[str, ...]
) -> Iterator[UrlPatternInfo]:
    for entry in resolver.url_patterns:
        entry_route = route + str(entry.pattern)
        entry_kwargs = kwargs + tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, route=entry_route, namespace=inner, kwargs=entry_kwargs)
        elif isinstance(entry, URLPattern):
            name = None
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield UrlPatternInfo(
                name=name, namespace=namespace, route=entry_route, kwargs=entry_kwargs
            )


def path_for(pattern: UrlPatternInfo, kwargs: dict[str, Any]) -> str:
    """The path of ``pattern`` with ``kwargs``; unnamed patterns are filled in by hand."""
    needed = {key: kwargs[key] for key in pattern.kwargs}
    if pattern.name:
        return reverse(pattern.name, kwargs=needed)
    filled = _ROUTE_PARAM.sub(lambda m: str(needed[m[1]]), pattern.route)
    filled = _REGEX_GROUP.sub(lambda m: str(needed[m[1]]), filled)
    return "/" + filled.replace("^", "").replace("$", "")
