//! Atom feeds of new results and status changes, per unit and per indicator, so a
//! journalist can follow a ward or an indicator in a feed reader.
//!
//! An entry is a result: what was reported, when, and the status it gave the target
//! (with the status before it when it changed). Entry dates are the results' as-of
//! dates, so feeds are as deterministic as the pages.

use super::{SiteInfo, Views};
use crate::compute::{history, status::Status};
use crate::model::MeasureRef;
use crate::render::paths;
use serde::Serialize;

const MAX_ENTRIES: usize = 100;

/// What feed.xml receives: the whole context (no `page` around it).
#[derive(Serialize)]
pub(crate) struct Feed<'a> {
    site: &'a SiteInfo<'a>,
    title: String,
    id: String,
    self_url: String,
    page_url: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

#[derive(Serialize)]
struct FeedEntry {
    id: String,
    title: String,
    updated: String,
    url: String,
    summary: String,
}

/// Atom ids must be absolute IRIs: the address when the site has an origin, else a URN.
fn atom_id(origin: &str, url: &str) -> String {
    if origin.is_empty() { format!("urn:minhbach:{}", url.trim_start_matches('/')) } else { url.to_string() }
}

fn rfc3339(d: &crate::vi::date::VnDate) -> String {
    format!("{}T00:00:00Z", d.end())
}

/// What an entry will be, before any of its text is written: feeds keep the newest
/// `MAX_ENTRIES`, and an indicator's feed chooses them from every result of the site.
struct Candidate<'a> {
    /// Newest first: as-of date, then document path, then result number.
    sort: (jiff::civil::Date, &'a str, usize),
    result: usize,
    /// The measure it reports on, with the statuses before and after it.
    linked: Option<(MeasureRef, Status, Status)>,
}

fn entries_for(v: &Views, origin: &str, measures: &[MeasureRef], unlinked: &[usize]) -> Vec<FeedEntry> {
    let site = v.site;
    let sort_key = |ri: usize| {
        let r = &site.results[ri];
        (r.as_of.end(), site.documents[r.doc].path.as_str(), r.number)
    };
    let mut candidates = Vec::new();
    for &m in measures {
        let mut before = Status::NoData;
        for (ri, e) in history(site, m) {
            candidates.push(Candidate { sort: sort_key(ri), result: ri, linked: Some((m, before, e.status)) });
            before = e.status;
        }
    }
    for &ri in unlinked {
        candidates.push(Candidate { sort: sort_key(ri), result: ri, linked: None });
    }
    // A stable sort, as before: entries of the same result keep the order they came in.
    candidates.sort_by(|a, b| b.sort.cmp(&a.sort));
    let mut out: Vec<FeedEntry> = Vec::with_capacity(MAX_ENTRIES.min(candidates.len()));
    for c in &candidates {
        let e = entry(v, origin, c);
        // The same result reported the same way twice (two measures of one target) is
        // one entry.
        if out.last().is_some_and(|l| l.id == e.id && l.title == e.title) {
            continue;
        }
        out.push(e);
        if out.len() == MAX_ENTRIES {
            break;
        }
    }
    out
}

fn entry(v: &Views, origin: &str, c: &Candidate) -> FeedEntry {
    let site = v.site;
    let r = &site.results[c.result];
    let rd = &site.documents[r.doc];
    let url = format!("{origin}{}", v.result_url(r));
    // A result's title: the unit, what it measures and its value.
    let result_title = |unit: usize, label: String| {
        v.strings.fmt(
            "feed.result",
            &[("unit", site.units[unit].name.clone()), ("label", label), ("value", v.result_value_text(r))],
        )
    };
    let (title, summary) = match c.linked {
        Some((m, before, after)) => {
            let d = &site.documents[m.doc()];
            let t = &d.targets[m.target()];
            let meas = site.measure(m);
            let label = v.measure_label(t, meas);
            let status = |s: Status| v.strings.get(s.label_key());
            let title = if after != before {
                v.strings.fmt(
                    "feed.change",
                    &[
                        ("unit", site.units[d.unit].name.clone()),
                        ("label", label),
                        ("before", status(before)),
                        ("after", status(after)),
                    ],
                )
            } else {
                result_title(d.unit, label)
            };
            let summary = v.strings.fmt(
                "feed.summary",
                &[
                    ("value", v.result_value_text(r)),
                    ("date", r.as_of.short()),
                    ("target", v.measure_text(meas)),
                    ("quote", r.quote.clone()),
                    ("document", rd.title.clone()),
                ],
            );
            (title, summary)
        }
        None => {
            let label = r
                .label
                .clone()
                .or_else(|| site.indicator_at(r.indicator()).map(|i| i.name.clone()))
                .unwrap_or_default();
            let title = result_title(rd.unit, label);
            let summary = v.strings.fmt(
                "feed.summary_unlinked",
                &[
                    ("value", v.result_value_text(r)),
                    ("date", r.as_of.short()),
                    ("quote", r.quote.clone()),
                    ("document", rd.title.clone()),
                ],
            );
            (title, summary)
        }
    };
    FeedEntry { id: atom_id(origin, &url), title, updated: rfc3339(&r.as_of), url, summary }
}

fn feed<'a>(
    info: &'a SiteInfo<'a>,
    title: String,
    page: String,
    self_url: String,
    fallback: String,
    entries: Vec<FeedEntry>,
) -> Feed<'a> {
    let updated = entries.iter().map(|e| e.updated.clone()).max().unwrap_or(fallback);
    Feed {
        site: info,
        id: atom_id(&info.origin, &format!("{}{}", info.origin, self_url)),
        title,
        self_url: format!("{}{}", info.origin, self_url),
        page_url: format!("{}{}", info.origin, page),
        updated,
        entries,
    }
}

pub(crate) fn unit<'a>(v: &Views, info: &'a SiteInfo<'a>, u: usize) -> Feed<'a> {
    let site = v.site;
    let unit = &site.units[u];
    let mut measures = Vec::new();
    let mut unlinked = Vec::new();
    for &d in &unit.documents {
        let doc = &site.documents[d];
        measures.extend(site.measures_in(d).map(|(r, _)| r));
        unlinked.extend(doc.results.iter().copied().filter(|&ri| site.results[ri].target.is_none()));
    }
    let fallback = unit
        .documents
        .iter()
        .filter_map(|&d| site.documents[d].issued)
        .max_by_key(|d| d.end())
        .map(|d| rfc3339(&d))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let entries = entries_for(v, &info.origin, &measures, &unlinked);
    let title = v.strings.fmt("feed.unit_title", &[("unit", unit.name.clone())]);
    feed(info, title, v.url(&unit.url), v.url(&paths::beside(&unit.url, paths::FEED)), fallback, entries)
}

pub(crate) fn indicator<'a>(v: &Views, info: &'a SiteInfo<'a>, ci: usize) -> Feed<'a> {
    let c = &v.computed.comparisons[ci];
    let ind = &v.site.indicators[c.indicator];
    let measures: Vec<MeasureRef> = c.classes.iter().flat_map(|k| &k.entries).map(|e| e.measure).collect();
    let entries = entries_for(v, &info.origin, &measures, &c.unlinked_results);
    let title = v.strings.fmt("feed.indicator_title", &[("indicator", ind.name.clone())]);
    let page = v.indicator_url(ind);
    feed(info, title, page.clone(), paths::beside(&page, paths::FEED), "1970-01-01T00:00:00Z".into(), entries)
}
