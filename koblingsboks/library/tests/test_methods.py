"""The methodology library: audience, versions with a readable diff, experience notes,
notifications to followers of a competence area, and attachments."""

import pytest

from conftest import make_tenant
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.library import sharing
from koblingsboks.library.methods import selectors
from koblingsboks.library.methods.diff import version_diff
from koblingsboks.library.methods.services import method_experience_save, method_update
from koblingsboks.library.models import Audience, MethodVersion
from koblingsboks.library.tests.factories import docx, make_method
from koblingsboks.people.tests.factories import CompetenceAreaFactory

pytestmark = pytest.mark.django_db


def _titles(tenant):
    return set(
        sharing.methods_visible_to(organisation=tenant.organisation).values_list("title", flat=True)
    )


def test_audience_of_methods(tenant_a, tenant_b, shared_network):
    outsider = make_tenant("Hage C")
    make_method(tenant_a, title="Intern", audience=Audience.ORGANISATION)
    make_method(tenant_a, title="Nettverk", audience=Audience.NETWORK)
    make_method(tenant_a, title="Offentlig", audience=Audience.PUBLIC)
    assert _titles(tenant_a) == {"Intern", "Nettverk", "Offentlig"}
    assert _titles(tenant_b) == {"Nettverk", "Offentlig"}
    assert _titles(outsider) == {"Offentlig"}


def _update(method, actor, **changes):
    data = {
        "title": method.title,
        "summary": method.summary,
        "body": method.body,
        "tags": ", ".join(t.name for t in method.tags.all()),
        "competence_areas": list(method.competence_areas.all()),
        "audience": method.audience,
        "licence": method.licence,
    }
    data.update(changes)
    return method_update(method=method, actor=actor, contact=method.contact, **data)


def test_every_edit_keeps_a_version_and_the_diff_shows_what_changed(tenant_a):
    method = make_method(tenant_a, body="Dag 1: idé\nDag 2: marked", tags="gründer")
    method = _update(
        method,
        tenant_a.manager,
        body="Dag 1: idé\nDag 2: kunder\nDag 3: pitch",
        change_note="La til pitch",
    )
    assert method.version == 2
    versions = list(selectors.version_list(method=method))
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].edited_by == tenant_a.manager
    assert versions[0].change_note == "La til pitch"
    diff = version_diff(versions[1], versions[0])
    assert [d.field for d in diff] == ["body"]
    ops = [(line.op, line.text) for line in diff[0].lines]
    assert ops == [
        ("same", "Dag 1: idé"),
        ("removed", "Dag 2: marked"),
        ("added", "Dag 2: kunder"),
        ("added", "Dag 3: pitch"),
    ]


def test_an_edit_that_changes_nothing_adds_no_version(tenant_a):
    method = make_method(tenant_a)
    method = _update(method, tenant_a.advisor)
    assert method.version == 1
    assert MethodVersion.objects.filter(method=method).count() == 1


def test_only_the_owner_organisation_edits(tenant_a, tenant_b, shared_network):
    method = make_method(tenant_a)
    with pytest.raises(ServiceError) as error:
        _update(method, tenant_b.admin, title="Kapret")
    assert error.value.code == "forbidden"
    with pytest.raises(ServiceError):
        _update(method, tenant_a.observer, title="Observatør")


def test_experience_notes_come_from_other_organisations(tenant_a, tenant_b, shared_network):
    method = make_method(tenant_a)
    note = method_experience_save(
        method=method,
        organisation=tenant_b.organisation,
        author=tenant_b.advisor,
        note="Vi kjørte dette med 12 bedrifter i Oppdal – det virket, men sett av to økter.",
        companies_count=12,
        place="Oppdal",
    )
    again = method_experience_save(
        method=method,
        organisation=tenant_b.organisation,
        author=tenant_b.advisor,
        note="Oppdatert erfaring",
    )
    assert again.pk == note.pk and again.note == "Oppdatert erfaring"
    with pytest.raises(ServiceError) as error:
        method_experience_save(
            method=method, organisation=tenant_a.organisation, author=tenant_a.manager, note="Vår"
        )
    assert error.value.code == "own_method"


def test_experience_on_a_method_one_cannot_see_is_refused(tenant_a, tenant_b, shared_network):
    method = make_method(tenant_a, audience=Audience.ORGANISATION)
    with pytest.raises(ServiceError) as error:
        method_experience_save(
            method=method, organisation=tenant_b.organisation, author=tenant_b.advisor, note="Hm"
        )
    assert error.value.code == "not_found"


def test_methods_can_carry_office_files(tenant_a):
    method = make_method(tenant_a, uploads=[docx()])
    assert method.attachments.get().content_type.endswith("wordprocessingml.document")


def test_method_list_filters_by_tag_and_competence(tenant_a, tenant_b, shared_network):
    board = CompetenceAreaFactory(name_nb="Styrearbeid")
    make_method(tenant_a, title="Styrekurs", tags="styre", competence_areas=[board])
    make_method(tenant_b, title="Søknadsklinikk", tags="finansiering")

    def titles(**kw):
        filters = selectors.MethodFilters(**kw)
        return [
            m.title
            for m in selectors.method_list(organisation=tenant_b.organisation, filters=filters)
        ]

    assert titles() == ["Styrekurs", "Søknadsklinikk"]
    assert titles(tag="styre") == ["Styrekurs"]
    assert titles(competence=board.pk) == ["Styrekurs"]
    assert titles(organisation=tenant_b.organisation.slug) == ["Søknadsklinikk"]
