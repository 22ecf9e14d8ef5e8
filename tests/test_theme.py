"""Both themes reach WCAG AA for every text colour on every background the app draws
(issue 16, "Looks"; soc2_tui/tui/theme.py)."""

from __future__ import annotations

import pytest

from soc2_tui.tui import theme
from soc2_tui.tui.app import DARK_THEME, LIGHT_THEME, Soc2App


def make_app(store, q) -> Soc2App:
    return Soc2App(store, q, respondent="Tess")


def test_the_contrast_formula_matches_wcags_reference_values():
    assert theme.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert theme.contrast("#0178D4", "#D0D0D0") < 3  # the light theme's old footer key colour


@pytest.mark.parametrize("name", [DARK_THEME, LIGHT_THEME])
async def test_every_text_colour_reaches_aa_on_every_background(store, q, name):
    app = make_app(store, q)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = name
        await pilot.pause()
        variables = app.theme_variables
        assert theme.contrast_problems(variables) == []
        assert {app.theme} <= {theme.DARK, theme.LIGHT}
