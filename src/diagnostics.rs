//! Problems found in a site, reported the way rustc does: what is wrong, where
//! (`file:line:col`), the offending line with a caret under it, and what to do.
//!
//! Every stage collects all its problems instead of stopping at the first, so a user
//! fixes a whole batch per run. The same text is printed in the terminal and, in
//! `serve`, shown in the browser.
//!
//! A diagnostic has a [`Kind`] (what went wrong, for callers that treat some problems
//! apart, so no caller reads the message's words) and a [`Severity`]: an error stops
//! the build; a warning is printed with its location and the build goes on.

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};
use std::fmt;
use std::path::{Path, PathBuf};

/// Whether a problem stops the build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Nothing is written (`check` exits 1, `serve` keeps the last good site).
    #[default]
    Error,
    /// Surely a slip, but the site is right without fixing it: printed, not fatal.
    Warning,
}

/// What went wrong, broadly. Callers that handle a problem apart match on this.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A rule of the content format that no other kind names.
    #[default]
    Content,
    /// Not text the readers accept: YAML or TOML syntax, encoding, control characters.
    Syntax,
    /// A field unknown, missing, written twice or of the wrong shape.
    Field,
    /// A value the field does not take: a date, a number, a level, an op …
    Value,
    /// A field or indicator key that content/indicators.yaml does not define.
    Vocabulary,
    /// A reference that leads nowhere: a result's target, a document path, a successor.
    Link,
    /// Two sources for one address, or a name that gives no address.
    Address,
    /// A template that does not compile or fails while rendering a page.
    Template,
    /// A template stopped for doing more work than any page of the site should need.
    TemplateLimit,
    /// A translation string the theme lacks.
    Translation,
    /// minhbach.toml or a command-line setting.
    Config,
    /// The output folder: refused, or a write failed.
    Output,
    /// A file or folder that could not be read.
    Io,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path shown to the user, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    pub message: String,
    /// The source line the problem is on, for the snippet. (Boxed, as `hint`: results
    /// carry a `Diagnostic` as their error, and it stays under 128 bytes.)
    pub source_line: Option<Box<str>>,
    /// How many characters to underline (at least 1).
    pub width: usize,
    /// What the user should do.
    pub hint: Option<Box<str>>,
    pub kind: Kind,
    pub severity: Severity,
}

impl Diagnostic {
    pub(crate) fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 0,
            column: 0,
            message: clip(message.into()),
            source_line: None,
            width: 1,
            hint: None,
            kind: Kind::default(),
            severity: Severity::default(),
        }
    }

    pub(crate) fn kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// Make this a warning: printed with its location, the build goes on.
    pub(crate) fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Point at a line and column of `source` (the whole text of the file).
    pub(crate) fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        // Line 0 is the whole file: no line to show.
        self.source_line =
            line.checked_sub(1).and_then(|n| source.lines().nth(n)).map(|l| l.trim_end_matches('\r').into());
        if let Some(l) = &self.source_line {
            // Underline the token that starts at the column (a key, a value).
            let rest: String = l.chars().skip(column.saturating_sub(1)).collect();
            let rest = rest.trim_end();
            let w = match rest.chars().next() {
                // A quoted value: underline up to the closing quote.
                Some(q @ ('"' | '\'')) => {
                    rest.chars().skip(1).position(|c| c == q).map(|p| p + 2).unwrap_or(rest.chars().count())
                }
                _ => rest.chars().take_while(|c| !matches!(c, ':' | ',' | '#')).count(),
            };
            self.width = w.clamp(1, 60);
        }
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(clip(hint.into()).into_boxed_str());
        self
    }

    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.display().to_string(),
            (l, 0) => format!("{}:{}", self.file.display(), l),
            (l, c) => format!("{}:{}:{}", self.file.display(), l, c),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.file.display().to_string();
        let title = level.primary_title(&self.message);
        let mut group = match &self.source_line {
            Some(src) if self.line > 0 => {
                // The caret may sit just past the end of the line (an unclosed quote).
                let column = self.column.max(1);
                let end = column - 1 + self.width;
                // Past what a terminal shows after the caret, a long line is left out.
                let mut shown = printable(src, end + 200);
                shown.extend(std::iter::repeat_n(' ', end.saturating_sub(shown.chars().count())));
                let byte = |chars: usize| shown.char_indices().nth(chars).map_or(shown.len(), |(i, _)| i);
                let span = byte(column - 1)..byte(end);
                title.element(
                    Snippet::source(shown)
                        .line_start(self.line)
                        .path(path)
                        .annotation(AnnotationKind::Primary.span(span)),
                )
            }
            _ => {
                let mut origin = Origin::path(path);
                if self.line > 0 {
                    origin = origin.line(self.line);
                    if self.column > 0 {
                        origin = origin.char_column(self.column);
                    }
                }
                title.element(origin)
            }
        };
        if let Some(h) = &self.hint {
            group = group.element(Level::HELP.message(&**h));
        }
        writeln!(f, "{}", Renderer::plain().render(&[group]))
    }
}

/// A source line as it can be shown in a terminal or a page: a tab as a space, other
/// control characters as their visible symbol (U+2400 block) or `�`, one column each so
/// the caret stays under the right character. The renderer cuts a long line around the
/// caret.
fn printable(src: &str, max: usize) -> String {
    src.chars()
        .take(max)
        .map(|c| match c {
            '\t' => ' ',
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            '\u{80}'..='\u{9f}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// The longest value quoted in a message (between backticks), and the longest message.
const MAX_QUOTED: usize = 80;
const MAX_MESSAGE: usize = 1000;

/// A message with any value quoted in it cut to its start and `…`: a message quotes what
/// the user wrote, and a 1 MB value must not become a 1 MB message.
fn clip(text: String) -> String {
    if text.len() <= MAX_QUOTED {
        return text;
    }
    let mut out = String::new();
    // Odd parts are between backticks.
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        match part.char_indices().nth(MAX_QUOTED) {
            Some(_) if i % 2 == 1 => {
                out.extend(part.chars().take(MAX_QUOTED - 20));
                out.push('…');
            }
            _ => out.push_str(part),
        }
    }
    if let Some((cut, _)) = out.char_indices().nth(MAX_MESSAGE) {
        out.truncate(cut);
        out.push('…');
    }
    out
}

/// All the problems of one run, errors and warnings.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether any of them stops the build (warnings do not).
    pub(crate) fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    /// Sort by file and position so output is stable whatever the thread order.
    pub(crate) fn sorted(mut self) -> Self {
        self.0.sort();
        self.0.dedup();
        self
    }
    /// `Err` with everything if there is an error, else `Ok` with the warnings: the
    /// step that collected them goes on.
    pub(crate) fn into_result(self) -> Result<Diagnostics, Diagnostics> {
        if self.has_errors() { Err(self.sorted()) } else { Ok(self.sorted()) }
    }
    /// Give `kind` to those that have none more precise (a step whose problems are
    /// all of one kind, such as reading minhbach.toml).
    pub(crate) fn or_kind(mut self, kind: Kind) -> Self {
        for d in &mut self.0 {
            if d.kind == Kind::Content {
                d.kind = kind;
            }
        }
        self
    }
    /// Every diagnostic, then a count and what became of the output (`then`: "nothing
    /// was written.", "check writes nothing.", …).
    pub fn report(&self, then: &str) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.to_string());
            out.push('\n');
        }
        let errors = self.0.iter().filter(|d| d.is_error()).count();
        let warnings = self.0.len() - errors;
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match (errors, warnings) {
            (0, w) => out.push_str(&format!("{}; {then}", plural(w, "warning"))),
            (e, 0) => out.push_str(&format!("{} found; {then}", plural(e, "problem"))),
            (e, w) => out.push_str(&format!("{} and {} found; {then}", plural(e, "problem"), plural(w, "warning"))),
        }
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report("nothing was written."))
    }
}

impl std::error::Error for Diagnostics {}

/// The display path of a file: relative to the site root if it is inside it.
pub(crate) fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// The closest candidate to `word`, for "did you mean" hints.
pub(crate) fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_snippet_and_hint() {
        let src = "---\ntitle: A\nvaleu: 3\n---\n";
        let d = Diagnostic::new("content/a.md", "unknown field `valeu`").at(src, 3, 1).hint("did you mean `value`?");
        let text = d.to_string();
        assert!(text.contains("--> content/a.md:3:1"), "{text}");
        assert!(text.contains("3 | valeu: 3"), "{text}");
        assert!(text.contains("  | ^^^^^\n"), "{text}");
        assert!(text.contains("= help: did you mean `value`?"), "{text}");
    }

    #[test]
    fn control_characters_are_shown_as_symbols_in_the_snippet() {
        let src = "quote: \"a\u{c}b\u{1}c\u{9b}\"\n";
        let text = Diagnostic::new("content/a.md", "a control character").at(src, 1, 10).to_string();
        assert!(text.contains("1 | quote: \"a\u{240c}b\u{2401}c\u{fffd}\""), "{text}");
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
        let long = format!("summary: {}\n", "[".repeat(5000));
        let text = Diagnostic::new("content/a.md", "nested").at(&long, 1, 10).to_string();
        assert!(text.len() < 600, "{}", text.len());
        let long = format!("a: {}x\n", "[".repeat(400));
        let text = Diagnostic::new("content/a.md", "nested").at(&long, 1, 404).to_string();
        let lines: Vec<&str> = text.lines().collect();
        let (src, caret) = (lines[3], lines[4]);
        assert_eq!(src.chars().nth(caret.find('^').unwrap()), Some('x'), "{text}");
    }

    #[test]
    fn long_values_in_messages_are_cut() {
        let long = "x".repeat(1_000_000);
        let d = Diagnostic::new("a.md", format!("unknown document kind `{long}`")).hint(format!("not `{long}`"));
        assert_eq!(d.message, format!("unknown document kind `{}…`", "x".repeat(60)));
        assert_eq!(d.hint.as_deref(), Some(format!("not `{}…`", "x".repeat(60)).as_str()));
        let d = Diagnostic::new("a.md", "y".repeat(5000));
        assert_eq!(d.message.chars().count(), 1001);
        let short = "the field `title` is written twice";
        assert_eq!(Diagnostic::new("a.md", short).message, short);
    }

    #[test]
    fn a_warning_is_shown_as_one_and_counted_apart_from_errors() {
        let src = "---\nposted: 2019-01-01\n---\n";
        let w = Diagnostic::new("content/a.md", "posted 1/1/2019 is before the document was issued")
            .at(src, 2, 9)
            .warning();
        let text = w.to_string();
        assert!(text.starts_with("warning: posted 1/1/2019"), "{text}");
        assert!(text.contains(" --> content/a.md:2:9\n") && text.contains("2 | posted: 2019-01-01\n"), "{text}");
        let e = Diagnostic::new("themes/x/i18n/vi.toml", "the translation string `home` is missing").hint("add it");
        assert_eq!(
            e.to_string(),
            "error: the translation string `home` is missing\n--> themes/x/i18n/vi.toml\n = help: add it\n"
        );

        let warnings = Diagnostics(vec![w.clone()]);
        assert!(!warnings.has_errors());
        assert!(warnings.report("built.").ends_with("\n1 warning; built."));
        assert_eq!(warnings.clone().into_result().unwrap().len(), 1);
        let both = Diagnostics(vec![w, e.clone()]);
        assert!(both.report("nothing was written.").ends_with("\n1 problem and 1 warning found; nothing was written."));
        assert_eq!(both.clone().into_result().unwrap_err().len(), 2, "an error: everything is listed");
        assert!(Diagnostics(vec![e]).to_string().ends_with("\n1 problem found; nothing was written."));
    }

    #[test]
    fn the_caret_sits_under_wide_characters_and_past_the_end() {
        // Display width, not characters, places the caret.
        let src = "title: \"名前 x\n";
        let text = Diagnostic::new("a.md", "m").at(src, 1, 12).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], " --> a.md:1:12", "{text}");
        let before_x = &lines[3][..lines[3].find('x').unwrap()];
        let width = before_x.chars().count() + before_x.chars().filter(|c| matches!(c, '名' | '前')).count();
        assert_eq!(lines[4].find('^'), Some(width), "{text}");
        // An unclosed quote is pointed at just after the line's end.
        let text = Diagnostic::new("a.md", "unclosed").at("a: \"b", 1, 6).to_string();
        assert!(text.contains(" --> a.md:1:6\n") && text.contains("  |      ^\n"), "{text}");
    }

    #[test]
    fn closest_finds_typos_only() {
        let c = ["value", "unit", "deadline"];
        assert_eq!(closest("valeu", c), Some("value"));
        assert_eq!(closest("deadlin", c), Some("deadline"));
        assert_eq!(closest("zzzzzz", c), None);
    }
}
