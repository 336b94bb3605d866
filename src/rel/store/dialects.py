"""SQL functions written one way on SQLite and another on PostgreSQL, as SQLAlchemy constructs:
the store's statements are defined once and compiled for each engine."""

from __future__ import annotations

import functools
from typing import Any


def dialect_function(name: str, *, sqlite: str, standard: str, type_name: str) -> Any:
    """A SQL function `name` written as the template `sqlite` on SQLite and `standard`
    elsewhere; `{0}`, `{1}` … stand for its arguments as compiled. Call the result with them."""
    return _function_class(name, sqlite, standard, type_name)


@functools.cache
def _function_class(name: str, sqlite: str, standard: str, type_name: str) -> Any:
    import sqlalchemy
    from sqlalchemy.ext.compiler import compiles
    from sqlalchemy.sql.functions import FunctionElement

    function = type(
        name,
        (FunctionElement,),
        {"type": getattr(sqlalchemy, type_name)(), "inherit_cache": True, "name": name},
    )

    def written(template: str) -> Any:
        def compile_(element: Any, compiler: Any, **kw: Any) -> str:
            return template.format(*(compiler.process(arg, **kw) for arg in element.clauses))

        return compile_

    compiles(function, "sqlite")(written(sqlite))
    compiles(function)(written(standard))
    return function
