"""Text that both databases can store and compare: no NUL, no lone surrogate.

PostgreSQL refuses U+0000 in text, and a lone UTF-16 surrogate (which JSON can write as
`"\\ud800"`) has no UTF-8 form, so neither database can take it. Both are refused where
they enter, as the client's mistake, rather than failing deep inside a query.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

NUL = "\x00"


def is_storable_text(value: str) -> bool:
    return NUL not in value and not _has_lone_surrogate(value)


def _has_lone_surrogate(value: str) -> bool:
    # Encoding is done in C and stops at the first offender; most text passes at once.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def unstorable_path(value: Any) -> tuple[str, str] | None:
    """The first place in a decoded JSON value holding text that cannot be stored, and
    what is wrong there: `("variables.input.title", "the NUL character (U+0000)")`.

    Keys count as text too. Walks without recursion, so no depth of nesting can fail it.
    """
    for path, text in _strings(value, ""):
        if NUL in text:
            return path or "(top)", "the NUL character (U+0000)"
        if _has_lone_surrogate(text):
            return path or "(top)", "a lone UTF-16 surrogate (such as \\ud800), which is not text"
    return None


def _strings(value: Any, root: str) -> Iterator[tuple[str, str]]:
    stack: list[tuple[str, Any]] = [(root, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            yield path, item
        elif isinstance(item, dict):
            for key, child in item.items():
                yield path, key  # a bad key is reported at its object
                stack.append((f"{path}.{key}" if path else str(key), child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", child) for i, child in enumerate(item))
