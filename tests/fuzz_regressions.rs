//! The fuzz targets' assertions (fuzz/checks.rs) on stable, in `cargo test`: every input
//! a fuzzing run found failing (fuzz/regressions/<target>/) and every seed
//! (fuzz/seeds/<target>/) is checked again with every assertion on, known holes
//! included. Fuzzing itself needs nightly and runs by hand (fuzz/run.sh).

#[path = "../fuzz/checks.rs"]
mod checks;

use checks::Mode;
use std::path::Path;

type Check = fn(&[u8], Mode);

const TARGETS: &[(&str, Check)] = &[
    ("frontmatter", checks::frontmatter),
    ("yaml_document", checks::yaml_document),
    ("yaml_unit", checks::yaml_unit),
    ("vi_number", checks::vi_number),
    ("vi_date", checks::vi_date),
    ("vi_slug", checks::vi_slug),
    ("markdown", checks::markdown),
];

/// Run `check` on every file of `dir`; returns the names of those that fail, with why.
fn failures(dir: &Path, check: Check) -> (usize, Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return (0, Vec::new()) };
    let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.sort();
    let mut failed = Vec::new();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        if let Err(e) = std::panic::catch_unwind(|| check(&data, Mode::Replay)) {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let why: String = why.chars().take(400).collect();
            failed.push(format!("{}: {why}", f.display()));
        }
    }
    (files.len(), failed)
}

#[test]
fn every_seed_passes_every_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let mut total = 0;
    let mut failed = Vec::new();
    for (name, check) in TARGETS {
        let (n, f) = failures(&root.join(name), *check);
        assert!(n > 0, "no seeds for {name}");
        total += n;
        failed.extend(f);
    }
    assert!(failed.is_empty(), "{} of {total} seeds fail:\n{}", failed.len(), failed.join("\n"));
}

#[test]
fn every_input_fuzzing_found_passes_every_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut total = 0;
    let mut failed = Vec::new();
    for (name, check) in TARGETS {
        let (n, f) = failures(&root.join(name), *check);
        total += n;
        failed.extend(f);
    }
    assert!(failed.is_empty(), "{} of {total} regression inputs fail:\n{}", failed.len(), failed.join("\n"));
}
