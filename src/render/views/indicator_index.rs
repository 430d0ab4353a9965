//! The indicators page (indicators.html): every indicator, and by field.

use super::*;
use crate::vi::collate;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct IndicatorIndex {
    pub(crate) all: Vec<IndicatorSummary>,
    pub(crate) by_field: Vec<FieldIndicators>,
    pub(crate) unfielded: Vec<IndicatorSummary>,
}

/// A field and its indicators.
#[derive(Serialize)]
pub(crate) struct FieldIndicators {
    pub(crate) field: Link,
    pub(crate) indicators: Vec<IndicatorSummary>,
}

pub(crate) fn build(v: &Views) -> IndicatorIndex {
    let mut all: Vec<_> = (0..v.computed.comparisons.len()).map(|ci| indicator_summary(v, ci)).collect();
    all.sort_by_cached_key(|s| collate::key(&s.link.name));
    let mut by_field = Vec::new();
    for f in v.fields {
        let list: Vec<_> = all.iter().filter(|s| s.field.as_ref().is_some_and(|l| l.name == f.name)).cloned().collect();
        if !list.is_empty() {
            by_field.push(FieldIndicators { field: v.field_link(&f.key).unwrap(), indicators: list });
        }
    }
    let unfielded = all.iter().filter(|s| s.field.is_none()).cloned().collect();
    IndicatorIndex { all, by_field, unfielded }
}
