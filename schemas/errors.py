"""Errors that a user sees. Each has a stable code (look it up in the README), carries the file and
the stage it happened in, and pickles across process pools so a worker can hand it back intact."""

from __future__ import annotations


class BaocaoError(Exception):
    """Something went wrong with one input file; the batch goes on."""

    code = "E000"

    def __init__(
        self,
        message: str,
        path: str | None = None,
        stage: str | None = None,
        sha256: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.stage = stage
        self.sha256 = sha256

    def __reduce__(self):  # keep context when crossing process boundaries
        return (type(self), (self.message, self.path, self.stage, self.sha256))

    def one_line(self) -> str:
        """`path: E003 the file is not a valid .docx (...)`, with no newline in it."""
        where = f"{self.path}: " if self.path else ""
        return " ".join(f"{where}{self.code} {self.message}".split())

    def __str__(self) -> str:
        return self.one_line()


class EmptyFileError(BaocaoError):
    """The file has no bytes, or no text at all."""

    code = "E001"


class UnsupportedFormatError(BaocaoError):
    """No reader handles this kind of file."""

    code = "E002"


class CorruptFileError(BaocaoError):
    """The file claims a format but its content is damaged or is something else."""

    code = "E003"


class EncryptedFileError(BaocaoError):
    """The file is protected by a password."""

    code = "E004"


class UnknownEncodingError(BaocaoError):
    """The text's character encoding could not be determined."""

    code = "E005"


class UnreadableFileError(BaocaoError):
    """The file vanished or could not be opened (permissions, I/O error)."""

    code = "E006"


class ResourceLimitError(BaocaoError):
    """The file would need more memory or time than allowed (zip bomb, entity bomb, huge file)."""

    code = "E007"


class ConverterMissingError(BaocaoError):
    """An external converter this format needs (LibreOffice, antiword, tesseract) is missing."""

    code = "E008"
