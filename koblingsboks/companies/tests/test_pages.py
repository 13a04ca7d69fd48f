"""Pages: company search, the company page with notes and hours, the portfolio, adding,
editing and ending affiliations. Plain forms and their htmx fragments."""

import datetime
import re
from decimal import Decimal

import pytest

from koblingsboks.companies.models import AdvisoryLogEntry, Affiliation, CompanyNote
from koblingsboks.companies.services import advisory_log_add, affiliation_create, note_create
from koblingsboks.core.tenancy import organisation_scope
from tests.factories import CompanyFactory, KeyFiguresFactory, companies_from_register_sample

D = datetime.date
HTMX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _affiliate(tenant, company, **fields):
    arguments = {"kind": "target", "start_date": D(2024, 1, 1), "phase": "active", **fields}
    return affiliation_create(
        organisation=tenant.organisation, company=company, actor=tenant.admin, **arguments
    )


def _rows(tenant, model):
    with organisation_scope(tenant.organisation):
        return list(model.objects.all())


@pytest.fixture
def register(db):
    return {c.org_number: c for c in companies_from_register_sample()}


@pytest.fixture
def svorka(register):
    return register["918744126"]


# --- search ----------------------------------------------------------------------------------


def test_search_needs_sign_in(client, db):
    response = client.get("/companies/?q=svorka")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_search_page_finds_companies_and_offers_to_add_them(client_a, register):
    response = client_a.get("/companies/?q=svorka")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    assert "SVORKA SENSORIKK AS" in page
    assert 'href="/portfolio/add/?org_number=918744126"' in page
    assert "918&nbsp;744&nbsp;126" in page


def test_search_as_you_type_returns_only_the_results_fragment(client_a, register):
    response = client_a.get("/companies/?q=frøya&municipality=5014", **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'data-testid="search-results"' in page
    assert "FRØYA SJØMATDATA AS" in page


def test_search_marks_companies_already_in_the_portfolio(client_a, tenant_a, svorka):
    _affiliate(tenant_a, svorka)
    page = client_a.get("/companies/?q=svorka").content.decode()
    assert 'data-testid="in-portfolio"' in page
    assert "org_number=918744126" not in page


def test_a_nine_digit_number_with_a_wrong_check_digit_says_so(client_a, register):
    response = client_a.get("/companies/?q=918 744 127")
    page = response.content.decode()
    assert 'data-testid="org-number-problem"' in page
    assert "918744127" in page or "918 744 127" in page
    assert 'data-testid="no-results"' in page


def test_a_bad_nace_filter_is_explained_and_not_used(client_a, register):
    response = client_a.get("/companies/?q=svorka&nace=abc")
    page = response.content.decode()
    assert "abc" in page
    assert response.context["results"] == []


def test_search_without_input_shows_the_hint_not_an_error(client_a, db):
    response = client_a.get("/companies/")
    assert response.status_code == 200
    assert response.context["searched"] is False


def test_observers_search_but_are_not_offered_to_add(client, tenant_a, register):
    page = _as(client, tenant_a.observer).get("/companies/?q=svorka").content.decode()
    assert "SVORKA SENSORIKK AS" in page
    assert 'data-testid="add-to-portfolio"' not in page


# --- the company page ------------------------------------------------------------------------


def test_company_page_shows_register_facts_badges_and_withheld_headcount(client_a, register):
    page = client_a.get("/companies/923114831/").content.decode()  # konkurs in the sample
    assert "SVORKMO VEDPRODUKSJON AS" in page
    assert 'data-testid="badge-bankrupt"' in page
    withheld = client_a.get("/companies/921775318/").content.decode()  # 1–4 employees
    assert 'data-testid="badge-bankrupt"' not in withheld
    assert 'data-testid="employees-withheld"' in withheld
    none = client_a.get("/companies/915233775/").content.decode()  # no employees
    assert 'data-testid="employees-none"' in none


def test_deleted_companies_are_marked(client_a, svorka):
    svorka.deleted_on = D(2026, 10, 8)
    svorka.save()
    page = client_a.get("/companies/918744126/").content.decode()
    assert 'data-testid="badge-deleted"' in page
    assert "08.10.2026" in page


def test_unknown_or_malformed_org_numbers_are_404(client_a, db):
    assert client_a.get("/companies/918744126/").status_code == 404
    assert client_a.get("/companies/12345/").status_code == 404


def test_company_page_draws_the_chart_and_the_same_figures_as_a_table(client_a, svorka):
    KeyFiguresFactory(company=svorka, year=2024, turnover=Decimal("6100000"), employees=12)
    KeyFiguresFactory(company=svorka, year=2025, turnover=Decimal("12900000"), employees=14)

    page = client_a.get("/companies/918744126/").content.decode()

    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert svg.count("<rect") == 2
    assert svg.count("<circle") == 2
    assert 'role="img"' in svg
    # SVG coordinates use a decimal point whatever the language.
    assert not re.search(r'(x|y|height|width)="\d+,\d', svg)
    table = re.search(r'data-testid="key-figures-table".*?</table>', page, re.S).group(0)
    assert "12\xa0900\xa0000" in table and "6\xa0100\xa0000" in table


def test_company_without_accounts_says_so(client_a, svorka):
    page = client_a.get("/companies/918744126/").content.decode()
    assert 'data-testid="no-key-figures"' in page
    assert "<svg" not in page


def test_company_page_shows_network_affiliations_and_only_own_private_data(
    client_a, tenant_a, tenant_b, shared_network, svorka
):
    _affiliate(tenant_b, svorka, phase="lead")
    with organisation_scope(tenant_b.organisation):
        note_create(
            organisation=tenant_b.organisation,
            company=svorka,
            text="Secret plan of B",
            author=tenant_b.admin,
        )
        advisory_log_add(
            organisation=tenant_b.organisation,
            company=svorka,
            advisor=tenant_b.advisor,
            date=D(2025, 1, 2),
            hours="3",
            topic="Secret topic of B",
            actor=tenant_b.admin,
        )
    note_create(
        organisation=tenant_a.organisation,
        company=svorka,
        text="Own note of A",
        author=tenant_a.admin,
    )

    page = client_a.get("/companies/918744126/").content.decode()

    visible = re.search(r'data-testid="visible-affiliations".*?</section>', page, re.S).group(0)
    assert tenant_b.organisation.name in visible
    assert "Own note of A" in page
    assert "Secret plan of B" not in page and "Secret topic of B" not in page


def test_observers_read_the_company_page_without_forms(client, tenant_a, svorka):
    _affiliate(tenant_a, svorka)
    page = _as(client, tenant_a.observer).get("/companies/918744126/").content.decode()
    assert 'data-testid="notes"' in page
    assert 'data-testid="note-form"' not in page
    assert 'data-testid="advisory-form"' not in page
    assert "/portfolio/" not in re.search(r'id="portfolio".*?</section>', page, re.S).group(0)


# --- notes and hours on the company page -----------------------------------------------------


def test_adding_a_note_saves_it_and_returns_to_the_page(client_a, tenant_a, svorka):
    response = client_a.post("/companies/918744126/notes/", {"text": "Ringte om eksport."})

    assert response.status_code == 302
    assert response.url == "/companies/918744126/#notes"
    (note,) = _rows(tenant_a, CompanyNote)
    assert (note.text, note.author) == ("Ringte om eksport.", tenant_a.admin)


def test_adding_a_note_with_htmx_returns_the_refreshed_section(client_a, tenant_a, svorka):
    response = client_a.post("/companies/918744126/notes/", {"text": "Via htmx"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="notes"')
    assert "Via htmx" in page


def test_an_over_long_note_is_refused_with_a_message_and_nothing_saved(client_a, tenant_a, svorka):
    response = client_a.post("/companies/918744126/notes/", {"text": "x" * 10_001})
    assert response.status_code == 400
    assert "10000" in response.content.decode().replace("\xa0", "").replace(" ", "")
    assert _rows(tenant_a, CompanyNote) == []


def test_observers_cannot_post_notes_or_hours(client, tenant_a, svorka):
    _as(client, tenant_a.observer)
    assert client.post("/companies/918744126/notes/", {"text": "x"}).status_code == 403
    data = {"date": "2025-01-02", "hours": "1", "topic": "x", "advisor": tenant_a.observer.pk}
    assert client.post("/companies/918744126/advisory-log/", data).status_code == 403
    assert _rows(tenant_a, CompanyNote) == [] and _rows(tenant_a, AdvisoryLogEntry) == []


def test_notes_are_edited_and_deleted_by_their_author_only(client, tenant_a, svorka):
    note = note_create(
        organisation=tenant_a.organisation, company=svorka, text="Mine", author=tenant_a.advisor
    )
    url = f"/companies/918744126/notes/{note.pk}/"

    _as(client, tenant_a.manager)
    refused = client.post(url + "edit/", {"text": "Not yours"}, follow=True)
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    client.post(url + "delete/")
    assert [n.text for n in _rows(tenant_a, CompanyNote)] == ["Mine"]

    _as(client, tenant_a.advisor)
    assert client.get(url + "edit/").status_code == 200
    assert client.post(url + "edit/", {"text": "Mine, changed"}).status_code == 302
    assert [n.text for n in _rows(tenant_a, CompanyNote)] == ["Mine, changed"]
    assert client.post(url + "delete/").status_code == 302
    assert _rows(tenant_a, CompanyNote) == []


@pytest.mark.parametrize("hours", ["1,5", "1.5"])
def test_logging_hours_accepts_a_decimal_comma_or_point(client, tenant_a, svorka, hours):
    _as(client, tenant_a.advisor)
    data = {
        "date": "2025-03-04",
        "hours": hours,
        "topic": "Budsjett",
        "advisor": tenant_a.advisor.pk,
    }
    response = client.post("/companies/918744126/advisory-log/", data)
    assert response.status_code == 302
    (entry,) = _rows(tenant_a, AdvisoryLogEntry)
    assert (entry.hours, entry.topic, entry.advisor) == (
        Decimal("1.5"),
        "Budsjett",
        tenant_a.advisor,
    )


def test_hours_in_the_future_or_out_of_range_are_refused(client_a, tenant_a, svorka):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    for data in (
        {"date": future, "hours": "1", "topic": "x"},
        {"date": "2025-01-01", "hours": "25", "topic": "x"},
        {"date": "2025-01-01", "hours": "0", "topic": "x"},
    ):
        data["advisor"] = tenant_a.advisor.pk
        response = client_a.post("/companies/918744126/advisory-log/", data)
        assert response.status_code == 400, data
    htmx = client_a.post(
        "/companies/918744126/advisory-log/",
        {"date": future, "hours": "1", "topic": "x", "advisor": tenant_a.advisor.pk},
        **HTMX,
    )
    assert htmx.status_code == 200 and 'role="alert"' in htmx.content.decode()
    assert _rows(tenant_a, AdvisoryLogEntry) == []


def test_hours_cannot_be_logged_for_someone_outside_the_organisation(
    client_a, tenant_a, tenant_b, svorka
):
    data = {"date": "2025-01-01", "hours": "1", "topic": "x", "advisor": tenant_b.advisor.pk}
    assert client_a.post("/companies/918744126/advisory-log/", data).status_code == 400
    assert _rows(tenant_a, AdvisoryLogEntry) == []


# --- the portfolio ---------------------------------------------------------------------------


def test_portfolio_lists_the_own_affiliations_with_filters(client_a, tenant_a, tenant_b, register):
    _affiliate(tenant_a, register["918744126"], phase="lead")
    _affiliate(tenant_a, register["921775318"], kind="incubator")
    _affiliate(tenant_b, register["924813717"])

    page = client_a.get("/portfolio/").content.decode()
    assert "SVORKA SENSORIKK AS" in page and "FRØYA SJØMATDATA AS" in page
    assert "NIDELVA APPVERKSTED AS" not in page

    filtered = client_a.get("/portfolio/?phase=lead").content.decode()
    assert "SVORKA SENSORIKK AS" in filtered and "FRØYA SJØMATDATA AS" not in filtered
    assert "/portfolio/export.xlsx?phase=lead" in filtered
    assert "/portfolio/export.csv?phase=lead" in filtered


def test_portfolio_filter_with_htmx_returns_the_results_fragment(client_a, tenant_a, svorka):
    _affiliate(tenant_a, svorka)
    response = client_a.get("/portfolio/?kind=target", **HTMX)
    page = response.content.decode()
    assert "<html" not in page and 'data-testid="portfolio-table"' in page


def test_portfolio_pages_by_25(client_a, tenant_a):
    for _ in range(27):
        _affiliate(tenant_a, CompanyFactory())
    first = client_a.get("/portfolio/")
    second = client_a.get("/portfolio/?page=2")
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2
    assert "page=2" in first.content.decode()


def test_empty_portfolio_and_no_matches_say_so(client_a, tenant_a, svorka):
    empty = client_a.get("/portfolio/").content.decode()
    assert 'data-testid="portfolio-empty"' in empty
    _affiliate(tenant_a, svorka)
    assert (
        'data-testid="portfolio-empty"' in client_a.get("/portfolio/?phase=alumni").content.decode()
    )


# --- adding, editing and ending affiliations -------------------------------------------------


def _add(client, org_number, **extra):
    data = {
        "org_number": org_number,
        "kind": "target",
        "start_date": "2025-09-01",
        "phase": "active",
    }
    return client.post("/portfolio/add/", {**data, **extra})


def test_adding_by_org_number_with_spaces(client_a, tenant_a, svorka):
    response = _add(client_a, "918 744 126", responsible_advisor=tenant_a.advisor.pk)

    assert response.status_code == 302
    assert response.url == "/companies/918744126/"
    (affiliation,) = _rows(tenant_a, Affiliation)
    assert affiliation.company == svorka
    assert affiliation.responsible_advisor == tenant_a.advisor


def test_the_add_form_is_prefilled_from_the_search(client_a, svorka):
    response = client_a.get("/portfolio/add/?org_number=918744126")
    page = response.content.decode()
    assert 'data-testid="company-preview"' in page and "SVORKA SENSORIKK AS" in page
    assert 'value="918744126"' in page


def test_a_wrong_check_digit_is_explained(client_a, tenant_a, svorka):
    response = _add(client_a, "918744127")
    assert response.status_code == 400
    assert "918744127" in response.content.decode()
    assert _rows(tenant_a, Affiliation) == []


def test_a_number_missing_from_the_register_suggests_importing_it(client_a, tenant_a, db):
    response = _add(client_a, "974760673")
    page = response.content.decode()
    assert response.status_code == 400
    assert "import_brreg" in page and "sync_brreg" in page
    assert _rows(tenant_a, Affiliation) == []


def test_submitting_the_same_affiliation_twice_adds_it_once(client_a, tenant_a, svorka):
    assert _add(client_a, "918744126").status_code == 302
    again = _add(client_a, "918744126")
    assert again.status_code == 400
    assert "SVORKA SENSORIKK AS" in again.content.decode()
    assert len(_rows(tenant_a, Affiliation)) == 1


def test_end_before_start_in_the_form_is_refused(client_a, tenant_a, svorka):
    response = _add(client_a, "918744126", end_date="2025-08-31")
    assert response.status_code == 400
    assert _rows(tenant_a, Affiliation) == []


def test_observers_cannot_add_edit_or_end(client, tenant_a, svorka):
    affiliation = _affiliate(tenant_a, svorka)
    _as(client, tenant_a.observer)
    assert client.get("/portfolio/add/").status_code == 403
    assert _add(client, "918744126").status_code == 403
    assert client.get(f"/portfolio/{affiliation.pk}/edit/").status_code == 403
    assert (
        client.post(f"/portfolio/{affiliation.pk}/end/", {"end_date": "2025-01-01"}).status_code
        == 403
    )


def test_editing_an_affiliation(client_a, tenant_a, svorka):
    affiliation = _affiliate(tenant_a, svorka)
    url = f"/portfolio/{affiliation.pk}/edit/"
    assert client_a.get(url).status_code == 200
    response = client_a.post(
        url, {"kind": "incubator", "start_date": "2024-01-01", "phase": "alumni"}
    )
    assert response.status_code == 302
    (stored,) = _rows(tenant_a, Affiliation)
    assert (stored.kind, stored.phase) == ("incubator", "alumni")


def test_ending_an_affiliation_and_a_refused_end_date(client_a, tenant_a, svorka):
    affiliation = _affiliate(tenant_a, svorka)
    url = f"/portfolio/{affiliation.pk}/end/"

    refused = client_a.post(url, {"end_date": "2023-12-31"}, follow=True)
    assert any("2023-12-31" in m for m in _messages(refused))
    assert _rows(tenant_a, Affiliation)[0].end_date is None

    client_a.post(url, {"end_date": "2025-06-30"})
    assert _rows(tenant_a, Affiliation)[0].end_date == D(2025, 6, 30)


def test_the_menu_links_to_companies_and_the_portfolio(client_a, db):
    page = client_a.get("/dashboard/").content.decode()
    assert 'href="/companies/"' in page and 'href="/portfolio/"' in page
