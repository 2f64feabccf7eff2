"""W&B sweep files (YAML/JSON): findings, near misses, span-exact fixes, and
the CLI over a folder where most YAML is not a sweep."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, expected_findings
from hplint.core.config import config_from_mapping
from hplint.sweeps.lint import fix_sweep, lint_sweep
from hplint.sweeps.reader import compose, may_hold_sweep, number_of

SWEEPS = FIXTURES / "sweeps"
ALL = config_from_mapping({"select": ["HPL"]}, where="test")
# JSON has no comments to carry ``# expect:`` markers
JSON_EXPECTED = {"sweep.json": [(5, "HPL203"), (6, "HPL205")], "package.json": []}


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _cases():
    for path in sorted(SWEEPS.iterdir()):
        if path.is_file():
            yield pytest.param(path, id=path.name)


@pytest.mark.parametrize("path", list(_cases()))
def test_fixture_expectations(path: Path) -> None:
    source = _read(path)
    found = lint_sweep(source, str(path), ALL)
    expected = JSON_EXPECTED[path.name] if path.suffix == ".json" else expected_findings(source)
    assert sorted((d.line, d.code) for d in found) == expected, "\n".join(f"{d.line}:{d.col + 1} {d.code} {d.message}" for d in found)


def _fix_cases():
    for path in sorted((SWEEPS / "fixes").iterdir()):
        if ".fixed." in path.name or ".unsafe-fixed." in path.name:
            continue
        for kind, unsafe in (("fixed", False), ("unsafe-fixed", True)):
            expected = path.with_name(f"{path.stem}.{kind}{path.suffix}")
            if expected.exists():
                yield pytest.param(path, expected, unsafe, id=expected.name)


@pytest.mark.parametrize("path, expected, unsafe", list(_fix_cases()))
def test_fix_pairs(path: Path, expected: Path, unsafe: bool) -> None:
    source = _read(path)
    run = fix_sweep(source, str(path), ALL, unsafe=unsafe)
    assert run.document.text == _read(expected)
    compose(run.document.text, str(path))  # still parses
    again = fix_sweep(run.document.text, str(path), ALL, unsafe=unsafe)
    assert not again.fixed


def _without_distributions(value):
    if isinstance(value, dict):
        return {k: _without_distributions(v) for k, v in value.items() if k != "distribution"}
    return value


def test_fixed_values_mean_what_they_meant() -> None:
    """Only distributions, the method and the run cap change: every bound, value and other key loads the same."""
    path = SWEEPS / "fixes" / "wandb_sweep.yaml"
    before = yaml.safe_load(_read(path))
    after = yaml.safe_load(_read(path.with_name("wandb_sweep.unsafe-fixed.yaml")))
    assert (before.pop("method"), after.pop("method"), after.pop("run_cap")) == ("grid", "random", 12)
    assert _without_distributions(after) == _without_distributions(before)
    assert after["parameters"]["eps"]["distribution"] == "log_uniform_values"
    assert after["defaults"] == before["defaults"]  # an anchor other keys share is not rewritten


def test_messages_carry_the_numbers() -> None:
    found = {d.code: d for d in lint_sweep(_read(SWEEPS / "fixes" / "sweep.json"), "sweep.json", ALL)}
    assert "(min 1e-5, max 1e-1)" in found["HPL203"].message and "90% of samples land in the top decade" in found["HPL203"].message
    assert "e**1e-8..e**1e-4 = 1..1.0001" in found["HPL205"].message
    assert "4×3×3 = 36 configurations" in found["HPL102"].message and "run_cap: 12" in found["HPL102"].message
    assert (found["HPL203"].line, found["HPL203"].col) == (5, 8)


def test_yaml_1_1_exponent_without_dot_is_a_number() -> None:
    node = compose("min: 1e-5\n")[0].value[0][1]
    assert node.tag.endswith(":str")  # what a YAML 1.1 loader thinks
    assert number_of(node) == 1e-5
    assert number_of(compose('min: "1e-5"\n')[0].value[0][1]) is None  # quoted: a string
    assert number_of(compose("min: ${lr_min}\n")[0].value[0][1]) is None  # interpolation: not known


@pytest.mark.parametrize("name", ["k8s_job.yaml", "docker-compose.yml"])
def test_other_yaml_is_rejected_on_the_text(name: str) -> None:
    assert not may_hold_sweep(_read(SWEEPS / name))


def test_selection_noqa_and_per_file_ignores() -> None:
    source = _read(SWEEPS / "wandb_sweep.yaml")
    codes = lambda config: sorted({d.code for d in lint_sweep(source, "conf/wandb_sweep.yaml", config)})  # noqa: E731
    assert codes(ALL) == ["HPL203", "HPL205"]
    assert codes(config_from_mapping({"ignore": ["HPL203"]}, where="test")) == ["HPL205"]
    assert codes(config_from_mapping({"select": ["HPL1"]}, where="test")) == []
    assert codes(config_from_mapping({"per-file-ignores": {"conf/*.yaml": ["HPL2"]}}, where="test")) == []
    # a noqa on the parameter's lines (its key or a bound) silences it
    noqa = _read(SWEEPS / "noqa_sweep.yaml")
    assert [d.code for d in lint_sweep(noqa, "noqa_sweep.yaml", ALL)] == ["HPL205"]
    assert len(lint_sweep(noqa, "noqa_sweep.yaml", dataclasses.replace(ALL, disable_noqa=True))) == 3


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / "configs").mkdir()
    (root / "configs" / "sweep.yaml").write_text(_read(SWEEPS / "fixes" / "wandb_sweep.yaml"))
    (root / ".github" / "workflows" / "ci.yml").write_text(_read(SWEEPS / "github_workflow.yml"))
    (root / "docker-compose.yml").write_text(_read(SWEEPS / "docker-compose.yml"))
    (root / "configs" / "broken_other.yaml").write_text("key: [unclosed\n")  # not a sweep: not our business
    (root / "data.json").write_bytes(b"\x00\x01binary")
    (root / "package.json").write_text(_read(SWEEPS / "package.json"))
    return root


def _hplint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hplint", "--no-cache", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_cli_reports_only_the_sweep_in_every_format(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    concise = _hplint(".", cwd=root)
    assert concise.returncode == 1
    reported = {Path(line.split(":")[0]).as_posix() for line in concise.stdout.splitlines() if ": HPL" in line}
    assert reported == {"configs/sweep.yaml"}, concise.stdout
    assert "configs/sweep.yaml:13:3: HPL203" in concise.stdout
    data = json.loads(_hplint(".", "--output-format", "json", cwd=root).stdout)
    assert {Path(d["path"]).as_posix() for d in data} == {"configs/sweep.yaml"}
    sarif = json.loads(_hplint(".", "--output-format", "sarif", cwd=root).stdout)
    assert any("sweep.yaml" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"])
    assert "configs/sweep.yaml,line=13" in _hplint(".", "--output-format", "github", cwd=root).stdout
    assert "sweep.yaml" in _hplint(".", "--output-format", "junit", cwd=root).stdout


def test_cli_fix_rewrites_only_the_sweep(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    _hplint(".", "--fix", "--unsafe-fixes", cwd=root)
    changed = {p.relative_to(root).as_posix() for p, data in before.items() if p.read_bytes() != data}
    assert changed == {"configs/sweep.yaml"}
    assert (root / "configs" / "sweep.yaml").read_text() == _read(SWEEPS / "fixes" / "wandb_sweep.unsafe-fixed.yaml")


def _sweep_examples():
    from hplint.core.registry import all_rules

    for rule in all_rules():
        for number, example in enumerate(rule.sweep_examples):
            yield pytest.param(rule, example, id=f"{rule.code}-{number}")


@pytest.mark.parametrize("rule, example", list(_sweep_examples()))
def test_rule_sweep_examples(rule, example) -> None:
    """The YAML form each rule documents is reported, and fixed as documented."""
    config = config_from_mapping({"select": [rule.code]}, where="test")
    assert [d.code for d in lint_sweep(example.source, "sweep.yaml", config)] == [rule.code]
    if example.fixed_source is not None:
        unsafe = rule.fix_safety is not None and not rule.fix_safety.value == "safe"
        assert fix_sweep(example.source, "sweep.yaml", config, unsafe=unsafe).document.text == example.fixed_source


def test_cli_add_noqa_writes_yaml_comments_and_leaves_json(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    (root / "sweep.json").write_text(_read(SWEEPS / "fixes" / "sweep.json"))
    json_before = (root / "sweep.json").read_bytes()
    _hplint(".", "--add-noqa", cwd=root)
    text = (root / "configs" / "sweep.yaml").read_text()
    assert "method: grid   # every combination  # noqa: HPL102\n" in text
    assert "  learning_rate:  # noqa: HPL203\n" in text
    assert (root / "sweep.json").read_bytes() == json_before  # JSON has no comments
    assert _hplint("configs", cwd=root).returncode == 0


OVERRIDE_VALUES = [
    "interval(0.0001, 0.1)", "interval(1e-6,1e-2)", " interval( 1.0e-5 , 3e-1 ) ", "interval(1, 10)", "interval(-1, 1)",
    "interval(1_000, 2_000)", "interval(.5, 1.)", "tag(log, interval(1e-5, 1e-1))", "tag(log,interval(1, 10))",
    "choice(0.1, 0.01)", "range(1, 10)", "interval(${lr_min}, 0.1)", "interval(a, b)", "0.1,0.01", "interval(0.1)",
    "glob(*)", "shuffle(1, 2, 3)", "interval(start=0.1, end=1)",
]


@pytest.mark.parametrize("value", OVERRIDE_VALUES)
def test_interval_reading_agrees_with_hydras_parser(value: str) -> None:
    """Where the sweep reader finds a linear interval, Hydra's own override
    parser reads the same bounds and no tag."""
    parser_module = pytest.importorskip("hydra.core.override_parser.overrides_parser")
    from hplint.sweeps.hydra import linear_interval

    mine = linear_interval(value)
    try:
        theirs = parser_module.OverridesParser.create().parse_override(f"key={value.strip()}").value()
    except Exception:
        theirs = None
    if mine is not None:
        assert type(theirs).__name__ == "IntervalSweep" and not theirs.tags
        assert (theirs.start, theirs.end) == pytest.approx(mine)


def test_cli_diff_and_stdin(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    before = (root / "configs" / "sweep.yaml").read_text()
    diff = _hplint("configs/sweep.yaml", "--diff", cwd=root)
    assert "+    distribution: log_uniform_values" in diff.stdout
    assert (root / "configs" / "sweep.yaml").read_text() == before  # --diff writes nothing
    piped = subprocess.run(
        [sys.executable, "-m", "hplint", "--no-cache", "--fix", "--stdin-filename", "sweep.yaml", "-"],
        cwd=root, input=before, capture_output=True, text=True, timeout=300,
    )
    assert piped.stdout == _read(SWEEPS / "fixes" / "wandb_sweep.fixed.yaml")


SWEEP_SIZES = [
    ("0.1,0.01,0.001", 3), ("a b, c d", 2), ("1,1,1", 3), ("0.1 ,0.2", 2), ("1.0e-3,1.0e-4", 2), ("[1,2],[3,4]", 2),
    ("{a: 1, b: 2},{a: 3}", 2), ('"x,y",z', 2), ("choice(a,b,c)", 3), ("choice('a,b', c)", 2), ("choice(1)", 1),
    ("range(1,10)", 9), ("range(5)", 5), ("range(0,1,step=0.1)", 10), ("range(0, 1, 0.1)", 10), ("range(0,1,0.3)", 4),
    ("range(start=0,stop=1,step=0.25)", 4), ("range(1,2,0.3)", 4), ("range(10,0,-2)", 5), ("range(1e-3, 1e-2, 1e-3)", 9),
    ("range(0)", 0), ("sort(3,1,2)", 3), ("shuffle(1,2,3)", 3), ("shuffle(choice(1,2,3))", 3), ("tag(log, choice(1,2))", 2),
    ("int(choice(1,2))", 2), ("int(3.5)", 1), ("null", 1), ("x", 1), ("'a,b'", 1), ("[1,2,3]", 1), ("adam", 1),
    # not written in the value, or not a basic-sweeper value: no size
    ("glob(*)", None), ("${lrs}", None), ("a,${b}", None), ("interval(0.1, 1.0)", None), ("sort(range(1,4), reverse=true)", None),
    ("choice()", None), ("range(1,10,0)", None), ("a\\,b", None), ("1,,2", None), ("(1,2", None),
]


@pytest.mark.parametrize("value, size", SWEEP_SIZES)
def test_sweep_sizes_agree_with_hydras_parser(value: str, size) -> None:
    """Every size read here is the number of runs Hydra's own parser makes of the value."""
    from hplint.sweeps.overrides import sweep_size

    assert sweep_size(value) == size
    parser_module = pytest.importorskip("hydra.core.override_parser.overrides_parser")
    if size is None:
        return
    override = parser_module.OverridesParser.create().parse_override(f"key={value}")
    assert (len(list(override.sweep_string_iterator())) if override.is_sweep_override() else 1) == size


def _multirun_folder(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("configs/experiment", "scripts", ".github/workflows", "docs"):
        (root / folder).mkdir(parents=True)
    for name, where in (
        ("hydra_basic_grid.yaml", "configs/experiment"), ("hydra_basic_near_misses.yaml", "configs/experiment"),
        ("multirun.sh", "scripts"), ("no_multirun.sh", "scripts"), ("README_sweeps.md", "docs"),
        ("github_workflow.yml", ".github/workflows"), ("docker-compose.yml", "."),
    ):
        (root / where / name).write_text(_read(SWEEPS / name))
    (root / "README.md").write_text("# Project\n\n```bash\npip install -e .\npython train.py model.lr=0.1\n```\n")
    (root / "scripts" / "setup.sh").write_text("#!/bin/sh\npip install -r requirements.txt\n")
    (root / "train.py").write_text("print('train')\n")
    return root


def test_cli_reports_hydra_grids_in_yaml_shell_and_markdown(tmp_path: Path) -> None:
    root = _multirun_folder(tmp_path)
    result = _hplint("--select", "HPL102", cwd=root)
    reported = sorted(line.split(" ")[0] for line in result.stdout.splitlines() if ": HPL102" in line)
    assert reported == [
        "configs/experiment/hydra_basic_grid.yaml:17:7:", "configs/experiment/hydra_basic_grid.yaml:33:7:",
        "configs/experiment/hydra_basic_grid.yaml:7:7:", "docs/README_sweeps.md:13:3:", "docs/README_sweeps.md:17:20:",
        "scripts/multirun.sh:12:32:", "scripts/multirun.sh:5:39:", "scripts/multirun.sh:9:5:",
    ], result.stdout
    assert "grid over model.optimizer.lr × model.depth × model.dropout × seed = 3×3×3×2 = 54 configurations" in result.stdout
    assert "optimizer.lr × optimizer.weight_decay × model.dropout = 4×3×4 = 48 configurations" in result.stdout


def test_show_files_lists_only_what_is_linted(tmp_path: Path) -> None:
    """YAML, JSON, shell and Markdown files are listed only when they hold a sweep."""
    root = _multirun_folder(tmp_path)
    listed = _hplint("--show-files", cwd=root).stdout.splitlines()
    assert [Path(p).as_posix() for p in listed] == [
        "configs/experiment/hydra_basic_grid.yaml", "configs/experiment/hydra_basic_near_misses.yaml",
        "docs/README_sweeps.md", "scripts/multirun.sh", "train.py",
    ]


def test_shell_noqa_and_selection() -> None:
    source = _read(SWEEPS / "multirun.sh")
    assert [d.line for d in lint_sweep(source, "multirun.sh", ALL)] == [5, 9, 12]
    assert [d.line for d in lint_sweep(source, "multirun.sh", dataclasses.replace(ALL, disable_noqa=True))] == [5, 9, 12, 26]
    assert lint_sweep(source, "multirun.sh", config_from_mapping({"ignore": ["HPL102"]}, where="test")) == []


def test_cli_add_noqa_on_a_continued_command_goes_on_its_last_line(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    script = root / "sweep.sh"
    script.write_text("python train.py -m \\\n  model.lr=0.1,0.01,0.001 model.depth=2,4,8 \\\n  model.width=64,128,256\necho done\n")
    _hplint(".", "--add-noqa", cwd=root)
    assert script.read_text() == "python train.py -m \\\n  model.lr=0.1,0.01,0.001 model.depth=2,4,8 \\\n  model.width=64,128,256  # noqa: HPL102\necho done\n"
    assert _hplint(".", cwd=root).returncode == 0


def test_flow_mapping_fix_only_adds_the_distribution() -> None:
    path = SWEEPS / "fixes" / "flow_sweep.yaml"
    before, after = yaml.safe_load(_read(path)), yaml.safe_load(_read(path.with_name("flow_sweep.fixed.yaml")))
    assert _without_distributions(after["parameters"]) == {k: _without_distributions(v) for k, v in before["parameters"].items()}
    added = {k for k, v in after["parameters"].items() if v.get("distribution") == "log_uniform_values"}
    assert added == {"lr", "weight_decay", "eps", "head_lr", "learning_rate"}


def test_ax_sweeper_fix_only_adds_log_scale() -> None:
    path = SWEEPS / "fixes" / "hydra_ax.yaml"
    before = yaml.safe_load(_read(path))["hydra"]["sweeper"]["ax_config"]["params"]
    after = yaml.safe_load(_read(path.with_name("hydra_ax.fixed.yaml")))["hydra"]["sweeper"]["ax_config"]["params"]
    assert {k: {x: y for x, y in v.items() if x != "log_scale"} for k, v in after.items()} == before
    assert {k for k, v in after.items() if v.get("log_scale") is True} == {"model.lr", "model.weight_decay", "model.eps"}


def test_ax_sweeper_messages() -> None:
    text = (
        "defaults:\n  - override /hydra/sweeper: ax\nhydra:\n  sweeper:\n    ax_config:\n      max_trials: 8\n"
        "      params:\n        model.lr:\n          type: range\n          bounds: [1e-4, 1e-1]\n"
    )
    budget, rate = lint_sweep(text, "sweep.yaml", ALL)
    assert budget.code == "HPL501" and budget.line == 6
    assert budget.message == (
        "max_trials=8 with the Hydra Ax sweeper over 1 hyperparameter: Ax spends its first trials on quasi-random "
        "Sobol points before its model picks any (how many depends on the Ax version and the number of parameters: "
        "not visible here); for 1 hyperparameter a manual sweep (4 values a decade apart, then a refinement around "
        "the best) spends no trials on a random warm-up; else budget ≥ 20 trials"
    )
    assert rate.code == "HPL203" and rate.message.startswith("Ax `type: range` (bounds 1e-4, 1e-1) samples `model.lr` uniformly over 3 decades: ")
    assert rate.message.endswith("; add log_scale: true (Ax searches a range linearly without it)")
    assert not lint_sweep(text.replace("max_trials: 8", "max_trials: 20").replace("bounds: [1e-4, 1e-1]", "bounds: [1e-4, 1e-1]\n          log_scale: false"), "sweep.yaml", ALL)
