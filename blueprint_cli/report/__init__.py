"""The HTML reports: one self-contained page for a comparison or for a single blueprint."""
