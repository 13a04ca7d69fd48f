"""Each app adds its private objects to the shared isolation test from its own module
``koblingsboks/<app>/tests/isolation.py``, which may define:

- ``tenant_data(tenant, label, data) -> dict[str, object]``: create one private object of
  every kind the app has for ``tenant`` (a conftest.Tenant); ``data`` is the tenant's
  TenantData so far (organisation, users, network, company…). Return the objects by name —
  the registry's lambdas read them as ``t.<name>`` — and append their distinctive strings to
  ``data.canaries``.
- ``ENTRIES``: ``(url name, Entry)`` pairs for the app's URLs, as in registry.py.
- ``snapshot(data) -> dict[str, list]``: every row of the tenant's private data of the app.
- ``API_OPERATIONS``: the ``(method, path)`` pairs the app adds to the API's contract
  (koblingsboks/api/tests/test_api.py).
"""

import importlib
from types import ModuleType

from django.conf import settings


def app_isolation_modules() -> list[ModuleType]:
    modules = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("koblingsboks."):
            continue
        name = f"{app}.tests.isolation"
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name not in (name, f"{app}.tests"):
                raise
    return modules
