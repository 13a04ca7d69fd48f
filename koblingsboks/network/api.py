"""API handlers for organisations, networks, memberships, invitations and the audit log."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from koblingsboks.api.auth import AUTH, in_organisation
from koblingsboks.api.schemas import (
    AuditEntryOut,
    ErrorOut,
    InvitationIn,
    InvitationOut,
    MembershipOut,
    MembershipRoleIn,
    MeOut,
    NetworkDetailOut,
    NetworkOut,
    OrganisationOut,
    OrganisationPatchIn,
)
from koblingsboks.core.models import AuditEntry
from koblingsboks.network import permissions
from koblingsboks.network.invitations import invitation_create, invitation_revoke
from koblingsboks.network.models import Invitation, Membership, Municipality, Network, Organisation
from koblingsboks.network.selectors import (
    invitation_list_open,
    member_list,
    membership_list_for_user,
    network_visible_to,
    organisation_list,
)
from koblingsboks.network.services import (
    membership_change_role,
    membership_remove,
    organisation_update,
)

router = Router(tags=["organisations"])
network_router = Router(tags=["networks"])


@router.get("/me", response=MeOut, auth=AUTH, url_name="me")
def me(request):
    user = request.user
    user.memberships_list = membership_list_for_user(user=user)
    return {
        **{f: getattr(user, f) for f in ["id", "email", "full_name", "title", "phone", "bio"]},
        "language": user.language,
        "memberships": [
            {"organisation": m.organisation, "role": m.role} for m in user.memberships_list
        ],
    }


@router.get(
    "/organisations", response=list[OrganisationOut], auth=None, url_name="organisation_list"
)
@paginate(LimitOffsetPagination)
def organisation_index(request, q: str = "", kind: str = "", sort: str = "name"):
    """The public directory of organisations (register facts only)."""
    return organisation_list(search=q[:100], kind=kind, ordering=sort)


@router.get(
    "/organisations/{slug}",
    response={200: OrganisationOut, 404: ErrorOut},
    auth=None,
    url_name="organisation_detail",
)
def organisation_get(request, slug: str):
    return get_object_or_404(Organisation.objects.prefetch_related("municipalities"), slug=slug)


@router.patch(
    "/organisations/{slug}",
    response={200: OrganisationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="organisation_update",
)
@in_organisation(permissions.can_edit_organisation)
def organisation_patch(request, slug: str, payload: OrganisationPatchIn):
    data = payload.dict(exclude_unset=True)
    numbers = data.pop("municipalities", None)
    municipalities = None
    if numbers is not None:
        municipalities = list(Municipality.objects.filter(number__in=numbers))
        unknown = sorted(set(numbers) - {m.number for m in municipalities})
        if unknown:
            raise HttpError(400, f"Unknown municipality numbers: {', '.join(unknown)}")
    try:
        return organisation_update(
            organisation=request.organisation,
            actor=request.user,
            data=data,
            municipalities=municipalities,
        )
    except ValidationError as exc:
        raise HttpError(400, "; ".join(exc.messages)) from exc


@router.get(
    "/organisations/{slug}/memberships",
    response={200: list[MembershipOut], 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="membership_list",
)
@in_organisation(permissions.can_manage_members)
@paginate(LimitOffsetPagination)
def membership_index(request, slug: str, sort: str = "name"):
    return member_list(organisation=request.organisation, ordering=sort)


@router.patch(
    "/organisations/{slug}/memberships/{membership_id}",
    response={200: MembershipOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="membership_update",
)
@in_organisation(permissions.can_manage_members)
def membership_patch(request, slug: str, membership_id: int, payload: MembershipRoleIn):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_id)
    return membership_change_role(membership=membership, role=payload.role, actor=request.user)


@router.delete(
    "/organisations/{slug}/memberships/{membership_id}",
    response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="membership_delete",
)
@in_organisation(permissions.can_manage_members)
def membership_delete(request, slug: str, membership_id: int):
    membership = get_object_or_404(Membership, pk=membership_id)
    membership_remove(membership=membership, actor=request.user)
    return Status(204, None)


@router.get(
    "/organisations/{slug}/invitations",
    response={200: list[InvitationOut], 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="invitation_list",
)
@in_organisation(permissions.can_manage_members)
def invitation_index(request, slug: str):
    return list(invitation_list_open(organisation=request.organisation))


@router.post(
    "/organisations/{slug}/invitations",
    response={201: InvitationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="invitation_create",
)
@in_organisation(permissions.can_manage_members)
def invitation_post(request, slug: str, payload: InvitationIn):
    from django.core.validators import validate_email

    try:
        validate_email(payload.email)
    except ValidationError as exc:
        raise HttpError(400, f"Not a valid e-mail address: {payload.email}") from exc
    invitation = invitation_create(
        organisation=request.organisation,
        email=payload.email,
        role=payload.role,
        actor=request.user,
        base_url=request.build_absolute_uri("/"),
    )
    return Status(201, invitation)


@router.delete(
    "/organisations/{slug}/invitations/{invitation_id}",
    response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="invitation_delete",
)
@in_organisation(permissions.can_manage_members)
def invitation_delete(request, slug: str, invitation_id: int):
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    invitation_revoke(invitation=invitation, actor=request.user)
    return Status(204, None)


@router.get(
    "/organisations/{slug}/audit",
    response={200: list[AuditEntryOut], 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="audit_list",
)
@in_organisation(permissions.can_read_audit_log)
@paginate(LimitOffsetPagination)
def audit_index(request, slug: str, action: str = ""):
    entries = AuditEntry.objects.filter(organisation=request.organisation).select_related(
        "content_type"
    )
    return entries.filter(action=action) if action else entries


@network_router.get("/networks", response=list[NetworkOut], auth=AUTH, url_name="network_list")
def network_index(request):
    """Networks in which one of the caller's organisations is a party."""
    org_ids = [m.organisation_id for m in membership_list_for_user(user=request.user)]
    return list(Network.objects.filter(party_links__organisation__in=org_ids).distinct())


@network_router.get(
    "/networks/{network_slug}",
    response={200: NetworkDetailOut, 404: ErrorOut},
    auth=AUTH,
    url_name="network_detail",
)
def network_get(request, network_slug: str):
    for membership in membership_list_for_user(user=request.user):
        try:
            return network_visible_to(slug=network_slug, organisation=membership.organisation)
        except Network.DoesNotExist:
            continue
    raise HttpError(404, "Not Found")
