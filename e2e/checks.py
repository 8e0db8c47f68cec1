"""Checks every browser test of the design system runs on a page (e2e/test_design.py,
e2e/test_pages_axe.py): no horizontal overflow on a phone, no serious axe finding."""

from __future__ import annotations

from e2e.conftest import SCREENSHOTS, axe_serious

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = {"390": PHONE, "1280": DESKTOP}

# The elements wider than the viewport, to say what overflows rather than only that it does.
_OVERFLOW_JS = """() => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const culprits = [];
  if (doc.scrollWidth > width + 1) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && r.width > 0) {
        const id = el.id ? '#' + el.id : '';
        const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
        culprits.push(el.tagName.toLowerCase() + id + cls + ' right=' + Math.round(r.right));
        if (culprits.length >= 8) break;
      }
    }
  }
  return {scroll: doc.scrollWidth, client: width, culprits: culprits};
}"""


def overflow(page) -> dict | None:
    """None when the page fits its viewport's width, else what sticks out."""
    result = page.evaluate(_OVERFLOW_JS)
    return None if result["scroll"] <= result["client"] + 1 else result


def shot(page, folder: str, name: str) -> None:
    path = SCREENSHOTS / folder
    path.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path / f"{name}.png"), full_page=True)


def check_page(page, *, folder: str, name: str) -> list[str]:
    """Screenshot the page, then return its problems (overflow at phone width, axe)."""
    problems = []
    shot(page, folder, name)
    width = page.viewport_size["width"] if page.viewport_size else 0
    if width <= PHONE["width"]:
        sticking_out = overflow(page)
        if sticking_out:
            problems.append(f"{name}: horizontal overflow {sticking_out}")
    violations = axe_serious(page)
    if violations:
        problems.append(f"{name}: axe {violations}")
    return problems
