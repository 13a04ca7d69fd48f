"""The library's list pages make the same number of queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koblingsboks.library.feed.services import comment_create
from koblingsboks.library.models import Notification
from koblingsboks.library.tests.factories import committed, make_method, make_post, pdf
from koblingsboks.people.models import CompetenceArea

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(n, tenant_a, tenant_b, network):
    for i in range(n):
        post = make_post(
            tenant_a, network=network, title=f"P{i}", tags=f"t{i}, felles", uploads=[pdf()]
        )
        with committed():
            comment_create(
                post=post, organisation=tenant_b.organisation, author=tenant_b.advisor, body="Hei"
            )
        area, _new = CompetenceArea.objects.get_or_create(
            name_nb="Styrearbeid", name_en="Board work"
        )
        make_method(tenant_b, title=f"M{i}", tags=f"t{i}", competence_areas=[area])


@pytest.mark.parametrize("url", ["/feed/", "/methods/", "/notifications/", "/library/search/?q=P"])
def test_library_lists_do_not_grow_with_rows(client, tenant_a, tenant_b, shared_network, url):
    client.force_login(tenant_a.advisor)
    _grow(2, tenant_a, tenant_b, shared_network)
    few = _queries(client, url)
    _grow(6, tenant_a, tenant_b, shared_network)
    assert Notification.objects.filter(user=tenant_a.advisor).count() == 8
    many = _queries(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"
