//! What each page reads, and so what an edit re-renders.
//!
//! [`reads`] says, for every page kind (one `match`, no catch-all arm), which facts of
//! the site the page shows: a document's body, what a document shows elsewhere (its
//! listing, targets, statuses, results), what a unit's pages show, an indicator's
//! comparison, a term's matrix, the site as a whole, its template, the page list. An
//! edit becomes [`Facts`] (which documents changed in which facet, which units, which
//! templates; found by comparing the old and the new versions, `engine.rs`), and
//! [`select`] keeps the pages reading one of them. A full build is the case where every
//! fact changed.
//!
//! Facts reach further than the file that changed, through the model:
//! - a document shows the documents its results report on and those reporting on it
//!   (statuses, result rows), so a change to what one shows reaches the others;
//! - a unit's name is in the breadcrumbs and rows of everything below it and in the
//!   lists of the units above it;
//! - a unit's pages show every document below it; an indicator's comparison shows the
//!   measures and results on that indicator; a term's matrix the documents of that
//!   term, and variant marks (`*`) that follow which class of an indicator's measures
//!   is the main one, so a change of the main class reaches other terms' matrices.
//!
//! Selection runs on the model before the edit and after it, and the union is
//! rendered: a page that read something that moved away is rendered too. The
//! dependency audit (`Session::audit`, on in the tests) renders every page after a
//! rebuild and names any page whose bytes changed without being selected.

use super::pages::{MatrixShare, Page, PageKind, Part, matrix_split};
use crate::compute::Computed;
use crate::compute::compare::ClassKey;
use crate::model::{Site, Term};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The facets of a document a page may read, as bits.
pub(crate) type Facets = u8;
/// The Markdown text after the front matter: shown only on the document's own page.
pub(crate) const BODY: Facets = 1;
/// Title, kind, number, dates, term, source and the other front-matter fields: shown
/// wherever the document is listed.
pub(crate) const LISTING: Facets = 2;
/// Targets, their measures and groups.
pub(crate) const TARGETS: Facets = 4;
/// The results it reports.
pub(crate) const RESULTS: Facets = 8;
pub(crate) const ALL: Facets = BODY | LISTING | TARGETS | RESULTS;

/// The facets of a unit: its text (on its own page) and everything else (name, level,
/// code, succession, its place in the tree).
pub(crate) const UNIT_BODY: Facets = 1;
pub(crate) const UNIT_FIELDS: Facets = 2;

/// What an edit changed, by content path (`a/b` for `content/a/b.md`, and for a unit
/// `content/a/b/_index.md`), so it means the same in the model before and after.
#[derive(Debug, Default, Clone)]
pub(crate) struct Facts {
    /// Everything (a full build, settings, translations, the vocabulary).
    pub everything: bool,
    pub docs: BTreeMap<String, Facets>,
    pub units: BTreeMap<String, Facets>,
    /// Templates changed, by name (`unit.html`, `partials/x.html`).
    pub templates: Vec<String>,
    /// Matrix cells whose variant mark may have changed: (term, root unit). Known only
    /// after compute, in the model after the edit (`variant_cells`).
    pub variant_cells: BTreeSet<(Term, usize)>,
    /// The page list changed shape (a term, comparison or part came or went): the
    /// pages that list pages or link to parts read it.
    pub list: bool,
}

impl Facts {
    #[cfg(test)]
    pub(crate) fn everything() -> Facts {
        Facts { everything: true, ..Default::default() }
    }

    pub(crate) fn is_empty(&self) -> bool {
        !self.everything
            && self.docs.is_empty()
            && self.units.is_empty()
            && self.templates.is_empty()
            && self.variant_cells.is_empty()
            && !self.list
    }
}

/// One thing a page reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Read {
    /// Facets of one document.
    Doc(usize, Facets),
    /// What a unit's pages show: the unit's fields, its ancestors (breadcrumbs), its
    /// descendants (lists, counts, roll-ups) and every document below it.
    UnitView(usize),
    /// A unit's own text.
    UnitBody(usize),
    /// An indicator's comparison (index into `Computed::comparisons`); with a root unit,
    /// only that province's rows.
    Comparison(usize, Option<usize>),
    /// A term's matrix; with a part, that part's rows (`pages::matrix_split`).
    Matrix(Term, Option<Part>),
    /// The names of a split matrix's parts, which the term's page and every part list:
    /// the provinces' and the units' each part is named by, and where the parts are cut.
    MatrixParts(Term),
    /// Something of every document and unit: counts, lists, site-wide data files.
    Site,
    /// The rows of a province's data files: every document under the root unit, and
    /// how its units are cut into parts.
    Province(usize),
    /// The page list: the sitemap, and the links to a matrix's parts.
    PageList,
    Template(&'static str),
}

/// What a page of this kind reads. Exhaustive on purpose: a new page kind must say.
/// (An array, not a vector: it is asked for every page of the list on every edit.)
pub(crate) fn reads(kind: PageKind) -> [Option<Read>; 4] {
    use PageKind as K;
    let one = |r: Read| [Some(r), None, None];
    let [a, b, c] = match kind {
        // The index and the data page list every province's files with their rows.
        K::Data(crate::render::pages::DataFile::Index) | K::DataPage => [Some(Read::Site), Some(Read::PageList), None],
        K::Home | K::Status | K::FieldIndex | K::Field(_) | K::IndicatorIndex | K::MatrixIndex | K::Data(_) => {
            one(Read::Site)
        }
        K::Sitemap => [Some(Read::Site), Some(Read::PageList), None],
        // The page tells its script how the index is cut; the index holds everything.
        K::Search | K::SearchIndex(_) => one(Read::Site),
        // The preview draws the site's statuses; the icons and robots.txt change only
        // with the settings (a full build), and cost nothing to write again.
        K::SiteFeed | K::Image(_) | K::Robots => one(Read::Site),
        K::Unit(u) => [Some(Read::UnitView(u)), Some(Read::UnitBody(u)), Some(Read::PageList)],
        K::UnitData(u) | K::UnitFeed(u) | K::Scorecard(u) => one(Read::UnitView(u)),
        K::ProvinceData(part, _) => one(Read::Province(part.root)),
        K::Document(d) => one(Read::Doc(d, ALL)),
        K::Indicator(ci) | K::IndicatorFeed(ci) | K::IndicatorAlias(ci, _) => one(Read::Comparison(ci, None)),
        K::IndicatorPart(ci, root) => one(Read::Comparison(ci, Some(root))),
        K::Matrix(t) => [Some(Read::Matrix(t, None)), Some(Read::MatrixParts(t)), None],
        K::MatrixPart(t, part) => [Some(Read::Matrix(t, Some(part))), Some(Read::MatrixParts(t)), None],
        // Only words of the theme.
        K::NotFound => [None, None, None],
    };
    [a, b, c, kind.template().map(Read::Template)]
}

/// The facts of an edit resolved in one model: the indices they reach.
struct Reached<'a> {
    model: &'a Site,
    everything: bool,
    /// Documents whose body changed.
    bodies: HashSet<usize>,
    /// Documents whose other facets changed, directly or through a link or a unit.
    shown: HashSet<usize>,
    units: HashSet<usize>,
    /// Units whose own fields (name, level…) changed.
    renamed: HashSet<usize>,
    /// Units whose matrix rows may have changed: those of the documents reached, and
    /// every unit at or below a renamed one (their rows name it). Not the units above.
    rows: HashSet<usize>,
    unit_bodies: HashSet<usize>,
    roots: HashSet<usize>,
    indicators: HashSet<usize>,
    terms: HashSet<Term>,
    site: bool,
    facts: &'a Facts,
    /// The templates a page names: a changed one no page names (base.html, macros, a
    /// partial) may be used by every page.
    any_template: bool,
    /// How each term's matrix is split, found once per selection when a part asks.
    splits: RefCell<HashMap<Term, Vec<MatrixShare>>>,
}

impl<'a> Reached<'a> {
    fn new(site: &'a Site, list: &[Page], facts: &'a Facts) -> Reached<'a> {
        let mut r = Reached {
            model: site,
            everything: facts.everything,
            bodies: HashSet::new(),
            shown: HashSet::new(),
            units: HashSet::new(),
            renamed: HashSet::new(),
            rows: HashSet::new(),
            unit_bodies: HashSet::new(),
            roots: HashSet::new(),
            indicators: HashSet::new(),
            terms: HashSet::new(),
            site: false,
            facts,
            any_template: false,
            splits: RefCell::default(),
        };
        for (key, &f) in &facts.docs {
            let Some(&d) = site.doc_by_path.get(key) else { continue };
            if f & BODY != 0 {
                r.bodies.insert(d);
            }
            if f & !BODY != 0 {
                r.shown.insert(d);
            }
        }
        for (key, &f) in &facts.units {
            let Some(&u) = site.unit_by_path.get(key) else { continue };
            if f & UNIT_BODY != 0 {
                r.unit_bodies.insert(u);
            }
            if f & UNIT_FIELDS != 0 {
                // Its parents list it; its name is in the breadcrumbs and rows of
                // everything below it.
                r.site = true;
                r.renamed.insert(u);
                r.units.extend(site.ancestry(u));
                r.units.extend(site.place(u));
                let mut stack = vec![u];
                while let Some(x) = stack.pop() {
                    r.units.insert(x);
                    r.rows.insert(x);
                    r.shown.extend(site.units[x].documents.iter().copied());
                    stack.extend(site.units[x].children.iter().copied());
                }
            }
        }
        // Documents linked through results, both ways.
        let direct: Vec<usize> = r.shown.iter().copied().collect();
        for d in direct {
            for &ri in &site.documents[d].results {
                if let Some(t) = site.results[ri].target {
                    r.shown.insert(t.doc());
                }
            }
            for m in site.documents[d].targets.iter().flat_map(|t| &t.measures) {
                for &ri in &m.results {
                    r.shown.insert(site.results[ri].doc);
                }
            }
        }
        for &d in &r.shown {
            let doc = &site.documents[d];
            r.site = true;
            r.rows.insert(doc.unit);
            r.units.extend(site.ancestry(doc.unit));
            // The units it was merged into, and those merged into it, show its last
            // term and its rows across terms.
            r.units.extend(site.place(doc.unit));
            r.terms.extend(doc.term);
            r.indicators.extend(doc.targets.iter().flat_map(|t| &t.measures).filter_map(|m| m.indicator()));
            r.indicators.extend(doc.results.iter().filter_map(|&ri| site.results[ri].indicator()));
        }
        r.roots = r.units.iter().map(|&u| site.root(u)).collect();
        if !facts.templates.is_empty() {
            let named: BTreeSet<&str> = list.iter().filter_map(|p| p.kind.template()).collect();
            r.any_template = facts.templates.iter().any(|t| !named.contains(t.as_str()));
        }
        r
    }

    fn hits(&self, read: Read, computed: &Computed) -> bool {
        if self.everything {
            return true;
        }
        match read {
            Read::Doc(d, f) => {
                (f & BODY != 0 && self.bodies.contains(&d)) || (f & !BODY != 0 && self.shown.contains(&d))
            }
            Read::UnitView(u) => self.units.contains(&u),
            Read::UnitBody(u) => self.unit_bodies.contains(&u),
            Read::Comparison(ci, root) => {
                self.indicators.contains(&computed.comparisons[ci].indicator)
                    && root.is_none_or(|r| self.roots.contains(&r))
            }
            Read::Matrix(t, part) => {
                let cells = &self.facts.variant_cells;
                let marks = match part {
                    Some(p) => cells.contains(&(t, p.root)),
                    None => cells.iter().any(|(ct, _)| *ct == t),
                };
                marks
                    || (self.terms.contains(&t)
                        && part.is_none_or(|p| {
                            self.roots.contains(&p.root)
                                && self.with_split(t, computed, |shares| {
                                    // The part's rows.
                                    shares.iter().find(|s| s.root == p.root).is_none_or(|s| {
                                        s.parts
                                            .get(p.number - 1)
                                            .is_none_or(|sl| sl.units.iter().any(|u| self.rows.contains(u)))
                                    })
                                })
                        }))
            }
            Read::MatrixParts(t) => {
                // Where the parts are cut is in the page list's shape; their names are units'.
                self.facts.list
                    || (!self.renamed.is_empty()
                        && self.with_split(t, computed, |shares| {
                            shares.iter().any(|s| {
                                self.renamed.contains(&s.root)
                                    || (0..s.parts.len()).any(|i| {
                                        s.name_units(self.model, i).units().iter().any(|u| self.renamed.contains(u))
                                    })
                            })
                        }))
            }
            Read::Site => self.site,
            Read::Province(root) => self.roots.contains(&root),
            Read::PageList => self.facts.list,
            Read::Template(name) => {
                (self.any_template && name.ends_with(".html")) || self.facts.templates.iter().any(|c| c == name)
            }
        }
    }
}

impl Reached<'_> {
    /// `f` of how term `t`'s matrix is split in this model.
    fn with_split<R>(&self, t: Term, computed: &Computed, f: impl FnOnce(&[MatrixShare]) -> R) -> R {
        let mut splits = self.splits.borrow_mut();
        let shares = splits.entry(t).or_insert_with(|| matrix_split(self.model, computed, t));
        f(shares)
    }
}

/// Output paths of the pages of `list` that read a fact of `facts`, in one model, given
/// how the model's matrices are split (`site::Prepared::matrices`: a walk over every
/// measure of a term, kept with the model rather than computed per selection).
pub(crate) fn select(
    site: &Site,
    computed: &Computed,
    list: &[Page],
    facts: &Facts,
    splits: &[(Term, Vec<MatrixShare>)],
) -> BTreeSet<String> {
    if facts.is_empty() {
        return BTreeSet::new();
    }
    let reached = Reached::new(site, list, facts);
    reached.splits.borrow_mut().extend(splits.iter().cloned());
    list.iter()
        .filter(|p| reads(p.kind).into_iter().flatten().any(|r| reached.hits(r, computed)))
        .map(|p| p.output.clone())
        .collect()
}

/// Each indicator's main comparison class, for those in `indicators`: what a matrix
/// cell's variant mark (`*`) follows. Taken before an edit, for [`variant_cells`].
pub(crate) fn main_classes(computed: &Computed, indicators: &BTreeSet<usize>) -> BTreeMap<usize, ClassKey> {
    indicators
        .iter()
        .filter_map(|&i| {
            let c = computed.comparison(i)?;
            c.classes.iter().find(|k| k.main).map(|k| (i, k.key.clone()))
        })
        .collect()
}

/// The matrix cells whose variant marks an edit may have changed: a cell is marked when
/// its measure is outside its indicator's main class, so when documents of one term
/// change which class is the main one, cells of other terms, whose documents did not
/// change, gain or lose the mark. `before`: the main classes before the edit
/// (`main_classes`); `site`, `computed`: the model after it. (term, root unit) of every
/// entry of the old and of the new main class.
pub(crate) fn variant_cells(
    site: &Site,
    computed: &Computed,
    before: &BTreeMap<usize, ClassKey>,
) -> BTreeSet<(Term, usize)> {
    let mut at = BTreeSet::new();
    for (&i, old) in before {
        let Some(c) = computed.comparison(i) else { continue };
        if c.classes.iter().find(|k| k.main).is_some_and(|k| &k.key == old) {
            continue;
        }
        for class in c.classes.iter().filter(|k| k.main || &k.key == old) {
            for e in &class.entries {
                if let Some(t) = site.documents[e.measure.doc()].term {
                    at.insert((t, site.root(e.unit)));
                }
            }
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Prepared;
    use std::sync::LazyLock;

    /// The bundled site, prepared once.
    static SITE: LazyLock<Prepared> = LazyLock::new(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = crate::site::load_config(root, &Default::default()).unwrap();
        let content = crate::load::content::read(root, &config.content_dir()).unwrap();
        crate::site::prepare(config, content).unwrap()
    });

    const DOC: &str = "ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi";

    fn selected(facts: &Facts) -> BTreeSet<String> {
        select(&SITE.site, &SITE.computed, &SITE.list, facts, &SITE.matrices)
    }

    fn doc_edit(f: Facets) -> Facts {
        Facts { docs: BTreeMap::from([(DOC.to_string(), f)]), ..Default::default() }
    }

    #[test]
    fn a_body_edit_selects_the_document_page_alone() {
        let s = selected(&doc_edit(BODY));
        assert_eq!(s, BTreeSet::from([format!("{DOC}/index.html")]));
    }

    #[test]
    fn a_listing_edit_selects_what_lists_the_document_and_nothing_of_other_provinces() {
        let s = selected(&doc_edit(LISTING));
        for must in [
            format!("{DOC}/index.html"),
            "ha-noi/quan-long-bien/phuong-duc-giang/index.html".into(),
            "ha-noi/quan-long-bien/phuong-duc-giang/atom.xml".into(),
            "ha-noi/index.html".into(),
            "index.html".into(),
            "data/ha-noi/csv.zip".into(),
            "data/ha-noi/data.json".into(),
            "data/index.json".into(),
        ] {
            assert!(s.contains(&must), "{must} must be selected: {s:?}");
        }
        assert!(!s.iter().any(|p| p.starts_with("tp-ho-chi-minh/") || p.starts_with("data/tp-ho-chi-minh/")), "{s:?}");
        // Words of the theme only.
        assert!(!s.contains("404.html"), "{s:?}");
    }

    #[test]
    fn a_result_edit_reaches_the_document_it_reports_on() {
        // The XIV resolution reports on targets of the XIII one.
        let xiv = "tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv";
        let facts = Facts { docs: BTreeMap::from([(xiv.to_string(), RESULTS)]), ..Default::default() };
        let s = selected(&facts);
        assert!(s.contains("tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiii/index.html"), "{s:?}");
        assert!(!s.iter().any(|p| p.starts_with("ha-noi/")), "{s:?}");
    }

    #[test]
    fn a_unit_s_text_selects_its_page_and_its_fields_everything_below_it() {
        let unit = "ha-noi/quan-long-bien";
        let body = Facts { units: BTreeMap::from([(unit.to_string(), UNIT_BODY)]), ..Default::default() };
        assert_eq!(selected(&body), BTreeSet::from([format!("{unit}/index.html")]));
        let renamed = Facts { units: BTreeMap::from([(unit.to_string(), UNIT_FIELDS)]), ..Default::default() };
        let s = selected(&renamed);
        // Its page, its parent's, and every page below it (breadcrumbs).
        for must in ["ha-noi/quan-long-bien/index.html", "ha-noi/index.html", &format!("{DOC}/index.html")] {
            assert!(s.contains(must), "{must}: {s:?}");
        }
        assert!(!s.iter().any(|p| p.starts_with("quang-ngai/")), "{s:?}");
    }

    #[test]
    fn a_template_edit_selects_the_pages_using_it() {
        let t = |name: &str| Facts { templates: vec![name.to_string()], ..Default::default() };
        let docs: BTreeSet<String> =
            SITE.list.iter().filter(|p| matches!(p.kind, PageKind::Document(_))).map(|p| p.output.clone()).collect();
        assert_eq!(selected(&t("document.html")), docs);
        // base.html is named by no page: every HTML page may use it.
        let html: BTreeSet<String> = SITE
            .list
            .iter()
            .filter(|p| p.kind.template().is_some_and(|t| t.ends_with(".html")))
            .map(|p| p.output.clone())
            .collect();
        assert_eq!(selected(&t("base.html")), html);
    }

    #[test]
    fn everything_selects_every_page_and_nothing_selects_none() {
        assert_eq!(selected(&Facts::everything()).len(), SITE.list.len());
        assert!(selected(&Facts::default()).is_empty());
    }
}
