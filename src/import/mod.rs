//! `minhbach import`: from the document a ward office has (a Word file, a PDF, a page
//! of its portal, pasted text) to a draft in its unit's folder that `check` accepts,
//! with what the words did not settle marked for review. The officer checks instead of
//! typing.
//!
//! read (the file's text, with pages) → structure (header, the targets' part, groups,
//! items) → measure (each item's figures) → results (a review's reported figures) →
//! draft (the YAML front matter and the Markdown body). Every `text` and `quote`
//! written is the document's own words (lines joined); nothing is invented: an item
//! with no figure is a qualitative target, a number with no comparison word is kept
//! with a note to review it.

pub mod draft;
pub mod measure;
pub mod read;
pub mod results;
pub mod structure;
pub mod vocab;

use std::path::{Path, PathBuf};

/// What `minhbach import` was asked.
#[derive(Debug, Clone)]
pub struct Options {
    pub file: PathBuf,
    /// The unit folder the document belongs in (with an `_index.md`).
    pub unit: PathBuf,
    /// resolution | action-program | review | conclusion, when the header does not say.
    pub kind: Option<String>,
    /// Where to write the draft (default: the unit's folder, named after the document).
    pub out: Option<PathBuf>,
    /// Read a PDF without text with tesseract.
    pub ocr: bool,
    /// Replace an existing file at `out`.
    pub force: bool,
}

/// Everything read off a document.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Extracted {
    pub meta: structure::Meta,
    /// Why `--kind` was not used, when the header says another kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind_note: Option<String>,
    pub groups: Vec<structure::Group>,
    pub items: Vec<structure::Item>,
    pub results: Vec<results::Found>,
    /// Each item's suggested indicator key, by item id (each item has its own too).
    #[serde(skip)]
    pub indicators: std::collections::BTreeMap<String, String>,
    #[serde(skip)]
    pub paras: Vec<structure::Para>,
}

/// The kinds `--kind` takes.
pub const KINDS: &[&str] = &["resolution", "action-program", "review", "conclusion", "other"];

/// Read and take apart a document: no file is written.
pub fn extract(
    file: &Path,
    kind: Option<&str>,
    ocr: bool,
    vocabulary: &vocab::Vocabulary,
) -> Result<Extracted, read::ReadError> {
    let kind = match kind {
        Some(k) => Some(KINDS.iter().find(|&&x| x == k).copied().ok_or_else(|| read::ReadError {
            message: format!("`--kind {k}` is not a kind of document"),
            hint: "write one of: resolution, action-program, review, conclusion, other".into(),
        })?),
        None => None,
    };
    let lines = read::read(file, ocr)?;
    let paras = structure::paragraphs(&lines);
    // The header's kind wins: `--kind` says it where the header does not.
    let mut meta = structure::meta(&paras, None);
    let mut kind_note = None;
    match (meta.kind, kind) {
        (None, k) => meta.kind = k,
        (Some(h), Some(k)) if h != k => {
            kind_note = Some(format!(
                "the header says this is a {h}: `--kind {k}` was not used (edit `kind:` if the header is wrong)"
            ));
        }
        _ => {}
    }
    // A review reports on targets set elsewhere: its figures are results, not targets.
    let (groups, mut items) =
        if meta.kind == Some("review") { (Vec::new(), Vec::new()) } else { structure::targets(&paras) };
    // "đến cuối nhiệm kỳ": the term's last year, as the header gives the term.
    for m in items.iter_mut().flat_map(|i| &mut i.measures) {
        if m.by_term_end && m.deadline.is_none() {
            m.deadline = meta.term.map(|(_, end)| end);
        }
    }
    let issued = meta.issued;
    let results = if matches!(meta.kind, Some("review" | "conclusion")) || items.is_empty() {
        results::find(&paras, issued)
    } else {
        results::footnotes(&paras, issued)
    };
    let mut indicators = std::collections::BTreeMap::new();
    for item in &mut items {
        if let Some(k) = vocabulary.suggest(&item.text) {
            indicators.insert(item.id.clone(), k.to_string());
            item.indicator = Some(k.to_string());
        }
    }
    Ok(Extracted { meta, kind_note, groups, items, results, indicators, paras })
}

/// Import `opts.file` into a draft; returns the file written and the notes to review
/// (line number, what).
pub fn run(opts: &Options) -> Result<(PathBuf, Extracted, Vec<(usize, String)>), read::ReadError> {
    let err = |m: String, h: &str| read::ReadError { message: m, hint: h.to_string() };
    if !opts.unit.join("_index.md").is_file() {
        return Err(err(
            format!("{} is not a unit folder: it has no _index.md", opts.unit.display()),
            "give the folder of the ward or commune under content/ (create it with `minhbach new unit`)",
        ));
    }
    let content = content_root(&opts.unit).ok_or_else(|| {
        err(
            format!("{} is not inside a site's content/ folder", opts.unit.display()),
            "run import on a unit folder under content/",
        )
    })?;
    let vocabulary = vocab::Vocabulary::load(&content.join("indicators.yaml"));
    let x = extract(&opts.file, opts.kind.as_deref(), opts.ocr, &vocabulary)?;
    let known = known_targets(&opts.unit, &content);
    let out = match &opts.out {
        Some(o) => o.clone(),
        None => opts.unit.join(draft::file_name(&x, &opts.file)),
    };
    if out.exists() && !opts.force {
        return Err(err(
            format!("{} exists already", out.display()),
            "pass --out to write the draft elsewhere, or --force to replace it (nothing is replaced without it)",
        ));
    }
    // A PDF or Word original goes beside the draft (`original:`), so that the page links
    // it and each target opens it at its page.
    let folder = out.parent().map(Path::to_path_buf).unwrap_or_default();
    let original = match read::Format::of(&opts.file) {
        Some(read::Format::Pdf | read::Format::Docx) => {
            let name = opts.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let beside = folder.join(&name);
            let same = std::fs::canonicalize(&beside).ok() == std::fs::canonicalize(&opts.file).ok();
            if !same {
                if beside.exists() && !opts.force {
                    return Err(err(
                        format!("{} exists already: the original is copied there", beside.display()),
                        "rename one of the two files, or pass --force to replace it",
                    ));
                }
                std::fs::copy(&opts.file, &beside).map_err(|e| {
                    err(
                        format!("cannot copy the original to {}: {e}", beside.display()),
                        "check the folder's permissions",
                    )
                })?;
            }
            Some(name)
        }
        _ => None,
    };
    let (mut text, mut notes) = draft::write(&x, &opts.file, &vocabulary, &known, original.as_deref());
    let first = where_notes(opts, &x, &out, &content);
    // In the file too, as the terminal says: at the top of the front matter.
    if let Some(rest) = text.strip_prefix("---\n") {
        let marks: String = first.iter().map(|(_, n)| format!("# review: {n}\n")).collect();
        text = format!("---\n{marks}{rest}");
    }
    // The draft's points give the original's line; these are of no line of it (0).
    notes.splice(0..0, first.into_iter().map(|(_, n)| (0, n)));
    std::fs::write(&out, text)
        .map_err(|e| err(format!("cannot write {}: {e}", out.display()), "check the folder's permissions"))?;
    Ok((out, x, notes))
}

/// What is odd about where the draft goes, said before its own points: `--kind` the
/// header overrode, a draft outside the site's `content/` (no build reads it), a
/// ward's document put in a district's or province's folder.
fn where_notes(opts: &Options, x: &Extracted, out: &Path, content: &Path) -> Vec<(usize, String)> {
    let mut notes = Vec::new();
    if let Some(n) = &x.kind_note {
        notes.push((1, n.clone()));
    }
    let inside = |p: &Path| {
        let dir = p.parent().map(|d| if d.as_os_str().is_empty() { Path::new(".") } else { d });
        match (dir.and_then(|d| std::fs::canonicalize(d).ok()), std::fs::canonicalize(content).ok()) {
            (Some(d), Some(c)) => d.starts_with(c),
            _ => false,
        }
    };
    if !inside(out) {
        notes.push((1, format!("{} is outside the site's content folder ({}): `minhbach build` does not read it there; move it into the unit's folder", out.display(), content.display())));
    }
    let level = std::fs::read_to_string(opts.unit.join("_index.md")).ok().and_then(|t| {
        t.lines().find_map(|l| l.strip_prefix("level:").map(|v| v.trim().trim_matches(['"', '\'']).to_string()))
    });
    let ward_issuer = x
        .meta
        .issuer
        .as_deref()
        .map(crate::vi::slug::fold)
        .is_some_and(|f| ["phuong ", "xa ", "thi tran ", "dac khu "].iter().any(|w| f.contains(w)));
    if let Some(level) = level
        && crate::model::level::tiers(&level).is_some_and(|(_, hi)| hi < 3)
        && ward_issuer
    {
        notes.push((
            1,
            format!(
                "the document is a ward's or commune's ({}), but {} is a {level}: give --unit the ward's own folder",
                x.meta.issuer.as_deref().unwrap_or_default(),
                opts.unit.display()
            ),
        ));
    }
    notes
}

/// The `content/` folder above a unit folder.
fn content_root(unit: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(unit).ok()?;
    abs.ancestors().find(|a| a.file_name().is_some_and(|n| n == "content")).map(Path::to_path_buf)
}

/// The targets of the unit's other documents, by indicator: (indicator key →
/// "path/of/doc#id" and the measure's number), for results that report on them.
pub type Known = std::collections::BTreeMap<String, Vec<(String, usize)>>;

/// Each indicator the unit's documents set a target for, and where: a result with that
/// indicator is linked to it when it is the only one.
fn known_targets(unit: &Path, content: &Path) -> Known {
    let mut known = Known::new();
    let Ok(dir) = std::fs::read_dir(unit) else { return known };
    let content = std::fs::canonicalize(content).unwrap_or_else(|_| content.to_path_buf());
    for e in dir.flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "md") || p.file_name().is_some_and(|n| n == "_index.md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&p) else { continue };
        let Some(front) = text.strip_prefix("---\n").and_then(|t| t.split("\n---").next()) else { continue };
        let Ok(v) = serde_saphyr::from_str::<serde_json::Value>(front) else { continue };
        if v["draft"].as_bool() == Some(true) {
            continue;
        }
        let abs = std::fs::canonicalize(&p).unwrap_or(p.clone());
        let Ok(rel) = abs.strip_prefix(&content) else { continue };
        let doc = rel.with_extension("").to_string_lossy().replace('\\', "/");
        for t in v["targets"].as_array().into_iter().flatten() {
            let Some(id) = t["id"].as_str() else { continue };
            let default = t["indicator"].as_str();
            for (i, m) in t["measures"].as_array().into_iter().flatten().enumerate() {
                if let Some(k) = m["indicator"].as_str().or(default).filter(|k| *k != "none") {
                    known.entry(k.to_string()).or_default().push((format!("{doc}#{id}"), i + 1));
                }
            }
        }
    }
    known
}
