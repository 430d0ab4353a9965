//! Which pages the site has, where each is written, and the context of each.
//! Pages are listed first and rendered later (in parallel, one at a time per thread),
//! so no build holds every rendered page in memory.

use super::Renderer;
use super::views::*;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::{MeasureRef, Site};
use crate::vi::collate;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    Unit(usize),
    Document(usize),
    FieldIndex,
    Field(usize),
    Status,
    NotFound,
    /// Only for an absolute base_url: sitemaps need full addresses.
    Sitemap,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Output path relative to the output folder, `/`-separated.
    pub output: String,
    pub kind: PageKind,
}

pub fn list(site: &Site, config: &Config) -> Vec<Page> {
    let mut pages = vec![
        Page {
            output: "index.html".into(),
            kind: PageKind::Home,
        },
        Page {
            output: "404.html".into(),
            kind: PageKind::NotFound,
        },
        Page {
            output: "trang-thai/index.html".into(),
            kind: PageKind::Status,
        },
        Page {
            output: "linh-vuc/index.html".into(),
            kind: PageKind::FieldIndex,
        },
    ];
    for (i, u) in site.units.iter().enumerate() {
        pages.push(Page {
            output: format!("{}index.html", u.url.trim_start_matches('/')),
            kind: PageKind::Unit(i),
        });
    }
    for (i, d) in site.documents.iter().enumerate() {
        pages.push(Page {
            output: format!("{}index.html", d.url.trim_start_matches('/')),
            kind: PageKind::Document(i),
        });
    }
    for (i, f) in site.fields.iter().enumerate() {
        pages.push(Page {
            output: format!("linh-vuc/{}/index.html", f.key),
            kind: PageKind::Field(i),
        });
    }
    if config.base_url.contains("://") {
        pages.push(Page {
            output: "sitemap.xml".into(),
            kind: PageKind::Sitemap,
        });
    }
    pages
}

#[derive(Serialize)]
struct SitemapPage {
    urls: Vec<String>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    description: Option<&'a str>,
    lang: &'a str,
    base: &'a str,
    base_url: &'a str,
    /// "https://example.org" when base_url is absolute, else empty: for canonical links.
    origin: String,
    status_date: String,
    totals: Totals,
    fields: Vec<Link>,
}

#[derive(Serialize, Clone, Copy)]
struct Totals {
    units: usize,
    documents: usize,
    targets: usize,
    measures: usize,
    results: usize,
}

#[derive(Serialize)]
struct Ctx<'a, T: Serialize> {
    site: &'a SiteInfo<'a>,
    /// This page's address, for the canonical link and the language switch.
    page_url: String,
    breadcrumbs: Vec<Link>,
    page: T,
}

/// Everything pages share, computed once per build.
pub struct Shared<'a> {
    info: SiteInfo<'a>,
}

impl<'a> Shared<'a> {
    pub fn new(
        config: &'a Config,
        views: &Views<'a>,
        status_date: jiff::civil::Date,
    ) -> Shared<'a> {
        let site = views.site;
        let totals = Totals {
            units: site.units.len(),
            documents: site.documents.len(),
            targets: site.documents.iter().map(|d| d.targets.len()).sum(),
            measures: site
                .documents
                .iter()
                .flat_map(|d| &d.targets)
                .map(|t| t.measures.len())
                .sum(),
            results: site.results.len(),
        };
        Shared {
            info: SiteInfo {
                title: &config.title,
                description: config.description.as_deref(),
                lang: &config.language,
                base: views.base,
                base_url: &config.base_url,
                origin: match config.base_url.find("://") {
                    Some(i) => config.base_url[..i
                        + 3
                        + config.base_url[i + 3..]
                            .find('/')
                            .unwrap_or(config.base_url.len() - i - 3)]
                        .to_string(),
                    None => String::new(),
                },
                status_date: crate::vi::date::VnDate::from_date(status_date).short(),
                totals,
                fields: site
                    .fields
                    .iter()
                    .filter_map(|f| views.field_link(&f.key))
                    .collect(),
            },
        }
    }
}

#[derive(Serialize)]
struct HomePage {
    roots: Vec<UnitSummary>,
    latest: Vec<DocSummary>,
    counts: Vec<StatusCount>,
}

#[derive(Serialize)]
struct UnitPage {
    name: String,
    level: String,
    code: Option<String>,
    short_name: Option<String>,
    website: Option<String>,
    succeeded_by: Option<Link>,
    succeeded_on: Option<crate::vi::date::VnDate>,
    parent: Option<Link>,
    body_html: String,
    children: Vec<UnitSummary>,
    terms: Vec<TermDocs>,
    current_term: Option<String>,
    current_targets: Vec<TargetView>,
    results: Vec<ResultView>,
    counts: Vec<StatusCount>,
}

#[derive(Serialize)]
struct TermDocs {
    term: Option<String>,
    documents: Vec<DocSummary>,
}

#[derive(Serialize)]
struct DocumentPage {
    title: String,
    kind: crate::model::DocKind,
    kind_label: String,
    number: Option<String>,
    issued: crate::vi::date::VnDate,
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
    recipients: Vec<String>,
    summary: Option<String>,
    unit: Link,
    body_html: String,
    groups: Vec<GroupView>,
    target_count: usize,
    results: Vec<ResultView>,
    counts: Vec<StatusCount>,
}

#[derive(Serialize)]
struct FieldIndexPage {
    fields: Vec<FieldSummary>,
}

#[derive(Serialize)]
struct FieldSummary {
    link: Link,
    description: Option<String>,
    targets: usize,
    counts: Vec<StatusCount>,
}

#[derive(Serialize)]
struct FieldPage {
    name: String,
    key: String,
    description: Option<String>,
    indicators: Vec<IndicatorSection>,
    others: Vec<TargetView>,
    counts: Vec<StatusCount>,
}

#[derive(Serialize)]
struct IndicatorSection {
    key: String,
    anchor: String,
    name: String,
    description: Option<String>,
    unit: Option<String>,
    direction: crate::model::Direction,
    rows: Vec<IndicatorRow>,
    results: Vec<ResultView>,
}

#[derive(Serialize)]
struct IndicatorRow {
    target: TargetView,
    /// Positions in `target.measures` of the measures of this indicator.
    measure: MeasureView,
}

#[derive(Serialize)]
struct StatusPage {
    statuses: Vec<StatusCount>,
}

pub fn render(
    r: &Renderer,
    v: &Views,
    shared: &Shared,
    config: &Config,
    page: &Page,
) -> Result<String, Diagnostic> {
    let site = v.site;
    let info = &shared.info;
    let page_url = v.url(&format!("/{}", page.output.trim_end_matches("index.html")));
    let home = || {
        vec![Link {
            name: v.strings.get("home"),
            url: v.url("/"),
        }]
    };
    match page.kind {
        PageKind::Home => {
            let mut docs: Vec<usize> = (0..site.documents.len()).collect();
            docs.sort_by(|a, b| {
                let (da, db) = (&site.documents[*a], &site.documents[*b]);
                db.issued
                    .start()
                    .cmp(&da.issued.start())
                    .then_with(|| da.path.cmp(&db.path))
            });
            let all: Vec<_> = (0..site.documents.len())
                .flat_map(|d| v.doc_evals(d))
                .collect();
            let ctx = HomePage {
                roots: site.roots.iter().map(|&u| v.unit_summary(u, 3)).collect(),
                latest: docs
                    .into_iter()
                    .take(10)
                    .map(|d| v.doc_summary(d))
                    .collect(),
                counts: v.status_counts(all),
            };
            r.render(
                "home.html",
                &Ctx {
                    site: info,
                    page_url,
                    breadcrumbs: vec![],
                    page: ctx,
                },
            )
        }
        PageKind::Unit(u) => {
            let unit = &site.units[u];
            let mut by_term: BTreeMap<Option<crate::model::Term>, Vec<usize>> = BTreeMap::new();
            for &d in &unit.documents {
                by_term.entry(site.documents[d].term).or_default().push(d);
            }
            let current = by_term
                .keys()
                .filter_map(|t| *t)
                .max_by_key(|t| (t.end, t.start));
            let terms = by_term
                .iter()
                .rev()
                .map(|(t, ds)| TermDocs {
                    term: t.map(|t| format!("{}–{}", t.start, t.end)),
                    documents: ds.iter().map(|&d| v.doc_summary(d)).collect(),
                })
                .collect();
            let mut current_targets = Vec::new();
            if let Some(ct) = current {
                for &d in &by_term[&Some(ct)] {
                    for ti in 0..site.documents[d].targets.len() {
                        current_targets.push(v.target_view(d, ti));
                    }
                }
            }
            let results = unit
                .documents
                .iter()
                .flat_map(|&d| {
                    site.documents[d]
                        .results
                        .iter()
                        .map(|&ri| v.result_view(ri))
                })
                .collect();
            let ctx = UnitPage {
                name: unit.name.clone(),
                level: unit.level.clone(),
                code: unit.code.clone(),
                short_name: unit.short_name.clone(),
                website: unit.website.clone(),
                succeeded_by: unit
                    .succeeded_by
                    .as_ref()
                    .map(|p| match site.unit_by_path.get(p) {
                        Some(&s) => v.unit_link(s),
                        None => Link {
                            name: p.clone(),
                            url: String::new(),
                        },
                    }),
                succeeded_on: unit.succeeded_on,
                parent: unit.parent.map(|p| v.unit_link(p)),
                body_html: super::markdown::to_html(&unit.body, config.allow_html),
                children: unit
                    .children
                    .iter()
                    .map(|&c| v.unit_summary(c, 1))
                    .collect(),
                terms,
                current_term: current.map(|t| format!("{}–{}", t.start, t.end)),
                current_targets,
                results,
                counts: v.status_counts(v.unit_evals(u, true)),
            };
            let mut crumbs = v.breadcrumbs(u);
            crumbs.pop();
            r.render(
                "unit.html",
                &Ctx {
                    site: info,
                    page_url,
                    breadcrumbs: crumbs,
                    page: ctx,
                },
            )
        }
        PageKind::Document(di) => {
            let d = &site.documents[di];
            let ctx = DocumentPage {
                title: d.title.clone(),
                kind: d.kind,
                kind_label: v.strings.get(&format!("kind.{}", d.kind.key())),
                number: d.number.clone(),
                issued: d.issued,
                place: d.place.clone(),
                issuer: d.issuer.clone(),
                signer: d.signer.clone(),
                signer_role: d.signer_role.clone(),
                term: d.term.map(|t| format!("{}–{}", t.start, t.end)),
                congress: d.congress.clone(),
                event: d.event.clone(),
                covers: d.covers.clone(),
                posted: d.posted,
                source: d.source.clone(),
                source_url: d.source_url.clone(),
                recipients: d.recipients.clone(),
                summary: d.summary.clone(),
                unit: v.unit_link(d.unit),
                body_html: super::markdown::to_html(&d.body, config.allow_html),
                groups: v.document_groups(di),
                target_count: d.targets.len(),
                results: d.results.iter().map(|&ri| v.result_view(ri)).collect(),
                counts: v.status_counts(v.doc_evals(di)),
            };
            r.render(
                "document.html",
                &Ctx {
                    site: info,
                    page_url,
                    breadcrumbs: v.breadcrumbs(d.unit),
                    page: ctx,
                },
            )
        }
        PageKind::FieldIndex => {
            let fields = site
                .fields
                .iter()
                .map(|f| {
                    let (targets, evals) = field_targets(v, &f.key);
                    FieldSummary {
                        link: v.field_link(&f.key).unwrap(),
                        description: f.description.clone(),
                        targets: targets.len(),
                        counts: v.status_counts(evals),
                    }
                })
                .collect();
            r.render(
                "fields.html",
                &Ctx {
                    site: info,
                    page_url,
                    breadcrumbs: home(),
                    page: FieldIndexPage { fields },
                },
            )
        }
        PageKind::Field(fi) => {
            let f = &site.fields[fi];
            let (targets, evals) = field_targets(v, &f.key);
            let mut sections: BTreeMap<String, IndicatorSection> = BTreeMap::new();
            let mut others = Vec::new();
            for &(di, ti) in &targets {
                let t = &site.documents[di].targets[ti];
                let view = v.target_view(di, ti);
                let mut placed = false;
                for (mi, m) in t.measures.iter().enumerate() {
                    let Some(ind) = m.indicator.as_deref().and_then(|k| site.indicator(k)) else {
                        continue;
                    };
                    if ind.field.as_deref().is_some_and(|x| x != f.key) {
                        continue;
                    }
                    placed = true;
                    let s = sections
                        .entry(ind.key.clone())
                        .or_insert_with(|| indicator_section(v, ind));
                    s.rows.push(IndicatorRow {
                        target: view.clone(),
                        measure: view.measures[mi].clone(),
                    });
                }
                if !placed {
                    others.push(view);
                }
            }
            // Results reported without a target, under their indicator.
            for (ri, res) in site.results.iter().enumerate() {
                if res.target.is_some() {
                    continue;
                }
                if let Some(ind) = res.indicator.as_deref().and_then(|k| site.indicator(k))
                    && ind.field.as_deref() == Some(f.key.as_str())
                {
                    sections
                        .entry(ind.key.clone())
                        .or_insert_with(|| indicator_section(v, ind))
                        .results
                        .push(v.result_view(ri));
                }
            }
            let mut indicators: Vec<IndicatorSection> = sections.into_values().collect();
            indicators.sort_by_cached_key(|s| collate::key(&s.name));
            for s in &mut indicators {
                s.rows.sort_by_cached_key(|r| {
                    (
                        collate::key(&r.target.unit.name),
                        r.target.doc.url.clone(),
                        r.target.id.clone(),
                    )
                });
            }
            let ctx = FieldPage {
                name: f.name.clone(),
                key: f.key.clone(),
                description: f.description.clone(),
                indicators,
                others,
                counts: v.status_counts(evals),
            };
            let mut crumbs = home();
            crumbs.push(Link {
                name: v.strings.get("fields"),
                url: v.url("/linh-vuc/"),
            });
            r.render(
                "field.html",
                &Ctx {
                    site: info,
                    page_url,
                    breadcrumbs: crumbs,
                    page: ctx,
                },
            )
        }
        PageKind::Status => {
            let all: Vec<_> = (0..site.documents.len())
                .flat_map(|d| v.doc_evals(d))
                .collect();
            r.render(
                "status.html",
                &Ctx {
                    site: info,
                    page_url,
                    breadcrumbs: home(),
                    page: StatusPage {
                        statuses: v.status_counts(all),
                    },
                },
            )
        }
        PageKind::NotFound => r.render(
            "404.html",
            &Ctx {
                site: info,
                page_url,
                breadcrumbs: vec![],
                page: (),
            },
        ),
        PageKind::Sitemap => {
            let urls = list(site, config)
                .iter()
                .filter(|p| p.output.ends_with("index.html"))
                .map(|p| {
                    let path = format!("/{}", p.output.trim_end_matches("index.html"));
                    format!("{}{}", info.origin, v.url(&path))
                })
                .collect();
            let page = SitemapPage { urls };
            r.render(
                "sitemap.xml",
                &Ctx {
                    site: info,
                    page_url,
                    breadcrumbs: vec![],
                    page,
                },
            )
        }
    }
}

fn indicator_section(_v: &Views, ind: &crate::model::Indicator) -> IndicatorSection {
    IndicatorSection {
        key: ind.key.clone(),
        anchor: format!("chi-so-{}", ind.key),
        name: ind.name.clone(),
        description: ind.description.clone(),
        unit: ind.unit.clone(),
        direction: ind.direction,
        rows: vec![],
        results: vec![],
    }
}

/// The targets of a field across the site, and their measures' statuses.
fn field_targets<'a>(
    v: &Views<'a>,
    key: &str,
) -> (
    Vec<(usize, usize)>,
    Vec<&'a crate::compute::status::Evaluation>,
) {
    let site = v.site;
    let mut targets = Vec::new();
    let mut evals = Vec::new();
    for (di, d) in site.documents.iter().enumerate() {
        for (ti, t) in d.targets.iter().enumerate() {
            if v.target_field(d, t).as_deref() == Some(key) {
                targets.push((di, ti));
                for mi in 0..t.measures.len() {
                    evals.push(v.computed.get(MeasureRef {
                        doc: di,
                        target: ti,
                        measure: mi,
                    }));
                }
            }
        }
    }
    (targets, evals)
}
