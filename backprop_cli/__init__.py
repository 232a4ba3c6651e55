"""The `backprop-video` command line: scene lookup, options, rendering, progress, output.

`render.py` defines the click commands; the modules here do one job each:

- `app`: the click group (default command, one-line errors, exit codes)
- `options`: option types and the quick config overrides
- `catalog`: which scenes exist, their names, aliases and descriptions
- `settings`: render settings (quality presets, formats, cache directory)
- `worker`: renders one scene with Manim in the current process
- `runner`: renders several scenes, in this process or in parallel processes
- `progress`: the progress display on stderr
- `output`: atomic publishing into the output directory
- `cache`: source fingerprints, the finished-render and duration caches, scene locks
"""
