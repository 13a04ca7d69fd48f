"""API handlers for companies, key figures, affiliations, notes and the advisory log."""

from ninja import Router

router = Router(tags=["companies"])
