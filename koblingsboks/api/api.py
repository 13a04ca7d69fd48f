"""The JSON API under /api/v1/: schema at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import NinjaAPI

from koblingsboks.api.schemas import ErrorOut
from koblingsboks.capacity.api import router as capacity_router
from koblingsboks.companies.api import router as companies_router
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.events.api import router as events_router
from koblingsboks.library.api import router as library_router
from koblingsboks.network.api import network_router
from koblingsboks.network.api import router as organisation_router
from koblingsboks.people.api import router as people_router
from koblingsboks.projects.api import router as projects_router
from koblingsboks.reporting.api import router as reporting_router

VALIDATION_ERROR_SCHEMA = {
    "title": "ValidationErrorOut",
    "type": "object",
    "properties": {
        "detail": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "loc": {"type": "array", "items": {}},
                    "msg": {"type": "string"},
                },
            },
        }
    },
    "required": ["detail"],
}


def _json_response(description: str, ref: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


class KoblingsboksAPI(NinjaAPI):
    """Adds the answers django-ninja gives itself to the schema: 401 and 422."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema())
        components["ValidationErrorOut"] = VALIDATION_ERROR_SCHEMA
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                if operation.get("security"):
                    responses.setdefault(401, _json_response("Not signed in", "ErrorOut"))
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault(
                        422, _json_response("Input does not match the schema", "ValidationErrorOut")
                    )
        return schema


api = KoblingsboksAPI(
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
api.add_router("", companies_router)
api.add_router("", reporting_router)
api.add_router("", people_router)
api.add_router("", capacity_router)
api.add_router("", events_router)
api.add_router("", projects_router)
api.add_router("", library_router)


@api.exception_handler(ServiceError)
def service_error(request, exc: ServiceError):
    return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=400)
