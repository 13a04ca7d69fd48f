"""API routes of the events app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["events"])
