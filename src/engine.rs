//! The build engine: one pipeline for `minhbach build`, `check` and every rebuild of
//! `serve`, in the order the data flows:
//!
//! load → model → compute → page list → select → render → write
//!
//! - **load**: the content files; for `serve` through its cache, which reads again
//!   only what changed;
//! - **model, compute, page list**: `site::prepare`. When an edit changes only
//!   existing documents, `serve` patches the model in place instead (`patch`): the
//!   same model, statuses, comparisons and list, sooner; the steps after it cannot
//!   tell;
//! - **select**: the pages that read a fact the change altered (`render/reads.rs`),
//!   in the model before the change and after it, plus the pages that are new. A full
//!   build is the pass where everything changed: every page;
//! - **render**, then **write** through an output (`write.rs`): a staging folder
//!   swapped in for a build, each changed file replaced in place for `serve`.
//!
//! What changed is found by comparing versions, not told: each edited document's
//! facets (body, listing, targets, results) are hashed before and after, so an edit of
//! the body alone re-renders the one page that shows it.

use crate::compute;
use crate::diagnostics::Diagnostics;
use crate::load;
use crate::model::cache::Cache;
use crate::model::lower::LoweredDoc;
use crate::model::patch;
use crate::render::data::FileSink;
use crate::render::pages::Page;
use crate::render::reads::{self, Facets, Facts};
use crate::site::{self, Options, Prepared};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};
use std::time::Instant;

/// Whether `MINHBACH_TIMINGS` is set: each step then prints its time on stderr.
pub(crate) fn timings() -> bool {
    static ON: LazyLock<bool> = LazyLock::new(|| std::env::var_os("MINHBACH_TIMINGS").is_some());
    *ON
}

/// A stopwatch for the steps of a pass, printing each lap when `timings()` is on.
pub(crate) struct Laps(Instant);

impl Laps {
    pub(crate) fn start() -> Laps {
        Laps(Instant::now())
    }

    pub(crate) fn lap(&mut self, what: &str) {
        if timings() {
            eprintln!("  {what:<16} {:>8.1} ms", self.0.elapsed().as_secs_f64() * 1000.0);
        }
        self.0 = Instant::now();
    }
}

/// What a changed path means for a rebuild.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Change {
    Content(PathBuf),
    Template(String),
    Static,
    Full,
    Ignore,
}

/// The state the pipeline keeps between passes (`serve`): the cache of read files and
/// the last good model.
pub(crate) struct Engine {
    pub root: PathBuf,
    pub opts: Options,
    cache: Cache,
    pub built: Option<Prepared>,
    /// Each document of the model with its lowered file, in model order: what relinking
    /// results reads, and the version an edit is compared with. Kept between saves,
    /// since finding 50,000 documents in the cache costs more than the rest of a save;
    /// `None` until found again after a rebuild that made a new model.
    lowered: Option<Vec<(usize, Arc<LoweredDoc>)>>,
}

/// One pass through the model step: the model to render and what to render of it.
pub(crate) struct Pass {
    pub model: Prepared,
    pub full: bool,
    /// Content files read (new or changed) or gone.
    pub reparsed: Vec<PathBuf>,
    /// The pages to render, from the model's list, in list order.
    pub pages: Vec<Page>,
    /// Outputs of the previous list the new one lacks.
    pub removed: Vec<String>,
    /// Static files or content assets may have changed.
    pub statics: bool,
    /// Problems that do not stop the pass, for the terminal.
    pub warnings: Diagnostics,
    /// What to put back if the pass fails after the model step.
    before: Before,
}

enum Before {
    Nothing,
    /// The model replaced by a new one.
    Model(Box<Prepared>),
    /// The model patched in place, and how to undo it.
    Patch(Undo),
}

struct Undo {
    changed: Vec<usize>,
    previous: Vec<Arc<LoweredDoc>>,
    docs: BTreeSet<usize>,
    indicators: BTreeSet<usize>,
    old_list: Option<Vec<Page>>,
    /// The matrices' splits before the patch, when it changed them.
    old_matrices: Option<crate::render::pages::Matrices>,
}

impl Engine {
    /// `root` as given: a build's messages name the output as the user did (`serve`
    /// passes an absolute root, to match the watcher's paths).
    pub(crate) fn new(root: &Path, opts: Options) -> Engine {
        Engine { root: root.to_path_buf(), opts, cache: Cache::default(), built: None, lowered: None }
    }

    /// Load, model, compute and list everything: a pass where every page is selected.
    /// `cached`: through the cache (`serve`), or read once (`build`, which then holds
    /// each document once).
    pub(crate) fn full(&mut self, cached: bool) -> Result<Pass, Diagnostics> {
        let mut laps = Laps::start();
        let config = site::load_config(&self.root, &self.opts)?;
        let (content, reparsed) = if cached {
            self.cache.load(&self.root, &config.content_dir(), &[])?
        } else {
            (crate::load::content::read(&self.root, &config.content_dir())?, Vec::new())
        };
        laps.lap("load");
        let model = site::prepare(config, content)?;
        let pages = model.list.clone();
        let warnings = model.warnings.clone();
        let before = match self.built.take() {
            Some(old) => Before::Model(Box::new(old)),
            None => Before::Nothing,
        };
        Ok(Pass { model, full: true, reparsed, pages, removed: Vec::new(), statics: true, warnings, before })
    }

    /// The pass for a batch of changes (none `Full`, a model built before): the model
    /// patched or made again, and the pages that read what changed.
    pub(crate) fn step(&mut self, changes: &[Change]) -> Result<Pass, Diagnostics> {
        let content: Vec<PathBuf> =
            changes.iter().filter_map(|c| if let Change::Content(p) = c { Some(p.clone()) } else { None }).collect();
        if content.len() == changes.len()
            && let Some(pass) = self.patch(&content)
        {
            return pass;
        }
        let mut facts = Facts::default();
        for c in changes {
            if let Change::Template(t) = c {
                facts.templates.push(t.clone());
            }
        }
        let statics = changes.iter().any(|c| matches!(c, Change::Static)) || !content.is_empty();
        let mut laps = Laps::start();
        let old = self.built.take().expect("a model built before");
        // The versions the model holds, to compare the new ones with: exact when kept
        // since the model was made; found in the cache otherwise, where a file a failed
        // pass read since is not the model's version.
        // (Found only when content changed: tens of milliseconds at national scale.)
        let exact = self.lowered.is_some();
        let held = match self.lowered.take() {
            None if content.is_empty() => None,
            None => aligned(&self.cache, &old.site, &old.config.content_dir()),
            some => some,
        };
        let unsettled = self.cache.unsettled().clone();
        let config = old.config.clone();
        let content_dir = config.content_dir();
        let step = self.cache.load(&self.root, &content_dir, &content).and_then(|(loaded, reparsed)| {
            laps.lap("load (cached)");
            Ok((site::prepare(config, loaded)?, reparsed))
        });
        let (new, reparsed) = match step {
            Ok(x) => x,
            Err(d) => {
                // Either step failed: the model and its versions stay for the next pass.
                self.built = Some(old);
                self.lowered = held.filter(|_| exact);
                return Err(d);
            }
        };
        laps.lap("model+compute");
        // The files the cache found new, changed or gone, whatever the events said (a
        // file created in a new folder may come before the folder's watch does).
        let mut touched: BTreeSet<&PathBuf> = content.iter().collect();
        touched.extend(reparsed.iter());
        for p in touched {
            let Ok(rel) = p.strip_prefix(&content_dir) else { continue };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if let Some(unit) = rel.strip_suffix("_index.md") {
                // Units: compared model to model (few, and their facets are plain fields).
                let key = unit.trim_end_matches('/');
                let a = old.site.unit_by_path.get(key).map(|&u| &old.site.units[u]);
                let b = new.site.unit_by_path.get(key).map(|&u| &new.site.units[u]);
                let f = match (a, b) {
                    (Some(a), Some(b)) => unit_facets(a, b),
                    _ => reads::UNIT_BODY | reads::UNIT_FIELDS,
                };
                if f != 0 {
                    facts.units.insert(key.to_string(), f);
                }
            } else if let Some(key) = rel.strip_suffix(".md") {
                let was = held.as_ref().filter(|_| exact || !unsettled.contains(p)).and_then(|h| {
                    let &i = old.site.doc_by_path.get(key)?;
                    h.get(i).map(|(_, l)| l.clone())
                });
                let f = match (was, self.cache.document(p)) {
                    (Some(a), Some(b)) => changed_facets(&a, &b),
                    _ => reads::ALL,
                };
                if f != 0 {
                    facts.docs.insert(key.to_string(), f);
                }
            }
        }
        let all: BTreeSet<usize> = old.computed.comparison_of.keys().copied().collect();
        facts.variant_cells = reads::variant_cells(&new.site, &new.computed, &reads::main_classes(&old.computed, &all));
        facts.list = list_shape(&old) != list_shape(&new);
        let mut wanted = reads::select(&old.site, &old.computed, &old.list, &facts, &old.matrices);
        wanted.extend(reads::select(&new.site, &new.computed, &new.list, &facts, &new.matrices));
        let (pages, removed) = selection(Some(&old.list), &new.list, &wanted, &new.editions);
        laps.lap("select");
        let warnings = new.warnings.clone();
        Ok(Pass {
            model: new,
            full: false,
            reparsed,
            pages,
            removed,
            statics,
            warnings,
            before: Before::Model(Box::new(old)),
        })
    }

    /// The common case of a save: existing documents changed, nothing else. They are
    /// read again and put in place in the model, results are linked again, and only
    /// their statuses and comparisons are computed again. `None` when the change does
    /// not fit (a document added, removed or drafted): then the model is made again.
    fn patch(&mut self, paths: &[PathBuf]) -> Option<Result<Pass, Diagnostics>> {
        let built = self.built.as_ref()?;
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
        let mut laps = Laps::start();
        // Found in the cache, a file a failed pass read is not the model's version.
        if self.lowered.is_none() && paths.iter().any(|p| self.cache.unsettled().contains(p)) {
            return None;
        }
        let mut lowered = match self.lowered.take() {
            Some(l) => l,
            None => aligned(&self.cache, &built.site, &content_dir)?,
        };
        // The versions the model holds.
        let previous: Vec<Arc<LoweredDoc>> = changed.iter().map(|&i| lowered[i].1.clone()).collect();
        let read = match self.cache.reread_documents(&self.root, &content_dir, paths) {
            None => {
                self.lowered = Some(lowered);
                return None;
            }
            Some(Err(d)) => {
                self.lowered = Some(lowered);
                return Some(Err(d.sorted()));
            }
            Some(Ok(r)) => r,
        };
        if read.iter().any(|(_, l)| l.draft) {
            self.lowered = Some(lowered);
            return None; // a document leaves the site: the general path
        }
        laps.lap("read");
        let mut facts = Facts::default();
        for (((p, now), was), &i) in read.iter().zip(&previous).zip(&changed) {
            let f = changed_facets(was, now);
            if f != 0 {
                facts.docs.insert(key(p).unwrap_or_default(), f);
            }
            lowered[i].1 = now.clone();
        }
        let mut built = self.built.take().expect("checked above");
        // What the edit touches in the model as it was.
        let shape = list_shape(&built);
        let before = reads::select(&built.site, &built.computed, &built.list, &facts, &built.matrices);
        let matrix_inputs = |b: &Prepared| -> (Vec<_>, _) {
            let docs = changed.iter().map(|&i| crate::render::pages::matrix_input(&b.site.documents[i])).collect();
            (docs, b.computed.term_spread.clone())
        };
        let matrices_before = matrix_inputs(&built);
        let (mut docs, mut indicators) = touched(&built.site, &changed);
        let inputs = comparison_inputs(&built.site, &changed);
        laps.lap("select (before)");
        let patch::Replaced { mut diags, moved_results } =
            patch::replace_documents(&mut built.site, &mut lowered, &changed);
        for &i in &changed {
            diags.0.extend(site::issued_after(&built.site.documents[i], built.status_date));
        }
        // Warnings do not stop the rebuild; they are listed with errors if there are any.
        if diags.has_errors() {
            let undo = Undo { changed, previous, docs, indicators, old_list: None, old_matrices: None };
            self.undo_patch(&mut built, &mut lowered, undo, false);
            self.lowered = Some(lowered);
            self.built = Some(built);
            return Some(Err(diags.sorted()));
        }
        let warnings = diags.sorted();
        laps.lap("model");
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
        let mains = reads::main_classes(&built.computed, &compare_again);
        compute::update(&mut built.computed, &built.site, built.status_date, &docs, &compare_again);
        laps.lap("compute");
        // The page list changes only if a term or a comparison appears, goes, or splits
        // differently; it is long at national scale, so it is kept when it cannot have.
        let mut old_list = None;
        // How the matrices are split changes only with what `matrix_split` reads of the
        // changed documents, or with the comparisons' spread over terms: a level or text
        // edit keeps the splits (computing them walks every measure of a term).
        let mut old_matrices = None;
        if matrix_inputs(&built) != matrices_before {
            let m = crate::render::pages::matrices(&built.site, &built.computed);
            old_matrices = Some(std::mem::replace(&mut built.matrices, m));
        }
        // The kept splits must be what computing them again gives (checked in tests,
        // where every patch of the property tests runs through here).
        debug_assert!(built.matrices == crate::render::pages::matrices(&built.site, &built.computed));
        let new_shape = list_shape(&built);
        if new_shape != shape {
            let list = crate::render::pages::list(&built.site, &built.computed, &built.config, &built.matrices);
            old_list = Some(std::mem::replace(&mut built.list, list));
            facts.list = true;
        }
        facts.variant_cells = reads::variant_cells(&built.site, &built.computed, &mains);
        let mut wanted = before;
        wanted.extend(reads::select(&built.site, &built.computed, &built.list, &facts, &built.matrices));
        let (pages, removed) = selection(old_list.as_deref(), &built.list, &wanted, &built.editions);
        laps.lap("select (after)");
        self.lowered = Some(lowered);
        let undo = Undo { changed, previous, docs, indicators, old_list, old_matrices };
        Some(Ok(Pass {
            model: built,
            full: false,
            reparsed: read.into_iter().map(|(p, _)| p).collect(),
            pages,
            removed,
            statics: false,
            warnings,
            before: Before::Patch(undo),
        }))
    }

    /// Put the documents a patch replaced back, with their statuses and comparisons.
    /// `renumbered`: the statuses already follow the new numbering of results.
    fn undo_patch(&self, built: &mut Prepared, lowered: &mut [(usize, Arc<LoweredDoc>)], undo: Undo, renumbered: bool) {
        for (&i, old) in undo.changed.iter().zip(&undo.previous) {
            lowered[i].1 = old.clone();
        }
        let back = patch::replace_documents(&mut built.site, lowered, &undo.changed);
        if renumbered && let Some(moved) = back.moved_results {
            compute::renumber_results(&mut built.computed, &moved);
        }
        if let Some(list) = undo.old_list {
            built.list = list;
        }
        if let Some(m) = undo.old_matrices {
            built.matrices = m;
        }
        compute::update(&mut built.computed, &built.site, built.status_date, &undo.docs, &undo.indicators);
    }

    /// The pass was rendered and written: its model is the last good one.
    pub(crate) fn commit(&mut self, pass: Pass) {
        let Pass { model, full, before, .. } = pass;
        if full {
            // Lined up now, not on the first save (tens of milliseconds at national scale).
            self.lowered = aligned(&self.cache, &model.site, &model.config.content_dir());
        }
        self.built = Some(model);
        // Freeing the previous model takes tens of milliseconds at national scale: done
        // beside, not before the browser hears of the new pages.
        if let Before::Model(old) = before {
            std::thread::spawn(move || drop(old));
        }
        self.cache.settle();
    }

    /// The pass failed after its model step: the last good model comes back.
    pub(crate) fn rollback(&mut self, pass: Pass) {
        let Pass { mut model, before, .. } = pass;
        match before {
            Before::Nothing => {}
            Before::Model(old) => {
                self.built = Some(*old);
                self.lowered = None;
            }
            Before::Patch(undo) => {
                let mut lowered = self.lowered.take().unwrap_or_default();
                self.undo_patch(&mut model, &mut lowered, undo, true);
                self.lowered = Some(lowered);
                self.built = Some(model);
            }
        }
    }

    /// After the browser reloaded: line up the documents for the next save.
    pub(crate) fn line_up(&mut self) {
        if self.lowered.is_none()
            && let Some(built) = &self.built
        {
            self.lowered = aligned(&self.cache, &built.site, &built.config.content_dir());
        }
    }

    /// What a changed path means.
    pub(crate) fn classify(&self, path: &Path) -> Change {
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
}

/// The pages of `new` to render (those in `wanted` and those `old` lacks) and the
/// outputs of `old` that `new` lacks. `old`: `None` when the list stayed as it was.
pub(crate) fn selection(
    old: Option<&[Page]>,
    new: &[Page],
    wanted: &BTreeSet<String>,
    editions: &[crate::site::Edition],
) -> (Vec<Page>, Vec<String>) {
    let Some(old) = old else {
        return (new.iter().filter(|p| wanted.contains(&p.output)).cloned().collect(), Vec::new());
    };
    let old_outputs: HashSet<&String> = old.iter().map(|p| &p.output).collect();
    let new_outputs: HashSet<&String> = new.iter().map(|p| &p.output).collect();
    let pages =
        new.iter().filter(|p| wanted.contains(&p.output) || !old_outputs.contains(&p.output)).cloned().collect();
    let gone: Vec<&Page> = old.iter().filter(|p| !new_outputs.contains(&p.output)).collect();
    let mut removed: Vec<String> = gone.iter().map(|p| p.output.clone()).collect();
    for e in editions {
        removed.extend(gone.iter().filter(|p| p.kind.per_edition()).map(|p| e.output(&p.output)));
    }
    (pages, removed)
}

/// Render `pages` of `model` through `sink`: the large data files by one streaming pass,
/// every other page on its own. The data pass writes from one thread, so it runs beside
/// the pages and keeps the other core busy instead of leaving it idle at the end.
///
/// The search index is written by one pass too, beside the data files.
///
/// The pages that list the data files' sizes (the data page, the index) come last,
/// when those files are written; in a rebuild that leaves a file unchanged, the sink
/// gives the size of the one in the output folder.
pub(crate) fn render(model: &Prepared, pages: &[Page], sink: &dyn FileSink) -> Diagnostics {
    let (streamed, others): (Vec<&Page>, Vec<&Page>) = pages.iter().partition(|pg| pg.kind.is_streamed());
    let (search, others): (Vec<&Page>, Vec<&Page>) = others.into_iter().partition(|pg| pg.kind.is_search_index());
    let (last, others): (Vec<Page>, Vec<Page>) = others.into_iter().cloned().partition(|pg| pg.kind.lists_sizes());
    let whole = |page: &Page, bytes| sink.whole(&page.output, bytes);
    let size = |rel: &str| sink.size(rel);
    // The other editions' copies of the pages beside the first's (`site::Edition`).
    let editions = || {
        let mut diags = Diagnostics::default();
        for e in &model.editions {
            let whole = |page: &Page, bytes| sink.whole(&e.output(&page.output), bytes);
            let theirs: Vec<Page> = others.iter().filter(|p| p.kind.per_edition()).cloned().collect();
            diags.extend(model.render_edition(Some(e), &theirs, &whole, &size));
        }
        diags
    };
    let ((mut diags, more), (streamed, search)) = rayon::join(
        || rayon::join(|| model.render_pages(&others, &whole, &size), editions),
        || rayon::join(|| model.stream_data_files(&streamed, sink), || model.write_search(&search, sink)),
    );
    diags.extend(more);
    for (what, r) in [("the data files", streamed), ("the search index", search)] {
        if let Err(e) = r {
            diags.push(
                crate::diagnostics::Diagnostic::new(&model.config.output_dir, format!("cannot write {what}: {e}"))
                    .kind(crate::diagnostics::Kind::Output),
            );
        }
    }
    // A template that ran out of fuel stopped the first pass: its one error stands for
    // the pages left (a new pass would spend the whole budget again on them).
    if !last.is_empty() && !diags.0.iter().any(crate::render::ran_out_of_fuel) {
        diags.extend(model.render_pages(&last, &whole, &size));
        for e in &model.editions {
            let whole = |page: &Page, bytes| sink.whole(&e.output(&page.output), bytes);
            let theirs: Vec<Page> = last.iter().filter(|p| p.kind.per_edition()).cloned().collect();
            diags.extend(model.render_edition(Some(e), &theirs, &whole, &size));
        }
    }
    // The data files look strings up too (duplicates of render_pages' go when sorted).
    diags.extend(model.renderer.strings.missing());
    diags
}

/// The outputs of `pages` in every edition: the pages' own, and the other editions'
/// copies of those that have one (`PageKind::per_edition`).
pub(crate) fn outputs_in_editions(model: &Prepared, pages: &[Page]) -> Vec<String> {
    let mut out: Vec<String> = pages.iter().map(|p| p.output.clone()).collect();
    for e in &model.editions {
        out.extend(pages.iter().filter(|p| p.kind.per_edition()).map(|p| e.output(&p.output)));
    }
    out
}

/// The hash of a value's debug text: what a facet compares (a handful of documents per
/// edit, so the text costs nothing worth a hand-written hash).
fn debug_hash(v: &impl std::fmt::Debug) -> u64 {
    site::hash(format!("{v:?}").as_bytes())
}

/// Each facet of a lowered document, hashed: body, listing, targets, results.
fn facets(l: &LoweredDoc) -> [(Facets, u64); 4] {
    let d = &l.doc;
    let listing = crate::model::Document {
        body: Default::default(),
        targets: Vec::new(),
        groups: Vec::new(),
        results: Vec::new(),
        ..d.clone()
    };
    let results: Vec<_> =
        l.results.iter().map(|r| (&r.record, r.target.as_ref().map(|t| &t.value), &r.measure)).collect();
    [
        (reads::BODY, d.body.fingerprint()),
        (reads::LISTING, debug_hash(&(listing, l.draft))),
        (reads::TARGETS, debug_hash(&(&d.targets, &d.groups))),
        (reads::RESULTS, debug_hash(&results)),
    ]
}

/// The facets in which two versions of a document differ.
fn changed_facets(was: &LoweredDoc, now: &LoweredDoc) -> Facets {
    facets(was).iter().zip(facets(now)).filter(|(a, b)| a.1 != b.1).fold(0, |f, (a, _)| f | a.0)
}

/// The facets in which two versions of a unit differ (its place in the tree is its
/// fields: a unit moved is a unit whose fields changed).
fn unit_facets(a: &crate::model::Unit, b: &crate::model::Unit) -> Facets {
    let fields = |u: &crate::model::Unit| crate::model::Unit { body: Default::default(), ..u.clone() };
    let mut f = 0;
    if a.body != b.body {
        f |= reads::UNIT_BODY;
    }
    if debug_hash(&fields(a)) != debug_hash(&fields(b)) {
        f |= reads::UNIT_FIELDS;
    }
    f
}

/// Each document of `site` with its lowered file in `cache`, in model order; `None` if
/// one is missing.
fn aligned(cache: &Cache, site: &crate::model::Site, content_dir: &Path) -> Option<Vec<(usize, Arc<LoweredDoc>)>> {
    site.documents
        .iter()
        .enumerate()
        .map(|(i, d)| cache.document(&content_dir.join(format!("{}.md", d.path))).map(|l| (i, l)))
        .collect()
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
/// their parts, each comparison's indicator and parts, and the parts of each
/// province's data files. A matrix's parts are there unit by unit: a unit's page links
/// to the part that holds it.
type Shape = (Vec<(crate::model::Term, Vec<crate::render::pages::MatrixShare>)>, Vec<(usize, Vec<usize>)>, Vec<usize>);

fn list_shape(p: &Prepared) -> Shape {
    let terms = p.matrices.clone();
    let comparisons =
        p.computed.comparisons.iter().map(|c| (c.indicator, crate::render::pages::comparison_parts(c))).collect();
    let data = p.site.roots.iter().map(|&r| crate::render::pages::data_parts(&p.site, r).len()).collect();
    (terms, comparisons, data)
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
