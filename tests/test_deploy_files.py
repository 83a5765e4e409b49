"""The deploy files agree with the code: ports, probe paths, settings names, scripts.

No Docker engine or cluster is needed: the files are parsed and the scripts the
image runs are run here directly (install.sh in dry-run mode, entrypoint.sh for real).
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.adapters.metrics import REGISTRY
from bot.settings import HELP, Settings

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
DEFAULT_PORT = Settings().port
VENV_BIN = Path(sys.executable).parent
# Variables the image sets for Python itself, not settings of the bot.
RUNTIME_VARIABLES = {"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in (DEPLOY / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in logical]


def instructions(name: str) -> list[str]:
    return [args for instruction, args in dockerfile_instructions() if instruction == name]


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def k8s_documents() -> list[dict[str, Any]]:
    documents = []
    for path in sorted(K8S.glob("*.yaml")):
        documents.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc)
    return documents


def k8s(kind: str) -> dict[str, Any]:
    [document] = [doc for doc in k8s_documents() if doc.get("kind") == kind]
    return document


def bot_container() -> dict[str, Any]:
    [container] = k8s("Deployment")["spec"]["template"]["spec"]["containers"]
    return container


def test_dockerfile_is_multi_stage_on_python_slim() -> None:
    """Every stage starts from python:3.11-slim and there is a build and a runtime stage."""
    bases = [args.split()[0] for args in instructions("FROM")]
    assert len(bases) >= 2
    assert set(bases) == {"python:3.11-slim"}


def test_dockerfile_runs_as_a_numeric_non_root_user() -> None:
    """The final USER is a numeric non-zero uid, so runAsNonRoot can verify it."""
    user = instructions("USER")[-1].split(":")[0]
    assert user.isdigit() and int(user) != 0


def test_dockerfile_exposes_the_default_port() -> None:
    """EXPOSE matches the PORT default of the settings and the PORT the image sets."""
    assert instructions("EXPOSE") == [str(DEFAULT_PORT)]
    env = " ".join(instructions("ENV"))
    assert f"PORT={DEFAULT_PORT}" in env


def test_dockerfile_env_names_are_settings_or_runtime() -> None:
    """Every variable the image sets is either a documented setting or Python's own."""
    names = {
        assignment.split("=", 1)[0]
        for args in instructions("ENV")
        for assignment in shlex.split(args)
    }
    assert names - RUNTIME_VARIABLES <= set(HELP)


def test_dockerfile_installs_with_install_sh_and_starts_with_entrypoint_sh() -> None:
    """The image's install and start steps are the scripts the tests run."""
    assert "deploy/install.sh /opt/venv" in instructions("RUN")
    assert json.loads(instructions("ENTRYPOINT")[0]) == ["entrypoint.sh"]
    assert json.loads(instructions("CMD")[0]) == ["serve"]
    [healthcheck] = instructions("HEALTHCHECK")
    assert healthcheck.endswith('CMD ["entrypoint.sh", "--healthcheck"]')


def test_dockerfile_copies_only_existing_paths_not_ignored() -> None:
    """Each COPY source exists in the repository and is not excluded by .dockerignore."""
    ignored = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for args in instructions("COPY"):
        if args.startswith("--from"):
            continue
        sources = args.split()[:-1]
        for source in sources:
            assert (REPO / source).exists(), source
            assert source.split("/")[0] not in ignored, source


def test_install_script_dry_run_installs_the_repository() -> None:
    """install.sh --dry-run prints a venv creation, a non-editable pip install and a smoke run."""
    result = subprocess.run(
        [str(DEPLOY / "install.sh"), "--dry-run", "/opt/venv"],
        capture_output=True,
        text=True,
        check=True,
    )
    steps = result.stdout.splitlines()
    assert steps[0].endswith("-m venv /opt/venv")
    assert any(
        step.endswith(f"pip install --no-cache-dir --disable-pip-version-check {REPO}")
        for step in steps
    )
    assert "-e" not in " ".join(steps).split()
    assert steps[-1] == "+ /opt/venv/bin/should-we-finetune --help"


def entrypoint(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {"PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        [str(DEPLOY / "entrypoint.sh"), *args],
        capture_output=True,
        text=True,
        env=base | (env or {}),
        timeout=30,
        check=False,
    )


def test_entrypoint_check_passes_with_empty_settings() -> None:
    """--check succeeds offline when the command is installed and the settings parse."""
    result = entrypoint("--check")
    assert result.returncode == 0, result.stderr
    assert "entrypoint: ok" in result.stdout


def test_entrypoint_check_names_a_bad_setting() -> None:
    """--check exits 2 naming the variable when a setting does not parse."""
    result = entrypoint("--check", env={"PORT": "eighty"})
    assert result.returncode == 2
    assert "PORT is invalid" in result.stderr


def test_entrypoint_defaults_to_serve_and_passes_commands_through(tmp_path: Path) -> None:
    """No arguments runs `should-we-finetune serve`; anything else is passed on unchanged."""
    fake = tmp_path / "should-we-finetune"
    fake.write_text('#!/bin/sh\necho "called: $*"\n')
    fake.chmod(0o755)
    path = {"PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    assert entrypoint(env=path).stdout == "called: serve\n"
    assert entrypoint("serve", "--socket", env=path).stdout == "called: serve --socket\n"


@pytest.fixture
def health_server() -> Iterator[tuple[int, list[int]]]:
    """A local server whose /healthz answers the status at the head of the given list."""
    statuses = [200]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(statuses[0] if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.server_address[1], statuses
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_entrypoint_healthcheck_follows_healthz(health_server: tuple[int, list[int]]) -> None:
    """--healthcheck exits 0 when /healthz on $PORT answers 200 and 1 when it answers 503."""
    port, statuses = health_server
    assert entrypoint("--healthcheck", env={"PORT": str(port)}).returncode == 0
    statuses[0] = 503
    assert entrypoint("--healthcheck", env={"PORT": str(port)}).returncode == 1


def test_entrypoint_healthcheck_fails_when_nothing_listens() -> None:
    """--healthcheck fails when no server is up on $PORT."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert entrypoint("--healthcheck", env={"PORT": str(port)}).returncode == 1


def test_scripts_are_executable() -> None:
    """The scripts the image runs carry the executable bit in the repository."""
    for name in ("install.sh", "entrypoint.sh"):
        assert os.access(DEPLOY / name, os.X_OK), name


def test_compose_redis_persists_with_aof_on_a_volume() -> None:
    """Redis runs redis:7 with --appendonly yes and keeps /data on a named volume."""
    redis = compose()["services"]["redis"]
    assert redis["image"].startswith("redis:7")
    assert redis["command"][redis["command"].index("--appendonly") + 1] == "yes"
    volume = redis["volumes"][0].split(":")
    assert volume[1] == "/data"
    assert volume[0] in compose()["volumes"]


def test_compose_bot_serves_http_on_the_default_port() -> None:
    """The HTTP bot publishes the container's PORT and talks to the compose Redis."""
    bot = compose()["services"]["bot"]
    assert bot["ports"] == [f"{DEFAULT_PORT}:{DEFAULT_PORT}"]
    assert bot["environment"]["PORT"] == str(DEFAULT_PORT)
    assert bot["environment"]["REDIS_URL"].startswith("redis://redis:6379/")
    assert bot["command"] == ["serve"]
    assert bot["build"]["dockerfile"] == "deploy/Dockerfile"


def test_compose_socket_mode_is_a_profile() -> None:
    """Socket Mode runs only with the socket profile, publishes nothing and passes --socket."""
    socket_bot = compose()["services"]["bot-socket"]
    assert socket_bot["profiles"] == ["socket"]
    assert socket_bot["command"] == ["serve", "--socket"]
    assert "ports" not in socket_bot


def test_compose_environment_names_are_settings() -> None:
    """Every variable compose sets for a bot service is a documented setting."""
    for name in ("bot", "bot-socket"):
        assert set(compose()["services"][name]["environment"]) <= set(HELP)


def test_k8s_files_parse_and_name_their_kinds() -> None:
    """Every manifest is YAML with apiVersion and kind, and the expected kinds are there."""
    kinds = {doc["kind"] for doc in k8s_documents() if doc["apiVersion"]}
    expected = {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"}
    assert expected <= kinds


def test_k8s_deployment_runs_two_hardened_replicas() -> None:
    """At least 2 replicas, non-root, read-only root filesystem, no privilege escalation."""
    deployment = k8s("Deployment")
    assert deployment["spec"]["replicas"] >= 2
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    security = bot_container()["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert bot_container()["resources"]["requests"]["cpu"]


def test_k8s_probes_hit_readyz_and_healthz_on_the_container_port() -> None:
    """Readiness asks /readyz and liveness /healthz, on the port the container listens on."""
    container = bot_container()
    [port] = container["ports"]
    assert port["containerPort"] == DEFAULT_PORT
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["port"] in (port["name"], DEFAULT_PORT)


def test_k8s_settings_come_from_the_secret_and_config() -> None:
    """Env comes from Secret `should-we-finetune`; every name set anywhere is a setting."""
    container = bot_container()
    sources = {next(iter(ref)): ref[next(iter(ref))]["name"] for ref in container["envFrom"]}
    assert sources["secretRef"] == "should-we-finetune"
    names = {item["name"] for item in container["env"]}
    names |= set(k8s("ConfigMap")["data"]) | set(k8s("Secret")["stringData"])
    assert names <= set(HELP)
    assert "REDIS_URL" in k8s("Secret")["stringData"]


def test_k8s_service_and_budget_select_the_deployment_pods() -> None:
    """Service and PodDisruptionBudget select the pods' labels; the Service targets the port."""
    labels = k8s("Deployment")["spec"]["template"]["metadata"]["labels"]
    service = k8s("Service")
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == bot_container()["ports"][0]["name"]
    assert k8s("PodDisruptionBudget")["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_k8s_autoscaler_scales_the_deployment_on_cpu() -> None:
    """The HPA is autoscaling/v2, targets the Deployment, keeps ≥ 2 replicas and scales on CPU."""
    hpa = k8s("HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"]["name"] == k8s("Deployment")["metadata"]["name"]
    assert hpa["spec"]["minReplicas"] >= 2
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"


def test_k8s_ingress_routes_slack_events_to_the_service() -> None:
    """Slack's request URL path reaches the Service; /metrics is not exposed publicly."""
    paths = {
        path["path"]: path["backend"]["service"]["name"]
        for rule in k8s("Ingress")["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert paths["/slack/events"] == k8s("Service")["metadata"]["name"]
    assert "/metrics" not in paths


def test_kustomization_lists_existing_files_but_not_the_secret_template() -> None:
    """kubectl apply -k applies every manifest except the Secret template."""
    resources = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert all((K8S / name).exists() for name in resources)
    assert "secret.example.yaml" not in resources


def env_example() -> list[str]:
    return (REPO / ".env.example").read_text().splitlines()


def test_env_example_lists_exactly_the_settings() -> None:
    """.env.example assigns every setting in HELP once, and nothing else."""
    names = [line.split("=", 1)[0] for line in env_example() if re.match(r"^[A-Z_]+=", line)]
    assert sorted(names) == sorted(HELP)


def test_env_example_explains_each_setting() -> None:
    """The comment lines right above each assignment contain the setting's HELP text."""
    lines = env_example()
    for index, line in enumerate(lines):
        if re.match(r"^[A-Z_]+=", line):
            name = line.split("=", 1)[0]
            start = index
            while start > 0 and lines[start - 1].startswith("#"):
                start -= 1
            comment = " ".join(previous.removeprefix("# ") for previous in lines[start:index])
            assert HELP[name] in comment, name


def test_env_example_as_is_parses_to_the_defaults() -> None:
    """The unfilled template is a valid configuration: every empty value means unset."""
    env = dict(line.split("=", 1) for line in env_example() if re.match(r"^[A-Z_]+=", line))
    assert Settings.from_env(env) == Settings()


def test_compose_socket_mode_disables_the_http_healthcheck() -> None:
    """Socket Mode serves no /healthz, so its service turns the image's HTTP check off."""
    assert compose()["services"]["bot-socket"]["healthcheck"] == {"disable": True}


def test_operating_guide_documents_exactly_the_settings() -> None:
    """The settings table in docs/operating.md has one row per setting in HELP."""
    text = (REPO / "docs" / "operating.md").read_text()
    section = text.split("## 4. Settings", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.MULTILINE)
    assert sorted(rows) == sorted(HELP)


def test_operating_guide_metrics_table_names_every_family() -> None:
    """Each metric family the bot exports is explained in docs/operating.md."""
    text = (REPO / "docs" / "operating.md").read_text()
    for family in REGISTRY.collect():
        assert family.name in text, family.name


def test_k8s_ingress_refuses_bodies_over_the_apps_limit() -> None:
    """The Ingress refuses what the app would refuse (413), before it reaches a pod."""
    from bot.entrypoints.http.body_limit import MAX_BODY_BYTES  # noqa: PLC0415

    annotations = k8s("Ingress")["metadata"]["annotations"]
    size = annotations["nginx.ingress.kubernetes.io/proxy-body-size"]
    assert size == f"{MAX_BODY_BYTES // (1024 * 1024)}m"


def test_grace_periods_cover_the_bounded_shutdown() -> None:
    """compose's stop_grace_period and k8s's terminationGracePeriodSeconds (after the
    preStop pause) are longer than serve's whole stop: drain plus close."""
    from bot.entrypoints.http.app import CLOSE_SECONDS, DRAIN_SECONDS  # noqa: PLC0415

    stop = DRAIN_SECONDS + CLOSE_SECONDS
    grace = compose()["x-bot"]["stop_grace_period"]
    assert float(grace.removesuffix("s")) > stop
    spec = k8s("Deployment")["spec"]["template"]["spec"]
    pre_stop = bot_container()["lifecycle"]["preStop"]["exec"]["command"]
    assert spec["terminationGracePeriodSeconds"] > float(pre_stop[-1]) + stop
