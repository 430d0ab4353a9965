//! A build killed (SIGKILL, the real binary) at random moments: after every kill the
//! output folder is exactly the complete old site or exactly the complete new one, and
//! the next build succeeds and leaves nothing beside the output.
//!
//! Two generated sites (different seeds, so every page differs) take turns as the new
//! content of one output folder. The moments are spread over a build's measured
//! duration, and one in three near the moment of the swap, which the test learns as it
//! goes. Replay a run with
//! `MINHBACH_CRASH_SEED=<the seed it printed> cargo test --test crash -- --nocapture`.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 22;

fn build_cmd(root: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_minhbach"));
    c.arg("build").arg("--root").arg(root).arg("--output").arg(out).stdout(Stdio::null()).stderr(Stdio::piped());
    c
}

fn build_ok(root: &Path, out: &Path) -> Duration {
    let t = Instant::now();
    let r = build_cmd(root, out).output().unwrap();
    assert!(r.status.success(), "build failed:\n{}", String::from_utf8_lossy(&r.stderr));
    t.elapsed()
}

/// Every entry beside the output folder other than itself (leftovers).
fn leftovers(parent: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "public")
        .collect();
    v.sort();
    v
}

/// SplitMix64: enough to spread kill moments, and replayable from its seed.
struct Rng(u64);
impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn a_killed_build_leaves_the_old_or_the_new_site_whole_and_the_next_build_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let sites: Vec<PathBuf> = (1..=2)
        .map(|seed| {
            let dir = tmp.path().join(format!("site-{seed}"));
            let r = Command::new(env!("CARGO_BIN_EXE_minhbach-corpus"))
                .arg("--out")
                .arg(&dir)
                .args(["--units", "4", "--docs", "3", "--seed", &seed.to_string()])
                .output()
                .unwrap();
            assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
            dir
        })
        .collect();
    // Reference builds: what a complete site of each content is, file by file.
    let refs: Vec<BTreeMap<String, Vec<u8>>> = sites
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let out = tmp.path().join(format!("ref-{i}/public"));
            build_ok(s, &out);
            tree(&out)
        })
        .collect();
    assert_ne!(refs[0], refs[1]);
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let out = work.join("public");
    // The first build into the output, timed: the kills are spread over this duration.
    let mut duration = build_ok(&sites[0], &out).max(build_ok(&sites[1], &out));
    build_ok(&sites[0], &out);
    let seed = std::env::var("MINHBACH_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("crash test: seed {seed}, a build takes {} ms, {KILLS} kills", duration.as_millis());
    let mut rng = Rng(seed);
    let mut phases: BTreeMap<&str, usize> = BTreeMap::new();
    let mut current = 0; // which site the output holds
    // Where the swap seems to be, as a share of `duration`: a bisection that each kill
    // near it moves (later if it found the old site, earlier if the new).
    let (mut swap_at, mut step, mut last) = (0.95, 0.1, 0.0);
    for k in 0..KILLS {
        let next = 1 - current;
        // Two in three anywhere in the build; one in three near the moment of the swap,
        // which each of them learns: a kill that found the old site moves it later.
        let near_swap = k % 3 == 2;
        let at = if near_swap { swap_at + 0.04 * (rng.unit() - 0.5) } else { 1.15 * rng.unit() };
        let delay = duration.mul_f64(at);
        let mut child = build_cmd(&sites[next], &out).spawn().unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let status = child.wait().unwrap();
        // The output folder exists and is one whole site or the other.
        assert!(out.is_dir(), "kill {k} at {} ms: the output folder is missing", delay.as_millis());
        let now = tree(&out);
        let holds = if now == refs[next] {
            next
        } else if now == refs[current] {
            current
        } else {
            let diff: Vec<&String> = now
                .keys()
                .chain(refs[next].keys())
                .filter(|p| now.get(*p) != refs[next].get(*p) && now.get(*p) != refs[current].get(*p))
                .take(5)
                .collect();
            panic!("kill {k} at {} ms: the output is neither site whole; e.g. {diff:?}", delay.as_millis());
        };
        let left = leftovers(&work);
        let phase = match (finished || status.success(), holds == next, left.is_empty()) {
            (true, _, _) => "finished before the kill",
            (_, false, true) => "before writing (loading, checking)",
            (_, false, false) => "writing the new site beside the old",
            (_, true, false) => "removing the old site after the swap",
            (_, true, true) => "after the swap",
        };
        *phases.entry(phase).or_default() += 1;
        if near_swap {
            let dir = if holds == next { -1.0 } else { 1.0 };
            if dir != last {
                step = f64::max(step / 2.0, 0.005);
            }
            (swap_at, last) = (swap_at + dir * step, dir);
        }
        // The next build succeeds, holds the new site and leaves nothing beside it.
        // Timed too: on a shared machine a build's duration changes with the load, and
        // kills spread over a stale duration would land after the build ended.
        let took = build_ok(&sites[next], &out);
        duration = (duration + took) / 2;
        assert_eq!(tree(&out), refs[next], "kill {k}: the build after it did not give the complete site");
        assert!(leftovers(&work).is_empty(), "kill {k}: left beside the output: {:?}", leftovers(&work));
        current = next;
    }
    for (phase, n) in &phases {
        eprintln!("  {n:>3} kills {phase}");
    }
    let landed: usize = phases.iter().filter(|(p, _)| **p != "finished before the kill").map(|(_, n)| n).sum();
    assert!(landed >= KILLS / 2, "too few kills landed during a build ({landed} of {KILLS}): {phases:?}");
}
