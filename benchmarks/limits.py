"""`mutualplan check` on hostile files (../shared/BAD_INPUTS.md 32 and 33): each must stop at its limit in
under 5 s and 300 MB, with exit 2 and one line (a 7e30 date: read, and a finding). Run:
python -m benchmarks.limits
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.hostile_files import HOSTILE

BUDGET_SECONDS, BUDGET_MB = 5.0, 300


def measured(path: Path) -> tuple[float, float, int, str]:
    """Seconds, peak resident MB, exit status and stderr of one `mutualplan check`."""
    command = shutil.which("mutualplan")
    assert command, "the console script is not installed: pip install -e ."
    started = time.perf_counter()
    process = subprocess.Popen(
        [command, "check", str(path), "--today", "2026-11-22"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    said = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, process.returncode, said.strip()


def main() -> None:
    within = True
    with tempfile.TemporaryDirectory() as folder:
        for name, make in HOSTILE.items():
            path = make(Path(folder))
            seconds, peak, code, said = measured(path)
            ok = seconds < BUDGET_SECONDS and peak < BUDGET_MB and len(said.splitlines()) <= 1
            within = within and ok
            shown = said.splitlines()[0][:90] if said else "(nothing on stderr)"
            print(f"{name:<30} {seconds:5.2f} s {peak:6.0f} MB  exit {code}  {shown}")
    verdict = "within" if within else "OVER"
    print(f"budget: each under {BUDGET_SECONDS:.0f} s and {BUDGET_MB} MB, one line — {verdict}")


if __name__ == "__main__":
    main()
