"""The per-request loader registry: values at hand now, a page's relations prefetched."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from strawberry.dataloader import DataLoader

from inset.access import ANONYMOUS
from inset.config import Settings
from inset.graphql.context import Context
from inset.graphql.loaders import then


def context(engine: Engine) -> Context:
    settings = Settings(database_url=str(engine.url), secret_key="test-secret-key")
    return Context(session=Session(engine), actor=ANONYMOUS, settings=settings, request_id="t")


class Squares:
    """A loader factory that remembers the batches it was asked for."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    def __call__(self, _context: Context) -> DataLoader[int, Any]:
        async def batch(keys: list[int]) -> list[Any]:
            self.batches.append(keys)
            return [ValueError(f"no {k}") if k < 0 else k * k for k in keys]

        return DataLoader(load_fn=batch)


def test_now_is_an_awaitable_until_the_request_has_loaded_the_value(engine: Engine) -> None:
    squares, ctx = Squares(), context(engine)

    async def scenario() -> None:
        # given nothing loaded yet, then `now` gives something to await
        first = ctx.loaders.now(squares, 3)
        assert isinstance(first, Awaitable)
        assert await first == 9

        # when it has been loaded, then `now` gives the value itself
        assert ctx.loaders.now(squares, 3) == 9

    asyncio.run(scenario())
    ctx.close()


def test_prefetch_loads_the_missing_keys_in_one_batch(engine: Engine) -> None:
    squares, ctx = Squares(), context(engine)

    async def scenario() -> None:
        await ctx.loaders.load(squares, 2)
        # when a page asks for keys, one of them loaded already and one repeated
        await ctx.loaders.prefetch(squares, [1, 2, 3, 3])

        # then one batch fetched the others, and each is at hand
        assert squares.batches == [[2], [1, 3]]
        assert [ctx.loaders.now(squares, k) for k in (1, 2, 3)] == [1, 4, 9]

    asyncio.run(scenario())
    ctx.close()


def test_a_prefetched_error_is_raised_where_the_value_is_awaited(engine: Engine) -> None:
    squares, ctx = Squares(), context(engine)

    async def scenario() -> None:
        await ctx.loaders.prefetch(squares, [-1])
        pending = ctx.loaders.now(squares, -1)
        assert isinstance(pending, Awaitable)
        with pytest.raises(ValueError, match="no -1"):
            await pending

    asyncio.run(scenario())
    ctx.close()


def test_then_applies_at_once_to_a_value_and_later_to_an_awaitable() -> None:
    assert then(4, lambda n: n + 1) == 5

    async def four() -> int:
        return 4

    later = then(four(), lambda n: n + 1)
    assert isinstance(later, Awaitable)
    assert asyncio.run(_awaited(later)) == 5


async def _awaited(value: Awaitable[int]) -> int:
    return await value


def test_a_closed_request_loads_nothing_more(engine: Engine) -> None:
    squares, ctx = Squares(), context(engine)
    ctx.close()
    with pytest.raises(RuntimeError, match="the request is over"):
        ctx.loaders.get(squares)
