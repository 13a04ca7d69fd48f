"""The OpenAPI schema documents every status an operation really answers with."""

import json
import re

import pytest

from koblingsboks.api.api import api


def _operations():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _fill(path: str, slug: str) -> str:
    return re.sub(r"\{[a-z_]*slug\}", slug, re.sub(r"\{[a-z_]*_id\}", "1", path))


def test_schema_lists_operations():
    assert len(list(_operations())) >= 13


@pytest.mark.parametrize(
    ("path", "method", "operation"),
    [op for op in _operations() if op[2].get("security")],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_signed_out_request_answers_a_documented_401(client, tenant_a, path, method, operation):
    url = _fill(path, tenant_a.organisation.slug)
    response = client.generic(method.upper(), url, data="{}", content_type="application/json")
    assert response.status_code == 401
    assert "401" in json.loads(json.dumps(operation["responses"]))


@pytest.mark.parametrize(
    ("path", "method", "operation"),
    [
        op
        for op in _operations()
        if "application/json" in op[2].get("requestBody", {}).get("content", {})
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_malformed_body_answers_a_documented_422(client, tenant_a, path, method, operation):
    client.force_login(tenant_a.admin)
    url = _fill(path, tenant_a.organisation.slug)
    response = client.generic(
        method.upper(),
        url,
        data='{"role": ["not", "a", "string"], "email": 5}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "422" in json.loads(json.dumps(operation["responses"]))
    assert isinstance(response.json()["detail"], list)


def test_uploads_are_documented_as_multipart():
    uploads = [
        (path, operation)
        for path, _method, operation in _operations()
        if "multipart/form-data" in operation.get("requestBody", {}).get("content", {})
    ]
    assert uploads, "the library's attachment routes take multipart uploads"
    for path, operation in uploads:
        body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
        assert "files" in json.dumps(body), path
        assert "400" in json.loads(json.dumps(operation["responses"])), path


def test_schema_served_at_the_stable_url_matches(client, db):
    served = client.get("/api/v1/openapi.json").json()
    assert served["components"]["schemas"]["ValidationErrorOut"]["required"] == ["detail"]
    assert set(served["paths"]) == {p for p, _m, _o in _operations()}
