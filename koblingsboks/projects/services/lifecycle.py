"""The agreement's life cycle: circulating a version, amendments, signatures (signed in or
by one-time e-mail link), starting and closing the project."""

import secrets
from datetime import timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.formatting import format_nok
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Membership, Organisation, User
from koblingsboks.projects import permissions
from koblingsboks.projects.agreement import (
    agreement_diff,
    agreement_snapshot,
    budget_summary,
    content_hash,
)
from koblingsboks.projects.models import (
    AgreementVersion,
    Project,
    ProjectParty,
    Signature,
    SigningLink,
)
from koblingsboks.projects.services.common import (
    SIGNING_LINK_VALID_DAYS,
    audit,
    clean_text,
    lock_project,
    membership_of,
    require,
    require_editable,
    require_manager,
    token_hash,
)

# --- circulation, amendments and signatures


def circulation_problems(project: Project) -> list[str]:
    """What stops the working content from being circulated; empty when it can go."""
    snapshot = agreement_snapshot(project)
    problems = []
    if len(snapshot["parties"]) < 2:
        problems.append(_("A joint project needs at least two parties."))
    responsible = {item["party"] for item in snapshot["responsibilities"]}
    for party in snapshot["parties"]:
        if party["id"] not in responsible:
            problems.append(_("%(name)s has no area of responsibility.") % {"name": party["name"]})
        if party["external"] and not party["signer_email"]:
            problems.append(
                _("%(name)s needs a signer's e-mail address.") % {"name": party["name"]}
            )
    if not snapshot["budget"]:
        problems.append(_("The economic frame has no budget lines."))
    summary = budget_summary(snapshot)
    if not summary.balanced:
        problems.append(
            _(
                "The budget does not balance with the funding: the budget is %(budget)s, the "
                "funding sources add up to %(funding)s (difference %(difference)s)."
            )
            % {
                "budget": format_nok(summary.total.total),
                "funding": format_nok(summary.funding_total),
                "difference": format_nok(summary.difference),
            }
        )
    return problems


def _last_signed(project: Project) -> AgreementVersion | None:
    return (
        project.versions.filter(status=AgreementVersion.Status.SIGNED).order_by("-number").first()
    )


def _amendment_diff(signed: AgreementVersion, snapshot: dict, number: int) -> str:
    return agreement_diff(
        signed.snapshot,
        snapshot,
        old_label=_("version %(n)d (signed)") % {"n": signed.number},
        new_label=_("version %(n)d") % {"n": number},
    )


def project_circulate(*, project: Project, actor: User, base_url: str) -> AgreementVersion:
    """Freeze the working content as a new version and ask every party to sign it.

    A second or later version is an amendment: it carries a diff against the last signed
    version, a still unsigned circulating version is superseded, and all parties sign again.
    """
    require_manager(project, actor)
    with transaction.atomic():
        project = lock_project(project)
        require_editable(project)
        problems = circulation_problems(project)
        if problems:
            raise ServiceError(" ".join(problems), code="not_ready")
        snapshot = agreement_snapshot(project)
        digest = content_hash(snapshot)
        previous = project.versions.order_by("-number").first()
        signed = _last_signed(project)
        if signed is not None and signed.content_hash == digest:
            raise ServiceError(
                _("Nothing has changed since the signed version %(number)d.")
                % {"number": signed.number},
                code="unchanged",
            )
        circulating = project.versions.filter(status=AgreementVersion.Status.CIRCULATED).first()
        if circulating is not None:
            circulating.status = AgreementVersion.Status.SUPERSEDED
            circulating.save(update_fields=["status"])
        number = (previous.number + 1) if previous else 1
        diff = ""
        if signed is not None:
            with translation.override("nb"):
                diff = _amendment_diff(signed, snapshot, number)
        version = AgreementVersion.objects.create(
            project=project,
            number=number,
            status=AgreementVersion.Status.CIRCULATED,
            snapshot=snapshot,
            content_hash=digest,
            diff=diff,
            diff_against=signed.number if signed else None,
            created_by=actor,
        )
        before = {"status": project.status}
        project.status = Project.Status.CIRCULATED
        project.amending = False
        project.save(update_fields=["status", "amending", "updated_at"])
        mails = _signing_requests(version=version, base_url=base_url)
        audit(
            project,
            actor,
            "projects.agreement.circulated",
            obj=version,
            before=before,
            after={"version": number, "hash": digest},
        )
        transaction.on_commit(lambda: [send_mail(*mail) for mail in mails])
    return version


def _signing_requests(*, version: AgreementVersion, base_url: str) -> list[tuple]:
    """A one-time link for each external signer, and a notice to each member's managers."""
    mails = []
    project = version.project
    with translation.override("nb"):
        for party in project.parties.select_related("organisation"):
            if party.is_external:
                token = secrets.token_urlsafe(32)
                SigningLink.objects.create(
                    version=version,
                    party=party,
                    email=party.signer_email,
                    token_hash=token_hash(token),
                    expires_at=timezone.now() + timedelta(days=SIGNING_LINK_VALID_DAYS),
                )
                link = base_url.rstrip("/") + reverse("projects:sign-link", args=[token])
                body = _(
                    "Hello %(name)s,\n\n%(lead)s asks you to sign the agreement for the project "
                    "“%(title)s” (version %(number)d) on behalf of %(party)s.\n\n"
                    "Read and sign the agreement here (the link works once and expires in "
                    "%(days)d days):\n%(link)s\n\nThe version is identified by its content "
                    "hash:\n%(hash)s\n"
                ) % {
                    "name": party.signer_name,
                    "lead": project.lead_organisation.name,
                    "title": project.title,
                    "number": version.number,
                    "party": party.name,
                    "days": SIGNING_LINK_VALID_DAYS,
                    "link": link,
                    "hash": version.content_hash,
                }
                subject = _("Please sign: %(title)s") % {"title": project.title}
                mails.append((subject, body, None, [party.signer_email]))
            else:
                recipients = _manager_emails(party.organisation)
                if recipients:
                    url = base_url.rstrip("/") + reverse("projects:detail", args=[project.pk])
                    body = _(
                        "The agreement for the project “%(title)s” (version %(number)d) awaits "
                        "the signature of %(party)s:\n%(url)s\n"
                    ) % {
                        "title": project.title,
                        "number": version.number,
                        "party": party.name,
                        "url": url,
                    }
                    subject = _("Please sign: %(title)s") % {"title": project.title}
                    mails.append((subject, body, None, recipients))
    return mails


def _manager_emails(organisation: Organisation) -> list[str]:
    with organisation_scope(organisation):
        return sorted(
            Membership.objects.filter(role__in=permissions.SIGNING_ROLES)
            .select_related("user")
            .values_list("user__email", flat=True)
        )


def amendment_start(*, project: Project, actor: User) -> Project:
    """Open the frozen content for changes; they take effect only once signed again."""
    require_manager(project, actor)
    with transaction.atomic():
        project = lock_project(project)
        if project.status == Project.Status.DRAFT:
            raise ServiceError(_("A draft is changed directly; there is nothing to amend."))
        if project.status == Project.Status.CLOSED:
            raise ServiceError(_("The project is closed; nothing can be changed."), code="closed")
        if project.amending:
            raise ServiceError(_("An amendment is already open."), code="amending")
        project.amending = True
        project.save(update_fields=["amending", "updated_at"])
        audit(project, actor, "projects.agreement.amendment_started")
    return project


def _current_version(project: Project) -> AgreementVersion | None:
    return project.versions.filter(status=AgreementVersion.Status.CIRCULATED).first()


def _record_signature(
    *,
    version: AgreementVersion,
    party: ProjectParty,
    signer: User | None,
    signer_name: str,
    signer_email: str,
    method: str,
    expected_hash: str | None,
) -> Signature:
    """Sign ``version`` for ``party``; the caller holds the project's lock."""
    project = version.project
    current = _current_version(project)
    if current is None or current.pk != version.pk:
        raise ServiceError(
            _("Version %(number)d is no longer the current version; nothing was signed.")
            % {"number": version.number},
            code="not_current",
        )
    if expected_hash is not None and expected_hash != version.content_hash:
        raise ServiceError(
            _("The agreement changed while you were reading it; read it again before signing."),
            code="hash_mismatch",
        )
    if party.project_id != project.pk:
        raise ServiceError(_("That party is not in this project."))
    if version.signatures.filter(party=party).exists():
        raise ServiceError(
            _("%(party)s has already signed version %(number)d.")
            % {"party": party.name, "number": version.number},
            code="already_signed",
        )
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                version=version,
                party=party,
                version_hash=version.content_hash,
                signer=signer,
                signer_name=signer_name,
                signer_email=signer_email,
                method=method,
                signed_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise ServiceError(
            _("%(party)s has already signed version %(number)d.")
            % {"party": party.name, "number": version.number},
            code="already_signed",
        ) from exc
    audit(
        project,
        signer,
        "projects.signature.recorded",
        obj=signature,
        after={
            "party": party.name,
            "signer": signer_name,
            "version": version.number,
            "hash": version.content_hash,
            "method": method,
        },
    )
    if version.signatures.count() == project.parties.count():
        version.status = AgreementVersion.Status.SIGNED
        version.signed_at = signature.signed_at
        version.save(update_fields=["status", "signed_at"])
        project.status = Project.Status.ACTIVE if project.activated_at else Project.Status.SIGNED
        project.save(update_fields=["status", "updated_at"])
        audit(
            project,
            signer,
            "projects.agreement.fully_signed",
            obj=version,
            after={"version": version.number, "hash": version.content_hash},
        )
    return signature


def agreement_sign(
    *, version: AgreementVersion, party: ProjectParty, actor: User, expected_hash: str | None = None
) -> Signature:
    """A manager signs ``version`` for the member organisation ``party`` stands for."""
    if party.is_external:
        raise ServiceError(
            _("%(party)s signs through the e-mail link sent to its signer.")
            % {"party": party.name},
            code="forbidden",
        )
    require(
        permissions.can_sign_for(membership_of(actor, party.organisation), party),
        _("Only a manager of %(party)s can sign for it.") % {"party": party.name},
    )
    with transaction.atomic():
        lock_project(version.project)
        version = AgreementVersion.objects.select_related("project").get(pk=version.pk)
        return _record_signature(
            version=version,
            party=party,
            signer=actor,
            signer_name=actor.get_full_name() or actor.email,
            signer_email=actor.email,
            method=Signature.Method.ACCOUNT,
            expected_hash=expected_hash,
        )


def signing_link_sign(*, link: SigningLink, signer_name: str) -> Signature:
    """An external signer signs through a one-time link (found by signing.signing_link_open)."""
    signer_name = clean_text(signer_name, field=_("Your name"), max_length=200, required=True)
    with transaction.atomic():
        lock_project(link.version.project)
        link = SigningLink.objects.select_for_update(of=("self",)).get(pk=link.pk)
        if link.used_at is not None:
            raise ServiceError(_("This signing link has already been used."), code="used")
        if link.expires_at <= timezone.now():
            raise ServiceError(
                _("This signing link has expired. Ask the project's lead for a new one."),
                code="expired",
            )
        version = AgreementVersion.objects.select_related("project").get(pk=link.version_id)
        signature = _record_signature(
            version=version,
            party=link.party,
            signer=None,
            signer_name=signer_name,
            signer_email=link.email,
            method=Signature.Method.EMAIL_LINK,
            expected_hash=None,
        )
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return signature


def signing_link_resend(
    *, project: Project, party: ProjectParty, actor: User, base_url: str
) -> SigningLink:
    """A fresh link for an external signer of the current version; older links stop working."""
    require_manager(project, actor)
    with transaction.atomic():
        project = lock_project(project)
        version = _current_version(project)
        if version is None or not party.is_external:
            raise ServiceError(_("There is no signature to ask for."))
        if version.signatures.filter(party=party).exists():
            raise ServiceError(_("%(party)s has already signed.") % {"party": party.name})
        version.signing_links.filter(party=party, used_at__isnull=True).update(
            expires_at=timezone.now()
        )
        token = secrets.token_urlsafe(32)
        link = SigningLink.objects.create(
            version=version,
            party=party,
            email=party.signer_email,
            token_hash=token_hash(token),
            expires_at=timezone.now() + timedelta(days=SIGNING_LINK_VALID_DAYS),
        )
        url = base_url.rstrip("/") + reverse("projects:sign-link", args=[token])
        with translation.override("nb"):
            subject = _("Please sign: %(title)s") % {"title": project.title}
            body = _(
                "Hello %(name)s,\n\nA new link to sign the agreement for “%(title)s” "
                "(version %(number)d):\n%(link)s\n"
            ) % {
                "name": party.signer_name,
                "title": project.title,
                "number": version.number,
                "link": url,
            }
        audit(
            project, actor, "projects.agreement.link_sent", obj=party, after={"email": link.email}
        )
        transaction.on_commit(lambda: send_mail(subject, body, None, [link.email]))
    return link


def project_activate(*, project: Project, actor: User) -> Project:
    require_manager(project, actor)
    with transaction.atomic():
        project = lock_project(project)
        if project.status != Project.Status.SIGNED:
            raise ServiceError(
                _("Only a project whose agreement is signed by all parties can start."),
                code="status",
            )
        project.status = Project.Status.ACTIVE
        project.activated_at = timezone.now()
        project.save(update_fields=["status", "activated_at", "updated_at"])
        audit(project, actor, "projects.project.activated", before={"status": "signed"})
    return project


def project_close(*, project: Project, actor: User) -> Project:
    require_manager(project, actor)
    with transaction.atomic():
        project = lock_project(project)
        if project.status not in (Project.Status.ACTIVE, Project.Status.SIGNED):
            raise ServiceError(_("Only a signed or active project can be closed."), code="status")
        if project.amending or _current_version(project) is not None:
            raise ServiceError(
                _("An amendment is open or awaiting signatures; finish it first."), code="status"
            )
        before = {"status": project.status}
        project.status = Project.Status.CLOSED
        project.save(update_fields=["status", "updated_at"])
        audit(project, actor, "projects.project.closed", before=before)
    return project
