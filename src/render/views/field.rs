//! A field's page (field.html): its indicators and the targets no indicator of the
//! field covers.

use super::*;
use crate::model::MeasureRef;
use crate::vi::collate;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct FieldPage {
    name: String,
    key: String,
    description: Option<String>,
    indicators: Vec<IndicatorSummary>,
    others: Vec<TargetView>,
    counts: Vec<StatusCount>,
}

pub(crate) fn build(v: &Views, fi: usize) -> FieldPage {
    let site = v.site;
    let f = &v.fields[fi];
    let (targets, evals) = field_targets(v, &f.key);
    let mut indicators: Vec<_> = v
        .computed
        .comparisons
        .iter()
        .enumerate()
        .filter(|(_, c)| v.indicators[c.indicator].field.as_deref() == Some(f.key.as_str()))
        .map(|(ci, _)| indicator_summary(v, ci))
        .collect();
    indicators.sort_by_cached_key(|s| collate::key(&s.link.name));
    // Targets none of whose measures has an indicator of this field.
    let others = targets
        .iter()
        .filter(|&&(di, ti)| {
            !site.documents[di].targets[ti]
                .measures
                .iter()
                .any(|m| v.indicator_at(m.indicator()).is_some_and(|i| i.field.as_deref() == Some(f.key.as_str())))
        })
        .map(|&(di, ti)| v.target_view(di, ti))
        .collect();
    FieldPage {
        name: f.name.clone(),
        key: f.key.clone(),
        description: f.description.clone(),
        indicators,
        others,
        counts: v.status_counts(evals),
    }
}

/// The targets of a field across the site, and their measures' statuses.
pub(crate) fn field_targets<'a>(
    v: &Views<'a>,
    key: &str,
) -> (Vec<(usize, usize)>, Vec<&'a crate::compute::status::Evaluation>) {
    let site = v.site;
    let mut targets = Vec::new();
    let mut evals = Vec::new();
    for (di, d) in site.documents.iter().enumerate() {
        for (ti, t) in d.targets.iter().enumerate() {
            if v.target_field(d, t).as_deref() == Some(key) {
                targets.push((di, ti));
                for mi in 0..t.measures.len() {
                    evals.push(v.computed.get(MeasureRef::new(di, ti, mi)));
                }
            }
        }
    }
    (targets, evals)
}
