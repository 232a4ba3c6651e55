"""backprop-video: `python render.py ...` is the `backprop-video` command.

With no arguments it renders the full explainer. The commands live in
`backprop_cli/commands/`, the group in `backprop_cli/main.py`.
"""

from backprop_cli.main import cli

if __name__ == "__main__":
    cli()
