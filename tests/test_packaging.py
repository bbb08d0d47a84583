"""The package as a user installs it: a wheel, installed normally, finds its templates and static files."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from datetime import date, timedelta
from pathlib import Path

import mutualplan

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A command that must succeed; its output in the failure when it does not."""
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


def test_every_package_under_server_is_listed_for_the_wheel() -> None:
    server = Path(mutualplan.__file__).parents[1]
    found = {
        ".".join(path.parent.relative_to(server).parts)
        for path in (server / "mutualplan").rglob("__init__.py")
    }
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert listed == found | {"mutualplan.sheets_templates"}
    assert PYPROJECT["tool"]["setuptools"]["package-dir"]["mutualplan.sheets_templates"] == "sheets_templates"


def test_the_wheel_installed_outside_the_repository_lists_templates_and_stamps_a_plan(tmp_path: Path) -> None:
    wheels, env, elsewhere = tmp_path / "wheels", tmp_path / "env", tmp_path / "elsewhere"
    elsewhere.mkdir()
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, ROOT, cwd=tmp_path)
    (wheel,) = wheels.glob("mutualplan-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    static = ROOT / "server" / "mutualplan" / "web" / "static"
    assert {f"mutualplan/web/static/{path.name}" for path in static.iterdir()} <= names
    assert "mutualplan/app/fonts/DejaVuSans.ttf" in names  # the PNG timeline's type
    # The dependencies come from this environment (a virtualenv too: --system-site-packages would reach
    # past it, to a Python without them), as a path after the new one's own; mutualplan only from the
    # wheel (a path's .pth files are not read, so an editable install of the repository stays out).
    run(sys.executable, "-m", "venv", env, cwd=tmp_path)
    python = env / "bin" / "python"
    own = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path)
    ours = dict.fromkeys(sysconfig.get_paths()[name] for name in ("purelib", "platlib"))
    (Path(own.stdout.strip()) / "dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    run(python, "-m", "pip", "install", "--no-deps", "--quiet", wheel, cwd=tmp_path)
    where = run(python, "-c", "import mutualplan; print(mutualplan.__file__)", cwd=elsewhere).stdout
    assert where.startswith(str(env)), where

    command = env / "bin" / "mutualplan"
    listed = json.loads(run(command, "templates", "--json", cwd=elsewhere).stdout)
    shipped = sorted(path.stem for path in (ROOT / "sheets_templates").glob("*.toml"))
    assert sorted(item["name"] for item in listed) == shipped
    go_live = (date.today() + timedelta(days=400)).isoformat()
    new = [
        "new",
        "--template",
        "regulated-buyer",
        "--go-live",
        go_live,
        "--local",
        "--owner",
        "sam@vendor.io",
    ]
    stamped = json.loads(run(command, *new, "--data", elsewhere / "data", "--json", cwd=elsewhere).stdout)
    assert stamped["tab"] == "MAP"
    shown = json.loads(
        run(command, "sheet", "show", stamped["plan"], "--data", "data", "--json", cwd=elsewhere).stdout
    )
    assert "Customer confirmed" in [cell for row in shown["rows"] for cell in row]
