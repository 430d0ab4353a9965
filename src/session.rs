//! `serve`'s rebuilds: the engine's pipeline (engine.rs) run on each batch of changed
//! files, against the output a full build made, kept up to date in place.
//!
//! Nothing half-done reaches the output: the pages of a rebuild are rendered in memory
//! first, and only if all succeed are they written (each file by write-and-rename, and
//! only if its bytes changed). A failed rebuild leaves the output and the model as they
//! were, and its changes stay pending, so the next attempt still covers them.
//!
//! The pages that show the change directly are written first, and the browser reloads;
//! the aggregates over many units (comparisons, matrix, data files, feeds) follow in
//! `finish`, in chunks, and a new save overtakes them: what is left is carried into the
//! next rebuild.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::engine::{self, Change, Engine};
use crate::render::pages::Page;
use crate::site::{self, Options};
use crate::write::InPlace;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What one (re)build did, for the terminal line and for tests.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub full: bool,
    /// Content files parsed this time (new or changed), and files gone since last time.
    pub reparsed: Vec<PathBuf>,
    /// Output files rendered this time.
    pub rendered: Vec<String>,
    /// Output files whose bytes changed and were written.
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub elapsed: Duration,
    /// Problems that did not stop the rebuild, for the terminal.
    pub warnings: Diagnostics,
}

pub struct Session {
    engine: Engine,
    /// The output, once a full build made it.
    output: Option<InPlace>,
    /// Static files and content assets, as last written.
    extras: BTreeSet<String>,
    /// Changes not yet covered by a good build.
    pending: BTreeSet<PathBuf>,
    /// Aggregate files the last rebuilds left for `finish` (output paths).
    deferred: BTreeSet<String>,
    /// Check every rebuild with `audit` (tests).
    audit: bool,
    /// The changed paths since the last audit, to name them when it fails.
    edits: Vec<PathBuf>,
}

impl Session {
    pub fn new(root: &Path, opts: Options) -> Session {
        Session {
            engine: Engine::new(&std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()), opts),
            output: None,
            extras: BTreeSet::new(),
            pending: BTreeSet::new(),
            deferred: BTreeSet::new(),
            audit: false,
            edits: Vec::new(),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        &self.engine.root
    }

    /// Check every rebuild: `rebuild_all` then renders every page and fails if one
    /// whose bytes changed was not re-rendered (see `audit`).
    pub fn audited(mut self) -> Session {
        self.audit = true;
        self
    }

    /// The output folder of the last good build, or the configured one.
    pub(crate) fn output_dir(&self) -> PathBuf {
        match &self.engine.built {
            Some(p) => p.config.output_dir.clone(),
            None => site::load_config(&self.engine.root, &self.engine.opts)
                .map(|c| c.output_dir)
                .unwrap_or_else(|_| self.engine.root.join("public")),
        }
    }

    /// Build everything (atomically, like `minhbach build`).
    pub fn full_build(&mut self) -> Result<Outcome, Diagnostics> {
        let start = Instant::now();
        let pass = self.engine.full(true)?;
        let mut hashes = match site::write_all(&pass.model, &pass.pages, start) {
            Ok((_, hashes)) => hashes,
            Err(d) => {
                self.engine.rollback(pass);
                return Err(d);
            }
        };
        let extra = match pass.model.extra_files() {
            Ok(extra) => extra,
            Err(d) => {
                self.engine.rollback(pass);
                return Err(d);
            }
        };
        self.extras = extra.iter().map(|(rel, _)| rel.clone()).collect();
        for (rel, bytes) in extra {
            hashes.insert(rel, site::hash(&bytes));
        }
        let mut outcome = Outcome {
            full: true,
            reparsed: pass.reparsed.clone(),
            warnings: pass.warnings.clone(),
            ..Default::default()
        };
        outcome.rendered = engine::outputs_in_editions(&pass.model, &pass.pages);
        outcome.written = outcome.rendered.clone();
        self.output = Some(InPlace::new(pass.model.config.output_dir.clone(), hashes));
        self.engine.commit(pass);
        self.pending.clear();
        self.deferred.clear();
        outcome.elapsed = start.elapsed();
        Ok(outcome)
    }

    /// Rebuild after `changed` files (any paths; unrelated ones are ignored). Returns
    /// `Ok(None)` when nothing relevant changed.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Option<Outcome>, Diagnostics> {
        self.pending.extend(changed.iter().cloned());
        self.edits.extend(changed.iter().cloned());
        let changes: Vec<Change> = self.pending.iter().map(|p| self.engine.classify(p)).collect();
        if changes.iter().all(|c| *c == Change::Ignore) {
            self.pending.clear();
            return Ok(None);
        }
        if self.engine.built.is_none() || self.output.is_none() || changes.contains(&Change::Full) {
            return self.full_build().map(Some);
        }
        let start = Instant::now();
        let changes: Vec<Change> = changes.into_iter().filter(|c| *c != Change::Ignore).collect();
        let pass = self.engine.step(&changes)?;
        let mut laps = engine::Laps::start();
        // Pages that show the change directly come first; the aggregates over many units
        // follow in `finish`, after the browser has reloaded, with those a save before
        // this one left unfinished.
        let mut later: BTreeSet<String> = std::mem::take(&mut self.deferred);
        let mut now = Vec::new();
        for p in &pass.pages {
            if p.kind.is_aggregate() {
                later.insert(p.output.clone());
            } else {
                now.push(p.clone());
            }
        }
        let output = self.output.as_mut().expect("checked above");
        let batch = output.batch();
        let mut diags = engine::render(&pass.model, &now, &batch);
        let mut removed = pass.removed.clone();
        let mut extras = None;
        if pass.statics {
            match pass.model.extra_files() {
                Ok(extra) => {
                    let names: BTreeSet<String> = extra.iter().map(|(rel, _)| rel.clone()).collect();
                    removed.extend(self.extras.difference(&names).cloned());
                    for (rel, bytes) in extra {
                        let _ = crate::render::data::FileSink::whole(&batch, &rel, bytes);
                    }
                    extras = Some(names);
                }
                Err(d) => diags.extend(d),
            }
        }
        laps.lap("render");
        if !diags.is_empty() {
            drop(batch);
            self.engine.rollback(pass);
            self.deferred = later;
            return Err(diags.sorted());
        }
        // Everything rendered: now write what changed.
        let written = match output.commit(batch, &removed) {
            Ok(w) => w,
            Err(e) => {
                let out = output.dir.clone();
                self.engine.rollback(pass);
                self.deferred = later;
                return Err(site::io_diag(&out, "cannot write", e));
            }
        };
        laps.lap("write");
        if let Some(names) = extras {
            self.extras = names;
        }
        let outcome = Outcome {
            full: false,
            reparsed: pass.reparsed.clone(),
            rendered: engine::outputs_in_editions(&pass.model, &now),
            written,
            removed,
            elapsed: start.elapsed(),
            warnings: pass.warnings.clone(),
        };
        // Files a save before this one deferred may be gone from the list now.
        if !outcome.removed.is_empty() {
            let gone: HashSet<&String> = outcome.removed.iter().collect();
            later.retain(|o| !gone.contains(o));
        }
        self.engine.commit(pass);
        self.pending.clear();
        self.deferred = later;
        Ok(Some(outcome))
    }

    /// Render and write the aggregate files the last rebuilds left for later. A failure
    /// here leaves those files as they were (the pages written first stay).
    pub fn finish(&mut self) -> Result<Option<Outcome>, Diagnostics> {
        self.finish_unless(&|| false)
    }

    /// `finish`, stopping between chunks when `overtaken` says a new save is waiting:
    /// the files left are rendered by a later `finish`, after that save's pages.
    pub fn finish_unless(&mut self, overtaken: &dyn Fn() -> bool) -> Result<Option<Outcome>, Diagnostics> {
        self.engine.line_up();
        let (Some(built), Some(output)) = (&self.engine.built, &mut self.output) else { return Ok(None) };
        if self.deferred.is_empty() {
            output
                .write_manifest(engine::outputs_in_editions(built, &built.list).iter())
                .map_err(|e| site::io_diag(&output.dir, "cannot write", e))?;
            return Ok(None);
        }
        let start = Instant::now();
        let (last, others): (Vec<Page>, Vec<Page>) = built
            .list
            .iter()
            .filter(|p| self.deferred.contains(&p.output))
            .cloned()
            .partition(|p| p.kind.is_streamed() || p.kind.is_search_index() || p.kind.lists_sizes());
        // Small enough that a save waits little behind one, large enough that the
        // per-pass work (`Shared`) stays small beside the pages.
        let size = (others.len() / 4).max(64);
        let mut chunks: Vec<Vec<Page>> = others.chunks(size).map(<[Page]>::to_vec).collect();
        // The large data files go through one streaming pass, as in a build, the search
        // index through one pass too, and the pages that list the data files' sizes
        // follow them, in the last chunk.
        if !last.is_empty() {
            chunks.push(last);
        }
        let mut outcome = Outcome::default();
        for chunk in chunks {
            if overtaken() {
                break;
            }
            let batch = output.batch();
            let diags = engine::render(built, &chunk, &batch);
            for p in &chunk {
                self.deferred.remove(&p.output);
            }
            if !diags.is_empty() {
                self.deferred.clear();
                return Err(diags.sorted());
            }
            let written = output.commit(batch, &[]).map_err(|e| site::io_diag(&output.dir, "cannot write", e))?;
            outcome.written.extend(written);
            outcome.rendered.extend(engine::outputs_in_editions(built, &chunk));
        }
        if self.deferred.is_empty() {
            output
                .write_manifest(engine::outputs_in_editions(built, &built.list).iter())
                .map_err(|e| site::io_diag(&output.dir, "cannot write", e))?;
        }
        outcome.elapsed = start.elapsed();
        Ok(Some(outcome))
    }

    /// Aggregate files still to render (a new save overtook `finish`).
    pub fn unfinished(&self) -> usize {
        self.deferred.len()
    }

    /// Rebuild and finish in one go (tests, and callers that need no early reload).
    pub fn rebuild_all(&mut self, changed: &[PathBuf]) -> Result<Option<Outcome>, Diagnostics> {
        let Some(mut first) = self.rebuild(changed)? else { return Ok(None) };
        if let Some(rest) = self.finish()? {
            first.rendered.extend(rest.rendered);
            first.written.extend(rest.written);
            first.elapsed += rest.elapsed;
        }
        if self.audit {
            self.audit()?;
        }
        Ok(Some(first))
    }

    /// The dependency audit: render every page of the current model and compare it with
    /// the output. A page whose bytes differ was missed by the selection (render/reads.rs
    /// lacks a fact it reads): the error names each such page and the edits since the
    /// last audit. Call it when `finish` is done.
    pub fn audit(&mut self) -> Result<(), Diagnostics> {
        let edits = std::mem::take(&mut self.edits);
        let (Some(built), Some(output)) = (&self.engine.built, &self.output) else { return Ok(()) };
        let fresh = Hashes::default();
        let diags = engine::render(built, &built.list, &fresh);
        if !diags.is_empty() {
            return Err(diags.sorted());
        }
        let fresh = fresh.0.into_inner().unwrap();
        let stale: Vec<&String> =
            fresh.iter().filter(|(rel, h)| output.hash(rel) != Some(**h)).map(|(r, _)| r).collect();
        if stale.is_empty() {
            return Ok(());
        }
        let root = self.engine.root.clone();
        let edits: Vec<String> =
            edits.iter().map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string()).collect();
        Err(failure(&format!(
            "dependency audit: {} not re-rendered after the edit of {}, yet their bytes changed: {}",
            site::plural(stale.len(), "page"),
            edits.join(", "),
            stale.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        )))
    }
}

/// Each file's hash, for the audit, and its length (the data page lists sizes).
#[derive(Default)]
struct Hashes(std::sync::Mutex<HashMap<String, u64>>, std::sync::Mutex<HashMap<String, u64>>);

impl Hashes {
    fn done(&self, rel: String, hash: u64, len: u64) {
        self.1.lock().unwrap().insert(rel.clone(), len);
        self.0.lock().unwrap().insert(rel, hash);
    }
}

impl crate::render::data::FileSink for Hashes {
    fn whole(&self, rel: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        self.done(rel.to_string(), site::hash(&bytes), bytes.len() as u64);
        Ok(())
    }

    fn open(&self, rel: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>> {
        Ok(Box::new(HashWriter(self, rel.to_string(), xxhash_rust::xxh3::Xxh3::new(), 0)))
    }

    fn size(&self, rel: &str) -> Option<u64> {
        self.1.lock().unwrap().get(rel).copied()
    }
}

struct HashWriter<'a>(&'a Hashes, String, xxhash_rust::xxh3::Xxh3, u64);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.2.update(buf);
        self.3 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.done(self.1.clone(), self.2.digest(), self.3);
        Ok(())
    }
}

/// The message the terminal prints after a rebuild.
pub(crate) fn describe(outcome: &Outcome, changed: &[PathBuf], root: &Path) -> String {
    let names: Vec<String> = changed
        .iter()
        .filter_map(|p| p.strip_prefix(root).ok())
        .map(|p| p.display().to_string())
        .filter(|n| !n.is_empty())
        .take(3)
        .collect();
    let what = if names.is_empty() { "start".to_string() } else { names.join(", ") };
    format!(
        "{what}: {}{} re-rendered, {} written{} in {} ms",
        if outcome.full { "full build, " } else { "" },
        site::plural(outcome.rendered.len(), "file"),
        outcome.written.len(),
        if outcome.removed.is_empty() { String::new() } else { format!(", {} removed", outcome.removed.len()) },
        outcome.elapsed.as_millis()
    )
}

/// A diagnostic for a failure that is not about one file.
pub(crate) fn failure(message: &str) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(Diagnostic::new("", message.to_string()));
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled site's settings and content, copied so a test can edit it.
    fn bundled_copy() -> tempfile::TempDir {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let tmp = tempfile::tempdir().unwrap();
        std::fs::copy(repo.join("minhbach.toml"), tmp.path().join("minhbach.toml")).unwrap();
        for e in walkdir::WalkDir::new(repo.join("content")) {
            let e = e.unwrap();
            let dest = tmp.path().join(e.path().strip_prefix(repo).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(dest).unwrap();
            } else {
                std::fs::copy(e.path(), dest).unwrap();
            }
        }
        tmp
    }

    #[test]
    fn the_audit_names_a_changed_page_that_was_not_rendered_and_a_later_finish_catches_up() {
        let site = bundled_copy();
        let mut s = Session::new(site.path(), Options::default());
        s.full_build().unwrap();
        let doc = site.path().join("content/ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi.md");
        let text = std::fs::read_to_string(&doc).unwrap();
        std::fs::write(&doc, text.replacen("title: ", "title: (sửa) ", 1)).unwrap();
        s.rebuild(std::slice::from_ref(&doc)).unwrap().expect("a rebuild");
        // A new save overtakes the aggregates at once: none is rendered yet.
        let rest = s.finish_unless(&|| true).unwrap().expect("aggregates were deferred");
        assert!(rest.rendered.is_empty() && s.unfinished() > 0);
        // The home page lists the document's title: it changed, and was not rendered.
        let err = s.audit().expect_err("the home page is stale").to_string();
        assert!(err.contains("index.html") && err.contains("nghi-quyet-dai-hoi-xi.md"), "{err}");
        s.finish().unwrap();
        assert_eq!(s.unfinished(), 0);
        s.audit().unwrap();
    }
}
