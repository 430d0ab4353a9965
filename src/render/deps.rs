//! Which files show what: the pages a change to some documents, units or templates
//! touches, so `serve` re-renders those and nothing else.
//!
//! A document appears on its own page; on the pages of its unit and every unit above
//! it (roll-ups, counts); on the pages of the documents its results report on, and of
//! the documents reporting on it; on the comparison page, data file and feed of every
//! indicator it measures or reports; in its term's matrix (and, when it changes which
//! class of an indicator's measures is the main one, in every matrix marking that
//! indicator's cells as variants: `variant_marks`); and in the site-wide pages
//! (home, counts, indices, data files). A unit appears on the pages of the units above
//! and below it and of every document below it (breadcrumbs). Computed on one model;
//! `serve` asks for both the old and the new model and renders the union.

use super::pages::{Page, PageKind};
use crate::compute::Computed;
use crate::compute::compare::ClassKey;
use crate::model::{Site, Term};
use std::collections::{BTreeMap, BTreeSet};

/// Output paths of the pages that show anything of `docs` or `units` (indices in `site`).
pub fn affected(site: &Site, computed: &Computed, list: &[Page], docs: &[usize], units: &[usize]) -> BTreeSet<String> {
    let mut doc_set: BTreeSet<usize> = docs.iter().copied().collect();
    let mut unit_set: BTreeSet<usize> = BTreeSet::new();
    for &u in units {
        // Its parents list it; the unit's name is in the breadcrumbs and rows of
        // everything below it.
        unit_set.extend(site.ancestry(u));
        let mut stack = vec![u];
        while let Some(x) = stack.pop() {
            unit_set.insert(x);
            doc_set.extend(site.units[x].documents.iter().copied());
            stack.extend(site.units[x].children.iter().copied());
        }
    }
    // Documents linked through results, both ways.
    let direct: Vec<usize> = doc_set.iter().copied().collect();
    for &d in &direct {
        for &ri in &site.documents[d].results {
            if let Some(t) = site.results[ri].target {
                doc_set.insert(t.doc());
            }
        }
        for t in &site.documents[d].targets {
            for m in &t.measures {
                for &ri in &m.results {
                    doc_set.insert(site.results[ri].doc);
                }
            }
        }
    }
    let mut indicators: BTreeSet<usize> = BTreeSet::new();
    let mut terms = BTreeSet::new();
    for &d in &doc_set {
        let doc = &site.documents[d];
        unit_set.extend(site.ancestry(doc.unit));
        if let Some(t) = doc.term {
            terms.insert(t);
        }
        for m in doc.targets.iter().flat_map(|t| &t.measures) {
            if let Some(i) = m.indicator() {
                indicators.insert(i);
            }
        }
        for &ri in &doc.results {
            if let Some(i) = site.results[ri].indicator() {
                indicators.insert(i);
            }
        }
    }
    let roots: BTreeSet<usize> = unit_set.iter().map(|&u| site.root(u)).collect();
    let mut out = BTreeSet::new();
    for p in list {
        let hit = match p.kind {
            PageKind::Document(d) => doc_set.contains(&d),
            PageKind::Unit(u) | PageKind::UnitData(u, _) | PageKind::UnitFeed(u) => unit_set.contains(&u),
            PageKind::Indicator(ci) | PageKind::IndicatorData(ci, _) | PageKind::IndicatorFeed(ci) => {
                indicators.contains(&computed.comparisons[ci].indicator)
            }
            // A province's part of a comparison: only if the change is in that province.
            PageKind::IndicatorPart(ci, root) => {
                indicators.contains(&computed.comparisons[ci].indicator) && roots.contains(&root)
            }
            PageKind::Matrix(t) => terms.contains(&t),
            PageKind::MatrixPart(t, root) => terms.contains(&t) && roots.contains(&root),
            // Site-wide pages show counts, lists and data of everything.
            PageKind::Home
            | PageKind::Status
            | PageKind::FieldIndex
            | PageKind::Field(_)
            | PageKind::IndicatorIndex
            | PageKind::MatrixIndex
            | PageKind::Data(_)
            | PageKind::Sitemap => true,
            // Only words of the theme.
            PageKind::DataPage | PageKind::NotFound => false,
        };
        if hit {
            out.insert(p.output.clone());
        }
    }
    out
}

/// Each indicator's main comparison class, for those in `indicators`: what a matrix
/// cell's variant mark (`*`) follows. Taken before an edit, for [`variant_marks`].
pub fn main_classes(computed: &Computed, indicators: &BTreeSet<usize>) -> BTreeMap<usize, ClassKey> {
    indicators
        .iter()
        .filter_map(|&i| {
            let c = computed.comparison(i)?;
            c.classes.iter().find(|k| k.main).map(|k| (i, k.key.clone()))
        })
        .collect()
}

/// The matrix pages whose variant marks an edit changed: a cell is marked when its
/// measure is outside its indicator's main class, so when documents of one term change
/// which class is the main one, cells of other terms, whose documents did not change,
/// gain or lose the mark. `before`: the main classes before the edit (`main_classes`);
/// `site`, `computed`, `list`: the model after it. (Cells of changed documents are
/// `affected`'s part.)
pub fn variant_marks(
    site: &Site,
    computed: &Computed,
    list: &[Page],
    before: &BTreeMap<usize, ClassKey>,
) -> BTreeSet<String> {
    // (term, root unit) of every cell whose mark may have changed: the entries of the
    // old and of the new main class.
    let mut at: BTreeSet<(Term, usize)> = BTreeSet::new();
    for (&i, old) in before {
        let Some(c) = computed.comparison(i) else { continue };
        if c.classes.iter().find(|k| k.main).is_some_and(|k| &k.key == old) {
            continue;
        }
        for class in c.classes.iter().filter(|k| k.main || &k.key == old) {
            for e in &class.entries {
                if let Some(t) = site.documents[e.measure.doc()].term {
                    at.insert((t, site.root(e.unit)));
                }
            }
        }
    }
    if at.is_empty() {
        return BTreeSet::new();
    }
    let terms: BTreeSet<Term> = at.iter().map(|(t, _)| *t).collect();
    list.iter()
        .filter(|p| match p.kind {
            PageKind::Matrix(t) => terms.contains(&t),
            PageKind::MatrixPart(t, root) => at.contains(&(t, root)),
            _ => false,
        })
        .map(|p| p.output.clone())
        .collect()
}

/// Pages that use any of the changed templates. A template no page names directly
/// (base.html, macros.html, a new partial) may be used by every page.
pub fn using_templates(list: &[Page], changed: &[String]) -> BTreeSet<String> {
    let direct: BTreeSet<&str> = list.iter().filter_map(|p| p.kind.template()).collect();
    let everything = changed.iter().any(|c| !direct.contains(c.as_str()));
    list.iter()
        .filter(|p| match p.kind.template() {
            Some(t) => everything && t.ends_with(".html") || changed.iter().any(|c| c == t),
            None => false,
        })
        .map(|p| p.output.clone())
        .collect()
}
