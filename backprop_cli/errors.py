"""Errors, exit codes and interrupts of the command line, without click.

Any module may raise `Failure` (exit 1) or `UsageFailure` (exit 2); `app` turns them into
the one `Error: ...` line. Ctrl-C, SIGTERM and SIGHUP (a closed terminal) all become
`Interrupted` in `on_interrupt` only, and exit 130; the signal handlers that let the
clean-up after it finish live here too. The first stop signal raises KeyboardInterrupt;
every later one is ignored by the handler itself (never by switching to SIG_IGN, which
makes Python raise "OSError: Signal N ignored due to race condition" for a signal already
on its way).
"""

import contextlib
import signal
import threading

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))
_stopping = [False]   # a stop signal has been turned into KeyboardInterrupt already
_pending = [False]    # a stop signal came while the command was still being imported


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


_deferring = [0]      # inside `signals_deferred` blocks
_held = [False]       # a stop signal came inside one: raised when the outermost ends


def interrupt_once(signum, frame):
    """Signal handler: interrupt once; later signals are ignored so clean-up can finish."""
    if _stopping[0]:
        return
    if _deferring[0]:
        _held[0] = True
        return
    _stopping[0] = True
    raise KeyboardInterrupt


@contextlib.contextmanager
def signals_deferred():
    """Steps that belong together (renaming a scene's files into place): a stop signal
    inside the block is answered (KeyboardInterrupt) only once the block is done. Python
    runs handlers in the main thread whichever thread the signal reached, so this holds
    where a signal mask of the main thread alone would not."""
    _deferring[0] += 1
    try:
        yield
    finally:
        _deferring[0] -= 1
        if not _deferring[0] and _held[0]:
            _held[0] = False
            if not _stopping[0]:
                _stopping[0] = True
                raise KeyboardInterrupt


def _note(signum, frame):
    _pending[0] = True


def defer_signals() -> None:
    """While the command is still being imported: remember a stop signal, to be answered
    by `main` with the interrupted message (no traceback from the middle of an import)."""
    if threading.current_thread() is threading.main_thread():
        for sig in STOP_SIGNALS:
            signal.signal(sig, _note)


def signalled_early() -> bool:
    """Whether a stop signal came before `install_handlers` (and forget it)."""
    came, _pending[0] = _pending[0], False
    return came


def stopping() -> bool:
    """Whether a stop signal has arrived in this process (since `install_handlers`)."""
    return _stopping[0]


def install_handlers() -> dict:
    """At the start of a command (or a worker process): every stop signal interrupts once.
    Returns the previous handlers, for `restore_handlers`."""
    _stopping[0] = _held[0] = False
    _deferring[0] = 0
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, interrupt_once) for sig in STOP_SIGNALS}


def restore_handlers(previous: dict) -> None:
    """Put back the handlers `install_handlers` replaced, unless the process is stopping
    (then a second Ctrl-C during the exit stays harmless)."""
    if _stopping[0]:
        return
    for sig, handler in previous.items():
        signal.signal(sig, handler)


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
        restore_handlers(previous)


@contextlib.contextmanager
def signals_blocked():
    """Hold stop signals back (they stay pending) while a child process starts: it
    inherits the mask, so it can set up its handlers before any signal reaches it."""
    block = getattr(signal, "pthread_sigmask", None)
    if block is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
