"""Two tenants, each owning private objects of every kind, and B's "canary" values.

Tenant B's canaries are strings that exist only in B's private data. If any of them shows up
in a response to tenant A, B's data leaked.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from koblingsboks.api.models import ApiToken
from koblingsboks.api.services import api_token_create
from koblingsboks.companies.models import (
    AdvisoryLogEntry,
    Affiliation,
    Company,
    CompanyNote,
)
from koblingsboks.companies.services import advisory_log_add, affiliation_create, note_create
from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.invitations import invitation_create
from koblingsboks.network.models import (
    Invitation,
    Membership,
    Network,
    NetworkParty,
    Organisation,
    Role,
    User,
)
from tests.factories import CompanyFactory, CooperationAreaFactory, NetworkPartyFactory
from tests.isolation.plugins import app_isolation_modules


@dataclass
class TenantData:
    """One tenant (see conftest.Tenant) and one private object of every kind it owns."""

    organisation: Organisation
    admin: User
    users: list[User]
    membership: Membership  # an advisor's: changing or removing it would succeed
    invitation: Invitation  # open, so revoking it would succeed
    audit_entry: AuditEntry | None  # created last, after the apps' objects
    token: ApiToken  # the admin's personal token (private to that user)
    network: Network  # a network in which only this tenant is a party
    canaries: list[str] = field(default_factory=list)
    # The portfolio: a register company (public) in this tenant's portfolio only, with the
    # tenant's private affiliation, note (by the admin) and advisory hours (the advisor's).
    company: Company | None = None
    affiliation: Affiliation | None = None
    note: CompanyNote | None = None
    advisory_entry: AdvisoryLogEntry | None = None
    # The later apps' objects by name (tests/isolation/plugins.py), read as attributes.
    extra: dict = field(default_factory=dict)

    def __getattr__(self, name):
        if name != "extra" and name in self.extra:
            return self.extra[name]
        raise AttributeError(name)


@dataclass
class Fixture:
    """Tenant A signs in; tenant B owns the objects A must never reach.

    ``a_raw_token`` is a personal API token of A's admin, for ``Authorization: Bearer``.
    """

    a: TenantData
    b: TenantData
    a_raw_token: str


def tenant_data(tenant, label: str) -> TenantData:
    """Give ``tenant`` (a conftest.Tenant) one private object of every kind."""
    org = tenant.organisation
    company = CompanyFactory(name=f"ISOLATION COMPANY {label.upper()} AS")
    with organisation_scope(org):
        membership = Membership.objects.select_related("user").get(user=tenant.advisor)
        # Before the canary audit entry, so that it stays among the dashboard's recent five.
        affiliation = affiliation_create(
            organisation=org,
            company=company,
            kind=Affiliation.Kind.TARGET,
            start_date=datetime.date(2020, 1, 1),
            phase=Affiliation.Phase.ACTIVE,
            responsible_advisor=tenant.advisor,
            actor=tenant.admin,
        )
        note = note_create(
            organisation=org, company=company, text=f"Canary note {label}", author=tenant.admin
        )
        advisory_entry = advisory_log_add(
            organisation=org,
            company=company,
            advisor=tenant.advisor,
            date=datetime.date(2024, 5, 2),
            hours=Decimal("2.5"),
            topic=f"Canary advisory topic {label}",
            actor=tenant.admin,
        )
        invitation = invitation_create(
            organisation=org,
            email=f"invitee-{label}@canary.example",
            role=Role.ADVISOR,
            actor=tenant.admin,
            base_url="http://testserver/",
        )
    token, _raw = api_token_create(user=tenant.admin, name=f"Canary token {label}")
    network = NetworkPartyFactory(
        organisation=org,
        network__name=f"Network of {label}",
        network__agreement_text=f"Canary agreement {label}",
    ).network
    area = CooperationAreaFactory(network=network, title=f"Canary area {label}")
    users = [tenant.admin, tenant.manager, tenant.advisor, tenant.observer]
    canaries = [
        *(user.email for user in users),
        invitation.email,
        token.name,
        token.prefix,
        network.agreement_text,
        area.title,
        note.text,
        advisory_entry.topic,
    ]
    data = TenantData(
        organisation=org,
        admin=tenant.admin,
        users=users,
        membership=membership,
        invitation=invitation,
        audit_entry=None,
        token=token,
        network=network,
        canaries=canaries,
        company=company,
        affiliation=affiliation,
        note=note,
        advisory_entry=advisory_entry,
    )
    for module in app_isolation_modules():
        if hasattr(module, "tenant_data"):
            data.extra.update(module.tenant_data(tenant, label, data))
    # Last, so that it stays among the dashboard's recent five.
    with organisation_scope(org):
        data.audit_entry = AuditEntry.objects.create(
            organisation=org,
            actor=tenant.admin,
            actor_label=tenant.admin.email,
            action=f"test.canary_{label}",
            object_repr=f"Canary audit object {label}",
        )
    data.canaries += [data.audit_entry.action, data.audit_entry.object_repr]
    return data


def build_fixture(tenant_a, tenant_b) -> Fixture:
    _token, raw = api_token_create(user=tenant_a.admin, name="Isolation test client")
    return Fixture(a=tenant_data(tenant_a, "a"), b=tenant_data(tenant_b, "b"), a_raw_token=raw)


def snapshot(tenant: TenantData) -> dict[str, list]:
    """Every row of ``tenant``'s data, to prove that a refused request changed nothing."""
    org = tenant.organisation
    user_ids = [user.pk for user in tenant.users]
    with organisation_scope(org):
        rows = {
            "organisation": list(Organisation.objects.filter(pk=org.pk).values()),
            "municipalities": list(org.municipalities.order_by("pk").values_list("pk")),
            "memberships": list(Membership.objects.order_by("pk").values()),
            "invitations": list(Invitation.objects.order_by("pk").values()),
            "audit entries": list(AuditEntry.objects.order_by("pk").values()),
            "api tokens": list(ApiToken.objects.filter(user__in=user_ids).order_by("pk").values()),
            "users": list(User.objects.filter(pk__in=user_ids).order_by("pk").values()),
            "network": list(Network.objects.filter(pk=tenant.network.pk).values()),
            "network parties": list(
                NetworkParty.objects.filter(network=tenant.network).order_by("pk").values()
            ),
            "affiliations": list(Affiliation.objects.order_by("pk").values()),
            "company notes": list(CompanyNote.objects.order_by("pk").values()),
            "advisory log": list(AdvisoryLogEntry.objects.order_by("pk").values()),
        }
    for module in app_isolation_modules():
        if hasattr(module, "snapshot"):
            rows.update(module.snapshot(tenant))
    return rows


def changed_parts(before: dict[str, list], after: dict[str, list]) -> list[str]:
    return [key for key in before if before[key] != after[key]]
