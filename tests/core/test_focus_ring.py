"""The focus ring is at least 3:1 against what it is drawn on (WCAG 2.2 SC 1.4.11 non-text
contrast): the light pages, and the dark top bar and menu."""

import re
from pathlib import Path

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "portal.css").read_text()


def _colour(name: str) -> str:
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS).group(1)


def _luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.2 definition)."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_formula_matches_wcag():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#f59e0b", "#ffffff"), 2) == 2.15  # the old ring: too faint


def test_the_focus_ring_is_three_to_one_on_light_pages():
    for background in ("paper", "soft"):
        assert contrast(_colour("focus"), _colour(background)) >= 3


def test_the_focus_ring_is_three_to_one_on_the_dark_top_bar():
    assert contrast(_colour("focus-on-dark"), _colour("brand")) >= 3
    assert contrast(_colour("focus-on-dark"), "#083d54") >= 3  # the menu row
    assert (
        ".topbar :focus-visible, .mainnav :focus-visible { outline-color: var(--focus-on-dark); }"
        in CSS
    )
