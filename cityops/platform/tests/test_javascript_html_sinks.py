"""No text reaches HTML in the project's JavaScript: a read of every script for the sinks.

People's text — report titles, names, station names, headlines from outside feeds — is put on
pages with ``textContent`` or as DOM nodes. What parses a string as HTML is refused:

- ``innerHTML`` / ``outerHTML`` (allowed only to assign a constant string literal),
  ``insertAdjacentHTML``, ``document.write``, ``createContextualFragment``;
- Leaflet's ``bindTooltip``, ``bindPopup``, ``setContent``, ``setTooltipContent`` and
  ``setPopupContent``, which put a *string* into ``innerHTML``: their content must be a node
  (``document.createTextNode(...)``, a variable made by ``document.createElement``, or a call to
  a function of the same file that builds nodes);
- ``L.divIcon({html: ...})``: a node, never a string;
- the layer control's ``addOverlay`` / ``addBaseLayer`` names (``innerHTML`` in Leaflet): a
  string literal or a call to a function of the same file that escapes ``& < > " '``.

Leaflet's tile ``attribution`` is HTML by design and comes from the settings, not from users.
Vendored libraries (``static/vendor``, ``*.min.js``) are not ours and are not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import cityops

ROOT = Path(cityops.__file__).parent
LEAFLET_CONTENT = ("bindTooltip", "bindPopup", "setContent", "setTooltipContent", "setPopupContent")
LAYER_NAMES = ("addOverlay", "addBaseLayer")
ALWAYS_HTML = (
    "insertAdjacentHTML",
    "document.write",
    "document.writeln",
    "createContextualFragment",
)
_STRING_LITERAL = re.compile(r"""^\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*$""")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}"


def project_scripts() -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob("*/static/**/*.js")
        if "vendor" not in path.parts and not path.name.endswith(".min.js")
    )


def _without_comments(source: str) -> str:
    """Comments blanked (line numbers kept); "//" inside a URL string ("https://") stays."""
    source = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), source, flags=re.S)
    return re.sub(r"(?<![:\"'\\])//[^\n]*", "", source)


def _argument(source: str, open_paren: int, *, index: int = 0) -> str:
    """The ``index``-th top-level argument of the call whose "(" is at ``open_paren``."""
    depth, quote, start, found = 0, "", open_paren + 1, 0
    for position in range(open_paren, len(source)):
        char = source[position]
        if quote:
            if char == "\\":
                continue
            if char == quote and source[position - 1] != "\\":
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return source[start:position].strip() if found == index else ""
        elif char == "," and depth == 1:
            if found == index:
                return source[start:position].strip()
            found, start = found + 1, position + 1
    return ""


def _function_body(source: str, name: str) -> str:
    match = re.search(rf"function\s+{re.escape(name)}\s*\([^)]*\)\s*{{", source)
    if match is None:
        return ""
    depth = 0
    for position in range(match.end() - 1, len(source)):
        depth += {"{": 1, "}": -1}.get(source[position], 0)
        if depth == 0:
            return source[match.end() : position]
    return ""


def _is_node(source: str, expression: str) -> bool:
    if expression.startswith("document.createTextNode(") or expression.startswith(
        "document.createElement("
    ):
        return True
    if call := re.fullmatch(r"(\w+)\((.*)\)", expression, flags=re.S):
        body = _function_body(source, call.group(1))
        return "document.createElement(" in body or "document.createTextNode(" in body
    if re.fullmatch(r"\w+", expression):
        made = rf"\b(?:var|let|const)\s+{expression}\s*=\s*document\.create(?:Element|TextNode)\("
        return re.search(made, source) is not None
    return False


def _is_escaped(source: str, expression: str) -> bool:
    if _STRING_LITERAL.match(expression):
        return True
    call = re.fullmatch(r"(\w+)\((.*)\)", expression, flags=re.S)
    return call is not None and "&<>" in _function_body(source, call.group(1))


def html_sinks(source: str, path: str = "<script>") -> list[Finding]:
    """Every place of ``source`` where a string may be parsed as HTML."""
    code = _without_comments(source)
    findings: list[Finding] = []

    def found(position: int) -> None:
        line = code.count("\n", 0, position) + 1
        findings.append(Finding(path, line, source.splitlines()[line - 1].strip()))

    for match in re.finditer(r"\.(?:innerHTML|outerHTML)\b(\s*(?:\+?=)\s*)?", code):
        assigned = match.group(1)
        value = code[match.end() : code.find("\n", match.end())].rstrip().rstrip(";")
        if not assigned or "+=" in assigned or not _STRING_LITERAL.match(value):
            found(match.start())
    for name in ALWAYS_HTML:
        for match in re.finditer(rf"{re.escape(name)}\s*\(", code):
            found(match.start())
    for name in LEAFLET_CONTENT:
        for match in re.finditer(rf"\.{name}\s*\(", code):
            if not _is_node(code, _argument(code, match.end() - 1)):
                found(match.start())
    for match in re.finditer(r"\bhtml\s*:\s*([^,}\n]+)", code):
        if not _is_node(code, match.group(1).strip()):
            found(match.start())
    for name in LAYER_NAMES:
        for match in re.finditer(rf"\.{name}\s*\(", code):
            if not _is_escaped(code, _argument(code, match.end() - 1, index=1)):
                found(match.start())
    return findings


# --- the project's scripts ----------------------------------------------------------------------


def test_the_project_has_scripts_to_read():
    names = {path.name for path in project_scripts()}
    assert {"map.js", "live.js", "dashboard.js", "air.js", "warnings.js"} <= names


@pytest.mark.parametrize("path", project_scripts(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_project_script_puts_a_string_into_html(path):
    findings = html_sinks(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not findings, "a string may be parsed as HTML:\n" + "\n".join(map(str, findings))


# --- the reader itself: it finds what it must ---------------------------------------------------

UNSAFE = {
    "tooltip of a title": (
        'marker.bindTooltip((props.id ? "#" + props.id + " " : "") + props.title);'
    ),
    "popup of a string": 'marker.bindPopup("<b>" + props.title + "</b>");',
    "popup of a property": "marker.bindPopup(props.title);",
    "tooltip of a number": "shape.bindTooltip(String(count));",
    "innerHTML of a response": "holder.innerHTML = html.trim();",
    "innerHTML of a string": 'box.innerHTML = "<b>" + title + "</b>";',
    "innerHTML added to": 'box.innerHTML += "x";',
    "innerHTML copied": "target.innerHTML = fresh.innerHTML;",
    "outerHTML": "row.outerHTML = html;",
    "insertAdjacentHTML": 'list.insertAdjacentHTML("beforeend", "<li>" + name + "</li>");',
    "document.write": "document.write(title);",
    "divIcon of markup": 'L.divIcon({ className: "", html: "<span>" + p.name + "</span>" });',
    "layer name": "control.addOverlay(group, layer.label);",
    "content of a string": "popup.setContent(feature.properties.name);",
}
SAFE = {
    "popup of a node": (
        'function popup(p) { var box = document.createElement("div"); box.textContent = p.title;'
        " return box; }\nmarker.bindPopup(popup(props));"
    ),
    "tooltip of a text node": "shape.bindTooltip(document.createTextNode(String(count)));",
    "variable of a node": 'var box = document.createElement("div");\nshape.bindPopup(box);',
    "divIcon of a node": (
        'var dot = document.createElement("span");\nL.divIcon({ className: "", html: dot });'
    ),
    "emptied": 'list.innerHTML = "";',
    "escaped layer name": (
        "function label(text) { return String(text).replace(/[&<>\"']/g, function (c) {"
        ' return "&#" + c.charCodeAt(0) + ";"; }); }\n'
        "control.addOverlay(group, label(layer.label));"
    ),
    "a comment about innerHTML": "// never innerHTML = html here\nbox.textContent = title;",
    "a URL string": 'fetch("https://example.vn/a"); box.textContent = title;',
}


@pytest.mark.parametrize("snippet", UNSAFE.values(), ids=UNSAFE.keys())
def test_the_reader_finds_each_kind_of_html_sink(snippet):
    assert html_sinks(snippet), snippet


@pytest.mark.parametrize("snippet", SAFE.values(), ids=SAFE.keys())
def test_the_reader_lets_nodes_text_and_constants_through(snippet):
    assert html_sinks(snippet) == [], snippet
