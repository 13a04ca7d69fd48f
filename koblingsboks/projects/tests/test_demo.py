"""The demo projects: one active with actuals, one circulated and waiting for a signature."""

import pytest

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.demo import load_demo
from koblingsboks.network.models import Organisation
from koblingsboks.projects.demo import load_app_demo
from koblingsboks.projects.models import AgreementVersion, Project
from koblingsboks.projects.selectors import budget_vs_actual, project_list_visible_to

pytestmark = pytest.mark.django_db


def test_the_demo_projects_and_idempotence():
    load_demo()
    assert load_app_demo() > 40
    assert load_app_demo() == 0
    coast = Organisation.objects.get(slug="trondersk-kystkompetanse")
    mountain = Organisation.objects.get(slug="nasjonalparken-naeringshage")
    with organisation_scope(coast):
        active = Project.objects.get(title="Sjømat og kystopplevelser")
        assert active.status == Project.Status.ACTIVE
        version = active.versions.get()
        assert version.status == AgreementVersion.Status.SIGNED
        assert version.signatures.count() == 3
        report = budget_vs_actual(project=active)
        assert report.total.actual > 0
        assert any(row.over for row in report.rows)  # travel 2026 is over budget
    with organisation_scope(mountain):
        waiting = Project.objects.get(title="Fjellregionen som reisemål")
        assert waiting.status == Project.Status.CIRCULATED
        assert waiting.versions.get().signatures.count() == 1
    # the other gardens of the network see both, as title, parties and status
    roros = Organisation.objects.get(slug="rorosregionen-naeringshage")
    assert [p.title for p in project_list_visible_to(organisation=roros)] == [
        "Sjømat og kystopplevelser"
    ]
