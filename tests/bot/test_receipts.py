"""Reading receipts for the conversation: off the event loop, within the time limit, and a
reader's failure reported as "nothing read", never raised into the turn."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest

from bot.receipts import ReceiptReading
from nlu.receipts import Receipt
from tests.auxil.receipts import ScriptedReader, receipt


async def test_the_reader_runs_off_the_event_loop() -> None:
    """The reader waits for the loop to do something: on the loop's own thread it never could,
    and the reading would end at its time limit with nothing."""
    loop_ran = threading.Event()

    def reader(source: object, *, media_type: str | None = None) -> Receipt:
        assert loop_ran.wait(10)
        return receipt()

    reading = ReceiptReading(reader, seconds=20)
    try:
        job = asyncio.create_task(reading.read(b"%PDF", "application/pdf"))
        await asyncio.sleep(0)
        loop_ran.set()
        found = await job
    finally:
        reading.close()
    assert found is not None and found.number is not None
    assert found.number.value == "118/2026"


async def test_a_reader_past_its_time_limit_gives_nothing() -> None:
    reader = ScriptedReader(receipt(), hang=True)
    reading = ReceiptReading(reader, seconds=0.05)
    try:
        assert await reading.read(b"x", "image/jpeg") is None
    finally:
        reader.release()
        reading.close()


async def test_a_failing_reader_gives_nothing_and_logs_no_content(
        caplog: pytest.LogCaptureFixture) -> None:
    reader = ScriptedReader(receipt(), fail=True)
    reading = ReceiptReading(reader, seconds=5)
    with caplog.at_level(logging.INFO, logger="bot.receipts"):
        assert await reading.read(b"FATTURA RSSMRA75D12H501J", "image/jpeg") is None
    reading.close()
    assert "RuntimeError" in caplog.text
    assert "RSSMRA" not in caplog.text and "the reader broke" not in caplog.text


async def test_without_a_reader_nothing_is_read() -> None:
    reading = ReceiptReading(None, seconds=5)
    assert await reading.read(b"x", "image/jpeg") is None
    reading.close()


async def test_the_reader_gets_the_media_type() -> None:
    reader = ScriptedReader(receipt())
    reading = ReceiptReading(reader, seconds=5)
    await reading.read(b"x", "application/pdf")
    reading.close()
    assert reader.calls == ["application/pdf"]
