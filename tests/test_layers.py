"""Layers point down: each app imports only the apps docs/architecture.md names for it
("One direction for every arrow"), counting imports inside functions too."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OURS = {
    "analytics",
    "campaigns",
    "config",
    "content",
    "core",
    "marketing",
    "owner",
    "publishing",
    "sandbox",
}

# app -> the modules of other apps it may import (a module allows its submodules too).
ALLOWED = {
    "core": {"config"},
    "marketing": {"core"},
    "content": {"marketing", "core", "campaigns.models", "analytics.selectors"},
    "campaigns": {"content", "marketing", "core", "analytics.selectors"},
    "publishing": {"campaigns", "content", "marketing", "core"},
    "analytics": {"content", "marketing", "publishing", "core"},
    "owner": {"publishing", "campaigns", "content", "marketing", "core", "analytics.selectors"},
    # The simulators use the offline writer; the demo history drives the whole product.
    "sandbox": {"content", "core", "marketing", "campaigns", "publishing", "analytics"},
}


def _imports(app: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if module.split(".")[0] in OURS - {app}:
                    found.add((str(path.relative_to(ROOT)), module))
    return found


def _allowed(module: str, allowed: set[str]) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in allowed)


def test_each_app_imports_only_the_layers_it_may():
    refused = sorted(
        f"{path} imports {module}"
        for app, allowed in ALLOWED.items()
        for path, module in _imports(app)
        if not _allowed(module, allowed)
    )
    assert refused == []


def test_no_product_module_imports_the_simulators():
    product = set(ALLOWED) - {"sandbox"} | {"config"}
    importers = sorted(
        f"{path} imports {module}"
        for app in product
        for path, module in _imports(app)
        if module.split(".")[0] == "sandbox"
    )
    assert importers == []
