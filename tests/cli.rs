//! The command line as a ward officer meets it: skeletons that pass `check`, help with
//! examples, and a site that overrides a template of the theme.

mod common;
use common::*;
use predicates::str::contains;
use std::fs;

#[test]
fn new_site_unit_and_doc_build_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let ok = |args: &[&str], path: &std::path::Path| {
        minhbach().args(args).arg(path).assert().success();
    };
    minhbach()
        .args(["new", "site"])
        .arg(&site)
        .arg("Minh bạch phường Thử")
        .assert()
        .success()
        .stdout(contains("minhbach.toml"));
    let unit = site.join("content/thu/phuong-thu");
    // The parent must exist first: no gap in the hierarchy.
    minhbach().args(["new", "unit"]).arg(&unit).assert().failure().stderr(contains("is not a unit yet"));
    minhbach()
        .args(["new", "unit"])
        .arg(site.join("content/thu"))
        .args(["--name", "Tỉnh Thử", "--level", "tỉnh"])
        .assert()
        .success();
    minhbach().args(["new", "unit"]).arg(&unit).assert().success().stdout(contains("tone marks"));
    assert!(read(unit.join("_index.md")).contains("level: phường"), "level from the folder name");
    minhbach()
        .args(["new", "doc"])
        .arg(&unit)
        .arg("Nghị quyết Đại hội XI, nhiệm kỳ 2025–2030")
        .assert()
        .success()
        .stdout(contains("nghi-quyet-dai-hoi-xi-nhiem-ky-2025-2030.md"));
    let doc = read(unit.join("nghi-quyet-dai-hoi-xi-nhiem-ky-2025-2030.md"));
    assert!(doc.contains("kind: resolution") && doc.contains("term: 2025-2030"), "{doc}");
    minhbach().args(["check", "--root"]).arg(&site).assert().success().stdout(contains("No problems"));
    // A skeleton is a draft: checked, not published until the officer says so.
    assert!(doc.contains("draft: true"));
    ok(&["build", "--root"], &site);
    assert!(
        !site.join("public/thu/phuong-thu/nghi-quyet-dai-hoi-xi-nhiem-ky-2025-2030").exists(),
        "a draft is not published"
    );
    let path = unit.join("nghi-quyet-dai-hoi-xi-nhiem-ky-2025-2030.md");
    fs::write(&path, doc.lines().filter(|l| !l.starts_with("draft:")).collect::<Vec<_>>().join("\n") + "\n").unwrap();
    ok(&["build", "--root"], &site);
    let html = read(site.join("public/thu/phuong-thu/nghi-quyet-dai-hoi-xi-nhiem-ky-2025-2030/index.html"));
    assert!(html.contains("Nghị quyết Đại hội XI"));
    // The skeleton publishes no made-up target.
    assert!(!html.contains("class=\"targets\""), "no sample target in the output");
    // The theme is built into the binary: the new site has no themes/ folder.
    assert!(!site.join("themes").exists());
    assert!(site.join("public/style.css").exists());
}

#[test]
fn new_refuses_outside_a_site() {
    let tmp = tempfile::tempdir().unwrap();
    minhbach()
        .args(["new", "unit"])
        .arg(tmp.path().join("content/x"))
        .assert()
        .failure()
        .stderr(contains("not in a site folder"));
}

#[test]
fn new_refuses_to_overwrite_and_needs_a_unit_folder() {
    let site = fixture();
    minhbach()
        .args(["new", "unit"])
        .arg(site.path().join("content/thu/phuong-thu"))
        .assert()
        .failure()
        .stderr(contains("already exists"));
    minhbach()
        .args(["new", "doc"])
        .arg(site.path().join("content/khong-co"))
        .arg("Văn bản")
        .assert()
        .failure()
        .stderr(contains("minhbach new unit"));
}

#[test]
fn help_explains_each_command_with_an_example() {
    for cmd in ["build", "check"] {
        minhbach().args([cmd, "--help"]).assert().success().stdout(contains("Example:"));
    }
    minhbach().args(["new", "doc", "--help"]).assert().success().stdout(contains("Example:"));
    minhbach().arg("bogus").assert().code(2);
}

#[test]
fn a_site_template_overrides_the_theme() {
    let site = fixture();
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<p>Trang riêng của phường</p>{% endblock %}",
    )
    .unwrap();
    fs::create_dir_all(site.path().join("static")).unwrap();
    fs::write(site.path().join("static/logo.svg"), "<svg/>").unwrap();
    minhbach().args(["build", "--root"]).arg(site.path()).assert().success();
    assert!(read(site.path().join("public/404.html")).contains("Trang riêng của phường"));
    assert!(site.path().join("public/logo.svg").exists());
}

#[test]
fn statuses_reach_the_page() {
    let site = fixture();
    minhbach().args(["build", "--root"]).arg(site.path()).assert().success();
    let html = read(site.path().join("public/thu/phuong-thu/nghi-quyet/index.html"));
    // 3,07% at the end of 2022 against "dưới 0,5%" by the end of 2025: behind.
    let row = &html[html.find("id=\"chi-tieu-1.1\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("3,07%") && row.contains("status-behind") && row.contains("Chậm tiến độ"), "{row}");
    // 12 in 2021 against "ít nhất 10 mỗi năm": the year is over, exceeded.
    let row = &html[html.find("id=\"chi-tieu-1.2\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("status-exceeded") && row.contains("năm 2021"), "{row}");
}

#[test]
fn base_url_prefixes_every_internal_link() {
    let site = fixture();
    minhbach()
        .args(["build", "--root"])
        .arg(site.path())
        .args(["--base-url", "https://example.org/minhbach"])
        .assert()
        .success();
    let html = read(site.path().join("public/index.html"));
    assert!(html.contains("href=\"/minhbach/style.css\""), "css under the base path");
    assert!(html.contains("href=\"/minhbach/thu/\""), "unit link under the base path");
    assert!(html.contains("<link rel=\"canonical\" href=\"https://example.org/minhbach/\">"), "canonical");
}

#[test]
fn a_rebuild_keeps_unchanged_files_untouched() {
    use std::os::unix::fs::MetadataExt;
    let site = fixture();
    minhbach().args(["build", "--root"]).arg(site.path()).assert().success();
    let public = site.path().join("public");
    let inode = |p: &str| fs::metadata(public.join(p)).unwrap().ino();
    let (home, doc) = (inode("index.html"), inode("thu/phuong-thu/nghi-quyet/index.html"));
    let path = site.path().join("content/thu/phuong-thu/nghi-quyet.md");
    fs::write(&path, read(&path).replace("Nội dung **nghị quyết**.", "Nội dung mới.")).unwrap();
    minhbach().args(["build", "--root"]).arg(site.path()).assert().success();
    // The same file (hard-linked from the previous build) where the bytes did not change,
    // a new one where they did: rsync and hosts upload only what changed.
    assert_eq!(inode("index.html"), home, "unchanged page kept");
    assert_ne!(inode("thu/phuong-thu/nghi-quyet/index.html"), doc, "changed page rewritten");
    assert!(read(public.join("thu/phuong-thu/nghi-quyet/index.html")).contains("Nội dung mới."));
}

#[test]
fn a_site_macro_overrides_every_table_that_uses_it() {
    // A site restyles the status badge by overriding macros.html: the document's target
    // table and the indicator's comparison rows both show it.
    let site = fixture();
    let theme = read(repo().join("themes/default/templates/macros.html"));
    let mine = theme.replace(
        "<span class=\"status status-{{ status }}\">",
        "<span class=\"status status-{{ status }}\" data-badge=\"site\">",
    );
    assert_ne!(mine, theme, "the theme's status_badge macro changed: update this test");
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(site.path().join("templates/macros.html"), mine).unwrap();
    minhbach().args(["build", "--root"]).arg(site.path()).assert().success();
    for page in ["thu/phuong-thu/nghi-quyet/index.html", "chi-so/ty-le-ho-ngheo/index.html"] {
        let html = read(site.path().join("public").join(page));
        let rows = &html[html.find("<tbody>").unwrap_or_else(|| panic!("{page}: a table"))..];
        assert!(rows.contains("data-badge=\"site\""), "{page}: the site's badge in the table rows");
    }
}

#[test]
fn the_date_line_speaks_the_sites_words() {
    let site = fixture();
    let doc = site.path().join("content/thu/phuong-thu/nghi-quyet.md");
    let text = read(&doc).replace("issued: 2020-05-22\n", "issued: 2020-05-22\nplace: Thử\n");
    fs::write(&doc, text).unwrap();
    minhbach().args(["build", "--root"]).arg(site.path()).assert().success();
    let page = site.path().join("public/thu/phuong-thu/nghi-quyet/index.html");
    assert!(read(&page).contains("Thử, ngày 22 tháng 5 năm 2020"));
    // A site's translation file changes the words; the other strings stay the theme's.
    fs::create_dir_all(site.path().join("i18n")).unwrap();
    fs::write(site.path().join("i18n/vi.toml"), "[date]\nlong_day = \"{day}.{month}.{year}\"\n").unwrap();
    minhbach().args(["build", "--root"]).arg(site.path()).assert().success();
    let html = read(&page);
    assert!(html.contains("Thử, 22.5.2020") && html.contains("Chỉ tiêu"), "{html}");
}
