//! `minhbach serve` end to end: a real server on a free port, a real file edit, the
//! reload event over server-sent events, the overlay on a broken front matter,
//! requests that try to leave the site or read its dotfiles, Host headers naming
//! another site, and clients that never finish their request head.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The header timeout the servers run with: short, so that a test of it stays quick,
/// and every other test's event stream outlives it many times over.
const HEADER_TIMEOUT: Duration = Duration::from_secs(1);

fn start(root: &Path) -> Server {
    start_with(root, &[])
}

fn start_with(root: &Path, args: &[&str]) -> Server {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(assert_cmd::cargo::cargo_bin!("minhbach"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .args(args)
        .env("MINHBACH_HEADER_TIMEOUT_MS", HEADER_TIMEOUT.as_millis().to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if get(port, "/").0 == 200 {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("serve did not answer within 30 s");
}

/// One raw HTTP/1.1 request; returns (status, headers, body). Raw on purpose: the
/// traversal tests must send paths exactly as written.
fn request(port: u16, method: &str, path: &str, extra: &str) -> (u16, String, String) {
    request_to(port, &format!("127.0.0.1:{port}"), method, path, extra)
}

/// The same, naming `host` in the Host header (empty: no Host header at all).
fn request_to(port: u16, host: &str, method: &str, path: &str, extra: &str) -> (u16, String, String) {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return (0, String::new(), String::new()) };
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let host = if host.is_empty() { String::new() } else { format!("Host: {host}\r\n") };
    write!(s, "{method} {path} HTTP/1.1\r\n{host}Connection: close\r\n{extra}\r\n").unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

fn get(port: u16, path: &str) -> (u16, String) {
    let (s, _, b) = request(port, "GET", path, "");
    (s, b)
}

/// Server-sent events as (event, data) pairs on a channel.
fn events(port: u16) -> mpsc::Receiver<(String, String)> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET /__minhbach/events HTTP/1.1\r\nHost: localhost:{port}\r\nAccept: text/event-stream\r\n\r\n")
        .unwrap();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ")
                && tx.send((event.clone(), d.to_string())).is_err()
            {
                break;
            }
        }
    });
    rx
}

fn wait_for(rx: &mpsc::Receiver<(String, String)>, event: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((e, d)) if e == event => return d,
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    panic!("no `{event}` event within 20 s");
}

const PAGE: &str = "/thu/phuong-thu/nghi-quyet/";
const DOC: &str = "content/thu/phuong-thu/nghi-quyet.md";

#[test]
fn edit_reload_break_overlay_fix() {
    let site = fixture();
    let server = start(site.path());
    let port = server.port;
    let rx = events(port);
    assert_eq!(wait_for(&rx, "ok"), "{}", "a good site says ok first");

    // The page is served with the live-reload script; the file on disk has none.
    let (status, page) = get(port, PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("/__minhbach/live.js") && page.contains("Nội dung"));
    assert!(!read(site.path().join("public/thu/phuong-thu/nghi-quyet/index.html")).contains("live.js"));

    // Edit: the reload event comes, and the new text is served.
    let path = site.path().join(DOC);
    std::fs::write(&path, read(&path).replace("Nội dung **nghị quyết**.", "Nội dung đã sửa lúc thử.")).unwrap();
    wait_for(&rx, "reload");
    assert!(get(port, PAGE).1.contains("Nội dung đã sửa lúc thử."));

    // Break the front matter: the old page is still served, the overlay's text names
    // file, line and column.
    std::fs::write(&path, read(&path).replace("kind: resolution", "kind: [resolution")).unwrap();
    let problem = wait_for(&rx, "problem");
    assert!(problem.contains("content/thu/phuong-thu/nghi-quyet.md:3:7"), "{problem}");
    let (status, page) = get(port, PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("Nội dung đã sửa lúc thử."), "the last good page is still served");
    assert!(get(port, "/__minhbach/status").1.contains("nghi-quyet.md:3:7"));
    // A page opened now gets the problem as its first event.
    let late = events(port);
    assert!(wait_for(&late, "problem").contains("nghi-quyet.md:3:7"));

    // Fix it: reload, and the problem is gone.
    std::fs::write(&path, read(&path).replace("kind: [resolution", "kind: resolution")).unwrap();
    wait_for(&rx, "reload");
    assert!(get(port, "/__minhbach/status").1.contains("\"problem\":null"));
}

#[test]
fn requests_cannot_leave_the_site() {
    let site = fixture();
    std::fs::write(site.path().join("secret.txt"), "TOP SECRET").unwrap();
    let server = start(site.path());
    let port = server.port;
    for path in [
        "/../secret.txt",
        "/../minhbach.toml",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/thu/../../secret.txt",
        "//etc/passwd",
        "/%00/secret.txt",
    ] {
        let (status, _, body) = request(port, "GET", path, "");
        assert!(status == 403 || status == 404 || status == 400, "{path}: status {status}");
        assert!(!body.contains("TOP SECRET") && !body.contains("title ="), "{path} leaked a file");
    }
    // A symlink inside the output that points outside is refused: a file, a folder,
    // and the 404 page itself (answered for every missing page, not only its own path).
    #[cfg(unix)]
    {
        let out = site.path().join("public");
        std::os::unix::fs::symlink(site.path().join("secret.txt"), out.join("link.txt")).unwrap();
        let (status, _, body) = request(port, "GET", "/link.txt", "");
        assert_eq!(status, 403);
        assert!(!body.contains("TOP SECRET"));
        let outside = site.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("index.html"), "<p>TOP SECRET</p>").unwrap();
        std::os::unix::fs::symlink(&outside, out.join("linked-folder")).unwrap();
        for path in ["/linked-folder/", "/linked-folder/index.html", "/linked-folder"] {
            let (status, _, body) = request(port, "GET", path, "");
            assert!(status == 403 || status == 404, "{path}: status {status}");
            assert!(!body.contains("TOP SECRET"), "{path} leaked a file");
        }
        std::fs::remove_file(out.join("404.html")).unwrap();
        std::os::unix::fs::symlink(site.path().join("secret.txt"), out.join("404.html")).unwrap();
        let (status, _, body) = request(port, "GET", "/khong-co-trang-nay/", "");
        assert_eq!(status, 404);
        assert!(!body.contains("TOP SECRET"), "the 404 page linked out of the output was served");
    }
    // Very long addresses and many segments: refused or not found, and the server lives on.
    for path in [format!("/{}", "a".repeat(5000)), "/a".repeat(3000), format!("/{}", "%41".repeat(20_000))] {
        let (status, _, _) = request(port, "GET", &path, "");
        assert!((400..500).contains(&status) || status == 0, "{} bytes: status {status}", path.len());
    }
    // A file asked for as a folder is not found either, never a server error.
    for path in ["/style.css/", "/index.html/x", "/data/units.csv/index.html"] {
        assert_eq!(get(port, path).0, 404, "{path}");
    }
    assert_eq!(get(port, "/").0, 200, "the server still answers after very long addresses");
}

#[test]
fn dotfiles_and_dot_folders_are_never_served() {
    let site = fixture();
    let server = start(site.path());
    let port = server.port;
    let out = site.path().join("public");
    assert!(out.join(".minhbach-output").exists(), "the build marks its output");
    std::fs::create_dir_all(out.join(".git")).unwrap();
    std::fs::write(out.join(".git/config"), "[remote] TOP SECRET").unwrap();
    std::fs::write(out.join("thu/.env"), "TOKEN=TOP SECRET").unwrap();
    let marker = read(out.join(".minhbach-output"));
    for path in [
        "/.minhbach-output",
        "/%2e%6dinhbach-output",
        "/%2E%6D%69%6E%68bach-output",
        "/.git/config",
        "/.git/",
        "/.git",
        "/%2egit/config",
        "/thu/.env",
        "/thu/%2eenv",
        "/.minhbach-output?x=1",
    ] {
        let (status, _, body) = request(port, "GET", path, "");
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("TOP SECRET") && (marker.is_empty() || !body.contains(&marker)), "{path} was served");
        let (status, _, _) = request(port, "HEAD", path, "");
        assert_eq!(status, 404, "HEAD {path}");
    }
}

#[test]
fn only_requests_naming_this_machine_are_answered() {
    let site = fixture();
    let server = start(site.path());
    let port = server.port;
    // DNS rebinding: a page on evil.example whose name now points at 127.0.0.1.
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        // Without the port the Host names port 80, another server.
        "127.0.0.1".to_string(),
        "localhost".to_string(),
        String::new(),
    ] {
        for path in ["/", "/__minhbach/status", "/__minhbach/events", "/data/index.json"] {
            let (status, head, body) = request_to(port, &host, "GET", path, "");
            assert_eq!(status, 421, "Host `{host}` {path}: {head}");
            assert!(body.contains("answers only to") && body.contains("localhost"), "{body}");
            assert!(
                !body.contains("Phường Thử") && !body.contains("\"problem\""),
                "Host `{host}` {path} read the site"
            );
        }
    }
    // An absolute request target names the host too.
    let (status, _, _) = request(port, "GET", "http://evil.example/", "");
    assert_eq!(status, 421);
    for host in
        [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("LocalHost:{port}"), format!("[::1]:{port}")]
    {
        let (status, _, body) = request_to(port, &host, "GET", "/", "");
        assert_eq!(status, 200, "Host `{host}`");
        assert!(body.contains("Phường Thử"), "Host `{host}`");
    }
    let (status, _, _) = request(port, "GET", &format!("http://localhost:{port}/"), "");
    assert_eq!(status, 200);
    drop(server);

    // Bound to every address, as the printed note warns: any Host is answered.
    let server = start_with(site.path(), &["--bind", "0.0.0.0"]);
    let (status, _, body) = request_to(server.port, "preview.example", "GET", "/", "");
    assert_eq!(status, 200);
    assert!(body.contains("Phường Thử"));
}

#[test]
fn a_client_that_never_finishes_its_request_head_is_dropped() {
    let site = fixture();
    let server = start(site.path());
    let port = server.port;
    let rx = events(port);
    wait_for(&rx, "ok");
    // Nothing at all, half a head, and a head that stops before its blank line.
    for sent in ["", "GET / HT", &format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n")] {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(sent.as_bytes()).unwrap();
        let limit = HEADER_TIMEOUT * 5;
        s.set_read_timeout(Some(limit)).unwrap();
        let started = Instant::now();
        let mut buf = Vec::new();
        let closed = s.read_to_end(&mut buf);
        assert!(closed.is_ok(), "`{}`: still open after {limit:?} ({closed:?})", sent.escape_debug());
        assert!(started.elapsed() >= HEADER_TIMEOUT / 2, "`{}` was closed at once", sent.escape_debug());
        assert!(!String::from_utf8_lossy(&buf).contains("Phường"), "nothing of the site was sent");
    }
    // A slow but complete head, well within the limit, is answered.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    std::thread::sleep(HEADER_TIMEOUT / 4);
    write!(s, "Host: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 200"));
    // The event stream opened at the start has long outlived the header timeout, and
    // still carries the next reload.
    std::thread::sleep(HEADER_TIMEOUT * 2);
    let path = site.path().join(DOC);
    std::fs::write(&path, read(&path).replace("Nội dung **nghị quyết**.", "Nội dung sau giờ chờ.")).unwrap();
    wait_for(&rx, "reload");
    assert!(get(port, PAGE).1.contains("Nội dung sau giờ chờ."));
}

#[test]
fn http_behaves_like_a_real_host() {
    let site = fixture();
    let server = start(site.path());
    let port = server.port;
    // The site's 404 page, with status 404.
    let (status, _, body) = request(port, "GET", "/khong-co-trang-nay/", "");
    assert_eq!(status, 404);
    assert!(body.contains("Không tìm thấy trang"));
    // Content types.
    for (path, ct) in [
        ("/style.css", "text/css"),
        ("/data/thu/data.json", "application/json"),
        ("/data/thu/csv.zip", "application/zip"),
        ("/data/chi-tieu/thu.csv", "text/csv"),
        ("/favicon.svg", "image/svg+xml"),
        ("/thu/atom.xml", "xml"),
        ("/", "text/html"),
    ] {
        let (status, head, _) = request(port, "GET", path, "");
        let head = head.to_lowercase();
        assert_eq!(status, 200, "{path}");
        assert!(
            head.contains(&format!("content-type: {ct}"))
                || head.lines().any(|l| l.starts_with("content-type:") && l.contains(ct)),
            "{path}: {head}"
        );
    }
    // HEAD, and a conditional request answered with 304.
    let (status, head, body) = request(port, "HEAD", "/style.css", "");
    assert_eq!((status, body.len()), (200, 0));
    let last_modified = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("last-modified"))
                .map(|(_, v)| v.trim().to_string())
        })
        .expect("last-modified");
    let (status, _, _) = request(port, "GET", "/style.css", &format!("If-Modified-Since: {last_modified}\r\n"));
    assert_eq!(status, 304);
    // Many clients at once.
    let handles: Vec<_> = (0..32).map(|_| std::thread::spawn(move || get(port, "/").0)).collect();
    assert!(handles.into_iter().all(|h| h.join().unwrap() == 200));
}

#[test]
fn new_units_and_removed_or_recreated_folders_are_seen() {
    let site = fixture();
    let server = start(site.path());
    let port = server.port;
    let rx = events(port);
    wait_for(&rx, "ok");

    // A new unit folder with its _index.md: its parent page lists it, and the data too.
    let unit = site.path().join("content/thu/phuong-moi");
    std::fs::create_dir_all(&unit).unwrap();
    std::fs::write(unit.join("_index.md"), "---\nname: Phường Mới\nlevel: phường\n---\n").unwrap();
    wait_for(&rx, "reload");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !get(port, "/data/units.csv").1.contains("Phường Mới") {
        assert!(Instant::now() < deadline, "the data files never listed the new unit");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(get(port, "/thu/").1.contains("Phường Mới"), "the parent page lists the new unit");

    // A site template override, then its folder removed, then created again.
    let templates = site.path().join("templates");
    let theme404 = read(repo().join("themes/default/templates/404.html"));
    let put = |mark: &str| {
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(templates.join("404.html"), theme404.replace("{{ t(\"not_found_text\") }}", mark)).unwrap();
    };
    let wait_body = |path: &str, want: &str, present: bool| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while get(port, path).1.contains(want) != present {
            assert!(Instant::now() < deadline, "{path}: `{want}` present={present} never happened");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    put("DAU-MOT");
    wait_body("/khong-co/", "DAU-MOT", true);
    std::fs::remove_dir_all(&templates).unwrap();
    wait_body("/khong-co/", "DAU-MOT", false);
    put("DAU-HAI");
    wait_body("/khong-co/", "DAU-HAI", true);
}
