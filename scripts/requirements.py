"""requirements.txt for App Engine, from pyproject.toml: python scripts/requirements.py > requirements.txt

App Engine installs requirements.txt at the app's root: the runtime dependencies, gunicorn, and the
mutualplan package itself (the app's root, "."). A test keeps the checked-in file in step."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]


def requirements() -> str:
    """The requirements.txt text pyproject.toml calls for."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [
        "# Made by scripts/requirements.py from pyproject.toml; do not edit by hand.",
        *project["dependencies"],
        *project["optional-dependencies"]["appengine"],
        ".",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(requirements(), end="")
