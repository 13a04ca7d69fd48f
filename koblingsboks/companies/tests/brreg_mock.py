"""An offline stand-in for the register's HTTP API: an httpx.MockTransport serving the
recorded responses in shared/data/brreg/ (never the network).

- ``GET …/enheter/{orgnr}``: the recorded look-up (api_oppslag_sample.json), else the entity
  from the bulk sample (REST adds keys the parser ignores), else 404;
- ``GET …/enheter?kommunenummer=5059``: the recorded page 0 (api_page_sample.json); page 1
  holds the remaining Orkland entities of the bulk sample, as the recorded page announces;
- ``GET …/oppdateringer/enheter``: the recorded feed, filtered by ``oppdateringsid`` or
  ``dato`` and cut to ``size``; no ``_embedded`` when nothing is left, as the API does;
- ``GET /regnskapsregisteret/regnskap/{orgnr}``: the latest year of regnskap_sample.json
  (the open register serves only the latest year), else 404.
"""

import copy
import datetime
import json
import os
from collections.abc import Callable
from pathlib import Path

import httpx
from django.conf import settings

SAMPLES = Path(os.environ.get("BRREG_SAMPLES", settings.BASE_DIR.parent / "shared/data/brreg"))


def sample(name: str):
    with (SAMPLES / name).open(encoding="utf-8") as file:
        return json.load(file)


class MockRegister:
    """Serves the samples; ``requests`` records every request; ``fail`` can answer a
    request instead (return a Response, raise, or return None to serve normally)."""

    def __init__(self, *, feed: dict | None = None):
        self.lookups = sample("api_oppslag_sample.json")
        self.bulk = {e["organisasjonsnummer"]: e for e in sample("enheter_sample.json")}
        self.page = sample("api_page_sample.json")
        self.feed = feed if feed is not None else sample("oppdateringer_sample.json")
        self.accounts = sample("regnskap_sample.json")
        self.missing: set[str] = set()
        self.requests: list[httpx.Request] = []
        self.fail: Callable[[httpx.Request], httpx.Response | None] | None = None

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def paths(self, part: str) -> list[str]:
        return [r.url.path for r in self.requests if part in r.url.path]

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail is not None:
            answer = self.fail(request)
            if answer is not None:
                return answer
        path = request.url.path
        if path.startswith("/regnskapsregisteret/regnskap/"):
            return self._accounts(path.rsplit("/", 1)[1])
        if path == "/enhetsregisteret/api/oppdateringer/enheter":
            return self._feed(request.url.params)
        if path == "/enhetsregisteret/api/enheter":
            return self._search(request.url.params)
        if path.startswith("/enhetsregisteret/api/enheter/"):
            return self._entity(path.rsplit("/", 1)[1])
        return httpx.Response(404, json={"status": 404})

    def _entity(self, number: str) -> httpx.Response:
        if number in self.missing:
            return httpx.Response(404, json={"status": 404, "error": "Not Found"})
        if number in self.lookups:
            return httpx.Response(200, json=self.lookups[number])
        if number in self.bulk:
            return httpx.Response(200, json={**self.bulk[number], "respons_klasse": "Enhet"})
        return httpx.Response(404, json={"status": 404, "error": "Not Found"})

    def _search(self, params) -> httpx.Response:
        if params.get("kommunenummer") != "5059":
            return httpx.Response(200, json={"_links": {}, "page": {"size": 5, "number": 0}})
        if params.get("page", "0") == "0":
            return httpx.Response(200, json=self.page)
        shown = {e["organisasjonsnummer"] for e in self.page["_embedded"]["enheter"]}
        rest = [
            e
            for n, e in sorted(self.bulk.items())
            if n not in shown and (e.get("forretningsadresse") or {}).get("kommunenummer") == "5059"
        ]
        body = copy.deepcopy(self.page)
        body["_embedded"]["enheter"] = rest
        body["_links"].pop("next")
        body["_links"]["self"] = body["_links"]["last"]
        body["page"]["number"] = 1
        return httpx.Response(200, json=body)

    def _feed(self, params) -> httpx.Response:
        items = self.feed.get("_embedded", {}).get("oppdaterteEnheter", [])
        if "oppdateringsid" in params:
            start = int(params["oppdateringsid"])
            items = [i for i in items if i["oppdateringsid"] >= start]
        elif "dato" in params:
            since = datetime.datetime.fromisoformat(params["dato"].replace("Z", "+00:00"))
            items = [
                i
                for i in items
                if datetime.datetime.fromisoformat(i["dato"].replace("Z", "+00:00")) >= since
            ]
        items = items[: int(params.get("size", 20))]
        body = {"_links": self.feed["_links"], "page": {"size": len(items), "number": 0}}
        if items:
            body["_embedded"] = {"oppdaterteEnheter": items}
        return httpx.Response(200, json=body)

    def _accounts(self, number: str) -> httpx.Response:
        accounts = self.accounts.get(number)
        if not accounts:
            return httpx.Response(404, json={"status": 404})
        latest = max(a["regnskapsperiode"]["tilDato"] for a in accounts)
        return httpx.Response(
            200, json=[a for a in accounts if a["regnskapsperiode"]["tilDato"] == latest]
        )


def feed_with(changes: dict[int, str]) -> dict:
    """The recorded feed with the change type of some update ids replaced."""
    feed = sample("oppdateringer_sample.json")
    for item in feed["_embedded"]["oppdaterteEnheter"]:
        if item["oppdateringsid"] in changes:
            item["endringstype"] = changes[item["oppdateringsid"]]
    return feed
