"""`mutualplan demo`, the README's main command: seeds once, serves the sandbox on loopback, reuses it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mutualplan.bootstrap.pipeline_demo import MANAGER_SHEET, STORIES

SCRIPT = Path(sys.executable).parent / "mutualplan"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def demo(data: Path, port: int) -> Iterator[list[str]]:
    """The demo running; its output lines so far."""
    env = {**os.environ, "MUTUALPLAN_DATA": str(data)}
    process = subprocess.Popen(
        [str(SCRIPT), "demo", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    lines: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line.strip())
            if "mutualplan sandbox:" in line:
                break
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield lines
    finally:
        process.terminate()
        process.wait(timeout=10)


def state(port: int) -> dict[str, list[dict[str, str]]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/sandbox/api/state", timeout=5) as answer:
        loaded: dict[str, list[dict[str, str]]] = json.load(answer)
        return loaded


def test_demo_seeds_a_sample_deal_once_and_serves_the_sandbox_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    with demo(tmp_path, port) as lines:
        assert f"mutualplan sandbox: http://127.0.0.1:{port}  (Ctrl-C stops it)" in lines
        assert any(line.startswith("A sample deal is ready") for line in lines)
        guide = f"http://127.0.0.1:{port}/docs/"
        said = [line for line in lines if line.endswith(guide)]  # a checkout: its guide, built or to build
        assert said in ([f"The guide: {guide}"], [f"The guide, once built (mkdocs build): {guide}"])
        try:
            served = urllib.request.urlopen(guide, timeout=5).status
        except urllib.error.HTTPError as refused:
            served = refused.code
        assert served == (200 if said == [f"The guide: {guide}"] else 404)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
        assert "mutualplan — sandbox" in page
        first = state(port)["spreadsheets"]
        assert [sheet["title"] for sheet in first] == [
            "Northwind Bank — Credit-model monitoring",  # the worked example, first
            *(story.title for story in STORIES),  # the pipeline's deals, with their weeks of history
            MANAGER_SHEET,  # and their manager's Pipeline spreadsheet
        ]
    with demo(tmp_path, port) as lines:
        assert not any(line.startswith("A sample deal is ready") for line in lines)
        assert state(port)["spreadsheets"] == first


def test_a_demo_on_a_busy_port_says_so_in_one_line_and_announces_no_address(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "MUTUALPLAN_DATA": str(tmp_path)}
        done = subprocess.run(
            [str(SCRIPT), "demo", "--port", str(port)], env=env, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"mutualplan: port {port} is in use (")
    assert line.endswith("): run mutualplan demo --port N")
    assert "mutualplan sandbox:" not in done.stdout


def test_the_commands_links_point_where_the_demo_served(tmp_path: Path) -> None:
    port = free_port()
    with demo(tmp_path, port):
        pass
    env = {**os.environ, "MUTUALPLAN_DATA": str(tmp_path)}
    listed = subprocess.run(
        [str(SCRIPT), "plans", "--json"], env=env, capture_output=True, text=True, timeout=60
    )
    plan = json.loads(listed.stdout)[0]["plan"]  # the worked example
    link = subprocess.run(
        [str(SCRIPT), "plan-link", plan], env=env, capture_output=True, text=True, timeout=60
    )
    assert f"http://127.0.0.1:{port}/join/" in link.stdout
