"""What a bake ships for running elsewhere, checked offline: container file, CI workflow, Dependabot.

No container image can be pulled here, so the image is not built. Instead the container file is
linted (hadolint), and the files it copies are staged in a folder as the image would hold them,
its install command runs in a fresh virtualenv, and its start command must serve the health route.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def tool(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / name), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(instruction, arguments) of each line of a container file, continuation lines joined."""
    joined = dockerfile.read_text().replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


@pytest.mark.parametrize(
    "options",
    [{}, {"persistence": "postgresql", "python_version": "3.13"}, {"persistence": "none", "llm_provider": "ollama"}],
    ids=["defaults", "postgresql-3.13", "none-ollama"],
)
def test_the_container_file_is_lint_clean_and_keeps_secrets_out(bake, options: dict) -> None:
    project = bake(**options)
    result = tool("hadolint", "Dockerfile", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    steps = instructions(project / "Dockerfile")
    assert ("USER", "1000") in steps, "runs without root rights, as the UID Hugging Face Spaces use"
    assert any(kind == "HEALTHCHECK" and "/_stcore/health" in args for kind, args in steps)
    assert not any(kind == "COPY" and args.split()[0] in {".", "./"} for kind, args in steps), "copies chosen files"
    ignored = set((project / ".dockerignore").read_text().split())
    assert {".streamlit/secrets.toml", ".venv", "data", "*.db"} <= ignored


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stage(project: Path, steps: list[tuple[str, str]], image: Path) -> None:
    """Copy what the container file's COPY lines copy, to where they put it."""
    for kind, args in steps:
        if kind != "COPY":
            continue
        *sources, target = args.split()
        for source in sources:
            origin = project / source
            if origin.is_dir():
                shutil.copytree(origin, image / target, dirs_exist_ok=True)
            else:
                goal = image / target / origin.name if target.endswith("/") else image / target
                goal.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(origin, goal)


def test_the_containers_install_and_start_commands_serve_the_health_route(bake, tmp_path: Path) -> None:
    project = bake()
    steps = instructions(project / "Dockerfile")
    image = tmp_path / "image"
    image.mkdir()
    stage(project, steps, image)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installs = [args for kind, args in steps if kind == "RUN" and args.startswith("pip install")]
    assert len(installs) == 1, installs
    # --no-cache-dir only keeps the image small: here pip's cache spares downloads, and skipping
    # byte-compilation spares time.
    command = [word for word in shlex.split(installs[0]) if word != "--no-cache-dir"] + ["--no-compile"]
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", *command], cwd=image, capture_output=True, text=True, timeout=600
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    for kind, args in steps:
        if kind == "RUN" and args.startswith("mkdir"):
            (image / args.split()[1]).mkdir()
    start = json.loads(next(args for kind, args in steps if kind == "CMD"))
    port = free_port()
    environment = {**os.environ, "PORT": str(port), "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    environment.pop("VIRTUAL_ENV", None)
    server = subprocess.Popen(start, cwd=image, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    assert answer.read() == b"ok"
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                assert time.monotonic() < deadline, "the health route did not answer within 60 s"
                time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
            assert page.status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.parametrize("options", [{}, {"persistence": "none", "python_version": "3.12"}], ids=["defaults", "none"])
def test_the_ci_workflow_and_dependabot_file_are_valid_and_pass_zizmor(bake, options: dict) -> None:
    project = bake(**options)
    checked = {
        "vendor.github-workflows": ".github/workflows/ci.yml",
        "custom.github-workflows-require-timeout": ".github/workflows/ci.yml",
        "vendor.dependabot": ".github/dependabot.yml",
    }
    for schema, path in checked.items():
        result = tool("check-jsonschema", "--builtin-schema", schema, path, cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
    audit = tool("zizmor", "--offline", "--no-progress", ".", cwd=project)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    workflow = (project / ".github/workflows/ci.yml").read_text()
    assert "permissions:\n  contents: read" in workflow
    assert "cancel-in-progress: true" in workflow and "cache: pip" in workflow
    assert "run: mypy" in workflow


@pytest.mark.parametrize("provider", ["openai", "anthropic", "ollama"])
def test_postgresql_bakes_ship_valid_compose_and_kubernetes_files(bake, provider: str) -> None:
    project = bake(persistence="postgresql", llm_provider=provider)
    manifests = tool("kubernetes-validate", "--strict", "deploy/kubernetes.yaml", cwd=project)
    assert manifests.returncode == 0, manifests.stdout + manifests.stderr
    assert {"secret", "deployment", "service", "ingress"} <= set(re.findall(r"resource (\w+)/", manifests.stdout))
    compose = tool("check-jsonschema", "--builtin-schema", "vendor.compose-spec", "deploy/compose.yaml", cwd=project)
    assert compose.returncode == 0, compose.stdout + compose.stderr
    proxied = set(re.findall(r"server (app-\d):8501;", (project / "deploy/nginx.conf").read_text()))
    services = (project / "deploy/compose.yaml").read_text()
    assert len(proxied) == 2 and all(f"\n  {name}: *app" in services for name in proxied)
    kubernetes = (project / "deploy/kubernetes.yaml").read_text()
    assert kubernetes.count("path: /_stcore/health") == 2, "readiness and liveness probes"


def test_other_bakes_have_no_deploy_folder(bake) -> None:
    assert not (bake(persistence="sqlite") / "deploy").exists()
