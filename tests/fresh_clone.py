"""Helpers for the tests that use the project as a newcomer does: a fresh copy of the clone,
a fresh virtual environment, commands run in a clean environment."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_checkout(dest: Path) -> Path:
    """Copy the files git knows (committed or not, ignored ones left out) into ``dest``.

    This is what a fresh clone holds, with the work in progress: no .venv, no projects, no
    build/ leftovers that a wheel built in place would pick up.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted but not yet committed is listed too
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """Return this process's environment without its virtual environment or the checkout on
    sys.path, with private settings and data folders under ``tmp``."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT))
    )
    env.update(
        XDG_CONFIG_HOME=str(tmp / "config"),  # the window's settings (QSettings)
        XDG_DATA_HOME=str(tmp / "data"),  # an installed annotator's projects
        QT_QPA_PLATFORM="offscreen",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    env.update(extra)
    return env


def run(cmd: list[str | Path], cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    """Run ``cmd``; return its stdout, or fail the test with its output."""
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{cmd} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout
