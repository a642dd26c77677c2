"""Request limits: refuse an expensive query before any resolver, and so any SQL, runs.

Each refusal is a `GraphQLError` whose `extensions.code` names the limit:
`TOO_MANY_TOKENS`, `TOO_MANY_SELECTIONS`, `QUERY_TOO_DEEP`, `TOO_MANY_ALIASES`,
`PAGE_SIZE` or `QUERY_TOO_LARGE`. The token limit applies while parsing, and the
document's size while it is read and right after it is parsed, before validation
(`inset.graphql.document_limits`); the others need the validated document and,
for page sizes, the request's variables (`check_limits`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    Node,
    NullValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    StringValueNode,
    TypeMetaFieldDef,
    VariableNode,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_list_type,
)
from graphql.utilities import value_from_ast_untyped

from inset.config import Settings
from inset.graphql.codes import RequestErrorCode
from inset.graphql.document_limits import too_many_aliases

QUERY_TOO_DEEP = RequestErrorCode.QUERY_TOO_DEEP
PAGE_SIZE = RequestErrorCode.PAGE_SIZE
QUERY_TOO_LARGE = RequestErrorCode.QUERY_TOO_LARGE

# What an aggregate costs, in the nodes of the estimate below: it reads every project
# (or lesson) the viewer may read, not a page. A portfolio's figures are each an
# aggregate query over its projects, on top of finding those projects; a full portfolio
# weighs about 14,000 of the 20,000 a query may have, so two of them are refused.
PORTFOLIO_WEIGHT = 5_000
PORTFOLIO_FIGURE_WEIGHT = 500
SEARCH_WEIGHT = 1_000
# A mutation's fixed weight, for each field of the Mutation root, on top of what it reads
# back: it writes and audits, which a read does not.
MUTATION_WEIGHT = 10
# Fields that search when given the argument (a path into their arguments) named here.
SEARCHES = {("Query", "lessons"): ("search",), ("Query", "projects"): ("filter", "search")}

# What a connection returns when the client gives neither `first` nor `last`.
DEFAULT_PAGE_SIZE = 20
# The guessed length of a list field that takes no page size.
PLAIN_LIST_SIZE = 10
PAGE_ARGUMENTS = ("first", "last")


def check_limits(
    document: DocumentNode,
    *,
    schema: GraphQLSchema,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    settings: Settings,
) -> GraphQLError | None:
    """The first limit the operation breaks, or None; see `measure`."""
    return measure(
        document,
        schema=schema,
        variables=variables,
        operation_name=operation_name,
        settings=settings,
    ).error


@dataclass(frozen=True)
class Measure:
    error: GraphQLError | None  # the first limit broken, if any
    cost: int  # the estimate in points: its nodes, at least 1 (see `measure`)
    # The request's variables the walk read (page sizes, searches): the same document
    # with the same values of these measures the same.
    variables_read: frozenset[str] = frozenset()


def measure(
    document: DocumentNode,
    *,
    schema: GraphQLSchema,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    settings: Settings,
) -> Measure:
    """The first limit the operation breaks, and its cost; call it on a validated document.

    The cost, which the rate limit charges, is the node estimate below, at least 1: a
    query of scalars costs 1, a page its size, an aggregate its weight, and each field
    of a mutation `MUTATION_WEIGHT` more.

    Depth counts fields from the root: `{ me { name } }` is 2 deep. Introspection's
    `ofType` does not count, as it follows type wrappers, not data.

    Page sizes are the `first`/`last` arguments, written in the query or passed as
    variables; each must be from 1 to `settings.max_page_size`.

    Nodes estimate the objects the response may hold, in the manner of GitHub's node
    limit: each field that takes `first`/`last` returns its page size (or 20 when both
    are absent) times what its parent returns, and so does every other list of objects
    with 10. The `edges`/`nodes` lists of a connection are its page, so they add
    nothing. `projects(first: 50) { nodes { lessons(first: 10) { nodes { id } } } }`
    estimates 50 + 50 * 10 = 550 nodes.
    """
    operation = get_operation_ast(document, operation_name)
    root = schema.get_root_type(operation.operation) if operation else None
    if operation is None or root is None:
        return Measure(None, 1)  # validation and GetOperation() report these cases
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walker = _Walker(schema, fragments, _variable_values(operation, variables), settings)
    try:
        cost = walker.selection_set(operation.selection_set, root, in_page=False, level=0)
    except _RefusedError as refused:
        return Measure(refused.error, 0)
    except RecursionError:
        return Measure(_refusal(QUERY_TOO_DEEP, "The query is nested too deeply to analyse."), 0)
    return Measure(_broken(cost, settings), max(1, cost.nodes), frozenset(walker.read))


def _broken(cost: _Cost, settings: Settings) -> GraphQLError | None:
    if cost.depth > settings.max_depth:
        return _too_deep(cost.depth, settings.max_depth)
    if cost.aliases > settings.max_aliases:
        return too_many_aliases(cost.aliases, settings.max_aliases)
    if cost.nodes > settings.max_nodes and cost.aggregates:
        return _refusal(
            QUERY_TOO_LARGE,
            f"The query asks for {cost.aggregates} aggregates (portfolios, their figures, "
            "searches), each reading every record you may read; with the rest they weigh "
            f"more than the limit of {settings.max_nodes} nodes. Ask for fewer in one query "
            "(one portfolio at a time).",
        )
    if cost.nodes > settings.max_nodes:
        return _refusal(
            QUERY_TOO_LARGE,
            f"The query could return more than {settings.max_nodes} nodes, the limit. "
            "Ask for smaller pages or fewer nested lists.",
        )
    return None


@dataclass(frozen=True)
class _Cost:
    depth: int = 0
    aliases: int = 0
    nodes: int = 0
    aggregates: int = 0  # portfolios, their figures and searches, as asked


_FREE = _Cost()


class _RefusedError(Exception):
    def __init__(self, error: GraphQLError) -> None:
        super().__init__(error.message)
        self.error = error


def _refusal(code: RequestErrorCode, message: str, nodes: Node | None = None) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": code})


def _too_deep(depth: int, limit: int) -> GraphQLError:
    return _refusal(QUERY_TOO_DEEP, f"The query is {depth} levels deep; the limit is {limit}.")


def _variable_values(
    operation: OperationDefinitionNode, variables: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The request's variables, completed with the operation's defaults."""
    values = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and definition.default_value is not None:
            values[name] = value_from_ast_untyped(definition.default_value)
    return values


class _Walker:
    """Sums the cost of selection sets, each fragment once per way it is used."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        settings: Settings,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.read: set[str] = set()  # the names of the variables looked up
        self.settings = settings
        # Memoised, so a fragment spread many times in many fragments is walked once:
        # otherwise a small document could make this walk itself exponential.
        self.costs: dict[tuple[str, bool], _Cost] = {}
        self.visiting: set[str] = set()
        # Saturate the estimate just past the limit, so that the sums stay small ints.
        self.cap = settings.max_nodes + 1

    def selection_set(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType | None,
        *,
        in_page: bool,
        level: int,
    ) -> _Cost:
        depth = aliases = nodes = aggregates = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                cost = self.field(selection, parent, in_page=in_page, level=level)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                scope = self.schema.get_type(condition.name.value) if condition else parent
                cost = self.selection_set(
                    selection.selection_set, scope, in_page=in_page, level=level
                )
            elif isinstance(selection, FragmentSpreadNode):
                cost = self.fragment(selection.name.value, in_page=in_page)
            depth = max(depth, cost.depth)
            aliases += cost.aliases
            nodes = min(nodes + cost.nodes, self.cap)
            aggregates = min(aggregates + cost.aggregates, self.cap)
        return _Cost(depth, aliases, nodes, aggregates)

    def fragment(self, name: str, *, in_page: bool) -> _Cost:
        key = (name, in_page)
        if key in self.costs:
            return self.costs[key]
        definition = self.fragments.get(name)
        if definition is None or name in self.visiting:
            return _FREE  # validation refuses unknown and cyclic fragments
        self.visiting.add(name)
        try:
            scope = self.schema.get_type(definition.type_condition.name.value)
            cost = self.selection_set(definition.selection_set, scope, in_page=in_page, level=0)
        finally:
            self.visiting.discard(name)
        self.costs[key] = cost
        return cost

    def field(
        self, node: FieldNode, parent: GraphQLNamedType | None, *, in_page: bool, level: int
    ) -> _Cost:
        aliases = 1 if node.alias else 0
        page = self.page_size(node)
        name = node.name.value
        field = _field_of(parent, name)
        if field is None:
            return _Cost(1, aliases, 0)  # __typename, or a field validation refused
        returns_list = is_list_type(get_nullable_type(field.type))
        takes_page = any(arg in field.args for arg in PAGE_ARGUMENTS)
        if takes_page:
            size = page if page is not None else _schema_default(field) or DEFAULT_PAGE_SIZE
            own = size
        elif returns_list and node.selection_set is not None and not in_page:
            size = own = PLAIN_LIST_SIZE
        else:
            size, own = 1, 0
        weight = self.weight(node, parent, name)
        own += weight
        counts_level = not (name == "ofType" and getattr(parent, "name", "") == "__Type")
        depth = level + 1 if counts_level else level
        if depth > self.settings.max_depth:
            # Stop here rather than walk the rest: the answer is already known.
            raise _RefusedError(_too_deep(depth, self.settings.max_depth))
        heavy = 1 if weight else 0
        if node.selection_set is None:
            return _Cost(1 if counts_level else 0, aliases, own, heavy)
        child = self.selection_set(
            node.selection_set,
            get_named_type(field.type),
            in_page=takes_page and not returns_list,
            level=depth,
        )
        return _Cost(
            child.depth + (1 if counts_level else 0),
            aliases + child.aliases,
            min(own + size * child.nodes, self.cap),
            min(heavy + size * child.aggregates, self.cap),
        )

    def weight(self, node: FieldNode, parent: GraphQLNamedType | None, name: str) -> int:
        """What the field costs beyond the objects it returns: an aggregate's weight."""
        parent_name = getattr(parent, "name", "")
        if parent_name == "Mutation" and not name.startswith("__"):
            return MUTATION_WEIGHT
        if parent_name == "Portfolio" and name not in ("asOf", "stalled", "__typename"):
            return PORTFOLIO_FIGURE_WEIGHT
        weight = PORTFOLIO_WEIGHT if (parent_name, name) == ("Query", "portfolio") else 0
        search = SEARCHES.get((parent_name, name))
        if weight or search:
            path = search or ("filter", "search")  # a portfolio may be searched too
            if self.argument(node, path) not in (None, ""):
                weight += SEARCH_WEIGHT
        return weight

    def argument(self, node: FieldNode, path: tuple[str, ...]) -> Any:
        """The value at `path` in the field's arguments (variables resolved), or None."""
        values = {a.name.value: a.value for a in node.arguments or ()}
        value: Any = values
        for key in path:
            if isinstance(value, dict):
                value = value.get(key)
            elif isinstance(value, ObjectValueNode):
                value = {f.name.value: f.value for f in value.fields}.get(key)
            else:
                return None
            if isinstance(value, VariableNode):
                value = self.variable(value.name.value)
        if isinstance(value, StringValueNode):
            return value.value
        return None if isinstance(value, NullValueNode) else value

    def variable(self, name: str) -> Any:
        self.read.add(name)
        return self.variables.get(name)

    def page_size(self, node: FieldNode) -> int | None:
        """The largest `first`/`last` given on the field; refuses one out of range."""
        largest: int | None = None
        for argument in node.arguments or ():
            if argument.name.value not in PAGE_ARGUMENTS:
                continue
            value: Any
            if isinstance(argument.value, VariableNode):
                value = self.variable(argument.value.name.value)
            elif isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            else:
                value = None  # null means absent; other literals fail validation
            # Int coercion takes 5.0 as 5, so a float must not slip past the check.
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if not isinstance(value, int) or isinstance(value, bool):
                continue  # not an Int: variable coercion refuses it with a clear message
            limit = self.settings.max_page_size
            if not 1 <= value <= limit:
                raise _RefusedError(
                    _refusal(
                        PAGE_SIZE,
                        f"`{argument.name.value}` on `{node.name.value}` is {value}; "
                        f"a page holds from 1 to {limit} items.",
                        argument,
                    )
                )
            largest = value if largest is None else max(largest, value)
        return largest


def _field_of(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if name in _META_FIELDS:
        return _META_FIELDS[name]  # validation allows them only where they belong
    if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return None  # a union selects only __typename directly
    fields: dict[str, GraphQLField] = parent.fields
    return fields.get(name)


# Introspection's entry points, which no type lists among its fields.
_META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}


def _schema_default(field: GraphQLField) -> int | None:
    defaults = [field.args[a].default_value for a in PAGE_ARGUMENTS if a in field.args]
    ints = [d for d in defaults if isinstance(d, int) and not isinstance(d, bool)]
    return max(ints) if ints else None
