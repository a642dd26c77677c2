"""Running the resolvers: strawberry executes the document the endpoint has checked, on
an event loop the worker thread keeps.

The whole execution runs in a worker thread: resolvers call a sync SQLAlchemy session,
which must not block the server's event loop, while strawberry's DataLoaders need an
event loop to batch on, so the thread runs one of its own.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextvars import ContextVar

from graphql import DocumentNode, validate
from graphql.validation import specified_rules
from strawberry.extensions import SchemaExtension

from inset.graphql.pinned import graphql_schema

# The document the endpoint has checked, for `UsePreparedDocument` to hand to strawberry.
PREPARED: ContextVar[DocumentNode | None] = ContextVar("inset_prepared", default=None)


class UsePreparedDocument(SchemaExtension):
    """Hands strawberry the document the endpoint has parsed, validated and checked."""

    def on_parse(self) -> Iterator[None]:
        if (document := PREPARED.get()) is not None:
            self.execution_context.graphql_document = document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and document is PREPARED.get():
            # Left to check: only the rules that other extensions have added.
            extra = [rule for rule in context.validation_rules if rule not in specified_rules]
            errors = validate(graphql_schema(context.schema), document, extra) if extra else []
            context.pre_execution_errors = errors
        yield


async def cancel_leftovers() -> None:
    """Cancels whatever the execution left running, before the context closes.

    When a non-null field fails, graphql-core answers without awaiting the sibling
    fields, and a DataLoader batch may still be due. On the thread's reused loop they
    would run during its next request, with this request's closed session.
    """
    for _ in range(10):
        await asyncio.sleep(0)  # let due callbacks run, so the tasks they create show
        leftovers = asyncio.all_tasks() - {asyncio.current_task()}
        if not leftovers:
            return
        for task in leftovers:
            task.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)


def thread_loop() -> asyncio.AbstractEventLoop:
    """The worker thread's event loop: made by its first request, reused by the next."""
    owner: _LoopOwner | None = getattr(_threads, "owner", None)
    if owner is None:
        owner = _threads.owner = _LoopOwner()
    return owner.loop


class _LoopOwner:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def __del__(self) -> None:
        # Runs as the thread ends and its locals go; an unclosed loop would leak its
        # selector and warn.
        self.loop.close()


_threads = threading.local()
