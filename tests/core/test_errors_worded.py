"""Errors raised with a catalog word: English in ``str``, the user's language at the edge."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ecoplan.cli import app
from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.core.words.purity import foreign
from ecoplan.domains import domains


def test_worded_error_speaks_both_languages() -> None:
    domains()
    exc = NotFound.worded("water.error.no_samples", year=2031, command="ecoplan water load")
    assert isinstance(exc, NotFound) and isinstance(exc, LookupError)
    assert str(exc) == exc.message("en") == "no water samples in 2031; load some with `ecoplan water load`"
    zh = exc.message("zh")
    assert "2031年没有地表水监测数据" in zh and foreign(zh, "zh", allowed=("ecoplan water load",)) == []
    assert exc.key == "water.error.no_samples" and exc.params["year"] == 2031


def test_plain_error_is_its_text_in_every_language() -> None:
    exc = EcoplanError("file.csv: row 3: bad value")
    assert exc.key is None and exc.message("zh") == exc.message("en") == str(exc)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_command_line_shows_the_error_in_its_language(tmp_path, lang: str) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "e.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    res = runner.invoke(app, ["water", "classify", "--year", "2031", "--db", db, "--lang", lang])
    assert res.exit_code == 1
    text = res.output
    assert ("2031年没有地表水监测数据" in text) == (lang == "zh")
    assert ("no water samples in 2031" in text) == (lang == "en")
