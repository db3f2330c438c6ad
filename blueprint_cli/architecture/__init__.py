"""The service architecture: many journeys read together (`blueprint map`).

    paths --inputs.collect--> journey files and fragments
    files --build.build--> Architecture (journeys paired intended/observed, files left out, findings)
    Architecture --facts.derive--> Facts (outcomes, orgs, systems, joins, data, matrix)
    Facts --json_out / markdown / page--> JSON, Markdown, self-contained HTML; overview.to_dot -> DOT

It reads blueprints through `language/`, compares pairs through `compare/`, draws each journey
with `render/` and writes its page with the report's Jinja environment (`report/environment.py`).
"""
