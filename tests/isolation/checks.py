"""Request one classified URL as tenant A and list what went wrong (empty list: isolated).

Every check returns failure messages rather than asserting, so that the tests can also
show that a leaky view *is* reported (tests/isolation/leaky_urls.py).
"""

import json
from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import Client

from koblingsboks.core.middleware import SESSION_KEY
from koblingsboks.network.models import User
from tests.isolation.entries import Entry, ObjectUrl, PlatformStaff, Public, ScopedList
from tests.isolation.fixture import Fixture, TenantData, changed_parts, snapshot
from tests.isolation.patterns import UrlPatternInfo, path_for

REFUSED = (403, 404)
API_NAMESPACE = "api"


def check_url(pattern: UrlPatternInfo, entry: Entry, fx: Fixture) -> list[str]:
    if isinstance(entry, ObjectUrl):
        return check_object(pattern, entry, fx)
    if isinstance(entry, ScopedList):
        return check_scoped_list(pattern, entry, fx)
    if isinstance(entry, Public):
        return check_public(pattern, entry, fx)
    if isinstance(entry, PlatformStaff):
        return check_platform_staff(pattern, fx)
    raise TypeError(f"Unknown registry entry for {pattern.label}: {entry!r}")


def check_object(pattern: UrlPatternInfo, entry: ObjectUrl, fx: Fixture) -> list[str]:
    """B's object, in B's context and in A's own: 403/404, no canary, no change to B's data."""
    failures = []
    before = snapshot(fx.b)
    contexts = [fx.b, fx.a] if entry.context else [fx.b]
    for client_name, client in _clients(fx, api=_is_api(pattern)):
        for context in contexts:
            kwargs = {**(entry.context(context) if entry.context else {}), **entry.kwargs(fx.b)}
            url = path_for(pattern, kwargs)
            for method in entry.methods:
                response = _send(client, method, url, data=entry.data, tenant=fx.b, pattern=pattern)
                where = f"{pattern.label}: {method} {url} as A's admin ({client_name})"
                if response.status_code not in REFUSED:
                    failures.append(f"{where} answered {response.status_code}, expected 403 or 404")
                failures += _leaks(where, response, fx.b)
        if client_name == "session" and client.session.get(SESSION_KEY) != fx.a.organisation.pk:
            failures.append(f"{pattern.label}: A's session now has B as active organisation")
    changed = changed_parts(before, snapshot(fx.b))
    if changed:
        failures.append(f"{pattern.label}: requests by A changed B's {', '.join(changed)}")
    return failures + _check_own_object(pattern, entry, fx)


def _check_own_object(pattern: UrlPatternInfo, entry: ObjectUrl, fx: Fixture) -> list[str]:
    """The control: A reaches its own object, so B's 403/404 is not an auth or CSRF failure."""
    client = _session_client(fx.a)
    kwargs = {**(entry.context(fx.a) if entry.context else {}), **entry.kwargs(fx.a)}
    url = path_for(pattern, kwargs)
    failures = []
    for method in entry.methods:
        response = _send(client, method, url, data=entry.data, tenant=fx.a, pattern=pattern)
        if response.status_code in (401, 405, *REFUSED) or response.status_code >= 500:
            failures.append(
                f"{pattern.label}: control {method} {url} on A's own object answered "
                f"{response.status_code}; B's refusal proves nothing until A reaches its own"
            )
    return failures


def check_scoped_list(pattern: UrlPatternInfo, entry: ScopedList, fx: Fixture) -> list[str]:
    failures = []
    query = entry.query(fx.a) if entry.query else None
    for client_name, client in _clients(fx, api=_is_api(pattern)):
        url = path_for(pattern, entry.kwargs(fx.a) if entry.kwargs else {})
        response = client.get(url, query)
        where = f"{pattern.label}: GET {url} {query or ''} as A's admin ({client_name})"
        if response.status_code != 200:
            failures.append(f"{where} answered {response.status_code}, expected 200")
        body = _body(response)
        missing = [value for value in entry.shows(fx.a) if value not in body]
        if missing:
            failures.append(f"{where} does not show A's own {missing}, so it proves nothing")
        failures += _leaks(where, body, fx.b)
        if entry.kwargs:
            url = path_for(pattern, entry.kwargs(fx.b))
            response = client.get(url, query)
            where = f"{pattern.label}: GET {url} (B's) as A's admin ({client_name})"
            if response.status_code not in REFUSED:
                failures.append(f"{where} answered {response.status_code}, expected 403 or 404")
            failures += _leaks(where, response, fx.b)
    return failures


def check_public(pattern: UrlPatternInfo, entry: Public, fx: Fixture) -> list[str]:
    if pattern.kwargs and entry.kwargs is None:
        return [f"{pattern.label}: the Public entry needs kwargs for {pattern.kwargs}"]
    failures = []
    url = path_for(pattern, entry.kwargs(fx.b) if entry.kwargs else {})
    for client_name, client in _clients(fx, api=_is_api(pattern)):
        response = client.get(url)
        where = f"{pattern.label}: GET {url} as A's admin ({client_name})"
        if response.status_code >= 500:
            failures.append(f"{where} answered {response.status_code}")
        failures += _leaks(where, response, fx.b)
    return failures


def check_platform_staff(pattern: UrlPatternInfo, fx: Fixture) -> list[str]:
    """A tenant's admin (not platform staff) ends on the admin login page, or is refused."""
    # B's admin as the object: users belong to tenants, and the User admin is registered.
    sample = defaultdict(lambda: fx.b.admin.pk)
    sample.update(
        content_type_id=ContentType.objects.get_for_model(User).pk,
        app_label="network",
        url="no-such-page/",
    )
    url = path_for(pattern, sample)
    response = _session_client(fx.a).get(url, follow=True)
    match = response.resolver_match
    final = match.view_name if match else None
    failures = _leaks(f"{pattern.label}: GET {url}", response, fx.b)
    if response.status_code not in REFUSED and final != "admin:login":
        failures.append(
            f"{pattern.label}: GET {url} as A's admin (not staff) ended at {final!r} with "
            f"{response.status_code}; expected the admin login page, 403 or 404"
        )
    return failures


def _is_api(pattern: UrlPatternInfo) -> bool:
    return pattern.namespace == API_NAMESPACE


def _session_client(tenant: TenantData) -> Client:
    client = Client()  # enforce_csrf_checks=False, as ninja's session auth honours
    client.force_login(tenant.admin)
    session = client.session
    session[SESSION_KEY] = tenant.organisation.pk
    session.save()
    return client


def _clients(fx: Fixture, *, api: bool) -> list[tuple[str, Client]]:
    clients = [("session", _session_client(fx.a))]
    if api:
        bearer = Client(headers={"Authorization": f"Bearer {fx.a_raw_token}"})
        clients.append(("token", bearer))
    return clients


def _send(
    client: Client, method: str, url: str, *, data, tenant: TenantData, pattern: UrlPatternInfo
) -> HttpResponse:
    send = getattr(client, method.lower())
    values: dict[str, Any] = data(tenant) if data else {}
    if not _is_api(pattern):
        return send(url, values)
    if method == "GET":
        return send(url)
    return send(url, json.dumps(values), content_type="application/json")


def _body(response: HttpResponse) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _leaks(where: str, response: HttpResponse | str, tenant: TenantData) -> list[str]:
    body = response if isinstance(response, str) else _body(response)
    leaked = [canary for canary in tenant.canaries if canary in body]
    return [f"{where} showed B's private data: {leaked}"] if leaked else []
