//! Golden output: every file that a build of tests/sites/every-page-kind/ writes is kept
//! as an insta snapshot in tests/snapshots/golden/, one per file, with the list of files
//! as one more. An unintended change in any page, feed or data file, or a file added or
//! lost, fails here and shows as a diff in review. docs/code.md ("Tests") says how to
//! review and accept a change made on purpose.
//!
//! The fixture holds each page kind a small site has (home, units, documents with targets
//! and results, fields, indicators with comparisons, matrices of two terms, the data and
//! status pages, 404, feeds, data files, sitemap); the pages split by province need more
//! than 150 rows and are tested in tests/comparisons.rs. Its status_date is fixed, so
//! the files do not depend on the day the test runs.

mod common;
use common::*;
use std::collections::BTreeSet;

/// Written by the build for itself (hashes of the other files), not for visitors.
const MANIFEST: &str = ".minhbach-output";
/// Copied from the theme as they are: compared with the theme's files instead.
const STATIC: &[&str] = &["favicon.svg", "print.css", "style.css"];

/// The snapshot name of an output file: its path, `/` written `__` (insta's rule too).
fn snapshot_name(path: &str) -> String {
    path.replace('/', "__")
}

#[test]
fn every_output_file_of_the_fixture_matches_its_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    minhbach()
        .args(["build", "--root"])
        .arg(sites().join("every-page-kind"))
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    let files = tree(&out);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/golden");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();

    // Every file is compared before failing, so one run shows (and writes a .snap.new
    // for) each file that changed, not only the first.
    let mut changed = Vec::new();
    let list: Vec<&str> = files.keys().map(String::as_str).collect();
    if std::panic::catch_unwind(|| insta::assert_snapshot!("files", list.join("\n"))).is_err() {
        changed.push("(the list of files)");
    }
    let mut snapshots = BTreeSet::from(["files".to_string()]);
    for (path, bytes) in &files {
        if path == MANIFEST {
            continue;
        }
        if STATIC.contains(&path.as_str()) {
            let theme = std::fs::read(repo().join("themes/default/static").join(path)).unwrap();
            assert!(bytes == &theme, "{path} is not the theme's file as it is");
            continue;
        }
        // A ZIP (a province's CSV) as its files unpacked, each under its name, so its
        // snapshot reads like the other CSV files'.
        let text = if path.ends_with(".zip") {
            unzip(bytes)
                .into_iter()
                .map(|(name, b)| format!("=== {name}\n{}", String::from_utf8(b).expect("UTF-8 CSV in the ZIP")))
                .collect::<String>()
        } else if path.ends_with(".png") || path.ends_with(".ico") {
            // An image the build draws, by its size and hash: a change shows as a diff.
            format!("{} bytes, xxh3 {:016x}", bytes.len(), xxhash_rust::xxh3::xxh3_64(bytes))
        } else {
            String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{path} is not UTF-8"))
        };
        let name = snapshot_name(path);
        if std::panic::catch_unwind(|| insta::assert_snapshot!(name.as_str(), text)).is_err() {
            changed.push(path.as_str());
        }
        snapshots.insert(name);
    }
    assert!(changed.is_empty(), "{} output files differ from their snapshots: {changed:?}", changed.len());

    // A snapshot whose page the build no longer writes is stale: delete it.
    let dir = repo().join("tests/snapshots/golden");
    let stale: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|f| f.strip_suffix(".snap").map(str::to_string))
        .filter(|name| !snapshots.contains(name))
        .collect();
    assert!(stale.is_empty(), "snapshots without an output file in {}: {stale:?}", dir.display());
}
