"""The kernel's templates name no module: what a module unlocks is said by the module
(module.py `eligibility`), so a hromada without e-petitions never reads of petitions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
KERNEL_TEMPLATE_DIRS = [
    "hromada/accounts/templates",
    "hromada/tenancy/templates",
    "hromada/notify/templates",
    "hromada/ledger/templates",
    "hromada/core/templates",
    "templates",
]
# The style guide (/design/) shows the components with sample content of the first module;
# it is documentation for developers, not a page of the platform a resident is sent to.
EXCLUDED = {"hromada/core/templates/core/design.html"}
MODULE_WORDS = re.compile(r"петиці|petition", re.IGNORECASE)


def _kernel_templates():
    for folder in KERNEL_TEMPLATE_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if not path.is_file() or "/tests/" in relative or relative in EXCLUDED:
                continue
            if path.suffix in (".html", ".txt", ".xml"):
                yield relative


def test_the_scan_sees_the_kernel_templates():
    found = set(_kernel_templates())
    assert "hromada/accounts/templates/accounts/profile.html" in found
    assert "templates/base.html" in found and len(found) > 30


@pytest.mark.parametrize("relative", list(_kernel_templates()))
def test_a_kernel_template_names_no_module(relative):
    text = (ROOT / relative).read_text(encoding="utf-8")
    hits = [
        f"{relative}:{n}: {line.strip()[:120]}"
        for n, line in enumerate(text.splitlines(), 1)
        if MODULE_WORDS.search(line)
    ]
    assert not hits, "a kernel template names a module:\n" + "\n".join(hits)


KERNEL_APPS = ["accounts", "tenancy", "notify", "ledger", "core"]
MESSAGE = re.compile(r"""_\(\s*(?:"[^"]*"\s*)+\)""")


def test_the_kernels_messages_name_no_module():
    """The kernel apps' translated strings (forms' labels and help, messages) name no
    module either; the style guide's sample form (core/design.py) is excluded as above."""
    hits = []
    for app in KERNEL_APPS:
        for path in sorted((ROOT / "hromada" / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative or relative == "hromada/core/design.py":
                continue
            text = path.read_text(encoding="utf-8")
            for match in MESSAGE.finditer(text):
                line_start = text.rfind("\n", 0, match.start()) + 1
                if "#" in text[line_start : match.start()]:
                    continue  # an example in a comment, not a message
                if MODULE_WORDS.search(match.group(0)):
                    hits.append(f"{relative}: {match.group(0)[:120]}")
    assert not hits, "a kernel message names a module:\n" + "\n".join(hits)
