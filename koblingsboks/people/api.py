"""API routes of the people app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["people"])
