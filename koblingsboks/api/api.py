"""The JSON API under /api/v1/: schema at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import NinjaAPI

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.network.api import network_router
from koblingsboks.network.api import router as organisation_router

api = NinjaAPI(
    title="Koblingsboks API",
    version="1",
    description=(
        "JSON API of Koblingsboks. Authenticate with a session cookie (plus the CSRF token "
        "for writes) or with a personal token: `Authorization: Bearer kbx_…`. Objects of "
        "organisations you are not a member of answer 404."
    ),
    urls_namespace="api",
)
api.add_router("", organisation_router)
api.add_router("", network_router)


@api.exception_handler(ServiceError)
def service_error(request, exc: ServiceError):
    return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=400)
