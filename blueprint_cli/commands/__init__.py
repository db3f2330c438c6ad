"""One module per command; each has `register(app)` and imports its heavy parts lazily."""
