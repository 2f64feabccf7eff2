"""The result cache and the process pool: same output, less work.

A cached run must print exactly what a fresh run prints; an edited file, a
changed configuration or a fixing run must never be answered from the cache.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import List

import pytest

from hplint.core.config import Config
from hplint.core.diagnostics import Diagnostic
from hplint.frontends import cli, parallel
from hplint.frontends.cache import ResultCache

BAD = "import numpy as np\nfor lr in np.linspace(1e-4, 1e-2, 6):\n    train(lr=lr)\n"
CLEAN = "import numpy as np\nfor lr in np.geomspace(1e-4, 1e-2, 6):\n    train(lr=lr)\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text(BAD)
    (tmp_path / "pkg" / "clean.py").write_text(CLEAN)
    (tmp_path / "pkg" / "broken.py").write_text("grid = np.linspace(1e-4, 1e-2\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def linted(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """Paths actually linted (not answered from the cache), in this process."""
    seen: List[str] = []
    real = parallel.check_one

    def spy(path, config, mode):
        seen.append(os.path.basename(path))
        return real(path, config, mode)

    monkeypatch.setattr(parallel, "check_one", spy)
    return seen


def run(capsys, *args: str) -> tuple:
    code = cli.main(["-j", "1", *args])
    return code, capsys.readouterr().out


def test_warm_run_prints_exactly_what_cold_run_prints(project, capsys, linted) -> None:
    for fmt in ("text", "json"):
        fresh = run(capsys, "--no-cache", "--output-format", fmt, "pkg")
        first = run(capsys, "--output-format", fmt, "pkg")
        linted.clear()
        second = run(capsys, "--output-format", fmt, "pkg")
        assert fresh == first == second
        assert linted == []  # all three files answered from the cache
    assert "HPL201" in fresh[1] and fresh[0] == 2  # the syntax error makes it exit 2


def test_edited_file_is_the_only_one_linted_again(project, capsys, linted) -> None:
    run(capsys, "pkg")
    (project / "pkg" / "clean.py").write_text(BAD)
    linted.clear()
    code, out = run(capsys, "pkg")
    assert linted == ["clean.py"]
    assert out.count("HPL201") == 2 and code == 2


def test_touched_but_unchanged_file_still_hits(project, capsys, linted) -> None:
    run(capsys, "pkg")
    os.utime(project / "pkg" / "bad.py", (1, 1))
    linted.clear()
    run(capsys, "pkg")
    assert linted == []


def test_changed_configuration_misses(project, capsys, linted) -> None:
    run(capsys, "pkg")
    linted.clear()
    code, out = run(capsys, "--select", "HPL3", "pkg")
    assert sorted(linted) == ["bad.py", "broken.py", "clean.py"]
    assert "HPL201" not in out
    (project / "pyproject.toml").write_text("[tool.hplint]\nignore = ['HPL201']\n")
    linted.clear()
    code, out = run(capsys, "pkg")
    assert sorted(linted) == ["bad.py", "broken.py", "clean.py"]
    assert "HPL201" not in out


def test_no_cache_neither_reads_nor_writes(project, capsys, linted) -> None:
    run(capsys, "--no-cache", "pkg")
    assert not (project / ".hplint_cache").exists()
    run(capsys, "pkg")
    linted.clear()
    run(capsys, "--no-cache", "pkg")
    assert len(linted) == 3


def test_cache_dir_option_and_its_gitignore(project, capsys) -> None:
    run(capsys, "--cache-dir", "elsewhere", "pkg")
    assert not (project / ".hplint_cache").exists()
    ignore = (project / "elsewhere" / ".gitignore").read_text()
    assert "*" in ignore.splitlines()


def test_fix_is_never_answered_from_the_cache(project, capsys) -> None:
    run(capsys, "pkg")  # caches the finding in bad.py
    code, out = run(capsys, "--fix", "pkg/bad.py")
    assert "geomspace" in (project / "pkg" / "bad.py").read_text()
    code, out = run(capsys, "pkg/bad.py")
    assert "HPL201" not in out and code == 0


def test_corrupt_cache_is_ignored_and_rewritten(project, capsys, linted) -> None:
    expected = run(capsys, "pkg")
    for shard in (project / ".hplint_cache").glob("*.pickle"):
        shard.write_bytes(b"not a pickle")
    linted.clear()
    assert run(capsys, "pkg") == expected
    assert len(linted) == 3
    linted.clear()
    assert run(capsys, "pkg") == expected
    assert linted == []


def test_concurrent_writers_merge_instead_of_clobbering(tmp_path: Path) -> None:
    config = Config()
    one, two = ResultCache(str(tmp_path)), ResultCache(str(tmp_path))
    one.get("a.py", "d1", config)  # both loaded the (empty) shard before either saved
    two.get("b.py", "d2", config)
    diag = Diagnostic("HPL201", "m", 1, 0, 1, 1, path="a.py")
    one.put("a.py", "d1", config, [diag])
    two.put("b.py", "d2", config, [])
    one.save()
    two.save()
    fresh = ResultCache(str(tmp_path))
    assert fresh.get("a.py", "d1", config)[0].message == "m"
    assert fresh.get("b.py", "d2", config) == []
    assert fresh.get("a.py", "other-digest", config) is None
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".tmp-")]


def test_foreign_pickle_in_cache_is_treated_as_empty(tmp_path: Path) -> None:
    config = Config()
    cache = ResultCache(str(tmp_path))
    (tmp_path / cache.shard_name(config)).write_bytes(pickle.dumps(["unexpected"]))
    assert ResultCache(str(tmp_path)).get("a.py", "d", config) is None


def test_pool_reports_the_same_as_one_process(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    for index in range(parallel.MIN_FILES_FOR_POOL + 4):
        (tmp_path / f"m{index:02d}.py").write_text(BAD if index % 3 == 0 else CLEAN)
    single = cli.main(["-j", "1", "--no-cache", "--output-format", "json", "."]), capsys.readouterr().out
    pooled = cli.main(["-j", "2", "--no-cache", "--output-format", "json", "."]), capsys.readouterr().out
    assert single == pooled
    assert pooled[1].count("HPL201") == 7


def test_jobs_must_be_a_count(capsys) -> None:
    assert cli.main(["-j", "many", "x.py"]) == 2
    assert "jobs" in capsys.readouterr().err


def test_chunks_cover_every_task_once() -> None:
    tasks = [(f"f{i}.py", Config()) for i in range(1000)]
    chunks = parallel._chunks(tasks, 4)
    assert [t for c in chunks for t in c] == tasks
    assert 1 < len(chunks) <= 1000 and max(len(c) for c in chunks) <= parallel.MAX_CHUNK


def test_shards_of_an_older_build_are_removed(tmp_path: Path) -> None:
    config = Config()
    folder = tmp_path / "cache"
    first = ResultCache(str(folder))
    first.put("a.py", "d", config, [])
    first.save()
    (folder / "v1-0000000000000000-0000000000000000.pickle").write_bytes(b"old build")
    cache = ResultCache(str(folder))
    cache.put("b.py", "d", config, [])
    cache.save()
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "CACHEDIR.TAG", cache.shard_name(config)]


def test_a_folder_the_cache_did_not_make_keeps_every_file(tmp_path: Path) -> None:
    """``--cache-dir .``: the user's pickles and .gitignore are never touched."""
    config = Config()
    (tmp_path / "model.pickle").write_bytes(b"weights")
    (tmp_path / "v1-0000000000000000-0000000000000000.pickle").write_bytes(b"looks like a shard")
    (tmp_path / ".gitignore").write_text("data/\n")
    cache = ResultCache(str(tmp_path))
    cache.put("a.py", "d", config, [])
    cache.save()
    assert (tmp_path / "model.pickle").read_bytes() == b"weights"
    assert (tmp_path / "v1-0000000000000000-0000000000000000.pickle").exists()
    assert (tmp_path / ".gitignore").read_text() == "data/\n"
    own = tmp_path / ".hplint_cache"
    assert sorted(p.name for p in own.iterdir()) == [".gitignore", "CACHEDIR.TAG", cache.shard_name(config)]
    assert ResultCache(str(tmp_path)).get("a.py", "d", config) == []  # found again next run


def test_cli_cache_dir_dot_deletes_nothing(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "model.pickle").write_bytes(b"weights")
    (tmp_path / "t.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--cache-dir", ".", "-q", "t.py"]) == 0
    assert cli.main(["--cache-dir", ".", "-q", "t.py"]) == 0
    assert (tmp_path / "model.pickle").read_bytes() == b"weights"
    assert not (tmp_path / ".gitignore").exists()


def test_a_folder_an_earlier_build_made_is_adopted(tmp_path: Path) -> None:
    config = Config()
    folder = tmp_path / ".hplint_cache"
    folder.mkdir()
    (folder / ".gitignore").write_text("# created by hplint\n*\n")
    (folder / "v1-0000000000000000-0000000000000000.pickle").write_bytes(b"old build")
    cache = ResultCache(str(folder))
    cache.put("a.py", "d", config, [])
    cache.save()
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "CACHEDIR.TAG", cache.shard_name(config)]


@pytest.mark.parametrize(
    "entries",
    [
        {"a.py": "not a tuple"},
        {"a.py": ("d",)},
        {"a.py": ("d", "not a list")},
        {"a.py": ("d", ["not a diagnostic"])},
        {"a.py": (3, [])},
    ],
)
def test_damaged_entries_count_as_misses(tmp_path: Path, entries) -> None:
    """A valid pickle with the right format key but the wrong shapes is an empty cache, not a crash."""
    config = Config()
    folder = tmp_path / "cache"
    cache = ResultCache(str(folder))
    cache.put("b.py", "d", config, [])
    cache.save()
    (folder / cache.shard_name(config)).write_bytes(pickle.dumps({"format": 1, "entries": entries}))
    assert ResultCache(str(folder)).get("a.py", "d", config) is None


def test_damaged_entries_do_not_break_a_cli_run(tmp_path: Path, monkeypatch) -> None:
    import hashlib

    (tmp_path / "t.py").write_text("x = 1\n")
    digest = hashlib.sha256(b"x = 1\n").hexdigest()
    monkeypatch.chdir(tmp_path)
    assert cli.main(["-q", "t.py"]) == 0
    for shard in (tmp_path / ".hplint_cache").glob("*.pickle"):
        entries = pickle.loads(shard.read_bytes())["entries"]
        assert digest in repr(entries)  # the entry the next run would read
        shard.write_bytes(pickle.dumps({"format": 1, "entries": {key: (digest, [1, 2]) for key in entries}}))
    assert cli.main(["-q", "t.py"]) == 0

def test_an_edited_rule_module_changes_the_fingerprint(tmp_path: Path, monkeypatch) -> None:
    """Every module of the package counts, the rules' included: the fingerprint
    once read only ``frontends/`` and kept answering with an edited rule's old findings."""
    import hplint
    from hplint.frontends import cache

    assert cache.package_root() == Path(hplint.__file__).resolve().parent
    rule = tmp_path / "rules" / "search_space" / "hpl201.py"
    rule.parent.mkdir(parents=True)
    rule.write_text("CODE = 'HPL201'\n")
    monkeypatch.setattr(cache, "package_root", lambda: tmp_path)
    before = cache._package_fingerprint()
    rule.write_text("CODE = 'HPL201'  # edited\n")
    assert cache._package_fingerprint() != before
