"""The guide stays true: each reference page is what the code declares (rules, settings, commands,
endpoints) and misses nothing the code has; the audience pages hold what the code holds (the example's
output, the templates, the status rule, the CRM fields, the layout); every picture is one the browser
tests still take; every link within the guide, and from the README into it, lands on a heading."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from click.testing import CliRunner
from docs.images import FOLDER as PICTURE_FOLDER
from docs.images import PICTURES, TALLEST
from docs.reference_pages import FOLDER, PAGES, commands
from markdown.extensions.toc import slugify
from PIL import Image

from mutualplan.adapters.templates import TemplateFolder
from mutualplan.app.links import CONFIRM_DAYS
from mutualplan.app.services import Services
from mutualplan.bootstrap.commands import Commands
from mutualplan.cli import main
from mutualplan.config import settings
from mutualplan.plan import RULES
from mutualplan.plan.crm import NEVER_WRITTEN, OWNED_FIELDS
from mutualplan.plan.crm.fields import HUBSPOT_TYPES, SALESFORCE_TYPES
from mutualplan.plan.pipeline import StatusRule
from mutualplan.web import create_app

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
AUDIENCES = ("sellers.md", "buyers.md", "managers.md", "deployers.md", "how-it-works.md")


def page(name: str) -> str:
    """A page of the guide, as written."""
    return (DOCS / name).read_text(encoding="utf-8")


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
    endpoints = (FOLDER / "endpoints.md").read_text(encoding="utf-8")
    app = create_app(cast(Services, None))
    for rule in (found for found in app.url_map.iter_rules() if found.endpoint != "static"):
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            assert f"| `{method} {rule.rule}` |" in endpoints, f"{method} {rule.rule}"


def test_the_sites_first_command_is_the_readmes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    first = readme.split("```\n", 2)[1].splitlines()[0]  # the README's first set-up command
    assert first == "pip install -e . && mutualplan demo"
    assert f"```sh\n{first}\n```" in index


def test_the_buyers_page_says_what_the_product_does_with_their_link() -> None:
    page = (ROOT / "docs" / "buyers.md").read_text(encoding="utf-8")
    assert f"works for {CONFIRM_DAYS} days" in page  # the link's own lifetime, as the links are sealed


def test_the_sellers_example_output_is_what_the_command_prints() -> None:
    shown = re.search(r"```text\n(.*?)\n```", page("sellers.md"), re.S)
    assert shown
    result = CliRunner().invoke(
        main, ["check", "examples/regulated-buyer.xlsx", "--today", "2026-11-22"], obj=Commands()
    )
    assert result.output.rstrip("\n") == shown.group(1)


def test_every_shipped_template_is_listed_for_sellers() -> None:
    for template in TemplateFolder().all():
        assert f"| `{template.name}` |" in page("sellers.md"), template.name


def test_every_status_threshold_is_given_to_managers_with_its_default() -> None:
    for name, default, meaning in StatusRule.documented():
        assert f"| `{name}` | {default:g} | {meaning} |" in page("managers.md"), name


def test_every_crm_field_is_given_with_its_names_and_types_and_what_is_never_written() -> None:
    managers = page("managers.md")
    for item in OWNED_FIELDS:
        row = f"| {item.label} | `{item.salesforce}` | {SALESFORCE_TYPES[item.kind]} | `{item.hubspot}` |"
        assert f"{row} {HUBSPOT_TYPES[item.kind]} | {item.help} |" in managers, item.key
    never = managers[managers.index("**What is never written**") :]
    for name in (*NEVER_WRITTEN["salesforce"], *NEVER_WRITTEN["hubspot"]):
        assert f"`{name}`" in never, name


def test_the_layout_names_every_layer_every_domain_room_and_every_journey_module() -> None:
    how = page("how-it-works.md")
    layout = how[how.index("## Where the code lives") :]
    package = ROOT / "server" / "mutualplan"
    for folder in sorted(path for path in package.iterdir() if (path / "__init__.py").exists()):
        assert f"  {folder.name}/ " in layout, folder.name
    for module in sorted((package / "app").glob("[!_]*.py")):
        assert f"{module.name} " in layout, module.name
    for room in sorted(path for path in (package / "plan").iterdir() if (path / "__init__.py").exists()):
        assert f"    {room.name}/ " in layout, f"plan/{room.name}"


def screenshots_taken() -> Iterator[re.Pattern[str]]:
    """Each screenshot name the browser tests take, as a pattern (an f-string's fields match anything)."""
    for source in sorted((ROOT / "tests" / "e2e").glob("test_*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or getattr(node.func, "id", None) != "shot":
                continue
            if len(node.args) == 2:
                name = node.args[1]
                if isinstance(name, ast.Constant):
                    yield re.compile(re.escape(str(name.value)))
                elif isinstance(name, ast.JoinedStr):
                    yield re.compile(
                        "".join(
                            re.escape(str(part.value)) if isinstance(part, ast.Constant) else ".+"
                            for part in name.values
                        )
                    )


def pictures_embedded(text: str, folder: str) -> list[str]:
    """The guide's pictures a page embeds."""
    return re.findall(rf"!\[[^\]]+\]\({re.escape(folder)}([^)]+)\)", text)


def test_every_picture_is_a_screenshot_the_browser_tests_still_take() -> None:
    taken = list(screenshots_taken())
    for name, shot in PICTURES.items():
        assert any(pattern.fullmatch(shot) for pattern in taken), f"{name}: no browser test takes {shot}"
        assert (PICTURE_FOLDER / name).is_file(), f"docs/img/{name} missing: run python -m docs.images"
    for name, most in TALLEST.items():
        with Image.open(PICTURE_FOLDER / name) as picture:
            assert picture.height <= most, f"docs/img/{name} is a whole page: run python -m docs.images"


def test_every_page_embeds_only_the_guides_pictures_and_each_audience_has_one() -> None:
    embedded = {name: pictures_embedded(page(name), "img/") for name in AUDIENCES}
    embedded["README.md"] = pictures_embedded((ROOT / "README.md").read_text(encoding="utf-8"), "docs/img/")
    for name, pictures in embedded.items():
        assert set(pictures) <= set(PICTURES), name
    assert all(embedded[name] for name in AUDIENCES)
    assert {picture for pictures in embedded.values() for picture in pictures} == set(PICTURES)


def anchors(text: str) -> set[str]:
    """The anchors MkDocs gives a page's headings."""
    return {slugify(heading, "-") for heading in re.findall(r"^#+ (.+)$", text, re.M)}


def test_every_link_from_the_readme_into_the_guide_lands_on_a_heading() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target, anchor in re.findall(r"\]\(docs/([^)#]+\.md)#([^)]+)\)", readme):
        assert anchor in anchors(page(target)), f"{target}#{anchor}"
