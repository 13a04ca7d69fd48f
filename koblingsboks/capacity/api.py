"""API routes of the capacity app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["capacity"])
