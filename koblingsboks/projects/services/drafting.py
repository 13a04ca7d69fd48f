"""Drafting a project's agreement: the project, parties, responsibilities, budget, funding
and terms. Changes are allowed only in a draft or an open amendment."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from koblingsboks.core.audit import log_action
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.network.models import Network, Organisation, User
from koblingsboks.projects import permissions
from koblingsboks.projects.models import (
    BudgetLine,
    Category,
    Deliverable,
    FundingKind,
    FundingSource,
    Project,
    ProjectParty,
    Responsibility,
    TermKey,
    TermSection,
    TermsTemplateSection,
)
from koblingsboks.projects.services.common import (
    audit,
    check_period,
    clean_amount,
    clean_email,
    clean_text,
    lock_project,
    membership_of,
    require,
    require_editable,
    require_editor,
)
from koblingsboks.projects.terms import DEFAULT_TERMS

# --- projects


def terms_template_for(network: Network | None) -> list[tuple[str, str, str]]:
    """The network's default terms (key, heading, text), else the built-in Norwegian ones."""
    if network is not None:
        rows = list(network.terms_template.order_by("position", "pk"))
        if rows:
            return [(row.key, row.title, row.text) for row in rows]
    return list(DEFAULT_TERMS)


def project_create(
    *,
    organisation: Organisation,
    actor: User,
    title: str,
    purpose: str = "",
    start_date: date,
    end_date: date,
    network: Network | None = None,
) -> Project:
    """A new draft led by ``organisation``, which is its first party; terms from the template."""
    require(permissions.can_create_project(membership_of(actor, organisation)))
    title = clean_text(title, field=_("Title"), max_length=200, required=True)
    purpose = clean_text(purpose, field=_("Purpose"), max_length=4000)
    check_period(start_date, end_date)
    if network is not None and not network.party_links.filter(organisation=organisation).exists():
        raise ServiceError(_("Your organisation is not a party of that network."), code="network")
    with transaction.atomic():
        project = Project.objects.create(
            title=title,
            purpose=purpose,
            start_date=start_date,
            end_date=end_date,
            lead_organisation=organisation,
            network=network,
            created_by=actor,
        )
        ProjectParty.objects.create(
            project=project,
            organisation=organisation,
            contact_name=actor.get_full_name() or actor.email,
            contact_email=actor.email,
            position=0,
        )
        for position, (key, heading, text) in enumerate(terms_template_for(network)):
            TermSection.objects.create(
                project=project, key=key, title=heading, text=text, position=position
            )
        audit(project, actor, "projects.project.created", after={"title": title})
    return project


def project_update(
    *,
    project: Project,
    actor: User,
    title: str,
    purpose: str,
    start_date: date,
    end_date: date,
    network: Network | None,
) -> Project:
    require_editor(project, actor)
    title = clean_text(title, field=_("Title"), max_length=200, required=True)
    purpose = clean_text(purpose, field=_("Purpose"), max_length=4000)
    check_period(start_date, end_date)
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        if (
            network is not None
            and not network.party_links.filter(organisation=project.lead_organisation).exists()
        ):
            raise ServiceError(
                _("Your organisation is not a party of that network."), code="network"
            )
        outside = project.budget_lines.exclude(
            year__gte=start_date.year, year__lte=end_date.year
        ).exists()
        if outside:
            raise ServiceError(
                _("Budget lines lie outside the new period; move or remove them first."),
                code="period",
            )
        before = {"title": project.title, "start_date": str(project.start_date)}
        project.title, project.purpose = title, purpose
        project.start_date, project.end_date, project.network = start_date, end_date, network
        project.save()
        audit(
            project,
            actor,
            "projects.project.updated",
            before=before,
            after={"title": title, "start_date": str(start_date)},
        )
    return project


# --- parties


def party_add(
    *,
    project: Project,
    actor: User,
    organisation: Organisation | None = None,
    external_name: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    signer_name: str = "",
    signer_email: str = "",
) -> ProjectParty:
    """Add a member organisation, or an external partner (with its signer's e-mail)."""
    require_editor(project, actor)
    external_name = clean_text(external_name, field=_("External partner"), max_length=200)
    if (organisation is None) == (not external_name):
        raise ServiceError(
            _("Choose a member organisation or name an external partner (one of the two)."),
            code="party",
        )
    values = {
        "contact_name": clean_text(contact_name, field=_("Contact person"), max_length=200),
        "contact_email": clean_email(contact_email, field=_("Contact e-mail")),
        "contact_phone": clean_text(contact_phone, field=_("Contact phone"), max_length=40),
        "signer_name": clean_text(signer_name, field=_("Authorised signer"), max_length=200),
        "signer_email": clean_email(
            signer_email, field=_("Signer's e-mail"), required=organisation is None
        ),
    }
    if organisation is None and not values["signer_name"]:
        raise ServiceError(
            _("An external partner needs the name of its authorised signer."), code="signer"
        )
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        if organisation is not None and project.parties.filter(organisation=organisation).exists():
            raise ServiceError(
                _("%(name)s is already a party.") % {"name": organisation.name}, code="duplicate"
            )
        position = project.parties.count()
        try:
            with transaction.atomic():
                party = ProjectParty.objects.create(
                    project=project,
                    organisation=organisation,
                    external_name="" if organisation else external_name,
                    position=position,
                    **values,
                )
        except IntegrityError as exc:
            raise ServiceError(
                _("That organisation is already a party."), code="duplicate"
            ) from exc
        audit(project, actor, "projects.party.added", obj=party, after={"name": party.name})
    return party


def party_update(
    *,
    party: ProjectParty,
    actor: User,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
    signer_name: str = "",
    signer_email: str = "",
) -> ProjectParty:
    project = party.project
    require_editor(project, actor)
    values = {
        "contact_name": clean_text(contact_name, field=_("Contact person"), max_length=200),
        "contact_email": clean_email(contact_email, field=_("Contact e-mail")),
        "contact_phone": clean_text(contact_phone, field=_("Contact phone"), max_length=40),
        "signer_name": clean_text(signer_name, field=_("Authorised signer"), max_length=200),
        "signer_email": clean_email(
            signer_email, field=_("Signer's e-mail"), required=party.is_external
        ),
    }
    if party.is_external and not values["signer_name"]:
        raise ServiceError(
            _("An external partner needs the name of its authorised signer."), code="signer"
        )
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        for name, value in values.items():
            setattr(party, name, value)
        party.save()
        audit(project, actor, "projects.party.updated", obj=party, after=values)
    return party


def party_remove(*, party: ProjectParty, actor: User) -> None:
    project = party.project
    require_editor(project, actor)
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        if party.organisation_id == project.lead_organisation_id:
            raise ServiceError(_("The lead organisation cannot leave its own project."))
        if party.budget_lines.exists() or party.signatures.exists():
            raise ServiceError(
                _("%(name)s has budget lines or signatures; remove its budget lines first.")
                % {"name": party.name},
                code="in_use",
            )
        audit(project, actor, "projects.party.removed", obj=party, before={"name": party.name})
        party.delete()


# --- responsibilities and deliverables


def responsibility_add(
    *, project: Project, party: ProjectParty, actor: User, title: str, description: str = ""
) -> Responsibility:
    require_editor(project, actor)
    if party.project_id != project.pk:
        raise ServiceError(_("That party is not in this project."))
    title = clean_text(title, field=_("Area"), max_length=200, required=True)
    description = clean_text(description, field=_("Description"), max_length=4000)
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        item = Responsibility.objects.create(
            project=project, party=party, title=title, description=description
        )
        audit(project, actor, "projects.responsibility.added", obj=item, after={"title": title})
    return item


def responsibility_delete(*, responsibility: Responsibility, actor: User) -> None:
    project = responsibility.project
    require_editor(project, actor)
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        audit(
            project,
            actor,
            "projects.responsibility.removed",
            obj=responsibility,
            before={"title": responsibility.title},
        )
        responsibility.delete()


def deliverable_add(
    *, responsibility: Responsibility, actor: User, title: str, due_date: date
) -> Deliverable:
    project = responsibility.project
    require_editor(project, actor)
    title = clean_text(title, field=_("Deliverable"), max_length=200, required=True)
    if due_date is None:
        raise ServiceError(_("A deliverable needs a due date."), code="due_date")
    if not project.start_date <= due_date <= project.end_date:
        raise ServiceError(_("The due date must lie within the project period."), code="due_date")
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        item = Deliverable.objects.create(
            responsibility=responsibility, title=title, due_date=due_date
        )
        audit(project, actor, "projects.deliverable.added", obj=item, after={"title": title})
    return item


def deliverable_delete(*, deliverable: Deliverable, actor: User) -> None:
    project = deliverable.responsibility.project
    require_editor(project, actor)
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        audit(
            project,
            actor,
            "projects.deliverable.removed",
            obj=deliverable,
            before={"title": deliverable.title},
        )
        deliverable.delete()


# --- budget and funding


def budget_line_set(
    *,
    project: Project,
    party: ProjectParty,
    actor: User,
    year: int,
    category: str,
    cash,
    in_kind,
    description: str = "",
) -> BudgetLine:
    """Set the budget of ``party`` in ``year`` and ``category`` (creates or replaces the line)."""
    require_editor(project, actor)
    if party.project_id != project.pk:
        raise ServiceError(_("That party is not in this project."))
    if category not in Category.values:
        raise ServiceError(_("Unknown budget category."), code="category")
    if year is None or not project.start_date.year <= int(year) <= project.end_date.year:
        raise ServiceError(
            _("The year must lie within the project period (%(start)d–%(end)d).")
            % {"start": project.start_date.year, "end": project.end_date.year},
            code="year",
        )
    cash = clean_amount(cash, field=_("Cash"))
    in_kind = clean_amount(in_kind, field=_("In-kind"))
    if cash + in_kind == 0:
        raise ServiceError(_("A budget line needs an amount in cash or in kind."), code="amount")
    description = clean_text(description, field=_("Description"), max_length=200)
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        line = project.budget_lines.filter(party=party, year=year, category=category).first()
        before = None
        if line is None:
            line = BudgetLine(project=project, party=party, year=year, category=category)
        else:
            before = {"cash": str(line.cash), "in_kind": str(line.in_kind)}
        line.cash, line.in_kind, line.description = cash, in_kind, description
        line.save()
        audit(
            project,
            actor,
            "projects.budget_line.set",
            obj=line,
            before=before,
            after={"cash": str(cash), "in_kind": str(in_kind)},
        )
    return line


def budget_line_delete(*, line: BudgetLine, actor: User) -> None:
    project = line.project
    require_editor(project, actor)
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        if line.cost_entries.exists():
            raise ServiceError(
                _("Costs are recorded against this budget line; it cannot be removed."),
                code="in_use",
            )
        audit(
            project,
            actor,
            "projects.budget_line.removed",
            obj=line,
            before={"cash": str(line.cash), "in_kind": str(line.in_kind)},
        )
        line.delete()


def funding_add(*, project: Project, actor: User, kind: str, name: str, amount) -> FundingSource:
    require_editor(project, actor)
    if kind not in FundingKind.values:
        raise ServiceError(_("Unknown kind of funding."), code="kind")
    name = clean_text(name, field=_("Source"), max_length=200, required=True)
    amount = clean_amount(amount, field=_("Amount"), allow_zero=False)
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        source = FundingSource.objects.create(project=project, kind=kind, name=name, amount=amount)
        audit(
            project,
            actor,
            "projects.funding.added",
            obj=source,
            after={"name": name, "amount": str(amount)},
        )
    return source


def funding_delete(*, source: FundingSource, actor: User) -> None:
    project = source.project
    require_editor(project, actor)
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        audit(
            project,
            actor,
            "projects.funding.removed",
            obj=source,
            before={"name": source.name, "amount": str(source.amount)},
        )
        source.delete()


# --- terms


def term_save(
    *, project: Project, actor: User, key: str, title: str, text: str, section=None
) -> TermSection:
    """Change a section of the terms, or add one when ``section`` is None."""
    require_editor(project, actor)
    if key not in TermKey.values:
        raise ServiceError(_("Unknown kind of terms section."))
    title = clean_text(title, field=_("Heading"), max_length=200, required=True)
    text = clean_text(text, field=_("Text"), max_length=8000, required=True)
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        before = None
        if section is None:
            section = TermSection(project=project, position=project.terms.count())
        else:
            before = {"title": section.title, "text": section.text}
        section.key, section.title, section.text = key, title, text
        section.save()
        audit(
            project,
            actor,
            "projects.terms.saved",
            obj=section,
            before=before,
            after={"title": title, "text": text},
        )
    return section


def term_delete(*, section: TermSection, actor: User) -> None:
    project = section.project
    require_editor(project, actor)
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        audit(
            project, actor, "projects.terms.removed", obj=section, before={"title": section.title}
        )
        section.delete()


def terms_template_save(
    *, network: Network, organisation: Organisation, actor: User, sections: list[dict]
) -> list[TermsTemplateSection]:
    """Replace the network's default terms; a manager of a party of the network does it."""
    require(
        permissions.can_edit_terms_template(membership_of(actor, organisation))
        and network.party_links.filter(organisation=organisation).exists(),
        _("Only a manager of a party of the network can edit its default terms."),
    )
    cleaned = []
    for section in sections:
        if section.get("key") not in TermKey.values:
            raise ServiceError(_("Unknown kind of terms section."))
        cleaned.append(
            (
                section["key"],
                clean_text(section.get("title"), field=_("Heading"), max_length=200, required=True),
                clean_text(section.get("text"), field=_("Text"), max_length=8000, required=True),
            )
        )
    if len({key for key, _title, _text in cleaned}) != len(cleaned):
        raise ServiceError(_("Each kind of section can appear only once."), code="duplicate")
    with transaction.atomic():
        network.terms_template.all().delete()
        rows = [
            TermsTemplateSection.objects.create(
                network=network, key=key, title=title, text=text, position=position
            )
            for position, (key, title, text) in enumerate(cleaned)
        ]
        log_action(
            organisation=organisation,
            actor=actor,
            action="projects.terms_template.saved",
            obj=network,
            after={"sections": [title for _key, title, _text in cleaned]},
        )
    return rows
