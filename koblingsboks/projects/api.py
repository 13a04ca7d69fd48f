"""API routes of the projects app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["projects"])
