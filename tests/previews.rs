//! What a shared link and a search engine see: a description per page made from its
//! content, Open Graph and Twitter card tags, the preview image and icons the build
//! draws, robots.txt, and, once `base_url` is absolute, canonical addresses, og:url,
//! og:image and a sitemap.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::path::Path;

fn meta(html: &str, attr: &str, name: &str) -> Option<String> {
    let key = format!("<meta {attr}=\"{name}\" content=\"");
    let at = html.find(&key)? + key.len();
    Some(html[at..at + html[at..].find('"')?].to_string())
}

/// A PNG's width and height, from its header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let n = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (n(16), n(20))
}

fn pages(out: &Path) -> Vec<(String, String)> {
    tree(out)
        .into_iter()
        .filter(|(f, _)| f.ends_with(".html"))
        .map(|(f, b)| (f, String::from_utf8(b).unwrap()))
        .filter(|(_, h)| !h.contains("http-equiv=\"refresh\""))
        .collect()
}

#[test]
fn every_page_has_its_own_description_and_preview_tags() {
    let out = bundled();
    let all = pages(out);
    let mut descriptions = BTreeSet::new();
    for (file, html) in &all {
        let d = meta(html, "name", "description").unwrap_or_else(|| panic!("{file}: no description"));
        assert!(!d.is_empty(), "{file}");
        assert_eq!(meta(html, "property", "og:description").as_ref(), Some(&d), "{file}: og:description");
        assert!(meta(html, "property", "og:title").is_some_and(|t| !t.is_empty()), "{file}: og:title");
        assert_eq!(meta(html, "name", "twitter:card").as_deref(), Some("summary_large_image"), "{file}");
        let locale = if file.starts_with("en/") { "en_GB" } else { "vi_VN" };
        assert_eq!(meta(html, "property", "og:locale").as_deref(), Some(locale), "{file}");
        // Relative base_url: no absolute address to give.
        assert!(meta(html, "property", "og:image").is_none() && !html.contains("rel=\"canonical\""), "{file}");
        descriptions.insert(d);
    }
    assert!(descriptions.len() > all.len() / 2, "{} descriptions for {} pages", descriptions.len(), all.len());
    // From the content: a unit's counts by status, a document's own summary, an
    // indicator's description.
    let ward = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/index.html"));
    let d = meta(&ward, "name", "description").unwrap();
    assert!(d.starts_with("Phường 14: 40 mức chỉ tiêu") && d.contains("quá hạn, chưa báo cáo"), "{d}");
    let doc = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv/index.html"));
    assert!(meta(&doc, "name", "description").unwrap().contains("18 chỉ tiêu"));
    assert!(meta(&doc, "property", "og:title").unwrap().starts_with("Nghị quyết Đại hội"));
    let ind = read(out.join("chi-so/ket-nap-dang-vien/index.html"));
    assert!(meta(&ind, "name", "description").unwrap().contains("3 đơn vị"));

    // Icons and the preview image, drawn by the build.
    let ico = std::fs::read(out.join("favicon.ico")).unwrap();
    assert_eq!(&ico[..6], &[0, 0, 1, 0, 1, 0], "an ICO of one image");
    assert_eq!(png_size(&ico[22..]), (32, 32));
    assert_eq!(png_size(&std::fs::read(out.join("apple-touch-icon.png")).unwrap()), (180, 180));
    assert_eq!(png_size(&std::fs::read(out.join("og.png")).unwrap()), (1200, 630));
    let home = read(out.join("index.html"));
    assert!(home.contains("href=\"/favicon.ico\"") && home.contains("rel=\"apple-touch-icon\""));
    assert_eq!(read(out.join("robots.txt")), "User-agent: *\nAllow: /\n");
    assert!(!out.join("sitemap.xml").exists());
}

#[test]
fn an_absolute_base_url_gives_canonical_addresses_the_image_and_the_sitemap() {
    let tmp = tempfile::tempdir().unwrap();
    // A build for a path only says what the published site would lack.
    let local = minhbach()
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(tmp.path().join("local"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&local.stderr);
    assert!(local.status.success() && err.contains("note: base_url is \"/\", not a full address"), "{err}");
    let out = tmp.path().join("public");
    let published = minhbach()
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(&out)
        .args(["--base-url", "https://example.org/minhbach/"])
        .output()
        .unwrap();
    assert!(published.status.success());
    assert!(!String::from_utf8_lossy(&published.stderr).contains("note: base_url"), "no note for a full address");
    let page = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/index.html"));
    let url = "https://example.org/minhbach/tp-ho-chi-minh/quan-go-vap/phuong-14/";
    assert!(page.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")));
    assert_eq!(meta(&page, "property", "og:url").as_deref(), Some(url));
    assert_eq!(meta(&page, "property", "og:image").as_deref(), Some("https://example.org/minhbach/og.png"));
    assert_eq!(
        read(out.join("robots.txt")),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/minhbach/sitemap.xml\n"
    );
    let sitemap = read(out.join("sitemap.xml"));
    assert!(sitemap.contains(&format!("<loc>{url}</loc>")));
}

#[test]
fn check_says_what_a_relative_base_url_leaves_out_of_the_published_site() {
    let site = fixture();
    let run = minhbach().args(["check", "--root"]).arg(site.path()).assert().success();
    let err = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(err.contains("base_url is \"/\", not a full address") && err.contains("sitemap.xml"), "{err}");
    let toml = site.path().join("minhbach.toml");
    let text = read(&toml).replace("base_url = \"/\"", "base_url = \"https://example.org/\"");
    std::fs::write(&toml, text).unwrap();
    let run = minhbach().args(["check", "--root"]).arg(site.path()).assert().success();
    assert!(!String::from_utf8_lossy(&run.get_output().stderr).contains("base_url"), "no note for a full address");
}
