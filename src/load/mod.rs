//! Reading a site from disk: walk `content/`, split front matter from body, and
//! deserialize the front matter into the raw schema. Each file is read on its own
//! (`model::build::read` runs them in parallel and lowers each document at once); the
//! result keeps each file's text so later stages can quote the offending line.

pub mod frontmatter;
pub mod quick;
pub mod schema;

use crate::diagnostics::{Diagnostic, Diagnostics, closest, display_path};
use schema::Loc;
use schema::{RawDocument, RawUnit, RawVocabulary};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// One source file: where it is and what it says, for error messages.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, as shown to users (`content/a/_index.md`).
    pub display: PathBuf,
    pub abs: PathBuf,
    /// Path inside `content/` without the extension, with `/` separators
    /// (`a/b` for `content/a/b.md`, `a` for `content/a/_index.md`).
    pub content_path: String,
    pub text: String,
    /// 1-based line where the YAML starts (2 for front matter, 1 for a .yaml file).
    pub yaml_line: usize,
    /// Byte offset of the YAML in `text`, to find a value from its byte position.
    pub yaml_start: usize,
}

impl SourceFile {
    /// A diagnostic at a YAML location of this file.
    pub fn diag(&self, loc: &Loc, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.file_pos(loc);
        Diagnostic::new(&self.display, message).at(&self.text, line, col)
    }

    pub fn file_pos(&self, loc: &Loc) -> (usize, usize) {
        if loc.line() == 0 {
            return (0, 0);
        }
        (self.yaml_line + loc.line() as usize - 1, loc.column() as usize)
    }

    /// The token written at a YAML location (up to the end of the value), as typed.
    pub fn raw_at(&self, loc: &Loc) -> Option<String> {
        // From the byte position when the parser gives it: every number is checked this
        // way, and counting lines from the top made that quadratic in a file's length.
        if let Some(b) = loc.byte_offset() {
            let rest = self.text.get(self.yaml_start + b as usize..)?;
            let line = rest.split('\n').next().unwrap_or("");
            let token = line.split('#').next().unwrap_or("").trim().trim_end_matches(',').to_string();
            return Some(token);
        }
        let (line, col) = self.file_pos(loc);
        let text = self.text.lines().nth(line.checked_sub(1)?)?;
        let rest: String = text.chars().skip(col.checked_sub(1)?).collect();
        let token = rest.split('#').next().unwrap_or("").trim().trim_end_matches(',').to_string();
        Some(token)
    }

    pub fn whole(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.display, message)
    }
}

#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub file: SourceFile,
    pub raw: T,
    pub body: String,
}

/// One file as parsed: front matter deserialized into the raw schema.
// Units are few and short-lived; documents, the many, are boxed.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub enum Entry {
    Unit(Loaded<RawUnit>),
    Doc(Box<Loaded<RawDocument>>),
    Vocab(Loaded<RawVocabulary>),
    Asset(PathBuf, String),
}

/// Every content file, in file-name order.
pub fn scan(root: &Path, content_dir: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut diags = Diagnostics::default();
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::new(display_path(root, content_dir), "the content folder does not exist")
                .hint("create it, or run `minhbach new unit content/<tinh>/<phuong>` to start"),
        );
        return Err(diags);
    }
    let mut paths = Vec::new();
    let walker = walkdir::WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_str().unwrap_or("")));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => paths.push(e.into_path()),
            Ok(_) => {}
            Err(err) => diags.push(Diagnostic::new(
                err.path().map(|p| display_path(root, p)).unwrap_or_default(),
                format!("cannot read: {err}"),
            )),
        }
    }
    if diags.is_empty() { Ok(paths) } else { Err(diags) }
}

/// Hidden files, editor swap and backup files are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with('#')
}

pub fn read_entry(root: &Path, content_dir: &Path, path: &Path) -> Result<Entry, Diagnostics> {
    let rel = path.strip_prefix(content_dir).unwrap_or(path);
    let rel_str = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
    let display = display_path(root, path);
    let is_md = rel_str.ends_with(".md");
    if rel_str == "indicators.yaml" || rel_str == "indicators.yml" {
        let text = read_text(path, &display)?;
        let file = SourceFile {
            display,
            abs: path.to_path_buf(),
            content_path: String::new(),
            text: frontmatter::normalise(text),
            yaml_line: 1,
            yaml_start: 0,
        };
        let raw = parse_yaml::<RawVocabulary>(&file, &file.text, "vocabulary")?;
        return Ok(Entry::Vocab(Loaded { file, raw, body: String::new() }));
    }
    if !is_md {
        return Ok(Entry::Asset(path.to_path_buf(), rel_str));
    }
    let text = frontmatter::normalise(read_text(path, &display)?);
    let is_unit = rel_str == "_index.md" || rel_str.ends_with("/_index.md");
    let content_path = if is_unit {
        rel_str.trim_end_matches("_index.md").trim_end_matches('/').to_string()
    } else {
        rel_str.trim_end_matches(".md").to_string()
    };
    let split = match frontmatter::split(&text) {
        Ok(s) => s,
        Err(e) => {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::new(&display, e.message).at(&text, e.line, 1).hint(e.hint));
            return Err(d);
        }
    };
    // `yaml` is a slice of `text`; the file keeps the text, and the YAML is read from it.
    let yaml_start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
    let yaml_end = yaml_start + split.yaml.len();
    let yaml_line = split.yaml_line;
    let body = split.body.to_string();
    let file = SourceFile { display, abs: path.to_path_buf(), content_path, yaml_line, yaml_start, text };
    let yaml = &file.text[yaml_start..yaml_end];
    if is_unit {
        let raw = match quick::unit(yaml) {
            Some(raw) => raw,
            None => parse_yaml::<RawUnit>(&file, yaml, "unit")?,
        };
        Ok(Entry::Unit(Loaded { file, raw, body }))
    } else {
        let raw = match quick::document(yaml) {
            Some(raw) => raw,
            None => parse_yaml::<RawDocument>(&file, yaml, "document")?,
        };
        Ok(Entry::Doc(Box::new(Loaded { file, raw, body })))
    }
}

fn read_text(path: &Path, display: &Path) -> Result<String, Diagnostics> {
    let bytes = std::fs::read(path).map_err(|e| {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::new(display, format!("cannot read the file: {e}")));
        d
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::new(display, format!("the file is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
                .hint("save the file as UTF-8 in your editor"),
        );
        d
    })
}

/// Deserialize YAML and turn serde-saphyr's error into a located diagnostic.
fn parse_yaml<T: DeserializeOwned>(file: &SourceFile, yaml: &str, kind: &str) -> Result<T, Diagnostics> {
    serde_saphyr::from_str::<T>(yaml).map_err(|e| {
        let message = plain_message(&e.to_string());
        let mut d = match e.location() {
            Some(loc) => file.diag(&loc.into(), message.clone()),
            None => file.whole(message.clone()),
        };
        d.hint = Some(hint_for(&message, kind));
        let mut ds = Diagnostics::default();
        ds.push(d);
        ds
    })
}

/// serde-saphyr's Display carries its own snippet; keep only the message of line one.
fn plain_message(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or(rendered);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // Drop "line N column M: " — we print the position ourselves, in file coordinates.
    if let Some(rest) = first.strip_prefix("line ")
        && let Some(idx) = rest.find(": ")
        && rest[..idx].contains("column")
    {
        return rest[idx + 2..].to_string();
    }
    first.to_string()
}

fn hint_for(message: &str, kind: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some(end) = rest.find('`')
    {
        let word = &rest[..end];
        let expected: Vec<&str> = message
            .split("expected one of ")
            .nth(1)
            .map(|l| l.split(", ").map(|s| s.trim_matches('`').trim()).collect())
            .unwrap_or_else(|| schema::known_fields(kind).to_vec());
        return match closest(word, expected.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? (`minhbach format` lists every field)"),
            None => format!("`{word}` is not a field here; the fields are: {}", expected.join(", ")),
        };
    }
    if message.contains("expected string") || message.contains("expected a string") {
        return "this value must be text: put it in quotes if it starts with [ { * & ! % @ or contains `: ` or ` #`"
            .into();
    }
    if message.starts_with("missing field") {
        return "add the field; `minhbach new` writes a complete skeleton to copy from".into();
    }
    "check the YAML syntax on this line: indentation with spaces, `key: value`, quotes around text containing `: ` or `#`".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_message_drops_position_prefix() {
        assert_eq!(
            plain_message("error: line 9 column 9: unknown field `valeu`, expected one of a, b\n --> x"),
            "unknown field `valeu`, expected one of a, b"
        );
    }

    #[test]
    fn hint_suggests_the_closest_field() {
        let h = hint_for("unknown field `valeu`, expected one of indicator, value, unit", "document");
        assert!(h.starts_with("did you mean `value`?"), "{h}");
    }

    #[test]
    fn ignores_editor_files() {
        assert!(is_ignored(".git"));
        assert!(is_ignored("a.md.swp"));
        assert!(is_ignored("a.md~"));
        assert!(is_ignored("4913"));
        assert!(!is_ignored("a.md"));
    }
}
