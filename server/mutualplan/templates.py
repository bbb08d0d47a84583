"""The template library: sheets_templates/*.toml, read with tomllib."""

from __future__ import annotations

import tomllib
from pathlib import Path

from mutualplan.errors import InputError
from mutualplan.plan.template import Template, TemplateError, template_of


def templates_dir() -> Path:
    """The folder of the shipped templates, sheets_templates/ at the project root."""
    return Path(__file__).resolve().parents[2] / "sheets_templates"


def load_template(path: Path) -> Template:
    """One template file, checked against the template schema."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"template {path.stem}: {path.name} is not valid TOML ({exc})") from exc
    except OSError as exc:
        raise TemplateError(f"template {path.stem}: can't read {path} ({exc.strerror})") from exc
    return template_of(path.stem, data)


def all_templates(folder: Path | None = None) -> list[Template]:
    """Every template of the folder, by name."""
    return [load_template(path) for path in sorted((folder or templates_dir()).glob("*.toml"))]


def template_named(name: str, folder: Path | None = None) -> Template:
    """The template of that name; an InputError lists the names there are."""
    folder = folder or templates_dir()
    path = folder / f"{name}.toml"
    if "/" in name or "\\" in name or not path.is_file():
        names = ", ".join(sorted(path.stem for path in folder.glob("*.toml")))
        raise InputError(f"no template named '{name}': choose one of {names} (mutualplan templates)")
    return load_template(path)
