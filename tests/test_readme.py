"""README.md stays true: its commands, its example output, every rule and option."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import click
from click.testing import CliRunner

from mutualplan.adapters.templates import TemplateFolder
from mutualplan.app.services import Services
from mutualplan.bootstrap.commands import Commands
from mutualplan.cli import check, main
from mutualplan.config import settings
from mutualplan.plan import RULES
from mutualplan.plan.crm import NEVER_WRITTEN, OWNED_FIELDS
from mutualplan.plan.crm.fields import HUBSPOT_TYPES, SALESFORCE_TYPES
from mutualplan.plan.pipeline import StatusRule
from mutualplan.web import create_app

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_starts_with_exactly_two_set_up_commands() -> None:
    first_block = re.search(r"```\n(.*?)```", README, re.S)
    assert first_block
    commands = first_block.group(1).strip().splitlines()
    assert commands == [
        "pip install -e . && mutualplan demo",
        "bash scripts/test",
    ]
    assert "bash scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_example_output_in_the_readme_is_what_the_command_prints() -> None:
    shown = re.search(r"```text\n(.*?)\n```", README, re.S)
    assert shown
    result = CliRunner().invoke(
        main, ["check", "examples/regulated-buyer.xlsx", "--today", "2026-11-22"], obj=Commands()
    )
    assert result.output.rstrip("\n") == shown.group(1)


def test_every_rule_is_documented_with_its_severity() -> None:
    for rule in RULES.values():
        assert f"| `{rule.code}` | {rule.severity.value} |" in README


def test_every_option_of_check_is_documented() -> None:
    for param in check.params:
        for name in param.opts:
            if name.startswith("--") or param.param_type_name == "argument":
                assert f"`{name if name.startswith('--') else name.upper()}" in README, name


def every_command(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    """Each command and subcommand, by its full name."""
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from every_command(command, f"{full} ")
        else:
            yield full, command


def test_every_command_and_option_is_documented() -> None:
    for name, command in every_command(main):
        assert f"mutualplan {name}" in README, name
        for param in command.params:
            for option in param.opts:
                shown = option if option.startswith("--") else option.upper()
                assert shown in README, f"{name}: {option}"


def test_every_shipped_template_is_listed() -> None:
    for template in TemplateFolder().all():
        assert f"| `{template.name}` |" in README, template.name


def test_every_setting_is_documented_with_its_help() -> None:
    for setting in settings():
        assert f"| `{setting.env}` | {setting.shown_default} | {setting.help} |" in README, setting.env


def test_every_route_of_the_app_is_documented() -> None:
    app = create_app(cast(Services, None))
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            assert f"`{method} {rule.rule}`" in README, f"{method} {rule.rule}"


def test_the_layout_names_every_layer_every_domain_room_and_every_journey_module() -> None:
    layout = README[README.index("## Layout") :]
    package = ROOT / "server" / "mutualplan"
    for folder in sorted(path for path in package.iterdir() if (path / "__init__.py").exists()):
        assert f"  {folder.name}/ " in layout, folder.name
    for module in sorted((package / "app").glob("[!_]*.py")):
        assert f"{module.name} " in layout, module.name
    for room in sorted(path for path in (package / "plan").iterdir() if (path / "__init__.py").exists()):
        assert f"    {room.name}/ " in layout, f"plan/{room.name}"


def test_every_status_threshold_is_documented_with_its_default() -> None:
    for name, default, meaning in StatusRule.documented():
        assert f"| `{name}` | {default:g} | {meaning} |" in README, name


def test_every_crm_field_is_documented_with_its_names_and_types_and_what_is_never_written() -> None:
    for item in OWNED_FIELDS:
        row = f"| {item.label} | `{item.salesforce}` | {SALESFORCE_TYPES[item.kind]} | `{item.hubspot}` |"
        assert f"{row} {HUBSPOT_TYPES[item.kind]} | {item.help} |" in README, item.key
    crm = README[README.index("## CRM sync") :]
    for never in (*NEVER_WRITTEN["salesforce"], *NEVER_WRITTEN["hubspot"]):
        assert f"`{never}`" in crm[crm.index("**What is never written**") :], never
