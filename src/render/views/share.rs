//! What a page says of itself when it is shared or listed by a search engine: its
//! title and a one-line description made from its content (a document's summary or its
//! kind, unit and counts; a unit's counts by status; an indicator's description), for
//! `<meta name="description">`, Open Graph and Twitter cards. Words from the theme's
//! strings (`[share]`).

use super::*;
use crate::render::pages::{Page, PageKind};
use serde::Serialize;

#[derive(Serialize, Default)]
pub(crate) struct Share {
    /// The page's own name, without the site's ("Phường 14", an indicator's name).
    pub title: String,
    pub description: String,
}

/// Measures by status in words: "39 quá hạn, chưa báo cáo, 1 đạt".
fn by_status(v: &Views, evals: Vec<&Evaluation>) -> String {
    v.status_counts(evals)
        .into_iter()
        .filter(|c| c.count > 0)
        .map(|c| format!("{} {}", v.strings.number(c.count as f64, 0), c.label.to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn of(v: &Views, info: &SiteInfo, page: &Page) -> Share {
    let site = v.site;
    let s = v.strings;
    let n = |x: usize| v.strings.number(x as f64, 0);
    let fallback = || info.description.map(str::to_string).unwrap_or_else(|| s.fmt("share.site", &[]));
    let section = |key: &str| Share { title: s.get(key), description: fallback() };
    use PageKind::*;
    match page.kind {
        Home => Share {
            title: info.title.to_string(),
            description: info.description.map(str::to_string).unwrap_or_else(|| {
                s.fmt(
                    "share.home",
                    &[
                        ("units", n(info.totals.units)),
                        ("documents", n(info.totals.documents)),
                        ("measures", n(info.totals.measures)),
                        ("results", n(info.totals.results)),
                    ],
                )
            }),
        },
        Unit(u) | Scorecard(u) => {
            let unit = &site.units[u];
            let evals = v.unit_evals(u, true);
            let measures = evals.len();
            let description = if measures == 0 {
                s.fmt("share.unit_empty", &[("unit", unit.name.clone())])
            } else {
                s.fmt(
                    "share.unit",
                    &[("unit", unit.name.clone()), ("measures", n(measures)), ("statuses", by_status(v, evals))],
                )
            };
            let title = match page.kind {
                Scorecard(_) => s.fmt("scorecard.title", &[("unit", unit.name.clone())]),
                _ => unit.name.clone(),
            };
            Share { title, description }
        }
        Document(d) => {
            let doc = &site.documents[d];
            let description = doc.summary.clone().unwrap_or_else(|| {
                let evals = v.doc_evals(d);
                let counts = v.counts_by_kind(doc.targets.iter().map(|t| t.kind));
                s.fmt(
                    "share.document",
                    &[
                        ("kind", s.get(doc.kind.label_key())),
                        ("unit", site.units[doc.unit].name.clone()),
                        ("counts", if counts.is_empty() { s.get("share.no_targets") } else { counts }),
                        ("statuses", by_status(v, evals)),
                    ],
                )
            });
            Share { title: doc.title.clone(), description: description.trim_end_matches([' ', ':']).to_string() }
        }
        Indicator(ci) | IndicatorPart(ci, _) => {
            let c = &v.computed.comparisons[ci];
            let ind = &v.indicators[c.indicator];
            // A province's part counts its own units (it reads only its rows).
            let root = match page.kind {
                IndicatorPart(_, r) => Some(r),
                _ => None,
            };
            let units: std::collections::BTreeSet<usize> = c
                .classes
                .iter()
                .flat_map(|k| &k.entries)
                .map(|e| site.documents[e.measure.doc()].unit)
                .filter(|&u| root.is_none_or(|r| site.root(u) == r))
                .collect();
            let counts = s.fmt("share.indicator", &[("indicator", ind.name.clone()), ("units", n(units.len()))]);
            let description = match &ind.description {
                Some(d) => format!("{d} {counts}"),
                None => counts,
            };
            Share { title: ind.name.clone(), description }
        }
        Field(f) => Share { title: v.fields[f].name.clone(), description: fallback() },
        Matrix(t) | MatrixPart(t, _) => {
            Share { title: s.fmt("matrix_title", &[("term", t.label())]), description: fallback() }
        }
        IndicatorIndex => section("indicator_index"),
        FieldIndex => section("fields"),
        MatrixIndex => section("matrix"),
        DataPage => section("open_data"),
        Status => section("status_page"),
        Search => section("search"),
        NotFound => section("not_found_title"),
        IndicatorAlias(..) | UnitData(_) | UnitFeed(_) | IndicatorFeed(_) | SiteFeed | Data(_) | ProvinceData(..)
        | Sitemap | SearchIndex(_) | Image(_) | Robots => Share::default(),
    }
}
