"""The organisation scope fails closed, and only listed modules may disable it."""

import ast
from pathlib import Path

import pytest
from django_scopes import ScopeError

from koblingsboks.core.models import AuditEntry
from koblingsboks.core.tenancy import SCOPE_DISABLING_ALLOWED, organisation_scope
from koblingsboks.network.models import Invitation, Membership, Organisation

ROOT = Path(__file__).resolve().parent.parent
DISABLING = {"scopes_disabled", "with_scopes_disabled"}
# django_scopes.scope(organisation=None) filters nothing; only organisation_scope calls it.
RAW_SCOPE_ALLOWED = {"koblingsboks/core/tenancy.py"}


def _application_modules() -> list[Path]:
    """Every module under koblingsboks/ except migrations and tests, which may disable scopes."""
    paths = []
    for path in sorted((ROOT / "koblingsboks").rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" not in parts and "tests" not in parts:
            paths.append(path)
    return paths


def _scope_names_used(source: str) -> set[str]:
    """The names from django_scopes that ``source`` uses (imported, called or spelt out)."""
    used = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "django_scopes":
            used |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Name) and node.id in DISABLING:
            used.add(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in DISABLING:
            used.add(node.attr)
        elif isinstance(node, ast.Attribute) and node.attr == "scope":
            if isinstance(node.value, ast.Name) and node.value.id == "django_scopes":
                used.add("scope")
        elif isinstance(node, ast.Constant) and node.value in DISABLING:
            used.add(node.value)
    return used


def _users_of(names: set[str]) -> set[str]:
    return {
        str(path.relative_to(ROOT))
        for path in _application_modules()
        if _scope_names_used(path.read_text()) & names
    }


def test_only_listed_modules_disable_the_scope():
    users = _users_of(DISABLING)
    assert "koblingsboks/network/selectors.py" in users  # the scan does find real uses
    unlisted = sorted(users - SCOPE_DISABLING_ALLOWED)
    assert unlisted == [], (
        f"{unlisted} disable the organisation scope. Read the data through a scoped query, or "
        "add the file with its reason to SCOPE_DISABLING_ALLOWED in koblingsboks/core/tenancy.py."
    )


def test_only_the_tenancy_core_opens_a_raw_scope():
    assert _users_of({"scope"}) == RAW_SCOPE_ALLOWED


def test_every_listed_module_exists():
    missing = sorted(p for p in SCOPE_DISABLING_ALLOWED if not (ROOT / p).is_file())
    assert missing == [], f"remove {missing} from SCOPE_DISABLING_ALLOWED"


@pytest.mark.parametrize(
    "source",
    [
        "from django_scopes import scopes_disabled\nwith scopes_disabled(): pass",
        "import django_scopes as ds\nwith ds.scopes_disabled(): pass",
        "from django_scopes import with_scopes_disabled as off",
        "f = getattr(__import__('django_scopes'), 'scopes_disabled')",
    ],
)
def test_the_scan_sees_every_spelling(source):
    assert _scope_names_used(source) & DISABLING


def test_the_scan_ignores_prose():
    assert (
        _scope_names_used('"""Never call ``scopes_disabled`` here."""\n# scopes_disabled') == set()
    )


@pytest.mark.parametrize("model", [Membership, Invitation, AuditEntry])
def test_private_models_raise_outside_a_scope(db, model):
    with pytest.raises(ScopeError):
        model.objects.count()


def test_a_scope_shows_only_its_own_organisation(tenant_a, tenant_b):
    with organisation_scope(tenant_a.organisation):
        assert Membership.objects.count() == 4
        assert not Membership.objects.filter(organisation=tenant_b.organisation).exists()


def test_organisation_scope_refuses_none_and_unsaved_organisations():
    with pytest.raises(ValueError), organisation_scope(None):
        pass
    with pytest.raises(ValueError), organisation_scope(Organisation(name="Unsaved")):
        pass
