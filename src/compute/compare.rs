//! Comparisons: the same indicator side by side across units, without mixing unlike
//! measures.
//!
//! Two measures of one indicator are comparable only when they measure the same way:
//! the same relation (a level, or "vượt … so với", "tăng …", a share of a quota …), the
//! same unit, the same period (per year or per term) and no variant ("hoàn thành tốt"
//! instead of "hoàn thành", "tự nguyện" …). Each such way is a *class*. The class with
//! most plain-level measures is the main comparison; every other class is shown apart,
//! labelled with how it differs. Within a class, rows are sorted by ambition in the
//! indicator's good direction, then by unit name in Vietnamese order.
//!
//! Computed once per build for all indicators (a map from indicator to its measures),
//! so no page searches the whole site.

use crate::model::names::named_enum;
use crate::model::{Direction, Measure, MeasureRef, Op, Relation, Site};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

/// How a measure is measured; measures compare only within one class.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ClassKey {
    pub relation: Option<&'static str>,
    pub unit: String,
    pub per: &'static str,
    pub variant: Option<String>,
    pub qualitative: bool,
}

impl ClassKey {
    pub(crate) fn of(m: &Measure) -> ClassKey {
        ClassKey {
            relation: m.relation.map(Relation::as_str),
            unit: norm(m.unit.as_deref().unwrap_or("")),
            per: m.per.as_str(),
            variant: m.variant().map(norm),
            qualitative: m.op == Op::Qualitative,
        }
    }

    /// A plain level with no variant: what an indicator usually means.
    pub(crate) fn is_plain(&self) -> bool {
        self.relation.is_none() && self.variant.is_none() && !self.qualitative
    }
}

fn norm(s: &str) -> String {
    let s = s.trim();
    if crate::vi::is_nfc(s) { s.to_lowercase() } else { s.nfc().collect::<String>().to_lowercase() }
}

/// One measure in a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct ComparedMeasure {
    pub measure: MeasureRef,
    pub unit: usize,
    /// The number the row is sorted by (the bound in the good direction).
    pub bound: Option<f64>,
    /// The same indicator set by a unit above this one, and how this target compares.
    pub higher: Option<HigherLevel>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct HigherLevel {
    pub measure: MeasureRef,
    pub unit: usize,
    pub ambition: Ambition,
}

named_enum! {
    /// How a target compares with the same indicator's target set by a unit above;
    /// its label says so on the indicator page (`higher.greater`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Ambition in "higher" {
        /// This target asks more than the higher level's.
        Greater = "greater",
        Less = "less",
        Equal = "equal",
    }
}

impl From<Ordering> for Ambition {
    fn from(o: Ordering) -> Ambition {
        match o {
            Ordering::Greater => Ambition::Greater,
            Ordering::Less => Ambition::Less,
            Ordering::Equal => Ambition::Equal,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Class {
    pub key: ClassKey,
    pub main: bool,
    /// Set when a class was split by term because it held a unit and the unit it
    /// became (a merger): a unit is never ranked against its own successor.
    pub term: Option<crate::model::Term>,
    pub entries: Vec<ComparedMeasure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorComparison {
    pub indicator: usize,
    /// Main class first, then the others by size.
    pub classes: Vec<Class>,
    /// Results reported for the indicator without a target (indices into Site::results).
    pub unlinked_results: Vec<usize>,
    /// Units that set a target for the indicator.
    pub units: Vec<usize>,
    /// The root units (provinces, cities) of the rows, in index order: pages split a
    /// long comparison by them, so they are found once here, not per page.
    pub roots: Vec<usize>,
}

pub(crate) use super::status::bound;

/// Compare the ambition of two bounds in a direction: `Greater` means `a` asks more.
pub(crate) fn ambition(a: f64, b: f64, direction: Direction) -> Ordering {
    let o = a.partial_cmp(&b).unwrap_or(Ordering::Equal);
    match direction {
        Direction::Lower => o.reverse(),
        _ => o,
    }
}

/// Build every indicator's comparison.
pub(crate) fn compare(site: &Site) -> Vec<IndicatorComparison> {
    // Indicator → its measures, in one pass over the site.
    let mut by_indicator: Vec<Vec<MeasureRef>> = vec![Vec::new(); site.indicators.len()];
    for di in 0..site.documents.len() {
        for (r, m) in site.measures_in(di) {
            if let Some(ii) = m.indicator() {
                by_indicator[ii].push(r);
            }
        }
    }
    let mut unlinked: Vec<Vec<usize>> = vec![Vec::new(); site.indicators.len()];
    for (ri, r) in site.results.iter().enumerate() {
        if r.target.is_none()
            && let Some(ii) = r.indicator()
        {
            unlinked[ii].push(ri);
        }
    }

    // Each indicator is compared on its own: in parallel, in indicator order.
    let work: Vec<(usize, Vec<MeasureRef>, Vec<usize>)> = by_indicator
        .into_iter()
        .zip(unlinked)
        .enumerate()
        .map(|(ii, (m, r))| (ii, m, r))
        .filter(|(_, m, r)| !m.is_empty() || !r.is_empty())
        .collect();
    compare_each(site, work)
}

/// Compare again after an edit (`serve`): the indicators in `indicators`, where only the
/// measures of `docs` may have changed. Each indicator's measures are those of its
/// previous comparison (`previous`, by indicator) outside `docs`, and those of `docs`:
/// no walk over every measure of the site, which at national scale costs more than the
/// comparison itself. Gives what `compare` gives, as long as document indices did not
/// move (results may: their list is short and read again).
pub(crate) fn compare_again(
    site: &Site,
    previous: &BTreeMap<usize, IndicatorComparison>,
    docs: &std::collections::BTreeSet<usize>,
    indicators: &std::collections::BTreeSet<usize>,
) -> Vec<IndicatorComparison> {
    let mut unlinked: BTreeMap<usize, Vec<usize>> = indicators.iter().map(|&i| (i, Vec::new())).collect();
    for (ri, r) in site.results.iter().enumerate() {
        if r.target.is_none()
            && let Some(list) = r.indicator().and_then(|i| unlinked.get_mut(&i))
        {
            list.push(ri);
        }
    }
    let work: Vec<(usize, Vec<MeasureRef>, Vec<usize>)> = unlinked
        .into_iter()
        .map(|(ii, results)| {
            let mut measures: Vec<MeasureRef> = previous
                .get(&ii)
                .map(|c| {
                    c.classes
                        .iter()
                        .flat_map(|k| &k.entries)
                        .map(|e| e.measure)
                        .filter(|m| !docs.contains(&m.doc()))
                        .collect()
                })
                .unwrap_or_default();
            for &di in docs {
                measures.extend(site.measures_in(di).filter(|(_, m)| m.indicator() == Some(ii)).map(|(r, _)| r));
            }
            // In site order, as `compare` finds them: the level above is the first match.
            measures.sort_unstable();
            (ii, measures, results)
        })
        .filter(|(_, m, r)| !m.is_empty() || !r.is_empty())
        .collect();
    compare_each(site, work)
}

/// Each indicator's comparison from its measures and unlinked results (site order).
fn compare_each(site: &Site, work: Vec<(usize, Vec<MeasureRef>, Vec<usize>)>) -> Vec<IndicatorComparison> {
    let name_rank = &site.name_rank;
    use rayon::prelude::*;
    work.into_par_iter()
        .map(|(ii, measures, results)| {
            let direction = site.indicators[ii].direction;
            // Each measure's class and bound, once: the level above is looked up among the
            // indicator's measures by unit, not searched, and compared by position.
            // On every core within the indicator too: a save that changes one level
            // compares that one indicator again, over every unit of a national site.
            let keys: Vec<ClassKey> = measures.par_iter().map(|&mr| ClassKey::of(site.measure(mr))).collect();
            let bounds: Vec<Option<f64>> = measures
                .par_iter()
                .map(|&mr| {
                    let m = site.measure(mr);
                    bound(m, site.direction(m))
                })
                .collect();
            let mut by_unit: std::collections::HashMap<usize, Vec<usize>> = Default::default();
            for (i, &mr) in measures.iter().enumerate() {
                by_unit.entry(site.documents[mr.doc()].unit).or_default().push(i);
            }
            let compared: Vec<ComparedMeasure> = measures
                .par_iter()
                .enumerate()
                .map(|(i, &mr)| ComparedMeasure {
                    measure: mr,
                    unit: site.documents[mr.doc()].unit,
                    bound: bounds[i],
                    higher: higher_level(site, i, &measures, &keys, &bounds, &by_unit),
                })
                .collect();
            let mut by_class: BTreeMap<&ClassKey, Vec<ComparedMeasure>> = BTreeMap::new();
            for (i, c) in compared.into_iter().enumerate() {
                by_class.entry(&keys[i]).or_default().push(c);
            }
            let classes: Vec<(ClassKey, Vec<ComparedMeasure>)> =
                by_class.into_iter().map(|(k, e)| (k.clone(), e)).collect();
            let classes: Vec<Class> = classes
                .into_iter()
                .map(|(key, mut entries)| {
                    entries.par_sort_by(|a, b| {
                        let by_bound = match (a.bound, b.bound) {
                            (Some(x), Some(y)) => ambition(y, x, direction),
                            (Some(_), None) => Ordering::Less,
                            (None, Some(_)) => Ordering::Greater,
                            (None, None) => Ordering::Equal,
                        };
                        by_bound.then_with(|| name_rank[a.unit].cmp(&name_rank[b.unit])).then_with(|| {
                            (a.measure.doc(), a.measure.target(), a.measure.measure()).cmp(&(
                                b.measure.doc(),
                                b.measure.target(),
                                b.measure.measure(),
                            ))
                        })
                    });
                    entries.shrink_to_fit();
                    Class { key, main: false, term: None, entries }
                })
                .collect();
            let mut classes: Vec<Class> = classes.into_iter().flat_map(|c| split_by_term(site, c)).collect();
            // The main class: plain levels first, then the most measures (a class split
            // by term counts them all), then the newest term.
            let mut sizes: BTreeMap<ClassKey, usize> = BTreeMap::new();
            for c in &classes {
                *sizes.entry(c.key.clone()).or_default() += c.entries.len();
            }
            classes.sort_by_cached_key(|c| {
                (!c.key.is_plain(), std::cmp::Reverse(sizes[&c.key]), c.key.clone(), std::cmp::Reverse(c.term))
            });
            if let Some(first) = classes.first_mut() {
                first.main = true;
            }
            let mut units: Vec<usize> = measures.iter().map(|m| site.documents[m.doc()].unit).collect();
            units.sort_by(|a, b| name_rank[*a].cmp(&name_rank[*b]).then(a.cmp(b)));
            units.dedup();
            let mut roots: Vec<usize> = units.iter().map(|&u| site.root(u)).collect();
            roots.sort_unstable();
            roots.dedup();
            IndicatorComparison { indicator: ii, classes, unlinked_results: results, units, roots }
        })
        .collect()
}

/// A class as one, or by term when it holds a unit and one the unit became (through
/// one merger or several): an old ward's 2020–2025 target and its new ward's 2025–2030
/// target are the same place at two times, not two places to rank. Each part keeps the
/// class's order; newest term first.
fn split_by_term(site: &Site, class: Class) -> Vec<Class> {
    // Most classes hold no unit that became another: no set is built for them.
    if class.entries.iter().all(|e| site.units[e.unit].succeeded_by.is_empty()) {
        return vec![class];
    }
    let units: std::collections::HashSet<usize> = class.entries.iter().map(|e| e.unit).collect();
    let successor_too = units.iter().any(|&u| {
        let mut stack = vec![u];
        let mut seen = vec![u];
        while let Some(x) = stack.pop() {
            for p in &site.units[x].succeeded_by {
                if let Some(&s) = site.unit_by_path.get(p)
                    && !seen.contains(&s)
                {
                    if units.contains(&s) {
                        return true;
                    }
                    seen.push(s);
                    stack.push(s);
                }
            }
        }
        false
    });
    if !successor_too {
        return vec![class];
    }
    let mut by_term: BTreeMap<std::cmp::Reverse<Option<crate::model::Term>>, Vec<ComparedMeasure>> = BTreeMap::new();
    for e in class.entries {
        by_term.entry(std::cmp::Reverse(site.documents[e.measure.doc()].term)).or_default().push(e);
    }
    by_term.into_iter().map(|(t, entries)| Class { key: class.key.clone(), main: false, term: t.0, entries }).collect()
}

/// For each term with targets compared: how many units set them, and the root units
/// those are in (index order). Found once, so the matrix pages, the page
/// list and `serve` need not scan them again.
pub(crate) fn term_spread(site: &Site) -> BTreeMap<crate::model::Term, (usize, Vec<usize>)> {
    // Every measure with an indicator is a row of its comparison: the documents are read
    // in order instead of following each row to its document.
    let mut seen: BTreeMap<crate::model::Term, Vec<bool>> = BTreeMap::new();
    for d in &site.documents {
        if let Some(t) = d.term
            && d.targets.iter().flat_map(|t| &t.measures).any(|m| m.indicator().is_some())
        {
            seen.entry(t).or_insert_with(|| vec![false; site.units.len()])[d.unit] = true;
        }
    }
    seen.into_iter()
        .map(|(t, units)| {
            let mut roots = vec![false; site.units.len()];
            let mut n = 0;
            for (u, _) in units.iter().enumerate().filter(|(_, s)| **s) {
                n += 1;
                roots[site.root(u)] = true;
            }
            (t, (n, roots.iter().enumerate().filter(|(_, r)| **r).map(|(u, _)| u).collect()))
        })
        .collect()
}

/// The nearest unit above the unit of measure `i` (a position in `measures`) that set
/// the same indicator, measured the same way, for an overlapping term.
fn higher_level(
    site: &Site,
    i: usize,
    measures: &[MeasureRef],
    keys: &[ClassKey],
    bounds: &[Option<f64>],
    by_unit: &std::collections::HashMap<usize, Vec<usize>>,
) -> Option<HigherLevel> {
    let mr = measures[i];
    let mine = bounds[i]?;
    let doc = &site.documents[mr.doc()];
    let dir = site.direction(site.measure(mr));
    // Nearest first: the parent, then its parent.
    let mut above = site.units[doc.unit].parent;
    while let Some(a) = above {
        for &j in by_unit.get(&a).map(Vec::as_slice).unwrap_or(&[]) {
            let od = &site.documents[measures[j].doc()];
            let overlap = match (doc.term, od.term) {
                (Some(x), Some(y)) => x.start <= y.end && y.start <= x.end,
                _ => true,
            };
            if overlap
                && keys[j] == keys[i]
                && let Some(theirs) = bounds[j]
            {
                return Some(HigherLevel {
                    measure: measures[j],
                    unit: a,
                    ambition: ambition(mine, theirs, dir).into(),
                });
            }
        }
        above = site.units[a].parent;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ambition_follows_the_direction() {
        assert_eq!(ambition(98.0, 95.0, Direction::Higher), Ordering::Greater);
        assert_eq!(ambition(0.5, 1.0, Direction::Lower), Ordering::Greater);
        assert_eq!(ambition(5.0, 5.0, Direction::Lower), Ordering::Equal);
    }
}
