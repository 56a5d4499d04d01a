"""Export of a PostgreSQL project against the same project in a file, and its memory.

Usage::

    python bench/run.py --only team [--quick]   # with the team load test (bench_team.py)
    python bench/bench_pg_export.py [--quick]   # these two alone, as JSON

The generated projects of bench/generate.py (cached in bench/data/) are copied into databases of
a throwaway server the way a team would move one there, ``annotator merge URL FILE``'s own
function (the time it takes is reported). Each export runs in a fresh process (native JSONL, as
``annotator export`` writes it), alternating server and file:

- ``team_export_time``: the server project's export time against the file's, large project.
- ``team_export_memory``: peak resident memory of the process exporting the large server
  project against the small one (the rows come from a server-side cursor a page at a time).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for folder in (ROOT, BENCH, ROOT / "tests"):  # run as a script from anywhere
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import generate  # noqa: E402
from pg_cluster import PgCluster, start_cluster  # noqa: E402

from annotator.store.project import Project  # noqa: E402

Entry = dict[str, Any]
TIME_TARGET = 1.5  # server export over file export (issue 15)
MEMORY_TARGET = 1.2  # large over small, as run.py's export_memory


def copy_to_server(cluster: PgCluster, path: Path) -> tuple[str, float]:
    """Copy a project file into a new server database as ``annotator merge`` does; its URL and seconds."""
    from annotator.review.merge import merge_records, project_records

    url = cluster.url(cluster.create_database())
    start = time.perf_counter()
    with Project.create(url, annotator="bench", name=path.stem) as project:
        merge_records(project, project_records(path))
    return url, time.perf_counter() - start


def child(target: str, out: Path) -> dict[str, float]:
    """Export ``target`` (a file or a URL) in this fresh process; its time and peak memory."""
    from annotator.io.operations import export

    before = peak_resident_kib()
    start = time.perf_counter()
    with Project.open(target, read_only=True, annotator="bench") as project:
        export(project, out, fmt="native")
    seconds = time.perf_counter() - start
    peak = peak_resident_kib()
    return {"seconds": seconds, "peak_mib": peak / 1024, "growth_mib": (peak - before) / 1024}


def peak_resident_kib() -> int:
    """This process's peak resident memory in KiB (VmHWM), as run.py measures it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def _exported(target: str, out: Path) -> dict[str, float]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", target, str(out)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def run(small_n: int, large_n: int, repeat: int = 3) -> dict[str, Entry]:
    """Both entries, on a server started for them."""
    small, large = generate.ensure_project(small_n), generate.ensure_project(large_n)
    cluster = start_cluster()
    try:
        small_url, small_copy = copy_to_server(cluster, small)
        large_url, large_copy = copy_to_server(cluster, large)
        with tempfile.TemporaryDirectory(prefix="annotator-bench-pg-export-") as tmp:
            work = Path(tmp)
            runs: dict[str, list[dict[str, float]]] = {"server": [], "file": [], "small": []}
            for _ in range(repeat):
                runs["file"].append(_exported(str(large), work / "file.jsonl"))
                runs["server"].append(_exported(large_url, work / "server.jsonl"))
                runs["small"].append(_exported(small_url, work / "small.jsonl"))
            identical = filecmp.cmp(work / "file.jsonl", work / "server.jsonl", shallow=False)
    finally:
        cluster.stop()
    server_s = [r["seconds"] for r in runs["server"]]
    file_s = [r["seconds"] for r in runs["file"]]
    peaks = {k: [r["peak_mib"] for r in v] for k, v in runs.items()}
    copy = {
        "copy_small_s": round(small_copy, 1),
        "copy_large_s": round(large_copy, 1),
        "copy_large_docs_per_s": round(large_n / large_copy),
    }
    return {
        "team_export_time": {
            "times": {"server_s": _rounded(server_s), "file_s": _rounded(file_s)},
            "ratio": round(min(server_s) / min(file_s), 3),
            "target": TIME_TARGET,
            "ok": min(server_s) / min(file_s) <= TIME_TARGET,
            "documents": large_n,
            "identical_files": identical,
            "cores": os.cpu_count(),
            **copy,
        },
        "team_export_memory": {
            "times": {
                "small_mib": _rounded(peaks["small"]),
                "large_mib": _rounded(peaks["server"]),
                "file_large_mib": _rounded(peaks["file"]),
                "small_growth_mib": _rounded([r["growth_mib"] for r in runs["small"]]),
                "large_growth_mib": _rounded([r["growth_mib"] for r in runs["server"]]),
            },
            "ratio": round(min(peaks["server"]) / min(peaks["small"]), 3),
            "target": MEMORY_TARGET,
            "ok": min(peaks["server"]) / min(peaks["small"]) <= MEMORY_TARGET,
            "small_documents": small_n,
            "large_documents": large_n,
        },
    }


def _rounded(values: list[float]) -> list[float]:
    return [round(v, 3) for v in values]


def main() -> None:
    """Run both benchmarks (1,000 against 100,000 documents) and print their entries."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 vs 10,000 documents")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    sizes = (1_000, 10_000) if args.quick else (1_000, 100_000)
    print(json.dumps(run(*sizes), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
