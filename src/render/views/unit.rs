//! A unit's page (unit.html): its documents by term, the current term's targets in
//! brief (each document's statuses and the targets a reader checks first, linking to the
//! document's full table), and for a province or district the indicators its units set
//! (roll-up) and the same indicator across terms. The full target and result tables are
//! on the document pages only: repeating them here made unit pages 50 times Hugo's.

use super::*;
use crate::compute::status::{Evaluation, Status};
use crate::config::Config;
use crate::model::{MeasureRef, Term};
use crate::render::paths;
use crate::vi::collate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Serialize)]
pub(crate) struct UnitPage {
    name: String,
    path: String,
    level: String,
    code: Option<String>,
    short_name: Option<String>,
    website: Option<String>,
    /// What it became: one unit it merged into, or the units a split gave its parts to.
    succeeded_by: Vec<Link>,
    /// The units merged into it, each with what its last term set and reached.
    predecessors: Vec<Predecessor>,
    succeeded_on: Option<crate::vi::date::VnDate>,
    parent: Option<Link>,
    body_html: String,
    /// The units below it today.
    children: Vec<UnitSummary>,
    /// The units below it that the reform merged away (`Site::is_former`), listed apart.
    former_children: Vec<UnitSummary>,
    /// A unit of before the reform with no successor of its own (a district whose units
    /// were all merged away): its page says so at the top.
    former: bool,
    terms: Vec<TermDocs>,
    /// For a unit with units below: their latest documents and results, so a province's
    /// or district's page shows what its wards publish.
    area_documents: Vec<DocSummary>,
    area_results: Vec<ResultView>,
    current_term: Option<String>,
    /// The latest term is over at the status date: "gần nhất", not "hiện hành".
    current_term_ended: bool,
    current_documents: Vec<CurrentDoc>,
    counts: Vec<StatusCount>,
    rollup: Vec<IndicatorSummary>,
    /// The term the roll-up shows: the latest of the documents below.
    rollup_term: Option<String>,
    across_terms: Vec<AcrossTerms>,
    matrix: Option<String>,
    /// Its one-page scorecard, when its documents set targets.
    scorecard: Option<String>,
    downloads: Downloads,
}

#[derive(Serialize)]
pub(crate) struct Downloads {
    /// The address of its own target rows.
    pub(crate) csv: String,
    /// The name a browser saves them as: the same in every unit's folder would give an
    /// officer `chi-tieu (1).csv` for the second ward.
    pub(crate) csv_name: String,
    pub(crate) feed: String,
    /// Its province, linked to the province's files on the data page.
    pub(crate) province: Link,
}

/// A document of the current term in brief: its statuses, and the measures a reader
/// checks first; its page has the whole table.
#[derive(Serialize)]
pub(crate) struct CurrentDoc {
    doc: DocSummary,
    counts: Vec<StatusCount>,
    attention: Vec<Attention>,
    /// How many more measures need attention than `attention` lists.
    more: usize,
}

/// A measure not met, or past its deadline with no result reported.
#[derive(Serialize)]
pub(crate) struct Attention {
    /// The target's number as the document writes it ("1.2"); empty when its id is a
    /// name an editor gave (`TargetView::number`).
    id: String,
    /// Its row in the document's table.
    url: String,
    /// The target's words, cut to a line.
    text: String,
    measure: String,
    status: &'static str,
    status_label: String,
}

/// Measures listed per document in brief; the rest are counted and are in the table.
const ATTENTION_LISTED: usize = 3;

#[derive(Serialize)]
pub(crate) struct TermDocs {
    term: Option<String>,
    documents: Vec<DocSummary>,
}

/// `matrices`: the terms with a matrix, newest first, and how each is split into parts
/// (`dispatch::RenderPass::matrices`); `status_date_iso`: the site's status date.
pub(crate) fn build(
    v: &Views,
    config: &Config,
    matrices: &[(Term, Vec<crate::render::pages::MatrixShare>)],
    status_date_iso: &str,
    u: usize,
) -> Result<UnitPage, crate::diagnostics::Diagnostic> {
    let site = v.site;
    let unit = &site.units[u];
    let mut by_term: BTreeMap<Option<Term>, Vec<usize>> = BTreeMap::new();
    for &d in &unit.documents {
        by_term.entry(site.documents[d].term).or_default().push(d);
    }
    let current = by_term.keys().filter_map(|t| *t).max_by_key(|t| (t.end, t.start));
    let terms = by_term
        .iter()
        .rev()
        .map(|(t, ds)| TermDocs { term: t.map(Term::label), documents: ds.iter().map(|&d| v.doc_summary(d)).collect() })
        .collect();
    let current_documents = match current {
        Some(ct) => by_term[&Some(ct)]
            .iter()
            .filter(|&&d| !site.documents[d].targets.is_empty())
            .map(|&d| current_doc(v, d))
            .collect(),
        None => vec![],
    };
    let rollup_term = if unit.children.is_empty() { None } else { latest_term_below(v, u) };
    let matrix = matrices.first().map(|(t, shares)| {
        // On a split matrix, the part holding the unit (filtered to it), or for a
        // province cut in several parts, the list of its parts on the term's page.
        let root = site.root(u);
        match shares.iter().find(|s| s.root == root) {
            Some(s) if u == root && s.parts.len() > 1 => {
                [v.url(&paths::matrix(*t)), "#".into(), super::matrix::group_anchor(site, root)].concat()
            }
            Some(s) => {
                let at = super::matrix::part_url(site, *t, s, s.part_of(site, u).unwrap_or(0));
                format!("{}?don-vi={}", v.url(&at), unit.path)
            }
            None => format!("{}?don-vi={}", v.url(&paths::matrix(*t)), unit.path),
        }
    });
    Ok(UnitPage {
        name: unit.name.clone(),
        path: unit.path.clone(),
        level: unit.level.clone(),
        code: unit.code.clone(),
        short_name: unit.short_name.clone(),
        // Addresses from content are checked when read; a link is made only of
        // one the URL policy allows, whatever got through.
        website: unit.website.clone().filter(|u| crate::render::markdown::is_allowed_url(u)),
        succeeded_by: unit
            .succeeded_by
            .iter()
            .map(|p| match site.unit_by_path.get(p) {
                Some(&s) => v.unit_link(s),
                None => Link { name: p.clone(), url: String::new() },
            })
            .collect(),
        predecessors: unit.predecessors.iter().map(|&p| predecessor(v, p, u)).collect(),
        succeeded_on: unit.succeeded_on,
        parent: unit.parent.map(|p| v.unit_link(p)),
        body_html: unit.body.with_text(&unit.file, |t| crate::render::markdown::to_html(t, config.allow_html))?,
        children: unit.children.iter().filter(|&&c| !site.is_former(c)).map(|&c| v.unit_summary(c, 1)).collect(),
        former_children: unit.children.iter().filter(|&&c| site.is_former(c)).map(|&c| v.unit_summary(c, 1)).collect(),
        former: unit.succeeded_by.is_empty() && site.is_former(u),
        terms,
        area_documents: if unit.children.is_empty() { vec![] } else { area_documents(v, u) },
        area_results: if unit.children.is_empty() { vec![] } else { area_results(v, u) },
        current_term: current.map(Term::label),
        current_term_ended: current.is_some_and(|t| status_date_iso > format!("{}-12-31", t.end).as_str()),
        current_documents,
        counts: v.status_counts(v.unit_evals(u, true)),
        rollup: if unit.children.is_empty() { vec![] } else { rollup(v, u, rollup_term) },
        rollup_term: rollup_term.map(Term::label),
        across_terms: across_terms(v, u),
        matrix: if unit.children.is_empty() { None } else { matrix },
        scorecard: crate::render::pages::has_scorecard(site, u)
            .then(|| v.url(&paths::beside(&unit.url, paths::SCORECARD))),
        downloads: Downloads {
            csv: v.shared_url(&paths::unit_targets(&unit.url)),
            csv_name: paths::unit_targets_name(&unit.url),
            feed: v.url(&paths::beside(&unit.url, paths::FEED)),
            province: {
                let root = &site.units[site.root(u)];
                let at = [paths::DATA_PAGE, "#", &paths::province_anchor(&root.path)].concat();
                Link { name: root.name.clone(), url: v.url(&at) }
            },
        },
    })
}

/// A unit merged into this one: its page, when it was merged, and its last term's
/// documents as the unit's own page sums them up (targets by status, the final results).
#[derive(Serialize)]
pub(crate) struct Predecessor {
    unit: Link,
    succeeded_on: Option<crate::vi::date::VnDate>,
    /// Its other successors, when it was split.
    shared_with: Vec<Link>,
    last_term: Option<String>,
    documents: Vec<CurrentDoc>,
    /// That term's documents without targets (a review, a conclusion): listed.
    other_documents: Vec<DocSummary>,
    /// The results reported as final (`final: true`) for that term's targets.
    final_results: Vec<ResultView>,
}

fn predecessor(v: &Views, p: usize, this: usize) -> Predecessor {
    let site = v.site;
    let unit = &site.units[p];
    let shared_with = unit
        .succeeded_by
        .iter()
        .filter_map(|s| site.unit_by_path.get(s).copied())
        .filter(|&s| s != this)
        .map(|s| v.unit_link(s))
        .collect();
    let last = unit.documents.iter().filter_map(|&d| site.documents[d].term).max();
    let (last_docs, others): (Vec<usize>, Vec<usize>) = unit
        .documents
        .iter()
        .copied()
        .filter(|&d| site.documents[d].term == last)
        .partition(|&d| !site.documents[d].targets.is_empty());
    // The final results of that term's targets (whoever reports them), and those its
    // documents report on no target; not a result on an earlier term's target.
    let mut finals: Vec<usize> = Vec::new();
    for &d in last_docs.iter().chain(&others) {
        let reported = site.measures_in(d).flat_map(|(_, m)| m.results.iter().copied());
        let unlinked = site.documents[d].results.iter().copied().filter(|&ri| site.results[ri].target.is_none());
        for ri in reported.chain(unlinked) {
            if site.results[ri].is_final && !finals.contains(&ri) {
                finals.push(ri);
            }
        }
    }
    let documents = last_docs.iter().map(|&d| current_doc(v, d)).collect();
    let other_documents = others.iter().map(|&d| v.doc_summary(d)).collect();
    Predecessor {
        unit: v.unit_link(p),
        succeeded_on: unit.succeeded_on,
        shared_with,
        last_term: last.map(Term::label),
        documents,
        other_documents,
        final_results: finals.into_iter().map(|ri| v.result_view(ri)).collect(),
    }
}

fn current_doc(v: &Views, d: usize) -> CurrentDoc {
    let site = v.site;
    let doc = &site.documents[d];
    // Not met first, then overdue without a result; each in the document's order.
    let mut not_met = Vec::new();
    let mut overdue = Vec::new();
    for (r, _) in site.measures_in(d) {
        let e = v.computed.get(r);
        match e.status {
            Status::NotMet => not_met.push(r),
            Status::Overdue => overdue.push(r),
            _ => {}
        }
    }
    let total = not_met.len() + overdue.len();
    let attention = not_met
        .into_iter()
        .chain(overdue)
        .take(ATTENTION_LISTED)
        .map(|r| {
            let t = &doc.targets[r.target()];
            let e = v.computed.get(r);
            let mut url = v.target_url(doc, &t.id);
            // A target's later measures have rows of their own ("chi-tieu-1.2-2").
            if r.measure() > 0 {
                url.push_str(&format!("-{}", r.measure() + 1));
            }
            Attention {
                id: display_number(&t.id).unwrap_or_default(),
                url,
                text: short_text(&t.text, 120),
                measure: v.measure_text(site.measure(r)),
                status: e.status.as_str(),
                status_label: v.strings.get(e.status.label_key()),
            }
        })
        .collect::<Vec<_>>();
    CurrentDoc {
        doc: v.doc_summary(d),
        counts: v.status_counts(v.doc_evals(d)),
        more: total - attention.len(),
        attention,
    }
}

/// Home and the units above, without the unit itself.
pub(crate) fn breadcrumbs(v: &Views, u: usize) -> Vec<Link> {
    let mut crumbs = v.breadcrumbs(u);
    crumbs.pop();
    crumbs
}

/// How many of the area's latest documents and results a unit's page lists.
const AREA_LISTED: usize = 10;

/// The documents of the units below `u`, not its own (its page lists those by term).
fn area_docs(v: &Views, u: usize) -> Vec<usize> {
    v.descendants(u).into_iter().filter(|&x| x != u).flat_map(|x| v.site.units[x].documents.iter().copied()).collect()
}

/// The latest documents of the units below `u`, newest first.
fn area_documents(v: &Views, u: usize) -> Vec<DocSummary> {
    let mut docs = area_docs(v, u);
    v.newest_first(&mut docs);
    docs.into_iter().take(AREA_LISTED).map(|d| v.doc_summary(d)).collect()
}

/// The latest results reported by documents of the units below `u`, newest first.
fn area_results(v: &Views, u: usize) -> Vec<ResultView> {
    let site = v.site;
    let mut results: Vec<usize> =
        area_docs(v, u).into_iter().flat_map(|d| site.documents[d].results.iter().copied()).collect();
    results.sort_by(|a, b| {
        let (ra, rb) = (&site.results[*a], &site.results[*b]);
        rb.date().end().cmp(&ra.date().end()).then_with(|| {
            (site.documents[ra.doc].path.as_str(), ra.number).cmp(&(site.documents[rb.doc].path.as_str(), rb.number))
        })
    });
    results.into_iter().take(AREA_LISTED).map(|ri| v.result_view(ri)).collect()
}

/// The latest term of the documents at or below `unit` that set targets with an
/// indicator: the term its roll-up shows, so that a province whose wards were merged
/// counts the units of that term, not the old and the new ones together.
fn latest_term_below(v: &Views, unit: usize) -> Option<Term> {
    let site = v.site;
    let mut stack = vec![unit];
    let mut latest: Option<Term> = None;
    while let Some(u) = stack.pop() {
        stack.extend(&site.units[u].children);
        for &di in &site.units[u].documents {
            let d = &site.documents[di];
            if let Some(t) = d.term
                && d.targets.iter().flat_map(|t| &t.measures).any(|m| m.indicator().is_some())
                && latest.is_none_or(|l| (t.end, t.start) > (l.end, l.start))
            {
                latest = Some(t);
            }
        }
    }
    latest
}

/// A province or district: the indicators its units set, with their statuses, in
/// `term` (documents without a term count in any).
pub(crate) fn rollup(v: &Views, unit: usize, term: Option<Term>) -> Vec<IndicatorSummary> {
    let site = v.site;
    // The rows of every comparison that lie under `unit` are the measures with an
    // indicator of the documents under it: read from those documents, so a province's
    // page costs its own size, not the whole country's.
    #[derive(Default)]
    struct Acc<'a> {
        units: BTreeSet<usize>,
        evals: Vec<&'a Evaluation>,
        results: usize,
    }
    let mut by: BTreeMap<usize, Acc> = BTreeMap::new();
    let mut stack = vec![unit];
    while let Some(u) = stack.pop() {
        stack.extend(&site.units[u].children);
        for &di in &site.units[u].documents {
            if let (Some(t), Some(dt)) = (term, site.documents[di].term)
                && t != dt
            {
                continue;
            }
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
            let ind = &v.indicators[ii];
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
    // What has data first (unit.html folds the rest); a key per item, not two per
    // comparison: most indicators tie on the count.
    out.sort_by_cached_key(|a| (a.results == 0, std::cmp::Reverse(a.units), collate::key(&a.link.name)));
    out
}

#[derive(Serialize)]
pub(crate) struct AcrossTerms {
    pub(crate) indicator: Link,
    pub(crate) rows: Vec<TermRow>,
}

#[derive(Serialize)]
pub(crate) struct TermRow {
    pub(crate) term: String,
    /// The unit the row belongs to, when it is not the page's own: a unit merged into
    /// it, or the one it became.
    pub(crate) unit: Option<Link>,
    pub(crate) target: Option<String>,
    pub(crate) target_url: Option<String>,
    /// The target's status key (its CSS class, `status-<key>`).
    pub(crate) status: Option<&'static str>,
    /// The target's status in words.
    pub(crate) status_label: Option<String>,
    pub(crate) result: Option<ResultView>,
}

/// The same indicator in several terms of one place: the earlier term's result next to
/// the later term's target, through a merger or split (each row says whose it is).
pub(crate) fn across_terms(v: &Views, unit: usize) -> Vec<AcrossTerms> {
    let site = v.site;
    // indicator → (term, unit's name order, unit) → (measures, results)
    type ByTerm = BTreeMap<(Term, usize, usize), (Vec<MeasureRef>, Vec<usize>)>;
    let mut by: BTreeMap<usize, ByTerm> = BTreeMap::new();
    for u in site.place(unit) {
        for &d in &site.units[u].documents {
            let doc = &site.documents[d];
            let Some(term) = doc.term else { continue };
            let key = (term, site.name_rank[u] as usize, u);
            for (r, m) in site.measures_in(d) {
                if let Some(ii) = m.indicator() {
                    by.entry(ii).or_default().entry(key).or_default().0.push(r);
                }
            }
            for &ri in &doc.results {
                let r = &site.results[ri];
                if r.target.is_none()
                    && let Some(ii) = r.indicator()
                {
                    by.entry(ii).or_default().entry(key).or_default().1.push(ri);
                }
            }
        }
    }
    let mut out = Vec::new();
    for (ii, terms) in by {
        // A table when the indicator is in two terms or more.
        if terms.keys().map(|k| k.0).collect::<BTreeSet<_>>().len() < 2 {
            continue;
        }
        let ind = &v.indicators[ii];
        let rows = terms
            .iter()
            .map(|(&(t, _, u), (ms, rs))| {
                let m = ms.first().copied();
                let ev = m.map(|m| v.computed.get(m));
                let result = ev.and_then(|e| e.result).or_else(|| rs.last().copied()).map(|ri| v.result_view(ri));
                TermRow {
                    term: t.label(),
                    unit: (u != unit).then(|| v.unit_link(u)),
                    target: m.map(|m| v.measure_text(site.measure(m))),
                    target_url: m.map(|m| {
                        let d = &site.documents[m.doc()];
                        v.target_url(d, &d.targets[m.target()].id)
                    }),
                    status: ev.map(|e| e.status.as_str()),
                    status_label: ev.map(|e| v.strings.get(e.status.label_key())),
                    result,
                }
            })
            .collect();
        out.push(AcrossTerms { indicator: v.link_to_indicator(ind), rows });
    }
    out.sort_by_cached_key(|a| collate::key(&a.indicator.name));
    out
}
