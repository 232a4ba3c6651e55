"""The kit the story is made of: the base scene and its parts (`base`), colours (`theme`),
where things go (`layout`), text and numbers (`labels`), formulas (`formulas`), the
network diagram (`diagram`), charts (`charts`), and Manim's internals (`compat`)."""
