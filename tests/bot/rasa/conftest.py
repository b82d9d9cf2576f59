"""The action server in a `medbot rasa-actions` process, with a file server for attachments."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator

import httpx
import pytest

from tests.auxil.runtime import demo_home, settings_env
from tests.bot.rasa.servers import TOKEN, FileServer, actions_env, file_server, rasa_actions


@pytest.fixture(scope="module")
def files_host() -> Iterator[FileServer]:
    """The file server the action server is configured to download from."""
    with file_server() as served:
        yield served


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory,
                  files_host: FileServer) -> Iterator[httpx.Client]:
    """A client (with Rasa's token) for a fresh action server on the demo household."""
    home = tmp_path_factory.mktemp("rasa") / "home"
    shutil.copytree(asyncio.run(demo_home()), home)
    env = actions_env(home, settings_env(home), [files_host.base.removeprefix("http://")])
    with rasa_actions(home, env) as (base, _process):
        with httpx.Client(base_url=base, timeout=15.0,
                          headers={"Authorization": f"Bearer {TOKEN}"}) as client:
            yield client
