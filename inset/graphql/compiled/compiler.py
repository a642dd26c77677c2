"""The compiler proper: each type's fields as JSON-building SQL expressions.

Compiled: `node(id:)` and `nodes(ids:)` for projects, organisations and themes;
`projects` and `organisations` connections (edges, nodes, cursors, pageInfo,
totalCount); a project's scalar fields, `leadOrganisation`, `partners`, `themes`,
`replicatedFrom`, `replications` and `economics` (from the stored figures); an
organisation's scalar fields and its `projects`; a theme's fields. Each list is read
through the same statement builders as the resolvers use (`select_projects`,
`organisation_list`, `keyset`), so filters, order and access rules are theirs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import strawberry
from graphql import (
    FieldNode,
    GraphQLObjectType,
    OperationDefinitionNode,
    VariableNode,
    get_argument_values,
    get_named_type,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col
from strawberry.types.arguments import convert_arguments

from inset.access import Actor, live_project
from inset.db import UTCDateTime
from inset.economics.models import ProjectEconomics
from inset.economics.service import CURRENCY
from inset.graphql.compiled.collect import Fields, Selection, Unsupported
from inset.graphql.compiled.sql import UNENCODABLE, Json, Value, quoted
from inset.graphql.node import MAX_NODES
from inset.graphql.pinned import graphql_schema
from inset.ids import from_global_id
from inset.organisations import service as organisations
from inset.organisations.models import SECTOR_OF_KIND, Organisation
from inset.organisations.queries import ORDER as ORGANISATION_ORDER
from inset.pagination import PageRequest, SortKey, keyset
from inset.projects.models import Project, ProjectPartner, ProjectTheme
from inset.projects.queries import select_projects
from inset.projects.queries import sort_keys as project_order
from inset.themes.models import Theme

PLAIN, DATE, DATETIME = "plain", "date", "datetime"
# GraphQL field: (column, how it is written). Enums are stored as their names.
PROJECT_COLUMNS = {
    "title": ("title", PLAIN),
    "summary": ("summary", PLAIN),
    "problem": ("problem", PLAIN),
    "theoryOfChange": ("theory_of_change", PLAIN),
    "stage": ("stage", PLAIN),
    "status": ("status", PLAIN),
    "visibility": ("visibility", PLAIN),
    "innovationType": ("innovation_type", PLAIN),
    "evidenceLevel": ("evidence_level", PLAIN),
    "startedOn": ("started_on", DATE),
    "stageEnteredAt": ("stage_entered_at", DATETIME),
    "revisitOn": ("revisit_on", DATE),
    "createdAt": ("created_at", DATETIME),
    "updatedAt": ("updated_at", DATETIME),
    "version": ("version", PLAIN),
    "externalId": ("external_id", PLAIN),
}
# Economics field: its column of `project_economics`, pounds exact to the penny.
ECONOMICS_MONEY = {
    "grossCost": "gross_cost",
    "totalCost": "total_cost",
    "grossBenefit": "gross_benefit",
    "adjustedBenefit": "adjusted_benefit",
    "netBenefit": "net_benefit",
    "presentValueBenefit": "present_value_benefit",
}
ORGANISATION_COLUMNS = {"name": "name", "kind": "kind", "region": "region"}
THEME_COLUMNS = {"name": "name", "slug": "slug"}

ObjectCompiler = Callable[[Any, Fields], Value]


@dataclass(frozen=True)
class CursorParameter:
    variable: str
    prefix: str  # of the parameters: one a sort key
    keys: tuple[SortKey, ...]


def id_parameter(variable: str) -> str:
    return f"inset_id_{variable}"


class Compiler:
    def __init__(
        self,
        schema: strawberry.Schema,
        selection: Selection,
        actor: Actor,
        dialect: str,
        basis: str,
    ) -> None:
        self.schema = schema
        self.selection = selection
        self.actor = actor
        self.basis = basis  # of the figures the resolvers would work out (economics.stored)
        self.json = Json(dialect)
        self.reusable = True
        self.id_uses: Counter[str] = Counter()
        self.cursors: list[CursorParameter] = []
        self.objects: dict[str, ObjectCompiler] = {
            "Project": self.project,
            "Organisation": self.organisation,
            "Theme": self.theme,
        }

    # -- the operation and the root fields -------------------------------------------

    def operation(self, operation: OperationDefinitionNode) -> sa.Select[Any]:
        fields = self.selection.fields("Query", [operation.selection_set])
        pairs = []
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name == "__typename":
                pairs.append((key, self.json.text("Query")))
            elif name == "node":
                pairs.append((key, self.node(nodes)))
            elif name == "nodes":
                pairs.append((key, self.nodes(nodes)))
            elif name == "projects":
                pairs.append((key, self.projects(nodes)))
            elif name == "organisations":
                pairs.append((key, self.organisations(nodes)))
            else:
                raise Unsupported(f"Query.{name}")
        document = self.json.object(pairs).sql
        return sa.select(sa.cast(document, sa.Text) if self.json.postgres else document)

    def node(self, nodes: list[FieldNode]) -> Value:
        given = next(a.value for a in nodes[0].arguments or () if a.name.value == "id")
        return self.record(str(self.arguments("Query", nodes)["id"]), nodes, given)

    def nodes(self, nodes: list[FieldNode]) -> Value:
        ids = self.arguments("Query", nodes)["ids"]
        if len(ids) > MAX_NODES:
            raise Unsupported("too many ids")  # the resolver's error
        return self.json.values([self.record(str(i), nodes, None) for i in ids])

    def record(self, global_id: str, nodes: list[FieldNode], given: Any) -> Value:
        """The record a global id names, as `node` reads it: null when it names none the
        reader may read."""
        decoded = from_global_id(global_id)
        if decoded is None:
            return self.json.null()  # not one of our ids: as the resolver, no record
        type_name, number = decoded
        pk: Any = number
        if isinstance(given, VariableNode):
            # A bound parameter: the statement serves every id of this type the
            # variable brings (CompiledRead.id_variables).
            name = given.name.value
            pk = sa.bindparam(id_parameter(name), number, type_=sa.Integer)
            self.id_uses[name] += 1
        fields = self.selection.subfields(type_name, nodes)
        found: sa.Select[Any]
        if type_name == "Project":
            found = sa.select(Project).where(col(Project.id) == pk, live_project(self.actor))
        elif type_name == "Organisation":
            found = sa.select(Organisation).where(col(Organisation.id) == pk)
        elif type_name == "Theme":
            found = sa.select(Theme).where(col(Theme.id) == pk)
        else:
            raise Unsupported(f"node of type {type_name}")
        row = found.subquery()
        return self.json.scalar(sa.select().select_from(row), self.objects[type_name](row, fields))

    def projects(self, nodes: list[FieldNode]) -> Value:
        args = self.arguments("Query", nodes)
        order, filter = args.get("order_by"), args.get("filter")
        if filter is not None and filter.no_decision_for_days is not None:
            self.reusable = False  # counted back from now (inset.projects.filters)
        stmt = select_projects(self.actor, filter)
        request = PageRequest.from_args(
            first=args.get("first"),
            after=args.get("after"),
            last=args.get("last"),
            before=args.get("before"),
        )
        return self.connection("Query", nodes, stmt, project_order(order), request, None)

    def organisations(self, nodes: list[FieldNode]) -> Value:
        args = self.arguments("Query", nodes)
        f = args.get("filter")
        stmt = organisations.organisation_list(
            kinds=f.kinds if f else None,
            sectors=f.sectors if f else None,
            regions=f.regions if f else None,
            search=f.search if f else None,
        )
        request = PageRequest.from_args(first=args.get("first"), after=args.get("after"))
        return self.connection("Query", nodes, stmt, ORGANISATION_ORDER, request, None)

    def arguments(self, type_name: str, nodes: list[FieldNode]) -> dict[str, Any]:
        """The field's arguments as its resolver receives them (strawberry's inputs)."""
        parent = graphql_schema(self.schema).get_type(type_name)
        assert isinstance(parent, GraphQLObjectType)
        field = parent.fields[nodes[0].name.value]
        values = get_argument_values(field, nodes[0], self.selection.variables)
        definition = self.schema.get_field_for_type(nodes[0].name.value, type_name)
        if definition is None:
            raise Unsupported(f"{type_name}.{nodes[0].name.value} has no definition")
        return convert_arguments(
            values,
            definition.arguments,
            scalar_registry=self.schema.schema_converter.scalar_registry,
            config=self.schema.config,
        )

    # -- connections -----------------------------------------------------------------

    def connection(
        self,
        parent: str,
        nodes: list[FieldNode],
        stmt: sa.Select[Any],
        keys: list[SortKey],
        request: PageRequest,
        correlate: Any,
    ) -> Value:
        """A Relay connection over `stmt`'s rows, paged as `inset.pagination` pages them:
        `size + 1` rows from the keyset, numbered in the page's order (`rn`)."""
        field = self._field(parent, nodes)
        connection_type = get_named_type(field.type).name
        node_type = connection_type.removesuffix("Connection")
        to_object = self.objects[node_type]
        backwards = request.backwards
        keyset(stmt, keys, request)  # refuses a cursor as the resolvers do (Invalid)
        paged = stmt
        for argument, values in (("after", request.after), ("before", request.before)):
            if values is not None:
                bound = self._cursor_values(nodes[0], argument, keys, values)
                paged = paged.where(_beyond(keys, bound, forward=argument == "after"))
        paged = paged.order_by(
            *[k.column.desc() if k.descending != backwards else k.column.asc() for k in keys]
        )
        if correlate is not None:
            paged = paged.correlate(correlate)
            stmt = stmt.correlate(correlate)

        # A list of the whole query is read once, into a common table expression that
        # each part of the connection reads, and numbered after the limit, so that the
        # window sorts the page, not the list. A list under a row of another (correlated
        # to it) is short, and read by each part that shows it: numbered in the same
        # subquery, as SQLite's parser allows only so many levels of nesting.
        def numbered(rows: Any) -> Any:
            order = [
                rows.c[k.column.key].desc() if k.descending != backwards else rows.c[k.column.key]
                for k in keys
            ]
            return sa.func.row_number().over(order_by=order).label("inset_rn")

        limited = paged.limit(request.size + 1)
        if correlate is None:
            shared = limited.cte()
            shared_page = sa.select(shared, numbered(shared))

            def page() -> Any:
                return shared_page.subquery()
        else:
            order = [k.column.desc() if k.descending != backwards else k.column for k in keys]
            window = sa.func.row_number().over(order_by=order).label("inset_rn")
            nested_page = paged.add_columns(window).limit(request.size + 1)

            def page() -> Any:
                return nested_page.subquery()

        def shown(p: Any) -> sa.Select[Any]:
            return sa.select().select_from(p).where(p.c.inset_rn <= request.size)

        def display_order(p: Any) -> ColumnElement[Any]:
            number: ColumnElement[Any] = p.c.inset_rn
            return -number if backwards else number

        def more() -> Value:
            counted = sa.select(sa.func.count()).select_from(page()).scalar_subquery()
            return self.json.boolean(counted > request.size)

        def cursor_at(last: bool) -> Value:
            p = page()
            first_shown = display_order(p) if not last else -display_order(p)
            found = shown(p).add_columns(self.cursor(p, keys)).order_by(first_shown).limit(1)
            return Value(found.scalar_subquery())

        pairs: list[tuple[str, Value]] = []
        for key, field_nodes in self.selection.subfields(connection_type, nodes).items():
            name = field_nodes[0].name.value
            if name == "__typename":
                pairs.append((key, self.json.text(connection_type)))
            elif name == "totalCount":
                total = sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
                pairs.append((key, Value(total.scalar_subquery())))
            elif name == "nodes":
                p = page()
                fields = self.selection.subfields(node_type, field_nodes)
                pairs.append(
                    (key, self.json.array(to_object(p, fields), shown(p), [display_order(p)]))
                )
            elif name == "edges":
                p = page()
                edge_type = f"{node_type}Edge"
                edge: list[tuple[str, Value]] = []
                for edge_key, edge_nodes in self.selection.subfields(
                    edge_type, field_nodes
                ).items():
                    edge_name = edge_nodes[0].name.value
                    if edge_name == "__typename":
                        edge.append((edge_key, self.json.text(edge_type)))
                    elif edge_name == "cursor":
                        edge.append((edge_key, Value(self.cursor(p, keys))))
                    elif edge_name == "node":
                        fields = self.selection.subfields(node_type, edge_nodes)
                        edge.append((edge_key, to_object(p, fields)))
                    else:
                        raise Unsupported(f"{edge_type}.{edge_name}")
                pairs.append(
                    (key, self.json.array(self.json.object(edge), shown(p), [display_order(p)]))
                )
            elif name == "pageInfo":
                info: list[tuple[str, Value]] = []
                for info_key, info_nodes in self.selection.subfields(
                    "PageInfo", field_nodes
                ).items():
                    info_name = info_nodes[0].name.value
                    if info_name == "__typename":
                        info.append((info_key, self.json.text("PageInfo")))
                    elif info_name == "hasNextPage":
                        info.append(
                            (
                                info_key,
                                more()
                                if not backwards
                                else self.json.constant(request.before is not None),
                            )
                        )
                    elif info_name == "hasPreviousPage":
                        info.append(
                            (
                                info_key,
                                more()
                                if backwards
                                else self.json.constant(request.after is not None),
                            )
                        )
                    elif info_name == "startCursor":
                        info.append((info_key, cursor_at(last=False)))
                    elif info_name == "endCursor":
                        info.append((info_key, cursor_at(last=True)))
                    else:
                        raise Unsupported(f"PageInfo.{info_name}")
                pairs.append((key, self.json.object(info)))
            else:
                raise Unsupported(f"{connection_type}.{name}")
        return self.json.object(pairs)

    def _cursor_values(
        self, field: FieldNode, argument: str, keys: list[SortKey], values: tuple[Any, ...]
    ) -> list[Any]:
        """The cursor's values for SQL: parameters when a variable brings the cursor, so
        that the statement serves the next page too (CompiledRead.cursors)."""
        given = next((a.value for a in field.arguments or () if a.name.value == argument), None)
        if not isinstance(given, VariableNode):
            return [sa.literal(v, k.column.type) for k, v in zip(keys, values, strict=True)]
        prefix = f"inset_cursor_{len(self.cursors)}"
        self.cursors.append(CursorParameter(given.name.value, prefix, tuple(keys)))
        return [
            sa.bindparam(f"{prefix}_{i}", v, type_=k.column.type)
            for i, (k, v) in enumerate(zip(keys, values, strict=True))
        ]

    def cursor(self, p: Any, keys: list[SortKey]) -> ColumnElement[Any]:
        """`inset.pagination.encode_cursor` of a row's sort values, in SQL."""
        parts: list[ColumnElement[Any]] = []
        plain: list[ColumnElement[bool]] = []
        for key in keys:
            column = p.c[key.column.key]
            sql_type = key.column.type
            if isinstance(sql_type, UTCDateTime):
                parts.append(quoted('{"t":"') + self.json.datetime(column) + quoted('"}'))
            elif isinstance(sql_type, sa.Integer):
                parts.append(sa.cast(column, sa.String))
            elif isinstance(sql_type, sa.String):
                parts.append(self.json.json_string(column))
                plain.append(self.json.printable(column))
            else:
                raise Unsupported(f"a cursor on {sql_type}")
        text: ColumnElement[Any] = quoted("[")
        for i, part in enumerate(parts):
            text = text + (quoted(",") if i else quoted("")) + part
        encoded = self.json.base64url(text + quoted("]"))
        if not plain:
            return encoded
        return sa.case((sa.and_(*plain), encoded), else_=quoted(UNENCODABLE))

    def _field(self, parent: str, nodes: list[FieldNode]) -> Any:
        parent_type = graphql_schema(self.schema).get_type(parent)
        assert isinstance(parent_type, GraphQLObjectType)
        return parent_type.fields[nodes[0].name.value]

    # -- objects -----------------------------------------------------------------------

    def project(self, row: Any, fields: Fields) -> Value:
        pairs: list[tuple[str, Value]] = []
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name in PROJECT_COLUMNS:
                column_name, kind = PROJECT_COLUMNS[name]
                column = row.c[column_name]
                if kind == DATE:
                    pairs.append((key, Value(self.json.date(column))))
                elif kind == DATETIME:
                    pairs.append((key, Value(self.json.datetime(column))))
                else:
                    pairs.append((key, Value(column)))
            elif name == "id":
                pairs.append((key, Value(self.json.global_id("Project", row.c.id))))
            elif name == "__typename":
                pairs.append((key, self.json.text("Project")))
            elif name == "leadOrganisation":
                lead = Organisation.__table__.alias()  # type: ignore[attr-defined]
                found = sa.select().select_from(lead).where(lead.c.id == row.c.lead_organisation_id)
                value = self.organisation(lead, self.selection.subfields("Organisation", nodes))
                pairs.append((key, self.json.scalar(found, value)))
            elif name == "partners":
                link = ProjectPartner.__table__.alias()  # type: ignore[attr-defined]
                partner = Organisation.__table__.alias()  # type: ignore[attr-defined]
                rows = (
                    sa.select()
                    .select_from(link.join(partner, partner.c.id == link.c.organisation_id))
                    .where(link.c.project_id == row.c.id)
                    .correlate(row)
                )
                value = self.organisation(partner, self.selection.subfields("Organisation", nodes))
                pairs.append((key, self.json.array(value, rows, [link.c.organisation_id])))
            elif name == "themes":
                link = ProjectTheme.__table__.alias()  # type: ignore[attr-defined]
                theme = Theme.__table__.alias()  # type: ignore[attr-defined]
                rows = (
                    sa.select()
                    .select_from(link.join(theme, theme.c.id == link.c.theme_id))
                    .where(link.c.project_id == row.c.id)
                    .correlate(row)
                )
                value = self.theme(theme, self.selection.subfields("Theme", nodes))
                pairs.append((key, self.json.array(value, rows, [link.c.theme_id])))
            elif name == "replicatedFrom":
                # as `project_by_id` reads it: live and readable, or null
                original = (
                    sa.select(Project)
                    .where(col(Project.id) == row.c.replicated_from_id, live_project(self.actor))
                    .correlate(row)
                    .subquery()
                )
                value = self.project(original, self.selection.subfields("Project", nodes))
                pairs.append((key, self.json.scalar(sa.select().select_from(original), value)))
            elif name == "replications":
                # as `readable_replications` reads them: live and readable, oldest first
                copies = (
                    sa.select(Project)
                    .where(live_project(self.actor), col(Project.replicated_from_id) == row.c.id)
                    .correlate(row)
                    .subquery()
                )
                value = self.project(copies, self.selection.subfields("Project", nodes))
                order = [copies.c.created_at, copies.c.id]
                rows = sa.select().select_from(copies)
                pairs.append((key, self.json.array(value, rows, order)))
            elif name == "economics":
                pairs.append((key, self.economics(row, nodes)))
            else:
                raise Unsupported(f"Project.{name}")
        return self.json.object(pairs)

    def economics(self, project: Any, nodes: list[FieldNode]) -> Value:
        """The project's stored figures (`project_economics`), written as `Economics`
        writes the figures the resolver works out from the lines.

        The resolver has no rule of its own: whoever reads the project reads its figures.
        A row on another basis than this server's optimism bias, or none at all, or a
        figure the database cannot write exactly as Python does, puts the unencodable
        mark in the answer, and the resolvers answer instead (`sql.UNENCODABLE`).
        """
        figures = ProjectEconomics.__table__.alias()  # type: ignore[attr-defined]
        pairs: list[tuple[str, Value]] = []
        for key, field_nodes in self.selection.subfields("Economics", nodes).items():
            name = field_nodes[0].name.value
            if name in ECONOMICS_MONEY:
                money = self.money(
                    figures.c[ECONOMICS_MONEY[name]],
                    self.selection.subfields("Money", field_nodes),
                )
                pairs.append((key, money))
            elif name == "benefitCostRatio":
                pairs.append((key, self.json.ratio(figures.c.benefit_cost_ratio, signed=False)))
            elif name == "fiscalRoi":
                pairs.append((key, self.json.ratio(figures.c.fiscal_roi, signed=True)))
            elif name == "paybackMonths":
                pairs.append((key, Value(figures.c.payback_months)))
            elif name == "__typename":
                pairs.append((key, self.json.text("Economics")))
            else:
                raise Unsupported(f"Economics.{name}")
        found = (
            sa.select()
            .select_from(figures)
            .where(
                figures.c.project_id == project.c.id,
                figures.c.basis == sa.literal(self.basis, sa.String),
            )
            .correlate(project)
        )
        value = self.json.scalar(found, self.json.object(pairs))
        return self.json.coalesce(value, self.json.unencodable())

    def money(self, amount: Any, fields: Fields) -> Value:
        pairs: list[tuple[str, Value]] = []
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name == "amount":
                pairs.append((key, Value(self.json.pounds(amount))))
            elif name == "currency":
                pairs.append((key, self.json.text(CURRENCY)))
            elif name == "__typename":
                pairs.append((key, self.json.text("Money")))
            else:
                raise Unsupported(f"Money.{name}")
        return self.json.object(pairs)

    def organisation(self, row: Any, fields: Fields) -> Value:
        pairs: list[tuple[str, Value]] = []
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name in ORGANISATION_COLUMNS:
                pairs.append((key, Value(row.c[ORGANISATION_COLUMNS[name]])))
            elif name == "sector":
                # Derived from the kind in Python (SECTOR_OF_KIND); the same table here.
                cases = [
                    (row.c.kind == quoted(k.name), quoted(s.name))
                    for k, s in SECTOR_OF_KIND.items()
                ]
                pairs.append((key, Value(sa.case(*cases))))
            elif name == "id":
                pairs.append((key, Value(self.json.global_id("Organisation", row.c.id))))
            elif name == "__typename":
                pairs.append((key, self.json.text("Organisation")))
            elif name == "projects":
                args = self.arguments("Organisation", nodes)
                stmt = select_projects(self.actor, None).where(
                    col(Project.lead_organisation_id) == row.c.id
                )
                request = PageRequest.from_args(first=args.get("first"), after=args.get("after"))
                value = self.connection(
                    "Organisation", nodes, stmt, project_order(None), request, row
                )
                pairs.append((key, value))
            else:
                raise Unsupported(f"Organisation.{name}")
        return self.json.object(pairs)

    def theme(self, row: Any, fields: Fields) -> Value:
        pairs: list[tuple[str, Value]] = []
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name in THEME_COLUMNS:
                pairs.append((key, Value(row.c[THEME_COLUMNS[name]])))
            elif name == "id":
                pairs.append((key, Value(self.json.global_id("Theme", row.c.id))))
            elif name == "__typename":
                pairs.append((key, self.json.text("Theme")))
            else:
                raise Unsupported(f"Theme.{name}")
        return self.json.object(pairs)


def _beyond(keys: list[SortKey], values: list[Any], *, forward: bool) -> ColumnElement[bool]:
    """Rows strictly after (forward) or before the cursor's: `inset.pagination`'s
    condition, on values that may be parameters."""
    clauses = []
    for i, key in enumerate(keys):
        equal_so_far = [keys[j].column == values[j] for j in range(i)]
        step = key.column > values[i] if forward != key.descending else key.column < values[i]
        clauses.append(sa.and_(*equal_so_far, step))
    return sa.or_(*clauses)
