//! The fields page (fields.html): every field with its targets' statuses.

use super::field::field_targets;
use super::*;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct FieldIndexPage {
    fields: Vec<FieldSummary>,
}

#[derive(Serialize)]
pub(crate) struct FieldSummary {
    link: Link,
    description: Option<String>,
    targets: usize,
    counts: Vec<StatusCount>,
}

pub(crate) fn build(v: &Views) -> FieldIndexPage {
    let fields = v
        .fields
        .iter()
        .map(|f| {
            let (targets, evals) = field_targets(v, &f.key);
            FieldSummary {
                link: v.field_link(&f.key).unwrap(),
                description: f.description.clone(),
                targets: targets.len(),
                counts: v.status_counts(evals),
            }
        })
        .collect();
    FieldIndexPage { fields }
}
