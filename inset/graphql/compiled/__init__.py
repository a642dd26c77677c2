"""Compiled reads: a query operation as one SQL statement that builds the JSON `data`.

After the endpoint has parsed, validated, measured and charged a query, `compile_read`
tries to turn the whole operation into one SELECT whose single value is the response's
`data` document, built by the database (`json_build_object`/`json_agg` on PostgreSQL,
`json_object`/`json_group_array` on SQLite) with the access rules of `inset.access`
inside it. Python passes the text through.

Anything the compiler does not know - a field, an argument, a directive, a type, a
value it cannot encode exactly as the resolvers do - makes it give up on the whole
operation, and the resolvers (the reference path) answer instead: the compiled path is
only ever a faster way to the same response, which the differential tests check.
"""
