"""OrganisationScopeMiddleware: which organisation a request runs in, and its scope."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.test import RequestFactory
from django_scopes import ScopeError, scopes_disabled

from koblingsboks.core.middleware import SESSION_KEY, OrganisationScopeMiddleware
from koblingsboks.network.models import Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def _request(user, active_id=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    if active_id is not None:
        request.session[SESSION_KEY] = active_id
    return request


class Recorder:
    """A view that remembers what the middleware gave it and what a scoped query returns."""

    def __init__(self):
        self.organisation = None
        self.membership = None
        self.memberships = None
        self.visible_member_ids = None
        self.scope_error = False

    def __call__(self, request):
        self.organisation = request.organisation
        self.membership = request.membership
        self.memberships = request.memberships
        try:
            self.visible_member_ids = set(Membership.objects.values_list("pk", flat=True))
        except ScopeError:
            self.scope_error = True
        return HttpResponse("ok")


@pytest.fixture
def two_org_user(db):
    """A user who is a member of two organisations."""
    user = UserFactory()
    first = OrganisationFactory(name="Alfa næringshage")
    second = OrganisationFactory(name="Beta næringshage")
    with scopes_disabled():
        m_first = MembershipFactory(user=user, organisation=first, role=Role.ADVISOR)
        m_second = MembershipFactory(user=user, organisation=second, role=Role.ADMIN)
        # A colleague in each organisation, to see what the scope lets through.
        other_first = MembershipFactory(organisation=first)
        other_second = MembershipFactory(organisation=second)
    return user, (m_first, other_first), (m_second, other_second)


def test_anonymous_request_has_no_organisation_and_no_scope(db):
    view = Recorder()
    OrganisationScopeMiddleware(view)(_request(AnonymousUser()))

    assert view.organisation is None
    assert view.membership is None
    assert view.memberships == []
    assert view.scope_error, "a scoped query without an organisation must raise"


def test_user_without_membership_gets_no_scope(db):
    view = Recorder()
    OrganisationScopeMiddleware(view)(_request(UserFactory()))

    assert view.organisation is None
    assert view.scope_error


def test_chosen_organisation_becomes_active_and_its_scope_is_open(two_org_user):
    user, (m_first, _), (m_second, other_second) = two_org_user
    view = Recorder()

    OrganisationScopeMiddleware(view)(_request(user, active_id=m_second.organisation_id))

    assert view.organisation == m_second.organisation
    assert view.membership == m_second
    assert {m.pk for m in view.memberships} == {m_first.pk, m_second.pk}
    # Only the active organisation's memberships are visible.
    assert view.visible_member_ids == {m_second.pk, other_second.pk}


def test_without_a_choice_the_first_membership_by_name_is_active(two_org_user):
    user, (m_first, other_first), _ = two_org_user
    view = Recorder()

    OrganisationScopeMiddleware(view)(_request(user))

    assert view.organisation == m_first.organisation
    assert view.visible_member_ids == {m_first.pk, other_first.pk}


def test_falls_back_to_first_membership_when_session_points_at_a_former_organisation(
    two_org_user,
):
    user, (m_first, _), (m_second, _) = two_org_user
    request = _request(user, active_id=m_second.organisation_id)
    with scopes_disabled():
        m_second.delete()  # the user left the organisation the session still points at
    view = Recorder()

    OrganisationScopeMiddleware(view)(request)

    assert view.organisation == m_first.organisation
    assert view.membership == m_first
    assert [m.pk for m in view.memberships] == [m_first.pk]


def test_session_pointing_at_a_foreign_organisation_gives_no_access_to_it(two_org_user):
    user, (m_first, _), _ = two_org_user
    foreign = OrganisationFactory(name="Aaa fremmed hage")
    view = Recorder()

    OrganisationScopeMiddleware(view)(_request(user, active_id=foreign.pk))

    assert view.organisation == m_first.organisation


def test_lazy_template_response_is_rendered_inside_the_scope(two_org_user):
    user, (m_first, other_first), _ = two_org_user
    template = engines["django"].from_string("{% for m in members %}{{ m.pk }};{% endfor %}")

    def view(request):
        # The queryset is evaluated only when the template renders.
        return TemplateResponse(request, template, {"members": Membership.objects.order_by("pk")})

    response = OrganisationScopeMiddleware(view)(_request(user))

    assert response.is_rendered
    rendered = {int(pk) for pk in response.content.decode().split(";") if pk}
    assert rendered == {m_first.pk, other_first.pk}
