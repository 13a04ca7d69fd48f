"""The demo portfolios (companies/demo.py), loaded by ``manage.py load_demo``."""

import os
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django_scopes import scopes_disabled
from stdnum.no import orgnr

from koblingsboks.companies.demo import DEMO_TODAY, load_demo_portfolios
from koblingsboks.companies.models import (
    AdvisoryLogEntry,
    Affiliation,
    Company,
    CompanyNote,
    ContactPerson,
    KeyFigures,
)
from koblingsboks.network.models import Membership, Organisation

pytestmark = pytest.mark.django_db

SAMPLES = Path(os.environ.get("BRREG_SAMPLES", settings.BASE_DIR.parent / "shared/data/brreg"))
# From the cooperation agreement: the municipalities each garden serves.
GARDEN_MUNICIPALITIES = {
    "Trøndersk Kystkompetanse": {"5056", "5014"},
    "Næringshagen i Orkdalsregionen": {"5059", "5029"},
    "Nasjonalparken Næringshage": {"5021", "5022"},
    "Rørosregionen Næringshage": {"5025", "5026"},
}


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def _affiliations() -> list[Affiliation]:
    with scopes_disabled():
        return list(Affiliation.objects.select_related("organisation", "company"))


def _by_garden() -> dict[str, set[str]]:
    gardens = defaultdict(set)
    for affiliation in _affiliations():
        gardens[affiliation.organisation.name].add(affiliation.company.org_number)
    return gardens


def _row_counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            model._meta.label: model._base_manager.count()
            for model in apps.get_models()
            if model._meta.app_label in {"network", "core", "companies"}
        }


def test_each_garden_has_a_portfolio_of_ten_to_fifteen_companies(demo):
    gardens = _by_garden()

    assert set(gardens) == set(GARDEN_MUNICIPALITIES)
    for name, numbers in gardens.items():
        assert 10 <= len(numbers) <= 15, name
    in_two = [
        n
        for n in Company.objects.values_list("org_number", flat=True)
        if sum(n in numbers for numbers in gardens.values()) == 2
    ]
    assert len(in_two) >= 2


def test_companies_lie_in_the_gardens_municipalities(demo):
    companies = {c.org_number: c for c in Company.objects.all()}
    for name, numbers in _by_garden().items():
        served = GARDEN_MUNICIPALITIES[name]
        own = [n for n in numbers if companies[n].municipality_number in served]
        # Everything but the odd company shared with a neighbouring garden.
        assert len(own) >= len(numbers) - 1, name
        assert {companies[n].municipality_number for n in own} == served
    for company in companies.values():
        assert company.municipality_name and company.business_postal_code, company


def _sample_org_numbers() -> set[str]:
    found = set()
    for path in SAMPLES.glob("*.json"):
        found |= set(re.findall(r"(?<!\d)\d{9}(?!\d)", path.read_text(encoding="utf-8")))
    return found


def test_org_numbers_are_valid_and_collide_with_nothing_known(demo):
    numbers = set(Company.objects.values_list("org_number", flat=True))
    samples = _sample_org_numbers()
    assert len(samples) > 30  # the samples were really read

    assert all(orgnr.is_valid(n) for n in numbers)
    assert not numbers & samples
    assert not any(n.startswith("9210") for n in numbers)
    assert not numbers & set(Organisation.objects.values_list("org_number", flat=True))


def test_companies_have_varied_nace_codes_ages_and_forms(demo):
    companies = list(Company.objects.all())

    assert len({c.nace_code for c in companies}) >= 20
    for company in companies:
        assert re.fullmatch(r"\d{2}\.\d{3}", company.nace_code), company
        assert company.nace_description, company
        assert company.organisation_form_description, company
        assert company.registered_on >= company.founded_on
    founded = [c.founded_on.year for c in companies]
    assert min(founded) < 2005
    new = [year for year in founded if 2024 <= year <= 2026]
    assert len(new) >= 6 and {2024, 2025, 2026} <= set(new)
    assert {"AS", "ENK"} <= {c.organisation_form for c in companies}


def test_limited_companies_have_yearly_accounts_and_sole_proprietors_self_reported_figures(demo):
    garden_of = defaultdict(set)
    first_start = {}
    for a in sorted(_affiliations(), key=lambda a: a.start_date, reverse=True):
        garden_of[a.company_id].add(a.organisation_id)
        first_start[(a.company_id, a.organisation_id)] = a.start_date.year
    self_reported = 0
    for company in Company.objects.prefetch_related("key_figures"):
        figures = list(company.key_figures.all())
        if company.founded_on.year > 2025:
            assert figures == [], company
            continue
        years = sorted(f.year for f in figures)
        if company.organisation_form == "ENK":
            # Entered by the garden, for years it had the company (none for a 2026 lead).
            for f in figures:
                assert f.source == KeyFigures.Source.SELF_REPORTED
                assert f.reported_by_organisation_id in garden_of[company.pk]
                assert f.entered_by is not None
                assert f.year >= first_start[(company.pk, f.reported_by_organisation_id)]
            self_reported += bool(figures)
        else:
            assert {f.source for f in figures} == {KeyFigures.Source.ACCOUNTS_REGISTER}
            assert years == list(range(max(2019, company.founded_on.year), 2026)), company
            assert company.last_accounts_year == 2025
        for f in figures:
            assert f.period_end == date(f.year, 12, 31)
            assert f.period_start >= company.founded_on
            assert f.turnover > 0 and f.personnel_costs > 0
    assert self_reported >= 3
    assert KeyFigures.objects.filter(year=2019).count() >= 20


def test_turnover_grows_for_some_and_falls_for_others(demo):
    change = {}
    for company in Company.objects.exclude(organisation_form="ENK"):
        by_year = {f.year: f.turnover for f in company.key_figures.all()}
        if 2019 in by_year and 2025 in by_year:
            change[company.org_number] = by_year[2025] / by_year[2019]
    assert any(ratio >= 2 for ratio in change.values())
    assert any(ratio < 1 for ratio in change.values())


def test_affiliations_have_every_kind_and_phase_and_never_overlap(demo):
    affiliations = _affiliations()

    assert {a.kind for a in affiliations} == set(Affiliation.Kind.values)
    assert {a.phase for a in affiliations} == set(Affiliation.Phase.values)
    by_garden = defaultdict(list)
    for a in affiliations:
        by_garden[a.organisation_id].append(a)
        assert a.end_date is None or a.end_date >= a.start_date
        assert (a.end_date is not None) == (a.phase == Affiliation.Phase.ALUMNI)
    for garden in by_garden.values():
        assert any(a.end_date for a in garden)
        assert len({a.kind for a in garden}) >= 2
    pairs = defaultdict(list)
    for a in affiliations:
        pairs[(a.organisation_id, a.company_id)].append(a)
    for periods in pairs.values():
        periods.sort(key=lambda a: a.start_date)
        for before, after in zip(periods, periods[1:], strict=False):
            assert before.end_date is not None and before.end_date < after.start_date


def test_notes_and_hours_are_by_the_gardens_own_staff_on_their_own_companies(demo):
    with scopes_disabled():
        staff = defaultdict(set)
        for m in Membership.objects.all():
            staff[m.organisation_id].add(m.user_id)
        periods = defaultdict(list)
        for a in Affiliation.objects.all():
            periods[(a.organisation_id, a.company_id)].append(a)
            if a.responsible_advisor_id:
                assert a.responsible_advisor_id in staff[a.organisation_id]
        notes = list(CompanyNote.objects.all())
        entries = list(AdvisoryLogEntry.objects.all())

    assert len({n.organisation_id for n in notes}) == 4
    assert len({e.organisation_id for e in entries}) == 4
    for note in notes:
        assert (note.organisation_id, note.company_id) in periods
        assert note.author_id in staff[note.organisation_id]
    for entry in entries:
        assert entry.advisor_id in staff[entry.organisation_id]
        assert 0 < entry.hours <= 24
        assert entry.date <= DEMO_TODAY
        assert any(
            a.start_date <= entry.date and (a.end_date is None or entry.date <= a.end_date)
            for a in periods[(entry.organisation_id, entry.company_id)]
        ), entry


def test_loading_twice_changes_nothing(demo):
    first = _row_counts()
    assert first["companies.Company"] == 48

    call_command("load_demo", verbosity=0)

    assert load_demo_portfolios().created == 0
    assert _row_counts() == first


def _content() -> list:
    """The demo's portfolio data without ids or timestamps."""
    with scopes_disabled():
        return [
            sorted(Company.objects.values_list("org_number", "name", "nace_code", "employees")),
            sorted(
                KeyFigures.objects.values_list(
                    "company__org_number", "year", "turnover", "operating_result", "employees"
                )
            ),
            sorted(
                Affiliation.objects.values_list(
                    "organisation__org_number", "company__org_number", "kind", "start_date"
                )
            ),
            sorted(CompanyNote.objects.values_list("company__org_number", "text")),
            sorted(AdvisoryLogEntry.objects.values_list("company__org_number", "date", "hours")),
        ]


def test_the_demo_is_deterministic(demo):
    first = _content()
    with scopes_disabled():
        for model in (AdvisoryLogEntry, CompanyNote, Affiliation, KeyFigures, Company):
            model._base_manager.all().delete()

    result = load_demo_portfolios()

    assert result.created > 500
    assert _content() == first


def test_each_garden_keeps_one_or_two_invented_contact_persons_per_company(demo):
    with scopes_disabled():
        contacts = list(ContactPerson.objects.all())
    per_pair = defaultdict(list)
    for contact in contacts:
        per_pair[(contact.organisation_id, contact.company_id)].append(contact)
    pairs = {(a.organisation_id, a.company_id) for a in _affiliations()}

    assert set(per_pair) == pairs  # every company of every garden, and no other
    for people in per_pair.values():
        assert 1 <= len(people) <= 2
        assert sum(p.receives_surveys for p in people) == 1
    for contact in contacts:
        assert contact.email.endswith(".example") and contact.name and contact.phone
