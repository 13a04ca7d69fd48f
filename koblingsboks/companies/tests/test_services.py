"""Portfolio services: affiliations (no overlaps, dates in order, advisors are members),
notes (author or admin) and the advisory log (sane hours, no future dates), all audited."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from koblingsboks.companies.models import AdvisoryLogEntry, Affiliation, CompanyNote
from koblingsboks.companies.services import (
    advisory_log_add,
    advisory_log_delete,
    affiliation_create,
    affiliation_end,
    affiliation_update,
    note_create,
    note_delete,
    note_update,
)
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Role
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

D = datetime.date


def _affiliate(tenant, company, *, start, end=None, kind="target", actor=None, **extra):
    return affiliation_create(
        organisation=tenant.organisation,
        company=company,
        kind=kind,
        start_date=start,
        end_date=end,
        phase=extra.pop("phase", "active"),
        responsible_advisor=extra.pop("responsible_advisor", None),
        actor=actor or tenant.advisor,
    )


def _count(tenant, model) -> int:
    with organisation_scope(tenant.organisation):
        return model.objects.count()


def _audit(tenant, action: str) -> list[AuditEntry]:
    with organisation_scope(tenant.organisation):
        return list(AuditEntry.objects.filter(action=action))


@pytest.fixture
def company(db):
    return CompanyFactory()


# --- affiliations --------------------------------------------------------------------------


def test_affiliation_create_saves_and_audits(tenant_a, company):
    affiliation = _affiliate(
        tenant_a,
        company,
        start=D(2024, 3, 1),
        kind="incubator",
        phase="onboarding",
        responsible_advisor=tenant_a.advisor,
    )

    with organisation_scope(tenant_a.organisation):
        stored = Affiliation.objects.get(pk=affiliation.pk)
    assert (stored.company, stored.kind, stored.phase) == (company, "incubator", "onboarding")
    assert stored.start_date == D(2024, 3, 1) and stored.end_date is None
    assert stored.responsible_advisor == tenant_a.advisor
    (entry,) = _audit(tenant_a, "companies.affiliation.created")
    assert entry.actor == tenant_a.advisor
    assert entry.after["company"] == company.pk
    assert entry.after["start_date"] == "2024-03-01"


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        # the same period twice: a double submission
        ((D(2024, 1, 1), None), (D(2024, 1, 1), None)),
        # an open-ended one swallows everything after its start
        ((D(2020, 1, 1), None), (D(2025, 6, 1), D(2025, 12, 31))),
        # a new open-ended one overlapping an earlier closed one
        ((D(2020, 1, 1), D(2022, 12, 31)), (D(2022, 12, 31), None)),
        # a closed one inside a closed one
        ((D(2020, 1, 1), D(2023, 12, 31)), (D(2021, 1, 1), D(2021, 6, 30))),
        # a closed one that starts before and ends inside
        ((D(2020, 1, 1), D(2023, 12, 31)), (D(2019, 1, 1), D(2020, 1, 1))),
        # a new open-ended one starting before an existing open-ended one
        ((D(2024, 1, 1), None), (D(2010, 1, 1), None)),
    ],
)
def test_overlapping_affiliations_of_the_same_company_are_refused(tenant_a, company, existing, new):
    _affiliate(tenant_a, company, start=existing[0], end=existing[1])

    with pytest.raises(ServiceError) as refusal:
        _affiliate(tenant_a, company, start=new[0], end=new[1], kind="tenant")

    assert refusal.value.code == "overlap"
    assert company.name in refusal.value.message
    assert _count(tenant_a, Affiliation) == 1
    assert len(_audit(tenant_a, "companies.affiliation.created")) == 1


def test_periods_that_only_touch_are_not_refused_when_one_ends_the_day_before(tenant_a, company):
    _affiliate(tenant_a, company, start=D(2020, 1, 1), end=D(2021, 12, 31))
    _affiliate(tenant_a, company, start=D(2022, 1, 1))
    _affiliate(tenant_a, company, start=D(2015, 1, 1), end=D(2019, 12, 31))
    assert _count(tenant_a, Affiliation) == 3


def test_other_companies_and_other_organisations_do_not_overlap(tenant_a, tenant_b, company):
    _affiliate(tenant_a, company, start=D(2024, 1, 1))
    _affiliate(tenant_b, company, start=D(2024, 1, 1))
    _affiliate(tenant_a, CompanyFactory(), start=D(2024, 1, 1))
    assert _count(tenant_a, Affiliation) == 2
    assert _count(tenant_b, Affiliation) == 1


def test_dates_in_the_wrong_order_are_refused(tenant_a, company):
    with pytest.raises(ServiceError) as refusal:
        _affiliate(tenant_a, company, start=D(2024, 5, 1), end=D(2024, 4, 30))
    assert refusal.value.code == "dates"
    assert "2024-04-30" in refusal.value.message
    assert _count(tenant_a, Affiliation) == 0


@pytest.mark.parametrize(("field", "value"), [("kind", "partner"), ("phase", "sleeping")])
def test_unknown_kind_or_phase_is_refused(tenant_a, company, field, value):
    arguments = {"kind": "target", "phase": "active", field: value}
    with pytest.raises(ServiceError):
        affiliation_create(
            organisation=tenant_a.organisation,
            company=company,
            start_date=D(2024, 1, 1),
            actor=tenant_a.advisor,
            **arguments,
        )
    assert _count(tenant_a, Affiliation) == 0


def test_the_responsible_advisor_must_be_a_member(tenant_a, tenant_b, company):
    with pytest.raises(ServiceError) as refusal:
        _affiliate(tenant_a, company, start=D(2024, 1, 1), responsible_advisor=tenant_b.advisor)
    assert refusal.value.code == "not_member"
    assert _count(tenant_a, Affiliation) == 0


def test_observers_and_outsiders_cannot_change_the_portfolio(tenant_a, tenant_b, company):
    for actor in (tenant_a.observer, tenant_b.admin, UserFactory()):
        with pytest.raises(ServiceError) as refusal:
            _affiliate(tenant_a, company, start=D(2024, 1, 1), actor=actor)
        assert refusal.value.code == "forbidden"
    assert _count(tenant_a, Affiliation) == 0


def test_update_changes_fields_checks_overlap_and_audits_before_and_after(tenant_a, company):
    first = _affiliate(tenant_a, company, start=D(2018, 1, 1), end=D(2019, 12, 31))
    second = _affiliate(tenant_a, company, start=D(2022, 1, 1))

    affiliation_update(
        affiliation=second,
        data={"phase": "alumni", "kind": "incubator", "responsible_advisor": tenant_a.manager},
        actor=tenant_a.manager,
    )
    with pytest.raises(ServiceError) as refusal:
        affiliation_update(affiliation=first, data={"end_date": None}, actor=tenant_a.manager)

    assert refusal.value.code == "overlap"
    with organisation_scope(tenant_a.organisation):
        second.refresh_from_db()
        first.refresh_from_db()
    assert (second.phase, second.kind, second.responsible_advisor) == (
        "alumni",
        "incubator",
        tenant_a.manager,
    )
    assert first.end_date == D(2019, 12, 31)
    (entry,) = _audit(tenant_a, "companies.affiliation.updated")
    assert entry.before["phase"] == "active" and entry.after["phase"] == "alumni"


def test_update_refuses_fields_that_are_not_editable(tenant_a, company):
    affiliation = _affiliate(tenant_a, company, start=D(2022, 1, 1))
    with pytest.raises(ServiceError):
        affiliation_update(
            affiliation=affiliation, data={"organisation": None}, actor=tenant_a.admin
        )


def test_end_sets_the_end_date_and_refuses_one_before_the_start(tenant_a, company):
    affiliation = _affiliate(tenant_a, company, start=D(2022, 1, 1))

    with pytest.raises(ServiceError):
        affiliation_end(affiliation=affiliation, end_date=D(2021, 12, 31), actor=tenant_a.admin)
    affiliation_end(affiliation=affiliation, end_date=D(2024, 6, 30), actor=tenant_a.admin)

    with organisation_scope(tenant_a.organisation):
        affiliation.refresh_from_db()
    assert affiliation.end_date == D(2024, 6, 30)
    (entry,) = _audit(tenant_a, "companies.affiliation.ended")
    assert entry.before["end_date"] is None and entry.after["end_date"] == "2024-06-30"
    # Ended, so a new affiliation may start after it.
    _affiliate(tenant_a, company, start=D(2024, 7, 1))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_give_one_affiliation(tenant_a):
    company = CompanyFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit():
        try:
            barrier.wait()
            _affiliate(tenant_a, company, start=D(2024, 1, 1))
            outcomes.append("created")
        except ServiceError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created", "overlap"]
    assert _count(tenant_a, Affiliation) == 1


# --- notes -----------------------------------------------------------------------------------


def test_note_create_strips_and_audits(tenant_a, company):
    note = note_create(
        organisation=tenant_a.organisation,
        company=company,
        text="  Wants help with export.  ",
        author=tenant_a.advisor,
    )
    assert note.text == "Wants help with export."
    (entry,) = _audit(tenant_a, "companies.note.created")
    assert entry.after["text"] == "Wants help with export."


@pytest.mark.parametrize(("text", "code"), [("", "note_empty"), ("   ", "note_empty")])
def test_empty_notes_are_refused(tenant_a, company, text, code):
    with pytest.raises(ServiceError) as refusal:
        note_create(
            organisation=tenant_a.organisation, company=company, text=text, author=tenant_a.admin
        )
    assert refusal.value.code == code
    assert _count(tenant_a, CompanyNote) == 0


def test_a_note_over_10000_characters_is_refused_with_its_length(tenant_a, company):
    with pytest.raises(ServiceError) as refusal:
        note_create(
            organisation=tenant_a.organisation,
            company=company,
            text="x" * 10_001,
            author=tenant_a.admin,
        )
    assert refusal.value.code == "note_too_long"
    assert "10001" in refusal.value.message.replace(" ", "")
    assert _count(tenant_a, CompanyNote) == 0
    # Exactly the limit is fine.
    note_create(
        organisation=tenant_a.organisation,
        company=company,
        text="y" * 10_000,
        author=tenant_a.admin,
    )


def test_only_the_author_or_an_admin_may_change_or_delete_a_note(tenant_a, company):
    note = note_create(
        organisation=tenant_a.organisation, company=company, text="First", author=tenant_a.advisor
    )

    for outsider in (tenant_a.manager, tenant_a.observer):
        with pytest.raises(ServiceError) as refusal:
            note_update(note=note, text="Hijacked", actor=outsider)
        assert refusal.value.code == "forbidden"
        with pytest.raises(ServiceError):
            note_delete(note=note, actor=outsider)

    note_update(note=note, text="Second", actor=tenant_a.advisor)
    note_update(note=note, text="Third", actor=tenant_a.admin)
    with organisation_scope(tenant_a.organisation):
        note.refresh_from_db()
    assert note.text == "Third"
    assert [e.after["text"] for e in _audit(tenant_a, "companies.note.updated")] == [
        "Third",
        "Second",
    ]

    note_delete(note=note, actor=tenant_a.admin)
    assert _count(tenant_a, CompanyNote) == 0
    (entry,) = _audit(tenant_a, "companies.note.deleted")
    assert entry.before["text"] == "Third"


# --- the advisory log --------------------------------------------------------------------------


def _log(tenant, company, **overrides):
    arguments = {
        "organisation": tenant.organisation,
        "company": company,
        "advisor": tenant.advisor,
        "date": D(2025, 2, 3),
        "hours": Decimal("1.5"),
        "topic": "Budget",
        "actor": tenant.advisor,
        **overrides,
    }
    return advisory_log_add(**arguments)


def test_advisory_log_add_saves_and_audits(tenant_a, company):
    entry = _log(tenant_a, company, hours="2,25")
    assert entry.hours == Decimal("2.25")
    (audit,) = _audit(tenant_a, "companies.advisory_log.added")
    assert audit.after == {
        "company": company.pk,
        "advisor": tenant_a.advisor.pk,
        "date": "2025-02-03",
        "hours": "2.25",
        "topic": "Budget",
    }


@pytest.mark.parametrize("hours", ["0", "-1", "24.01", "25", "abc", "1.234", "NaN", "Infinity", ""])
def test_hours_out_of_range_or_not_numbers_are_refused(tenant_a, company, hours):
    with pytest.raises(ServiceError) as refusal:
        _log(tenant_a, company, hours=hours)
    assert refusal.value.code == "hours"
    assert _count(tenant_a, AdvisoryLogEntry) == 0


def test_24_hours_is_the_most_one_entry_takes(tenant_a, company):
    assert _log(tenant_a, company, hours="24").hours == Decimal("24")


def test_future_dates_empty_topics_and_outside_advisors_are_refused(tenant_a, tenant_b, company):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    cases = [
        ({"date": tomorrow}, "date"),
        ({"topic": "  "}, "topic"),
        ({"topic": "t" * 301}, "topic"),
        ({"advisor": tenant_b.advisor}, "not_member"),
        ({"actor": tenant_a.observer}, "forbidden"),
    ]
    for overrides, code in cases:
        with pytest.raises(ServiceError) as refusal:
            _log(tenant_a, company, **overrides)
        assert refusal.value.code == code, overrides
    assert _count(tenant_a, AdvisoryLogEntry) == 0


def test_a_member_of_any_role_can_be_the_advisor_of_logged_hours(tenant_a, company):
    with scopes_disabled():
        newcomer = MembershipFactory(organisation=tenant_a.organisation, role=Role.MANAGER).user
    entry = _log(tenant_a, company, advisor=newcomer, actor=tenant_a.admin)
    assert entry.advisor == newcomer


def test_logged_hours_are_deleted_by_their_advisor_a_manager_or_an_admin(tenant_a, company):
    with scopes_disabled():
        colleague = MembershipFactory(organisation=tenant_a.organisation, role=Role.ADVISOR).user
    entries = [_log(tenant_a, company) for _ in range(3)]

    with pytest.raises(ServiceError):
        advisory_log_delete(entry=entries[0], actor=colleague)
    advisory_log_delete(entry=entries[0], actor=tenant_a.advisor)
    advisory_log_delete(entry=entries[1], actor=tenant_a.manager)
    advisory_log_delete(entry=entries[2], actor=tenant_a.admin)

    assert _count(tenant_a, AdvisoryLogEntry) == 0
    assert len(_audit(tenant_a, "companies.advisory_log.deleted")) == 3
