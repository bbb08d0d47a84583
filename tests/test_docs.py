"""The documentation site stays true: each reference page is what the code declares (rules, settings,
commands, endpoints), nothing the code has is missing from it, and its first command is the README's."""

from __future__ import annotations

from pathlib import Path

import pytest
from docs.reference_pages import FOLDER, PAGES, commands

from mutualplan.app.links import CONFIRM_DAYS
from mutualplan.cli import main
from mutualplan.config import settings
from mutualplan.plan import RULES

ROOT = Path(__file__).parents[1]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_reference_page_is_what_the_code_declares(name: str) -> None:
    on_disk = (FOLDER / name).read_text(encoding="utf-8")
    assert on_disk == PAGES[name](), f"docs/reference/{name} is stale: run python -m docs.reference_pages"


def test_every_rule_setting_and_command_has_its_place_in_the_reference() -> None:
    rules = (FOLDER / "rules.md").read_text(encoding="utf-8")
    assert all(f"| `{code}` |" in rules for code in RULES)
    listed = (FOLDER / "settings.md").read_text(encoding="utf-8")
    assert all(f"| `{item.env}` |" in listed for item in settings())
    documented = (FOLDER / "commands.md").read_text(encoding="utf-8")
    assert all(f"## `mutualplan {name}" in documented for name, _ in commands(main))


def test_the_sites_first_command_is_the_readmes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    first = readme.split("```\n", 2)[1].splitlines()[0]  # the README's first set-up command
    assert first == "pip install -e . && mutualplan demo"
    assert f"```sh\n{first}\n```" in index


def test_the_buyers_page_says_what_the_product_does_with_their_link() -> None:
    page = (ROOT / "docs" / "buyers.md").read_text(encoding="utf-8")
    assert f"works for {CONFIRM_DAYS} days" in page  # the link's own lifetime, as the links are sealed
