"""Response bodies are encoded by orjson, byte for byte as json.dumps would write them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from inset.graphql.responses import json_bytes


def _stdlib(payload: object) -> bytes:
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8", "backslashreplace")


def test_text_of_every_kind_is_written_as_json_dumps_writes_it() -> None:
    # Controls, quotes, backslashes, non-ASCII letters, emoji, U+2028/2029, a BOM.
    samples = [chr(cp) for cp in range(0x80)] + ["é", "Ω", "中", "😀", "\u2028", "\u2029", "\ufeff"]
    payload = {
        "data": {f"k{s}": [f"a{s}b", s] for s in samples},
        "extensions": {"cost": {"requested": 2100, "actual": 353}, "n": [-(2**63), 2**63 - 1]},
        "flags": [True, False, None, 1.5, 0.1],
    }
    assert json_bytes(payload) == _stdlib(payload)


def test_a_lone_surrogate_and_a_huge_integer_are_written_as_before() -> None:
    payload = {"errors": [{"message": "bad \udc80 text"}], "n": 2**70}
    assert json_bytes(payload) == _stdlib(payload)
    assert b"\\udc80" in json_bytes(payload)


def test_a_value_json_refuses_is_still_refused() -> None:
    with pytest.raises(TypeError):
        json_bytes({"when": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)})
