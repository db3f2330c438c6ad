"""JUnit XML for CI test views: one test case per change or finding."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from blueprint_cli.formats.items import Item
from blueprint_cli.vocab import at_least


def _clean(text: str) -> str:
    """XML 1.0 forbids most control characters; drop them."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def document(items: list[Item], *, suite: str, fail_on: str = "error") -> str:
    """A <testsuites> document; items at or above `fail_on` are failures, accepted ones are skipped."""
    cases = []
    failures = skipped = 0
    for item in items:
        name = quoteattr(_clean(item.shown))
        classname = quoteattr(_clean(f"{suite}.{item.rule}"))
        where = ", ".join(f"{s.path}:{s.line}:{s.column}" for s in item.spans if s.line > 0)
        body = escape(
            _clean(item.message + (f"\n{where}" if where else "") + (f"\nhint: {item.hint}" if item.hint else ""))
        )
        if item.status == "accepted":
            skipped += 1
            cases.append(
                f"    <testcase classname={classname} name={name}>\n      <skipped message={quoteattr('accepted in the baseline')}/>\n    </testcase>"
            )
        elif at_least(item.severity, fail_on):
            failures += 1
            cases.append(
                f"    <testcase classname={classname} name={name}>\n      <failure message={quoteattr(_clean(item.message))} type={quoteattr(item.severity)}>{body}</failure>\n    </testcase>"
            )
        else:
            cases.append(
                f"    <testcase classname={classname} name={name}>\n      <system-out>{escape(item.severity)}: {body}</system-out>\n    </testcase>"
            )
    if not cases:
        cases.append(f"    <testcase classname={quoteattr(suite)} name={quoteattr('no findings')}/>")
    total = max(len(items), 1)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name={quoteattr(suite)} tests="{total}" failures="{failures}" errors="0" skipped="{skipped}">',
        f'  <testsuite name={quoteattr(suite)} tests="{total}" failures="{failures}" errors="0" skipped="{skipped}">',
        *cases,
        "  </testsuite>",
        "</testsuites>",
    ]
    return "\n".join(lines) + "\n"
