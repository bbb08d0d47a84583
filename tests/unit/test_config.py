"""Settings read from the environment: numbers parsed and checked, every documented setting in force."""

from __future__ import annotations

from pathlib import Path

import pytest

from mutualplan.config import MAX_ROWS, Config
from mutualplan.errors import InputError


def test_every_numeric_limit_is_read_from_its_variable(tmp_path: Path) -> None:
    env = {
        "MUTUALPLAN_MAX_ROWS": "500", "MUTUALPLAN_MAX_COLUMNS": "12", "MUTUALPLAN_MAX_CELL_CHARS": "900",
        "MUTUALPLAN_MAX_FILE_MB": "3", "MUTUALPLAN_MAX_UNZIPPED_MB": " 7 ",
        "MUTUALPLAN_SYNC_WINDOW_SECONDS": "2.5",
    }  # fmt: skip
    config = Config.from_env(env, data=tmp_path)
    limits = (config.max_rows, config.max_columns, config.max_cell_chars)
    assert (*limits, config.max_file_mb, config.max_unzipped_mb) == (500, 12, 900, 3, 7)
    assert config.sync_window_seconds == 2.5


def test_an_unset_limit_keeps_its_default(tmp_path: Path) -> None:
    assert Config.from_env({}, data=tmp_path).max_rows == MAX_ROWS


@pytest.mark.parametrize("text", ["lots", "0", "-5", "2.5", "9" * 5000])
def test_a_limit_that_is_not_a_whole_number_above_zero_says_what_it_takes(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError, match=r"MUTUALPLAN_MAX_ROWS takes a whole number above 0, such as 20000"):
        Config.from_env({"MUTUALPLAN_MAX_ROWS": text}, data=tmp_path)


@pytest.mark.parametrize("text", ["soon", "-1", "nan", "inf"])
def test_a_sync_window_that_is_not_a_number_says_what_it_takes(tmp_path: Path, text: str) -> None:
    with pytest.raises(
        InputError, match=r"MUTUALPLAN_SYNC_WINDOW_SECONDS takes a number, 0 or more, such as 10"
    ):
        Config.from_env({"MUTUALPLAN_SYNC_WINDOW_SECONDS": text}, data=tmp_path)
