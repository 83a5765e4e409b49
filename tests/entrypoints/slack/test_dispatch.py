"""The handler table: every command type has exactly one handler, which takes that type."""

from __future__ import annotations

import inspect
import types
import typing

from bot.adapters.store.memory import MemorySessionStore
from bot.entrypoints.slack.card_handlers import CardActions
from bot.entrypoints.slack.commands import command_types
from bot.entrypoints.slack.dispatch import handler_table
from bot.entrypoints.slack.handlers import InterviewHandlers
from bot.entrypoints.slack.surfaces import SurfaceHandlers
from tests.support.slack_server import KeyValueExtractor, key_value_service


def _table() -> dict[type, typing.Any]:
    store = MemorySessionStore(ttl_seconds=60)
    service = key_value_service(store, KeyValueExtractor())
    card = CardActions(service=service, store=store)
    return handler_table(
        interviews=InterviewHandlers(service=service, store=store, card=card),
        card=card,
        surfaces=SurfaceHandlers(service=service, store=store),
    )


def test_every_command_type_has_a_handler_and_nothing_else_does() -> None:
    """The table's keys are exactly the command types."""
    assert set(_table()) == command_types()


def test_each_handler_takes_the_command_type_it_is_registered_for() -> None:
    """A handler's first parameter is annotated with its command type (or a union holding it)."""
    for command_type, handler in _table().items():
        hints = typing.get_type_hints(handler)
        first = next(iter(inspect.signature(handler).parameters))
        accepted = hints[first]
        members = typing.get_args(accepted) if isinstance(accepted, types.UnionType) else ()
        assert command_type is accepted or command_type in members, handler.__qualname__
