"""The cache-based rate limiter: fixed and sliding windows, per key, and its 429 answers."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from koblingsboks.core.ratelimit import Rate, hit, ratelimit, reset


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    "text,limit,period",
    [("5/m", 5, 60), ("100/h", 100, 3600), ("10/30s", 10, 30), ("1/d", 1, 86400)],
)
def test_rates_parse(text, limit, period):
    assert Rate.parse(text) == Rate(limit=limit, period=period)


@pytest.mark.parametrize("text", ["", "5", "x/m", "5/y", "0/m", "-1/m"])
def test_bad_rates_are_refused(text):
    with pytest.raises(ValueError):
        Rate.parse(text)


def test_fixed_window_counts_per_key_and_resets_with_the_window():
    now = 1_000_040.0  # 20 s into a minute window
    decisions = [hit("g", "1.2.3.4", "3/m", now=now + i) for i in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[3].retry_after == 60 - 20 - 3
    assert hit("g", "5.6.7.8", "3/m", now=now).allowed  # another key
    assert hit("other", "1.2.3.4", "3/m", now=now).allowed  # another group
    assert hit("g", "1.2.3.4", "3/m", now=now + 41).allowed  # the next window


def test_sliding_window_weighs_the_previous_window():
    start = 1_000_040.0
    window_end = start - 20 + 60
    for i in range(4):
        assert hit("s", "k", "4/m", sliding=True, now=start + i).allowed
    # 15 s into the next window, 75 % of the previous 4 hits still count: 3 + 1 = 4.
    assert hit("s", "k", "4/m", sliding=True, now=window_end + 15).allowed
    refused = hit("s", "k", "4/m", sliding=True, now=window_end + 16)
    assert not refused.allowed and refused.retry_after >= 1
    # With a fixed window the same burst would pass at once.
    for i in range(4):
        hit("f", "k", "4/m", now=start + i)
    assert hit("f", "k", "4/m", now=window_end + 1).allowed


def test_reset_forgets_a_key():
    for _ in range(2):
        hit("r", "k", "2/m", now=500.0)
    assert not hit("r", "k", "2/m", now=500.0).allowed
    reset("r", "k", "2/m", now=500.0)
    assert hit("r", "k", "2/m", now=500.0).allowed


def _view(request):
    return HttpResponse("ok")


def test_decorator_answers_429_with_a_page_or_json(db):
    view = ratelimit("d", "2/m", methods=("POST",))(_view)
    factory = RequestFactory()
    assert view(factory.get("/x/")).status_code == 200  # GET not counted
    assert [view(factory.post("/x/")).status_code for _ in range(3)] == [200, 200, 429]
    page = view(factory.post("/x/"))
    assert page["Retry-After"].isdigit() and b"rate-limited" in page.content

    json_view = ratelimit("j", "1/m")(_view)
    json_view(factory.get("/api/v1/x"))
    refused = json_view(factory.get("/api/v1/x"))
    assert refused.status_code == 429 and refused["Content-Type"] == "application/json"
    assert b"retry_after" in refused.content


def test_key_function_and_switch(settings):
    view = ratelimit("e", "1/m", key=lambda r: r.GET.get("email", ""))(_view)
    factory = RequestFactory()
    assert view(factory.get("/?email=a@x.no")).status_code == 200
    assert view(factory.get("/?email=a@x.no")).status_code == 429
    assert view(factory.get("/?email=b@x.no")).status_code == 200
    settings.RATELIMIT_ENABLED = False
    assert view(factory.get("/?email=a@x.no")).status_code == 200
