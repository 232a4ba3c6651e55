"""The click group: a default command, and every error as one line with a fixed exit code.

Exit codes: 0 success, 1 failure (bad config, render failed, cannot write), 2 usage error
(bad option or argument), 130 interrupted (Ctrl-C, SIGTERM or SIGHUP, from the first
moment `main` runs). No traceback unless `--debug` is given (or BACKPROP_VIDEO_DEBUG=1).

The standard streams are made safe first: a closed stderr or stdout (`2>&-`) becomes
/dev/null (so no file the command opens can land on descriptor 2 and receive its
messages), an ASCII-only stream (the C locale) writes UTF-8 and a path's undecodable
bytes as they were, and a reader of stdout that goes away (`| head -1`) ends the command
quietly with exit 0: what it was asked to make is made, only the listing is cut short.
"""

import codecs
import contextlib
import os
import sys
import traceback

import click

from . import output
from .errors import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    Exit,
    Failure,
    Interrupted,
    defer_signals,
    install_handlers,
    on_interrupt,
    restore_handlers,
    signalled_early,
    stopping,
)

ENTRY = bool(sys.argv) and os.path.basename(sys.argv[0]) in ("backprop-video", "render.py")
if ENTRY:
    defer_signals()   # the command itself is starting: no signal may go unanswered


class OutputClosed(Exception):
    """Whoever reads stdout (or stderr) has gone away: not click's OSError, so click
    does not turn it into exit 1."""


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def option_name(param) -> str:
    """How the user spelled the parameter: --quality, SCENE."""
    if isinstance(param, click.Option):
        longs = [opt for opt in param.opts if opt.startswith("--")]
        return (longs or param.opts)[0]
    return (param.human_readable_name or param.name or "").upper()


def usage_message(err: click.UsageError) -> str:
    if isinstance(err, click.BadParameter) and err.param is not None and not isinstance(
            err, (click.MissingParameter, click.BadOptionUsage)):
        return f"{option_name(err.param)}: {err.message}"
    message = err.format_message()
    if isinstance(err, click.NoSuchOption) and err.possibilities:
        message = f"no such option: {err.option_name} (did you mean {err.possibilities[0]}?)"
    elif isinstance(err, click.NoSuchOption):
        message = f"no such option: {err.option_name} (see --help)"
    return message


def failure(err: Exception) -> tuple[str, int]:
    """The `Error:` message and exit code of a project or click error."""
    if isinstance(err, Failure):
        return str(err), err.exit_code
    if isinstance(err, click.UsageError):
        return usage_message(err), EXIT_USAGE
    return err.format_message(), err.exit_code or EXIT_FAILURE


def debug_wanted(args) -> bool:
    return "--debug" in (args or []) or os.environ.get("BACKPROP_VIDEO_DEBUG") == "1"


def error_line(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):   # a closed or vanished terminal
        click.echo(f"Error: {one_line(message)}", err=True)


def _reopen_closed(fd: int, mode: int) -> None:
    """A standard descriptor closed by the caller (`2>&-`) gets /dev/null."""
    try:
        os.fstat(fd)
    except OSError:
        null = os.open(os.devnull, mode)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)


def safe_streams() -> None:
    """Closed standard streams become /dev/null; ASCII-only ones (the C locale) write
    UTF-8, and paths' undecodable bytes unchanged (surrogateescape)."""
    for fd, mode in ((0, os.O_RDONLY), (1, os.O_WRONLY), (2, os.O_WRONLY)):
        _reopen_closed(fd, mode)
    for name, fd in (("stdout", 1), ("stderr", 2)):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(fd, "w", encoding="utf-8", errors="surrogateescape",
                                    closefd=False))
            continue
        encoding = codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
        if encoding == "ascii" and hasattr(stream, "reconfigure"):
            with contextlib.suppress(Exception):
                stream.reconfigure(encoding="utf-8", errors="surrogateescape")


def _silence_stdout() -> None:
    """After a broken pipe: nothing more reaches stdout, not even the flush at exit."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


class DefaultCommandGroup(click.Group):
    """A group that runs `default_command` when the first word is not a command."""

    def __init__(self, *args, default_command: str = "render", **kwargs):
        kwargs.setdefault("no_args_is_help", False)
        kwargs.setdefault("context_settings", {}).update(ignore_unknown_options=True,
                                                        help_option_names=["-h", "--help"])
        super().__init__(*args, **kwargs)
        self.default_command = default_command

    def parse_args(self, ctx, args):
        if not args:
            args = [self.default_command]
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx, args):
        if self.get_command(ctx, args[0]) is None:
            ctx.meta["default_routed"] = args[0]
            return self.default_command, self.get_command(ctx, self.default_command), args
        return super().resolve_command(ctx, args)

    def invoke(self, ctx):
        try:
            with on_interrupt():
                return super().invoke(ctx)
        except BrokenPipeError:
            raise OutputClosed() from None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        previous = install_handlers()
        try:
            if signalled_early():
                raise KeyboardInterrupt
            code = self._run(args, prog_name, complete_var, **extra)
        except KeyboardInterrupt:   # a stop signal between two of _run's steps
            error_line("interrupted")
            code = EXIT_INTERRUPTED
        finally:
            restore_handlers(previous)
        if code != 0:   # a refused or failed command leaves no empty folder it made
            output.remove_if_empty()
        output.CREATED.clear()
        if standalone_mode and ENTRY and stopping():
            # Interrupted: leave now. Python's shutdown puts the default handlers back,
            # so one more Ctrl-C during it would kill the process with -2 instead of 130.
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(code)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(self, args, prog_name, complete_var, **extra) -> int:
        argv = list(sys.argv[1:] if args is None else args)
        debug = debug_wanted(argv)
        code = 0
        try:
            safe_streams()
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except OutputClosed:
            _silence_stdout()
            code = 0
        except KeyboardInterrupt:   # a stop signal before click started the command
            error_line("interrupted")
            code = EXIT_INTERRUPTED
        except Exit as err:
            code = err.code
        except (Failure, click.ClickException) as err:
            if debug:
                traceback.print_exc()
            message, code = failure(err)
            error_line(message)
        except (Interrupted, click.Abort) as err:   # Abort: Ctrl-C while click was parsing
            detail = str(err) if isinstance(err, Interrupted) else ""
            error_line(f"interrupted ({detail})" if detail else "interrupted")
            code = EXIT_INTERRUPTED
        except click.exceptions.Exit as err:
            code = err.exit_code
        except Exception as err:  # noqa: BLE001 -- an unexpected failure: still one line
            if debug:
                traceback.print_exc()
            error_line(f"{type(err).__name__}: {err}" + ("" if debug else
                                                         " (run with --debug for details)"))
            code = EXIT_FAILURE
        return code

