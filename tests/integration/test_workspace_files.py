"""The local workspace's files: readable by their owner alone, and a damaged store named with what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.test_cli import mutualplan
from tests.integration.test_cli_plans import new_local_plan


def test_the_workspaces_stores_and_mail_are_for_its_owner_alone(data: Path) -> None:
    new_local_plan(data)
    mutualplan("remind", "--today", "2026-11-23", "--data", data)
    files = ["store.sqlite", "workbooks.sqlite", "secret.key", "outbox/outbox.sqlite", "outbox/000001.eml"]
    assert {name: oct((data / name).stat().st_mode & 0o777) for name in files} == dict.fromkeys(
        files, "0o600"
    )
    folders = [data, data / "outbox"]
    assert [oct(folder.stat().st_mode & 0o777) for folder in folders] == ["0o700", "0o700"]


@pytest.mark.parametrize("damage", ["noise", "pages"])
def test_every_command_on_a_damaged_store_names_the_file_and_what_to_do(data: Path, damage: str) -> None:
    plan = new_local_plan(data)
    store = data / "store.sqlite"
    for leftover in data.glob("store.sqlite-*"):
        leftover.unlink()
    kept = bytearray(store.read_bytes())
    if damage == "noise":
        store.write_bytes(bytes(range(50)))
    else:  # the header stays, the pages after it are ruined
        kept[100:4000] = b"\xde" * 3900
        store.write_bytes(bytes(kept))
    for command in (("plans",), ("audit", "verify"), ("remind", "--today", "2026-11-23"), ("validate", plan)):
        result = mutualplan(*command, "--data", data)
        assert result.returncode == 2, command
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"mutualplan: the store {store} is damaged (")
        assert line.endswith("restore it from a backup, or move it aside to start an empty store")
