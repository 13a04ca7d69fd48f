"""Contact persons of a company (companies/contacts.py): private to the garden, only for a
company in its portfolio, unique e-mail per company, written by every role but observer,
audited without personal values, erased on request — through the services, the company
page and the API."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from koblingsboks.companies.contacts import (
    contact_person_add,
    contact_person_delete,
    contact_person_erase,
    contact_person_update,
)
from koblingsboks.companies.models import ContactPerson
from koblingsboks.companies.services import affiliation_create
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
JSON = "application/json"
KARI = {
    "name": "Kari Nordmann",
    "role": "Daglig leder",
    "email": "kari@fjordfisk.example",
    "phone": "+47 912 34 567",
}
KARI_VALUES = ("Kari Nordmann", "Daglig leder", "kari@fjordfisk.example")


def _affiliate(tenant, company, *, end=None):
    with organisation_scope(tenant.organisation):
        return affiliation_create(
            organisation=tenant.organisation,
            company=company,
            kind="target",
            start_date=datetime.date(2022, 1, 1),
            end_date=end,
            phase="active",
            responsible_advisor=None,
            actor=tenant.admin,
        )


@pytest.fixture
def company(tenant_a):
    company = CompanyFactory(name="FJORDFISK AS")
    _affiliate(tenant_a, company)
    return company


def _add(tenant, company, actor=None, **data):
    return contact_person_add(
        organisation=tenant.organisation,
        company=company,
        data={**KARI, **data},
        actor=actor or tenant.advisor,
    )


def _contacts(tenant) -> list[ContactPerson]:
    with organisation_scope(tenant.organisation):
        return list(ContactPerson.objects.order_by("pk"))


def _audit(tenant, action: str) -> list[AuditEntry]:
    with organisation_scope(tenant.organisation):
        return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# --- services --------------------------------------------------------------------------------


def test_add_saves_normalised_values_and_audits_without_personal_data(tenant_a, company):
    contact = _add(tenant_a, company, name="  Kari   Nordmann ", phone=" +47  912 34 567 ")

    (stored,) = _contacts(tenant_a)
    assert stored.pk == contact.pk
    assert (stored.name, stored.role, stored.email) == KARI_VALUES
    assert stored.phone == "+47 912 34 567"
    assert stored.receives_surveys is True
    assert stored.created_by == tenant_a.advisor
    (entry,) = _audit(tenant_a, "companies.contact.created")
    assert entry.actor == tenant_a.advisor
    assert entry.after == {"company": company.pk, "receives_surveys": True}
    recorded = f"{entry.object_repr} {entry.before} {entry.after}"
    assert "Kari" not in recorded and "kari@" not in recorded and "912" not in recorded


def test_a_duplicate_email_on_the_same_company_is_refused_whatever_its_case(
    tenant_a, tenant_b, company
):
    _add(tenant_a, company)

    with pytest.raises(ServiceError) as refused:
        _add(tenant_a, company, name="Kari N.", email="KARI@Fjordfisk.example")
    assert refused.value.code == "duplicate_email"
    # Bokmål, the default language.
    assert "har allerede en kontaktperson med e-postadressen" in refused.value.message
    assert len(_contacts(tenant_a)) == 1
    # Another company of the garden, or the same company in another garden, may have it.
    other = CompanyFactory()
    _affiliate(tenant_a, other)
    _add(tenant_a, other)
    _affiliate(tenant_b, company)
    _add(tenant_b, company, actor=tenant_b.advisor)
    # Without an e-mail address there is nothing to be unique.
    _add(tenant_a, company, name="Ola", email="")
    _add(tenant_a, company, name="Per", email="")
    assert len(_contacts(tenant_a)) == 4


def test_the_database_refuses_a_duplicate_email_and_a_blank_name(tenant_a, company):
    contact = _add(tenant_a, company)
    with organisation_scope(tenant_a.organisation):
        with pytest.raises(IntegrityError), transaction.atomic():
            ContactPerson.objects.create(
                organisation=tenant_a.organisation,
                company=company,
                name="Kopi",
                email=contact.email.upper(),
            )
        with pytest.raises(IntegrityError), transaction.atomic():
            ContactPerson.objects.create(
                organisation=tenant_a.organisation, company=company, name=""
            )


def test_a_company_never_in_the_portfolio_is_refused(tenant_a, tenant_b):
    elsewhere = CompanyFactory(name="ANNENS AS")
    _affiliate(tenant_b, elsewhere)  # in B's portfolio, not A's

    with pytest.raises(ServiceError) as refused:
        _add(tenant_a, elsewhere)
    assert refused.value.code == "not_in_portfolio"
    assert "har aldri vært i porteføljen til" in refused.value.message
    assert _contacts(tenant_a) == []


def test_a_company_whose_affiliation_ended_still_takes_contacts(tenant_a):
    alumnus = CompanyFactory()
    _affiliate(tenant_a, alumnus, end=datetime.date(2023, 12, 31))
    assert _add(tenant_a, alumnus).pk is not None


def test_observers_may_not_write_every_other_role_may(tenant_a, company):
    with pytest.raises(ServiceError) as refused:
        _add(tenant_a, company, actor=tenant_a.observer)
    assert refused.value.code == "forbidden"
    contact = _add(tenant_a, company, actor=tenant_a.manager)
    with pytest.raises(ServiceError):
        contact_person_update(contact=contact, data={"name": "X"}, actor=tenant_a.observer)
    with pytest.raises(ServiceError):
        contact_person_delete(contact=contact, actor=tenant_a.observer)
    with pytest.raises(ServiceError):
        contact_person_erase(
            organisation=tenant_a.organisation, email=contact.email, actor=tenant_a.observer
        )
    assert len(_contacts(tenant_a)) == 1
    # Not the author only, as for notes: any writing member changes the garden's contacts.
    contact_person_update(contact=contact, data={"role": "Styreleder"}, actor=tenant_a.advisor)
    assert _contacts(tenant_a)[0].role == "Styreleder"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "too_long"),
        ({"role": "x" * 121}, "too_long"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "912-34-567"}, "phone"),
        ({"phone": "ring meg"}, "phone"),
        ({"phone": "47+ 912"}, "phone"),
        ({"phone": "+47 " + "9" * 30}, "phone"),
    ],
)
def test_bad_values_are_refused_with_a_reason(tenant_a, company, data, code):
    with pytest.raises(ServiceError) as refused:
        _add(tenant_a, company, **data)
    assert refused.value.code == code
    assert _contacts(tenant_a) == []


def test_update_changes_audits_which_fields_and_refuses_a_duplicate(tenant_a, company):
    kari = _add(tenant_a, company)
    ola = _add(tenant_a, company, name="Ola Nordmann", email="ola@fjordfisk.example")

    contact_person_update(
        contact=kari,
        data={
            "email": "kari.n@fjordfisk.example",
            "receives_surveys": False,
            "role": "Daglig leder",
        },
        actor=tenant_a.admin,
    )
    with organisation_scope(tenant_a.organisation):
        kari.refresh_from_db()
    assert (kari.email, kari.receives_surveys) == ("kari.n@fjordfisk.example", False)
    (entry,) = _audit(tenant_a, "companies.contact.updated")
    assert entry.before == {"company": company.pk, "receives_surveys": True}
    assert entry.after == {
        "company": company.pk,
        "receives_surveys": False,
        "changed": ["email", "receives_surveys"],
    }
    # Nothing changed: no audit entry.
    contact_person_update(contact=kari, data={"name": "Kari Nordmann"}, actor=tenant_a.admin)
    assert len(_audit(tenant_a, "companies.contact.updated")) == 1
    with pytest.raises(ServiceError) as refused:
        contact_person_update(contact=ola, data={"email": "KARI.N@fjordfisk.example"}, actor=None)
    assert refused.value.code == "duplicate_email"


def test_delete_removes_and_audits(tenant_a, company):
    contact = _add(tenant_a, company)
    contact_person_delete(contact=contact, actor=tenant_a.advisor)
    assert _contacts(tenant_a) == []
    (entry,) = _audit(tenant_a, "companies.contact.deleted")
    assert entry.before == {"company": company.pk, "receives_surveys": True}
    assert entry.object_id == str(contact.pk)


def test_erase_removes_a_person_from_every_company_of_the_garden_only(tenant_a, tenant_b, company):
    other = CompanyFactory()
    _affiliate(tenant_a, other)
    _add(tenant_a, company)
    _add(tenant_a, other, email="Kari@FJORDFISK.example")
    keep = _add(tenant_a, company, name="Ola", email="ola@fjordfisk.example")
    _affiliate(tenant_b, company)
    _add(tenant_b, company, actor=tenant_b.advisor)

    erased = contact_person_erase(
        organisation=tenant_a.organisation, email=" kari@fjordfisk.example ", actor=tenant_a.manager
    )

    assert erased == 2
    assert [c.pk for c in _contacts(tenant_a)] == [keep.pk]
    assert len(_contacts(tenant_b)) == 1  # another garden's register is its own
    entries = _audit(tenant_a, "companies.contact.erased")
    assert sorted(e.before["company"] for e in entries) == sorted([company.pk, other.pk])
    assert all("kari" not in f"{e.object_repr}{e.before}{e.after}".lower() for e in entries)
    assert (
        contact_person_erase(
            organisation=tenant_a.organisation, email="nobody@x.example", actor=None
        )
        == 0
    )
    with pytest.raises(ServiceError):
        contact_person_erase(organisation=tenant_a.organisation, email="  ", actor=None)


# --- the company page ------------------------------------------------------------------------


def _page(company) -> str:
    return f"/companies/{company.org_number}/"


def test_the_page_lists_adds_edits_and_deletes_contacts(client_a, tenant_a, company):
    client_a.cookies["django_language"] = "en"
    empty = client_a.get(_page(company)).content.decode()
    assert 'data-testid="contacts-empty"' in empty and 'data-testid="contact-form"' in empty

    response = client_a.post(
        f"{_page(company)}contacts/",
        {**KARI, "receives_surveys": "on"},
    )
    assert response.status_code == 302 and response.url.endswith("#contacts")
    (contact,) = _contacts(tenant_a)
    assert contact.receives_surveys is True
    page = client_a.get(_page(company)).content.decode()
    assert "Kari Nordmann" in page and "mailto:kari@fjordfisk.example" in page

    # htmx: the section comes back with the form's errors.
    duplicate = client_a.post(
        f"{_page(company)}contacts/",
        {"name": "Kari", "email": "KARI@fjordfisk.example"},
        headers={"HX-Request": "true"},
    )
    assert duplicate.status_code == 200
    body = duplicate.content.decode()
    assert body.lstrip().startswith('<section id="contacts"')
    assert "already has a contact person with the e-mail address" in body
    bad_phone = client_a.post(f"{_page(company)}contacts/", {"name": "Ola", "phone": "abc"})
    assert bad_phone.status_code == 400

    edit = f"{_page(company)}contacts/{contact.pk}/edit/"
    assert "Daglig leder" in client_a.get(edit).content.decode()
    changed = client_a.post(edit, {"name": "Kari Nordmann", "email": "", "role": "Styreleder"})
    assert changed.status_code == 302
    with organisation_scope(tenant_a.organisation):
        contact.refresh_from_db()
    assert (contact.role, contact.email, contact.receives_surveys) == ("Styreleder", "", False)
    assert client_a.post(edit, {"name": ""}).status_code == 400

    deleted = client_a.post(f"{_page(company)}contacts/{contact.pk}/delete/")
    assert deleted.status_code == 302
    assert _contacts(tenant_a) == []
    assert client_a.get(f"{_page(company)}contacts/{contact.pk}/delete/").status_code == 405


def test_another_gardens_company_and_contacts_are_404(client_a, tenant_a, tenant_b):
    theirs = CompanyFactory(name="DERES AS")
    _affiliate(tenant_b, theirs)
    contact = _add(tenant_b, theirs, actor=tenant_b.admin, name="Hemmelig Kontakt")

    page = client_a.get(_page(theirs)).content.decode()
    assert 'data-testid="contacts"' not in page and "Hemmelig Kontakt" not in page
    assert client_a.post(f"{_page(theirs)}contacts/", {"name": "Inntrenger"}).status_code == 404
    base = f"{_page(theirs)}contacts/{contact.pk}"
    assert client_a.get(f"{base}/edit/").status_code == 404
    assert client_a.post(f"{base}/edit/", {"name": "Endret"}).status_code == 404
    assert client_a.post(f"{base}/delete/").status_code == 404
    # Once A has the company too, B's contact is still not A's.
    _affiliate(tenant_a, theirs)
    assert client_a.get(f"{base}/edit/").status_code == 404
    assert "Hemmelig Kontakt" not in client_a.get(_page(theirs)).content.decode()
    assert [c.name for c in _contacts(tenant_b)] == ["Hemmelig Kontakt"]
    assert _contacts(tenant_a) == []


def test_observers_see_contacts_but_cannot_change_them(client, tenant_a, company):
    contact = _add(tenant_a, company)
    client.force_login(tenant_a.observer)
    page = client.get(_page(company)).content.decode()
    assert "Kari Nordmann" in page
    assert 'data-testid="contact-form"' not in page and 'data-testid="contact-edit"' not in page
    assert client.post(f"{_page(company)}contacts/", {"name": "Ola"}).status_code == 403
    assert client.post(f"{_page(company)}contacts/{contact.pk}/delete/").status_code == 403
    assert len(_contacts(tenant_a)) == 1


def test_a_company_outside_the_portfolio_has_no_contact_section(client_a):
    outsider = CompanyFactory()
    page = client_a.get(_page(outsider)).content.decode()
    assert 'data-testid="contacts"' not in page
    assert client_a.post(f"{_page(outsider)}contacts/", {"name": "Ola"}).status_code == 404


# --- the API ---------------------------------------------------------------------------------


def _url(tenant, company, rest=""):
    organisation = tenant.organisation.slug
    return f"{API}/organisations/{organisation}/companies/{company.org_number}/contacts{rest}"


def test_api_lists_creates_changes_and_deletes(client_a, tenant_a, company):
    created = client_a.post(_url(tenant_a, company), KARI, content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["name"] == "Kari Nordmann" and body["receives_surveys"] is True
    assert [c["email"] for c in client_a.get(_url(tenant_a, company)).json()] == [KARI["email"]]

    duplicate = client_a.post(
        _url(tenant_a, company),
        {"name": "Kopi", "email": "Kari@fjordfisk.example"},
        content_type=JSON,
    )
    assert duplicate.status_code == 400
    assert "har allerede en kontaktperson" in duplicate.json()["detail"]
    unknown = client_a.post(_url(tenant_a, company), {"name": "X", "age": 3}, content_type=JSON)
    assert unknown.status_code == 422

    one = _url(tenant_a, company, f"/{body['id']}")
    patched = client_a.patch(one, {"phone": None, "receives_surveys": False}, content_type=JSON)
    assert patched.status_code == 200
    assert (patched.json()["phone"], patched.json()["receives_surveys"]) == ("", False)
    assert client_a.patch(one, {"name": None}, content_type=JSON).status_code == 400
    assert client_a.delete(one).status_code == 204
    assert client_a.get(_url(tenant_a, company)).json() == []
    assert client_a.delete(one).status_code == 404


def test_api_refuses_observers_and_other_organisations(client, tenant_a, tenant_b, company):
    contact = _add(tenant_a, company)
    client.force_login(tenant_a.observer)
    assert client.get(_url(tenant_a, company)).status_code == 200
    assert client.post(_url(tenant_a, company), KARI, content_type=JSON).status_code == 403
    one = _url(tenant_a, company, f"/{contact.pk}")
    assert client.patch(one, {"name": "X"}, content_type=JSON).status_code == 403
    assert client.delete(one).status_code == 403

    client.force_login(tenant_b.admin)
    assert client.get(_url(tenant_a, company)).status_code == 404
    # B's own slug: the company is not in B's portfolio, and A's contact is not B's.
    assert client.get(_url(tenant_b, company)).status_code == 404
    assert client.post(_url(tenant_b, company), KARI, content_type=JSON).status_code == 404
    _affiliate(tenant_b, company)
    assert client.get(_url(tenant_b, company)).json() == []
    theirs = _url(tenant_b, company, f"/{contact.pk}")
    assert client.patch(theirs, {"name": "X"}, content_type=JSON).status_code == 404
    assert client.delete(theirs).status_code == 404
    assert [c.name for c in _contacts(tenant_a)] == ["Kari Nordmann"]


def test_api_exports_and_erases_a_person(client_a, tenant_a, company):
    other = CompanyFactory(name="ANDRE AS")
    _affiliate(tenant_a, other)
    _add(tenant_a, company)
    _add(tenant_a, other, email="KARI@fjordfisk.example", role="Styremedlem")
    _add(tenant_a, other, name="Ola", email="ola@andre.example")
    base = f"{API}/organisations/{tenant_a.organisation.slug}/contact-persons"

    everyone = client_a.get(base).json()
    assert len(everyone) == 3
    export = client_a.get(base, {"email": "kari@FJORDFISK.example"}).json()
    assert [(row["company"]["name"], row["role"]) for row in export] == [
        ("ANDRE AS", "Styremedlem"),
        ("FJORDFISK AS", "Daglig leder"),
    ]

    erased = client_a.post(f"{base}/erase", {"email": KARI["email"]}, content_type=JSON)
    assert erased.status_code == 200 and erased.json() == {"erased": 2}
    assert client_a.get(base, {"email": KARI["email"]}).json() == []
    assert [c.name for c in _contacts(tenant_a)] == ["Ola"]
    assert len(_audit(tenant_a, "companies.contact.erased")) == 2


def test_api_erase_is_for_writers_of_the_organisation_only(client, tenant_a, tenant_b, company):
    _add(tenant_a, company)
    base = f"{API}/organisations/{tenant_a.organisation.slug}/contact-persons"
    client.force_login(tenant_a.observer)
    assert client.get(base).status_code == 200  # observers read the garden's register
    assert (
        client.post(f"{base}/erase", {"email": KARI["email"]}, content_type=JSON).status_code == 403
    )
    client.force_login(tenant_b.admin)
    assert client.get(base).status_code == 404
    assert (
        client.post(f"{base}/erase", {"email": KARI["email"]}, content_type=JSON).status_code == 404
    )
    own = f"{API}/organisations/{tenant_b.organisation.slug}/contact-persons/erase"
    assert client.post(own, {"email": KARI["email"]}, content_type=JSON).json() == {"erased": 0}
    assert len(_contacts(tenant_a)) == 1


def test_the_audit_log_names_the_changes_without_personal_data(client_a, tenant_a, company):
    contact = _add(tenant_a, company)
    contact_person_update(
        contact=contact, data={"phone": "+47 400 00 000", "role": ""}, actor=tenant_a.admin
    )
    client_a.cookies["django_language"] = "en"

    page = client_a.get("/organisation/audit/").content.decode()

    assert "Contact person added" in page and "Contact person changed" in page
    entry = _audit(tenant_a, "companies.contact.updated")[0]
    detail = client_a.get(f"/organisation/audit/{entry.pk}/").content.decode()
    assert "phone, role" in detail  # which fields changed, not their values
    for personal in ("Kari", "kari@", "912 34 567", "400 00 000", "Daglig leder"):
        assert personal not in page and personal not in detail
