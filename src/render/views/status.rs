//! The status page (status.html): how many measures have each status, site-wide.

use super::*;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct StatusPage {
    statuses: Vec<StatusCount>,
}

pub(crate) fn build(v: &Views) -> StatusPage {
    let site = v.site;
    let all: Vec<_> = (0..site.documents.len()).flat_map(|d| v.doc_evals(d)).collect();
    StatusPage { statuses: v.status_counts(all) }
}
