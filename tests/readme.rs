//! The README's first site, run as written: every `$ ` line of its console blocks is run
//! in order in an empty folder (`cd` moves into the new site), and what each command
//! prints must be what the README shows, `…` standing for what changes from run to run
//! (times, the absolute path). `serve` gets a free port instead of 1111, which the
//! expected text follows; while it runs, the document is edited as the README says (the
//! draft line deleted, its `targets:` block put in), and the page must show the target.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The README's console blocks as (command, expected output lines), in order.
fn console_steps(readme: &str) -> Vec<(String, Vec<String>)> {
    let mut steps: Vec<(String, Vec<String>)> = Vec::new();
    let mut inside = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            inside = line == "```console";
            continue;
        }
        if !inside {
            continue;
        }
        match line.strip_prefix("$ ") {
            Some(cmd) => steps.push((cmd.to_string(), Vec::new())),
            None => steps.last_mut().expect("a console block starts with a command").1.push(line.to_string()),
        }
    }
    steps
}

/// The fenced block of `lang` whose first line is `first`.
fn block_starting(readme: &str, lang: &str, first: &str) -> String {
    let start = readme.find(&format!("```{lang}\n{first}")).unwrap_or_else(|| panic!("README has a {first} block"));
    let body = &readme[start + lang.len() + 4..];
    body[..body.find("```").unwrap()].to_string()
}

/// A command line split into words, with double quotes as the shell reads them.
fn words(cmd: &str) -> Vec<String> {
    let (mut out, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in cmd.chars() {
        if c == '"' {
            (quoted, any) = (!quoted, true);
        } else if c == ' ' && !quoted {
            if any {
                out.push(std::mem::take(&mut word));
                any = false;
            }
        } else {
            word.push(c);
            any = true;
        }
    }
    assert!(!quoted, "unbalanced quotes in {cmd}");
    if any {
        out.push(word);
    }
    out
}

/// Whether `line` is `expected`, where each `…` of `expected` stands for any text.
fn matches(expected: &str, line: &str) -> bool {
    let parts: Vec<&str> = expected.split('…').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return line == expected;
    }
    if line.len() < first.len() + last.len() || !line.starts_with(first) || !line.ends_with(last) {
        return false;
    }
    let mut rest = &line[first.len()..line.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

fn assert_prints(cmd: &str, expected: &[String], printed: &str) {
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), expected.len(), "`{cmd}` printed:\n{printed}\nthe README shows:\n{}", expected.join("\n"));
    for (want, got) in expected.iter().zip(&lines) {
        assert!(matches(want, got), "`{cmd}` printed\n  {got}\nthe README shows\n  {want}");
    }
}

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str) -> (u16, String) {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return (0, String::new()) };
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    let status = raw.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

/// The README's edit of the new document: the draft line deleted, its targets put in.
fn edit_document(file: &Path, targets: &str) {
    let text = read(file);
    let draft = text.lines().find(|l| l.starts_with("draft: true")).expect("the new document is a draft");
    let edited = text.replace(&format!("{draft}\n"), "");
    assert!(edited.contains("\ntargets: []\n"), "the new document has `targets: []`");
    std::fs::write(file, edited.replacen("\ntargets: []\n", &format!("\n{targets}"), 1)).unwrap();
}

#[test]
fn the_readme_first_site_runs_as_written() {
    let readme = read(repo().join("README.md"));
    let targets = block_starting(&readme, "yaml", "targets:\n");
    let steps = console_steps(&readme);
    let names: Vec<String> = steps.iter().map(|(c, _)| words(c)[..2].join(" ")).collect();
    let five =
        ["minhbach new", "cd phuong-duc-giang", "minhbach new", "minhbach new", "minhbach serve", "minhbach build"];
    assert_eq!(names, five, "the five commands (new site, unit, doc; serve; build) and a cd");

    let tmp = tempfile::tempdir().unwrap();
    let mut dir: PathBuf = tmp.path().to_path_buf();
    let mut document: Option<String> = None;
    for (cmd, expected) in &steps {
        let args = words(cmd);
        match args[0].as_str() {
            "cd" => dir = dir.join(&args[1]),
            "minhbach" if args[1] == "serve" => {
                let doc = document.as_deref().expect("`new doc` comes before `serve`");
                let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
                let mut serve = Serve(
                    Command::new(assert_cmd::cargo::cargo_bin!("minhbach"))
                        .args(&args[1..])
                        .args(["--port", &port.to_string()])
                        .current_dir(&dir)
                        .stdout(Stdio::piped())
                        .stderr(Stdio::null())
                        .spawn()
                        .unwrap(),
                );
                let (tx, rx) = mpsc::channel();
                let out = serve.0.stdout.take().unwrap();
                std::thread::spawn(move || {
                    for line in BufReader::new(out).lines().map_while(Result::ok) {
                        let _ = tx.send(line);
                    }
                });
                let mut printed = String::new();
                for _ in expected {
                    let line = rx.recv_timeout(Duration::from_secs(60)).expect("serve prints its start");
                    printed.push_str(&line.replace(&format!(":{port}/"), ":1111/"));
                    printed.push('\n');
                }
                assert_prints(cmd, expected, &printed);

                let page = format!("/{}/", doc.trim_start_matches("content/").trim_end_matches(".md"));
                assert_eq!(get(port, &page).0, 404, "a draft is not published");
                edit_document(&dir.join(doc), &targets);
                let deadline = Instant::now() + Duration::from_secs(60);
                loop {
                    let (status, body) = get(port, &page);
                    if status == 200 && body.contains("Kết nạp đảng viên hàng năm từ 10-12 đồng chí") {
                        break;
                    }
                    assert!(Instant::now() < deadline, "serve did not publish the edited document at {page}");
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
            "minhbach" => {
                let out = minhbach().args(&args[1..]).current_dir(&dir).output().unwrap();
                assert!(out.status.success(), "`{cmd}` failed: {}", String::from_utf8_lossy(&out.stderr));
                let printed = String::from_utf8_lossy(&out.stdout);
                assert_prints(cmd, expected, &printed);
                if args[1..].starts_with(&["new".to_string(), "doc".to_string()]) {
                    let wrote = printed.strip_prefix("Wrote ").and_then(|p| p.split_once(". Fill")).unwrap().0;
                    document = Some(wrote.to_string());
                }
            }
            other => panic!("the README runs `{other}`, which this test does not know"),
        }
    }
    let doc = document.unwrap();
    let html =
        read(dir.join("public").join(doc.trim_start_matches("content/").trim_end_matches(".md")).join("index.html"));
    assert!(html.contains("từ 10 đến 12 đảng viên mỗi năm"), "the target's level as the page shows it");
    let out = minhbach().arg("check").current_dir(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn expected_output_matches_only_what_it_says() {
    assert!(matches("Built … files in … ms.", "Built 30 files in 12 ms."));
    assert!(!matches("Built … files in … ms.", "Built 30 files in 12 s."));
    assert!(!matches("Wrote a.md.", "Wrote b.md."));
    assert_eq!(
        words(r#"minhbach new doc content/x "Nghị quyết  XI""#),
        ["minhbach", "new", "doc", "content/x", "Nghị quyết  XI"]
    );
}
