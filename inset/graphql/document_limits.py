"""Limits on a document's size, checked while it is read and right after it is parsed:
before validation, whose cost grows with the square of fields that merge.

Codes: `TOO_MANY_TOKENS` (`parse_query` stops reading there), `TOO_MANY_SELECTIONS`
(fields, fragment spreads and inline fragments, or fields of one name where they merge)
and `TOO_MANY_ALIASES` (aliases as written).
"""

from __future__ import annotations

import re
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    Node,
    SelectionSetNode,
    StringValueNode,
    parse,
)
from graphql.language import Lexer, Source, Token, TokenKind, Visitor, visit

from inset.graphql.codes import RequestErrorCode
from inset.text import NUL

TOO_MANY_SELECTIONS = RequestErrorCode.TOO_MANY_SELECTIONS
TOO_MANY_ALIASES = RequestErrorCode.TOO_MANY_ALIASES
TOO_MANY_TOKENS = RequestErrorCode.TOO_MANY_TOKENS
QUERY_TOO_DEEP = RequestErrorCode.QUERY_TOO_DEEP

# Fields of one name in one selection set: graphql-core compares each pair of them (and
# their sub-selections) to see whether they merge, so a few hundred cost a second.
MAX_SAME_FIELD = 5
# `\u0000` or `\u{0}` in a GraphQL string literal: the NUL character, written escaped.
_ESCAPED_NUL = re.compile(r"\\u(?:0000|\{0+\})")


def refusal(code: RequestErrorCode, message: str, nodes: Node | None = None) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": code})


def more_selections_than(query: str, limit: int, max_tokens: int) -> bool:
    """Whether the document selects more than `limit` fields, spreads and inline
    fragments, found by reading its tokens and stopping at the first one too many.

    Lexing costs a fraction of parsing, so a document of thousands of repeated fields is
    refused after reading `limit` of them. Braces outside parentheses open selection sets
    (inside them, input objects); in one, a name counts unless it follows `:` (an
    alias's field), `@` (a directive) or `...` (a fragment's name, or `on`), or is the
    type after `... on`. Anything malformed is left for the parser to report.
    """
    if query.count("#") > max_tokens:
        # The lexer skips a run of comments in one step, however long; the parser, whose
        # comment limit is enforced while it skips them, refuses such a document.
        return False
    lexer = Lexer(Source(query))
    parentheses = braces = selections = 0
    previous = lexer.token
    try:
        for _ in range(max_tokens + 1):
            token = lexer.advance()
            kind = token.kind
            if kind is TokenKind.EOF:
                return False
            if kind is TokenKind.PAREN_L:
                parentheses += 1
            elif kind is TokenKind.PAREN_R:
                parentheses -= 1
            elif parentheses == 0:
                if kind is TokenKind.BRACE_L:
                    braces += 1
                elif kind is TokenKind.BRACE_R:
                    braces -= 1
                elif braces > 0 and _selects(token, previous):
                    selections += 1
                    if selections > limit:
                        return True
            previous = token
    except GraphQLError:
        return False
    return False


def _selects(token: Token, previous: Token) -> bool:
    """Whether `token`, inside a selection set, starts a selection of its own."""
    if token.kind is TokenKind.SPREAD:
        return True
    if token.kind is not TokenKind.NAME or previous.kind in _NOT_A_SELECTION:
        return False
    before = previous.prev  # `... on Type`: the type is a condition, not a field
    return not (previous.value == "on" and before is not None and before.kind is TokenKind.SPREAD)


# Tokens after which a name is not a selection of its own.
_NOT_A_SELECTION = frozenset({TokenKind.COLON, TokenKind.AT, TokenKind.SPREAD})


def too_many_selections(limit: int) -> GraphQLError:
    return refusal(
        TOO_MANY_SELECTIONS, f"The query has more than {limit} fields and fragments, the limit."
    )


def check_document(
    document: DocumentNode, *, max_selections: int, max_aliases: int
) -> GraphQLError | None:
    """The first size limit a parsed document breaks, or None; cheap enough to run on
    every uncached document before validation, whose cost it bounds.

    Counts each field, fragment spread and inline fragment once as written (fragments
    not expanded): at most `max_selections`, and at most `max_aliases` aliases (a
    document with more is refused later anyway, as every fragment must be used). Where
    fields merge, at most MAX_SAME_FIELD may share a response name: validation compares
    each pair of them, and of the fields below them (see `_merged_fields`).
    """
    selections = aliases = 0
    stack: list[SelectionSetNode] = [
        d.selection_set for d in document.definitions if hasattr(d, "selection_set")
    ]
    while stack:
        for selection in stack.pop().selections:
            selections += 1
            if isinstance(selection, FieldNode) and selection.alias is not None:
                aliases += 1
            inner: SelectionSetNode | None = getattr(selection, "selection_set", None)
            if inner is not None:
                stack.append(inner)
        if selections > max_selections:
            return too_many_selections(max_selections)
        if aliases > max_aliases:
            return too_many_aliases(aliases, max_aliases, written=True)
    return _merged_fields(document)


def _merged_fields(document: DocumentNode) -> GraphQLError | None:
    """Refuses more than MAX_SAME_FIELD fields of one response name where they merge.

    Fields merge across a selection set's inline fragments and the fragments it spreads,
    and the sub-selections of fields that merge merge in turn: `{ a { b } a { b } }`
    holds two `a` at the root and two `b` below them. Each scope is walked once.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    flattened: dict[str, list[FieldNode]] = {}

    def fields_of(scope: list[SelectionSetNode], visiting: frozenset[str]) -> list[FieldNode]:
        found: list[FieldNode] = []
        spread: set[str] = set()  # a fragment spread twice in one place merges once
        pending = list(scope)
        while pending:
            for selection in pending.pop().selections:
                if isinstance(selection, FieldNode):
                    found.append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    pending.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    if name in spread or name in visiting or name not in fragments:
                        continue  # validation refuses unknown and cyclic fragments
                    spread.add(name)
                    if name not in flattened:
                        inner = [fragments[name].selection_set]
                        flattened[name] = fields_of(inner, visiting | {name})
                    found.extend(flattened[name])
        return found

    scopes = [[d.selection_set] for d in document.definitions if hasattr(d, "selection_set")]
    while scopes:
        below: dict[str, list[SelectionSetNode]] = {}
        counts: dict[str, int] = {}
        for field in fields_of(scopes.pop(), frozenset()):
            key = (field.alias or field.name).value
            counts[key] = counts.get(key, 0) + 1
            if counts[key] > MAX_SAME_FIELD:
                return refusal(
                    TOO_MANY_SELECTIONS,
                    f"`{key}` is selected more than {MAX_SAME_FIELD} times where fields merge "
                    "(in one selection set, its fragments, or under fields of one name); "
                    "ask for each field once.",
                    field,
                )
            if field.selection_set is not None:
                below.setdefault(key, []).append(field.selection_set)
        scopes.extend(below.values())
    return None


def too_many_aliases(aliases: int, limit: int, *, written: bool = False) -> GraphQLError:
    counted = "writes" if written else "uses"
    return refusal(
        TOO_MANY_ALIASES, f"The query {counted} {aliases} aliases; the limit is {limit}."
    )


def escaped_nul(query: str, document: DocumentNode) -> GraphQLError | None:
    """A string literal of the document that holds NUL, written as an escape."""
    if not _ESCAPED_NUL.search(query):
        return None  # the common case: one search of the text, no walk of the document
    found: list[StringValueNode] = []

    class _Finder(Visitor):
        def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
            if NUL in node.value:
                found.append(node)

    visit(document, _Finder())
    if not found:
        return None
    return GraphQLError(
        "A string in the query holds the NUL character (U+0000), which Inset cannot store.",
        found[0],
        extensions={"code": RequestErrorCode.BAD_USER_INPUT},
    )


def parse_query(query: str, *, max_tokens: int, max_selections: int | None = None) -> DocumentNode:
    """Parse a document, giving up as soon as it passes `max_tokens` tokens or comments,
    or (given `max_selections`) as soon as more selections than that have gone by.

    Raises a `GraphQLError`: a syntax error as graphql-core words it, `TOO_MANY_TOKENS`
    (the parser stops there, so a megabyte of `{a a a ...}` costs no more than the limit),
    `TOO_MANY_SELECTIONS`, or `QUERY_TOO_DEEP` when the nesting exhausts the parser's
    recursion.
    """
    if max_selections is not None and more_selections_than(query, max_selections, max_tokens):
        raise too_many_selections(max_selections)
    try:
        return parse(query, max_lexical_tokens=max_tokens, max_comments=max_tokens)
    except GraphQLError as error:
        # graphql-core reports its own limits only through the message.
        if "Document contains more than" in error.message:
            message = f"The query has more than {max_tokens} tokens, the limit."
            raise GraphQLError(message, extensions={"code": TOO_MANY_TOKENS}) from None
        if "Document is nested too deeply" in error.message:
            message = "The query is nested too deeply to parse."
            raise GraphQLError(message, extensions={"code": QUERY_TOO_DEEP}) from None
        raise
