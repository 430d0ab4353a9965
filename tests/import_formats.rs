//! `minhbach import` reads what ward offices have: the same resolution (the Đức Giang
//! seed) as a Word file (made here, zip + WordprocessingML, with a page break and an
//! automatically numbered list), as a PDF (printed by headless Chromium from HTML), and
//! as a portal page with its menus; each drafts the targets the plain text does, with
//! the page of the original where the format has pages, and the draft passes `check`.
//! A scan (a PDF with no text) is refused with what to do.

mod common;
use common::*;
use serde_json::Value;
use std::io::Write as _;
use std::path::{Path, PathBuf};

const UNIT: &str = "ha-noi/quan-long-bien/phuong-duc-giang";

fn seed() -> String {
    read(repo().join("tests/import/seeds/002-duc-giang-nghi-quyet-xi.txt"))
}

/// The seed's paragraphs, Markdown marks dropped (a Word file has none).
fn paragraphs() -> Vec<String> {
    seed()
        .lines()
        .map(|l| l.replace("**", "").replace("\\*", "*").trim().trim_start_matches('#').trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A .docx of the seed: one paragraph per line, the items "- (1) …" as Word's own
/// numbered list ("(%1)", so the numbers are not in the text), a page break before
/// the targets.
fn docx(path: &Path) {
    let mut body = String::new();
    for p in paragraphs() {
        if p.starts_with("* Các chỉ tiêu chủ yếu") {
            body.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#);
        }
        let item = p.strip_prefix("- (").and_then(|r| r.split_once(") ")).filter(|(n, _)| n.parse::<u32>().is_ok());
        match item {
            Some((_, text)) => body.push_str(&format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                esc(text)
            )),
            None => body.push_str(&format!(r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#, esc(&p))),
        }
    }
    let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>{body}</w:body></w:document>"#
    );
    let numbering = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {w}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="(%1)"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    );
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let doc_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, text) in [
        ("[Content_Types].xml", types.to_string()),
        ("_rels/.rels", rels.to_string()),
        ("word/_rels/document.xml.rels", doc_rels.to_string()),
        ("word/document.xml", document),
        ("word/numbering.xml", numbering),
    ] {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// The seed as a page of a ward's portal: menus, a header and a footer around it.
fn portal_html() -> String {
    let body: String = paragraphs().iter().map(|p| format!("<p>{}</p>\n", esc(p))).collect();
    format!(
        r#"<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Nghị quyết – Cổng thông tin phường Đức Giang</title><script>var x = "1. Thu ngân sách 99%";</script></head>
<body><header><nav><a href="/">Trang chủ</a> | <a href="/gioi-thieu">Giới thiệu</a> | <a href="/tin-tuc">Tin tức</a></nav></header>
<aside><ul><li>Tin liên quan: Phường tổ chức hội nghị 12 chi bộ</li></ul></aside>
<article><h1>Nghị quyết Đại hội</h1>
{body}</article>
<footer>Lượt xem: 1.234 · Bản quyền thuộc UBND phường</footer></body></html>"#
    )
}

fn import_json(file: &Path) -> Value {
    let run = minhbach()
        .args(["import", "--json", "--unit"])
        .arg(repo().join("content").join(UNIT))
        .arg(file)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}: {}", file.display(), String::from_utf8_lossy(&run.stderr));
    serde_json::from_slice(&run.stdout).unwrap()
}

/// What a draft says of its targets: (id, [(op, value, unit)]).
fn targets(v: &Value) -> Vec<(String, Vec<(String, f64, String)>)> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let ms = i["measures"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    (
                        m["op"].as_str().unwrap().to_string(),
                        m["value"].as_f64().unwrap(),
                        m["unit"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (i["id"].as_str().unwrap().to_string(), ms)
        })
        .collect()
}

/// A copy of the bundled site, the draft imported into it, and `check` run on it.
fn drafts_and_checks(file: &Path) -> String {
    let site = tempfile::tempdir().unwrap();
    let from = repo().join("content");
    for e in walkdir::WalkDir::new(&from).into_iter().map(Result::unwrap) {
        let dest = site.path().join("content").join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
    std::fs::copy(repo().join("minhbach.toml"), site.path().join("minhbach.toml")).unwrap();
    let out = site.path().join("content").join(UNIT).join("imported.md");
    let run = minhbach()
        .args(["import", "--unit"])
        .arg(site.path().join("content").join(UNIT))
        .arg("--out")
        .arg(&out)
        .arg(file)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(run.status.success() && said.starts_with("Drafted "), "{said}{}", String::from_utf8_lossy(&run.stderr));
    let check = minhbach().args(["check", "--root"]).arg(site.path()).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    read(&out)
}

/// `html` printed to `pdf` by headless Chromium, without header and footer lines.
fn print_to_pdf(chrome: &std::path::Path, html: &std::path::Path, pdf: &std::path::Path) -> std::process::Output {
    std::process::Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap()
}

#[test]
fn a_word_file_drafts_what_the_text_does_with_its_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let txt = repo().join("tests/import/seeds/002-duc-giang-nghi-quyet-xi.txt");
    let file = tmp.path().join("nghi-quyet.docx");
    docx(&file);
    let (from_text, from_word) = (import_json(&txt), import_json(&file));
    assert_eq!(targets(&from_word), targets(&from_text), "Word's numbering (1)…(10) read as the text's");
    assert_eq!(targets(&from_word).len(), 10);
    let pages: Vec<u64> = from_word["items"].as_array().unwrap().iter().map(|i| i["page"].as_u64().unwrap()).collect();
    assert!(pages.iter().all(|&p| p == 2), "the targets stand on page 2, after the break: {pages:?}");
    let draft = drafts_and_checks(&file);
    assert!(draft.contains("  - id: \"1\"\n    page: 2\n"), "{draft}");
    assert!(draft.contains("\noriginal: \"nghi-quyet.docx\"\n"), "the Word file beside the draft: {draft}");
    assert!(draft.contains("issued: 2020-05-22") && draft.contains("number: \"01-NQ/ĐH\""));
}

#[test]
fn a_portal_page_drafts_its_document_without_its_menus() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("nghi-quyet.html");
    std::fs::write(&file, portal_html()).unwrap();
    let txt = repo().join("tests/import/seeds/002-duc-giang-nghi-quyet-xi.txt");
    let from_page = import_json(&file);
    assert_eq!(targets(&from_page), targets(&import_json(&txt)));
    let draft = drafts_and_checks(&file);
    for menu in ["Trang chủ", "Lượt xem", "Tin liên quan", "99%"] {
        assert!(!draft.contains(menu), "{menu} is the portal's, not the document's");
    }
}

fn chromium() -> Option<PathBuf> {
    if std::env::var_os("MINHBACH_SKIP_BROWSER").is_some() {
        return None;
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .map(PathBuf::from)
        .find(|c| std::process::Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
}

#[test]
fn a_pdf_printed_from_the_text_drafts_what_the_text_does() {
    let Some(chrome) = chromium() else {
        eprintln!("skipped: no chromium (MINHBACH_SKIP_BROWSER or not installed)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("nghi-quyet.html");
    // One paragraph per line, the targets on a page of their own, as offices print.
    let body: String = paragraphs()
        .iter()
        .map(|p| {
            let brk =
                if p.starts_with("* Các chỉ tiêu chủ yếu") { " style=\"break-before: page\"" } else { "" };
            format!("<p{brk}>{}</p>\n", esc(p))
        })
        .collect();
    std::fs::write(
        &html,
        format!("<!doctype html><html lang=vi><meta charset=utf-8><style>body{{font: 12pt serif}}</style><body>{body}"),
    )
    .unwrap();
    let pdf = tmp.path().join("nghi-quyet.pdf");
    let run = print_to_pdf(&chrome, &html, &pdf);
    assert!(pdf.exists(), "chromium printed no PDF: {}", String::from_utf8_lossy(&run.stderr));
    let txt = repo().join("tests/import/seeds/002-duc-giang-nghi-quyet-xi.txt");
    let from_pdf = import_json(&pdf);
    let (a, b) = (targets(&from_pdf), targets(&import_json(&txt)));
    assert_eq!(a, b, "the PDF's targets are the text's");
    let pages: Vec<u64> = from_pdf["items"].as_array().unwrap().iter().filter_map(|i| i["page"].as_u64()).collect();
    assert!(!pages.is_empty() && pages.iter().all(|&p| p >= 2), "the targets' page in the PDF: {pages:?}");
    let draft = drafts_and_checks(&pdf);
    assert!(
        draft.contains("\noriginal: \"nghi-quyet.pdf\"\n") && draft.contains(&format!("    page: {}\n", pages[0])),
        "{draft}"
    );
    // A scan: pages without text. Said plainly, with what to do.
    let scan = tmp.path().join("scan.html");
    std::fs::write(
        &scan,
        "<!doctype html><body style=\"margin:0\"><div style=\"width:600px;height:800px;background:#888\"></div>",
    )
    .unwrap();
    let scan_pdf = tmp.path().join("scan.pdf");
    print_to_pdf(&chrome, &scan, &scan_pdf);
    let run = minhbach()
        .args(["import", "--json", "--unit"])
        .arg(repo().join("content").join(UNIT))
        .arg(&scan_pdf)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(
        !run.status.success()
            && err.contains("has no text layer")
            && err.contains("--ocr")
            && err.contains("tesseract-ocr-vie"),
        "{err}"
    );
}

#[test]
fn a_file_import_cannot_read_says_what_to_give_it() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("cu.doc");
    std::fs::write(&doc, b"\xd0\xcf\x11\xe0").unwrap();
    let run = minhbach().args(["import", "--unit"]).arg(repo().join("content").join(UNIT)).arg(&doc).output().unwrap();
    let err = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(
        !run.status.success() && err.contains("not a format import reads") && err.contains("save it as .docx"),
        "{err}"
    );
    let not_unit = minhbach()
        .args(["import", "--unit"])
        .arg(tmp.path())
        .arg(repo().join("tests/import/seeds/002-duc-giang-nghi-quyet-xi.txt"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&not_unit.stderr).contains("is not a unit folder"));
    // An existing file is not replaced without --force.
    let unit = tempfile::tempdir().unwrap();
    let content = unit.path().join("content/x");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("_index.md"), "---\nname: X\nlevel: phường\n---\n").unwrap();
    let out = content.join("a.md");
    std::fs::write(&out, "mine").unwrap();
    let run = minhbach()
        .args(["import", "--unit"])
        .arg(&content)
        .arg("--out")
        .arg(&out)
        .arg(repo().join("tests/import/seeds/002-duc-giang-nghi-quyet-xi.txt"))
        .output()
        .unwrap();
    assert!(!run.status.success() && String::from_utf8_lossy(&run.stderr).contains("--force"));
    assert_eq!(read(&out), "mine", "nothing is lost");
}

#[test]
fn a_review_s_results_are_linked_to_the_unit_s_targets_where_one_matches() {
    let tmp = tempfile::tempdir().unwrap();
    let review = tmp.path().join("bao-cao.txt");
    std::fs::write(
        &review,
        "ĐẢNG ỦY PHƯỜNG 14\n\nSố 45-BC/ĐU\nPhường 14, ngày 10 tháng 6 năm 2023\n\nBÁO CÁO\nSơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội Đảng bộ phường lần thứ XIV, nhiệm kỳ 2020 - 2025\n\n\
         Tỷ lệ hộ nghèo đến cuối năm 2022 là 0,4%, đạt chỉ tiêu Nghị quyết.\nTỷ lệ thất nghiệp 2,5%, chưa đạt chỉ tiêu.\n\
         Kết nạp 12 đảng viên mới, đạt tỷ lệ 60% so với Nghị quyết.\n",
    )
    .unwrap();
    let site = tempfile::tempdir().unwrap();
    let from = repo().join("content");
    for e in walkdir::WalkDir::new(&from).into_iter().map(Result::unwrap) {
        let dest = site.path().join("content").join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
    std::fs::copy(repo().join("minhbach.toml"), site.path().join("minhbach.toml")).unwrap();
    let unit = site.path().join("content/tp-ho-chi-minh/quan-go-vap/phuong-14");
    let out = unit.join("bao-cao-so-ket.md");
    minhbach().args(["import", "--unit"]).arg(&unit).arg("--out").arg(&out).arg(&review).assert().success();
    let draft = read(&out);
    let xiv = "tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv";
    assert!(
        draft.contains(&format!("- target: \"{xiv}#1.2.1\"\n    label: \"Tỷ lệ hộ nghèo\"\n    value: \"0,4\"")),
        "{draft}"
    );
    assert!(draft.contains("covers: 2022") && draft.contains("verdict: met") && draft.contains("verdict: not-met"));
    assert!(
        draft.contains(&format!("target: \"{xiv}#1.2.2\"")) && draft.contains("share_of_target: \"60\""),
        "{draft}"
    );
    assert!(
        draft.contains("kind: review")
            && draft.contains("issued: 2023-06-10")
            && draft.contains("number: \"45-BC/ĐU\"")
    );
    // With the draft published, its results reach the resolution's page.
    std::fs::write(&out, draft.replace("\ndraft: true\n", "\n")).unwrap();
    let public = site.path().join("public");
    minhbach().args(["build", "--root"]).arg(site.path()).arg("--output").arg(&public).assert().success();
    let page = read(public.join(xiv).join("index.html"));
    assert!(
        page.contains("Tỷ lệ hộ nghèo đến cuối năm 2022 là 0,4%, đạt chỉ tiêu Nghị quyết."),
        "the result is on the target's page"
    );
}
