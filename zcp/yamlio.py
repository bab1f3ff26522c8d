"""Safe YAML reading that remembers where every value came from.

Rule files and park files are data, so YAML is composed with PyYAML's *safe* loader and
turned into Python by our own walker: only the core tags are accepted (a ``!!python/...``
tag is an error, never executed), anchors are expanded under a node budget (an alias bomb
is an error, not an out-of-memory), and every mapping key and item keeps its line and
column so that model errors can be reported as ``path:line:col``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from zcp.errors import InputError, Problem, did_you_mean
from zcp.textfiles import named_encoding

#: Largest number of nodes aliases may add to a document: each use of an alias counts the
#: nodes it expands to. Nodes written out in the file do not count (MAX_BYTES bounds
#: those), so a large plain file is never mistaken for an alias bomb.
MAX_NODES = 2_000_000
#: Largest YAML file we read [bytes]; bigger tables belong in CSV/Parquet.
MAX_BYTES = 64 * 1024 * 1024

_CORE_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

Location = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed YAML file: its data and where each part of it stands in the file."""

    path: Path
    data: Any
    positions: dict[Location, tuple[int, int]] = field(default_factory=dict)
    text: str = ""

    def where(self, loc: Sequence[str | int]) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the closest known part of ``loc``."""
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (None, None))

    def problem(
        self,
        message: str,
        loc: Sequence[str | int] = (),
        hint: str | None = None,
        severity: str = "error",
    ) -> Problem:
        line, col = self.where(loc)
        return Problem(
            message,
            path=str(self.path),
            line=line,
            col=col,
            field=format_loc(loc) or None,
            hint=hint,
            severity=severity,
        )


def format_loc(loc: Sequence[str | int]) -> str:
    """``("flows", 3, "carrier")`` → ``flows[3].carrier``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _Walker:
    def __init__(self, path: Path):
        self.path = path
        self.budget = MAX_NODES
        self.positions: dict[Location, tuple[int, int]] = {}
        self.seen: set[int] = set()  # ids of nodes walked (the composer shares aliased ones)
        self.expanding = False

    def fail(self, node: yaml.Node, message: str, hint: str | None = None) -> InputError:
        mark = node.start_mark
        return InputError(
            Problem(
                message, path=str(self.path), line=mark.line + 1, col=mark.column + 1, hint=hint
            )
        )

    def walk(self, node: yaml.Node, loc: Location) -> Any:
        if self.expanding or id(node) in self.seen:  # a node met again: alias expansion
            self.budget -= 1
            if self.budget < 0:
                raise self.fail(
                    node,
                    f"aliases expand the document by more than {MAX_NODES:,} nodes",
                    "anchors/aliases nest too deeply (a 'billion laughs' file?)",
                )
            if not self.expanding:
                self.expanding = True
                try:
                    return self._walk(node, loc)
                finally:
                    self.expanding = False
        else:
            self.seen.add(id(node))
        return self._walk(node, loc)

    def _walk(self, node: yaml.Node, loc: Location) -> Any:
        if node.tag not in _CORE_TAGS:
            raise self.fail(
                node,
                f"tag {node.tag!r} is not allowed",
                "zcp reads plain YAML data only; custom and python tags never run",
            )
        if loc not in self.positions:
            self.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(
                        key_node, "merge keys ('<<') are not supported", "write the keys out"
                    )
                key = self.walk(key_node, loc + ("<key>",))
                if isinstance(key, (dict, list)):
                    raise self.fail(key_node, "a mapping key must be a plain value")
                if key in out:
                    raise self.fail(key_node, f"duplicate key {key!r}")
                sub = loc + (key,)
                self.positions[sub] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.walk(value_node, sub)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, loc + (i,)) for i, item in enumerate(node.value)]
        constructor = yaml.SafeLoader.yaml_constructors[node.tag]
        try:
            return constructor(_CONSTRUCTOR, node)
        except (ValueError, OverflowError):  # e.g. an integer of over 4,300 digits
            raise self.fail(
                node, f"cannot read {_shortened(repr(node.value))} as a number", "too many digits"
            ) from None


_CONSTRUCTOR = yaml.SafeLoader("")
# libyaml's composer is ~20x faster on large park files; it builds the same nodes with marks.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: str | Path) -> Document:
    """Read one YAML file safely, keeping positions; errors name the file and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem("file not found", path=str(path))) from None
    except IsADirectoryError:
        raise InputError(Problem("is a folder, not a file", path=str(path))) from None
    except OSError as exc:
        raise InputError(Problem(f"cannot read: {exc.strerror}", path=str(path))) from None
    if len(raw) > MAX_BYTES:
        raise InputError(
            Problem(
                f"file is larger than {MAX_BYTES // 2**20} MiB",
                path=str(path),
                hint="put large tables in CSV or Parquet",
            )
        )
    if b"\x00" in raw:
        raise InputError(Problem("binary file, not YAML text", path=str(path)))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        other = named_encoding(raw)
        raise InputError(
            Problem(
                f"not UTF-8 text (byte {exc.start})" + (f"; it reads as {other}" if other else ""),
                path=str(path),
                hint="YAML files must be saved as UTF-8",
            )
        ) from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: str | Path = "<string>") -> Document:
    path = Path(path)
    try:
        nodes = list(yaml.compose_all(text, Loader=_COMPOSER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        msg = f"YAML syntax error: {exc.problem or exc.context}"
        raise InputError(Problem(msg, path=str(path), line=line, col=col)) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(f"YAML syntax error: {exc}", path=str(path))) from None
    if not nodes or nodes[0] is None:
        raise InputError(Problem("file is empty", path=str(path)))
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        raise InputError(
            Problem(
                "more than one YAML document in the file",
                path=str(path),
                line=mark.line + 1,
                hint="one document per file",
            )
        )
    walker = _Walker(path)
    data = walker.walk(nodes[0], ())
    return Document(path=path, data=data, positions=walker.positions, text=text)


def expect_kind(doc: Document, kinds: Sequence[str], versions: dict[str, Sequence[int]]) -> str:
    """Check ``kind:`` and ``schema_version:`` at the top of a document; return the kind."""
    if not isinstance(doc.data, dict):
        raise InputError(
            doc.problem("top level must be a mapping with 'kind:' and 'schema_version:'")
        )
    kind = doc.data.get("kind")
    if kind is None:
        raise InputError(
            doc.problem(
                "missing 'kind:'", (), hint=f"this file should start with 'kind: {kinds[0]}'"
            )
        )
    if kind not in kinds:
        raise InputError(
            doc.problem(
                f"kind {kind!r} is not one of {', '.join(kinds)}",
                ("kind",),
                hint=did_you_mean(kind, kinds),
            )
        )
    version = doc.data.get("schema_version")
    allowed = versions.get(kind, (1,))
    if version is None:
        raise InputError(
            doc.problem(
                "missing 'schema_version:'", (), hint=f"add 'schema_version: {max(allowed)}'"
            )
        )
    if version not in allowed:
        raise InputError(
            doc.problem(
                f"schema_version {version!r} is not supported for kind "
                f"{kind!r} (supported: {', '.join(map(str, allowed))})",
                ("schema_version",),
            )
        )
    return kind


def pydantic_problems(doc: Document, exc: Any, prefix: Sequence[str | int] = ()) -> list[Problem]:
    """Turn a pydantic ``ValidationError`` into located problems.

    pydantic's ``loc`` also holds union-member tags (e.g. ``'generator'``) that are not keys
    of the data; we keep only the parts that exist in the document so the line is right.
    """
    problems = []
    for err in exc.errors(include_url=False):
        data = doc.data
        for part in prefix:
            if isinstance(data, list) and isinstance(part, int):
                data = data[part]
            else:
                data = data[part] if isinstance(data, dict) else None
        loc: list[str | int] = list(prefix)
        parts = err["loc"]
        for i, part in enumerate(parts):
            if (
                isinstance(data, dict)
                and part in data
                or isinstance(data, list)
                and isinstance(part, int)
                and part < len(data)
            ):
                data = data[part]
                loc.append(part)
            elif i == len(parts) - 1 and err["type"] in ("missing", "extra_forbidden"):
                loc.append(part)
            # anything else is a union-member tag (e.g. 'generator'), not a key of the data
        message = _friendly(err)
        hint = _literal_hint(err)
        if err["type"] == "missing":
            line, col = doc.where(loc[:-1])
        else:
            line, col = doc.where(loc)
        problems.append(
            Problem(
                message,
                path=str(doc.path),
                line=line,
                col=col,
                field=format_loc(loc) or None,
                hint=hint or err.get("ctx", {}).get("hint"),
            )
        )
    return problems


def _literal_hint(err: dict) -> str | None:
    """A "did you mean" for a misspelt word of a closed vocabulary (``stage: operatoin``)."""
    if err["type"] != "literal_error" or not isinstance(err.get("input"), str):
        return None
    choices = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
    return did_you_mean(err["input"], choices)


def _friendly(err: dict) -> str:
    kind = err["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if (
        "input" in err
        and kind != "literal_error"
        and not isinstance(err["input"], (dict, list))
        and repr(err["input"]) not in msg
    ):
        return f"{msg} (got {_shortened(repr(err['input']))})"
    return msg


def _shortened(text: str, limit: int = 60) -> str:
    """An input quoted in a message, cut to ``limit`` characters (a 1 MB value stays out)."""
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text):,} characters)"


def validate_document(
    doc: Document,
    model: Any,
    kind: str,
    versions: Sequence[int] = (1,),
    error: type[InputError] = InputError,
) -> Any:
    """Check ``kind:``/``schema_version:`` and validate ``doc`` into the pydantic ``model``;
    every problem is raised as ``error`` located at its YAML line."""
    from pydantic import ValidationError

    expect_kind(doc, [kind], {kind: list(versions)})
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise error(pydantic_problems(doc, exc)) from None
