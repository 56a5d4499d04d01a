"""Benchmarks: how the tool's cost grows with the project, as ratios measured in one run.

Usage::

    python bench/run.py            # full run: 1,000 and 100,000 documents (tens of minutes)
    python bench/run.py --quick    # 1,000 and 10,000 documents, under two minutes on 2 cores
    python bench/run.py --only window [--quick]    # the main window's benchmarks alone
    python bench/run.py --only search [--quick]    # the corpus search benchmarks alone
    python bench/run.py --only navigation [--quick]    # the document list: filters and Next
    python bench/run.py --only suggest [--quick]    # suggestions for a 5,000-word article
    python bench/run.py --only team [--quick]    # PostgreSQL: 20 clients at once, server export
    python bench/run.py --smoke    # every benchmark once on tiny projects: does each still run?

Prints one JSON object: for each benchmark its measured times (seconds) or peaks (MiB), its ratio,
its target and ``ok``. Ratios compare two measurements taken side by side in this run (the tool
against a plain baseline, or a large project against a small one), so a busy machine shifts both
sides alike; each side is the best of a few alternating repeats. In-process benchmarks compare
CPU seconds (steadier than wall-clock time on a shared machine; wall-clock is reported beside
them); opening a project is timed wall-clock inside fresh processes, and memory is each fresh
process's peak resident size (VmHWM).

Projects come from bench/generate.py and are cached under bench/data/. Benchmarks over modules
other parts of the tool provide (article view, agreement, CoNLL) report ``"missing"`` until those
modules exist.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for folder in (ROOT, BENCH):  # run as a script from anywhere
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import baselines  # noqa: E402
import generate  # noqa: E402

from annotator.store.project import Project  # noqa: E402

Entry = dict[str, Any]
LIST_PAGE = 200  # rows the document list asks for first (annotator/gui/document_list.py)


def entry(times: dict[str, Any], ratio: float, target: float, **extra: Any) -> Entry:
    """Return one benchmark's result: measurements, ratio, target and whether it is met."""
    return {
        "times": times,
        "ratio": round(ratio, 3),
        "target": target,
        "ok": ratio <= target,
        **extra,
    }


def missing(reason: str) -> Entry:
    """Return the result of a benchmark whose subject does not exist yet."""
    return {"missing": reason, "ok": None}


@dataclass
class Runs:
    """Wall-clock and CPU seconds of the repeated runs of one side."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, fn: Callable[[], object]) -> None:
        """Run ``fn`` once and record its times, with the garbage collector paused (as timeit)."""
        # The import benchmark holds every record in memory, which no real import does; a
        # collection walking those millions of objects would be charged to whichever side
        # happened to trigger it.
        gc.collect()
        gc.disable()
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            self.cpu.append(time.process_time() - cpu)
            self.wall.append(time.perf_counter() - wall)
        finally:
            gc.enable()


def side_by_side(
    tool: Callable[[], object], other: Callable[[], object], repeat: int
) -> tuple[Runs, Runs]:
    """Time ``tool`` and ``other`` alternately ``repeat`` times each."""
    tool_runs, other_runs = Runs(), Runs()
    for _ in range(repeat):
        other_runs.add(other)
        tool_runs.add(tool)
    return tool_runs, other_runs


def compared(names: tuple[str, str], runs: tuple[Runs, Runs], target: float, **extra: Any) -> Entry:
    """Return the entry for ``runs[0]`` against ``runs[1]``: ratio of the best CPU times.

    CPU seconds of this single-threaded process, because on a machine shared with other work
    they vary far less than wall-clock time; the wall-clock times are reported beside them.
    """
    times = {}
    for name, side in zip(names, runs, strict=True):
        times[f"{name}_cpu_s"] = _rounded(side.cpu)
        times[f"{name}_wall_s"] = _rounded(side.wall)
    return entry(times, min(runs[0].cpu) / min(runs[1].cpu), target, **extra)


def _rounded(values: list[float]) -> list[float]:
    return [round(v, 4) for v in values]


# ---- export ------------------------------------------------------------------------------


def bench_export_native(path: Path, out_dir: Path, repeat: int) -> Entry:
    """Native JSONL export against a plain sqlite3 + json loop over the same tables."""
    from annotator.io.operations import export

    def tool() -> None:
        with Project.open(path, read_only=True, annotator="bench") as project:
            export(project, out_dir / "tool.jsonl", fmt="native")

    def baseline() -> None:
        baselines.export_jsonl(path, out_dir / "baseline.jsonl")

    runs = side_by_side(tool, baseline, repeat)
    docs = _document_count(path)
    return compared(
        ("tool", "baseline"),
        runs,
        1.5,
        documents=docs,
        tool_docs_per_s=round(docs / min(runs[0].wall)),
    )


def bench_conll(path: Path, out_dir: Path, repeat: int) -> Entry:
    """CoNLL export against a plain loop writing ``token TAG`` lines from a whitespace split."""
    if importlib.util.find_spec("annotator.io.conll") is None:
        return missing("annotator/io/conll.py does not exist yet")
    from annotator.io.operations import Selection, export

    # Every annotator's spans, as the baseline writes them: CoNLL has no annotator field, so
    # the export wants the layers named (each generated article has one annotator).
    everyone = Selection(annotators=generate.ANNOTATORS)

    def tool() -> None:
        with Project.open(path, read_only=True, annotator="bench") as project:
            export(project, out_dir / "tool.conll", fmt="conll", selection=everyone)

    def baseline() -> None:
        baselines.export_token_tags(path, out_dir / "baseline.conll")

    runs = side_by_side(tool, baseline, repeat)
    return compared(("tool", "baseline"), runs, 2.0, documents=_document_count(path))


def _document_count(path: Path) -> int:
    with Project.open(path, read_only=True, annotator="bench") as project:
        return project.document_count()


# ---- import ------------------------------------------------------------------------------


def bench_import(count: int, work: Path, repeat: int) -> Entry:
    """Import of ``count`` documents against three plain ``executemany`` calls."""
    records = list(generate.generate_records(count, seed=1))
    numbers = iter(range(2 * repeat))

    def fresh() -> Path:
        # Schema creation is not timed: both sides write into an empty project file.
        target = work / f"import-{next(numbers)}.sqlite"
        Project.create(target, annotator="bench").close()
        return target

    def tool() -> None:
        with Project.open(fresh(), annotator="bench") as project:
            project.import_documents(records)

    def baseline() -> None:
        baselines.import_records(fresh(), records)

    runs = side_by_side(tool, baseline, repeat)
    return compared(
        ("tool", "baseline"),
        runs,
        2.0,
        documents=count,
        tool_docs_per_s=round(count / min(runs[0].wall)),
    )


# ---- subprocess measurements: open + document list, export peak memory -------------------


def child(task: str, path: Path, out: Path | None) -> dict[str, float]:
    """Run one measured task in this (fresh) process; return its time and peak memory."""
    from annotator.io.operations import export

    before = peak_resident_kib()  # the interpreter with the annotator imported
    start = time.perf_counter()
    if task == "open_list":
        with Project.open(path, read_only=True, annotator="bench") as project:
            total = project.document_count()
            rows = project.document_rows(0, LIST_PAGE)
            assert rows and total >= len(rows)
    elif task == "search":
        with Project.open(path, read_only=True, annotator="bench") as project:
            assert sum(1 for _ in project.search(COMMON_QUERY)) > 0
    elif task == "export" and out is not None:
        with Project.open(path, read_only=True, annotator="bench") as project:
            export(project, out, fmt="native")
    else:
        raise SystemExit(f"unknown task {task!r}")
    seconds = time.perf_counter() - start
    peak = peak_resident_kib()
    return {"seconds": seconds, "peak_mib": peak / 1024, "growth_mib": (peak - before) / 1024}


def peak_resident_kib() -> int:
    """Return this process's peak resident memory in KiB (VmHWM, else ru_maxrss)."""
    # ru_maxrss of a freshly started child also counts the parent it was forked from (Linux
    # keeps the pre-exec peak); VmHWM belongs to this program's own memory only.
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _in_subprocess(task: str, path: Path, out: Path | None = None) -> dict[str, float]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", task, str(path)]
    if out is not None:
        cmd.append(str(out))
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def _pair_in_subprocesses(
    task: str, small: Path, large: Path, repeat: int, out_dir: Path | None = None
) -> dict[str, list[dict[str, float]]]:
    runs: dict[str, list[dict[str, float]]] = {"small": [], "large": []}
    for _ in range(repeat):
        for size, path in (("small", small), ("large", large)):
            out = out_dir / f"{task}-{size}.jsonl" if out_dir is not None else None
            runs[size].append(_in_subprocess(task, path, out))
    return runs


def bench_open_list(small: Path, large: Path, repeat: int) -> dict[str, Entry]:
    """Opening a project and showing the first page of its document list, small vs large."""
    runs = _pair_in_subprocesses("open_list", small, large, repeat)
    seconds = {k: [r["seconds"] for r in v] for k, v in runs.items()}
    peaks = {k: [r["peak_mib"] for r in v] for k, v in runs.items()}
    growth = {f"{k}_growth_mib": _rounded([r["growth_mib"] for r in v]) for k, v in runs.items()}
    sizes = {"small_documents": _document_count(small), "large_documents": _document_count(large)}
    return {
        "open_list_time": entry(
            {"small_s": _rounded(seconds["small"]), "large_s": _rounded(seconds["large"])},
            min(seconds["large"]) / min(seconds["small"]),
            2.0,
            **sizes,
        ),
        "open_list_memory": entry(
            {
                "small_mib": _rounded(peaks["small"]),
                "large_mib": _rounded(peaks["large"]),
                **growth,
            },
            min(peaks["large"]) / min(peaks["small"]),
            1.5,
            **sizes,
        ),
    }


def bench_export_memory(small: Path, large: Path, out_dir: Path) -> Entry:
    """Peak resident memory of a native export of the large project against the small one."""
    runs = _pair_in_subprocesses("export", small, large, 1, out_dir)
    peaks = {k: [r["peak_mib"] for r in v] for k, v in runs.items()}
    growth = {f"{k}_growth_mib": _rounded([r["growth_mib"] for r in v]) for k, v in runs.items()}
    return entry(
        {"small_mib": _rounded(peaks["small"]), "large_mib": _rounded(peaks["large"]), **growth},
        min(peaks["large"]) / min(peaks["small"]),
        1.2,
        small_documents=_document_count(small),
        large_documents=_document_count(large),
    )


# ---- corpus search -----------------------------------------------------------------------

# A dateline's month typed without its hamza, and a year: about 1.6% of the generated articles.
SEARCH_QUERY = "ابريل 2021"
# A name of the seed article: in most generated articles, which reuse its paragraphs.
COMMON_QUERY = "لافروف"
FIRST_PAGE = 200  # hits the window's project search shows first (session/corpus_search.py)


@contextmanager
def _counting(path: Path, query: str, limit: int | None = None) -> Iterator[Callable[[], int]]:
    """Open the project once (the search is timed warm) and yield a search counting its hits."""
    with Project.open(path, read_only=True, annotator="bench") as project:

        def count() -> int:
            return sum(1 for _ in project.search(query, limit=limit))

        count()  # the index's and the texts' pages read once before timing
        yield count


def bench_search_vs_scan(path: Path, repeat: int) -> Entry:
    """A warm search (every hit) vs reading every text and running Find on it; target 20x faster.

    The common name's ratio is reported beside it: it is in most generated articles, so the
    index can skip almost none.
    """
    with _counting(path, SEARCH_QUERY) as tool, _counting(path, COMMON_QUERY) as common_tool:
        hits = tool()
        if hits != baselines.scan_search(path, SEARCH_QUERY):
            raise AssertionError(f"search and scan found different hits of {SEARCH_QUERY!r}")
        runs = side_by_side(tool, lambda: baselines.scan_search(path, SEARCH_QUERY), repeat)
        common = side_by_side(common_tool, lambda: baselines.scan_search(path, COMMON_QUERY), 1)
    return compared(
        ("search", "scan"),
        runs,
        0.05,
        documents=_document_count(path),
        query=SEARCH_QUERY,
        hits=hits,
        common_query=COMMON_QUERY,
        common_ratio=round(min(common[0].cpu) / min(common[1].cpu), 3),
    )


def bench_search_scaling(small: Path, large: Path, repeat: int) -> Entry:
    """The first page of a search's hits (what the window and --limit show), large vs small.

    Every hit of the rare query is timed beside it: those grow with the project, as the hits do.
    """
    with (
        _counting(large, COMMON_QUERY, FIRST_PAGE) as large_page,
        _counting(small, COMMON_QUERY, FIRST_PAGE) as small_page,
        _counting(large, SEARCH_QUERY) as large_every,
        _counting(small, SEARCH_QUERY) as small_every,
    ):
        first_page = side_by_side(large_page, small_page, repeat)
        every = side_by_side(large_every, small_every, 1)
    return compared(
        ("large", "small"),
        first_page,
        3.0,
        query=COMMON_QUERY,
        hits=FIRST_PAGE,
        small_documents=_document_count(small),
        large_documents=_document_count(large),
        every_hit_of=SEARCH_QUERY,
        every_hit_ratio=round(min(every[0].cpu) / min(every[1].cpu), 3),
    )


def bench_search_index_import(count: int, work: Path, repeat: int) -> Entry:
    """Import of ``count`` documents with the search index vs the same import without it."""
    from contextlib import nullcontext
    from unittest import mock

    from annotator.store import search_index

    records = list(generate.generate_records(count, seed=1))
    numbers = iter(range(2 * repeat))

    def importing(indexed: bool) -> Callable[[], None]:
        def run_import() -> None:
            target = work / f"search-import-{next(numbers)}.sqlite"
            Project.create(target, annotator="bench").close()
            with Project.open(target, annotator="bench") as project:
                if indexed:
                    project.import_documents(records)
                    return
                with (
                    mock.patch.object(search_index, "add", lambda *args: None),
                    mock.patch.object(search_index, "batch", lambda *a, **k: nullcontext()),
                ):
                    project.import_documents(records)

        return run_import

    runs = side_by_side(importing(True), importing(False), repeat)
    return compared(("indexed", "unindexed"), runs, 1.3, documents=count)


def bench_search_memory(small: Path, large: Path) -> Entry:
    """Peak resident memory of a search through every hit of a common name, large vs small."""
    runs = _pair_in_subprocesses("search", small, large, 1)
    peaks = {k: [r["peak_mib"] for r in v] for k, v in runs.items()}
    growth = {f"{k}_growth_mib": _rounded([r["growth_mib"] for r in v]) for k, v in runs.items()}
    return entry(
        {"small_mib": _rounded(peaks["small"]), "large_mib": _rounded(peaks["large"]), **growth},
        min(peaks["large"]) / min(peaks["small"]),
        1.2,
        query=COMMON_QUERY,
        small_documents=_document_count(small),
        large_documents=_document_count(large),
    )


def search_benchmarks(small: Path, large: Path, large_n: int, work: Path) -> dict[str, Entry]:
    """Every corpus search benchmark (``--only search``)."""
    return {
        "search_vs_scan": bench_search_vs_scan(large, 3),
        "search_scaling": bench_search_scaling(small, large, 5),
        "search_index_import": bench_search_index_import(large_n, work, 3),
        "search_memory": bench_search_memory(small, large),
    }


# ---- benchmarks over other parts of the tool ---------------------------------------------


def bench_view(quick: bool) -> dict[str, Entry]:
    """Article view benchmarks from bench/bench_view.py (Qt lives there, not here)."""
    if not (BENCH / "bench_view.py").exists():
        return {"article_view": missing("bench/bench_view.py does not exist yet")}
    import bench_view

    result: dict[str, Entry] = bench_view.run(quick)
    return result


def bench_window(quick: bool) -> dict[str, Entry]:
    """Main window benchmarks from bench/bench_window.py: opening a long, doubly annotated
    article with review mode off, and labelling in it."""
    import bench_window

    result: dict[str, Entry] = bench_window.run(quick)
    return result


def bench_navigation(
    quick: bool, sizes: tuple[int, int] | None = None, repeats: int | None = None
) -> dict[str, Entry]:
    """Document list benchmarks from bench/bench_navigation.py: filtering the list and
    Document > Next in the window, large project vs small."""
    import bench_navigation

    result: dict[str, Entry] = bench_navigation.run(quick, sizes, repeats)
    return result


def bench_suggest(quick: bool, documents: int = 1_000) -> dict[str, Entry]:
    """Suggestions for a 5,000-word article against opening it, from bench/bench_suggest.py."""
    import bench_suggest

    result: dict[str, Entry] = bench_suggest.run(quick, documents)
    return result


def bench_team(quick: bool, smoke: bool = False) -> dict[str, Entry]:
    """Team projects on PostgreSQL, from bench/bench_team.py and bench/bench_pg_export.py: 20
    client processes editing one project at once against one alone, and the export of a server
    project against the same project file (time, and memory large vs small)."""
    import bench_pg_export
    import bench_team as team
    from pg_cluster import PostgresNotInstalled  # on the path once bench_team is imported

    load = team.SMOKE if smoke else team.Load()
    small_n, large_n = SMOKE_DOCUMENTS if smoke else (1_000, 10_000 if quick else 100_000)
    try:
        results = team.run_load(load)
        results.update(bench_pg_export.run(small_n, large_n, repeat=1 if smoke else 3))
    except PostgresNotInstalled as exc:
        return {"team": missing(str(exc))}
    return results


def bench_agreement(quick: bool, documents: int | None = None, repeat: int = 5) -> Entry:
    """Agreement over ten times the spans (documents ten articles long) vs the same documents
    one article long: at most twelve times the time, so nothing compares spans pairwise."""
    if importlib.util.find_spec("annotator.review.agreement") is None:
        return missing("annotator/review/agreement.py does not exist yet")
    from annotator.review.agreement import agreement

    documents = documents or (40 if quick else 200)
    small = generate.ensure_agreement_project(documents, 1)
    large = generate.ensure_agreement_project(documents, 10)
    pair = [generate.FIRST, generate.SECOND]

    def measure(path: Path) -> Callable[[], object]:
        def compute() -> None:
            with Project.open(path, read_only=True, annotator="bench") as project:
                agreement(project, pair)

        return compute

    runs = side_by_side(measure(large), measure(small), repeat)
    spans = {"small_spans": _span_count(small), "large_spans": _span_count(large)}
    return compared(("large", "small"), runs, 12.0, documents=documents, **spans)


def _span_count(path: Path) -> int:
    with Project.open(path, read_only=True, annotator="bench") as project:
        return int(project.db.execute("SELECT COUNT(*) FROM spans").fetchone()[0])


# ---- main --------------------------------------------------------------------------------


def run(quick: bool, only: str | None = None) -> dict[str, Any]:
    """Run every benchmark (or only the one named, e.g. ``conll``); return the JSON-ready results."""
    small_n, large_n = (1_000, 10_000) if quick else (1_000, 100_000)
    repeat = 3
    started = time.perf_counter()
    results: dict[str, Any] = {}
    if only == "search":
        small, large = generate.ensure_project(small_n), generate.ensure_project(large_n)
        with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
            results.update(search_benchmarks(small, large, large_n, Path(tmp)))
    if only in (None, "conll"):  # the window benchmarks build their own small projects
        results.update(_project_benchmarks(quick, only, small_n, large_n, repeat))
    if only is None:
        results["agreement"] = bench_agreement(quick)
        results.update(bench_view(quick))
    if only in (None, "window"):
        results.update(bench_window(quick))
    if only in (None, "navigation"):
        results.update(bench_navigation(quick))
    if only in (None, "suggest"):
        results.update(bench_suggest(quick))
    if only in (None, "team"):
        results.update(bench_team(quick))
    return {
        "mode": "quick" if quick else "full",
        "documents": {"small": small_n, "large": large_n},
        "benchmarks": results,
        "all_ok": all(r.get("ok") is not False for r in results.values()),
        "wall_s": round(time.perf_counter() - started, 1),
    }


# ---- smoke: every benchmark once, on tiny projects ---------------------------------------

SMOKE_DOCUMENTS = (20, 60)  # small and large project; cached in bench/data/ like the others


def smoke() -> dict[str, Any]:
    """Run every benchmark once on tiny projects; report which raised (ratios are not judged).

    Each benchmark runs on its own, so one that fails does not hide the others; its traceback
    goes to stderr and its entry says ``error``. The article view and window benchmarks have one
    50,000-character article each and run as in ``--quick`` (a few seconds).
    """
    small_n, large_n = SMOKE_DOCUMENTS
    started = time.perf_counter()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="annotator-bench-smoke-") as tmp:
        work = Path(tmp)
        paths: dict[str, Path] = {}

        def projects() -> dict[str, Entry]:
            paths["small"] = generate.ensure_project(small_n)
            paths["large"] = generate.ensure_project(large_n)
            return {}

        steps: list[tuple[str, Callable[[], Entry | dict[str, Entry]]]] = [
            ("generate", projects),
            ("export_native", lambda: bench_export_native(paths["large"], work, 1)),
            ("export_conll", lambda: bench_conll(paths["large"], work, 1)),
            ("import", lambda: bench_import(large_n, work, 1)),
            ("open_list", lambda: bench_open_list(paths["small"], paths["large"], 1)),
            ("export_memory", lambda: bench_export_memory(paths["small"], paths["large"], work)),
            ("search_vs_scan", lambda: bench_search_vs_scan(paths["large"], 1)),
            ("search_scaling", lambda: bench_search_scaling(paths["small"], paths["large"], 1)),
            ("search_index_import", lambda: bench_search_index_import(large_n, work, 1)),
            ("search_memory", lambda: bench_search_memory(paths["small"], paths["large"])),
            ("agreement", lambda: bench_agreement(True, documents=small_n // 4, repeat=1)),
            ("article_view", lambda: bench_view(True)),
            ("window", lambda: bench_window(True)),
            ("navigation", lambda: bench_navigation(True, (small_n, large_n), 1)),
            ("suggest", lambda: bench_suggest(True, large_n)),
            ("team", lambda: bench_team(True, smoke=True)),
        ]
        for name, step in steps:
            results.update(_guarded(name, step))
    errors = sorted(n for n, r in results.items() if "error" in r or "missing" in r)
    return {
        "mode": "smoke",
        "documents": {"small": small_n, "large": large_n},
        "benchmarks": results,
        "errors": errors,
        "wall_s": round(time.perf_counter() - started, 1),
    }


def _guarded(name: str, step: Callable[[], Entry | dict[str, Entry]]) -> dict[str, Entry]:
    """Run one smoke step; return its entries by name, or ``{name: {"error": ...}}``."""
    try:
        result = step()
    except Exception as exc:  # a smoke run reports every broken benchmark, not just the first
        traceback.print_exc(file=sys.stderr)
        return {name: {"error": f"{type(exc).__name__}: {exc}", "ok": None}}
    if "times" in result or "missing" in result:  # one entry, not a dict of them
        return {name: result}
    return dict(result)


def _project_benchmarks(
    quick: bool, only: str | None, small_n: int, large_n: int, repeat: int
) -> dict[str, Any]:
    """Export, import and opening benchmarks over the generated projects."""
    small, large = generate.ensure_project(small_n), generate.ensure_project(large_n)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        work = Path(tmp)
        if only is None:
            results["export_native"] = bench_export_native(large, work, repeat)
        results["export_conll"] = bench_conll(large, work, 2 if quick else repeat)
        if only is None:
            results["import"] = bench_import(large_n, work, repeat)
            results.update(bench_open_list(small, large, 5))
            results["export_memory"] = bench_export_memory(small, large, work)
            results.update(search_benchmarks(small, large, large_n, work))
    return results


def _measured(times: dict[str, Any]) -> str:
    """Summarize one benchmark's measurements: the best run of each side."""
    parts = []
    for key, values in times.items():
        if key.endswith(("_growth_mib", "_wall_s")):
            continue  # in the JSON; the table shows what the ratio is computed from
        best = min(values) if isinstance(values, list) else values
        if key.endswith("_mib"):
            parts.append(f"{key.removesuffix('_mib')} {best:.1f} MiB")
        elif key.endswith("_cpu_s"):
            parts.append(f"{key.removesuffix('_cpu_s')} {best:.3f} s CPU")
        else:
            parts.append(f"{key.removesuffix('_s')} {best:.4f} s")
    return ", ".join(parts)


def markdown_table(result: dict[str, Any]) -> str:
    """Render a saved result as the Markdown table of the README's Performance section."""
    lines = [
        "| benchmark | measured (best of runs) | ratio | target | ok |",
        "|---|---|---|---|---|",
    ]
    for name, item in result["benchmarks"].items():
        if "missing" in item:
            lines.append(f"| {name} | missing: {item['missing']} | | | |")
            continue
        ok = "yes" if item["ok"] else "**no**"
        row = f"| {name} | {_measured(item['times'])} | {item['ratio']:.2f} | <= {item['target']} | {ok} |"
        lines.append(row)
    return "\n".join(lines)


def main() -> None:
    """Parse the command line and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 vs 10,000 documents")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="every benchmark once on tiny projects; exit 1 if any fails to run",
    )
    parser.add_argument("--table", type=Path, help="print a saved result as a Markdown table")
    parser.add_argument(
        "--only",
        choices=["conll", "window", "search", "navigation", "suggest", "team"],
        help="run only these benchmarks",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task, path, *rest = args.child
        print(json.dumps(child(task, Path(path), Path(rest[0]) if rest else None)))
        return
    if args.table:
        print(markdown_table(json.loads(args.table.read_text(encoding="utf-8"))))
        return
    if args.smoke:
        result = smoke()
        print(json.dumps(result, indent=2, ensure_ascii=False))
        if result["errors"]:
            sys.exit(f"bench smoke: {', '.join(result['errors'])} failed to run")
        return
    print(json.dumps(run(args.quick, args.only), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
