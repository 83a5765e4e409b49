"""The listener tasks under way, so a shutdown can stop taking work and let them finish."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager


class InFlight:
    """Tracks the asyncio tasks doing Slack work (Bolt starts them; it does not keep them)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[object]] = set()
        self.accepting = True

    def __len__(self) -> int:
        return len(self._tasks)

    @contextmanager
    def track(self) -> Iterator[None]:
        """Count the current task as in flight until the block ends."""
        task = asyncio.current_task()
        if task is None:
            yield
            return
        self._tasks.add(task)
        try:
            yield
        finally:
            self._tasks.discard(task)

    async def drain(self, *, timeout_seconds: float) -> int:
        """Stop accepting work and wait for what is running; the number still unfinished."""
        self.accepting = False
        pending = {task for task in self._tasks if task is not asyncio.current_task()}
        if not pending:
            return 0
        _, still_running = await asyncio.wait(pending, timeout=timeout_seconds)
        return len(still_running)
