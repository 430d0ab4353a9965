//! From the computed model to HTML: Markdown bodies (markdown.rs), views with
//! formatted numbers (views.rs), the list of pages (pages.rs) and minijinja templates
//! from the theme (theme.rs) with translation strings (i18n.rs).
//!
//! Templates are compiled once per build into one `Environment` shared by all
//! threads; autoescaping is on for `.html` and `.xml`, and undefined variables are
//! errors, so a typo in a template fails `check` instead of printing nothing.

pub mod chart;
pub mod compare;
pub mod data;
pub mod deps;
pub mod feed;
pub mod i18n;
pub mod markdown;
pub mod pages;
pub mod paths;
pub mod theme;
pub mod views;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
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

impl Renderer {
    pub fn new(config: &Config) -> Result<Renderer, Diagnostics> {
        let theme = Theme::load(&config.root, &config.theme, &config.language)?;
        let strings = Arc::new(Strings(theme.strings().clone()));
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
        let loader_theme = theme.clone();
        env.set_loader(move |name| Ok(loader_theme.template(name).map(|(src, _)| src)));
        // Each string as a ready `Value`: a call without arguments (most of them, in
        // every table row) is then a lookup and a reference count, not a new string.
        let values: std::collections::HashMap<String, Value> =
            strings.0.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect();
        env.add_function("t", move |key: &str, kwargs: Kwargs| -> Result<Value, Error> {
            let Some(template) = values.get(key) else {
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
        env.add_filter("num", |v: f64, decimals: Option<usize>| crate::vi::number::format(v, decimals.unwrap_or(2)));
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

    /// Render one template with a serialisable context.
    pub fn render<T: serde::Serialize>(&self, template: &str, ctx: &T) -> Result<String, Diagnostic> {
        let tmpl = self.env.get_template(template).map_err(|e| template_error(&self.theme, template, &e))?;
        tmpl.render(Value::from(minijinja::value::Serde(ctx))).map_err(|e| template_error(&self.theme, template, &e))
    }
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
/// byte by byte for the short values that are most of a page.
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

/// A template error as a diagnostic pointing at the template's line.
pub fn template_error(theme: &Theme, template: &str, e: &Error) -> Diagnostic {
    let name = e.name().unwrap_or(template).to_string();
    let (src, shown) = theme.template(&name).unwrap_or_else(|| (String::new(), format!("templates/{name}")));
    let mut msg = e.kind().to_string();
    if let Some(detail) = e.detail() {
        msg = format!("{msg}: {detail}");
    }
    let mut d = Diagnostic::new(shown, format!("template error: {msg}"));
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
    use super::escape_html;

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
