//! Reading the content folder: walk it, read the vocabulary first (every document's keys
//! are checked against it), then read every other file in parallel and lower each
//! document as soon as it is parsed (`model::lower`), so the raw YAML trees of thousands
//! of files are never held at once. `Content` is what `model::assemble` puts together;
//! `model::cache` keeps the same `Source`s between `serve`'s rebuilds.

use super::schema::RawUnit;
use super::{Bodies, ContentFile, Loaded, SourceFile};
use crate::diagnostics::{Diagnostics, Kind};
use crate::model::lower::{LoweredDoc, Vocab, lower_document, vocabulary};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One content file, read and, for a document, lowered.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Unit(Box<Loaded<RawUnit>>),
    Doc(std::sync::Arc<LoweredDoc>),
    Asset(PathBuf, String),
}

/// Everything read from `content/`, ready for `build`.
#[derive(Debug, Default, Clone)]
pub struct Content {
    pub vocab: Vocab,
    pub vocab_diags: Diagnostics,
    pub units: Vec<Loaded<RawUnit>>,
    /// Shared with `serve`'s cache, which keeps them between rebuilds.
    pub documents: Vec<std::sync::Arc<LoweredDoc>>,
    /// Other files (images, PDFs of the originals) copied as they are: (source, content path).
    pub assets: Vec<(PathBuf, String)>,
    /// Problems of files that could not be read (syntax errors …): reported with every
    /// other file's problems, never instead of them.
    pub unread_diags: Diagnostics,
    /// The content paths of those files (`a/b` for `content/a/b.md` or
    /// `content/a/b/_index.md`), so that what depends on them is not reported too.
    pub unread: BTreeSet<String>,
    /// Where the vocabulary should be, when there is none.
    pub vocab_missing: Option<PathBuf>,
}

impl Content {
    /// Gather read files, each with its content path (`content_path`); the problems of
    /// files that could not be read are kept for `build`, which reports them with the
    /// problems of all the others.
    /// Owned sources, so that a one-shot build holds each lowered document once (`build`
    /// moves it out instead of copying it).
    pub(crate) fn gather(
        vocab: Vocab,
        vocab_diags: Diagnostics,
        sources: impl IntoIterator<Item = (String, Result<Source, Diagnostics>)>,
    ) -> Content {
        let mut content = Content { vocab, vocab_diags, ..Default::default() };
        for (path, s) in sources {
            match s {
                Ok(Source::Unit(u)) => content.units.push(*u),
                Ok(Source::Doc(d)) => content.documents.push(d),
                Ok(Source::Asset(a, c)) => content.assets.push((a, c)),
                Err(d) => {
                    content.unread_diags.extend(d);
                    content.unread.insert(path);
                }
            }
        }
        content
    }
}

/// The vocabulary file of a content folder, if there is one.
pub(crate) fn vocabulary_path(paths: &[PathBuf], content_dir: &Path) -> Option<PathBuf> {
    ["indicators.yaml", "indicators.yml"].iter().map(|n| content_dir.join(n)).find(|p| paths.contains(p))
}

/// Read the vocabulary file (if any) into a checked `Vocab`; a file that does not parse
/// gives an empty vocabulary and its error, and `keys_known` is then false, so
/// documents are not also reported for every key it would have defined.
pub(crate) fn read_vocabulary(root: &Path, content_dir: &Path, path: Option<&Path>) -> (Vocab, Diagnostics, bool) {
    let mut diags = Diagnostics::default();
    // No vocabulary: every key is unknown, which is one problem (the missing file), not
    // one per key; `build` reports it if a document uses a key.
    let Some(path) = path else { return (Vocab::default(), diags, false) };
    match crate::load::read_entry(root, content_dir, path, Bodies::Held) {
        // An empty file (or one of comments only) defines no key: one problem, the file,
        // rather than one per key every document uses.
        Ok(ContentFile::Vocab(v)) if v.raw.fields.is_empty() && v.raw.indicators.is_empty() => {
            diags.push(v.file.whole(format!("{} is empty: it lists no fields and no indicators", v.file.display.display())).hint(
                "list the `fields:` and `indicators:` the documents name (`minhbach format` shows the format), or delete the file if no document uses a key",
            ));
            (Vocab::default(), diags, false)
        }
        Ok(ContentFile::Vocab(v)) => {
            let vocab = vocabulary(Some(v), &mut diags);
            (vocab, diags, true)
        }
        Ok(_) => (Vocab::default(), diags, true),
        Err(d) => (Vocab::default(), d, false),
    }
}

/// Read one content file other than the vocabulary, lowering a document at once.
pub(crate) fn read_source(
    root: &Path,
    content_dir: &Path,
    path: &Path,
    vocab: &Vocab,
    keys_known: bool,
    bodies: Bodies,
) -> Result<Source, Diagnostics> {
    Ok(match crate::load::read_entry(root, content_dir, path, bodies)? {
        ContentFile::Unit(u) => Source::Unit(Box::new(u)),
        ContentFile::Doc(d) => {
            let mut l = lower_document(vocab, *d);
            if !keys_known {
                // The vocabulary did not parse: its error is the one to fix first.
                let before = l.diags.len();
                l.diags.0.retain(|d| d.kind != Kind::Vocabulary);
                l.keys_dropped = l.diags.len() < before;
            }
            Source::Doc(std::sync::Arc::new(l))
        }
        ContentFile::Asset(a, c) => Source::Asset(a, c),
        ContentFile::Vocab(v) => {
            let mut d = Diagnostics::default();
            d.push(v.file.whole("there are both indicators.yaml and indicators.yml").hint("keep one vocabulary file"));
            return Err(d);
        }
    })
}

/// Walk `content_dir`, read the vocabulary, then read and lower every other file in
/// parallel; all problems are collected. Bodies are left in their files
/// (`Bodies::Reread`): what a one-shot build or check reads.
pub fn read(root: &Path, content_dir: &Path) -> Result<Content, Diagnostics> {
    let mut laps = crate::engine::Laps::start();
    let paths = crate::load::scan(root, content_dir)?;
    laps.lap("  scan");
    let vpath = vocabulary_path(&paths, content_dir);
    let (vocab, vocab_diags, keys_known) = read_vocabulary(root, content_dir, vpath.as_deref());
    let sources: Vec<(String, Result<Source, Diagnostics>)> = paths
        .par_iter()
        .filter(|p| Some(*p) != vpath.as_ref())
        .map(|p| (content_path(content_dir, p), read_source(root, content_dir, p, &vocab, keys_known, Bodies::Reread)))
        .collect();
    laps.lap("  read + lower");
    let mut content = Content::gather(vocab, vocab_diags, sources);
    laps.lap("  gather");
    content.vocab_missing = missing_vocabulary(root, content_dir, vpath.as_deref());
    Ok(content)
}

/// The display path of `content/indicators.yaml` when there is no vocabulary file.
pub(crate) fn missing_vocabulary(root: &Path, content_dir: &Path, vpath: Option<&Path>) -> Option<PathBuf> {
    vpath.is_none().then(|| crate::diagnostics::display_path(root, &content_dir.join("indicators.yaml")))
}

/// A file's content path as units and documents are known by: `a/b` for
/// `content/a/b.md` and `content/a/b/_index.md`.
pub(crate) fn content_path(content_dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(content_dir).unwrap_or(path);
    let rel = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
    match rel.strip_suffix("_index.md") {
        Some(unit) => unit.trim_end_matches('/').to_string(),
        None => rel.strip_suffix(".md").unwrap_or(&rel).to_string(),
    }
}

/// Messages made without the file's text (dropped after reading) get their snippet
/// from the file read again.
pub(crate) fn with_source_lines(file: &SourceFile, diags: Diagnostics) -> Diagnostics {
    let text = std::fs::read_to_string(&file.abs).map(crate::load::frontmatter::normalise).unwrap_or_default();
    Diagnostics(
        diags
            .0
            .into_iter()
            .map(|d| {
                if d.line > 0 && d.source_line.is_none() {
                    {
                        let (l, c) = (d.line, d.column);
                        d.at(&text, l, c)
                    }
                } else {
                    d
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::fixture::{Fixture, HEAD, VOCAB, doc, located, problem, unit};

    #[test]
    fn content_paths_name_units_by_folder_and_documents_without_md() {
        let c = Path::new("/site/content");
        assert_eq!(content_path(c, Path::new("/site/content/ha-noi/_index.md")), "ha-noi");
        assert_eq!(content_path(c, Path::new("/site/content/ha-noi/nq-2020.md")), "ha-noi/nq-2020");
        assert_eq!(content_path(c, Path::new("/site/content/_index.md")), "");
        assert_eq!(content_path(c, Path::new("/site/content/ha-noi/anh.png")), "ha-noi/anh.png");
    }

    #[test]
    fn every_file_is_read_and_one_that_does_not_parse_is_kept_aside() {
        let f = Fixture::new(&[
            ("indicators.yaml", VOCAB),
            ("u/_index.md", &unit("Phường 1", "phường")),
            ("u/a.md", &doc(HEAD)),
            ("u/b.md", "---\ntitle: [B\n---\n"),
            ("u/anh.png", "PNG"),
        ]);
        let c = f.read();
        assert_eq!((c.units.len(), c.documents.len(), c.vocab.indicators.len()), (1, 1, 2));
        assert_eq!(c.assets, [(f.content_dir().join("u/anh.png"), "u/anh.png".to_string())]);
        assert_eq!(c.unread.iter().collect::<Vec<_>>(), ["u/b"]);
        assert_eq!(c.unread_diags.0[0].file, Path::new("content/u/b.md"));
        assert_eq!(c.vocab_missing, None);
    }

    #[test]
    fn a_vocabulary_that_does_not_parse_is_the_one_problem_about_keys() {
        let f = Fixture::new(&[
            ("indicators.yaml", "fields: [\n"),
            ("u/_index.md", &unit("Phường 1", "phường")),
            (
                "u/a.md",
                &doc(&format!("{HEAD}targets:\n  - id: a\n    text: A\n    indicator: ho-ngheo\n    field: kinh-te\n")),
            ),
        ]);
        let c = f.read();
        assert_eq!(c.vocab_diags.len(), 1, "{:#?}", c.vocab_diags);
        assert_eq!(c.vocab_diags.0[0].file, Path::new("content/indicators.yaml"));
        let d = &c.documents[0];
        assert!(d.diags.is_empty() && d.keys_dropped, "{:#?}", d.diags);
    }

    #[test]
    fn an_empty_vocabulary_or_two_of_them_are_refused() {
        let c = Fixture::new(&[("indicators.yaml", "# nothing yet\n")]).read();
        assert_eq!(
            located(problem(&c.vocab_diags, "is empty")),
            (
                "content/indicators.yaml".into(),
                0,
                0,
                "content/indicators.yaml is empty: it lists no fields and no indicators"
            )
        );
        let c = Fixture::new(&[("indicators.yaml", VOCAB), ("indicators.yml", VOCAB)]).read();
        assert_eq!(problem(&c.unread_diags, "both").message, "there are both indicators.yaml and indicators.yml");
    }

    #[test]
    fn a_missing_vocabulary_is_where_it_should_be() {
        let c = Fixture::new(&[("u/_index.md", &unit("Phường 1", "phường"))]).read();
        assert_eq!(c.vocab_missing.as_deref(), Some(Path::new("content/indicators.yaml")));
    }
}
