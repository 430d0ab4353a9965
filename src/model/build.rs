//! From raw front matter to the model: parse numbers and dates, resolve keys and links,
//! check what a careful reader would check (unique ids, group counts, known indicators),
//! and report every problem with its position.

use super::*;
use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use crate::load::schema::RawVocabulary;
use crate::load::schema::{RawDocument, RawMeasure, RawResult, RawTarget, RawUnit, Scalar, Spanned};
use crate::load::{Entry, Loaded, SourceFile};
use crate::vi::{collate, date, number, slug};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Build the model; returns every problem found if there is any.
pub fn build(content: Content) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut site = Site {
        units: vec![],
        // Exact sizes here and below: a vector grown by pushing keeps up to half of
        // itself empty, which at national scale is tens of megabytes.
        documents: Vec::with_capacity(content.documents.len()),
        results: vec![],
        indicators: vec![],
        fields: vec![],
        roots: vec![],
        unit_by_path: BTreeMap::new(),
        doc_by_path: BTreeMap::new(),
        indicator_by_key: BTreeMap::new(),
        field_by_key: BTreeMap::new(),
        name_keys: vec![],
        name_rank: vec![],
        root_of: vec![],
        unread: content.unread,
        drafts: BTreeSet::new(),
    };
    // Files that could not be read are reported with everything else.
    diags.extend(content.unread_diags);

    // 1. Vocabulary: fields and indicators (read first, by `read`).
    diags.extend(content.vocab_diags);
    let vocab = content.vocab;
    site.fields = vocab.fields;
    site.indicators = vocab.indicators;
    site.field_by_key = vocab.field_by_key;
    site.indicator_by_key = vocab.indicator_by_key;

    // 2. Units, ordered by path so parents come before children.
    let mut units = content.units;
    units.sort_by(|a, b| a.file.content_path.cmp(&b.file.content_path));
    let mut url_owner: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut units_refused: BTreeSet<String> = BTreeSet::new();
    // Units with a `succeeded_by`, as (unit index, index in `units`), to check the chain.
    let mut successions: Vec<(usize, usize)> = Vec::new();
    for (ui, u) in units.iter().enumerate() {
        let path = u.file.content_path.clone();
        if path.is_empty() {
            diags.push(
                u.file
                    .whole("`content/_index.md` cannot be a unit")
                    .hint("put each unit in its own folder, e.g. `content/ha-noi/_index.md`"),
            );
            continue;
        }
        if let Some(d) = unit_name_problem(&u.file, &path) {
            diags.push(d);
            // Its own problems too; the unit is left out of the site.
            unit_from_raw(u, &mut diags);
            units_refused.insert(path);
            continue;
        }
        let url = url_of(&path);
        if let Some(other) = url_owner.insert(url.clone(), u.file.display.clone()) {
            diags.push(
                u.file.whole(format!("this unit's address {url} is also the address of {}", other.display())).hint(
                    "rename one of the folders: names that differ only in tone marks or case give the same address",
                ),
            );
        }
        let unit = unit_from_raw(u, &mut diags);
        if unit.succeeded_by.is_some() {
            successions.push((site.units.len(), ui));
        }
        site.unit_by_path.insert(path.clone(), site.units.len());
        site.units.push(Unit { path, url, ..unit });
    }
    diags.extend(succession_problems(&site, &units, &successions));
    // Parents: the nearest ancestor folder that is a unit.
    for i in 0..site.units.len() {
        let mut p = site.units[i].path.as_str();
        while let Some(idx) = p.rfind('/') {
            p = &p[..idx];
            if let Some(&parent) = site.unit_by_path.get(p) {
                site.units[i].parent = Some(parent);
                site.units[parent].children.push(i);
                break;
            }
        }
        if site.units[i].parent.is_none() {
            site.roots.push(i);
        }
    }
    // Every folder between content/ and a unit must be a unit too, or the hierarchy
    // silently skips a level (a ward would hang under its province).
    let mut reported = BTreeSet::new();
    for u in &site.units {
        let parts: Vec<&str> = u.path.split('/').collect();
        for n in 1..parts.len() {
            let folder = parts[..n].join("/");
            let known = site.unit_by_path.contains_key(&folder) || site.unread.contains(&folder);
            if !known && !units_refused.contains(&folder) && reported.insert(folder.clone()) {
                diags.push(
                    Diagnostic::new(
                        &u.file,
                        format!(
                            "the folder content/{folder}/ has no _index.md, so {} would skip a level of the hierarchy",
                            u.name
                        ),
                    )
                    .hint(format!(
                        "describe that unit: run `minhbach new unit content/{folder}` and fill in its name and level"
                    )),
                );
            }
        }
    }
    // A child's level must be below its parent's.
    for u in &site.units {
        if let Some(p) = u.parent {
            let parent = &site.units[p];
            if let (Some((_, child_max)), Some((parent_min, _))) = (level::tiers(&u.level), level::tiers(&parent.level))
                && child_max <= parent_min
            {
                diags.push(
                    Diagnostic::new(
                        &u.file,
                        format!(
                            "{} ({}) is inside {} ({}), but a {} is not below a {}",
                            u.name, u.level, parent.name, parent.level, u.level, parent.level
                        ),
                    )
                    .hint("check `level:` here and in the parent folder's _index.md, or move the folder"),
                );
            }
        }
    }

    // 3. Documents.
    let mut docs = content.documents;
    docs.sort_by(|a, b| a.file.content_path.cmp(&b.file.content_path));
    let mut pending_results: Vec<(usize, std::sync::Arc<LoweredDoc>)> = Vec::new();
    let mut keys_dropped = false;
    // A one-shot build owns each lowered document and moves it out; serve's cache
    // shares it, and the model gets a copy (made in parallel: it is most of a rebuild's
    // model time).
    let owned: Vec<Document> = docs
        .par_iter_mut()
        .map(|d| match std::sync::Arc::get_mut(d) {
            Some(l) => std::mem::take(&mut l.doc),
            None => d.doc.clone(),
        })
        .collect();
    for (d, doc) in docs.into_iter().zip(owned) {
        let path = d.file.content_path.clone();
        let (folder, file_name) = match path.rfind('/') {
            Some(i) => (&path[..i], &path[i + 1..]),
            None => ("", path.as_str()),
        };
        let Some(&unit) = site.unit_by_path.get(folder) else {
            // A unit whose file did not parse (or whose name is refused) is its own error.
            if site.unread.contains(folder) || units_refused.contains(folder) {
                diags.extend(d.diags.clone());
                keys_dropped |= d.keys_dropped;
                continue;
            }
            diags.push(d.file.whole("this document is not in a unit folder").hint(if folder.is_empty() {
                "move it into the folder of the unit that issued it (a folder with an `_index.md`)".to_string()
            } else {
                format!(
                    "add `content/{folder}/_index.md` describing the unit (run `minhbach new unit content/{folder}`)"
                )
            }));
            continue;
        };
        // The file's own problems are reported whatever its name; a name that cannot be
        // an address leaves the document out of the site.
        diags.extend(d.diags.clone());
        keys_dropped |= d.keys_dropped;
        let slug = slug::slugify(file_name);
        if slug.len() > MAX_SLUG {
            diags.push(
                d.file
                    .whole(format!(
                        "the file name makes an address {} characters long; at most {MAX_SLUG} are possible",
                        slug.len()
                    ))
                    .hint(format!(
                        "shorten the file name to at most {MAX_SLUG} letters: file systems refuse longer names"
                    )),
            );
            continue;
        }
        if slug.is_empty() {
            diags.push(
                d.file
                    .whole(format!("the file name `{file_name}.md` gives an empty address"))
                    .hint("name the file with letters or digits, e.g. `nghi-quyet-dai-hoi.md`: the name is the document's address"),
            );
            continue;
        }
        let url = url_of(&path);
        if let Some(other) = url_owner.insert(url.clone(), d.file.display.clone()) {
            diags.push(
                d.file
                    .whole(format!("this document's address {url} is also the address of {}", other.display()))
                    .hint("rename one of the files"),
            );
        }
        let draft = d.draft;
        let idx = site.documents.len();
        if draft {
            // Checked above like every document; not part of the site until published.
            url_owner.remove(&url);
            site.drafts.insert(path);
            continue;
        }
        site.documents.push(Document { unit, path: path.clone(), url, slug, ..doc });
        site.doc_by_path.insert(path, idx);
        site.units[unit].documents.push(idx);
        pending_results.push((idx, d));
    }

    // One problem for a missing vocabulary, not one per key the documents use.
    if keys_dropped && let Some(path) = &content.vocab_missing {
        diags.push(
            Diagnostic::new(path, format!("{} is missing, and the documents use indicator and field keys", path.display()))
                .hint("create it with the `fields:` and `indicators:` the documents name (`minhbach format` shows the format; `minhbach new site` writes an example)"),
        );
    }

    // 4. Results, now that every document and target exists.
    diags.extend(link_results(&mut site, &mut pending_results));

    // 5. Orders readers expect: children and roots in Vietnamese order (weight first),
    //    documents newest first.
    site.root_of = (0..site.units.len()).map(|u| site.root(u)).collect();
    site.name_keys = site.units.iter().map(|u| collate::key(&u.name)).collect();
    let mut by_key: Vec<usize> = (0..site.units.len()).collect();
    by_key.sort_by(|a, b| site.name_keys[*a].cmp(&site.name_keys[*b]));
    site.name_rank = vec![0; site.units.len()];
    for w in by_key.windows(2) {
        site.name_rank[w[1]] = site.name_rank[w[0]] + u32::from(site.name_keys[w[0]] != site.name_keys[w[1]]);
    }
    let names: Vec<(Option<i64>, &collate::Key)> =
        site.units.iter().zip(&site.name_keys).map(|(u, k)| (u.weight, k)).collect();
    let by_name = |a: &usize, b: &usize| {
        let (wa, ka) = &names[*a];
        let (wb, kb) = &names[*b];
        wa.unwrap_or(i64::MAX).cmp(&wb.unwrap_or(i64::MAX)).then_with(|| ka.cmp(kb))
    };
    for u in &mut site.units {
        u.children.sort_by(by_name);
    }
    site.roots.sort_by(by_name);
    for u in 0..site.units.len() {
        sort_unit_documents(&mut site, u);
    }

    if diags.is_empty() { Ok(site) } else { Err(diags.sorted()) }
}

/// A re-read document in place of document `i`: same unit, path and addresses.
fn put_in_place(site: &mut Site, i: usize, l: &LoweredDoc) {
    let old = &site.documents[i];
    site.documents[i] = Document {
        unit: old.unit,
        path: old.path.clone(),
        url: old.url.clone(),
        slug: old.slug.clone(),
        ..l.doc.clone()
    };
}

/// `replace_documents` when result indices do not move.
fn relink_changed(site: &mut Site, lowered: &[(usize, std::sync::Arc<LoweredDoc>)], changed: &[usize]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let is_changed = |d: usize| changed.contains(&d);
    // Measures whose result lists change, to sort again.
    let mut touched: BTreeSet<MeasureRef> = BTreeSet::new();
    // 1. The changed documents' own results leave the measures they reported on.
    for &d in changed {
        for k in 0..site.documents[d].results.len() {
            let ri = site.documents[d].results[k];
            if let Some(t) = site.results[ri].target
                && !is_changed(t.doc())
            {
                site.documents[t.doc()].targets[t.target()].measures[t.measure()].results.retain(|&x| x != ri);
                touched.insert(t);
            }
        }
    }
    // 2. Results of other documents reporting on a changed one are linked again after.
    let mut incoming: Vec<usize> = Vec::new();
    for &d in changed {
        for t in &site.documents[d].targets {
            for m in &t.measures {
                incoming.extend(m.results.iter().copied().filter(|&ri| !is_changed(site.results[ri].doc)));
            }
        }
    }
    // 3. The new versions, with the same result indices.
    for &d in changed {
        let l = &lowered[d].1;
        diags.extend(l.diags.clone());
        let results = site.documents[d].results.clone();
        put_in_place(site, d, l);
        site.documents[d].results = results;
    }
    // 4. Link the changed documents' results and the incoming ones.
    let mut relink: Vec<(usize, usize)> = Vec::new(); // (document, position among its results)
    for &d in changed {
        relink.extend((0..site.documents[d].results.len()).map(|k| (d, k)));
    }
    for ri in incoming {
        let e = site.results[ri].doc;
        if let Some(k) = site.documents[e].results.iter().position(|&x| x == ri) {
            relink.push((e, k));
        }
    }
    let mut by_doc: BTreeMap<usize, Diagnostics> = BTreeMap::new();
    for (e, k) in relink {
        let ri = site.documents[e].results[k];
        let l = &lowered[e].1;
        let before = site.results[ri].target;
        if let Some(t) = before
            && !is_changed(t.doc())
            && !is_changed(e)
        {
            site.documents[t.doc()].targets[t.target()].measures[t.measure()].results.retain(|&x| x != ri);
            touched.insert(t);
        }
        let link_diags = by_doc.entry(e).or_default();
        match link_result(site, &l.file, e, &l.results[k], link_diags) {
            Some(rec) => {
                if let Some(t) = rec.target {
                    site.documents[t.doc()].targets[t.target()].measures[t.measure()].results.push(ri);
                    touched.insert(t);
                }
                site.results[ri] = rec;
            }
            None => {
                // A link that no longer resolves: the rebuild fails and is undone.
                site.results[ri].target = None;
            }
        }
    }
    for (e, d) in by_doc {
        if !d.is_empty() {
            diags.extend(with_source_lines(&lowered[e].1.file, d));
        }
    }
    // 5. Oldest first, ties in reading order, as `link_results` sorts.
    for t in touched {
        let order = |r: usize| (site.results[r].as_of.end(), site.results[r].as_of.precision, r);
        let mut list = std::mem::take(&mut site.documents[t.doc()].targets[t.target()].measures[t.measure()].results);
        list.sort_by_key(|&r| order(r));
        site.documents[t.doc()].targets[t.target()].measures[t.measure()].results = list;
    }
    let mut units: Vec<usize> = changed.iter().map(|&i| site.documents[i].unit).collect();
    units.dedup();
    for u in units {
        sort_unit_documents(site, u);
    }
    diags
}

/// A unit's documents, newest first.
fn sort_unit_documents(site: &mut Site, u: usize) {
    let mut docs = std::mem::take(&mut site.units[u].documents);
    docs.sort_by(|a, b| {
        let (da, db) = (&site.documents[*a], &site.documents[*b]);
        (db.issued.start(), &db.path).cmp(&(da.issued.start(), &da.path))
    });
    site.units[u].documents = docs;
}

/// Link every document's results to the measures they report on, from scratch:
/// `Site::results` is rebuilt in document order, so an incremental rebuild gives the
/// same indices as a full one. `lowered` is (document index, its lowered file).
/// A lowered document held nowhere else (a one-shot build) loses its pending results once
/// linked, so the results are not held twice at the peak.
pub fn link_results(site: &mut Site, lowered: &mut [(usize, std::sync::Arc<LoweredDoc>)]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    site.results.clear();
    site.results.reserve_exact(lowered.iter().map(|(_, l)| l.results.len()).sum());
    for d in &mut site.documents {
        d.results.clear();
        for t in &mut d.targets {
            for m in &mut t.measures {
                m.results.clear();
            }
        }
    }
    for (doc, lowered) in lowered {
        let doc = *doc;
        let mut link_diags = Diagnostics::default();
        for r in &lowered.results {
            if let Some(rec) = link_result(site, &lowered.file, doc, r, &mut link_diags) {
                let ri = site.results.len();
                if let Some(t) = rec.target {
                    site.documents[t.doc()].targets[t.target()].measures[t.measure()].results.push(ri);
                }
                site.documents[doc].results.push(ri);
                site.results.push(rec);
            }
        }
        if !link_diags.is_empty() {
            diags.extend(with_source_lines(&lowered.file, link_diags));
        }
        if let Some(l) = std::sync::Arc::get_mut(lowered) {
            l.results = Vec::new();
        }
    }
    // Oldest first, ties in reading order: the status uses the last.
    let order: Vec<_> = site.results.iter().map(|r| (r.as_of.end(), r.as_of.precision)).collect();
    for d in &mut site.documents {
        for t in &mut d.targets {
            for m in &mut t.measures {
                if m.results.len() > 1 {
                    m.results.sort_by_key(|&r| (order[r], r));
                }
            }
        }
    }
    diags
}

/// Put re-read documents in place of their previous versions, same paths, and link all
/// results again (`serve`, when only existing documents changed). `lowered` is every
/// document, aligned with `site.documents`; `changed` the indices replaced. Problems are
/// returned and the site is then inconsistent: the caller restores the previous
/// versions the same way.
pub fn replace_documents(
    site: &mut Site,
    lowered: &mut [(usize, std::sync::Arc<LoweredDoc>)],
    changed: &[usize],
) -> Replaced {
    // When every changed document keeps its number of results, the results keep their
    // indices: only those results, and the ones other documents report on them, are
    // linked again (a full relink is most of an edit's time at national scale).
    if changed.iter().all(|&i| site.documents[i].results.len() == lowered[i].1.results.len()) {
        return Replaced { diags: relink_changed(site, lowered, changed), moved_results: None };
    }
    let before: Vec<Vec<usize>> = site.documents.iter().map(|d| d.results.clone()).collect();
    let mut diags = Diagnostics::default();
    for &i in changed {
        let l = &lowered[i].1;
        diags.extend(l.diags.clone());
        put_in_place(site, i, l);
    }
    diags.extend(link_results(site, lowered));
    let mut units: Vec<usize> = changed.iter().map(|&i| site.documents[i].unit).collect();
    units.dedup();
    for u in units {
        sort_unit_documents(site, u);
    }
    // An unchanged document's k-th result is still its k-th.
    let mut moved = vec![None; before.iter().map(Vec::len).sum()];
    for (d, old) in before.iter().enumerate().filter(|(d, _)| !changed.contains(d)) {
        for (&o, &n) in old.iter().zip(&site.documents[d].results) {
            moved[o] = Some(n);
        }
    }
    Replaced { diags, moved_results: Some(moved) }
}

/// What `replace_documents` did.
pub struct Replaced {
    pub diags: Diagnostics,
    /// When results were numbered again: each old result index's new one (`None`: a
    /// result of a changed document). Whatever holds result indices must follow.
    pub moved_results: Option<Vec<Option<usize>>>,
}

/// The fields and indicators of `content/indicators.yaml`: what every document's keys
/// are checked against, so it is read before the documents.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    pub fields: Vec<Field>,
    pub indicators: Vec<Indicator>,
    pub field_by_key: BTreeMap<String, usize>,
    pub indicator_by_key: BTreeMap<String, usize>,
}

impl Vocab {
    /// The index of the indicator `key`, as measures and results hold it.
    fn indicator_id(&self, key: &str) -> Option<u32> {
        self.indicator_by_key.get(key).map(|&i| i as u32)
    }
}

/// Check the vocabulary file and index its keys.
pub fn vocabulary(v: Option<Loaded<RawVocabulary>>, diags: &mut Diagnostics) -> Vocab {
    let mut vocab = Vocab::default();
    if let Some(v) = v {
        for f in v.raw.fields {
            let key = f.key.value.clone();
            if !is_key(&key) {
                // The key is a folder of the site (`/linh-vuc/<key>/`).
                diags.push(v.file.diag(&f.key.referenced, format!("`{key}` is not a valid key")).hint(
                    "use lower-case ASCII words joined by `-`, e.g. `van-hoa-xa-hoi`: the key is the field's address",
                ));
            }
            if vocab.field_by_key.contains_key(&key) {
                diags.push(
                    v.file
                        .diag(&f.key.referenced, format!("the field `{key}` is defined twice"))
                        .hint("remove or rename one of them"),
                );
                continue;
            }
            vocab.field_by_key.insert(key.clone(), vocab.fields.len());
            vocab.fields.push(Field { key, name: f.name, description: f.description });
        }
        for ind in v.raw.indicators {
            let loc = ind.referenced;
            let i = ind.value;
            let key = i.key.value.clone();
            if key == "none" {
                diags.push(v.file.diag(&i.key.referenced, "`none` cannot be an indicator key").hint(
                    "a measure writes `indicator: none` to say it is not its target's indicator; name this indicator otherwise, e.g. `khong-co`",
                ));
            } else if !is_key(&key) {
                diags.push(
                    v.file
                        .diag(&i.key.referenced, format!("`{key}` is not a valid key"))
                        .hint("use lower-case ASCII words joined by `-`, e.g. `ty-le-ho-ngheo`"),
                );
            }
            if vocab.indicator_by_key.contains_key(&key) {
                diags.push(
                    v.file
                        .diag(&loc, format!("the indicator `{key}` is defined twice"))
                        .hint("remove or rename one of them"),
                );
                continue;
            }
            let direction = match &i.direction {
                None => Direction::Higher,
                Some(d) => d.value.parse().unwrap_or_else(|_| {
                    diags.push(
                        v.file.diag(&d.referenced, format!("unknown direction `{}`", d.value)).hint(names::hint::<
                            Direction,
                        >(
                            &d.value
                        )),
                    );
                    Direction::Higher
                }),
            };
            if let Some(f) = &i.field
                && !vocab.field_by_key.contains_key(&f.value)
            {
                diags.push(unknown_key(&v.file, f, "field", vocab.field_by_key.keys()));
            }
            vocab.indicator_by_key.insert(key.clone(), vocab.indicators.len());
            vocab.indicators.push(Indicator {
                key,
                name: i.name,
                unit: i.unit,
                direction,
                field: i.field.map(|f| f.value),
                description: i.description,
            });
        }
    }

    vocab
}

/// A document file given meaning on its own, as soon as it is parsed: everything that
/// needs only the file and the vocabulary (numbers, dates, ids, group counts, keys).
/// The raw YAML tree is dropped here, which keeps memory near the size of the content
/// even when thousands of files are read in parallel. What needs other files (its
/// unit, links from results to targets) is done by `build`.
#[derive(Debug, Clone)]
pub struct LoweredDoc {
    /// Kept for messages about links, which point into this file.
    pub file: SourceFile,
    pub doc: Document,
    pub draft: bool,
    pub results: Vec<PendingResult>,
    pub diags: Diagnostics,
    /// Messages about unknown indicator or field keys were left out, the vocabulary
    /// being unreadable or missing (its own problem is the one to report).
    pub keys_dropped: bool,
}

pub fn lower_document(vocab: &Vocab, d: Loaded<RawDocument>) -> LoweredDoc {
    let Loaded { mut file, raw, body } = d;
    let mut diags = Diagnostics::default();
    let draft = raw.draft.unwrap_or(false);
    let (doc, raw_results) = document_from_raw(vocab, &file, raw, body, usize::MAX, &mut diags);
    let results =
        raw_results.iter().enumerate().filter_map(|(n, r)| lower_result(vocab, &file, n + 1, r, &mut diags)).collect();
    // The text is no longer needed: the few messages about links read the file again.
    file.text = String::new();
    LoweredDoc { file, doc, draft, results, diags, keys_dropped: false }
}

/// One content file, read and, for a document, lowered.
#[derive(Debug, Clone)]
pub enum Source {
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
    pub fn gather(
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
pub fn vocabulary_path(paths: &[PathBuf], content_dir: &Path) -> Option<PathBuf> {
    ["indicators.yaml", "indicators.yml"].iter().map(|n| content_dir.join(n)).find(|p| paths.contains(p))
}

/// Read the vocabulary file (if any) into a checked `Vocab`; a file that does not parse
/// gives an empty vocabulary and its error, and `keys_known` is then false, so
/// documents are not also reported for every key it would have defined.
pub fn read_vocabulary(root: &Path, content_dir: &Path, path: Option<&Path>) -> (Vocab, Diagnostics, bool) {
    let mut diags = Diagnostics::default();
    // No vocabulary: every key is unknown, which is one problem (the missing file), not
    // one per key; `build` reports it if a document uses a key.
    let Some(path) = path else { return (Vocab::default(), diags, false) };
    match crate::load::read_entry(root, content_dir, path) {
        // An empty file (or one of comments only) defines no key: one problem, the file,
        // rather than one per key every document uses.
        Ok(Entry::Vocab(v)) if v.raw.fields.is_empty() && v.raw.indicators.is_empty() => {
            diags.push(v.file.whole(format!("{} is empty: it lists no fields and no indicators", v.file.display.display())).hint(
                "list the `fields:` and `indicators:` the documents name (`minhbach format` shows the format), or delete the file if no document uses a key",
            ));
            (Vocab::default(), diags, false)
        }
        Ok(Entry::Vocab(v)) => {
            let vocab = vocabulary(Some(v), &mut diags);
            (vocab, diags, true)
        }
        Ok(_) => (Vocab::default(), diags, true),
        Err(d) => (Vocab::default(), d, false),
    }
}

/// Read one content file other than the vocabulary, lowering a document at once.
pub fn read_source(
    root: &Path,
    content_dir: &Path,
    path: &Path,
    vocab: &Vocab,
    keys_known: bool,
) -> Result<Source, Diagnostics> {
    Ok(match crate::load::read_entry(root, content_dir, path)? {
        Entry::Unit(u) => Source::Unit(Box::new(u)),
        Entry::Doc(d) => {
            let mut l = lower_document(vocab, *d);
            if !keys_known {
                // The vocabulary did not parse: its error is the one to fix first.
                let about_keys = |m: &str| m.starts_with("unknown indicator") || m.starts_with("unknown field key");
                let before = l.diags.len();
                l.diags = Diagnostics(l.diags.0.into_iter().filter(|d| !about_keys(&d.message)).collect());
                l.keys_dropped = l.diags.len() < before;
            }
            Source::Doc(std::sync::Arc::new(l))
        }
        Entry::Asset(a, c) => Source::Asset(a, c),
        Entry::Vocab(v) => {
            let mut d = Diagnostics::default();
            d.push(v.file.whole("there are both indicators.yaml and indicators.yml").hint("keep one vocabulary file"));
            return Err(d);
        }
    })
}

/// Walk `content_dir`, read the vocabulary, then read and lower every other file in
/// parallel; all problems are collected.
pub fn read(root: &Path, content_dir: &Path) -> Result<Content, Diagnostics> {
    let paths = crate::load::scan(root, content_dir)?;
    let vpath = vocabulary_path(&paths, content_dir);
    let (vocab, vocab_diags, keys_known) = read_vocabulary(root, content_dir, vpath.as_deref());
    let sources: Vec<(String, Result<Source, Diagnostics>)> = paths
        .par_iter()
        .filter(|p| Some(*p) != vpath.as_ref())
        .map(|p| (content_path(content_dir, p), read_source(root, content_dir, p, &vocab, keys_known)))
        .collect();
    let mut content = Content::gather(vocab, vocab_diags, sources);
    content.vocab_missing = missing_vocabulary(root, content_dir, vpath.as_deref());
    Ok(content)
}

/// The display path of `content/indicators.yaml` when there is no vocabulary file.
pub fn missing_vocabulary(root: &Path, content_dir: &Path, vpath: Option<&Path>) -> Option<PathBuf> {
    vpath.is_none().then(|| crate::diagnostics::display_path(root, &content_dir.join("indicators.yaml")))
}

/// A file's content path as units and documents are known by: `a/b` for
/// `content/a/b.md` and `content/a/b/_index.md`.
pub fn content_path(content_dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(content_dir).unwrap_or(path);
    let rel = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
    match rel.strip_suffix("_index.md") {
        Some(unit) => unit.trim_end_matches('/').to_string(),
        None => rel.strip_suffix(".md").unwrap_or(&rel).to_string(),
    }
}

/// Messages made without the file's text (dropped after reading) get their snippet
/// from the file read again.
fn with_source_lines(file: &SourceFile, diags: Diagnostics) -> Diagnostics {
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

/// The top-level folders of the site's own pages and files (`/chi-so/`, `/data/` …): a
/// unit folder with one of these names would write its pages over them.
pub fn reserved_names() -> [&'static str; 6] {
    use crate::render::paths;
    [paths::STATUS, paths::FIELDS, paths::INDICATORS, paths::MATRICES, paths::DATA_PAGE, paths::DATA]
        .map(|p| p.trim_matches('/'))
}

/// The longest slug of a file or folder: file systems refuse names above 255 bytes,
/// and `build` would fail writing, after `check` said nothing.
const MAX_SLUG: usize = 200;

/// A unit folder whose name cannot be an address: one that slugs to nothing, or a
/// top-level one named like a section of the site.
fn unit_name_problem(file: &SourceFile, path: &str) -> Option<Diagnostic> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let slug = slug::slugify(name);
    if slug.is_empty() {
        return Some(
            file.whole(format!("the folder name `{name}` gives an empty address")).hint(
                "name the folder with letters or digits, e.g. `phuong-duc-giang`: the name is the unit's address",
            ),
        );
    }
    if slug.len() > MAX_SLUG {
        return Some(
            file.whole(format!(
                "the folder name makes an address {} characters long; at most {MAX_SLUG} are possible",
                slug.len()
            ))
            .hint(format!("shorten the folder name to at most {MAX_SLUG} letters: file systems refuse longer names")),
        );
    }
    let reserved = reserved_names();
    if !path.contains('/') && reserved.contains(&slug.as_str()) {
        return Some(
            file.whole(format!("the folder name `{name}` is reserved: the site's own pages are at /{slug}/")).hint(
                format!(
                    "rename the folder, e.g. `tinh-{slug}`; a top-level folder cannot be named {}",
                    reserved.join(", ")
                ),
            ),
        );
    }
    None
}

pub fn url_of(content_path: &str) -> String {
    let mut url = String::from("/");
    for part in content_path.split('/').filter(|p| !p.is_empty()) {
        url.push_str(&slug::slugify(part));
        url.push('/');
    }
    url
}

fn is_key(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_SLUG && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn unknown_key<'a>(
    file: &SourceFile,
    s: &Spanned<String>,
    what: &str,
    known: impl Iterator<Item = &'a String>,
) -> Diagnostic {
    let known: Vec<&str> = known.map(|k| k.as_str()).collect();
    let hint = match closest(&s.value, known.iter().copied()) {
        Some(c) => format!("did you mean `{c}`? Keys are listed in content/indicators.yaml"),
        None => format!("add `{}` to the {what}s of content/indicators.yaml, or use one of its keys", s.value),
    };
    let what = if what == "field" { "field key (lĩnh vực)" } else { what };
    file.diag(&s.referenced, format!("unknown {what} `{}`", s.value)).hint(hint)
}

fn num(file: &SourceFile, s: &Spanned<Scalar>, diags: &mut Diagnostics) -> Option<f64> {
    match &s.value {
        Scalar::Num(n) => {
            if let Some(raw) = file.raw_at(&s.referenced)
                && let Some(form) = non_decimal(&raw)
            {
                diags.push(
                    file.diag(&s.referenced, format!("`{raw}` is not a number"))
                        .hint(format!("YAML reads it as a {form} number ({n}): write the figure in ordinary digits, as the document prints it")),
                );
                return None;
            }
            if let Some(raw) = file.raw_at(&s.referenced)
                && number::looks_like_grouped_thousands(&raw)
            {
                diags.push(
                    file.diag(
                        &s.referenced,
                        format!("`{raw}` without quotes is read as {n}, not as {}", raw.replace('.', "")),
                    )
                    .hint(format!("write \"{raw}\" in quotes for the Vietnamese number, or {}", raw.replace('.', ""))),
                );
                return None;
            }
            finite(file, s, *n, diags)
        }
        Scalar::Text(t) => match number::parse(t) {
            Ok(p) if !p.value.is_finite() || p.value.abs() > 1e18 => {
                diags.push(
                    file.diag(&s.referenced, format!("`{}` is too large to be a figure of a document", short(t)))
                        .hint("check the number: figures above 10¹⁸ are not read (write large sums with a scale word, e.g. \"1,1 tỷ\")"),
                );
                None
            }
            Ok(p) => {
                if !p.rest.is_empty() && p.rest != "%" {
                    diags.push(
                        file.diag(&s.referenced, format!("`{t}` has text after the number"))
                            .hint("put only the number here and the unit in `unit:`"),
                    );
                    return None;
                }
                Some(p.value)
            }
            Err(e) => {
                diags.push(file.diag(&s.referenced, e.message).hint(e.hint));
                None
            }
        },
    }
}

/// The form of a number YAML reads in another base (`0x1F` is 31, `0o17` is 15,
/// `0b11` is 3): no document prints a figure that way, so it is a mistake.
fn non_decimal(raw: &str) -> Option<&'static str> {
    let t = raw.split([',', '}', ']']).next().unwrap_or("").trim();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t).to_ascii_lowercase();
    match t.get(..2) {
        Some("0x") => Some("hexadecimal"),
        Some("0o") => Some("octal"),
        Some("0b") => Some("binary"),
        _ => None,
    }
}

/// A number YAML read: refused when it cannot be shown as written (YAML reads `1e400`
/// as infinity; serde-saphyr refuses those, this is for numbers it let through).
fn finite(file: &SourceFile, s: &Spanned<Scalar>, n: f64, diags: &mut Diagnostics) -> Option<f64> {
    if n.is_finite() && n.abs() <= 1e18 {
        return Some(n);
    }
    diags.push(
        file.diag(&s.referenced, format!("`{}` is too large to be a figure of a document", short(&s.value.as_text())))
            .hint("check the number: figures above 10¹⁸ are not read (write large sums with a scale word, e.g. \"1,1 tỷ\")"),
    );
    None
}

/// A value as quoted in a message: long ones cut.
fn short(t: &str) -> String {
    if t.chars().count() > 24 { format!("{}…", t.chars().take(20).collect::<String>()) } else { t.to_string() }
}

/// An id or a code as written. YAML reads `1.10`, `1.0` or `00133` without quotes as a
/// number, which would silently become `1.1`, `1` or `133`: that is an error.
fn id_text(file: &SourceFile, s: &Spanned<Scalar>, diags: &mut Diagnostics) -> String {
    let text = s.value.as_text();
    if let Scalar::Num(_) = s.value
        && let Some(raw) = file.raw_at(&s.referenced)
    {
        let raw = raw.split([',', '}', ']']).next().unwrap_or("").trim();
        if !raw.is_empty() && raw != text {
            diags.push(
                file.diag(&s.referenced, format!("`{raw}` without quotes is read as the number {text}"))
                    .hint(format!("write \"{raw}\" in quotes to keep it as written")),
            );
        }
    }
    text
}

/// A number of targets: a whole number, zero or more (never truncated or clamped).
fn whole_count(file: &SourceFile, s: &Spanned<Scalar>, diags: &mut Diagnostics) -> Option<usize> {
    let n = num(file, s, diags)?;
    if n < 0.0 || n.fract() != 0.0 || n > 1e6 {
        diags.push(
            file.diag(&s.referenced, format!("`count` must be a whole number of targets, not {}", s.value.as_text()))
                .hint("write how many targets the heading announces, e.g. `count: 5` for \"(05 chỉ tiêu)\""),
        );
        return None;
    }
    Some(n as usize)
}

/// "1,1 tỷ" with `unit: tỷ đồng` would count the billions twice.
fn scale_twice(file: &SourceFile, value: Option<&Spanned<Scalar>>, unit: Option<&str>, diags: &mut Diagnostics) {
    if let (Some(v), Some(u)) = (value, unit)
        && let Scalar::Text(t) = &v.value
        && number::has_scale_word(t)
        && number::has_scale_word(u)
    {
        diags.push(file.diag(&v.referenced, format!("`{t}` has a scale word and the unit `{u}` has one too")).hint(
            "write the scale once: `value: \"1,1\"` with `unit: tỷ đồng`, or `value: \"1,1 tỷ\"` with `unit: đồng`",
        ));
    }
}

fn date_of(file: &SourceFile, s: &Spanned<Scalar>, diags: &mut Diagnostics) -> Option<date::VnDate> {
    match date::parse(&s.value.as_text()) {
        Ok(d) => Some(d),
        Err(e) => {
            let raw = s.value.as_text();
            let parts: Vec<&str> = raw.split('-').collect();
            let hint = match parts.as_slice() {
                [d, m, y] if d.len() <= 2 && y.len() == 4 => format!(
                    "did you mean {}/{}/{y}? Dates are written 2020-05-22, 2020-05, 2020 or 22/5/2020",
                    d.trim_start_matches('0'),
                    m.trim_start_matches('0')
                ),
                _ => "dates are written 2020-05-22, 2020-05, 2020 or 22/5/2020".to_string(),
            };
            diags.push(file.diag(&s.referenced, e).hint(hint));
            None
        }
    }
}

/// An address from content, checked by the one URL policy (`model::url`).
fn link(file: &SourceFile, s: &Spanned<String>, field: &str, diags: &mut Diagnostics) -> Option<String> {
    match super::url::check(&s.value) {
        Ok(()) => Some(s.value.clone()),
        Err(e) => {
            diags.push(file.diag(&s.referenced, e.message(field)).hint(e.hint()));
            None
        }
    }
}

/// A unit succeeded by itself, or a chain of successors that comes back to where it
/// started: the unit pages would send readers round in a circle. One problem per
/// cycle, at the `succeeded_by` of its first unit in path order.
fn succession_problems(site: &Site, units: &[Loaded<RawUnit>], successions: &[(usize, usize)]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let next = |u: usize| site.units[u].succeeded_by.as_ref().and_then(|p| site.unit_by_path.get(p).copied());
    let mut reported: BTreeSet<usize> = BTreeSet::new();
    for &(start, ui) in successions {
        if reported.contains(&start) {
            continue;
        }
        // Follow the chain; each unit has at most one successor, so a chain either
        // ends or reaches a cycle within as many steps as there are units.
        let mut chain = vec![start];
        let mut at = start;
        while let Some(n) = next(at) {
            if n == start || chain.len() > site.units.len() {
                break;
            }
            chain.push(n);
            at = n;
        }
        if next(at) != Some(start) {
            continue;
        }
        reported.extend(chain.iter().copied());
        let Some(loc) = units[ui].raw.succeeded_by.as_ref().map(|s| s.referenced) else { continue };
        let file = &units[ui].file;
        let d = if chain.len() == 1 {
            file.diag(&loc, format!("{} is succeeded by itself", site.units[start].name))
                .hint("`succeeded_by` names the unit this one was merged into; remove it if the unit still exists")
        } else {
            let names: Vec<&str> = chain.iter().chain([&start]).map(|&u| site.units[u].name.as_str()).collect();
            file.diag(&loc, format!("the successors form a cycle: {}", names.join(" → ")))
                .hint("`succeeded_by` names the unit a unit was merged into; remove it from the unit that still exists")
        };
        diags.push(d);
    }
    diags
}

fn unit_from_raw(u: &Loaded<RawUnit>, diags: &mut Diagnostics) -> Unit {
    let r = &u.raw;
    let level = r.level.value.trim().to_lowercase();
    if level::tiers(&level).is_none() {
        let hint = names::hint_among(&level, level::names());
        diags.push(u.file.diag(&r.level.referenced, format!("unknown level `{}`", r.level.value)).hint(hint));
    }
    if r.name.value.trim().is_empty() {
        diags.push(
            u.file
                .diag(&r.name.referenced, "the unit has an empty name")
                .hint("write its official name, e.g. `Phường Đức Giang`"),
        );
    }
    if let Some(s) = &r.succeeded_by
        && (s.value.contains("..")
            || s.value.starts_with('/')
            || s.value.contains([':', '\\', '?', '#'])
            || s.value.contains("//"))
    {
        diags.push(
            u.file
                .diag(&s.referenced, "`succeeded_by` must be a content path")
                .hint("write the successor unit's folder inside content/, e.g. `tp-ho-chi-minh/tp-thu-duc`; a web address goes in `website:`"),
        );
    }
    Unit {
        path: String::new(),
        url: String::new(),
        name: nfc(&r.name.value),
        level,
        code: r.code.as_ref().map(|c| id_text(&u.file, c, diags)),
        short_name: r.short_name.clone(),
        succeeded_by: r.succeeded_by.as_ref().map(|s| s.value.trim_matches('/').to_string()),
        succeeded_on: r.succeeded_on.as_ref().and_then(|s| date_of(&u.file, s, diags)),
        website: r.website.as_ref().and_then(|w| link(&u.file, w, "website", diags)),
        weight: r.weight,
        body: u.body.clone(),
        parent: None,
        children: vec![],
        documents: vec![],
        file: u.file.display.clone(),
    }
}

/// Text is made NFC when files are read (load::frontmatter::normalise); this only
/// copies, and composes what is not NFC yet (text given other ways, e.g. in tests).
fn nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if crate::vi::is_nfc(s) { s.to_string() } else { s.nfc().collect() }
}

fn parse_term(file: &SourceFile, s: &Spanned<Scalar>, diags: &mut Diagnostics) -> Option<Term> {
    let t = s.value.as_text();
    let parts: Vec<&str> = t.split(['-', '–', '—']).map(str::trim).collect();
    let years: Option<Vec<i16>> = parts.iter().map(|p| p.parse::<i16>().ok()).collect();
    match years.as_deref() {
        Some([a, b]) if a < b && *a >= 1900 && *b <= 2200 => Some(Term { start: *a, end: *b }),
        _ => {
            diags.push(
                file.diag(&s.referenced, format!("`{t}` is not a term"))
                    .hint("write the term's first and last year, e.g. `2020-2025`"),
            );
            None
        }
    }
}

fn document_from_raw(
    site: &Vocab,
    file: &SourceFile,
    raw: RawDocument,
    body: String,
    unit: usize,
    diags: &mut Diagnostics,
) -> (Document, Vec<Spanned<RawResult>>) {
    let kind =
        raw.kind.value.parse().unwrap_or_else(|_| {
            diags.push(
                file.diag(&raw.kind.referenced, format!("unknown document kind `{}`", raw.kind.value))
                    .hint(names::hint::<DocKind>(&raw.kind.value)),
            );
            DocKind::Other
        });
    let issued = date_of(file, &raw.issued, diags).unwrap_or(date::VnDate {
        year: 1970,
        month: 1,
        day: 1,
        precision: date::Precision::Year,
    });
    let term = raw.term.as_ref().and_then(|t| parse_term(file, t, diags));

    // Groups.
    let mut groups = Vec::new();
    let mut group_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut group_locs = Vec::new();
    // A repeated group id, or a target in an unknown group, leaves no way to know which
    // group a target was meant for: the heading counts are then not compared (they
    // would only repeat that one problem).
    let mut counts_comparable = true;
    for g in raw.groups {
        let id = id_text(file, &g.id, diags);
        if group_ids.contains_key(&id) {
            diags.push(
                file.diag(&g.id.referenced, format!("the group id `{id}` is used twice"))
                    .hint("give each group its own id, e.g. its heading number `1.2`"),
            );
            counts_comparable = false;
        }
        if let Some(f) = &g.field
            && !site.field_by_key.contains_key(&f.value)
        {
            diags.push(unknown_key(file, f, "field", site.field_by_key.keys()));
        }
        let count = g.count.as_ref().and_then(|c| whole_count(file, c, diags));
        group_ids.insert(id.clone(), groups.len());
        group_locs.push(g.count.as_ref().map(|c| c.referenced).unwrap_or(g.id.referenced));
        groups.push(Group { id, name: g.name, count, field: g.field.map(|f| f.value) });
    }

    // Targets.
    let mut targets = Vec::with_capacity(raw.targets.len());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for t in raw.targets {
        let (first_line, _) = file.file_pos(&t.referenced);
        let names_group = t.value.group.is_some();
        let target = target_from_raw(site, file, t.value, &group_ids, term, diags);
        if let Some(target) = target {
            if names_group && target.0.group.is_none() {
                counts_comparable = false;
            }
            if let Some(prev_line) = seen.insert(target.0.id.to_string(), first_line) {
                diags.push(
                    file.diag(
                        &target.1,
                        format!(
                            "the target id `{}` is used twice in this document (first on line {prev_line})",
                            target.0.id
                        ),
                    )
                    .hint("ids must be unique in a document: they make the target's address and citation"),
                );
            }
            targets.push(target.0);
        }
    }
    // The heading count is a checksum of the list under it.
    for (gi, g) in groups.iter().enumerate().filter(|_| counts_comparable) {
        if let Some(count) = g.count {
            let n = targets.iter().filter(|t| t.group == Some(gi)).count();
            if n != count {
                diags.push(
                    file.diag(
                        &group_locs[gi],
                        format!("the group `{}` announces {count} targets but {n} are listed under it", g.id),
                    )
                    .hint("the heading's count is a checksum: add the missing targets or check their `group:`"),
                );
            }
        }
    }

    let doc = Document {
        unit,
        path: String::new(),
        url: String::new(),
        slug: String::new(),
        title: nfc(&raw.title.value),
        kind,
        number: raw.number.as_ref().map(|n| id_text(file, n, diags)),
        issued,
        place: raw.place,
        issuer: raw.issuer,
        signer: raw.signer,
        signer_role: raw.signer_role,
        term,
        congress: raw.congress.as_ref().map(|c| id_text(file, c, diags)),
        event: raw.event,
        covers: raw.covers,
        posted: raw.posted.as_ref().and_then(|p| date_of(file, p, diags)),
        source: raw.source,
        source_url: raw.source_url.as_ref().and_then(|w| link(file, w, "source_url", diags)),
        recipients: raw.recipients.unwrap_or_default(),
        summary: raw.summary,
        groups,
        targets,
        results: vec![],
        body,
        file: file.display.clone(),
    };
    (doc, raw.results)
}

fn target_from_raw(
    site: &Vocab,
    file: &SourceFile,
    t: RawTarget,
    group_ids: &BTreeMap<String, usize>,
    term: Option<Term>,
    diags: &mut Diagnostics,
) -> Option<(Target, crate::load::schema::Loc)> {
    let id = id_text(file, &t.id, diags);
    let id_loc = t.id.referenced;
    // `.` and `..` (any id of dots, dashes and underscores only) would be a path step
    // in the target's address, not a name.
    if !id.chars().any(|c| c.is_ascii_alphanumeric())
        || !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        diags.push(file.diag(&id_loc, format!("`{id}` cannot be a target id")).hint("use ASCII letters, digits, `.`, `-` and `_`, e.g. `1.2.3` or `ct-1`: the id goes into the target's address"));
    }
    let group = t.group.as_ref().and_then(|g| {
        let gid = id_text(file, g, diags);
        match group_ids.get(&gid) {
            Some(&i) => Some(i),
            None => {
                let hint = match closest(&gid, group_ids.keys().map(|k| k.as_str())) {
                    Some(c) => format!("did you mean `{c}`? Groups are declared under `groups:`"),
                    None => "declare the group under `groups:` at the top of the front matter".into(),
                };
                diags.push(file.diag(&g.referenced, format!("unknown group `{gid}`")).hint(hint));
                None
            }
        }
    });
    if let Some(f) = &t.field
        && !site.field_by_key.contains_key(&f.value)
    {
        diags.push(unknown_key(file, f, "field", site.field_by_key.keys()));
    }
    let kind = match &t.kind {
        None => TargetKind::Target,
        Some(k) => k.value.parse().unwrap_or_else(|_| {
            diags.push(file.diag(&k.referenced, format!("unknown target type `{}`", k.value)).hint(names::hint::<
                TargetKind,
            >(
                &k.value
            )));
            TargetKind::Target
        }),
    };
    if let Some(i) = &t.indicator
        && !site.indicator_by_key.contains_key(&i.value)
    {
        diags.push(unknown_key(file, i, "indicator", site.indicator_by_key.keys()));
    }
    if t.text.trim().is_empty() {
        diags.push(
            file.diag(&id_loc, format!("target `{id}` has no text"))
                .hint("copy the target's sentence from the document into `text:`"),
        );
    }
    let default_indicator = t.indicator.as_ref().and_then(|i| site.indicator_id(&i.value));
    // A fresh vector, not `into_iter().collect()`: that would reuse the raw measures'
    // buffer in place, and keep 4 raw-sized slots (KBs) alive for every target.
    let mut measures: Vec<Measure> = Vec::with_capacity(t.measures.len().max(1));
    for m in t.measures {
        measures.push(measure_from_raw(site, file, m, default_indicator, term, diags));
    }
    if measures.is_empty() {
        measures.push(Measure { indicator_id: default_indicator, ..Measure::new(Op::Qualitative, None) });
    }
    let field = t.field.map(|f| f.value);
    Some((
        Target {
            id: id.into(),
            group,
            field: field.map(Into::into),
            kind,
            text: nfc(t.text.trim()).into(),
            note: t.note.map(Into::into),
            measures,
        },
        id_loc,
    ))
}

fn measure_from_raw(
    site: &Vocab,
    file: &SourceFile,
    m: Spanned<RawMeasure>,
    default_indicator: Option<u32>,
    term: Option<Term>,
    diags: &mut Diagnostics,
) -> Measure {
    let loc = m.referenced;
    let m = m.value;
    if let Some(i) = &m.indicator
        && i.value != "none"
        && !site.indicator_by_key.contains_key(&i.value)
    {
        diags.push(unknown_key(file, i, "indicator", site.indicator_by_key.keys()));
    }
    let mut op_unknown = false;
    let op = match &m.op {
        None => Op::Qualitative,
        Some(o) => o.value.trim().parse().unwrap_or_else(|_| {
            let hint = names::hint::<Op>(o.value.trim());
            diags.push(
                file.diag(&o.referenced, format!("unknown op `{}`", o.value.trim()))
                    .hint(format!("{hint} (`minhbach format` shows how each wording maps to an op)")),
            );
            op_unknown = true;
            Op::Qualitative
        }),
    };
    let value = m.value.as_ref().and_then(|v| num(file, v, diags));
    scale_twice(file, m.value.as_ref(), m.unit.as_deref(), diags);
    let min = m.min.as_ref().and_then(|v| num(file, v, diags));
    let max = m.max.as_ref().and_then(|v| num(file, v, diags));
    match op {
        Op::Range => {
            if m.min.is_none() || m.max.is_none() {
                diags.push(
                    file.diag(&loc, "a `range` needs `min:` and `max:`")
                        .hint("e.g. `op: range`, `min: 10`, `max: 12` for \"từ 10-12\""),
                );
            } else if let (Some(a), Some(b), Some(at)) = (min, max, m.min.as_ref())
                && a > b
            {
                diags.push(file.diag(&at.referenced, "`min` is larger than `max`").hint("swap the two numbers"));
            }
        }
        // An unknown op is its own problem: what the measure needs follows from the op.
        Op::Qualitative if op_unknown => {}
        Op::Qualitative => {
            if let Some(v) = &m.value {
                diags.push(
                    file.diag(&v.referenced, "a measure with a `value` needs an `op`")
                        .hint("add `op: \">=\"` (or `<`, `>`, `=` …) saying how the value is compared"),
                );
            }
            if m.label.is_none() && m.indicator.is_none() && default_indicator.is_none() {
                diags.push(
                    file.diag(&loc, "a measure without a number needs a `label` or an `indicator`")
                        .hint("say what is to be kept or done, e.g. `label: Giữ vững Trạm Y tế đạt chuẩn`"),
                );
            }
        }
        _ => {
            if m.value.is_none() {
                diags.push(
                    file.diag(&loc, "this measure has an `op` but no `value`")
                        .hint("add `value:` with the number from the text"),
                );
            }
        }
    }
    let per = match &m.per {
        None => Per::Term,
        Some(p) => p.value.parse().unwrap_or_else(|_| {
            diags.push(
                file.diag(&p.referenced, format!("unknown period `{}`", p.value)).hint(names::hint::<Per>(&p.value)),
            );
            Per::Term
        }),
    };
    let relation = m.relation.as_ref().and_then(|r| match r.value.parse() {
        Ok(x) => Some(x),
        Err(_) => {
            diags.push(
                file.diag(&r.referenced, format!("unknown relation `{}`", r.value))
                    .hint(names::hint::<Relation>(&r.value)),
            );
            None
        }
    });
    let deadline = m.deadline.as_ref().and_then(|d| date_of(file, d, diags));
    if let (Some(d), Some(t)) = (deadline, term)
        && d.year < t.start
    {
        diags.push(
            file.diag(
                &m.deadline.as_ref().unwrap().referenced,
                format!("the deadline {} is before the term {} starts", d.short(), t.key()),
            )
            .hint("check the year"),
        );
    }
    let mut measure = Measure {
        // `indicator: none` says the measure is not the target's indicator (e.g. "điểm rác
        // tồn đọng" inside a target on littering); otherwise it inherits the target's.
        indicator_id: match m.indicator.map(|i| i.value) {
            Some(k) if k == "none" => None,
            Some(k) => site.indicator_id(&k),
            None => default_indicator,
        },
        label: m.label.map(Into::into),
        unit: m.unit.map(Into::into),
        per,
        deadline,
        relation,
        ..Measure::new(op, value)
    };
    measure.set_extra(MeasureExtra {
        min,
        max,
        baseline: m.baseline.map(Into::into),
        baseline_value: m.baseline_value.as_ref().and_then(|v| num(file, v, diags)),
        baseline_date: m.baseline_date.as_ref().and_then(|d| date_of(file, d, diags)),
        variant: m.variant.map(Into::into),
    });
    measure
}

/// A result checked on its own (numbers, dates, verdict, quote, keys) while its file is
/// read; the link to its target needs every document and is made by `link_result`.
#[derive(Debug, Clone)]
pub struct PendingResult {
    /// With no target yet, and only an indicator written on the result itself.
    pub record: ResultRecord,
    pub target: Option<Spanned<Scalar>>,
    /// `measure:` as written (1-based) and where.
    pub measure: Option<(f64, crate::load::schema::Loc)>,
    /// Where `unit:` is written, to point at it when it is not the measure's.
    pub unit_at: Option<crate::load::schema::Loc>,
}

fn lower_result(
    site: &Vocab,
    file: &SourceFile,
    number: usize,
    r: &Spanned<RawResult>,
    diags: &mut Diagnostics,
) -> Option<PendingResult> {
    let loc = r.referenced;
    let r = &r.value;
    let before = diags.len();
    if let Some(t) = &r.target {
        id_text(file, t, diags);
    }
    let measure = match &r.measure {
        None => None,
        Some(m) => Some((num(file, m, diags)?, m.referenced)),
    };
    if let Some(i) = &r.indicator
        && !site.indicator_by_key.contains_key(&i.value)
    {
        diags.push(unknown_key(file, i, "indicator", site.indicator_by_key.keys()));
    }
    let verdict = r.verdict.as_ref().and_then(|v| match v.value.parse::<Verdict>() {
        Ok(x) => Some(x),
        Err(_) => {
            diags.push(
                file.diag(&v.referenced, format!("unknown verdict `{}`", v.value))
                    .hint(names::hint::<Verdict>(&v.value)),
            );
            None
        }
    });
    if r.value.is_none() && r.share_of_target.is_none() && r.verdict.is_none() {
        diags.push(
            file.diag(&loc, "this result has no figure")
                .hint("give `value:` (and `of:` for a fraction), `share_of_target:` or `verdict:`"),
        );
    }
    if r.target.is_none() && r.indicator.is_none() && r.label.is_none() {
        diags.push(
            file.diag(&loc, "this result says nothing about what was measured")
                .hint("link it with `target:`, or give `indicator:` and `label:`"),
        );
    }
    if r.quote.trim().is_empty() {
        diags.push(
            file.diag(&loc, "this result has an empty `quote`")
                .hint("copy the sentence the figure comes from, so readers can check it"),
        );
    }
    let value = r.value.as_ref().and_then(|v| num(file, v, diags));
    scale_twice(file, r.value.as_ref(), r.unit.as_ref().map(|u| u.value.as_str()), diags);
    let of = r.of.as_ref().and_then(|v| num(file, v, diags));
    if let Some(o) = of
        && o <= 0.0
    {
        diags.push(
            file.diag(
                &r.of.as_ref().unwrap().referenced,
                if o == 0.0 {
                    "`of` is zero: it must be a positive number".to_string()
                } else {
                    format!("`of` must be a positive number, not {}", number::format_auto(o))
                },
            )
            .hint("`of` is the denominator of a fraction like 08/08: how many there are in all"),
        );
    }
    if let (Some(o), None) = (&r.of, &r.value) {
        diags.push(
            file.diag(&o.referenced, "`of` needs a `value`: it is the denominator of the fraction value/of")
                .hint("write the numerator as `value:`, e.g. `value: 8` and `of: 8` for \"08/08\", or remove `of`"),
        );
    }
    let share_of_target = r.share_of_target.as_ref().and_then(|v| num(file, v, diags));
    if let Some(sh) = share_of_target
        && sh < 0.0
    {
        diags.push(
            file.diag(&r.share_of_target.as_ref().unwrap().referenced, "`share_of_target` cannot be negative")
                .hint("it is the share of the target reached, in percent: \"đạt 60% so với Nghị quyết\" is `share_of_target: 60`"),
        );
    }
    let as_of = date_of(file, &r.as_of, diags);
    if diags.len() > before {
        return None;
    }
    Some(PendingResult {
        record: ResultRecord {
            doc: usize::MAX,
            number,
            target: None,
            indicator_id: r.indicator.as_ref().and_then(|i| site.indicator_id(&i.value)),
            label: r.label.clone(),
            value,
            of,
            unit: r.unit.as_ref().map(|u| u.value.clone()),
            share_of_target,
            verdict,
            as_of: as_of?,
            is_final: r.is_final.unwrap_or(false),
            quote: nfc(r.quote.trim()),
            note: r.note.clone(),
        },
        target: r.target.clone(),
        measure,
        unit_at: r.unit.as_ref().map(|u| u.referenced),
    })
}

/// Link a checked result to the measure it reports on.
fn link_result(
    site: &Site,
    file: &SourceFile,
    doc: usize,
    p: &PendingResult,
    diags: &mut Diagnostics,
) -> Option<ResultRecord> {
    let target = p.target.as_ref().and_then(|t| {
        let text = t.value.as_text();
        let (doc_idx, id) = match text.split_once('#') {
            Some((path, id)) => {
                let path = path.trim_matches('/').trim_end_matches(".md");
                match site.doc_by_path.get(path) {
                    Some(&d) => (d, id.to_string()),
                    // That file's own error is the one to fix.
                    None if site.unread.contains(path) => return None,
                    None if site.drafts.contains(path) => {
                        diags.push(
                            file.diag(&t.referenced, format!("`{path}` is a draft (`draft: true`), so it is not published"))
                                .hint("a published result cannot point at a draft: publish that document (remove `draft: true`), or make this one a draft too"),
                        );
                        return None;
                    }
                    None => {
                        // Never suggest the document the reference is written in.
                        let own = file.content_path.as_str();
                        let hint =
                            match closest(path, site.doc_by_path.keys().map(|k| k.as_str()).filter(|k| *k != own)) {
                                Some(c) => {
                                    format!("did you mean `{c}#{id}`? The path is inside content/, without `.md`")
                                }
                                None => {
                                    "write `path/of/document#target-id`, the path inside content/ without `.md`".into()
                                }
                            };
                        diags.push(file.diag(&t.referenced, format!("no document `{path}`")).hint(hint));
                        return None;
                    }
                }
            }
            None => (doc, text.clone()),
        };
        let targets = &site.documents.get(doc_idx)?.targets;
        let Some(ti) = targets.iter().position(|x| *x.id == *id) else {
            let hint = match closest(&id, targets.iter().map(|x| &*x.id)) {
                Some(c) => format!("did you mean `{c}`?"),
                None if targets.is_empty() => {
                    "that document has no targets: link the result to the document that sets the target, e.g. `path/of/resolution#1.1`".into()
                }
                None => format!(
                    "that document's target ids are: {}",
                    targets.iter().map(|x| &*x.id).collect::<Vec<_>>().join(", ")
                ),
            };
            diags.push(
                file.diag(&t.referenced, format!("no target `{id}` in {}", site.documents[doc_idx].path)).hint(hint),
            );
            return None;
        };
        let mi = match p.measure {
            None => 0,
            Some((n, _)) if n >= 1.0 && (n as usize) <= targets[ti].measures.len() && n.fract() == 0.0 => {
                n as usize - 1
            }
            Some((_, at)) => {
                diags.push(
                    file.diag(&at, format!("target `{id}` has {} measure(s)", targets[ti].measures.len()))
                        .hint("`measure:` counts the target's measures from 1"),
                );
                return None;
            }
        };
        // The status compares the figure with the measure's level as it is, except a
        // count with `of` for a measure in `%` (`compute::status::comparable`): any
        // other unit would compare different things (3,07 hộ with "dưới 0,5%").
        let m = &targets[ti].measures[mi];
        if let (Some(ru), Some(mu), Some(_)) = (p.record.unit.as_deref(), m.unit.as_deref(), p.record.value) {
            let (ru, mu) = (ru.trim(), mu.trim());
            let converted = mu == "%" && p.record.of.is_some();
            if ru.to_lowercase() != mu.to_lowercase() && !converted {
                let hint = if mu == "%" {
                    "give the figure in `%`, as the target does; or, for a count, write how many there are in all with `of:` (e.g. `value: 3`, `of: 120`), which makes it a percentage".to_string()
                } else {
                    format!("give the figure in `{mu}`, as the target does, and write `unit: {mu}` (or leave `unit` out)")
                };
                diags.push(
                    file.diag(
                        &p.unit_at.unwrap_or(t.referenced),
                        format!("the result's unit `{ru}` is not the measure's `{mu}`, so the two cannot be compared"),
                    )
                    .hint(hint),
                );
                return None;
            }
        }
        Some(MeasureRef::new(doc_idx, ti, mi))
    });
    if p.target.is_some() && target.is_none() {
        return None;
    }
    let mut rec = p.record.clone();
    rec.doc = doc;
    rec.target = target;
    if rec.indicator_id.is_none() {
        rec.indicator_id = target.and_then(|t| site.measure(t).indicator_id);
    }
    Some(rec)
}

/// Units whose documents' ids are all distinct is checked per document; this helper
/// lists every indicator key used anywhere, for the vocabulary's own checks and pages.
pub fn used_indicators(site: &Site) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for d in &site.documents {
        for t in &d.targets {
            for m in &t.measures {
                if let Some(i) = site.indicator_at(m.indicator()) {
                    set.insert(i.key.clone());
                }
            }
        }
    }
    for r in &site.results {
        if let Some(i) = site.indicator_at(r.indicator()) {
            set.insert(i.key.clone());
        }
    }
    set
}
