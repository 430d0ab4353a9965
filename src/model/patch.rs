//! `serve`'s in-place update of the model when only existing documents changed: each
//! re-read document takes the place of its previous version (same unit, path and
//! addresses) and results are linked again; only the changed ones, and the ones
//! pointing at them, when no result index moves (a full relink is most of an edit's
//! time at national scale).

use super::assemble::sort_unit_documents;
use super::link::{link_result, link_results};
use super::lower::LoweredDoc;
use super::*;
use crate::diagnostics::Diagnostics;
use crate::load::content::with_source_lines;
use std::collections::{BTreeMap, BTreeSet};

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
        let order = |r: usize| (site.results[r].date().end(), site.results[r].date().precision, r);
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

/// Put re-read documents in place of their previous versions, same paths, and link all
/// results again (`serve`, when only existing documents changed). `lowered` is every
/// document, aligned with `site.documents`; `changed` the indices replaced. Problems are
/// returned and the site is then inconsistent: the caller restores the previous
/// versions the same way.
pub(crate) fn replace_documents(
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
pub(crate) struct Replaced {
    pub diags: Diagnostics,
    /// When results were numbered again: each old result index's new one (`None`: a
    /// result of a changed document). Whatever holds result indices must follow.
    pub moved_results: Option<Vec<Option<usize>>>,
}
