"""`baocao web`: the pages over a real store, the refusals a hostile or malformed request gets
(always a short 4xx page, never a traceback), and, in a real headless Chromium, the whole review
loop: search without accents, open a document, correct a fact, re-extract, find it still applied."""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from flows.store.engine import create_schema, engine_for
from flows.store.load import load_reports
from flows.store.runs import start_run
from flows.web import is_loopback, make_app, web_command
from schemas import models as m
from schemas import tables as t

MakeReport = Callable[..., m.Report]
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def archive(fresh_db: str, tmp_path: Path, make_report: MakeReport) -> dict[str, Any]:
    """A store holding one report whose original file exists, and one whose file is gone."""
    content = make_report().text  # every kind of fact, each over its own characters
    original = tmp_path / "bc-148.txt"
    original.write_text(content, encoding="utf-8")
    kept = make_report("bc-148.txt", content=content, source=str(original), quantities=1)
    gone = make_report("gone.txt", content=content + " Hết.", quantities=1)
    engine = engine_for(fresh_db)
    create_schema(engine)
    load_reports(engine, [kept, gone], start_run(engine, ["x"]))
    engine.dispose()
    return {"db": fresh_db, "kept": kept, "gone": gone, "original": original}


def client_for(db: str, allow_edits: bool = False) -> TestClient:
    # The Host names `baocao web` accepts when bound to loopback.
    return TestClient(make_app(db, allow_edits), base_url="http://127.0.0.1")


@pytest.fixture
def client(archive: dict[str, Any]) -> Iterator[TestClient]:
    with client_for(archive["db"]) as c:
        yield c
    c.app.state.engine.dispose()


@pytest.fixture
def editor(archive: dict[str, Any]) -> Iterator[TestClient]:
    with client_for(archive["db"], allow_edits=True) as c:
        yield c
    c.app.state.engine.dispose()


def assert_clean_refusal(response: Any, *statuses: int) -> None:
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def test_pages_answer_with_a_strict_content_policy(
    client: TestClient, archive: dict[str, Any]
) -> None:
    doc = archive["kept"].sha256
    for url in (
        "/",
        "/?q=ket+nap",
        "/?outcome=error",
        "/cites?identifier=168-KH/ĐUK",
        "/corrections",
        f"/documents/{doc}",
        f"/documents/{doc}/displacy",
        f"/documents/{doc}/facts/quantities/1",
        "/facts/quantities.csv",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy
        # no script runs but the compare page's filter, allowed by its hash alone
        scripts = re.search(r"script-src ([^;]*)", policy)
        assert scripts is not None and re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", scripts[1])


def test_document_page_links_every_fact_to_its_span(
    client: TestClient, archive: dict[str, Any]
) -> None:
    page = client.get(f"/documents/{archive['kept'].sha256}").text
    anchors = re.findall(r'<span class="anchor" id="(f-[a-z]+-\d+)">', page)
    links = re.findall(r'<a href="#(f-[a-z]+-\d+)">', page)
    assert anchors and sorted(set(anchors)) == sorted(set(links))
    assert 'href="/documents/' + archive["kept"].sha256 + '/original"' in page
    assert "<form" not in page  # read-only


def test_displacy_page_draws_the_stored_facts(client: TestClient, archive: dict[str, Any]) -> None:
    page = client.get(f"/documents/{archive['kept'].sha256}/displacy").text
    header = re.search(r"<th>Facts</th><td>([^<]*)</td>", page)
    assert header and header.group(1) == (
        "1 REFERENCE, 1 DATE, 1 PERIOD, 1 QUANTITY, 1 AWARD, 1 FINDING"
    )


def test_original_is_served_by_id_only_while_unchanged(
    client: TestClient, archive: dict[str, Any]
) -> None:
    url = f"/documents/{archive['kept'].sha256}/original"
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == archive["original"].read_bytes()
    assert response.headers["content-disposition"].startswith("attachment")
    archive["original"].write_text("changed", encoding="utf-8")
    assert_clean_refusal(client.get(url), 410)
    assert_clean_refusal(client.get(f"/documents/{archive['gone'].sha256}/original"), 410)


def test_citation_search_lists_citing_documents(client: TestClient) -> None:
    page = client.get("/cites", params={"identifier": "168-kh/đuk"}).text
    assert "2 văn bản trích dẫn 168-kh/đuk" in page


# ---------------------------------------------------------------------------------------------
# Hostile and malformed requests
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "' OR '1'='1",
        "'; DROP TABLE documents; --",
        '" NEAR(x) *',
        "%' --",
        "\\",
        "<script>alert(1)</script>",
    ],
)
def test_search_with_metacharacters_is_just_text(
    client: TestClient, archive: dict[str, Any], query: str
) -> None:
    for params in ({"q": query}, {"issuer": query}, {"doc_type": query}):
        response = client.get("/", params=params)
        assert response.status_code == 200
        assert "<script>alert" not in response.text
    assert client.get("/cites", params={"identifier": query}).status_code == 200
    engine = engine_for(archive["db"])
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.documents)).scalar_one() == 2
    engine.dispose()


def test_a_nul_character_anywhere_in_the_address_is_refused(client: TestClient) -> None:
    # No text of ours holds NUL, and PostgreSQL refuses it in a parameter.
    for params in ({"q": "ket\x00nap"}, {"issuer": "\x00"}, {"identifier": "168\x00"}):
        assert_clean_refusal(client.get("/", params=params), 400)
    assert_clean_refusal(client.get("/documents/%00"), 400)


@pytest.mark.parametrize(
    "path",
    [
        "/documents/../../etc/passwd",
        "/documents/..%2F..%2Fetc%2Fpasswd/original",
        "/documents/%2e%2e/original",
        "/documents/" + "0" * 64 + "/original",
        "/documents/" + "0" * 64,
        "/documents/ABC/original",
        "/documents/" + "a" * 63 + "g",
        "/documents/" + "0" * 64 + "/facts/quantities/99999",
        "/documents/" + "0" * 64 + "/facts/sections/1",
        "/documents/" + "0" * 64 + "/facts/quantities/-1",
        "/facts/..%2Fdocuments.csv",
        "/facts/sections.csv",
        "/static/../pyproject.toml",
        "/nowhere",
    ],
)
def test_paths_that_name_no_document_are_refused(client: TestClient, path: str) -> None:
    assert_clean_refusal(client.get(path), 400, 404)


@pytest.mark.parametrize(
    "url",
    [
        "/?page=0",
        "/?page=abc",
        "/?page=" + "9" * 40,
        "/?outcome=maybe",
        "/cites?year=99999",
        "/cites?year=1e3",
        "/?q=" + "x" * 5000,
        "/facts/dates.csv?document=../x",
    ],
)
def test_oversized_or_malformed_parameters_are_refused(client: TestClient, url: str) -> None:
    assert_clean_refusal(client.get(url), 400, 414)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/"),
        ("DELETE", "/corrections"),
        ("PUT", "/documents/" + "0" * 64),
        ("PATCH", "/cites"),
        ("POST", "/facts/dates.csv"),
    ],
)
def test_bad_methods_are_refused(client: TestClient, method: str, path: str) -> None:
    assert_clean_refusal(client.request(method, path), 405)


def test_an_unexpected_error_is_a_short_page_without_details(
    archive: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.web.routes import pages

    def broken(_engine: Any) -> list[Any]:
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr(pages, "failed_files", broken)
    app = make_app(archive["db"])
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
        response = c.get("/")
    app.state.engine.dispose()
    assert response.status_code == 500
    assert "secret detail" not in response.text and "Traceback" not in response.text


def test_head_is_answered_without_a_body(client: TestClient) -> None:
    response = client.head("/")
    assert response.status_code == 200 and response.content == b""


def test_a_foreign_host_header_is_refused(client: TestClient) -> None:
    assert_clean_refusal(client.get("/", headers={"host": "evil.example"}), 400)


def _correction(archive: dict[str, Any], csrf: str, **fields: str) -> dict[str, str]:
    return {
        "csrf": csrf,
        "author": "Lan",
        "kind": "quantities",
        "action": "reject",
        "fact_id": "1",
        **fields,
    }


def _csrf(c: TestClient, archive: dict[str, Any]) -> str:
    page = c.get(f"/documents/{archive['kept'].sha256}").text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the document page of an editable archive has forms"
    return found.group(1)


def test_edits_are_refused_without_allow_edits(client: TestClient, archive: dict[str, Any]) -> None:
    url = f"/documents/{archive['kept'].sha256}/corrections"
    assert_clean_refusal(client.post(url, data=_correction(archive, "x")), 403)


def test_edits_need_the_page_token_and_our_origin(
    editor: TestClient, archive: dict[str, Any]
) -> None:
    url = f"/documents/{archive['kept'].sha256}/corrections"
    token = _csrf(editor, archive)
    assert_clean_refusal(editor.post(url, data=_correction(archive, "forged.token")), 403)
    assert_clean_refusal(
        editor.post(
            url, data=_correction(archive, token), headers={"origin": "http://evil.example"}
        ),
        403,
    )
    fresh = TestClient(editor.app, base_url="http://127.0.0.1")  # no cookie
    assert_clean_refusal(fresh.post(url, data=_correction(archive, token)), 403)
    response = editor.post(url, data=_correction(archive, token), follow_redirects=False)
    assert response.status_code == 303
    page = editor.get(response.headers["location"]).text
    assert "rejected, Lan" in page


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"csrf=x", {"content-type": "application/json"}, 415),
        (b"a=" + b"x" * 70_000, {"content-type": "application/x-www-form-urlencoded"}, 413),
        (b"author=%ff%fe", {"content-type": "application/x-www-form-urlencoded"}, 400),
        (
            b"&".join(b"f%d=1" % i for i in range(100)),
            {"content-type": "application/x-www-form-urlencoded"},
            400,
        ),
    ],
)
def test_malformed_forms_are_refused(
    editor: TestClient, archive: dict[str, Any], body: bytes, headers: dict[str, str], status: int
) -> None:
    url = f"/documents/{archive['kept'].sha256}/corrections"
    assert_clean_refusal(editor.post(url, content=body, headers=headers), status)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "sections"},
        {"action": "drop"},
        {"fact_id": "x"},
        {"fact_id": "9" * 30},
        {"fact_id": "424242"},
        {"action": "edit", "v_value": "sáu"},
        {"author": ""},
        {"action": "add", "find": "not in the text"},
        {"action": "edit", "v_colour": "red"},
    ],
)
def test_bad_corrections_get_a_400_with_the_reason(
    editor: TestClient, archive: dict[str, Any], fields: dict[str, str]
) -> None:
    url = f"/documents/{archive['kept'].sha256}/corrections"
    response = editor.post(url, data=_correction(archive, _csrf(editor, archive), **fields))
    assert_clean_refusal(response, 400)


def test_web_command_needs_an_existing_sqlite_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert web_command(str(tmp_path / "none.db"), "127.0.0.1", 8000, False) == 1
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_web_command_says_when_the_port_is_taken(
    archive: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert web_command(archive["db"], "127.0.0.1", port, False) == 1
    assert f"cannot serve on 127.0.0.1:{port}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


# ---------------------------------------------------------------------------------------------
# In a real browser
# ---------------------------------------------------------------------------------------------

CITING = (
    "ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH\nSố 150-BC/ĐUK\nYên Bái, ngày 25 tháng 7 năm 2023\n"
    "BÁO CÁO\nKết quả kết nạp đảng viên 6 tháng đầu năm 2023\nThực hiện Báo cáo số 148-BC/ĐUK, "
    "ngày 20/6/2023 của Đảng ủy Khối về sơ kết công tác thi đua, khen thưởng; Kế hoạch số "
    "168-KH/ĐUK, ngày 22/12/2022. Kết nạp 12 đảng viên mới.\n"
)


def _browser() -> Any:
    """Playwright driving Debian's Chromium; fails (never skips) naming what to install."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(
            "headless Chromium is missing: install the Debian package `chromium` "
            "(scripts/install-system-deps.sh installs it)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "Playwright for Python is missing: pip install 'playwright>=1.50,<2' (never "
            "`playwright install`: the tests drive Debian's `chromium`)"
        )
    return sync_playwright


@pytest.fixture(scope="session")
def samples_archive(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The samples and a report citing one of them, imported once without Prefect."""
    from flows.ingest.run import run_import

    root = tmp_path_factory.mktemp("samples")
    folder = root / "archive"
    # the reference report in its two forms (the company series beside it is compare's sample)
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("*.md", "series-*"))
    (folder / "bc-150.txt").write_text(CITING, encoding="utf-8")
    summary = run_import([str(folder)], f"sqlite:///{root / 'samples.db'}")
    assert summary.ok == 3, summary.failures
    return {"folder": folder, "db": root / "samples.db"}


@pytest.fixture
def samples_db(samples_archive: dict[str, Path], tmp_path: Path) -> str:
    """A copy of the imported samples that a test may change."""
    copy = tmp_path / "samples.db"
    with sqlite3.connect(samples_archive["db"]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{copy}"


@pytest.fixture
def served(samples_db: str, samples_archive: dict[str, Path]) -> Iterator[dict[str, Any]]:
    """The samples served with edits allowed on a free loopback port."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = make_app(samples_db, allow_edits=True)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the web app did not start"
    try:
        yield {
            "url": f"http://127.0.0.1:{port}",
            "db": samples_db,
            "folder": samples_archive["folder"],
        }
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()


def test_compare_page_draws_a_chart_per_metric_and_exports(samples_db: str) -> None:
    params = {"metric": ["party.new_members_admitted", "party.total_members"]}
    with client_for(samples_db) as c:
        page = c.get("/compare", params=params)
        assert page.status_code == 200
        assert page.text.count("<svg") == 2 and "2023-H1" in page.text
        csv = c.get("/compare.csv", params=params)
        assert csv.headers["content-type"].startswith("text/csv")
        assert "party.new_members_admitted" in csv.text
        xlsx = c.get("/compare.xlsx", params=params)
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        assert_clean_refusal(c.get("/compare", params={**params, "start": "mùa xuân"}), 400)
        assert_clean_refusal(c.get("/compare", params={"metric": ["x"] * 51}), 400)
    c.app.state.engine.dispose()


@pytest.mark.slow
def test_review_loop_in_a_browser(served: dict[str, Any], tmp_path: Path) -> None:
    from flows.ingest.run import run_import

    sync_playwright = _browser()
    url = served["url"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            # Search without accents.
            page.goto(url + "/")
            page.fill("input[name=q]", "ket nap")
            page.click("button[type=submit]")
            hits = page.locator("#hits tr td:first-child a")
            assert hits.count() == 3
            assert "kết nạp" in page.locator("#hits mark").first.inner_text().lower()
            # Open the .docx sample: its facts are highlighted and listed.
            page.locator("#hits tr", has_text="yenbai-duk-tdkt-2023-h1.docx").locator("a").click()
            assert page.locator("#text a.hl").count() > 100
            assert page.locator("#text a.hl", has_text="168-KH/ĐUK").count() >= 1
            cited_by = page.locator("#cited-by + ul li")
            assert cited_by.count() == 1 and "bc-150.txt" in cited_by.inner_text()
            # Correct a quantity on its own page.
            fact = page.locator("li[id^='l-f-quantities-']", has_text="31 đảng viên").first
            fact.locator("summary").click()
            fact.locator("a", has_text="sửa").click()
            page.fill("input[name=author]", "Nguyễn Thị Lan")
            page.fill("input[name=v_value]", "32")
            page.click("button[value=edit]")
            edited = page.locator("li.edited", has_text="31 đảng viên")
            assert edited.count() == 1 and "32" in edited.inner_text()
            assert "edited, Nguyễn Thị Lan" in edited.inner_text()
            # Re-extract every document: fact rows are replaced, the correction is re-applied.
            summary = run_import([str(served["folder"])], served["db"], reextract=True)
            assert summary.ok == 3
            page.reload()
            edited = page.locator("li.edited", has_text="31 đảng viên")
            assert edited.count() == 1 and "32 đảng viên" in edited.inner_text()
            row = page.locator("#corrections ~ table tr", has_text="Nguyễn Thị Lan")
            assert "đã áp dụng" in row.inner_text()  # what became of it, in Vietnamese
            # The README's picture: the page's top, text and facts scrolled to the correction.
            page.set_viewport_size({"width": 1400, "height": 1250})
            page.goto(page.url.split("#")[0])
            edited.evaluate(
                "li => { const box = li.closest('.facts'); "
                "box.scrollTop = li.offsetTop - box.offsetTop - 120; }"
            )
            anchor = page.locator("#text .anchor").nth(0)
            anchor.evaluate("a => { a.closest('.doctext').scrollTop = 0; }")
            # the README's picture is refreshed on request (its bytes change with the import time)
            shots = SCREENSHOTS if os.environ.get("BAOCAO_UPDATE_SCREENSHOTS") else tmp_path
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "document.png"))
            assert (shots / "document.png").stat().st_size > 10_000
            # Which reports cite 168-KH/ĐUK? One search.
            page.goto(url + "/cites?identifier=168-KH/%C4%90UK")
            assert "3 văn bản trích dẫn 168-KH/ĐUK" in page.locator("#citing").inner_text()
            # The other pages as a Vietnamese reader sees them (docs/screenshots/ on request)
            page.set_viewport_size({"width": 1400, "height": 900})
            compared = "metric=party.new_members_admitted&metric=party.total_members"
            for name, path in (
                ("cites", "/cites?identifier=168-KH/%C4%90UK"),
                ("archive", "/"),
                ("corrections", "/corrections"),
                ("organisations", "/organisations"),
                ("compare", f"/compare?{compared}"),
            ):
                page.goto(url + path)
                assert page.locator("html").get_attribute("lang") == "vi", name
                page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
                assert (shots / f"{name}.png").stat().st_size > 10_000, name
        finally:
            browser.close()


def test_csv_downloads_carry_a_byte_order_mark_for_excel(client: TestClient) -> None:
    # Excel on Windows reads a CSV without a BOM in the machine's code page: Vietnamese garbled
    for path in ("/facts/quantities.csv", "/corrections.csv"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.content.startswith("\ufeff".encode())
        assert response.content[3:].decode("utf-8").split("\n")[0].count(",") >= 1


def test_a_query_longer_than_the_search_takes_is_cut_with_a_notice(client: TestClient) -> None:
    long_query = "kết nạp đảng viên mới " * 20  # 440 characters
    response = client.get("/", params={"q": long_query})
    assert response.status_code == 200
    assert "200 ký tự" in response.text
    assert client.get("/", params={"q": "kết nạp"}).text.count("200 ký tự") == 0


def test_the_citations_page_lists_the_most_cited_documents(client: TestClient) -> None:
    page = client.get("/cites").text
    assert "Văn bản được trích dẫn nhiều nhất" in page
    # both reports of the archive cite the plan: two citing documents
    assert "/cites?identifier=168-KH/%C4%90UK" in page or "168-KH/ĐUK" in page
    assert "nhiều nhất" not in client.get("/cites?identifier=168-KH/ĐUK").text


def test_the_corrections_page_shows_old_and_new_values_with_the_note(
    archive: dict[str, Any],
) -> None:
    from flows.store.corrections import record_correction
    from flows.store.read import corrected_facts

    engine = engine_for(archive["db"])
    facts = corrected_facts(engine, "quantities", archive["kept"].sha256, with_ids=True)
    record_correction(
        engine,
        document_id=archive["kept"].sha256,
        kind="quantities",
        action="edit",
        author="Nguyễn Văn Bình",
        fact_id=int(facts["id"].iloc[0]),
        values={"value": 66},
        note="Bản gốc ghi 66, bản số hoá đọc nhầm",
    )
    engine.dispose()
    with client_for(archive["db"]) as c:
        page = c.get("/corrections").text
        english = c.get("/corrections", params={"lang": "en"}).text
    c.app.state.engine.dispose()  # on PostgreSQL an engine left open warns when collected
    assert "value: 65 → 66" in page
    assert "Bản gốc ghi 66" in page and '{"value"' not in page
    # what became of it, and the action, in the page's language
    assert "đã áp dụng" in page and "đã sửa" in page and ">sửa<" in page
    assert "applied" in english and "edited" in english


def test_pages_are_in_vietnamese_and_switch_to_english(client: TestClient) -> None:
    page = client.get("/").text
    assert '<html lang="vi">' in page and "Kho văn bản" in page and "Trích dẫn" in page
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text and ">Archive<" in english.text
    assert "baocao_lang=en" in english.headers.get("set-cookie", "")
    # the choice is remembered for the next pages, until switched back
    assert ">Citations<" in client.get("/cites").text
    assert "Kho văn bản" in client.get("/cites?lang=vi").text
    assert "Kho văn bản" in client.get("/corrections").text


def test_every_string_a_page_asks_for_exists_in_both_languages() -> None:
    import re

    from flows.strings import STRINGS

    templates = Path(__file__).resolve().parents[1] / "flows" / "web" / "templates"
    asked = {
        key
        for path in templates.glob("*.html")
        for key in re.findall(r"""t\(["']([a-z_]+\.[a-z_]+)["']""", path.read_text())
    }
    assert asked and asked <= set(STRINGS)
    assert all(vi and en for vi, en in STRINGS.values())
    # the columns a person edits are labelled too (`field.` + column name)
    from schemas.corrections import editable_columns
    from schemas.tables import CORRECTABLE_KINDS

    for kind in CORRECTABLE_KINDS:
        assert f"kind.{kind}" in STRINGS
        assert {f"field.{c}" for c in editable_columns(kind)} <= set(STRINGS), kind
