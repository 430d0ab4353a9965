//! From a page of the plan to its bytes: one `match` from the page's kind to the view
//! builder that makes its context (`views::<kind>`) and the template that lays it out
//! (`PageKind::template`), or to the data file made in Rust (`data`).

use super::Renderer;
use super::data;
use super::pages::{Page, PageKind};
use super::paths;
use super::views::{self, *};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::Term;
use serde::Serialize;

#[derive(Serialize)]
struct Ctx<'a, T: Serialize> {
    site: &'a SiteInfo<'a>,
    /// This page's address, for the canonical link.
    page_url: String,
    breadcrumbs: Vec<Link>,
    /// What the page says of itself when shared (`views::share`).
    share: &'a views::share::Share,
    /// The page in each of the site's languages (`languages`), for the switcher and
    /// the `hreflang` links; empty for a site in one language.
    editions: &'a [EditionLink<'a>],
    page: T,
}

/// A page's copy in one of the site's languages.
#[derive(Serialize)]
pub(crate) struct EditionLink<'a> {
    /// The language code ("en").
    lang: &'a str,
    /// The language's name for itself ("English").
    name: &'a str,
    url: String,
    /// This page's own language.
    current: bool,
}

/// One rendering pass: what its pages share, computed once per pass (a build, or a rebuild in `serve`).
pub(crate) struct RenderPass<'a> {
    pub(crate) info: SiteInfo<'a>,
    /// The first page whose template ran out of fuel in this pass: every later page
    /// fails at once with its error (one error for one cause) instead of each spending
    /// the whole budget again. A new pass (a rebuild in `serve`) starts afresh.
    pub(crate) stopped: std::sync::OnceLock<Diagnostic>,
    pub(crate) list: &'a [Page],
    /// The terms with a matrix, newest first, and how each is split into parts
    /// (`pages::matrices`, kept with the model): every unit page links to its part and
    /// every part lists the others.
    pub(crate) matrices: &'a [(Term, Vec<super::pages::MatrixShare>)],
    /// The length of an output file this pass already wrote (the data page lists them).
    pub(crate) sizes: &'a (dyn Fn(&str) -> Option<u64> + Sync),
    /// The site's editions (`site::EditionList`): one entry for a site in one language.
    pub(crate) editions: &'a crate::site::EditionList,
}

impl<'a> RenderPass<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        config: &'a Config,
        words: &'a crate::config::SiteWords,
        lang: &'a str,
        editions: &'a crate::site::EditionList,
        views: &Views<'a>,
        status_date: jiff::civil::Date,
        list: &'a [Page],
        matrices: &'a [(Term, Vec<super::pages::MatrixShare>)],
        sizes: &'a (dyn Fn(&str) -> Option<u64> + Sync),
    ) -> RenderPass<'a> {
        let site = views.site;
        let totals = Totals {
            units: site.units.len(),
            documents: site.documents.len(),
            targets: site.documents.iter().map(|d| d.targets.len()).sum(),
            measures: site.documents.iter().flat_map(|d| &d.targets).map(|t| t.measures.len()).sum(),
            results: site.results.len(),
            indicators: views.computed.comparisons.len(),
        };
        let origin = super::pages::site_origin(&config.base_url);
        let sd = crate::vi::date::VnDate::from_date(status_date);
        RenderPass {
            stopped: Default::default(),
            info: SiteInfo {
                title: &words.title,
                description: words.description.as_deref(),
                lang,
                base: views.root,
                home: views.base,
                content_lang: (lang != config.language).then_some(config.language.as_str()),
                base_url: &config.base_url,
                origin,
                status_date: sd.short(),
                status_date_iso: sd.iso(),
                totals,
                fields: site.fields.iter().filter_map(|f| views.field_link(&f.key)).collect(),
                data_license: words.data_license.as_deref(),
            },
            list,
            matrices,
            sizes,
            editions,
        }
    }
}

impl RenderPass<'_> {
    /// How the matrix of term `t` is split (empty: one page).
    pub(crate) fn shares(&self, t: Term) -> &[super::pages::MatrixShare] {
        self.matrices.iter().find(|(mt, _)| *mt == t).map(|(_, s)| s.as_slice()).unwrap_or_default()
    }
}

/// Render one page; once a page of this pass has run out of fuel, fail at once with its error.
pub(crate) fn render(
    r: &Renderer,
    v: &Views,
    pass: &RenderPass,
    config: &Config,
    page: &Page,
) -> Result<Vec<u8>, Diagnostic> {
    if let Some(d) = pass.stopped.get() {
        return Err(d.clone());
    }
    match render_page(r, v, pass, config, page) {
        Err(d) if super::ran_out_of_fuel(&d) => Err(pass.stopped.get_or_init(|| d).clone()),
        other => other,
    }
}

fn render_page(
    r: &Renderer,
    v: &Views,
    pass: &RenderPass,
    config: &Config,
    page: &Page,
) -> Result<Vec<u8>, Diagnostic> {
    use PageKind::*;
    let site = v.site;
    let info = &pass.info;
    let share = views::share::of(v, info, page);
    let address = paths::address_of(&page.output);
    let editions: Vec<EditionLink> = if pass.editions.len() > 1 && page.kind.per_edition() {
        pass.editions
            .iter()
            .map(|(lang, name, base)| EditionLink {
                lang,
                name,
                url: [base.trim_end_matches('/'), address.as_str()].concat(),
                current: *lang == info.lang,
            })
            .collect()
    } else {
        Vec::new()
    };
    let out =
        Out { r, info, page_url: v.url(&address), template: page.kind.template(), share: &share, editions: &editions };
    let origin = info.origin.as_str();
    match page.kind {
        Home => out.page(vec![], &views::home::build(v)),
        Unit(u) => out.page(
            views::unit::breadcrumbs(v, u),
            &views::unit::build(v, config, pass.matrices, &info.status_date_iso, u)?,
        ),
        UnitData(u) => Ok(data::targets_file(v, origin, &data::unit_measures(site, u))),
        UnitFeed(u) => out.bare(&views::feed::unit(v, info, u)),
        Scorecard(u) => out.page(v.breadcrumbs(u), &views::scorecard::build(v, u)),
        Document(d) => out.page(v.breadcrumbs(site.documents[d].unit), &views::document::build(v, config, d)?),
        FieldIndex => out.page(v.home_crumbs(), &views::field_index::build(v)),
        Field(f) => out.page(v.section_crumbs("fields", paths::FIELDS), &views::field::build(v, f)),
        IndicatorIndex => out.page(v.home_crumbs(), &views::indicator_index::build(v)),
        Indicator(ci) => {
            out.page(v.section_crumbs("indicators", paths::INDICATORS), &views::indicator::build(v, ci, None))
        }
        IndicatorPart(ci, root) => {
            out.page(views::indicator::part_breadcrumbs(v, ci), &views::indicator::build(v, ci, Some(root)))
        }
        IndicatorFeed(ci) => out.bare(&views::feed::indicator(v, info, ci)),
        IndicatorAlias(ci, _) => out.page(vec![], &views::redirect::indicator(v, ci)),
        MatrixIndex => out.page(v.home_crumbs(), &views::matrix_index::build(v)),
        Matrix(t) => {
            out.page(v.section_crumbs("matrix", paths::MATRICES), &views::matrix::build(v, t, None, pass.shares(t)))
        }
        MatrixPart(t, part) => {
            out.page(views::matrix::part_breadcrumbs(v, t), &views::matrix::build(v, t, Some(part), pass.shares(t)))
        }
        DataPage => out.page(v.home_crumbs(), &data::data_page(v, pass.sizes)),
        Data(f) => Ok(data::site_file(v, origin, f, pass.sizes)),
        ProvinceData(part, f) => Ok(data::province_file(v, origin, part, f)),
        Status => out.page(v.home_crumbs(), &views::status::build(v)),
        NotFound => out.page(vec![], &()),
        Sitemap => out.page(vec![], &views::sitemap::build(pass.editions, pass.list, origin)),
        SiteFeed => out.bare(&views::feed::site(v, info)),
        Image(f) => Ok(super::image::render(v, f)),
        Robots => Ok(robots(info)),
        Search => out.page(v.home_crumbs(), &views::search::build(v)),
        SearchIndex(f) => unreachable!("{f:?} is written by search::write_index, with the whole index"),
    }
}

/// Everything may be crawled; with an absolute `base_url`, the sitemap's address.
fn robots(info: &SiteInfo) -> Vec<u8> {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if !info.origin.is_empty() {
        text.push_str(&format!("Sitemap: {}{}sitemap.xml\n", info.origin, info.base));
    }
    text.into_bytes()
}

/// Where a page's context goes: its template, with the site's globals around it.
struct Out<'a> {
    r: &'a Renderer,
    info: &'a SiteInfo<'a>,
    page_url: String,
    template: Option<&'static str>,
    share: &'a views::share::Share,
    editions: &'a [EditionLink<'a>],
}

impl Out<'_> {
    fn template(&self) -> &'static str {
        self.template.expect("a page kind rendered through a template names it in PageKind::template")
    }

    /// A page: its context as `page`, beside `site`, `page_url` and `breadcrumbs`.
    fn page<T: Serialize>(&self, breadcrumbs: Vec<Link>, page: &T) -> Result<Vec<u8>, Diagnostic> {
        let ctx = Ctx {
            site: self.info,
            page_url: self.page_url.clone(),
            breadcrumbs,
            share: self.share,
            editions: self.editions,
            page,
        };
        self.bare(&ctx)
    }

    /// A context that is the whole of what the template receives (feeds).
    fn bare<T: Serialize>(&self, ctx: &T) -> Result<Vec<u8>, Diagnostic> {
        self.r.render(self.template(), &self.page_url, ctx).map(String::into_bytes)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// The modules of `render` each names, from their code before their tests: the
    /// folder `views/` counts as one module, the root (`mod.rs`) as "mod".
    fn imports() -> BTreeMap<String, BTreeSet<String>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render");
        let mut files: Vec<(String, String, bool)> = Vec::new();
        for (sub, nested) in [("", false), ("views", true)] {
            for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "rs") {
                    let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
                    let module = if nested { "views".to_string() } else { stem.clone() };
                    let text = std::fs::read_to_string(&path).unwrap();
                    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap().to_string();
                    // `super::` in views/x.rs is views itself; in render/x.rs and
                    // views/mod.rs it is render.
                    files.push((module, code, nested && stem != "mod"));
                }
            }
        }
        let modules: BTreeSet<String> = files.iter().map(|(m, _, _)| m.clone()).collect();
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (module, code, in_views) in &files {
            let edges = graph.entry(module.clone()).or_default();
            for line in
                code.lines().filter(|l| !l.trim_start().starts_with("pub mod ") && !l.trim_start().starts_with("//"))
            {
                let mut named = |name: &str| {
                    let target = if modules.contains(name) { name } else { "mod" };
                    if target != module {
                        edges.insert(target.to_string());
                    }
                };
                for (i, _) in line.match_indices("crate::render::") {
                    named(line[i + 15..].split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().unwrap());
                }
                for (i, _) in line.match_indices("super::") {
                    let name = line[i + 7..].split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().unwrap();
                    if *in_views {
                        named("views");
                    } else {
                        named(name);
                    }
                }
                if module == "mod" {
                    for m in &modules {
                        if line.contains(&format!("{m}::")) {
                            named(m);
                        }
                    }
                }
            }
        }
        graph
    }

    #[test]
    fn the_plan_is_a_leaf_and_render_has_no_import_cycle() {
        let graph = imports();
        assert_eq!(graph["pages"], BTreeSet::from(["paths".to_string()]), "the plan names no builder");
        // Depth-first search for a path back to where it started.
        fn reaches(
            graph: &BTreeMap<String, BTreeSet<String>>,
            from: &str,
            to: &str,
            seen: &mut BTreeSet<String>,
        ) -> bool {
            graph
                .get(from)
                .into_iter()
                .flatten()
                .any(|n| n == to || (seen.insert(n.clone()) && reaches(graph, n, to, seen)))
        }
        for m in graph.keys() {
            assert!(
                !reaches(&graph, m, m, &mut BTreeSet::new()),
                "{m} imports a module that imports it back: {graph:#?}"
            );
        }
        assert!(
            graph["dispatch"].contains("views") && graph["views"].contains("pages"),
            "the scan sees imports: {graph:#?}"
        );
    }
}
