"""Synthetic Italian voice notes, as the phone records them: espeak-ng speaks, sox narrows
the band to a phone's and adds noise, PyAV encodes OGG/Opus. Used to make the notes shipped
in tests/bot/speech/notes and sets for `medbot eval voice`; needs espeak-ng and sox (Debian
packages), so the tests use the shipped files and never call this."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import av
import numpy as np

VOICES = ("it", "it+m3", "it+f2", "it+f4", "it+m1")


def synthesise(text: str, target: Path, *, voice: str = "it", speed: int = 150,
               noise: float = 0.01) -> Path:
    """`text` spoken into `target` (.ogg, Opus at 16 kbit/s, 16 kHz mono)."""
    with tempfile.TemporaryDirectory() as folder:
        spoken, phone = Path(folder) / "spoken.wav", Path(folder) / "phone.raw"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(spoken), text],
                       check=True, capture_output=True)
        subprocess.run(["sox", str(spoken), "-r", "16000", "-c", "1", "-b", "16",
                        "-e", "signed-integer", str(phone), "sinc", "300-3400", "norm", "-3"],
                       check=True, capture_output=True)
        samples = np.frombuffer(phone.read_bytes(), dtype=np.int16).astype(np.float32) / 32768
    rng = np.random.default_rng(len(text))
    samples = samples + rng.normal(0, noise, samples.shape).astype(np.float32)
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    _encode_opus(pcm, target)
    return target


def _encode_opus(pcm: np.ndarray, target: Path) -> None:
    with av.open(str(target), "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=16000)
        stream.bit_rate = 16000
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = 16000
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def make_set(folder: Path) -> None:
    """The notes a truth.jsonl of `medbot eval voice` names and lacks, each spoken from its
    `said` by a different voice, speed and noise level (python -m tests.auxil.voice_notes)."""
    import json

    lines = (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    notes = [e for line in lines if line.strip() for e in json.loads(line)["events"]
             if "voice" in e]
    for n, event in enumerate(notes):
        target = folder / event["voice"]
        if not target.exists():
            synthesise(event["said"], target, voice=VOICES[n % len(VOICES)],
                       speed=130 + 10 * (n % 3), noise=(0.002, 0.004, 0.006)[n % 3])


if __name__ == "__main__":
    import sys

    make_set(Path(sys.argv[1]))
