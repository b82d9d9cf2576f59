"""Reading receipts for the conversation: off the event loop, within a time limit, never failing.

The reader (`nlu.receipts.read_receipt` unless the runtime is given another) is synchronous and
CPU-bound: it runs on a small thread pool of its own, so a slow photo never holds the loop nor
the default executor. Whatever goes wrong (an exception, the time limit) is logged without any
content of the document and reported as "nothing read": the conversation then asks the fields.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from nlu.receipts import Receipt

__all__ = ["ReceiptReader", "ReceiptReading", "default_reader"]

log = logging.getLogger(__name__)

# A receipt reader: the file's bytes and its checked media type in, what was read out.
ReceiptReader = Callable[..., Receipt]


def default_reader() -> ReceiptReader:
    from nlu.receipts import read_receipt

    return read_receipt


class ReceiptReading:
    """Runs a reader on its own threads with a time limit; None when nothing could be read."""

    def __init__(self, reader: ReceiptReader | None, seconds: float, workers: int = 2) -> None:
        self._reader = reader
        self._seconds = seconds
        # Two threads: one reading stuck until its limit does not queue the next customer's.
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="receipts")

    async def read(self, data: bytes, media_type: str) -> Receipt | None:
        if self._reader is None:
            return None
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        job = loop.run_in_executor(self._pool, self._call, data, media_type)
        try:
            found = await asyncio.wait_for(job, self._seconds)
        except TimeoutError:
            log.warning("receipt reading gave up after %.1f s", self._seconds)
            return None
        except Exception as exc:  # the reader's failure must never fail a turn
            log.warning("receipt reading failed: %s", type(exc).__name__)
            return None
        log.info("receipt read in %.2f s", time.perf_counter() - started)
        return found if isinstance(found, Receipt) else None

    def warm_up(self) -> None:
        """Loads the reader's models on one of its threads now, so the first customer's photo
        is read as fast as the next; the caller does not wait."""
        if self._reader is not None:
            self._pool.submit(_warm_up)

    def _call(self, data: bytes, media_type: str) -> Receipt:
        assert self._reader is not None
        return self._reader(data, media_type=media_type)

    def close(self) -> None:
        # A reading still running is left to end on its own: nothing waits for it.
        self._pool.shutdown(wait=False, cancel_futures=True)


def _warm_up() -> None:
    try:
        from nlu.receipts import warm_up

        warm_up()
    except Exception as exc:  # a reader that cannot load will say so when it reads
        log.warning("receipt reader warm-up failed: %s", type(exc).__name__)
