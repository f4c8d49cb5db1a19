"""One error hierarchy for the whole package.

Every failure a user can cause or meet is a :class:`MedvlmError`. The CLI has a
single handler that prints ``Error: <message>`` (one line, no traceback) and
exits with the error's ``exit_code``:

* 0 success
* 1 bad input or user error (:class:`InputError`, :class:`DataError`, ...)
* 2 usage error (:class:`UsageError`; Typer/Click usage errors also exit 2)
* 3 network/API failure after retries (:class:`NetworkError`), everything
  fetched so far kept.

Examples
--------
>>> from medvlm_graph.errors import InputError
>>> err = InputError("no tables found in list.md")
>>> err.exit_code, str(err)
(1, 'no tables found in list.md')
"""

from __future__ import annotations


class MedvlmError(Exception):
    """Base class of every error the package raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        # Messages are kept to one line: the CLI prints them verbatim.
        message = " ".join(str(message).split())
        if hint:
            message = f"{message} ({' '.join(hint.split())})"
        super().__init__(message)


class InputError(MedvlmError):
    """A file, URL or value given by the user cannot be used (exit 1)."""


class DataError(MedvlmError):
    """Stored data (a table, a cache file, a manifest) is missing or corrupt (exit 1)."""


class TaxonomyError(InputError):
    """The taxonomy YAML is invalid; the message names the line (exit 1)."""


class UsageError(MedvlmError):
    """The command was called the wrong way (exit 2)."""

    exit_code = 2


class WorkerError(MedvlmError):
    """A worker process died without a result (killed, e.g. out of memory), or its result or error
    could not be sent back (exit 1)."""


class NetworkError(MedvlmError):
    """The network or API failed after all retries (exit 3); fetched data is kept."""

    exit_code = 3


class ApiError(NetworkError):
    """The API refused a request in a way retrying cannot fix (bad fields, bad key).

    Exits 3 like any API failure, but is raised at once, without retries.
    """

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class LockError(MedvlmError):
    """Another process holds the data directory lock (exit 1)."""
