import datetime

import pytest

from koblingsboks.reporting.tests.factories import accounts, affiliate, company


@pytest.fixture
def portfolio(tenant_a, tenant_b, shared_network):
    """Tenant A with four companies (one shared with B), B with two, in a shared network.

    2024 figures at A: affiliated 4; turnover 2023 → 2024: 100 → 250 (doubled since the
    2022 baseline of 100), 100 → 90, 0 → 50, and one without accounts."""
    a, b = tenant_a.organisation, tenant_b.organisation
    c1 = company(name="ALFA VEKST AS", founded=datetime.date(2023, 2, 1))
    c2 = company(name="BETA STABIL AS")
    c3 = company(name="GAMMA NULL AS")
    c4 = company(name="DELTA UTEN REGNSKAP AS")
    for c in (c1, c2, c3, c4):
        affiliate(a, c, "2023-01-01")
    for year, t in ((2022, 100), (2023, 100), (2024, 250)):
        accounts(c1, year, t, operating_result=10, personnel_costs=20, employees=2)
    for year, t in ((2022, 100), (2023, 100), (2024, 90)):
        accounts(c2, year, t, operating_result=5, personnel_costs=5, employees=3)
    for year, t in ((2022, 0), (2023, 0), (2024, 50)):
        accounts(c3, year, t, employees=1)
    c5 = company(name="EPSILON HOS B AS")
    affiliate(b, c5, "2023-01-01")
    affiliate(b, c1, "2024-05-01")
    return {"a": a, "b": b, "companies": [c1, c2, c3, c4, c5], "network": shared_network}
