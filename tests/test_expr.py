"""Tests for tinygrad_ko.tools.expr: parse, print, evaluate, and refuse bad input."""

import ast
import builtins
import doctest
import importlib
import math
import operator
import pkgutil
import types
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_ko.tools import expr
from tinygrad_ko.tools.expr import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    Binary,
    Call,
    ExpressionError,
    Num,
    Unary,
    Var,
    evaluate,
    parse,
    parse_assignments,
    to_source,
    variables,
)

# Plain-float implementations of every operation, as a mapping ...
FLOAT_OPS = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "pow": math.pow,
    "neg": operator.neg,
    "const": float,
    "sin": math.sin,
    "cos": math.cos,
    "exp": math.exp,
    "log": math.log,
    "sqrt": math.sqrt,
    "tanh": math.tanh,
    "sigmoid": lambda a: 1.0 / (1.0 + math.exp(-a)),
    "relu": lambda a: max(a, 0.0),
}
# ... and as an object with methods.
FLOAT_OPS_OBJECT = types.SimpleNamespace(**FLOAT_OPS)


def value_of(text, **values):
    return evaluate(parse(text), values, FLOAT_OPS)


def test_float_ops_cover_the_whole_language():
    assert set(FLOAT_OPS) == set(expr.BINARY_OPS.values()) | {"neg", "const"} | set(FUNCTIONS)


def parser_modules():
    """The expression package and each of its files (one job a file, see its docstring)."""
    names = sorted(info.name for info in pkgutil.iter_modules(expr.__path__))
    return [expr] + [importlib.import_module(f"{expr.__name__}.{name}") for name in names]


def test_module_docstrings_run():
    results = [doctest.testmod(module) for module in parser_modules()]
    assert sum(result.failed for result in results) == 0
    assert results[0].attempted > 0 and sum(result.attempted for result in results) > results[0].attempted


# --------------------------------------------------------------------------
# Golden trees
# --------------------------------------------------------------------------

a, b, c, x, y, z, w = (Var(name) for name in "abcxyzw")

GOLDEN_TREES = [
    ("(a+b)*(b+1)", Binary("*", Binary("+", a, b), Binary("+", b, Num(1.0)))),
    ("sin(x)*exp(-x**2)", Binary("*", Call("sin", x), Call("exp", Unary("-", Binary("**", x, Num(2.0)))))),
    ("tanh(w*x + c)", Call("tanh", Binary("+", Binary("*", w, x), c))),
    ("2.5e-1 * x / y - -z", Binary("-", Binary("/", Binary("*", Num(0.25), x), y), Unary("-", z))),
    # precedence and associativity, as in Python
    ("a - b - c", Binary("-", Binary("-", a, b), c)),
    ("a / b * c", Binary("*", Binary("/", a, b), c)),
    ("a + b * c", Binary("+", a, Binary("*", b, c))),
    ("a ** b ** c", Binary("**", a, Binary("**", b, c))),
    ("-x**2", Unary("-", Binary("**", x, Num(2.0)))),
    ("(-x)**2", Binary("**", Unary("-", x), Num(2.0))),
    ("2**-x", Binary("**", Num(2.0), Unary("-", x))),
    ("2**-x**2", Binary("**", Num(2.0), Unary("-", Binary("**", x, Num(2.0))))),
    ("-a * b", Binary("*", Unary("-", a), b)),
    ("+a", Unary("+", a)),
    ("--a", Unary("-", Unary("-", a))),
    ("sigmoid(relu(x))", Call("sigmoid", Call("relu", x))),
    # numbers: ints, decimals, exponents, underscores, hex all become floats
    ("7", Num(7.0)),
    (".5 + 1_000 + 0x10 + 3e2", Binary("+", Binary("+", Binary("+", Num(0.5), Num(1000.0)), Num(16.0)), Num(300.0))),
    ("  ((x))  ", x),
]


@pytest.mark.parametrize("text, tree", GOLDEN_TREES)
def test_golden_parse_trees(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("text, tree", GOLDEN_TREES)
def test_printing_a_parsed_tree_reads_back_the_same(text, tree):
    assert parse(to_source(tree)) == tree


@pytest.mark.parametrize(
    "text, printed",
    [
        ("(a+b)*(b+1)", "(a + b) * (b + 1)"),
        ("((a)) - ((b - c))", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("sin(x)*exp(-x**2)", "sin(x) * exp(-x**2)"),
        ("(-x)**2", "(-x)**2"),
        ("-(x**2)", "-x**2"),
        ("(x**y)**z", "(x**y)**z"),
        ("x**(y**z)", "x**y**z"),
        ("2**(-x)", "2**-x"),
        ("x**(a*b)", "x**(a * b)"),
        ("2.5e-1 * x", "0.25 * x"),
        ("1e20 + 1e-7 + 2.0", "1e+20 + 1e-07 + 2"),
        ("- -z", "--z"),
    ],
)
def test_to_source_uses_minimal_parentheses(text, printed):
    assert to_source(parse(text)) == printed


def test_to_source_of_hand_built_negative_number_keeps_its_meaning():
    tree = Binary("**", Num(-2.0), Num(2.0))  # (-2)**2 == 4, not -(2**2)
    assert to_source(tree) == "(-2)**2"
    assert evaluate(parse(to_source(tree)), {}, FLOAT_OPS) == 4.0


def test_spans_are_character_columns_of_the_source():
    text = "(a+b)*(b+1)"
    tree = parse(text)
    assert tree.span == (0, 11)
    assert text[slice(*tree.left.span)] == "a+b"
    assert text[slice(*tree.right.right.span)] == "1"


def test_spans_count_characters_not_bytes_and_include_leading_spaces():
    text = "  é + ü*x"
    tree = parse(text)
    assert text[slice(*tree.left.span)] == "é"
    assert text[slice(*tree.right.right.span)] == "x"


def test_trees_are_immutable():
    with pytest.raises(AttributeError):
        parse("a + b").op = "-"


def test_nodes_refuse_unknown_operators_and_functions():
    with pytest.raises(ValueError):
        Binary("//", a, b)
    with pytest.raises(ValueError):
        Unary("~", a)
    with pytest.raises(ValueError):
        Call("__class__", a)


def test_variables_in_order_of_first_appearance():
    assert variables(parse("b * (a + b) / sin(c) + a")) == ["b", "a", "c"]
    assert variables(parse("2 + 3")) == []


@pytest.mark.parametrize("text, column, hint", [
    ("ｓｉｎ(x)", 0, "type 's' instead (turn off full-width input"),   # Python would read it as sin(x)
    ("x + ｙ", 4, "type 'y' instead"),
    ("x² + 1", 1, "for powers write x**2"),
    ("\u00b5 + 1", 0, "type 'μ' instead"),                             # the micro sign, not Greek mu
    ("（x）", 0, "type '(' instead"),
])
def test_look_alike_characters_are_refused_with_the_plain_one_to_type(text, column, hint):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.col == column and hint in str(caught.value)


def test_look_alike_names_in_values_are_refused_too():
    with pytest.raises(ExpressionError, match="type 'x' instead"):
        parse_assignments(["ｘ=2"])


def test_korean_and_greek_names_are_plain_text():
    assert variables(parse("가 * μ + 가")) == ["가", "μ"]
    assert parse_assignments(["가=2"]) == {"가": 2.0}


# --------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------


def sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


@pytest.mark.parametrize(
    "text, values, expected",
    [
        ("(a+b)*(b+1)", {"a": 2.0, "b": 1.0}, 6.0),
        ("sin(x)*exp(-x**2)", {"x": 0.5}, math.sin(0.5) * math.exp(-0.25)),
        ("tanh(w*x + c)", {"w": 0.5, "x": 2.0, "c": -0.25}, math.tanh(0.75)),
        ("2.5e-1 * x / y - -z", {"x": 8.0, "y": 4.0, "z": 3.0}, 3.5),
        ("-x**2", {"x": 3.0}, -9.0),
        ("2**3**2", {}, 512.0),
        ("log(sqrt(x)) + cos(0)", {"x": math.e**2}, 2.0),
        ("sigmoid(x) + relu(-x) + relu(x)", {"x": 1.5}, sigmoid(1.5) + 1.5),
        ("+a", {"a": 4.0}, 4.0),
    ],
)
def test_golden_evaluation(text, values, expected):
    assert evaluate(parse(text), values, FLOAT_OPS) == pytest.approx(expected, rel=1e-15)
    assert evaluate(parse(text), values, FLOAT_OPS_OBJECT) == pytest.approx(expected, rel=1e-15)


# Each text next to the same formula written as Python code: Python's own
# precedence and associativity are the reference.
PRECEDENCE_CASES = [
    ("a + b * c", lambda a, b, c: a + b * c),
    ("a * b + c", lambda a, b, c: a * b + c),
    ("a - b - c", lambda a, b, c: a - b - c),
    ("a - b + c", lambda a, b, c: a - b + c),
    ("a / b / c", lambda a, b, c: a / b / c),
    ("a / b * c", lambda a, b, c: a / b * c),
    ("a ** b ** c", lambda a, b, c: a ** b ** c),
    ("a ** b * c", lambda a, b, c: a ** b * c),
    ("a * b ** c", lambda a, b, c: a * b ** c),
    ("-a ** b", lambda a, b, c: -a ** b),
    ("-a ** -b", lambda a, b, c: -a ** -b),
    ("a ** -b ** c", lambda a, b, c: a ** -b ** c),
    ("-a * b", lambda a, b, c: -a * b),
    ("a * -b", lambda a, b, c: a * -b),
    ("a - -b", lambda a, b, c: a - -b),
    ("+a - +b * -c", lambda a, b, c: +a - +b * -c),
    ("(a + b) * (b + 1)", lambda a, b, c: (a + b) * (b + 1)),
    ("2.5e-1 * a / b - -c", lambda a, b, c: 2.5e-1 * a / b - -c),
    ("a - (b - c) / (a * (b + c))", lambda a, b, c: a - (b - c) / (a * (b + c))),
]

safe_floats = st.floats(min_value=0.25, max_value=4.0)


@pytest.mark.parametrize("text, python", PRECEDENCE_CASES, ids=[text for text, _ in PRECEDENCE_CASES])
@given(a=safe_floats, b=safe_floats, c=safe_floats)
def test_precedence_matches_python(text, python, a, b, c):
    assert value_of(text, a=a, b=b, c=c) == python(a, b, c)


class FreshObjects(Mapping):
    """Values that are a brand-new object on every lookup, to see how often evaluate looks."""

    def __init__(self, names):
        self.names = names

    def __getitem__(self, name):
        if name not in self.names:
            raise KeyError(name)
        return types.SimpleNamespace(name=name)

    def __iter__(self):
        return iter(self.names)

    def __len__(self):
        return len(self.names)


class RecordingOps:
    """ops whose every operation returns a new record of what it was called with."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, op_name):
        def op(*args):
            record = types.SimpleNamespace(op=op_name, args=args)
            self.calls.append(record)
            return record

        return op


def test_a_repeated_variable_is_the_same_object_every_time():
    ops = RecordingOps()
    result = evaluate(parse("(a+b)*(b+1)"), FreshObjects(["a", "b"]), ops)
    add_ab, one, add_b1, mul = ops.calls
    assert [call.op for call in ops.calls] == ["add", "const", "add", "mul"]
    assert add_ab.args[1] is add_b1.args[0]  # both occurrences of b
    assert add_ab.args[1].name == "b"
    assert one.args == (1.0,)
    assert add_b1.args[1] is one
    assert mul.args == (add_ab, add_b1)
    assert result is mul


def test_each_number_is_made_with_const_and_unary_plus_is_not_an_operation():
    ops = RecordingOps()
    evaluate(parse("+x * 2 + 2"), {"x": 1.0}, ops)
    assert [call.op for call in ops.calls] == ["const", "mul", "const", "add"]


def test_extra_values_are_ignored():
    assert value_of("a + 1", a=1.0, unused=5.0) == 2.0


def test_missing_values_are_listed_with_the_given_ones():
    with pytest.raises(ExpressionError) as info:
        evaluate(parse("a * c + d + c"), {"a": 1.0, "b": 2.0}, FLOAT_OPS)
    message = str(info.value)
    assert "no value given for c, d" in message
    assert "values given for: a, b" in message
    with pytest.raises(ExpressionError, match="values given for: none"):
        evaluate(parse("x"), {}, FLOAT_OPS)


# --------------------------------------------------------------------------
# Round trip on random trees
# --------------------------------------------------------------------------

numbers = st.one_of(
    st.integers(min_value=0, max_value=20).map(float),
    st.floats(min_value=0.0, max_value=1e30, allow_nan=False, allow_infinity=False),
).map(Num)
names = st.sampled_from(["a", "b", "x", "y"]).map(Var)
trees = st.recursive(
    numbers | names,
    lambda kids: st.one_of(
        st.builds(Unary, st.sampled_from(expr.UNARY_OPS), kids),
        st.builds(Binary, st.sampled_from(list(expr.BINARY_OPS)), kids, kids),
        st.builds(Call, st.sampled_from(sorted(FUNCTIONS)), kids),
    ),
    max_leaves=15,
)
environments = st.fixed_dictionaries({name: st.floats(min_value=-3.0, max_value=3.0) for name in "abxy"})


def reference(tree, env):
    """Evaluate a generated tree directly with Python's operators."""
    match tree:
        case Num(value):
            return value
        case Var(name):
            return env[name]
        case Unary("-", operand):
            return -reference(operand, env)
        case Unary("+", operand):
            return +reference(operand, env)
        case Binary(op, left, right):
            # ** on floats may return a complex number; math.pow raises instead, as FLOAT_OPS does.
            python = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": math.pow}
            return python[op](reference(left, env), reference(right, env))
        case Call(func, arg):
            return FLOAT_OPS[func](reference(arg, env))


def outcome(compute):
    """The value, or the type of error (math domain, overflow, division by zero)."""
    try:
        value = compute()
    except (ArithmeticError, ValueError) as error:
        return type(error)
    return "nan" if math.isnan(value) else value


@settings(max_examples=300)
@given(trees, environments)
def test_random_trees_print_parse_and_evaluate_back(tree, env):
    text = to_source(tree)
    parsed = parse(text)
    assert parsed == tree
    assert variables(parsed) == variables(tree)
    assert outcome(lambda: evaluate(parsed, env, FLOAT_OPS)) == outcome(lambda: reference(tree, env))


# --------------------------------------------------------------------------
# Bad input: each with its own message and column
# --------------------------------------------------------------------------

ALLOWED = "cos, exp, log, relu, sigmoid, sin, sqrt, tanh"

BAD_EXPRESSIONS = [
    # text, words the message must contain, 0-based column (None: no column)
    ("(a+b)*(b+", ["syntax error", "'(' was never closed"], 6),
    ("a +", ["syntax error", "ends too early"], 3),
    ("a b", ["syntax error"], 2),
    ("a $ b", ["syntax error"], 2),
    ("3x", ["syntax error", "invalid decimal literal"], 0),
    ("y = x**2", ["'=' is not allowed", "only the expression"], 2),
    ("", ["empty expression"], None),
    ("   ", ["empty expression"], None),
    ("a+" * 600 + "a", ["too long", "1201 characters", f"limit is {MAX_LENGTH}"], None),
    ("a\tb", ["invalid character U+0009", "one line"], 1),
    ("a\nb", ["invalid character U+000A"], 1),
    ("foo(x)", ["unknown function 'foo'", f"allowed functions: {ALLOWED}"], 0),
    ("x(2)", ["unknown function 'x'"], 0),
    ("a + __import__('os')", ["unknown function '__import__'"], 4),
    ("sin(x, y)", ["sin() takes exactly 1 argument, got 2"], 0),
    ("exp()", ["exp() takes exactly 1 argument, got 0"], 0),
    ("sin(x=1)", ["sin() takes no keyword arguments"], 4),
    ("sin(*x)", ["unpacking (*x) is not allowed"], 4),
    ("sin + 1", ["sin is a function, not a variable", "sin(x)"], 0),
    ("2 * relu", ["relu is a function, not a variable"], 4),
    ("sin(x)(y)", ["only named functions can be called"], 6),
    ("(a + b)(y)", ["only named functions can be called"], 7),
    ("x.sin(y)", ["attribute access (x.name) is not allowed"], 1),
    ("x.__class__", ["attribute access (x.name) is not allowed"], 1),
    ("().__class__", ["attribute access (x.name) is not allowed"], 2),
    ("a[0]", ["indexing (x[i]) is not allowed"], 1),
    ("a < b", ["comparison (<, ==, ...) is not allowed"], 2),
    ("a == b", ["comparison"], 2),
    ("a and b", ["and/or is not allowed"], 2),
    ("a if b else c", ["conditional", "is not allowed"], 2),
    ("lambda: 1", ["lambda is not allowed"], 0),
    ("(y := 2)", ["assignment (:=) is not allowed"], 1),
    ("a, b", ["a tuple (a, b) is not allowed"], 0),
    ("[a]", ["a list [...] is not allowed"], 0),
    ("{a: b}", ["a dict {...} is not allowed"], 0),
    ("[x for x in a]", ["a comprehension is not allowed"], 0),
    ("sin(x for x in a)", ["a generator expression is not allowed"], 3),
    ("f'{x}'", ["an f-string is not allowed"], 0),
    ("'abc'", ["a string is not allowed", "only numbers"], 0),
    ("b'abc'", ["a bytes string is not allowed"], 0),
    ("x + True", ["True/False is not allowed"], 4),
    ("None", ["None is not allowed"], 0),
    ("2 * 1j", ["a complex number is not allowed"], 4),
    ("...", ["Ellipsis"], 0),
    ("a @ b", ["operator '@' is not allowed", "only + - * / ** are"], 2),
    ("a // b", ["operator '//' is not allowed"], 2),
    ("(a) % b", ["operator '%' is not allowed"], 4),
    ("x ^ 2", ["operator '^' is not allowed", "x**2"], 2),
    ("~x", ["operator '~' is not allowed"], 0),
    ("not x", ["operator 'not' is not allowed"], 0),
    ("1e309", ["number is too large"], 0),
    ("x * 1e99999999999999999999", ["number is too large"], 4),
    ("9" * 400, ["number is too large"], 0),
]


@pytest.mark.parametrize("text, words, col", BAD_EXPRESSIONS, ids=[repr(t[:20]) for t, _, _ in BAD_EXPRESSIONS])
def test_bad_expression_has_a_clear_one_line_message(text, words, col):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    error = info.value
    message = str(error)
    assert "\n" not in message
    for word in words:
        assert word in message
    assert error.col == col
    if col is not None:
        assert message.startswith(f"column {col + 1}: ")


def test_expression_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse("a +")


def test_pointer_puts_a_caret_under_the_problem():
    with pytest.raises(ExpressionError) as info:
        parse("(a+b)*(b+")
    assert info.value.pointer == "  (a+b)*(b+\n        ^"
    with pytest.raises(ExpressionError) as info:
        parse("(a+b)*(b+1")  # an unclosed '(' is reported where it opens
    assert info.value.pointer.splitlines()[1] == "        ^"
    with pytest.raises(ExpressionError) as info:
        parse("a +")  # the end of the text
    assert info.value.pointer == "  a +\n     ^"


def test_pointer_counts_characters_and_blanks_out_control_characters():
    with pytest.raises(ExpressionError) as info:
        parse("é + ü $ 3")
    assert info.value.pointer == "  é + ü $ 3\n        ^"
    with pytest.raises(ExpressionError) as info:
        parse("a\nb")
    assert info.value.pointer == "  a b\n   ^"


def test_pointer_is_empty_without_a_position():
    with pytest.raises(ExpressionError) as info:
        parse("")
    assert info.value.pointer == ""


@pytest.mark.parametrize(
    "text",
    [
        "-" * 999 + "x",
        "-" * (MAX_DEPTH + 1) + "x",
        "sin(-" * 120 + "x" + ")" * 120,
        "(" * 300 + "x" + ")" * 300,
        "2" + "**2" * 300,
        "+".join("a" * 500),
    ],
    ids=["999 minus signs", "201 minus signs", "sin(- x120", "300 parentheses", "300 powers", "500 terms"],
)
def test_deep_nesting_is_an_expression_error_not_a_recursion_error(text):
    with pytest.raises(ExpressionError, match="nested"):
        parse(text)


def test_nesting_up_to_the_limit_is_fine():
    tree = parse("-" * (MAX_DEPTH - 1) + "x")
    assert variables(tree) == ["x"]
    assert evaluate(tree, {"x": 2.0}, FLOAT_OPS) == -2.0
    assert parse(to_source(tree)) == tree


# --------------------------------------------------------------------------
# Nothing is ever run
# --------------------------------------------------------------------------

ATTACKS = [
    "__import__('os').system('touch {marker}')",
    "(lambda: __import__('os').system('touch {marker}'))()",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "open('{marker}', 'w').write('x')",
    "exec(\"open('{marker}', 'w')\")",
    "eval(\"open('{marker}', 'w')\")",
    "sin.__globals__",
    "getattr(sin, '__globals__')",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_attacks_are_refused_and_nothing_runs(attack, tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    real_compile = builtins.compile

    def parse_only_compile(source, filename, mode, flags=0, *args, **kwargs):
        # ast.parse is compile(..., flags=PyCF_ONLY_AST): it builds a tree and stops.
        assert flags & ast.PyCF_ONLY_AST, "compiled code to run it"
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec was called")

    monkeypatch.setattr(builtins, "compile", parse_only_compile)
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    with pytest.raises(ExpressionError):
        parse(attack.format(marker=marker))
    assert not marker.exists()


def test_module_source_calls_no_eval_exec_compile_or_import():
    called = set()
    for path in sorted(Path(expr.__file__).parent.glob("*.py")):   # every file of the parser
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", None))
    assert "parse" in called  # ast.parse: the walk does see calls
    assert not called & {"eval", "exec", "compile", "__import__", "import_module"}


def test_a_dunder_name_is_just_a_variable_name():
    tree = parse("__builtins__ + 1")
    assert tree == Binary("+", Var("__builtins__"), Num(1.0))
    assert evaluate(tree, {"__builtins__": 1.0}, FLOAT_OPS) == 2.0


# --------------------------------------------------------------------------
# parse_assignments (--at a=2 b=1)
# --------------------------------------------------------------------------


def test_assignments():
    assert parse_assignments(["a=2", "b=1"]) == {"a": 2.0, "b": 1.0}
    assert parse_assignments(["x=-1.5e3", "y=.5", "z=+3", " w = 4 ", "v_2=1E-2"]) == {
        "x": -1500.0,
        "y": 0.5,
        "z": 3.0,
        "w": 4.0,
        "v_2": 0.01,
    }
    assert parse_assignments([]) == {}
    assert all(type(value) is float for value in parse_assignments(["a=2"]).values())


@pytest.mark.parametrize(
    "items, words",
    [
        (["a"], ["'a'", "expected name=value"]),
        (["a="], ["'a='", "number after 'a=' is missing"]),
        (["=2"], ["'=2'", "name before '=' is missing"]),
        (["a=foo"], ["'a=foo'", "'foo' is not a number"]),
        (["a=1", "b=2", "a=3"], ["'a=3'", "a is given twice"]),
        (["2x=1"], ["'2x' is not a variable name"]),
        (["a.b=1"], ["'a.b' is not a variable name"]),
        (["lambda=1"], ["'lambda' is not a variable name"]),
        (["sin=1"], ["sin is a function"]),
        (["a=inf"], ["finite"]),
        (["a=nan"], ["finite"]),
        (["a=1e309"], ["finite"]),
        (["a=1=2"], ["'1=2' is not a number"]),
    ],
)
def test_bad_assignments(items, words):
    with pytest.raises(ExpressionError) as info:
        parse_assignments(items)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message
