"""Tenancy that fails closed.

Organisation-private models use ``scoped_manager()``: every query on them raises
``django_scopes.ScopeError`` unless an organisation scope is active. The scope is opened by
``OrganisationScopeMiddleware`` for web requests, by ``api.auth`` helpers for API calls and
by ``organisation_scope`` in commands and background tasks.

Disabling the scope (``django_scopes.scopes_disabled``) is allowed only in the modules
listed in ``SCOPE_DISABLING_ALLOWED``; ``tests/test_scope_discipline.py`` greps for any
other use. See docs/tenancy.md.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import models
from django_scopes import ScopedManager, scope

if TYPE_CHECKING:
    from koblingsboks.network.models import Organisation

# Files (relative to the repository root) that may call scopes_disabled(); each says why.
SCOPE_DISABLING_ALLOWED = {
    # The tenancy core: resolving which organisations a user belongs to, before any scope.
    "koblingsboks/network/selectors.py",
    # Demo data spans all organisations by design.
    "koblingsboks/network/demo.py",
    # Invitation links are opened by people who are not members yet; looked up by secret token.
    "koblingsboks/network/invitations.py",
    # affiliation_list_visible_to: which gardens of a shared network a company is affiliated
    # with — organisation, kind and dates only, never phase, advisor, notes or hours.
    "koblingsboks/companies/selectors.py",
    # projects: project_list_visible_to / network_project_summary — projects of a shared
    # network seen by its other organisations: title, parties and status only.
    "koblingsboks/projects/selectors.py",
    # projects: an external signer's one-time link, looked up by the hash of its secret.
    "koblingsboks/projects/signing.py",
    # reporting: a company contact's one-time satisfaction survey link (no account), looked
    # up by the hash of its secret.
    "koblingsboks/reporting/survey_links.py",
    # people: profile_directory / profile_visible_to — competence profiles of the
    # organisations sharing a network with the reader (the network-wide directory).
    "koblingsboks/people/selectors.py",
    # capacity: offer_list_visible_to / offer_visible_to / suggested_offers — offers of the
    # organisations sharing a network with the reader (hours, rate, competences, free hours).
    "koblingsboks/capacity/selectors.py",
    # library: posts and methods shared by audience (own organisation, network, public) and the
    # people of the reader's networks; every read is filtered by the reader's organisation.
    "koblingsboks/library/sharing.py",
    # events: event_list_visible_to / public_event / network_feed_events — events shared by
    # audience (network, public; never drafts) with counts only; and the registrant's cancel
    # or feedback link and a private feed link, looked up by the hash of their secret.
    "koblingsboks/events/selectors.py",
}


def scoped_manager(field: str = "organisation") -> models.Manager:
    """A manager that filters on ``field`` = the active organisation, and raises without one."""
    return ScopedManager(organisation=field)


@contextmanager
def organisation_scope(organisation: "Organisation") -> Iterator[None]:
    """Open the scope of one organisation.

    django-scopes treats ``None`` as "no filter"; refusing it here keeps the scope closed.
    """
    if organisation is None or organisation.pk is None:
        raise ValueError("organisation_scope needs a saved organisation, not None")
    with scope(organisation=organisation.pk):
        yield
