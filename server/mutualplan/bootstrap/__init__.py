"""The only place that picks and wires adapters: local (the embedded default), google (App Engine),
sandbox (`mutualplan demo`), and the console script's wiring (commands)."""
