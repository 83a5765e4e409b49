"""The jobs under way on the worker, so a shutdown can stop taking work and let them finish."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading


class InFlight:
    """Tracks submitted jobs (thread-safe: jobs are submitted on one loop and run on another)."""

    def __init__(self) -> None:
        self._futures: set[concurrent.futures.Future[None]] = set()
        self._lock = threading.Lock()
        self.accepting = True

    def __len__(self) -> int:
        with self._lock:
            return len(self._futures)

    def add(self, future: concurrent.futures.Future[None]) -> None:
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._discard)

    def _discard(self, future: concurrent.futures.Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)

    async def drain(self, *, timeout_seconds: float) -> int:
        """Stop accepting work and wait for what is running; the number still unfinished."""
        self.accepting = False
        with self._lock:
            pending = list(self._futures)
        if not pending:
            return 0
        _, not_done = await asyncio.to_thread(
            concurrent.futures.wait, pending, timeout=timeout_seconds
        )
        return len(not_done)
