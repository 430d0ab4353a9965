//! Which files the site has, where each is written, and what each contains.
//! Files are listed first and produced later (in parallel, one at a time per thread), so
//! no build holds every rendered page in memory. HTML pages go through templates; data
//! files (CSV, JSON) and charts are produced in Rust.

use super::Renderer;
use super::compare::{self as cmpview};
use super::data;
use super::paths;
use super::views::*;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::{MeasureRef, Site, Term};
use crate::vi::collate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataFile {
    TargetsCsv,
    TargetsJson,
    ResultsCsv,
    ResultsJson,
    UnitsJson,
    UnitsCsv,
    IndicatorsJson,
    IndicatorsCsv,
    Schema,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    Unit(usize),
    UnitData(usize, bool),
    UnitFeed(usize),
    Document(usize),
    FieldIndex,
    Field(usize),
    IndicatorIndex,
    /// Index into `Computed::comparisons`.
    Indicator(usize),
    /// A large comparison's rows for one province (comparison, root unit).
    IndicatorPart(usize, usize),
    IndicatorData(usize, bool),
    IndicatorFeed(usize),
    MatrixIndex,
    Matrix(Term),
    /// A large matrix's rows for one province.
    MatrixPart(Term, usize),
    DataPage,
    Data(DataFile),
    Status,
    NotFound,
    /// Only for an absolute base_url: sitemaps need full addresses.
    Sitemap,
}

/// A page kind's behaviour, one exhaustive `match` per question (no `_` arm), so a new
/// kind must answer each of them before the crate builds.
impl PageKind {
    /// The template a page is rendered with (`None`: produced in Rust, no template).
    pub(crate) fn template(self) -> Option<&'static str> {
        use PageKind::*;
        Some(match self {
            Home => "home.html",
            Unit(_) => "unit.html",
            Document(_) => "document.html",
            FieldIndex => "fields.html",
            Field(_) => "field.html",
            IndicatorIndex => "indicators.html",
            Indicator(_) | IndicatorPart(..) => "indicator.html",
            MatrixIndex => "matrix-index.html",
            Matrix(_) | MatrixPart(..) => "matrix.html",
            DataPage => "data.html",
            Status => "status.html",
            NotFound => "404.html",
            Sitemap => "sitemap.xml",
            UnitFeed(_) | IndicatorFeed(_) => "feed.xml",
            UnitData(..) | IndicatorData(..) | Data(_) => return None,
        })
    }

    /// Whether the file aggregates many units: `serve` renders it after the browser
    /// has reloaded. The home and status pages count over the whole site: they follow too.
    pub(crate) fn is_aggregate(self) -> bool {
        use PageKind::*;
        match self {
            Home | Status | Indicator(_) | IndicatorPart(..) | IndicatorData(..) | IndicatorFeed(_)
            | IndicatorIndex | Field(_) | FieldIndex | Data(_) | UnitData(..) | UnitFeed(_) | Matrix(_)
            | MatrixPart(..) | Sitemap => true,
            Unit(_) | Document(_) | MatrixIndex | DataPage | NotFound => false,
        }
    }

    /// Whether the page is one of the large data files (targets, results) that
    /// `data::stream_data_files` writes in one pass.
    pub fn is_streamed(self) -> bool {
        use PageKind::*;
        match self {
            Data(f) => match f {
                DataFile::TargetsCsv | DataFile::TargetsJson | DataFile::ResultsCsv | DataFile::ResultsJson => true,
                DataFile::UnitsJson
                | DataFile::UnitsCsv
                | DataFile::IndicatorsJson
                | DataFile::IndicatorsCsv
                | DataFile::Schema => false,
            },
            UnitData(..) | IndicatorData(..) => true,
            Home | Unit(_) | UnitFeed(_) | Document(_) | FieldIndex | Field(_) | IndicatorIndex | Indicator(_)
            | IndicatorPart(..) | IndicatorFeed(_) | MatrixIndex | Matrix(_) | MatrixPart(..) | DataPage | Status
            | NotFound | Sitemap => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Output path relative to the output folder, `/`-separated.
    pub output: String,
    pub kind: PageKind,
}

fn page(output: impl Into<String>, kind: PageKind) -> Page {
    Page { output: output.into(), kind }
}

/// The terms that have targets, newest first: one matrix each.
pub fn matrix_terms(site: &Site) -> Vec<Term> {
    let set: BTreeSet<Term> = site.documents.iter().filter(|d| !d.targets.is_empty()).filter_map(|d| d.term).collect();
    set.into_iter().rev().collect()
}

pub fn list(site: &Site, computed: &crate::compute::Computed, config: &Config) -> Vec<Page> {
    use DataFile::*;
    let data = |name: &str, ext: &str, f: DataFile| {
        page(paths::file_in(paths::DATA, &format!("{name}.{ext}")), PageKind::Data(f))
    };
    let mut pages = vec![
        page(paths::page_file("/"), PageKind::Home),
        page("404.html", PageKind::NotFound),
        page(paths::page_file(paths::STATUS), PageKind::Status),
        page(paths::page_file(paths::FIELDS), PageKind::FieldIndex),
        page(paths::page_file(paths::INDICATORS), PageKind::IndicatorIndex),
        page(paths::page_file(paths::MATRICES), PageKind::MatrixIndex),
        page(paths::page_file(paths::DATA_PAGE), PageKind::DataPage),
        data("targets", "csv", TargetsCsv),
        data("targets", "json", TargetsJson),
        data("results", "csv", ResultsCsv),
        data("results", "json", ResultsJson),
        data("units", "csv", UnitsCsv),
        data("units", "json", UnitsJson),
        data("indicators", "csv", IndicatorsCsv),
        data("indicators", "json", IndicatorsJson),
        data("schema", "json", Schema),
    ];
    for (i, u) in site.units.iter().enumerate() {
        pages.push(page(paths::page_file(&u.url), PageKind::Unit(i)));
        pages.push(page(paths::file_in(&u.url, paths::TARGETS_CSV), PageKind::UnitData(i, false)));
        pages.push(page(paths::file_in(&u.url, paths::TARGETS_JSON), PageKind::UnitData(i, true)));
        pages.push(page(paths::file_in(&u.url, paths::FEED), PageKind::UnitFeed(i)));
    }
    for (i, d) in site.documents.iter().enumerate() {
        pages.push(page(paths::page_file(&d.url), PageKind::Document(i)));
    }
    for (i, f) in site.fields.iter().enumerate() {
        pages.push(page(paths::page_file(&paths::field(&f.key)), PageKind::Field(i)));
    }
    for (ci, c) in computed.comparisons.iter().enumerate() {
        let at = paths::indicator(&site.indicators[c.indicator].key);
        pages.push(page(paths::page_file(&at), PageKind::Indicator(ci)));
        for r in super::compare::parts(c) {
            let part = paths::indicator_part(&site.indicators[c.indicator].key, &site.units[r].path);
            pages.push(page(paths::page_file(&part), PageKind::IndicatorPart(ci, r)));
        }
        pages.push(page(paths::file_in(&at, paths::TARGETS_CSV), PageKind::IndicatorData(ci, false)));
        pages.push(page(paths::file_in(&at, paths::TARGETS_JSON), PageKind::IndicatorData(ci, true)));
        pages.push(page(paths::file_in(&at, paths::FEED), PageKind::IndicatorFeed(ci)));
    }
    for t in matrix_terms(site) {
        pages.push(page(paths::page_file(&paths::matrix(t)), PageKind::Matrix(t)));
        for r in super::compare::matrix_parts(computed, t) {
            pages.push(page(paths::page_file(&paths::matrix_part(t, &site.units[r].path)), PageKind::MatrixPart(t, r)));
        }
    }
    if config.base_url.contains("://") {
        pages.push(page("sitemap.xml", PageKind::Sitemap));
    }
    pages
}

#[derive(Serialize)]
pub struct SiteInfo<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub lang: &'a str,
    pub base: &'a str,
    pub base_url: &'a str,
    /// "https://example.org" when base_url is absolute, else empty.
    pub origin: String,
    pub status_date: String,
    pub status_date_iso: String,
    pub totals: Totals,
    pub fields: Vec<Link>,
}

#[derive(Serialize, Clone, Copy)]
pub struct Totals {
    units: usize,
    documents: usize,
    targets: usize,
    measures: usize,
    results: usize,
    indicators: usize,
}

#[derive(Serialize)]
struct Ctx<'a, T: Serialize> {
    site: &'a SiteInfo<'a>,
    /// This page's address, for the canonical link.
    page_url: String,
    breadcrumbs: Vec<Link>,
    page: T,
}

/// Everything pages share, computed once per build.
/// `https://host` of an absolute base URL, or nothing.
pub fn site_origin(base_url: &str) -> String {
    match base_url.find("://") {
        Some(i) => {
            let host_end = base_url[i + 3..].find('/').map(|j| i + 3 + j).unwrap_or(base_url.len());
            base_url[..host_end].to_string()
        }
        None => String::new(),
    }
}

pub struct Shared<'a> {
    pub info: SiteInfo<'a>,
    /// The first page whose template ran out of fuel in this pass: every later page
    /// fails at once with its error (one error for one cause) instead of each spending
    /// the whole budget again. A new pass (a rebuild in `serve`) starts afresh.
    pub stopped: std::sync::OnceLock<Diagnostic>,
    pub list: &'a [Page],
    /// The terms with a matrix, newest first, and the root units each is split into:
    /// computed once per build, since every unit page links to its part.
    pub matrices: Vec<(Term, Vec<usize>)>,
}

impl<'a> Shared<'a> {
    pub fn new(config: &'a Config, views: &Views<'a>, status_date: jiff::civil::Date, list: &'a [Page]) -> Shared<'a> {
        let site = views.site;
        let totals = Totals {
            units: site.units.len(),
            documents: site.documents.len(),
            targets: site.documents.iter().map(|d| d.targets.len()).sum(),
            measures: site.documents.iter().flat_map(|d| &d.targets).map(|t| t.measures.len()).sum(),
            results: site.results.len(),
            indicators: views.computed.comparisons.len(),
        };
        let origin = site_origin(&config.base_url);
        let sd = crate::vi::date::VnDate::from_date(status_date);
        Shared {
            stopped: Default::default(),
            info: SiteInfo {
                title: &config.title,
                description: config.description.as_deref(),
                lang: &config.language,
                base: views.base,
                base_url: &config.base_url,
                origin,
                status_date: sd.short(),
                status_date_iso: sd.iso(),
                totals,
                fields: site.fields.iter().filter_map(|f| views.field_link(&f.key)).collect(),
            },
            list,
            matrices: matrix_terms(site)
                .into_iter()
                .map(|t| (t, super::compare::matrix_parts(views.computed, t)))
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct HomePage {
    roots: Vec<UnitSummary>,
    latest: Vec<DocSummary>,
    counts: Vec<StatusCount>,
    indicators: Vec<cmpview::IndicatorSummary>,
}

#[derive(Serialize)]
struct UnitPage {
    name: String,
    path: String,
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
    /// The latest term is over at the status date: "gần nhất", not "hiện hành".
    current_term_ended: bool,
    current_targets: Vec<TargetView>,
    results: Vec<ResultView>,
    counts: Vec<StatusCount>,
    rollup: Vec<cmpview::IndicatorSummary>,
    across_terms: Vec<cmpview::AcrossTerms>,
    matrix: Option<String>,
    downloads: Downloads,
}

#[derive(Serialize)]
pub struct Downloads {
    pub csv: String,
    pub json: String,
    pub feed: String,
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
    progress: Vec<cmpview::Progress>,
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
    indicators: Vec<cmpview::IndicatorSummary>,
    others: Vec<TargetView>,
    counts: Vec<StatusCount>,
}

#[derive(Serialize)]
struct StatusPage {
    statuses: Vec<StatusCount>,
}

#[derive(Serialize)]
struct SitemapPage {
    urls: Vec<String>,
}

#[derive(Serialize)]
struct MatrixIndexPage {
    terms: Vec<Link>,
}

#[derive(Serialize)]
struct DataPage {
    files: Vec<DataFileView>,
}

#[derive(Serialize)]
struct DataFileView {
    name: String,
    title: String,
    csv: String,
    json: String,
    columns: Vec<(String, String, bool, String)>,
}

/// Render one page; once a page of this pass has run out of fuel, fail at once with its error.
pub fn render(r: &Renderer, v: &Views, shared: &Shared, config: &Config, page: &Page) -> Result<Vec<u8>, Diagnostic> {
    if let Some(d) = shared.stopped.get() {
        return Err(d.clone());
    }
    match render_page(r, v, shared, config, page) {
        Err(d) if super::ran_out_of_fuel(&d) => Err(shared.stopped.get_or_init(|| d).clone()),
        other => other,
    }
}

fn render_page(r: &Renderer, v: &Views, shared: &Shared, config: &Config, page: &Page) -> Result<Vec<u8>, Diagnostic> {
    let site = v.site;
    let info = &shared.info;
    let page_url = v.url(&paths::address_of(&page.output));
    let home = || vec![Link { name: v.strings.get("home"), url: v.url("/") }];
    let out = Out { r, info, page_url: page_url.clone() };
    let html =
        |template: &str, breadcrumbs: Vec<Link>, ctx: &dyn ErasedPage| ctx.render_with(&out, template, breadcrumbs);
    let origin = info.origin.as_str();
    match page.kind {
        PageKind::Home => {
            let mut docs: Vec<usize> = (0..site.documents.len()).collect();
            docs.sort_by(|a, b| {
                let (da, db) = (&site.documents[*a], &site.documents[*b]);
                db.issued.start().cmp(&da.issued.start()).then_with(|| da.path.cmp(&db.path))
            });
            let all: Vec<_> = (0..site.documents.len()).flat_map(|d| v.doc_evals(d)).collect();
            let mut indicators: Vec<_> =
                (0..v.computed.comparisons.len()).map(|ci| cmpview::indicator_summary(v, ci)).collect();
            // A key per indicator, not two per comparison: most tie on the count.
            indicators.sort_by_cached_key(|a| (std::cmp::Reverse(a.units), collate::key(&a.link.name)));
            indicators.truncate(12);
            let ctx = HomePage {
                roots: site.roots.iter().map(|&u| v.unit_summary(u, 3)).collect(),
                latest: docs.into_iter().take(10).map(|d| v.doc_summary(d)).collect(),
                counts: v.status_counts(all),
                indicators,
            };
            html("home.html", vec![], &ctx)
        }
        PageKind::Unit(u) => {
            let unit = &site.units[u];
            let mut by_term: BTreeMap<Option<Term>, Vec<usize>> = BTreeMap::new();
            for &d in &unit.documents {
                by_term.entry(site.documents[d].term).or_default().push(d);
            }
            let current = by_term.keys().filter_map(|t| *t).max_by_key(|t| (t.end, t.start));
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
                .flat_map(|&d| site.documents[d].results.iter().map(|&ri| v.result_view(ri)))
                .collect();
            let matrix = shared.matrices.first().map(|(t, parts)| {
                // On a split matrix, the unit's province part.
                let root = site.root(u);
                let at = if parts.contains(&root) {
                    paths::matrix_part(*t, &site.units[root].path)
                } else {
                    paths::matrix(*t)
                };
                format!("{}?don-vi={}", v.url(&at), unit.path)
            });
            let ctx = UnitPage {
                name: unit.name.clone(),
                path: unit.path.clone(),
                level: unit.level.clone(),
                code: unit.code.clone(),
                short_name: unit.short_name.clone(),
                // Addresses from content are checked when read; a link is made only of
                // one the URL policy allows, whatever got through.
                website: unit.website.clone().filter(|u| super::markdown::is_allowed_url(u)),
                succeeded_by: unit.succeeded_by.as_ref().map(|p| match site.unit_by_path.get(p) {
                    Some(&s) => v.unit_link(s),
                    None => Link { name: p.clone(), url: String::new() },
                }),
                succeeded_on: unit.succeeded_on,
                parent: unit.parent.map(|p| v.unit_link(p)),
                body_html: super::markdown::to_html(&unit.body, config.allow_html),
                children: unit.children.iter().map(|&c| v.unit_summary(c, 1)).collect(),
                terms,
                current_term: current.map(|t| format!("{}–{}", t.start, t.end)),
                current_term_ended: current
                    .is_some_and(|t| info.status_date_iso.as_str() > format!("{}-12-31", t.end).as_str()),
                current_targets,
                results,
                counts: v.status_counts(v.unit_evals(u, true)),
                rollup: if unit.children.is_empty() { vec![] } else { cmpview::rollup(v, u) },
                across_terms: cmpview::across_terms(v, u),
                matrix: if unit.children.is_empty() { None } else { matrix },
                downloads: Downloads {
                    csv: v.url(&paths::beside(&unit.url, paths::TARGETS_CSV)),
                    json: v.url(&paths::beside(&unit.url, paths::TARGETS_JSON)),
                    feed: v.url(&paths::beside(&unit.url, paths::FEED)),
                },
            };
            let mut crumbs = v.breadcrumbs(u);
            crumbs.pop();
            html("unit.html", crumbs, &ctx)
        }
        PageKind::UnitData(u, json) => Ok(data::targets_file(v, origin, &data::unit_measures(site, u), json)),
        PageKind::UnitFeed(u) => super::feed::unit(r, v, info, u),
        PageKind::Document(di) => {
            let d = &site.documents[di];
            let ctx = DocumentPage {
                title: d.title.clone(),
                kind: d.kind,
                kind_label: v.strings.get(d.kind.label_key()),
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
                source_url: d.source_url.clone().filter(|u| super::markdown::is_allowed_url(u)),
                recipients: d.recipients.clone(),
                summary: d.summary.clone(),
                unit: v.unit_link(d.unit),
                body_html: super::markdown::to_html(&d.body, config.allow_html),
                groups: v.document_groups(di),
                target_count: d.targets.len(),
                results: d.results.iter().map(|&ri| v.result_view(ri)).collect(),
                counts: v.status_counts(v.doc_evals(di)),
                progress: cmpview::progress(v, di),
            };
            html("document.html", v.breadcrumbs(d.unit), &ctx)
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
            html("fields.html", home(), &FieldIndexPage { fields })
        }
        PageKind::Field(fi) => {
            let f = &site.fields[fi];
            let (targets, evals) = field_targets(v, &f.key);
            let mut indicators: Vec<_> = v
                .computed
                .comparisons
                .iter()
                .enumerate()
                .filter(|(_, c)| site.indicators[c.indicator].field.as_deref() == Some(f.key.as_str()))
                .map(|(ci, _)| cmpview::indicator_summary(v, ci))
                .collect();
            indicators.sort_by_cached_key(|s| collate::key(&s.link.name));
            // Targets none of whose measures has an indicator of this field.
            let others = targets
                .iter()
                .filter(|&&(di, ti)| {
                    !site.documents[di].targets[ti].measures.iter().any(|m| {
                        site.indicator_at(m.indicator()).is_some_and(|i| i.field.as_deref() == Some(f.key.as_str()))
                    })
                })
                .map(|&(di, ti)| v.target_view(di, ti))
                .collect();
            let ctx = FieldPage {
                name: f.name.clone(),
                key: f.key.clone(),
                description: f.description.clone(),
                indicators,
                others,
                counts: v.status_counts(evals),
            };
            let mut crumbs = home();
            crumbs.push(Link { name: v.strings.get("fields"), url: v.url(paths::FIELDS) });
            html("field.html", crumbs, &ctx)
        }
        PageKind::IndicatorIndex => html("indicators.html", home(), &cmpview::indicator_index(v)),
        PageKind::Indicator(ci) => {
            let mut crumbs = home();
            crumbs.push(Link { name: v.strings.get("indicators"), url: v.url(paths::INDICATORS) });
            html("indicator.html", crumbs, &cmpview::indicator_page(v, ci, None))
        }
        PageKind::IndicatorPart(ci, root) => {
            let mut crumbs = home();
            crumbs.push(Link { name: v.strings.get("indicators"), url: v.url(paths::INDICATORS) });
            let key = &site.indicators[v.computed.comparisons[ci].indicator];
            crumbs.push(v.link_to_indicator(key));
            html("indicator.html", crumbs, &cmpview::indicator_page(v, ci, Some(root)))
        }
        PageKind::IndicatorData(ci, json) => {
            let c = &v.computed.comparisons[ci];
            // The comparison's entries are the indicator's measures: in site order, they
            // are the file's rows (no pass over every measure of the site).
            let mut refs: Vec<MeasureRef> = c.classes.iter().flat_map(|k| &k.entries).map(|e| e.measure).collect();
            refs.sort_unstable_by_key(|r| (r.doc(), r.target(), r.measure()));
            Ok(data::targets_file(v, origin, &refs, json))
        }
        PageKind::IndicatorFeed(ci) => super::feed::indicator(r, v, info, ci),
        PageKind::MatrixIndex => {
            let terms = matrix_terms(site)
                .into_iter()
                .map(|t| Link { name: format!("{}–{}", t.start, t.end), url: v.url(&paths::matrix(t)) })
                .collect();
            html("matrix-index.html", home(), &MatrixIndexPage { terms })
        }
        PageKind::Matrix(t) => {
            let mut crumbs = home();
            crumbs.push(Link { name: v.strings.get("matrix"), url: v.url(paths::MATRICES) });
            html("matrix.html", crumbs, &cmpview::matrix(v, t, None))
        }
        PageKind::MatrixPart(t, root) => {
            let mut crumbs = home();
            crumbs.push(Link { name: v.strings.get("matrix"), url: v.url(paths::MATRICES) });
            crumbs.push(Link { name: format!("{}–{}", t.start, t.end), url: v.url(&paths::matrix(t)) });
            html("matrix.html", crumbs, &cmpview::matrix(v, t, Some(root)))
        }
        PageKind::DataPage => {
            let files = data::FILES
                .iter()
                .map(|(name, cols)| DataFileView {
                    name: name.to_string(),
                    title: v.strings.get(&format!("data.file_{name}")),
                    csv: v.url(&paths::beside(paths::DATA, &format!("{name}.csv"))),
                    json: v.url(&paths::beside(paths::DATA, &format!("{name}.json"))),
                    columns: cols
                        .iter()
                        .map(|c| {
                            (
                                c.name.to_string(),
                                c.kind.to_string(),
                                c.nullable,
                                v.strings.get(&format!("data_col.{}", c.name)),
                            )
                        })
                        .collect(),
                })
                .collect();
            html("data.html", home(), &DataPage { files })
        }
        PageKind::Data(f) => Ok(data_file(v, origin, f)),
        PageKind::Status => {
            let all: Vec<_> = (0..site.documents.len()).flat_map(|d| v.doc_evals(d)).collect();
            html("status.html", home(), &StatusPage { statuses: v.status_counts(all) })
        }
        PageKind::NotFound => html("404.html", vec![], &()),
        PageKind::Sitemap => {
            let urls = shared
                .list
                .iter()
                .filter(|p| p.output.ends_with("index.html") && p.kind != PageKind::NotFound)
                .map(|p| format!("{}{}", info.origin, v.url(&paths::address_of(&p.output))))
                .collect();
            r.render(
                "sitemap.xml",
                &page_url,
                &Ctx { site: info, page_url: page_url.clone(), breadcrumbs: vec![], page: SitemapPage { urls } },
            )
            .map(String::into_bytes)
        }
    }
}

fn data_file(v: &Views, origin: &str, f: DataFile) -> Vec<u8> {
    use DataFile::*;
    let site = v.site;
    match f {
        TargetsCsv | TargetsJson => data::targets_file(v, origin, &data::all_measures(site), f == TargetsJson),
        ResultsCsv | ResultsJson => {
            let rows: Vec<_> = (0..site.results.len()).map(|ri| data::result_row(v, origin, ri)).collect();
            if f == ResultsCsv { data::csv(&rows, data::RESULT_COLS) } else { data::json(&rows) }
        }
        UnitsCsv => data::csv(&data::unit_rows(v, origin), data::UNIT_COLS),
        UnitsJson => data::json(&data::unit_rows(v, origin)),
        IndicatorsCsv => data::csv(&data::indicator_rows(v, origin), data::INDICATOR_COLS),
        IndicatorsJson => data::json(&data::indicator_rows(v, origin)),
        Schema => data::schema(v, origin),
    }
}

/// The targets of a field across the site, and their measures' statuses.
fn field_targets<'a>(v: &Views<'a>, key: &str) -> (Vec<(usize, usize)>, Vec<&'a crate::compute::status::Evaluation>) {
    let site = v.site;
    let mut targets = Vec::new();
    let mut evals = Vec::new();
    for (di, d) in site.documents.iter().enumerate() {
        for (ti, t) in d.targets.iter().enumerate() {
            if v.target_field(d, t).as_deref() == Some(key) {
                targets.push((di, ti));
                for mi in 0..t.measures.len() {
                    evals.push(v.computed.get(MeasureRef::new(di, ti, mi)));
                }
            }
        }
    }
    (targets, evals)
}

struct Out<'a> {
    r: &'a Renderer,
    info: &'a SiteInfo<'a>,
    page_url: String,
}

/// Lets one closure render contexts of different types without boxing them.
trait ErasedPage {
    fn render_with(&self, out: &Out, template: &str, breadcrumbs: Vec<Link>) -> Result<Vec<u8>, Diagnostic>;
}

impl<T: Serialize> ErasedPage for T {
    fn render_with(&self, out: &Out, template: &str, breadcrumbs: Vec<Link>) -> Result<Vec<u8>, Diagnostic> {
        out.r
            .render(
                template,
                &out.page_url,
                &Ctx { site: out.info, page_url: out.page_url.clone(), breadcrumbs, page: self },
            )
            .map(String::into_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One page of every kind (and every data file).
    fn every_kind() -> Vec<PageKind> {
        use DataFile::*;
        use PageKind::*;
        let term = Term { start: 2020, end: 2025 };
        let mut kinds = vec![
            Home,
            Unit(0),
            UnitData(0, false),
            UnitFeed(0),
            Document(0),
            FieldIndex,
            Field(0),
            IndicatorIndex,
            Indicator(0),
            IndicatorPart(0, 0),
            IndicatorData(0, true),
            IndicatorFeed(0),
            MatrixIndex,
            Matrix(term),
            MatrixPart(term, 0),
            DataPage,
            Status,
            NotFound,
            Sitemap,
        ];
        let files = [
            TargetsCsv,
            TargetsJson,
            ResultsCsv,
            ResultsJson,
            UnitsJson,
            UnitsCsv,
            IndicatorsJson,
            IndicatorsCsv,
            Schema,
        ];
        kinds.extend(files.map(Data));
        kinds
    }

    #[test]
    fn every_template_a_kind_names_is_in_the_default_theme() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        for kind in every_kind() {
            if let Some(t) = kind.template() {
                assert!(dir.join(t).is_file(), "{kind:?} names {t}, which the default theme lacks");
            }
        }
    }

    #[test]
    fn streamed_files_are_made_in_rust_and_follow_the_reload() {
        for kind in every_kind() {
            if kind.is_streamed() {
                assert_eq!(kind.template(), None, "{kind:?}");
                assert!(kind.is_aggregate(), "{kind:?}");
            }
        }
        assert!(!PageKind::Document(0).is_aggregate(), "a document page shows its own edit at once");
        assert!(PageKind::Data(DataFile::ResultsCsv).is_streamed());
        assert!(!PageKind::Data(DataFile::Schema).is_streamed());
    }
}
