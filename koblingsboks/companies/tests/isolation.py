"""The companies app's contact persons in the shared tenant-isolation test
(tests/isolation/plugins.py). The portfolio's other private objects (affiliation, note,
advisory hours) are in tests/isolation/fixture.py and registry.py.

Each tenant keeps one contact person of its portfolio company; name, role, e-mail address
and phone number are B's canaries.
"""

from koblingsboks.companies.contacts import contact_person_add
from koblingsboks.companies.models import ContactPerson
from koblingsboks.core.tenancy import organisation_scope
from tests.isolation.entries import ObjectUrl, ScopedList

PHONES = {"a": "+47 4040 1111", "b": "+47 4040 2222"}


def tenant_data(tenant, label, data) -> dict:
    org = tenant.organisation
    with organisation_scope(org):
        contact = contact_person_add(
            organisation=org,
            company=data.company,
            data={
                "name": f"Canary Contact {label}",
                "role": f"Canary contact role {label}",
                "email": f"contact-{label}@canary.example",
                "phone": PHONES[label],
            },
            actor=tenant.admin,
        )
    data.canaries += [contact.name, contact.role, contact.email, contact.phone]
    return {"contact": contact}


def snapshot(tenant) -> dict[str, list]:
    with organisation_scope(tenant.organisation):
        return {"contact persons": list(ContactPerson.objects.order_by("pk").values())}


def _company(t):
    return {"org_number": t.company.org_number}


def _contact(t):
    return {"org_number": t.company.org_number, "pk": t.contact.pk}


def _slug(t):
    return {"slug": t.organisation.slug}


def _api_contact(t):
    return {"org_number": t.company.org_number, "contact_id": t.contact.pk}


CHANGED = {"name": "Changed by another organisation", "email": "changed@other.example"}

ENTRIES = [
    # Pages. Another organisation's company is outside the active organisation's portfolio,
    # so adding to it is 404 (the control adds to A's own company).
    (
        "companies:contact-create",
        ObjectUrl(
            kwargs=_company,
            data=lambda t: {"name": "Added by another organisation", "receives_surveys": "on"},
            methods=("POST",),
        ),
    ),
    (
        "companies:contact-edit",
        ObjectUrl(kwargs=_contact, data=lambda t: CHANGED, methods=("GET", "POST")),
    ),
    ("companies:contact-delete", ObjectUrl(kwargs=_contact, methods=("POST",))),
    # API
    (
        "api:contact_list",
        ScopedList(
            shows=lambda t: [t.contact.name, t.contact.email],
            kwargs=lambda t: {"slug": t.organisation.slug, "org_number": t.company.org_number},
        ),
    ),
    (
        "api:contact_create",
        ObjectUrl(
            kwargs=lambda t: {"slug": t.organisation.slug, "org_number": t.company.org_number},
            data=lambda t: {"name": "Added by another organisation"},
            methods=("POST",),
        ),
    ),
    (
        "api:contact_update",
        ObjectUrl(kwargs=_api_contact, context=_slug, data=lambda t: CHANGED, methods=("PATCH",)),
    ),
    ("api:contact_delete", ObjectUrl(kwargs=_api_contact, context=_slug, methods=("DELETE",))),
    (
        "api:contact_export",
        ScopedList(shows=lambda t: [t.contact.name, t.contact.phone], kwargs=_slug),
    ),
    (
        # B's slug: 404 for A. Under A's own slug an erasure finds only A's entries (scoped
        # manager and organisation filter), which companies/tests/test_contacts.py shows.
        "api:contact_erase",
        ObjectUrl(kwargs=_slug, data=lambda t: {"email": t.contact.email}, methods=("POST",)),
    ),
]

API_OPERATIONS = {
    ("get", "/api/v1/organisations/{slug}/companies/{org_number}/contacts"),
    ("post", "/api/v1/organisations/{slug}/companies/{org_number}/contacts"),
    ("patch", "/api/v1/organisations/{slug}/companies/{org_number}/contacts/{contact_id}"),
    ("delete", "/api/v1/organisations/{slug}/companies/{org_number}/contacts/{contact_id}"),
    ("get", "/api/v1/organisations/{slug}/contact-persons"),
    ("post", "/api/v1/organisations/{slug}/contact-persons/erase"),
}
