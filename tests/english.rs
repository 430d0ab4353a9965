//! English: the bundled site with `language = "en"` (the interface in the theme's
//! English strings, every key of vi.toml, checked in render/i18n.rs; the content as
//! written), and the bundled site as it is, with `languages = ["vi", "en"]`: two
//! editions that link each other, share the data files and the search index, and
//! whose every link leads to a file and an anchor of the site.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
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
    let toml = toml.split("[translations").next().unwrap();
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

/// The site paths an HTML page links to or loads (`href`, `src`, `action`), as written.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\""] {
        for part in html.split(attr).skip(1) {
            let link = part.split('"').next().unwrap();
            if link.starts_with('/') && !link.starts_with("//") {
                out.push(link.replace("&amp;", "&"));
            }
        }
    }
    out
}

/// The `id`s of an HTML page.
fn ids(html: &str) -> BTreeSet<String> {
    html.split(" id=\"").skip(1).map(|p| p.split('"').next().unwrap().to_string()).collect()
}

#[test]
fn both_editions_link_each_other_and_every_link_leads_somewhere() {
    let out = bundled();
    let files = tree(out);
    let html: BTreeMap<&str, String> = files
        .iter()
        .filter(|(f, _)| f.ends_with(".html"))
        .map(|(f, b)| (f.as_str(), String::from_utf8(b.clone()).unwrap()))
        .collect();
    let english: Vec<&&str> = html.keys().filter(|f| f.starts_with("en/")).collect();
    let vietnamese = html.len() - english.len();
    assert_eq!(english.len(), vietnamese, "every page of the site has its English copy");

    // Every link to the site leads to a file, and every #anchor to an id of its page.
    let mut broken = Vec::new();
    let mut anchors = 0;
    for (file, page) in &html {
        for link in links(page) {
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let path = path.split('?').next().unwrap();
            let mut target = path.trim_start_matches('/').to_string();
            if target.is_empty() || target.ends_with('/') {
                target.push_str("index.html");
            }
            if !files.contains_key(&target) {
                broken.push(format!("{file}: {link}"));
            } else if !fragment.is_empty() && target.ends_with(".html") {
                anchors += 1;
                if !ids(&html[target.as_str()]).contains(fragment) {
                    broken.push(format!("{file}: {link} (no such id)"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{} links lead nowhere:\n{}", broken.len(), broken.join("\n"));
    assert!(anchors > 500, "anchors were followed too: {anchors}");

    // Each English page is in English, names its Vietnamese copy, and the other way round.
    for file in english {
        let page = &html[*file];
        let vi_file = file.strip_prefix("en/").unwrap();
        let address = |f: &str| format!("/{}", f.strip_suffix("index.html").unwrap_or(f));
        let (en_url, vi_url) = (address(file), address(vi_file));
        assert!(page.contains("<html lang=\"en\">"), "{file}");
        if page.contains("http-equiv=\"refresh\"") {
            continue;
        }
        assert!(page.contains(&format!("<a href=\"{vi_url}\" lang=\"vi\" hreflang=\"vi\">Tiếng Việt</a>")), "{file}");
        assert!(page.contains(&format!("<link rel=\"alternate\" hreflang=\"en\" href=\"{en_url}\">")), "{file}");
        let vi_page = &html[vi_file];
        assert!(
            vi_page.contains(&format!("<a href=\"{en_url}\" lang=\"en\" hreflang=\"en\">English</a>")),
            "{vi_file}"
        );
        assert!(vi_page.contains(&format!("<link rel=\"alternate\" hreflang=\"x-default\" href=\"{vi_url}\">")));
        assert!(page.contains(">Home</a>") && !page.contains(">Trang chủ<"), "{file}: the menu in English");
    }

    // The data files and the search index are the site's, once; the English pages use them.
    assert!(!files.keys().any(|f| f.starts_with("en/data/") || f.starts_with("en/tim-kiem/s/")));
    assert!(!files.contains_key("en/robots.txt") && !files.contains_key("en/og.png"));
    let data = &html["en/du-lieu/index.html"];
    assert!(data.contains("href=\"/data/units.csv\"") && data.contains("Open data"));
    let search = &html["en/tim-kiem/index.html"];
    assert!(search.contains("data-index=\"/tim-kiem/\"") && search.contains("data-home=\"/en/\""));
    assert!(search.contains("data-status-on-track=\"On track\""), "the index's statuses in English");

    // The vocabulary in English where content/indicators.yaml gives its words.
    let vocab: serde_json::Value = serde_saphyr::from_str(&read(repo().join("content/indicators.yaml"))).unwrap();
    let bhyt = vocab["indicators"].as_array().unwrap().iter().find(|i| i["key"] == "bao-hiem-y-te").unwrap();
    let name = bhyt["translations"]["en"]["name"].as_str().expect("the bundled vocabulary has English names");
    let page = &html["en/chi-so/bao-hiem-y-te/index.html"];
    assert!(page.contains(&format!("<h1>{name}")), "the indicator's English name heads its page");
    assert!(html["chi-so/bao-hiem-y-te/index.html"].contains(bhyt["name"].as_str().unwrap()));

    // The documents as written, marked as Vietnamese; computed figures in English marks.
    let xiv = &html["en/tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv/index.html"];
    assert!(xiv.contains("<blockquote class=\"quote\" lang=\"vi\">") && xiv.contains("<span lang=\"vi\">"));
    assert!(xiv.contains("37.81% when calculated"), "English decimal mark");
    let vi_xiv = &html["tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv/index.html"];
    assert!(vi_xiv.contains("37,81%") && !vi_xiv.contains("<span lang="), "nothing to mark in Vietnamese");
    // English counts agree in number; Vietnamese has none to agree.
    assert!(html["en/index.html"].contains(">1 document · 1 target<"), "the singular after 1");
    assert!(html["en/index.html"].contains(">1 document · 29 targets<"));
    assert!(html["index.html"].contains(">1 văn bản · 1 chỉ tiêu<"));
    // A title of the site's own for the edition (`[translations.en]`).
    assert!(html["en/index.html"].contains("<title>Minh bạch – Targets of ward and commune resolutions"));
}

#[test]
fn each_edition_has_its_own_feeds_with_their_own_ids() {
    let out = bundled();
    let vi = read(out.join("atom.xml"));
    let en = read(out.join("en/atom.xml"));
    let ids = |xml: &str| -> Vec<String> {
        let doc = roxmltree::Document::parse(xml).unwrap();
        doc.descendants().filter(|n| n.has_tag_name("id")).map(|n| n.text().unwrap().to_string()).collect()
    };
    let (vi_ids, en_ids) = (ids(&vi), ids(&en));
    assert!(vi_ids.len() > 10 && vi_ids.len() == en_ids.len());
    for (a, b) in vi_ids.iter().zip(&en_ids) {
        assert_eq!(format!("{a}#en"), *b, "the English entry is the Vietnamese one's id with #en");
    }
    assert!(en.contains("xml:lang=\"en\"") && vi.contains("xml:lang=\"vi\""));
}

#[test]
fn a_province_folder_named_like_an_edition_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy(&repo().join("content"), &site.join("content"));
    std::fs::copy(repo().join("minhbach.toml"), site.join("minhbach.toml")).unwrap();
    std::fs::create_dir_all(site.join("content/en")).unwrap();
    std::fs::write(site.join("content/en/_index.md"), "---\nname: Tỉnh En\nlevel: tỉnh\n---\n").unwrap();
    let run = minhbach().args(["check", "--root"]).arg(&site).assert().failure();
    let err = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(err.contains("en/index.html is written twice") && err.contains("content/en/_index.md"), "{err}");
}

#[test]
fn languages_in_the_settings_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    std::fs::create_dir_all(site.join("content")).unwrap();
    let check = |toml: &str| {
        std::fs::write(site.join("minhbach.toml"), toml).unwrap();
        let run = minhbach().args(["check", "--root"]).arg(site).assert().failure();
        String::from_utf8_lossy(&run.get_output().stderr).into_owned()
    };
    let err = check("title = \"T\"\nlanguages = [\"vi\", \"fr\"]\n");
    assert!(err.contains("minhbach.toml:2:20") && err.contains("no translation strings for language `fr`"), "{err}");
    let err = check("title = \"T\"\nlanguages = [\"vi\", \"en\", \"en\"]\n");
    assert!(err.contains("language `en` is listed twice"), "{err}");
    let err = check("title = \"T\"\nlanguage = \"vi\"\nlanguages = [\"vi\"]\n");
    assert!(err.contains("`language` and `languages` are both set"), "{err}");
    let err = check("title = \"T\"\n[translations.en]\ntitle = \"E\"\n");
    assert!(err.contains("`[translations.en]` is for a language the site does not publish"), "{err}");
}
