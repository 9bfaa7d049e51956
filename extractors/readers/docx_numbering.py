"""Styles and automatic numbering of a WordprocessingML package, for the .docx reader.

Promises: given the parsed ``styles.xml`` and ``numbering.xml`` (either may be missing),
``Styles`` answers a paragraph style's display name, alignment, boldness and inherited list
membership, and ``Numbering`` renders the list label Word would draw in front of each numbered
paragraph ("I.", "1.", "a)", "3.1.2.", bullets), keeping counters across the whole document the
way Word does: per abstract list definition, deeper levels restarting when a shallower level
increments, ``startOverride`` restarting a list instance the first time it is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, overload

from lxml import etree

# Names that styles.xml stores in lower case for built-in styles but Word shows capitalised.
_UI_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header"}
_UI_NAMES.update({f"heading {i}": f"Heading {i}" for i in range(1, 10)})

_DASH_BULLETS = {"-", "\u2013", "\u2014", "\u2212", "\u2012", "\uf02d", "\uf0bd"}
_PLACEHOLDER = re.compile(r"%([1-9])")
_MAX_LEVELS = 9


def on_off(el: etree._Element | None, w: str) -> bool | None:
    """Value of a WordprocessingML toggle element such as ``<w:b/>``: None when absent."""
    if el is None:
        return None
    return el.get(f"{{{w}}}val", "true").lower() not in ("false", "0", "off", "none")


@overload
def to_int(value: str | None, default: int) -> int: ...


@overload
def to_int(value: str | None, default: None = None) -> int | None: ...


def to_int(value: str | None, default: int | None = None) -> int | None:
    """An integer attribute, or ``default`` when it is missing or malformed."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class _Style:
    name: str | None = None
    based_on: str | None = None
    jc: str | None = None
    bold: bool | None = None
    num_id: str | None = None
    ilvl: int | None = None


class Styles:
    """Paragraph and character styles with their ``basedOn`` inheritance resolved lazily."""

    def __init__(self, root: etree._Element | None, w: str) -> None:
        self.w = w
        self._styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        self.default_bold: bool | None = None
        self._memo: dict[tuple[str, str], Any] = {}
        if root is None:
            return
        q = f"{{{w}}}"
        val = f"{q}val"
        defaults = root.find(f"{q}docDefaults/{q}rPrDefault/{q}rPr")
        if defaults is not None:
            self.default_bold = on_off(defaults.find(f"{q}b"), w)
        for el in root.iterchildren(f"{q}style"):
            sid = el.get(f"{q}styleId")
            if sid is None:
                continue
            st = _Style()
            name = el.find(f"{q}name")
            if name is not None:
                raw = name.get(val) or ""
                st.name = _UI_NAMES.get(raw, raw) or None
            based = el.find(f"{q}basedOn")
            if based is not None:
                st.based_on = based.get(val)
            ppr = el.find(f"{q}pPr")
            if ppr is not None:
                jc = ppr.find(f"{q}jc")
                st.jc = jc.get(val) if jc is not None else None
                num = ppr.find(f"{q}numPr")
                if num is not None:
                    nid, lvl = num.find(f"{q}numId"), num.find(f"{q}ilvl")
                    st.num_id = nid.get(val) if nid is not None else None
                    st.ilvl = to_int(lvl.get(val)) if lvl is not None else None
            rpr = el.find(f"{q}rPr")
            if rpr is not None:
                st.bold = on_off(rpr.find(f"{q}b"), w)
            self._styles[sid] = st
            if el.get(f"{q}type") == "paragraph" and el.get(f"{q}default") in ("1", "true", "on"):
                self.default_paragraph = sid

    def _chain(self, sid: str | None) -> Iterator[_Style]:
        """The style and its basedOn ancestors (cycles and depth are bounded)."""
        seen: set[str] = set()
        cur = sid
        while cur is not None and cur not in seen and len(seen) < 32:
            seen.add(cur)
            st = self._styles.get(cur)
            if st is None:
                return
            yield st
            cur = st.based_on

    def _inherited(self, sid: str | None, attr: str) -> Any:
        """First non-None ``attr`` along the basedOn chain, memoised."""
        key = (sid or "", attr)
        if key not in self._memo:
            self._memo[key] = next(
                (getattr(st, attr) for st in self._chain(sid) if getattr(st, attr) is not None),
                None,
            )
        return self._memo[key]

    def name(self, sid: str | None) -> str | None:
        sid = sid if sid in self._styles else self.default_paragraph
        st = self._styles.get(sid) if sid else None
        return (st.name or sid) if st else None

    def jc(self, sid: str | None) -> str | None:
        return self._inherited(sid or self.default_paragraph, "jc")

    def bold(self, sid: str | None) -> bool | None:
        return self._inherited(sid, "bold")

    def num_pr(self, sid: str | None) -> tuple[str | None, int | None]:
        """(numId, ilvl) a paragraph style passes to its paragraphs; ilvl may be None."""
        key = (sid or self.default_paragraph or "", "numPr")
        if key not in self._memo:
            self._memo[key] = next(
                (
                    (st.num_id, st.ilvl)
                    for st in self._chain(sid or self.default_paragraph)
                    if st.num_id is not None
                ),
                (None, None),
            )
        return self._memo[key]


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    is_lgl: bool = False
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 = never
    pstyle: str | None = None


@dataclass
class _Num:
    abstract: str
    levels: dict[int, _Level] = field(default_factory=dict)  # full w:lvl overrides
    starts: dict[int, int] = field(default_factory=dict)  # w:startOverride


def _roman(n: int) -> str:
    out = []
    for value, digits in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """Render ``n`` in a w:numFmt; unknown formats fall back to decimal."""
    if fmt in ("upperRoman", "lowerRoman") and n > 0:
        r = _roman(n)
        return r if fmt == "upperRoman" else r.lower()
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # Word: a..z, aa..zz
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


class Numbering:
    """Renders list labels, in document order; call ``label`` once per paragraph."""

    def __init__(self, root: etree._Element | None, w: str, styles: Styles) -> None:
        self.w = w
        self.styles = styles
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._style_link: dict[str, str] = {}  # abstractNum with numStyleLink -> style id
        self._nums: dict[str, _Num] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._seen: set[str] = set()
        if root is None:
            return
        q = f"{{{w}}}"
        for el in root.iterchildren(f"{q}abstractNum"):
            aid = el.get(f"{q}abstractNumId")
            if aid is None:
                continue
            self._abstract[aid] = {
                to_int(lvl.get(f"{q}ilvl"), 0): self._level(lvl)
                for lvl in el.iterchildren(f"{q}lvl")
            }
            link = el.find(f"{q}numStyleLink")
            if link is not None and link.get(f"{q}val"):
                self._style_link[aid] = link.get(f"{q}val")
        for el in root.iterchildren(f"{q}num"):
            nid, ab = el.get(f"{q}numId"), el.find(f"{q}abstractNumId")
            if nid is None or ab is None or ab.get(f"{q}val") is None:
                continue
            num = _Num(abstract=ab.get(f"{q}val"))
            for ov in el.iterchildren(f"{q}lvlOverride"):
                ilvl = to_int(ov.get(f"{q}ilvl"), 0)
                start = ov.find(f"{q}startOverride")
                if start is not None:
                    num.starts[ilvl] = to_int(start.get(f"{q}val"), 0)
                lvl = ov.find(f"{q}lvl")
                if lvl is not None:
                    num.levels[ilvl] = self._level(lvl)
            self._nums[nid] = num

    def _level(self, el: etree._Element) -> _Level:
        q, val = f"{{{self.w}}}", f"{{{self.w}}}val"
        lvl = _Level()
        for child in el:
            tag = child.tag
            if tag == f"{q}start":
                lvl.start = to_int(child.get(val), 1)
            elif tag == f"{q}numFmt":
                lvl.fmt = child.get(val) or "decimal"
            elif tag == f"{q}lvlText":
                lvl.text = child.get(val) or ""
            elif tag == f"{q}isLgl":
                lvl.is_lgl = bool(on_off(child, self.w))
            elif tag == f"{q}lvlRestart":
                lvl.restart = to_int(child.get(val))
            elif tag == f"{q}pStyle":
                lvl.pstyle = child.get(val)
        return lvl

    def _abstract_id(self, num_id: str) -> str | None:
        """Follow numId -> abstractNum, through numStyleLink indirections."""
        num = self._nums.get(num_id)
        hops = 0
        while num is not None and num.abstract in self._style_link and hops < 8:
            linked, _ = self.styles.num_pr(self._style_link[num.abstract])
            if linked is None or linked not in self._nums or linked == num_id:
                break
            num_id, num, hops = linked, self._nums[linked], hops + 1
        return num.abstract if num is not None else None

    def label(
        self, num_id: str | None, ilvl: int | None, style_id: str | None
    ) -> tuple[str | None, bool]:
        """The label for a paragraph's direct numPr (``num_id``/``ilvl``, either may be None)
        and paragraph style. Returns (label or None, is_bullet) and advances the counters."""
        s_num, s_ilvl = self.styles.num_pr(style_id)
        from_style = num_id is None
        num_id = num_id if num_id is not None else s_num
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return None, False
        num = self._nums[num_id]
        aid = self._abstract_id(num_id)
        levels = self._abstract.get(aid or "", {})
        if ilvl is None:
            ilvl = s_ilvl
        if ilvl is None and from_style and style_id is not None:
            ilvl = next((i for i, lv in levels.items() if lv.pstyle == style_id), None)
        ilvl = min(max(ilvl or 0, 0), _MAX_LEVELS - 1)

        def level(i: int) -> _Level:
            return num.levels.get(i) or levels.get(i) or _Level(text=f"%{i + 1}.")

        def start(i: int) -> int:
            return num.starts.get(i, level(i).start)

        counters = self._counters.setdefault(aid or num_id, [None] * _MAX_LEVELS)
        if num_id not in self._seen:  # a list instance with startOverride restarts on first use
            self._seen.add(num_id)
            for i in num.starts:
                if 0 <= i < _MAX_LEVELS:
                    counters[i] = None
        cur = counters[ilvl]
        counters[ilvl] = start(ilvl) if cur is None else cur + 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            restart = level(deeper).restart
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None

        lvl = level(ilvl)
        if lvl.fmt == "bullet":
            return ("-" if lvl.text.strip() in _DASH_BULLETS else "\u2022"), True

        def render(m: re.Match[str]) -> str:
            i = int(m.group(1)) - 1
            value = counters[i] if i < _MAX_LEVELS and counters[i] is not None else start(i)
            fmt = "decimal" if lvl.is_lgl else level(i).fmt
            return format_number(value or 0, fmt)

        text = _PLACEHOLDER.sub(render, lvl.text).strip()
        return (text or None), False
