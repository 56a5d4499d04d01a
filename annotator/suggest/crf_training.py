"""Training the ``crf`` recommender's model in a child process that Cancel can stop at once.

pycrfsuite runs L-BFGS in C and calls back only between iterations (``Trainer.on_iteration``).
An exception raised there does stop the C loop (pycrfsuite turns it into a C++ exception), but
the memory crfsuite allocated for the training is never freed: stopping at the third iteration
400 times in one process grew it by 110 MB (about 290 KB a stop on 1,919 features; a real
corpus has hundreds of times more). A window that trains, cancels and trains again would keep
all of it, so training runs in a child Python (``python -m annotator.suggest.crf_training``):
the parent writes the sentences to its standard input, follows its iterations on its standard
output, asks ``cancelled()`` every 50 ms, and terminates the child when it says so. A child that
ends frees everything it had. It is a plain subprocess rather than multiprocessing's ``spawn``,
which runs the caller's main script again in the child (a script without an
``if __name__ == "__main__"`` guard would train twice, or fail).
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import IO, Any

import orjson

from annotator.errors import AnnotatorError, Cancelled

POLL_SECONDS = 0.05
# A training sentence as the child needs it: token texts and their BIO tags.
TrainingSentence = tuple[Sequence[str], Sequence[str]]
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding annotator/


@dataclass(frozen=True, slots=True)
class Trained:
    """A trained model file's bytes, the iterations run and the seconds the child took."""

    data: bytes
    iterations: int
    seconds: float


def train(
    sentences: Sequence[TrainingSentence],
    params: Mapping[str, Any],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Trained:
    """Train a CRF on ``sentences`` with pycrfsuite's L-BFGS and ``params``; return the model.

    ``progress(done, total)`` follows the iterations (total: ``max_iterations``; L-BFGS may
    converge sooner, and the last call is ``(total, total)``). When ``cancelled()`` says so,
    the child is terminated and :class:`~annotator.errors.Cancelled` raised.
    """
    total = int(params.get("max_iterations", 100))
    payload = orjson.dumps({"params": dict(params), "sentences": [list(s) for s in sentences]})
    with TemporaryDirectory(prefix="annotator-crf-") as folder:
        path = Path(folder) / "model.crfsuite"
        errors = Path(folder) / "stderr.txt"
        with errors.open("wb") as stderr:
            child = _start(path, stderr)
        messages: queue.Queue[list[Any] | None] = queue.Queue()
        threading.Thread(target=_feed, args=(child.stdin, payload), daemon=True).start()
        threading.Thread(target=_read, args=(child.stdout, messages), daemon=True).start()
        try:
            iterations, seconds = _follow(messages, total, progress, cancelled, errors)
        except BaseException:
            _stop(child, wait=0.0)
            raise
        _stop(child, wait=5.0)
        data = path.read_bytes()
    if progress is not None:
        progress(total, total)
    return Trained(data, iterations, seconds)


def _start(path: Path, stderr: IO[bytes]) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    # The child imports annotator from where the parent did, installed or not.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
    return subprocess.Popen(
        [sys.executable, "-m", "annotator.suggest.crf_training", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=env,
    )


def _feed(stdin: IO[bytes] | None, payload: bytes) -> None:
    """Write the training data to the child (a thread: a large corpus fills the pipe)."""
    if stdin is None:
        return
    try:
        stdin.write(payload)
        stdin.close()
    except OSError:  # the child was terminated (a cancel) before it read everything
        pass


def _read(stdout: IO[bytes] | None, messages: queue.Queue[list[Any] | None]) -> None:
    """Pass each line the child writes to ``messages``; None when it closes its output."""
    if stdout is not None:
        for line in stdout:
            messages.put(orjson.loads(line))
    messages.put(None)


def _follow(
    messages: queue.Queue[list[Any] | None],
    total: int,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
    errors: Path,
) -> tuple[int, float]:
    """Follow the child's messages until it is done; return its iterations and seconds."""
    while True:
        if cancelled is not None and cancelled():
            raise Cancelled("training the crf model was cancelled: nothing was stored")
        try:
            message = messages.get(timeout=POLL_SECONDS)
        except queue.Empty:
            continue
        if message is None:
            said = errors.read_text("utf-8", "replace").strip().splitlines()[-1:]
            raise AnnotatorError(
                "training the crf model stopped without a result"
                + (f": {said[0]}" if said else " (out of memory?)")
            )
        kind = message[0]
        if kind == "iteration" and progress is not None:
            progress(min(int(message[1]), total), total)
        elif kind == "done":
            return int(message[1]), float(message[2])
        elif kind == "error":
            raise AnnotatorError(f"training the crf model failed: {message[1]}")


def _stop(child: subprocess.Popen[bytes], wait: float) -> None:
    """Let a child that is done end (``wait`` seconds); terminate one that is not."""
    try:
        child.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        child.terminate()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _send(*message: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(list(message)) + b"\n")
    sys.stdout.buffer.flush()


def _child_main(path: str) -> None:
    """Train in the child: read the data, features per sentence, L-BFGS; report each step."""
    import pycrfsuite

    from annotator.suggest.crf_features import features

    class Trainer(pycrfsuite.Trainer):
        iterations = 0

        def on_iteration(self, log: str, info: dict[str, Any]) -> None:
            self.iterations = int(info.get("num", self.iterations + 1))
            _send("iteration", self.iterations)

        def _quiet(self, log: str, *args: Any) -> None:
            return None

        on_start = on_featgen_progress = on_featgen_end = on_prepared = _quiet
        on_prepare_error = on_optimization_end = on_end = _quiet

    try:
        started = time.perf_counter()
        data = orjson.loads(sys.stdin.buffer.read())
        # verbose=True: pycrfsuite calls the on_* hooks only then; they print nothing here.
        trainer = Trainer(algorithm="lbfgs", params=data["params"], verbose=True)
        for texts, tags in data["sentences"]:
            # One sentence's features at a time: pycrfsuite copies them into C at once, so the
            # child never holds every feature string of the corpus.
            trainer.append(features(texts), tags)
        trainer.train(path)
        _send("done", trainer.iterations, time.perf_counter() - started)
    except Exception as exc:  # reported to the parent, which raises it as its own error
        _send("error", f"{type(exc).__name__}: {exc}")


if __name__ == "__main__":
    _child_main(sys.argv[1])
