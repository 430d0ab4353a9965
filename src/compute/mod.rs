//! What the site derives from the model: each measure's status, and the counts by
//! status that the home, unit and group pages show.

pub mod status;

use crate::model::{MeasureRef, Site};
use status::{Evaluation, Status};
use std::collections::BTreeMap;

/// Statuses of every measure, computed once per build and shared by all pages.
#[derive(Debug, Clone, Default)]
pub struct Computed {
    /// Keyed by (doc, target, measure).
    pub evaluations: BTreeMap<(usize, usize, usize), Evaluation>,
}

impl Computed {
    pub fn get(&self, r: MeasureRef) -> &Evaluation {
        &self.evaluations[&(r.doc, r.target, r.measure)]
    }
}

pub fn compute(site: &Site) -> Computed {
    let mut evaluations = BTreeMap::new();
    for (di, d) in site.documents.iter().enumerate() {
        let term_end = d.term.map(|t| t.end);
        for (ti, t) in d.targets.iter().enumerate() {
            for (mi, m) in t.measures.iter().enumerate() {
                let results: Vec<_> = m.results.iter().map(|&r| (r, &site.results[r])).collect();
                let e = status::evaluate(m, site.direction(m), term_end, &results);
                evaluations.insert((di, ti, mi), e);
            }
        }
    }
    Computed { evaluations }
}

/// Counts by status, in the order statuses are shown.
pub fn count<'a>(evals: impl Iterator<Item = &'a Evaluation>) -> Vec<(Status, usize)> {
    let mut counts: BTreeMap<Status, usize> = BTreeMap::new();
    for e in evals {
        *counts.entry(e.status).or_default() += 1;
    }
    Status::ALL
        .iter()
        .map(|s| (*s, counts.get(s).copied().unwrap_or(0)))
        .collect()
}
