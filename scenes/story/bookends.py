"""The explainer's first and last words: the hook (a toddler, a cat and a dog), the title
card, and the recap."""

from manim import (DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, GrowFromCenter, Line,
                   RoundedRectangle, Transform, VGroup, Write)

from scenes.kit.base import Part
from scenes.kit.charts import sample_picture


class Title(Part):
    """The hook: a toddler names a cat, calls a dog a cat, is corrected; then the title."""

    beats = ("hook", "title_card")
    narration = {
        "hook": "Show a toddler a cat: cat. Later, a dog: cat? You correct them, and over "
                "many pictures they learn.",
        "title_card": "Machines learn the same way. The correcting is called backpropagation.",
    }

    def bubble(self, words: str, picture) -> VGroup:
        """A speech bubble with `words`, above and left of `picture`."""
        text = self.text(words, self.theme.body_size)
        frame = RoundedRectangle(corner_radius=0.2, width=text.width + 0.5,
                                 height=text.height + 0.4, stroke_color=self.theme.muted,
                                 stroke_width=3)
        tail = Line(frame.get_bottom() + 0.3 * LEFT, frame.get_bottom() + 0.6 * LEFT + 0.3 * DOWN,
                    stroke_color=self.theme.muted, stroke_width=3)
        text.move_to(frame)
        return VGroup(frame, tail, text).next_to(picture, UP, buff=0.25).shift(0.3 * RIGHT)

    def mark(self, right: bool) -> VGroup:
        """A tick (in the text colour) or a red cross (a mistake)."""
        if right:
            return VGroup(Line([-0.2, 0, 0], [-0.05, -0.16, 0]),
                          Line([-0.05, -0.16, 0], [0.25, 0.22, 0])).set_stroke(
                self.theme.text, 8)
        return VGroup(Line([-0.2, -0.2, 0], [0.2, 0.2, 0]),
                      Line([-0.2, 0.2, 0], [0.2, -0.2, 0])).set_stroke(self.theme.error, 8)

    def hook(self):
        stage = self.layout.stage
        side = min(stage.width / 3.2, stage.height / 2.2)
        cat = sample_picture("cat", self.theme, side)
        dog = sample_picture("dog", self.theme, side)
        VGroup(cat, dog).arrange(RIGHT, buff=side * 0.7).move_to(stage.center + 0.5 * side * DOWN)
        said_cat = self.bubble("cat", cat)
        tick = self.mark(True).next_to(said_cat, RIGHT, buff=0.15)
        said_dog = self.bubble("cat?", dog)
        cross = self.mark(False).move_to(said_dog)
        corrected = self.bubble("dog", dog)
        tick2 = self.mark(True).next_to(corrected, RIGHT, buff=0.15)
        beat = max(0.5, (self.time_left() - 0.5) / 6)
        self.play(GrowFromCenter(cat), run_time=beat)
        self.play(FadeIn(said_cat, shift=0.2 * UP), Create(tick), run_time=beat)
        self.play(GrowFromCenter(dog), run_time=beat)
        self.play(FadeIn(said_dog, shift=0.2 * UP), run_time=beat)
        self.play(Create(cross), said_dog[2].animate.set_color(self.theme.error), run_time=beat)
        self.play(FadeOut(cross), Transform(said_dog, corrected), Create(tick2), run_time=beat)
        self.subject = VGroup(dog, said_dog, tick2)

    def title_card(self):
        title = self.text("How machines learn from mistakes", self.theme.title_size)
        subtitle = self.text("A gentle, visual introduction to backpropagation",
                             self.theme.body_size, self.theme.muted)
        card = self.layout.stage.fit(VGroup(title, subtitle).arrange(DOWN, buff=0.35))
        leaving = [m for m in self.scene.mobjects if m is not self.scene.caption]
        self.play(*(FadeOut(m, shift=0.4 * UP) for m in leaving), Write(title), run_time=1.2)
        self.play(FadeIn(subtitle, shift=0.2 * DOWN), run_time=0.6)
        self.subject = card


RECAP = (("Forward pass: make a guess", "Forward pass: the network makes a guess."),
         ("Cost: measure the mistake", "The cost measures how wrong it is."),
         ("Backward pass: share out the blame", "The backward pass hands every weight its "
                                                "share of the blame."),
         ("Step downhill: nudge every weight", "Every weight takes a small step downhill."),
         ("Repeat", "Then repeat, many times."))


class Recap(Part):
    """The loop in five lines, each appearing as it is said."""

    beats = ("recap",)
    narration = {"recap": " ".join(said for _, said in RECAP)}

    def recap(self):
        self.scene.clear()
        self.set_heading("Recap: how a network learns")
        lines = VGroup(*(self.text(f"{n}.  {shown}", self.theme.body_size)
                         for n, (shown, _) in enumerate(RECAP, 1)))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.32)
        self.layout.stage.fit(lines)
        words = [len(said.split()) for _, said in RECAP]
        total = self.time_left() - 0.6 * len(RECAP)
        previous = VGroup()
        for line, count in zip(lines, words):   # each line lit for as long as its sentence
            line.set_color(self.theme.highlight)
            self.play(FadeIn(line, shift=0.2 * LEFT),
                      previous.animate.set_color(self.theme.text), run_time=0.6)
            self.play(line.animate.shift(0.15 * RIGHT),
                      run_time=max(0.3, total * count / sum(words)))
            previous = line
        self.subject = lines
