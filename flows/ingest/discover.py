"""Finding the files to import, as a stream: an archive of a million files is walked without
holding its listing, in a stable order (folders and names sorted), each real file once.

Hidden entries, Office lock files and system files are skipped in folders; symbolic links are
followed but every folder is entered once by its real path, so links that loop end. Unreadable
folders, broken links and things that are not regular files become problems (error outcomes),
never a stop.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from flows.store.runs import FileOutcome

# Office writes `~$name.docx` beside an open file, LibreOffice `.~lock.name#`; Windows and macOS
# leave thumbnails and folder settings. None of them is a report.
LOCK_PREFIXES = ("~$", ".~lock.")
SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})

Found = str | FileOutcome  # a file to import, or a path that could not be looked into


@dataclass(frozen=True)
class Discovery:
    """The files to import, in a stable order, and the paths that could not be looked into."""

    files: list[str]
    problems: list[FileOutcome]


def _ignored(name: str) -> bool:
    return name.startswith(".") or name.startswith(LOCK_PREFIXES) or name.lower() in SYSTEM_FILES


def _problem(path: str, why: str) -> FileOutcome:
    return FileOutcome(path, "error", None, "E006", f"{path}: E006 {why}")


def iter_found(paths: Iterable[str | Path]) -> Iterator[Found]:
    """Files named, and files found recursively in folders named, each real file once; problems
    come in the stream where they are met.

    Memory stays flat whatever the archive's size: only folders (by real path), files named
    explicitly and files reached through a symbolic link are remembered. A plain file inside a
    folder that is entered once cannot be met twice, except as the target of a link found before
    it; the store then records the copy as skipped ("same content"), never twice.
    """
    seen_files: set[str] = set()  # real paths of files named or reached through a link
    seen_dirs: set[str] = set()
    problems: list[FileOutcome] = []  # met by os.walk, handed on after each folder

    def walk_error(err: OSError) -> None:
        problems.append(
            _problem(str(err.filename), f"folder cannot be read ({err.strerror or err})")
        )

    def check(path: str, remember: bool) -> Found | None:
        try:
            info = os.stat(path)
        except OSError as err:
            return _problem(path, f"cannot be read ({err.strerror or err})")
        if not stat.S_ISREG(info.st_mode):
            return _problem(path, "is not a regular file (a pipe, device or socket); skipped")
        if remember or seen_files:
            real = os.path.realpath(path)
            if real in seen_files:
                return None
            if remember:
                seen_files.add(real)
        return path

    for given in map(str, paths):
        if not os.path.isdir(given):
            found = check(given, remember=True)
            if found is not None:
                yield found
            continue
        for folder, dirnames, filenames in os.walk(given, onerror=walk_error, followlinks=True):
            yield from problems
            problems.clear()
            real = os.path.realpath(folder)
            if real in seen_dirs:
                dirnames[:] = []
                continue
            seen_dirs.add(real)
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not _ignored(d) and os.path.realpath(os.path.join(folder, d)) not in seen_dirs
            )
            for name in sorted(filenames):
                if _ignored(name):
                    continue
                path = os.path.join(folder, name)
                found = check(path, remember=os.path.islink(path))
                if found is not None:
                    yield found
        yield from problems


def discover_files(paths: Iterable[str | Path]) -> Discovery:
    """The whole discovery at once (for small imports and tests; imports stream `iter_found`)."""
    files: list[str] = []
    problems: list[FileOutcome] = []
    for found in iter_found(paths):
        (problems if isinstance(found, FileOutcome) else files).append(found)  # type: ignore[arg-type]
    return Discovery(files, problems)


def count_found(paths: Iterable[str | Path]) -> int:
    """How many files and problems `iter_found` will yield (a second walk: cheap, no reading)."""
    return sum(1 for _ in iter_found(paths))
