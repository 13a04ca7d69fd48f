"""Every URL name of the project, classified exactly once. See README.md.

A URL name missing here fails tests/test_isolation.py; so does a name listed here that no
longer exists. ``t`` is one tenant's data (fixture.TenantData): the check fills it in with
tenant B's objects for the attack and with tenant A's for the control.
"""

from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.isolation.entries import Entry, ObjectUrl, PlatformStaff, Public, ScopedList
from tests.isolation.plugins import app_isolation_modules


def _slug(t):
    return {"slug": t.organisation.slug}


def _members_and_invitations(t):
    return [t.membership.user.email, t.invitation.email]


# companies: search, company page, portfolio
def _company(t):
    return {"org_number": t.company.org_number}


def _slug_and_company(t):
    return {"slug": t.organisation.slug, "org_number": t.company.org_number}


def _note(t):
    return {"org_number": t.company.org_number, "pk": t.note.pk}


def _advisory_entry(t):
    return {"org_number": t.company.org_number, "pk": t.advisory_entry.pk}


PASSWORD_RESET = "Django's password reset flow; it acts only on the e-mail address typed in"

ENTRIES: list[tuple[str, Entry]] = [
    # core
    ("core:home", Public("landing page; a signed-in user is sent to the dashboard")),
    ("core:dashboard", ScopedList(shows=lambda t: [t.audit_entry.object_repr])),
    (
        "core:switch-organisation",
        ObjectUrl(
            kwargs=lambda t: {},
            data=lambda t: {"organisation": t.organisation.pk},
            methods=("POST",),
        ),
    ),
    # network: public directory and the networks
    ("network:directory", Public("public directory of register facts")),
    ("network:organisation", Public("one organisation's register facts", kwargs=_slug)),
    ("network:networks", ScopedList(shows=lambda t: [t.network.name])),
    ("network:network", ObjectUrl(kwargs=lambda t: {"slug": t.network.slug}, methods=("GET",))),
    # network: the active organisation
    ("network:organisation-edit", ScopedList(shows=lambda t: [t.organisation.name])),
    ("network:members", ScopedList(shows=_members_and_invitations)),
    (
        "network:member-role",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.membership.pk},
            data=lambda t: {"role": "observer"},
            methods=("POST",),
        ),
    ),
    (
        "network:member-remove",
        ObjectUrl(kwargs=lambda t: {"pk": t.membership.pk}, methods=("POST",)),
    ),
    (
        "network:invitation-revoke",
        ObjectUrl(kwargs=lambda t: {"pk": t.invitation.pk}, methods=("POST",)),
    ),
    ("network:audit-log", ScopedList(shows=lambda t: [t.audit_entry.object_repr])),
    (
        "network:audit-entry",
        ObjectUrl(kwargs=lambda t: {"pk": t.audit_entry.pk}, methods=("GET",)),
    ),
    (
        "network:invitation-accept",
        Public(
            "capability link: the secret in it is the credential and only its hash is stored; "
            "requested with B's stored hash it must find nothing",
            kwargs=lambda t: {"token": t.invitation.token_hash},
        ),
    ),
    ("network:profile", ScopedList(shows=lambda t: [t.admin.email])),
    # personal API tokens (private to their user)
    ("api-tokens:index", ScopedList(shows=lambda t: [t.token.name])),
    ("api-tokens:revoke", ObjectUrl(kwargs=lambda t: {"pk": t.token.pk}, methods=("POST",))),
    # accounts
    ("login", Public("sign-in page; a signed-in user is redirected")),
    ("logout", Public("signs the current user out of their own session")),
    ("password_change", Public("changes the signed-in user's own password only")),
    ("password_change_done", Public("confirmation page; holds no data")),
    ("password_reset", Public(PASSWORD_RESET)),
    ("password_reset_done", Public(PASSWORD_RESET)),
    (
        "password_reset_confirm",
        Public(
            PASSWORD_RESET + "; the link is signed, and a wrong token shows 'invalid link'",
            kwargs=lambda t: {
                "uidb64": urlsafe_base64_encode(force_bytes(t.admin.pk)),
                "token": "not-a-valid-token",
            },
        ),
    ),
    ("password_reset_complete", Public(PASSWORD_RESET)),
    ("set_language", Public("Django's language switcher; stores a cookie")),
    # JSON API
    ("api:openapi-json", Public("OpenAPI schema: describes the API, holds no data")),
    ("api:openapi-view", Public("API docs page: renders the OpenAPI schema")),
    ("api:api-root", Public("django-ninja's API root; holds no data")),
    ("api:me", ScopedList(shows=lambda t: [t.admin.email])),
    ("api:organisation_list", Public("public directory of register facts")),
    ("api:organisation_detail", Public("one organisation's register facts", kwargs=_slug)),
    (
        "api:organisation_update",
        ObjectUrl(
            kwargs=_slug,
            data=lambda t: {"description": "Changed by another organisation"},
            methods=("PATCH",),
        ),
    ),
    (
        "api:membership_list",
        ScopedList(shows=lambda t: [t.membership.user.email], kwargs=_slug),
    ),
    (
        "api:membership_update",
        ObjectUrl(
            kwargs=lambda t: {"membership_id": t.membership.pk},
            context=_slug,
            data=lambda t: {"role": "observer"},
            methods=("PATCH",),
        ),
    ),
    (
        "api:membership_delete",
        ObjectUrl(
            kwargs=lambda t: {"membership_id": t.membership.pk},
            context=_slug,
            methods=("DELETE",),
        ),
    ),
    ("api:invitation_list", ScopedList(shows=lambda t: [t.invitation.email], kwargs=_slug)),
    (
        "api:invitation_create",
        ObjectUrl(
            kwargs=_slug,
            data=lambda t: {"email": "newcomer@canary.example", "role": "admin"},
            methods=("POST",),
        ),
    ),
    (
        "api:invitation_delete",
        ObjectUrl(
            kwargs=lambda t: {"invitation_id": t.invitation.pk},
            context=_slug,
            methods=("DELETE",),
        ),
    ),
    ("api:audit_list", ScopedList(shows=lambda t: [t.audit_entry.object_repr], kwargs=_slug)),
    ("api:network_list", ScopedList(shows=lambda t: [t.network.name])),
    (
        "api:network_detail",
        ObjectUrl(kwargs=lambda t: {"network_slug": t.network.slug}, methods=("GET",)),
    ),
    # --- companies: CSV imports (companies/views/imports.py) ---
    ("companies:imports", ScopedList(shows=lambda t: [t.organisation.name])),
    ("companies:import-affiliations", ScopedList(shows=lambda t: [t.organisation.name])),
    (
        # The form names the organisation the preview was for; another one is 404.
        "companies:import-affiliations-confirm",
        ObjectUrl(
            kwargs=lambda t: {},
            data=lambda t: {"organisation": t.organisation.pk, "token": "0" * 64},
            methods=("POST",),
        ),
    ),
    (
        "companies:import-organisations",
        PlatformStaff("creates organisations and networks, shared by every tenant"),
    ),
    (
        "companies:import-organisations-confirm",
        PlatformStaff("creates organisations and networks, shared by every tenant"),
    ),
    # --- end of companies: CSV imports ---
    # --- companies: search, company page, portfolio (companies/views/portfolio.py) ---
    (
        "companies:company-search",
        Public("search over the public register; marks only the active organisation's own"),
    ),
    (
        # Register facts are public; the page adds the affiliations visible to the active
        # organisation and its own notes and hours, never another organisation's (B's canary
        # note and hours are on B's company, requested here).
        "companies:company-detail",
        Public("register facts of a company", kwargs=_company),
    ),
    (
        "companies:note-create",
        Public(
            "writes a note of the active organisation only; the org.nr is a public fact",
            kwargs=_company,
        ),
    ),
    (
        "companies:key-figures-report",
        ObjectUrl(
            kwargs=_company,
            data=lambda t: {"year": 2020, "currency": "NOK", "turnover": "1000"},
            methods=("GET", "POST"),
        ),
    ),
    (
        "companies:advisory-log-add",
        Public(
            "logs hours of the active organisation only; the org.nr is a public fact",
            kwargs=_company,
        ),
    ),
    (
        "companies:note-edit",
        ObjectUrl(
            kwargs=_note,
            data=lambda t: {"text": "Changed by another organisation"},
            methods=("GET", "POST"),
        ),
    ),
    ("companies:note-delete", ObjectUrl(kwargs=_note, methods=("POST",))),
    ("companies:advisory-log-delete", ObjectUrl(kwargs=_advisory_entry, methods=("POST",))),
    ("companies:portfolio", ScopedList(shows=lambda t: [t.company.name])),
    ("companies:portfolio-export-csv", ScopedList(shows=lambda t: [t.company.name])),
    # xlsx is a zip: its cells are compressed, so neither A's rows nor B's canaries can be
    # seen in the bytes. The rows are the CSV's (one exporter), which is checked above; the
    # sheet's part name proves a workbook came back.
    ("companies:portfolio-export-xlsx", ScopedList(shows=lambda t: ["xl/worksheets/sheet1.xml"])),
    ("companies:portfolio-add", ScopedList(shows=lambda t: [t.users[2].full_name])),
    (
        "companies:affiliation-edit",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.affiliation.pk},
            data=lambda t: {"kind": "tenant", "start_date": "2020-01-01", "phase": "alumni"},
            methods=("GET", "POST"),
        ),
    ),
    (
        "companies:affiliation-end",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.affiliation.pk},
            data=lambda t: {"end_date": "2024-12-31"},
            methods=("POST",),
        ),
    ),
    ("api:company_list", Public("search over the public register (register facts only)")),
    ("api:company_detail", Public("register facts and public accounts", kwargs=_company)),
    ("api:company_key_figures", Public("public annual accounts", kwargs=_company)),
    (
        "api:affiliation_list",
        ScopedList(shows=lambda t: [t.company.org_number], kwargs=_slug),
    ),
    (
        "api:affiliation_create",
        ObjectUrl(
            kwargs=_slug,
            data=lambda t: {
                "org_number": t.company.org_number,
                "kind": "target",
                "start_date": "2010-01-01",
                "end_date": "2010-12-31",
            },
            methods=("POST",),
        ),
    ),
    (
        "api:affiliation_update",
        ObjectUrl(
            kwargs=lambda t: {"affiliation_id": t.affiliation.pk},
            context=_slug,
            data=lambda t: {"phase": "alumni"},
            methods=("PATCH",),
        ),
    ),
    ("api:note_list", ScopedList(shows=lambda t: [t.note.text], kwargs=_slug_and_company)),
    (
        "api:note_create",
        ObjectUrl(
            kwargs=_slug_and_company,
            data=lambda t: {"text": "Written by another organisation"},
            methods=("POST",),
        ),
    ),
    (
        "api:note_delete",
        ObjectUrl(
            kwargs=lambda t: {"org_number": t.company.org_number, "note_id": t.note.pk},
            context=_slug,
            methods=("DELETE",),
        ),
    ),
    (
        "api:advisory_log_list",
        ScopedList(shows=lambda t: [t.advisory_entry.topic], kwargs=_slug_and_company),
    ),
    (
        "api:advisory_log_create",
        ObjectUrl(
            kwargs=_slug_and_company,
            data=lambda t: {"date": "2024-06-03", "hours": "1.5", "topic": "Other organisation"},
            methods=("POST",),
        ),
    ),
    (
        "api:advisory_log_delete",
        ObjectUrl(
            kwargs=lambda t: {
                "org_number": t.company.org_number,
                "entry_id": t.advisory_entry.pk,
            },
            context=_slug,
            methods=("DELETE",),
        ),
    ),
    (
        "api:key_figures_self_report",
        ObjectUrl(
            kwargs=_slug_and_company,
            data=lambda t: {"year": 2020, "turnover": "1000"},
            methods=("POST",),
        ),
    ),
    # --- end of companies: search, company page, portfolio ---
]
# The later apps classify their URLs in koblingsboks/<app>/tests/isolation.py.
for _module in app_isolation_modules():
    ENTRIES += getattr(_module, "ENTRIES", [])

# Namespaces classified as a whole: every pattern in them, named or not, gets this entry.
NAMESPACES: dict[str, Entry] = {
    "admin": PlatformStaff("Django admin: platform staff only, never a tenant's user"),
}
