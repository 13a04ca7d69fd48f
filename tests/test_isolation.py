"""Tenant isolation over every URL of the project: pages and API routes.

Every URL pattern is classified in tests/isolation/registry.py and requested as tenant A's
administrator against tenant B's private data. See tests/isolation/README.md.
"""

import json

import pytest
from django.test import Client, override_settings

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Membership
from tests.isolation.checks import check_url
from tests.isolation.coverage import classification_problems, entry_for
from tests.isolation.entries import ObjectUrl, Public
from tests.isolation.fixture import build_fixture
from tests.isolation.patterns import UrlPatternInfo, iter_url_patterns
from tests.isolation.registry import ENTRIES, NAMESPACES

LEAKY_URLCONF = "tests.isolation.leaky_urls"
LEAKY_ENTRY = ObjectUrl(kwargs=lambda t: {"pk": t.membership.pk}, methods=("GET",))


def _one_per_label(patterns) -> list[UrlPatternInfo]:
    by_label: dict[str, UrlPatternInfo] = {}
    for pattern in patterns:
        by_label.setdefault(pattern.label, pattern)
    return list(by_label.values())


# pytest-django has set Django up before collection, so the resolver can be walked here.
PATTERNS = _one_per_label(iter_url_patterns())


@pytest.fixture
def fx(tenant_a, tenant_b):
    return build_fixture(tenant_a, tenant_b)


def test_the_walk_finds_pages_api_routes_and_their_parameters():
    by_label = {pattern.label: pattern for pattern in PATTERNS}
    assert len(by_label) > 40
    assert {"core:dashboard", "network:members", "api-tokens:revoke", "api:me"} <= set(by_label)
    assert by_label["network:member-role"].route == "organisation/members/<int:pk>/role/"
    assert by_label["network:member-role"].kwargs == ("pk",)
    assert by_label["api:membership_update"].route == (
        "api/v1/organisations/<slug>/memberships/<membership_id>"
    )
    assert by_label["api:membership_update"].kwargs == ("slug", "membership_id")
    assert by_label["admin:index"].namespace == "admin"


def test_every_url_is_classified_exactly_once():
    problems = classification_problems(iter_url_patterns(), entries=ENTRIES, namespaces=NAMESPACES)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda pattern: pattern.label)
def test_url_keeps_other_organisations_data_private(pattern, fx):
    entry = entry_for(pattern, entries=ENTRIES, namespaces=NAMESPACES)
    if entry is None:
        pytest.fail(f"{pattern.label} is not classified; add it to tests/isolation/registry.py")
    failures = check_url(pattern, entry, fx)
    assert failures == [], "\n".join(failures)


# The checker itself: it must report what it exists to catch.


def test_an_unclassified_url_is_reported_until_it_is_classified():
    leaky = list(iter_url_patterns(LEAKY_URLCONF))
    problems = classification_problems(leaky, entries=ENTRIES, namespaces=NAMESPACES)
    assert len(problems) == 1
    assert "'leaky-member'" in problems[0]
    assert "tests/isolation/registry.py" in problems[0]

    classified = [*ENTRIES, ("leaky-member", LEAKY_ENTRY)]
    assert classification_problems(leaky, entries=classified, namespaces=NAMESPACES) == []


@override_settings(ROOT_URLCONF=LEAKY_URLCONF)
def test_the_leaky_view_fails_the_isolation_check(fx):
    pattern = next(p for p in iter_url_patterns(LEAKY_URLCONF) if p.name == "leaky-member")
    entries = [*ENTRIES, ("leaky-member", LEAKY_ENTRY)]
    entry = entry_for(pattern, entries=entries, namespaces=NAMESPACES)

    failures = check_url(pattern, entry, fx)

    assert failures, "the checker did not notice a view that ignores the scope"
    assert any("leaky-member" in f and "answered 200" in f for f in failures)
    assert any(fx.b.membership.user.email in f for f in failures), failures


def test_stale_duplicate_and_unnamed_patterns_are_reported():
    unnamed = UrlPatternInfo(name=None, namespace="network", route="secret/", kwargs=())
    entries = [*ENTRIES, ("network:gone", Public("removed")), ENTRIES[0]]

    problems = classification_problems(
        [*iter_url_patterns(), unnamed], entries=entries, namespaces=NAMESPACES
    )

    assert len(problems) == 3
    assert any(f"{ENTRIES[0][0]!r} is classified 2 times" in p for p in problems)
    assert any("'network:gone'" in p and "no URL pattern has it" in p for p in problems)
    assert any("'secret/' has no name" in p for p in problems)


# The API clients the checks use really get through, so their 403/404 mean something.


def _patch_role(client: Client, fx, **extra):
    url = f"/api/v1/organisations/{fx.a.organisation.slug}/memberships/{fx.a.membership.pk}"
    body = json.dumps({"role": "observer"})
    return client.patch(url, body, content_type="application/json", **extra)


def _role(fx) -> str:
    with organisation_scope(fx.a.organisation):
        return Membership.objects.get(pk=fx.a.membership.pk).role


def test_a_personal_token_reaches_own_organisation(fx):
    client = Client(headers={"Authorization": f"Bearer {fx.a_raw_token}"})
    assert _patch_role(client, fx).status_code == 200
    assert _role(fx) == "observer"


def test_session_writes_need_the_csrf_token_outside_the_test_client(fx):
    client = Client(enforce_csrf_checks=True)
    client.force_login(fx.a.admin)
    assert _patch_role(client, fx).status_code == 403
    assert _role(fx) == "advisor"

    client.get("/dashboard/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert _patch_role(client, fx, headers={"X-CSRFToken": token}).status_code == 200
    assert _role(fx) == "observer"
