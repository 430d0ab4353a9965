//! A term's matrix (matrix.html): units × indicators, each cell a unit's target and its
//! status; above `SPLIT_UNITS` units, one link per province and a matrix for each
//! (`MatrixPart`).

use super::*;
use crate::model::{Site, Term};
use crate::render::pages::matrix_parts;
use crate::render::paths;
use crate::vi::collate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Serialize)]
pub(crate) struct Matrix {
    pub(crate) term: String,
    /// A large matrix: one link per province, and no rows here.
    pub(crate) parts: Vec<Link>,
    /// On a province's matrix: the province.
    pub(crate) part: Option<Link>,
    pub(crate) columns: Vec<MatrixColumn>,
    pub(crate) groups: Vec<MatrixGroup>,
    pub(crate) filters: Vec<MatrixFilter>,
}

/// A choice of the matrix's filter: a unit above some rows.
#[derive(Serialize)]
pub(crate) struct MatrixFilter {
    /// The unit's path: rows list it among their `paths`.
    pub(crate) path: String,
    /// Its name, indented by its depth.
    pub(crate) label: String,
    /// How many rows lie under it.
    pub(crate) rows: usize,
}

#[derive(Serialize)]
pub(crate) struct MatrixColumn {
    pub(crate) link: Link,
    pub(crate) field: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct MatrixGroup {
    pub(crate) root: Link,
    pub(crate) anchor: String,
    pub(crate) rows: Vec<MatrixRow>,
}

#[derive(Serialize)]
pub(crate) struct MatrixRow {
    pub(crate) unit: Link,
    pub(crate) context: String,
    /// Unit paths of the unit and its ancestors, for the filter.
    pub(crate) paths: String,
    pub(crate) cells: Vec<Vec<MatrixCell>>,
}

#[derive(Serialize, Clone)]
pub(crate) struct MatrixCell {
    pub(crate) text: String,
    pub(crate) status: String,
    pub(crate) status_label: String,
    pub(crate) url: String,
    pub(crate) variant: bool,
}

/// Units × indicators for one term.
pub(crate) fn build(v: &Views, term: Term, part: Option<usize>) -> Matrix {
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
                        context: places_above(site, u),
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
    let mut filters: Vec<MatrixFilter> = filters
        .into_iter()
        .map(|(u, n)| MatrixFilter { path: site.units[u].path.clone(), label: indent(site, u), rows: n })
        .collect();
    filters.sort_by_cached_key(|f| {
        let u = site.unit_by_path[&f.path];
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

/// Home, the matrices page and the term's whole matrix, above a province's part.
pub(crate) fn part_breadcrumbs(v: &Views, t: Term) -> Vec<Link> {
    let mut crumbs = v.section_crumbs("matrix", paths::MATRICES);
    crumbs.push(Link { name: t.label(), url: v.url(&paths::matrix(t)) });
    crumbs
}
