"""The satisfaction survey: one-time links (only hashes stored), answering without an
account, one answer per link, answers private to the garden, the average in the KPIs."""

import re

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.reporting.kpi import kpi_report, scope_for_organisation, suppress_report
from koblingsboks.reporting.models import SatisfactionSurvey, SurveyInvitation
from koblingsboks.reporting.services import survey_create, survey_send, token_hash

pytestmark = pytest.mark.django_db


def _link_token(body: str) -> str:
    return re.search(r"/survey/([A-Za-z0-9_-]+)/", body).group(1)


@pytest.fixture
def survey(tenant_a, portfolio):
    with organisation_scope(tenant_a.organisation):
        return survey_create(
            organisation=tenant_a.organisation,
            year=2024,
            title="Kundetilfredshet 2024",
            actor=tenant_a.manager,
        )


def test_a_manager_creates_a_survey_and_sends_links_by_email(
    client, tenant_a, portfolio, django_capture_on_commit_callbacks
):
    client.force_login(tenant_a.manager)
    response = client.post(
        "/results/surveys/", {"year": 2024, "title": "Kundetilfredshet 2024", "message": "Hei!"}
    )
    assert response.status_code == 302
    with organisation_scope(tenant_a.organisation):
        survey = SatisfactionSurvey.objects.get()
    page = client.get(f"/results/surveys/{survey.pk}/").content.decode()
    c1, c2 = portfolio["companies"][:2]
    assert "ALFA VEKST AS" in page  # a candidate: affiliated in 2024
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/results/surveys/{survey.pk}/send/",
            {"company": [c1.pk, c2.pk], f"email-{c1.pk}": "kontakt@alfa.example"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kontakt@alfa.example"]
    token = _link_token(mail.outbox[0].body)
    with organisation_scope(tenant_a.organisation):
        stored = SurveyInvitation.objects.get(company=c1)
    assert stored.token_hash == token_hash(token)
    assert token not in stored.token_hash
    # BETA had no address: its link is shown once, then never again.
    shown = client.get(f"/results/surveys/{survey.pk}/").content.decode()
    assert 'data-testid="survey-links"' in shown and "BETA STABIL AS" in shown
    again = client.get(f"/results/surveys/{survey.pk}/").content.decode()
    assert 'data-testid="survey-links"' not in again


def test_answering_once_without_an_account(client, tenant_a, survey, portfolio):
    c1 = portfolio["companies"][0]
    with organisation_scope(tenant_a.organisation):
        links = survey_send(
            survey=survey,
            recipients=[(c1, "")],
            actor=tenant_a.manager,
            base_url="http://testserver/",
        )
    path = links[c1.pk].removeprefix("http://testserver")
    page = client.get(path)
    assert page.status_code == 200 and "ALFA VEKST AS" in page.content.decode()
    bad = client.post(path, {"score": "7", "comment": "x"})
    assert bad.status_code == 400
    too_long = client.post(path, {"score": "5", "comment": "x" * 2001})
    assert too_long.status_code == 400
    ok = client.post(path, {"score": "5", "comment": "Veldig nyttig."})
    assert ok.status_code == 200 and 'data-testid="survey-thanks"' in ok.content.decode()
    twice = client.post(path, {"score": "1", "comment": "Endret meg"})
    assert 'data-testid="survey-already"' in twice.content.decode()
    with scopes_disabled():
        answer = SurveyInvitation.objects.get(company=c1)
    assert (answer.score, answer.comment) == (5, "Veldig nyttig.")
    assert client.get("/survey/not-a-real-token/").status_code == 404


def test_a_new_link_replaces_the_old_and_an_answered_company_is_refused(
    client, tenant_a, survey, portfolio
):
    c1 = portfolio["companies"][0]
    with organisation_scope(tenant_a.organisation):
        first = survey_send(survey=survey, recipients=[(c1, "")], actor=None, base_url="http://t/")[
            c1.pk
        ]
        second = survey_send(
            survey=survey, recipients=[(c1, "")], actor=None, base_url="http://t/"
        )[c1.pk]
    assert client.get(first.removeprefix("http://t")).status_code == 404
    client.post(second.removeprefix("http://t"), {"score": "4"})
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError):
        survey_send(survey=survey, recipients=[(c1, "")], actor=None, base_url="http://t/")
    with organisation_scope(tenant_a.organisation), pytest.raises(ServiceError):
        survey_send(
            survey=survey, recipients=[(c1, "not-an-address")], actor=None, base_url="http://t/"
        )


def test_one_survey_per_year_and_clear_errors(client, tenant_a, survey):
    client.force_login(tenant_a.manager)
    client.cookies["django_language"] = "en"
    response = client.post("/results/surveys/", {"year": 2024, "title": "Igjen"})
    assert response.status_code == 400
    assert "already a survey for 2024" in response.content.decode()
    assert client.post("/results/surveys/", {"year": 2025, "title": ""}).status_code == 400


def test_observers_and_advisors_cannot_manage_and_observers_cannot_read_answers(
    client, tenant_a, survey
):
    client.force_login(tenant_a.advisor)
    assert client.get(f"/results/surveys/{survey.pk}/").status_code == 200
    assert client.post(f"/results/surveys/{survey.pk}/send/", {}).status_code == 403
    assert client.post("/results/surveys/", {"year": 2030, "title": "x"}).status_code == 403
    client.force_login(tenant_a.observer)
    assert client.get(f"/results/surveys/{survey.pk}/").status_code == 403


def test_the_average_and_count_go_into_the_kpis_and_are_suppressed_below_three(
    client, tenant_a, survey, portfolio
):
    companies = portfolio["companies"][:3]
    with organisation_scope(tenant_a.organisation):
        links = survey_send(
            survey=survey,
            recipients=[(c, "") for c in companies],
            actor=None,
            base_url="http://t/",
        )
    for company, score in zip(companies[:2], (6, 3), strict=True):
        client.post(links[company.pk].removeprefix("http://t"), {"score": str(score)})
    scope = scope_for_organisation(tenant_a.organisation)
    report = kpi_report(scope=scope, year=2024)
    assert report["satisfaction"] == {"average": 4.5, "answers": 2}
    assert suppress_report(report)["satisfaction"]["average"] is None
    client.post(links[companies[2].pk].removeprefix("http://t"), {"score": "5"})
    report = kpi_report(scope=scope, year=2024)
    assert str(report["satisfaction"]["average"]) == "4.67"
    assert suppress_report(report)["satisfaction"]["answers"] == 3
    assert kpi_report(scope=scope, year=2023)["satisfaction"]["answers"] == 0


def _contact(tenant, company, name, email, *, receives_surveys=True):
    from koblingsboks.companies.contacts import contact_person_add

    return contact_person_add(
        organisation=tenant.organisation,
        company=company,
        data={"name": name, "email": email, "receives_surveys": receives_surveys},
        actor=tenant.admin,
    )


def test_the_send_form_is_prefilled_from_the_contact_persons_and_stays_editable(
    client, tenant_a, tenant_b, survey, portfolio, django_capture_on_commit_callbacks
):
    c1, c2, c3 = portfolio["companies"][:3]
    _contact(tenant_a, c1, "Anne Aune", "anne@alfa.example")
    _contact(tenant_a, c1, "Bjørn Bakke", "bjorn@alfa.example")
    _contact(tenant_a, c1, "Carl Crona", "carl@alfa.example", receives_surveys=False)
    _contact(tenant_a, c2, "Uten Adresse", "")
    _contact(tenant_a, c3, "Gerd Gamma", "gerd@gamma.example")
    _contact(tenant_b, c1, "Bs Kontakt", "b-kontakt@alfa.example")  # B's own register
    with organisation_scope(tenant_a.organisation):
        # A link made without an address: the form now suggests the contact person.
        survey_send(survey=survey, recipients=[(c3, "")], actor=None, base_url="http://t/")
    client.force_login(tenant_a.manager)

    page = client.get(f"/results/surveys/{survey.pk}/").content.decode()

    field = re.search(rf'<input type="email" name="email-{c1.pk}"[^>]*>', page).group(0)
    assert 'value="anne@alfa.example"' in field and f'list="contact-emails-{c1.pk}"' in field
    datalist = re.search(rf'<datalist id="contact-emails-{c1.pk}">.*?</datalist>', page).group(0)
    assert "bjorn@alfa.example" in datalist and "anne@alfa.example" in datalist
    assert "carl@alfa.example" not in page  # does not receive surveys
    assert "b-kontakt@alfa.example" not in page  # another garden's contact person
    empty = re.search(rf'<input type="email" name="email-{c2.pk}"[^>]*>', page).group(0)
    assert 'value=""' in empty and "list=" not in empty
    invited = re.search(rf'<input type="email" name="email-{c3.pk}"[^>]*>', page).group(0)
    assert 'value="gerd@gamma.example"' in invited

    # What the form sends is what goes out: the chosen suggestion, and a typed address.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/results/surveys/{survey.pk}/send/",
            {
                "company": [c1.pk, c2.pk],
                f"email-{c1.pk}": "bjorn@alfa.example",
                f"email-{c2.pk}": "typed@beta.example",
            },
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["bjorn@alfa.example", "typed@beta.example"]
    with organisation_scope(tenant_a.organisation):
        sent = dict(SurveyInvitation.objects.values_list("company_id", "email"))
    assert sent[c1.pk] == "bjorn@alfa.example" and sent[c2.pk] == "typed@beta.example"
    # Sent: the form keeps the address it was sent to, not the first contact person.
    again = client.get(f"/results/surveys/{survey.pk}/").content.decode()
    field = re.search(rf'<input type="email" name="email-{c1.pk}"[^>]*>', again).group(0)
    assert 'value="bjorn@alfa.example"' in field


def test_erasing_a_person_blanks_their_address_on_the_gardens_survey_links_only(
    tenant_a, tenant_b, portfolio, survey
):
    from koblingsboks.companies.contacts import contact_person_erase
    from koblingsboks.core.models import AuditEntry

    alfa, beta = portfolio["companies"][:2]
    with organisation_scope(tenant_a.organisation):
        survey_send(
            survey=survey,
            recipients=[(alfa, "Kari@alfa.example"), (beta, "ola@beta.example")],
            actor=tenant_a.manager,
            base_url="http://testserver/",
        )
    with organisation_scope(tenant_b.organisation):
        other = survey_create(
            organisation=tenant_b.organisation, year=2024, title="B", actor=tenant_b.admin
        )
        survey_send(
            survey=other,
            recipients=[(portfolio["companies"][4], "kari@alfa.example")],
            actor=tenant_b.admin,
            base_url="http://testserver/",
        )

    contact_person_erase(
        organisation=tenant_a.organisation, email="kari@ALFA.example", actor=tenant_a.manager
    )

    with scopes_disabled():
        addresses = dict(SurveyInvitation.objects.values_list("company__name", "email"))
        entry = AuditEntry.objects.get(action="reporting.survey.addresses_erased")
    assert addresses["ALFA VEKST AS"] == ""  # A's link to Kari: the address is gone
    assert addresses["BETA STABIL AS"] == "ola@beta.example"
    assert addresses["EPSILON HOS B AS"] == "kari@alfa.example"  # B's own record stays
    assert entry.organisation == tenant_a.organisation and entry.after == {"links": 1}
    assert "kari" not in f"{entry.object_repr}{entry.before}{entry.after}".lower()
