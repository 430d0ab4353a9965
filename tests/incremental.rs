//! Incremental rebuilds, counted: a changed document re-renders its own page, its
//! unit's and ancestors' pages, the indicator, comparison and data pages it touches,
//! and nothing else; only it is parsed again; a template change re-renders the pages
//! that use it; a failed rebuild writes nothing and is retried with the next change.
//! Every session here runs the dependency audit after each rebuild (`Session::audited`):
//! a page whose bytes changed but was not re-rendered fails the test, named.

mod common;
use common::*;
use minhbach::session::{Outcome, Session};
use minhbach::site::Options;
use std::fs;
use std::path::Path;

/// The bundled site, copied so the test can edit it, in Vietnamese only: the counts
/// below are of one edition's files (`two_editions_rerender_together` has both).
fn bundled_copy() -> tempfile::TempDir {
    let tmp = bilingual_copy();
    let toml = read(tmp.path().join("minhbach.toml"));
    let toml = toml.split("[translations").next().unwrap().replace("languages = [\"vi\", \"en\"]", "language = \"vi\"");
    fs::write(tmp.path().join("minhbach.toml"), toml).unwrap();
    tmp
}

/// The bundled site as it is (`languages = ["vi", "en"]`), copied.
fn bilingual_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::copy(repo().join("minhbach.toml"), tmp.path().join("minhbach.toml")).unwrap();
    for e in walkdir::WalkDir::new(repo().join("content")) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(repo()).unwrap();
        let dest = tmp.path().join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(dest).unwrap();
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
    tmp
}

/// The bundled site's copy, built once by an audited session: where an edit test starts.
fn built_copy() -> (tempfile::TempDir, Session) {
    let site = bundled_copy();
    let mut s = Session::new(site.path(), Options::default()).audited();
    s.full_build().unwrap();
    (site, s)
}

/// The files a rebuild rendered, as a set to look names up in.
fn rendered(o: &Outcome) -> std::collections::BTreeSet<&str> {
    o.rendered.iter().map(String::as_str).collect()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{from} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_changed_document_rerenders_only_what_shows_it() {
    let site = bundled_copy();
    let mut s = Session::new(site.path(), Options::default()).audited();
    let first = s.full_build().unwrap();
    let all = first.rendered.len();
    let doc = site.path().join("content/ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi.md");
    edit(&doc, "Kết nạp đảng viên hàng năm từ 10-12 đồng chí", "Kết nạp đảng viên hàng năm từ 10-12 đồng chí (sửa)");
    let o = s.rebuild_all(std::slice::from_ref(&doc)).unwrap().expect("a rebuild");
    assert!(!o.full);
    assert_eq!(o.reparsed, vec![doc.clone()], "only the changed file is parsed again");
    let r = rendered(&o);
    for must in [
        "ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi/index.html",
        "ha-noi/quan-long-bien/phuong-duc-giang/index.html",
        "ha-noi/quan-long-bien/index.html",
        "ha-noi/index.html",
        "data/chi-tieu/ha-noi/quan-long-bien/phuong-duc-giang.csv",
        "ha-noi/quan-long-bien/phuong-duc-giang/atom.xml",
        "chi-so/ket-nap-dang-vien/index.html",
        "chi-so/thu-ngan-sach/index.html",
        "ma-tran/2020-2025/index.html",
        "index.html",
        "data/ha-noi/csv.zip",
        "data/ha-noi/data.json",
        "data/index.json",
    ] {
        assert!(r.contains(must), "{must} must be re-rendered");
    }
    for must_not in [
        "tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv/index.html",
        "tp-ho-chi-minh/quan-go-vap/phuong-14/index.html",
        "tp-ho-chi-minh/index.html",
        "quang-ngai/thi-xa-duc-pho/phuong-pho-hoa/bao-cao-so-ket-giua-nhiem-ky/index.html",
        "chi-so/tram-lap-gieng-khoan/index.html",
        "chi-so/bao-hiem-y-te/index.html",
        "404.html",
        "data/tp-ho-chi-minh/csv.zip",
        "data/quang-ngai/data.json",
    ] {
        assert!(!r.contains(must_not), "{must_not} does not show this document");
    }
    assert!(o.rendered.len() < all / 2, "{} of {all} files re-rendered", o.rendered.len());
    // Only files whose bytes changed are written.
    assert!(o.written.iter().all(|w| r.contains(w.as_str())));
    assert!(
        !o.written.contains(&"ha-noi/quan-long-bien/phuong-duc-giang/atom.xml".to_string()),
        "the feed did not change"
    );
    let out = site.path().join("public");
    assert!(
        read(out.join("ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi/index.html"))
            .contains("10-12 đồng chí (sửa)")
    );

    // The same edit on a fresh build gives the same files: incremental = full.
    let fresh = tempfile::tempdir().unwrap();
    minhbach()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(fresh.path().join("p"))
        .assert()
        .success();
    let (a, b) = (tree(&out), tree(&fresh.path().join("p")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between the incremental and a full build");
    }
}

const DUC_GIANG: &str = "content/ha-noi/quan-long-bien/phuong-duc-giang";

#[test]
fn two_editions_rerender_together() {
    let site = bilingual_copy();
    let mut s = Session::new(site.path(), Options::default()).audited();
    let first = s.full_build().unwrap();
    let english = first.rendered.iter().filter(|f| f.starts_with("en/")).count();
    assert!(english > 100 && english < first.rendered.len() / 2, "{english} of {}", first.rendered.len());
    // A body edit: the document's page in both languages, nothing else.
    let doc = site.path().join(DUC_GIANG).join("nghi-quyet-dai-hoi-xi.md");
    let text = read(&doc);
    fs::write(&doc, format!("{}\nMột đoạn mới của văn bản.\n", text.trim_end())).unwrap();
    let o = s.rebuild_all(std::slice::from_ref(&doc)).unwrap().expect("a rebuild");
    assert_eq!(o.rendered, vec![XI.to_string(), format!("en/{XI}")]);
    assert!(read(site.path().join("public/en").join(XI)).contains("Một đoạn mới của văn bản."));
    // A removed document leaves both editions; the audit (after each rebuild) checks
    // that every file whose bytes changed, in either edition, was rendered.
    fs::remove_file(&doc).unwrap();
    let o = s.rebuild_all(std::slice::from_ref(&doc)).unwrap().expect("a rebuild");
    assert!(o.removed.contains(&XI.to_string()) && o.removed.contains(&format!("en/{XI}")), "{:?}", o.removed);
    s.finish().unwrap();
    assert!(!site.path().join("public/en").join(XI).exists());
    same_as_full_build(site.path(), &tempfile::tempdir().unwrap().path().join("p"));
}
const XI: &str = "ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi/index.html";

#[test]
fn a_body_only_edit_rerenders_the_document_page_alone() {
    let (site, mut s) = built_copy();
    let doc = site.path().join(DUC_GIANG).join("nghi-quyet-dai-hoi-xi.md");
    let text = read(&doc);
    fs::write(&doc, format!("{}\nMột đoạn mới của văn bản.\n", text.trim_end())).unwrap();
    let o = s.rebuild_all(std::slice::from_ref(&doc)).unwrap().expect("a rebuild");
    assert_eq!(o.rendered, vec![XI.to_string()], "no other page shows the body");
    assert_eq!(o.written, o.rendered);
    assert!(read(site.path().join("public").join(XI)).contains("Một đoạn mới của văn bản."));
}

#[test]
fn a_unit_text_edit_rerenders_its_page_and_a_rename_everything_below_it() {
    let (site, mut s) = built_copy();
    let unit = site.path().join(DUC_GIANG).join("_index.md");
    edit(&unit, "Trang này công bố", "Trang này (đã sửa) công bố");
    let o = s.rebuild_all(std::slice::from_ref(&unit)).unwrap().expect("a rebuild");
    assert_eq!(o.rendered, vec!["ha-noi/quan-long-bien/phuong-duc-giang/index.html".to_string()]);
    edit(&unit, "name: Phường Đức Giang", "name: Phường Đức Giang Mới");
    let o = s.rebuild_all(std::slice::from_ref(&unit)).unwrap().expect("a rebuild");
    let r = rendered(&o);
    for must in
        ["ha-noi/quan-long-bien/phuong-duc-giang/index.html", "ha-noi/quan-long-bien/index.html", XI, "index.html"]
    {
        assert!(r.contains(must), "{must} shows the unit's name");
    }
    assert!(!r.iter().any(|p| p.starts_with("quang-ngai/")), "{r:?}");
    assert!(read(site.path().join("public").join(XI)).contains("Phường Đức Giang Mới"));
}

#[test]
fn a_new_document_is_rendered_with_what_lists_it_and_a_removed_one_leaves() {
    let (site, mut s) = built_copy();
    let doc = site.path().join(DUC_GIANG).join("thong-bao-moi.md");
    fs::write(&doc, "---\ntitle: Thông báo mới\nkind: other\nissued: 2021-03-04\n---\nNội dung.\n").unwrap();
    let o = s.rebuild_all(std::slice::from_ref(&doc)).unwrap().expect("a rebuild");
    let page = "ha-noi/quan-long-bien/phuong-duc-giang/thong-bao-moi/index.html";
    let r = rendered(&o);
    for must in [page, "ha-noi/quan-long-bien/phuong-duc-giang/index.html", "index.html"] {
        assert!(r.contains(must), "{must}: {r:?}");
    }
    assert!(!r.contains(XI), "its neighbour does not list it");
    fs::remove_file(&doc).unwrap();
    let o = s.rebuild_all(std::slice::from_ref(&doc)).unwrap().expect("a rebuild");
    assert_eq!(o.removed, vec![page.to_string()]);
    assert!(o.rendered.contains(&"ha-noi/quan-long-bien/phuong-duc-giang/index.html".to_string()));
    assert!(!site.path().join("public").join(page).exists());
}

#[test]
fn a_save_during_the_aggregates_gets_its_reload_first_and_the_end_equals_a_full_build() {
    let (site, mut s) = built_copy();
    let doc = site.path().join(DUC_GIANG).join("nghi-quyet-dai-hoi-xi.md");
    edit(&doc, "Kết nạp đảng viên hàng năm từ 10-12 đồng chí", "Kết nạp đảng viên hàng năm từ 11-12 đồng chí");
    s.rebuild(std::slice::from_ref(&doc)).unwrap().expect("a rebuild");
    // The next save arrives before the first chunk of aggregates: they wait.
    s.finish_unless(&|| true).unwrap();
    let left = s.unfinished();
    assert!(left > 0);
    let other = site.path().join("content/tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv.md");
    let text = read(&other);
    fs::write(&other, text.replacen("title: ", "title: (sửa) ", 1)).unwrap();
    let o = s.rebuild(std::slice::from_ref(&other)).unwrap().expect("a rebuild");
    // Its own pages, none of the first save's aggregates: those follow in `finish`.
    assert!(o.rendered.contains(&"tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv/index.html".to_string()));
    for aggregate in ["index.html", "data/ha-noi/csv.zip", "chi-so/ket-nap-dang-vien/index.html"] {
        assert!(!o.rendered.contains(&aggregate.to_string()), "{aggregate} waits for finish");
    }
    assert!(s.unfinished() >= left, "the first save's aggregates are carried");
    let rest = s.finish().unwrap().expect("the aggregates of both saves");
    assert!(rest.rendered.contains(&"chi-so/ket-nap-dang-vien/index.html".to_string()));
    assert_eq!(s.unfinished(), 0);
    s.audit().unwrap();
    same_as_full_build(site.path(), &tempfile::tempdir().unwrap().path().join("p"));
}

#[test]
fn a_template_change_rerenders_the_pages_using_it() {
    let (site, mut s) = built_copy();
    let dir = site.path().join("templates");
    fs::create_dir_all(&dir).unwrap();
    let theme = read(repo().join("themes/default/templates/indicator.html"));
    fs::write(dir.join("indicator.html"), theme.replace("<h1>{{ page.name }}", "<h1>Chỉ số: {{ page.name }}")).unwrap();
    let o = s.rebuild_all(&[dir.join("indicator.html")]).unwrap().unwrap();
    assert!(o.reparsed.is_empty(), "no content parsed for a template change");
    assert!(!o.rendered.is_empty());
    assert!(
        o.rendered.iter().all(|p| p.starts_with("chi-so/") && p.ends_with("/index.html") && p != "chi-so/index.html"),
        "{:?}",
        o.rendered
    );
    assert!(
        read(site.path().join("public/chi-so/ket-nap-dang-vien/index.html")).contains("Chỉ số: Kết nạp đảng viên mới")
    );
}

#[test]
fn a_failed_rebuild_writes_nothing_and_is_retried() {
    let (site, mut s) = built_copy();
    let out = site.path().join("public");
    let before = tree(&out);
    let doc = site.path().join("content/tp-ho-chi-minh/quan-go-vap/phuong-12/chuong-trinh-hanh-dong-01.md");
    edit(&doc, "kind: action-program", "kind: action-progam");
    let err = s.rebuild_all(std::slice::from_ref(&doc)).unwrap_err().to_string();
    assert!(
        err.contains("chuong-trinh-hanh-dong-01.md:3:7") && err.contains("did you mean `action-program`?"),
        "{err}"
    );
    assert_eq!(tree(&out), before, "a failed rebuild changes no file");
    // Another file changes while the first is still broken, then the first is fixed:
    // the rebuild covers both.
    let other = site.path().join("content/ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi.md");
    edit(&other, "Kết nạp đảng viên hàng năm từ 10-12 đồng chí", "Kết nạp đảng viên hàng năm từ 10-12 đồng chí (mới)");
    assert!(s.rebuild_all(std::slice::from_ref(&other)).is_err());
    edit(&doc, "kind: action-progam", "kind: action-program");
    let o = s.rebuild_all(std::slice::from_ref(&doc)).unwrap().unwrap();
    assert!(
        o.rendered.contains(&"ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi/index.html".to_string())
    );
    assert!(
        read(out.join("ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi/index.html")).contains("(mới)")
    );
}

#[test]
fn a_result_edited_in_one_document_updates_the_rows_of_the_target_it_reports_on() {
    // The XIV resolution reports the XIII term's result; the data files' rows of XIII
    // are kept between rebuilds unless an edit touches them, and this one does.
    let (site, mut s) = built_copy();
    let out = site.path().join("public");
    // The XIII row: in the province's ZIP, in its JSON (no id there: its document and
    // indicator find it), in the unit's own file (by its address and measure).
    let xiii = |r: &std::collections::BTreeMap<String, String>| {
        r["document_path"].ends_with("nghi-quyet-dai-hoi-xiii") && r["indicator"] == "cai-tang-mo"
    };
    let zip = out.join("data/tp-ho-chi-minh/csv.zip");
    let row = || zip_rows(&zip, "targets").into_iter().find(xiii).expect("the XIII row");
    let before = row();
    assert_eq!(before["status"], "not-met", "{before:?}");
    let doc = site.path().join("content/tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv.md");
    edit(
        &doc,
        "    value: 107\n    of: 283\n    unit: \"%\"\n    written: \"37,8%\"\n    verdict: not-met",
        "    value: 150\n    of: 283\n    unit: \"%\"\n    verdict: met",
    );
    s.rebuild_all(std::slice::from_ref(&doc)).unwrap().expect("a rebuild");
    let after = row();
    assert!(after["latest_value_text"].contains("150") && after["status"] != "not-met", "{after:?}");
    let json: serde_json::Value = serde_json::from_str(&read(out.join("data/tp-ho-chi-minh/data.json"))).unwrap();
    let t = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["document_path"].as_str().unwrap().ends_with("nghi-quyet-dai-hoi-xiii") && t["indicator"] == "cai-tang-mo"
        })
        .expect("the XIII row in JSON");
    assert_eq!(
        (t["latest_value_text"].as_str().unwrap(), t["status"].as_str().unwrap()),
        (&*after["latest_value_text"], &*after["status"])
    );
    let unit = fs::read(out.join("data/chi-tieu/tp-ho-chi-minh/quan-go-vap/phuong-14.csv")).unwrap();
    let own = csv_records(&unit, "the unit's own csv");
    let mine =
        own.iter().find(|r| r["url"] == after["url"] && r["measure"] == after["measure"]).expect("in the unit's file");
    assert_eq!(
        (&mine["latest_value_text"], &mine["status_label"]),
        (&after["latest_value_text"], &after["status_label"])
    );
    assert_ne!(after, before);
}

/// Collects streamed files in memory.
#[derive(Default)]
struct Collect(std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>);

struct Piece<'a>(&'a Collect, String, Vec<u8>);

impl std::io::Write for Piece<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.2.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.0.lock().unwrap().insert(self.1.clone(), self.2.clone());
        Ok(())
    }
}

impl minhbach::render::data::FileSink for Collect {
    fn whole(&self, rel: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        self.0.lock().unwrap().insert(rel.to_string(), bytes);
        Ok(())
    }
    fn open(&self, rel: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>> {
        Ok(Box::new(Piece(self, rel.to_string(), Vec::new())))
    }
    fn size(&self, rel: &str) -> Option<u64> {
        self.0.lock().unwrap().get(rel).map(|b| b.len() as u64)
    }
}

#[test]
fn streamed_data_files_equal_the_ones_serve_renders_one_by_one() {
    // `build` writes the target data files in one streaming pass; `serve` re-renders
    // the affected ones page by page. Both must give the same bytes.
    let root = repo();
    let config = minhbach::site::load_config(&root, &Options::default()).unwrap();
    let content = minhbach::load::content::read(&root, &config.content_dir()).unwrap();
    let p = minhbach::site::prepare(config, content).unwrap();
    let pages: Vec<_> = p.list.iter().filter(|pg| pg.kind.is_streamed()).cloned().collect();
    // Three provinces' ZIP and JSON, and every unit's CSV.
    let province_files: Vec<&str> = pages
        .iter()
        .map(|pg| pg.output.as_str())
        .filter(|o| o.starts_with("data/") && !o.starts_with("data/chi-tieu/"))
        .collect();
    assert_eq!(province_files.len(), 6, "{province_files:?}");
    assert!(province_files.iter().filter(|o| o.ends_with("/csv.zip")).count() == 3, "{province_files:?}");
    assert!(pages.len() >= 6 + 10, "the provinces' and the units' files");
    let one_by_one = std::sync::Mutex::new(std::collections::BTreeMap::new());
    let diags = p.render_pages(
        &pages,
        &|pg, bytes| {
            one_by_one.lock().unwrap().insert(pg.output.clone(), bytes);
            Ok(())
        },
        &|_| None,
    );
    assert!(diags.is_empty());
    let streamed = Collect::default();
    p.stream_data_files(&pages.iter().collect::<Vec<_>>(), &streamed).unwrap();
    let (a, b) = (one_by_one.into_inner().unwrap(), streamed.0.into_inner().unwrap());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs");
    }
}

#[test]
fn edits_on_a_generated_site_rebuild_to_the_same_files_as_a_full_build() {
    // The fast path patches the model in place and links results again; on a site of
    // the generator's shape, retargeting a result and editing a document others report
    // on must give what a full build gives.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    generated(&site, 12, 5, 3);
    let mut s = Session::new(&site, Options::default()).audited();
    s.full_build().unwrap();
    // A conclusion reporting on its ward's resolution.
    let conclusion = walkdir::WalkDir::new(site.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .find(|p| {
            p.file_name().unwrap().to_string_lossy().starts_with("ket-luan")
                && read(p).contains("nghi-quyet-dai-hoi#2\"")
        })
        .expect("a conclusion reporting on target 2");
    // Retargeted, the result drops its `unit:` and so takes the new target's (a figure
    // in another unit than its measure's is an error).
    let text = read(&conclusion);
    let unit_at = text.find("nghi-quyet-dai-hoi#2\"").and_then(|at| text[at..].find("\n    unit: ").map(|u| at + u));
    let unit_at = unit_at.expect("the result's unit");
    let unit_end = unit_at + 1 + text[unit_at + 1..].find('\n').unwrap();
    fs::write(&conclusion, format!("{}{}", &text[..unit_at], &text[unit_end..])).unwrap();
    edit(&conclusion, "nghi-quyet-dai-hoi#2\"", "nghi-quyet-dai-hoi#4\"");
    let o = s.rebuild_all(std::slice::from_ref(&conclusion)).unwrap().expect("a rebuild");
    assert!(!o.full);
    // The resolution it reports on: a target's text changes, its ids do not.
    let resolution = conclusion.with_file_name("nghi-quyet-dai-hoi.md");
    let text = read(&resolution);
    let at = text.find("    text: \"").expect("a target text") + "    text: \"".len();
    fs::write(&resolution, format!("{}(sửa) {}", &text[..at], &text[at..])).unwrap();
    let o = s.rebuild_all(std::slice::from_ref(&resolution)).unwrap().expect("a rebuild");
    assert!(!o.full);
    // A target's level and its comparison operator change: its indicator's comparison
    // (order, the level above, ambition) is computed again.
    let text = read(&resolution);
    let at = text.find("        value: \"").expect("a measure value") + "        value: \"".len();
    fs::write(
        &resolution,
        format!("{}9{}", &text[..at], &text[at..]).replacen("      - op: \">=\"", "      - op: \"<=\"", 1),
    )
    .unwrap();
    let o = s.rebuild_all(std::slice::from_ref(&resolution)).unwrap().expect("a rebuild");
    assert!(!o.full);
    same_as_full_build(&site, &tmp.path().join("after-edits"));
    // The conclusion loses a result: every result after it moves to another index.
    fs::write(&conclusion, without_first_result(&read(&conclusion))).unwrap();
    let o = s.rebuild_all(std::slice::from_ref(&conclusion)).unwrap().expect("a rebuild");
    assert!(!o.full);
    same_as_full_build(&site, &tmp.path().join("after-removal"));
    // A link that no longer resolves fails the rebuild and leaves the model as it was,
    // here with a result gone too (results numbered again, then back): fixed again, the
    // site is what a full build gives.
    let before = read(&conclusion);
    fs::write(&conclusion, without_first_result(&before)).unwrap();
    edit(&conclusion, "nghi-quyet-dai-hoi#4\"", "nghi-quyet-dai-hoi#khong-co\"");
    let err = s.rebuild_all(std::slice::from_ref(&conclusion)).expect_err("a broken link").to_string();
    assert!(err.contains("no target `khong-co`"), "{err}");
    fs::write(&conclusion, before).unwrap();
    s.rebuild_all(std::slice::from_ref(&conclusion)).unwrap().expect("a rebuild");

    same_as_full_build(&site, &tmp.path().join("fresh"));
}

/// A document's text without the first entry of its `results:` list.
fn without_first_result(text: &str) -> String {
    let first = text.find("\n  - target:").expect("a result");
    let next = first + 1 + text[first + 1..].find("\n  - target:").expect("a second result");
    format!("{}{}", &text[..first], &text[next..])
}

/// The site's output equals what a full build writes into `fresh`.
fn same_as_full_build(site: &Path, fresh: &Path) {
    minhbach().args(["build", "--root"]).arg(site).arg("--output").arg(fresh).assert().success();
    let (a, b) = (tree(&site.join("public")), tree(fresh));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between the incremental and a full build");
    }
}

#[test]
fn a_warning_does_not_stop_a_rebuild_and_is_handed_to_the_terminal() {
    let site = bundled_copy();
    let mut s = Session::new(site.path(), Options::default());
    assert!(s.full_build().unwrap().warnings.is_empty(), "the bundled site has no slips");
    let doc = site.path().join("content/ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi.md");
    edit(&doc, "issued: 2020-05-22\n", "issued: 2020-05-22\nposted: 2020-05-02\n");
    let o = s.rebuild_all(std::slice::from_ref(&doc)).unwrap().expect("a rebuild, not an error");
    let page = "ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi/index.html";
    assert!(o.written.contains(&page.to_string()), "the page shows the new date");
    let w = o.warnings.to_string();
    assert!(w.contains("warning: posted 2/5/2020 is before the document was issued (22/5/2020)"), "{w}");
    assert!(w.contains("nghi-quyet-dai-hoi-xi.md:6:9"), "{w}");
    // The slip fixed: no warning any more.
    edit(&doc, "posted: 2020-05-02\n", "posted: 2020-06-02\n");
    let o = s.rebuild_all(std::slice::from_ref(&doc)).unwrap().expect("a rebuild");
    assert!(o.warnings.is_empty(), "{}", o.warnings);
}
