"""Evidence from operational data: event logs read into DuckDB, mapped onto a blueprint, measured.

Nothing here is imported when the CLI starts: only the commands that read logs (`observe`,
`conform`) import this package, and DuckDB with it.
"""
