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
        .args(["--issued", "22/5/2025"])
        .assert()
        .success()
        .stdout(contains("nghi-quyet-dai-hoi-xi-nhiem-ky-2025-2030.md"));
    let doc = read(unit.join("nghi-quyet-dai-hoi-xi-nhiem-ky-2025-2030.md"));
    assert!(doc.contains("kind: resolution") && doc.contains("term: 2025-2030"), "{doc}");
    assert!(doc.contains("\nissued: 2025-05-22 "), "the date given, in the form of the format: {doc}");
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

/// A site of one ward compares nothing: no section of indicators several units set on
/// the home page, no matrix of one row (the matrix page says what it needs instead).
#[test]
fn a_site_of_one_ward_shows_no_comparison_of_units() {
    let out = tempfile::tempdir().unwrap();
    let site = fixture();
    minhbach().args(["build", "--root"]).arg(site.path()).arg("--output").arg(out.path()).assert().success();
    let home = read(out.path().join("index.html"));
    assert!(home.contains("Đơn vị hành chính") && !home.contains("Chỉ số nhiều đơn vị cùng đặt"), "{home}");
    let terms: Vec<_> = fs::read_dir(out.path().join("ma-tran")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(terms, ["index.html"], "no matrix of one unit");
    assert!(read(out.path().join("ma-tran/index.html")).contains("cần ít nhất hai đơn vị"));
}

/// `new unit` below folders that are not units yet: every one of them named at once, as
/// the path was typed (from the site folder, not as an absolute path), with commands
/// that, run as printed, make the hierarchy and then the unit asked for, each at a level
/// that fits where it stands.
#[test]
fn new_unit_names_every_missing_parent_with_commands_that_make_them() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    minhbach().args(["new", "site"]).arg(&site).assert().success();
    let out = minhbach()
        .args(["new", "unit", "content/ha-noi/quan-long-bien/phuong-duc-giang", "--name", "Phường Đức Giang"])
        .current_dir(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "error: content/ha-noi, content/ha-noi/quan-long-bien are not units yet (they have no _index.md)"
        ),
        "{err}"
    );
    assert!(!err.contains(&*tmp.path().to_string_lossy()), "no absolute path: {err}");
    let lines: Vec<(&str, &str)> = err
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("minhbach "))
        .map(|l| l.split_once(" # ").map_or((l, ""), |(c, note)| (c.trim_end(), note.trim())))
        .collect();
    assert_eq!(
        lines,
        [
            // Hà Nội's folder name does not say its level: the top is a province or a city.
            ("minhbach new unit content/ha-noi --level tỉnh", "or: thành phố"),
            ("minhbach new unit content/ha-noi/quan-long-bien --level quận", ""),
            ("minhbach new unit content/ha-noi/quan-long-bien/phuong-duc-giang --name \"Phường Đức Giang\"", ""),
        ]
    );
    for (cmd, _) in &lines {
        minhbach().args(&words(cmd)[1..]).current_dir(&site).assert().success();
    }
    let level = |p: &str| {
        let text = read(site.join(p).join("_index.md"));
        text.lines().find_map(|l| l.strip_prefix("level: ")).unwrap().to_string()
    };
    assert_eq!(level("content/ha-noi"), "tỉnh");
    assert_eq!(level("content/ha-noi/quan-long-bien"), "quận");
    assert_eq!(level("content/ha-noi/quan-long-bien/phuong-duc-giang"), "phường");
    minhbach().args(["check", "--root"]).arg(&site).assert().success().stdout(contains("No problems: 3 units"));
}

/// Without --level and with a folder name that does not say it, the level is the
/// likeliest below the unit above (a province at the top), never a ward's by default,
/// and the note says to check it and what else it can be.
#[test]
fn new_unit_guesses_a_level_that_fits_where_it_stands() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    minhbach().args(["new", "site"]).arg(&site).assert().success();
    let new_unit = |path: &str| {
        let out = minhbach().args(["new", "unit", path]).current_dir(&site).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = read(site.join(path).join("_index.md"));
        let level = text.lines().find_map(|l| l.strip_prefix("level: ")).unwrap().to_string();
        (level, String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (level, said) = new_unit("content/gia-lai");
    assert_eq!(level, "tỉnh");
    assert!(
        said.starts_with("Wrote content/gia-lai/_index.md. Fill it in, then run `minhbach check`; in it:\n")
            && said.contains("\n  - check `level:`: the folder name does not say it, so it is `tỉnh`, the likeliest here (or thành phố; pass --level next time)\n"),
        "{said}"
    );
    let (level, said) = new_unit("content/gia-lai/pleiku");
    assert_eq!(level, "quận");
    assert!(
        said.contains("so it is `quận`, the likeliest here (or huyện, thị xã, thành phố thuộc tỉnh, thành phố;"),
        "{said}"
    );
    // The folder name says it: no note about the level.
    let (level, said) = new_unit("content/gia-lai/pleiku/phuong-yen-do");
    assert_eq!(level, "phường");
    assert!(!said.contains("`level:`"), "{said}");
    minhbach().args(["check", "--root"]).arg(&site).assert().success();
}

/// A resolution's `issued` is the day it was signed: `--issued` writes it; without it the
/// draft has a commented placeholder, never today's date, and `check` says where to
/// write it: a warning while it is a draft, an error once it would be published.
#[test]
fn new_doc_writes_the_issued_date_given_and_never_today() {
    let site = fixture();
    let unit = site.path().join("content/thu/phuong-thu");
    minhbach()
        .args(["new", "doc"])
        .arg(&unit)
        .args(["Nghị quyết Đại hội XII", "--issued", "2025-02-30"])
        .assert()
        .failure()
        .stderr(contains("error: --issued `2025-02-30` is not a day of the calendar"));
    let out = minhbach()
        .args(["new", "doc", "content/thu/phuong-thu", "Báo cáo sơ kết"])
        .current_dir(site.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Wrote content/thu/phuong-thu/bao-cao-so-ket.md. Fill it in, then run `minhbach check`; in it:\n  - write `issued:`, the date printed on the document (pass --issued next time)\n"
    );
    let path = unit.join("bao-cao-so-ket.md");
    let text = read(&path);
    assert!(!text.lines().any(|l| l.starts_with("issued:")), "no date made up: {text}");
    let line = text.lines().position(|l| l.starts_with("# issued: ")).expect("a placeholder to fill in") + 1;
    let out = minhbach().arg("check").current_dir(site.path()).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("warning: this draft has no `issued` date yet; it cannot be published without one\n"),
        "{err}"
    );
    assert!(err.contains(&format!("--> content/thu/phuong-thu/bao-cao-so-ket.md:{line}:3\n")), "{err}");
    assert!(err.contains("help: delete the `# ` before `issued:` and write the date printed on the document"), "{err}");
    // The warnings, then what a published site with base_url "/" would lack.
    assert!(err.contains("1 warning; it does not stop a build.\nnote: base_url is \"/\""), "{err}");
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("No errors: 2 units, 1 document (and 1 draft, not published), "),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Published without a date: an error at the same place.
    fs::write(&path, text.replace("draft: true", "# draft: true")).unwrap();
    let out = minhbach().arg("check").current_dir(site.path()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("error: missing field `issued` in the front matter\n"), "{err}");
    assert!(err.contains(&format!("--> content/thu/phuong-thu/bao-cao-so-ket.md:{line}:3\n")), "{err}");
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
    // Every argument and option of every command says what it is.
    for cmd in [&["build"][..], &["check"], &["serve"], &["new", "site"], &["new", "unit"], &["new", "doc"]] {
        let out = minhbach().args(cmd).arg("--help").output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        let bare: Vec<&str> = help
            .lines()
            .filter(|l| l.starts_with("  <") || l.starts_with("  -"))
            .filter(|l| {
                // The text after the name, without clap's "[default: …]".
                let said: Vec<&str> = l.split("  ").map(str::trim).filter(|w| !w.is_empty()).skip(1).collect();
                said.join(" ").split('[').next().unwrap().trim().is_empty()
            })
            .collect();
        assert!(bare.is_empty(), "`{} --help` leaves unexplained: {bare:?}\n{help}", cmd.join(" "));
    }
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
