"""The explainer's first and last words: the hook and the recap."""

from manim import DOWN, LEFT, UP, FadeIn, LaggedStart, VGroup, Write

from scenes.kit.base import Part


class Title(Part):
    """The hook and the title card."""

    beats = ("hook",)
    narration = {
        "hook": "Imagine teaching a toddler what a cat is. They guess, you correct them, "
                 "and over time they learn. Neural networks learn from their mistakes "
                 "in the same way.",
    }

    def hook(self):
        title = self.text("How machines learn from mistakes", self.theme.title_size)
        subtitle = self.text("A gentle, visual introduction to backpropagation",
                             self.theme.body_size, self.theme.muted)
        card = self.layout.stage.fit(VGroup(title, subtitle).arrange(DOWN, buff=0.35))
        self.play(Write(title), run_time=1.5)
        self.play(FadeIn(subtitle, shift=0.2 * DOWN), run_time=0.8)
        self.subject = card


class Recap(Part):
    """The loop in five lines."""

    beats = ("recap",)
    narration = {
        "recap": "That is how machines learn from mistakes: guess, measure the error, pass "
                 "the blame backward, and take a small step downhill. Then repeat.",
    }

    def recap(self):
        self.scene.clear()
        self.set_heading("Recap: how a network learns")
        steps = ["Forward pass: make a guess", "Cost: measure the mistake",
                 "Backpropagation: pass the blame backward",
                 "Gradient descent: a small step downhill", "Repeat, many times"]
        lines = VGroup(*(self.text(f"{n}.  {step}", self.theme.body_size)
                         for n, step in enumerate(steps, 1)))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.32)
        self.layout.stage.fit(lines)
        self.play(LaggedStart(*(FadeIn(line, shift=0.2 * LEFT) for line in lines),
                              lag_ratio=0.5), run_time=3.0)
        self.subject = lines[-1]
