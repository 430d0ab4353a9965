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
    /// Indexed [doc][target][measure], like the model.
    pub evaluations: Vec<Vec<Vec<Evaluation>>>,
    pub paces: Vec<Vec<Vec<Option<pace::Pace>>>>,
    pub comparisons: Vec<compare::IndicatorComparison>,
    /// Indicator index → position in `comparisons`.
    pub comparison_of: BTreeMap<usize, usize>,
    /// Per term: units with compared targets, and their root units (compare::term_spread).
    pub term_spread: BTreeMap<crate::model::Term, (usize, Vec<usize>)>,
}

impl Computed {
    pub fn get(&self, r: MeasureRef) -> &Evaluation {
        &self.evaluations[r.doc][r.target][r.measure]
    }

    pub fn pace(&self, r: MeasureRef) -> Option<&pace::Pace> {
        self.paces[r.doc][r.target][r.measure].as_ref()
    }

    pub fn comparison(&self, indicator: usize) -> Option<&compare::IndicatorComparison> {
        self.comparison_of.get(&indicator).map(|&i| &self.comparisons[i])
    }
}

pub fn compute(site: &Site, today: jiff::civil::Date) -> Computed {
    use rayon::prelude::*;
    // Each document's measures are evaluated on their own: in parallel.
    let (evaluations, paces): (Vec<_>, Vec<_>) =
        (0..site.documents.len()).into_par_iter().map(|d| evaluate_document(site, d, today)).unzip();
    let mut computed = Computed { evaluations, paces, ..Default::default() };
    computed.comparisons = compare::compare(site);
    computed.comparison_of = computed.comparisons.iter().enumerate().map(|(i, c)| (c.indicator, i)).collect();
    computed.term_spread = compare::term_spread(site);
    computed
}

type DocEvaluations = (Vec<Vec<Evaluation>>, Vec<Vec<Option<pace::Pace>>>);

/// Statuses and paces of one document's measures.
fn evaluate_document(site: &Site, di: usize, today: jiff::civil::Date) -> DocEvaluations {
    let d = &site.documents[di];
    let term_end = d.term.map(|t| t.end);
    let term_start = d.term.map(|t| t.start);
    let mut de = Vec::with_capacity(d.targets.len());
    let mut dp = Vec::with_capacity(d.targets.len());
    for t in &d.targets {
        let mut te = Vec::with_capacity(t.measures.len());
        let mut tp = Vec::with_capacity(t.measures.len());
        for m in &t.measures {
            let results: Vec<_> = m.results.iter().map(|&r| (r, &site.results[r])).collect();
            let dir = site.direction(m);
            te.push(status::evaluate_at(m, dir, term_end, term_start, &results, today));
            tp.push(pace::pace(m, dir, term_end, results.last().map(|(_, r)| *r)));
        }
        de.push(te);
        dp.push(tp);
    }
    (de, dp)
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
    let docs_set = docs;
    let docs: Vec<usize> = docs.iter().copied().collect();
    let fresh: Vec<DocEvaluations> = docs.par_iter().map(|&d| evaluate_document(site, d, today)).collect();
    for (d, (e, p)) in docs.into_iter().zip(fresh) {
        computed.evaluations[d] = e;
        computed.paces[d] = p;
    }
    let mut by_indicator: BTreeMap<usize, compare::IndicatorComparison> =
        std::mem::take(&mut computed.comparisons).into_iter().map(|c| (c.indicator, c)).collect();
    let again = compare::compare_again(site, &by_indicator, docs_set, indicators);
    for i in indicators {
        by_indicator.remove(i);
    }
    for c in again {
        by_indicator.insert(c.indicator, c);
    }
    computed.comparisons = by_indicator.into_values().collect();
    computed.comparison_of = computed.comparisons.iter().enumerate().map(|(i, c)| (c.indicator, i)).collect();
    computed.term_spread = compare::term_spread(site);
}

/// Follow results numbered again (`model::build::Replaced`): an evaluation resting on a
/// result that is gone loses it (its document is evaluated again anyway).
pub fn renumber_results(computed: &mut Computed, moved: &[Option<usize>]) {
    for e in computed.evaluations.iter_mut().flatten().flatten() {
        if let Some(r) = e.result {
            e.result = moved.get(r).copied().flatten();
        }
    }
}

/// The status of a measure after each of its results, oldest first: what changed when.
pub fn history(site: &Site, r: MeasureRef) -> Vec<(usize, Evaluation)> {
    let d = &site.documents[r.doc];
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
    use crate::model::{Measure, Op, Per, ResultRecord};
    use crate::vi::date::parse;

    /// A term measure in % with one bound.
    pub fn measure(op: Op, value: f64) -> Measure {
        Measure {
            indicator_id: None,
            label: None,
            op,
            value: Some(value),
            min: None,
            max: None,
            unit: Some("%".into()),
            per: Per::Term,
            deadline: None,
            relation: None,
            baseline: None,
            baseline_value: None,
            baseline_date: None,
            variant: None,
            results: vec![],
        }
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
