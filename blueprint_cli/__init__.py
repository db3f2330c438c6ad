"""blueprint-cli: service blueprints as code — parse, check, render and compare them."""

__version__ = "0.1.0"
