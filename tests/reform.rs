//! Places through the 2025 reform, on tests/sites/reform: three communes merged into
//! one (Xã Một, Xã Hai, Xã Ba → Xã Hợp Nhất), a ward split between two (Phường Bốn →
//! Phường Bắc Sơn and Phường Nam Sơn), a district turned into a special zone (Huyện
//! Đảo → Đặc khu Hòn Đảo), the old units under their abolished district and the new
//! ones directly under the province. What a resident checks: the old unit's page says
//! what it became, the new unit's page shows its predecessors' last term apart from its
//! own, the across-terms table follows the place, a comparison never ranks a unit
//! against its own successor, each term's matrix has that term's units, the data files
//! carry both directions, and `serve` re-renders a successor when a predecessor changes.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn built() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    minhbach().args(["build", "--root"]).arg(sites().join("reform")).arg("--output").arg(&out).assert().success();
    (tmp, out)
}

/// The text of an HTML fragment: tags dropped, a space where a block starts or ends.
fn text(html: &str) -> String {
    const BLOCKS: [&str; 14] =
        ["div", "p", "dt", "dd", "li", "ul", "td", "th", "tr", "h1", "h2", "h3", "h4", "section"];
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        let name: String =
            rest[i + 1..end].trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if BLOCKS.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The part of `html` from the element with `id` to the end of its `<section>`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("#{id} on the page"));
    let at = html[..at].rfind('<').unwrap();
    let end = html[at..].find("</section>").map_or(html.len(), |e| at + e);
    &html[at..end]
}

/// The cells of a table row, as text.
fn cells(row: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = row;
    while let Some(i) = rest.find("<t") {
        let after = &rest[i + 2..];
        if (after.starts_with('d') || after.starts_with('h')) && after[1..].starts_with([' ', '>']) {
            let open = i + 2 + after.find('>').unwrap() + 1;
            let close = open + rest[open..].find("</t").unwrap();
            out.push(text(&rest[open..close]));
            rest = &rest[close..];
        } else {
            rest = after;
        }
    }
    out
}

/// The rows of the across-terms table: (indicator, term, unit, target).
fn across_rows(html: &str) -> Vec<[String; 4]> {
    let table = &html[html.find("<table class=\"across\"").expect("an across-terms table")..];
    let table = &table[..table.find("</table>").unwrap()];
    let mut rows = Vec::new();
    let mut indicator = String::new();
    for row in table.split("<tr>").skip(2) {
        let c = cells(row);
        let rest = if row.contains("scope=\"rowgroup\"") {
            indicator = c[0].clone();
            &c[1..]
        } else {
            &c[..]
        };
        rows.push([indicator.clone(), rest[0].clone(), rest[1].clone(), rest[2].clone()]);
    }
    rows
}

#[test]
fn an_old_unit_says_at_the_top_what_it_became_and_since_when() {
    let (_t, out) = built();
    let page = read(out.join("tinh/huyen-cu/xa-mot/index.html"));
    let banner_at = page.find("<div class=\"succession\"").expect("the succession note");
    assert!(banner_at < page.find("<dl class=\"facts\"").unwrap(), "the note comes first, under the name");
    let banner = &page[banner_at..banner_at + page[banner_at..].find("</div>").unwrap()];
    assert_eq!(
        text(banner),
        "Đơn vị này đã được sắp xếp, nhập vào Xã Hợp Nhất từ ngày 1/7/2025. Văn bản, chỉ tiêu và kết quả trên trang này là của đơn vị trước sắp xếp."
    );
    assert!(banner.contains("href=\"/tinh/xa-hop-nhat/\""));
    // A split names every part's unit.
    let split = read(out.join("tinh/huyen-cu/phuong-bon/index.html"));
    let b = &split[split.find("<div class=\"succession\"").unwrap()..];
    let b = &b[..b.find("</div>").unwrap()];
    assert!(
        text(b).starts_with("Đơn vị này đã được sắp xếp, chia về Phường Bắc Sơn và Phường Nam Sơn từ ngày 1/7/2025."),
        "{}",
        text(b)
    );
    assert!(b.contains("href=\"/tinh/phuong-bac-son/\"") && b.contains("href=\"/tinh/phuong-nam-son/\""));
    // A district whose units were all merged away says so, though it names no successor.
    let district = read(out.join("tinh/huyen-cu/index.html"));
    assert!(
        text(&district).contains("Các đơn vị trực thuộc Huyện Cũ đều đã được sắp xếp vào đơn vị mới"),
        "{}",
        text(&district)
    );
    // A district turned into a special zone says so too; a unit never merged does not.
    assert!(text(&read(out.join("tinh/huyen-dao/index.html"))).contains("nhập vào Đặc khu Hòn Đảo"));
    for current in ["tinh/xa-hop-nhat", "tinh/dac-khu-hon-dao", "tinh"] {
        assert!(!read(out.join(current).join("index.html")).contains("class=\"succession\""), "{current}");
    }
}

#[test]
fn a_new_unit_shows_its_predecessors_last_term_apart_from_its_own() {
    let (_t, out) = built();
    let page = read(out.join("tinh/xa-hop-nhat/index.html"));
    let facts = &page[page.find("<dl class=\"facts\"").unwrap()..page.find("</dl>").unwrap()];
    assert!(
        text(facts).contains("Hình thành từ Xã Ba, Xã Hai và Xã Một (từ ngày 1/7/2025)"),
        "predecessors in Vietnamese order: {}",
        text(facts)
    );
    // Its own targets first, then the predecessors', each under its unit.
    let own = page.find("id=\"chi-tieu\"").expect("its own current targets");
    let before = page.find("id=\"truoc-sap-xep\"").expect("the predecessors' section");
    assert!(own < before);
    assert!(section(&page, "chi-tieu").contains("/tinh/xa-hop-nhat/nghi-quyet-2025/"));
    assert!(!section(&page, "chi-tieu").contains("nghi-quyet-2020"), "no predecessor's document among its own");
    let pred = section(&page, "truoc-sap-xep");
    let mut at = 0;
    for (unit, doc) in [("xa-ba", "nghi-quyet-2020"), ("xa-hai", "nghi-quyet-2020"), ("xa-mot", "nghi-quyet-2020")] {
        let h = pred[at..]
            .find(&format!("<h3><a href=\"/tinh/huyen-cu/{unit}/\""))
            .map(|i| at + i)
            .unwrap_or_else(|| panic!("{unit}, in order"));
        let next = pred[h + 4..].find("<h3>").map_or(pred.len(), |i| h + 4 + i);
        let block = &pred[h..next];
        assert!(text(block).contains("Nhiệm kỳ cuối 2020–2025"), "{unit}: its last term");
        assert!(block.contains(&format!("/tinh/huyen-cu/{unit}/{doc}/")), "{unit}: its last term's document");
        assert!(!block.contains("nghi-quyet-2015"), "{unit}: not its earlier terms");
        at = h + 1;
    }
    // Statuses as the old units left them: Xã Hai did not meet its poverty target.
    let hai = &pred[pred.find("/tinh/huyen-cu/xa-hai/\"").unwrap()..pred.find("/tinh/huyen-cu/xa-mot/\"").unwrap()];
    assert!(hai.contains("status-not-met") && text(hai).contains("Tỷ lệ hộ nghèo dưới 3%"), "{}", text(hai));
    // Its final results, as it reported them.
    assert!(text(hai).contains("Kết quả cuối nhiệm kỳ (1)") && text(hai).contains("3,2%"), "{}", text(hai));
    let ba = &pred[pred.find("/tinh/huyen-cu/xa-ba/\"").unwrap()..pred.find("/tinh/huyen-cu/xa-hai/\"").unwrap()];
    assert!(!text(ba).contains("Kết quả cuối nhiệm kỳ"), "Xã Ba reported none");
    // A part of a split says where the rest went.
    let bac = read(out.join("tinh/phuong-bac-son/index.html"));
    let p = section(&bac, "truoc-sap-xep");
    assert!(text(p).contains("Một phần nhập vào đây; phần còn lại về Phường Nam Sơn."), "{}", text(p));
    assert!(p.contains("href=\"/tinh/phuong-nam-son/\""));
}

#[test]
fn the_across_terms_table_follows_the_place_through_the_merger() {
    let (_t, out) = built();
    let rows = across_rows(&read(out.join("tinh/xa-hop-nhat/index.html")));
    let poverty: Vec<[&str; 3]> = rows
        .iter()
        .filter(|r| r[0] == "Tỷ lệ hộ nghèo")
        .map(|r| [r[1].as_str(), r[2].as_str(), r[3].as_str()])
        .collect();
    assert_eq!(
        poverty,
        [
            ["2015–2020", "Xã Một", "dưới 4%"],
            ["2020–2025", "Xã Ba", "dưới 2,5%"],
            ["2020–2025", "Xã Hai", "dưới 3%"],
            ["2020–2025", "Xã Một", "dưới 2%"],
            ["2025–2030", "Xã Hợp Nhất", "dưới 1%"],
        ]
    );
    // Forward from an old unit: its successor's term, not its fellow predecessors'.
    let rows = across_rows(&read(out.join("tinh/huyen-cu/xa-hai/index.html")));
    let units: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert!(units.contains(&"Xã Hợp Nhất") && units.contains(&"Xã Hai"), "{units:?}");
    assert!(!units.contains(&"Xã Một") && !units.contains(&"Xã Ba"), "{units:?}");
    // A unit with no merger keeps the table without a unit column (tests/comparisons).
}

#[test]
fn a_comparison_never_ranks_a_unit_against_its_own_successor() {
    let (_t, out) = built();
    let page = read(out.join("chi-so/ty-le-ho-ngheo/index.html"));
    let tables: Vec<&str> =
        page.split("<table class=\"compare\">").skip(1).map(|t| &t[..t.find("</table>").unwrap()]).collect();
    assert_eq!(tables.len(), 3, "one table per term: 2025–2030, 2020–2025, 2015–2020");
    for pair in [("xa-mot", "xa-hop-nhat"), ("xa-hai", "xa-hop-nhat"), ("phuong-bon", "phuong-bac-son")] {
        for t in &tables {
            assert!(
                !(t.contains(&format!("/{}/\"", pair.0)) && t.contains(&format!("/{}/\"", pair.1))),
                "{pair:?} ranked in one table"
            );
        }
    }
    // The newest term is the main comparison; each heading names its term.
    let headings: Vec<String> =
        page.split("<h2 id=\"lop-").skip(1).map(|h| text(&format!("<{}", &h[..h.find("</h2>").unwrap()]))).collect();
    assert_eq!(
        headings,
        [
            "So sánh chính · nhiệm kỳ 2025–2030 (2)",
            "Cùng cách đo, nhiệm kỳ 2020–2025 (4)",
            "Cùng cách đo, nhiệm kỳ 2015–2020 (1)"
        ],
    );
    assert!(tables[0].contains("/tinh/xa-hop-nhat/") && tables[0].contains("/tinh/phuong-bac-son/"));
    // Old units of one term are still ranked together: Phường Bốn (< 1,8%) asks most.
    let t = tables[1];
    let order: Vec<usize> =
        ["phuong-bon", "xa-mot", "xa-ba", "xa-hai"].iter().map(|u| t.find(&format!("/{u}/\"")).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "by ambition");
}

#[test]
fn each_terms_matrix_and_the_provinces_roll_up_use_that_terms_units() {
    let (_t, out) = built();
    let rows = |term: &str| -> String { text(&read(out.join(format!("ma-tran/{term}/index.html")))) };
    let old = rows("2020-2025");
    let new = rows("2025-2030");
    for u in ["Xã Một", "Xã Hai", "Xã Ba", "Phường Bốn"] {
        assert!(old.contains(u) && !new.contains(u), "{u}");
    }
    for u in ["Xã Hợp Nhất", "Phường Bắc Sơn"] {
        assert!(new.contains(u) && !old.contains(u), "{u}");
    }
    // The province lists today's units, and apart those of before the reform.
    let province = read(out.join("tinh/index.html"));
    let today = text(section(&province, "truc-thuoc"));
    let before = text(section(&province, "truoc-sap-xep-duoi"));
    for u in ["Xã Hợp Nhất", "Phường Bắc Sơn", "Phường Nam Sơn", "Đặc khu Hòn Đảo"] {
        assert!(today.contains(u) && !before.contains(u), "{u} is a unit of today");
    }
    for u in ["Huyện Cũ", "Huyện Đảo"] {
        assert!(before.contains(u) && !today.contains(u), "{u} is a unit of before");
    }
    // Its roll-up counts the units of its latest term: the two new ones, not six.
    let rollup = section(&province, "dia-ban");
    assert!(text(rollup).starts_with("Các chỉ số trong địa bàn · nhiệm kỳ 2025–2030"), "{}", text(rollup));
    let poverty = &rollup[rollup.find("/chi-so/ty-le-ho-ngheo/").unwrap()..];
    let poverty = text(&poverty[..poverty.find("</tr>").unwrap()]);
    assert!(poverty.contains("Tỷ lệ hộ nghèo 2 2"), "2 units, 2 measures: {poverty}");
}

#[test]
fn units_data_carries_successors_and_predecessors_and_matches_its_schema() {
    let (_t, out) = built();
    let rows: BTreeMap<String, BTreeMap<String, String>> =
        csv_records(&fs::read(out.join("data/units.csv")).unwrap(), "units.csv")
            .into_iter()
            .map(|r| (r["path"].clone(), r))
            .collect();
    assert_eq!(rows["tinh/huyen-cu/xa-mot"]["succeeded_by"], "tinh/xa-hop-nhat");
    assert_eq!(rows["tinh/huyen-cu/xa-mot"]["succeeded_on"], "2025-07-01");
    assert_eq!(rows["tinh/huyen-cu/phuong-bon"]["succeeded_by"], "tinh/phuong-bac-son; tinh/phuong-nam-son");
    assert_eq!(
        rows["tinh/xa-hop-nhat"]["predecessors"],
        "tinh/huyen-cu/xa-ba; tinh/huyen-cu/xa-hai; tinh/huyen-cu/xa-mot"
    );
    assert_eq!(rows["tinh/phuong-nam-son"]["predecessors"], "tinh/huyen-cu/phuong-bon");
    assert_eq!(rows["tinh/xa-hop-nhat"]["succeeded_by"], "");
    let mut schema: serde_json::Value = serde_json::from_str(&read(out.join("data/schema.json"))).unwrap();
    schema["$ref"] = serde_json::json!("#/$defs/units");
    let data: serde_json::Value = serde_json::from_str(&read(out.join("data/units.json"))).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&data).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let hop = data.as_array().unwrap().iter().find(|u| u["path"] == "tinh/xa-hop-nhat").unwrap();
    assert_eq!(hop["predecessors"], "tinh/huyen-cu/xa-ba; tinh/huyen-cu/xa-hai; tinh/huyen-cu/xa-mot");
    // Both directions are explained on the data page.
    let page = read(out.join("du-lieu/index.html"));
    assert!(page.contains("<code>predecessors</code>") && page.contains("<code>succeeded_by</code>"));
}

/// The fixture, copied so a test can edit it.
fn copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let from = sites().join("reform");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let dest = tmp.path().join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(dest).unwrap();
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
    tmp
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{from} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serve_rerenders_the_successor_when_a_predecessor_changes() {
    // An audited session: a page whose bytes changed without being re-rendered fails.
    let site = copy();
    let mut s = minhbach::session::Session::new(site.path(), minhbach::site::Options::default()).audited();
    s.full_build().unwrap();
    let doc = site.path().join("content/tinh/huyen-cu/xa-hai/nghi-quyet-2020.md");
    edit(&doc, "value: \"3,2\"", "value: \"2,8\"");
    let o = s.rebuild(std::slice::from_ref(&doc)).unwrap().expect("a rebuild");
    let rest = s.finish().unwrap();
    let mut rendered: Vec<String> = o.rendered.clone();
    rendered.extend(rest.map(|r| r.rendered).unwrap_or_default());
    assert!(rendered.contains(&"tinh/xa-hop-nhat/index.html".to_string()), "the successor's page");
    assert!(!rendered.contains(&"tinh/phuong-bac-son/index.html".to_string()), "not an unrelated new unit");
    s.audit().unwrap();
    assert!(read(site.path().join("public/tinh/xa-hop-nhat/index.html")).contains("2,8%"));
    // A unit's successor changed: both the old and the new successor are right.
    let unit = site.path().join("content/tinh/huyen-cu/xa-ba/_index.md");
    edit(&unit, "succeeded_by: tinh/xa-hop-nhat", "succeeded_by: tinh/phuong-nam-son");
    s.rebuild(std::slice::from_ref(&unit)).unwrap().expect("a rebuild");
    s.finish().unwrap();
    s.audit().unwrap();
    assert!(!read(site.path().join("public/tinh/xa-hop-nhat/index.html")).contains("/tinh/huyen-cu/xa-ba/\""));
    assert!(read(site.path().join("public/tinh/phuong-nam-son/index.html")).contains("/tinh/huyen-cu/xa-ba/\""));
}

#[test]
fn check_accepts_the_fixture_and_refuses_a_bad_list_of_successors() {
    minhbach().args(["check", "--root"]).arg(sites().join("reform")).assert().success();
    let site = copy();
    let unit = site.path().join("content/tinh/huyen-cu/phuong-bon/_index.md");
    edit(&unit, "  - tinh/phuong-nam-son", "  - ../ngoai");
    let out = minhbach().args(["check", "--root"]).arg(site.path()).assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("phuong-bon/_index.md:6:5") && err.contains("`../ngoai` goes out of its folder"), "{err}");
    // A typo in a successor's path: a warning that names the nearest unit.
    edit(&unit, "  - ../ngoai", "  - tinh/phuong-nam-sno");
    let out = minhbach().args(["check", "--root"]).arg(site.path()).assert().success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("is not a unit of this site") && err.contains("did you mean `tinh/phuong-nam-son`"), "{err}");
    // Its own district is no successor.
    edit(&unit, "  - tinh/phuong-nam-sno", "  - tinh/huyen-cu");
    let out = minhbach().args(["check", "--root"]).arg(site.path()).assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("`tinh/huyen-cu` contains Phường Bốn"), "{err}");
}
