"""API routes of the reporting app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["reporting"])
