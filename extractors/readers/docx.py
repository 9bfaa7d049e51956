"""The .docx reader: a WordprocessingML package becomes an ordered tuple of Blocks.

Promises:

* Body content in document order, paragraphs and tables interleaved, then the text outside the
  body (see ``_outside_body``), so that the offsets of body text never depend on it: the
  footnotes, then the endnotes, in the order the body cites them, then each distinct page header
  and footer once, in section order, without its page-number fields. Each of these Blocks has
  ``style`` set to where it came from (``FOOTNOTE``, ``ENDNOTE``, ``PAGE_HEADER``,
  ``PAGE_FOOTER``), and empty ones are left out. Comments are not read.
* A paragraph's text is what Word shows: runs inside hyperlinks, content controls (block and
  run level), smart tags, custom XML, simple fields and complex-field *results*, tracked
  insertions; never tracked deletions, field instructions or hidden (``w:vanish``) runs.
  ``w:tab`` becomes a tab, ``w:noBreakHyphen`` "-", ``w:sym`` its character when known.
  Line breaks (``w:br``, ``w:cr``) become "\\n": Vietnamese reports use them to separate
  header lines ("CỘNG HÒA ... VIỆT NAM" / "Độc lập - Tự do - Hạnh phúc"), the lines of
  "Nơi nhận:" and the signer's role from the signer's name, all of which later stages must see
  apart. Newlines at the very start or end of a paragraph are dropped.
* Automatic list labels are restored (see docx_numbering) into ``Block.label`` and put in front
  of the text ("II. KẾT QUẢ"); bullets get the label "-" or "•" and the text prefix "- ".
* Text boxes are read once, as their own paragraphs right after the paragraph that anchors them
  (the DrawingML choice of ``mc:AlternateContent`` is read, its VML fallback is not).
* Empty paragraphs are kept as Blocks with text "" because they separate header lines.
* Runs in a pre-Unicode Vietnamese font (TCVN3 ``.VnTime``/``.VnTimeH``..., VNI ``VNI-Times``...,
  found through the run's, its styles' and the document's default fonts) are converted to
  Unicode run by run (see ``legacy``), so Unicode and legacy runs can share a paragraph;
  ``Source.encoding`` then names the legacy encoding(s) and a warning says so.
* See ``_Walker._table`` for how table rows, merged cells and nested tables become Blocks.

The zip and its XML are opened by docx_package: no DTDs, entities or network access, and
decompression bombs are refused before anything is inflated.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from lxml import etree

from extractors.readers.docx_numbering import Numbering, Styles, on_off, to_int
from extractors.readers.docx_package import Package, parse_xml
from extractors.readers.legacy import RunFonts
from schemas.errors import CorruptFileError
from schemas.models import Block, Source

W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
RELS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)

# Block.style of the text outside the body (no Word style has these names: Word's own are
# "footnote text", "header", "footer").
FOOTNOTE, ENDNOTE, PAGE_HEADER, PAGE_FOOTER = "footnote", "endnote", "page header", "page footer"
OUTSIDE_BODY = frozenset({FOOTNOTE, ENDNOTE, PAGE_HEADER, PAGE_FOOTER})
# Fields whose result is a page number, different on every page: "PAGE \* MERGEFORMAT",
# "NUMPAGES" (not PAGEREF, a cross-reference).
_PAGE_FIELD = re.compile(r"\s*(PAGE|NUMPAGES|SECTIONPAGES)\b", re.I)

# w:sym characters: Symbol and Wingdings fonts put their glyphs at U+F000 + the font's code.
_SYMBOL_FONT = {
    0xB7: "\u2022",
    0x2D: "-",
    0xB4: "\u00d7",
    0xB8: "\u00f7",
    0xB3: "\u2265",
    0xA3: "\u2264",
    0xB9: "\u2260",
    0xBB: "\u2248",
    0xB1: "\u00b1",
    0xB0: "\u00b0",
    0xAE: "\u2192",
    0xDE: "\u21d2",
    0xA5: "\u221e",
}
_WINGDINGS = {
    0x9F: "\u2022",
    0xA7: "\u25aa",
    0x6C: "\u25cf",
    0x6E: "\u25a0",
    0xA8: "\u25fb",
    0x71: "\u2751",
    0x76: "\u2756",
    0xD8: "\u27a2",
    0xE0: "\u2192",
    0xF0: "\u21e8",
    0xFC: "\u2713",
    0xFB: "\u2717",
    0xFE: "\u2611",
    0xA1: "\u25cb",
}


def _sym(char: str | None, font: str | None) -> str:
    """The character a ``w:sym`` shows, or "" when it is a glyph we cannot name."""
    try:
        value = int(char or "", 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF or value <= 0xFF and font:
        code, font = value & 0xFF, (font or "").lower()
        if font.startswith("wingdings"):
            return _WINGDINGS.get(code, "")
        if font == "symbol" and code < 0x80 and chr(code).isalnum():
            return ""  # Symbol letters are Greek; do not pretend they are Latin
        return _SYMBOL_FONT.get(code, chr(code) if 0x20 < code < 0x7F else "")
    return chr(value) if 0x20 <= value < 0x110000 and not 0xD800 <= value < 0xE000 else ""


# ------------------------------------------------------------------------------------------
# The walk over the document body
# ------------------------------------------------------------------------------------------


class _Para:
    """Mutable state while one paragraph's runs are read."""

    __slots__ = ("parts", "boxes", "style", "any_text", "all_bold", "bold")

    def __init__(self, style: str | None, bold: bool) -> None:
        self.parts: list[str] = []
        self.boxes: list[etree._Element] = []
        self.style = style
        self.any_text = False
        self.all_bold = True
        self.bold = bold  # a run's boldness when neither it nor its character style says


class _Walker:
    def __init__(
        self, w: str, styles: Styles, numbering: Numbering, fonts: RunFonts | None = None
    ) -> None:
        self.styles, self.numbering = styles, numbering
        self.fonts = fonts or RunFonts(None, w)
        self.fields: list[bool] = []  # complex fields open; True once showing their result
        self.instructions: list[list[str]] = []  # the instruction text of each open field
        self.hide_page_numbers = False  # in page headers and footers: drop page-number fields
        self.tables = 0
        self.warnings: list[str] = []
        q = f"{{{w}}}"
        self.w, self.val = w, f"{q}val"
        self.fld_type, self.sym_char, self.sym_font = f"{q}fldCharType", f"{q}char", f"{q}font"
        self.instr = f"{q}instr"
        t = {
            name: q + name
            for name in (
                "p",
                "tbl",
                "tr",
                "tc",
                "r",
                "t",
                "sdt",
                "sdtContent",
                "customXml",
                "smartTag",
                "hyperlink",
                "fldSimple",
                "ins",
                "moveTo",
                "dir",
                "bdo",
                "tab",
                "ptab",
                "br",
                "cr",
                "noBreakHyphen",
                "sym",
                "fldChar",
                "instrText",
                "drawing",
                "pict",
                "object",
                "txbxContent",
                "pPr",
                "rPr",
                "pStyle",
                "numPr",
                "numId",
                "ilvl",
                "jc",
                "b",
                "rStyle",
                "vanish",
                "altChunk",
                "trPr",
                "tcPr",
                "gridSpan",
                "gridBefore",
                "vMerge",
                "del",
                "hMerge",
            )
        }
        self.t = t
        self.alt, self.choice = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice"
        self.fallback = f"{{{MC}}}Fallback"
        self.math_t = f"{{{MATH}}}t"
        self.math = {f"{{{MATH}}}oMath", f"{{{MATH}}}oMathPara"}
        self.block_wrappers = {t["customXml"], t["ins"], t["moveTo"]}
        self.inline_wrappers = {
            t["hyperlink"],
            t["smartTag"],
            t["customXml"],
            t["fldSimple"],
            t["ins"],
            t["moveTo"],
            t["dir"],
            t["bdo"],
            t["sdtContent"],
        }
        self.breaks = {t["br"], t["cr"]}
        self.graphics = {t["drawing"], t["pict"], t["object"], self.alt}
        self.tag_t, self.tag_rpr, self.tag_b = t["t"], t["rPr"], t["b"]
        self.tag_vanish, self.tag_rstyle = t["vanish"], t["rStyle"]
        # runs with bold, hidden or a character style (see formatted_runs); None: look at all
        self.formatted: set[etree._Element] | None = None

    def _branch(self, alt: etree._Element) -> etree._Element | None:
        """The one branch of mc:AlternateContent we read: the first Choice, else Fallback."""
        return (
            alt.find(self.choice) if alt.find(self.choice) is not None else alt.find(self.fallback)
        )

    # -- block level -------------------------------------------------------------------------

    def blocks(self, parent: etree._Element, out: list[Block], nested: bool = False) -> None:
        t = self.t
        for el in parent:
            tag = el.tag
            if tag == t["p"]:
                self._paragraph(el, out, nested)
            elif tag == t["tbl"]:
                if nested:
                    self._nested_table(el, out)
                else:
                    self._table(el, out)
            elif tag == t["sdt"]:
                content = el.find(t["sdtContent"])
                if content is not None:
                    self.blocks(content, out, nested)
            elif tag in self.block_wrappers:
                self.blocks(el, out, nested)
            elif tag == self.alt:
                branch = self._branch(el)
                if branch is not None:
                    self.blocks(branch, out, nested)
            elif tag == t["altChunk"]:
                self.warnings.append("an embedded altChunk (HTML/RTF import) was not read")

    def _paragraph(self, p: etree._Element, out: list[Block], nested: bool) -> None:
        t, val = self.t, self.val
        ppr = p.find(t["pPr"])
        style_id = num_id = ilvl = jc = None
        if ppr is not None:
            el = ppr.find(t["pStyle"])
            style_id = el.get(val) if el is not None else None
            num = ppr.find(t["numPr"])
            if num is not None:
                nid, lvl = num.find(t["numId"]), num.find(t["ilvl"])
                num_id = nid.get(val) if nid is not None else None
                ilvl = to_int(lvl.get(val)) if lvl is not None else None
            el = ppr.find(t["jc"])
            jc = el.get(val) if el is not None else None
        bold = self.styles.bold(style_id or self.styles.default_paragraph)
        state = _Para(style_id, bool(self.styles.default_bold) if bold is None else bold)
        self._inline(p, state)
        text = "".join(state.parts).strip("\n")
        label, bullet = self.numbering.label(num_id, ilvl, style_id)
        if label:
            prefix = "-" if bullet else label
            text = f"{prefix} {text}" if text else prefix
        if jc is None:
            jc = self.styles.jc(style_id)
        out.append(
            Block(
                text=text,
                label=label,
                style=self.styles.name(style_id),
                bold=state.any_text and state.all_bold,
                centered=jc == "center",
            )
        )
        for box in state.boxes:
            self.blocks(box, out, nested)

    def _rows(self, parent: etree._Element, tag: str):
        """Children named ``tag``, looking through row/cell-level content controls."""
        t = self.t
        for el in parent:
            if el.tag == tag:
                yield el
            elif el.tag == t["sdt"]:
                content = el.find(t["sdtContent"])
                if content is not None:
                    yield from self._rows(content, tag)
            elif el.tag in self.block_wrappers:
                yield from self._rows(el, tag)

    def _table(self, tbl: etree._Element, out: list[Block]) -> None:
        """Emit one ``table_row`` Block per row, ``table``/``row`` numbered from 0.

        Merged cells: a horizontally merged cell (``gridSpan``, legacy ``hMerge``) appears once
        in ``cells``. A vertically merged continuation cell (``vMerge`` without
        ``val="restart"``) repeats the text of the cell above it in the same grid column, so
        every row is self-contained ("Bằng khen" on each row it applies to). Tabs inside a
        cell become spaces so that ``text.split("\\t") == list(cells)``; the cell's non-blank
        paragraphs are joined with "\\n"; a nested table becomes lines of that cell, its own
        cells joined with " | ". Rows deleted as tracked changes are dropped.
        """
        index = self.tables
        self.tables += 1
        above: dict[int, str] = {}  # grid column -> text of the cell that starts there
        for j, tr in enumerate(r for r in self._rows(tbl, self.t["tr"]) if not self._deleted(r)):
            cells, row_blocks = self._cells(tr, above)
            texts = [b for b in row_blocks if b.text.strip()]
            out.append(
                Block(
                    kind="table_row",
                    text="\t".join(cells),
                    table=index,
                    row=j,
                    cells=tuple(cells),
                    bold=bool(texts) and all(b.bold for b in texts),
                    centered=bool(texts) and all(b.centered for b in texts),
                )
            )

    def _deleted(self, tr: etree._Element) -> bool:
        trpr = tr.find(self.t["trPr"])
        return trpr is not None and trpr.find(self.t["del"]) is not None

    def _cells(self, tr: etree._Element, above: dict[int, str]) -> tuple[list[str], list[Block]]:
        t, val = self.t, self.val
        col = 0
        trpr = tr.find(t["trPr"])
        if trpr is not None:
            before = trpr.find(t["gridBefore"])
            col = to_int(before.get(val), 0) if before is not None else 0
        cells: list[str] = []
        row_blocks: list[Block] = []
        for tc in self._rows(tr, t["tc"]):
            span, merge, hmerge = 1, None, None
            tcpr = tc.find(t["tcPr"])
            if tcpr is not None:
                el = tcpr.find(t["gridSpan"])
                span = max(to_int(el.get(val), 1), 1) if el is not None else 1
                el = tcpr.find(t["vMerge"])
                merge = (el.get(val) or "continue") if el is not None else None
                el = tcpr.find(t["hMerge"])
                hmerge = (el.get(val) or "continue") if el is not None else None
            content: list[Block] = []
            self.blocks(tc, content, nested=True)
            if hmerge == "continue" and cells:  # legacy horizontal merge: already shown
                col += span
                continue
            if merge == "continue":
                text = above.get(col, "")
            else:
                row_blocks.extend(content)
                text = "\n".join(b.text for b in content if b.text.strip()).replace("\t", " ")
            above[col] = text
            cells.append(text)
            col += span
        return cells, row_blocks

    def _nested_table(self, tbl: etree._Element, out: list[Block]) -> None:
        above: dict[int, str] = {}
        for tr in self._rows(tbl, self.t["tr"]):
            if not self._deleted(tr):
                cells, _ = self._cells(tr, above)
                line = " | ".join(c.replace("\n", " ") for c in cells if c.strip())
                out.append(Block(text=line))

    # -- run level ---------------------------------------------------------------------------

    def _inline(self, parent: etree._Element, st: _Para) -> None:
        t = self.t
        for el in parent:
            tag = el.tag
            if tag == t["r"]:
                self._run(el, st)
            elif tag in self.inline_wrappers:
                if (
                    self.hide_page_numbers
                    and tag == t["fldSimple"]
                    and _PAGE_FIELD.match(el.get(self.instr) or "")
                ):
                    continue
                self._inline(el, st)
            elif tag == t["sdt"]:
                content = el.find(t["sdtContent"])
                if content is not None:
                    self._inline(content, st)
            elif tag == self.alt:
                branch = self._branch(el)
                if branch is not None:
                    self._inline(branch, st)
            elif tag in self.math and all(self.fields):
                st.parts.append("".join(x.text or "" for x in el.iter(self.math_t)))

    def formatted_runs(self, body: etree._Element) -> None:
        """Note the runs whose properties set bold, hidden or a character style: found by lxml in
        one pass over the body, so that the thousands of other runs are read without looking
        through their properties one by one. The elements are kept, so each run stays the same
        Python object and is found in the set."""
        found: set[etree._Element] = set()
        for el in body.iter(self.tag_b, self.tag_vanish, self.tag_rstyle):
            rpr = el.getparent()
            run = rpr.getparent() if rpr is not None and rpr.tag == self.tag_rpr else None
            if run is not None and run.tag == self.t["r"]:
                found.add(run)
        self.formatted = found

    def _run(self, r: etree._Element, st: _Para) -> None:
        # one pass over the run's children and its properties (lxml's find costs about as much
        # as a whole pass, and a report has thousands of runs); tags bound to locals for the same
        # reason
        tag_rpr, tag_b, tag_vanish, tag_rstyle = (
            self.tag_rpr,
            self.tag_b,
            self.tag_vanish,
            self.tag_rstyle,
        )
        rpr = None
        if self.fonts.active or self.formatted is None or r in self.formatted:
            for el in r:
                if el.tag == tag_rpr:
                    rpr = el
                    break
        bold, hidden = None, False
        if rpr is not None:
            b_el = vanish = rstyle = None
            for el in rpr:
                tag = el.tag
                if tag == tag_b:
                    b_el = el if b_el is None else b_el
                elif tag == tag_vanish:
                    vanish = el if vanish is None else vanish
                elif tag == tag_rstyle:
                    rstyle = el if rstyle is None else rstyle
            if vanish is not None:
                hidden = bool(on_off(vanish, self.w))
            if b_el is not None:
                bold = on_off(b_el, self.w)
            if bold is None and rstyle is not None:
                bold = self.styles.bold(rstyle.get(self.val))
        if bold is None:
            bold = st.bold
        legacy = self.fonts.legacy(rpr, st.style) if self.fonts.active else None
        t = self.t
        fields = self.fields
        for el in r:
            tag = el.tag
            if tag == self.tag_t:
                s = el.text or ""
                # converted (and counted in the warning) only when shown: not a hidden run, nor
                # a page number that a page footer leaves out
                if legacy is not None and s and not hidden and all(fields):
                    s = self.fonts.convert(s, legacy)
            elif tag == tag_rpr:
                continue
            elif tag == t["fldChar"]:
                kind = el.get(self.fld_type)
                if kind == "begin":
                    fields.append(False)
                    self.instructions.append([])
                elif kind == "separate" and fields:
                    fields[-1] = not (
                        self.hide_page_numbers and _PAGE_FIELD.match("".join(self.instructions[-1]))
                    )
                elif kind == "end" and fields:
                    fields.pop()
                    self.instructions.pop()
                continue
            elif tag == t["tab"] or tag == t["ptab"]:
                s = "\t"
            elif tag in self.breaks:
                s = "\n"
            elif tag == t["noBreakHyphen"]:
                s = "-"
            elif tag == t["sym"]:
                s = _sym(el.get(self.sym_char), el.get(self.sym_font))
            elif tag in self.graphics:
                self._boxes(el, st.boxes)
                continue
            elif tag == t["instrText"]:
                if fields and not fields[-1]:
                    self.instructions[-1].append(el.text or "")
                continue
            else:
                continue
            if hidden or not s or (fields and not all(fields)):
                continue
            st.parts.append(s)
            if not s.isspace():
                st.any_text = True
                st.all_bold = st.all_bold and bold

    def _boxes(self, el: etree._Element, found: list[etree._Element]) -> None:
        """Collect text-box contents under a drawing, once (never the VML fallback copy)."""
        if el.tag == self.t["txbxContent"]:
            found.append(el)
            return
        if el.tag == self.alt:
            branch = self._branch(el)
            if branch is not None:
                self._boxes(branch, found)
            return
        for child in el:
            self._boxes(child, found)


# ------------------------------------------------------------------------------------------
# The text outside the body
# ------------------------------------------------------------------------------------------


def _part_root(pkg: Package, name: str | None, walker: _Walker) -> etree._Element | None:
    """A part outside the body, parsed and ready for the walker; None when it is missing, or
    damaged (a warning says so: the body is still worth reading)."""
    raw = pkg.part(name) if name else None
    if raw is None or name is None:
        return None
    try:
        root = parse_xml(raw, name)
    except CorruptFileError as err:
        walker.warnings.append(f"{name} was left out: {err.message}")
        return None
    walker.fonts.notice(raw)
    walker.formatted_runs(root)
    return root


def _marked(walker: _Walker, parent: etree._Element, where: str) -> list[Block]:
    """The non-empty Blocks of ``parent`` (a note, a page header's root), styled ``where``."""
    found: list[Block] = []
    walker.blocks(parent, found)
    if walker.fields:  # a field left open in one part must not hide the next part's text
        walker.warnings.append(f"a Word field in a {where} is never closed")
        walker.fields.clear()
        walker.instructions.clear()
    return [b.model_copy(update={"style": where}) for b in found if b.text.strip()]


def _outside_body(
    pkg: Package,
    main: str,
    main_xml: bytes,
    rels: dict[str, str],
    body: etree._Element,
    walker: _Walker,
) -> list[Block]:
    """Footnotes and endnotes in the order the body cites them (Word shows no other), then each
    page header and footer part once, in the order the sections name them, leaving out a part
    whose text repeats one already read (the first page's header is often the others' copy)."""
    q = f"{{{walker.w}}}"
    out: list[Block] = []
    for where, rtype in ((FOOTNOTE, "/footnotes"), (ENDNOTE, "/endnotes")):
        # Word writes the notes part, with its separators only, into most documents: when the
        # body cites no note, the part is not even inflated
        if f"{where}Reference".encode() not in main_xml:
            continue
        root = _part_root(pkg, rels.get(rtype), walker)
        notes = {  # separators and continuation notices are Word's own lines, not notes
            note.get(f"{q}id"): note
            for note in (root.iterchildren(f"{q}{where}") if root is not None else ())
            if note.get(f"{q}type") in (None, "normal")
        }
        if not notes:
            continue
        cited = (el.get(f"{q}id") for el in body.iter(f"{q}{where}Reference"))
        for nid in dict.fromkeys(cited):
            if nid in notes:
                out.extend(_marked(walker, notes[nid], where))
    # section properties close the body or sit in the paragraph that ends a section
    sections = body.xpath("w:sectPr | w:p/w:pPr/w:sectPr", namespaces={"w": walker.w})
    refs = [
        ref
        for sect in sections
        for ref in sect.iterchildren(f"{q}headerReference", f"{q}footerReference")
    ]
    parts = {**pkg.targets(main, "/header"), **pkg.targets(main, "/footer")} if refs else {}
    read: set[str] = set()
    texts: set[tuple[str, ...]] = set()
    walker.hide_page_numbers = True
    for ref in refs:
        rid = ref.get(f"{{{RELS[0]}}}id") or ref.get(f"{{{RELS[1]}}}id")
        name = parts.get(rid or "")
        if name is None or name in read:
            continue
        read.add(name)
        where = PAGE_HEADER if ref.tag == f"{q}headerReference" else PAGE_FOOTER
        root = _part_root(pkg, name, walker)
        blocks = _marked(walker, root, where) if root is not None else []
        key = tuple(b.text for b in blocks)
        if blocks and key not in texts:
            texts.add(key)
            out.extend(blocks)
    walker.hide_page_numbers = False
    return out


def read_docx(path: str | Path, data: bytes) -> Source:
    """Read a .docx held in ``data``; ``path`` is only recorded."""
    pkg = Package(data)
    main = pkg.main_part()
    main_xml = pkg.part(main) or b""
    root = parse_xml(main_xml, main)
    w = etree.QName(root).namespace or W_MAIN
    if w not in (W_MAIN, W_STRICT):
        raise CorruptFileError(f"{main} is not a WordprocessingML document; re-save it as .docx")
    rels = pkg.relations(main)

    def optional(kind: str) -> etree._Element | None:
        name = rels.get(kind)
        raw = pkg.part(name) if name else None
        return parse_xml(raw, name) if raw is not None and name else None

    styles_root = optional("/styles")
    styles = Styles(styles_root, w)
    fonts = RunFonts(styles_root, w, main_xml)
    walker = _Walker(w, styles, Numbering(optional("/numbering"), w, styles), fonts)
    body = root.find(f"{{{w}}}body")
    blocks: list[Block] = []
    if body is not None:
        walker.formatted_runs(body)
        walker.blocks(body, blocks)
    if walker.fields:
        walker.warnings.append("a Word field is never closed; text after it may be missing")
        walker.fields.clear()
        walker.instructions.clear()
    if body is not None:
        blocks.extend(_outside_body(pkg, main, main_xml, rels, body, walker))
    encoding = "+".join(sorted(fonts.used)) or None
    if fonts.used:
        runs = ", ".join(f"{n} {enc.upper()} run(s)" for enc, n in sorted(fonts.used.items()))
        walker.warnings.append(
            f"converted {runs} in pre-Unicode Vietnamese fonts to Unicode; check the letters"
        )
    return Source(
        path=str(path),
        format="docx",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        blocks=tuple(blocks),
        warnings=tuple(dict.fromkeys(walker.warnings)),
        encoding=encoding,
    )
