"""Run one function in a forked child process while this one goes on (the second core of a laptop).

A forked child starts with this process's memory as it is (copy-on-write), so the tables a run
reads are not copied or pickled; only the result comes back, pickled through a pipe. Where the
platform cannot fork (Windows; macOS, where forking a process that has loaded system frameworks is
unsafe), :func:`can_fork` is False and callers run the function in this process instead.

Examples
--------
>>> job = Forked(lambda: sum(range(10))) if can_fork() else None
>>> job.result() if job else 45
45
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import sys
import traceback
from collections.abc import Callable
from typing import Any

from ..errors import MedvlmError, WorkerError


def can_fork() -> bool:
    """Whether :class:`Forked` may be used here: Linux (or another POSIX system but macOS) with the
    ``fork`` start method."""
    return sys.platform != "darwin" and "fork" in mp.get_all_start_methods()


def _child(fn: Callable[[], Any], conn) -> None:
    try:
        out = ("ok", fn())
    except BaseException as exc:  # everything goes back to the parent, which raises it
        out = ("error", exc, traceback.format_exc())
    try:
        conn.send(out)
    except Exception:  # an unpicklable result or error: say what it was
        detail = out[1] if out[0] == "error" else type(out[1]).__name__
        conn.send(("error", WorkerError(f"the result of a child process could not be sent back: {detail!r}"),
                   ""))
    finally:
        conn.close()


class Forked:
    """``fn()`` computed in a forked child process; :meth:`result` waits for it.

    The child's exception is raised again by :meth:`result` (same type and message); a child that
    dies without a result (killed by the out-of-memory killer, a crash) raises
    :class:`WorkerError` naming its exit code. Leaving a ``with`` block (or calling
    :meth:`cancel`) before the result stops the child.
    """

    def __init__(self, fn: Callable[[], Any], *, name: str = "medvlm-graph worker") -> None:
        ctx = mp.get_context("fork")
        self.name = name
        self._recv, send = ctx.Pipe(duplex=False)
        for stream in (sys.stdout, sys.stderr):  # else the child would write the parent's buffer again
            try:
                stream.flush()
            except Exception:
                pass
        self._proc = ctx.Process(target=_child, args=(fn, send), name=name, daemon=True)
        self._proc.start()
        send.close()  # the parent's copy: EOF on recv when the child dies without sending

    def result(self) -> Any:
        """The value of ``fn()``; raises what ``fn`` raised."""
        try:
            out = self._recv.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            self._proc.join()
            code = self._proc.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            hint = " (out of memory?)" if code == -9 else ""
            raise WorkerError(f"the {self.name} process died without a result: {how}{hint}") from None
        finally:
            self._recv.close()
        self._proc.join()
        if out[0] == "ok":
            return out[1]
        exc = out[1]
        if not isinstance(exc, MedvlmError) and out[2]:
            exc.add_note(f"in the {self.name} process:\n{out[2]}")
        raise exc

    def cancel(self) -> None:
        """Stop the child if it still runs."""
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        try:
            self._recv.close()
        except OSError:
            pass

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()


class InProcess:
    """:class:`Forked`'s interface in this process: ``fn()`` is computed when :meth:`result` is asked
    for, so a caller writes one ``with`` block for both cases.

    Examples
    --------
    >>> with InProcess(lambda: 2 + 2) as job:
    ...     job.result()
    4
    """

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn = fn

    def result(self) -> Any:
        return self.fn()

    def cancel(self) -> None:
        pass

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc) -> None:
        pass


def default_workers() -> int:
    """2 when this machine has two cores or more (as this process may use) and can fork, else 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return 2 if cores >= 2 and can_fork() else 1
