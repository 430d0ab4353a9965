//! What the site derives from the model, once per build: each measure's status
//! (status.rs), the pace still needed (pace.rs), and the comparisons of each indicator
//! across units (compare.rs). Pages only read these.

pub mod compare;
pub(crate) mod pace;
pub(crate) mod status;

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
    pub(crate) fn get(&self, r: MeasureRef) -> &Evaluation {
        let d = &self.documents[r.doc()];
        &d.evaluations[d.at(r)]
    }

    pub fn pace(&self, r: MeasureRef) -> Option<&pace::Pace> {
        let d = &self.documents[r.doc()];
        d.paces[d.at(r)].as_deref()
    }

    pub(crate) fn comparison(&self, indicator: usize) -> Option<&compare::IndicatorComparison> {
        self.comparison_of.get(&indicator).map(|&i| &self.comparisons[i])
    }

    /// What is derived from the comparisons as a whole, once they are in place.
    fn index_comparisons(&mut self, site: &Site) {
        self.comparison_of = self.comparisons.iter().enumerate().map(|(i, c)| (c.indicator, i)).collect();
        self.term_spread = compare::term_spread(site);
    }
}

pub(crate) fn compute(site: &Site, today: jiff::civil::Date) -> Computed {
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
pub(crate) fn update(
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
    let mut laps = crate::engine::Laps::start();
    let mut by_indicator: BTreeMap<usize, compare::IndicatorComparison> =
        std::mem::take(&mut computed.comparisons).into_iter().map(|c| (c.indicator, c)).collect();
    let again = compare::compare_again(site, &by_indicator, docs, indicators);
    laps.lap("  compare");
    for i in indicators {
        by_indicator.remove(i);
    }
    for c in again {
        by_indicator.insert(c.indicator, c);
    }
    computed.comparisons = by_indicator.into_values().collect();
    laps.lap("  put back");
    computed.index_comparisons(site);
    laps.lap("  index");
}

/// Follow results numbered again (`model::build::Replaced`): statuses and the results
/// without a target listed by each comparison. An evaluation resting on a result that is
/// gone loses it (its document is evaluated again anyway); a comparison drops such a
/// result, so the indicators of the changed documents' results without a target must be
/// compared again (the caller's part).
pub(crate) fn renumber_results(computed: &mut Computed, moved: &[Option<usize>]) {
    for e in computed.documents.iter_mut().flat_map(|d| &mut d.evaluations) {
        if let Some(r) = e.result {
            e.result = moved.get(r).copied().flatten();
        }
    }
    for c in &mut computed.comparisons {
        let mut list: Vec<usize> = c.unlinked_results.iter().filter_map(|&r| moved.get(r).copied().flatten()).collect();
        // In site order, as `compare` lists them.
        list.sort_unstable();
        c.unlinked_results = list;
    }
}

/// The status of a measure after each of its results, oldest first: what changed when.
pub(crate) fn history(site: &Site, r: MeasureRef) -> Vec<(usize, Evaluation)> {
    let d = &site.documents[r.doc()];
    let m = site.measure(r);
    let all: Vec<_> = m.results.iter().map(|&ri| (ri, &site.results[ri])).collect();
    (1..=all.len())
        .map(|n| (all[n - 1].0, status::evaluate(m, site.direction(m), d.term.map(|t| t.end), &all[..n])))
        .collect()
}

/// Counts by status, in the order statuses are shown.
pub(crate) fn count<'a>(evals: impl Iterator<Item = &'a Evaluation>) -> Vec<(Status, usize)> {
    let mut counts = [0usize; Status::ALL.len()];
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
    pub(crate) fn measure(op: Op, value: f64) -> Measure {
        Measure { unit: Some("%".into()), ..Measure::new(op, Some(value)) }
    }

    pub(crate) fn result(value: Option<f64>, as_of: &str) -> ResultRecord {
        ResultRecord {
            indicator_id: None,
            doc: 0,
            number: 1,
            target: None,
            label: None,
            bound: None,
            value,
            of: None,
            unit: None,
            written: None,
            share_of_target: None,
            verdict: None,
            as_of: parse(as_of).unwrap(),
            covers: None,
            is_final: false,
            quote: "q".into(),
            note: None,
            page: None,
        }
    }
}

/// Status and pace give the same answer to "is the target satisfied?", for every op,
/// direction and relation: a satisfied target has no pace, an unsatisfied one (with time
/// left) has a pace that leads to a figure the status calls satisfied.
#[cfg(test)]
mod agreement {
    use super::fixtures::{measure, result};
    use super::pace::pace;
    use super::status::{Status, evaluate};
    use crate::model::{Direction, Measure, Op, Per, Relation, ResultRecord};

    /// The figures tried against `10` (single bound) or `10–12` (range).
    const FIGURES: [f64; 5] = [8.0, 10.0, 11.0, 12.0, 15.0];

    /// For each op and direction, one letter per figure: `s` satisfied, `b` satisfied
    /// and beyond (vượt), `u` must rise, `d` must fall, `o` on a strict bound (not
    /// satisfied, and no amount to name).
    const TABLE: &[(Op, Direction, &str)] = &[
        (Op::Lt, Direction::Higher, "soddd"),
        (Op::Lt, Direction::Lower, "soddd"),
        (Op::Lt, Direction::None, "soddd"),
        (Op::Le, Direction::Higher, "ssddd"),
        (Op::Le, Direction::Lower, "bsddd"),
        (Op::Le, Direction::None, "bsddd"),
        (Op::Eq, Direction::Higher, "usbbb"),
        (Op::Eq, Direction::Lower, "bsddd"),
        (Op::Eq, Direction::None, "usddd"),
        (Op::Ge, Direction::Higher, "usbbb"),
        // "ít nhất 10" of an indicator where lower is better: 11 satisfies the target
        // but is no better than 10, so not "vượt".
        (Op::Ge, Direction::Lower, "ussss"),
        (Op::Ge, Direction::None, "usbbb"),
        (Op::Gt, Direction::Higher, "uosss"),
        (Op::Gt, Direction::Lower, "uosss"),
        (Op::Gt, Direction::None, "uosss"),
        // Issue 14: 15 against 10–12 where higher is better is beyond the range, and
        // needs no "Cần giảm".
        (Op::Range, Direction::Higher, "usssb"),
        (Op::Range, Direction::Lower, "bsssd"),
        (Op::Range, Direction::None, "usssd"),
    ];

    fn make(op: Op, relation: Option<Relation>, per: Per) -> Measure {
        let mut m = measure(op, 10.0);
        if op == Op::Range {
            m.value = None;
            m.extra_mut().min = Some(10.0);
            m.extra_mut().max = Some(12.0);
        }
        m.relation = relation;
        m.per = per;
        m
    }

    fn status(m: &Measure, d: Direction, r: &ResultRecord) -> Status {
        evaluate(m, d, Some(2025), &[(0, r)]).status
    }

    #[test]
    fn status_and_pace_agree_for_every_op_direction_and_relation() {
        let relations = [
            None,
            Some(Relation::Exceed),
            Some(Relation::Increase),
            Some(Relation::Decrease),
            Some(Relation::Ratio),
            Some(Relation::Share),
        ];
        let mut failures = Vec::new();
        for &(op, dir, letters) in TABLE {
            for (&v, want) in FIGURES.iter().zip(letters.chars()) {
                for relation in relations {
                    for per in [Per::Term, Per::Year] {
                        let m = make(op, relation, per);
                        let case = format!("{op:?} {dir:?} {relation:?} {per:?} at {v}");
                        let final_ = result(Some(v), "2025-12-31");
                        // Nine months into 2022: interim for the term and for the year.
                        let interim = result(Some(v), "2022-09-30");
                        let mut marked = interim.clone();
                        marked.is_final = true;

                        let satisfied = matches!(want, 's' | 'b');
                        let final_status = match want {
                            'b' => Status::Exceeded,
                            's' => Status::Met,
                            _ => Status::NotMet,
                        };
                        let interim_status = if satisfied { Status::OnTrack } else { Status::Behind };
                        let got = (status(&m, dir, &final_), status(&m, dir, &interim), status(&m, dir, &marked));
                        if got != (final_status, interim_status, final_status) {
                            failures.push(format!("{case}: status {got:?}, want {final_status:?}/{interim_status:?}"));
                        }

                        // A final status leaves no pace; neither does a relative or an annual target.
                        for (what, r) in [("final", &final_), ("marked final", &marked)] {
                            if let Some(p) = pace(&m, dir, Some(2025), Some(r)) {
                                failures.push(format!("{case}: pace {:+} after a {what} result", p.per_year));
                            }
                        }
                        let p = pace(&m, dir, Some(2025), Some(&interim));
                        let want_pace = match want {
                            'u' if relation.is_none() && per == Per::Term => Some(true),
                            'd' if relation.is_none() && per == Per::Term => Some(false),
                            _ => None,
                        };
                        let got_pace = p.map(|p| p.per_year > 0.0);
                        if got_pace != want_pace {
                            failures.push(format!("{case}: pace rising {got_pace:?}, want {want_pace:?}"));
                        }
                        // Where the pace leads (or a hair past it, for a strict bound),
                        // the status says satisfied.
                        if let Some(p) = p {
                            let at = p.from_value + p.per_year * p.years_left;
                            let past = at + p.per_year.signum() * 1e-6;
                            let ends: Vec<Status> =
                                [at, past].iter().map(|&x| status(&m, dir, &result(Some(x), "2025-12-31"))).collect();
                            if !ends.iter().any(|s| matches!(s, Status::Met | Status::Exceeded)) {
                                failures.push(format!("{case}: the pace leads to {at}, which is {ends:?}"));
                            }
                        }
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{} disagreements:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn no_pace_from_an_old_baseline_past_a_newer_verdict_or_share() {
        let mut m = make(Op::Ge, None, Per::Term);
        m.extra_mut().baseline_value = Some(2.0);
        m.extra_mut().baseline_date = Some(crate::vi::date::parse("2020-12-31").unwrap());
        assert!(pace(&m, Direction::Higher, Some(2025), None).is_some(), "no result yet: from the baseline");
        let mut verdict = result(None, "2023-05-18");
        verdict.verdict = Some(crate::model::Verdict::Met);
        assert_eq!(status(&m, Direction::Higher, &verdict), Status::Met);
        assert!(pace(&m, Direction::Higher, Some(2025), Some(&verdict)).is_none());
        let mut share = result(None, "2023-05-18");
        share.share_of_target = Some(120.0);
        assert_eq!(status(&m, Direction::Higher, &share), Status::OnTrack);
        assert!(pace(&m, Direction::Higher, Some(2025), Some(&share)).is_none());
    }
}
