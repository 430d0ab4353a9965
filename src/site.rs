//! One build or check, start to end, through the engine's pipeline (engine.rs): the
//! model step (`prepare`), the rendering of pages, and the staging folder a build writes
//! into. `check` runs the same pipeline and renders every page in memory but writes nothing.

use crate::compute::{self, Computed};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Kind};
use crate::engine::{Engine, Laps, timings};
use crate::model::{self, Site};
use crate::render::pages::{self, Page};
use crate::render::{Renderer, views::Views};
pub use crate::write::OUTPUT_MARKER;
use crate::write::{BuildSink, Previous, Progress, Staging};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub units: usize,
    pub documents: usize,
    /// Documents with `draft: true`: checked, not published, not in `documents`.
    pub drafts: usize,
    pub targets: usize,
    pub measures: usize,
    pub results: usize,
    pub pages: usize,
    pub files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Problems that did not stop the build, printed with it.
    pub warnings: Diagnostics,
    /// The base URL the links were made with: a path only ("/") leaves out what needs
    /// the full address (canonical links, the preview image, the sitemap).
    pub base_url: String,
}

impl Report {
    /// What `build` says when the site was made for a path, not a full address: fine to
    /// preview, short of what a published site should have.
    pub fn base_url_note(&self) -> Option<String> {
        (!self.base_url.contains("://")).then(|| {
            format!(
                "note: base_url is \"{}\", not a full address: the pages have no canonical address or preview image, and the site no sitemap.xml. For the published site, set base_url = \"https://…/\" in minhbach.toml or pass --base-url.",
                self.base_url
            )
        })
    }
}

/// Files beside the content, copied as they are: (source, content path).
pub(crate) type Assets = Vec<(PathBuf, String)>;

/// "1 unit", "2 units".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

impl Report {
    /// "11 units, 6 documents, 65 targets (96 measures), 88 results", with "(and 1
    /// draft, not published)" after the documents when there are drafts: a new
    /// document is one, and "0 documents" alone would look as if it were not read.
    pub fn summary(&self) -> String {
        let drafts = match self.drafts {
            0 => String::new(),
            n => format!(" (and {}, not published)", plural(n, "draft")),
        };
        format!(
            "{}, {}{drafts}, {} ({}), {}",
            plural(self.units, "unit"),
            plural(self.documents, "document"),
            plural(self.targets, "target"),
            plural(self.measures, "measure"),
            plural(self.results, "result")
        )
    }
}

/// The site's settings, with the command line's overrides.
pub fn load_config(root: &Path, opts: &Options) -> Result<Config, Diagnostics> {
    let mut config = Config::load(root)?;
    if let Some(b) = &opts.base_url {
        Config::check_base_url(b)?;
        config.base_url = if b.ends_with('/') { b.clone() } else { format!("{b}/") };
    }
    if let Some(o) = &opts.output {
        config.output_dir = o.clone();
    }
    Ok(config)
}

/// A site loaded, checked and computed, ready to render: what one build needs, owned,
/// so `serve` can keep it between rebuilds.
pub struct Prepared {
    pub config: Config,
    pub site: Site,
    pub computed: Computed,
    pub renderer: Renderer,
    /// The site's other editions (`languages` after the first), each in its folder.
    pub editions: Vec<Edition>,
    pub status_date: jiff::civil::Date,
    pub assets: Assets,
    pub base: String,
    pub list: Vec<Page>,
    /// How each term's matrix is split: computed with the model and kept with it (a
    /// save that changes it computes it again, `engine`), not per pass or per page.
    pub(crate) matrices: pages::Matrices,
    /// Problems found on the way that do not stop the build.
    pub warnings: Diagnostics,
}

/// One of the site's other editions (`languages`): the interface in its language and
/// the vocabulary in its words, the content as written; its pages in its own folder
/// ("en/"), the data files and the search index shared with the first edition.
pub struct Edition {
    pub lang: String,
    pub renderer: Renderer,
    /// Its base path: "/en/".
    pub base: String,
    /// Its folder in the output: "en/".
    pub folder: String,
    indicators: Vec<model::Indicator>,
    fields: Vec<model::Field>,
}

impl Edition {
    fn new(config: &Config, site: &Site, lang: &str, fuel: u64) -> Result<Edition, Diagnostics> {
        use model::Translate;
        Ok(Edition {
            lang: lang.to_string(),
            renderer: Renderer::edition(config, lang, fuel)?,
            base: config.edition_base(lang),
            folder: format!("{lang}/"),
            indicators: site.indicators.iter().map(|i| i.translated(lang)).collect(),
            fields: site.fields.iter().map(|f| f.translated(lang)).collect(),
        })
    }

    /// Where the edition's copy of an output is written: "en/chi-so/index.html".
    pub(crate) fn output(&self, output: &str) -> String {
        [self.folder.as_str(), output].concat()
    }
}

/// The languages of a site's editions, first the site's own, for the switcher and the
/// `hreflang` links: (code, its own name for itself, base path).
pub(crate) type EditionList = Vec<(String, String, String)>;

/// Model, compute and page list from loaded content.
pub fn prepare(config: Config, mut content: crate::load::content::Content) -> Result<Prepared, Diagnostics> {
    let mut laps = Laps::start();
    let assets = std::mem::take(&mut content.assets);
    let (site, model_warnings) = model::assemble::build(content)?;
    laps.lap("model");
    let status_date = compute::status::status_date(config.status_date);
    let computed = compute::compute(&site, status_date);
    laps.lap("compute");
    let fuel = crate::render::fuel_budget(&site);
    let renderer = Renderer::new(&config, fuel)?;
    let mut editions = Vec::new();
    for lang in &config.editions {
        editions.push(Edition::new(&config, &site, lang, fuel)?);
    }
    let base = config.base_path();
    let matrices = pages::matrices(&site, &computed);
    let list = pages::list(&site, &computed, &config, &matrices);
    laps.lap("renderer + list");
    let mut diags = model_warnings;
    for d in &site.documents {
        diags.0.extend(issued_after(d, status_date));
    }
    diags.extend(shared_outputs(&config, &site, &list, &editions, &renderer, &assets));
    // Every template is compiled, used by a page or not, so `build` fails where `check` does.
    for name in renderer.theme.template_names() {
        if let Err(e) = renderer.env.get_template(&name) {
            diags.push(crate::render::template_error(&renderer.theme, &name, &e));
        }
    }
    let warnings = diags.into_result()?;
    Ok(Prepared { config, site, computed, renderer, editions, status_date, assets, base, list, matrices, warnings })
}

/// A document dated after the status date is a typo, or the status date is stale.
pub(crate) fn issued_after(d: &model::Document, status_date: jiff::civil::Date) -> Option<Diagnostic> {
    let issued = d.issued?;
    (issued.start() > status_date).then(|| {
        Diagnostic::new(
            &d.file,
            format!(
                "issued {} is after the date statuses are computed at ({})",
                issued.short(),
                crate::vi::date::VnDate::from_date(status_date).short()
            ),
        )
        .kind(Kind::Value)
        .hint("check the `issued` date, or move `status_date` in minhbach.toml forward")
    })
}

/// Two sources writing one output file: pages, static files and content assets, each
/// path once, whichever the source (one would silently replace the other, and which
/// one changed from build to build). The message names both; it points at the file a
/// user added (a content asset, a static file) rather than at the page it replaces.
pub(crate) fn shared_outputs(
    config: &Config,
    site: &Site,
    list: &[Page],
    editions: &[Edition],
    renderer: &Renderer,
    assets: &Assets,
) -> Diagnostics {
    use crate::render::pages::PageKind as K;
    /// Who writes an output; described only when two do.
    #[derive(Clone, Copy)]
    enum By<'a> {
        Page(&'a Page),
        Static(&'a str),
        Asset(&'a Path),
    }
    // (what writes it, the file to point at)
    let describe = |by: By| -> (String, Option<PathBuf>) {
        match by {
            By::Page(p) => {
                let file = match p.kind {
                    K::Unit(i) | K::UnitData(i) | K::UnitFeed(i) | K::Scorecard(i) => Some(site.units[i].file.clone()),
                    K::Document(i) => Some(site.documents[i].file.clone()),
                    _ => None,
                };
                let what = match (&p.kind, &file) {
                    (K::Unit(_) | K::Document(_), Some(f)) => format!("the page of {}", f.display()),
                    (_, Some(f)) => format!("the files beside the page of {}", f.display()),
                    _ => "the site's own pages".to_string(),
                };
                (what, file)
            }
            By::Static(rel) => {
                let own = Path::new(crate::config::folder::STATIC).join(rel);
                if config.root.join(&own).is_file() {
                    (own.display().to_string(), Some(own))
                } else {
                    ("the theme".to_string(), None)
                }
            }
            By::Asset(src) => {
                let shown = crate::diagnostics::display_path(&config.root, src);
                (shown.display().to_string(), Some(shown))
            }
        }
    };
    let mut diags = Diagnostics::default();
    let statics = renderer.theme.static_files().map(|m| m.into_keys().collect::<Vec<_>>()).unwrap_or_default();
    let asset_outputs: Vec<String> = assets.iter().map(|(_, rel)| asset_path(rel)).collect();
    let mut all: Vec<(&str, By)> = Vec::with_capacity(list.len() + statics.len() + assets.len());
    all.extend(list.iter().map(|p| (p.output.as_str(), By::Page(p))));
    // The other editions' copies: a province folder named like an edition's language
    // (`content/en/`) would write over its pages.
    let copies: Vec<(String, &Page)> = editions
        .iter()
        .flat_map(|e| list.iter().filter(|p| p.kind.per_edition()).map(move |p| (e.output(&p.output), p)))
        .collect();
    let site_pages = Page { output: String::new(), kind: crate::render::pages::PageKind::Home };
    all.extend(copies.iter().map(|(out, _)| (out.as_str(), By::Page(&site_pages))));
    all.extend(statics.iter().map(|rel| (rel.as_str(), By::Static(rel))));
    for ((src, _), out) in assets.iter().zip(&asset_outputs) {
        // A folder whose name slugs to nothing (`content/!!!/a.pdf`): the file would be
        // written outside its folder.
        if out.starts_with('/') || out.split('/').any(str::is_empty) {
            let (shown, file) = describe(By::Asset(src));
            let folder = shown.split('/').find(|p| crate::vi::slug::slugify(p).is_empty()).unwrap_or("");
            diags.push(
                Diagnostic::new(
                    file.unwrap_or_default(),
                    format!("the folder name `{folder}` gives an empty address (for {out})"),
                )
                .kind(Kind::Address)
                .hint("name the folder with letters or digits, e.g. `van-ban`: the names make the file's address"),
            );
            continue;
        }
        all.push((out.as_str(), By::Asset(src)));
    }
    let mut owner: std::collections::HashMap<&str, By> = std::collections::HashMap::with_capacity(all.len());
    for (out, by) in all {
        // What `build` would refuse to write, said by `check` too, at its source.
        if !crate::render::theme::safe_relative(out) {
            let (what, file) = describe(by);
            diags.push(
                Diagnostic::new(
                    file.unwrap_or_else(|| PathBuf::from(out)),
                    format!("{out} cannot be written (it comes from {what}): a `\\` in a name would leave its folder"),
                )
                .kind(Kind::Address)
                .hint("rename the file without `\\`"),
            );
            continue;
        }
        match owner.get(out) {
            Some(&first) => {
                let ((what, file), (first_what, first_file)) = (describe(by), describe(first));
                let at = file.or(first_file).unwrap_or_else(|| PathBuf::from(out));
                diags.push(
                    Diagnostic::new(at, format!("{out} is written twice: by {what} and by {first_what}"))
                        .kind(Kind::Address)
                        .hint("rename or remove one of the two: each file of the site has one source"),
                );
            }
            None => {
                owner.insert(out, by);
            }
        }
    }
    diags
}

impl Prepared {
    pub(crate) fn views(&self) -> Views<'_> {
        self.views_in(None)
    }

    /// The views of an edition (`None`: the site's first).
    pub(crate) fn views_in<'a>(&'a self, edition: Option<&'a Edition>) -> Views<'a> {
        let (strings, base, indicators, fields) = match edition {
            None => (&self.renderer.strings, &self.base, &self.site.indicators, &self.site.fields),
            Some(e) => (&e.renderer.strings, &e.base, &e.indicators, &e.fields),
        };
        let root = &self.base;
        let edition = edition.map(|e| e.lang.as_str());
        Views { site: &self.site, computed: &self.computed, strings, base, root, indicators, fields, edition }
    }

    /// How many files the page list writes, in every edition.
    pub(crate) fn outputs(&self) -> usize {
        let copies = self.list.iter().filter(|p| p.kind.per_edition()).count();
        self.list.len() + copies * self.editions.len()
    }

    /// Every edition's language, its name in itself and its base path, the site's first.
    pub(crate) fn edition_list(&self) -> EditionList {
        let own =
            |r: &Renderer, lang: &str, base: &str| (lang.to_string(), r.strings.get("lang_name"), base.to_string());
        let mut list = vec![own(&self.renderer, &self.config.language, &self.base)];
        list.extend(self.editions.iter().map(|e| own(&e.renderer, &e.lang, &e.base)));
        list
    }

    /// Render `pages` in parallel, handing each result to `sink`; every problem is
    /// collected. Each page is dropped once handed over, so memory stays flat. `sizes`
    /// gives the length of a file already written, for the pages that list sizes
    /// (`PageKind::lists_sizes`, rendered after the files they list).
    pub fn render_pages(
        &self,
        pages: &[Page],
        sink: &(dyn Fn(&Page, Vec<u8>) -> std::io::Result<()> + Sync),
        sizes: &(dyn Fn(&str) -> Option<u64> + Sync),
    ) -> Diagnostics {
        self.render_edition(None, pages, sink, sizes)
    }

    /// `render_pages` in one edition (`None`: the site's first): `sink` is given the
    /// site's page, and writes it where the edition keeps it (`Edition::output`).
    pub(crate) fn render_edition(
        &self,
        edition: Option<&Edition>,
        pages: &[Page],
        sink: &(dyn Fn(&Page, Vec<u8>) -> std::io::Result<()> + Sync),
        sizes: &(dyn Fn(&str) -> Option<u64> + Sync),
    ) -> Diagnostics {
        let views = self.views_in(edition);
        let renderer = edition.map_or(&self.renderer, |e| &e.renderer);
        let lang = edition.map_or(self.config.language.as_str(), |e| e.lang.as_str());
        let editions = self.edition_list();
        let words = self.config.words(lang);
        let mut laps = Laps::start();
        let shared = crate::render::dispatch::RenderPass::new(
            &self.config,
            &words,
            lang,
            &editions,
            &views,
            self.status_date,
            &self.list,
            &self.matrices,
            sizes,
        );
        laps.lap("shared");
        let timings = timings();
        let spent: std::sync::Mutex<std::collections::BTreeMap<String, (usize, Duration, usize)>> = Default::default();
        // One page per task: pages differ in cost by a thousandfold (a province's part
        // of a comparison against a ward's feed), and rayon only splits a range that was
        // stolen, so at national scale the last range ran on one core for 30 s.
        let errors: Vec<Diagnostic> = pages
            .par_iter()
            .with_max_len(1)
            .filter_map(|p| {
                let t = Instant::now();
                let r = crate::render::dispatch::render(renderer, &views, &shared, &self.config, p);
                if timings {
                    let kind = format!("{:?}", p.kind).split('(').next().unwrap_or("").to_string();
                    let mut s = spent.lock().unwrap();
                    let e = s.entry(kind).or_default();
                    e.0 += 1;
                    e.1 += t.elapsed();
                    e.2 += r.as_ref().map(|b| b.len()).unwrap_or(0);
                }
                match r {
                    Ok(bytes) => sink(p, bytes).err().map(|e| {
                        let out = edition.map_or(p.output.clone(), |ed| ed.output(&p.output));
                        Diagnostic::new(out, format!("cannot write: {e}")).kind(Kind::Output)
                    }),
                    Err(d) => Some(d),
                }
            })
            .collect();
        if timings {
            for (k, (n, d, b)) in spent.into_inner().unwrap() {
                eprintln!(
                    "  {k:<16} {n:>6} files {:>8.0} ms (cpu) {:>8.1} MB",
                    d.as_secs_f64() * 1000.0,
                    b as f64 / 1e6
                );
            }
        }
        let mut diags = Diagnostics(errors);
        // A translation key the pages looked up and the theme lacks.
        diags.extend(renderer.strings.missing());
        diags
    }

    /// Write the target data files of `pages` through `sink` (one streaming pass).
    pub fn stream_data_files(&self, pages: &[&Page], sink: &dyn crate::render::data::FileSink) -> std::io::Result<()> {
        if pages.is_empty() {
            return Ok(());
        }
        let t = Instant::now();
        let views = self.views();
        let origin = pages::site_origin(&self.config.base_url);
        let r = crate::render::data::stream_data_files(&views, &origin, pages, sink);
        if timings() {
            eprintln!(
                "  target data      {:>6} files {:>8.0} ms (streamed)",
                pages.len(),
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
        r
    }

    /// Write the search index files of `pages` through `sink` (one pass over the site).
    pub fn write_search(&self, pages: &[&Page], sink: &dyn crate::render::data::FileSink) -> std::io::Result<()> {
        if pages.is_empty() {
            return Ok(());
        }
        let t = Instant::now();
        let views = self.views();
        let layout = crate::render::pages::Layout::of(&self.site, &self.computed);
        let r = crate::render::search::write_index(&views, layout, pages, sink);
        if timings() {
            eprintln!("  search index     {:>6} files {:>8.0} ms", pages.len(), t.elapsed().as_secs_f64() * 1000.0);
        }
        r
    }

    /// Static files of the theme and site, then files that live beside the content:
    /// (output path, bytes).
    pub(crate) fn extra_files(&self) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
        let mut out: Vec<(String, Vec<u8>)> = self
            .renderer
            .theme
            .static_files()
            .map_err(|e| io_diag(&self.config.root, "cannot read static files", e))?
            .into_iter()
            .collect();
        let mut diags = Diagnostics::default();
        for (src, rel) in &self.assets {
            match std::fs::read(src) {
                Ok(bytes) => out.push((asset_path(rel), bytes)),
                Err(e) => diags.push(Diagnostic::new(src, format!("cannot read: {e}"))),
            }
        }
        if diags.is_empty() { Ok(out) } else { Err(diags) }
    }

    pub(crate) fn report(&self, files: usize, elapsed: Duration) -> Report {
        let site = &self.site;
        Report {
            units: site.units.len(),
            documents: site.documents.len(),
            drafts: site.drafts.len(),
            targets: site.documents.iter().map(|d| d.targets.len()).sum(),
            measures: site.documents.iter().flat_map(|d| &d.targets).map(|t| t.measures.len()).sum(),
            results: site.results.len(),
            pages: self.outputs(),
            files,
            output: self.config.output_dir.clone(),
            elapsed,
            warnings: self.warnings.clone(),
            base_url: self.config.base_url.clone(),
        }
    }
}

/// Build the site into its output folder, atomically: the engine's pass in which
/// everything changed.
pub fn build(root: &Path, opts: &Options) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    let pass = Engine::new(root, opts.clone()).full(false)?;
    write_all(&pass.model, &pass.pages, start).map(|(report, _)| report)
}

/// Write a site prepared earlier (`prepare`) into its output folder as `build` does:
/// every page and file, swapped in only if all of them succeed. Bodies are read again
/// from their files meanwhile, so a file changed since it was read fails it.
pub fn write(p: &Prepared) -> Result<Report, Diagnostics> {
    write_all(p, &p.list, Instant::now()).map(|(report, _)| report)
}

/// Render `pages` (every page) and file of a prepared site into a staging folder and
/// swap it in place of the output. Returns the report and each written file's bytes hash.
pub(crate) fn write_all(
    p: &Prepared,
    pages: &[Page],
    start: Instant,
) -> Result<(Report, std::collections::HashMap<String, u64>), Diagnostics> {
    check_output(&p.config)?;
    let out = &p.config.output_dir;
    let staging =
        Staging::begin(out).map_err(|e| write_failure(&p.config, "cannot make the new site's folder beside", &e))?;
    // Read after `begin`, which may have put back the output a killed build left aside.
    let previous = Previous::read(out);
    let progress = Progress::new(p.outputs(), start);
    let sink = BuildSink {
        staging: &staging,
        previous: &previous,
        hashes: Default::default(),
        sizes: Default::default(),
        progress: &progress,
        failed: Default::default(),
        stop: Default::default(),
        refused: Default::default(),
    };
    let mut diags = crate::engine::render(p, pages, &sink);
    progress.finish();
    let mut files = p.outputs();
    match p.extra_files() {
        Ok(extra) => {
            files += extra.len();
            for (rel, bytes) in extra {
                // Not in the manifest: a later build compares them with nothing and
                // writes them again (they are few and small).
                let _ =
                    sink.check(&rel).and_then(|()| sink.staging.write(&rel, &bytes).map_err(|e| sink.fail(&rel, e)));
            }
        }
        Err(d) => diags.extend(d),
    }
    if let Some(e) = sink.failed.lock().unwrap().take() {
        // One failure (a full disk) makes every later write fail: one error says so,
        // instead of one per file (the pages' own problems are still listed).
        let refused = sink.refused.lock().unwrap();
        diags.0.retain(|d| d.kind != Kind::Output || !(refused.contains(&d.file) || d.file == *out));
        diags.extend(write_failure(&p.config, WRITE, &e));
    }
    if !diags.is_empty() {
        // Dropping the staging folder removes it; the previous output is untouched.
        return Err(diags.sorted());
    }
    let hashes = sink.hashes.into_inner().unwrap();
    staging.write(OUTPUT_MARKER, manifest(&hashes).as_bytes()).map_err(|e| write_failure(&p.config, WRITE, &e))?;
    staging.commit().map_err(|e| write_failure(&p.config, "cannot put the new site in place of", &e))?;
    Ok((p.report(files, start.elapsed()), hashes))
}

const WRITE: &str = "cannot write the site into";

/// The one error of a build that could not write its output: what failed, the folder,
/// the system's reason in its own words (without "(os error 28)"), what to do.
fn write_failure(config: &Config, what: &str, e: &std::io::Error) -> Diagnostics {
    let out = &config.output_dir;
    let words = e.to_string();
    let words = match words.find(" (os error ") {
        Some(i) => words[..i].to_string(),
        None => words,
    };
    let place = parent_folder(out);
    let hint = match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => format!(
            "free some space on the disk that holds {place} and build again: the new site is written beside the old one before it replaces it, so both must fit"
        ),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => format!(
            "a build writes a new folder in {place} and renames it into place: check that you may write there, or choose another output folder with --output"
        ),
        _ => "check the folder's permissions and free space".to_string(),
    };
    let mut d = Diagnostics::default();
    d.push(Diagnostic::new(out, format!("{what} {}: {words}", out.display())).kind(Kind::Output).hint(hint));
    d
}

/// The folder an output folder is made in, for messages.
fn parent_folder(out: &Path) -> String {
    match out.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p.display().to_string(),
        None => ".".into(),
    }
}

/// The marker file doubles as a manifest: one `hash<TAB>path` line per page.
pub(crate) fn manifest(hashes: &std::collections::HashMap<String, u64>) -> String {
    crate::write::manifest(hashes)
}

/// A fast, stable hash of a file's bytes, to know whether a page changed.
pub(crate) fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Everything `build` does except writing: the output folder is checked as `build`
/// checks it (every template is compiled in `prepare`).
pub fn check(root: &Path) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    let pass = Engine::new(root, Options::default()).full(false)?;
    let p = &pass.model;
    let mut diags = Diagnostics::default();
    if let Err(d) = check_output(&p.config) {
        diags.extend(d);
    }
    diags.extend(crate::engine::render(p, &pass.pages, &crate::render::data::Discard));
    // The files `build` writes: the pages, and the static files and content assets it
    // copies (counted alike, so that check and build give one figure).
    let mut files = p.outputs();
    match p.extra_files() {
        Ok(extra) => files += extra.len(),
        Err(d) => diags.extend(d),
    }
    if !diags.is_empty() {
        return Err(diags.sorted());
    }
    Ok(p.report(files, start.elapsed()))
}

/// Refuse an output folder whose replacement would destroy something: the site itself,
/// its sources, a folder containing them, a file, a symbolic link, or a non-empty
/// folder minhbach did not write. Reads only; `check` runs it too.
pub(crate) fn check_output(config: &Config) -> Result<(), Diagnostics> {
    let abs = |p: &Path| std::path::absolute(p).map(|a| normalise(&a)).unwrap_or_else(|_| p.to_path_buf());
    let out = abs(&config.output_dir);
    let root = abs(&config.root);
    let origin = OutputOrigin::of(config);
    let refuse = |why: String, hint: String| {
        let mut d = Diagnostics::default();
        d.push(origin.diagnostic(why).hint(hint));
        Err(d)
    };
    let own_folder = || origin.choose("a folder of its own, e.g. \"public\" (the default)");
    if root.starts_with(&out) {
        return refuse(
            format!("the output folder {} contains the site itself; building there would delete it", out.display()),
            own_folder(),
        );
    }
    for src in crate::config::folder::SOURCES {
        if out.starts_with(root.join(src)) {
            return refuse(
                format!("the output folder {} is inside the site's {src}/ folder", out.display()),
                own_folder(),
            );
        }
    }
    match std::fs::symlink_metadata(&out) {
        Ok(m) if m.file_type().is_symlink() => {
            let to = std::fs::read_link(&out).map(|t| t.display().to_string()).unwrap_or_default();
            return refuse(
                format!(
                    "the output folder {} is a symbolic link (to {to}); a build replaces the link with a folder, not what it points at",
                    out.display()
                ),
                origin.choose(&format!("the folder the link points at ({to})")),
            );
        }
        Ok(m) if !m.is_dir() => {
            return refuse(
                format!(
                    "the output folder {} is a file, not a folder; a build would replace it with the site",
                    out.display()
                ),
                format!("{}, or move the file elsewhere; it was left as it is", origin.choose("another folder")),
            );
        }
        Ok(_) => {
            let ours = std::fs::symlink_metadata(out.join(OUTPUT_MARKER)).is_ok();
            if !ours && std::fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(false) {
                return refuse(
                    format!(
                        "{} is not empty and was not written by minhbach; a build replaces the whole folder",
                        out.display()
                    ),
                    "empty it or choose another folder; files to publish with the site (CNAME, robots.txt …) go in static/; a build's output whose .minhbach-output file was deleted can be deleted whole".into(),
                );
            }
        }
        Err(_) => {
            // Made by the build: the nearest folder that exists must be a folder.
            if let Some(file) = out.ancestors().skip(1).find(|a| std::fs::symlink_metadata(a).is_ok())
                && !file.is_dir()
            {
                return refuse(
                    format!("the output folder {} cannot be made: {} is a file", out.display(), file.display()),
                    own_folder(),
                );
            }
        }
    }
    Ok(())
}

/// Where the output folder was chosen, so an error about it points there: the
/// `output_dir` line of minhbach.toml, the whole file (the default, `public`), or the
/// command line (`--output`).
enum OutputOrigin {
    Setting { text: String, line: usize, column: usize },
    Default,
    Argument,
}

impl OutputOrigin {
    fn of(config: &Config) -> OutputOrigin {
        #[derive(serde::Deserialize)]
        struct Key {
            output_dir: Option<toml::Spanned<String>>,
        }
        let text = std::fs::read_to_string(config.root.join(CONFIG_FILE)).unwrap_or_default();
        match toml::from_str::<Key>(&text).ok().and_then(|k| k.output_dir) {
            Some(v) if config.root.join(v.get_ref()) == config.output_dir => {
                let before = &text[..v.span().start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                OutputOrigin::Setting { text, line, column }
            }
            None if config.output_dir == config.root.join("public") => OutputOrigin::Default,
            _ => OutputOrigin::Argument,
        }
    }

    fn diagnostic(&self, message: String) -> Diagnostic {
        match self {
            OutputOrigin::Setting { text, line, column } => {
                Diagnostic::new(CONFIG_FILE, message).kind(Kind::Output).at(text, *line, *column)
            }
            OutputOrigin::Default => Diagnostic::new(CONFIG_FILE, message).kind(Kind::Output),
            OutputOrigin::Argument => Diagnostic::new("--output", message).kind(Kind::Output),
        }
    }

    /// "set output_dir … to X" or "pass --output X".
    fn choose(&self, folder: &str) -> String {
        match self {
            OutputOrigin::Setting { .. } => format!("set output_dir in {CONFIG_FILE} to {folder}"),
            OutputOrigin::Default => {
                format!(
                    "the output folder is public/ unless output_dir in {CONFIG_FILE} says otherwise: set it to {folder}"
                )
            }
            OutputOrigin::Argument => format!("pass --output {folder}"),
        }
    }
}

/// The site's settings, named as the other sources are: relative to the site folder.
const CONFIG_FILE: &str = "minhbach.toml";

/// Remove `.` and `..` components without touching the file system.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Content assets keep their file name; their folders follow the pages' slugs.
pub(crate) fn asset_path(rel: &str) -> String {
    let mut parts: Vec<String> = rel.split('/').map(String::from).collect();
    let n = parts.len();
    for p in parts.iter_mut().take(n.saturating_sub(1)) {
        *p = crate::vi::slug::slugify(p);
    }
    parts.join("/")
}

pub(crate) fn io_diag(path: &Path, what: &str, e: std::io::Error) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(
        Diagnostic::new(path, format!("{what}: {e}"))
            .kind(Kind::Io)
            .hint("check the folder's permissions and free space"),
    );
    d
}
