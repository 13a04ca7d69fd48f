"""The projects pages make the same number of queries however many rows they show."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.projects import services
from koblingsboks.projects.tests.factories import draft_project, signed_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_on_commit(monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_the_list_does_not_grow_with_projects(client_a, tenant_a, tenant_b):
    draft_project(tenant_a, tenant_b)
    few = _queries(client_a, "/projects/")
    for n in range(4):
        draft_project(tenant_a, tenant_b, title=f"Prosjekt {n}", label=str(n))
    assert _queries(client_a, "/projects/") == few


def _add_party_with_costs(project, tenant, n: int) -> None:
    """One more external partner with a responsibility, a budget line and costs."""
    with organisation_scope(tenant.organisation):
        party = services.party_add(
            project=project,
            actor=tenant.manager,
            external_name=f"Partner {n}",
            signer_name="Signer",
            signer_email=f"signer{n}@example.com",
        )
        item = services.responsibility_add(
            project=project, party=party, actor=tenant.manager, title=f"Ansvar {n}"
        )
        services.deliverable_add(
            responsibility=item, actor=tenant.manager, title="Leveranse", due_date=date(2026, 5, 1)
        )
        services.budget_line_set(
            project=project,
            party=party,
            actor=tenant.manager,
            year=2026,
            category="travel",
            cash=100,
            in_kind=0,
        )


def test_project_pages_do_not_grow_with_parties_and_lines(client_a, tenant_a):
    project = draft_project(tenant_a)
    pages = [f"/projects/{project.pk}/", f"/projects/{project.pk}/budget/"]
    few = [_queries(client_a, url) for url in pages]
    for n in range(4):
        _add_party_with_costs(project, tenant_a, n)
    assert [_queries(client_a, url) for url in pages] == few


def test_actuals_do_not_grow_with_costs(client_a, tenant_a):
    project = signed_project(tenant_a)
    with organisation_scope(tenant_a.organisation):
        lines = list(project.budget_lines.all())

    def add_costs(n):
        with organisation_scope(tenant_a.organisation):
            for index in range(n):
                services.cost_entry_add(
                    budget_line=lines[index % len(lines)],
                    actor=tenant_a.manager,
                    date=date(2026, 2, 1 + index),
                    amount=100,
                    kind="cash",
                )

    url = f"/projects/{project.pk}/actuals/"
    add_costs(2)
    few = _queries(client_a, url)
    add_costs(6)
    assert _queries(client_a, url) == few
