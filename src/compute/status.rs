//! A measure's status: the one rule that turns a target and its latest result into
//! "vượt", "đạt", "đúng tiến độ", "chậm tiến độ", "chưa đạt", "quá hạn, chưa báo cáo" or
//! "chưa có số liệu".
//!
//! The rule, in order (the site publishes it on its "Cách tính trạng thái" page):
//!
//! 1. **No result** for the measure → `NoData` (chưa có số liệu), or `Overdue` (quá hạn,
//!    chưa báo cáo) once the period it is judged over has ended. Missing data is never
//!    shown as failure; past the deadline it is a state of its own, because that is what
//!    a reader checking on promises looks for first.
//! 2. The **latest result** counts (by its as-of date; for an annual target, the latest
//!    year reported). Its figure is compared with the target:
//!    - a fraction (`08/08`) is a percentage when the target is in `%`, else its numerator;
//!    - a share of the target ("đạt 60% so với Nghị quyết") meets the target at 100%;
//!    - a result with no figure uses the document's own verdict (đạt, vượt, đạt và vượt,
//!      chưa đạt, đang thực hiện …); so do qualitative targets (key works, "giữ vững …").
//! 3. The result is **final** when its date reaches the end of the period it is judged
//!    for: the end of its year for an annual target ("hàng năm"), else the deadline
//!    (by default the end of the term). A final result that satisfies the target is
//!    `Met` (đạt), or `Exceeded` (vượt) when it goes beyond an "at least" / "at most" /
//!    exact / range target in the indicator's good direction; one that does not is
//!    `NotMet` (chưa đạt).
//! 4. A result **before the end** of its period is interim: satisfying the target
//!    already is `OnTrack` (đúng tiến độ). Otherwise, when the target states a baseline
//!    value and date, the straight line from the baseline to the bound the figure has
//!    to reach gives the value expected by the result's date: as far along or further
//!    is `OnTrack`, short of it `Behind` (chậm tiến độ). Without a baseline an interim
//!    shortfall is `Behind`.
//!
//! "Satisfies" is [`standing`]'s answer, the same one the pace (pace.rs) rests on.
//! Whether higher is better comes from the indicator (hộ nghèo, phạm pháp hình sự:
//! lower is better), else from the op (`<` means lower is better).

use crate::model::names::named_enum;
use crate::model::{Direction, Measure, Op, Per, ResultRecord, Verdict};
use crate::vi::date::VnDate;
use jiff::civil::Date;
use serde::Serialize;

named_enum! {
    /// A measure's status; its name is the CSS class (`status-on-track`) and the
    /// translation string (`status.on-track`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Status in "status" {
        Exceeded = "exceeded",
        Met = "met",
        OnTrack = "on-track",
        Behind = "behind",
        NotMet = "not-met",
        Overdue = "overdue",
        NoData = "no-data",
    }
}

named_enum! {
    /// How the status was reached, for the explanation shown next to it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Basis in "basis" {
        NoResult = "no-result",
        Final = "final",
        Interim = "interim",
        Pace = "pace",
        Verdict = "verdict",
        ShareOfTarget = "share-of-target",
        /// The result is a bound ("trên 98%") that cannot tell whether the target is met.
        Bound = "bound",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Evaluation {
    pub status: Status,
    pub basis: Basis,
    /// The result the status rests on (index into `Site::results`).
    pub result: Option<usize>,
    /// The figure compared with the target (a fraction already turned into %).
    pub compared: Option<f64>,
    /// For an interim result with a baseline: the value expected by its date.
    pub expected: Option<f64>,
    /// For an annual target: the year judged.
    pub year: Option<i16>,
    /// No result although the deadline has passed: the status is then `Overdue`, never
    /// a failure, so a reader knows the data is missing rather than not yet due.
    pub overdue: bool,
}

/// `evaluate`, plus whether a measure without any result is past its deadline at `today`
/// (then `Overdue`).
pub(crate) fn evaluate_at(
    m: &Measure,
    direction: Direction,
    term_end: Option<i16>,
    term_start: Option<i16>,
    results: &[(usize, &ResultRecord)],
    today: Date,
) -> Evaluation {
    let mut e = evaluate(m, direction, term_end, results);
    if e.status == Status::NoData && e.result.is_none() {
        e.overdue = match m.per {
            Per::Year => term_start.is_some_and(|y| today.year() > y),
            Per::Term => deadline(m, term_end).is_some_and(|d| today > d),
        };
        if e.overdue {
            e.status = Status::Overdue;
        }
    }
    e
}

/// The end of the period a measure is judged over, given the document's term end.
pub(crate) fn deadline(m: &Measure, term_end: Option<i16>) -> Option<Date> {
    m.deadline.map(|d| d.end()).or_else(|| term_end.and_then(|y| Date::new(y, 12, 31).ok()))
}

/// Evaluate one measure. `results` are the measure's results, oldest first, with their
/// indices; `direction` is where the indicator improves.
pub(crate) fn evaluate(
    m: &Measure,
    direction: Direction,
    term_end: Option<i16>,
    results: &[(usize, &ResultRecord)],
) -> Evaluation {
    let Some(&(ri, r)) = results.last() else {
        return Evaluation {
            status: Status::NoData,
            basis: Basis::NoResult,
            result: None,
            compared: None,
            expected: None,
            year: None,
            overdue: false,
        };
    };
    // The date the figure is for: a year-end figure in a May report is the year's.
    let date = r.date();
    let as_of = date.end();
    let (period_end, year) = match m.per {
        Per::Year => (Date::new(date.year, 12, 31).ok(), Some(date.year)),
        Per::Term => (deadline(m, term_end), None),
    };
    let is_final = r.is_final || period_end.is_none_or(|end| as_of >= end);
    let mut eval = Evaluation {
        status: Status::NoData,
        basis: if is_final { Basis::Final } else { Basis::Interim },
        result: Some(ri),
        compared: None,
        expected: None,
        year,
        overdue: false,
    };

    // Qualitative targets, and results without any figure: the document's verdict.
    let figure = comparable(m, r);
    if m.op == Op::Qualitative || (figure.is_none() && r.share_of_target.is_none()) {
        eval.basis = Basis::Verdict;
        eval.status = match r.verdict {
            None => Status::NoData,
            Some(Verdict::Exceeded) | Some(Verdict::MetAndExceeded) => Status::Exceeded,
            Some(Verdict::Met) | Some(Verdict::Done) => Status::Met,
            Some(Verdict::InProgress) if !is_final => Status::OnTrack,
            Some(Verdict::NotStarted) if !is_final => Status::Behind,
            Some(Verdict::InProgress) | Some(Verdict::NotStarted) | Some(Verdict::NotMet) => {
                if is_final {
                    Status::NotMet
                } else {
                    Status::Behind
                }
            }
        };
        return eval;
    }

    // A bound ("trên 98%") settles the status only when every figure it allows stands
    // alike against the target; else the document's verdict, if any, says it.
    if let (Some(op), Some(v)) = (r.bound, figure) {
        match bound_standing(m, direction, op, v) {
            Some(s) => {
                eval.compared = Some(v);
                eval.status = match (is_final, s.satisfied, s.beyond) {
                    (true, true, true) => Status::Exceeded,
                    (true, true, false) => Status::Met,
                    (true, false, _) => Status::NotMet,
                    (false, true, _) => Status::OnTrack,
                    (false, false, _) => Status::Behind,
                };
            }
            None => {
                eval.basis = Basis::Bound;
                eval.status = match r.verdict {
                    Some(Verdict::Exceeded) | Some(Verdict::MetAndExceeded) => Status::Exceeded,
                    Some(Verdict::Met) | Some(Verdict::Done) => Status::Met,
                    Some(Verdict::NotMet) if is_final => Status::NotMet,
                    _ => Status::NoData,
                };
            }
        }
        return eval;
    }

    // "đạt 60% so với Nghị quyết": the share itself is the figure, at least 100 the target.
    let (value, standing) = match figure {
        Some(v) => (v, standing(m, direction, v)),
        None => {
            let share = r.share_of_target.unwrap_or(0.0);
            eval.basis = Basis::ShareOfTarget;
            (share, Level::new(Op::Ge, 100.0, 100.0, Direction::Higher).stand(share))
        }
    };
    eval.compared = Some(value);

    if is_final {
        eval.status = match (standing.satisfied, standing.beyond) {
            (true, true) => Status::Exceeded,
            (true, false) => Status::Met,
            _ => Status::NotMet,
        };
        return eval;
    }
    if standing.satisfied {
        eval.status = Status::OnTrack;
        return eval;
    }
    // Interim shortfall: judge the pace when a baseline makes that possible, on the
    // straight line from the baseline to the bound the figure has to reach.
    if let (Some(bv), Some(bd), Some(end), Some(target), Some(_)) =
        (m.baseline_value(), m.baseline_date(), period_end, standing.reach, figure)
    {
        let start = bd.end();
        let total = (end - start).get_days() as f64;
        let done = (as_of - start).get_days() as f64;
        if total > 0.0 && done >= 0.0 {
            let expected = bv + (target - bv) * (done / total);
            eval.expected = Some(expected);
            eval.basis = Basis::Pace;
            // Ahead means as far along the way to the bound as the line: the way is up
            // when the bound is above the figure.
            let ahead = if target > value { value >= expected } else { value <= expected };
            eval.status = if ahead { Status::OnTrack } else { Status::Behind };
            return eval;
        }
    }
    eval.status = Status::Behind;
    eval
}

/// The figure of a result in the measure's terms, if it has one.
pub(crate) fn comparable(m: &Measure, r: &ResultRecord) -> Option<f64> {
    let v = r.value?;
    match r.of {
        Some(of) if of != 0.0 && m.unit.as_deref().is_some_and(|u| u.trim() == "%") => Some(v / of * 100.0),
        _ => Some(v),
    }
}

/// The bound a measure commits to, in the direction that is better (the number to
/// reach): a range's lower end when higher is better, its upper end when lower is.
pub(crate) fn bound(m: &Measure, direction: Direction) -> Option<f64> {
    match m.op {
        Op::Range => match direction {
            Direction::Lower => m.max(),
            _ => m.min(),
        },
        _ => m.value,
    }
}

const EPS: f64 = 1e-9;

/// How close to a level counts as on it: figures are decimals read from text, and a
/// large sum (1.117.213.000 đồng) carries rounding in its last digits.
pub(crate) fn tol(level: f64) -> f64 {
    EPS.max(level.abs() * 1e-9)
}

/// Where a figure stands against a measure: the one answer to "is the target
/// satisfied?", used by the status (met, exceeded, on track) and the pace (no change is
/// needed once satisfied), so the two never disagree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Standing {
    /// The figure satisfies the measure.
    pub satisfied: bool,
    /// It satisfies it and goes past the stated level in the good direction (vượt).
    pub beyond: bool,
    /// When not satisfied: the bound to reach (a range's nearer end when either way
    /// is good). `None` when satisfied.
    pub reach: Option<f64>,
}

/// Where `v` stands against `m`, whose indicator improves in `direction`.
///
/// What satisfies a measure is what its op promises: `<`, `<=`, `>=`, `>` whatever the
/// indicator says (a cap stays a cap); `=` and `range` are reached from the good side
/// ("đạt 95%" when higher is better is 95 or more; a range 10–12 is 10 or more), and
/// must be hit when neither way is better. Beyond (vượt) is past an `<=`, `>=`, `=` or
/// range level in the good direction; a strict `<` or `>` is met, never exceeded.
pub(crate) fn standing(m: &Measure, direction: Direction, v: f64) -> Standing {
    let level = match m.op {
        Op::Range => m.min().zip(m.max()).map(|(lo, hi)| Level::new(m.op, lo, hi, direction)),
        Op::Qualitative => None,
        _ => m.value.map(|t| Level::new(m.op, t, t, direction)),
    };
    match level {
        Some(level) => level.stand(v),
        None => Standing { satisfied: false, beyond: false, reach: None },
    }
}

/// Where a bound stands against `m`: a result "trên 98%" (`op` `>`, `v` 98) allows every
/// figure above 98. `Some` when all of them stand alike: all satisfy the measure (and
/// all go beyond it, or not), or none does; `None` when the bound cannot tell (trên 98%
/// against a target of 99%).
pub(crate) fn bound_standing(m: &Measure, direction: Direction, op: Op, v: f64) -> Option<Standing> {
    let level = match m.op {
        Op::Range => Level::new(m.op, m.min()?, m.max()?, direction),
        Op::Qualitative => return None,
        _ => Level::new(m.op, m.value?, m.value?, direction),
    };
    // The allowed figure nearest the bound: a strict bound excludes the number itself.
    let step = 1e-6 * v.abs().max(1.0);
    let (near, up) = match op {
        Op::Gt => (v + step, true),
        Op::Ge => (v, true),
        Op::Lt => (v - step, false),
        Op::Le => (v, false),
        _ => return Some(level.stand(v)),
    };
    let s = level.stand(near);
    // Figures run from `near` away to infinity: they all satisfy when the level is
    // unbounded that way and `near` does; none does when `near` is already past the
    // level's far end.
    // Beyond (vượt) is `near`'s: when `near` only meets the level, a figure further
    // on may go past it, so the status claims no more than met.
    let (open_end, far_end) = if up { (level.hi.is_infinite(), level.hi) } else { (level.lo.is_infinite(), level.lo) };
    if s.satisfied && open_end {
        return Some(s);
    }
    let past = if up { near > far_end } else { near < far_end };
    if !s.satisfied && past {
        return Some(s);
    }
    None
}

/// A measure as a set of satisfying figures: from `lo` to `hi` (either may be
/// unbounded), each end closed or open, and the direction that is better.
struct Level {
    lo: f64,
    hi: f64,
    lo_open: bool,
    hi_open: bool,
    /// The level that can be gone past in the good direction (vượt), if any.
    beyond: Option<f64>,
    good: Direction,
}

impl Level {
    fn new(op: Op, lo: f64, hi: f64, direction: Direction) -> Level {
        // Neither way better: `<`/`<=` still say lower is, `>`/`>=` higher (as the
        // site infers a measure's direction without an indicator).
        let good = match (direction, op) {
            (Direction::None, Op::Lt | Op::Le) => Direction::Lower,
            (Direction::None, Op::Gt | Op::Ge) => Direction::Higher,
            (d, _) => d,
        };
        // A range is gone past at its far end in the good direction; `>=`, `<=`, `=`
        // at their only level (then `lo == hi`).
        let beyond = match (op, good) {
            (Op::Ge | Op::Eq | Op::Range, Direction::Higher) => Some(hi),
            (Op::Le | Op::Eq | Op::Range, Direction::Lower) => Some(lo),
            _ => None,
        };
        let (inf, neg) = (f64::INFINITY, f64::NEG_INFINITY);
        let (lo, hi, lo_open, hi_open) = match (op, good) {
            (Op::Lt, _) => (neg, hi, false, true),
            (Op::Le, _) => (neg, hi, false, false),
            (Op::Gt, _) => (lo, inf, true, false),
            (Op::Ge, _) => (lo, inf, false, false),
            (_, Direction::Higher) => (lo, inf, false, false),
            (_, Direction::Lower) => (neg, hi, false, false),
            (_, Direction::None) => (lo, hi, false, false),
        };
        Level { lo, hi, lo_open, hi_open, beyond, good }
    }

    fn stand(&self, v: f64) -> Standing {
        // Closed ends allow for rounding; open ends demand a clear difference.
        let above_lo = if self.lo_open { v > self.lo + tol(self.lo) } else { v >= self.lo - tol(self.lo) };
        let below_hi = if self.hi_open { v < self.hi - tol(self.hi) } else { v <= self.hi + tol(self.hi) };
        let satisfied = above_lo && below_hi;
        let beyond = satisfied
            && match (self.beyond, self.good) {
                (Some(b), Direction::Higher) => v > b + tol(b),
                (Some(b), Direction::Lower) => v < b - tol(b),
                _ => false,
            };
        let reach = match satisfied {
            true => None,
            false if !above_lo => Some(self.lo),
            false => Some(self.hi),
        };
        Standing { satisfied, beyond, reach: reach.filter(|b| b.is_finite()) }
    }
}

/// "Today" for statuses: fixed by config, else SOURCE_DATE_EPOCH, else the clock.
/// A fixed date keeps builds byte-identical across days.
pub(crate) fn status_date(configured: Option<VnDate>) -> Date {
    if let Some(d) = configured {
        return d.end();
    }
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok())
        && let Ok(ts) = jiff::Timestamp::from_second(secs)
    {
        return ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    }
    jiff::ZonedDateTime::now().date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::fixtures::{measure, result};
    use crate::vi::date::parse;

    fn eval(m: &Measure, dir: Direction, rs: &[ResultRecord]) -> Evaluation {
        let v: Vec<(usize, &ResultRecord)> = rs.iter().enumerate().collect();
        evaluate(m, dir, Some(2025), &v)
    }

    #[test]
    fn no_result_is_no_data_never_failure() {
        let m = measure(Op::Gt, 95.0);
        let e = eval(&m, Direction::Higher, &[]);
        assert_eq!(e.status, Status::NoData);
        assert_eq!(e.basis, Basis::NoResult);
    }

    #[test]
    fn final_result_meets_misses_or_exceeds() {
        let m = measure(Op::Ge, 80.0);
        assert_eq!(eval(&m, Direction::Higher, &[result(Some(80.0), "2025-12-31")]).status, Status::Met);
        assert_eq!(eval(&m, Direction::Higher, &[result(Some(85.0), "2025-12-31")]).status, Status::Exceeded);
        assert_eq!(eval(&m, Direction::Higher, &[result(Some(79.9), "2025-12-31")]).status, Status::NotMet);
        // A year-precision date means the whole year: final.
        assert_eq!(eval(&m, Direction::Higher, &[result(Some(81.0), "2025")]).basis, Basis::Final);
    }

    #[test]
    fn a_bound_settles_the_status_only_when_it_can() {
        let bound = |op, v: f64, at: &str| ResultRecord { bound: Some(op), ..result(Some(v), at) };
        let at_least_95 = measure(Op::Ge, 95.0);
        // "trên 98%" against "ít nhất 95%": every figure it allows is beyond 95.
        let e = eval(&at_least_95, Direction::Higher, &[bound(Op::Gt, 98.0, "2025-12-31")]);
        assert_eq!((e.status, e.basis), (Status::Exceeded, Basis::Final));
        // "từ 95% trở lên" meets 95 and may or may not go past it: met, no more.
        assert_eq!(eval(&at_least_95, Direction::Higher, &[bound(Op::Ge, 95.0, "2025-12-31")]).status, Status::Met);
        // "trên 98%" against "ít nhất 99%": cannot tell, and says so.
        let at_least_99 = measure(Op::Ge, 99.0);
        let e = eval(&at_least_99, Direction::Higher, &[bound(Op::Gt, 98.0, "2025-12-31")]);
        assert_eq!((e.status, e.basis), (Status::NoData, Basis::Bound));
        // ... unless the document judges it itself.
        let judged = ResultRecord { verdict: Some(Verdict::Met), ..bound(Op::Gt, 98.0, "2025-12-31") };
        assert_eq!(eval(&at_least_99, Direction::Higher, &[judged]).status, Status::Met);
        // "dưới 90%" against "ít nhất 95%": none of its figures reaches it.
        assert_eq!(eval(&at_least_95, Direction::Higher, &[bound(Op::Lt, 90.0, "2025-12-31")]).status, Status::NotMet);
        // A cap: "dưới 0,3%" against "dưới 0,5%" is met before the end; "trên 0,6%" behind.
        let cap = measure(Op::Lt, 0.5);
        assert_eq!(eval(&cap, Direction::Lower, &[bound(Op::Lt, 0.3, "2022-12-31")]).status, Status::OnTrack);
        assert_eq!(eval(&cap, Direction::Lower, &[bound(Op::Gt, 0.6, "2022-12-31")]).status, Status::Behind);
        assert_eq!(eval(&cap, Direction::Lower, &[bound(Op::Gt, 0.2, "2022-12-31")]).status, Status::NoData);
        // A strict bound at the level itself: "trên 95%" meets "trên 95%".
        assert_eq!(
            eval(&measure(Op::Gt, 95.0), Direction::Higher, &[bound(Op::Gt, 95.0, "2025-12-31")]).status,
            Status::Met
        );
    }

    #[test]
    fn a_figure_is_judged_at_the_period_it_covers() {
        // A year-end 2025 figure reported in May 2026 is final for a 2025 target; the
        // same figure for 2024 published then is interim.
        let m = measure(Op::Ge, 80.0);
        let covers = |c: &str| ResultRecord { covers: Some(parse(c).unwrap()), ..result(Some(70.0), "2026-05-18") };
        assert_eq!(eval(&m, Direction::Higher, &[covers("2025")]).status, Status::NotMet);
        assert_eq!(eval(&m, Direction::Higher, &[covers("2024")]).status, Status::Behind);
        // An annual target is judged for the year the figure covers.
        let yearly = Measure { per: Per::Year, ..measure(Op::Ge, 80.0) };
        assert_eq!(eval(&yearly, Direction::Higher, &[covers("2024")]).year, Some(2024));
    }

    #[test]
    fn strict_ops_meet_but_do_not_exceed() {
        let m = measure(Op::Gt, 95.0);
        assert_eq!(eval(&m, Direction::Higher, &[result(Some(95.0), "2025-12-31")]).status, Status::NotMet);
        assert_eq!(eval(&m, Direction::Higher, &[result(Some(97.0), "2025-12-31")]).status, Status::Met);
        let lower = measure(Op::Lt, 0.5);
        assert_eq!(eval(&lower, Direction::Lower, &[result(Some(0.4), "2025-12-31")]).status, Status::Met);
        assert_eq!(eval(&lower, Direction::Lower, &[result(Some(3.07), "2025-12-31")]).status, Status::NotMet);
    }

    #[test]
    fn interim_result_is_on_track_or_behind() {
        let lower = measure(Op::Lt, 0.5);
        let e = eval(&lower, Direction::Lower, &[result(Some(3.07), "2022-12-31")]);
        assert_eq!((e.status, e.basis), (Status::Behind, Basis::Interim));
        let e = eval(&lower, Direction::Lower, &[result(Some(0.3), "2022-12-31")]);
        assert_eq!(e.status, Status::OnTrack);
    }

    #[test]
    fn interim_with_baseline_is_judged_on_pace() {
        let mut m = measure(Op::Ge, 700.0);
        m.unit = Some("giếng khoan".into());
        m.extra_mut().baseline_value = Some(0.0);
        m.extra_mut().baseline_date = Some(parse("2020-12-31").unwrap());
        // Two of five years gone: 280 expected.
        let e = eval(&m, Direction::Higher, &[result(Some(350.0), "2022-12-31")]);
        assert_eq!((e.status, e.basis), (Status::OnTrack, Basis::Pace));
        assert!((e.expected.unwrap() - 280.0).abs() < 1.0, "{:?}", e.expected);
        let e = eval(&m, Direction::Higher, &[result(Some(100.0), "2022-12-31")]);
        assert_eq!(e.status, Status::Behind);
    }

    #[test]
    fn the_pace_line_runs_to_the_bound_the_figure_must_reach() {
        // A level 10–12 to hit, from 20 at the end of 2020: the line runs down to 12
        // (not to 10), so half way (end of June 2023) 16 is expected.
        let mut m = measure(Op::Range, 0.0);
        m.value = None;
        m.extra_mut().min = Some(10.0);
        m.extra_mut().max = Some(12.0);
        m.extra_mut().baseline_value = Some(20.0);
        m.extra_mut().baseline_date = Some(parse("2020-12-31").unwrap());
        let e = eval(&m, Direction::None, &[result(Some(15.5), "2023-06-30")]);
        assert_eq!((e.status, e.basis), (Status::OnTrack, Basis::Pace));
        assert!((e.expected.unwrap() - 16.0).abs() < 0.01, "{:?}", e.expected);
        // Falling is the way here: above the line is behind.
        let e = eval(&m, Direction::None, &[result(Some(16.5), "2023-06-30")]);
        assert_eq!((e.status, e.basis), (Status::Behind, Basis::Pace));
    }

    #[test]
    fn a_figure_beyond_a_range_in_the_good_direction_is_on_track_then_exceeded() {
        let mut m = measure(Op::Range, 0.0);
        m.value = None;
        m.extra_mut().min = Some(10.0);
        m.extra_mut().max = Some(12.0);
        assert_eq!(eval(&m, Direction::Higher, &[result(Some(15.0), "2023-05-18")]).status, Status::OnTrack);
        assert_eq!(eval(&m, Direction::Higher, &[result(Some(15.0), "2025-12-31")]).status, Status::Exceeded);
        let s = standing(&m, Direction::Higher, 15.0);
        assert_eq!((s.satisfied, s.beyond, s.reach), (true, true, None));
        assert_eq!(standing(&m, Direction::None, 15.0).reach, Some(12.0));
        assert_eq!(standing(&m, Direction::None, 8.0).reach, Some(10.0));
    }

    #[test]
    fn annual_targets_are_judged_per_year() {
        let mut m = measure(Op::Ge, 10.0);
        m.per = Per::Year;
        m.unit = Some("đảng viên".into());
        let e = eval(&m, Direction::Higher, &[result(Some(12.0), "2021-12-31"), result(Some(8.0), "2022-12-31")]);
        assert_eq!((e.status, e.year), (Status::NotMet, Some(2022)));
        // A 9-month figure is interim for its year.
        let e = eval(&m, Direction::Higher, &[result(Some(8.0), "2023-09-30")]);
        assert_eq!(e.status, Status::Behind);
        let e = eval(&m, Direction::Higher, &[result(Some(11.0), "2023-09-30")]);
        assert_eq!(e.status, Status::OnTrack);
    }

    #[test]
    fn latest_result_wins() {
        let m = measure(Op::Gt, 95.0);
        let e = eval(&m, Direction::Higher, &[result(Some(90.0), "2024-12-31"), result(Some(96.0), "2025-12-31")]);
        assert_eq!((e.status, e.result), (Status::Met, Some(1)));
    }

    #[test]
    fn fractions_become_percentages() {
        let m = measure(Op::Eq, 100.0);
        let mut r = result(Some(8.0), "2025-12-31");
        r.of = Some(8.0);
        let e = eval(&m, Direction::Higher, &[r.clone()]);
        assert_eq!((e.status, e.compared), (Status::Met, Some(100.0)));
        r.value = Some(7.0);
        assert_eq!(eval(&m, Direction::Higher, &[r]).status, Status::NotMet);
    }

    #[test]
    fn share_of_target() {
        let mut m = measure(Op::Ge, 20.0);
        m.unit = Some("đảng viên".into());
        let mut r = result(None, "2023-05-18");
        r.share_of_target = Some(60.0);
        let e = eval(&m, Direction::Higher, &[r.clone()]);
        assert_eq!((e.status, e.basis), (Status::Behind, Basis::ShareOfTarget));
        r.as_of = parse("2025-12-31").unwrap();
        r.share_of_target = Some(110.0);
        assert_eq!(eval(&m, Direction::Higher, &[r]).status, Status::Exceeded);
    }

    #[test]
    fn verdicts_for_qualitative_targets() {
        let mut m = measure(Op::Qualitative, 0.0);
        m.value = None;
        let mut r = result(None, "2023-05-18");
        for (v, final_, expect) in [
            (Verdict::Done, false, Status::Met),
            (Verdict::Met, true, Status::Met),
            (Verdict::Exceeded, true, Status::Exceeded),
            (Verdict::MetAndExceeded, false, Status::Exceeded),
            (Verdict::InProgress, false, Status::OnTrack),
            (Verdict::InProgress, true, Status::NotMet),
            (Verdict::NotStarted, false, Status::Behind),
            (Verdict::NotStarted, true, Status::NotMet),
            (Verdict::NotMet, false, Status::Behind),
            (Verdict::NotMet, true, Status::NotMet),
        ] {
            r.verdict = Some(v);
            r.as_of = parse(if final_ { "2025-12-31" } else { "2023-05-18" }).unwrap();
            let e = eval(&m, Direction::None, &[r.clone()]);
            assert_eq!((e.status, e.basis), (expect, Basis::Verdict), "{v:?} final={final_}");
        }
        r.verdict = None;
        assert_eq!(eval(&m, Direction::None, &[r]).status, Status::NoData);
    }

    #[test]
    fn ranges_follow_the_direction() {
        let mut m = measure(Op::Range, 0.0);
        m.value = None;
        m.extra_mut().min = Some(10.0);
        m.extra_mut().max = Some(12.0);
        let at = |v: f64, d: Direction| eval(&m, d, &[result(Some(v), "2025-12-31")]).status;
        assert_eq!(at(11.0, Direction::Higher), Status::Met);
        assert_eq!(at(13.0, Direction::Higher), Status::Exceeded);
        assert_eq!(at(9.0, Direction::Higher), Status::NotMet);
        assert_eq!(at(13.0, Direction::None), Status::NotMet);
        assert_eq!(at(9.0, Direction::Lower), Status::Exceeded);
    }

    #[test]
    fn exact_and_le_targets() {
        let m = measure(Op::Eq, 0.0);
        let at = |m: &Measure, v: f64, d: Direction| eval(m, d, &[result(Some(v), "2025-12-31")]).status;
        assert_eq!(at(&m, 0.0, Direction::None), Status::Met);
        assert_eq!(at(&m, 1.0, Direction::None), Status::NotMet);
        let le = measure(Op::Le, 5.0);
        assert_eq!(at(&le, 5.0, Direction::Lower), Status::Met);
        assert_eq!(at(&le, 4.0, Direction::Lower), Status::Exceeded);
        assert_eq!(at(&le, 6.0, Direction::Lower), Status::NotMet);
        let eq_lower = measure(Op::Eq, 2.0);
        assert_eq!(at(&eq_lower, 1.0, Direction::Lower), Status::Exceeded);
    }

    #[test]
    fn no_data_past_the_deadline_is_overdue_not_a_failure() {
        let m = measure(Op::Gt, 95.0);
        let today = Date::new(2026, 11, 23).unwrap();
        let e = evaluate_at(&m, Direction::Higher, Some(2025), Some(2020), &[], today);
        assert_eq!((e.status, e.overdue), (Status::Overdue, true));
        let e = evaluate_at(&m, Direction::Higher, Some(2025), Some(2020), &[], Date::new(2024, 1, 1).unwrap());
        assert_eq!((e.status, e.overdue), (Status::NoData, false));
        // An annual target is overdue once its first year has ended without a figure.
        let mut yearly = measure(Op::Ge, 10.0);
        yearly.per = Per::Year;
        let e = evaluate_at(&yearly, Direction::Higher, Some(2025), Some(2020), &[], Date::new(2021, 3, 1).unwrap());
        assert_eq!(e.status, Status::Overdue);
        // A result, even one without a figure, is never "not reported".
        let r = result(None, "2026-01-10");
        let e = evaluate_at(&m, Direction::Higher, Some(2025), Some(2020), &[(0, &r)], today);
        assert_ne!(e.status, Status::Overdue);
    }

    #[test]
    fn a_result_marked_final_is_judged_final() {
        let m = measure(Op::Ge, 50.0);
        let mut r = result(Some(37.8), "2020-05-15");
        assert_eq!(eval(&m, Direction::Higher, &[r.clone()]).status, Status::Behind);
        r.is_final = true;
        assert_eq!(eval(&m, Direction::Higher, &[r]).status, Status::NotMet);
    }

    #[test]
    fn explicit_deadline_decides_finality() {
        let mut m = measure(Op::Ge, 80.0);
        m.deadline = Some(parse("2023").unwrap());
        let e = eval(&m, Direction::Higher, &[result(Some(70.0), "2023-12-31")]);
        assert_eq!(e.status, Status::NotMet);
    }
}
