"""The story's parts, one module each, and the scenes made of them (`explainer`)."""
