//! Atom feeds of new results and status changes, per unit and per indicator, so a
//! journalist can follow a ward or an indicator in a feed reader.
//!
//! An entry is a result: what was reported, when, and the status it gave the target
//! (with the status before it when it changed). Entry dates are the results' as-of
//! dates, so feeds are as deterministic as the pages.
//!
//! A unit's feed has every result of its area (its own documents' and those of every
//! unit below it), so a journalist follows a province in one feed; the site's feed
//! (`/atom.xml`) has them all. Ids are tag URIs made of the content's stable paths
//! (`tag:minhbach,2025:<document>/ket-qua-3/<target document>/<target id>`), never of
//! the site's address: setting or moving `base_url` does not make a reader see every
//! entry again.

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
    /// The document's original file, at the result's page when it gives one (a
    /// `rel="related"` link: the reader checks the figure where it stands).
    original: Option<String>,
}

/// An Atom id (an absolute IRI, RFC 4151 tag URI) from a content path: the same
/// wherever the site is published. In another edition (`languages`) the entry is told
/// in other words, so it is another entry: the same id with the language as fragment
/// ("…#en"), which a tag URI allows.
fn tag(v: &Views, path: &str) -> String {
    match v.edition {
        None => format!("tag:minhbach,2025:{path}"),
        Some(lang) => format!("tag:minhbach,2025:{path}#{lang}"),
    }
}

/// An entry's id: the result, and for a status entry the measure it reports on.
fn entry_id(v: &Views, c: &Candidate) -> String {
    let site = v.site;
    let r = &site.results[c.result];
    let result = format!("{}/{}", site.documents[r.doc].path, Views::result_anchor(r));
    match c.linked {
        Some((m, ..)) => {
            let d = &site.documents[m.doc()];
            let t = &d.targets[m.target()];
            let measure = if t.measures.len() > 1 { format!("/{}", m.measure() + 1) } else { String::new() };
            tag(v, &format!("{result}/{}/{}{measure}", d.path, t.id))
        }
        None => tag(v, &result),
    }
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
    let mut last: Option<(usize, String)> = None;
    for c in &candidates {
        let e = entry(v, origin, c);
        // The same result reported the same way twice (two measures of one target) is
        // one entry.
        if last.as_ref().is_some_and(|(r, t)| *r == c.result && *t == e.title) {
            continue;
        }
        last = Some((c.result, e.title.clone()));
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
            let label =
                r.label.clone().or_else(|| v.indicator_at(r.indicator()).map(|i| i.name.clone())).unwrap_or_default();
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
    let original = v.original_at(rd, r.page).map(|o| format!("{origin}{o}"));
    FeedEntry { id: entry_id(v, c), title, updated: rfc3339(&r.as_of), url, summary, original }
}

/// When a feed without entries was last updated: its newest document, else the date
/// statuses are computed at (a feed reader shows an empty feed as current, not as of
/// 1970). Not the site's newest document: an edit elsewhere would then change every
/// empty feed.
fn fallback(v: &Views, info: &SiteInfo, docs: impl Iterator<Item = usize>) -> String {
    let site = v.site;
    docs.filter_map(|d| site.documents[d].issued.or(site.documents[d].posted))
        .map(|d| d.end())
        .max()
        .map(|d| format!("{d}T00:00:00Z"))
        .unwrap_or_else(|| format!("{}T00:00:00Z", info.status_date_iso))
}

#[allow(clippy::too_many_arguments)]
fn feed<'a>(
    v: &Views,
    info: &'a SiteInfo<'a>,
    id: String,
    title: String,
    page: String,
    self_url: String,
    fallback: String,
    entries: Vec<FeedEntry>,
) -> Feed<'a> {
    let updated = entries.iter().map(|e| e.updated.clone()).max().unwrap_or(fallback);
    Feed {
        site: info,
        id: tag(v, &id),
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
    // Every document of the area: the unit's own and those of every unit below it.
    let mut docs = Vec::new();
    let mut stack = vec![u];
    while let Some(x) = stack.pop() {
        docs.extend(site.units[x].documents.iter().copied());
        stack.extend(site.units[x].children.iter().copied());
    }
    docs.sort_unstable();
    let (measures, unlinked) = scope(v, &docs);
    let entries = entries_for(v, &info.origin, &measures, &unlinked);
    let title = v.strings.fmt("feed.unit_title", &[("unit", unit.name.clone())]);
    let page = v.url(&unit.url);
    let at = v.url(&paths::beside(&unit.url, paths::FEED));
    feed(
        v,
        info,
        format!("{}/{}", unit.path, paths::FEED),
        title,
        page,
        at,
        fallback(v, info, docs.into_iter()),
        entries,
    )
}

/// The measures of `docs` and their results that report on no target.
fn scope(v: &Views, docs: &[usize]) -> (Vec<MeasureRef>, Vec<usize>) {
    let site = v.site;
    let measures = docs.iter().flat_map(|&d| site.measures_in(d).map(|(r, _)| r)).collect();
    let unlinked = docs
        .iter()
        .flat_map(|&d| site.documents[d].results.iter().copied())
        .filter(|&ri| site.results[ri].target.is_none())
        .collect();
    (measures, unlinked)
}

/// The site's feed: every result of every unit.
pub(crate) fn site<'a>(v: &Views, info: &'a SiteInfo<'a>) -> Feed<'a> {
    let docs: Vec<usize> = (0..v.site.documents.len()).collect();
    let (measures, unlinked) = scope(v, &docs);
    let entries = entries_for(v, &info.origin, &measures, &unlinked);
    let title = v.strings.fmt("feed.site_title", &[("site", info.title.to_string())]);
    feed(
        v,
        info,
        paths::FEED.into(),
        title,
        v.url("/"),
        v.url(&["/", paths::FEED].concat()),
        fallback(v, info, 0..v.site.documents.len()),
        entries,
    )
}

pub(crate) fn indicator<'a>(v: &Views, info: &'a SiteInfo<'a>, ci: usize) -> Feed<'a> {
    let c = &v.computed.comparisons[ci];
    let ind = &v.indicators[c.indicator];
    let measures: Vec<MeasureRef> = c.classes.iter().flat_map(|k| &k.entries).map(|e| e.measure).collect();
    let entries = entries_for(v, &info.origin, &measures, &c.unlinked_results);
    let title = v.strings.fmt("feed.indicator_title", &[("indicator", ind.name.clone())]);
    let page = v.indicator_url(ind);
    let docs: Vec<usize> =
        measures.iter().map(|m| m.doc()).chain(c.unlinked_results.iter().map(|&r| v.site.results[r].doc)).collect();
    let id = format!("{}{}/{}", paths::INDICATORS.trim_start_matches('/'), ind.key, paths::FEED);
    feed(
        v,
        info,
        id,
        title,
        page.clone(),
        paths::beside(&page, paths::FEED),
        fallback(v, info, docs.into_iter()),
        entries,
    )
}
