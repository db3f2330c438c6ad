"""GitHub Actions workflow commands (`::error file=...::message`), capped, with an overflow notice."""

from __future__ import annotations

from blueprint_cli.formats.items import Item
from blueprint_cli.vocab import rank

LEVEL = {"error": "error", "warning": "warning", "note": "notice"}
MAX_ANNOTATIONS = 50  # GitHub shows at most 50 annotations of a kind per run; more only add noise


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def lines(items: list[Item], *, cap: int = MAX_ANNOTATIONS, what: str = "changes") -> list[str]:
    """One annotation line per new item, most severe first, at most `cap`, then a notice for the rest."""
    # Most severe first; the sort is stable, so the order within a level stays.
    shown = sorted((i for i in items if i.status == "new"), key=lambda i: -rank(i.severity))
    out = []
    for item in shown[:cap]:
        spans = [s for s in item.spans if s.line > 0]
        props = []
        if spans:
            span = spans[-1]
            props += [f"file={_property(span.path)}", f"line={span.line}", f"col={span.column}"]
            if span.end_line >= span.line:
                props += [f"endLine={span.end_line}"]
                if span.end_line == span.line and span.end_column > span.column:
                    props += [f"endColumn={span.end_column}"]
        props.append(f"title={_property(f'{item.rule} {item.shown}')}")
        out.append(f"::{LEVEL[item.severity]} {','.join(props)}::{_data(item.message)}")
    if len(shown) > cap:
        out.append(
            f"::notice title=More {what}::{len(shown) - cap} more {what} not shown as annotations; run with --format text or markdown for all of them"
        )
    return out
