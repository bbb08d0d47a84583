"""The deploy files stay true to the app: the add-on descriptor, app.yaml, cron.yaml, requirements.txt."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

import yaml
from flask import Flask

from mutualplan.adapters.google.identity import SCOPES
from mutualplan.adapters.google.tasks import QUEUES
from mutualplan.app.google_check import QUEUE_MOST
from mutualplan.app.services import Services
from mutualplan.bootstrap.local import local_services
from mutualplan.config import Config
from mutualplan.web import create_app

ROOT = Path(__file__).parents[1]


def app() -> Flask:
    return create_app(cast(Services, None))


def routes(method: str) -> set[str]:
    return {rule.rule for rule in app().url_map.iter_rules() if method in (rule.methods or set())}


def run_functions(node: Any) -> list[str]:
    """Every runFunction URL in a descriptor."""
    if isinstance(node, dict):
        found = [node["runFunction"]] if "runFunction" in node else []
        return found + [url for value in node.values() for url in run_functions(value)]
    if isinstance(node, list):
        return [url for value in node for url in run_functions(value)]
    return []


def test_every_run_function_of_the_add_on_descriptor_is_a_post_route_of_the_app() -> None:
    descriptor = json.loads((ROOT / "addon" / "deployment.json").read_text(encoding="utf-8"))
    urls = run_functions(descriptor)
    assert len(urls) == 3
    for url in urls:
        assert urlparse(url).path in routes("POST"), url
    assert {f"{urlparse(url).scheme}://{urlparse(url).netloc}/" for url in urls} == set(
        descriptor["addOns"]["common"]["openLinkUrlPrefixes"]
    )
    assert descriptor["addOns"]["httpOptions"]["authorizationHeader"] == "SYSTEM_ID_TOKEN"


def test_the_add_on_asks_for_the_least_scopes_and_the_offline_grant_for_no_more() -> None:
    descriptor = json.loads((ROOT / "addon" / "deployment.json").read_text(encoding="utf-8"))
    file_and_who = {
        "https://www.googleapis.com/auth/drive.file",
        "https://www.googleapis.com/auth/userinfo.email",
    }
    assert set(descriptor["oauthScopes"]) == file_and_who  # mail goes out on the offline grant alone
    assert descriptor["addOns"]["httpOptions"]["granularOauthPermissionSupport"] == "OPT_IN"
    assert set(SCOPES) == file_and_who | {"openid", "https://www.googleapis.com/auth/gmail.send"}


def test_every_cron_job_calls_a_route_that_answers_cron_only(tmp_path: Path) -> None:
    jobs = re.findall(r"^\s+url: (\S+)$", (ROOT / "cron.yaml").read_text(encoding="utf-8"), re.M)
    crons = {rule for rule in routes("GET") if rule.startswith("/cron/")}
    assert set(jobs) == crons - {"/cron/sync-due"}  # Cloud Tasks runs syncs: no job every minute
    client = create_app(local_services(Config.from_env({}, data=tmp_path))).test_client()
    for url in jobs:
        assert client.get(url).status_code == 403, url


def test_app_yaml_runs_gunicorn_on_the_wsgi_factory_and_keeps_secrets_out_of_the_repo() -> None:
    text = (ROOT / "app.yaml").read_text(encoding="utf-8")
    assert "runtime: python313" in text
    assert "'wsgi:create()'" in text
    assert "secrets.yaml" in text
    assert "secrets.yaml" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    variables = set(re.findall(r"^  (MUTUALPLAN_\w+):", text, re.M))
    assert {"MUTUALPLAN_PUBLIC_URL", "MUTUALPLAN_TASKS_LOCATION", "MUTUALPLAN_TASKS_ACCOUNT"} <= variables
    assert not variables & {
        "MUTUALPLAN_SECRET_KEY",
        "MUTUALPLAN_OAUTH_CLIENT_SECRET",
        "MUTUALPLAN_DATABASE_URL",
    }
    import wsgi  # the entry point gunicorn loads

    assert callable(wsgi.create)


def test_requirements_txt_is_what_pyproject_calls_for() -> None:
    made = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "requirements.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert (ROOT / "requirements.txt").read_text(encoding="utf-8") == made.stdout


def test_gcloudignore_leaves_tests_and_tools_out_of_the_upload() -> None:
    ignored = (ROOT / ".gcloudignore").read_text(encoding="utf-8").split()
    assert {"tests/", "benchmarks/", ".git", "scripts/"} <= set(ignored)
    # gcloud reads secrets.yaml on this machine for app.yaml's includes; the upload must not carry it.
    assert "secrets.yaml" in ignored


def test_queue_yaml_names_a_queue_for_every_job_and_the_deployers_guide_creates_each_at_its_rates() -> None:
    queues = {queue["name"]: queue for queue in yaml.safe_load((ROOT / "queue.yaml").read_text())["queue"]}
    assert set(queues) == set(QUEUES.values())
    for name, bound in QUEUE_MOST.items():
        if bound is not None:  # a third of Sheets' quota; HubSpot's for one portal
            assert float(queues[name]["rate"].removesuffix("/s")) <= bound.most, name
    guide = (ROOT / "docs" / "deployers.md").read_text(encoding="utf-8")
    for name, queue in queues.items():
        command = re.search(rf"gcloud tasks queues create {name} .*?--max-backoff \S+", guide, re.S)
        assert command is not None, name
        flags = command.group(0)
        assert f"--max-dispatches-per-second {queue['rate'].removesuffix('/s')} " in flags, name
        assert f"--max-concurrent-dispatches {queue['max_concurrent_requests']} " in flags, name
        assert f"--max-attempts {queue['retry_parameters']['task_retry_limit']} " in flags, name
