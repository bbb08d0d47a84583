"""README.md stays short and true: its two set-up commands, and a link to each page of the guide."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MOST_LINES = 150


def test_the_readme_starts_with_exactly_two_set_up_commands() -> None:
    first_block = re.search(r"```\n(.*?)```", README, re.S)
    assert first_block
    commands = first_block.group(1).strip().splitlines()
    assert commands == [
        "pip install -e . && mutualplan demo",
        "bash scripts/test",
    ]
    assert "bash scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_is_short() -> None:
    assert len(README.splitlines()) < MOST_LINES


def test_the_readme_links_to_every_page_of_the_guide_and_each_link_is_a_page() -> None:
    pages = {path.relative_to(ROOT).as_posix() for path in (ROOT / "docs").rglob("*.md")}
    linked = set(re.findall(r"\]\((docs/[^)#]+\.md)(?:#[^)]*)?\)", README))
    assert linked == pages - {"docs/index.md"}
