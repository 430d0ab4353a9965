//! Reading a site from disk: walk `content/`, split front matter from body, and
//! deserialize the front matter into the raw schema. Each file is read on its own
//! (`load::content::read` runs them in parallel and lowers each document at once); the
//! result keeps each file's text so later stages can quote the offending line.

pub mod content;
#[cfg(test)]
pub(crate) mod fixture;
pub mod frontmatter;
pub mod quick;
pub mod schema;

use crate::diagnostics::{Diagnostic, Diagnostics, Kind, closest, display_path};
use crate::model::{Body, BodyFile};
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
    pub(crate) fn diag(&self, loc: &Loc, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.file_pos(loc);
        Diagnostic::new(&self.display, message).at(&self.text, line, col)
    }

    pub(crate) fn file_pos(&self, loc: &Loc) -> (usize, usize) {
        if loc.line() == 0 {
            return (0, 0);
        }
        (self.yaml_line + loc.line() as usize - 1, loc.column() as usize)
    }

    /// The token written at a YAML location (up to the end of the value), as typed.
    pub(crate) fn raw_at(&self, loc: &Loc) -> Option<String> {
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

    pub(crate) fn whole(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.display, message)
    }
}

#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub file: SourceFile,
    pub raw: T,
    pub body: Body,
}

/// What a read keeps of a Markdown file's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// The text itself (`serve`, whose model lives across saves).
    Held,
    /// Where it is and the file's fingerprint: the page that shows it reads it again
    /// (`build`, `check`: the bodies of every document were 43% of the model).
    Reread,
}

/// One file as parsed: front matter deserialized into the raw schema.
// Units are few and short-lived; documents, the many, are boxed.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub(crate) enum ContentFile {
    Unit(Loaded<RawUnit>),
    Doc(Box<Loaded<RawDocument>>),
    Vocab(Loaded<RawVocabulary>),
    Asset(PathBuf, String),
}

/// Every content file, in file-name order.
pub(crate) fn scan(root: &Path, content_dir: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut diags = Diagnostics::default();
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::new(display_path(root, content_dir), "the content folder does not exist")
                .kind(Kind::Io)
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
            Ok(e) if e.path_is_symlink() => diags.push(symlink_error(root, e.path(), "content/")),
            Ok(e) if e.file_type().is_file() => paths.push(e.into_path()),
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => {
                let shown = display_path(root, e.path());
                diags.push(
                    Diagnostic::new(&shown, format!("{} is not a regular file", shown.display()))
                        .hint("content/ may hold only files and folders"),
                );
            }
            Err(err) => diags.push(
                Diagnostic::new(
                    err.path().map(|p| display_path(root, p)).unwrap_or_default(),
                    format!("cannot read: {err}"),
                )
                .kind(Kind::Io),
            ),
        }
    }
    if diags.is_empty() { Ok(paths) } else { Err(diags) }
}

/// A symlink met in one of the site's folders (`folders`, as the message names them):
/// named, with where it points. Never followed: one to /etc/passwd would publish it.
pub(crate) fn symlink_error(root: &Path, link: &Path, folders: &str) -> Diagnostic {
    let shown = display_path(root, link);
    let target = std::fs::read_link(link).map(|t| t.display().to_string()).unwrap_or_default();
    let whereto = match (std::fs::canonicalize(link), std::fs::canonicalize(root)) {
        (Ok(real), Ok(r)) if real.starts_with(&r) => "inside the site",
        (Ok(_), _) => "outside the site folder",
        (Err(_), _) => "which cannot be opened",
    };
    Diagnostic::new(
        &shown,
        format!(
            "{} is a symlink (to {target}, {whereto}); minhbach never follows symlinks in {folders}",
            shown.display()
        ),
    )
    .hint("put a copy of the file or folder itself here: a symlink could publish a file from elsewhere on the computer")
}

/// Hidden files, editor swap and backup files are never content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with('#')
}

pub(crate) fn read_entry(
    root: &Path,
    content_dir: &Path,
    path: &Path,
    bodies: Bodies,
) -> Result<ContentFile, Diagnostics> {
    let rel = path.strip_prefix(content_dir).unwrap_or(path);
    let rel_str = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
    let display = display_path(root, path);
    let is_md = rel_str.ends_with(".md");
    if rel_str == "indicators.yaml" || rel_str == "indicators.yml" {
        let text = frontmatter::normalise(read_text(path, &display)?);
        if let Some(d) = control_character_error(&display, &text) {
            return Err(d);
        }
        let file = SourceFile {
            display,
            abs: path.to_path_buf(),
            content_path: String::new(),
            text,
            yaml_line: 1,
            yaml_start: 0,
        };
        if let Some(d) = tagged(&file, &file.text) {
            return Err(d);
        }
        let raw = parse_yaml::<RawVocabulary>(&file, &file.text, "vocabulary")?;
        return Ok(ContentFile::Vocab(Loaded { file, raw, body: Body::default() }));
    }
    if !is_md {
        // `bao-cao.MD` would otherwise be published as a download, not as a document.
        if let Some(ext) = path.extension().and_then(|e| e.to_str())
            && ext.eq_ignore_ascii_case("md")
        {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            return Err(one(Diagnostic::new(
                &display,
                format!("the file name ends in `.{ext}`: minhbach reads a document only from a name ending in `.md`, in lower case"),
            )
            .hint(format!("rename it to `{stem}.md`"))));
        }
        return Ok(ContentFile::Asset(path.to_path_buf(), rel_str));
    }
    let bytes = read_bytes(path, &display)?;
    // The fingerprint of the bytes the model is made from, before anything drops a byte.
    let (len, hash, bom) = (bytes.len() as u64, crate::site::hash(&bytes), bytes.starts_with(UTF8_BOM));
    let (text, as_was) = frontmatter::normalised(decode_text(bytes, &display).map_err(one)?);
    let verbatim = as_was && !bom;
    if let Some(d) = control_character_error(&display, &text) {
        return Err(d);
    }
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
            d.push(Diagnostic::new(&display, e.message).kind(Kind::Syntax).at(&text, e.line, 1).hint(e.hint));
            return Err(d);
        }
    };
    // `yaml` is a slice of `text`; the file keeps the text, and the YAML is read from it.
    let yaml_start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
    let yaml_end = yaml_start + split.yaml.len();
    let yaml_line = split.yaml_line;
    let body = match bodies {
        Bodies::Held => Body::Text(split.body.to_string()),
        // The body runs to the end of the text.
        Bodies::Reread => Body::File(BodyFile {
            abs: path.to_path_buf(),
            start: (text.len() - split.body.len()) as u64,
            len,
            hash,
            verbatim,
        }),
    };
    let file = SourceFile { display, abs: path.to_path_buf(), content_path, yaml_line, yaml_start, text };
    let yaml = &file.text[yaml_start..yaml_end];
    let kind = if is_unit { "unit" } else { "document" };
    if let Some(d) = empty_error(&file, yaml, kind) {
        return Err(one(d));
    }
    // A YAML error is reported first (a value nested too deeply is said so, even on a
    // long line); then a line too long to publish.
    let too_long = long_line_error(&file, yaml);
    if is_unit {
        let raw = match quick::unit(yaml) {
            Some(raw) => raw,
            None => tagged(&file, yaml).map_or_else(|| parse_yaml::<RawUnit>(&file, yaml, kind), Err)?,
        };
        match too_long {
            Some(d) => Err(one(d)),
            None => Ok(ContentFile::Unit(Loaded { file, raw, body })),
        }
    } else {
        let raw = match quick::document(yaml) {
            Some(raw) => raw,
            None => tagged(&file, yaml).map_or_else(|| parse_yaml::<RawDocument>(&file, yaml, kind), Err)?,
        };
        match too_long {
            Some(d) => Err(one(d)),
            None => Ok(ContentFile::Doc(Box::new(Loaded { file, raw, body }))),
        }
    }
}

/// The largest content file read: far above any real document (a resolution with a
/// thousand targets is half a megabyte), and small enough that a pasted PDF or a data
/// dump is refused at once instead of taking minutes and gigabytes.
pub(crate) const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

fn one(d: Diagnostic) -> Diagnostics {
    let mut ds = Diagnostics::default();
    ds.push(d);
    ds
}

fn read_text(path: &Path, display: &Path) -> Result<String, Diagnostics> {
    decode_text(read_bytes(path, display)?, display).map_err(one)
}

/// A content file's bytes, refused if too large to be a document.
fn read_bytes(path: &Path, display: &Path) -> Result<Vec<u8>, Diagnostics> {
    if let Ok(m) = std::fs::metadata(path)
        && m.len() > MAX_FILE_BYTES
    {
        return Err(one(Diagnostic::new(
            display,
            format!(
                "the file is too large ({:.1} MB); a content file may be at most {} MB",
                m.len() as f64 / 1e6,
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .kind(Kind::Syntax)
        .hint("a document this long is most likely something else (a pasted PDF, a data export): keep only the document's text, or put the original beside it as a file to download")));
    }
    std::fs::read(path).map_err(|e| one(Diagnostic::new(display, format!("cannot read the file: {e}")).kind(Kind::Io)))
}

/// `g` of a body read again from its file (`Body::File`), as it was read first: the same
/// bytes (length and hash), decoded and normalised the same way. A file changed or gone
/// since is an error: the page would show a text other than the one the build checked.
pub(crate) fn with_body<T>(f: &BodyFile, shown: &Path, g: impl FnOnce(&str) -> T) -> Result<T, Diagnostic> {
    let changed = |what: String| {
        Diagnostic::new(shown, format!("{} {what} after this build read it", shown.display()))
            .kind(Kind::Io)
            .hint("the file was saved, replaced or removed while the site was being built: build again once it is as it should be")
    };
    let bytes = match std::fs::read(&f.abs) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(changed("was deleted".into())),
        Err(e) => return Err(changed(format!("could not be read again ({e})"))),
    };
    if bytes.len() as u64 != f.len || crate::site::hash(&bytes) != f.hash {
        return Err(changed("changed".into()));
    }
    let start = usize::try_from(f.start).unwrap_or(usize::MAX);
    let unreadable = || changed("does not read as it did".into());
    if f.verbatim {
        // The text was the bytes themselves: only the body needs decoding.
        let body = bytes.get(start..).and_then(|b| simdutf8::basic::from_utf8(b).ok()).ok_or_else(unreadable)?;
        return Ok(g(body));
    }
    let text = frontmatter::normalise(decode_text(bytes, shown)?);
    Ok(g(text.get(start..).ok_or_else(unreadable)?))
}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// A file's bytes as text, for content and for the theme's and site's templates and
/// strings alike: a byte that is not UTF-8 is an error at its line and column, a file
/// saved as UTF-16 is named as such, and a leading byte order mark is dropped.
pub(crate) fn decode_text(mut bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    // UTF-16 (Notepad's "Unicode"): a byte order mark, or ASCII with every other byte 0.
    let utf16 = bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || (bytes.len() >= 4 && ((bytes[1] == 0 && bytes[3] == 0) || (bytes[0] == 0 && bytes[2] == 0)));
    if utf16 {
        return Err(Diagnostic::new(shown, "the file is saved as UTF-16; minhbach reads UTF-8 text only")
            .kind(Kind::Syntax)
            .at("", 1, 1)
            .hint("save it again as UTF-8 (in most editors: Save as… → Encoding: UTF-8; in Notepad choose “UTF-8”, not “Unicode”)"));
    }
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let bad = bytes[at];
        let lossy = String::from_utf8_lossy(&bytes);
        // The valid prefix decodes the same in both, so its length in chars locates the byte.
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let mut d =
            Diagnostic::new(shown, format!("the file is not UTF-8 text: the byte 0x{bad:02X} here is not a character"))
                .kind(Kind::Syntax)
                .at(&lossy, line, col)
                .hint("save the file as UTF-8 in your editor (it was probably saved as Windows-1258, TCVN3 or Latin-1), then check the Vietnamese letters");
        d.width = 1;
        d
    })
}

/// The first control character of a text other than tab and line breaks (C0, DEL, C1),
/// as (line, column, character, how many there are in all). They are invisible, come
/// from PDF and Word pastes, and are not allowed in XML (the feeds), so they are an
/// error rather than silently removed: nothing a document says is changed unseen.
pub(crate) fn control_character(text: &str) -> Option<(usize, usize, char, usize)> {
    // U+FFFE and U+FFFF are not characters, and not allowed in XML either.
    let is_control =
        |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}');
    // Most files have none: a byte scan answers for them.
    if !any_control_byte(text) {
        return None;
    }
    let count = text.chars().filter(|&c| is_control(c)).count();
    for (n, line) in text.split('\n').enumerate() {
        if let Some(col) = line.chars().position(is_control) {
            let c = line.chars().nth(col).unwrap_or('\0');
            return Some((n + 1, col + 1, c, count));
        }
    }
    None
}

/// Whether `text` holds a control character other than tab and line breaks (C0, DEL,
/// C1) or U+FFFE/U+FFFF, by a scan of its bytes: the fast test both the check above and
/// the quick reader's guard (load/quick.rs) use.
pub(crate) fn any_control_byte(text: &str) -> bool {
    let b = text.as_bytes();
    // A byte that may start one: C0 other than tab and line breaks, DEL, and the lead
    // bytes of C1 (0xC2) and of U+FFFE/U+FFFF (0xEF). Tested 32 bytes at a time without
    // a branch per byte (the compiler makes it a vector compare), then exactly: text
    // passes through this once per file, and a byte-by-byte test was 2% of a build.
    let maybe = |x: u8| (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r')) | (x == 0x7f) | (x == 0xC2) | (x == 0xEF);
    let exact = |i: usize| {
        let x = b[i];
        (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r'))
            || x == 0x7f
            || (x == 0xC2 && matches!(b.get(i + 1), Some(0x80..=0x9F)))
            || (x == 0xEF && b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)))
    };
    b.chunks(32).enumerate().any(|(n, chunk)| {
        chunk.iter().fold(false, |acc, &x| acc | maybe(x)) && (n * 32..n * 32 + chunk.len()).any(exact)
    })
}

fn control_character_error(display: &Path, text: &str) -> Option<Diagnostics> {
    let (line, col, c, count) = control_character(text)?;
    let name = match c {
        '\u{0}' => ", null",
        '\u{7}' => ", bell",
        '\u{8}' => ", backspace",
        '\u{b}' => ", vertical tab",
        '\u{c}' => ", form feed",
        '\u{1b}' => ", escape",
        '\u{7f}' => ", delete",
        '\u{fffe}' | '\u{ffff}' => ", not a character",
        _ => "",
    };
    let more = match count {
        1 => String::new(),
        n => format!(" ({} more in this file)", n - 1),
    };
    let mut d = Diagnostic::new(display, format!("a control character (U+{:04X}{name}) is in the text{more}", c as u32))
        .kind(Kind::Syntax)
        .at(text, line, col)
        .hint("delete it: it is invisible (usually pasted from a PDF or Word file) and would break the site's feeds; type a space or a line break instead");
    d.width = 1;
    let mut ds = Diagnostics::default();
    ds.push(d);
    Some(ds)
}

/// The longest line of front matter: a title is a line, a long quote a few thousand
/// characters; a line longer than this is a paste gone wrong, refused before YAML reads
/// it and before it is copied into every page that lists the document.
pub(crate) const MAX_LINE_CHARS: usize = 20_000;

/// Front matter with no fields: nothing, or only comments, between the two `---` lines.
fn empty_error(file: &SourceFile, yaml: &str, kind: &str) -> Option<Diagnostic> {
    if yaml.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        let needs = if kind == "unit" { "`name` and `level`" } else { "`title`, `kind` and `issued`" };
        return Some(
            Diagnostic::new(
                &file.display,
                "the front matter is empty: there are no fields between the two `---` lines",
            )
            .kind(Kind::Field)
            .at(&file.text, file.yaml_line - 1, 1)
            .hint(format!("a {kind} needs at least {needs}; `minhbach format` lists every field")),
        );
    }
    None
}

/// A line of front matter longer than [`MAX_LINE_CHARS`], pointed at its value.
fn long_line_error(file: &SourceFile, yaml: &str) -> Option<Diagnostic> {
    let (i, l) =
        yaml.lines().enumerate().find(|(_, l)| l.len() > MAX_LINE_CHARS && l.chars().count() > MAX_LINE_CHARS)?;
    let line = file.yaml_line + i;
    let indent = l.len() - l.trim_start_matches([' ', '-']).len();
    // The front matter was read, so any key is short (YAML caps one at 1024 characters):
    // the value starts after it, or after the `- ` of a list item.
    let value = l[indent..].find(": ").filter(|&k| k <= 1024).map_or(indent, |k| indent + k + 2);
    let chars = l.chars().count();
    let d = Diagnostic::new(
        &file.display,
        format!("this value is too long: {chars} characters on one line, and a line of front matter may be at most {MAX_LINE_CHARS}"),
    )
    .kind(Kind::Value)
    .at(&file.text, line, l[..value].chars().count() + 1)
    .hint("front matter holds short fields; put long text in the body, below the second `---`");
    Some(d)
}

/// A YAML tag (`!!binary`, `!ward`) anywhere in the front matter: tags change how a value
/// is read (`!!binary` decodes base64), so a value could say something other than what
/// it shows; values are read as written, and a tag is an error.
fn tagged(file: &SourceFile, yaml: &str) -> Option<Diagnostics> {
    let (loc, tag) = quick::first_tag(yaml)?;
    let (line, col) = file.file_pos(&loc);
    let mut d =
        Diagnostic::new(&file.display, format!("`{tag}` is a YAML tag; YAML tags are not allowed in front matter"))
            .kind(Kind::Syntax)
            .at(&file.text, line, col)
            .hint(format!("remove `{tag}` and write the value itself: minhbach reads every value as it is written"));
    d.width = tag.chars().count();
    Some(one(d))
}

/// Deserialize YAML and turn serde-saphyr's error into a located diagnostic.
fn parse_yaml<T: DeserializeOwned>(file: &SourceFile, yaml: &str, kind: &str) -> Result<T, Diagnostics> {
    serde_saphyr::from_str::<T>(yaml).map_err(|e| {
        let mut ds = Diagnostics::default();
        let d = yaml_error(file, yaml, &e, kind);
        // The parser stops at the first unquoted `op: >=`; every other one is named
        // too, so that one run shows them all.
        if plain_message(&e.to_string()).contains("block scalar") {
            for (i, l) in yaml.lines().enumerate() {
                let line = file.yaml_line + i;
                if line != d.line
                    && let Some(("op", col, value)) = unquoted_block_start(l)
                {
                    ds.push(unquoted_block_error(file, line, col, Some("op"), &value));
                }
            }
        }
        ds.push(if d.kind == Kind::Content { d.kind(yaml_kind(&e)) } else { d });
        ds
    })
}

/// A value that starts, unquoted, with `>` or `|` on the line (`op: >=`), at file line
/// `line` and column `col` of its value: said in the terms of the field it is in.
fn unquoted_block_error(file: &SourceFile, line: usize, col: usize, key: Option<&str>, value: &str) -> Diagnostic {
    use crate::model::{lower::sign_before_number, names};
    let sign = &value[..1];
    // `value: >95`: the comparison belongs in `op:`.
    let compared = key.filter(|k| matches!(*k, "value" | "min" | "max")).zip(sign_before_number(value));
    let (message, hint) = match (key, compared) {
        (Some("op"), _) => names::unquoted_op(value),
        (_, Some((k, (op, number)))) => (
            format!("the comparison `{sign}` belongs in `op:`, not in `{k}:`"),
            format!(
                "the comparison goes in `op:`: write `op: {}` and only the number here, `{k}: \"{number}\"`",
                names::written_op(op)
            ),
        ),
        (Some(k), None) => (
            format!("a value starting with `{sign}` must be written in quotes"),
            format!("put the whole value in quotes: `{k}: \"{value}\"`"),
        ),
        (None, None) => (
            format!("a value starting with `{sign}` must be written in quotes"),
            format!("put the whole value in quotes: `\"{value}\"`"),
        ),
    };
    Diagnostic::new(&file.display, message).kind(Kind::Value).at(&file.text, line, col).hint(hint)
}

/// What a YAML error is about, from the parser's error (not from its words).
fn yaml_kind(e: &serde_saphyr::Error) -> Kind {
    use serde_saphyr::Error as E;
    match e {
        E::SerdeMissingField { .. } | E::SerdeUnknownField { .. } | E::DuplicateMappingKey { .. } => Kind::Field,
        E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeInvalidLength { .. }
        | E::SerdeUnknownVariant { .. }
        | E::InvalidScalar { .. }
        | E::NonFiniteFloat { .. }
        | E::InvalidBooleanStrict { .. }
        | E::NullIntoString { .. }
        | E::InvalidCharNull { .. } => Kind::Value,
        _ => Kind::Syntax,
    }
}

/// serde-saphyr's error in words a ward officer can act on, at the right place: a tab
/// in the indentation is pointed at (the parser may name the line before), and an
/// indentation error at the start of its line.
fn yaml_error(file: &SourceFile, yaml: &str, e: &serde_saphyr::Error, kind: &str) -> Diagnostic {
    use serde_saphyr::Error as E;
    let raw = plain_message(&e.to_string());
    let loc: Option<Loc> = e.location().map(Into::into);
    let yaml_line = loc.map(|l| l.line() as usize).unwrap_or(0);
    if let Some((line, col)) = tab_indentation(yaml, yaml_line, raw.contains("tab")) {
        let line = file.yaml_line + line - 1;
        let mut d = Diagnostic::new(&file.display, "this line is indented with a tab")
            .kind(Kind::Syntax)
            .at(&file.text, line, col)
            .hint("indent with spaces only: YAML does not accept tabs before a field");
        d.width = 1;
        return d;
    }
    let (line, col) = loc.map(|l| file.file_pos(&l)).unwrap_or((0, 0));
    let key = key_on_line(&file.text, line);
    let field = |what: &str| match &key {
        Some(k) => format!("`{k}` {what}"),
        None => format!("this value {what}"),
    };
    let line_text = |l: usize| file.text.lines().nth(l.saturating_sub(1)).unwrap_or("").to_string();
    let line_start = || {
        let text = file.text.lines().nth(line.saturating_sub(1)).unwrap_or("");
        text.chars().take_while(|c| *c == ' ').count() + 1
    };
    // A key with nothing after it (`title:`), or `~`: pointed at the key.
    let no_value = || match &key {
        Some(k) => (
            format!("`{k}` has no value"),
            format!("write its value after `{k}: ` on the same line, or delete the line if the field is optional"),
            key_col(&line_text(line)),
        ),
        None => ("a value is missing here".to_string(), "write the value, or delete the line".to_string(), col),
    };
    let open_flow = unclosed_flow(yaml, yaml_line);
    // `op: >=` unquoted: YAML reads `>` or `|` at the start of a value as the start of
    // a long text, and fails on what follows it on the line.
    if raw.contains("block scalar")
        && let Some((_, col, value)) = unquoted_block_start(&line_text(line))
    {
        return unquoted_block_error(file, line, col, key.as_deref(), &value);
    }
    let (message, hint, col) = match e.without_snippet() {
        E::SerdeUnknownField { field, expected, .. } => {
            let list = item_start(&file.text, file.yaml_line, line).and_then(|(_, _, list)| list);
            let whose = match (kind, list.as_deref()) {
                ("vocabulary", None) => "content/indicators.yaml".to_string(),
                ("vocabulary", Some("fields")) => "a field (lĩnh vực)".to_string(),
                ("vocabulary", Some("indicators")) => "an indicator".to_string(),
                (k, None) => format!("a {k}"),
                (_, Some(list)) => match singular(list) {
                    Some(one) => format!("a {one}"),
                    None => "this item".to_string(),
                },
            };
            let fields = expected.join(", ");
            let hint = match closest(field, expected.iter().copied()) {
                Some(c) => format!("did you mean `{c}`? The fields of {whose} are {fields}"),
                None if field == "draft" && kind == "unit" => {
                    format!("only a document can be a draft: delete this line. The fields of a unit are {fields}")
                }
                None => format!("the fields of {whose} are {fields}; `minhbach format` describes each"),
            };
            (format!("unknown field `{field}` in {whose}"), hint, col)
        }
        E::DuplicateMappingKey { key, .. } => (
            match key {
                Some(k) => format!("the field `{k}` is written twice"),
                None => "a field is written twice".into(),
            },
            "keep one of the two lines: a field has one value".into(),
            col,
        ),
        E::NonFiniteFloat { value, .. } => (
            format!("`{value}` is not a number a document can state"),
            "write the figure as the document gives it, e.g. 95, \"0,5\" or \"1.300\"; leave the field out when there is none"
                .into(),
            col,
        ),
        E::Budget { breach, .. } => {
            let what = format!("{breach:?}");
            let message = if what.starts_with("Depth") {
                "the values here are nested too deeply".to_string()
            } else if what.starts_with("ScalarBytes") {
                "the front matter holds too much text".to_string()
            } else {
                "the front matter has too many values".to_string()
            };
            let col = if what.starts_with("Depth") { nest_start(&line_text(line), col) } else { col };
            (message, "front matter lists a document's fields, targets and results; keep long text in the body below it".into(), col)
        }
        E::InvalidBooleanStrict { .. } => (field("must be true or false"), "write `true` or `false`".into(), col),
        E::NullIntoString { .. } | E::InvalidCharNull { .. } => no_value(),
        E::SerdeInvalidType { unexpected, .. } if unexpected.starts_with("unit") => no_value(),
        E::InvalidScalar { ty, .. } => {
            let token = loc.and_then(|l| file.raw_at(&l)).unwrap_or_default();
            match *ty {
                "boolean" | "bool" => (field("must be true or false"), "write `true` or `false`".into(), col),
                t if t.starts_with('i') || t.starts_with('u') => (
                    format!("`{token}` is not a number: {}", field("must be a whole number")),
                    "write a whole number, such as 1, 2 or 10".into(),
                    col,
                ),
                _ => (format!("`{token}` is not a number"), "write a number, such as 95 or 0.5".into(), col),
            }
        }
        E::MultipleDocuments { .. } => {
            let hint = "delete this line: the fields end at the next line that holds only `---`";
            match document_marker(yaml, yaml_line) {
                Some((l, marker)) => {
                    let message = if marker == "..." {
                        "`...` ends the YAML document here; the front matter must be one YAML document, closed by a line of `---`"
                    } else {
                        "`---` here starts a second YAML document; the front matter must be one YAML document"
                    };
                    let mut d = Diagnostic::new(&file.display, message)
                        .at(&file.text, file.yaml_line + l - 1, 1)
                        .hint(hint);
                    d.width = 3;
                    return d;
                }
                None => ("the front matter must be one YAML document".into(), hint.into(), col),
            }
        }
        E::SerdeMissingField { field, .. } if misaligned(yaml, yaml_line, field).is_none() => {
            let Some((l, c, parent)) = item_start(&file.text, file.yaml_line, line) else {
                return Diagnostic::new(&file.display, format!("missing field `{field}`"))
                    .at(&file.text, line, col)
                    .hint(hint_for(&raw));
            };
            let whose = match parent.as_deref().map(|p| singular(p)) {
                None => "in the front matter".to_string(),
                Some(Some(one)) => format!("in this {one}"),
                Some(None) => "in this item".to_string(),
            };
            let mut d = Diagnostic::new(&file.display, format!("missing field `{field}` {whose}"))
                .at(&file.text, l, c)
                .hint(format!("add a line `{field}: …` {whose}; `minhbach new` writes a complete skeleton to copy from"));
            d.width = 1;
            return d;
        }
        _ if raw.starts_with("simple key expected") && line_text(line).split(':').next().unwrap_or("").trim().chars().count() > 1024 => (
            format!(
                "this field name is too long ({} characters); YAML allows at most 1024",
                line_text(line).split(':').next().unwrap_or("").trim().chars().count()
            ),
            "write each field as `name: value` with a short name; put long text in the body, below the second `---`".into(),
            line_start(),
        ),
        _ if open_flow.is_some()
            && ["only valid inside a block", "expected ','", "flow", "end of stream", "did not find expected"]
                .iter()
                .any(|w| raw.contains(w)) =>
        {
            let (l, c, ch) = open_flow.unwrap_or_default();
            let hint = if ch == '{' {
                "end the fields with `}` on the same line, or write them as `key: value` lines, one per line"
            } else {
                "end the list with `]` on the same line, or write one `- ` item per line"
            };
            let mut d = Diagnostic::new(&file.display, format!("this `{ch}` is not closed"))
                .at(&file.text, file.yaml_line + l - 1, c)
                .hint(hint);
            d.width = 1;
            return d;
        }
        E::Unexpected { expected, .. } => match *expected {
            "string scalar" => (
                field("must be a text, not a list or a set of fields"),
                "write the text on the same line after `: `, in quotes if it starts with [ { * & ! % @".into(),
                col,
            ),
            "mapping start" => {
                let parent = parent_key(&file.text, file.yaml_line, line);
                let item = is_item(&line_text(line));
                match parent.as_deref().map(|p| (p, singular(p))) {
                    None if kind == "vocabulary" => (
                        format!("{} must be fields (`fields:` and `indicators:`), not a list or a text", file.display.display()),
                        "start the file with `fields:` and `indicators:`, each followed by its `- key: …` items; `minhbach format` shows an example".into(),
                        col,
                    ),
                    None => (
                        "the front matter must be fields (`key: value` lines), not a list or a text".into(),
                        format!("write one field per line, e.g. `title: …`; `minhbach format` lists the fields of a {kind}"),
                        col,
                    ),
                    Some((_, Some(one))) if item => (
                        format!("a {one} must be fields (`key: value` lines), not a single value"),
                        format!("write each {one} as `- ` and its first field, e.g. `- id: \"1\"`, then its other fields on the lines below, lined up with it; `minhbach format` lists them"),
                        col,
                    ),
                    _ => (
                        field("must be a set of fields (`key: value` lines), not a single value"),
                        "see `minhbach format` for what this item holds".into(),
                        col,
                    ),
                }
            }
            "sequence start" => (
                field("must be a list (lines starting with `- `)"),
                "write each item on its own line starting with `- `".into(),
                col,
            ),
            _ => (raw.clone(), hint_for(&raw), col),
        },
        E::SerdeInvalidType { unexpected, expected, .. } => {
            let words = |t: &str| match t {
                "sequence" | "seq" => "a list".to_string(),
                "map" => "a set of fields".to_string(),
                "string" => "a text".to_string(),
                t if t.starts_with("struct ") => "a set of fields".to_string(),
                t => t.to_string(),
            };
            (
                field(&format!("must be {}, not {}", words(expected), words(unexpected.split(' ').next().unwrap_or("")))),
                hint_for(&raw),
                col,
            )
        }
        // A `: ` after the field's own `key: `: a text holding a colon.
        _ if raw.starts_with("mapping values are not allowed")
            && line_text(line).chars().take(col.saturating_sub(1)).collect::<String>().contains(": ") =>
        {
            (
                "this text contains `: `, which YAML reads as the start of another field".into(),
                match &key {
                    Some(k) => format!("put the whole text in quotes: `{k}: \"…\"`"),
                    None => "put the whole text in quotes".into(),
                },
                col,
            )
        }
        _ if raw.starts_with("mapping values are not allowed") => (
            "this line is indented more than the fields above it".into(),
            "line the field up with the fields above it, using spaces".into(),
            line_start(),
        ),
        E::SerdeMissingField { field, .. } if misaligned(yaml, yaml_line, field).is_some() => {
            let (l, c) = misaligned(yaml, yaml_line, field).unwrap_or_default();
            let mut d = Diagnostic::new(&file.display, format!("`{field}` is not lined up with the other fields of its item"))
                .at(&file.text, file.yaml_line + l - 1, c)
                .hint("indent it with as many spaces as the other fields of the item (here YAML read it as part of something else)");
            d.width = field.chars().count();
            return d;
        }
        _ if raw.contains("trailing content after double-quoted scalar") || raw.contains("found unexpected end of stream") && raw.contains("quoted") => {
            match unclosed_quote(&file.text, line) {
                Some((l, c)) => {
                    return Diagnostic::new(&file.display, "these quotes are not closed on their line")
                        .at(&file.text, l, c)
                        .hint("end the text with `\"` on the same line; write a `\"` inside the text as `\\\"`, or quote the text with ' instead");
                }
                None => (
                    "text continues after the closing quote".into(),
                    "put the whole value in one pair of quotes; write a `\"` inside it as `\\\"`".into(),
                    col,
                ),
            }
        }
        _ if raw.contains("comment intercepting") => (
            "a ` #` in this text starts a comment".into(),
            "put the whole text in quotes so that `#` is part of it".into(),
            col,
        ),
        _ if raw.contains("unknown escape character") => (
            "a backslash `\\` in double quotes must start a known escape (`\\n`, `\\\"`, `\\\\`)".into(),
            "write a backslash as `\\\\`, or quote the text with ' instead of \"".into(),
            col,
        ),
        _ if raw.contains("recursion limit") || raw.contains("nesting limit") => (
            "the values here are nested too deeply".into(),
            "front matter lists a document's fields, targets and results: a few levels of `- ` and `key:` are all it needs".into(),
            nest_start(&line_text(line), col),
        ),
        _ if raw.starts_with("block sequence entries are not allowed") => (
            "a list item (`- `) cannot start here".into(),
            "put the list on the lines after the field, one item per line: `recipients:` then `  - Quận ủy`".into(),
            col,
        ),
        _ if raw.contains("did not find expected key") || raw.contains("did not find expected '-'") => (
            "this line does not line up with the fields above it".into(),
            "indent with spaces so that the fields of one item start in the same column".into(),
            line_start(),
        ),
        _ => (raw.clone(), hint_for(&raw), col),
    };
    let d = if line == 0 {
        Diagnostic::new(&file.display, message)
    } else {
        Diagnostic::new(&file.display, message).at(&file.text, line, col)
    };
    d.hint(hint)
}

/// A line of `yaml` whose indentation holds a tab, as (line, column of the tab), both
/// 1-based in the YAML: the one nearest `near` (a line the parser named, or the line after it,
/// since the parser may name the line before), or the first anywhere when the parser said
/// it found a tab.
fn tab_indentation(yaml: &str, near: usize, anywhere: bool) -> Option<(usize, usize)> {
    let tabbed = yaml.lines().enumerate().filter_map(|(i, l)| {
        let indent: String = l.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        let col = indent.chars().position(|c| c == '\t')?;
        // A tab after the last character of the line is not indentation.
        (indent.len() < l.len()).then_some((i + 1, col + 1))
    });
    let mut tabbed = tabbed.filter(|(l, _)| anywhere || l.abs_diff(near) <= 1);
    tabbed.next()
}

/// Where `field:` is written near YAML line `near` (the item the parser says lacks it)
/// with another indentation than the item's other fields: (line, column), 1-based.
fn misaligned(yaml: &str, near: usize, field: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = yaml.lines().collect();
    let item = lines.get(near.checked_sub(1)?)?;
    // Where the item's keys start: 4 for `  - id: 1` and for `    group: 1`.
    let item_indent = item.len() - item.trim_start_matches([' ', '-']).len();
    lines.iter().enumerate().skip(near).take(50).find_map(|(i, l)| {
        let body = l.trim_start().trim_start_matches("- ");
        let at = l.len() - body.len();
        (body.strip_prefix(field).is_some_and(|r| r.starts_with(':')) && at != item_indent).then_some((i + 1, at + 1))
    })
}

/// The line at or before `line` (1-based, in `text`) whose double quotes do not pair
/// up: where a quoted text was opened and not closed. (line, column of the quote).
fn unclosed_quote(text: &str, line: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    lines.iter().enumerate().rev().find_map(|(i, l)| {
        let (mut open, mut after_backslash) = (None, false);
        for (c, ch) in l.chars().enumerate() {
            match ch {
                '"' if !after_backslash => open = if open.is_some() { None } else { Some(c + 1) },
                '#' if open.is_none() => break,
                _ => {}
            }
            after_backslash = ch == '\\' && !after_backslash && open.is_some();
        }
        open.map(|c| (i + 1, c))
    })
}

/// The key of a YAML line, and its value with the value's 1-based column, when the
/// value starts, unquoted, with `>` or `|`, which YAML reads as the start of a long text
/// (`  - op: >= # x` → `op`, 13, `>=`).
pub(crate) fn unquoted_block_start(line: &str) -> Option<(&str, usize, String)> {
    let (key, rest) = line.split_once(':')?;
    let value = rest.split(" #").next().unwrap_or("").trim();
    let col = key.chars().count() + 2 + rest.chars().take_while(|c| *c == ' ').count();
    let key = key.trim_start().trim_start_matches("- ").trim();
    value.starts_with(['>', '|']).then(|| (key, col, value.to_string()))
}

/// Whether a line is a list item (`- …` or `-`).
fn is_item(line: &str) -> bool {
    let t = line.trim_start();
    t == "-" || t.starts_with("- ")
}

/// The 1-based column where a line's key or value starts, after indentation and `- `.
fn key_col(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ' || *c == '-').count() + 1
}

fn indent(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

fn blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// What one item of a list field is called, for messages (`groups` → `group`).
fn singular(list: &str) -> Option<&'static str> {
    Some(match list {
        "groups" => "group",
        "targets" => "target",
        "results" => "result",
        "measures" => "measure",
        "indicators" => "indicator",
        "fields" => "field",
        _ => return None,
    })
}

/// The key whose value holds file line `line` (`groups` for an item of `groups:`), from
/// the lines above it down to `first` (the YAML's first line); None at the top level.
fn parent_key(text: &str, first: usize, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    let here = lines.get(line.checked_sub(1)?)?;
    let (at, item) = (indent(here), is_item(here));
    for (i, l) in lines.iter().enumerate().rev().skip(1) {
        if i + 1 < first {
            break;
        }
        if blank_or_comment(l) {
            continue;
        }
        // A list may stand at its key's own indentation (`groups:` then `- …`).
        if indent(l) < at || (item && indent(l) == at && !is_item(l) && l.trim_end().ends_with(':')) {
            return key_on_line(text, i + 1);
        }
    }
    None
}

/// Where the item (or the whole front matter) holding the key on file line `line`
/// starts, as (line, column, the list it is an item of; None for the front matter).
fn item_start(text: &str, first: usize, line: usize) -> Option<(usize, usize, Option<String>)> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    let here = lines.get(line.checked_sub(1)?)?;
    let keys_at = key_col(here) - 1;
    if keys_at == 0 {
        let top = (first..=line).find(|&l| !blank_or_comment(lines[l - 1]))?;
        return Some((top, 1, None));
    }
    for (i, l) in lines.iter().enumerate().rev() {
        if i + 1 < first {
            break;
        }
        if blank_or_comment(l) {
            continue;
        }
        if is_item(l) && key_col(l) - 1 == keys_at {
            let list = parent_key(text, first, i + 1).unwrap_or_default();
            return Some((i + 1, indent(l) + 1, Some(list)));
        }
        if indent(l) < keys_at && !is_item(l) {
            break;
        }
    }
    None
}

/// The line of `yaml` at or before `near` (1-based) that ends a YAML document (`...`)
/// or starts another (`---`), and which of the two it is.
fn document_marker(yaml: &str, near: usize) -> Option<(usize, &'static str)> {
    let lines: Vec<&str> = yaml.lines().take(near.max(1)).collect();
    lines.iter().enumerate().rev().find_map(|(i, l)| {
        let l = l.split(" #").next().unwrap_or("").trim_end();
        match l {
            "..." => Some((i + 1, "...")),
            "---" => Some((i + 1, "---")),
            _ => None,
        }
    })
}

/// The outermost `{` or `[` opened as a value in `yaml` up to line `upto` (1-based) and
/// not closed by then, as (line, column, bracket): a flow collection left open makes the
/// parser fail lines later, at the next `- `.
fn unclosed_flow(yaml: &str, upto: usize) -> Option<(usize, usize, char)> {
    let mut open: Vec<(usize, usize, char)> = Vec::new();
    for (n, l) in yaml.lines().take(upto).enumerate() {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        // The last character before this one that is not a space, on this line.
        let mut last = ' ';
        for (c, ch) in l.chars().enumerate() {
            if let Some(q) = quote {
                if ch == q && !(q == '"' && prev == '\\') {
                    quote = None;
                }
            } else if ch == '#' && (prev == ' ' || c == 0) {
                break;
            } else if matches!(ch, '"' | '\'') && (!open.is_empty() || matches!(last, ' ' | ':' | '-')) {
                quote = Some(ch);
            } else if matches!(ch, '{' | '[') && (!open.is_empty() || matches!(last, ' ' | ':' | '-')) {
                open.push((n + 1, c + 1, ch));
            } else if matches!(ch, '}' | ']') && !open.is_empty() {
                open.pop();
            }
            prev = ch;
            if ch != ' ' {
                last = ch;
            }
        }
    }
    open.first().copied()
}

/// The column where a run of `[` and `{` holding column `col` of `line` starts: a value
/// nested too deeply is pointed at its first bracket, not where the parser gave up.
fn nest_start(line: &str, col: usize) -> usize {
    let chars: Vec<char> = line.chars().take(col).collect();
    let mut start = col.min(chars.len() + 1);
    while start > 1 && matches!(chars.get(start - 2), Some('[' | '{' | ' ')) {
        start -= 1;
    }
    start + chars.iter().skip(start - 1).take_while(|c| **c == ' ').count()
}

/// The field written on line `line` of `text` (`  - name: value` → `name`), if any.
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let l = l.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = l.split_once(':')?;
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then(|| key.to_string())
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

fn hint_for(message: &str) -> String {
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
    fn a_body_read_again_is_the_body_read_first_unless_its_file_changed() {
        const HEAD: &str = "---\ntitle: A\nkind: resolution\nissued: 2020-05-22\n---\n";
        // Taken as written; then with a BOM, CRLF, a lone CR and decomposed letters,
        // which move the body's offset in the text.
        let plain = format!("{HEAD}Phường 1\nhết.\n");
        let messy = format!("\u{feff}{}Phu\u{31b}o\u{31b}\u{300}ng 1\rhết.\r\n", HEAD.replace('\n', "\r\n"));
        let f = crate::load::fixture::Fixture::new(&[("u/plain.md", &plain), ("u/messy.md", &messy)]);
        for (name, text, verbatim) in [("plain", &plain, true), ("messy", &messy, false)] {
            let path = f.content_dir().join(format!("u/{name}.md"));
            let body = |bodies| match read_entry(&f.root(), &f.content_dir(), &path, bodies) {
                Ok(ContentFile::Doc(d)) => d.body,
                _ => panic!("a document"),
            };
            let (held, again) = (body(Bodies::Held), body(Bodies::Reread));
            let shown = PathBuf::from(format!("content/u/{name}.md"));
            assert!(matches!(&again, Body::File(b) if b.verbatim == verbatim), "{again:?}");
            assert_eq!(held.text(&shown).unwrap(), "Phường 1\nhết.\n");
            assert_eq!(again.text(&shown).unwrap(), held.text(&shown).unwrap(), "{name}");
            // One byte of the front matter, the length unchanged: the whole file counts.
            std::fs::write(&path, text.replace("title: A", "title: B")).unwrap();
            let d = again.text(&shown).unwrap_err();
            let message = format!("content/u/{name}.md changed after this build read it");
            assert_eq!((&d.file, &d.message), (&shown, &message));
            std::fs::remove_file(&path).unwrap();
            let message = format!("content/u/{name}.md was deleted after this build read it");
            assert_eq!(again.text(&shown).unwrap_err().message, message);
            assert_eq!(held.text(&shown).unwrap(), "Phường 1\nhết.\n", "a held body stays");
        }
    }

    #[test]
    fn plain_message_drops_position_prefix() {
        assert_eq!(
            plain_message("error: line 9 column 9: unknown field `valeu`, expected one of a, b\n --> x"),
            "unknown field `valeu`, expected one of a, b"
        );
    }

    #[test]
    fn finds_control_characters_with_their_position() {
        assert_eq!(control_character("a\tb\nc\r\nd"), None);
        assert_eq!(control_character("Phường Đức Giang – “ữ”"), None);
        assert_eq!(control_character("ab\nnăm\u{c}2022\u{1}"), Some((2, 4, '\u{c}', 2)));
        assert_eq!(control_character("x\u{7f}"), Some((1, 2, '\u{7f}', 1)));
        assert_eq!(control_character("ư\u{9b}"), Some((1, 2, '\u{9b}', 1)));
        assert_eq!(control_character("a\u{ffff}"), Some((1, 2, '\u{ffff}', 1)));
        assert_eq!(control_character("\u{fffd}\u{feff}"), None);
    }

    /// The 32-byte scan agrees with the definition by characters wherever the character
    /// falls, across chunk boundaries too (0xC2 and 0xEF start two- and three-byte
    /// sequences that may straddle one).
    #[test]
    fn the_byte_scan_agrees_with_the_characters() {
        let is_control =
            |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}');
        let pool = [
            'a', 'ư', 'ữ', '\t', '\n', '\r', '²', '°', '\u{9b}', '\u{85}', '\u{1}', '\u{7f}', '\u{feff}', '\u{fffd}',
            '\u{ffff}', '\u{fffe}', '\u{ef00}', '“',
        ];
        let mut rng = fastrand::Rng::with_seed(11);
        for _ in 0..20_000 {
            let len = rng.usize(0..80);
            // Mostly harmless characters, a control one now and then.
            let s: String = (0..len)
                .map(|_| if rng.u8(..) < 240 { pool[rng.usize(0..8)] } else { pool[rng.usize(..pool.len())] })
                .collect();
            assert_eq!(super::any_control_byte(&s), s.chars().any(is_control), "{s:?}");
        }
    }

    #[test]
    fn finds_a_tab_in_indentation_near_a_line() {
        let yaml = "a: 1\n\tb: 2\nc: |\n  x\ty\n";
        assert_eq!(tab_indentation(yaml, 1, false), Some((2, 1)));
        assert_eq!(tab_indentation(yaml, 4, false), None);
        assert_eq!(tab_indentation(yaml, 9, true), Some((2, 1)));
    }

    #[test]
    fn finds_a_field_indented_apart_from_its_item() {
        let yaml = "targets:\n  - id: 1\n    group: 2\n  text: a\n  - id: 2\n    text: b\n";
        assert_eq!(misaligned(yaml, 2, "text"), Some((4, 3)));
        assert_eq!(misaligned("a:\n  - id: 1\n  - id: 2\n    text: b\n", 2, "text"), None);
    }

    #[test]
    fn finds_the_quote_left_open() {
        let text = "a: \"one\"\nb: \"two \\\" three\nc: x\nd: \"y\" # \"\n";
        assert_eq!(unclosed_quote(text, 4), Some((2, 4)));
        assert_eq!(unclosed_quote("a: \"x\"\n", 1), None);
    }

    #[test]
    fn decodes_utf8_and_names_utf16() {
        let shown = Path::new("a.md");
        assert_eq!(decode_text(b"\xEF\xBB\xBFtitle: A\n".to_vec(), shown).unwrap(), "title: A\n");
        let d = decode_text(b"ab\nc\xE0d".to_vec(), shown).unwrap_err();
        assert_eq!((d.line, d.column), (2, 2), "{d}");
        assert!(d.message.contains("0xE0"), "{d}");
        for utf16 in [&b"\xFF\xFE-\0-\0"[..], b"\xFE\xFF\0-\0-", b"-\0-\0-\0"] {
            let d = decode_text(utf16.to_vec(), shown).unwrap_err();
            assert!(d.message.contains("UTF-16") && (d.line, d.column) == (1, 1), "{d}");
        }
    }

    #[test]
    fn finds_the_bracket_left_open() {
        let yaml = "a: x\ngroups:\n  - {id: 1, name: [a, b]\n  - id: 2\n";
        assert_eq!(unclosed_flow(yaml, 4), Some((3, 5, '{')));
        assert_eq!(unclosed_flow("a: {x: 1,\n  y: 2}\nb: [1]\n", 3), None);
        // Brackets inside a text, a quote or a comment open nothing.
        assert_eq!(unclosed_flow("a: b [c\nd: \"[\"\ne: 1 # {\n", 3), None);
    }

    #[test]
    fn finds_the_item_a_missing_field_belongs_to() {
        let text = "---\ntitle: A\ntargets:\n  - id: 1\n    measures:\n      - op: x\n  - id: 2\n    text: b\n";
        assert_eq!(item_start(text, 2, 8), Some((7, 3, Some("targets".into()))));
        assert_eq!(item_start(text, 2, 6), Some((6, 7, Some("measures".into()))));
        assert_eq!(item_start(text, 2, 3), Some((2, 1, None)));
        assert_eq!(parent_key(text, 2, 7).as_deref(), Some("targets"));
        assert_eq!(parent_key("---\n- a: 1\n", 2, 2), None);
        assert_eq!(parent_key("---\ngroups:\n- x\n", 2, 3).as_deref(), Some("groups"));
    }

    #[test]
    fn points_at_markers_and_nesting() {
        assert_eq!(document_marker("a: 1\n...\nb: 2\n", 3), Some((2, "...")));
        assert_eq!(document_marker("a: 1\n--- # hai\nb: 2\n", 3), Some((2, "---")));
        assert_eq!(nest_start("recipients: [[[[[[x", 17), 13);
        assert_eq!(nest_start("  - [[ [[", 9), 5);
    }

    #[test]
    fn names_the_key_of_a_line() {
        assert_eq!(key_on_line("a\n  - summary: [x]\n", 2).as_deref(), Some("summary"));
        assert_eq!(key_on_line("just text\n", 1), None);
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
