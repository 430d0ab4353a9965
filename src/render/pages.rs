//! The plan of a site: which files it has, where each is written and what kind of page
//! each is. Files are listed first and produced later (in parallel, one at a time per
//! thread), so no build holds every rendered page in memory. A page kind answers, in
//! one exhaustive `match` each, which template renders it, whether `serve` renders it
//! after the reload and whether the data pass streams it; `dispatch` turns a page into
//! bytes. This module is a leaf of `render`: it imports no view builder.

use super::paths;
use crate::config::Config;
use crate::model::names::named_enum;
use crate::model::{Site, Term};
use std::collections::{BTreeMap, BTreeSet};

named_enum! {
    /// A table of open data. Its name is its definition's in the schema (and the site-wide
    /// files' name: `/data/units.csv`); its label heads it on the data page.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Table in "data" {
        Targets = "targets" as "file_targets",
        Results = "results" as "file_results",
        Documents = "documents" as "file_documents",
        Units = "units" as "file_units",
        Indicators = "indicators" as "file_indicators",
        Files = "files" as "file_files",
    }
}

/// A site-wide open data file (`/data/…`): the page list, the data page, the index, the
/// schema and the links all name the files from here. The target and result rows are in
/// the provinces' files ([`ProvinceFile`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataFile {
    /// A small table (units, indicators) as CSV, or as JSON (`true`).
    Table(Table, bool),
    /// The JSON Schema of every JSON file.
    Schema,
    /// Every table file with its rows (`index.json`).
    Index,
}

/// The site-wide tables: small, one row per unit or indicator.
pub(crate) const SITE_TABLES: [Table; 2] = [Table::Units, Table::Indicators];

impl DataFile {
    /// Every site-wide data file, in the page list's order: each small table as CSV,
    /// then as JSON; the schema and the index last.
    pub(crate) fn all() -> impl Iterator<Item = DataFile> {
        SITE_TABLES
            .iter()
            .flat_map(|&t| [DataFile::Table(t, false), DataFile::Table(t, true)])
            .chain([DataFile::Schema, DataFile::Index])
    }

    /// Its name in the data folder: "units.csv".
    pub(crate) fn file_name(self) -> String {
        match self {
            DataFile::Table(t, json) => [t.as_str(), if json { ".json" } else { ".csv" }].concat(),
            DataFile::Schema => "schema.json".into(),
            DataFile::Index => "index.json".into(),
        }
    }

    /// Its output file, relative to the output folder: "data/units.csv".
    pub(crate) fn output(self) -> String {
        paths::file_in(paths::DATA, &self.file_name())
    }

    /// Its address, for links (without the base path): "/data/units.csv".
    pub(crate) fn address(self) -> String {
        paths::beside(paths::DATA, &self.file_name())
    }
}

/// One of a province's data files: a ZIP of its target rows and its result rows as two
/// CSV files (every column, for spreadsheets; CSV compresses about tenfold and a ZIP
/// opens on every desktop without other software), or its documents, targets and
/// results as one compact JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProvinceFile {
    Zip,
    Json,
}

impl ProvinceFile {
    pub(crate) const ALL: [ProvinceFile; 2] = [ProvinceFile::Zip, ProvinceFile::Json];

    /// The tables it holds, in the order it writes them.
    pub(crate) fn tables(self) -> &'static [Table] {
        match self {
            ProvinceFile::Zip => &[Table::Targets, Table::Results],
            ProvinceFile::Json => &[Table::Documents, Table::Targets, Table::Results],
        }
    }

    pub(crate) fn is_json(self) -> bool {
        matches!(self, ProvinceFile::Json)
    }

    /// Its name in the province's folder: "csv.zip"; of a split province's second part,
    /// "csv-2.zip".
    pub(crate) fn file_name(self, part: Part) -> String {
        let (stem, ext) = match self {
            ProvinceFile::Zip => ("csv", ".zip"),
            ProvinceFile::Json => ("data", ".json"),
        };
        if part.of > 1 { format!("{stem}-{}{ext}", part.number) } else { [stem, ext].concat() }
    }

    /// The name of a table's CSV inside the ZIP: it says the province (and the part), so
    /// that files unpacked into one folder keep apart: "ha-noi-targets.csv",
    /// "ha-noi-targets-2.csv".
    pub(crate) fn entry(site: &Site, part: Part, table: Table) -> String {
        let province = &site.units[part.root].path;
        let t = table.as_str();
        if part.of > 1 { format!("{province}-{t}-{}.csv", part.number) } else { format!("{province}-{t}.csv") }
    }

    /// Its output file, relative to the output folder: "data/ha-noi/csv.zip".
    pub(crate) fn output(self, site: &Site, part: Part) -> String {
        paths::file_in(&paths::province_data(&site.units[part.root].path), &self.file_name(part))
    }

    /// Its address, for links (without the base path): "/data/ha-noi/csv.zip".
    pub(crate) fn address(self, site: &Site, part: Part) -> String {
        paths::beside(&paths::province_data(&site.units[part.root].path), &self.file_name(part))
    }
}

/// A province's data, or one part of it when it is split (`data_parts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Part {
    /// The root unit (province, city).
    pub root: usize,
    /// From 1.
    pub number: usize,
    /// How many parts the province has; 1 when it is not split.
    pub of: usize,
}

/// An image the build draws (`image.rs`), by its file at the site's root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFile {
    Favicon,
    TouchIcon,
    /// The preview a shared link shows (Open Graph, Twitter card).
    Card,
}

impl ImageFile {
    pub(crate) const ALL: [ImageFile; 3] = [ImageFile::Favicon, ImageFile::TouchIcon, ImageFile::Card];

    pub(crate) fn output(self) -> &'static str {
        match self {
            ImageFile::Favicon => "favicon.ico",
            ImageFile::TouchIcon => "apple-touch-icon.png",
            ImageFile::Card => "og.png",
        }
    }
}

// The search index's files (`search.rs` writes them; docs/search.md).

/// Items per record file (some 60 KB, 12 KB gzipped): hits come by rank, so a page of
/// them falls in a few files; fewer, larger files because creating a file costs more
/// than writing its bytes (at 1,000 × 5, 64 items a file added 20% to the site's files
/// and 75% to the build; docs/search.md).
pub(crate) const CHUNK: usize = 256;
/// Items per shard, about: shards are some 30 KB (a query fetches one per term).
const ITEMS_PER_SHARD: usize = 480;

/// One of the index's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SearchFile {
    Shard(u32),
    Records(u32),
}

impl SearchFile {
    pub(crate) fn output(self) -> String {
        match self {
            SearchFile::Shard(n) => format!("{}s/{n}.json", paths::SEARCH.trim_start_matches('/')),
            SearchFile::Records(n) => format!("{}r/{n}.json", paths::SEARCH.trim_start_matches('/')),
        }
    }
}

/// How the index is cut, known from the site's counts before anything is indexed (the
/// page list names every file; the search page tells its script).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    pub items: usize,
    pub shards: u32,
    pub chunks: u32,
}

impl Layout {
    pub(crate) fn of(site: &Site, computed: &crate::compute::Computed) -> Layout {
        let items = computed.comparisons.len()
            + site.units.len()
            + site.documents.len()
            + site.documents.iter().map(|d| d.targets.len()).sum::<usize>()
            + site.results.len();
        Layout {
            items,
            shards: items.div_ceil(ITEMS_PER_SHARD).max(1) as u32,
            chunks: items.div_ceil(CHUNK).max(1) as u32,
        }
    }

    pub(crate) fn files(self) -> impl Iterator<Item = SearchFile> {
        (0..self.shards).map(SearchFile::Shard).chain((0..self.chunks).map(SearchFile::Records))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    Unit(usize),
    /// A unit's own target rows as CSV (`/data/chi-tieu/<unit path>.csv`), for its
    /// officers' spreadsheets.
    UnitData(usize),
    UnitFeed(usize),
    /// A unit's one-page scorecard, for paper (`views::scorecard`).
    Scorecard(usize),
    Document(usize),
    FieldIndex,
    Field(usize),
    IndicatorIndex,
    /// Index into `Computed::comparisons`.
    Indicator(usize),
    /// A large comparison's rows for one province (comparison, root unit).
    IndicatorPart(usize, usize),
    IndicatorFeed(usize),
    /// An indicator's earlier address (its `aliases:`, by number): a page that sends
    /// readers on to the comparison (index into `Computed::comparisons`).
    IndicatorAlias(usize, usize),
    MatrixIndex,
    Matrix(Term),
    /// A large matrix's rows for one province, or for a part of it (`matrix_split`).
    MatrixPart(Term, Part),
    DataPage,
    Data(DataFile),
    /// A province's (or a part's) targets, results or JSON.
    ProvinceData(Part, ProvinceFile),
    Status,
    NotFound,
    /// Only for an absolute base_url: sitemaps need full addresses.
    Sitemap,
    /// The site's feed (`/atom.xml`): every unit's results.
    SiteFeed,
    /// An icon or the preview image, drawn by the build.
    Image(ImageFile),
    /// `/robots.txt`: everything may be crawled, and where the sitemap is.
    Robots,
    /// The search page (`/tim-kiem/`).
    Search,
    /// A file of the search index, all written in one pass (`search::write_index`).
    SearchIndex(SearchFile),
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
            Scorecard(_) => "scorecard.html",
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
            UnitFeed(_) | IndicatorFeed(_) | SiteFeed => "feed.xml",
            IndicatorAlias(..) => "redirect.html",
            Search => "search.html",
            UnitData(_) | ProvinceData(..) | Data(_) | SearchIndex(_) | Image(_) | Robots => return None,
        })
    }

    /// Whether the file aggregates many units: `serve` renders it after the browser
    /// has reloaded. The home, status and data pages count over the whole site: they
    /// follow too.
    pub(crate) fn is_aggregate(self) -> bool {
        use PageKind::*;
        match self {
            Home
            | Status
            | Indicator(_)
            | IndicatorPart(..)
            | IndicatorFeed(_)
            | IndicatorAlias(..)
            | IndicatorIndex
            | Field(_)
            | FieldIndex
            | Data(_)
            | ProvinceData(..)
            | UnitData(_)
            | UnitFeed(_)
            | Scorecard(_)
            | Matrix(_)
            | MatrixPart(..)
            | DataPage
            | Sitemap
            | SiteFeed
            | Search
            | SearchIndex(_)
            | Image(ImageFile::Card) => true,
            Unit(_) | Document(_) | MatrixIndex | NotFound | Image(_) | Robots => false,
        }
    }

    /// Whether every edition of the site (`languages`) has its own copy, at its folder:
    /// what a visitor reads (pages, feeds). Data files, the search index, the images,
    /// robots.txt and the sitemap are the site's, written once.
    pub(crate) fn per_edition(self) -> bool {
        use PageKind::*;
        match self {
            Home | Unit(_) | UnitFeed(_) | Scorecard(_) | Document(_) | FieldIndex | Field(_) | IndicatorIndex
            | Indicator(_) | IndicatorPart(..) | IndicatorFeed(_) | IndicatorAlias(..) | MatrixIndex | Matrix(_)
            | MatrixPart(..) | DataPage | Status | NotFound | SiteFeed | Search => true,
            UnitData(_) | ProvinceData(..) | Data(_) | Sitemap | SearchIndex(_) | Image(_) | Robots => false,
        }
    }

    /// Whether the page lists the sizes of the data files (the data page and the
    /// index): it is rendered after them (`engine::render`, `Session::finish`).
    pub fn lists_sizes(self) -> bool {
        matches!(self, PageKind::DataPage | PageKind::Data(DataFile::Index))
    }

    /// Whether the file is part of the search index, which one pass writes whole.
    pub fn is_search_index(self) -> bool {
        matches!(self, PageKind::SearchIndex(_))
    }

    /// Whether the page is a data file that `data::stream_data_files` writes in one
    /// pass: the provinces' files and every unit's targets, which hold every row.
    pub fn is_streamed(self) -> bool {
        use PageKind::*;
        match self {
            UnitData(_) | ProvinceData(..) => true,
            Home | Unit(_) | UnitFeed(_) | Scorecard(_) | Document(_) | FieldIndex | Field(_) | IndicatorIndex
            | Indicator(_) | IndicatorPart(..) | IndicatorFeed(_) | IndicatorAlias(..) | MatrixIndex | Matrix(_)
            | MatrixPart(..) | DataPage | Data(_) | Status | NotFound | Sitemap | SiteFeed | Search
            | SearchIndex(_) | Image(_) | Robots => false,
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

/// Whether a unit has a one-page scorecard (`PageKind::Scorecard`): some of its own
/// documents set targets.
pub(crate) fn has_scorecard(site: &Site, u: usize) -> bool {
    site.units[u].documents.iter().any(|&d| !site.documents[d].targets.is_empty())
}

/// The terms in which two units or more have targets, newest first: one matrix each (a
/// matrix of one unit compares nothing; its targets are on its page).
pub(crate) fn matrix_terms(site: &Site) -> Vec<Term> {
    let mut units: BTreeMap<Term, BTreeSet<usize>> = BTreeMap::new();
    for d in site.documents.iter().filter(|d| !d.targets.is_empty()) {
        if let Some(t) = d.term {
            units.entry(t).or_default().insert(d.unit);
        }
    }
    units.into_iter().rev().filter(|(_, u)| u.len() > 1).map(|(t, _)| t).collect()
}

/// The terms with a matrix, newest first, and how each is split (`matrix_split`).
pub(crate) type Matrices = Vec<(Term, Vec<MatrixShare>)>;

/// Every term's matrix split: once per model (`site::Prepared::matrices`), since the
/// page list, every unit page and every part read it, and at national scale it walks
/// every measure of the term.
pub(crate) fn matrices(site: &Site, computed: &crate::compute::Computed) -> Matrices {
    matrix_terms(site).into_iter().map(|t| (t, matrix_split(site, computed, t))).collect()
}

/// What of one document `matrix_split` reads: its term, whether it has targets (a term
/// has a matrix when documents of two units have; a document's unit is its folder, which
/// an edit does not change), and its cells' estimated bytes. A save
/// that leaves these, and the comparisons' spread over terms, as they were leaves every
/// matrix split as it was (`engine`'s patch keeps the splits then).
pub(crate) fn matrix_input(d: &crate::model::Document) -> (Option<Term>, bool, usize) {
    (d.term, !d.targets.is_empty(), matrix_bytes(d))
}

/// A document's cells' bytes in its term's matrix (see `matrix_split`).
fn matrix_bytes(d: &crate::model::Document) -> usize {
    d.targets
        .iter()
        .map(|t| {
            let cells = t.measures.iter().filter(|m| m.indicator().is_some()).count();
            // The address: the document's, "#chi-tieu-" and the target's id.
            cells * (CELL_BYTES + d.url.len() + 10 + t.id.len())
        })
        .sum()
}

pub(crate) fn list(
    site: &Site,
    computed: &crate::compute::Computed,
    config: &Config,
    matrices: &Matrices,
) -> Vec<Page> {
    let mut pages = vec![
        page(paths::page_file("/"), PageKind::Home),
        page("404.html", PageKind::NotFound),
        page(paths::page_file(paths::STATUS), PageKind::Status),
        page(paths::page_file(paths::FIELDS), PageKind::FieldIndex),
        page(paths::page_file(paths::INDICATORS), PageKind::IndicatorIndex),
        page(paths::page_file(paths::MATRICES), PageKind::MatrixIndex),
        page(paths::page_file(paths::DATA_PAGE), PageKind::DataPage),
        page(paths::FEED, PageKind::SiteFeed),
    ];
    // The site's own static files win over what the build would draw or write.
    let own = |name: &str| config.root.join(crate::config::folder::STATIC).join(name).exists();
    pages.extend(ImageFile::ALL.into_iter().filter(|f| !own(f.output())).map(|f| page(f.output(), PageKind::Image(f))));
    if !own("robots.txt") {
        pages.push(page("robots.txt", PageKind::Robots));
    }
    if config.search {
        pages.push(page(paths::page_file(paths::SEARCH), PageKind::Search));
        pages.extend(Layout::of(site, computed).files().map(|f| page(f.output(), PageKind::SearchIndex(f))));
    }
    pages.extend(DataFile::all().map(|f| page(f.output(), PageKind::Data(f))));
    for part in all_parts(site) {
        pages.extend(ProvinceFile::ALL.map(|f| page(f.output(site, part), PageKind::ProvinceData(part, f))));
    }
    for (i, u) in site.units.iter().enumerate() {
        pages.push(page(paths::page_file(&u.url), PageKind::Unit(i)));
        pages.push(page(paths::unit_targets_file(&u.url), PageKind::UnitData(i)));
        pages.push(page(paths::file_in(&u.url, paths::FEED), PageKind::UnitFeed(i)));
        if has_scorecard(site, i) {
            pages.push(page(paths::file_in(&u.url, paths::SCORECARD), PageKind::Scorecard(i)));
        }
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
        for r in comparison_parts(c) {
            let part = paths::indicator_part(&site.indicators[c.indicator].key, &site.units[r].path);
            pages.push(page(paths::page_file(&part), PageKind::IndicatorPart(ci, r)));
        }
        pages.push(page(paths::file_in(&at, paths::FEED), PageKind::IndicatorFeed(ci)));
        for (n, old) in site.indicators[c.indicator].aliases.iter().enumerate() {
            pages.push(page(paths::page_file(&paths::indicator(old)), PageKind::IndicatorAlias(ci, n)));
        }
    }
    for (t, shares) in matrices {
        let t = *t;
        pages.push(page(paths::page_file(&paths::matrix(t)), PageKind::Matrix(t)));
        for share in shares {
            let of = share.parts.len();
            for number in 1..=of {
                let part = Part { root: share.root, number, of };
                pages.push(page(
                    paths::page_file(&paths::matrix_part(t, &site.units[part.root].path, number, of)),
                    PageKind::MatrixPart(t, part),
                ));
            }
        }
    }
    if config.base_url.contains("://") {
        pages.push(page("sitemap.xml", PageKind::Sitemap));
    }
    pages
}

/// Above this many target and result rows, a province's data files are split into parts
/// of whole units, so that no file grows with the province (docs/open-data.md).
pub(crate) const PART_ROWS: usize = 22_000;

/// The rows a unit's own documents give a province's files: their measures and results.
fn unit_weight(site: &Site, u: usize) -> usize {
    let docs = site.units[u].documents.iter().map(|&d| &site.documents[d]);
    docs.map(|d| d.targets.iter().map(|t| t.measures.len()).sum::<usize>() + d.results.len()).sum()
}

/// The units of a root's data files, part by part: every unit under it (itself
/// included) in site order, cut before a unit that would take a part past `PART_ROWS`
/// rows. One part when the province fits; a unit larger than the budget is a part alone.
pub(crate) fn data_parts(site: &Site, root: usize) -> Vec<Vec<usize>> {
    parts_within(site, root, PART_ROWS)
}

fn parts_within(site: &Site, root: usize, budget: usize) -> Vec<Vec<usize>> {
    let mut units = vec![root];
    let mut i = 0;
    while i < units.len() {
        units.extend(site.units[units[i]].children.iter().copied());
        i += 1;
    }
    units.sort_unstable();
    let mut parts: Vec<Vec<usize>> = vec![vec![]];
    let mut rows = 0;
    for u in units {
        let w = unit_weight(site, u);
        if rows + w > budget && rows > 0 {
            parts.push(vec![]);
            rows = 0;
        }
        rows += w;
        parts.last_mut().expect("one part at least").push(u);
    }
    parts
}

/// Every province's parts, provinces in the site's order (`Site::roots`).
pub(crate) fn all_parts(site: &Site) -> impl Iterator<Item = Part> + '_ {
    site.roots.iter().flat_map(move |&root| {
        let of = data_parts(site, root).len();
        (1..=of).map(move |number| Part { root, number, of })
    })
}

/// Above this many rows, an indicator's comparison is split by province (root unit):
/// the indicator's page summarises the provinces and each has a page of its rows.
pub(crate) const SPLIT_ROWS: usize = 150;

/// The root units (provinces, cities) an indicator's comparison is split into, if it is.
pub(crate) fn comparison_parts(c: &crate::compute::compare::IndicatorComparison) -> Vec<usize> {
    let rows: usize = c.classes.iter().map(|k| k.entries.len()).sum();
    if rows <= SPLIT_ROWS || c.roots.len() < 2 { vec![] } else { c.roots.clone() }
}

/// Above this many units, a term's matrix is split by province (root unit).
pub(crate) const SPLIT_UNITS: usize = 150;

/// The HTML a split matrix's part may hold, as the page list estimates it before
/// rendering: a province over it is cut into parts of whole districts (docs/usage.md).
/// Under issue 16's 1 MB a file, with room for the page's frame and its list of every
/// part (about 25 KB at 10,000 wards) and for cells longer than the estimate's.
pub(crate) const MATRIX_PART_BYTES: usize = 750_000;

/// A cell's HTML besides its link's address: its tags and status class, its figure and
/// its status in words (about 60–70 bytes on the generated sites), with room to spare.
const CELL_BYTES: usize = 130;
/// A row's header and its empty cells.
const ROW_BYTES: usize = 300;

/// One province's rows of a split matrix, cut into parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MatrixShare {
    pub(crate) root: usize,
    pub(crate) parts: Vec<MatrixSlice>,
}

/// A part of a split matrix: the units of its rows, in the matrix's order (by name,
/// each unit before the units below it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MatrixSlice {
    pub(crate) units: Vec<usize>,
    /// The district it is a piece of, when that district alone is over the budget;
    /// otherwise it holds whole districts.
    pub(crate) piece_of: Option<usize>,
}

impl MatrixShare {
    /// The part holding `unit`'s row, or else the first holding a unit below it.
    pub(crate) fn part_of(&self, site: &Site, unit: usize) -> Option<usize> {
        self.parts
            .iter()
            .position(|p| p.units.contains(&unit))
            .or_else(|| self.parts.iter().position(|p| p.units.iter().any(|&u| site.ancestry(u).contains(&unit))))
    }

    /// The units a part's name is made of (`views::matrix` writes it): a piece of a
    /// district names the district and its first and last other units; a part of whole
    /// districts its first and last district (the province itself for the province's
    /// own row). A rename of one of these, or of the province, changes every part's
    /// navigation.
    pub(crate) fn name_units(&self, site: &Site, part: usize) -> PartName {
        let slice = &self.parts[part];
        if let Some(g) = slice.piece_of {
            let inner: Vec<usize> = slice.units.iter().copied().filter(|&u| u != g).collect();
            return match (inner.first(), inner.last()) {
                (Some(&a), Some(&b)) => PartName::Within(g, a, b),
                _ => PartName::One(g),
            };
        }
        let top = |u: usize| site.ancestry(u).get(1).copied().unwrap_or(self.root);
        let (a, b) = (top(slice.units[0]), top(slice.units[slice.units.len() - 1]));
        if a == b { PartName::One(a) } else { PartName::Range(a, b) }
    }
}

/// What a matrix part is called, by units (see `MatrixShare::name_units`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartName {
    One(usize),
    Range(usize, usize),
    /// A district, and the first and last of its units the part holds.
    Within(usize, usize, usize),
}

impl PartName {
    pub(crate) fn units(self) -> Vec<usize> {
        match self {
            PartName::One(a) => vec![a],
            PartName::Range(a, b) => vec![a, b],
            PartName::Within(g, a, b) => vec![g, a, b],
        }
    }
}

/// The root units a term's matrix is split into, if it is.
fn matrix_roots(computed: &crate::compute::Computed, term: Term) -> Vec<usize> {
    let Some((units, roots)) = computed.term_spread.get(&term) else { return vec![] };
    if *units <= SPLIT_UNITS || roots.len() < 2 { vec![] } else { roots.clone() }
}

/// How a term's matrix is split: nothing when it is one page; else each province with
/// rows (index order) and its parts. A province within `MATRIX_PART_BYTES` is one part;
/// a larger one is cut between whole districts (the root's children, each with the
/// units below it), and a district larger than the budget alone into parts of whole
/// units. A unit's bytes are estimated from the model, before anything is rendered:
/// per cell (a measure of the term with an indicator), `CELL_BYTES` and its link's
/// address, whose length varies most (document file names run from 10 to 80
/// characters); per row, `ROW_BYTES`.
pub(crate) fn matrix_split(site: &Site, computed: &crate::compute::Computed, term: Term) -> Vec<MatrixShare> {
    let roots = matrix_roots(computed, term);
    if roots.is_empty() {
        return vec![];
    }
    // Every measure of the term is read (memory-bound at national scale, and `serve`
    // does it on every save): on every core, each document's sum, then added up.
    use rayon::prelude::*;
    let per_doc: Vec<(usize, usize)> =
        site.documents.par_iter().filter(|d| d.term == Some(term)).map(|d| (d.unit, matrix_bytes(d))).collect();
    let mut bytes = vec![0usize; site.units.len()];
    for (u, b) in per_doc {
        bytes[u] += b;
    }
    let weight = |u: usize| if bytes[u] == 0 { 0 } else { bytes[u] + ROW_BYTES };
    roots.into_iter().map(|root| MatrixShare { root, parts: cut(site, root, &weight, MATRIX_PART_BYTES) }).collect()
}

/// The units under `root` that have a row, cut into parts within `budget` (see `matrix_split`).
fn cut(site: &Site, root: usize, weight: &dyn Fn(usize) -> usize, budget: usize) -> Vec<MatrixSlice> {
    let by_name = |us: &[usize]| {
        let mut us = us.to_vec();
        us.sort_by_key(|&u| (site.name_rank[u], u));
        us
    };
    // A district's units in the matrix's order: depth first, siblings by name.
    let subtree = |top: usize| {
        let mut out = vec![];
        let mut stack = vec![top];
        while let Some(u) = stack.pop() {
            out.push(u);
            stack.extend(by_name(&site.units[u].children).into_iter().rev());
        }
        out.retain(|&u| weight(u) > 0);
        (top, out)
    };
    let mut groups: Vec<(usize, Vec<usize>)> = vec![(root, if weight(root) > 0 { vec![root] } else { vec![] })];
    groups.extend(by_name(&site.units[root].children).into_iter().map(subtree));
    let mut parts: Vec<MatrixSlice> = vec![];
    let mut units: Vec<usize> = vec![];
    let mut filled = 0;
    let close = |parts: &mut Vec<MatrixSlice>, units: &mut Vec<usize>, piece_of: Option<usize>| {
        if !units.is_empty() {
            parts.push(MatrixSlice { units: std::mem::take(units), piece_of });
        }
    };
    for (top, group) in groups.into_iter().filter(|(_, g)| !g.is_empty()) {
        let w: usize = group.iter().map(|&u| weight(u)).sum();
        if filled + w > budget {
            close(&mut parts, &mut units, None);
            filled = 0;
        }
        if w <= budget {
            units.extend(group);
            filled += w;
            continue;
        }
        // A district over the budget alone: parts of its whole units, none shared with
        // another district, so that a part's name is the district's and its units'.
        for u in group {
            if filled + weight(u) > budget && filled > 0 {
                close(&mut parts, &mut units, Some(top));
                filled = 0;
            }
            units.push(u);
            filled += weight(u);
        }
        close(&mut parts, &mut units, Some(top));
        filled = 0;
    }
    close(&mut parts, &mut units, None);
    parts
}

/// `https://host` of an absolute base URL, or nothing.
pub(crate) fn site_origin(base_url: &str) -> String {
    match base_url.find("://") {
        Some(i) => {
            let host_end = base_url[i + 3..].find('/').map(|j| i + 3 + j).unwrap_or(base_url.len());
            base_url[..host_end].to_string()
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One page of every kind (and every data file).
    fn every_kind() -> Vec<PageKind> {
        use PageKind::*;
        let term = Term { start: 2020, end: 2025 };
        let mut kinds = vec![
            Home,
            Unit(0),
            UnitData(0),
            UnitFeed(0),
            Scorecard(0),
            Document(0),
            FieldIndex,
            Field(0),
            IndicatorIndex,
            Indicator(0),
            IndicatorPart(0, 0),
            IndicatorFeed(0),
            MatrixIndex,
            Matrix(term),
            MatrixPart(term, Part { root: 0, number: 1, of: 1 }),
            DataPage,
            Status,
            NotFound,
            Sitemap,
        ];
        kinds.extend(DataFile::all().map(Data));
        kinds.extend(ProvinceFile::ALL.map(|f| ProvinceData(Part { root: 0, number: 1, of: 1 }, f)));
        kinds
    }

    #[test]
    fn a_province_is_cut_into_parts_of_whole_units_within_the_budget() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = crate::site::load_config(root, &Default::default()).unwrap();
        let content = crate::load::content::read(root, &config.content_dir()).unwrap();
        let p = crate::site::prepare(config, content).unwrap();
        let site = &p.site;
        let hcm = site.unit_by_path["tp-ho-chi-minh"];
        let whole = data_parts(site, hcm);
        assert_eq!(whole.len(), 1, "the bundled provinces fit");
        let rows = |units: &[usize]| units.iter().map(|&u| unit_weight(site, u)).sum::<usize>();
        let total = rows(&whole[0]);
        let budget = total / 3;
        let parts = parts_within(site, hcm, budget);
        assert!(parts.len() >= 2, "{parts:?}");
        // Every unit once, in site order; each part within the budget unless it is one unit.
        assert_eq!(parts.concat(), whole[0]);
        for part in &parts {
            assert!(rows(part) <= budget || part.len() == 1, "{part:?}: {} rows", rows(part));
        }
        assert!(parts.windows(2).all(|w| rows(&w[0]) + unit_weight(site, w[1][0]) > budget), "cut only when full");
        // Their files are numbered; an unsplit province's are not.
        let part = Part { root: hcm, number: 2, of: 3 };
        assert_eq!(ProvinceFile::Zip.output(site, part), "data/tp-ho-chi-minh/csv-2.zip");
        assert_eq!(ProvinceFile::Json.address(site, part), "/data/tp-ho-chi-minh/data-2.json");
        assert_eq!(ProvinceFile::entry(site, part, Table::Results), "tp-ho-chi-minh-results-2.csv");
        let whole = Part { number: 1, of: 1, ..part };
        assert_eq!(ProvinceFile::Zip.output(site, whole), "data/tp-ho-chi-minh/csv.zip");
        assert_eq!(ProvinceFile::entry(site, whole, Table::Targets), "tp-ho-chi-minh-targets.csv");
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
        assert!(PageKind::ProvinceData(Part { root: 0, number: 1, of: 1 }, ProvinceFile::Json).is_streamed());
        assert!(!PageKind::Data(DataFile::Schema).is_streamed());
    }
}
