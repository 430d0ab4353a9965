//! Files read and lowered, kept between rebuilds (`serve`): a file is read again only
//! when its modification time or size changed, or the watcher named it. A change to the
//! vocabulary reads every document again, since their keys are checked against it.

use super::lower::{LoweredDoc, Vocab};
use crate::diagnostics::Diagnostics;
use crate::load::content::{
    Content, Source, content_path, missing_vocabulary, read_source, read_vocabulary, vocabulary_path,
};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The cache's model lives across saves and a save reads the file again: bodies are
/// held, so a page shows the body of the model's version even while a file is saved.
const HELD: crate::load::Bodies = crate::load::Bodies::Held;

/// What a file was when last read.
type Stamp = (Option<std::time::SystemTime>, u64);

/// The vocabulary file (path and stamp, or none), what it gave, its problems, and
/// whether it parsed.
type VocabEntry = (Option<(PathBuf, Stamp)>, Vocab, Diagnostics, bool);

/// Documents read again: (path, lowered document), or the problems found.
type Reread = Result<Vec<(PathBuf, Arc<LoweredDoc>)>, Diagnostics>;

fn stamp(p: &Path) -> Stamp {
    std::fs::metadata(p).map(|m| (m.modified().ok(), m.len())).unwrap_or((None, 0))
}

#[derive(Default)]
pub(crate) struct Cache {
    /// The vocabulary file (or none) and what it gave.
    vocab: Option<VocabEntry>,
    files: HashMap<PathBuf, (Stamp, Result<Source, Diagnostics>)>,
    /// Files read (new or changed) or found gone since the caller last said a build used
    /// them (`settle`). A failed build still reads files into the cache; without this,
    /// the next load would no longer count them as changed, and a file the watcher never
    /// named (one in a new folder) would be missed.
    unsettled: BTreeSet<PathBuf>,
}

impl Cache {
    /// The lowered document read from `path`, if it was read without problems.
    pub(crate) fn document(&self, path: &Path) -> Option<Arc<LoweredDoc>> {
        match self.files.get(path) {
            Some((_, Ok(Source::Doc(d)))) => Some(d.clone()),
            _ => None,
        }
    }

    /// A build used everything read so far: later loads report only what they read.
    pub(crate) fn settle(&mut self) {
        self.unsettled.clear();
    }

    /// Files read or gone since the last `settle`.
    pub(crate) fn unsettled(&self) -> &BTreeSet<PathBuf> {
        &self.unsettled
    }

    /// Read again documents the cache already holds, without walking the content folder
    /// (`serve`'s fast path for a save). `None` when that does not fit: a path that is
    /// new, gone, not a document, or the vocabulary.
    pub(crate) fn reread_documents(&mut self, root: &Path, content_dir: &Path, paths: &[PathBuf]) -> Option<Reread> {
        let (_, vocab, _, known) = self.vocab.as_ref()?;
        let fits = |p: &PathBuf| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".md") && name != "_index.md" && p.is_file() && self.files.contains_key(p)
        };
        if paths.is_empty() || !paths.iter().all(fits) {
            return None;
        }
        let read: Vec<(PathBuf, Stamp, Result<Source, Diagnostics>)> = paths
            .par_iter()
            .map(|p| (p.clone(), stamp(p), read_source(root, content_dir, p, vocab, *known, HELD)))
            .collect();
        let mut out = Vec::new();
        let mut diags = Diagnostics::default();
        for (p, s, r) in read {
            match &r {
                Ok(Source::Doc(d)) => out.push((p.clone(), d.clone())),
                Ok(_) => return None,
                Err(d) => diags.extend(d.clone()),
            }
            self.unsettled.insert(p.clone());
            self.files.insert(p, (s, r));
        }
        Some(if diags.is_empty() { Ok(out) } else { Err(diags) })
    }

    /// Read content, again only where something changed; returns the content and the
    /// files read (new or changed) or gone since the last `settle`, whether this time or
    /// in a load whose build failed.
    pub(crate) fn load(
        &mut self,
        root: &Path,
        content_dir: &Path,
        changed: &[PathBuf],
    ) -> Result<(Content, Vec<PathBuf>), Diagnostics> {
        let paths = crate::load::scan(root, content_dir)?;
        let vpath = vocabulary_path(&paths, content_dir);
        let vkey = vpath.as_ref().map(|p| (p.clone(), stamp(p)));
        let vocab_changed = match &self.vocab {
            Some((old, ..)) => old != &vkey || vpath.as_ref().is_some_and(|p| changed.contains(p)),
            None => true,
        };
        if vocab_changed {
            let (vocab, diags, known) = read_vocabulary(root, content_dir, vpath.as_deref());
            self.vocab = Some((vkey, vocab, diags, known));
            self.files.clear();
        }
        let (_, vocab, vocab_diags, known) = self.vocab.as_ref().expect("set above");
        let stale: Vec<(PathBuf, Stamp)> = paths
            .iter()
            .filter(|p| Some(*p) != vpath.as_ref())
            .map(|p| (p.clone(), stamp(p)))
            .filter(|(p, s)| changed.contains(p) || self.files.get(p).is_none_or(|(old, _)| old != s))
            .collect();
        let read: Vec<(PathBuf, Stamp, Result<Source, Diagnostics>)> = stale
            .into_par_iter()
            .map(|(p, s)| {
                let r = read_source(root, content_dir, &p, vocab, *known, HELD);
                (p, s, r)
            })
            .collect();
        let mut reparsed: Vec<PathBuf> = read.iter().map(|(p, _, _)| p.clone()).collect();
        for (p, s, r) in read {
            self.files.insert(p, (s, r));
        }
        let keep: HashSet<&PathBuf> = paths.iter().collect();
        reparsed.extend(self.files.keys().filter(|p| !keep.contains(p)).cloned());
        self.files.retain(|p, _| keep.contains(p));
        self.unsettled.extend(reparsed);
        let reparsed = self.unsettled.iter().cloned().collect();
        let sources =
            paths.iter().filter_map(|p| self.files.get(p).map(|(_, r)| (content_path(content_dir, p), r.clone())));
        let mut content = Content::gather(vocab.clone(), vocab_diags.clone(), sources);
        content.vocab_missing = missing_vocabulary(root, content_dir, vpath.as_deref());
        Ok((content, reparsed))
    }
}
