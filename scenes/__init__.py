"""Manim scenes of the explainer."""
