//! Markdown bodies to HTML with pulldown-cmark: tables, footnotes, strikethrough and
//! smart punctuation on; headings get ids so sections can be linked; raw HTML from
//! content is shown as text unless the site owner opts in (`allow_html = true`).
//!
//! What content can put into a tag is limited the same way: a heading's attribute block
//! (`## Kết quả {#ket-qua .lead}`) keeps only its id and classes unless raw HTML is
//! allowed (any other attribute could be `onfocus=…`), and a link or image whose address
//! is not allowed by [`is_allowed_url`] is shown as its text, without the tag.

use crate::vi::slug::slugify;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use std::collections::{HashMap, HashSet};

pub fn to_html(markdown: &str, allow_html: bool) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    opts.insert(Options::ENABLE_SMART_PUNCTUATION);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    // Whether each open link and image kept its tag, so its end is dropped with it.
    let mut links: Vec<bool> = Vec::new();
    let mut images: Vec<bool> = Vec::new();
    let events: Vec<Event> = Parser::new_ext(markdown, opts)
        .filter_map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) if !allow_html => Some(Event::Text(h)),
            Event::Start(Tag::Heading { level, id, classes, attrs }) if !allow_html && !attrs.is_empty() => {
                Some(Event::Start(Tag::Heading { level, id, classes, attrs: Vec::new() }))
            }
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                let keep = is_allowed_url(dest_url);
                links.push(keep);
                keep.then_some(e)
            }
            Event::End(TagEnd::Link) => links.pop().unwrap_or(true).then_some(e),
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                let keep = is_allowed_url(dest_url);
                images.push(keep);
                keep.then_some(e)
            }
            Event::End(TagEnd::Image) => images.pop().unwrap_or(true).then_some(e),
            other => Some(other),
        })
        .collect();
    let events = add_ids(demote_headings(events));
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// Whether an address from content may be a link or an image: http, https, mailto, tel,
/// or no scheme at all (site-relative `/…`, relative `../…`, in-page `#…`). The scheme
/// is read as a browser reads it: leading spaces and control characters skipped, tabs
/// and newlines inside ignored, any case. Character references (`jav&#x61;script:`)
/// were already decoded by the Markdown parser.
pub(crate) fn is_allowed_url(url: &str) -> bool {
    let cleaned: String =
        url.trim_start_matches(|c: char| c <= ' ').chars().filter(|&c| c != '\t' && c != '\n' && c != '\r').collect();
    // A colon after a path, query or fragment has begun is not a scheme's ("a/b:c",
    // "#x:y"): such an address is relative.
    match crate::model::url::split_scheme(&cleaned) {
        Some((scheme, _)) => crate::model::url::allowed_scheme(&scheme),
        None => true,
    }
}

/// Bodies sit under the page's own headings ("Toàn văn" is an h2): shift the body's
/// headings so its highest becomes an h3, keeping their relative levels.
fn demote_headings(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let min = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min();
    let Some(min) = min else { return events };
    let shift = 3usize.saturating_sub(min);
    if shift == 0 {
        return events;
    }
    let level_of = |l: HeadingLevel| HeadingLevel::try_from((l as usize + shift).min(6)).unwrap_or(HeadingLevel::H6);
    for e in &mut events {
        match e {
            Event::Start(Tag::Heading { level, .. }) => *level = level_of(*level),
            Event::End(TagEnd::Heading(level)) => *level = level_of(*level),
            _ => {}
        }
    }
    events
}

/// Ids the default theme gives elements of the pages a body is shown on (exactly, or as
/// the start of a generated id, such as "chi-tieu-1.2" or "ket-qua-3"). A body's heading
/// or footnote with such an id would make the page's own link land on the body, so
/// it is given "muc-" in front. A test keeps this list in step with the templates.
const PAGE_IDS: &[&str] = &[
    "a-z",
    "bang-chi-tieu",
    "bang-chung",
    "can-javascript",
    "chi-so",
    "chi-tieu",
    "dia-ban",
    "dien-bien",
    "don-vi",
    "ket-qua",
    "linh-vuc",
    "loc-dia-ban",
    "noi-dung",
    "q",
    "q-help",
    "qua-nhiem-ky",
    "theo-linh-vuc",
    "theo-tinh",
    "thong-tin",
    "tim-kiem",
    "tim-kiem-trang-thai",
    "tim-theo-danh-muc",
    "tinh-hinh",
    "toan-van",
    "tong-quan",
    "truc-thuoc",
    "truoc-sap-xep",
    "truoc-sap-xep-duoi",
    "van-ban",
    "van-ban-dia-ban",
    "van-ban-moi",
    "xem-them",
];
const PAGE_ID_PREFIXES: &[&str] = &["chi-tieu-", "cot-", "dien-bien-", "du-lieu-", "ket-qua-", "lop-", "nhom-"];

fn clear_of_page(id: &str) -> String {
    if PAGE_IDS.contains(&id) || PAGE_ID_PREFIXES.iter().any(|p| id.starts_with(p)) {
        format!("muc-{id}")
    } else {
        id.to_string()
    }
}

/// `base`, or `base-2`, `base-3`… : the first not yet used on the page.
fn unique(base: String, used: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// Ids for the body's headings and footnotes, each unique on the page: a heading's own
/// id (`{#id}`) is kept where it can be, any other heading gets one made from its text.
fn add_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used = HashSet::new();
    // Footnotes first: a label is both the reference's link and the note's id.
    let mut notes: HashMap<String, String> = HashMap::new();
    for e in &events {
        if let Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) = e
            && !notes.contains_key(label.as_ref())
        {
            notes.insert(label.to_string(), unique(clear_of_page(label), &mut used));
        }
    }
    // Then the ids authors chose, so a heading's made-up id never takes one of them.
    let mut chosen: HashSet<String> = HashSet::new();
    for e in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            let id = clear_of_page(id);
            if !used.contains(&id) {
                chosen.insert(id);
            }
        }
    }
    used.extend(chosen.iter().cloned());
    for i in 0..events.len() {
        if matches!(&events[i], Event::Start(Tag::Heading { id: None, .. })) {
            let mut text = String::new();
            for e in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = match slugify(&text) {
                s if s.is_empty() => "muc".to_string(),
                // Long headings make unwieldy links: cut at a word, at most 60 characters.
                s if s.len() > 60 => {
                    s[..60].rsplit_once('-').map(|(a, _)| a.to_string()).unwrap_or_else(|| s[..60].to_string())
                }
                s => s,
            };
            let new = unique(clear_of_page(&base), &mut used);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(new));
            }
            continue;
        }
        match &mut events[i] {
            Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) => {
                if let Some(new) = notes.get(label.as_ref())
                    && new != label.as_ref()
                {
                    *label = CowStr::from(new.clone());
                }
            }
            Event::Start(Tag::Heading { id: Some(id), .. }) => {
                let wanted = clear_of_page(id);
                // The first heading with a chosen id has it; a later one gets a suffix.
                let new = if chosen.remove(&wanted) { wanted } else { unique(wanted, &mut used) };
                *id = CowStr::from(new);
            }
            _ => {}
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text_by_default() {
        let h = to_html("Hello <script>alert(1)</script>\n\n<b>x</b>", false);
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        let h = to_html("<b>x</b>", true);
        assert!(h.contains("<b>x</b>"), "{h}");
    }

    #[test]
    fn headings_get_unique_ids_from_their_text() {
        let h = to_html("## Về kinh tế\n\n## Về kinh tế\n", false);
        assert!(h.contains("<h3 id=\"ve-kinh-te\">"), "{h}");
        assert!(h.contains("<h3 id=\"ve-kinh-te-2\">"), "{h}");
    }

    #[test]
    fn body_headings_are_demoted_under_the_page_headings() {
        let h = to_html("# A\n\n## B\n\n#### C\n", false);
        assert!(h.contains("<h3 id=\"a\">") && h.contains("<h4 id=\"b\">") && h.contains("<h6 id=\"c\">"), "{h}");
    }

    #[test]
    fn tables_and_footnotes() {
        let h = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1]\n\n[^1]: Note.\n", false);
        assert!(h.contains("<table>"), "{h}");
        assert!(h.contains("footnote-definition"), "{h}");
    }

    #[test]
    fn script_links_are_neutralised() {
        let h = to_html("[x](javascript:alert(1))", false);
        assert!(!h.contains("javascript:"), "{h}");
    }

    #[test]
    fn heading_attributes_other_than_id_and_class_never_reach_the_page() {
        let md =
            "## Kết quả {autofocus tabindex=1 onfocus=document.title=1}\n\n## Mục {#muc-a .lead onclick=alert(1)}\n";
        let h = to_html(md, false);
        for bad in ["onfocus", "autofocus", "tabindex", "onclick", "alert"] {
            assert!(!h.contains(bad), "{bad} in {h}");
        }
        assert!(h.contains("<h3 id=\"muc-a\" class=\"lead\">Mục</h3>"), "{h}");
        // With raw HTML allowed, the site owner has chosen to trust the content.
        assert!(to_html(md, true).contains("onfocus"));
    }

    #[test]
    fn heading_id_and_class_still_work_and_cannot_leave_their_attribute() {
        let h = to_html("## A {#mot .x .y}\n\n## B {#a\"onclick=\"alert(1) .c\"onmouseover=\"x}\n", false);
        assert!(h.contains("<h3 id=\"mot\" class=\"x y\">A</h3>"), "{h}");
        assert!(!h.contains("\"onclick") && !h.contains("\"onmouseover"), "{h}");
        assert!(h.contains("id=\"a&quot;onclick=&quot;alert(1)\""), "{h}");
    }

    #[test]
    fn heading_ids_are_unique_and_clear_of_the_pages_own() {
        let ids = |h: &str| -> Vec<String> {
            h.split(" id=\"").skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect()
        };
        // A chosen id keeps its name; a made-up one steps aside; a repeated one gets a suffix.
        let h = to_html("## Mot\n\n## Khác {#mot}\n\n## X {#mot}\n", false);
        assert_eq!(ids(&h), ["mot-2", "mot", "mot-3"], "{h}");
        // "Kết quả" is the document page's own results section, "Chỉ tiêu 1.1" a target.
        let h = to_html("## Kết quả\n\n## Y {#chi-tieu-1.1}\n\n## Nội dung {#noi-dung}\n", false);
        assert_eq!(ids(&h), ["muc-ket-qua", "muc-chi-tieu-1.1", "muc-noi-dung"], "{h}");
        // Footnotes share the page's ids too.
        let h = to_html("## 1\n\nA[^1] B[^ket-qua]\n\n[^1]: x\n[^ket-qua]: y\n", false);
        let all = ids(&h);
        assert_eq!(all.iter().collect::<HashSet<_>>().len(), all.len(), "{h}");
        assert!(h.contains("href=\"#muc-ket-qua\"") && h.contains("id=\"muc-ket-qua\""), "{h}");
    }

    #[test]
    fn page_ids_list_every_id_of_the_default_templates() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates");
        for f in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            for part in text.split(" id=\"").skip(1) {
                let literal = part.split(['"', '{']).next().unwrap();
                if literal.is_empty() {
                    continue; // made in Rust: the prefixes below
                }
                let known = if part[literal.len()..].starts_with('{') {
                    PAGE_ID_PREFIXES.contains(&literal)
                } else {
                    clear_of_page(literal) != literal
                };
                assert!(known, "id `{literal}` of the templates is missing from PAGE_IDS / PAGE_ID_PREFIXES");
            }
        }
        // The anchors views.rs makes for targets and results.
        use crate::render::views::{RESULT_ANCHOR, TARGET_ANCHOR};
        for made in [format!("{TARGET_ANCHOR}1.1"), format!("{RESULT_ANCHOR}3")] {
            assert_ne!(clear_of_page(&made), made);
        }
    }

    #[test]
    fn only_allowed_addresses_become_links_and_images() {
        for ok in [
            "https://x.vn/a",
            "http://x.vn",
            "HTTPS://X.VN",
            "mailto:a@b.vn",
            "tel:+84123",
            "/chi-so/",
            "../van-ban/",
            "bao-cao.pdf",
            "#ket-qua",
            "?q=1",
            "a/b:c",
        ] {
            assert!(is_allowed_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "  javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "jav\rascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:image/svg+xml,<svg onload=alert(1)>",
            "file:///etc/passwd",
            "ftp://x.vn",
        ] {
            assert!(!is_allowed_url(bad), "{bad:?}");
        }
    }

    #[test]
    fn obfuscated_script_links_are_text_in_bodies() {
        let md = "[a](jav&#x61;script:alert(1)) [b](&#106;avascript:alert(1)) [c](<java\tscript:alert(1)>) \
                  [d](JAVASCRIPT:alert(1)) [e](<  javascript:alert(1)>) <javascript:alert(1)> \
                  ![f](data:image/svg+xml,x) ![g](vbscript:x) [h][r] [i](https://x.vn) ![j](/anh.png)\n\n\
                  [r]: javascript:alert(1)\n";
        let h = to_html(md, false);
        let lower = h.to_lowercase();
        for tag in lower.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap();
            assert!(!tag.contains("script:") && !tag.contains("data:"), "live address in <{tag}> of {h}");
        }
        // The text stays; the allowed ones are links and images.
        for text in ["a", "b", "c", "d", "e", "f", "g", "h"] {
            assert!(h.contains(&format!("{text} ")) || h.contains(&format!(">{text}<")), "{text} in {h}");
        }
        assert!(h.contains("<a href=\"https://x.vn\">i</a>"), "{h}");
        assert!(h.contains("<img src=\"/anh.png\" alt=\"j\" />"), "{h}");
    }
}
