//! What the site derives from the model, once per build: each measure's status
//! (status.rs), the pace still needed (pace.rs), and the comparisons of each indicator
//! across units (compare.rs). Pages only read these.

pub mod compare;
pub mod pace;
pub mod status;

use crate::model::{MeasureRef, Site};
use status::{Evaluation, Status};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct Computed {
    /// Per document, like the model.
    pub documents: Vec<DocEvaluations>,
    pub comparisons: Vec<compare::IndicatorComparison>,
    /// Indicator index → position in `comparisons`.
    pub comparison_of: BTreeMap<usize, usize>,
    /// Per term: units with compared targets, and their root units (compare::term_spread).
    pub term_spread: BTreeMap<crate::model::Term, (usize, Vec<usize>)>,
}

/// One document's statuses and paces, one per measure, flat in reading order: most
/// targets have one measure, and a vector per target would weigh more than its content.
#[derive(Debug, Clone, Default)]
pub struct DocEvaluations {
    /// Where each target's measures start.
    start: Vec<u32>,
    evaluations: Vec<Evaluation>,
    /// Boxed: one measure in ten has a pace, and an empty box costs 8 bytes, not 48.
    paces: Vec<Option<Box<pace::Pace>>>,
}

impl DocEvaluations {
    fn at(&self, r: MeasureRef) -> usize {
        self.start[r.target()] as usize + r.measure()
    }

    /// Bytes held, for the `model_size` example.
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.start.capacity() * 4
            + self.evaluations.capacity() * std::mem::size_of::<Evaluation>()
            + self.paces.capacity() * 8
            + self.paces.iter().flatten().count() * std::mem::size_of::<pace::Pace>()
    }
}

impl Computed {
    pub fn get(&self, r: MeasureRef) -> &Evaluation {
        let d = &self.documents[r.doc()];
        &d.evaluations[d.at(r)]
    }

    pub fn pace(&self, r: MeasureRef) -> Option<&pace::Pace> {
        let d = &self.documents[r.doc()];
        d.paces[d.at(r)].as_deref()
    }

    pub fn comparison(&self, indicator: usize) -> Option<&compare::IndicatorComparison> {
        self.comparison_of.get(&indicator).map(|&i| &self.comparisons[i])
    }

    /// What is derived from the comparisons as a whole, once they are in place.
    fn index_comparisons(&mut self, site: &Site) {
        self.comparison_of = self.comparisons.iter().enumerate().map(|(i, c)| (c.indicator, i)).collect();
        self.term_spread = compare::term_spread(site);
    }
}

pub fn compute(site: &Site, today: jiff::civil::Date) -> Computed {
    use rayon::prelude::*;
    // Each document's measures are evaluated on their own: in parallel.
    let documents = (0..site.documents.len()).into_par_iter().map(|d| evaluate_document(site, d, today)).collect();
    let mut computed = Computed { documents, ..Default::default() };
    computed.comparisons = compare::compare(site);
    computed.index_comparisons(site);
    computed
}

/// Statuses and paces of one document's measures.
fn evaluate_document(site: &Site, di: usize, today: jiff::civil::Date) -> DocEvaluations {
    let d = &site.documents[di];
    let term_end = d.term.map(|t| t.end);
    let term_start = d.term.map(|t| t.start);
    let n = d.targets.iter().map(|t| t.measures.len()).sum();
    let mut out = DocEvaluations {
        start: Vec::with_capacity(d.targets.len()),
        evaluations: Vec::with_capacity(n),
        paces: Vec::with_capacity(n),
    };
    for t in &d.targets {
        out.start.push(out.evaluations.len() as u32);
        for m in &t.measures {
            let results: Vec<_> = m.results.iter().map(|&r| (r, &site.results[r])).collect();
            let dir = site.direction(m);
            out.evaluations.push(status::evaluate_at(m, dir, term_end, term_start, &results, today));
            out.paces.push(pace::pace(m, dir, term_end, results.last().map(|(_, r)| *r)).map(Box::new));
        }
    }
    out
}

/// After an edit (`serve`): evaluate again the measures of `docs` and compare again the
/// `indicators`; everything else is kept. Gives what `compute` gives on the same site,
/// provided `docs` holds every document whose measures' results changed and
/// `indicators` every indicator of a measure or result that changed.
pub fn update(
    computed: &mut Computed,
    site: &Site,
    today: jiff::civil::Date,
    docs: &std::collections::BTreeSet<usize>,
    indicators: &std::collections::BTreeSet<usize>,
) {
    use rayon::prelude::*;
    let list: Vec<usize> = docs.iter().copied().collect();
    let fresh: Vec<DocEvaluations> = list.par_iter().map(|&d| evaluate_document(site, d, today)).collect();
    for (d, e) in list.into_iter().zip(fresh) {
        computed.documents[d] = e;
    }
    // An edit of text or of a result leaves every comparison as it was.
    if indicators.is_empty() {
        return;
    }
    let mut by_indicator: BTreeMap<usize, compare::IndicatorComparison> =
        std::mem::take(&mut computed.comparisons).into_iter().map(|c| (c.indicator, c)).collect();
    let again = compare::compare_again(site, &by_indicator, docs, indicators);
    for i in indicators {
        by_indicator.remove(i);
    }
    for c in again {
        by_indicator.insert(c.indicator, c);
    }
    computed.comparisons = by_indicator.into_values().collect();
    computed.index_comparisons(site);
}

/// Follow results numbered again (`model::build::Replaced`): an evaluation resting on a
/// result that is gone loses it (its document is evaluated again anyway).
pub fn renumber_results(computed: &mut Computed, moved: &[Option<usize>]) {
    for e in computed.documents.iter_mut().flat_map(|d| &mut d.evaluations) {
        if let Some(r) = e.result {
            e.result = moved.get(r).copied().flatten();
        }
    }
}

/// The status of a measure after each of its results, oldest first: what changed when.
pub fn history(site: &Site, r: MeasureRef) -> Vec<(usize, Evaluation)> {
    let d = &site.documents[r.doc()];
    let m = site.measure(r);
    let all: Vec<_> = m.results.iter().map(|&ri| (ri, &site.results[ri])).collect();
    (1..=all.len())
        .map(|n| (all[n - 1].0, status::evaluate(m, site.direction(m), d.term.map(|t| t.end), &all[..n])))
        .collect()
}

/// Counts by status, in the order statuses are shown.
pub fn count<'a>(evals: impl Iterator<Item = &'a Evaluation>) -> Vec<(Status, usize)> {
    let mut counts = [0usize; 6];
    for e in evals {
        counts[Status::ALL.iter().position(|s| *s == e.status).unwrap()] += 1;
    }
    Status::ALL.iter().zip(counts).map(|(s, n)| (*s, n)).collect()
}

/// Measures and results for the unit tests of status and pace.
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::model::{Measure, Op, ResultRecord};
    use crate::vi::date::parse;

    /// A term measure in % with one bound.
    pub fn measure(op: Op, value: f64) -> Measure {
        Measure { unit: Some("%".into()), ..Measure::new(op, Some(value)) }
    }

    pub fn result(value: Option<f64>, as_of: &str) -> ResultRecord {
        ResultRecord {
            indicator_id: None,
            doc: 0,
            number: 1,
            target: None,
            label: None,
            value,
            of: None,
            unit: None,
            share_of_target: None,
            verdict: None,
            as_of: parse(as_of).unwrap(),
            is_final: false,
            quote: "q".into(),
            note: None,
        }
    }
}
