//! An indicator's page (indicator.html): every unit's targets for the indicator side by
//! side, in classes that compare alike with alike, with bar charts; above `SPLIT_ROWS`
//! rows, a summary per province and a page of rows for each (`IndicatorPart`). The
//! numbers come from `compute::compare`; this module only arranges them.

use super::*;
use crate::compute::compare::{Class, ClassKey};
use crate::model::MeasureRef;
use crate::render::chart;
use crate::render::pages::comparison_parts;
use crate::render::paths;
use crate::vi::collate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A row of a comparison: only what differs from row to row. The target's words, its
/// citation and stable id are on the document's page the row links to (and in the data
/// files), so a national comparison (30,000 rows) does not repeat them.
#[derive(Serialize)]
pub(crate) struct CompareRow {
    pub(crate) unit: Link,
    /// The units above, nearest first: "Quận Gò Vấp, Thành phố Hồ Chí Minh"; on a
    /// province's part, without the province, which the page's heading names.
    pub(crate) context: String,
    pub(crate) target: TargetRef,
    /// The document in short ("Nghị quyết 01-NQ/ĐH"), linked to the target's row.
    pub(crate) doc: String,
    pub(crate) measure: MeasureView,
    pub(crate) higher: Option<String>,
    pub(crate) pace: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct ClassView {
    pub(crate) main: bool,
    /// The term it holds, when a merger split the comparison by term
    /// (`compare::split_by_term`).
    pub(crate) term: Option<String>,
    /// How this class differs from the main one, in words.
    pub(crate) differs: Vec<String>,
    pub(crate) rows: Vec<CompareRow>,
    pub(crate) chart: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct IndicatorPage {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) unit: Option<String>,
    pub(crate) direction: String,
    pub(crate) field: Option<Link>,
    pub(crate) classes: Vec<ClassView>,
    pub(crate) unlinked: Vec<ResultView>,
    /// The unlinked results with a figure in the indicator's unit, as bars of their
    /// own (no target to draw them against).
    pub(crate) unlinked_chart: Option<String>,
    /// For a large comparison: one line per province, linking to its page.
    pub(crate) summary: Vec<PartSummary>,
    /// On a province's page: the province.
    pub(crate) part: Option<Link>,
    pub(crate) all_url: String,
    pub(crate) units: usize,
    pub(crate) counts: Vec<StatusCount>,
    /// The data page, where its rows are: in each province's files, by `indicator`.
    pub(crate) data_page: String,
    pub(crate) feed: String,
}

pub(crate) fn pace_text(v: &Views, r: MeasureRef) -> Option<String> {
    let p = v.computed.pace(r)?;
    let m = v.site.measure(r);
    let unit = m.unit.as_deref();
    let amount = v.format_value(p.per_year.abs(), unit);
    let key = if p.per_year < 0.0 { "pace.down" } else { "pace.up" };
    Some(v.strings.fmt(
        key,
        &[
            ("amount", amount),
            ("year", p.deadline_year.to_string()),
            ("from", v.format_value(p.from_value, unit)),
            ("date", p.from_date.short()),
        ],
    ))
}

pub(crate) fn higher_text(v: &Views, e: &crate::compute::compare::ComparedMeasure) -> Option<String> {
    let h = e.higher?;
    Some(v.strings.fmt(
        h.ambition.label_key(),
        &[("unit", v.site.units[h.unit].name.clone()), ("target", v.measure_text(v.site.measure(h.measure)))],
    ))
}

fn differs(v: &Views, main: &ClassKey, k: &ClassKey) -> Vec<String> {
    let s = v.strings;
    let mut out = Vec::new();
    if k.qualitative {
        out.push(s.get("differs.qualitative"));
    }
    if k.relation != main.relation {
        out.push(match &k.relation {
            Some(r) => s.get(&format!("differs.relation_{r}")),
            None => s.get("differs.level"),
        });
    }
    if k.unit != main.unit && !k.qualitative {
        out.push(s.fmt("differs.unit", &[("unit", if k.unit.is_empty() { "—".into() } else { k.unit.clone() })]));
    }
    if k.per != main.per {
        out.push(s.get(&format!("differs.per_{}", k.per)));
    }
    if let Some(var) = &k.variant {
        out.push(s.fmt("differs.variant", &[("variant", var.clone())]));
    }
    out
}

/// `in_part`: the rows are a province's part, whose heading names the province.
fn class_rows(v: &Views, class: &Class, in_part: bool) -> Vec<CompareRow> {
    class
        .entries
        .iter()
        .map(|e| {
            let context = if in_part { places_below_root(v.site, e.unit) } else { places_above(v.site, e.unit) };
            CompareRow {
                unit: v.unit_link(e.unit),
                context,
                measure: v.measure_view(e.measure),
                target: v.target_ref(e.measure.doc(), e.measure.target()),
                doc: doc_short(v, e.measure.doc()),
                higher: higher_text(v, e),
                pace: pace_text(v, e.measure),
            }
        })
        .collect()
}

/// The units between the root and `unit`, nearest first (`places_above` without the root).
fn places_below_root(site: &crate::model::Site, unit: usize) -> String {
    let chain = site.ancestry(unit);
    let between = chain.get(1..chain.len().saturating_sub(1)).unwrap_or_default();
    between.iter().rev().map(|&u| site.units[u].name.as_str()).collect::<Vec<_>>().join(", ")
}

/// A document in a few words, as a row names it: its kind and number ("Nghị quyết
/// 01-NQ/ĐH"), or its kind and date when it has no number. Its title is on its page.
pub(crate) fn doc_short(v: &Views, di: usize) -> String {
    let d = &v.site.documents[di];
    let kind = match d.kind {
        crate::model::DocKind::Other => v.strings.get("col_document"),
        k => v.strings.get(k.label_key()),
    };
    match &d.number {
        Some(n) if d.kind == crate::model::DocKind::Other => n.clone(),
        Some(n) => v.strings.fmt("doc_short", &[("kind", kind), ("number", n.clone())]),
        None => match d.issued {
            Some(i) => v.strings.fmt("doc_short_dated", &[("kind", kind), ("date", i.short())]),
            None => v
                .strings
                .fmt("doc_short_term", &[("kind", kind), ("term", d.term.map(Term::label).unwrap_or_default())]),
        },
    }
}

const MAX_BARS: usize = 60;

fn class_chart(v: &Views, id: &str, name: &str, class: &Class, rows: &[CompareRow]) -> Option<String> {
    // A bar per unit reads up to a few dozen units; beyond that the table (sorted the
    // same way) says more than a wall of bars.
    if class.key.qualitative || class.entries.iter().all(|e| e.bound.is_none()) || class.entries.len() > MAX_BARS {
        return None;
    }
    let mut bars = Vec::new();
    let mut desc = Vec::new();
    for (e, row) in class.entries.iter().zip(rows) {
        let Some(b) = e.bound else { continue };
        let m = v.site.measure(e.measure);
        let ev = v.computed.get(e.measure);
        let marker = ev.compared.map(|c| {
            (
                c,
                format!("{}: {}", v.strings.get("col_result"), v.format_value(c, m.unit.as_deref())),
                ev.status.as_str(),
            )
        });
        desc.push(format!(
            "{}: {}{}",
            row.unit.name,
            row.measure.text,
            marker.as_ref().map(|(_, t, _)| format!(" ({t})")).unwrap_or_default()
        ));
        bars.push(chart::Bar {
            label: row.unit.name.clone(),
            value: b,
            upto: if m.op == crate::model::Op::Range { m.max().filter(|mx| *mx > b) } else { None },
            value_text: {
                // Only the number beside a bar (the unit is in the title and the table).
                let n = match (m.op, m.max()) {
                    (crate::model::Op::Range, Some(mx)) if mx > b => {
                        format!("{}–{}", v.strings.number_auto(b), v.strings.number_auto(mx))
                    }
                    _ => v.strings.number_auto(b),
                };
                if m.unit.as_deref() == Some("%") { format!("{n}%") } else { n }
            },
            marker,
        });
    }
    let title = v.strings.fmt("chart.bars_title", &[("indicator", name.to_string())]);
    // A class's measures share their unit (it is part of the class key).
    let unit = class.entries.first().and_then(|e| v.site.measure(e.measure).unit.clone());
    let axis = match unit {
        Some(u) => v.strings.fmt("chart.bars_axis_unit", &[("unit", u.to_string())]),
        None => v.strings.get("chart.bars_axis").to_string(),
    };
    Some(chart::bars(v.strings, id, "", &title, &desc.join("; "), &axis, &bars))
}

/// Bars of the results no target is linked to: each its unit and date, in the
/// indicator's unit (a result in another unit, or without a figure, is in the table only).
fn unlinked_chart(v: &Views, id: &str, ind: &crate::model::Indicator, results: &[usize]) -> Option<String> {
    let bars: Vec<chart::Bar> = results
        .iter()
        .map(|&ri| &v.site.results[ri])
        .filter(|r| r.of.is_none() && r.unit.as_deref().or(ind.unit.as_deref()) == ind.unit.as_deref())
        .filter_map(|r| {
            let value = r.value?;
            let unit = &v.site.units[v.site.documents[r.doc].unit];
            Some(chart::Bar {
                label: format!("{} ({})", unit.name, r.as_of.short()),
                value,
                value_text: v.format_value(value, ind.unit.as_deref()),
                upto: None,
                marker: None,
            })
        })
        .collect();
    if bars.is_empty() || bars.len() > MAX_BARS {
        return None;
    }
    let desc: Vec<String> = bars.iter().map(|b| format!("{}: {}", b.label, b.value_text)).collect();
    let title = v.strings.fmt("chart.unlinked_title", &[("indicator", ind.name.clone())]);
    let axis = match &ind.unit {
        Some(u) => v.strings.fmt("chart.line_axis_unit", &[("unit", u.clone())]),
        None => v.strings.get("chart.line_axis"),
    };
    Some(chart::bars(v.strings, id, "chart-results", &title, &desc.join("; "), &axis, &bars))
}

#[derive(Serialize)]
pub(crate) struct PartSummary {
    pub(crate) root: Link,
    pub(crate) url: String,
    pub(crate) units: usize,
    pub(crate) measures: usize,
    pub(crate) counts: Vec<StatusCount>,
    /// Lowest, median and highest bound of the main class, as text.
    pub(crate) spread: Option<Spread>,
}

/// How far a province's targets for an indicator range, as text.
#[derive(Serialize)]
pub(crate) struct Spread {
    pub(crate) lowest: String,
    pub(crate) median: String,
    pub(crate) highest: String,
}

pub(crate) fn build(v: &Views, ci: usize, part: Option<usize>) -> IndicatorPage {
    let c = &v.computed.comparisons[ci];
    let ind = &v.indicators[c.indicator];
    let main_key = c.classes.first().map(|k| k.key.clone());
    let split = comparison_parts(c);
    let in_part = |u: usize| part.is_none_or(|r| v.site.root(u) == r);
    let summary: Vec<PartSummary> = if part.is_none() && !split.is_empty() {
        // Rows by root unit, in one pass (the main class's first).
        let mut by_root: BTreeMap<usize, (Vec<&crate::compute::compare::ComparedMeasure>, Vec<f64>)> = BTreeMap::new();
        for (i, k) in c.classes.iter().enumerate() {
            for e in &k.entries {
                let (entries, bounds) = by_root.entry(v.site.root(e.unit)).or_default();
                entries.push(e);
                if i == 0
                    && let Some(b) = e.bound
                {
                    bounds.push(b);
                }
            }
        }
        split
            .iter()
            .map(|&r| {
                let (entries, mut bounds) = by_root.remove(&r).unwrap_or_default();
                bounds.sort_by(|a, b| a.total_cmp(b));
                let unit = ind.unit.as_deref();
                let spread = (!bounds.is_empty()).then(|| Spread {
                    lowest: v.format_value(bounds[0], unit),
                    median: v.format_value(bounds[bounds.len() / 2], unit),
                    highest: v.format_value(bounds[bounds.len() - 1], unit),
                });
                let units: BTreeSet<usize> = entries.iter().map(|e| e.unit).collect();
                PartSummary {
                    root: v.unit_link(r),
                    url: v.url(&paths::indicator_part(&ind.key, &v.site.units[r].path)),
                    units: units.len(),
                    measures: entries.len(),
                    counts: v.status_counts(entries.iter().map(|e| v.computed.get(e.measure)).collect()),
                    spread,
                }
            })
            .collect()
    } else {
        vec![]
    };
    let show_rows = summary.is_empty();
    let classes = c
        .classes
        .iter()
        .enumerate()
        .filter(|_| show_rows)
        .map(|(i, class)| {
            let class = &Class {
                key: class.key.clone(),
                main: class.main,
                term: class.term,
                entries: class.entries.iter().filter(|e| in_part(e.unit)).cloned().collect(),
            };
            let rows = class_rows(v, class, part.is_some());
            let chart = class_chart(v, &format!("bieu-do-{}-{}", ind.key, i + 1), &ind.name, class, &rows);
            ClassView {
                main: class.main,
                term: class.term.map(crate::model::Term::label),
                differs: main_key
                    .as_ref()
                    .map(|mk| if class.main { vec![] } else { differs(v, mk, &class.key) })
                    .unwrap_or_default(),
                rows,
                chart,
            }
        })
        .filter(|cv: &ClassView| !cv.rows.is_empty())
        .collect();
    let evals: Vec<_> = c
        .classes
        .iter()
        .flat_map(|k| &k.entries)
        .filter(|e| in_part(e.unit))
        .map(|e| v.computed.get(e.measure))
        .collect();
    let mut unlinked: Vec<ResultView> = c
        .unlinked_results
        .iter()
        .filter(|&&ri| show_rows && in_part(v.site.documents[v.site.results[ri].doc].unit))
        .map(|&ri| v.result_view(ri))
        .collect();
    unlinked.sort_by_cached_key(|a| (collate::key(&a.unit.name), std::cmp::Reverse(a.as_of.iso())));
    let mut charted: Vec<usize> = c
        .unlinked_results
        .iter()
        .copied()
        .filter(|&ri| show_rows && in_part(v.site.documents[v.site.results[ri].doc].unit))
        .collect();
    charted.sort_by_cached_key(|&ri| {
        let r = &v.site.results[ri];
        (collate::key(&v.site.units[v.site.documents[r.doc].unit].name), std::cmp::Reverse(r.date().end()))
    });
    let unlinked_chart = unlinked_chart(v, &format!("bieu-do-{}-ket-qua", ind.key), ind, &charted);
    let at = paths::indicator(&ind.key);
    IndicatorPage {
        key: ind.key.clone(),
        name: ind.name.clone(),
        description: ind.description.clone(),
        unit: ind.unit.clone(),
        direction: v.strings.get(ind.direction.label_key()),
        field: ind.field.as_deref().and_then(|f| v.field_link(f)),
        classes,
        unlinked,
        unlinked_chart,
        summary,
        part: part.map(|r| v.unit_link(r)),
        all_url: v.indicator_url(ind),
        units: c.units.iter().filter(|&&u| in_part(u)).count(),
        counts: v.status_counts(evals),
        data_page: v.url(paths::DATA_PAGE),
        feed: v.url(&paths::beside(&at, paths::FEED)),
    }
}

/// Home, the indicators page and the indicator's whole comparison, above a province's part.
pub(crate) fn part_breadcrumbs(v: &Views, ci: usize) -> Vec<Link> {
    let mut crumbs = v.section_crumbs("indicators", paths::INDICATORS);
    let key = &v.indicators[v.computed.comparisons[ci].indicator];
    crumbs.push(v.link_to_indicator(key));
    crumbs
}
