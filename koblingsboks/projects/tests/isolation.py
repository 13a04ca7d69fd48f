"""The projects app in the shared tenant-isolation test (tests/isolation/plugins.py).

Each tenant leads a signed project with an external partner (signed by the tenant's manager
and by e-mail link), a cost entry with an attachment, and default terms for its network.
``test_visibility.py`` reuses these objects to show what a network member of B sees.
"""

import datetime
import tempfile
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.utils import timezone

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.projects import services
from koblingsboks.projects.models import (
    AgreementVersion,
    BudgetLine,
    CostEntry,
    Deliverable,
    FundingSource,
    Project,
    ProjectParty,
    Responsibility,
    Signature,
    SigningLink,
    TermSection,
    TermsTemplateSection,
)
from tests.isolation.entries import ObjectUrl, Public, ScopedList

PDF_BYTES = b"%PDF-1.4\n% isolation attachment\n%%EOF\n"
_media_override = None


def _private_media_root() -> None:
    """Attachments of the fixture go to a temporary directory, never the checkout."""
    global _media_override
    if _media_override is None and not settings.MEDIA_ROOT:
        _media_override = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="kb-projects-"))
        _media_override.enable()


def tenant_data(tenant, label: str, data) -> dict:
    _private_media_root()
    org = tenant.organisation
    actor = tenant.manager
    services.terms_template_save(
        network=data.network,
        organisation=org,
        actor=actor,
        sections=[{"key": "disputes", "title": "Tvister", "text": f"Canary template {label}"}],
    )
    with organisation_scope(org):
        project = services.project_create(
            organisation=org,
            actor=actor,
            title=f"Canary project {label}",
            purpose=f"Canary purpose {label}",
            start_date=datetime.date(2025, 1, 1),
            end_date=datetime.date(2026, 12, 31),
            network=data.network,
        )
        own = project.parties.get()
        external = services.party_add(
            project=project,
            actor=actor,
            external_name=f"Canary partner {label}",
            signer_name=f"Canary signer {label}",
            signer_email=f"signer-{label}@canary.example",
        )
        responsibility = services.responsibility_add(
            project=project, party=own, actor=actor, title=f"Canary responsibility {label}"
        )
        services.responsibility_add(project=project, party=external, actor=actor, title="Vertskap")
        deliverable = services.deliverable_add(
            responsibility=responsibility,
            actor=actor,
            title=f"Canary deliverable {label}",
            due_date=datetime.date(2026, 6, 1),
        )
        line = services.budget_line_set(
            project=project,
            party=own,
            actor=actor,
            year=2025,
            category="personnel",
            cash=Decimal("1000"),
            in_kind=Decimal("500"),
            description=f"Canary budget line {label}",
        )
        services.budget_line_set(
            project=project,
            party=external,
            actor=actor,
            year=2026,
            category="events",
            cash=500,
            in_kind=0,
        )
        funding = services.funding_add(
            project=project,
            actor=actor,
            kind="programme",
            name=f"Canary funding {label}",
            amount=Decimal("2000"),
        )
        term = services.term_save(
            project=project, actor=actor, key="other", title="Annet", text=f"Canary term {label}"
        )
        version = services.project_circulate(
            project=project, actor=actor, base_url="http://testserver/"
        )
        services.agreement_sign(version=version, party=own, actor=actor)
        raw = f"isolation-link-{label}"
        link = SigningLink.objects.create(
            version=version,
            party=external,
            email=external.signer_email,
            token_hash=services.token_hash(raw),
            expires_at=timezone.now() + datetime.timedelta(days=1),
        )
        services.signing_link_sign(link=link, signer_name=f"Canary signer {label}")
        cost = services.cost_entry_add(
            budget_line=line,
            actor=actor,
            date=datetime.date(2025, 3, 1),
            amount=Decimal("1200"),
            kind="cash",
            note=f"Canary cost {label}",
            attachment=SimpleUploadedFile(f"canary-{label}.pdf", PDF_BYTES, "application/pdf"),
        )
        version.refresh_from_db()
        project.refresh_from_db()
    data.canaries += [
        project.title,
        project.purpose,
        external.name,
        external.signer_email,
        responsibility.title,
        deliverable.title,
        line.description,
        funding.name,
        term.text,
        version.content_hash,
        cost.note,
        f"Canary template {label}",
    ]
    return {
        "project": project,
        "project_party": own,
        "external_party": external,
        "responsibility": responsibility,
        "deliverable": deliverable,
        "budget_line": line,
        "funding_source": funding,
        "term": term,
        "version": version,
        "signing_link": link,
        "cost_entry": cost,
    }


def snapshot(data) -> dict[str, list]:
    with organisation_scope(data.organisation):
        projects = Project.objects.order_by("pk")
        return {
            "projects": list(projects.values()),
            "project parties": list(ProjectParty.objects.order_by("pk").values()),
            "responsibilities": list(Responsibility.objects.order_by("pk").values()),
            "deliverables": list(Deliverable.objects.order_by("pk").values()),
            "budget lines": list(BudgetLine.objects.order_by("pk").values()),
            "funding": list(FundingSource.objects.order_by("pk").values()),
            "terms": list(TermSection.objects.order_by("pk").values()),
            "versions": list(AgreementVersion.objects.order_by("pk").values()),
            "signatures": list(Signature.objects.order_by("pk").values()),
            "signing links": list(SigningLink.objects.order_by("pk").values()),
            "costs": list(CostEntry.objects.order_by("pk").values()),
            "terms template": list(
                TermsTemplateSection.objects.filter(network=data.network).order_by("pk").values()
            ),
        }


def _pk(t):
    return {"pk": t.project.pk}


def _slug(t):
    return {"slug": t.organisation.slug}


def _api(t):
    return {"project_id": t.project.pk}


def _version(t):
    return {"pk": t.project.pk, "number": t.version.number}


def _party_data(t):
    return {
        "external_name": "Intruder partner",
        "signer_name": "Intruder",
        "signer_email": "intruder@example.com",
    }


def _line_data(t):
    return {
        "party": t.project_party.pk,
        "year": 2025,
        "category": "other",
        "cash": "1",
        "in_kind": "0",
    }


def _project_form(t):
    return {
        "title": "Changed by another organisation",
        "start_date": "2025-01-01",
        "end_date": "2026-12-31",
    }


def _term_data(t):
    return {"key": "other", "title": "Changed", "text": "Changed by another organisation"}


LINK = (
    "capability link for an external signer: the secret in it is the credential and only "
    "its hash is stored; requested with B's stored hash it must find nothing"
)

ENTRIES = [
    ("projects:list", ScopedList(shows=lambda t: [t.project.title])),
    ("projects:create", Public("form that creates a project led by the active organisation")),
    ("projects:detail", ObjectUrl(kwargs=_pk, methods=("GET",))),
    ("projects:edit", ObjectUrl(kwargs=_pk, methods=("GET", "POST"), data=_project_form)),
    ("projects:party-add", ObjectUrl(kwargs=_pk, methods=("POST",), data=_party_data)),
    (
        "projects:party-edit",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.project.pk, "party_pk": t.external_party.pk},
            methods=("GET", "POST"),
            data=lambda t: {
                "contact_name": "Changed",
                "signer_name": "X",
                "signer_email": "x@x.no",
            },
        ),
    ),
    (
        "projects:party-remove",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.project.pk, "party_pk": t.external_party.pk},
            methods=("POST",),
        ),
    ),
    (
        "projects:responsibility-add",
        ObjectUrl(
            kwargs=_pk,
            methods=("POST",),
            data=lambda t: {"party": t.project_party.pk, "title": "Intruder area"},
        ),
    ),
    (
        "projects:responsibility-delete",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.project.pk, "item_pk": t.responsibility.pk},
            methods=("POST",),
        ),
    ),
    (
        "projects:deliverable-add",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.project.pk, "item_pk": t.responsibility.pk},
            methods=("POST",),
            data=lambda t: {"title": "Intruder", "due_date": "2026-01-01"},
        ),
    ),
    (
        "projects:deliverable-delete",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.project.pk, "item_pk": t.deliverable.pk},
            methods=("POST",),
        ),
    ),
    ("projects:term-add", ObjectUrl(kwargs=_pk, methods=("GET", "POST"), data=_term_data)),
    (
        "projects:term-edit",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.project.pk, "term_pk": t.term.pk},
            methods=("GET", "POST"),
            data=_term_data,
        ),
    ),
    (
        "projects:term-delete",
        ObjectUrl(kwargs=lambda t: {"pk": t.project.pk, "term_pk": t.term.pk}, methods=("POST",)),
    ),
    ("projects:budget", ObjectUrl(kwargs=_pk, methods=("GET",))),
    ("projects:budget-line-add", ObjectUrl(kwargs=_pk, methods=("POST",), data=_line_data)),
    (
        "projects:budget-line-delete",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.project.pk, "line_pk": t.budget_line.pk}, methods=("POST",)
        ),
    ),
    (
        "projects:funding-add",
        ObjectUrl(
            kwargs=_pk,
            methods=("POST",),
            data=lambda t: {"kind": "own", "name": "Intruder", "amount": "10"},
        ),
    ),
    (
        "projects:funding-delete",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.project.pk, "source_pk": t.funding_source.pk},
            methods=("POST",),
        ),
    ),
    (
        "projects:actuals",
        ObjectUrl(
            kwargs=_pk,
            methods=("GET", "POST"),
            data=lambda t: {
                "budget_line": t.budget_line.pk,
                "date": "2025-04-01",
                "amount": "10",
                "kind": "cash",
            },
        ),
    ),
    ("projects:actuals-xlsx", ObjectUrl(kwargs=_pk, methods=("GET",))),
    (
        "projects:cost-delete",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.project.pk, "cost_pk": t.cost_entry.pk}, methods=("POST",)
        ),
    ),
    (
        "projects:cost-attachment",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.project.pk, "cost_pk": t.cost_entry.pk}, methods=("GET",)
        ),
    ),
    ("projects:circulate", ObjectUrl(kwargs=_pk, methods=("POST",))),
    ("projects:amend", ObjectUrl(kwargs=_pk, methods=("POST",))),
    ("projects:activate", ObjectUrl(kwargs=_pk, methods=("POST",))),
    ("projects:close", ObjectUrl(kwargs=_pk, methods=("POST",))),
    ("projects:version", ObjectUrl(kwargs=_version, methods=("GET",))),
    ("projects:version-pdf", ObjectUrl(kwargs=_version, methods=("GET",))),
    (
        "projects:sign",
        ObjectUrl(
            kwargs=_version,
            methods=("POST",),
            data=lambda t: {"content_hash": t.version.content_hash, "party": t.project_party.pk},
        ),
    ),
    (
        "projects:resend-link",
        ObjectUrl(
            kwargs=lambda t: {"pk": t.project.pk, "party_pk": t.external_party.pk},
            methods=("POST",),
        ),
    ),
    ("projects:sign-link", Public(LINK, kwargs=lambda t: {"token": t.signing_link.token_hash})),
    (
        "projects:sign-link-pdf",
        Public(LINK, kwargs=lambda t: {"token": t.signing_link.token_hash}),
    ),
    (
        "projects:terms-template",
        ObjectUrl(
            kwargs=lambda t: {"slug": t.network.slug},
            methods=("GET", "POST"),
            data=lambda t: {"disputes-title": "Changed", "disputes-text": "Changed"},
        ),
    ),
    # API
    ("api:project_list", ScopedList(shows=lambda t: [t.project.title], kwargs=_slug)),
    ("api:project_network_list", ScopedList(shows=lambda t: ["["], kwargs=_slug)),
    (
        "api:project_create",
        ObjectUrl(
            kwargs=_slug,
            methods=("POST",),
            data=lambda t: {
                "title": "Created in another organisation",
                "start_date": "2025-01-01",
                "end_date": "2025-12-31",
            },
        ),
    ),
    ("api:project_detail", ObjectUrl(kwargs=_api, context=_slug, methods=("GET",))),
    (
        "api:project_party_add",
        ObjectUrl(
            kwargs=_api,
            context=_slug,
            methods=("POST",),
            data=lambda t: {
                "external_name": "Intruder",
                "signer_name": "Intruder",
                "signer_email": "intruder@example.com",
            },
        ),
    ),
    (
        "api:project_responsibility_add",
        ObjectUrl(
            kwargs=_api,
            context=_slug,
            methods=("POST",),
            data=lambda t: {"party_id": t.project_party.pk, "title": "Intruder"},
        ),
    ),
    (
        "api:project_budget_line_set",
        ObjectUrl(
            kwargs=_api,
            context=_slug,
            methods=("PUT",),
            data=lambda t: {
                "party_id": t.project_party.pk,
                "year": 2025,
                "category": "personnel",
                "cash": "1",
                "in_kind": "1",
            },
        ),
    ),
    (
        "api:project_funding_add",
        ObjectUrl(
            kwargs=_api,
            context=_slug,
            methods=("POST",),
            data=lambda t: {"kind": "own", "name": "Intruder", "amount": "1"},
        ),
    ),
    ("api:project_circulate", ObjectUrl(kwargs=_api, context=_slug, methods=("POST",))),
    ("api:project_amend", ObjectUrl(kwargs=_api, context=_slug, methods=("POST",))),
    (
        "api:project_sign",
        ObjectUrl(
            kwargs=lambda t: {"project_id": t.project.pk, "number": t.version.number},
            context=_slug,
            methods=("POST",),
            data=lambda t: {"party_id": t.project_party.pk, "content_hash": t.version.content_hash},
        ),
    ),
    ("api:project_actuals", ObjectUrl(kwargs=_api, context=_slug, methods=("GET",))),
    (
        "api:project_cost_add",
        ObjectUrl(
            kwargs=_api,
            context=_slug,
            methods=("POST",),
            data=lambda t: {
                "budget_line_id": t.budget_line.pk,
                "date": "2025-05-01",
                "amount": "1",
                "kind": "cash",
            },
        ),
    ),
]

_P = "/api/v1/organisations/{slug}/projects"
API_OPERATIONS = {
    ("get", _P),
    ("post", _P),
    ("get", "/api/v1/organisations/{slug}/network-projects"),
    ("get", _P + "/{project_id}"),
    ("post", _P + "/{project_id}/parties"),
    ("post", _P + "/{project_id}/responsibilities"),
    ("put", _P + "/{project_id}/budget-lines"),
    ("post", _P + "/{project_id}/funding"),
    ("post", _P + "/{project_id}/circulate"),
    ("post", _P + "/{project_id}/amend"),
    ("post", _P + "/{project_id}/versions/{number}/sign"),
    ("get", _P + "/{project_id}/actuals"),
    ("post", _P + "/{project_id}/costs"),
}
