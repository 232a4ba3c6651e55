"""Errors, exit codes and interrupts of the command line, without click.

Any module may raise `Failure` (exit 1) or `UsageFailure` (exit 2); `app` turns them into
the one `Error: ...` line. Ctrl-C (or SIGTERM) becomes `Interrupted` in `on_interrupt`
only, and the signal handlers that let the clean-up after it finish live here too.
"""

import contextlib
import signal
import threading

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Failure(Exception):
    """A failure reported as one `Error: ...` line and exit code 1."""

    exit_code = EXIT_FAILURE


class UsageFailure(Failure):
    """A usage error found after parsing (e.g. an override the config rejects): exit 2."""

    exit_code = EXIT_USAGE


class Interrupted(Exception):
    """Ctrl-C. Not a KeyboardInterrupt, which click would swallow with a blank line;
    the message says what was not written (or is empty)."""


class Exit(Exception):
    """Leave with `code` after the command has printed its own error lines."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


@contextlib.contextmanager
def on_interrupt(detail=lambda: ""):
    """Turn Ctrl-C inside the block into `Interrupted(detail())`."""
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted(detail()) from None


def interrupt_once(signum, frame):
    """Signal handler: interrupt once; later signals are ignored so clean-up can finish."""
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    raise KeyboardInterrupt


@contextlib.contextmanager
def interrupts_once():
    """While rendering, a second Ctrl-C must not cut the clean-up of the first short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, interrupt_once) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
