"""No input crashes hplint, and no fix leaves a file worse than it was.

Each odd input goes through the real command (a subprocess, so that even a
crash of the native parser is a failed test, not a dead test run) or through
the engine where the guarantee is the engine's.
"""

from __future__ import annotations

import ast
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import List

import libcst as cst
import pytest

from hplint.core.config import Config
from hplint.core.diagnostics import Safety
from hplint.core.registry import get_rule
from hplint.core.rule import Rule
from hplint.engine import lint as engine
from hplint.engine import syntax
from hplint.engine.lint import fix_source, lint_source
from hplint.frontends import files
from hplint.frontends.files import read_source, write_source
from hplint.frontends.runner import Mode, check_source

OBJECTIVE = (
    "import optuna  # tuning\n"
    "\n"
    "\n"
    "def objective(trial):\n"
    "    lr = trial.suggest_loguniform('lr', 1e-5, 1e-1)   # keep   this  spacing\n"
    "    return lr\n"
)
BAD_CALL = "trial.suggest_loguniform('lr', 1e-5, 1e-1)"
GOOD_CALL = "trial.suggest_float('lr', 1e-5, 1e-1, log=True)"


def run(args: List[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hplint", "--isolated", "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def error_lines(result: subprocess.CompletedProcess, code: str) -> List[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if f" {code} " in line]


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr


def assert_only_fix_span_changed(before: bytes, after: bytes, old: bytes, new: bytes) -> None:
    """Every byte outside the one replaced span is identical."""
    start = before.index(old)
    assert after[:start] == before[:start]
    assert after[start : start + len(new)] == new
    assert after[start + len(new) :] == before[start + len(old) :]


# ---------------------------------------------------------------------------
# inputs


def test_empty_file_is_clean(tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_bytes(b"")
    result = run(["--fix", "empty.py"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "empty.py").read_bytes() == b""


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
@pytest.mark.parametrize("bom", [True, False])
def test_bom_and_line_endings_are_kept_by_findings_and_fixes(tmp_path: Path, newline: str, bom: bool) -> None:
    data = ("\ufeff" if bom else "").encode() + OBJECTIVE.replace("\n", newline).encode()
    target = tmp_path / "t.py"
    target.write_bytes(data)
    found = run(["t.py"], tmp_path)
    assert found.stdout.startswith("t.py:5:10: HPL206 "), found.stdout
    fixed = run(["--fix", "t.py"], tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert_only_fix_span_changed(data, target.read_bytes(), BAD_CALL.encode(), GOOD_CALL.encode())


def test_latin1_cookie_keeps_encoding_and_non_ascii_text_through_a_fix(tmp_path: Path) -> None:
    text = "# -*- coding: latin-1 -*-\n# café, naïve, 25 °C\n" + OBJECTIVE
    data = text.encode("latin-1")
    target = tmp_path / "t.py"
    target.write_bytes(data)
    result = run(["--fix", "t.py"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    after = target.read_bytes()
    assert b"caf\xe9, na\xefve, 25 \xb0C" in after
    assert_only_fix_span_changed(data, after, BAD_CALL.encode(), GOOD_CALL.encode())


def test_undecodable_bytes_give_one_clear_line_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a_bad.py").write_bytes(b"x = 1\ny = 2\nz = '\xff\xfe'\n")
    (tmp_path / "b_good.py").write_text(OBJECTIVE)
    result = run(["."], tmp_path)
    assert result.returncode == 2
    assert_no_traceback(result)
    (line,) = error_lines(result, "HPL002")
    assert "a_bad.py:1:1: HPL002 not valid utf-8: byte 0xff at line 3, column 6" in line
    assert "b_good.py:5:10: HPL206" in result.stdout


def test_binary_file_named_py_is_reported_not_parsed(tmp_path: Path) -> None:
    (tmp_path / "blob.py").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "good.py").write_text(OBJECTIVE)
    result = run(["--fix", "."], tmp_path)
    assert result.returncode == 2
    assert_no_traceback(result)
    (line,) = error_lines(result, "HPL002")
    assert "blob.py" in line and "binary file" in line
    assert GOOD_CALL in (tmp_path / "good.py").read_text()


@pytest.mark.parametrize(
    "source, fragment",
    [
        (OBJECTIVE + "def broken(:\n    pass\n", "SyntaxError"),
        ("print 'hello'\nexec 'x = 1'\n" + OBJECTIVE, "SyntaxError"),
        ("def f():\n\treturn 1\n        return 2\n" + OBJECTIVE, "Error"),
    ],
    ids=["syntax-error", "python2", "inconsistent-indentation"],
)
def test_unparsable_code_is_reported_and_never_fixed(tmp_path: Path, source: str, fragment: str) -> None:
    (tmp_path / "t.py").write_text(source)
    (tmp_path / "u.py").write_text(OBJECTIVE)
    result = run(["--fix", "."], tmp_path)
    assert result.returncode == 2
    assert_no_traceback(result)
    (line,) = error_lines(result, "HPL001")
    assert "t.py:" in line and fragment in line
    assert (tmp_path / "t.py").read_text() == source
    assert GOOD_CALL in (tmp_path / "u.py").read_text()


NEW_SYNTAX = {
    "pep695": "type Pair[T] = tuple[T, T]\n\n\ndef first[T](pair: Pair[T]) -> T:\n    return pair[0]\n",
    "nested-fstring": "label = f\"{f\"{'lr'}\"}={f'{1e-3:.0e}'}\"\n",
    "match": "match sampler:\n    case {'name': 'tpe', **rest}:\n        pass\n    case [first, *_]:\n        pass\n    case _:\n        pass\n",
}


@pytest.mark.parametrize("name", sorted(NEW_SYNTAX))
def test_newest_syntax_is_linted_and_fixed(name: str) -> None:
    source = NEW_SYNTAX[name] + OBJECTIVE
    offset = NEW_SYNTAX[name].count("\n")
    found = lint_source(source, "t.py")
    assert [(d.code, d.line) for d in found] == [("HPL206", 5 + offset)]
    result = fix_source(source, "t.py")
    assert result.source == source.replace(BAD_CALL, GOOD_CALL)
    cst.parse_module(result.source)


def test_syntax_newer_than_the_running_python_is_still_linted() -> None:
    # libcst reads 3.12 syntax on any Python; the running ast may not.
    source = NEW_SYNTAX["pep695"] + NEW_SYNTAX["nested-fstring"] + OBJECTIVE
    try:
        ast.parse(source)
        ast_accepts = True
    except SyntaxError:
        ast_accepts = False
    assert ast_accepts == (sys.version_info >= (3, 12))
    assert [d.code for d in lint_source(source, "t.py")] == ["HPL206"]


def test_hundred_thousand_line_file_finishes() -> None:
    # real code (hplint's own modules, repeated): docstrings, comments, classes
    package = Path(engine.__file__).parent
    module = "".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py")))
    filler = module * (100_000 // module.count("\n") + 1)
    source = OBJECTIVE + filler + OBJECTIVE.replace("objective", "objective_two")
    assert source.count("\n") > 100_000
    start = time.perf_counter()
    found = lint_source(source, "big.py")
    elapsed = time.perf_counter() - start
    assert [d.code for d in found if d.code == "HPL206"] == ["HPL206", "HPL206"]
    assert elapsed < 600, f"{elapsed:.1f}s for 100,000 lines"  # a hang guard; about 110 s on an idle CI core


DEEP = {
    "parentheses": lambda n: "x = " + "(" * n + "1" + ")" * n + "\n",
    "lists": lambda n: "x = " + "[" * n + "]" * n + "\n",
    "binary-operators": lambda n: "x = " + " + ".join(["1"] * n) + "\n",
    "unary-operators": lambda n: "x = " + "-" * n + "1\n",
    "attributes": lambda n: "x = a" + ".b" * n + "\n",
    "calls": lambda n: "x = f" + "()" * n + "\n",
    "subscripts": lambda n: "x = a" + "[0]" * n + "\n",
    "lambdas": lambda n: "x = " + "lambda: " * n + "1\n",
    "conditionals": lambda n: "x = " + "1 if c else " * n + "1\n",
    "newer-syntax-then-parentheses": lambda n: "type T = int\n" + "x = " + "(" * n + "1" + ")" * n + "\n",
    "multi-line-chain": lambda n: "x = (\n" + " +\n".join(["    a"] * n) + "\n)\n",
}


@pytest.mark.parametrize("kind", sorted(DEEP))
def test_nesting_thousands_deep_is_reported_not_crashed(tmp_path: Path, kind: str) -> None:
    (tmp_path / "deep.py").write_text(DEEP[kind](5000) + OBJECTIVE)
    (tmp_path / "ok.py").write_text(OBJECTIVE)
    start = time.perf_counter()
    result = run(["--fix", "."], tmp_path, timeout=120)
    assert time.perf_counter() - start < 60
    assert result.returncode == 2, result.stdout + result.stderr  # not -11: the parser did not crash
    assert_no_traceback(result)
    (line,) = error_lines(result, "HPL001")
    assert "deep.py" in line and ("nested" in line or "too complex" in line)
    assert GOOD_CALL in (tmp_path / "ok.py").read_text()


@pytest.mark.parametrize("kind", sorted(k for k in DEEP if "syntax" not in k and k not in ("parentheses", "lists")))
def test_nesting_hundreds_deep_never_raises(kind: str) -> None:
    source = DEEP[kind](300) + OBJECTIVE
    found = lint_source(source, "t.py")
    assert found and {d.code for d in found} <= {"HPL206", "HPL001"}
    fix_source(source, "t.py")


def test_nesting_problem_leaves_real_code_alone() -> None:
    real = Path(engine.__file__).read_text() + Path(files.__file__).read_text()
    assert syntax.nesting_problem(real) is None
    wide = "table = [" + ", ".join(f"({i}, -{i}, 'x' + str({i}))" for i in range(5000)) + "]\n"
    assert syntax.nesting_problem(wide) is None


def test_dangling_symlink_symlink_loop_and_fifo_are_reported_and_others_linted(tmp_path: Path) -> None:
    (tmp_path / "dangling.py").symlink_to(tmp_path / "missing.py")
    (tmp_path / "loop_a.py").symlink_to(tmp_path / "loop_b.py")
    (tmp_path / "loop_b.py").symlink_to(tmp_path / "loop_a.py")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "again").symlink_to(tmp_path, target_is_directory=True)  # a directory loop
    os.mkfifo(tmp_path / "pipe.py")  # opening it for reading would block forever
    (tmp_path / "good.py").write_text(OBJECTIVE)
    result = run(["--fix", "."], tmp_path, timeout=60)
    assert result.returncode == 2
    assert_no_traceback(result)
    errors = error_lines(result, "HPL002")
    assert sorted(line.split(":")[0] for line in errors) == [
        "./dangling.py", "./loop_a.py", "./loop_b.py", "./pipe.py",
    ]
    assert any("not a regular file" in line for line in errors)
    assert GOOD_CALL in (tmp_path / "good.py").read_text()


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    with pytest.raises(files.SourceError, match="not a regular file"):
        read_source(str(tmp_path / "pipe.py"))


def test_path_that_does_not_exist(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(OBJECTIVE)
    result = run(["missing.py", "good.py"], tmp_path)
    assert result.returncode == 2
    assert error_lines(result, "HPL002") == ["missing.py:1:1: HPL002 no such file or directory"]
    assert "good.py:5:10: HPL206" in result.stdout


def test_file_changed_between_reading_and_writing_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "t.py"
    target.write_text(OBJECTIVE)
    source = read_source(str(target))
    newer = OBJECTIVE + "# edited meanwhile\n"
    target.write_text(newer)
    outcome = check_source(source, Config(), Mode(fix=True))
    assert target.read_text() == newer
    assert outcome.failed and "changed while hplint was running" in (outcome.error or "")
    assert sorted(d.code for d in outcome.diagnostics) == ["HPL002", "HPL206"]
    assert not outcome.fixed


# ---------------------------------------------------------------------------
# fix guarantees


def test_fix_parses_is_idempotent_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "t.py"
    target.write_text(OBJECTIVE)
    target.chmod(0o640)
    inode = target.stat().st_ino
    first = run(["--fix", "t.py"], tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    after = target.read_bytes()
    ast.parse(after)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.py"]  # no temporary file left
    second = run(["--fix", "t.py"], tmp_path)
    assert second.returncode == 0 and target.read_bytes() == after


def test_failed_write_leaves_the_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "t.py"
    target.write_text(OBJECTIVE)
    source = read_source(str(target))

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(files.SourceError, match="No space left"):
        write_source(source, OBJECTIVE.replace(BAD_CALL, GOOD_CALL))
    assert target.read_text() == OBJECTIVE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.py"]


def test_diff_writes_nothing_even_with_bom_and_crlf(tmp_path: Path) -> None:
    target = tmp_path / "t.py"
    data = b"\xef\xbb\xbf" + OBJECTIVE.replace("\n", "\r\n").encode()
    target.write_bytes(data)
    before = target.stat()
    result = run(["--diff", "--unsafe-fixes", "t.py"], tmp_path)
    assert result.returncode == 1
    assert "+    lr = " + GOOD_CALL in result.stdout
    assert target.read_bytes() == data and target.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.py"]


def test_read_only_file_is_reported_not_written(tmp_path: Path) -> None:
    # As root os.access() allows writing anything; the mode bits still say no.
    target = tmp_path / "t.py"
    target.write_text(OBJECTIVE)
    target.chmod(0o444)
    (tmp_path / "u.py").write_text(OBJECTIVE)
    result = run(["--fix", "."], tmp_path)
    assert result.returncode == 2
    assert_no_traceback(result)
    assert error_lines(result, "HPL002") == ["./t.py:1:1: HPL002 file is read-only; fix not written"]
    assert "./t.py:5:10: HPL206" in result.stdout  # reported as not fixed
    assert target.read_text() == OBJECTIVE and stat.S_IMODE(target.stat().st_mode) == 0o444
    assert GOOD_CALL in (tmp_path / "u.py").read_text()


class _RenameTrial(Rule):
    """A test rule whose fix overlaps HPL206's: it renames ``trial`` in the call."""

    code = "HPL990"
    name = "rename-trial"
    family = "search-space"
    summary = "test"
    why = "test"
    fix_safety = Safety.SAFE

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "trial":
            new = node.with_changes(func=func.with_changes(value=cst.Name("study_trial")))
            self.report(node, "rename", self.ctx.fix(Safety.SAFE, [self.ctx.replace(node, new)], "rename"))


class _BreakCode(Rule):
    """A test rule whose fix would not parse."""

    code = "HPL991"
    name = "break-code"
    family = "search-space"
    summary = "test"
    why = "test"
    fix_safety = Safety.SAFE

    def visit_Return(self, node: cst.Return) -> None:
        self.report(node, "break", self.ctx.fix(Safety.SAFE, [self.ctx.replace(node, "return )(")], "break"))


class _Crash(Rule):
    """A test rule with a bug."""

    code = "HPL992"
    name = "crash"
    family = "search-space"
    summary = "test"
    why = "test"

    def visit_Return(self, node: cst.Return) -> None:
        raise AttributeError("'Return' object has no attribute 'nothing'")


def _with_rules(monkeypatch: pytest.MonkeyPatch, *extra: type) -> None:
    base = get_rule("HPL206")
    monkeypatch.setattr(engine, "rules_for", lambda config, path=None: [base, *extra])
    monkeypatch.setattr(engine, "candidate_rules", lambda source, rules, *a, **k: list(rules))


def test_overlapping_fixes_are_applied_one_after_the_other(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_rules(monkeypatch, _RenameTrial)
    first = lint_source(OBJECTIVE, "t.py")
    hpl206, rename = (d for d in first if d.code in ("HPL206", "HPL990"))
    assert hpl206.fix.edits[0].overlaps(rename.fix.edits[0])  # type: ignore[union-attr]
    result = fix_source(OBJECTIVE, "t.py")
    assert "study_trial.suggest_float('lr', 1e-5, 1e-1, log=True)" in result.source
    assert sorted(d.code for d in result.fixed) == ["HPL206", "HPL990"]
    assert result.rounds == 2
    assert not [d for d in result.remaining if d.fix is not None]


def test_fix_that_breaks_the_code_is_refused_and_the_others_applied(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_rules(monkeypatch, _BreakCode)
    result = fix_source(OBJECTIVE, "t.py")
    assert result.source == OBJECTIVE.replace(BAD_CALL, GOOD_CALL)
    assert [d.code for d in result.refused] == ["HPL991"]


def test_a_crashing_rule_is_one_finding_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_rules(monkeypatch, _Crash)
    (found,) = lint_source(OBJECTIVE, "t.py")
    assert found.code == "HPL001" and syntax.INTERNAL_ERROR in found.message
    assert "AttributeError" in found.message and "test_reliability.py" in found.message
    assert fix_source(OBJECTIVE, "t.py").source == OBJECTIVE


def test_fixes_keep_unusual_formatting_byte_for_byte(tmp_path: Path) -> None:
    body = (
        "#!/usr/bin/env python\n"
        "# -*- coding: utf-8 -*-\n"
        "import optuna ;  import math\t# tabs\tand  spaces\n"
        "def objective(trial):  # résumé\n"
        "    x = trial.suggest_loguniform(\n"
        "        'lr',   # lower\n"
        "        1e-5, 1e-1)\n"
        "    s = '''trial.suggest_loguniform('lr', 1e-5, 1e-1)'''\n"
        "    return x   \\\n"
        "        + 0\n"
        "\n\n\n"
    )
    target = tmp_path / "t.py"
    target.write_text(body, encoding="utf-8")
    result = run(["--fix", "t.py"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    after = target.read_text(encoding="utf-8")
    start = body.index("trial.suggest_loguniform(\n")
    end = body.index("1e-1)\n") + len("1e-1)")
    assert after.startswith(body[:start]) and after.endswith(body[end:])
    ast.parse(after)
    assert "suggest_loguniform" in after.split("'''")[1]  # the string is not code


# ---------------------------------------------------------------------------
# configuration


@pytest.mark.parametrize(
    "toml, fragment",
    [
        ("[tool.hplint]\ntrial-minutes = 'half an hour'\n", "tool.hplint.trial-minutes: expected a number"),
        ("[tool.hplint]\ntrial-minutes = -5\n", "tool.hplint.trial-minutes: expected a number > 0, got -5"),
        ("[tool.hplint]\ntrial-minutes = nan\n", "tool.hplint.trial-minutes: expected a finite number (> 0), got nan"),
        ("[tool.hplint]\ntrial-minutes = inf\n", "tool.hplint.trial-minutes: expected a finite number (> 0), got inf"),
        ("[tool.hplint]\nrandom-trials-fraction = 0\n", "tool.hplint.random-trials-fraction: expected a number > 0 and <= 1, got 0"),
        ("[tool.hplint]\nrandom-trials-fraction = 5\n", "tool.hplint.random-trials-fraction: expected a number > 0 and <= 1, got 5"),
        ("[tool.hplint]\ngrid-min-dimensions = 1\n", "tool.hplint.grid-min-dimensions: expected a number >= 2, got 1"),
        ("[tool]\nhplint = 5\n", "tool.hplint: expected a table"),
        ("[tool.hplint]\nmin-trials = 2.5\n", "tool.hplint.min-trials: expected an integer"),
        ("[tool.hplint]\nmin-trials = true\n", "tool.hplint.min-trials: expected a number"),
        ("[tool.hplint]\nextend-select = [1]\n", "tool.hplint.extend-select: expected a list of strings"),
        ("[tool.hplint]\nignore = ['E501']\n", "tool.hplint.ignore: unknown rule code or prefix 'E501'"),
        ("[tool.hplint]\nper-file-ignores = ['x']\n", "tool.hplint.per-file-ignores: expected a table"),
        ("[tool.hplint.per-file-ignores]\n'a.py' = ['HPL9']\n", "unknown rule code or prefix 'HPL9'"),
        ("tool.hplint = 3\n", "tool.hplint: expected a table"),
        ("[tool.hplint]\nselect = ['HPL2']\nselect = ['HPL3']\n", "invalid TOML"),
        ("[tool.hplint]\nexclude = ['a'\n", "invalid TOML"),
    ],
)
def test_config_problem_is_one_line_with_file_and_key(tmp_path: Path, toml: str, fragment: str) -> None:
    (tmp_path / "pyproject.toml").write_text(toml)
    (tmp_path / "t.py").write_text(OBJECTIVE)
    result = subprocess.run(
        [sys.executable, "-m", "hplint", "--no-cache", "t.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "pyproject.toml" in lines[0] and fragment in lines[0], lines[0]


def test_found_config_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    """A pyproject.toml that names hplint but is not UTF-8 is an error, never silently skipped."""
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.hplint]\nselect = ['HPL2']\n# caf\xe9\n")
    (tmp_path / "t.py").write_text(OBJECTIVE)
    result = subprocess.run(
        [sys.executable, "-m", "hplint", "--no-cache", "t.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "pyproject.toml" in line and "not valid UTF-8" in line


def test_explicit_config_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "cfg.toml").write_bytes(b"[tool.hplint]\nselect = ['\xff']\n")
    (tmp_path / "t.py").write_text(OBJECTIVE)
    result = subprocess.run(
        [sys.executable, "-m", "hplint", "--config", "cfg.toml", "t.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "cfg.toml" in line and "cannot read" in line


@pytest.mark.parametrize("args", [["--select", "HPL999"], ["--ignore", "XYZ"], ["--output-format", "yaml"], ["--bogus"]])
def test_bad_command_line_is_one_line_exit_2(tmp_path: Path, args: List[str]) -> None:
    (tmp_path / "t.py").write_text(OBJECTIVE)
    result = run([*args, "t.py"], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("hplint: error:") and "Traceback" not in result.stderr, result.stderr
