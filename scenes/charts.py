"""Small charts: a meter comparing a guess with the truth."""

from manim import DOWN, LEFT, RIGHT, UP, Circle, Dot, Line, ReplacementTransform, VGroup

from .labels import Label, Number
from .theme import Theme


class GuessMeter(VGroup):
    """A track from `low` to `high` with the true value (a ring) and the guess (a dot).

    `guess_label` and `truth_label` hold the numbers shown above and below the markers.
    """

    def __init__(self, name: str, guess: float, truth: float, theme: Theme, width: float = 3.4,
                 low: float = 0.0, high: float = 1.0):
        super().__init__()
        self.theme, self.low, self.high = theme, low, high
        self.track = Line(LEFT * width / 2, RIGHT * width / 2, stroke_width=4, color=theme.muted)
        self.name = Label(name, theme, theme.label_size)
        self.name.next_to(self.track, LEFT, buff=0.45)
        self.truth = Circle(radius=0.13, stroke_color=theme.text, stroke_width=4)
        self.truth.move_to(self.point(truth))
        self.truth_label = self._label(truth, self.truth, DOWN, "truth")
        self.guess = Dot(self.point(guess), radius=0.11, color=theme.highlight)
        self.guess_label = self._label(guess, self.guess, UP, "guess")
        self.add(self.track, self.name, self.truth, self.truth_label, self.guess,
                 self.guess_label)

    def point(self, value: float):
        """Where `value` sits on the track."""
        return self.track.point_from_proportion((value - self.low) / (self.high - self.low))

    def _label(self, value: float, marker, side, word: str) -> VGroup:
        size = self.theme.number_size
        return VGroup(Label(word, self.theme, size, self.theme.muted),
                      Number(value, self.theme, size)
                      ).arrange(RIGHT, buff=0.12).next_to(marker, side, buff=0.12)

    def gap(self) -> Line:
        """The stretch between guess and truth, in the error colour."""
        return Line(self.guess.get_center(), self.truth.get_center(), stroke_width=10,
                    color=self.theme.error)

    def move_guess(self, value: float) -> list:
        """Animations moving the guess (dot and number) to `value`."""
        point = self.point(value)
        label = self._label(value, self.guess.copy().move_to(point), UP, "guess")
        animations = [self.guess.animate.move_to(point),
                      ReplacementTransform(self.guess_label, label)]
        self.guess_label = label
        return animations
