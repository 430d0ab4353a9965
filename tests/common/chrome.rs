//! Headless Chromium for the tests that look at pages as readers do (tests/browser.rs,
//! tests/readers.rs): a static file server for a built site, and a WebDriver session
//! through Debian's chromedriver. Included by `#[path]`, not by `mod common`, so that
//! the other test binaries do not build it.
#![allow(dead_code)]

use fantoccini::{Client, ClientBuilder};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether the browser tests are to be skipped (they then show as "ignored").
pub fn skipped() -> bool {
    std::env::var("MINHBACH_SKIP_BROWSER").as_deref() == Ok("1")
}

/// A browser test for libtest-mimic: shown as ignored when the browser tests are skipped.
pub fn trial(name: &'static str, f: fn()) -> libtest_mimic::Trial {
    libtest_mimic::Trial::test(name, move || {
        f();
        Ok(())
    })
    .with_ignored_flag(skipped())
}

/// A minimal static file server for the tests (`minhbach serve` rebuilds and injects its
/// reload script: these tests look at the files as a host serves them).
pub fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
    port
}

fn answer(mut stream: TcpStream, root: &Path) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
            break;
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap().to_string();
    let path = percent_decode(&path);
    let mut file = root.join(path.trim_start_matches('/'));
    if path.contains("..") {
        file = root.join("404.html");
    } else if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, body) = match std::fs::read(&file) {
        Ok(b) => ("200 OK", b),
        Err(_) => ("404 Not Found", std::fs::read(root.join("404.html")).unwrap_or_default()),
    };
    let ct = match file.extension().and_then(|e| e.to_str()) {
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        _ => "text/html; charset=utf-8",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Run a script in the page and return its value.
pub async fn js(client: &fantoccini::Client, script: &str) -> serde_json::Value {
    client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("{script}: {e}"))
}

pub struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A browser session: chromedriver and a headless Chromium with its own profile, at
/// 1280 × 1000. Keep the returned guard and folder alive while the client is used.
pub async fn start() -> (Client, Driver, tempfile::TempDir) {
    start_with(&[]).await
}

/// `start`, with more Chromium flags (`--force-dark-mode`: the reader asks for a dark
/// scheme).
pub async fn start_with(flags: &[&str]) -> (Client, Driver, tempfile::TempDir) {
    for bin in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
        assert!(
            Path::new(bin).exists(),
            "{bin} is missing: apt-get install chromium chromium-driver (or set MINHBACH_SKIP_BROWSER=1)"
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let dport = free_port();
    let driver = Driver(
        Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={dport}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let user_dir = tmp.path().join("chrome-profile");
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--window-size=1280,1000",
    ]
    .iter()
    .chain(flags)
    .map(|s| s.to_string())
    .collect();
    args.push(format!("--user-data-dir={}", user_dir.display()));
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), serde_json::json!({ "binary": "/usr/bin/chromium", "args": args }));
    let deadline = Instant::now() + Duration::from_secs(20);
    let client = loop {
        match ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{dport}"))
            .await
        {
            Ok(c) => break c,
            Err(e) if Instant::now() > deadline => {
                panic!("cannot start chromium through chromedriver: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    };
    (client, driver, tmp)
}

/// Run an async test body on its own runtime (libtest-mimic trials are plain closures).
pub fn run<F: std::future::Future<Output = ()>>(f: F) {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(f)
}
