"""A scoped manager for objects that belong to two organisations at once.

A booking (and its time entries and settlement) is shared by the requesting and the
providing organisation; both see it, nobody else does. django-scopes filters on one field,
so this manager does what ``core.tenancy.scoped_manager`` does for one: without an active
organisation scope every query raises ``ScopeError``; with one, only rows where that
organisation is one of the parties are returned.
"""

from functools import reduce
from operator import or_

from django.db import models
from django_scopes.manager import DisabledQuerySet
from django_scopes.state import get_scope


class TwoPartyManager(models.Manager):
    """Subclasses name the two organisation fields in ``party_fields`` (a class attribute,
    because Django builds related managers from the class, not from this instance)."""

    party_fields: tuple[str, str] = ()

    def get_queryset(self):
        current = get_scope()
        if not current.get("_enabled", True):
            return super().get_queryset()
        organisation = current.get("organisation")
        if organisation is None or not self.party_fields:
            return DisabledQuerySet(self.model, using=self._db, missing_scopes={"organisation"})
        values = organisation if isinstance(organisation, list | tuple) else [organisation]
        condition = reduce(or_, (models.Q(**{f"{f}__in": values}) for f in self.party_fields))
        return super().get_queryset().filter(condition)

    def all(self):
        queryset = super().all()
        return queryset.all() if isinstance(queryset, DisabledQuerySet) else queryset


class BookingManager(TwoPartyManager):
    party_fields = ("requester", "provider")


class TimeEntryManager(TwoPartyManager):
    party_fields = ("booking__requester", "booking__provider")


class SettlementManager(TwoPartyManager):
    party_fields = ("organisation_a", "organisation_b")
