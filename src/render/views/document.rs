//! A document's page (document.html): its details and body, its targets by group with
//! their statuses, the results it reports, and each measure's results over time.

use super::*;
use crate::config::Config;
use crate::model::{MeasureRef, Op};
use crate::render::chart;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct DocumentPage {
    title: String,
    kind: crate::model::DocKind,
    kind_label: String,
    number: Option<String>,
    issued: Option<crate::vi::date::VnDate>,
    place: Option<String>,
    issuer: Option<String>,
    signer: Option<String>,
    signer_role: Option<String>,
    term: Option<String>,
    congress: Option<String>,
    event: Option<String>,
    covers: Option<String>,
    posted: Option<crate::vi::date::VnDate>,
    source: Option<String>,
    source_url: Option<String>,
    /// The original file (`original:`): its address and its name.
    original: Option<Link>,
    recipients: Vec<String>,
    summary: Option<String>,
    unit: Link,
    body_html: String,
    groups: Vec<GroupView>,
    target_count: usize,
    /// Its targets by kind, in words: "18 chỉ tiêu, 6 công trình".
    target_count_label: String,
    /// Its targets' citation without their ids ("Phường 14 / 2020–2025 / 01-NQ/ĐH").
    target_citation: String,
    /// The stable ID of its targets without their ids.
    target_stable_id: String,
    results: Vec<ResultView>,
    counts: Vec<StatusCount>,
    progress: Vec<Progress>,
}

pub(crate) fn build(v: &Views, config: &Config, di: usize) -> Result<DocumentPage, crate::diagnostics::Diagnostic> {
    let site = v.site;
    let d = &site.documents[di];
    Ok(DocumentPage {
        title: d.title.clone(),
        kind: d.kind,
        kind_label: v.strings.get(d.kind.label_key()),
        number: d.number.clone(),
        issued: d.issued,
        place: d.place.clone(),
        issuer: d.issuer.clone(),
        signer: d.signer.clone(),
        signer_role: d.signer_role.clone(),
        term: d.term.map(Term::label),
        congress: d.congress.clone(),
        event: d.event.clone(),
        covers: d.covers.clone(),
        posted: d.posted,
        source: d.source.clone(),
        source_url: d.source_url.clone().filter(|u| crate::render::markdown::is_allowed_url(u)),
        original: v.original_url(d).map(|url| Link {
            name: d.original.as_deref().and_then(|o| o.rsplit('/').next()).unwrap_or_default().to_string(),
            url,
        }),
        recipients: d.recipients.clone(),
        summary: d.summary.clone(),
        unit: v.unit_link(d.unit),
        body_html: d.body.with_text(&d.file, |t| crate::render::markdown::to_html(t, config.allow_html))?,
        groups: v.document_groups(di),
        target_count: d.targets.len(),
        target_count_label: v.counts_by_kind(d.targets.iter().map(|t| t.kind)),
        target_citation: v.doc_citation(di),
        target_stable_id: doc_stable_id(site, di, 0),
        results: d.results.iter().map(|&ri| v.result_view(ri)).collect(),
        counts: v.status_counts(v.doc_evals(di)),
        progress: progress(v, di),
    })
}

#[derive(Serialize)]
pub(crate) struct Progress {
    pub(crate) anchor: String,
    pub(crate) target_id: String,
    pub(crate) label: String,
    pub(crate) measure: String,
    /// The SVG, with its own table of the points (chart.rs).
    pub(crate) chart: String,
}

/// Each measure's results over time against its target, for measures with a figure.
pub(crate) fn progress(v: &Views, doc: usize) -> Vec<Progress> {
    let site = v.site;
    let d = &site.documents[doc];
    let mut out = Vec::new();
    for (ti, t) in d.targets.iter().enumerate() {
        for (mi, m) in t.measures.iter().enumerate() {
            if m.op == Op::Qualitative || m.results.is_empty() {
                continue;
            }
            let r = MeasureRef::new(doc, ti, mi);
            let mut points = Vec::new();
            for &ri in &m.results {
                let res = &site.results[ri];
                let Some(val) = crate::compute::status::comparable(m, res) else {
                    continue;
                };
                let day = (res.date().end() - jiff::civil::Date::new(1970, 1, 1).unwrap()).get_days() as i64;
                points.push(chart::Point {
                    day,
                    date_text: res.date().short(),
                    value: val,
                    value_text: v.format_value(val, m.unit.as_deref()),
                });
            }
            if points.is_empty() {
                continue;
            }
            let target = match m.op {
                Op::Range => (m.min().unwrap_or(0.0), m.max().unwrap_or(0.0)),
                _ => (m.value.unwrap_or(0.0), m.value.unwrap_or(0.0)),
            };
            let label = v.measure_label(t, m);
            let measure = v.measure_text(m);
            let desc =
                points.iter().map(|p| format!("{}: {}", p.date_text, p.value_text)).collect::<Vec<_>>().join("; ");
            let title = v.strings.fmt("chart.line_title", &[("label", label.clone()), ("target", measure.clone())]);
            let anchor = format!("dien-bien-{}-{}", t.id, mi + 1);
            let axis = match m.unit.as_deref() {
                Some(u) => v.strings.fmt("chart.line_axis_unit", &[("unit", u.to_string())]),
                None => v.strings.get("chart.line_axis").to_string(),
            };
            let svg = chart::line(v.strings, &anchor, &title, &desc, &axis, &points, target, &measure);
            let _ = r;
            out.push(Progress {
                anchor,
                target_id: display_number(&t.id).unwrap_or_default(),
                label,
                measure,
                chart: svg,
            });
        }
    }
    out
}
