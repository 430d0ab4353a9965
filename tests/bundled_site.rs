//! The bundled site (content/ built from the seeds): every unit and document has its
//! page, every target of every seed is in a target table with a status, the pages cite
//! their sources, and two builds are byte-identical.

mod common;
use common::*;
use std::collections::BTreeMap;

/// A build of its own, for the test that compares two builds; the others read `bundled()`.
fn build_bundled() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    minhbach().args(["build", "--root"]).arg(repo()).arg("--output").arg(&out).assert().success();
    (tmp, out)
}

/// Target ids listed in a document's front matter (the `- id:` lines under `targets:`).
fn target_ids(md: &str) -> Vec<String> {
    let fm = md.split("\n---\n").next().unwrap();
    let mut in_targets = false;
    let mut ids = Vec::new();
    for line in fm.lines() {
        if !line.is_empty() && !line.starts_with([' ', '-', '#']) {
            in_targets = line.starts_with("targets:");
        }
        if in_targets && let Some(rest) = line.strip_prefix("  - id: ") {
            ids.push(rest.trim().trim_matches('"').to_string());
        }
    }
    ids
}

#[test]
fn every_unit_and_document_has_its_page() {
    let out = bundled();
    let content = repo().join("content");
    let mut docs = 0;
    for e in walkdir::WalkDir::new(&content) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&content).unwrap().to_string_lossy().into_owned();
        if rel.ends_with("_index.md") {
            let page = out.join(rel.trim_end_matches("_index.md")).join("index.html");
            assert!(page.exists(), "no page for unit {rel}");
            let md = read(e.path());
            let name = md.lines().find_map(|l| l.strip_prefix("name: ")).unwrap().trim_matches('"');
            assert!(read(&page).contains(&format!("<h1>{name}</h1>")), "unit page of {rel} lacks its name");
        } else if rel.ends_with(".md") {
            docs += 1;
            let page = out.join(rel.trim_end_matches(".md")).join("index.html");
            assert!(page.exists(), "no page for document {rel}");
        }
    }
    assert!(docs >= 5, "the five seeds are in content/");
    assert!(out.join("index.html").exists());
    assert!(out.join("404.html").exists());
    assert!(read(out.join("trang-thai/index.html")).contains("Cách tính trạng thái"));
}

#[test]
fn every_target_of_every_seed_is_in_a_target_table_with_a_status() {
    let out = bundled();
    let expected: BTreeMap<&str, usize> = [
        // Phường 14: 18 targets + 6 key works.
        ("tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv", 24),
        // Phường 12: 23 targets + 2 key programs + 4 key works.
        ("tp-ho-chi-minh/quan-go-vap/phuong-12/chuong-trinh-hanh-dong-01", 29),
        // Đức Giang: 10 targets.
        ("ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi", 10),
    ]
    .into();
    let content = repo().join("content");
    for e in walkdir::WalkDir::new(&content) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&content).unwrap().to_string_lossy().into_owned();
        if !rel.ends_with(".md") || rel.ends_with("_index.md") {
            continue;
        }
        let path = rel.trim_end_matches(".md");
        let ids = target_ids(&read(e.path()));
        if let Some(&n) = expected.get(path) {
            assert_eq!(ids.len(), n, "{path}: targets in front matter");
        }
        let html = read(out.join(path).join("index.html"));
        for id in &ids {
            let anchor = format!("<tr id=\"chi-tieu-{id}\"");
            let start = html.find(&anchor).unwrap_or_else(|| panic!("{path}: target {id} is not in the table"));
            let row_end = start + html[start..].find("</tr>").unwrap();
            let row = &html[start..row_end];
            assert!(row.contains("class=\"status status-"), "{path}: target {id} has no status: {row}");
        }
    }
}

#[test]
fn document_page_cites_its_source_and_formats_numbers_the_vietnamese_way() {
    let out = bundled();
    let html = read(out.join("ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi/index.html"));
    assert!(html.contains("01-NQ/ĐH"), "number");
    assert!(html.contains("22/5/2020"), "issued date");
    assert!(html.contains("Thông tin văn bản"), "citation block");
    assert!(html.contains("từ 10 đến 12"), "range target in plain Vietnamese");
    let p14 = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv/index.html"));
    assert!(p14.contains("dưới 0,5%"), "decimal comma");
    assert!(p14.contains("ít nhất 700 giếng khoan"), "count with unit");
    // The previous term's footnote result, judged against its 50% target.
    let p13 = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiii/index.html"));
    assert!(p13.contains("107/283"), "fraction shown as written");
    assert!(p13.contains("status status-not-met"), "37,8% < 50% is not met");
}

#[test]
fn pages_say_what_the_documents_say_and_no_more() {
    let out = bundled();
    // A document known only from another's footnote: no invented date, and its target
    // in the editor's words is labelled so.
    let p13 = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiii/index.html"));
    assert!(p13.contains("<dt>Ngày ban hành</dt><dd>chưa rõ</dd>"), "unknown issue date");
    assert!(!p13.contains("datetime=\"2015\""), "no made-up date");
    assert!(p13.contains("Tóm tắt của người biên tập, không phải nguyên văn"), "editor's summary labelled");
    let ward = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/index.html"));
    assert!(ward.contains("ngày ban hành chưa rõ"), "the ward's list says the date is unknown");
    // The document's own share beside the computed one.
    let p14 = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv/index.html"));
    assert!(p14.contains("107/283 (37,8% theo văn bản; tính ra 37,81%)"), "written and computed share");
    // A bound stays a bound; a year-end figure in a May report says which year it is for.
    let review = read(out.join("quang-ngai/thi-xa-duc-pho/phuong-pho-hoa/bao-cao-so-ket-giua-nhiem-ky/index.html"));
    assert!(review.contains("<strong>trên 98%</strong>"), "bound result");
    assert!(
        review.contains("số liệu năm 2022, công bố <time datetime=\"2023-05-18\">18/5/2023</time>"),
        "period covered"
    );
    // The open data says it too: the bound's op and the period a figure covers.
    let zip = unzip(&std::fs::read(out.join("data/quang-ngai/csv.zip")).unwrap());
    let (_, results) = zip.iter().find(|(n, _)| n.ends_with("results.csv")).expect("results.csv");
    let mut rows = csv::Reader::from_reader(&results[..]);
    let head = rows.headers().unwrap().clone();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap_or_else(|| panic!("no column {n}"));
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let bound = rows.iter().find(|r| r[col("quote")].contains("đều đạt trên 98%")).expect("the bound's row");
    assert_eq!((&bound[col("bound")], &bound[col("value")]), (">", "98"));
    let poor = rows.iter().find(|r| r[col("quote")].starts_with("Tỷ lệ hộ nghèo đến cuối năm 2022")).unwrap();
    assert_eq!((&poor[col("as_of")], &poor[col("covers")]), ("2023-05-18", "2022-12-31"));
    // The indicator key with a typo moved; its old address leads to the new page.
    let old = read(out.join("chi-so/to-dan-pho-an-toan-anh-tt/index.html"));
    assert!(
        old.contains("<meta http-equiv=\"refresh\" content=\"0; url=/chi-so/to-dan-pho-an-toan-an-ninh-trat-tu/\">"),
        "{old}"
    );
    assert!(out.join("chi-so/to-dan-pho-an-toan-an-ninh-trat-tu/index.html").exists());
}

#[test]
fn phuong_14_resolution_has_its_groups_with_their_counts() {
    let out = bundled();
    let html = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv/index.html"));
    for g in [
        "Về kinh tế - đô thị",
        "Về văn hóa - xã hội",
        "Về quốc phòng và an ninh",
        "Về xây dựng Đảng và hệ thống chính trị",
        "Các công trình trọng điểm",
    ] {
        assert!(html.contains(g), "group {g}");
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let (_b, out_b) = build_bundled();
    let (ta, tb) = (tree(bundled()), tree(&out_b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between two builds");
    }
}

#[test]
fn check_passes_on_the_bundled_site() {
    minhbach()
        .args(["check", "--root"])
        .arg(repo())
        .assert()
        .success()
        .stdout(predicates::str::contains("No problems"));
}

/// The counts by status that a page prints first after `marker` (status_counts).
fn counts_after<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let start = at + html[at..].find("<ul class=\"status-counts\">").unwrap();
    &html[start..start + html[start..].find("</ul>").unwrap()]
}

#[test]
fn a_unit_page_summarises_each_current_document_and_links_to_its_full_table() {
    let out = bundled();
    for unit in ["tp-ho-chi-minh/quan-go-vap/phuong-14", "tp-ho-chi-minh/quan-go-vap/phuong-12"] {
        let html = read(out.join(unit).join("index.html"));
        // Brief: no target table repeated from the document pages.
        assert!(!html.contains("<table class=\"targets\""), "{unit}: the unit page repeats a target table");
        let current = &html[html.find("id=\"chi-tieu\"").expect("a current targets section")..];
        let current = &current[..current.find("</section>").unwrap()];
        let links: Vec<&str> = current
            .split("<p><a href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.strip_suffix("#bang-chi-tieu"))
            .collect();
        assert!(!links.is_empty(), "{unit}: no link to a document's full table");
        for doc in links {
            let page = read(out.join(doc.trim_start_matches('/')).join("index.html"));
            // Each status's count, in the theme's words, as the document's table counts it.
            let counts = counts_after(&page, "id=\"bang-chi-tieu\"");
            assert!(counts.contains("<strong>"), "{doc}: its table counts no status");
            let section = &current[current.find(&format!("<h3><a href=\"{doc}\">")).unwrap()..];
            assert_eq!(counts_after(section, "<h3>"), counts, "{unit}: the counts of {doc} differ from its table's");
            // Each target listed for attention links to its row, which the table has.
            let brief = &section[..section.find("#bang-chi-tieu").unwrap()];
            for item in brief.split("<li><a href=\"").skip(1) {
                let href = item.split('"').next().unwrap();
                let (page_url, anchor) = href.split_once('#').unwrap();
                assert_eq!(page_url, doc, "{unit}: a target listed for {doc} links elsewhere");
                assert!(page.contains(&format!("<tr id=\"{anchor}\"")), "{doc} has no row #{anchor}");
            }
        }
    }
}

#[test]
fn document_pages_stay_lean_per_target_row() {
    let out = bundled();
    for doc in [
        "tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv",
        "tp-ho-chi-minh/quan-go-vap/phuong-12/chuong-trinh-hanh-dong-01",
        "ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi",
    ] {
        let html = read(out.join(doc).join("index.html"));
        let table = &html[html.find("id=\"bang-chi-tieu\"").unwrap()..];
        let table = &table[..table.find("</section>").unwrap()];
        // One row per measure; every row has its anchor.
        let rows = table.matches("<tr id=\"chi-tieu-").count();
        assert!(rows >= 10, "{doc}: {rows} rows");
        let per_row = table.len() / rows;
        // 642–743 bytes when measured (1,187–1,434 before rows were leaned): a row holds
        // only what differs from row to row, not labels, symbols or citations per cell.
        assert!(per_row <= 900, "{doc}: {per_row} bytes of target table per row");
    }
}
