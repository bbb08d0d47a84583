"""The template library: TOML files read with tomllib, by default the ones shipped inside the package
(sheets_templates/ at the project root is the package data mutualplan.sheets_templates)."""

from __future__ import annotations

import tomllib
from importlib import resources
from importlib.resources.abc import Traversable

from mutualplan.errors import InputError
from mutualplan.plan.dates.template import Template, TemplateError, template_of

SHIPPED = "mutualplan.sheets_templates"


class TemplateFolder:
    """The templates of one folder; an ordinary install finds the shipped ones through importlib.resources."""

    def __init__(self, folder: Traversable | None = None) -> None:
        self.folder = folder or resources.files(SHIPPED)

    def _files(self) -> list[Traversable]:
        return sorted(
            (item for item in self.folder.iterdir() if item.name.endswith(".toml")),
            key=lambda item: item.name,
        )

    def all(self) -> list[Template]:
        """Every template, by name."""
        return [_load(item) for item in self._files()]

    def named(self, name: str) -> Template:
        """The template of that name; an InputError lists the names there are."""
        found = next((item for item in self._files() if item.name == f"{name}.toml"), None)
        if found is None:
            names = ", ".join(item.name.removesuffix(".toml") for item in self._files())
            raise InputError(f"no template named '{name}': choose one of {names} (mutualplan templates)")
        return _load(found)


def _load(item: Traversable) -> Template:
    """One template file, checked against the template schema."""
    name = item.name.removesuffix(".toml")
    try:
        data = tomllib.loads(item.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"template {name}: {item.name} is not valid TOML ({exc})") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"template {name}: can't read {item.name} ({exc})") from exc
    return template_of(name, data)
