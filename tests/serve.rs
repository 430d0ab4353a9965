//! `minhbach serve` end to end: a real server on a free port, a real file edit, the
//! reload event over server-sent events, the overlay on a broken front matter, and
//! requests that try to leave the site.

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

fn start(root: &Path) -> Server {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(assert_cmd::cargo::cargo_bin!("minhbach"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
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
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return (0, String::new(), String::new()) };
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n").unwrap();
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
    write!(s, "GET /__minhbach/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").unwrap();
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
    // A symlink inside the output that points outside is refused.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.path().join("secret.txt"), site.path().join("public/link.txt")).unwrap();
        let (status, _, body) = request(port, "GET", "/link.txt", "");
        assert_eq!(status, 403);
        assert!(!body.contains("TOP SECRET"));
    }
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
        ("/data/targets.json", "application/json"),
        ("/data/targets.csv", "text/csv"),
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
