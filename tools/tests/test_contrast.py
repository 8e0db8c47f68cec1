"""The design tokens keep WCAG AA contrast (tools/contrast.py, docs/design.md)."""

from tools.contrast import PAIRS, ratio, report, tokens


def test_the_formula_matches_wcag_reference_values():
    assert round(ratio("#000000", "#ffffff"), 2) == 21.0
    assert round(ratio("#767676", "#ffffff"), 2) == 4.54  # the lightest AA grey on white
    assert ratio("#777777", "#ffffff") < 4.5


def test_every_pair_of_tokens_meets_its_minimum():
    low = [f"{fg} on {bg}: {r:.2f} < {minimum}" for fg, bg, r, minimum, _ in report() if r < minimum]
    assert low == []


def test_every_pair_names_tokens_that_exist():
    values = tokens()
    assert {name for fg, bg, *_ in PAIRS for name in (fg, bg)} <= set(values)


def test_a_too_light_token_is_caught():
    css = ":root {\n  --c-text: #000000;\n  --c-bg: #ffffff;\n  --c-text-muted: #999999;\n}\n"
    assert ratio(tokens(css)["--c-text-muted"], tokens(css)["--c-bg"]) < 4.5
