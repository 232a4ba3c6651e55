"""BackpropExplainer: the whole story as one video, from title card to recap."""

from manim import DOWN, LEFT, UP, FadeIn, FadeOut, LaggedStart, VGroup, Write

from scenes.anatomy import NetworkAnatomy
from scenes.backward import Backpropagation
from scenes.descent import GradientDescent
from scenes.forward import ForwardPass
from scenes.loss import OuchMoment
from scenes.training import Training

PARTS = (NetworkAnatomy, ForwardPass, OuchMoment, Backpropagation, GradientDescent, Training)
CARDS = {
    NetworkAnatomy: "The brain of the machine",
    ForwardPass: "The forward pass",
    OuchMoment: "The ouch moment",
    Backpropagation: "Backpropagation",
    GradientDescent: "What's a gradient?",
    Training: "Training",
}


def _card_beat(part) -> str:
    return f"card_{part.__name__}"


class BackpropExplainer(*reversed(PARTS)):
    """The whole story: title card, the six parts with section cards, and a recap."""

    beats = ("title", *(b for part in PARTS for b in (_card_beat(part), *part.beats)), "recap")
    narration = {
        "title": "Imagine teaching a toddler what a cat is. They guess, you correct them, "
                 "and over time they learn. Neural networks learn from their mistakes "
                 "in the same way.",
        **{_card_beat(part): f"Part {n}: {CARDS[part]}." for n, part in enumerate(PARTS, 1)},
        **{k: v for part in PARTS for k, v in part.narration.items()},
        "recap": "That is how machines learn from mistakes: guess, measure the error, pass "
                 "the blame backward, and take a small step downhill. Then repeat.",
    }

    def clear_screen(self) -> None:
        """Fade out everything but the caption, ready for the next part."""
        leaving = [m for m in self.mobjects if m is not self.caption]
        if leaving:
            self.play(*(FadeOut(m) for m in leaving), run_time=0.6)
        self.heading = VGroup()

    def title(self):
        title = self.text("How machines learn from mistakes", self.theme.title_size)
        subtitle = self.text("A gentle, visual introduction to backpropagation",
                             self.theme.body_size, self.theme.muted)
        VGroup(title, subtitle).arrange(DOWN, buff=0.35).shift(0.3 * UP)
        self.play(Write(title), run_time=1.5)
        self.play(FadeIn(subtitle, shift=0.2 * DOWN), run_time=0.8)

    def section_card(self, n: int, name: str) -> None:
        self.clear_screen()
        number = self.text(f"Part {n}", self.theme.body_size, self.theme.muted)
        title = self.text(name, self.theme.title_size, self.theme.highlight)
        card = VGroup(number, title).arrange(DOWN, buff=0.25)
        self.play(FadeIn(card, shift=0.3 * DOWN), run_time=0.8)
        self.wait(0.6)
        self.play(FadeOut(card), run_time=0.5)

    def recap(self):
        self.clear_screen()
        self.set_heading("Recap: how a network learns")
        steps = ["Forward pass: make a guess", "Loss: measure the mistake",
                 "Backpropagation: pass the blame backward",
                 "Gradient descent: a small step downhill", "Repeat, many times"]
        lines = VGroup(*(self.text(f"{n}.  {step}", self.theme.body_size)
                         for n, step in enumerate(steps, 1)))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.32).move_to([0, 0.3, 0])
        self.play(LaggedStart(*(FadeIn(line, shift=0.2 * LEFT) for line in lines),
                              lag_ratio=0.5), run_time=3.0)


for _n, _part in enumerate(PARTS, 1):
    setattr(BackpropExplainer, _card_beat(_part),
            lambda self, n=_n, name=CARDS[_part]: self.section_card(n, name))
