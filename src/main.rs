//! The `minhbach` command: a thin layer over the library that parses arguments,
//! prints what happened and sets the exit code.

use clap::{Parser, Subcommand};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A one-shot build allocates and frees every page's strings: by default mimalloc hands
/// freed memory back to the OS after 10 ms, and the kernel zeroes it again when it comes
/// back (clear_page was 4% of a build's profile). `build` and `check` end soon, so they
/// keep it; `serve` stays with the default and returns memory between rebuilds.
fn keep_freed_memory() {
    // mi_option_purge_delay in mimalloc v3's mi_option_e (libmimalloc-sys names only
    // some options): 15, between eager_commit_delay (14) and use_numa_nodes (16).
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets an option value; mimalloc reads options at any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "minhbach",
    version,
    about = "Publish ward resolutions and their targets (chỉ tiêu) as a static website",
    long_about = "minhbach turns Markdown documents whose front matter lists their targets and results \
                  into a static website: a page per unit, a page per document with its target table \
                  and each target's status.\n\nStart with `minhbach build` in a site folder (one with \
                  minhbach.toml and content/)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output); the previous output is replaced only on success
    #[command(
        after_help = "Example:\n  minhbach build\n  minhbach build --root my-site --output /var/www/site --base-url https://example.org/"
    )]
    Build {
        /// The site folder (with minhbach.toml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: output_dir of minhbach.toml, i.e. public/)
        #[arg(long)]
        output: Option<PathBuf>,
        /// The address the site will be published at (overrides base_url)
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Load, validate and render everything in memory; write nothing; exit 1 on any
    /// error (warnings are printed and do not fail, unless --deny-warnings)
    #[command(after_help = "Example:\n  minhbach check --root my-site\n  minhbach check --deny-warnings")]
    Check {
        /// The site folder (with minhbach.toml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Exit 1 on warnings too (for CI: keep the content free of slips)
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Build, serve on localhost, rebuild what changed on every save and reload the
    /// browser; a failed rebuild keeps the last good site and shows the error on the page
    #[command(after_help = "Example:\n  minhbach serve\n  minhbach serve --root my-site --port 8080 --open")]
    Serve {
        /// The site folder (with minhbach.toml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to serve the preview on
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but 127.0.0.1 exposes the preview to the network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of inotify (network mounts, some containers)
        #[arg(long)]
        poll: bool,
        /// Milliseconds to wait for an editor's burst of events to end before rebuilding
        #[arg(long, default_value_t = 15)]
        debounce_ms: u64,
    },
    /// Write a commented skeleton: a site, a unit or a document
    #[command(subcommand)]
    New(NewCommand),
    /// Draft a document from the file a ward office has (.docx, .pdf, .html, .txt, .md):
    /// its header, groups, targets and measures, a review's results, marked where to check
    #[command(
        after_help = "Example:\n  minhbach import nghi-quyet.docx --unit content/ha-noi/quan-long-bien/phuong-duc-giang\n  minhbach import scan.pdf --unit content/… --ocr\n  minhbach import bao-cao.pdf --unit content/… --json"
    )]
    Import {
        /// The document: .docx, .pdf (with a text layer, or --ocr), .html, .txt or .md
        file: PathBuf,
        /// The folder of the unit that issued it (with an _index.md), under content/
        #[arg(long)]
        unit: PathBuf,
        /// resolution, action-program, review, conclusion or other, if the header does not say
        #[arg(long)]
        kind: Option<String>,
        /// Where to write the draft (default: the unit's folder, named after the document)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print what was read as JSON (items with their source line and confidence); write nothing
        #[arg(long)]
        json: bool,
        /// Read a PDF without text with tesseract (apt-get install tesseract-ocr tesseract-ocr-vie)
        #[arg(long)]
        ocr: bool,
        /// Replace the file at --out if there is one
        #[arg(long)]
        force: bool,
    },
    /// Print the reference of the content format (every field of units, documents,
    /// targets, results and indicators)
    Format,
}

#[derive(Subcommand)]
enum NewCommand {
    /// A new site folder with minhbach.toml and content/indicators.yaml
    #[command(after_help = "Example:\n  minhbach new site my-site \"Minh bạch phường Đức Giang\"")]
    Site {
        /// The folder to create (it must not exist, or be empty)
        dir: PathBuf,
        /// The site's title, shown on every page (default: "Minh bạch")
        title: Option<String>,
    },
    /// A unit folder with its _index.md (its parent folder must be a unit already)
    #[command(
        after_help = "Example:\n  minhbach new unit content/ha-noi --name \"Thành phố Hà Nội\" --level \"thành phố\"\n  minhbach new unit content/ha-noi/quan-long-bien/phuong-duc-giang --name \"Phường Đức Giang\""
    )]
    Unit {
        /// The unit's folder under content/, below its parent unit's (content/<province>/<district>/<ward>)
        path: PathBuf,
        /// The official name, with tone marks (default: made from the folder name)
        #[arg(long)]
        name: Option<String>,
        /// tỉnh, thành phố, quận, huyện, thị xã, phường, xã, thị trấn … (default: from the folder name)
        #[arg(long)]
        level: Option<String>,
    },
    /// A document in a unit folder, named after its title
    #[command(
        after_help = "Example:\n  minhbach new doc content/ha-noi/quan-long-bien/phuong-duc-giang \"Nghị quyết Đại hội XI\" --issued 2020-05-22"
    )]
    Doc {
        /// The folder of the unit that issued it (one with an _index.md)
        unit_path: PathBuf,
        /// The document's title as printed on it; the file is named after it
        title: String,
        /// The date printed on the document, the day it was signed: 2020-05-22 or 22/5/2020
        /// (default: none yet; the draft says where to write it)
        #[arg(long)]
        issued: Option<String>,
    },
}

fn n(count: usize, word: &str) -> String {
    minhbach::site::plural(count, word)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, output, base_url } => {
            keep_freed_memory();
            let opts = minhbach::site::Options { output, base_url };
            match minhbach::site::build(&root, &opts) {
                Ok(r) => {
                    if !r.warnings.is_empty() {
                        eprintln!("{}", r.warnings.report("the site was built all the same."));
                    }
                    println!(
                        "Built {} into {} in {} ms: {}.",
                        n(r.files, "file"),
                        r.output.display(),
                        r.elapsed.as_millis(),
                        r.summary()
                    );
                    if let Some(note) = r.base_url_note() {
                        eprintln!("{note}");
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprintln!("{}", d.report("nothing was written."));
                    eprintln!("The previous output, if any, was left as it was.");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check { root, deny_warnings } => {
            keep_freed_memory();
            check(&root, deny_warnings)
        }
        Command::Serve { root, port, bind, open, poll, debounce_ms } => {
            let opts = minhbach::serve::ServeOptions {
                root,
                port,
                bind,
                open,
                poll,
                debounce: std::time::Duration::from_millis(debounce_ms.max(1)),
                base_url: None,
            };
            match minhbach::serve::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Import { file, unit, kind, out, json, ocr, force } => {
            let opts = minhbach::import::Options { file, unit, kind, out, ocr, force };
            import(&opts, json)
        }
        Command::Format => {
            print!("{}", minhbach::CONTENT_FORMAT);
            ExitCode::SUCCESS
        }
        Command::New(n) => {
            let result = match n {
                NewCommand::Site { dir, title } => minhbach::new::site(&dir, title.as_deref().unwrap_or("Minh bạch"))
                    .map(|v| (v.into_iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "), vec![])),
                NewCommand::Unit { path, name, level } => minhbach::new::unit(&path, name.as_deref(), level.as_deref())
                    .map(|(p, notes)| (p.display().to_string(), notes)),
                NewCommand::Doc { unit_path, title, issued } => {
                    minhbach::new::doc(&unit_path, &title, issued.as_deref())
                        .map(|(p, notes)| (p.display().to_string(), notes))
                }
            };
            match result {
                Ok((written, notes)) if notes.is_empty() => {
                    println!("Wrote {written}. Fill it in, then run `minhbach check`.");
                    ExitCode::SUCCESS
                }
                Ok((written, notes)) => {
                    println!("Wrote {written}. Fill it in, then run `minhbach check`; in it:");
                    for note in notes {
                        println!("  - {note}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// `minhbach check`: everything a build does but writing.
fn check(root: &std::path::Path, deny_warnings: bool) -> ExitCode {
    let result = minhbach::site::check(root);
    // What a published site would lack with a base_url that is a path only: said last,
    // after the problems, as `build` says it.
    let note = result.as_ref().ok().and_then(|r| r.base_url_note());
    let code = match result {
        Ok(r) if r.warnings.is_empty() => {
            println!("No problems: {}; {} render.", r.summary(), n(r.files, "file"));
            ExitCode::SUCCESS
        }
        Ok(r) if deny_warnings => {
            eprintln!("{}", r.warnings.report("--deny-warnings makes them fail the check."));
            ExitCode::FAILURE
        }
        Ok(r) => {
            let then = if r.warnings.len() == 1 { "it does not stop a build." } else { "they do not stop a build." };
            eprintln!("{}", r.warnings.report(then));
            println!("No errors: {}; {} render.", r.summary(), n(r.files, "file"));
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{}", d.report("check writes nothing."));
            ExitCode::FAILURE
        }
    };
    if let Some(note) = note {
        eprintln!("{note}");
    }
    code
}

/// `minhbach import`: the draft written and where to look, or the JSON of what was read.
fn import(opts: &minhbach::import::Options, json: bool) -> ExitCode {
    let fail = |e: minhbach::import::read::ReadError| {
        eprintln!("error: {}\n  = help: {}", e.message, e.hint);
        ExitCode::FAILURE
    };
    if json {
        let vocabulary = minhbach::import::vocab::Vocabulary::for_unit(&opts.unit);
        return match minhbach::import::extract(&opts.file, opts.kind.as_deref(), opts.ocr, &vocabulary) {
            Ok(x) => {
                println!("{}", serde_json::to_string_pretty(&x).expect("serialisable"));
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        };
    }
    match minhbach::import::run(opts) {
        Ok((out, x, notes)) => {
            let measures: usize = x.items.iter().map(|i| i.measures.len()).sum();
            let works = x.items.iter().filter(|i| i.kind != minhbach::import::structure::ItemKind::Target).count();
            let works =
                if works == 1 { "1 key work or program".to_string() } else { format!("{works} key works or programs") };
            println!(
                "Drafted {}: {} ({}) in {}, {}, {}.",
                out.display(),
                n(
                    x.items.len()
                        - x.items.iter().filter(|i| i.kind != minhbach::import::structure::ItemKind::Target).count(),
                    "target"
                ),
                n(measures, "measure"),
                n(x.groups.len(), "group"),
                works,
                n(x.results.len(), "result")
            );
            if notes.is_empty() {
                println!(
                    "Nothing was unsure. Check it against the original with `minhbach check`, then remove `draft: true`."
                );
            } else {
                println!("{} to check against the original (marked `# review:` in the file):", n(notes.len(), "point"));
                // Lines of the original document, where the officer checks the draft.
                for (line, what) in &notes {
                    if *line == 0 {
                        println!("  {what}");
                    } else {
                        println!("  line {line}: {what}");
                    }
                }
                println!("Then run `minhbach check` and remove `draft: true`.");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
