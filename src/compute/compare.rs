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

use crate::model::{Direction, Measure, MeasureRef, Op, Per, Relation, Site};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

/// How a measure is measured; measures compare only within one class.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ClassKey {
    pub relation: Option<String>,
    pub unit: String,
    pub per: String,
    pub variant: Option<String>,
    pub qualitative: bool,
}

impl ClassKey {
    pub fn of(m: &Measure) -> ClassKey {
        ClassKey {
            relation: m.relation.map(|r| relation_key(r).to_string()),
            unit: norm(m.unit.as_deref().unwrap_or("")),
            per: match m.per {
                Per::Year => "year".into(),
                Per::Term => "term".into(),
            },
            variant: m.variant.as_deref().map(norm),
            qualitative: m.op == Op::Qualitative,
        }
    }

    /// A plain level with no variant: what an indicator usually means.
    pub fn is_plain(&self) -> bool {
        self.relation.is_none() && self.variant.is_none() && !self.qualitative
    }
}

pub fn relation_key(r: Relation) -> &'static str {
    match r {
        Relation::Exceed => "exceed",
        Relation::Increase => "increase",
        Relation::Decrease => "decrease",
        Relation::Ratio => "ratio",
        Relation::Share => "share",
    }
}

fn norm(s: &str) -> String {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    let s = s.trim();
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s.to_lowercase()
    } else {
        s.nfc().collect::<String>().to_lowercase()
    }
}

/// One measure in a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
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
    /// `Greater`: this target is more ambitious than the higher level's.
    #[serde(serialize_with = "ser_ordering")]
    pub ambition: Ordering,
}

fn ser_ordering<S: serde::Serializer>(o: &Ordering, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match o {
        Ordering::Less => "less",
        Ordering::Equal => "equal",
        Ordering::Greater => "greater",
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Class {
    pub key: ClassKey,
    pub main: bool,
    pub entries: Vec<Entry>,
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
}

pub use super::status::bound;

/// Compare the ambition of two bounds in a direction: `Greater` means `a` asks more.
pub fn ambition(a: f64, b: f64, direction: Direction) -> Ordering {
    let o = a.partial_cmp(&b).unwrap_or(Ordering::Equal);
    match direction {
        Direction::Lower => o.reverse(),
        _ => o,
    }
}

/// Build every indicator's comparison, or only those of `only`.
pub fn compare(site: &Site, only: Option<&std::collections::BTreeSet<usize>>) -> Vec<IndicatorComparison> {
    // Indicator → its measures, in one pass over the site.
    let mut by_indicator: BTreeMap<usize, Vec<MeasureRef>> = BTreeMap::new();
    for (di, d) in site.documents.iter().enumerate() {
        for (ti, t) in d.targets.iter().enumerate() {
            for (mi, m) in t.measures.iter().enumerate() {
                if let Some(ii) = m.indicator_id {
                    by_indicator.entry(ii).or_default().push(MeasureRef { doc: di, target: ti, measure: mi });
                }
            }
        }
    }
    let mut unlinked: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (ri, r) in site.results.iter().enumerate() {
        if r.target.is_none()
            && let Some(ii) = r.indicator_id
        {
            unlinked.entry(ii).or_default().push(ri);
        }
    }
    let name_rank = &site.name_rank;

    // Each indicator is compared on its own: in parallel, in indicator order.
    let work: Vec<(usize, Vec<MeasureRef>, Vec<usize>)> = (0..site.indicators.len())
        .map(|ii| (ii, by_indicator.remove(&ii).unwrap_or_default(), unlinked.remove(&ii).unwrap_or_default()))
        .filter(|(ii, m, r)| (!m.is_empty() || !r.is_empty()) && only.is_none_or(|o| o.contains(ii)))
        .collect();
    use rayon::prelude::*;
    work.into_par_iter()
        .map(|(ii, measures, results)| {
            let direction = site.indicators[ii].direction;
            // Each measure's class and bound, once: the level above is looked up among the
            // indicator's measures by unit, not searched, and compared by position.
            let keys: Vec<ClassKey> = measures.iter().map(|&mr| ClassKey::of(site.measure(mr))).collect();
            let bounds: Vec<Option<f64>> = measures
                .iter()
                .map(|&mr| {
                    let m = site.measure(mr);
                    bound(m, site.direction(m))
                })
                .collect();
            let mut by_unit: std::collections::HashMap<usize, Vec<usize>> = Default::default();
            for (i, &mr) in measures.iter().enumerate() {
                by_unit.entry(site.documents[mr.doc].unit).or_default().push(i);
            }
            let mut by_class: BTreeMap<&ClassKey, Vec<Entry>> = BTreeMap::new();
            for (i, &mr) in measures.iter().enumerate() {
                by_class.entry(&keys[i]).or_default().push(Entry {
                    measure: mr,
                    unit: site.documents[mr.doc].unit,
                    bound: bounds[i],
                    higher: higher_level(site, i, &measures, &keys, &bounds, &by_unit),
                });
            }
            let classes: Vec<(ClassKey, Vec<Entry>)> = by_class.into_iter().map(|(k, e)| (k.clone(), e)).collect();
            let mut classes: Vec<Class> = classes
                .into_iter()
                .map(|(key, mut entries)| {
                    entries.sort_by(|a, b| {
                        let by_bound = match (a.bound, b.bound) {
                            (Some(x), Some(y)) => ambition(y, x, direction),
                            (Some(_), None) => Ordering::Less,
                            (None, Some(_)) => Ordering::Greater,
                            (None, None) => Ordering::Equal,
                        };
                        by_bound.then_with(|| name_rank[a.unit].cmp(&name_rank[b.unit])).then_with(|| {
                            (a.measure.doc, a.measure.target, a.measure.measure).cmp(&(
                                b.measure.doc,
                                b.measure.target,
                                b.measure.measure,
                            ))
                        })
                    });
                    Class { key, main: false, entries }
                })
                .collect();
            // The main class: plain levels first, then the most measures.
            classes.sort_by(|a, b| {
                b.key
                    .is_plain()
                    .cmp(&a.key.is_plain())
                    .then_with(|| b.entries.len().cmp(&a.entries.len()))
                    .then_with(|| a.key.cmp(&b.key))
            });
            if let Some(first) = classes.first_mut() {
                first.main = true;
            }
            let mut units: Vec<usize> = measures.iter().map(|m| site.documents[m.doc].unit).collect();
            units.sort_by(|a, b| name_rank[*a].cmp(&name_rank[*b]).then(a.cmp(b)));
            units.dedup();
            IndicatorComparison { indicator: ii, classes, unlinked_results: results, units }
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
    let doc = &site.documents[mr.doc];
    let dir = site.direction(site.measure(mr));
    // Nearest first: the parent, then its parent.
    let mut above = site.units[doc.unit].parent;
    while let Some(a) = above {
        for &j in by_unit.get(&a).map(Vec::as_slice).unwrap_or(&[]) {
            let od = &site.documents[measures[j].doc];
            let overlap = match (doc.term, od.term) {
                (Some(x), Some(y)) => x.start <= y.end && y.start <= x.end,
                _ => true,
            };
            if overlap
                && keys[j] == keys[i]
                && let Some(theirs) = bounds[j]
            {
                return Some(HigherLevel { measure: measures[j], unit: a, ambition: ambition(mine, theirs, dir) });
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
