//! From the computed model to HTML, in layers: the plan (pages.rs: every file of the
//! site and its page kind, a leaf) → views (views/: what templates see, with formatted
//! numbers; one module per page kind, holding its view struct and the function that
//! builds it), data files (data.rs) → one dispatcher (dispatch.rs: a page's kind to its
//! builder and template) → minijinja templates from the theme (theme.rs) with
//! translation strings (i18n.rs). Markdown bodies (markdown.rs), charts (chart.rs) and
//! addresses (paths.rs) serve the views.
//!
//! Templates are compiled once per build into one `Environment` shared by all
//! threads; autoescaping is on for `.html` and `.xml`, and undefined variables are
//! errors, so a typo in a template fails `check` instead of printing nothing. Every
//! render has a budget of work (minijinja's fuel, [`fuel_budget`]), so a template that
//! loops without end (a site's override) is stopped and named instead of hanging.

pub(crate) mod chart;
pub mod data;
pub(crate) mod dispatch;
pub(crate) mod i18n;
pub(crate) mod image;
pub mod markdown;
pub mod pages;
pub(crate) mod paths;
pub(crate) mod reads;
pub mod search;
pub(crate) mod theme;
pub(crate) mod views;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Kind};
use i18n::Strings;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use std::sync::Arc;
use theme::Theme;

pub struct Renderer {
    pub env: Environment<'static>,
    pub strings: Arc<Strings>,
    pub theme: Theme,
}

/// The most work (minijinja fuel) one page may take: a floor for any site, and more per
/// unit, document, measure and result, since the largest pages (a comparison across
/// every unit, a province's matrix) grow with the site. Measured with the default theme
/// on generated sites (`minhbach-corpus --docs 5 --seed 1`): at 100 units (12,497 items)
/// the largest page, a province's matrix, took 245,851 fuel and a comparison 53,405; at
/// 400 units (50,623 items) 449,392 and 96,238, every other page under 35,000. So the
/// budget is 27 to 49 times the largest page there; at 20,000 units (~2.5 million items,
/// a comparison page ~5 million fuel by the same growth) about 200 times. A runaway loop
/// in a small site stops after about a second.
pub(crate) fn fuel_budget(site: &crate::model::Site) -> u64 {
    const FLOOR: u64 = 2_000_000;
    const PER_ITEM: u64 = 400;
    let measures: usize = site.documents.iter().flat_map(|d| &d.targets).map(|t| t.measures.len()).sum();
    let items = site.units.len() + site.documents.len() + site.results.len() + measures;
    FLOOR.saturating_add(PER_ITEM.saturating_mul(items as u64))
}

impl Renderer {
    /// A renderer for a site; `fuel` is the budget of one page, [`fuel_budget`].
    pub(crate) fn new(config: &Config, fuel: u64) -> Result<Renderer, Diagnostics> {
        Renderer::edition(config, &config.language, fuel)
    }

    /// The renderer of the site's edition in language `lang` (`languages`): its strings,
    /// and section links into its own pages (`Config::edition_base`). Shared files (data,
    /// static files) keep the site's base path.
    pub(crate) fn edition(config: &Config, lang: &str, fuel: u64) -> Result<Renderer, Diagnostics> {
        let theme = Theme::load(&config.root, &config.theme, lang)?;
        let strings = Arc::new(Strings::new(theme.strings().clone(), theme.strings_file()));
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Block tags on their own lines leave no blank lines behind: smaller pages.
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .expect("default delimiters are valid"),
        );
        env.set_debug(true);
        env.set_fuel(Some(fuel));
        let loader_theme = theme.clone();
        env.set_loader(move |name| Ok(loader_theme.template(name).map(|(src, _)| src)));
        // Each string as a ready `Value`: a call without arguments (most of them, in
        // every table row) is then a lookup and a reference count, not a new string.
        let values: std::collections::HashMap<String, Value> =
            strings.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect();
        env.add_function("t", move |key: &str, kwargs: Kwargs| -> Result<Value, Error> {
            // `count=1` picks the singular (`<key>_one`) where the language has one:
            // "1 document" beside "2 documents" ("1 văn bản", "2 văn bản" alike).
            let one = kwargs.get::<Option<i64>>("count")? == Some(1);
            let singular = one.then(|| values.get(&format!("{key}_one"))).flatten();
            let Some(template) = singular.or_else(|| values.get(key)) else {
                return Err(Error::new(ErrorKind::InvalidOperation, format!("no translation string `{key}`")));
            };
            let mut args = Vec::new();
            for k in kwargs.args() {
                let v: Value = kwargs.get(k)?;
                args.push((k, v.to_string()));
            }
            if args.is_empty() {
                return Ok(template.clone());
            }
            Ok(Value::from(i18n::fill(template.as_str().unwrap_or_default(), &args)))
        });
        // HTML escaping of the five characters that matter; minijinja's default also
        // escapes `/`, which makes "01-NQ/ĐH" unreadable in the page source and in search.
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), minijinja::AutoEscape::Html)
                && !value.is_safe()
                && !value.is_none()
                && !value.is_undefined()
            {
                let text = match value.as_str() {
                    Some(s) => std::borrow::Cow::Borrowed(s),
                    None => std::borrow::Cow::Owned(value.to_string()),
                };
                escape_into(&text, out).map_err(|_| Error::new(ErrorKind::WriteFailure, "write failed"))
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        // The section addresses (paths.rs) and every status in order, so that templates
        // do not write them again.
        let (root, home) = (config.base_path(), config.edition_base(lang));
        let sections: std::collections::BTreeMap<&str, String> = paths::SECTIONS
            .iter()
            .filter(|&&(name, _)| name != "search" || config.search)
            .map(|&(name, path)| {
                let base = if paths::SHARED_SECTIONS.contains(&name) { &root } else { &home };
                (name, [base.trim_end_matches('/'), path].concat())
            })
            .collect();
        env.add_global("sections", Value::from(minijinja::value::Serde(sections)));
        env.add_global("statuses", Value::from(minijinja::value::Serde(crate::compute::status::Status::ALL)));
        let marks = strings.clone();
        env.add_filter("num", move |v: f64, decimals: Option<usize>| marks.number(v, decimals.unwrap_or(2)));
        env.add_filter("css_string", css_string);
        // `{{ d | long_date }}`: "ngày 22 tháng 5 năm 2020", in the words of the site's
        // translation strings. Dates reach templates with their ISO form, read back here.
        let dates = strings.clone();
        env.add_filter("long_date", move |d: Value| -> Result<String, Error> {
            let iso = d.get_attr("iso").ok().filter(|v| !v.is_undefined()).unwrap_or(d);
            let date = iso.as_str().and_then(|s| crate::vi::date::parse(s).ok()).ok_or_else(|| {
                Error::new(ErrorKind::InvalidOperation, format!("long_date expects a date, not `{iso}`"))
            })?;
            Ok(dates.long_date(&date))
        });
        Ok(Renderer { env, strings, theme })
    }

    /// Render one template with a serialisable context, for the page at address `page`
    /// (named if the template runs out of fuel). XML (feeds, sitemap) never carries a
    /// character XML 1.0 forbids, whatever content or a template holds.
    pub(crate) fn render<T: serde::Serialize>(
        &self,
        template: &str,
        page: &str,
        ctx: &T,
    ) -> Result<String, Diagnostic> {
        let tmpl = self.env.get_template(template).map_err(|e| template_error(&self.theme, template, &e))?;
        let out = tmpl.render(Value::from(minijinja::value::Serde(ctx))).map_err(|e| {
            let d = template_error(&self.theme, template, &e);
            if e.kind() != ErrorKind::OutOfFuel {
                return d;
            }
            out_of_fuel(d, template, e.name(), page, self.env.fuel().unwrap_or(0))
        })?;
        Ok(if template.ends_with(".xml") { xml_chars(out) } else { out })
    }
}

/// `{{ text | css_string }}`: the text as a quoted CSS string, for words a stylesheet
/// shows (`content: var(--l-target)`, macros.html `table_labels`). Every character but
/// letters, digits and spaces becomes a CSS escape, so no text can end the string, the
/// declaration or the `<style>` element it is printed in.
fn css_string(text: &str) -> Value {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c.is_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            // The space ends the hex escape, and CSS drops it.
            let _ = write!(out, "\\{:x} ", c as u32);
        }
    }
    out.push('"');
    Value::from_safe_string(out)
}

/// Whether XML 1.0 allows a character (its `Char` production: tab, newline, carriage
/// return, and everything from U+0020 but the non-characters U+FFFE and U+FFFF;
/// surrogates cannot be in a Rust string).
fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{FFFD}' | '\u{10000}'..)
}

/// Text without the characters XML 1.0 forbids (a form feed pasted from a PDF made feed
/// readers reject the whole feed). Content with such characters is refused when it is
/// read; this keeps any that get through (a template, a translation) out of XML too.
pub(crate) fn xml_chars(text: String) -> String {
    if text.chars().all(xml_allowed) { text } else { text.chars().filter(|&c| xml_allowed(c)).collect() }
}

/// Escape text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let _ = escape_into(s, &mut out);
    out
}

/// Escape into any writer. Most printed values (labels, names, numbers as text) have no
/// special character: a branch-free test of the whole value finds that, and the value is
/// written in one piece; only the others are scanned character by character.
pub(crate) fn escape_into<W: std::fmt::Write>(s: &str, out: &mut W) -> std::fmt::Result {
    let bytes = s.as_bytes();
    if !has_special(bytes) {
        return out.write_str(s);
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&s[start..i])?;
        out.write_str(rep)?;
        start = i + 1;
    }
    out.write_str(&s[start..])
}

/// Whether any byte needs escaping. Fixed 16-byte blocks (the tail padded with zeros)
/// compile to a few vector compares per block; the variable-length scan it replaces ran
/// byte by byte for the short values that are most of a page. Kept because it is
/// measured: without it a build takes 3% more CPU (docs/benchmarks.md, "Choices measured").
fn has_special(bytes: &[u8]) -> bool {
    const BLOCK: usize = 16;
    fn block_has(block: &[u8; BLOCK]) -> bool {
        // `|` on a u8, not `any` or a bool fold: written this way (and only this way, of
        // those tried) the block compiles to vector compares, about 20 instructions.
        let mut found = 0u8;
        for &b in block {
            found |= ((b == b'&') | (b == b'<') | (b == b'>') | (b == b'"') | (b == b'\'')) as u8;
        }
        found != 0
    }
    let mut blocks = bytes.chunks_exact(BLOCK);
    for block in &mut blocks {
        if block_has(block.try_into().expect("chunks_exact gives whole blocks")) {
            return true;
        }
    }
    let rest = blocks.remainder();
    let mut last = [0u8; BLOCK];
    last[..rest.len()].copy_from_slice(rest);
    block_has(&last)
}

/// A template that ran out of fuel, in words: which template, on which page, and what
/// to look for. The location is the line it was stopped on, inside the loop: the
/// whole line, since the column it stopped at depends on the page's data.
fn out_of_fuel(mut d: Diagnostic, page_template: &str, at: Option<&str>, page: &str, budget: u64) -> Diagnostic {
    if d.line > 0 {
        d.column = 1;
        d.width = d.source_line.as_deref().map(|l| l.trim_end().chars().count()).unwrap_or(1).clamp(1, 60);
    }
    let which = match at {
        Some(name) if name != page_template => format!("`{name}` (used by `{page_template}`)"),
        _ => format!("`{page_template}`"),
    };
    d.message = format!(
        "template error: {which} was stopped while rendering the page {page}: it did more work than any page of \
         this site should need ({budget} steps)"
    );
    d.kind(Kind::TemplateLimit).hint(FUEL_HINT)
}

const FUEL_HINT: &str = "look for a loop that never ends or loops nested too deep (such as range(10000) inside \
                         range(10000)) at this line; the allowance grows with the site, and the largest pages of a \
                         national site stay far below it";

/// Whether a render failed because its template ran out of fuel: the pass then stops
/// rendering (`pages::render`), since every page using the template would spend the
/// whole budget again (hours for a loop in base.html and 10,000 pages).
pub(crate) fn ran_out_of_fuel(d: &Diagnostic) -> bool {
    d.kind == Kind::TemplateLimit
}

/// A template error as a diagnostic pointing at the template's line.
pub(crate) fn template_error(theme: &Theme, template: &str, e: &Error) -> Diagnostic {
    let name = e.name().unwrap_or(template).to_string();
    let (src, shown) = theme.template(&name).unwrap_or_else(|| (String::new(), format!("templates/{name}")));
    let mut msg = e.kind().to_string();
    if let Some(detail) = e.detail() {
        msg = format!("{msg}: {detail}");
    }
    let mut d = Diagnostic::new(shown, format!("template error: {msg}")).kind(Kind::Template);
    if let Some(line) = e.line() {
        let col = e
            .range()
            .and_then(|r| {
                let before = src.get(..r.start)?;
                Some(before.rsplit('\n').next().unwrap_or("").chars().count() + 1)
            })
            .unwrap_or(1);
        d = d.at(&src, line, col);
    }
    d.hint(if matches!(e.kind(), ErrorKind::UndefinedError) {
        "the template uses a variable or attribute that does not exist here: check its spelling".to_string()
    } else if matches!(e.kind(), ErrorKind::TemplateNotFound) {
        "templates are looked up in templates/, then themes/<theme>/templates/".to_string()
    } else {
        "fix the template; see https://docs.rs/minijinja for the syntax".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::{escape_html, xml_chars};

    /// A renderer for a site in a temporary folder, with these template overrides.
    pub(crate) fn renderer(templates: &[(&str, &str)]) -> (tempfile::TempDir, super::Renderer) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("minhbach.toml"), "title = \"Thử\"\nbase_url = \"/\"\n").unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        for (name, src) in templates {
            std::fs::write(dir.path().join("templates").join(name), src).unwrap();
        }
        let config = crate::config::Config::load(dir.path()).unwrap_or_else(|_| panic!("config loads"));
        let r = super::Renderer::new(&config, 1_000_000).unwrap_or_else(|_| panic!("renderer starts"));
        (dir, r)
    }

    #[test]
    fn a_label_printed_as_a_css_string_cannot_leave_it() {
        let (_dir, r) = renderer(&[("x.html", "<style>:root{--l:{{ s | css_string }}}</style>")]);
        let ctx = serde_json::json!({ "s": "Mức \"chỉ\" tiêu\\ (1/2)</style><b>;}\n" });
        let out = r
            .env
            .get_template("x.html")
            .unwrap()
            .render(minijinja::Value::from(minijinja::value::Serde(&ctx)))
            .unwrap();
        let inner = out.strip_prefix("<style>:root{--l:\"").unwrap().strip_suffix("\"}</style>").unwrap();
        assert!(!inner.contains(['"', '<', '>', ';', '}', '\n']), "{inner}");
        // A CSS reader gets the words back: letters kept, the rest as `\hex `.
        assert!(inner.starts_with("Mức \\22 chỉ\\22  tiêu\\5c  \\28 1\\2f 2\\29 \\3c "), "{inner}");
    }

    #[test]
    fn feeds_with_control_characters_in_content_are_well_formed_xml() {
        let (_dir, r) = renderer(&[]);
        let pasted = "Trích\u{c}dẫn\u{1} từ PDF\u{1b}[0m";
        let entry = serde_json::json!({
            "id": "urn:x:1", "title": pasted, "updated": "2022-12-31T00:00:00Z", "url": "/a/#ket-qua-1", "summary": pasted, "original": null,
        });
        let ctx = serde_json::json!({
            "site": { "lang": "vi", "title": pasted }, "title": pasted, "id": "urn:x", "self_url": "/a/feed.xml",
            "page_url": "/a/", "updated": "2022-12-31T00:00:00Z", "entries": [entry],
        });
        let xml = r.render("feed.xml", "/a/feed.xml", &ctx).unwrap_or_else(|d| panic!("{}", d.message));
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let titles: Vec<&str> =
            doc.descendants().filter(|n| n.has_tag_name("title")).filter_map(|n| n.text()).collect();
        assert_eq!(titles, ["Tríchdẫn từ PDF[0m"; 2]);
        let ctx = serde_json::json!({ "page": { "urls": [format!("https://x.vn/{pasted}")] } });
        let xml = r.render("sitemap.xml", "/sitemap.xml", &ctx).unwrap_or_else(|d| panic!("{}", d.message));
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    }

    #[test]
    fn a_runaway_template_is_stopped_and_named_with_its_page() {
        let runaway = "<p>{% for a in range(10000) %}{% for b in range(10000) %}\n{% for c in range(10000) %}{{ a }}{% endfor %}{% endfor %}{% endfor %}</p>";
        let (_dir, r) = renderer(&[("status.html", runaway)]);
        let ctx = serde_json::json!({});
        let d = r.render("status.html", "/trang-thai/", &ctx).expect_err("stopped");
        assert!(d.message.contains("`status.html` was stopped while rendering the page /trang-thai/"), "{}", d.message);
        assert!(d.hint.as_deref().unwrap_or("").contains("loop") && super::ran_out_of_fuel(&d), "{:?}", d.hint);
        assert_eq!((d.file.to_str(), d.line, d.column), (Some("templates/status.html"), 2, 1), "at the loop's line");
    }

    #[test]
    fn xml_output_has_only_characters_xml_allows() {
        assert_eq!(xml_chars("a\u{c}b\u{1}c\u{0}\u{1f}\u{FFFE}\u{FFFF}d\te\nf\r".into()), "abcd\te\nf\r");
        let fine = "Phường 14 – \u{FFFD} 😀 \u{7f}\u{85}".to_string();
        assert_eq!(xml_chars(fine.clone()), fine);
    }

    #[test]
    fn escapes_the_five_characters_anywhere_in_long_text() {
        assert_eq!(escape_html("a<b>&\"c'/ĐH"), "a&lt;b&gt;&amp;&quot;c&#39;/ĐH");
        // Special characters in whole 16-byte blocks and in the padded tail.
        let long = format!("{}<{}&{}", "ư".repeat(40), "x".repeat(70), "y".repeat(3));
        let want = format!("{}&lt;{}&amp;{}", "ư".repeat(40), "x".repeat(70), "y".repeat(3));
        assert_eq!(escape_html(&long), want);
        assert_eq!(escape_html(&"z".repeat(200)), "z".repeat(200));
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html(&format!("{}'", "a".repeat(15))), format!("{}&#39;", "a".repeat(15)));
        assert_eq!(escape_html(&format!("{}>", "a".repeat(16))), format!("{}&gt;", "a".repeat(16)));
    }
}
