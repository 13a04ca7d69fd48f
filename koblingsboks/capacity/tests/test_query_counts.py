"""The capacity and directory list pages make as many queries for many rows as for one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koblingsboks.capacity.tests.factories import make_booking, make_offer, make_request
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.people.services import profile_save
from koblingsboks.people.tests.factories import CompetenceFactory
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(tenant_a, tenant_b, competences):
    offer = make_offer(tenant_b, competences=competences, hours="100")
    make_booking(tenant_a, tenant_b, hours="1", offer=offer, request=make_request(tenant_a))
    with organisation_scope(tenant_b.organisation):
        user = MembershipFactory(organisation=tenant_b.organisation).user
        profile_save(
            organisation=tenant_b.organisation,
            user=user,
            text="Eksport",
            competences={c.pk: 2 for c in competences},
            languages=["nb", "en"],
            sectors=["A", "C"],
            actor=user,
        )


@pytest.mark.parametrize(
    "url",
    ["/capacity/offers/", "/capacity/requests/", "/capacity/bookings/", "/people/"],
)
def test_list_pages_do_not_grow_with_their_rows(client, tenant_a, tenant_b, shared_network, url):
    competences = [CompetenceFactory(), CompetenceFactory()]
    client.force_login(tenant_a.advisor)
    _grow(tenant_a, tenant_b, competences)
    one = _queries(client, url)
    for _ in range(4):
        _grow(tenant_a, tenant_b, competences)
    assert _queries(client, url) == one
