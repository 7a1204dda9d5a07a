"""The expression tree: frozen dataclasses, built once by the parser.

Evaluators (vectorised in ``vector.py``, row-by-row in ``rowwise.py``) walk
the same tree; ``refs()`` lists the ``${name}`` references for form checks.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Num:
    """A number literal."""

    value: float
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Str:
    """A string literal (quotes removed)."""

    value: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Ref:
    """``${name}``: the value of another question."""

    name: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Current:
    """``.``: the value of the question the expression belongs to."""

    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Path:
    """A plain XPath location path (``cf``, ``../x``, ``/data/x``).

    Resolved by its last step's name, since names are unique in an XLSForm;
    choice filters use bare names for columns of the choices sheet.
    """

    steps: tuple[str, ...]
    absolute: bool = False
    pos: int = field(default=0, compare=False)

    @property
    def name(self) -> str:
        """The column this path resolves to."""
        return self.steps[-1]


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    operand: Expr
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class BinOp:
    """A binary operator: or and = != < <= > >= + - * div mod."""

    op: str
    left: Expr
    right: Expr
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Call:
    """A function call, name as written (``jr:choice-name``)."""

    name: str
    args: tuple[Expr, ...]
    pos: int = field(default=0, compare=False)


Expr = Num | Str | Ref | Current | Path | Neg | BinOp | Call


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of the tree, parents before children."""
    yield expr
    if isinstance(expr, Neg):
        yield from walk(expr.operand)
    elif isinstance(expr, BinOp):
        yield from walk(expr.left)
        yield from walk(expr.right)
    elif isinstance(expr, Call):
        for a in expr.args:
            yield from walk(a)


def refs(expr: Expr) -> list[str]:
    """Names referenced as ``${name}``, in order of appearance, without repeats."""
    seen: dict[str, None] = {}
    for node in walk(expr):
        if isinstance(node, Ref):
            seen.setdefault(node.name, None)
    return list(seen)
