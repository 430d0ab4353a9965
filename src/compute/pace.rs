//! Pace: how fast a unit must still move to reach a target by its deadline.
//!
//! Defined for level targets (no relation) judged over the term, with a known starting
//! point: the latest result's figure, or else (no result yet) the baseline the document
//! states. The pace is the change per year still needed, on a straight line from that
//! point to the bound it has to reach at the deadline: (bound − current) ÷ years left.
//! Whether the point already satisfies the target is `status::standing`'s answer, the
//! one the status rests on: a satisfied target needs no pace. There is none either once
//! the status is final (a result at or after the deadline, or one marked final), when
//! the latest result has no figure (its verdict or share is the latest word; a line from
//! an older baseline would contradict it), or when the figure sits on a strict bound
//! (`> 95` at 95: there is no amount to name).

use super::status::{comparable, deadline, standing, tol};
use crate::model::{Direction, Measure, Op, Per, ResultRecord};
use crate::vi::date::VnDate;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pace {
    /// Where the line starts: a result's value or the stated baseline.
    pub from_value: f64,
    pub from_date: VnDate,
    pub from_result: bool,
    /// The bound to reach and the last day to reach it.
    pub target: f64,
    pub deadline_year: i16,
    pub years_left: f64,
    /// Signed change per year still needed (negative: must fall).
    pub per_year: f64,
}

pub(crate) fn pace(
    m: &Measure,
    direction: Direction,
    term_end: Option<i16>,
    latest: Option<&ResultRecord>,
) -> Option<Pace> {
    if m.relation.is_some() || m.per == Per::Year || m.op == Op::Qualitative {
        return None;
    }
    let end = deadline(m, term_end)?;
    let (from_value, from_date, from_result) = match latest {
        // A bound ("trên 98%") is no point to count a pace from.
        Some(r) if r.is_final || r.bound.is_some() => return None,
        Some(r) => (comparable(m, r)?, r.date(), true),
        None => (m.baseline_value()?, m.baseline_date()?, false),
    };
    let start = from_date.end();
    if start >= end {
        return None;
    }
    let target = standing(m, direction, from_value).reach?;
    let years_left = (end - start).get_days() as f64 / 365.25;
    if (target - from_value).abs() <= tol(target) {
        return None;
    }
    let per_year = (target - from_value) / years_left;
    Some(Pace { from_value, from_date, from_result, target, deadline_year: end.year(), years_left, per_year })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::fixtures::{self, measure};
    use crate::vi::date::parse;

    fn result(v: f64, as_of: &str) -> ResultRecord {
        fixtures::result(Some(v), as_of)
    }

    #[test]
    fn pace_from_the_latest_result_to_the_deadline() {
        // Hộ nghèo 3,07% at the end of 2022, target below 0,5% by the end of 2025.
        let m = measure(Op::Lt, 0.5);
        let p = pace(&m, Direction::Lower, Some(2025), Some(&result(3.07, "2022-12-31"))).unwrap();
        assert!((p.years_left - 3.0).abs() < 0.01, "{p:?}");
        assert!((p.per_year - (0.5 - 3.07) / 3.0).abs() < 0.01, "{p:?}");
        assert!(p.from_result);
        assert_eq!(p.deadline_year, 2025);
    }

    #[test]
    fn pace_from_a_stated_baseline() {
        let mut m = measure(Op::Ge, 700.0);
        m.unit = Some("giếng khoan".into());
        m.extra_mut().baseline_value = Some(100.0);
        m.extra_mut().baseline_date = Some(parse("2020-12-31").unwrap());
        let p = pace(&m, Direction::Higher, Some(2025), None).unwrap();
        assert!((p.per_year - 120.0).abs() < 0.5, "{p:?}");
        assert!(!p.from_result);
    }

    #[test]
    fn no_pace_for_a_figure_beyond_a_range_in_the_good_direction() {
        // Issue 14: kết nạp 10–12 đảng viên, 15 by mid-term: on track, not "Cần giảm".
        let mut m = measure(Op::Range, 0.0);
        m.unit = Some("đảng viên".into());
        m.value = None;
        m.extra_mut().min = Some(10.0);
        m.extra_mut().max = Some(12.0);
        assert!(pace(&m, Direction::Higher, Some(2025), Some(&result(15.0, "2023-05-18"))).is_none());
        // Where 10–12 is a level to hit, 15 must fall to 12, not to 10.
        let p = pace(&m, Direction::None, Some(2025), Some(&result(15.0, "2022-12-31"))).unwrap();
        assert_eq!(p.target, 12.0);
        assert!((p.per_year + 1.0).abs() < 0.01, "{p:?}");
        // Short of the range, it must rise to 10.
        let p = pace(&m, Direction::Higher, Some(2025), Some(&result(7.0, "2022-12-31"))).unwrap();
        assert_eq!(p.target, 10.0);
        assert!((p.per_year - 1.0).abs() < 0.01, "{p:?}");
    }

    #[test]
    fn no_pace_when_met_late_relative_or_unknown() {
        let m = measure(Op::Lt, 0.5);
        assert!(pace(&m, Direction::Lower, Some(2025), Some(&result(0.3, "2022-12-31"))).is_none(), "already met");
        assert!(pace(&m, Direction::Lower, Some(2025), Some(&result(3.0, "2026-01-01"))).is_none(), "deadline passed");
        assert!(pace(&m, Direction::Lower, Some(2025), None).is_none(), "no starting point");
        let mut rel = measure(Op::Ge, 6.0);
        rel.relation = Some(crate::model::Relation::Exceed);
        assert!(
            pace(&rel, Direction::Higher, Some(2025), Some(&result(1.0, "2022"))).is_none(),
            "relative targets have no level to reach"
        );
    }
}
