"""Running ``check_file`` over many files: cache first, then a process pool.

Linting is CPU-bound pure Python, so threads would not help; a pool of
processes does.  Files are sent in chunks so the per-task overhead (pickling a
Config, a round trip) is paid once per chunk, not once per file.  With one
job, or only a few files to lint, everything runs in this process.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Dict, List, Optional, Sequence, Tuple

from hplint.core.config import Config
from hplint.frontends.cache import ResultCache
from hplint.frontends.files import SourceError, read_source
from hplint.frontends.runner import FileOutcome, Mode, check_source, io_error
from hplint.frontends.sweepfiles import read_sweep
from hplint.sweeps.reader import is_sweep_path

# below this many files, starting worker processes costs more than it saves
MIN_FILES_FOR_POOL = 16
CHUNKS_PER_JOB = 8
MAX_CHUNK = 64

Task = Tuple[str, Config]
Result = Tuple[FileOutcome, Optional[str]]  # outcome, sha256 of the bytes linted


def default_jobs() -> int:
    """The cores this process may use (respects CPU affinity / containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def check_one(path: str, config: Config, mode: Mode) -> Result:
    """Lint one file, returning the digest of exactly the bytes that were linted."""
    if is_sweep_path(path):
        sweep = read_sweep(path)  # a YAML/JSON file that cannot be read is no sweep: silence
        return (FileOutcome(path), None) if sweep is None else (check_source(sweep, config, mode), sweep.digest)
    try:
        source = read_source(path)
    except SourceError as exc:
        return FileOutcome(path, [io_error(path, str(exc))], error=str(exc)), None
    return check_source(source, config, mode), source.digest


def _check_chunk(chunk: Sequence[Task], mode: Mode) -> List[Result]:
    return [check_one(path, config, mode) for path, config in chunk]


def _chunks(tasks: Sequence[Task], jobs: int) -> List[List[Task]]:
    size = max(1, min(MAX_CHUNK, len(tasks) // (jobs * CHUNKS_PER_JOB)))
    return [list(tasks[i : i + size]) for i in range(0, len(tasks), size)]


def check_many(tasks: Sequence[Task], mode: Mode, jobs: int) -> List[Result]:
    """Results in the order of ``tasks``; a pool only when it pays off."""
    if jobs <= 1 or len(tasks) < MIN_FILES_FOR_POOL:
        return _check_chunk(tasks, mode)
    chunks = _chunks(tasks, jobs)
    results: List[Result] = []
    executor = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)))
    try:
        for chunk_results in executor.map(_check_chunk, chunks, [mode] * len(chunks)):
            results.extend(chunk_results)
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown()
    return results


def file_digest(path: str) -> Optional[str]:
    """sha256 of the file's bytes (what ``read_source`` records), or None."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


def run_files(
    files: Sequence[str],
    configs: Dict[str, Config],
    mode: Mode,
    jobs: int = 1,
    cache: Optional[ResultCache] = None,
) -> List[FileOutcome]:
    """Outcomes for ``files`` in order: answered from ``cache`` where the bytes
    are unchanged, linted (in parallel when ``jobs`` > 1) otherwise.

    The cache is used for plain linting only; fixing always runs fresh.
    """
    if mode.fixing:
        cache = None
    outcomes: Dict[str, FileOutcome] = {}
    todo: List[Task] = []
    for path in files:
        config = configs[path]
        if cache is not None:
            digest = file_digest(path)
            hit = cache.get(path, digest, config) if digest else None
            if hit is not None:
                outcomes[path] = FileOutcome(path, list(hit))
                continue
        todo.append((path, config))
    for (path, config), (outcome, digest) in zip(todo, check_many(todo, mode, jobs)):
        outcomes[path] = outcome
        if cache is not None and digest is not None and outcome.error is None:
            cache.put(path, digest, config, outcome.diagnostics)
    if cache is not None:
        cache.save()
    return [outcomes[path] for path in files]
