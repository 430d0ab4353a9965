//! The home page (home.html): the top units, the latest documents, the site's statuses
//! and the indicators most units set.

use super::*;
use crate::vi::collate;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct HomePage {
    roots: Vec<UnitSummary>,
    latest: Vec<DocSummary>,
    counts: Vec<StatusCount>,
    indicators: Vec<IndicatorSummary>,
}

pub(crate) fn build(v: &Views) -> HomePage {
    let site = v.site;
    let mut docs: Vec<usize> = (0..site.documents.len()).collect();
    v.newest_first(&mut docs);
    let all: Vec<_> = (0..site.documents.len()).flat_map(|d| v.doc_evals(d)).collect();
    let mut indicators: Vec<_> = (0..v.computed.comparisons.len()).map(|ci| indicator_summary(v, ci)).collect();
    // A key per indicator, not two per comparison: most tie on the count.
    indicators.sort_by_cached_key(|a| (std::cmp::Reverse(a.units), collate::key(&a.link.name)));
    // Only what two units or more set: a site of one ward compares nothing here.
    indicators.retain(|i| i.units > 1);
    indicators.truncate(12);
    HomePage {
        roots: site.roots.iter().map(|&u| v.unit_summary(u, 3)).collect(),
        latest: docs.into_iter().take(10).map(|d| v.doc_summary(d)).collect(),
        counts: v.status_counts(all),
        indicators,
    }
}
