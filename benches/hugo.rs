//! Benchmark: minhbach beside Hugo on the same documents, the comparison issue 16's
//! goals are stated in. Runs `benches/hugo/compare_hugo.sh` (it generates a Hugo site of
//! N wards × D documents and the same documents as a minhbach site, then builds them in
//! turn, cold, interleaved) with this build's release binary, and prints its figures and
//! the ratios (Hugo / minhbach: above 1, minhbach is faster or smaller). Asserts nothing.
//!
//!     cargo bench --bench hugo                          # 1,000 × 5
//!     MINHBACH_BENCH_UNITS=1000,4000 cargo bench --bench hugo
//!     RUNS=3 GZIP=0 cargo bench --bench hugo            # the script's own settings
//!
//! Needs Hugo (`apt-get install hugo`), Python 3, GNU time and room on /dev/shm for both
//! outputs; skipped with a message when `hugo` is missing.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if Command::new("hugo").arg("version").output().is_err() {
        println!("hugo is not installed (apt-get install hugo): the side-by-side benchmark is skipped");
        return;
    }
    let sizes = std::env::var("MINHBACH_BENCH_UNITS").unwrap_or_else(|_| "1000".into());
    for units in sizes.split(',').filter_map(|n| n.trim().parse::<usize>().ok()) {
        let status = Command::new("bash")
            .arg(repo.join("benches/hugo/compare_hugo.sh"))
            .args([units.to_string(), "5".into()])
            .env("MINHBACH", env!("CARGO_BIN_EXE_minhbach"))
            .current_dir(&repo)
            .status()
            .expect("bash runs");
        if !status.success() {
            println!("compare_hugo.sh {units} 5 failed ({status})");
        }
    }
}
