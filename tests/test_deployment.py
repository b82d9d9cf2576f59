"""Deployment as the README tells it: the wheel carries data/ and runs outside the checkout;
the Dockerfile is multi-stage and non-root; compose.yaml runs PostgreSQL, a one-off migration
and two replicas with settings medbot knows. Docker itself is not needed: what it would build
from is checked here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "bot", "dialogs", "nlu", "portal", "data")


def _build_wheel(tmp_path: Path) -> Path:
    """The wheel of a copy of the sources (the checkout is left as it is)."""
    source = tmp_path / "src"
    source.mkdir()
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, source / name)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = (tmp_path / "dist").glob("medbot-*.whl")
    return wheel


def test_the_wheel_carries_data_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("data/catalogue/nomenclatore_ambulatoriale.csv", "data/demo/household.json",
                   "data/places/comuni_cap.csv", "data/facilities/network.json",
                   "data/lexicon/it_common.tsv.gz", "dialogs/texts_it.toml",
                   "portal/migrations/env.py"):
        assert needed in names, needed
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "MEDBOT_HOME": str(tmp_path / "home"),
           "MEDBOT_CACHE_DIR": str(tmp_path / "cache"), "MEDBOT_DATABASE_URL": "",
           "MEDBOT_TODAY": "2026-11-24"}

    def medbot(*args: str, given: str = "") -> str:
        done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=elsewhere, env=env,
                              input=given, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run(
        [sys.executable, "-c", "import bot, nlu.catalogue.catalogue as c, portal.demo as d; "
         "print(bot.__file__); print(c.DEFAULT_DATA_DIR); print(d.DEMO_DIR)"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60)
    assert where.returncode == 0, where.stderr
    assert all(line.startswith(str(site)) for line in where.stdout.split()), where.stdout
    assert "demo caricata" in medbot("db", "init", "--demo")
    medbot("documents", "dev-key")
    line = medbot("chat", "--jsonl", given='{"text": "vorrei un rimborso"}\n')
    answer = json.loads(line.splitlines()[0])
    assert answer["state"]["flow"] == "rimborso", answer


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_postgres_a_migration_and_two_replicas() -> None:
    services = _compose()["services"]
    assert set(services) == {"postgres", "migrate", "medbot-1", "medbot-2"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["migrate"]["command"] == ["db", "init"]
    known = set(Settings.fields())
    for name in ("medbot-1", "medbot-2"):
        replica = services[name]
        assert replica["build"] == "." and replica["command"][0] == "serve"
        assert replica["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        env = replica["environment"]
        assert "@postgres:5432/medbot" in env["MEDBOT_DATABASE_URL"]
        assert env["MEDBOT_DOCUMENT_STORAGE"] == "database"
        for variable in env:  # every setting named is one medbot reads
            assert variable.removeprefix("MEDBOT_").lower() in known, variable
        (port,) = replica["ports"]
        assert port.endswith(":8080")
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_the_dockerfile_is_multi_stage_non_root_with_the_data() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert sum(line.startswith("FROM ") for line in lines) == 2
    user = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert user and user[-1] not in ("root", "0")
    copied = {line.split()[1] for line in lines if line.startswith("COPY ") and "--from" not in line}
    assert {"data", "bot", "dialogs", "nlu", "portal", "pyproject.toml"} <= copied
    for name in copied:
        assert (ROOT / name).exists(), name
    assert 'CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]' in lines
    assert "EXPOSE 8080" in lines


def test_the_readme_tells_how() -> None:
    readme = (ROOT / "README.md").read_text()
    deployment = readme.split("## Deployment", 1)[1].split("\n## ", 1)[0]
    for said in ("docker compose up", "POSTGRES_PASSWORD", "MEDBOT_DOCUMENT_KEY",
                 "medbot.env", "/readyz", "MEDBOT_DOCUMENT_STORAGE"):
        assert said in deployment, said
