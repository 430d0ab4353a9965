//! A term's matrix (matrix.html): units × indicators, each cell a unit's target and its
//! status; above `SPLIT_UNITS` units, a page listing the parts and a page for each
//! (`MatrixPart`): one per province, or for a province over `MATRIX_PART_BYTES`,
//! several of whole districts (`pages::matrix_split`).

use super::*;
use crate::compute::compare::ClassKey;
use crate::model::{MeasureRef, Site, Term};
use crate::render::pages::{MatrixShare, Part, PartName};
use crate::render::paths;
use crate::vi::collate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Serialize)]
pub(crate) struct Matrix {
    pub(crate) term: String,
    /// A split matrix: every part, by province; on the term's page and on each part.
    pub(crate) parts: Vec<MatrixPartGroup>,
    /// On a part: the province.
    pub(crate) part: Option<Link>,
    /// On a part of a province cut in several: the part's name.
    pub(crate) part_name: Option<String>,
    pub(crate) columns: Vec<MatrixColumn>,
    pub(crate) groups: Vec<MatrixGroup>,
    pub(crate) filters: Vec<MatrixFilter>,
}

/// A province's parts of a split matrix.
#[derive(Serialize)]
pub(crate) struct MatrixPartGroup {
    pub(crate) root: Link,
    /// Its id on the term's page, which the province's page links to.
    pub(crate) anchor: String,
    /// One when the province is one part (named as the province).
    pub(crate) parts: Vec<MatrixPartLink>,
}

#[derive(Serialize)]
pub(crate) struct MatrixPartLink {
    pub(crate) name: String,
    pub(crate) url: String,
    /// The page this is.
    pub(crate) current: bool,
}

/// A choice of the matrix's filter: a unit above some rows.
#[derive(Serialize)]
pub(crate) struct MatrixFilter {
    /// The unit's path, as `?don-vi=` names it.
    pub(crate) path: String,
    /// Its page's address: a row lies under it when its unit's address starts with it.
    pub(crate) url: String,
    /// Its name, indented by its depth.
    pub(crate) label: String,
    /// How many rows lie under it.
    pub(crate) rows: usize,
}

#[derive(Serialize)]
pub(crate) struct MatrixColumn {
    pub(crate) link: Link,
    pub(crate) field: Option<String>,
    /// The indicator's unit in words ("tỷ đồng"), which its cells then leave out; none
    /// for "%" (a character the cells keep) or no unit.
    pub(crate) unit: Option<String>,
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
    /// The units between the group's province and this unit, nearest first.
    pub(crate) context: String,
    pub(crate) cells: Vec<Vec<MatrixCell>>,
}

#[derive(Serialize, Clone)]
pub(crate) struct MatrixCell {
    /// The measure in words, without its column's unit.
    pub(crate) text: String,
    pub(crate) status: &'static str,
    pub(crate) status_label: String,
    pub(crate) url: String,
    pub(crate) variant: bool,
}

/// Units × indicators for one term; `part`: one part of a split matrix, whose shares
/// (`pages::matrix_split`) are `shares`.
pub(crate) fn build(v: &Views, term: Term, part: Option<Part>, shares: &[MatrixShare]) -> Matrix {
    let site = v.site;
    let split = !shares.is_empty();
    // The units whose rows the page shows: a part's; every unit when the matrix is
    // not split; none on a split term's page. Their documents are read, not every
    // comparison's rows: a national matrix has hundreds of parts.
    let units: Vec<usize> = match part {
        Some(p) => shares
            .iter()
            .find(|s| s.root == p.root)
            .and_then(|s| s.parts.get(p.number - 1))
            .map(|sl| sl.units.clone())
            .unwrap_or_default(),
        None if split => vec![],
        None => (0..site.units.len()).collect(),
    };
    // Column units: the indicator's own, in words (a "%" costs a cell one character).
    let col_unit = |i: usize| {
        v.indicators[i].unit.as_deref().map(str::trim).filter(|u| !u.is_empty() && *u != "%").map(str::to_string)
    };
    // A cell is marked (*) when its measure is outside its indicator's main class.
    let main: BTreeMap<usize, &ClassKey> = v
        .computed
        .comparisons
        .iter()
        .filter_map(|c| c.classes.iter().find(|k| k.main).map(|k| (c.indicator, &k.key)))
        .collect();
    let mut cells: BTreeMap<(usize, usize), Vec<MatrixCell>> = BTreeMap::new();
    let mut cols: BTreeSet<usize> = BTreeSet::new();
    for u in units {
        for &di in &site.units[u].documents {
            let d = &site.documents[di];
            if d.term != Some(term) {
                continue;
            }
            for (ti, t) in d.targets.iter().enumerate() {
                for (mi, m) in t.measures.iter().enumerate() {
                    let Some(i) = m.indicator().filter(|i| main.contains_key(i)) else { continue };
                    cols.insert(i);
                    let ev = v.computed.get(MeasureRef::new(di, ti, mi));
                    let mut text = v.measure_text(m);
                    // The column's header gives its unit: a cell in that unit leaves it out.
                    if let Some(cu) = col_unit(i)
                        && m.unit.as_deref().map(str::trim) == Some(cu.as_str())
                        && let Some(at) = text.find(&[" ", &cu].concat())
                    {
                        text.replace_range(at..at + 1 + cu.len(), "");
                    }
                    cells.entry((u, i)).or_default().push(MatrixCell {
                        text,
                        status: ev.status.as_str(),
                        status_label: v.strings.get(ev.status.label_key()),
                        url: v.target_url(d, &t.id),
                        variant: ClassKey::of(m) != *main[&i],
                    });
                }
            }
        }
    }
    let field_pos: BTreeMap<&str, usize> = v.fields.iter().enumerate().map(|(i, f)| (f.key.as_str(), i)).collect();
    let mut columns: Vec<usize> = cols.into_iter().collect();
    columns.sort_by_cached_key(|&i| {
        let ind = &v.indicators[i];
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
                    // The group's heading names the province: the row, what lies between.
                    let between = chain.get(1..chain.len().saturating_sub(1)).unwrap_or_default();
                    MatrixRow {
                        unit: v.unit_link(u),
                        context: between
                            .iter()
                            .rev()
                            .map(|&a| site.units[a].name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        cells: columns.iter().map(|&i| cells.remove(&(u, i)).unwrap_or_default()).collect(),
                    }
                })
                .collect();
            MatrixGroup { root: v.unit_link(root), anchor: group_anchor(site, root), rows }
        })
        .collect();
    let mut filters: Vec<MatrixFilter> = filters
        .into_iter()
        .map(|(u, n)| MatrixFilter {
            path: site.units[u].path.clone(),
            url: v.url(&site.units[u].url),
            label: indent(site, u),
            rows: n,
        })
        .collect();
    filters.sort_by_cached_key(|f| {
        let u = site.unit_by_path[&f.path];
        site.ancestry(u).into_iter().map(|a| site.name_rank[a]).collect::<Vec<_>>()
    });
    let mut part_name = None;
    let parts = shares
        .iter()
        .map(|s| MatrixPartGroup {
            root: v.unit_link(s.root),
            anchor: group_anchor(site, s.root),
            parts: (0..s.parts.len())
                .map(|i| {
                    let name = if s.parts.len() == 1 { site.units[s.root].name.clone() } else { name_of(v, s, i) };
                    let current = part.is_some_and(|p| p.root == s.root && p.number == i + 1);
                    if current && s.parts.len() > 1 {
                        part_name = Some(name.clone());
                    }
                    MatrixPartLink { url: v.url(&part_url(site, term, s, i)), name, current }
                })
                .collect(),
        })
        .collect();
    Matrix {
        parts,
        part: part.map(|p| v.unit_link(p.root)),
        part_name,
        term: term.label(),
        columns: columns
            .into_iter()
            .map(|i| {
                let ind = &v.indicators[i];
                MatrixColumn { link: v.link_to_indicator(ind), field: ind.field.clone(), unit: col_unit(i) }
            })
            .collect(),
        groups,
        filters,
    }
}

/// The address of part `i` (from 0) of a province's share.
pub(crate) fn part_url(site: &Site, term: Term, share: &MatrixShare, i: usize) -> String {
    paths::matrix_part(term, &site.units[share.root].path, i + 1, share.parts.len())
}

/// A part's name: "Quận 1 – Quận 3", or for a piece of a district "Quận 1: Phường 1 – Phường 9".
fn name_of(v: &Views, share: &MatrixShare, i: usize) -> String {
    let name = |u: usize| v.site.units[u].name.clone();
    match share.name_units(v.site, i) {
        PartName::One(a) => name(a),
        PartName::Range(a, b) => v.strings.fmt("matrix_part_range", &[("first", name(a)), ("last", name(b))]),
        PartName::Within(g, a, b) if a == b => {
            v.strings.fmt("matrix_part_within", &[("district", name(g)), ("units", name(a))])
        }
        PartName::Within(g, a, b) => {
            let units = v.strings.fmt("matrix_part_range", &[("first", name(a)), ("last", name(b))]);
            v.strings.fmt("matrix_part_within", &[("district", name(g)), ("units", units)])
        }
    }
}

/// The id of a province's rows, and of its parts on a split term's page.
pub(crate) fn group_anchor(site: &Site, root: usize) -> String {
    format!("nhom-{}", crate::vi::slug::slugify(&site.units[root].path))
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
