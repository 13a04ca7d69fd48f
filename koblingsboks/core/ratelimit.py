"""A small rate limiter on Django's cache, for public forms, feeds and API routes.

Counts hits per *group* (what is limited, e.g. ``events.register``) and per *key* (who: the
client's IP address by default, or any string such as an e-mail address). Two windows:

- **fixed**: at most ``limit`` hits per calendar window of ``period`` seconds (cheap; a
  burst of 2×limit is possible across a window boundary);
- **sliding**: the sliding-window counter — the previous window's count weighted by how
  much of it still overlaps the last ``period`` seconds, plus the current window's count.
  Smooth, and still only two cache keys.

A refused request gets HTTP 429 with ``Retry-After``: JSON (``{"detail", "retry_after"}``)
for API and feed clients, otherwise a short page in the site's layout.

The counters live in the default cache. With the per-process local-memory cache each
process counts for itself, which is fine for one server; a deployment with several
processes sets CACHES to a shared cache (Redis, Memcached or the database cache).
``RATELIMIT_ENABLED = False`` turns every limit off (e.g. for load tests).
"""

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.utils.translation import gettext as _

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

PAGE = """{% extends "base.html" %}{% load i18n %}
{% block title %}{{ title }}{% endblock %}
{% block content %}<h1>{{ title }}</h1><p class="notice" data-testid="rate-limited">{{ detail }}</p>
{% endblock %}"""


@dataclass(frozen=True)
class Rate:
    """``limit`` hits per ``period`` seconds."""

    limit: int
    period: int

    @classmethod
    def parse(cls, value: "str | Rate") -> "Rate":
        """'5/m', '100/h', '10/30s' (10 per 30 seconds)."""
        if isinstance(value, Rate):
            return value
        count, _sep, unit = value.partition("/")
        digits = "".join(ch for ch in unit if ch.isdigit()) or "1"
        letter = unit[len(digits) :] if unit[:1].isdigit() else unit
        if not count.isdigit() or letter not in UNITS or int(count) < 1:
            raise ValueError(f"Not a rate: {value!r} (write e.g. '5/m' or '10/30s')")
        return cls(limit=int(count), period=int(digits) * UNITS[letter])


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: float
    limit: int
    retry_after: int  # seconds until a hit would be allowed again; 0 when allowed


def client_ip(request: HttpRequest) -> str:
    """The client's address as the server saw it (REMOTE_ADDR).

    Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn's
    --forwarded-allow-ips with a middleware); X-Forwarded-For is never trusted here, since
    any client can send it.
    """
    return request.META.get("REMOTE_ADDR") or "unknown"


def _cache_key(group: str, key: str, window: int) -> str:
    digest = hashlib.sha256(f"{group}\x00{key}".encode()).hexdigest()[:32]
    return f"ratelimit:{digest}:{window}"


def _increment(name: str, ttl: int) -> int:
    cache.add(name, 0, timeout=ttl)
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=ttl)
        return 1


def hit(
    group: str, key: str, rate: "str | Rate", *, sliding: bool = False, now: float | None = None
) -> Decision:
    """Count one hit of ``key`` in ``group`` and say whether it is within ``rate``."""
    rate = Rate.parse(rate)
    now = time.time() if now is None else now
    window = int(now // rate.period)
    current = _increment(_cache_key(group, key, window), rate.period * 2 + 1)
    if not sliding:
        allowed = current <= rate.limit
        retry = 0 if allowed else math.ceil((window + 1) * rate.period - now)
        return Decision(allowed, current, rate.limit, max(retry, 0 if allowed else 1))
    previous = cache.get(_cache_key(group, key, window - 1), 0)
    elapsed = (now - window * rate.period) / rate.period
    weighted = previous * (1 - elapsed) + current
    allowed = weighted <= rate.limit
    retry = 0
    if not allowed:
        # When the previous window's weight has decayed enough, or the window turns over.
        if previous:
            needed = 1 - (rate.limit - current) / previous if current <= rate.limit else 1
            retry = math.ceil((min(max(needed, elapsed), 1) - elapsed) * rate.period)
        else:
            retry = math.ceil((window + 1) * rate.period - now)
        retry = max(retry, 1)
    return Decision(allowed, weighted, rate.limit, retry)


def reset(group: str, key: str, rate: "str | Rate", *, now: float | None = None) -> None:
    """Forget ``key``'s hits in ``group`` (current and previous window)."""
    rate = Rate.parse(rate)
    window = int((time.time() if now is None else now) // rate.period)
    cache.delete_many([_cache_key(group, key, window), _cache_key(group, key, window - 1)])


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return (
        request.path.startswith("/api/")
        or request.path.endswith((".ics", ".json"))
        or ("application/json" in accept and "text/html" not in accept)
    )


def too_many_requests(request: HttpRequest, decision: Decision) -> HttpResponse:
    """The 429 answer: JSON for machines, a page for people; with Retry-After."""
    minutes = max(1, math.ceil(decision.retry_after / 60))
    detail = _(
        "Too many requests from your address. Please wait about %(minutes)s minute(s) and "
        "try again."
    ) % {"minutes": minutes}
    if _wants_json(request):
        response = JsonResponse({"detail": detail, "retry_after": decision.retry_after}, status=429)
    else:
        html = (
            engines["django"]
            .from_string(PAGE)
            .render({"title": _("Too many requests"), "detail": detail}, request)
        )
        response = HttpResponse(html, status=429)
    response["Retry-After"] = str(decision.retry_after)
    return response


def ratelimit(
    group: str,
    rate: "str | Rate",
    *,
    key: Callable[[HttpRequest], str] = client_ip,
    methods: tuple[str, ...] | None = None,
    sliding: bool = True,
) -> Callable:
    """View decorator: refuse with 429 once ``key(request)`` exceeds ``rate`` in ``group``.

    ``methods`` limits only those methods (e.g. ``("POST",)`` to count submissions, not
    page views); None counts every request.
    """
    parsed = Rate.parse(rate)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if getattr(settings, "RATELIMIT_ENABLED", True) and (
                methods is None or request.method in methods
            ):
                decision = hit(group, key(request), parsed, sliding=sliding)
                if not decision.allowed:
                    return too_many_requests(request, decision)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
