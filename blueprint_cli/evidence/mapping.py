"""The mapping file (TOML, version 1): from a log's columns, activities and groups to a blueprint.

Every key is documented in README.md ("The mapping file"). Errors name the file, line and column
of the key they are about, like the language's.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blueprint_cli.evidence.columns import ROLES
from blueprint_cli.evidence.errors import EvidenceError
from blueprint_cli.evidence.slug import fragment, slug

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

VERSION = 1
# Every key of every table (README.md, "The mapping file", documents each; a test checks it).
KEYS: dict[str, tuple[str, ...]] = {
    "": ("version", "intended", "title", "log", "defaults", "group", "channel", "step", "outside_log"),
    "log": (*ROLES, "format", "start_timestamp", "timezone", "case_attributes", "filter"),
    "log.filter": ("from", "until", "ends_with", "lifecycle_keep"),
    "defaults": (
        "unmapped",
        "unmapped_lane",
        "unknown_groups",
        "duration",
        "min_case_share_step",
        "min_case_share_flow",
        "rework_pain",
        "parallel_threshold",
    ),
    "group": ("match", "regex", "org", "actor"),
    "channel": ("attribute", "step", "values"),
    "step": ("activity", "regex", "id", "label", "lane", "stage", "actor"),
    "outside_log": ("steps", "policy"),
}
UNMAPPED = ("unplanned", "ignore", "error")
LANES = ("evidence", "customer", "frontstage", "backstage", "support")
DURATIONS = ("median", "mean", "p80")
POLICIES = ("carry", "omit")


@dataclass(frozen=True)
class StepRule:
    """Activities (exact names or a whole-value regular expression) -> one step id (templated)."""

    names: tuple[str, ...]
    pattern: re.Pattern[str] | None
    id: str
    label: str | None = None
    lane: str | None = None
    stage: str | None = None
    actor: str | None = None

    def step_for(self, activity: str) -> str | None:
        if self.pattern is None:
            return self.id if activity in self.names else None
        found = self.pattern.fullmatch(activity)
        if found is None:
            return None
        return _template(self.id, found)


@dataclass(frozen=True)
class GroupRule:
    """A group value (exact or whole-value regular expression) -> an organisation and an actor."""

    match: str | None
    pattern: re.Pattern[str] | None
    org: str | None
    actor: str | None

    def applies(self, group: str) -> re.Match[str] | None:
        if self.pattern is not None:
            return self.pattern.fullmatch(group)
        return re.fullmatch(re.escape(self.match or ""), group)


@dataclass(frozen=True)
class Channel:
    attribute: str
    step: str
    values: dict[str, str]


@dataclass
class Mapping:
    """A parsed mapping file; every field has the default used when there is no mapping."""

    path: str | None = None
    intended: str | None = None
    title: str | None = None
    format: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    timezone: str = "UTC"
    start_timestamp: str | None = None  # a column with each row's start time (one row per activity instance)
    case_attributes: tuple[str, ...] = ()
    lifecycle_keep: tuple[str, ...] = ("complete",)
    from_: str | None = None
    until: str | None = None
    ends_with: tuple[str, ...] = ()
    unmapped: str = "unplanned"
    unmapped_lane: str = "backstage"
    unknown_groups: tuple[str, ...] = ("EMPTY", "")
    duration: str = "median"
    min_case_share_step: float = 0.0
    min_case_share_flow: float = 0.0
    rework_pain: float = 0.02
    parallel_threshold: float = 0.5
    groups: tuple[GroupRule, ...] = ()
    steps: tuple[StepRule, ...] = ()
    channel: Channel | None = None
    outside_log: tuple[str, ...] = ()
    outside_policy: str = "carry"

    def step_of(self, activity: str) -> str | None:
        """The step id the first matching rule gives, or None when no rule maps the activity."""
        rule = self.rule_of(activity)
        return rule.step_for(activity) if rule is not None else None

    def rule_of(self, activity: str) -> StepRule | None:
        """The first [[step]] rule that maps the activity."""
        return next((rule for rule in self.steps if rule.step_for(activity) is not None), None)

    def step_or_slug(self, activity: str) -> str:
        return self.step_of(activity) or slug(activity)

    def org_actor(self, group: str) -> tuple[str | None, str | None]:
        if group in self.unknown_groups:
            return None, None
        for rule in self.groups:
            found = rule.applies(group)
            if found is not None:
                org = _template(rule.org, found) if rule.org else None
                return org, rule.actor
        return None, None


def _template(text: str, found: re.Match[str]) -> str:
    """`advice_{1}` with the regex groups; `{0}` is the whole match; values become id fragments."""
    values = [fragment(found.group(0)), *(fragment(g or "") for g in found.groups())]

    def one(m: re.Match[str]) -> str:
        index = int(m.group(1))
        return values[index] if index < len(values) else m.group(0)

    return re.sub(r"\{(\d+)\}", one, text)


class _Located:
    """Finds the line and column of a key in the TOML text, for error messages."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def where(self, table: str | None, key: str | None, index: int = 0) -> str:
        start = 0
        if table is not None:
            headers = [
                i
                for i, line in enumerate(self.lines)
                if line.strip().split("#")[0].strip() in (f"[{table}]", f"[[{table}]]")
            ]
            if len(headers) > index:
                start = headers[index]
        if key is not None:
            pattern = re.compile(rf'^\s*("?){re.escape(key)}\1\s*=')
            for number in range(start, len(self.lines)):
                if number > start and table is not None and self.lines[number].lstrip().startswith("["):
                    break
                if pattern.match(self.lines[number]):
                    column = len(self.lines[number]) - len(self.lines[number].lstrip()) + 1
                    return f"{self.path}:{number + 1}:{column}"
        return f"{self.path}:{start + 1}:1"


def load_mapping(path: str) -> Mapping:
    """Read and check a mapping file; raise EvidenceError with `path:line:col` on any problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvidenceError(path, "no such mapping file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise EvidenceError(path, f"cannot read the mapping: {error}") from None
    return parse_mapping(text, path)


def parse_mapping(text: str, path: str) -> Mapping:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        where = f"{path}:{found.group(1)}:{found.group(2)}" if found else path
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise EvidenceError(where, f"not valid TOML: {message}") from None
    return _Reader(path, text).read(data)


class _Reader:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.located = _Located(path, text)

    def fail(self, table: str | None, key: str | None, message: str, index: int = 0) -> EvidenceError:
        return EvidenceError(self.located.where(table, key, index), message)

    def known(self, table: str | None, data: dict[str, Any], keys: tuple[str, ...], index: int = 0) -> None:
        for key in data:
            if key not in keys:
                where = f"[{table}]" if table else "the top level"
                raise self.fail(table, key, f"unknown key '{key}' in {where}; known keys: {', '.join(keys)}", index)

    def text(self, table: str | None, data: dict[str, Any], key: str, index: int = 0) -> str | None:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(table, key, f"'{key}' must be a string", index)
        return value

    def texts(self, table: str | None, data: dict[str, Any], key: str, index: int = 0) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(table, key, f"'{key}' must be a string or a list of strings", index)
        return tuple(value)

    def number(self, table: str, data: dict[str, Any], key: str, default: float) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise self.fail(table, key, f"'{key}' must be a number from 0 to 1")
        return float(value)

    def choice(self, table: str, data: dict[str, Any], key: str, choices: tuple[str, ...], default: str) -> str:
        value = data.get(key, default)
        if value not in choices:
            raise self.fail(table, key, f"'{key}' must be one of {', '.join(choices)}, not {value!r}")
        return str(value)

    def regex(self, table: str, data: dict[str, Any], key: str, index: int) -> re.Pattern[str] | None:
        source = self.text(table, data, key, index)
        if source is None:
            return None
        try:
            return re.compile(source)
        except re.error as error:
            raise self.fail(table, key, f"not a valid regular expression: {error}", index) from None

    def read(self, data: dict[str, Any]) -> Mapping:
        self.known(None, data, KEYS[""])
        version = data.get("version")
        if version != VERSION:
            raise self.fail(
                None, "version", f"this mapping says version = {version!r}; this blueprint reads version {VERSION}"
            )
        mapping = Mapping(path=self.path)
        mapping.intended = self.text(None, data, "intended")
        mapping.title = self.text(None, data, "title")
        self.read_log(data.get("log", {}), mapping)
        self.read_defaults(data.get("defaults", {}), mapping)
        mapping.groups = tuple(self.read_group(i, g) for i, g in enumerate(self.tables("group", data)))
        mapping.steps = tuple(self.read_step(i, s) for i, s in enumerate(self.tables("step", data)))
        if "channel" in data:
            mapping.channel = self.read_channel(data["channel"])
        outside = data.get("outside_log", {})
        self.known("outside_log", outside, KEYS["outside_log"])
        mapping.outside_log = self.texts("outside_log", outside, "steps")
        mapping.outside_policy = self.choice("outside_log", outside, "policy", POLICIES, "carry")
        return mapping

    def tables(self, name: str, data: dict[str, Any]) -> list[dict[str, Any]]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(None, name, f"'{name}' must be written as [[{name}]] tables")
        return value

    def read_log(self, log: dict[str, Any], mapping: Mapping) -> None:
        self.known("log", log, KEYS["log"])
        for role in ROLES:
            name = self.text("log", log, role)
            if name is not None:
                mapping.columns[role] = name
        mapping.format = self.text("log", log, "format")
        if mapping.format not in (None, "csv", "xes", "parquet"):
            raise self.fail("log", "format", f"'format' must be csv, xes or parquet, not {mapping.format!r}")
        mapping.timezone = self.text("log", log, "timezone") or "UTC"
        mapping.start_timestamp = self.text("log", log, "start_timestamp")
        mapping.case_attributes = self.texts("log", log, "case_attributes")
        filters = log.get("filter", {})
        self.known("log.filter", filters, KEYS["log.filter"])
        mapping.from_ = self._date(filters, "from")
        mapping.until = self._date(filters, "until")
        mapping.ends_with = self.texts("log.filter", filters, "ends_with")
        keep = self.texts("log.filter", filters, "lifecycle_keep")
        mapping.lifecycle_keep = tuple(k.lower() for k in keep) or ("complete",)

    def _date(self, filters: dict[str, Any], key: str) -> str | None:
        value = filters.get(key)
        if value is None:
            return None
        text = str(value)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?([+-]\d{2}:\d{2}|Z)?", text):
            raise self.fail("log.filter", key, f"'{key}' must be a date such as 2011-01-01, not {value!r}")
        return text

    def read_defaults(self, defaults: dict[str, Any], mapping: Mapping) -> None:
        self.known("defaults", defaults, KEYS["defaults"])
        mapping.unmapped = self.choice("defaults", defaults, "unmapped", UNMAPPED, "unplanned")
        mapping.unmapped_lane = self.choice("defaults", defaults, "unmapped_lane", LANES, "backstage")
        if "unknown_groups" in defaults:
            mapping.unknown_groups = self.texts("defaults", defaults, "unknown_groups")
        mapping.duration = self.choice("defaults", defaults, "duration", DURATIONS, "median")
        mapping.min_case_share_step = self.number("defaults", defaults, "min_case_share_step", 0.0)
        mapping.min_case_share_flow = self.number("defaults", defaults, "min_case_share_flow", 0.0)
        mapping.rework_pain = self.number("defaults", defaults, "rework_pain", 0.02)
        mapping.parallel_threshold = self.number("defaults", defaults, "parallel_threshold", 0.5)

    def read_group(self, index: int, rule: dict[str, Any]) -> GroupRule:
        self.known("group", rule, KEYS["group"], index)
        match = self.text("group", rule, "match", index)
        pattern = self.regex("group", rule, "regex", index)
        if (match is None) == (pattern is None):
            raise self.fail("group", None, "a [[group]] rule needs exactly one of 'match' and 'regex'", index)
        org = self.text("group", rule, "org", index)
        actor = self.text("group", rule, "actor", index)
        if org is None and actor is None:
            raise self.fail("group", None, "a [[group]] rule needs 'org', 'actor' or both", index)
        for key, value in (("org", org), ("actor", actor)):
            if value is not None and not _ID_TEMPLATE.fullmatch(value):
                raise self.fail(
                    "group", key, f"'{key}' must be an id (a-z, 0-9, _; {{1}} for a regex group), not {value!r}", index
                )
        return GroupRule(match, pattern, org, actor)

    def read_step(self, index: int, rule: dict[str, Any]) -> StepRule:
        self.known("step", rule, KEYS["step"], index)
        names = self.texts("step", rule, "activity", index)
        pattern = self.regex("step", rule, "regex", index)
        if bool(names) == (pattern is not None):
            raise self.fail("step", None, "a [[step]] rule needs exactly one of 'activity' and 'regex'", index)
        step_id = self.text("step", rule, "id", index)
        if step_id is None:
            raise self.fail("step", None, "a [[step]] rule needs an 'id' (the blueprint step it maps to)", index)
        if not _ID_TEMPLATE.fullmatch(step_id):
            raise self.fail(
                "step", "id", f"'id' must be a step id (a-z, 0-9, _; {{1}} for a regex group), not {step_id!r}", index
            )
        lane = self.text("step", rule, "lane", index)
        if lane is not None and lane not in LANES:
            raise self.fail("step", "lane", f"'lane' must be one of {', '.join(LANES)}, not {lane!r}", index)
        for key in ("stage", "actor"):
            value = self.text("step", rule, key, index)
            if value is not None and not re.fullmatch(r"[a-z][a-z0-9_]*", value):
                raise self.fail("step", key, f"'{key}' must be an id (a-z, 0-9, _), not {value!r}", index)
        return StepRule(
            names=names,
            pattern=pattern,
            id=step_id,
            label=self.text("step", rule, "label", index),
            lane=self.text("step", rule, "lane", index),
            stage=self.text("step", rule, "stage", index),
            actor=self.text("step", rule, "actor", index),
        )

    def read_channel(self, channel: Any) -> Channel:
        if not isinstance(channel, dict):
            raise self.fail(None, "channel", "'channel' must be a table")
        self.known("channel", channel, KEYS["channel"])
        attribute = self.text("channel", channel, "attribute")
        step = self.text("channel", channel, "step")
        values = channel.get("values", {})
        if attribute is None or step is None:
            raise self.fail("channel", None, "[channel] needs 'attribute' and 'step'")
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise self.fail("channel", "values", "'values' must map attribute values to channel names")
        return Channel(attribute, step, {str(k): str(v) for k, v in values.items()})


_ID_TEMPLATE = re.compile(r"[a-z]([a-z0-9_]|\{\d+\})*|\{\d+\}([a-z0-9_]|\{\d+\})*")
