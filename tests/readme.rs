//! The README's first site, run as written: every `$ ` line of its console blocks is run
//! in order in an empty folder (`cd` moves into the new site), and what each command
//! prints must be what the README shows, `…` standing for what changes from run to run
//! (times, the absolute path). `serve` gets a free port instead of 1111, which the
//! expected text follows; while it runs, the document is edited as the README says (the
//! draft line deleted, its `targets:` block put in), and the page must show the target.
//! The ward officers' guide (docs/huong-dan.md) is run the same way: its commands, its
//! example files, the error it shows and the statuses it names. And every relative link
//! of the README and docs/ leads to a file that exists.

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

/// The fenced blocks of `lang` in `text` (`""`: blocks without a language), in order.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let (mut out, mut open): (Vec<String>, Option<bool>) = (Vec::new(), None);
    for line in text.lines() {
        match (open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(info == lang);
                if info == lang {
                    out.push(String::new());
                }
            }
            (Some(_), Some(_)) => open = None,
            (Some(true), None) => {
                let last = out.last_mut().unwrap();
                last.push_str(line);
                last.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// The text of a page without its tags, spaces collapsed.
fn page_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ward officers' guide (docs/huong-dan.md), as written: its commands make the
/// site, its document and vocabulary pass `check`, its results give the statuses it
/// names, and its example error is what `check` prints for the mistake it describes.
#[test]
fn the_guide_example_runs_as_written() {
    let guide = read(repo().join("docs/huong-dan.md"));
    let tmp = tempfile::tempdir().unwrap();
    let mut dir: PathBuf = tmp.path().to_path_buf();
    let mut later = Vec::new();
    for line in blocks(&guide, "sh").iter().flat_map(|b| b.lines().map(str::to_string).collect::<Vec<_>>()) {
        let args = words(&line);
        match (args[0].as_str(), args.get(1).map(String::as_str)) {
            ("cd", _) => dir = dir.join(&args[1]),
            ("minhbach", Some("new")) => {
                let out = minhbach().args(&args[1..]).current_dir(&dir).output().unwrap();
                assert!(out.status.success(), "`{line}`: {}", String::from_utf8_lossy(&out.stderr));
            }
            ("minhbach", Some("check" | "build")) => later.push(args),
            ("minhbach", Some("serve")) => {}
            _ => panic!("the guide runs `{line}`, which this test does not know"),
        }
    }
    let yaml = blocks(&guide, "yaml");
    let [document, indicators, results] = &yaml[..] else { panic!("the guide has three YAML blocks") };
    let ward = dir.join("content/ha-noi/quan-long-bien/phuong-duc-giang");
    let doc = ward.join("nghi-quyet-dai-hoi-xi-nhiem-ky-2020-2025.md");
    assert!(doc.exists(), "`new doc` wrote the file the guide names");
    std::fs::write(&doc, document).unwrap();
    let vocab = dir.join("content/indicators.yaml");
    std::fs::write(&vocab, read(&vocab) + indicators).unwrap();
    for args in &later {
        minhbach().args(&args[1..]).current_dir(&dir).assert().success();
    }

    // The example error: `max: "12 đồng chí"` instead of `max: 12`.
    let shown = blocks(&guide, "").into_iter().find(|b| b.starts_with("error:")).expect("the guide shows an error");
    std::fs::write(&doc, document.replacen("max: 12\n", "max: \"12 đồng chí\"\n", 1)).unwrap();
    let out = minhbach().arg("check").current_dir(&dir).output().unwrap();
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        shown.trim_end(),
        "the guide's error as check prints it"
    );
    std::fs::write(&doc, document).unwrap();

    // The results, in a later review of the ward, and the statuses the guide names.
    let review = format!(
        "---\ntitle: Báo cáo sơ kết giữa nhiệm kỳ\nkind: review\nissued: 2023-05-18\nterm: 2020-2025\n{results}---\n"
    );
    std::fs::write(ward.join("bao-cao-so-ket-giua-nhiem-ky-2020-2025.md"), review).unwrap();
    minhbach().arg("build").current_dir(&dir).assert().success();
    let page = page_text(&read(
        dir.join("public/ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi-nhiem-ky-2020-2025/index.html"),
    ));
    let row = |from: &str, to: &str| {
        let start = page.find(from).unwrap_or_else(|| panic!("the page shows {from}"));
        let end = page[start..].find(to).map_or(page.len(), |e| start + e);
        page[start..end].to_string()
    };
    let (t1, t4, t8) = ("Thu ngân sách hàng năm", "Số trường công lập", "Kết nạp đảng viên hàng năm");
    assert!(row(t1, t4).contains("Quá hạn, chưa báo cáo"), "target 1: {}", row(t1, t4));
    assert!(row(t4, t8).contains("Chậm tiến độ"), "target 4: {}", row(t4, t8));
    assert!(row(t8, "Diễn biến").contains("Đạt kết quả cả năm 2022"), "target 8: {}", row(t8, "Diễn biến"));
}

/// Every relative link of the README and of docs/ names a file that exists (and, with
/// `#anchor`, a heading of it), so a renamed page cannot leave a reader at a dead end.
#[test]
fn documentation_links_lead_somewhere() {
    let mut pages = vec![repo().join("README.md")];
    for e in std::fs::read_dir(repo().join("docs")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            pages.push(p);
        }
    }
    let mut dead = Vec::new();
    for page in &pages {
        let text = read(page);
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let Some(end) = rest.find(')') else { continue };
            let link = &rest[..end];
            if link.contains("://") || link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = link.split_once('#').unwrap_or((link, ""));
            let target = page.parent().unwrap().join(file);
            if !target.exists() {
                dead.push(format!("{}: {link}", page.display()));
            } else if !anchor.is_empty() && !read(&target).lines().any(|l| l.starts_with('#') && slug(l) == anchor) {
                dead.push(format!("{}: {link} (no such heading)", page.display()));
            }
        }
    }
    assert!(dead.is_empty(), "links to nowhere:\n{}", dead.join("\n"));
}

/// A heading's anchor as GitHub makes it: lower case, spaces to `-`, punctuation dropped.
fn slug(heading: &str) -> String {
    heading
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn the_readme_import_runs_as_written() {
    // From a clone: the bundled site and the seed the README names, in a fresh folder.
    let readme = read(repo().join("README.md"));
    let cmd = block_starting(&readme, "sh", "minhbach import").replace("\\\n", " ");
    let expected: Vec<String> = block_starting(&readme, "text", "Drafted").lines().map(str::to_string).collect();
    let tmp = tempfile::tempdir().unwrap();
    for part in ["content", "tests/import/seeds"] {
        let from = repo().join(part);
        for e in walkdir::WalkDir::new(&from).into_iter().map(Result::unwrap) {
            let dest = tmp.path().join(part).join(e.path().strip_prefix(&from).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(e.path(), &dest).unwrap();
            }
        }
    }
    std::fs::copy(repo().join("minhbach.toml"), tmp.path().join("minhbach.toml")).unwrap();
    let args = words(cmd.trim());
    let out = minhbach().args(&args[1..]).current_dir(tmp.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_prints(&cmd, &expected, &String::from_utf8_lossy(&out.stdout));
    // The draft it wrote passes check, as the README says.
    let check = minhbach().arg("check").current_dir(tmp.path()).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}
