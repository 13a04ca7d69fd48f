"""The REST API's shapes, from ijson events: a HAL search page, look-ups keyed by org.nr,
one entity. These files are small; one entity at a time is built. No ORM here."""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import ijson

from koblingsboks.companies.register.records import RecordError, entity_row_from_json
from koblingsboks.companies.register.streams import (
    EXPECTED,
    HAL_KEYS,
    ORG_KEY,
    RegisterFileError,
    TruncatedInput,
    after_org,
    json_type,
)

if TYPE_CHECKING:
    from koblingsboks.companies.register.parser import EntityStream


def object_rows(reader, stream: "EntityStream") -> Iterator[tuple]:
    """A HAL search page, an object keyed by org.nr, or one entity, from ijson events."""
    events = ijson.parse(reader, use_float=True)
    try:
        yield from _object_events(events, stream)
    except ijson.IncompleteJSONError as exc:
        message = str(exc)
        if "premature EOF" in message or "incomplete" in message.lower():
            raise TruncatedInput("") from None
        raise RegisterFileError(
            f"Invalid JSON after {stream.records_read} records{after_org(stream)}: "
            f"{message.strip()}. Nothing was imported."
        ) from None


def _object_events(events, stream: "EntityStream") -> Iterator[tuple]:
    stream._last_org_number = ""
    prefix, event, value = next(events)
    assert event == "start_map"
    prefix, event, key = next(events)
    if event == "end_map":
        raise RegisterFileError(f"The file holds an empty JSON object: {EXPECTED}.")
    if ORG_KEY.match(key):
        stream.shape = "lookup"
        yield from _lookup_rows(events, key, stream)
    elif key in HAL_KEYS:
        stream.shape = "search_page"
        yield from _page_rows(events, key, stream)
    else:
        stream.shape = "entity"
        obj = _build_rest_of_map(events, key)
        try:
            row = entity_row_from_json(obj)
        except RecordError as exc:
            raise RegisterFileError(
                f"The JSON object is not an entity of the register ({exc}): {EXPECTED}."
            ) from None
        stream._last_org_number = row[0]
        yield row
    _expect_end(events)


def _lookup_rows(events, key: str, stream: "EntityStream") -> Iterator[tuple]:
    while True:
        if not ORG_KEY.match(key):
            raise RegisterFileError(
                f"The key {key!r} is not an organisation number, although the file looked "
                f"like look-ups keyed by organisation number: {EXPECTED}."
            )
        value = _build_value(events)
        if not isinstance(value, dict):
            raise RegisterFileError(
                f"The value for {key} is not an entity but a JSON {json_type(value)}: "
                f"{EXPECTED}. Nothing was imported."
            )
        try:
            row = entity_row_from_json(value)
        except RecordError as exc:
            raise RegisterFileError(
                f"The value for {key} is not an entity of the register: {exc}. "
                "Nothing was imported."
            ) from None
        if row[0] != key:
            raise RegisterFileError(
                f"The value for {key} is the entity {row[0]}: the keys must be the "
                "entities' organisation numbers. Nothing was imported."
            )
        stream._last_org_number = row[0]
        yield row
        prefix, event, key = next(events)
        if event == "end_map":
            return


def _page_rows(events, key: str, stream: "EntityStream") -> Iterator[tuple]:
    while True:
        if key == "_embedded":
            yield from _embedded_rows(events, stream)
        else:
            _build_value(events)  # _links, page: not needed
        prefix, event, key = next(events)
        if event == "end_map":
            return


def _embedded_rows(events, stream: "EntityStream") -> Iterator[tuple]:
    prefix, event, value = next(events)
    if event != "start_map":
        raise RegisterFileError(f"'_embedded' is not an object: {EXPECTED}.")
    while True:
        prefix, event, key = next(events)
        if event == "end_map":
            return
        if key != "enheter":
            raise RegisterFileError(
                f"A HAL page of '{key}', not of entities ('_embedded.enheter'): "
                f"{_hal_hint(key)}{EXPECTED}."
            )
        prefix, event, value = next(events)
        if event != "start_array":
            raise RegisterFileError(f"'_embedded.enheter' is not an array: {EXPECTED}.")
        index = 0
        while True:
            prefix, event, value = next(events)
            if event == "end_array":
                break
            index += 1
            obj = _build_value(events, (prefix, event, value))
            if not isinstance(obj, dict):
                raise RegisterFileError(
                    f"Entity {index} of the page{after_org(stream)} is not an entity but a "
                    f"JSON {json_type(obj)}. Nothing was imported."
                )
            try:
                row = entity_row_from_json(obj)
            except RecordError as exc:
                raise RegisterFileError(
                    f"Entity {index} of the page is not an entity of the register: {exc}. "
                    "Nothing was imported."
                ) from None
            stream._last_org_number = row[0]
            yield row


def _hal_hint(key: str) -> str:
    if key == "oppdaterteEnheter":
        return "this is the updates feed, which manage.py sync_brreg applies; "
    if key == "underenheter":
        return "these are sub-units (underenheter), not entities; "
    return ""


def _build_value(events, first=None):
    """Consume the events of one JSON value and return it."""
    builder = ijson.ObjectBuilder()
    depth = 0
    event_tuple = first if first is not None else next(events)
    while True:
        prefix, event, value = event_tuple
        builder.event(event, value)
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
        if depth == 0:
            return builder.value
        event_tuple = next(events)


def _build_rest_of_map(events, first_key: str) -> dict:
    """The root object, of which start_map and the first key were already read."""
    builder = ijson.ObjectBuilder()
    builder.event("start_map", None)
    builder.event("map_key", first_key)
    depth = 1
    for _prefix, event, value in events:
        builder.event(event, value)
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                return builder.value
    raise TruncatedInput("")


def _expect_end(events) -> None:
    for _prefix, event, _value in events:
        raise RegisterFileError(f"Unexpected JSON after the end of the object ({event}).")
