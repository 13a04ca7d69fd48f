"""A small client for the open HTTP API of the Brønnøysund registers. No ORM here.

- ``get_entity(orgnr)``: one entity as an EntityRecord (a deleted entity's SlettetEnhet
  stub gives a record with ``deleted_on`` set; 404 and 410 give None);
- ``search(name=…, **filters)``: entities matching a search, following the HAL ``next``
  links and stopping at the register's cap of 10,000 hits per query;
- ``iter_update_pages(since_id=…)`` / ``iter_updates``: the updates feed
  (``/oppdateringer/enheter``) after an update id, page by page;
- ``get_accounts(orgnr)``: the latest annual accounts as AccountRecords (404 gives []).

Every request has connect and read timeouts and is retried with exponential backoff on
timeouts, connection errors, HTTP 429 (honouring Retry-After) and 5xx, never on other 4xx.
Tests pass an ``httpx.MockTransport``; see tests/test_client.py.
"""

import datetime
import email.utils
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from koblingsboks.companies.register.accounts import AccountRecord, accounts_from_json
from koblingsboks.companies.register.records import EntityRecord, entity_from_json

logger = logging.getLogger(__name__)

ENTITY_API_URL = "https://data.brreg.no/enhetsregisteret/api"
ACCOUNTS_API_URL = "https://data.brreg.no/regnskapsregisteret/regnskap"
USER_AGENT = "Koblingsboks/0.1 (register sync for business gardens; python-httpx)"
# The register answers HTTP 400 for a search beyond page x size = 10,000 hits.
SEARCH_HIT_CAP = 10_000
RETRY_STATUSES = {429, 500, 502, 503, 504}


class RegisterError(Exception):
    """The register answered something unexpected, or not at all after the retries."""


class RegisterUnavailable(RegisterError):
    """No usable answer after every retry (timeouts, connection errors, 429, 5xx)."""


@dataclass(frozen=True)
class UpdateEvent:
    """One item of the updates feed."""

    update_id: int
    org_number: str
    change_type: str  # Ny | Endring | Sletting | Fjernet | Ukjent
    changed_at: datetime.datetime | None


@dataclass(frozen=True)
class SearchPage:
    records: list[EntityRecord]
    number: int
    total_elements: int
    total_pages: int


def _setting(name: str, default):
    return getattr(settings, name, default)


class RegisterClient:
    """The open API of Enhetsregisteret and Regnskapsregisteret over httpx."""

    def __init__(
        self,
        *,
        entity_api_url: str | None = None,
        accounts_api_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        max_retries: int | None = None,
        backoff_seconds: float = 1.0,
        max_backoff_seconds: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str | None = None,
    ):
        self.entity_api_url = (
            entity_api_url or _setting("BRREG_ENTITY_API_URL", ENTITY_API_URL)
        ).rstrip("/")
        self.accounts_api_url = (
            accounts_api_url or _setting("BRREG_ACCOUNTS_API_URL", ACCOUNTS_API_URL)
        ).rstrip("/")
        self.max_retries = (
            max_retries if max_retries is not None else _setting("BRREG_MAX_RETRIES", 4)
        )
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.sleep = sleep
        timeout = httpx.Timeout(
            connect=connect_timeout or _setting("BRREG_CONNECT_TIMEOUT", 5.0),
            read=read_timeout or _setting("BRREG_READ_TIMEOUT", 30.0),
            write=10.0,
            pool=10.0,
        )
        self.http = httpx.Client(
            transport=transport,
            timeout=timeout,
            headers={
                "User-Agent": user_agent or _setting("BRREG_USER_AGENT", USER_AGENT),
                "Accept": "application/json",
            },
            follow_redirects=True,
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "RegisterClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- transport -------------------------------------------------------------------------

    def _wait(self, attempt: int, response: httpx.Response | None) -> float:
        delay = min(self.backoff_seconds * 2**attempt, self.max_backoff_seconds)
        if response is not None and response.status_code == 429:
            after = _retry_after(response.headers.get("Retry-After"))
            if after is not None:
                delay = min(after, self.max_backoff_seconds * 5)
        return delay

    def _get(self, url: str, *, params: dict | None = None, ok=(200,)) -> httpx.Response:
        """GET with retries; returns a response whose status is in ``ok``."""
        last = ""
        for attempt in range(self.max_retries + 1):
            response = None
            try:
                response = self.http.get(url, params=params)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code in ok:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    raise RegisterError(
                        f"GET {response.request.url} answered HTTP {response.status_code}: "
                        f"{response.text[:300]}"
                    )
                last = f"HTTP {response.status_code}"
            if attempt < self.max_retries:
                delay = self._wait(attempt, response)
                logger.warning("GET %s failed (%s); retry in %.1f s", url, last, delay)
                self.sleep(delay)
        raise RegisterUnavailable(f"GET {url} failed after {self.max_retries + 1} tries: {last}")

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise RegisterError(f"GET {response.request.url}: not JSON ({exc})") from None

    # --- entities --------------------------------------------------------------------------

    def get_entity_json(self, org_number: str) -> dict | None:
        """The raw response body for one entity; None when the register does not know it."""
        response = self._get(f"{self.entity_api_url}/enheter/{org_number}", ok=(200, 404, 410))
        if response.status_code != 200:
            return None
        data = self._json(response)
        if not isinstance(data, dict):
            raise RegisterError(f"enheter/{org_number}: expected an object")
        return data

    def get_entity(self, org_number: str) -> EntityRecord | None:
        """One entity; a deleted one (SlettetEnhet) has ``deleted_on`` set."""
        data = self.get_entity_json(org_number)
        return entity_from_json(data) if data is not None else None

    def search_pages(
        self, *, name: str | None = None, size: int = 100, **filters
    ) -> Iterator[SearchPage]:
        """Search pages, following HAL ``next`` links up to the 10,000-hit cap."""
        params: dict[str, Any] = {"size": size}
        if name:
            params["navn"] = name
        for key, value in filters.items():
            params[key] = ",".join(map(str, value)) if isinstance(value, list | tuple) else value
        url: str | None = f"{self.entity_api_url}/enheter"
        while url:
            data = self._json(self._get(url, params=params))
            params = None  # the next link carries every parameter
            page = data.get("page") or {}
            entities = (data.get("_embedded") or {}).get("enheter") or []
            number = int(page.get("number", 0))
            yield SearchPage(
                records=[entity_from_json(obj) for obj in entities],
                number=number,
                total_elements=int(page.get("totalElements", len(entities))),
                total_pages=int(page.get("totalPages", 1)),
            )
            url = ((data.get("_links") or {}).get("next") or {}).get("href")
            page_size = int(page.get("size", size)) or size
            if url and (number + 2) * page_size > SEARCH_HIT_CAP:
                logger.warning(
                    "search stopped at the register's cap of %d hits; narrow the filters",
                    SEARCH_HIT_CAP,
                )
                url = None

    def search(self, *, name: str | None = None, size: int = 100, **filters):
        """Entities matching ``name`` (navn) and register filters such as
        ``kommunenummer="5059"`` or ``naeringskode="62.100"``; at most 10,000."""
        for page in self.search_pages(name=name, size=size, **filters):
            yield from page.records

    # --- updates feed ----------------------------------------------------------------------

    def iter_update_pages(
        self,
        *,
        since_id: int | None = None,
        since: datetime.datetime | None = None,
        size: int = 1000,
    ) -> Iterator[list[UpdateEvent]]:
        """Pages of the updates feed after update id ``since_id`` (or from the moment
        ``since``), until a page comes back without ``_embedded``."""
        if since_id is None and since is None:
            raise ValueError("give since_id or since")
        url = f"{self.entity_api_url}/oppdateringer/enheter"
        if since_id is not None:
            params: dict[str, Any] = {"oppdateringsid": since_id + 1, "size": size}
        else:
            moment = since.astimezone(datetime.UTC) if since.tzinfo else since
            params = {"dato": moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "size": size}
        while True:
            data = self._json(self._get(url, params=params))
            items = (data.get("_embedded") or {}).get("oppdaterteEnheter") or []
            if not items:
                return
            events = [_event(item) for item in items]
            yield events
            last = max(e.update_id for e in events)
            if since_id is not None and last <= since_id:
                raise RegisterError(f"the updates feed did not advance past {since_id}")
            since_id = last
            params = {"oppdateringsid": last + 1, "size": size}

    def iter_updates(self, *, since_id: int, size: int = 1000) -> Iterator[UpdateEvent]:
        for page in self.iter_update_pages(since_id=since_id, size=size):
            yield from page

    # --- accounts --------------------------------------------------------------------------

    def get_accounts(self, org_number: str) -> list[AccountRecord]:
        """The latest annual accounts the register serves for ``org_number``."""
        response = self._get(f"{self.accounts_api_url}/{org_number}", ok=(200, 404))
        if response.status_code == 404:
            return []
        return accounts_from_json(self._json(response), org_number=org_number)


def _event(item: Any) -> UpdateEvent:
    if not isinstance(item, dict) or "oppdateringsid" not in item:
        raise RegisterError(f"not an item of the updates feed: {str(item)[:200]}")
    changed_at = None
    if item.get("dato"):
        try:
            changed_at = datetime.datetime.fromisoformat(str(item["dato"]).replace("Z", "+00:00"))
        except ValueError:
            changed_at = None
    return UpdateEvent(
        update_id=int(item["oppdateringsid"]),
        org_number=str(item.get("organisasjonsnummer") or ""),
        change_type=str(item.get("endringstype") or "Ukjent"),
        changed_at=changed_at,
    )


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds or as an HTTP date."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return max((moment - datetime.datetime.now(datetime.UTC)).total_seconds(), 0.0)
