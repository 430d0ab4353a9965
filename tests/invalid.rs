//! The regression corpus of bad input: `tests/invalid/<what-it-breaks>/`.
//!
//! Each case is a patch of the small valid site in `tests/invalid/_base/`:
//! - `files/`: files laid over the base site, byte for byte (same relative paths);
//! - `case.toml`: what the case breaks and what a user must be told:
//!
//! ```toml
//! about = "one sentence: what the case breaks"
//! found = 6                      # optional: the item of issue 14's "Found" list it covers
//! remove = ["content/thu/phuong-thu/nghi-quyet.md"]   # optional: base files to delete
//! symlinks = [{ path = "content/thu/x.md", target = "/etc/passwd" }]   # optional
//! build_args = ["--output", "notes.txt"]              # optional: extra arguments of `build`
//! # optional: big files made at run time instead of committed: `head`, then `repeat`
//! # `times` times (with `{n}` replaced by 1, 2, …, and `indent` × n spaces before
//! # the n-th, if `indent` is given), then `tail`
//! generate = [{ path = "content/thu/phuong-thu/dai.md", head = "---\ntitle: ", repeat = "a", times = 1000000, tail = "\n---\n" }]
//! count = 1                      # optional: exactly this many problems are reported
//! max_output = 20000             # optional: the messages (stderr) are at most this many bytes
//! [[expect]]                     # one or more
//! message = "a part of the error message"
//! at = "content/thu/phuong-thu/nghi-quyet.md:12:5"    # file, file:line or file:line:col
//! ```
//!
//! For every case the site is first built once (a previous output to protect), then
//! patched; `check` and `build` must both exit 1, print every expected message with its
//! `--> location` line (the file named from the site folder, or by its full path), never
//! panic, and leave every file of the site folder, the output included, byte for byte as
//! it was.
//!
//! `MINHBACH_CASE=part-of-a-name` runs only the cases whose name contains it.
//! `tests/invalid-pending/` holds cases in the same format for holes found but not fixed
//! yet: they say what a user should be told and fail today; the runner skips them unless
//! `MINHBACH_PENDING=1` is set (then it runs only them). A fix moves its case here.

mod common;
use common::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    #[allow(dead_code)]
    found: Option<u32>,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    symlinks: Vec<Symlink>,
    #[serde(default)]
    build_args: Vec<String>,
    #[serde(default)]
    generate: Vec<Generate>,
    count: Option<usize>,
    max_output: Option<usize>,
    expect: Vec<Expect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Symlink {
    path: String,
    target: String,
}

/// A file too big to commit, written when the case runs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Generate {
    path: String,
    #[serde(default)]
    head: String,
    repeat: String,
    times: usize,
    /// Spaces put before the `n`-th repetition, `indent` × `n` (nested YAML lists).
    #[serde(default)]
    indent: usize,
    #[serde(default)]
    tail: String,
}

impl Generate {
    fn text(&self) -> String {
        let mut out = String::with_capacity(self.head.len() + self.repeat.len() * self.times + self.tail.len());
        out.push_str(&self.head);
        let numbered = self.repeat.contains("{n}");
        for n in 1..=self.times {
            out.extend(std::iter::repeat_n(' ', self.indent * n));
            if numbered {
                out.push_str(&self.repeat.replace("{n}", &n.to_string()))
            } else {
                out.push_str(&self.repeat)
            }
        }
        out.push_str(&self.tail);
        out
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    message: String,
    at: String,
}

fn corpus() -> PathBuf {
    repo().join("tests/invalid")
}

/// Where the cases are read from: `tests/invalid`, or with `MINHBACH_PENDING=1` the
/// cases in `tests/invalid-pending` that describe holes not fixed yet (they fail today;
/// a fix moves them into `tests/invalid`). Both use the base site of `tests/invalid`.
fn cases_dir() -> PathBuf {
    if std::env::var_os("MINHBACH_PENDING").is_some() { repo().join("tests/invalid-pending") } else { corpus() }
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir` (symlinks as their target's name, not followed), with bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        if e.path_is_symlink() {
            let t = fs::read_link(e.path()).unwrap();
            out.insert(rel, format!("-> {}", t.display()).into_bytes());
        } else if e.file_type().is_file() {
            out.insert(rel, fs::read(e.path()).unwrap());
        } else if e.file_type().is_dir() {
            out.insert(format!("{rel}/"), Vec::new());
        }
    }
    out
}

/// Run one case; returns what went wrong, if anything.
fn run_case(name: &str, base_output: &Path) -> Result<(), String> {
    let dir = cases_dir().join(name);
    let text = fs::read_to_string(dir.join("case.toml")).map_err(|e| format!("case.toml: {e}"))?;
    let case: Case = toml::from_str(&text).map_err(|e| format!("case.toml: {e}"))?;
    if case.expect.is_empty() {
        return Err("case.toml has no [[expect]]".into());
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&corpus().join("_base"), &site);
    // The previous output, as a build of the base site wrote it.
    copy_tree(base_output, &site.join("public"));
    for r in &case.remove {
        let p = site.join(r);
        if p.is_dir() { fs::remove_dir_all(&p) } else { fs::remove_file(&p) }
            .map_err(|e| format!("remove {r}: {e}"))?;
    }
    if dir.join("files").is_dir() {
        copy_tree(&dir.join("files"), &site);
    }
    for g in &case.generate {
        let p = site.join(&g.path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, g.text()).map_err(|e| format!("generate {}: {e}", g.path))?;
    }
    for s in &case.symlinks {
        let p = site.join(&s.path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        let _ = fs::remove_file(&p);
        std::os::unix::fs::symlink(&s.target, &p).map_err(|e| format!("symlink {}: {e}", s.path))?;
    }
    let before = snapshot(tmp.path());
    let mut problems = Vec::new();
    for (cmd, extra) in [("check", &Vec::new()), ("build", &case.build_args)] {
        let out = minhbach()
            .arg(cmd)
            .arg("--root")
            .arg(&site)
            .args(extra)
            .current_dir(&site)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .map_err(|e| format!("{cmd}: {e}"))?;
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let shown = || {
            let all = format!("{stderr}{}", String::from_utf8_lossy(&out.stdout));
            let cut = all.char_indices().nth(20_000).map_or(all.len(), |(i, _)| i);
            format!("\n--- {cmd} printed:\n{}", &all[..cut])
        };
        if out.status.code() != Some(1) {
            problems.push(format!("{cmd} exited with {:?}, not 1{}", out.status.code(), shown()));
            continue;
        }
        if stderr.contains("panicked") {
            problems.push(format!("{cmd} panicked{}", shown()));
        }
        for e in &case.expect {
            // The message and its location must belong to the same diagnostic.
            // A location may name the file from the site folder or with its full path.
            let site_prefix = format!("{}/", site.display());
            let located = stderr.split("\nerror: ").any(|block| {
                block.contains(&e.message)
                    && block.lines().any(|l| {
                        l.trim_start().strip_prefix("--> ").map(|at| at.strip_prefix(&site_prefix).unwrap_or(at))
                            == Some(&e.at)
                    })
            });
            if !located {
                problems.push(format!("{cmd}: no error containing {:?} at {}{}", e.message, e.at, shown()));
            }
        }
        if let Some(max) = case.max_output
            && out.stderr.len() > max
        {
            problems.push(format!("{cmd} printed {} bytes of messages, more than {max}", out.stderr.len()));
        }
        if let Some(n) = case.count {
            let tail = format!("{n} problem{} found", if n == 1 { "" } else { "s" });
            if !stderr.contains(&tail) {
                problems.push(format!("{cmd}: expected exactly \"{tail}\"{}", shown()));
            }
        }
        let after = snapshot(tmp.path());
        if after != before {
            let changed: Vec<&String> = before
                .keys()
                .chain(after.keys())
                .filter(|k| before.get(*k) != after.get(*k))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            problems.push(format!("{cmd} changed the site folder: {changed:?}"));
            break;
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(format!("{} ({}):\n{}", name, case.about, problems.join("\n"))) }
}

#[test]
fn every_invalid_case_fails_with_its_located_message_and_touches_nothing() {
    // The previous output each case starts from: one build of the base site.
    let base = tempfile::tempdir().unwrap();
    let site = base.path().join("site");
    copy_tree(&corpus().join("_base"), &site);
    minhbach().args(["build", "--root"]).arg(&site).assert().success();
    let base_output = site.join("public");

    let mut names: Vec<String> = fs::read_dir(cases_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("case.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // A case filter for working on one: MINHBACH_CASE=part-of-a-name cargo test --test invalid
    if let Ok(only) = std::env::var("MINHBACH_CASE") {
        names.retain(|n| n.contains(&only));
    } else if std::env::var_os("MINHBACH_PENDING").is_none() {
        assert!(names.len() >= 80, "the corpus has {} cases; issue 14 asks for at least 80", names.len());
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(name) = names.get(i) else { break };
                    if let Err(e) = run_case(name, &base_output) {
                        failures.lock().unwrap().push(e);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), names.len(), failures.join("\n\n"));
}
