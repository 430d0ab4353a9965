//! One build, start to end: config → load → model → compute → render → write.
//! `check` runs the same pipeline and renders every page in memory but writes nothing.

use crate::compute;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::{self, Site};
use crate::render::{Renderer, pages, views::Views};
use crate::write::Staging;
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
    pub targets: usize,
    pub measures: usize,
    pub results: usize,
    pub pages: usize,
    pub files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
}

/// Files beside the content, copied as they are: (source, content path).
pub type Assets = Vec<(PathBuf, String)>;

/// "1 unit", "2 units".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

impl Report {
    /// "11 units, 6 documents, 65 targets (96 measures), 88 results".
    pub fn summary(&self) -> String {
        format!(
            "{}, {}, {} ({}), {}",
            plural(self.units, "unit"),
            plural(self.documents, "document"),
            plural(self.targets, "target"),
            plural(self.measures, "measure"),
            plural(self.results, "result")
        )
    }
}

/// Load and validate a site: config, content, model. Every problem is returned at once.
pub fn load_site(root: &Path, opts: &Options) -> Result<(Config, Site, Assets), Diagnostics> {
    let mut config = Config::load(root)?;
    if let Some(b) = &opts.base_url {
        Config::check_base_url(b)?;
        config.base_url = if b.ends_with('/') { b.clone() } else { format!("{b}/") };
    }
    if let Some(o) = &opts.output {
        config.output_dir = o.clone();
    }
    let mut content = load::load(root, &config.content_dir())?;
    let assets = std::mem::take(&mut content.assets);
    let site = model::build::build(content)?;
    Ok((config, site, assets))
}

/// Build the site into its output folder, atomically.
pub fn build(root: &Path, opts: &Options) -> Result<Report, Diagnostics> {
    run(root, opts, true)
}

/// Everything `build` does except writing.
pub fn check(root: &Path) -> Result<Report, Diagnostics> {
    run(root, &Options::default(), false)
}

fn run(root: &Path, opts: &Options, write: bool) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    let (config, site, assets) = load_site(root, opts)?;
    let status_date = compute::status::status_date(config.status_date);
    let computed = compute::compute(&site, status_date);
    let renderer = Renderer::new(&config)?;
    let base = config.base_path();
    let views = Views { site: &site, computed: &computed, strings: &renderer.strings, base: &base };
    let list = pages::list(&site, &computed, &config);
    let shared = pages::Shared::new(&config, &views, status_date, list.clone());

    let mut diags = Diagnostics::default();
    // A document dated after the status date is a typo, or the status date is stale.
    for d in &site.documents {
        if d.issued.start() > status_date {
            diags.push(
                Diagnostic::new(
                    &d.file,
                    format!(
                        "issued {} is after the date statuses are computed at ({})",
                        d.issued.short(),
                        crate::vi::date::VnDate::from_date(status_date).short()
                    ),
                )
                .hint("check the `issued` date, or move `status_date` in minhbach.toml forward"),
            );
        }
    }
    if !write {
        // Templates no page uses are still compiled, so `check` catches their errors.
        for name in renderer.theme.template_names() {
            if let Err(e) = renderer.env.get_template(&name) {
                diags.push(crate::render::template_error(&renderer.theme, &name, &e));
            }
        }
    }

    let staging = if write {
        check_output(&config)?;
        Some(
            Staging::begin(&config.output_dir)
                .map_err(|e| io_diag(&config.output_dir, "cannot create the output folder", e))?,
        )
    } else {
        None
    };
    let results: Vec<Result<(), Diagnostic>> = list
        .par_iter()
        .map(|p| {
            let bytes = pages::render(&renderer, &views, &shared, &config, p)?;
            if let Some(s) = &staging {
                s.write(&p.output, &bytes).map_err(|e| Diagnostic::new(&p.output, format!("cannot write: {e}")))?;
            }
            Ok(())
        })
        .collect();
    for r in results {
        if let Err(d) = r {
            diags.push(d);
        }
    }
    let mut files = list.len();
    // Static files of the theme and site, then files that live beside the content.
    let statics = renderer.theme.static_files().map_err(|e| io_diag(&config.root, "cannot read static files", e))?;
    if let Some(s) = &staging {
        for (rel, bytes) in &statics {
            if let Err(e) = s.write(rel, bytes) {
                diags.push(Diagnostic::new(format!("static/{rel}"), format!("cannot copy: {e}")));
            }
        }
    }
    files += statics.len();
    for (src, rel) in &assets {
        let dest = asset_path(rel);
        if let Some(s) = &staging {
            match std::fs::read(src) {
                Ok(bytes) => {
                    if let Err(e) = s.write(&dest, &bytes) {
                        diags.push(Diagnostic::new(src, format!("cannot copy: {e}")));
                    }
                }
                Err(e) => diags.push(Diagnostic::new(src, format!("cannot read: {e}"))),
            }
        }
        files += 1;
    }

    if !diags.is_empty() {
        // Dropping the staging folder removes it; the previous output is untouched.
        return Err(diags.sorted());
    }
    if let Some(s) = staging {
        s.write(OUTPUT_MARKER, b"This folder is written by minhbach build; it is replaced whole on each build.\n")
            .map_err(|e| io_diag(&config.output_dir, "cannot write", e))?;
        s.commit().map_err(|e| io_diag(&config.output_dir, "cannot move the new site into place", e))?;
    }
    Ok(Report {
        units: site.units.len(),
        documents: site.documents.len(),
        targets: site.documents.iter().map(|d| d.targets.len()).sum(),
        measures: site.documents.iter().flat_map(|d| &d.targets).map(|t| t.measures.len()).sum(),
        results: site.results.len(),
        pages: list.len(),
        files,
        output: config.output_dir.clone(),
        elapsed: start.elapsed(),
    })
}

/// The file that marks a folder as minhbach's output, so a later build may replace it.
pub const OUTPUT_MARKER: &str = ".minhbach-output";

/// Refuse an output folder whose replacement would destroy something: the site itself,
/// its sources, a folder containing them, or a non-empty folder minhbach did not write.
fn check_output(config: &Config) -> Result<(), Diagnostics> {
    let abs = |p: &Path| std::path::absolute(p).map(|a| normalise(&a)).unwrap_or_else(|_| p.to_path_buf());
    let out = abs(&config.output_dir);
    let root = abs(&config.root);
    let refuse = |why: String| {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::new(&config.output_dir, why)
                .hint("choose an output folder of its own, e.g. `public` (the default) or `--output /var/www/site`"),
        );
        Err(d)
    };
    if root.starts_with(&out) {
        return refuse(format!(
            "the output folder {} contains the site itself; building there would delete it",
            out.display()
        ));
    }
    for src in ["content", "templates", "static", "themes", "i18n"] {
        if out.starts_with(root.join(src)) {
            return refuse(format!("the output folder {} is inside the site's {src}/ folder", out.display()));
        }
    }
    if out.is_dir()
        && !out.join(OUTPUT_MARKER).exists()
        && std::fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(false)
    {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::new(
                &config.output_dir,
                format!(
                    "{} is not empty and was not written by minhbach; a build replaces the whole folder",
                    out.display()
                ),
            )
            .hint(
                "empty it or choose another folder; files to publish with the site (CNAME, robots.txt …) go in static/",
            ),
        );
        return Err(d);
    }
    Ok(())
}

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
fn asset_path(rel: &str) -> String {
    let mut parts: Vec<String> = rel.split('/').map(String::from).collect();
    let n = parts.len();
    for p in parts.iter_mut().take(n.saturating_sub(1)) {
        *p = crate::vi::slug::slugify(p);
    }
    parts.join("/")
}

fn io_diag(path: &Path, what: &str, e: std::io::Error) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(Diagnostic::new(path, format!("{what}: {e}")).hint("check the folder's permissions and free space"));
    d
}
