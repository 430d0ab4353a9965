//! Benchmark: full build, one-document rebuild and `check` on generated sites of
//! N wards × 5 documents, on tmpfs and on disk. Prints a table; asserts nothing.
//!
//!     cargo bench --bench scale                         # 1,000 × 5
//!     MINHBACH_BENCH_UNITS=1000,10000,20000 cargo bench --bench scale
//!     MINHBACH_BENCH_DISK=/var/tmp cargo bench --bench scale   # also on disk
//!     MINHBACH_BENCH_REBUILD=0 …                              # no rebuild (less memory)
//!     MINHBACH_BENCH_RUNS=3 …                                 # best and median of 3 builds
//!
//! Figures per run: wall time, CPU time (user + system), peak memory (max RSS) of the
//! `minhbach build` process, files written, files per second. Each build starts from an
//! empty output folder (a cold build: nothing to link from a previous one); with
//! several runs the fastest is shown, with the median beside it, since a shared
//! machine's speed varies from minute to minute. Then the time of a rebuild
//! after editing one document (in-process incremental session, as `serve` does); and
//! `minhbach check`'s wall time.
//!
//! Beside each build: the output's size and the "write floor", the time two threads
//! (one per core) take just to copy that output into a new folder on the same file
//! system, with nothing to compute. No generator that writes these bytes can be faster,
//! so it tells how much of a build is rendering and how much is the file system.
//! And the "YAML floor": the documents' front matter alone read by the quick reader
//! (`load::quick`, yaml-rust2's events) on every core, files already in memory. A build
//! must read it all, so that time too is a part of any build no rendering can save.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Run {
    wall: Duration,
    cpu: Duration,
    max_rss_mb: f64,
}

/// Run a command and read its resource usage with wait4.
// wait4 below reaps the child; `Child::wait` would reap it first and lose its usage.
#[allow(clippy::zombie_processes)]
fn run(cmd: &mut Command) -> Run {
    let start = Instant::now();
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    // The child's own peak, read while it runs: wait4's ru_maxrss also counts the memory
    // of this process at the moment it started the child (Linux keeps the larger), and
    // this process holds a whole site after a rebuild measured in-process.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poll = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut peak_kb = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
                if let Some(kb) = status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                {
                    peak_kb = peak_kb.max(kb);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            peak_kb
        })
    };
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child, with valid pointers to locals.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let polled_kb = poll.join().unwrap();
    assert_eq!(r, pid, "wait4 failed");
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "the command failed");
    let tv = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    Run {
        wall: start.elapsed(),
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        max_rss_mb: if polled_kb > 0 { polled_kb } else { usage.ru_maxrss as u64 } as f64 / 1024.0,
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// Run `f` on every item, one thread per core taking the next item: the wall time.
fn on_every_core<T: Sync>(items: &[T], f: impl Fn(usize, &T) + Sync) -> Duration {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    f(i, item);
                }
            });
        }
    });
    start.elapsed()
}

/// Copy `files` (all under `from`) into `to` on every core: the time of writing the
/// output alone.
fn copy_floor(from: &Path, files: &[PathBuf], to: &Path) -> Duration {
    on_every_core(files, |_, f| {
        let dest = to.join(f.strip_prefix(from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(&dest, std::fs::read(f).unwrap()).unwrap();
    })
}

/// Read every document's front matter with the quick reader on every core, the files
/// read into memory first: the time of parsing YAML alone.
fn yaml_floor(content: &Path) -> Duration {
    let texts: Vec<String> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "_index.md")
        .map(|e| minhbach::load::frontmatter::normalise(std::fs::read_to_string(e.path()).unwrap()))
        .collect();
    on_every_core(&texts, |i, t| {
        let yaml = minhbach::load::frontmatter::split(t).unwrap().yaml;
        // The generated documents all have the usual shape: the quick reader reads them.
        assert!(minhbach::load::quick::document(yaml).is_some(), "the quick reader gave up on document {i}");
    })
}

/// Bytes free on the file system holding `dir`.
fn free_bytes(dir: &Path) -> u64 {
    let c = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).unwrap();
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid C string and a pointer to a local.
    if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
        return u64::MAX;
    }
    s.f_bavail as u64 * s.f_frsize as u64
}

fn bench(base: &Path, place: &str, units: usize) {
    // The output is about 1.25 GB per 1,000 wards (content 0.05 GB): a size that does not
    // fit is said, not attempted (20,000 wards need 25 GB, more than this machine's tmpfs).
    let need = units as u64 * 1_300_000;
    let free = free_bytes(base);
    if free < need + (1 << 30) {
        println!(
            "| {units:>6} × 5 | {place:<6} | skipped: needs about {:.0} GB free, {:.0} GB are |",
            need as f64 / 1e9,
            free as f64 / 1e9
        );
        return;
    }
    let site = base.join(format!("scale-{units}"));
    let _ = std::fs::remove_dir_all(&site);
    let gen_start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_minhbach-corpus"))
        .args(["--units", &units.to_string(), "--docs", "5", "--seed", "1", "--out"])
        .arg(&site)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let generated = gen_start.elapsed();
    let yaml = yaml_floor(&site.join("content"));
    let bin = env!("CARGO_BIN_EXE_minhbach");
    let runs: usize = std::env::var("MINHBACH_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let mut builds: Vec<Run> = (0..runs)
        .map(|_| {
            let _ = std::fs::remove_dir_all(site.join("public"));
            run(Command::new(bin).args(["build", "--root"]).arg(&site))
        })
        .collect();
    builds.sort_by_key(|r| r.wall);
    let median = builds[builds.len() / 2].wall;
    let build = builds.swap_remove(0);
    let paths = files_in(&site.join("public"));
    let files = paths.len();
    let bytes: u64 = paths.iter().map(|p| p.metadata().map(|m| m.len()).unwrap_or(0)).sum();
    // The copy needs as much room again; without it the floor is not measured.
    let floor = if free_bytes(base) > bytes + (1 << 30) {
        let copy = site.join("floor-copy");
        let t = copy_floor(&site.join("public"), &paths, &copy);
        let _ = std::fs::remove_dir_all(&copy);
        format!("{:.2} s", t.as_secs_f64())
    } else {
        "—".to_string()
    };
    drop(paths);
    let check = run(Command::new(bin).args(["check", "--root"]).arg(&site));
    // Printed at once: the rebuild below needs the most memory, at 10,000 units beside
    // a 12 GB output on tmpfs.
    println!(
        "| {units:>6} × 5 | {place:<6} | {:>8.2} s | {:>6.2} s of {runs} | {:>8.2} s | {:>6.0} MiB | {files:>7} | {:>8.0} | {:>6.2} GB | {floor:>8} | {:>6.2} s | {:>7.2} s | {:>5.1} s |",
        build.wall.as_secs_f64(),
        median.as_secs_f64(),
        build.cpu.as_secs_f64(),
        build.max_rss_mb,
        files as f64 / build.wall.as_secs_f64(),
        bytes as f64 / 1e9,
        yaml.as_secs_f64(),
        check.wall.as_secs_f64(),
        generated.as_secs_f64(),
    );

    if std::env::var("MINHBACH_BENCH_REBUILD").is_ok_and(|v| v == "0") {
        let _ = std::fs::remove_dir_all(&site);
        return;
    }
    // One document edited, rebuilt incrementally (what `serve` does on a save).
    let mut session = minhbach::session::Session::new(&site, minhbach::site::Options::default());
    session.full_build().unwrap();
    let doc = walkdir::WalkDir::new(site.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name() == "nghi-quyet-dai-hoi.md")
        .nth(units / 2)
        .unwrap()
        .into_path();
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, text.replacen("\n---\n", "\n---\nMột dòng sửa.\n\n", 1)).unwrap();
    let t = Instant::now();
    let outcome = session.rebuild(std::slice::from_ref(&doc)).unwrap().unwrap();
    let rebuild = t.elapsed();
    let rest = session.finish().unwrap().unwrap_or_default();
    let aggregates = t.elapsed();
    println!(
        "|   rebuild after editing one document ({units} × 5, {place}): {:.0} ms for the {} files that show it; {:.0} ms with the {} aggregate files |",
        rebuild.as_secs_f64() * 1000.0,
        outcome.rendered.len(),
        aggregates.as_secs_f64() * 1000.0,
        rest.rendered.len(),
    );
    drop(session);
    let _ = std::fs::remove_dir_all(&site);
}

fn main() {
    let units: Vec<usize> = std::env::var("MINHBACH_BENCH_UNITS")
        .unwrap_or_else(|_| "1000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let mut places: Vec<(PathBuf, &str)> = Vec::new();
    if Path::new("/dev/shm").is_dir() {
        places.push((PathBuf::from("/dev/shm"), "tmpfs"));
    }
    if let Ok(d) = std::env::var("MINHBACH_BENCH_DISK") {
        places.push((PathBuf::from(d), "disk"));
    }
    if places.is_empty() {
        places.push((std::env::temp_dir(), "temp"));
    }
    println!(
        "minhbach scale benchmark — {} cores; release build",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    println!(
        "| site       | where  | build wall | median      | build CPU | peak mem   | files   | files/s  | output    | floor    | YAML     | check     | gen   |"
    );
    println!(
        "|------------|--------|-----------:|------------:|----------:|-----------:|--------:|---------:|----------:|---------:|---------:|----------:|------:|"
    );
    for (dir, place) in &places {
        let base = dir.join(format!("minhbach-scale-{}", std::process::id()));
        std::fs::create_dir_all(&base).unwrap();
        for &n in &units {
            bench(&base, place, n);
        }
        let _ = std::fs::remove_dir_all(&base);
    }
}
