"""The kernel never imports a module (hromada/core/modules.py): no file of core, tenancy,
accounts, ledger, notify or api, outside its tests and migrations, has an import
statement naming another hromada package. A module is reached through the registry
(dotted paths in its module.py), so dotted-path strings are not imports; an import
inside a function is one."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

KERNEL = ("core", "tenancy", "accounts", "ledger", "notify", "api")
HROMADA = Path(settings.BASE_DIR) / "hromada"
SKIPPED_DIRS = {"tests", "migrations", "__pycache__"}


def kernel_files(root: Path = HROMADA) -> list[Path]:
    files = []
    for app in KERNEL:
        for path in sorted((root / app).rglob("*.py")):
            if not SKIPPED_DIRS & set(path.relative_to(root / app).parts[:-1]):
                files.append(path)
    return files


def _package_of(path: Path, root: Path) -> list[str]:
    """The package a file's relative imports start from (its folder), as dotted parts."""
    return ["hromada", *path.relative_to(root).parts[:-1]]


def imported_modules(path: Path, root: Path = HROMADA) -> list[tuple[int, str]]:
    """(line, dotted module) of every import statement in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _package_of(path, root)
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from hromada import petitions` imports the package named after the dot.
            if module == "hromada":
                found.extend((node.lineno, f"hromada.{alias.name}") for alias in node.names)
    return found


def domain_imports(files: list[Path], root: Path = HROMADA) -> list[str]:
    problems = []
    for path in files:
        for line, module in imported_modules(path, root):
            parts = module.split(".")
            if parts[0] == "hromada" and len(parts) > 1 and parts[1] not in KERNEL:
                problems.append(f"{path.relative_to(root.parent)}:{line}: imports {module}")
    return problems


def test_kernel_files_are_found():
    files = kernel_files()
    names = {str(p.relative_to(HROMADA)) for p in files}
    assert {"core/modules.py", "ledger/services.py", "accounts/rules.py", "api/api.py"} <= names
    assert not [n for n in names if "/tests/" in n or "/migrations/" in n]


def test_the_kernel_imports_no_domain_app():
    problems = domain_imports(kernel_files())
    assert not problems, "the kernel imports a module; reach it through the registry instead:\n" + "\n".join(
        problems
    )


def test_the_kernel_tests_import_no_domain_app_either():
    """So they run without any module (`TEST_WITHOUT=petitions`): they use the test-only
    sample module (hromada/core/tests/sample), and what needs petitions is tested there."""
    tests = [p for app in KERNEL for p in sorted((HROMADA / app / "tests").rglob("*.py"))]
    assert len(tests) > 20
    problems = domain_imports([*tests, HROMADA.parent / "conftest.py"])
    assert not problems, "\n".join(problems)


def test_the_check_finds_every_form_of_a_domain_import(tmp_path):
    root = tmp_path / "hromada"
    (root / "ledger").mkdir(parents=True)
    (root / "ledger" / "tests").mkdir()
    (root / "ledger" / "__init__.py").write_text("")
    (root / "ledger" / "views.py").write_text(
        "from hromada.petitions import models\n"
        "import hromada.petitions.selectors\n"
        "from hromada import petitions\n"
        "from ..petitions.models import Petition\n"
        "def view():\n"
        "    from hromada.budget.models import Project\n"
        "from hromada.core.modules import registry\n"
        "from . import models as own\n"
        "from .. import accounts\n"
        "import_string('hromada.petitions.selectors.rows')\n"
        "PATH = 'hromada.petitions.tasks.tick'\n"
    )
    (root / "ledger" / "tests" / "test_x.py").write_text("from hromada.petitions import models\n")
    files = [p for p in sorted(root.rglob("*.py")) if "tests" not in p.parts]
    assert domain_imports(files, root) == [
        "hromada/ledger/views.py:1: imports hromada.petitions",
        "hromada/ledger/views.py:2: imports hromada.petitions.selectors",
        "hromada/ledger/views.py:3: imports hromada.petitions",
        "hromada/ledger/views.py:4: imports hromada.petitions.models",
        "hromada/ledger/views.py:6: imports hromada.budget.models",
    ]
