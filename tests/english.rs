//! The bundled site with `language = "en"`: the interface in the theme's English strings
//! (every key of vi.toml, checked in render/i18n.rs), the content as written.

mod common;
use common::*;
use std::path::Path;

fn copy(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().map(Result::unwrap) {
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

#[test]
fn a_site_in_english_has_the_interface_in_english_and_the_documents_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy(&repo().join("content"), &site.join("content"));
    let toml = read(repo().join("minhbach.toml"));
    let toml: String = toml.lines().filter(|l| !l.starts_with("language")).map(|l| format!("{l}\n")).collect();
    std::fs::write(site.join("minhbach.toml"), format!("{toml}language = \"en\"\n")).unwrap();
    let out = tmp.path().join("public");
    minhbach().args(["build", "--root"]).arg(&site).arg("--output").arg(&out).assert().success();
    for (file, bytes) in tree(&out) {
        if file.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            assert!(html.contains("<html lang=\"en\">"), "{file}");
            if !html.contains("http-equiv=\"refresh\"") {
                assert!(html.contains(">Home</a>") && html.contains(">Search</a>"), "{file}: the menu in English");
                assert!(!html.contains(">Trang chủ<"), "{file}: no Vietnamese menu");
            }
        }
    }
    let doc = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv/index.html"));
    assert!(doc.contains("Table of targets") && doc.contains("Overdue, not reported"));
    assert!(doc.contains("Đào Thị My Thư"), "the document's own words stay as written");
    assert!(read(out.join("atom.xml")).contains("xml:lang=\"en\""));
    let search = read(out.join("tim-kiem/index.html"));
    assert!(search.contains("data-none=\"") && !search.contains("Không tìm thấy"), "the script's words in English");
}
