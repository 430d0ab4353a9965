//! Originals beside the page: the bundled Phường 14 resolution names its original PDF
//! (`original:`), which the build copies beside the pages; its document page links it,
//! and every target and result with a `page:` links the PDF open at that page
//! (`#page=N`), where its words stand. The data files carry the same address and page.

mod common;
use common::*;

/// Letters and digits only, folded: a PDF's text layer spaces words its own way.
fn squeeze(s: &str) -> String {
    minhbach::vi::slug::fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

#[test]
fn each_target_opens_the_original_at_the_page_it_stands_on() {
    let out = bundled();
    let doc = "tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv";
    let html = read(out.join(doc).join("index.html"));
    let pdf_url = "/tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv-ban-in-lai.pdf";
    assert!(
        html.contains(&format!("<a href=\"{pdf_url}\" download>nghi-quyet-dai-hoi-xiv-ban-in-lai.pdf</a>")),
        "the page links its original"
    );
    let bytes =
        std::fs::read(out.join(pdf_url.trim_start_matches('/'))).expect("the original is published with the site");
    let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap();
    let pages: Vec<String> = pages.iter().map(|p| squeeze(p)).collect();
    // Each row with a page: the link, and the target's first words on that page.
    let mut checked = 0;
    for row in html.split("<tr id=\"chi-tieu-").skip(1) {
        let row = &row[..row.find("</tr>").unwrap_or(row.len())];
        let Some(at) = row.find(&format!("{pdf_url}#page=")) else { continue };
        let n: usize = row[at + pdf_url.len() + 6..].split('"').next().unwrap().parse().unwrap();
        assert!(row.contains(&format!(">Bản gốc, trang {n}</a>")), "the link says its page");
        let text = row.split("<span").next().unwrap();
        let words = row.find("</summary>").map(|i| &row[i + 10..]).unwrap_or(text);
        let words: String = words.split('<').next().unwrap().chars().take(40).collect();
        let words = squeeze(&words);
        let words: String = words.chars().take(20).collect();
        assert!(pages[n - 1].contains(&words), "page {n} of the original holds {words:?}");
        checked += 1;
    }
    assert!(checked >= 20, "the resolution's targets link their pages: {checked}");
    // The footnotes' results, on the last page.
    assert!(html.contains(&format!("{pdf_url}#page=10\">Bản gốc, trang 10</a>")));
    // The data files: the original's address and the page, per target row.
    let rows = zip_rows(&out.join("data/tp-ho-chi-minh/csv.zip"), "targets");
    let row = rows.iter().find(|r| r["document_path"] == doc && r["target_id"] == "1.2.1").unwrap();
    assert_eq!((row["original"].as_str(), row["page"].as_str()), (format!("{pdf_url}#page=4").as_str(), "4"));
    // The feeds: each entry of a result with a page links the original at that page.
    let feed = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/atom.xml"));
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let related: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("link") && n.attribute("rel") == Some("related"))
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert!(!related.is_empty() && related.iter().all(|h| *h == format!("{pdf_url}#page=10")), "{related:?}");
}
