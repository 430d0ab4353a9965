//! Bad input: every problem is named with file:line:col, the offending line, a caret and
//! a hint; all problems are listed at once; a failed build leaves public/ untouched.

mod common;
use common::*;
use std::fs;

const DOC_PATH: &str = "content/thu/phuong-thu/nghi-quyet.md";

/// Line (1-based) and column of the first occurrence of `needle` in `text`.
fn pos(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle} not in fixture"));
    let line = text[..at].matches('\n').count() + 1;
    let col = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

fn check_fails(root: &std::path::Path) -> String {
    let out = minhbach().args(["check", "--root"]).arg(root).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "check must exit 1; stdout: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn fixture_is_valid() {
    let site = fixture();
    minhbach().args(["check", "--root"]).arg(site.path()).assert().success();
}

#[test]
fn a_bad_number_names_file_line_and_column() {
    let site = fixture();
    let broken = DOC.replace("value: \"0,5\"", "value: \"0,5,1\"");
    fs::write(site.path().join(DOC_PATH), &broken).unwrap();
    let err = check_fails(site.path());
    let (line, col) = pos(&broken, "\"0,5,1\"");
    assert!(err.contains(&format!("--> {DOC_PATH}:{line}:{col}")), "{err}");
    assert!(err.contains("value: \"0,5,1\""), "offending line shown: {err}");
    assert!(err.contains('^'), "caret: {err}");
    assert!(err.contains("help: use `,` for decimals"), "hint: {err}");
}

#[test]
fn an_unknown_field_gets_a_did_you_mean_hint() {
    let site = fixture();
    let broken = DOC.replace("        unit: \"%\"\n", "        unti: \"%\"\n");
    fs::write(site.path().join(DOC_PATH), &broken).unwrap();
    let err = check_fails(site.path());
    let (line, col) = pos(&broken, "unti:");
    assert!(err.contains(&format!("{DOC_PATH}:{line}:{col}")), "{err}");
    assert!(err.contains("error: unknown field `unti` in a measure\n"), "{err}");
    assert!(err.contains("did you mean `unit`?"), "{err}");
    // The fields a measure takes, listed once (not in the message and again in the hint).
    assert_eq!(err.matches("indicator, label, op, value, min, max, unit, per, deadline").count(), 1, "{err}");
}

/// A Vietnamese number YAML cannot read as a number is read the Vietnamese way without
/// quotes, as docs/content-format.md says; `1.234` (a dot, then three digits) is not.
#[test]
fn an_unquoted_vietnamese_number_is_read_unless_yaml_reads_it_otherwise() {
    let site = fixture();
    let doc = DOC.replace("    value: 12\n", "    value: 1.234,5\n");
    fs::write(site.path().join(DOC_PATH), &doc).unwrap();
    minhbach().args(["build", "--root"]).arg(site.path()).assert().success();
    let html = read(site.path().join("public/thu/phuong-thu/nghi-quyet/index.html"));
    assert!(html.contains("1.234,5"), "the result as written");
    fs::write(site.path().join(DOC_PATH), DOC.replace("    value: 12\n", "    value: 1.234\n")).unwrap();
    let err = check_fails(site.path());
    let (line, col) = pos(&DOC.replace("    value: 12\n", "    value: 1.234\n"), "1.234");
    assert!(err.contains("error: `1.234` without quotes is read as 1.234, not as 1234\n"), "{err}");
    assert!(err.contains(&format!("--> {DOC_PATH}:{line}:{col}\n")), "{err}");
    assert!(err.contains("write it in quotes, \"1.234\""), "{err}");
}

#[test]
fn all_problems_are_listed_not_just_the_first() {
    let site = fixture();
    let broken = DOC
        .replace("indicator: ty-le-ho-ngheo", "indicator: ty-le-ho-nghoe")
        .replace("    count: 2\n", "    count: 3\n")
        .replace("as_of: 2022-12-31", "as_of: 2022-13-31")
        .replace("  - id: \"1.2\"", "  - id: \"1.1\"");
    fs::write(site.path().join(DOC_PATH), &broken).unwrap();
    fs::write(site.path().join("content/thu/phuong-thu/_index.md"), "---\nname: Phường Thử\nlevel: phuong\n---\n")
        .unwrap();
    let err = check_fails(site.path());
    assert!(
        err.contains("unknown indicator `ty-le-ho-nghoe`") && err.contains("did you mean `ty-le-ho-ngheo`?"),
        "{err}"
    );
    assert!(err.contains("announces 3 targets but 2 are listed"), "{err}");
    assert!(err.contains("`2022-13-31` is not a day of the calendar"), "{err}");
    assert!(err.contains("the target id `1.1` is used twice"), "{err}");
    assert!(err.contains("content/thu/phuong-thu/_index.md:3:8") && err.contains("did you mean `phường`?"), "{err}");
    assert!(err.contains("problems found"), "{err}");
}

#[test]
fn broken_yaml_and_missing_front_matter() {
    let site = fixture();
    fs::write(site.path().join(DOC_PATH), DOC.replace("kind: resolution", "kind: [resolution")).unwrap();
    fs::write(site.path().join("content/thu/phuong-thu/khac.md"), "Không có front matter\n").unwrap();
    let err = check_fails(site.path());
    assert!(err.contains(&format!("{DOC_PATH}:3:")), "{err}");
    assert!(
        err.contains("content/thu/phuong-thu/khac.md:1:1") && err.contains("does not start with front matter"),
        "{err}"
    );
}

#[test]
fn a_result_pointing_at_a_missing_target_is_an_error() {
    let site = fixture();
    let broken = DOC.replace("  - target: \"1.2\"", "  - target: \"1.3\"");
    fs::write(site.path().join(DOC_PATH), &broken).unwrap();
    let err = check_fails(site.path());
    let (line, _) = pos(&broken, "target: \"1.3\"");
    assert!(err.contains(&format!("{DOC_PATH}:{line}:")) && err.contains("no target `1.3`"), "{err}");
}

#[test]
fn a_failed_build_leaves_the_previous_public_untouched() {
    let site = fixture();
    minhbach().args(["build", "--root"]).arg(site.path()).assert().success();
    let public = site.path().join("public");
    let before = tree(&public);
    assert!(before.contains_key("thu/phuong-thu/nghi-quyet/index.html"));
    fs::write(site.path().join(DOC_PATH), DOC.replace("value: 12", "value: mười hai")).unwrap();
    let out = minhbach().args(["build", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(DOC_PATH) && err.contains("left as it was"), "{err}");
    assert_eq!(tree(&public), before, "public/ changed after a failed build");
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
}

/// `build` does not hold every body: a unit's or document's page reads its body again
/// from the file, checked against the bytes the build read. A file changed or deleted
/// in between fails the build with its name, and the previous site stays; the same
/// bytes saved again (a newer time, no change) do not.
#[test]
fn a_body_changed_on_disk_between_reading_and_rendering_fails_the_build_naming_the_file() {
    const UNIT_PATH: &str = "content/thu/phuong-thu/_index.md";
    let site = fixture();
    let root = site.path();
    minhbach().args(["build", "--root"]).arg(root).assert().success();
    let public = root.join("public");
    let before = tree(&public);
    // Read and checked, not yet rendered: the moment a long build spends minutes in.
    let read = || {
        let config = minhbach::site::load_config(root, &Default::default()).unwrap();
        let content = minhbach::load::content::read(root, &config.content_dir()).unwrap();
        minhbach::site::prepare(config, content).unwrap()
    };
    let failure = |p: &minhbach::site::Prepared| {
        let diags = minhbach::site::write(p).expect_err("the build must fail");
        assert_eq!(tree(&public), before, "public/ changed after a failed build");
        let leftovers: Vec<_> = fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
        let [d] = diags.0.as_slice() else { panic!("one problem, the file: {:#?}", diags.0) };
        (d.file.to_string_lossy().replace('\\', "/"), d.message.clone())
    };

    let p = read();
    fs::write(root.join(DOC_PATH), DOC.replace("Nội dung", "Nội dung đã sửa")).unwrap();
    let (file, message) = failure(&p);
    assert_eq!((file.as_str(), message), (DOC_PATH, format!("{DOC_PATH} changed after this build read it")));

    // The same length, another byte, in the front matter: the whole file is compared.
    fs::write(root.join(DOC_PATH), DOC).unwrap();
    let p = read();
    fs::write(root.join(DOC_PATH), DOC.replace("value: 12", "value: 13")).unwrap();
    assert_eq!(failure(&p).1, format!("{DOC_PATH} changed after this build read it"));

    fs::write(root.join(DOC_PATH), DOC).unwrap();
    let p = read();
    fs::remove_file(root.join(UNIT_PATH)).unwrap();
    let (file, message) = failure(&p);
    assert_eq!((file.as_str(), message), (UNIT_PATH, format!("{UNIT_PATH} was deleted after this build read it")));

    fs::write(root.join(UNIT_PATH), UNIT).unwrap();
    let p = read();
    fs::write(root.join(DOC_PATH), DOC).unwrap();
    minhbach::site::write(&p).expect("the same bytes saved again");
    assert_eq!(tree(&public), before);
}

#[test]
fn a_template_error_fails_the_build_with_its_location() {
    let site = fixture();
    minhbach().args(["build", "--root"]).arg(site.path()).assert().success();
    let before = tree(&site.path().join("public"));
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.nonexistent.field }}\n{% endblock %}\n",
    )
    .unwrap();
    let out = minhbach().args(["build", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("templates/404.html:3:"), "{err}");
    assert_eq!(tree(&site.path().join("public")), before);
}

#[test]
fn content_is_escaped_and_raw_html_is_text() {
    let site = fixture();
    let doc = DOC
        .replace("text: \"Tỷ lệ hộ nghèo dưới 0,5%.\"", "text: \"<script>alert(1)</script> dưới 0,5%\"")
        .replace("Nội dung **nghị quyết**.", "Nội dung <img src=x onerror=alert(1)> [x](javascript:alert(1))");
    fs::write(site.path().join(DOC_PATH), doc).unwrap();
    minhbach().args(["build", "--root"]).arg(site.path()).assert().success();
    let html = read(site.path().join("public/thu/phuong-thu/nghi-quyet/index.html"));
    assert!(!html.contains("<script>alert"), "script from content must be escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<img src=x"), "raw HTML in the body is text by default");
    assert!(!html.contains("javascript:"), "script links are neutralised");
}

#[test]
fn a_document_outside_a_unit_folder_is_reported() {
    let site = fixture();
    fs::create_dir_all(site.path().join("content/khong-co-don-vi")).unwrap();
    fs::write(site.path().join("content/khong-co-don-vi/vb.md"), DOC).unwrap();
    let err = check_fails(site.path());
    assert!(
        err.contains("content/khong-co-don-vi/vb.md")
            && err.contains("not in a unit folder")
            && err.contains("minhbach new unit content/khong-co-don-vi"),
        "{err}"
    );
}

#[test]
fn a_bad_setting_in_minhbach_toml_is_located() {
    let site = fixture();
    fs::write(site.path().join("minhbach.toml"), "title = \"A\"\nbase_ulr = \"/\"\n").unwrap();
    let err = check_fails(site.path());
    assert!(err.contains("minhbach.toml:2:1") && err.contains("did you mean `base_url`?"), "{err}");
}

#[test]
fn build_refuses_an_output_that_would_destroy_the_site() {
    let site = fixture();
    let root = site.path();
    let before = tree(&root.join("content"));
    for out in
        [root.join("content"), root.to_path_buf(), root.parent().unwrap().to_path_buf(), root.join("content/thu")]
    {
        let o = minhbach().args(["build", "--root"]).arg(root).arg("--output").arg(&out).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "--output {} must be refused", out.display());
        assert!(String::from_utf8_lossy(&o.stderr).contains("output folder"), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(tree(&root.join("content")), before, "sources untouched");
    // A non-empty folder minhbach did not write is not replaced either.
    let other = root.join("other");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("notes.txt"), "keep me").unwrap();
    let o = minhbach().args(["build", "--root"]).arg(root).arg("--output").arg(&other).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("was not written by minhbach"));
    assert_eq!(read(other.join("notes.txt")), "keep me");
    // Its own previous output it replaces.
    minhbach().args(["build", "--root"]).arg(root).assert().success();
    minhbach().args(["build", "--root"]).arg(root).assert().success();
}

#[test]
fn numbers_that_would_be_misread_are_errors() {
    let site = fixture();
    let broken =
        DOC.replace("value: 10\n", "value: 1.300\n").replace("value: 12\n", "value: \"1,1 tỷ\"\n    unit: tỷ đồng\n");
    fs::write(site.path().join(DOC_PATH), &broken).unwrap();
    let err = check_fails(site.path());
    assert!(err.contains("`1.300` without quotes is read as 1.3") && err.contains("\"1.300\""), "{err}");
    assert!(err.contains("has a scale word and the unit `tỷ đồng` has one too"), "{err}");
}

#[test]
fn decomposed_vietnamese_is_accepted() {
    let site = fixture();
    // "phường" typed as u + horn, o + horn + grave (NFD).
    fs::write(
        site.path().join("content/thu/phuong-thu/_index.md"),
        "---\nname: Phường Thử\nlevel: phu\u{031B}o\u{031B}\u{0300}ng\n---\n",
    )
    .unwrap();
    minhbach().args(["check", "--root"]).arg(site.path()).assert().success();
}

#[test]
fn the_hierarchy_has_no_gaps_and_levels_go_down() {
    let site = fixture();
    fs::remove_file(site.path().join("content/thu/_index.md")).unwrap();
    let err = check_fails(site.path());
    assert!(err.contains("content/thu/ has no _index.md") && err.contains("minhbach new unit content/thu"), "{err}");
    fs::write(site.path().join("content/thu/_index.md"), "---\nname: Phường Trên\nlevel: xã\n---\n").unwrap();
    let err = check_fails(site.path());
    assert!(err.contains("a phường is not below a xã"), "{err}");
}

#[test]
fn dates_and_addresses_that_cannot_be_right() {
    let site = fixture();
    fs::write(site.path().join(DOC_PATH), DOC.replace("issued: 2020-05-22", "issued: 22-05-2020")).unwrap();
    let err = check_fails(site.path());
    assert!(err.contains("did you mean 22/5/2020?"), "{err}");
    fs::write(site.path().join(DOC_PATH), DOC.replace("issued: 2020-05-22", "issued: 2030-01-01")).unwrap();
    let err = check_fails(site.path());
    assert!(err.contains("after the date statuses are computed at (23/11/2026)"), "{err}");
    fs::write(site.path().join(DOC_PATH), DOC).unwrap();
    let o = minhbach().args(["build", "--root"]).arg(site.path()).args(["--base-url", "example.org"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("neither a path nor an address"));
}

#[test]
fn a_broken_vocabulary_is_the_one_error_about_keys() {
    // Documents are checked against the vocabulary as they are read; when it does not
    // parse, its error is shown, not one "unknown indicator" per target using it.
    let site = fixture();
    let vocab = site.path().join("content/indicators.yaml");
    fs::write(&vocab, VOCAB.replace("    direction: lower\n", "    direction: [lower\n")).unwrap();
    let err = check_fails(site.path());
    assert!(err.contains("content/indicators.yaml:"), "{err}");
    assert!(!err.contains("unknown indicator"), "{err}");

    // A vocabulary that parses but lacks a key used by a document: the document is told.
    fs::write(&vocab, VOCAB.replace("ket-nap-dang-vien", "ket-nap")).unwrap();
    let err = check_fails(site.path());
    assert!(err.contains(DOC_PATH) && err.contains("unknown indicator `ket-nap-dang-vien`"), "{err}");
}

/// Copy a folder tree (the default theme, to make a site's own theme of it).
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_translation_string_missing_from_the_theme_is_an_error_naming_the_file() {
    // A theme of the site's own whose strings lack one that Rust looks up (the title of a
    // unit's feed), not a template: before, the feed said `[feed.unit_title]`.
    let site = fixture();
    let theme = site.path().join("themes/x");
    fs::create_dir_all(&theme).unwrap();
    copy_tree(&repo().join("themes/default"), &theme);
    let strings = theme.join("i18n/vi.toml");
    let text = fs::read_to_string(&strings).unwrap();
    fs::write(&strings, text.replace("unit_title = ", "# unit_title = ")).unwrap();
    fs::write(site.path().join("minhbach.toml"), format!("{TOML}theme = \"x\"\n")).unwrap();
    let err = check_fails(site.path());
    assert!(err.contains("error: the translation string `feed.unit_title` is missing"), "{err}");
    assert!(err.contains("--> themes/x/i18n/vi.toml\n"), "{err}");
    assert!(err.contains("add `unit_title = \"…\"` under `[feed]`"), "{err}");
    assert!(err.contains("1 problem found"), "only the missing string: {err}");
    let out = minhbach().args(["build", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "build fails too");
    assert!(String::from_utf8_lossy(&out.stderr).contains("`feed.unit_title` is missing"));
    assert!(!site.path().join("public").exists(), "nothing was written");
}

#[test]
fn a_slip_that_leaves_the_site_right_is_a_warning_at_its_place() {
    // Posted online before it was issued: one of the dates is mistyped, but the page is
    // right either way. The unit's merger date without the unit it was merged into.
    let site = fixture();
    let doc = DOC.replace("issued: 2020-05-22\n", "issued: 2020-05-22\nposted: 2020-05-02\n");
    fs::write(site.path().join(DOC_PATH), &doc).unwrap();
    let unit = UNIT.replace("level: phường\n", "level: phường\nsucceeded_on: 2025-07-01\n");
    let unit_path = "content/thu/phuong-thu/_index.md";
    fs::write(site.path().join(unit_path), &unit).unwrap();
    let (pl, pc) = pos(&doc, "2020-05-02");
    let (ul, uc) = pos(&unit, "2025-07-01");

    let out = minhbach().args(["check", "--root"]).arg(site.path()).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "warnings do not fail check:\n{err}");
    assert!(err.contains("warning: posted 2/5/2020 is before the document was issued (22/5/2020)"), "{err}");
    assert!(err.contains(&format!("--> {DOC_PATH}:{pl}:{pc}\n")), "{err}");
    assert!(err.contains("warning: `succeeded_on` is given without `succeeded_by`"), "{err}");
    assert!(err.contains(&format!("--> {unit_path}:{ul}:{uc}\n")), "{err}");
    assert!(err.contains("= help: check both dates"), "{err}");
    assert!(err.contains("2 warnings; they do not stop a build."), "{err}");
    assert!(!err.contains("error"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("No errors: "));

    let out = minhbach().args(["check", "--deny-warnings", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "--deny-warnings makes them fail");
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 warnings; --deny-warnings makes them fail the check."));

    let out = minhbach().args(["build", "--root"]).arg(site.path()).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "warnings do not fail build:\n{err}");
    assert!(err.contains(&format!("--> {DOC_PATH}:{pl}:{pc}\n")) && err.contains("2 warnings;"), "{err}");
    let page = fs::read_to_string(site.path().join("public/thu/phuong-thu/nghi-quyet/index.html")).unwrap();
    assert!(page.contains("2020-05-02"), "the page is built with the date as written");

    // With an error, nothing is written, and the warnings are listed with it.
    fs::write(site.path().join(DOC_PATH), doc.replace("kind: resolution", "kind: resolutoin")).unwrap();
    let err = check_fails(site.path());
    assert!(err.contains("error: unknown document kind `resolutoin`"), "{err}");
    assert!(err.contains("1 problem and 2 warnings found; check writes nothing."), "{err}");
}
