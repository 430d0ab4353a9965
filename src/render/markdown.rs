//! Markdown bodies to HTML with pulldown-cmark: tables, footnotes, strikethrough and
//! smart punctuation on; headings get ids so sections can be linked; raw HTML from
//! content is shown as text unless the site owner opts in (`allow_html = true`).

use crate::vi::slug::slugify;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;

pub fn to_html(markdown: &str, allow_html: bool) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    opts.insert(Options::ENABLE_SMART_PUNCTUATION);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let events: Vec<Event> = Parser::new_ext(markdown, opts)
        .map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) if !allow_html => Event::Text(h),
            // Links from content may not run script.
            Event::Start(Tag::Link { link_type, dest_url, title, id }) if is_script_url(&dest_url) => {
                Event::Start(Tag::Link { link_type, dest_url: CowStr::from("#"), title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) if is_script_url(&dest_url) => {
                Event::Start(Tag::Image { link_type, dest_url: CowStr::from(""), title, id })
            }
            other => other,
        })
        .collect();
    let events = add_heading_ids(demote_headings(events));
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

fn is_script_url(url: &str) -> bool {
    let u: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_lowercase();
    u.starts_with("javascript:") || u.starts_with("vbscript:") || u.starts_with("data:text/html")
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

/// Give every heading without an explicit id one made from its text, unique per page.
fn add_heading_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used = HashSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, level, .. }) = &events[i] {
            let level: HeadingLevel = *level;
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() {
                match &events[j] {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
                j += 1;
            }
            let base = match slugify(&text) {
                s if s.is_empty() => "muc".to_string(),
                // Long headings make unwieldy links: cut at a word, at most 60 characters.
                s if s.len() > 60 => {
                    s[..60].rsplit_once('-').map(|(a, _)| a.to_string()).unwrap_or_else(|| s[..60].to_string())
                }
                s => s,
            };
            let mut id = base.clone();
            let mut n = 1;
            while !used.insert(id.clone()) {
                n += 1;
                id = format!("{base}-{n}");
            }
            if let Event::Start(Tag::Heading { classes, attrs, .. }) = &events[i] {
                let (classes, attrs) = (classes.clone(), attrs.clone());
                events[i] = Event::Start(Tag::Heading { level, id: Some(CowStr::from(id)), classes, attrs });
            }
        }
        i += 1;
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
}
