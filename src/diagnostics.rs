//! Problems found in a site, reported the way rustc does: what is wrong, where
//! (`file:line:col`), the offending line with a caret under it, and what to do.
//!
//! Every stage collects all its problems instead of stopping at the first, so a user
//! fixes a whole batch per run. The same text is printed in the terminal and, in
//! `serve`, shown in the browser.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path shown to the user, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    pub message: String,
    /// The source line the problem is on, for the snippet.
    pub source_line: Option<String>,
    /// How many characters to underline (at least 1).
    pub width: usize,
    /// What the user should do.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 0,
            column: 0,
            message: clip(message.into()),
            source_line: None,
            width: 1,
            hint: None,
        }
    }

    /// Point at a line and column of `source` (the whole text of the file).
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.source_line = source.lines().nth(line.saturating_sub(1)).map(|l| l.trim_end_matches('\r').to_string());
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

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(clip(hint.into()));
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
        writeln!(f, "error: {}", self.message)?;
        let gutter = self.line.max(1).to_string().len();
        writeln!(f, "{:gutter$}--> {}", "", self.location())?;
        if let Some(src) = &self.source_line {
            // Far into a long line, the snippet starts near the column, after `…`.
            let skip = if self.column > 150 { self.column - 60 } else { 0 };
            let mut shown = printable(&src.chars().skip(skip).collect::<String>());
            if skip > 0 {
                shown.insert(0, '…');
            }
            writeln!(f, "{:gutter$} |", "")?;
            writeln!(f, "{:>gutter$} | {}", self.line, shown)?;
            let pad = self.column.saturating_sub(1) - skip + usize::from(skip > 0);
            writeln!(f, "{:gutter$} | {:pad$}{}", "", "", "^".repeat(self.width))?;
        }
        if let Some(h) = &self.hint {
            writeln!(f, "{:gutter$} = help: {}", "", h)?;
        }
        Ok(())
    }
}

/// A source line as it can be shown in a terminal or a page: a tab as a space, other
/// control characters as their visible symbol (U+2400 block) or `�`, one column each so
/// the caret stays under the right character; a very long line is cut after 200
/// characters.
fn printable(src: &str) -> String {
    let mut out: String = src
        .chars()
        .take(200)
        .map(|c| match c {
            '\t' => ' ',
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            '\u{80}'..='\u{9f}' => '\u{fffd}',
            c => c,
        })
        .collect();
    if src.chars().nth(200).is_some() {
        out.push('…');
    }
    out
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

/// All the problems of one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Sort by file and position so output is stable whatever the thread order.
    pub fn sorted(mut self) -> Self {
        self.0.sort();
        self.0.dedup();
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{} problem{} found; nothing was written.", n, if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// The display path of a file: relative to the site root if it is inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// The closest candidate to `word`, for "did you mean" hints.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
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
    fn closest_finds_typos_only() {
        let c = ["value", "unit", "deadline"];
        assert_eq!(closest("valeu", c), Some("value"));
        assert_eq!(closest("deadlin", c), Some("deadline"));
        assert_eq!(closest("zzzzzz", c), None);
    }
}
