"""Run one function in a forked child process while this one goes on (the second core of a laptop).

A forked child starts with this process's memory as it is (copy-on-write), so the tables a run
reads are not copied or pickled; only the result comes back, pickled into an unnamed temporary
file (a pipe holds 64 KiB: a child sending tens of megabytes through it would wait for this
process to read), with a few bytes through a pipe to say it is there. Where the platform cannot
fork (Windows; macOS, where forking a process that has loaded system frameworks is unsafe),
:func:`can_fork` is False and callers run the function in this process instead.

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
import tempfile
import traceback
from collections.abc import Callable
from typing import IO, Any

from ..errors import MedvlmError, WorkerError


def can_fork() -> bool:
    """Whether :class:`Forked` may be used here: Linux (or another POSIX system but macOS) with the
    ``fork`` start method."""
    return sys.platform != "darwin" and "fork" in mp.get_all_start_methods()


def _child(fn: Callable[[], Any], then: Callable[[Any], Any] | None, conn, file: IO[bytes]) -> None:
    try:
        try:
            result = fn()
        except BaseException as exc:  # everything goes back to the parent, which raises it
            _send(conn, ("error", exc, traceback.format_exc()))
            return
        try:
            pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
            file.close()  # flushed; where /tmp is in memory (tmpfs) it is freed once the parent has read it
        except Exception as exc:
            _send(conn, ("error", WorkerError(f"the result of a child process could not be sent back: "
                                              f"{type(result).__name__} ({exc})"), ""))
            return
        conn.send(("ok",))
        if then is None:
            return
        try:  # the parent has the result and goes on; what is left of the work ends with "done" or an error
            then(result)
            done: tuple = ("done",)
        except BaseException as exc:
            done = ("error", exc, traceback.format_exc())
        _send(conn, done)
    finally:
        conn.close()


def _send(conn, out: tuple) -> None:
    """Send ``out``; an error that cannot be pickled is sent as a :class:`WorkerError` saying what it was."""
    try:
        conn.send(out)
    except Exception:
        conn.send(("error", WorkerError(f"the error of a child process could not be sent back: {out[1]!r}"), ""))


class Forked:
    """``fn()`` computed in a forked child process; :meth:`result` waits for it.

    The child's exception is raised again by :meth:`result` (same type and message); a child that
    dies without a result (killed by the out-of-memory killer, a crash) raises
    :class:`WorkerError` naming its exit code. Leaving a ``with`` block (or calling
    :meth:`cancel`) before the result stops the child.

    ``then(result)``, if given, runs in the child after it has handed over the result (e.g. writing
    the result's tables while this process goes on with it); :meth:`finish` waits for it and raises
    what it raised. Leaving a ``with`` block normally after :meth:`result` calls :meth:`finish`.
    """

    def __init__(self, fn: Callable[[], Any], *, name: str = "medvlm-graph worker",
                 then: Callable[[Any], Any] | None = None) -> None:
        ctx = mp.get_context("fork")
        self.name = name
        self._recv, send = ctx.Pipe(duplex=False)
        self._file = tempfile.TemporaryFile(prefix="medvlm-graph-")  # unnamed: gone with both processes
        for stream in (sys.stdout, sys.stderr):  # else the child would write the parent's buffer again
            try:
                stream.flush()
            except Exception:
                pass
        self._then = then is not None  # a "done" (or an error) comes after the result
        self._received = self._closed = False
        self._proc = ctx.Process(target=_child, args=(fn, then, send, self._file), name=name, daemon=True)
        self._proc.start()
        send.close()  # the parent's copy: EOF on recv when the child dies without sending

    def _receive(self, what: str) -> tuple:
        try:
            return self._recv.recv()
        except (EOFError, OSError):
            self._close()
            code = self._proc.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            hint = " (out of memory?)" if code == -9 else ""
            raise WorkerError(f"the {self.name} process died {what}: {how}{hint}") from None

    def _close(self) -> None:
        self._closed = True
        self._proc.join()
        for handle in (self._recv, self._file):
            try:
                handle.close()
            except OSError:
                pass

    def _raise(self, out: tuple):
        self._close()
        exc = out[1]
        if not isinstance(exc, MedvlmError) and out[2]:
            exc.add_note(f"in the {self.name} process:\n{out[2]}")
        raise exc

    def result(self) -> Any:
        """The value of ``fn()``; raises what ``fn`` raised."""
        out = self._receive("without a result")
        self._received = True
        if out[0] != "ok":
            self._raise(out)
        self._file.seek(0)  # the child has written and closed it
        try:
            value = pickle.load(self._file)
        except Exception as exc:
            self.cancel()
            raise WorkerError(f"the result of the {self.name} process could not be read: {exc}") from exc
        self._file.close()
        if not self._then:
            self._close()
        return value

    def finish(self) -> None:
        """Wait for ``then`` to end in the child (after :meth:`result`); raises what it raised."""
        if self._closed or not self._received:
            return
        out = self._receive("before it was done")
        if out[0] != "done":
            self._raise(out)
        self._close()

    def cancel(self) -> None:
        """Stop the child if it still runs."""
        if self._proc.is_alive():
            self._proc.kill()
        self._close()

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None and self._received:
            try:
                self.finish()
            finally:
                self.cancel()
        else:
            self.cancel()


class InProcess:
    """:class:`Forked`'s interface in this process: ``fn()`` (then ``then(result)``) is computed when
    :meth:`result` is asked for, so a caller writes one ``with`` block for both cases.

    Examples
    --------
    >>> with InProcess(lambda: 2 + 2) as job:
    ...     job.result()
    4
    """

    def __init__(self, fn: Callable[[], Any], *, then: Callable[[Any], Any] | None = None) -> None:
        self.fn, self.then = fn, then

    def result(self) -> Any:
        out = self.fn()
        if self.then is not None:
            self.then(out)
        return out

    def finish(self) -> None:
        pass

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
