"""The kinds of URL the registry classifies. Each kind is checked differently (checks.py).

``kwargs``, ``data`` and ``shows`` take a ``TenantData`` rather than the whole fixture: the
check calls them with tenant B's data to build the attack, and with tenant A's data for the
control that proves A can reach its own object (so that B's 404 means something).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.isolation.fixture import TenantData

TenantValues = Callable[[TenantData], dict[str, Any]]


@dataclass(frozen=True)
class ObjectUrl:
    """Addresses one private object. As A, B's object must answer 403 or 404 and not change.

    ``kwargs`` address the object. ``context`` gives the URL parameters that name the
    organisation the request acts in (``slug`` on API routes); the object of B is then
    requested both in B's context and in A's own, where A is a member. ``methods`` are the
    methods the route accepts; ``data`` is the form data (pages) or JSON body (API) sent with
    them, valid enough that a leak would really change B's data.
    """

    kwargs: TenantValues
    methods: tuple[str, ...]
    context: TenantValues | None = None
    data: TenantValues | None = None


@dataclass(frozen=True)
class ScopedList:
    """Shows private data of the signed-in user or of their organisation (the active one, or
    ``{slug}`` on API routes).

    Requested as A it must answer 200, show what ``shows`` returns for A (proof that the page
    really lists private data) and none of B's canaries. With ``kwargs`` (routes under
    ``/organisations/{slug}/``) it is also requested with B's values and must answer 403/404.
    """

    shows: Callable[[TenantData], list[str]]
    kwargs: TenantValues | None = None
    # GET parameters (a search term) for lists that show nothing without them; the same
    # for A's request and B's.
    query: TenantValues | None = None


@dataclass(frozen=True)
class Public:
    """Not organisation-private (``reason`` says why). Requested as A with ``kwargs`` of B
    (when the route has parameters), it must not fail and must not show B's canaries."""

    reason: str
    kwargs: TenantValues | None = None


@dataclass(frozen=True)
class PlatformStaff:
    """For platform staff only: a tenant user must be sent to the login page or refused."""

    reason: str


Entry = ObjectUrl | ScopedList | Public | PlatformStaff
