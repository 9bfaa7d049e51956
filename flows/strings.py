"""Every string baocao shows a person in its web pages, exports and command-line messages, in
Vietnamese (the default: its users are Vietnamese archivists and analysts) and in English, in one
place. A page or an export asks `text(key, lang)` (the templates call it `t`); in the web app
`?lang=en` or `?lang=vi` switches and a cookie remembers the choice; the `baocao` commands have
`--lang`, whose default is $BAOCAO_LANG, else Vietnamese. Operators' logs and `--help` stay English.

An English entry may hold a singular and a plural form, `one|other`, chosen by the value `n`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"
LANGUAGE_COOKIE = "baocao_lang"

STRINGS: dict[str, tuple[str, str]] = {
    # organisations (the web page and `baocao organisations`)
    "nav.organisations": ("Cơ quan", "Organisations"),
    "org.title": ("Cơ quan ban hành", "Issuing organisations"),
    "org.intro": (
        "Mỗi văn bản thuộc một cơ quan: cùng tên (chữ hoa, cách bỏ dấu, viết tắt khác nhau) và "
        "cùng cơ quan cấp trên là một cơ quan. Đổi tên, gộp và tách được ghi lại và giữ nguyên "
        "khi trích xuất lại.",
        "Every document belongs to one organisation: the same name (in capitals, with another "
        "tone placement or abbreviated) under the same parent is one organisation. Renames, "
        "merges and splits are recorded and kept when documents are extracted again.",
    ),
    "org.filter": ("Lọc theo tên (không cần dấu)", "Filter by name (accents optional)"),
    "org.id": ("Số", "No."),
    "org.name": ("Tên", "Name"),
    "org.parent": ("Cơ quan cấp trên", "Parent"),
    "org.place": ("Địa danh", "Place"),
    "org.documents": ("Văn bản", "Documents"),
    "org.aliases": ("Các cách viết", "Spellings"),
    "org.merged": ("Đã gộp vào đây", "Merged into it"),
    "org.none": ("Chưa có cơ quan nào.", "No organisation yet."),
    "org.rename": ("Đổi tên", "Rename"),
    "org.new_name": ("Tên mới", "New name"),
    "org.merge": ("Gộp vào", "Merge into"),
    "org.merge_button": ("Gộp", "Merge"),
    "org.split": ("Tách ra", "Split off"),
    "org.author": ("Người sửa", "Your name"),
    "org.note": ("Ghi chú", "Note"),
    "org.edits": ("Lịch sử sửa", "Edits"),
    "org.edit.action": ("Thao tác", "Action"),
    "org.edit.what": ("Cơ quan", "Organisation"),
    "org.edit.into": ("Gộp vào", "Into"),
    "org.edit.by": ("Người sửa", "By"),
    "org.edit.at": ("Lúc", "At"),
    "org.edit.undone": ("đã hoàn tác", "undone"),
    "org.undo": ("Hoàn tác", "Undo"),
    "org.action.rename": ("đổi tên", "rename"),
    "org.action.merge": ("gộp", "merge"),
    "org.action.split": ("tách", "split"),
    "org.renamed": ("Đã đổi tên (sửa số {id}).", "Renamed (edit {id})."),
    "org.merged_done": ("Đã gộp (sửa số {id}).", "Merged (edit {id})."),
    "org.split_done": ("Đã tách (sửa số {id}).", "Split off (edit {id})."),
    "org.undone": ("Đã hoàn tác sửa số {id}.", "Edit {id} undone."),
    "org.error.unknown": (
        "Không có cơ quan “{ref}”; xem `baocao organisations list`.",
        "No organisation “{ref}”; see `baocao organisations list`.",
    ),
    "org.error.ambiguous": (
        "“{ref}” ứng với {n} cơ quan; hãy dùng số của một cơ quan (`baocao organisations list`).",
        "“{ref}” names {n} organisations; give one's number (`baocao organisations list`).",
    ),
    "org.error.author": (
        "Hãy ghi tên người sửa (1 đến {n} ký tự).",
        "Give your name (1 to {n} characters).",
    ),
    "org.error.name": (
        "Hãy ghi tên mới (1 đến {n} ký tự).",
        "Give the new name (1 to {n} characters).",
    ),
    "org.error.same": (
        "“{ref}” và “{into}” đã là một cơ quan.",
        "“{ref}” and “{into}” are already one organisation.",
    ),
    "org.error.not_merged": (
        "“{ref}” không được gộp vào cơ quan nào.",
        "“{ref}” is not merged into another organisation.",
    ),
    "org.error.no_edit": (
        "Không có sửa số {id} để hoàn tác; xem `baocao organisations edits`.",
        "No edit {id} to undo; see `baocao organisations edits`.",
    ),
    # the frame of every page
    "nav.archive": ("Kho văn bản", "Archive"),
    "nav.cites": ("Trích dẫn", "Citations"),
    "nav.compare": ("So sánh", "Compare"),
    "nav.corrections": ("Hiệu chỉnh", "Corrections"),
    "mode.edits": ("được sửa", "edits allowed"),
    "mode.read_only": ("chỉ đọc", "read-only"),
    "back_to_archive": ("Về kho văn bản", "Back to the archive"),
    # the archive
    "archive.title": ("Kho văn bản", "Archive"),
    "archive.search": (
        "Tìm trong văn bản (không cần dấu; dấu phẩy tách các cụm từ)",
        "Search the text (accents optional; commas separate phrases)",
    ),
    "archive.all": ("tất cả", "all"),
    "archive.outcome": ("Kết quả nhập", "Import outcome"),
    "archive.imported": ("văn bản đã nhập", "imported documents"),
    "archive.failed_option": ("tệp lỗi ({n})", "failed files ({n})"),
    "archive.show": ("Xem", "Show"),
    "archive.reset": ("bỏ lọc", "reset"),
    "archive.failed_title": ("Tệp không nhập được ({n})", "Files that failed to import ({n})"),
    "archive.no_failure": ("Không có tệp nào lỗi.", "No file failed."),
    "archive.shortened": (
        "Câu tìm kiếm dài quá {n} ký tự: chỉ {n} ký tự đầu được dùng.",
        "The query was longer than {n} characters: only its first {n} were used.",
    ),
    "archive.hits": ("{n} văn bản có “{q}”", "{n} document holds “{q}”|{n} documents hold “{q}”"),
    "archive.total": ("{n} văn bản", "{n} document|{n} documents"),
    "archive.failed_link": (
        "{n} tệp không nhập được",
        "{n} file failed to import|{n} files failed to import",
    ),
    "archive.page": ("Trang {page}/{pages}:", "Page {page} of {pages}:"),
    "archive.previous": ("trang trước", "previous"),
    "archive.next": ("trang sau", "next"),
    # column heads and labels
    "col.document": ("Văn bản", "Document"),
    "col.type": ("Loại", "Type"),
    "col.issuer": ("Cơ quan ban hành", "Issuer"),
    "col.identifier": ("Số, ký hiệu", "Identifier"),
    "col.date": ("Ngày", "Date"),
    "col.period": ("Kỳ báo cáo", "Period"),
    "col.format": ("Định dạng", "Format"),
    "col.file": ("Tệp", "File"),
    "col.code": ("Mã", "Code"),
    "col.reason": ("Lý do", "Reason"),
    "col.when": ("Thời điểm (UTC)", "When (UTC)"),
    "col.matches": ("Số lần khớp", "Matches"),
    "col.first_match": ("Chỗ khớp đầu tiên", "First match"),
    "col.who": ("Người sửa", "Who"),
    "col.fact": ("Dữ kiện", "Fact"),
    "col.action": ("Thao tác", "Action"),
    "col.change": ("Thay đổi và ghi chú", "Change and note"),
    "col.status": ("Tình trạng", "Status"),
    "col.citing": ("Văn bản trích dẫn", "Citing document"),
    "col.citations": ("Trích dẫn", "Citations"),
    "col.kind": ("Loại văn bản", "Kind"),
    "col.citing_documents": ("Số văn bản trích dẫn", "Citing documents"),
    "col.mentions": ("Số lần nhắc", "Mentions"),
    # citations
    "cites.title": ("Văn bản nào trích dẫn…", "Which reports cite…"),
    "cites.identifier": ("Số, ký hiệu", "Identifier"),
    "cites.year": ("Năm (không bắt buộc)", "Year (optional)"),
    "cites.find": ("Tìm trích dẫn", "Find citations"),
    "cites.in_archive": ("Có trong kho:", "In the archive:"),
    "cites.not_in_archive": (
        "{identifier} không có trong kho.",
        "{identifier} itself is not in the archive.",
    ),
    "cites.citing": (
        "{n} văn bản trích dẫn {identifier} ({m} lần)",
        "{n} document cites {identifier} ({m} mentions)|{n} documents cite {identifier} ({m} mentions)",
    ),
    "cites.most_cited": ("Văn bản được trích dẫn nhiều nhất", "Most cited documents"),
    "cites.none_yet": (
        "Chưa văn bản nào trong kho trích dẫn văn bản khác.",
        "No document of the archive cites another yet.",
    ),
    # corrections
    "corrections.title": ("Hiệu chỉnh ({n})", "Corrections ({n})"),
    "corrections.about": (
        "Mọi hiệu chỉnh trong kho, ai làm, khi nào, và nay ra sao với dữ kiện hiện có: applied (đã áp dụng); changed (quy tắc nay đọc ra giá trị khác, nên xác nhận hay bác bỏ không còn giữ); orphaned (đoạn văn bản không còn trong văn bản); superseded (có hiệu chỉnh sau cho cùng dữ kiện).",
        "Every correction made in this archive, with who made it and when, and what became of it in the current facts: applied; changed (the rules now read another value, so a confirmation or rejection no longer holds); orphaned (its text is no longer in the document); superseded (a later correction of the same fact).",
    ),
    "corrections.csv": ("Tải về dạng CSV", "Download as CSV"),
    "corrections.none": ("Chưa có hiệu chỉnh nào.", "No corrections yet."),
    "corrections.start_edits": (
        "Chạy <code>baocao web --allow-edits</code> để hiệu chỉnh.",
        "Start <code>baocao web --allow-edits</code> to make some.",
    ),
    # compare
    "compare.title": ("So sánh chỉ tiêu giữa các kỳ", "Compare metrics across periods"),
    "compare.not_ready": (
        "Chức năng so sánh chưa có trong phiên bản này.",
        "Comparison is not available in this version.",
    ),
    "compare.metrics": ("Chỉ tiêu (chọn một hay nhiều)", "Metrics (choose one or more)"),
    "compare.filter": ("Lọc chỉ tiêu", "Filter metrics"),
    "compare.filter_hint": ("vd. doanh thu, ket nap", "e.g. doanh thu, ket nap"),
    "compare.since": ("So với kỳ {period}", "Since {period}"),
    "compare.from": ("Từ kỳ", "From"),
    "compare.to": ("Đến kỳ", "To"),
    "compare.button": ("So sánh", "Compare"),
    "compare.csv": ("Tải CSV", "Download CSV"),
    "compare.xlsx": ("Tải XLSX", "Download XLSX"),
    "compare.empty": (
        "Không có giá trị nào của các chỉ tiêu này trong các văn bản và kỳ đã chọn.",
        "No value of these metrics in the chosen documents and periods.",
    ),
    "compare.table": ("Bảng", "Table"),
    # a document
    "doc.who_cites": ("văn bản nào trích dẫn", "who cites it"),
    "doc.place_date": ("Địa danh, ngày", "Place, date"),
    "doc.bytes": ("byte", "bytes"),
    "doc.download": ("tải bản gốc", "download the original"),
    "doc.gone": ("bản gốc không còn ở {source}", "the original is no longer at {source}"),
    "doc.imported": ("Nhập lúc", "Imported"),
    "doc.rules": ("quy tắc", "rules"),
    "doc.views": ("Xem", "Views"),
    "doc.displacy": ("trang soát xét displaCy", "displaCy review page"),
    "doc.facts_csv": ("dữ kiện dạng CSV:", "facts as CSV:"),
    "doc.findings": ("Phát hiện về tính nhất quán ({n})", "Consistency findings ({n})"),
    "doc.no_finding": ("Không có.", "None found."),
    "doc.cited_by": ("Được trích dẫn bởi ({n})", "Cited by ({n})"),
    "doc.citations_count": ("{n} trích dẫn", "{n} citation|{n} citations"),
    "doc.not_cited": (
        "Chưa văn bản nào trong kho trích dẫn văn bản này.",
        "No document in the archive cites this one.",
    ),
    "doc.no_identifier": ("(văn bản không có số, ký hiệu)", "(it has no identifier)"),
    "doc.text_and_facts": ("Văn bản và dữ kiện", "Text and facts"),
    "doc.legend_help": (
        "Bấm vào đoạn tô màu để tới dữ kiện của nó; bấm vào dữ kiện để tới đoạn văn bản.",
        "Click a highlight to find its fact; click a fact to find its text.",
    ),
    "doc.by": ("{status}, {who}, {when}", "{status} by {who}, {when}"),
    "doc.in_archive": ("có trong kho:", "in the archive:"),
    "doc.review": ("soát xét", "review"),
    "doc.none": ("không có", "none"),
    "doc.add_title": ("Thêm dữ kiện quy tắc bỏ sót", "Add a fact the rules missed"),
    "doc.add_kind": ("Thêm: {label}", "Add {label}"),
    "doc.find": ("Đoạn văn bản, đúng như trong văn bản", "Its text, exactly as in the document"),
    "doc.near": ("Gần vị trí", "Near offset"),
    "doc.add": ("Thêm", "Add"),
    "doc.corrections": ("Hiệu chỉnh ({n})", "Corrections ({n})"),
    "doc.at": ("tại {n}", "at {n}"),
    # a fact
    "fact.in": ("{label} trong {file}", "{label} in {file}"),
    "fact.text": ("Đoạn văn bản", "Text"),
    "fact.characters": ("ký tự {start}–{end}", "characters {start}–{end}"),
    "fact.sentence": ("Câu", "Sentence"),
    "fact.section": ("Mục", "Section"),
    "fact.rule": ("Quy tắc", "Rule"),
    "fact.review": ("Soát xét", "Review"),
    "fact.not_reviewed": ("chưa soát xét", "not reviewed"),
    "fact.correct": ("Hiệu chỉnh", "Correct it"),
    "fact.note": ("Ghi chú", "Note"),
    "fact.save": ("Lưu hiệu chỉnh", "Save edit"),
    "fact.confirm_as_is": ("Xác nhận như đã trích", "Confirm as extracted"),
    "fact.read_only": (
        "Chỉ đọc: chạy <code>baocao web --allow-edits</code> để hiệu chỉnh dữ kiện.",
        "Read-only: start <code>baocao web --allow-edits</code> to correct facts.",
    ),
    # forms
    "form.name": ("Tên người soát xét", "Your name"),
    "form.confirm": ("Xác nhận", "Confirm"),
    "form.reject": ("Bác bỏ", "Reject"),
    "form.edit": ("sửa…", "edit…"),
    # kinds of fact
    "kind.references": ("Văn bản được trích dẫn", "Cited documents"),
    "kind.dates": ("Ngày tháng", "Dates"),
    "kind.periods": ("Kỳ", "Periods"),
    "kind.quantities": ("Số liệu", "Quantities"),
    "kind.awards": ("Khen thưởng", "Awards"),
    "kind.findings": ("Phát hiện", "Findings"),
    # the columns of a fact a person sees and edits
    "field.identifier": ("Số, ký hiệu", "identifier"),
    "field.number": ("Số", "number"),
    "field.symbol": ("Ký hiệu", "symbol"),
    "field.year": ("Năm", "year"),
    "field.style": ("Kiểu ký hiệu", "style"),
    "field.doc_type": ("Loại văn bản", "kind of document"),
    "field.date": ("Ngày", "date"),
    "field.issuer": ("Cơ quan ban hành", "issuer"),
    "field.subject": ("Trích yếu", "subject"),
    "field.correction": ("Đính chính", "correction"),
    "field.value": ("Giá trị", "value"),
    "field.period_key": ("Mã kỳ", "period key"),
    "field.period_start": ("Từ ngày", "from"),
    "field.period_end": ("Đến ngày", "to"),
    "field.label": ("Cách ghi", "label"),
    "field.kind": ("Loại kỳ", "kind of period"),
    "field.unit": ("Đơn vị tính", "unit"),
    "field.qualifier": ("Từ định lượng", "qualifier"),
    "field.of_total": ("Trên tổng số", "of a total of"),
    "field.verb": ("Việc đã làm", "what was done"),
    "field.refers_to_key": ("Kỳ của số liệu", "period the figure refers to"),
    "field.refers_to_start": ("Ngày đầu kỳ của số liệu", "first day of the figure's period"),
    "field.refers_to_end": ("Ngày cuối kỳ của số liệu", "last day of the figure's period"),
    "field.refers_to_text": ("Cụm từ chỉ kỳ", "words that name the period"),
    "field.title": ("Danh hiệu, hình thức", "title"),
    "field.category": ("Loại khen thưởng", "category"),
    "field.recipient_kind": ("Đối tượng", "recipients"),
    "field.count": ("Số lượng", "count"),
    "field.authority": ("Cấp khen", "awarded by"),
    "field.code": ("Mã", "code"),
    "field.message": ("Nội dung", "message"),
    # the columns of comparison exports (CSV, XLSX, HTML): the label before the metric's key
    "export.organisation": ("Cơ quan/đơn vị", "organisation"),
    "export.aligned": ("Ghép vào chuỗi", "joined into series"),
    "export.label": ("Chỉ tiêu", "label"),
    "export.metric": ("Mã chỉ tiêu", "metric"),
    "export.unit": ("Đơn vị tính", "unit"),
    "export.period_key": ("Kỳ", "period_key"),
    "export.period_start": ("Từ ngày", "period_start"),
    "export.period_end": ("Đến ngày", "period_end"),
    "export.period_kind": ("Loại kỳ", "period_kind"),
    "export.value": ("Giá trị", "value"),
    "export.conflict": ("Không khớp", "conflict"),
    "export.values": ("Các giá trị", "values"),
    "export.documents": ("Văn bản", "documents"),
    "export.change": ("Thay đổi", "change"),
    "export.pct_change": ("% thay đổi", "pct_change"),
    "export.compared_with": ("So với kỳ", "compared_with"),
    "export.refers_to": ("Số liệu của kỳ khác", "refers_to"),
    "export.period": ("Kỳ", "period"),
    "export.cell_value": ("Giá trị của ô", "cell value"),
    "export.document_value": ("Giá trị theo văn bản này", "this document's value"),
    "export.document": ("Văn bản", "document"),
    "export.source": ("Tệp nguồn", "source"),
    "export.section": ("Mục", "section"),
    "export.sentence": ("Câu", "sentence"),
    "export.text": ("Đoạn văn bản", "text"),
    "export.column": ("Cột", "column"),
    "export.role": ("Vai trò", "role"),
    "export.rule": ("Quy tắc chỉ tiêu", "rule"),
    "export.fact_rule": ("Quy tắc trích xuất", "fact rule"),
    "export.start": ("Từ ký tự", "start"),
    "export.end": ("Đến ký tự", "end"),
    "export.sheet_table": ("Bảng", "table"),
    "export.sheet_provenance": ("Nguồn", "provenance"),
    "export.disagree": ("các văn bản không khớp: {note}", "documents disagree: {note}"),
    "export.html_heads": (
        "Kỳ;Loại kỳ;Giá trị;Thay đổi;%;So với kỳ",
        "Period;Kind;Value;Change;%;Compared with",
    ),
    "export.html_meta": (
        "{metrics} chỉ tiêu · kỳ: {periods} · {conflicts} ô có số liệu không khớp giữa các tài liệu · tạo lúc {at}",
        "{metrics} metrics · periods: {periods} · {conflicts} cells where documents disagree · made {at}",
    ),
    # the kinds of reporting period
    "period.half": ("6 tháng", "half-year"),
    "period.year": ("năm", "year"),
    "period.quarter": ("quý", "quarter"),
    "period.month": ("tháng", "month"),
    "period.months": ("nhiều tháng", "months"),
    "period.school_year": ("năm học", "school year"),
    "period.term": ("học kỳ", "term"),
    "period.range": ("khoảng thời gian", "range"),
    # what the `baocao` commands tell archivists in the terminal (operators' logs stay English)
    "cli.failed": ("không đọc được: {line}", "failed: {line}"),
    "cli.more_failures": (
        "... và {n} tệp lỗi khác: baocao runs --run {run}",
        "... and {n} more failures: baocao runs --run {run}",
    ),
    "cli.finding_files": ("đang tìm tệp", "finding files"),
    "cli.starting_prefect": ("đang khởi động Prefect", "starting Prefect"),
    "cli.importing": (
        "đang nhập: {ok} xong, {skipped} bỏ qua, {failed} lỗi",
        "importing: {ok} ok, {skipped} skipped, {failed} failed",
    ),
    "cli.summary": (
        "lần nhập {run}: {files} tệp, {ok} đã nhập, {skipped} bỏ qua (đã có), {failed} lỗi, "
        "trong {seconds:.1f} giây",
        "import run {run}: {files} files, {ok} loaded, {skipped} skipped, {failed} failed in "
        "{seconds:.1f} s",
    ),
    "cli.start_up": (
        "  (việc nhập {seconds:.1f} giây; còn lại là thời gian khởi động)",
        "  (the import itself {seconds:.1f} s; the rest was start-up)",
    ),
    "cli.facts_loaded": ("dữ kiện đã nạp: {facts}", "facts loaded: {facts}"),
    "cli.database": ("cơ sở dữ liệu: {db}", "database: {db}"),
    "cli.log": ("nhật ký: {path}", "log: {path}"),
    "cli.stopped": ("việc nhập dừng: {reason}", "the import stopped: {reason}"),
    "cli.no_prefect_hint": (
        " (để chạy không cần Prefect, thêm --no-prefect; chi tiết trong {log})",
        " (to run without Prefect, add --no-prefect; details in {log})",
    ),
    "cli.interrupted_early": (
        "việc nhập bị {signal} ngắt trước khi bắt đầu",
        "import interrupted by {signal} before it started",
    ),
    "cli.interrupted": (
        "lần nhập {run} bị {signal} ngắt sau {done}/{total} tệp; chạy lại đúng lệnh này để nhập "
        "phần còn lại",
        "import run {run} interrupted by {signal} after {done} of {total} files; run the same "
        "command again to import the rest",
    ),
    "cli.watching": (
        "theo dõi {folder} mỗi {interval:g} giây; Ctrl-C hoặc SIGTERM để dừng; nhật ký: {log}",
        "watching {folder} every {interval:g} s; Ctrl-C or SIGTERM stops; log: {log}",
    ),
    "cli.imported": (
        "đã nhập {files} tệp: {ok} đã nhập, {skipped} bỏ qua, {failed} lỗi (lần nhập {run})",
        "imported {files} files: {ok} loaded, {skipped} skipped, {failed} failed (run {run})",
    ),
    "cli.stopped_by": ("đã dừng do {signal}", "stopped by {signal}"),
    "cli.stopped_plain": ("đã dừng", "stopped"),
    "cli.no_runs": ("chưa có lần nhập nào", "no import runs yet"),
    "cli.no_run": (
        "không có lần nhập nào có mã bắt đầu bằng {run!r}",
        "no run starts with {run!r}",
    ),
    "cli.runs_title": ("các lần nhập", "import runs"),
    "cli.failed_files": ("tệp lỗi", "failed files"),
    "cli.file_outcomes": ("kết quả từng tệp", "file outcomes"),
    "cli.runs_heads": (
        "lần nhập;bắt đầu (UTC);kết thúc;tình trạng;tệp;đã nhập;bỏ qua;lỗi;thư mục",
        "run;started (UTC);finished;status;files;ok;skipped;failed;paths",
    ),
    "cli.outcome_heads": ("lần nhập;kết quả;nội dung", "run;status;message"),
    "cli.no_facts": ("chưa có {kind} nào trong kho", "no {kind} stored"),
    "cli.no_facts_document": (
        "văn bản {document} không có {kind} nào",
        "no {kind} stored for document {document}",
    ),
    "cli.no_findings": ("không có phát hiện nào", "no findings"),
    "cli.no_findings_document": (
        "văn bản {document} không có phát hiện nào",
        "no findings for document {document}",
    ),
    "cli.no_database": (
        "không có cơ sở dữ liệu ở {path}; hãy nhập tệp bằng `baocao ingest` trước, hoặc chỉ rõ --db",
        "no database at {path}; import files with `baocao ingest` first, or give --db",
    ),
    "cli.no_metric_values": (
        "không tìm thấy giá trị chỉ tiêu nào{who}; kiểm tra cơ quan và chỉ tiêu, hoặc nhập văn bản "
        "trước",
        "no metric values found{who}; check the issuer and metrics, or import reports first",
    ),
    "cli.for_issuer": (" của cơ quan {issuer!r}", " for issuer {issuer!r}"),
    "cli.wrote": ("đã ghi {path}", "wrote {path}"),
    "cli.nothing_written": (
        "không trích xuất được tệp nào; không ghi gì",
        "no file could be extracted; nothing written",
    ),
    "cli.cannot_write": ("không ghi được: {error}", "cannot write output: {error}"),
    "cli.web_serving": (
        "{url} ({mode}); Ctrl+C để dừng",
        "{url} ({mode}); Ctrl+C to stop",
    ),
    "cli.web_exposed": (
        "đang phục vụ trên {host}, không phải loopback: ai tới được máy này cũng đọc được kho",
        "serving on {host}, not loopback: anyone who can reach this machine can read the archive",
    ),
    "cli.web_exposed_edits": (
        "đang phục vụ trên {host}, không phải loopback: ai tới được máy này cũng đọc được kho và "
        "sửa được dữ kiện",
        "serving on {host}, not loopback: anyone who can reach this machine can read the archive "
        "and change its facts",
    ),
    "cli.web_no_db": (
        "không mở được cơ sở dữ liệu: {reason}",
        "cannot open the database: {reason}",
    ),
    "cli.web_cannot": (
        "không phục vụ được trên {where}: {reason}",
        "cannot serve on {where}: {reason}",
    ),
    "cli.web_in_use": ("cổng đang bận", "address in use"),
    "review.applied": ("đã áp dụng", "applied"),
    "review.changed": ("quy tắc đã đổi", "changed"),
    "review.orphaned": ("mất chỗ neo", "orphaned"),
    "review.superseded": ("đã thay", "superseded"),
    "review.confirmed": ("đã xác nhận", "confirmed"),
    "review.edited": ("đã sửa", "edited"),
    "review.added": ("đã thêm", "added"),
    "review.rejected": ("đã loại", "rejected"),
    "action.confirm": ("xác nhận", "confirm"),
    "action.reject": ("loại", "reject"),
    "action.edit": ("sửa", "edit"),
    "action.add": ("thêm", "add"),
    "reason.rules_changed": ("quy tắc nay đọc ra giá trị khác", "the rules now read another value"),
    "reason.text_gone": (
        "đoạn chữ không còn trong văn bản",
        "its text is no longer in the document",
    ),
    "reason.own_fact": ("giữ thành một dữ kiện riêng", "kept as a fact of its own"),
    "reason.replaced_by": ("đã được #{n} thay", "replaced by #{n}"),
    "status.completed": ("xong", "completed"),
    "status.failed": ("lỗi", "failed"),
    "status.interrupted": ("bị ngắt", "interrupted"),
    "status.running": ("đang chạy", "running"),
    "status.unknown": ("không rõ", "unknown"),
    "status.ok": ("đã nhập", "ok"),
    "status.skipped": ("bỏ qua", "skipped"),
    "status.error": ("lỗi", "error"),
    # what each error code means, before the reader's own (technical, English) detail
    "error.E001": ("tệp rỗng hoặc không có chữ", "empty, or no text"),
    "error.E002": ("định dạng không hỗ trợ", "unsupported format"),
    "error.E003": ("tệp hỏng", "corrupt file"),
    "error.E004": ("tệp có mật khẩu", "password-protected"),
    "error.E005": ("không nhận ra bảng mã", "unknown character encoding"),
    "error.E006": ("không mở được tệp", "cannot open the file"),
    "error.E007": ("tệp vượt giới hạn an toàn", "refused: over the safety limits"),
    "error.E008": (
        "thiếu chương trình chuyển đổi (chạy scripts/install-system-deps.sh)",
        "a converter is missing (run scripts/install-system-deps.sh)",
    ),
}

# `baocao` commands take --lang; its default is this variable, else Vietnamese.
LANGUAGE_ENV = "BAOCAO_LANG"


def language(requested: str | None, remembered: str | None = None) -> str:
    """The language of a page: the one asked for (`?lang=`), else the one remembered (cookie),
    else Vietnamese."""
    for choice in (requested, remembered):
        if choice in LANGUAGES:
            return choice
    return DEFAULT_LANGUAGE


def text(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The string `key` in `lang`, with `values` put in; an unknown key is shown as itself (a
    missing string must never break a page)."""
    vi, en = STRINGS.get(key, (key, key))
    chosen = vi if lang == "vi" else en
    if "|" in chosen:
        one, other = chosen.split("|", 1)
        chosen = one if values.get("n") == 1 else other
    return chosen.format(**values) if values else chosen


def cli_language() -> str:
    """The default language of the `baocao` commands: $BAOCAO_LANG when it is vi or en, else
    Vietnamese."""
    return language(os.environ.get(LANGUAGE_ENV))


_CODE = re.compile(r"(?<![\w/])(E\d{3}) ")


def failure_line(line: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A file's failure as stored ("path: E003 detail", the detail in English, as the readers
    wrote it) for a person: the code's meaning in `lang` put before the detail."""
    m = _CODE.search(line)
    if not m or f"error.{m.group(1)}" not in STRINGS:
        return text("cli.failed", lang, line=line)
    meaning = text(f"error.{m.group(1)}", lang)
    return text("cli.failed", lang, line=f"{line[: m.end()]}({meaning}) {line[m.end() :]}")


def labels(prefix: str, keys: Mapping[str, object] | list[str], lang: str) -> dict[str, str]:
    """`{key: text(prefix + key)}` for each key: the labels of fact kinds or of columns."""
    return {key: text(f"{prefix}.{key}", lang) for key in keys}


def export_columns(columns: list[str], lang: str) -> list[str]:
    """The heads of a comparison's columns in `lang`: the label first, then the metric's key."""
    return [text(f"export.{c}", lang) for c in columns]


_REASONS = {
    "the rules now read another value": "reason.rules_changed",
    "its text is no longer in the document": "reason.text_gone",
    "kept as a fact of its own": "reason.own_fact",
    "rejected": "review.rejected",
    "confirmed": "review.confirmed",
    "edited": "review.edited",
    "added": "review.added",
}


def correction_reason(reason: str | None, lang: str) -> str:
    """What became of a correction (extractors/corrections.py:Review.reason, in English there)
    in `lang`; a reason not known here is shown as it is."""
    if not reason:
        return ""
    if reason in _REASONS:
        return text(_REASONS[reason], lang)
    replaced = re.fullmatch(r"replaced by #(\d+)", reason)
    if replaced:
        return text("reason.replaced_by", lang, n=replaced.group(1))
    return reason
