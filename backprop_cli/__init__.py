"""The `backprop-video` command line: commands, options, rendering, progress, output.

`main.cli` is the command group (`render.py` and the `backprop-video` script run it).
Each module does one job:

- `main`: the click group and its commands
- `commands/`: one module per command (`render`, `stills`, `slides`, `storyboard`,
  `list_scenes`, `trace`, `init_config`); `commands.options` declares the options several commands
  share, `commands.request` turns parsed options into a render request and runs it
- `app`: the group class (default command, one `Error:` line per error, exit codes)
- `errors`: the error types, exit codes, and Ctrl-C (`Interrupted`), without click
- `param_types`: option types that parse a value or fail with a one-line message
- `catalog`: which scenes exist, their names, aliases and descriptions
- `settings`: render settings (quality presets, formats, themes, config overrides,
  cache directory)
- `runner`: renders several scenes, in this process or in parallel processes, and a
  lone scene shared between processes (each every N-th animation, then joined)
- `worker`: renders one scene (or a share of its animations) with Manim in the current
  process
- `cluster`: the same on a Dask distributed scheduler (`--cluster`)
- `gif`: compact GIFs from a rendered MP4
- `deck`: reveal.js slide decks, one slide per beat
- `preview`: opens finished files with the system's viewer
- `progress`: the progress display on stderr
- `output`: atomic publishing into the output directory
- `cache`: source fingerprints, the finished-render and duration caches, scene locks
"""
