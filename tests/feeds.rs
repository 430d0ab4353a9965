//! The Atom feeds as a feed reader takes them: every feed of the bundled site parsed as
//! XML with the elements Atom requires, ids that are tag URIs unique in their feed and
//! the same whatever `base_url` is, a district's and a province's feed with their wards'
//! results, the site's feed with everything, no feed dated 1970, and every page linking
//! its feeds.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const ATOM: &str = "http://www.w3.org/2005/Atom";

struct Feed {
    id: String,
    updated: String,
    entries: Vec<(String, String, String)>, // (id, updated, link)
}

fn text(n: roxmltree::Node, tag: &str) -> Option<String> {
    n.children().find(|c| c.has_tag_name((ATOM, tag))).and_then(|c| c.text()).map(str::to_string)
}

fn is_date(s: &str) -> bool {
    s.len() == 20 && s.ends_with("T00:00:00Z") && s[..4].parse::<u32>().is_ok_and(|y| (2000..2100).contains(&y))
}

/// Every feed of a built site, by path, checked against what Atom requires.
fn feeds(out: &Path) -> BTreeMap<String, Feed> {
    let mut all = BTreeMap::new();
    for (file, bytes) in tree(out) {
        if !file.ends_with("atom.xml") {
            continue;
        }
        let xml = String::from_utf8(bytes).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{file}: {e}"));
        let feed = doc.root_element();
        assert!(feed.has_tag_name((ATOM, "feed")), "{file}: an Atom feed");
        let id = text(feed, "id").unwrap_or_else(|| panic!("{file}: no id"));
        let updated = text(feed, "updated").unwrap_or_else(|| panic!("{file}: no updated"));
        assert!(text(feed, "title").is_some_and(|t| !t.is_empty()), "{file}: no title");
        assert!(feed.children().any(|c| c.has_tag_name((ATOM, "author"))), "{file}: no author");
        assert!(id.starts_with("tag:minhbach,2025:"), "{file}: id {id}");
        assert!(is_date(&updated), "{file}: updated {updated}");
        let mut entries = Vec::new();
        for e in feed.children().filter(|c| c.has_tag_name((ATOM, "entry"))) {
            let eid = text(e, "id").unwrap_or_else(|| panic!("{file}: an entry without id"));
            let eup = text(e, "updated").unwrap();
            assert!(is_date(&eup), "{file}: entry updated {eup}");
            assert!(text(e, "title").is_some_and(|t| !t.is_empty()) && text(e, "summary").is_some());
            let link = e
                .children()
                .find(|c| c.has_tag_name((ATOM, "link")))
                .and_then(|l| l.attribute("href"))
                .unwrap()
                .to_string();
            assert!(eid.starts_with("tag:minhbach,2025:"), "{file}: entry id {eid}");
            entries.push((eid, eup, link));
        }
        let ids: BTreeSet<&String> = entries.iter().map(|e| &e.0).collect();
        assert_eq!(ids.len(), entries.len(), "{file}: entry ids are unique");
        // An entry-less feed is dated by the content, newest entry otherwise.
        if let Some(newest) = entries.iter().map(|e| &e.1).max() {
            assert_eq!(&updated, newest, "{file}");
        }
        all.insert(file, Feed { id, updated, entries });
    }
    all
}

fn ids(f: &Feed) -> BTreeSet<String> {
    f.entries.iter().map(|e| e.0.clone()).collect()
}

#[test]
fn feeds_are_valid_atom_roll_up_and_keep_their_ids_when_the_site_moves() {
    let out = bundled();
    let all = feeds(out);
    let feed = |p: &str| all.get(p).unwrap_or_else(|| panic!("no feed {p}"));
    // Units above wards have their wards' results.
    let ward = feed("tp-ho-chi-minh/quan-go-vap/phuong-14/atom.xml");
    assert!(!ward.entries.is_empty());
    for above in ["tp-ho-chi-minh/quan-go-vap/atom.xml", "tp-ho-chi-minh/atom.xml", "atom.xml"] {
        assert!(ids(feed(above)).is_superset(&ids(ward)), "{above} has Phường 14's entries");
    }
    let pho_hoa = feed("quang-ngai/thi-xa-duc-pho/phuong-pho-hoa/atom.xml");
    assert!(pho_hoa.entries.len() > 50);
    assert_eq!(ids(feed("quang-ngai/atom.xml")), ids(pho_hoa), "Quảng Ngãi's feed is its one ward's");
    // The site's feed has every result (88, under the cap of 100), newest first.
    let site = feed("atom.xml");
    // (The English edition's feeds, under en/, tell the same results: tests/english.rs.)
    let vietnamese = all.iter().filter(|(f, _)| !f.starts_with("en/")).map(|(_, f)| f);
    assert_eq!(site.entries.len(), vietnamese.flat_map(ids).collect::<BTreeSet<_>>().len().min(100));
    assert!(site.entries.windows(2).all(|w| w[0].1 >= w[1].1), "newest first");
    // A feed without entries is dated by its area's newest document, not 1970.
    let ha_noi = feed("ha-noi/atom.xml");
    assert!(ha_noi.entries.is_empty() && ha_noi.updated.starts_with("2020-"), "{}", ha_noi.updated);

    // The same site published elsewhere: the same ids, links now absolute.
    let tmp = tempfile::tempdir().unwrap();
    let moved = tmp.path().join("public");
    minhbach()
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(&moved)
        .args(["--base-url", "https://example.org/minhbach/"])
        .assert()
        .success();
    let elsewhere = feeds(&moved);
    assert_eq!(elsewhere.keys().collect::<Vec<_>>(), all.keys().collect::<Vec<_>>());
    for (path, f) in &all {
        let g = &elsewhere[path];
        assert_eq!(g.id, f.id, "{path}: the feed's id");
        assert_eq!(ids(g), ids(f), "{path}: the entries' ids");
        assert!(g.entries.iter().all(|e| e.2.starts_with("https://example.org/minhbach/")), "{path}: links");
    }

    // Every page links the site's feed; a unit's and a document's page their unit's too.
    for (file, bytes) in tree(out) {
        if !file.ends_with(".html") || file.ends_with("404.html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        // The English edition's pages link its own feed.
        let site_feed = if file.starts_with("en/") { "/en/atom.xml" } else { "/atom.xml" };
        assert!(
            html.contains(&format!("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"{site_feed}\"")),
            "{file} links the site's feed"
        );
    }
    let doc = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv/index.html"));
    assert!(doc.contains("type=\"application/atom+xml\" href=\"/tp-ho-chi-minh/quan-go-vap/phuong-14/atom.xml\""));
    let unit = read(out.join("tp-ho-chi-minh/quan-go-vap/index.html"));
    assert!(unit.contains("type=\"application/atom+xml\" href=\"/tp-ho-chi-minh/quan-go-vap/atom.xml\""));
}
