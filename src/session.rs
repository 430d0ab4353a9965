//! Incremental rebuilds, for `serve`: keep the last good build in memory and, on each
//! batch of changed files, parse only those files, re-render only the pages they show
//! on (render/deps.rs), and write only the files whose bytes changed.
//!
//! Nothing half-done reaches the output: every affected page is rendered in memory
//! first, and only if all succeed are they written (each file by write-and-rename). A
//! failed rebuild leaves the output and the in-memory state as they were, and its
//! changes stay pending, so the next attempt still covers them.

use crate::compute;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::lower::LoweredDoc;
use crate::model::patch;
use crate::render::{deps, pages::Page};
use crate::site::{self, Options, Prepared};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    root: PathBuf,
    opts: Options,
    cache: crate::model::cache::Cache,
    built: Option<Prepared>,
    /// Hash of every file in the output, as last written.
    hashes: HashMap<String, u64>,
    /// Changes not yet covered by a good build.
    pending: BTreeSet<PathBuf>,
    /// Aggregate files the last rebuild left for `finish`.
    deferred: Vec<Page>,
    /// The output's manifest lacks the hashes of the last rebuild.
    manifest_stale: bool,
    /// Each document of the model with its lowered file, in model order: what relinking
    /// results reads. Kept between saves, since finding 50,000 documents in the cache
    /// costs more than the rest of a save; `None` until found again after a slow rebuild.
    lowered: Option<Vec<(usize, Arc<LoweredDoc>)>>,
}

enum Change {
    Content(PathBuf),
    Template(String),
    Static,
    Full,
    Ignore,
}

impl Session {
    pub fn new(root: &Path, opts: Options) -> Session {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        Session {
            root,
            opts,
            cache: crate::model::cache::Cache::default(),
            built: None,
            hashes: HashMap::new(),
            pending: BTreeSet::new(),
            deferred: Vec::new(),
            manifest_stale: false,
            lowered: None,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The output folder of the last good build, or the configured one.
    pub fn output_dir(&self) -> PathBuf {
        match &self.built {
            Some(p) => p.config.output_dir.clone(),
            None => site::load_config(&self.root, &self.opts)
                .map(|c| c.output_dir)
                .unwrap_or_else(|_| self.root.join("public")),
        }
    }

    /// Build everything (atomically, like `minhbach build`).
    pub fn full_build(&mut self) -> Result<Outcome, Diagnostics> {
        let start = Instant::now();
        let config = site::load_config(&self.root, &self.opts)?;
        let (content, reparsed) = self.cache.load(&self.root, &config.content_dir(), &[])?;
        let p = site::prepare(config, content)?;
        let (_, hashes) = site::write_all(&p, start)?;
        let mut outcome = Outcome { full: true, reparsed, warnings: p.warnings.clone(), ..Default::default() };
        outcome.rendered = p.list.iter().map(|x| x.output.clone()).collect();
        outcome.written = outcome.rendered.clone();
        let mut hashes = hashes;
        for (rel, bytes) in p.extra_files()? {
            hashes.insert(rel, site::hash(&bytes));
        }
        self.hashes = hashes;
        // Lined up now, not on the first save (tens of milliseconds at national scale).
        self.lowered = aligned(&self.cache, &p.site, &p.config.content_dir());
        self.built = Some(p);
        self.cache.settle();
        self.pending.clear();
        self.deferred.clear();
        self.manifest_stale = false;
        outcome.elapsed = start.elapsed();
        Ok(outcome)
    }

    fn classify(&self, path: &Path) -> Change {
        let Ok(rel) = path.strip_prefix(&self.root) else { return Change::Ignore };
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let first = parts.first().map(String::as_str).unwrap_or("");
        let name = parts.last().map(String::as_str).unwrap_or("");
        if load::is_ignored(name) {
            return Change::Ignore;
        }
        let theme = self.built.as_ref().map(|p| p.config.theme.clone()).unwrap_or_else(|| "default".into());
        match (first, parts.get(1).map(String::as_str), parts.get(2).map(String::as_str)) {
            ("minhbach.toml", None, _) => Change::Full,
            // A whole source folder created or removed: rebuild everything.
            (f, None, _) if crate::config::folder::SOURCES.contains(&f) => Change::Full,
            ("content", Some("indicators.yaml" | "indicators.yml"), None) => Change::Full,
            ("content", _, _) => Change::Content(path.to_path_buf()),
            ("templates", Some(_), _) => Change::Template(parts[1..].join("/")),
            ("themes", Some(t), Some("templates")) if t == theme && parts.len() > 3 => {
                Change::Template(parts[3..].join("/"))
            }
            ("themes", Some(t), Some("static")) if t == theme => Change::Static,
            ("themes", Some(t), Some("i18n")) if t == theme => Change::Full,
            ("static", Some(_), _) => Change::Static,
            ("i18n", Some(_), _) => Change::Full,
            _ => Change::Ignore,
        }
    }

    /// Rebuild after `changed` files (any paths; unrelated ones are ignored). Returns
    /// `Ok(None)` when nothing relevant changed.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Option<Outcome>, Diagnostics> {
        self.pending.extend(changed.iter().cloned());
        let changes: Vec<Change> = self.pending.iter().map(|p| self.classify(p)).collect();
        if changes.iter().all(|c| matches!(c, Change::Ignore)) {
            self.pending.clear();
            return Ok(None);
        }
        if self.built.is_none() || changes.iter().any(|c| matches!(c, Change::Full)) {
            return self.full_build().map(Some);
        }
        let start = Instant::now();
        let content_paths: Vec<PathBuf> =
            changes.iter().filter_map(|c| if let Change::Content(p) = c { Some(p.clone()) } else { None }).collect();
        if content_paths.len() == changes.len()
            && let Some(outcome) = self.fast_rebuild(&content_paths, start)
        {
            return outcome.map(Some);
        }
        let templates: Vec<String> =
            changes.iter().filter_map(|c| if let Change::Template(t) = c { Some(t.clone()) } else { None }).collect();
        let statics = changes.iter().any(|c| matches!(c, Change::Static)) || !content_paths.is_empty();

        let old = self.built.as_ref().expect("checked above");
        let config = old.config.clone();
        let (content, reparsed) = self.cache.load(&self.root, &config.content_dir(), &content_paths)?;
        if std::env::var_os("MINHBACH_TIMINGS").is_some() {
            eprintln!("  load (cached)    {:>8.0} ms", start.elapsed().as_secs_f64() * 1000.0);
        }
        let new = site::prepare(config, content)?;
        let timings = std::env::var_os("MINHBACH_TIMINGS").is_some();
        let t = Instant::now();

        // What to render: pages showing the changed content (in the old model and the
        // new), pages using the changed templates, and pages that are new.
        let content_dir = new.config.content_dir();
        let (mut doc_keys, mut unit_keys) = (Vec::new(), Vec::new());
        // The files the cache found new, changed or gone, whatever the events said (a file
        // created in a new folder may come before the folder's watch does).
        let mut touched: BTreeSet<&PathBuf> = content_paths.iter().collect();
        touched.extend(reparsed.iter());
        for p in touched {
            let Ok(rel) = p.strip_prefix(&content_dir) else { continue };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if let Some(unit) = rel.strip_suffix("_index.md") {
                unit_keys.push(unit.trim_end_matches('/').to_string());
            } else if let Some(doc) = rel.strip_suffix(".md") {
                doc_keys.push(doc.to_string());
            }
        }
        let mut wanted: BTreeSet<String> = BTreeSet::new();
        for model in [old, &new] {
            let docs: Vec<usize> = doc_keys.iter().filter_map(|k| model.site.doc_by_path.get(k).copied()).collect();
            let units: Vec<usize> = unit_keys.iter().filter_map(|k| model.site.unit_by_path.get(k).copied()).collect();
            if !docs.is_empty() || !units.is_empty() {
                wanted.extend(deps::affected(&model.site, &model.computed, &model.list, &docs, &units));
            }
        }
        // A changed main class moves the variant marks on other terms' matrices.
        let all: BTreeSet<usize> = old.computed.comparison_of.keys().copied().collect();
        wanted.extend(deps::variant_marks(
            &new.site,
            &new.computed,
            &new.list,
            &deps::main_classes(&old.computed, &all),
        ));
        // A unit added or removed changes the tree on the home page and its parent's page.
        if !unit_keys.is_empty() {
            wanted.extend(
                new.list
                    .iter()
                    .filter(|p| matches!(p.kind, crate::render::pages::PageKind::Home))
                    .map(|p| p.output.clone()),
            );
        }
        if !templates.is_empty() {
            wanted.extend(deps::using_templates(&new.list, &templates));
        }
        let old_outputs: BTreeSet<&String> = old.list.iter().map(|p| &p.output).collect();
        let new_outputs: BTreeSet<&String> = new.list.iter().map(|p| &p.output).collect();
        wanted.extend(new.list.iter().filter(|p| !old_outputs.contains(&p.output)).map(|p| p.output.clone()));
        let removed: Vec<String> =
            old.list.iter().filter(|p| !new_outputs.contains(&p.output)).map(|p| p.output.clone()).collect();

        // Pages that show the change directly come first; the aggregates over many units
        // (comparisons, matrix, data files, feeds) are rendered by `finish`, after the
        // browser has reloaded.
        let (to_render, deferred): (Vec<Page>, Vec<Page>) =
            new.list.iter().filter(|p| wanted.contains(&p.output)).cloned().partition(|p| !p.kind.is_aggregate());
        if timings {
            eprintln!("  dependencies     {:>8.0} ms", t.elapsed().as_secs_f64() * 1000.0);
        }
        let rendered = render_in_memory(&new, &to_render)?;
        let extra = if statics { Some(new.extra_files()?) } else { None };

        // Everything rendered: now write what changed.
        let out = new.config.output_dir.clone();
        let mut outcome = Outcome { reparsed, warnings: new.warnings.clone(), ..Default::default() };
        write_changed(&mut self.hashes, &out, &rendered, &mut outcome.written)?;
        let mut gone = removed;
        if let Some(extra) = extra {
            let old_extra: BTreeSet<String> =
                old.extra_files().map(|v| v.into_iter().map(|(r, _)| r).collect()).unwrap_or_default();
            let new_extra: BTreeSet<String> = extra.iter().map(|(r, _)| r.clone()).collect();
            gone.extend(old_extra.difference(&new_extra).cloned());
            write_changed(&mut self.hashes, &out, &extra, &mut outcome.written)?;
        }
        for rel in &gone {
            remove_output(&out, rel);
            self.hashes.remove(rel);
        }
        outcome.removed = gone;
        outcome.rendered = rendered.into_iter().map(|(r, _)| r).collect();
        self.mark_output(&out)?;
        outcome.elapsed = start.elapsed();
        // Freeing the previous model takes tens of milliseconds at national scale: done
        // beside, not before the browser hears of the new pages.
        self.lowered = None;
        if let Some(old) = self.built.replace(new) {
            std::thread::spawn(move || drop(old));
        }
        self.cache.settle();
        self.pending.clear();
        self.deferred = deferred;
        Ok(Some(outcome))
    }

    /// The common case of a save: existing documents changed, nothing else. They are
    /// read again without walking the content folder and put in place in the model;
    /// results are linked again, and only the statuses and comparisons they can change
    /// are computed again. `None` when the change does not fit (then the general path
    /// runs). On a problem, the model is restored and nothing is written.
    fn fast_rebuild(&mut self, paths: &[PathBuf], start: Instant) -> Option<Result<Outcome, Diagnostics>> {
        let built = self.built.as_mut()?;
        let content_dir = built.config.content_dir();
        let key = |p: &PathBuf| -> Option<String> {
            let rel = p.strip_prefix(&content_dir).ok()?.to_string_lossy().replace('\\', "/");
            rel.strip_suffix(".md").map(str::to_string)
        };
        let mut changed = Vec::new();
        for p in paths {
            changed.push(*built.site.doc_by_path.get(&key(p)?)?);
        }
        // A failed rebuild read other files too (ones the watcher never named): only the
        // general path takes them in.
        if self.cache.unsettled().iter().any(|p| !paths.contains(p)) {
            return None;
        }
        let previous: Vec<Arc<LoweredDoc>> =
            paths.iter().map(|p| self.cache.document(p)).collect::<Option<Vec<_>>>()?;
        let read = match self.cache.reread_documents(&self.root, &content_dir, paths)? {
            Ok(r) => r,
            Err(d) => return Some(Err(d.sorted())),
        };
        if read.iter().any(|(_, l)| l.draft) {
            return None; // a document leaves the site: the general path
        }
        let timings = std::env::var_os("MINHBACH_TIMINGS").is_some();
        let lap = |what: &str, t: &mut Instant| {
            if timings {
                eprintln!("  {what:<16} {:>8.1} ms", t.elapsed().as_secs_f64() * 1000.0);
            }
            *t = Instant::now();
        };
        let mut t = Instant::now();
        lap("read", &mut t);
        // What the edit touches in the model as it was.
        let mut wanted = deps::affected(&built.site, &built.computed, &built.list, &changed, &[]);
        let shape = list_shape(built);
        let (mut docs, mut indicators) = touched(&built.site, &changed);
        let inputs = comparison_inputs(&built.site, &changed);
        lap("dependencies", &mut t);
        let mut lowered = match self.lowered.take() {
            Some(l) => l,
            None => aligned(&self.cache, &built.site, &content_dir)?,
        };
        for (&i, (_, l)) in changed.iter().zip(&read) {
            lowered[i].1 = l.clone();
        }
        let patch::Replaced { mut diags, moved_results } =
            patch::replace_documents(&mut built.site, &mut lowered, &changed);
        for &i in &changed {
            diags.0.extend(site::issued_after(&built.site.documents[i], built.status_date));
        }
        // `renumbered`: the statuses already follow the new numbering of results.
        let restore =
            |built: &mut Prepared, lowered: &mut Vec<(usize, Arc<LoweredDoc>)>, docs, indicators, renumbered| {
                for (&i, old) in changed.iter().zip(&previous) {
                    lowered[i].1 = old.clone();
                }
                let back = patch::replace_documents(&mut built.site, lowered, &changed);
                if renumbered && let Some(moved) = back.moved_results {
                    compute::renumber_results(&mut built.computed, &moved);
                }
                compute::update(&mut built.computed, &built.site, built.status_date, docs, indicators);
            };
        // Warnings do not stop the rebuild; they are listed with errors if there are any.
        if diags.has_errors() {
            restore(built, &mut lowered, &docs, &indicators, false);
            self.lowered = Some(lowered);
            return Some(Err(diags.sorted()));
        }
        let warnings = diags.sorted();
        lap("model", &mut t);
        let (new_docs, new_indicators) = touched(&built.site, &changed);
        docs.extend(new_docs);
        indicators.extend(new_indicators);
        // Comparisons read only the measures' classes, bounds and terms: an edit of text
        // or of a result leaves them as they were.
        let after = comparison_inputs(&built.site, &changed);
        let mut compare_again = match after.changed_since(&inputs) {
            Some(some) => some,
            None => indicators.clone(),
        };
        if let Some(moved) = &moved_results {
            compute::renumber_results(&mut built.computed, moved);
            // Renumbering drops the changed documents' results from the comparisons'
            // lists of results without a target, even where their number stayed the same.
            compare_again.extend(inputs.unlinked_indicators().chain(after.unlinked_indicators()));
        }
        let mains = deps::main_classes(&built.computed, &compare_again);
        compute::update(&mut built.computed, &built.site, built.status_date, &docs, &compare_again);
        lap("compute", &mut t);
        // The page list changes only if a term or a comparison appears, goes, or splits
        // differently; it is long at national scale, so it is kept when it cannot have.
        let mut old_list = None;
        let mut removed = Vec::new();
        if list_shape(built) != shape {
            let list = crate::render::pages::list(&built.site, &built.computed, &built.config);
            let old = std::mem::replace(&mut built.list, list);
            let old_outputs: BTreeSet<&String> = old.iter().map(|p| &p.output).collect();
            let new_outputs: BTreeSet<&String> = built.list.iter().map(|p| &p.output).collect();
            wanted.extend(built.list.iter().filter(|p| !old_outputs.contains(&p.output)).map(|p| p.output.clone()));
            removed = old.iter().filter(|p| !new_outputs.contains(&p.output)).map(|p| p.output.clone()).collect();
            old_list = Some(old);
        }
        wanted.extend(deps::affected(&built.site, &built.computed, &built.list, &changed, &[]));
        wanted.extend(deps::variant_marks(&built.site, &built.computed, &built.list, &mains));
        let (to_render, deferred): (Vec<Page>, Vec<Page>) =
            built.list.iter().filter(|p| wanted.contains(&p.output)).cloned().partition(|p| !p.kind.is_aggregate());
        lap("page list", &mut t);
        let rendered = match render_in_memory(built, &to_render) {
            Ok(r) => r,
            Err(d) => {
                if let Some(old) = old_list {
                    built.list = old;
                }
                restore(built, &mut lowered, &docs, &indicators, true);
                self.lowered = Some(lowered);
                return Some(Err(d));
            }
        };
        lap("render", &mut t);
        self.lowered = Some(lowered);
        let out = built.config.output_dir.clone();
        let mut outcome = Outcome {
            reparsed: read.into_iter().map(|(p, _)| p).collect(),
            removed: removed.clone(),
            warnings,
            ..Default::default()
        };
        if let Err(d) = write_changed(&mut self.hashes, &out, &rendered, &mut outcome.written) {
            return Some(Err(d));
        }
        for rel in &removed {
            remove_output(&out, rel);
            self.hashes.remove(rel);
        }
        if let Err(d) = self.mark_output(&out) {
            return Some(Err(d));
        }
        lap("write", &mut t);
        outcome.rendered = rendered.into_iter().map(|(r, _)| r).collect();
        outcome.elapsed = start.elapsed();
        self.cache.settle();
        self.pending.clear();
        self.deferred = deferred;
        Some(Ok(outcome))
    }

    /// Render and write the aggregate files the last rebuild left for later. A failure
    /// here leaves those files as they were (the pages written first stay).
    pub fn finish(&mut self) -> Result<Option<Outcome>, Diagnostics> {
        // After the browser reloaded: line up the documents for the next save.
        if self.lowered.is_none()
            && let Some(built) = &self.built
        {
            self.lowered = aligned(&self.cache, &built.site, &built.config.content_dir());
        }
        if self.deferred.is_empty() {
            self.write_manifest()?;
            return Ok(None);
        }
        let start = Instant::now();
        let pages = std::mem::take(&mut self.deferred);
        let Some(built) = &self.built else { return Ok(None) };
        let out = built.config.output_dir.clone();
        // The large data files go through the same streaming pass as a build, into
        // temporary files beside their place: memory stays flat at national scale.
        let (streamed, others): (Vec<Page>, Vec<Page>) = pages.into_iter().partition(|p| p.kind.is_streamed());
        let mut rendered = render_in_memory(built, &others)?;
        let sink = TempSink { out: &out, done: Default::default(), opened: Default::default() };
        let r = built.stream_data_files(&streamed.iter().collect::<Vec<_>>(), &sink);
        let (small, large) = sink.done.into_inner().unwrap();
        if let Err(e) = r {
            for tmp in sink.opened.into_inner().unwrap() {
                let _ = std::fs::remove_file(tmp);
            }
            return Err(site::io_diag(&out, "cannot write the data files", e));
        }
        rendered.extend(small);
        let mut outcome = Outcome::default();
        write_changed(&mut self.hashes, &out, &rendered, &mut outcome.written)?;
        for (rel, tmp, h) in &large {
            if self.hashes.get(rel) == Some(h) {
                let _ = std::fs::remove_file(tmp);
            } else {
                let path = crate::write::resolve(&out, rel).map_err(|e| site::io_diag(&out, "cannot write", e))?;
                std::fs::rename(tmp, &path).map_err(|e| site::io_diag(&path, "cannot write", e))?;
                self.hashes.insert(rel.clone(), *h);
                outcome.written.push(rel.clone());
            }
        }
        self.write_manifest()?;
        outcome.rendered = rendered.into_iter().map(|(r, _)| r).chain(large.into_iter().map(|(r, _, _)| r)).collect();
        outcome.elapsed = start.elapsed();
        Ok(Some(outcome))
    }

    /// Between a rebuild and its `finish`, the output's marker lists no hashes: a build
    /// run then rewrites every file instead of trusting hashes that may be stale. (The
    /// full manifest has 100,000 lines at national scale: written once per edit, after
    /// the browser reloaded.)
    fn mark_output(&mut self, out: &Path) -> Result<(), Diagnostics> {
        self.manifest_stale = true;
        write_atomic(out, site::OUTPUT_MARKER, site::manifest(&HashMap::new()).as_bytes())
            .map_err(|e| site::io_diag(out, "cannot write", e))
    }

    /// Keep the manifest true, so a later `minhbach build` reuses what is unchanged.
    fn write_manifest(&mut self) -> Result<(), Diagnostics> {
        let Some(built) = &self.built else { return Ok(()) };
        if !self.manifest_stale {
            return Ok(());
        }
        let out = &built.config.output_dir;
        let manifest: HashMap<String, u64> =
            built.list.iter().filter_map(|p| self.hashes.get(&p.output).map(|h| (p.output.clone(), *h))).collect();
        write_atomic(out, site::OUTPUT_MARKER, site::manifest(&manifest).as_bytes())
            .map_err(|e| site::io_diag(out, "cannot write", e))?;
        self.manifest_stale = false;
        Ok(())
    }

    /// Rebuild and finish in one go (tests, and callers that need no early reload).
    pub fn rebuild_all(&mut self, changed: &[PathBuf]) -> Result<Option<Outcome>, Diagnostics> {
        let Some(mut first) = self.rebuild(changed)? else { return Ok(None) };
        if let Some(rest) = self.finish()? {
            first.rendered.extend(rest.rendered);
            first.written.extend(rest.written);
            first.elapsed += rest.elapsed;
        }
        Ok(Some(first))
    }
}

/// Each document of `site` with its lowered file in `cache`, in model order; `None` if
/// one is missing.
fn aligned(
    cache: &crate::model::cache::Cache,
    site: &crate::model::Site,
    content_dir: &Path,
) -> Option<Vec<(usize, Arc<LoweredDoc>)>> {
    site.documents
        .iter()
        .enumerate()
        .map(|(i, d)| cache.document(&content_dir.join(format!("{}.md", d.path))).map(|l| (i, l)))
        .collect()
}

/// Where `finish` streams data files: small ones kept in memory, large ones written to
/// a temporary file beside their place, hashed as written; moved in place afterwards.
struct TempSink<'a> {
    out: &'a Path,
    #[allow(clippy::type_complexity)]
    done: std::sync::Mutex<(Vec<(String, Vec<u8>)>, Vec<(String, PathBuf, u64)>)>,
    /// Every temporary file made, to remove them all if the pass fails.
    opened: std::sync::Mutex<Vec<PathBuf>>,
}

impl crate::render::data::FileSink for TempSink<'_> {
    fn whole(&self, rel: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        self.done.lock().unwrap().0.push((rel.to_string(), bytes));
        Ok(())
    }

    fn open(&self, rel: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>> {
        let path = crate::write::resolve(self.out, rel)?;
        let dir = path.parent().unwrap_or(self.out);
        std::fs::create_dir_all(dir)?;
        let tmp =
            dir.join(format!(".{}.tmp-{}", path.file_name().unwrap_or_default().to_string_lossy(), std::process::id()));
        self.opened.lock().unwrap().push(tmp.clone());
        let rel = rel.to_string();
        Ok(Box::new(crate::write::HashingFile::create(&tmp.clone(), move |h| {
            let mut done = self.done.lock().unwrap();
            done.1.retain(|(r, _, _)| r != &rel);
            done.1.push((rel.clone(), tmp.clone(), h));
            Ok(())
        })?))
    }
}

/// Render pages into memory, all or nothing: (output path, bytes), in path order.
fn render_in_memory(built: &Prepared, pages: &[Page]) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    let rendered = std::sync::Mutex::new(Vec::with_capacity(pages.len()));
    let diags = built.render_pages(pages, &|p, bytes| {
        rendered.lock().unwrap().push((p.output.clone(), bytes));
        Ok(())
    });
    if !diags.is_empty() {
        return Err(diags.sorted());
    }
    let mut rendered = rendered.into_inner().unwrap();
    rendered.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(rendered)
}

/// What the comparisons read of some documents: per document its term, each measure's
/// place, indicator, class, bound and direction, and each result's indicator when it has
/// no target.
#[derive(PartialEq)]
struct ComparisonInputs {
    #[allow(clippy::type_complexity)]
    docs: Vec<(
        Option<crate::model::Term>,
        Vec<(
            crate::model::MeasureRef,
            Option<usize>,
            compute::compare::ClassKey,
            Option<f64>,
            crate::model::Direction,
        )>,
        Vec<(usize, Option<usize>)>,
    )>,
}

fn comparison_inputs(site: &crate::model::Site, changed: &[usize]) -> ComparisonInputs {
    let docs = changed
        .iter()
        .map(|&d| {
            let doc = &site.documents[d];
            let mut measures = Vec::new();
            for (r, m) in site.measures_in(d) {
                let dir = site.direction(m);
                let b = compute::compare::bound(m, dir);
                measures.push((r, m.indicator(), compute::compare::ClassKey::of(m), b, dir));
            }
            let unlinked = doc
                .results
                .iter()
                .filter(|&&ri| site.results[ri].target.is_none())
                .map(|&ri| (ri, site.results[ri].indicator()))
                .collect();
            (doc.term, measures, unlinked)
        })
        .collect();
    ComparisonInputs { docs }
}

impl ComparisonInputs {
    /// The indicators of the documents' results without a target.
    fn unlinked_indicators(&self) -> impl Iterator<Item = usize> + '_ {
        self.docs.iter().flat_map(|(_, _, unlinked)| unlinked.iter().filter_map(|u| u.1))
    }

    /// The indicators whose comparisons may differ from `before`'s, or `None` when the
    /// measures moved or a term changed (then every touched indicator is compared again).
    fn changed_since(&self, before: &ComparisonInputs) -> Option<BTreeSet<usize>> {
        let mut out = BTreeSet::new();
        for ((term, measures, unlinked), (term0, measures0, unlinked0)) in self.docs.iter().zip(&before.docs) {
            if term != term0 || measures.len() != measures0.len() {
                return None;
            }
            for (a, b) in measures.iter().zip(measures0) {
                if a.0 != b.0 {
                    return None;
                }
                if a != b {
                    out.extend(a.1);
                    out.extend(b.1);
                }
            }
            if unlinked != unlinked0 {
                out.extend(unlinked.iter().filter_map(|u| u.1));
                out.extend(unlinked0.iter().filter_map(|u| u.1));
            }
        }
        Some(out)
    }
}

/// What decides the page list beyond units and documents: the terms with a matrix and
/// their parts, and each comparison's indicator and parts.
type Shape = (Vec<(crate::model::Term, Vec<usize>)>, Vec<(usize, Vec<usize>)>);

fn list_shape(p: &Prepared) -> Shape {
    let terms = crate::render::pages::matrix_terms(&p.site)
        .into_iter()
        .map(|t| (t, crate::render::pages::matrix_parts(&p.computed, t)))
        .collect();
    let comparisons =
        p.computed.comparisons.iter().map(|c| (c.indicator, crate::render::pages::comparison_parts(c))).collect();
    (terms, comparisons)
}

/// Remove an output file, and the folders it leaves empty (a removed document's address
/// then 404s).
fn remove_output(out: &Path, rel: &str) {
    if let Ok(path) = crate::write::resolve(out, rel) {
        let _ = std::fs::remove_file(&path);
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != out) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}

/// The documents whose statuses and the indicators whose comparisons a change to
/// `changed` can alter, in one model: the documents themselves and those their results
/// report on; the indicators of their measures and results.
fn touched(site: &crate::model::Site, changed: &[usize]) -> (BTreeSet<usize>, BTreeSet<usize>) {
    let mut docs = BTreeSet::new();
    let mut indicators = BTreeSet::new();
    for &d in changed {
        docs.insert(d);
        for &ri in &site.documents[d].results {
            let r = &site.results[ri];
            docs.extend(r.target.map(|t| t.doc()));
            indicators.extend(r.indicator());
        }
        for m in site.documents[d].targets.iter().flat_map(|t| &t.measures) {
            indicators.extend(m.indicator());
        }
    }
    (docs, indicators)
}

/// Write the files whose bytes differ from what the output holds (by `hashes`), each
/// atomically; record their hashes and paths.
fn write_changed(
    hashes: &mut HashMap<String, u64>,
    out: &Path,
    files: &[(String, Vec<u8>)],
    written: &mut Vec<String>,
) -> Result<(), Diagnostics> {
    for (rel, bytes) in files {
        let h = site::hash(bytes);
        if hashes.get(rel) != Some(&h) {
            write_atomic(out, rel, bytes).map_err(|e| site::io_diag(&out.join(rel), "cannot write", e))?;
            hashes.insert(rel.clone(), h);
            written.push(rel.clone());
        }
    }
    Ok(())
}

/// Write a file by writing a temporary file beside it and renaming it into place, so a
/// reader never sees half a page.
fn write_atomic(out: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = crate::write::resolve(out, rel)?;
    let dir = path.parent().unwrap_or(out);
    std::fs::create_dir_all(dir)?;
    let tmp =
        dir.join(format!(".{}.tmp-{}", path.file_name().unwrap_or_default().to_string_lossy(), std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &path)
}

/// The message the terminal prints after a rebuild.
pub fn describe(outcome: &Outcome, changed: &[PathBuf], root: &Path) -> String {
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
pub fn failure(message: &str) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(Diagnostic::new("", message.to_string()));
    d
}
