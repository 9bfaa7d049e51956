"""Builders for the reader tests: small .docx packages crafted from python-docx's template with
hand-written WordprocessingML, broken zips, OLE look-alikes and entity bombs."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import docx

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
}
_XMLNS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def document_xml(body: str, sect: str = "") -> bytes:
    """The main part; ``sect`` goes into the last section's properties (header references)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document {_XMLNS} mc:Ignorable="wps"><w:body>{body}'
        f'<w:sectPr>{sect}<w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    ).encode()


def part_xml(root: str, inner: str) -> bytes:
    """A part outside the body: ``root`` is "footnotes", "endnotes", "hdr" or "ftr"."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:{root} {_XMLNS}>{inner}</w:{root}>"
    ).encode()


def numbering_xml(inner: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:numbering {_XMLNS}>{inner}</w:numbering>"
    ).encode()


def level(ilvl: int, fmt: str, text: str, start: int = 1, pstyle: str | None = None) -> str:
    style = f'<w:pStyle w:val="{pstyle}"/>' if pstyle else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/>{style}<w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


def abstract(aid: int, *levels: str) -> str:
    return f'<w:abstractNum w:abstractNumId="{aid}">{"".join(levels)}</w:abstractNum>'


def num(nid: int, aid: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


def p(text: str = "", ppr: str = "", rpr: str = "") -> str:
    """A paragraph with one run (no run at all when ``text`` is empty)."""
    run = f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p><w:pPr>{ppr}</w:pPr>{run}</w:p>"


def numbered(text: str, num_id: int, ilvl: int = 0) -> str:
    return p(text, f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')


def tc(content: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{content}</w:tc>"


def table(*rows: str) -> str:
    return f"<w:tbl><w:tblPr/>{''.join(f'<w:tr>{r}</w:tr>' for r in rows)}</w:tbl>"


def template_bytes() -> bytes:
    buf = io.BytesIO()
    docx.Document().save(buf)
    return buf.getvalue()


def rewrite_zip(data: bytes, replace: dict[str, bytes], drop: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()


def make_docx(
    path: Path,
    body: str,
    numbering: str | None = None,
    extra_styles: str = "",
    base: bytes | None = None,
) -> Path:
    """Write a .docx whose body is ``body`` (WordprocessingML), with python-docx's styles plus
    ``extra_styles`` and, when given, ``numbering`` as the whole numbering part."""
    data = base or template_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml")
    replace = {"word/document.xml": document_xml(body)}
    if extra_styles:
        replace["word/styles.xml"] = styles.replace(
            b"</w:styles>", extra_styles.encode() + b"</w:styles>"
        )
    if numbering is not None:
        replace["word/numbering.xml"] = numbering_xml(numbering)
    path.write_bytes(rewrite_zip(data, replace))
    return path


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."


def make_docx_with_parts(
    path: Path, body: str, parts: list[tuple[str, str, str, bytes]], sect: str = ""
) -> Path:
    """A .docx whose body is ``body`` and whose main part has the extra ``parts``, each
    (relationship id, relationship type such as "footnotes" or "header", part name under
    word/, its bytes); ``sect`` goes into the last section's properties."""
    data = template_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("word/_rels/document.xml.rels")
        types = z.read("[Content_Types].xml")
    for rid, rtype, name, _ in parts:
        rels = rels.replace(
            b"</Relationships>",
            f'<Relationship Id="{rid}" Type="{_REL}{rtype}" Target="{name}"/>'
            "</Relationships>".encode(),
        )
        types = types.replace(
            b"</Types>",
            f'<Override PartName="/word/{name}" ContentType="{_WML}{rtype}+xml"/></Types>'.encode(),
        )
    replace = {
        "word/document.xml": document_xml(body, sect),
        "word/_rels/document.xml.rels": rels,
        "[Content_Types].xml": types,
    }
    replace.update({f"word/{name}": xml for _, _, name, xml in parts})
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, replace.pop(info.filename, None) or src.read(info))
        for name, xml in replace.items():
            dst.writestr(name, xml)
    path.write_bytes(out.getvalue())
    return path


def declared_size_bomb(size: int) -> bytes:
    """A valid little .docx whose document.xml claims to inflate to ``size`` bytes (local header
    and central directory patched; zip64 is not needed below 4 GiB)."""
    data = bytearray(rewrite_zip(template_bytes(), {"word/document.xml": document_xml(p("x"))}))
    name = b"word/document.xml"
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) != -1:  # local headers: size at +22
        if data[pos + 30 : pos + 30 + len(name)] == name:
            struct.pack_into("<I", data, pos + 22, size)
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:  # central directory: size at +24
        if data[pos + 46 : pos + 46 + len(name)] == name:
            struct.pack_into("<I", data, pos + 24, size)
        pos += 4
    return bytes(data)


def ratio_bomb(size: int) -> bytes:
    """A zip whose document.xml really is ``size`` bytes of zeros (deflates ~1000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(size // len(chunk)):
                fh.write(chunk)
    return out.getvalue()


def ole_file(streams: tuple[str, ...] = ("EncryptionInfo", "EncryptedPackage")) -> bytes:
    """Enough of an OLE compound file for sniffing: the magic, a header sector and a directory
    sector naming ``streams`` the way OLE does (UTF-16LE, 128-byte entries)."""
    header = OLE_MAGIC + b"\0" * 16 + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
    header = header.ljust(512, b"\0")
    entries = b""
    for name in ("Root Entry", *streams):
        raw = name.encode("utf-16-le") + b"\0\0"
        entries += raw.ljust(64, b"\0") + struct.pack("<H", len(raw)) + b"\0" * 62
    return header + entries.ljust(512, b"\0")


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b']>\n<w:document xmlns:w="'
    + NAMESPACES["w"].encode()
    + b'"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
)
