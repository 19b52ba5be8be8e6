"""The plan as typed, frozen values and what SPEC 3, 8 and 9 say about them.

The bottom layer: it imports nothing of ragplan's but itself, never prints, exits,
reads the clock, runs git or imports typer or rich."""
