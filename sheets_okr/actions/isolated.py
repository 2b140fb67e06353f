"""Running jobs (one tracker's sync each) in child processes, so that a crash loses one job.

Why processes: python-calamine is native code, and a hostile workbook can end the process
that reads it in ways no `except` catches: a cell at XFD1048576 makes it ask for 512 GiB
and abort (signal 6), a Rust panic can do the same, the kernel kills a process that eats
the machine's memory. In a child, that ends the child only; the run reads its exit status
and reports that tracker as failed, then still summarises, emails and pings.

Why fork (not spawn or forkserver): a forked child starts as an exact copy of the run:
the configuration, the environment, the current folder, the log levels -v set, and, in the
tests, every monkeypatched module attribute (the Sheets emulator's budget and fast retries).
Nothing has to be pickled on the way in and no interpreter has to start: a fork costs
milliseconds where a spawned child spends ~1 s importing pandas. A forkserver would start
clean but see only what is passed to it: environment variables set after it started, log
levels and patched settings would all have to be carried over one by one. Fork's danger is
a parent whose other threads hold locks at the fork; so the run forks from its one thread
and keeps no threads of its own (the thread pool this replaces is gone), and the libraries'
own threads (OpenBLAS) stop themselves around a fork. Platforms without fork (Windows) are
not supported by the tool anyway (the run lock is an flock).

What each child gets: SIGTERM back to its default (the run's handler is for the run) and
Ctrl-C ignored (the run decides, and kills it); death with its parent (PR_SET_PDEATHSIG on
Linux), so that no child outlives a killed run or keeps the run lock's inherited flock; an
address-space limit (RLIMIT_AS) of what it shares with the run plus `Limits.memory`, so a
runaway allocation fails in the child (MemoryError, or an abort in native code) instead of
calling the kernel's OOM killer; and a wall-clock limit, after which the run kills it.
Its log records come back over its pipe, already filtered by the levels it inherited, and
are handled by the run's own loggers, so -v and -vv show them as before. Its answer comes
back pickled over the same pipe.

What no longer holds across children: anything kept in memory per process, such as the
Sheets client's per-minute request budget, which now bounds each child, not the whole run.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import resource
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkProcess
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_REAP_SECONDS = 5.0  # how long to wait for a killed child: only one stuck in the kernel takes long
# The signals that stop the run (SIGTERM's SystemExit, Ctrl-C): held while a child starts or
# the children are killed, lest they leave a child started but not yet known, or not killed.
_STOPPING = {signal.SIGTERM, signal.SIGINT}


@dataclass(frozen=True)
class Limits:
    """What one child may take before it fails: wall-clock seconds, and bytes of memory
    (address space) beyond what it shares with the run when it starts."""

    seconds: float = 600.0
    memory: int = 2 * 1024**3


@dataclass(frozen=True)
class Ended:
    """A child that gave no answer, and how it ended."""

    exitcode: int | None  # negative: minus the signal that ended it; None: killed by the run
    seconds: float
    timed_out: bool = False
    unsent: str = ""  # why its answer could not be passed back, when that was the trouble

    @property
    def cause(self) -> str:
        """How the process ended, in words: "signal 6: SIGABRT", "exit status 3"."""
        code = self.exitcode
        if code is None:
            return "stopped by the run"
        if code >= 0:
            return f"exit status {code}"
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "unknown signal"
        if -code == signal.SIGKILL:  # nobody here sent it: the OOM killer's signal
            return f"signal {-code}: {name}, as the system sends when memory runs out"
        return f"signal {-code}: {name}"


def run_each(
    jobs: Sequence[Callable[[], T]], *, workers: int, limits: Limits = Limits()
) -> list[T | Ended]:
    """Run every job in a child process of its own, at most `workers` at once; their answers
    (or how their process ended) in the jobs' order.

    Anything that stops the run while it waits (SIGTERM's SystemExit, Ctrl-C) starts no
    other job and kills those under way before it goes on up.
    """
    context = multiprocessing.get_context("fork")
    queued = deque(enumerate(jobs))
    running: dict[int, _Child[T]] = {}
    done: dict[int, T | Ended] = {}
    try:
        while queued or running:
            while queued and len(running) < max(1, workers):
                index, job = queued.popleft()
                with _held():
                    running[index] = _Child.start(context, job, limits)
            first = min(child.deadline for child in running.values())
            handles = [handle for child in running.values() for handle in child.handles()]
            ready = wait(handles, timeout=max(0.0, first - time.monotonic()))
            now = time.monotonic()
            for index, child in list(running.items()):
                if child.answers in ready and not child.answers.closed:
                    child.receive()
                if child.process.sentinel in ready:
                    done[index] = child.finish(now)
                elif now >= child.deadline:
                    done[index] = child.stop(now, timed_out=True)
                else:
                    continue
                del running[index]
    except BaseException:
        _stop_all(running.values())
        raise
    return [done[index] for index in range(len(jobs))]


def _stop_all(children: Iterable[_Child[T]]) -> None:
    """Kill the children under way; a second SIGTERM or Ctrl-C waits until they are gone."""
    with _held():
        for child in children:
            child.stop(time.monotonic(), timed_out=False)


@contextlib.contextmanager
def _held() -> Iterator[None]:
    """The signals that stop the run wait until the end of the block (then raise as usual)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Child(Generic[T]):
    """One running child, seen from the run: its process, its pipe, its deadline."""

    def __init__(self, process: ForkProcess, answers: Connection, limits: Limits) -> None:
        self.process = process
        self.answers = answers
        self.started = time.monotonic()
        self.deadline = self.started + limits.seconds
        self.answer: tuple[T] | None = None  # a tuple, since None may be an answer
        self.unsent = ""

    @classmethod
    def start(
        cls, context: multiprocessing.context.ForkContext, job: Callable[[], T], limits: Limits
    ) -> _Child[T]:
        answers, writer = context.Pipe(duplex=False)
        process = context.Process(target=_child_main, args=(job, writer, limits, os.getpid()),
                                  daemon=True)  # fmt: skip
        process.start()
        writer.close()  # the child's copy is the only one left: its end is our EOF
        return cls(process, answers, limits)

    def handles(self) -> list[Connection | int]:
        """What to wait on: the pipe while it is open, and the process's end."""
        pipe: list[Connection | int] = [] if self.answers.closed else [self.answers]
        return [*pipe, self.process.sentinel]

    def receive(self) -> None:
        """Take one message: a log record to pass on, or the answer."""
        try:
            kind, payload = self.answers.recv()
        except (EOFError, OSError):  # the child closed its end: it ended or is ending
            self.answers.close()
            return
        except Exception as error:  # an answer that cannot be rebuilt here
            self.unsent = f"{type(error).__name__}: {error}"
            return
        if kind == "log":
            logging.getLogger(payload.name).handle(payload)
        elif kind == "unsent":
            self.unsent = payload
        else:
            self.answer = (payload,)

    def finish(self, now: float) -> T | Ended:
        """The process has ended: what it said before it did."""
        while not self.answers.closed and self.answers.poll():  # its last words are buffered
            self.receive()
        self.process.join()  # already ended: this only reaps it
        return self._outcome(self.process.exitcode, now, timed_out=False)

    def stop(self, now: float, *, timed_out: bool) -> T | Ended:
        """Kill it (over its time, or the run is stopping)."""
        self.process.kill()
        self.process.join(_REAP_SECONDS)
        return self._outcome(None, now, timed_out=timed_out)

    def _outcome(self, exitcode: int | None, now: float, *, timed_out: bool) -> T | Ended:
        self.answers.close()
        if self.process.exitcode is not None:
            self.process.close()
        if self.answer is not None:  # it answered, then was slow to exit
            return self.answer[0]
        return Ended(exitcode, now - self.started, timed_out=timed_out, unsent=self.unsent)


# --- in the child ---------------------------------------------------------------------------


def _child_main(job: Callable[[], object], writer: Connection, limits: Limits, run: int) -> None:
    """The child's whole life: set its bounds, do the job, send the answer back."""
    _die_with(run)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)  # held by the run while it forked
    logging.getLogger().handlers = [_Forward(writer)]
    _limit_memory(limits.memory)
    try:
        answer = job()
    except Exception:  # jobs return their failures; this is a bug in one
        log.exception("the job in process %d raised", os.getpid())
        raise SystemExit(1) from None
    try:
        writer.send(("answer", answer))
    except Exception as error:  # an answer that does not pickle: nothing was sent of it
        writer.send(("unsent", f"{type(error).__name__}: {error}"))
    writer.close()


def _die_with(run: int) -> None:
    """Be killed when the run's process ends, however it ends (Linux only)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != run:  # the run ended before the line above took effect
        os._exit(1)


def _limit_memory(extra: int) -> None:
    """Let the address space grow by `extra` bytes at most (where /proc tells its size)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size + extra
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or limit < soft:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError) as error:
        log.debug("no memory limit for process %d: %s", os.getpid(), error)


class _Forward(logging.Handler):
    """Sends each record to the run, flattened so that it pickles (message and traceback
    as text), where the run's loggers handle it as if it had been logged there."""

    def __init__(self, writer: Connection) -> None:
        super().__init__()
        self.writer = writer

    def emit(self, record: logging.LogRecord) -> None:
        try:
            flat = logging.makeLogRecord(record.__dict__)
            flat.msg, flat.args = record.getMessage(), None
            if record.exc_info and not flat.exc_text:
                flat.exc_text = logging.Formatter().formatException(record.exc_info)
            flat.exc_info = None
            self.writer.send(("log", flat))
        except Exception:
            self.handleError(record)
