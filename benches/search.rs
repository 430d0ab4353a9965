//! Benchmark of the search index on generated sites of N wards × 5 documents: what it
//! adds to a build (wall time with `search = true` against `search = false`, in the same
//! run, alternating), its size (files, bytes, largest shard and record file), and what
//! each query of the issue downloads, by the same steps search.js takes (shards of the
//! query's terms, then the record files of the first page of hits), raw and gzipped.
//! Prints a table; asserts nothing.
//!
//!     cargo bench --bench search                          # 1,000 × 5
//!     MINHBACH_BENCH_UNITS=1000,10000 cargo bench --bench search
//!     MINHBACH_BENCH_RUNS=3 …                             # best of 3 builds each way

use minhbach::render::search::{shard_of, words};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The first page of hits search.js shows.
const PAGE: usize = 20;

const QUERIES: &[&str] =
    &["ho ngheo", "hộ nghèo", "duong", "Đường", "bao hiem y te", "ket nap dang vien", "phuong 14", "ty le ho ngheo"];

fn build(bin: &Path, site: &Path, out: &Path) -> Duration {
    let _ = std::fs::remove_dir_all(out);
    let t = Instant::now();
    let s = Command::new(bin).args(["build", "--root"]).arg(site).arg("--output").arg(out).output().unwrap();
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    t.elapsed()
}

fn set_search(site: &Path, on: bool) {
    let path = site.join("minhbach.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text: String = text.lines().filter(|l| !l.starts_with("search =")).map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, format!("{text}search = {on}\n")).unwrap();
}

fn gzipped(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut child = Command::new("gzip")
        .arg("-6c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    child.wait_with_output().unwrap().stdout.len()
}

/// The index's layout as the search page states it.
fn layout(out: &Path) -> (u32, usize) {
    let page = std::fs::read_to_string(out.join("tim-kiem/index.html")).unwrap();
    let attr = |name: &str| -> String {
        let at = page.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        page[at..at + page[at..].find('"').unwrap()].to_string()
    };
    (attr("data-shards").parse().unwrap(), attr("data-chunk").parse().unwrap())
}

/// What a query downloads, step by step as search.js: (files, bytes, gzipped bytes, hits).
fn query(out: &Path, shards: u32, chunk: usize, q: &str) -> (usize, usize, usize, usize) {
    let mut fetched: BTreeSet<PathBuf> = BTreeSet::new();
    let mut load = |rel: String| -> serde_json::Value {
        let p = out.join("tim-kiem").join(rel);
        fetched.insert(p.clone());
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let ws = words(q);
    let terms = |pairs: bool| -> Vec<String> {
        if pairs && ws.len() > 1 {
            ws.windows(2).map(|w| format!("{} {}", w[0].1, w[1].1)).collect()
        } else {
            ws.iter().map(|w| w.1.clone()).collect()
        }
    };
    let mut hits: Vec<u64> = Vec::new();
    for pairs in [true, false] {
        let mut sets: Vec<BTreeSet<u64>> = Vec::new();
        for t in terms(pairs) {
            let shard = load(format!("s/{}.json", shard_of(&t, shards)));
            let mut items = BTreeSet::new();
            if let Some(e) = shard.get(&t) {
                let v = e[1].as_array().unwrap().len() as u64;
                let mut id = 0;
                for p in e[2].as_array().unwrap() {
                    let p = p.as_u64().unwrap();
                    id += p / v;
                    items.insert(id);
                }
            }
            sets.push(items);
        }
        let mut all = sets[0].clone();
        for s in &sets[1..] {
            all = all.intersection(s).copied().collect();
        }
        hits = all.into_iter().collect();
        if !hits.is_empty() || ws.len() < 2 {
            break;
        }
    }
    for id in hits.iter().take(PAGE) {
        load(format!("r/{}.json", *id as usize / chunk));
    }
    let bytes: Vec<Vec<u8>> = fetched.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let raw = bytes.iter().map(Vec::len).sum();
    let gz = bytes.iter().map(|b| gzipped(b)).sum();
    (fetched.len(), raw, gz, hits.len())
}

fn main() {
    let units: Vec<usize> = std::env::var("MINHBACH_BENCH_UNITS")
        .unwrap_or_else(|_| "1000".into())
        .split(',')
        .map(|s| s.trim().parse().unwrap())
        .collect();
    let runs: usize = std::env::var("MINHBACH_BENCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(2);
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_minhbach"));
    for n in units {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let s = Command::new(env!("CARGO_BIN_EXE_minhbach-corpus"))
            .arg("--out")
            .arg(&site)
            .args(["--units", &n.to_string(), "--docs", "5"])
            .output()
            .unwrap();
        assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
        let out = tmp.path().join("public");
        // Alternate, so that a machine slowing down weighs on both sides alike.
        let (mut with, mut without) = (Duration::MAX, Duration::MAX);
        for _ in 0..runs {
            set_search(&site, false);
            without = without.min(build(&bin, &site, &out));
            set_search(&site, true);
            with = with.min(build(&bin, &site, &out));
        }
        let files: Vec<PathBuf> = walk(&out.join("tim-kiem"));
        let size = |f: &Path| std::fs::metadata(f).unwrap().len() as usize;
        let (shard_files, record_files): (Vec<&PathBuf>, Vec<&PathBuf>) = files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "json"))
            .partition(|f| f.parent().unwrap().ends_with("s"));
        let total: usize = files.iter().map(|f| size(f)).sum();
        let biggest = |fs: &[&PathBuf]| fs.iter().map(|f| size(f)).max().unwrap_or(0);
        let site_files = walk(&out).len();
        println!("\n{n} wards × 5 documents, best of {runs} builds each way");
        println!(
            "  build: {:.2} s with search, {:.2} s without: +{:.1}%",
            with.as_secs_f64(),
            without.as_secs_f64(),
            (with.as_secs_f64() / without.as_secs_f64() - 1.0) * 100.0
        );
        println!(
            "  index: {} files of the site's {site_files} ({} shards, {} record files), {:.1} MB; largest shard {:.0} KB, largest record file {:.0} KB",
            files.len(),
            shard_files.len(),
            record_files.len(),
            total as f64 / 1e6,
            biggest(&shard_files) as f64 / 1e3,
            biggest(&record_files) as f64 / 1e3,
        );
        let (shards, chunk) = layout(&out);
        let mut per: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
        for q in QUERIES {
            per.insert(q, query(&out, shards, chunk, q));
        }
        println!("  {:<20} {:>6} {:>10} {:>10} {:>8}", "query", "files", "KB", "KB gzip", "hits");
        for (q, (f, raw, gz, hits)) in per {
            println!("  {q:<20} {f:>6} {:>10.0} {:>10.0} {hits:>8}", raw as f64 / 1e3, gz as f64 / 1e3);
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}
