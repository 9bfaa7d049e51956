"""What the `baocao` commands tell archivists: Vietnamese by default, English with --lang en or
BAOCAO_LANG=en, every message from flows/strings.py; --help stays English."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import main
from flows.strings import STRINGS, failure_line


@pytest.fixture
def vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BAOCAO_LANG")  # the default a user gets


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_cli_string_has_both_languages_and_the_same_placeholders() -> None:
    import string

    for key, (vi, en) in STRINGS.items():
        if not key.startswith(("cli.", "status.", "error.")):
            continue
        assert vi and en and vi != en or key.startswith("status."), key

        def fields(s: str) -> set[str]:
            return {f for _, f, _, _ in string.Formatter().parse(s) if f}

        assert fields(vi) == fields(en), key


def test_a_failure_says_what_its_code_means_before_the_detail() -> None:
    line = "kho/bao-cao-quy-3.docx: E003 holds unrecognised bytes"
    assert failure_line(line, "vi") == (
        "không đọc được: kho/bao-cao-quy-3.docx: E003 (tệp hỏng) holds unrecognised bytes"
    )
    assert failure_line(line, "en") == (
        "failed: kho/bao-cao-quy-3.docx: E003 (corrupt file) holds unrecognised bytes"
    )
    # a code-like part of a path is not taken for the code; no code, no meaning
    odd = failure_line("kho/E003 cu/x.txt: E005 no encoding fits", "vi")
    assert odd.endswith("E005 (không nhận ra bảng mã) no encoding fits") and "tệp hỏng" not in odd
    assert failure_line("kho/x.docx: ValueError: boom", "vi") == (
        "không đọc được: kho/x.docx: ValueError: boom"
    )


def test_messages_are_vietnamese_by_default(vietnamese: None, tmp_path: Path) -> None:
    code, _, err = _run("facts", "awards", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "không có cơ sở dữ liệu ở" in err

    url = f"sqlite:///{tmp_path / 'kho.db'}"
    (tmp_path / "kho").mkdir()
    (tmp_path / "kho" / "hong.docx").write_bytes(b"khong phai tep nen zip\n")
    code, out, err = _run("ingest", str(tmp_path / "kho"), "--db", url, "--no-prefect")
    assert code == 1
    assert "1 tệp, 0 đã nhập, 0 bỏ qua (đã có), 1 lỗi" in out and "nhật ký: " in out
    assert err.count("không đọc được: ") == 1 and "(tệp hỏng)" in err

    code, _, err = _run("facts", "awards", "--db", url)
    assert code == 0 and "chưa có awards nào trong kho" in err
    code, out, _ = _run("runs", "--db", url)
    assert code == 0 and "các lần nhập (1)" in out and "xong" in out and "tệp lỗi (1)" in out


def test_lang_en_and_baocao_lang_switch_to_english(
    vietnamese: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = str(tmp_path / "none.db")
    code, _, err = _run("facts", "awards", "--db", missing, "--lang", "en")
    assert code == 1 and "no database at" in err
    monkeypatch.setenv("BAOCAO_LANG", "en")
    code, _, err = _run("checks", "--db", missing)
    assert code == 1 and "no database at" in err
    # --lang wins over the variable
    code, _, err = _run("runs", "--db", missing, "--lang", "vi")
    assert code == 1 and "không có cơ sở dữ liệu ở" in err
    # an unknown value of the variable is Vietnamese, not an error
    monkeypatch.setenv("BAOCAO_LANG", "fr")
    code, _, err = _run("runs", "--db", missing)
    assert code == 1 and "không có cơ sở dữ liệu ở" in err


def test_help_stays_english(vietnamese: None) -> None:
    code, out, _ = _run("ingest", "--help")
    assert code == 0 and "Import report files and folders" in out and "--lang" in out


def test_the_demo_ends_with_where_to_look_next_in_lines_a_terminal_shows_whole() -> None:
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text(encoding="utf-8")
    said = [
        line.split('@echo "', 1)[1].rstrip('"')
        for line in makefile.splitlines()
        if '@echo "' in line
    ]
    shown = [s.replace("$(BIN)", ".venv/bin").replace("$(DB)", "sqlite:///baocao.db") for s in said]
    assert any("baocao web" in line for line in shown)
    assert max(len(line) for line in shown) <= 100, shown


def test_extract_reports_a_failed_file_once_in_either_format(
    vietnamese: None, tmp_path: Path
) -> None:
    empty = tmp_path / "bao-cao-trong.docx"
    empty.write_bytes(b"")
    for fmt in ("table", "jsonl"):
        code, out, err = _run("extract", str(empty), "--format", fmt)
        assert code == 1
        said = " ".join((out + err).split())
        assert said.count("không đọc được: ") == 1, fmt
        assert said.count("E001 (tệp rỗng hoặc không có chữ)") == 1, fmt
