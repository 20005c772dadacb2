"""The layers import cleanly on their own, and the command line stays light: `tracker --help`
and `tracker claims match` never load Flask or the web app.

Each check runs in a fresh interpreter (a subprocess), since this test process has long since
imported everything."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGES = [
    "tracker",
    "tracker.config",
    "tracker.db",
    "tracker.models",
    "tracker.services",
    "tracker.migrate",
    "tracker.api",
    "tracker.web",
    "tracker.boundary",
    "tracker.app",
    "tracker.cli",
]
WEB = ("flask", "tracker.web", "tracker.app", "tracker.api", "werkzeug")


def _python(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=cwd
    )


@pytest.mark.parametrize("name", PACKAGES)
def test_each_package_imports_alone(name: str) -> None:
    result = _python(f"import {name}")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", ["tracker.models", "tracker.services", "tracker.db"])
def test_no_flask_below_web_and_api(name: str) -> None:
    result = _python(f"import sys, {name}; print(sorted(m for m in {WEB!r} if m in sys.modules))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_help_imports_no_command_module_and_no_flask() -> None:
    code = (
        "import sys\n"
        "from tracker.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        f"heavy = {WEB!r} + ('tracker.cli.', 'numpy', 'lingua', 'rapidfuzz')\n"
        "loaded = [m for m in sys.modules if m.startswith(heavy) and m != 'tracker.cli.support']\n"
        "print(loaded, file=sys.stderr)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert "Commands:" in result.stdout and "claims" in result.stdout


def test_claims_match_runs_without_flask(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'match.sqlite3'}"
    code = (
        "import sys\n"
        "from tracker.cli import main\n"
        "for args in (['db', 'upgrade'], ['claims', 'match', 'The bridge opened in 1932']):\n"
        "    try:\n"
        f"        main(['--database-url', {url!r}, *args])\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code == 0, (args, exc.code)\n"
        f"loaded = [m for m in sys.modules if m.startswith({WEB!r})]\n"
        "assert 'tracker.services.dedup.matching' in sys.modules or any(\n"
        "    m.startswith('tracker.services.dedup.matching') for m in sys.modules)\n"
        "print(loaded, file=sys.stderr)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = _python(code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


TRACKER = Path(__file__).resolve().parent.parent / "tracker"


def test_no_module_imports_another_modules_private_names() -> None:
    crossings = []
    for path in TRACKER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tracker"):
                crossings += [
                    f"{path.relative_to(TRACKER)}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    assert crossings == []


def test_services_are_grouped_by_domain() -> None:
    services = TRACKER / "services"
    top = sorted(p.stem for p in services.glob("*.py") if p.stem != "__init__")
    assert len(top) <= 12, top
    for package in (p for p in services.iterdir() if (p / "__init__.py").is_file()):
        doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "Public module" in doc, f"{package.name}/__init__.py: say what is public"


TESTS = Path(__file__).resolve().parent


def _imported_modules(source: str, package: str) -> list[str]:
    """Every module (and imported name) of ``source``, a module of ``package``; relative
    imports resolved."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join(base + ([module] if module else []))
            found.append(module)
            found += [f"{module}.{alias.name}" for alias in node.names]
    return found


def _test_imports_to_avoid(source: str, package: str) -> list[str]:
    return [
        module
        for module in _imported_modules(source, package)
        if module.startswith("tests.")
        and (
            module.rsplit(".", 1)[-1] == "conftest" or module.rsplit(".", 1)[-1].startswith("test_")
        )
    ]


def test_tests_import_helpers_not_conftest_or_other_test_modules() -> None:
    """Shared helpers live in tests/helpers/ (or beside their suite, like tests/hostile/):
    a conftest.py holds fixtures and hooks only, and no module imports from a test module."""
    crossings = []
    for path in TESTS.rglob("*.py"):
        package = ".".join(path.relative_to(TESTS.parent).parts[:-1])
        source = path.read_text(encoding="utf-8")
        crossings += [
            f"{path.relative_to(TESTS)}: {m}" for m in _test_imports_to_avoid(source, package)
        ]
    assert crossings == []


def test_the_import_check_sees_each_way_of_writing_such_an_import() -> None:
    source = (
        "from .conftest import x\n"
        "from ..conftest import y\n"
        "from tests.conftest import z\n"
        "import tests.web.test_auth\n"
        "from . import test_claims\n"
        "from tests.helpers import SEEDS\n"
        "from tests.helpers.web import csrf_token\n"
    )
    assert _test_imports_to_avoid(source, "tests.web") == [
        "tests.web.conftest",
        "tests.conftest",
        "tests.conftest",
        "tests.web.test_auth",
        "tests.web.test_claims",
    ]
