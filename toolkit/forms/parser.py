"""Recursive-descent parser: ODK expression text -> tree (toolkit.forms.nodes).

Grammar (XPath 1.0 precedence, lowest first): or, and, = !=, < <= > >=, + -,
* div mod, unary -, then primaries: literals, ``${ref}``, ``.``, ``(...)``,
function calls and simple location paths. Text length, bracket/call nesting
and tree depth are bounded (MAX_LENGTH, MAX_NESTING, MAX_TREE_DEPTH): past them
an ExpressionError ``too_long``/``too_deep``, never a RecursionError. Functions are checked against
FUNCTIONS (name -> (min args, max args or None)) so a typo fails at parse
time, with its position, not when 100,000 rows are evaluated.
"""
from __future__ import annotations

from functools import lru_cache

from toolkit.forms.exprerrors import ExpressionError
from toolkit.forms.lexer import Token, tokenize
from toolkit.forms.nodes import BinOp, Call, Current, Expr, Neg, Num, Path, Ref, Str

#: Functions the evaluator runs: name -> (min, max) argument counts (None: any).
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "if": (3, 3), "selected": (2, 2), "count-selected": (1, 1), "selected-at": (2, 2),
    "coalesce": (2, 2), "string-length": (0, 1), "regex": (2, 2), "contains": (2, 2),
    "starts-with": (2, 2), "ends-with": (2, 2), "concat": (0, None), "substr": (2, 3),
    "substring": (2, 3), "int": (1, 1), "number": (0, 1), "string": (0, 1), "boolean": (1, 1),
    "round": (1, 2), "floor": (1, 1), "ceiling": (1, 1), "abs": (1, 1), "pow": (2, 2),
    "today": (0, 0), "now": (0, 0), "date": (1, 1), "decimal-date-time": (1, 1),
    "sum": (1, 1), "count": (1, 1), "max": (1, None), "min": (1, None),
    "jr:choice-name": (2, 2), "not": (1, 1), "true": (0, 0), "false": (0, 0),
}
#: Functions that take a node-set (a ``${ref}`` or path) as first argument.
NODESET_FUNCTIONS = {"sum", "count"}
#: Valid ODK functions this evaluator does not run (a form using them is valid;
#: the expression is reported as not checkable).
UNSUPPORTED = {
    "once", "uuid", "random", "position", "indexed-repeat", "format-date", "format-date-time",
    "instance", "current", "last", "pulldata", "digest", "base64-decode", "area", "distance",
    "join", "translate", "normalize-space", "string-join", "sin", "cos", "tan", "log", "log10",
    "exp", "exp10", "sqrt", "pi", "atan", "atan2", "asin", "acos", "checklist", "weighted-checklist",
    "boolean-from-string", "randomize", "decimal-time", "version", "property", "geofence",
    "date-time", "substring-before", "substring-after", "lower-case", "upper-case", "true()", "uri",
}
_COMPARE = {"=", "!=", "<", "<=", ">", ">="}
#: Bounds on untrusted expression text (a form, or an export's form, may come
#: from the evaluated party): characters of text; brackets and calls nested in
#: one another; depth of the finished tree (``1+1+…`` is deep without brackets).
#: Real forms stay far below (a long chain of if() nests 10–20 deep); beyond
#: them the parser and the evaluators, both recursive, would exhaust Python's stack.
MAX_LENGTH = 20_000
MAX_NESTING = 32
MAX_TREE_DEPTH = 100


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.i = 0
        self.nesting = 0

    # -- helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def is_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def fail(self, tok: Token, detail: str, code: str = "syntax") -> ExpressionError:
        return ExpressionError(code, tok.pos, self.source, detail)

    def nest(self, tok: Token) -> None:
        """One more bracket or call open; refused past MAX_NESTING."""
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.fail(tok, f"nested more than {MAX_NESTING} deep", "too_deep")

    def unexpected(self) -> ExpressionError:
        t = self.tok
        if t.kind == "end":
            return self.fail(t, "expression ends too early", "unclosed")
        return self.fail(t, f"unexpected {t.text!r}")

    # -- grammar
    def parse(self) -> Expr:
        if self.tok.kind == "end":
            raise self.fail(self.tok, "empty expression")
        e = self.or_expr()
        if self.tok.kind != "end":
            raise self.unexpected()
        return e

    def binary(self, ops: tuple[str, ...], sub) -> Expr:  # type: ignore[no-untyped-def]
        left = sub()
        while self.is_op(*ops):
            t = self.advance()
            right = sub()
            left = BinOp(t.text, left, right, t.pos)
        return left

    def or_expr(self) -> Expr:
        return self.binary(("or",), self.and_expr)

    def and_expr(self) -> Expr:
        return self.binary(("and",), self.eq_expr)

    def eq_expr(self) -> Expr:
        return self.binary(("=", "!="), self.rel_expr)

    def rel_expr(self) -> Expr:
        return self.binary(("<", "<=", ">", ">="), self.add_expr)

    def add_expr(self) -> Expr:
        return self.binary(("+", "-"), self.mul_expr)

    def mul_expr(self) -> Expr:
        return self.binary(("*", "div", "mod"), self.unary_expr)

    def unary_expr(self) -> Expr:
        signs: list[Token] = []
        while self.is_op("-"):      # a loop, not recursion: "- - - … 1" costs no stack
            signs.append(self.advance())
        if signs:
            e = self.unary_expr()
            for t in reversed(signs):
                e = Neg(e, t.pos)
            return e
        e = self.primary()
        if self.is_op("|"):
            raise self.fail(self.tok, "node-set union '|' is not supported", "unsupported")
        return e

    def primary(self) -> Expr:
        t = self.tok
        if t.kind == "num":
            self.advance()
            return Num(float(t.text), t.pos)
        if t.kind == "str":
            self.advance()
            return Str(t.text, t.pos)
        if t.kind == "ref":
            self.advance()
            return self.no_trailing_path(Ref(t.text, t.pos))
        if t.kind == "lpar":
            self.advance()
            self.nest(t)
            e = self.or_expr()
            if self.tok.kind != "rpar":
                raise self.unexpected() if self.tok.kind != "end" else self.fail(t, "'(' is never closed", "unclosed")
            self.advance()
            self.nesting -= 1
            return e
        if t.kind == "name" and self.tokens[self.i + 1].kind == "lpar":
            return self.call()
        if t.kind in ("dot", "dotdot", "name", "slash", "at"):
            return self.path()
        raise self.unexpected()

    def no_trailing_path(self, e: Expr) -> Expr:
        if self.tok.kind in ("slash", "lbr"):
            raise self.fail(self.tok, "paths or predicates after a reference are not supported", "unsupported")
        return e

    def call(self) -> Expr:
        t = self.advance()
        name = t.text
        self.advance()  # '('
        self.nest(t)
        args: list[Expr] = []
        if self.tok.kind != "rpar":
            while True:
                if self.tok.kind == "end":
                    raise self.fail(t, f"{name}( is never closed", "unclosed")
                args.append(self.or_expr())
                if self.tok.kind == "comma":
                    self.advance()
                    continue
                if self.tok.kind == "rpar":
                    break
                if self.tok.kind == "end":
                    raise self.fail(t, f"{name}( is never closed", "unclosed")
                raise self.unexpected()
        self.advance()  # ')'
        self.nesting -= 1
        if name in UNSUPPORTED or name.split(":")[-1] in UNSUPPORTED:
            raise self.fail(t, f"function {name}() is not evaluated by this toolkit", "unsupported")
        if name not in FUNCTIONS:
            raise self.fail(t, f"unknown function {name}()", "unknown_function")
        lo, hi = FUNCTIONS[name]
        if len(args) < lo or (hi is not None and len(args) > hi):
            want = str(lo) if lo == hi else f"{lo}..{hi if hi is not None else 'n'}"
            raise self.fail(t, f"{name}() takes {want} arguments, got {len(args)}", "arity")
        if name in NODESET_FUNCTIONS or (name in ("max", "min") and len(args) == 1):
            if not isinstance(args[0], (Ref, Path, Current)):
                raise self.fail(t, f"{name}() needs a ${{question}} reference", "not_a_nodeset")
        return self.no_trailing_path(Call(name, tuple(args), t.pos))

    def path(self) -> Expr:
        start = self.tok
        steps: list[str] = []
        absolute = False
        if self.tok.kind == "slash":
            absolute = True
            if self.tok.text == "//":
                raise self.fail(self.tok, "'//' paths are not supported", "unsupported")
            self.advance()
        while True:
            t = self.tok
            if t.kind == "dot":
                steps.append(".")
            elif t.kind == "dotdot":
                steps.append("..")
            elif t.kind == "name":
                if t.text == "*" or "::" in t.text:
                    raise self.fail(t, "wildcards and axes are not supported", "unsupported")
                steps.append(t.text)
            elif t.kind == "at":
                raise self.fail(t, "attributes are not supported", "unsupported")
            else:
                if absolute and not steps:
                    raise self.fail(t, "the root path '/' alone is not supported", "unsupported")
                raise self.unexpected()
            self.advance()
            if self.tok.kind == "lbr":
                raise self.fail(self.tok, "predicates [..] are not supported", "unsupported")
            if self.tok.kind == "slash":
                if self.tok.text == "//":
                    raise self.fail(self.tok, "'//' paths are not supported", "unsupported")
                self.advance()
                continue
            break
        if steps == ["."]:
            return Current(start.pos)
        if steps[-1] in (".", ".."):
            raise self.fail(start, "a path must end with a name", "unsupported")
        return Path(tuple(steps), absolute, start.pos)


@lru_cache(maxsize=4096)
def parse(source: str) -> Expr:
    """Parse ODK expression text into a tree; raises ExpressionError.

    Cached: the same expression text (e.g. a relevant shared by many
    questions) is parsed once.
    """
    if not isinstance(source, str):
        raise ExpressionError("syntax", -1, str(source), "expression must be text")
    if len(source) > MAX_LENGTH:
        raise ExpressionError("too_long", -1, source[:80] + "…", f"{len(source)} characters, limit {MAX_LENGTH}")
    try:
        tree = _Parser(source).parse()
    except RecursionError:   # a safety net only: MAX_NESTING stops well before the stack ends
        raise ExpressionError("too_deep", -1, source[:80], "nested too deep") from None
    if tree_depth(tree) > MAX_TREE_DEPTH:
        raise ExpressionError("too_deep", -1, source[:80] + ("…" if len(source) > 80 else ""),
                              f"more than {MAX_TREE_DEPTH} operations inside one another")
    return tree


def tree_depth(tree: Expr) -> int:
    """Levels of the tree (a leaf is 1), counted without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if isinstance(node, Neg):
            stack.append((node.operand, d + 1))
        elif isinstance(node, BinOp):
            stack += [(node.left, d + 1), (node.right, d + 1)]
        elif isinstance(node, Call):
            stack += [(a, d + 1) for a in node.args]
    return deepest
