//! Views of the comparisons: indicator pages, the indicator index, the units × indicators
//! matrix, roll-ups on province and district pages, a unit's indicators across terms,
//! and each target's results over time. The numbers come from `compute`; this module
//! only arranges them and draws the charts.

use super::chart;
use super::paths;
use super::views::*;
use crate::compute::compare::{Class, ClassKey};
use crate::model::{MeasureRef, Op, Site, Term};
use crate::vi::collate;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Serialize, Clone)]
pub struct IndicatorSummary {
    pub link: Link,
    pub key: String,
    pub field: Option<Link>,
    pub units: usize,
    pub measures: usize,
    pub results: usize,
    pub counts: Vec<StatusCount>,
}

pub fn indicator_summary(v: &Views, ci: usize) -> IndicatorSummary {
    let c = &v.computed.comparisons[ci];
    let ind = &v.site.indicators[c.indicator];
    let evals: Vec<_> = c.classes.iter().flat_map(|k| &k.entries).map(|e| v.computed.get(e.measure)).collect();
    IndicatorSummary {
        link: v.link_to_indicator(ind),
        key: ind.key.clone(),
        field: ind.field.as_deref().and_then(|f| v.field_link(f)),
        units: c.units.len(),
        measures: evals.len(),
        results: c.unlinked_results.len()
            + c.classes.iter().flat_map(|k| &k.entries).map(|e| v.site.measure(e.measure).results.len()).sum::<usize>(),
        counts: v.status_counts(evals),
    }
}

#[derive(Serialize)]
pub struct IndicatorIndex {
    pub all: Vec<IndicatorSummary>,
    pub by_field: Vec<(Link, Vec<IndicatorSummary>)>,
    pub unfielded: Vec<IndicatorSummary>,
}

pub fn indicator_index(v: &Views) -> IndicatorIndex {
    let mut all: Vec<_> = (0..v.computed.comparisons.len()).map(|ci| indicator_summary(v, ci)).collect();
    all.sort_by_cached_key(|s| collate::key(&s.link.name));
    let mut by_field = Vec::new();
    for f in &v.site.fields {
        let list: Vec<_> = all.iter().filter(|s| s.field.as_ref().is_some_and(|l| l.name == f.name)).cloned().collect();
        if !list.is_empty() {
            by_field.push((v.field_link(&f.key).unwrap(), list));
        }
    }
    let unfielded = all.iter().filter(|s| s.field.is_none()).cloned().collect();
    IndicatorIndex { all, by_field, unfielded }
}

#[derive(Serialize)]
pub struct CompareRow {
    pub unit: Link,
    /// The units above, nearest first: "Quận Gò Vấp, Thành phố Hồ Chí Minh".
    pub context: String,
    pub target: TargetRef,
    pub measure: MeasureView,
    pub higher: Option<String>,
    pub pace: Option<String>,
    pub stable_id: String,
    /// The row's `id`: the stable id with `/` as `--` and `#` as `-`. Made here, once,
    /// not by two `replace` filters per row (a national comparison has 30,000 rows).
    pub anchor: String,
}

#[derive(Serialize)]
pub struct ClassView {
    pub main: bool,
    /// How this class differs from the main one, in words.
    pub differs: Vec<String>,
    pub rows: Vec<CompareRow>,
    pub chart: Option<String>,
}

#[derive(Serialize)]
pub struct IndicatorPage {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub unit: Option<String>,
    pub direction: String,
    pub field: Option<Link>,
    pub classes: Vec<ClassView>,
    pub unlinked: Vec<ResultView>,
    /// For a large comparison: one line per province, linking to its page.
    pub summary: Vec<PartSummary>,
    /// On a province's page: the province.
    pub part: Option<Link>,
    pub all_url: String,
    pub units: usize,
    pub counts: Vec<StatusCount>,
    pub csv: String,
    pub json: String,
    pub feed: String,
}

fn context(site: &Site, unit: usize) -> String {
    let mut chain = site.ancestry(unit);
    chain.pop();
    chain.iter().rev().map(|&u| site.units[u].name.as_str()).collect::<Vec<_>>().join(", ")
}

pub fn pace_text(v: &Views, r: MeasureRef) -> Option<String> {
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

pub fn higher_text(v: &Views, e: &crate::compute::compare::Entry) -> Option<String> {
    let h = e.higher?;
    let key = match h.ambition {
        Ordering::Greater => "higher.greater",
        Ordering::Less => "higher.less",
        Ordering::Equal => "higher.equal",
    };
    Some(v.strings.fmt(
        key,
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

fn class_rows(v: &Views, class: &Class) -> Vec<CompareRow> {
    class
        .entries
        .iter()
        .map(|e| {
            let stable_id = super::data::measure_id(v.site, e.measure);
            CompareRow {
                unit: v.unit_link(e.unit),
                context: context(v.site, e.unit),
                measure: v.measure_view(e.measure),
                target: v.target_ref(e.measure.doc(), e.measure.target()),
                higher: higher_text(v, e),
                pace: pace_text(v, e.measure),
                anchor: row_anchor(&stable_id),
                stable_id,
            }
        })
        .collect()
}

/// `a/b#c` as `a--b-c`: an id that reads the same in an address bar.
fn row_anchor(stable_id: &str) -> String {
    let mut out = String::with_capacity(stable_id.len() + 8);
    for c in stable_id.chars() {
        match c {
            '/' => out.push_str("--"),
            '#' => out.push('-'),
            c => out.push(c),
        }
    }
    out
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
                        format!("{}–{}", crate::vi::number::format_auto(b), crate::vi::number::format_auto(mx))
                    }
                    _ => crate::vi::number::format_auto(b),
                };
                if m.unit.as_deref() == Some("%") { format!("{n}%") } else { n }
            },
            marker,
        });
    }
    let title = v.strings.fmt("chart.bars_title", &[("indicator", name.to_string())]);
    Some(chart::bars(id, &title, &desc.join("; "), &bars))
}

/// Above this many rows, an indicator's comparison is split by province (root unit):
/// the indicator's page summarises the provinces and each has a page of its rows.
pub const SPLIT_ROWS: usize = 150;

/// The root units (provinces, cities) an indicator's comparison is split into, if it is.
pub fn parts(c: &crate::compute::compare::IndicatorComparison) -> Vec<usize> {
    let rows: usize = c.classes.iter().map(|k| k.entries.len()).sum();
    if rows <= SPLIT_ROWS || c.roots.len() < 2 { vec![] } else { c.roots.clone() }
}

#[derive(Serialize)]
pub struct PartSummary {
    pub root: Link,
    pub url: String,
    pub units: usize,
    pub measures: usize,
    pub counts: Vec<StatusCount>,
    /// Lowest, median and highest bound of the main class, as text.
    pub spread: Option<(String, String, String)>,
}

pub fn indicator_page(v: &Views, ci: usize, part: Option<usize>) -> IndicatorPage {
    let c = &v.computed.comparisons[ci];
    let ind = &v.site.indicators[c.indicator];
    let main_key = c.classes.first().map(|k| k.key.clone());
    let split = parts(c);
    let in_part = |u: usize| part.is_none_or(|r| v.site.root(u) == r);
    let summary: Vec<PartSummary> = if part.is_none() && !split.is_empty() {
        // Rows by root unit, in one pass (the main class's first).
        let mut by_root: BTreeMap<usize, (Vec<&crate::compute::compare::Entry>, Vec<f64>)> = BTreeMap::new();
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
                let spread = (!bounds.is_empty()).then(|| {
                    (
                        v.format_value(bounds[0], unit),
                        v.format_value(bounds[bounds.len() / 2], unit),
                        v.format_value(bounds[bounds.len() - 1], unit),
                    )
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
                entries: class.entries.iter().filter(|e| in_part(e.unit)).cloned().collect(),
            };
            let rows = class_rows(v, class);
            let chart = class_chart(v, &format!("bieu-do-{}-{}", ind.key, i + 1), &ind.name, class, &rows);
            ClassView {
                main: class.main,
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
        summary,
        part: part.map(|r| v.unit_link(r)),
        all_url: v.indicator_url(ind),
        units: c.units.iter().filter(|&&u| in_part(u)).count(),
        counts: v.status_counts(evals),
        csv: v.url(&paths::beside(&at, paths::TARGETS_CSV)),
        json: v.url(&paths::beside(&at, paths::TARGETS_JSON)),
        feed: v.url(&paths::beside(&at, paths::FEED)),
    }
}

/// A province or district: the indicators its units set, with their statuses.
pub fn rollup(v: &Views, unit: usize) -> Vec<IndicatorSummary> {
    let site = v.site;
    // The rows of every comparison that lie under `unit` are the measures with an
    // indicator of the documents under it: read from those documents, so a province's
    // page costs its own size, not the whole country's.
    #[derive(Default)]
    struct Acc<'a> {
        units: BTreeSet<usize>,
        evals: Vec<&'a crate::compute::status::Evaluation>,
        results: usize,
    }
    let mut by: BTreeMap<usize, Acc> = BTreeMap::new();
    let mut stack = vec![unit];
    while let Some(u) = stack.pop() {
        stack.extend(&site.units[u].children);
        for &di in &site.units[u].documents {
            for (r, m) in site.measures_in(di) {
                let Some(ii) = m.indicator() else { continue };
                let acc = by.entry(ii).or_default();
                acc.units.insert(u);
                acc.evals.push(v.computed.get(r));
                acc.results += m.results.len();
            }
        }
    }
    let mut out: Vec<IndicatorSummary> = by
        .into_iter()
        .map(|(ii, acc)| {
            let ind = &site.indicators[ii];
            IndicatorSummary {
                link: v.link_to_indicator(ind),
                key: ind.key.clone(),
                field: ind.field.as_deref().and_then(|f| v.field_link(f)),
                units: acc.units.len(),
                measures: acc.evals.len(),
                results: acc.results,
                counts: v.status_counts(acc.evals),
            }
        })
        .collect();
    // A key per item, not two per comparison: most indicators tie on the count.
    out.sort_by_cached_key(|a| (std::cmp::Reverse(a.units), collate::key(&a.link.name)));
    out
}

#[derive(Serialize)]
pub struct AcrossTerms {
    pub indicator: Link,
    pub rows: Vec<TermRow>,
}

#[derive(Serialize)]
pub struct TermRow {
    pub term: String,
    pub target: Option<String>,
    pub target_url: Option<String>,
    pub status: Option<(String, String)>,
    pub result: Option<ResultView>,
}

/// The same indicator in several terms of one unit: the earlier term's result next to
/// the later term's target.
pub fn across_terms(v: &Views, unit: usize) -> Vec<AcrossTerms> {
    let site = v.site;
    // indicator → term → (measures, results)
    type ByTerm = BTreeMap<Term, (Vec<MeasureRef>, Vec<usize>)>;
    let mut by: BTreeMap<usize, ByTerm> = BTreeMap::new();
    for &d in &site.units[unit].documents {
        let doc = &site.documents[d];
        let Some(term) = doc.term else { continue };
        for (r, m) in site.measures_in(d) {
            if let Some(ii) = m.indicator() {
                by.entry(ii).or_default().entry(term).or_default().0.push(r);
            }
        }
        for &ri in &doc.results {
            let r = &site.results[ri];
            if r.target.is_none()
                && let Some(ii) = r.indicator()
            {
                by.entry(ii).or_default().entry(term).or_default().1.push(ri);
            }
        }
    }
    let mut out = Vec::new();
    for (ii, terms) in by {
        if terms.len() < 2 {
            continue;
        }
        let ind = &site.indicators[ii];
        let rows = terms
            .iter()
            .map(|(t, (ms, rs))| {
                let m = ms.first().copied();
                let ev = m.map(|m| v.computed.get(m));
                let result = ev.and_then(|e| e.result).or_else(|| rs.last().copied()).map(|ri| v.result_view(ri));
                TermRow {
                    term: t.label(),
                    target: m.map(|m| v.measure_text(site.measure(m))),
                    target_url: m.map(|m| {
                        let d = &site.documents[m.doc()];
                        v.target_url(d, &d.targets[m.target()].id)
                    }),
                    status: ev.map(|e| (e.status.as_str().to_string(), v.strings.get(e.status.label_key()))),
                    result,
                }
            })
            .collect();
        out.push(AcrossTerms { indicator: v.link_to_indicator(ind), rows });
    }
    out.sort_by_cached_key(|a| collate::key(&a.indicator.name));
    out
}

#[derive(Serialize)]
pub struct Progress {
    pub anchor: String,
    pub target_id: String,
    pub label: String,
    pub measure: String,
    /// The SVG, with its own table of the points (chart.rs).
    pub chart: String,
}

/// Each measure's results over time against its target, for measures with a figure.
pub fn progress(v: &Views, doc: usize) -> Vec<Progress> {
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
                let day = (res.as_of.end() - jiff::civil::Date::new(1970, 1, 1).unwrap()).get_days() as i64;
                points.push(chart::Point {
                    day,
                    date_text: res.as_of.short(),
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
            let svg = chart::line(&anchor, &title, &desc, &points, target, &measure);
            let _ = r;
            out.push(Progress { anchor, target_id: t.id.to_string(), label, measure, chart: svg });
        }
    }
    out
}

#[derive(Serialize)]
pub struct Matrix {
    pub term: String,
    /// A large matrix: one link per province, and no rows here.
    pub parts: Vec<Link>,
    /// On a province's matrix: the province.
    pub part: Option<Link>,
    pub columns: Vec<MatrixColumn>,
    pub groups: Vec<MatrixGroup>,
    pub filters: Vec<(String, String, usize)>,
}

#[derive(Serialize)]
pub struct MatrixColumn {
    pub link: Link,
    pub field: Option<String>,
}

#[derive(Serialize)]
pub struct MatrixGroup {
    pub root: Link,
    pub anchor: String,
    pub rows: Vec<MatrixRow>,
}

#[derive(Serialize)]
pub struct MatrixRow {
    pub unit: Link,
    pub context: String,
    /// Unit paths of the unit and its ancestors, for the filter.
    pub paths: String,
    pub cells: Vec<Vec<MatrixCell>>,
}

#[derive(Serialize, Clone)]
pub struct MatrixCell {
    pub text: String,
    pub status: String,
    pub status_label: String,
    pub url: String,
    pub variant: bool,
}

/// Units × indicators for one term.
/// Above this many units, a term's matrix is split by province (root unit).
pub const SPLIT_UNITS: usize = 150;

/// The root units a term's matrix is split into, if it is.
pub fn matrix_parts(computed: &crate::compute::Computed, term: Term) -> Vec<usize> {
    let Some((units, roots)) = computed.term_spread.get(&term) else { return vec![] };
    if *units <= SPLIT_UNITS || roots.len() < 2 { vec![] } else { roots.clone() }
}

pub fn matrix(v: &Views, term: Term, part: Option<usize>) -> Matrix {
    let site = v.site;
    let split = if part.is_none() { matrix_parts(v.computed, term) } else { vec![] };
    let in_part = |u: usize| part.is_none_or(|r| site.root(u) == r);
    let mut cells: BTreeMap<(usize, usize), Vec<MatrixCell>> = BTreeMap::new();
    let mut cols: BTreeSet<usize> = BTreeSet::new();
    for c in &v.computed.comparisons {
        for class in &c.classes {
            for e in &class.entries {
                let d = &site.documents[e.measure.doc()];
                if d.term != Some(term) || !split.is_empty() || !in_part(e.unit) {
                    continue;
                }
                cols.insert(c.indicator);
                let m = site.measure(e.measure);
                let ev = v.computed.get(e.measure);
                cells.entry((e.unit, c.indicator)).or_default().push(MatrixCell {
                    text: v.measure_text(m),
                    status: ev.status.as_str().into(),
                    status_label: v.strings.get(ev.status.label_key()),
                    url: v.target_url(d, &d.targets[e.measure.target()].id),
                    variant: !class.main,
                });
            }
        }
    }
    let field_pos: BTreeMap<&str, usize> = site.fields.iter().enumerate().map(|(i, f)| (f.key.as_str(), i)).collect();
    let mut columns: Vec<usize> = cols.into_iter().collect();
    columns.sort_by_cached_key(|&i| {
        let ind = &site.indicators[i];
        (ind.field.as_deref().and_then(|f| field_pos.get(f)).copied().unwrap_or(usize::MAX), collate::key(&ind.name))
    });
    let units: BTreeSet<usize> = cells.keys().map(|(u, _)| *u).collect();
    // Rows grouped under their root unit (province or city), in Vietnamese order.
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &u in &units {
        groups.entry(site.root(u)).or_default().push(u);
    }
    let mut group_list: Vec<(usize, Vec<usize>)> = groups.into_iter().collect();
    // Units' places in name order are in the model: no sort keys to build.
    group_list.sort_by_key(|(r, _)| site.name_rank[*r]);
    let mut filters: BTreeMap<usize, usize> = BTreeMap::new();
    let groups = group_list
        .into_iter()
        .map(|(root, mut us)| {
            us.sort_by_cached_key(|&u| site.ancestry(u).into_iter().map(|a| site.name_rank[a]).collect::<Vec<_>>());
            let rows = us
                .into_iter()
                .map(|u| {
                    let chain = site.ancestry(u);
                    for &a in &chain[..chain.len() - 1] {
                        *filters.entry(a).or_default() += 1;
                    }
                    MatrixRow {
                        unit: v.unit_link(u),
                        context: context(site, u),
                        paths: chain.iter().map(|&a| site.units[a].path.as_str()).collect::<Vec<_>>().join(" "),
                        cells: columns.iter().map(|&i| cells.get(&(u, i)).cloned().unwrap_or_default()).collect(),
                    }
                })
                .collect();
            MatrixGroup {
                root: v.unit_link(root),
                anchor: format!("nhom-{}", crate::vi::slug::slugify(&site.units[root].path)),
                rows,
            }
        })
        .collect();
    let mut filters: Vec<(String, String, usize)> =
        filters.into_iter().map(|(u, n)| (site.units[u].path.clone(), indent(site, u), n)).collect();
    filters.sort_by_cached_key(|(p, _, _)| {
        let u = site.unit_by_path[p];
        site.ancestry(u).into_iter().map(|a| site.name_rank[a]).collect::<Vec<_>>()
    });
    Matrix {
        parts: split
            .iter()
            .map(|&r| Link {
                name: site.units[r].name.clone(),
                url: v.url(&paths::matrix_part(term, &site.units[r].path)),
            })
            .collect(),
        part: part.map(|r| v.unit_link(r)),
        term: term.label(),
        columns: columns
            .into_iter()
            .map(|i| {
                let ind = &site.indicators[i];
                MatrixColumn { link: v.link_to_indicator(ind), field: ind.field.clone() }
            })
            .collect(),
        groups,
        filters,
    }
}

fn indent(site: &Site, u: usize) -> String {
    let depth = site.ancestry(u).len() - 1;
    format!("{}{}", "\u{a0}\u{a0}".repeat(depth), site.units[u].name)
}
