"""The .docx container, opened defensively: a zip checked for decompression bombs before
anything is inflated, relationships resolved to find the main document, styles, numbering, notes,
page headers and footers, and every XML part parsed without DTDs, entity expansion or network
access.

Promises: ``Package(data)`` raises CorruptFileError for a damaged or foreign zip,
ResourceLimitError for a zip bomb (declared size over ``MAX_UNCOMPRESSED`` in total or per
entry, or a large entry compressed more than ``MAX_RATIO``:1, or one inflating past what it
declared), EncryptedFileError for password-protected entries; ``parse_xml`` refuses any
DOCTYPE/ENTITY (ResourceLimitError) and reports malformed XML as CorruptFileError.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

from lxml import etree

from schemas.errors import CorruptFileError, EncryptedFileError, ResourceLimitError

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # total declared size of the entries we may inflate
MAX_RATIO = 200  # compression ratio above which a large entry is treated as a bomb
RATIO_MIN_SIZE = 10 * 1024 * 1024  # only entries at least this large are ratio-checked
MAX_ENTRIES = 10_000
REL_DOC = "/officeDocument"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, part: str) -> etree._Element:
    """Parse one part; refuse DTDs (entity bombs, external entities) before and after."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ResourceLimitError(
            f"{part} declares a DOCTYPE/ENTITY (possible entity bomb), which Word never writes;"
            " refusing to parse it - re-save the document from Word"
        )
    try:
        tree = etree.parse(io.BytesIO(data), _parser())
    except etree.XMLSyntaxError as exc:
        reason = " ".join(str(exc.msg or exc).split())[:160]
        raise CorruptFileError(
            f"{part} is not well-formed XML ({reason}); open and re-save the document in Word"
        ) from None
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise ResourceLimitError(f"{part} declares a DTD; refusing it - re-save it from Word")
    return tree.getroot()


class Package:
    """A .docx zip opened defensively; ``part(name)`` returns a part's bytes."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
            raise CorruptFileError(
                "is named .docx but is not a readable zip package (truncated or damaged);"
                " re-save or re-download the original"
            ) from None
        if len(infos) > MAX_ENTRIES:
            raise ResourceLimitError(f"the .docx zip holds {len(infos)} entries; too many to read")
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_UNCOMPRESSED or (
                info.file_size >= RATIO_MIN_SIZE and ratio > MAX_RATIO
            ):
                raise ResourceLimitError(
                    f"zip entry {info.filename} would inflate to {info.file_size:,} bytes"
                    f" (ratio {ratio:.0f}:1), a likely zip bomb; refusing to read it"
                )
        if total > MAX_UNCOMPRESSED:
            raise ResourceLimitError(
                f"the .docx would inflate to {total:,} bytes (limit {MAX_UNCOMPRESSED:,});"
                " refusing to read it"
            )
        self.names = {info.filename.lstrip("/").lower(): info for info in infos}
        # a part's relationships, parsed once: the main part's are asked for by type (styles,
        # numbering, notes) and by id (page headers and footers)
        self._rels: dict[str, list[tuple[str, str, str]]] = {}

    def part(self, name: str) -> bytes | None:
        info = self.names.get(name.lstrip("/").lower())
        if info is None:
            return None
        if info.flag_bits & 0x1:
            raise EncryptedFileError(f"zip entry {name} is password-protected; remove the password")
        try:
            with self.zip.open(info) as fh:
                data = fh.read(MAX_UNCOMPRESSED + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            reason = " ".join(str(exc).split())[:120]
            raise CorruptFileError(
                f"zip entry {name} is damaged ({reason}); re-save or re-download the original"
            ) from None
        if len(data) > MAX_UNCOMPRESSED:
            raise ResourceLimitError(f"zip entry {name} inflates beyond {MAX_UNCOMPRESSED:,} bytes")
        return data

    def _relationships(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type suffix such as "/styles", target part name) of ``part``'s internal
        relationships, in the order its .rels file lists them."""
        if part not in self._rels:
            self._rels[part] = self._read_relationships(part)
        return self._rels[part]

    def _read_relationships(self, part: str) -> list[tuple[str, str, str]]:
        folder, base = posixpath.split(part)
        data = self.part(posixpath.join(folder, "_rels", base + ".rels"))
        if data is None:
            return []
        out: list[tuple[str, str, str]] = []
        for rel in parse_xml(data, f"{part} relationships").iter("{*}Relationship"):
            rtype, target = rel.get("Type") or "", rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            name = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            out.append(
                (rel.get("Id") or "", "/" + rtype.rsplit("/", 1)[-1], posixpath.normpath(name))
            )
        return out

    def relations(self, part: str) -> dict[str, str]:
        """Relationship type suffix ("/styles", ...) -> target part name, for ``part`` (the first
        target of each type)."""
        out: dict[str, str] = {}
        for _, rtype, name in self._relationships(part):
            out.setdefault(rtype, name)
        return out

    def targets(self, part: str, rtype: str) -> dict[str, str]:
        """Relationship id -> target part name, for ``part``'s relationships of type ``rtype``
        ("/header", "/footer"): the parts a document names by id, of which it may have many."""
        return {rid: name for rid, kind, name in self._relationships(part) if kind == rtype}

    def main_part(self) -> str:
        target = self.relations("").get(REL_DOC)
        if target and target.lower() in self.names:
            return target
        if "word/document.xml" in self.names:
            return "word/document.xml"
        kind = next(
            (
                label
                for key, label in (
                    ("xl/workbook.xml", "an Excel workbook"),
                    ("ppt/presentation.xml", "a PowerPoint deck"),
                    ("content.xml", "an OpenDocument file"),
                )
                if key in self.names
            ),
            "a zip archive",
        )
        raise CorruptFileError(
            f"is named .docx but is {kind} without word/document.xml;"
            " open it in its own program and save as .docx"
        )
