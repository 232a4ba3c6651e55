"""--preview: open finished files with the system's viewer, when there is one."""

import os
import shutil
import subprocess
import sys

import click


def viewer() -> list[str] | None:
    """The command that opens a file, or None (e.g. no display on a server)."""
    if sys.platform == "darwin":
        return ["open"]
    if sys.platform == "win32":
        return []  # os.startfile
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return None
    for command in ("xdg-open", "gio"):
        if shutil.which(command):
            return [command, "open"] if command == "gio" else [command]
    return None


def open_files(paths) -> None:
    command = viewer()
    if command is None:
        click.echo("Preview: no viewer available here (no display or no xdg-open); "
                   "open the file(s) above yourself.", err=True)
        return
    for path in paths:
        if command == []:
            os.startfile(str(path))
        else:
            subprocess.Popen([*command, str(path)], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
