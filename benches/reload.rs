//! Benchmark: time from saving one document to the browser's reload event, through a
//! real `minhbach serve` (watcher, debouncer, incremental rebuild, server-sent event).
//!
//!     cargo bench --bench reload                      # bundled site and 1,000 × 5
//!     MINHBACH_BENCH_UNITS=10000 cargo bench --bench reload   # also 10,000 × 5
//!
//! Each site gets as many edits of a document's text as of a target's level (which also
//! compares that target's indicator again across the site). Prints figures, with the
//! files each edit re-rendered (before the reload, and aggregates after it); asserts
//! nothing. Sites are generated under /dev/shm when it exists.
//!
//! `MINHBACH_BENCH_BIN=path/to/minhbach` runs another build of `minhbach` (an older
//! one, kept aside, for interleaved runs of old and new on a noisy machine).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
    base.join(format!("minhbach-bench-{}", std::process::id()))
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(dest).unwrap();
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn sse(port: u16) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // serve answers only requests naming localhost with its port.
    write!(s, "GET /__minhbach/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if let Some(e) = line.strip_prefix("event: ")
                && tx.send(e.to_string()).is_err()
            {
                break;
            }
        }
    });
    rx
}

/// How the document is edited: a line of text added to its body, or the first
/// target's level lowered (its indicator is then compared again across the site).
#[derive(Clone, Copy)]
enum Edit {
    Text,
    Level,
}

/// The document after `texts` edits of its text and `levels` of its level, each kind
/// counted on its own: an edit of one kind keeps what the other did, so a text edit
/// changes the body alone (made from the original each time, it would also undo the
/// level edit before it).
fn edited(original: &str, texts: usize, levels: usize) -> String {
    let mut s = original.to_string();
    if levels > 0 {
        let mut at = s.find("value: ").expect("a target value") + "value: ".len();
        at += usize::from(s[at..].starts_with('"'));
        let end = at + s[at..].find(['"', '\n']).unwrap();
        let v: f64 = s[at..end].replace(',', ".").parse().expect("a plain number");
        s = format!("{}{}{}", &s[..at], v - levels as f64, &s[end..]);
    }
    if texts > 0 {
        s = s.replacen("\n---\n", &format!("\n---\nLần sửa thứ {texts}.\n\n"), 1);
    }
    s
}

fn measure(label: &str, root: &Path, doc: &Path, rounds: usize, settle: Duration) {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let start = Instant::now();
    let bin = std::env::var_os("MINHBACH_BENCH_BIN").map(PathBuf::from);
    let mut child = Command::new(bin.unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_minhbach"))))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // serve's terminal lines: "…: N files re-rendered, …" and "  then N aggregate files re-rendered, …".
    let (lines_tx, lines) = mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let first = start.elapsed();
    let events = sse(port);
    assert_eq!(events.recv_timeout(Duration::from_secs(60)).unwrap(), "ok");
    let original = std::fs::read_to_string(doc).unwrap();
    let mut times = [Vec::new(), Vec::new()];
    let (mut texts, mut levels) = (0, 0);
    // Files re-rendered per edit: (before the reload, aggregates after it).
    let mut files = [Vec::new(), Vec::new()];
    let rendered = |line: &str, after: &str| -> Option<usize> {
        line.split_once(after)?.1.split_whitespace().next()?.parse().ok()
    };
    // The files re-rendered since the last call, from serve's terminal lines: (before
    // the reload, aggregates after it).
    let counts = || {
        let (mut before, mut after) = (0, 0);
        while let Ok(line) = lines.try_recv() {
            if let Some(n) = rendered(&line, "then ") {
                after += n;
            } else if let Some(n) = rendered(&line, ": ").filter(|_| line.contains(" re-rendered")) {
                before += n;
            }
        }
        (before, after)
    };
    for i in 0..rounds * 2 {
        // Let the previous edit's comparisons and data files finish first.
        std::thread::sleep(settle);
        if i > 0 {
            files[(i - 1) % 2].push(counts());
        } else {
            while lines.try_recv().is_ok() {}
        }
        let edit = if i % 2 == 0 { Edit::Text } else { Edit::Level };
        match edit {
            Edit::Text => texts += 1,
            Edit::Level => levels += 1,
        }
        let text = edited(&original, texts, levels);
        // Events of the previous edit's aggregates (pages listing many units) are not
        // this edit's reload.
        while events.try_recv().is_ok() {}
        let t0 = Instant::now();
        std::fs::write(doc, text).unwrap();
        loop {
            match events.recv_timeout(Duration::from_secs(120)) {
                Ok(e) if e == "reload" => break,
                Ok(e) if e == "problem" => panic!("the edit broke the build"),
                Ok(_) => continue,
                Err(_) => panic!("no reload within 120 s"),
            }
        }
        times[i % 2].push(t0.elapsed());
    }
    std::thread::sleep(settle);
    files[(rounds * 2 - 1) % 2].push(counts());
    std::fs::write(doc, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{label:<28} first build + listen {:>8.0} ms", ms(first));
    for ((what, mut times), mut files) in ["text edit", "level edit"].into_iter().zip(times).zip(files) {
        times.sort();
        files.sort();
        let (before, after) = files.get(files.len() / 2).copied().unwrap_or_default();
        println!(
            "  save → reload, {what:<10}   median {:>7.1} ms, min {:>7.1}, max {:>7.1} ({} edits); files re-rendered: {before} before the reload, {after} after",
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(*times.last().unwrap()),
            times.len()
        );
    }
}

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    println!(
        "save → reload through `minhbach serve` (release build), files on {}",
        if dir.starts_with("/dev/shm") { "tmpfs (/dev/shm)" } else { "disk" }
    );

    let bundled = dir.join("bundled");
    std::fs::create_dir_all(&bundled).unwrap();
    std::fs::copy(repo.join("minhbach.toml"), bundled.join("minhbach.toml")).unwrap();
    copy_dir(&repo.join("content"), &bundled.join("content"));
    measure(
        "bundled site",
        &bundled,
        &bundled.join("content/ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi.md"),
        15,
        Duration::from_millis(150),
    );

    let mut sizes = vec![1000usize];
    if let Ok(n) = std::env::var("MINHBACH_BENCH_UNITS") {
        sizes.extend(n.split(',').filter_map(|x| x.trim().parse::<usize>().ok()));
    }
    for units in sizes {
        let site = dir.join(format!("gen-{units}"));
        let status = Command::new(env!("CARGO_BIN_EXE_minhbach-corpus"))
            .args(["--units", &units.to_string(), "--docs", "5", "--out"])
            .arg(&site)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        // A ward's resolution somewhere in the middle of the site.
        let doc = walkdir::WalkDir::new(site.join("content"))
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name() == "nghi-quyet-dai-hoi.md")
            .nth(units / 2)
            .unwrap()
            .into_path();
        // Fewer edits on large sites: each waits for the previous one's aggregates.
        let edits = if units >= 10_000 { 3 } else { 7 };
        measure(&format!("generated {units} × 5"), &site, &doc, edits, Duration::from_secs(units as u64 / 250 + 2));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
