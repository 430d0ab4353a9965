//! `minhbach serve`: build, serve the output on localhost, watch the sources, rebuild
//! what changed, and reload open tabs.
//!
//! - Only requests naming this machine are answered: bound to a loopback address (the
//!   default), the Host must be `127.0.0.1`, `localhost`, `[::1]` or the bound address,
//!   with the port, else 421. Another page in the browser cannot then read the preview
//!   through a name of its own pointed at 127.0.0.1 (DNS rebinding). Bound to another
//!   address (`--bind 0.0.0.0`) any Host is answered, as the warning printed says.
//! - Files come from tower-http's `ServeDir` (content types, HEAD, Last-Modified and
//!   304); a guard in front refuses `..` in any encoding, backslashes, NUL and paths
//!   that resolve (through a symlink) outside the output folder, and answers 404 for
//!   any dotfile or dot-folder (`/.minhbach-output`); the site's 404 page is answered
//!   with status 404, unless it is itself a link out of the output folder.
//! - A client has `MINHBACH_HEADER_TIMEOUT_MS` (default 20 s) to send a request's head,
//!   so connections that send nothing or half a header are closed. A response may last
//!   as long as it likes (the live-reload event stream does).
//! - Live reload: HTML responses get one `<script>` (served from here, never written to
//!   disk, so `build` output has none); it listens to server-sent events: `reload`
//!   after a good rebuild, `problem` with the error text after a failed one, shown as an
//!   overlay on every page until the next good rebuild.
//! - A failed rebuild keeps serving the last good site (the session writes nothing).

pub(crate) mod watch;

use crate::session::{self, Session};
use crate::site::Options;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::ServeDir;

pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub open: bool,
    pub poll: bool,
    pub debounce: Duration,
    pub base_url: Option<String>,
}

#[derive(Clone, Debug)]
enum Live {
    /// Site paths whose files changed ("/a/b/"); `None`: everything.
    Reload(Option<Vec<String>>),
    Problem(String),
}

fn reload_of(outcome: &session::Outcome) -> Live {
    if outcome.full {
        Live::Reload(None)
    } else {
        Live::Reload(Some(outcome.written.iter().map(|w| crate::render::paths::address_of(w)).collect()))
    }
}

struct ServerState {
    /// The output folder, canonical, for the symlink check.
    root: PathBuf,
    /// The last failed rebuild's report, while it stands.
    problem: RwLock<Option<String>>,
    events: broadcast::Sender<Live>,
}

/// How long a client may take to send a request's head when the environment does not
/// say (`MINHBACH_HEADER_TIMEOUT_MS`): ample for a person's browser on a slow link.
const HEADER_TIMEOUT: Duration = Duration::from_secs(20);

fn header_timeout() -> Result<Duration, String> {
    match std::env::var("MINHBACH_HEADER_TIMEOUT_MS") {
        Err(_) => Ok(HEADER_TIMEOUT),
        Ok(v) => match v.trim().parse::<u64>() {
            Ok(ms) if ms > 0 => Ok(Duration::from_millis(ms)),
            _ => Err(format!(
                "MINHBACH_HEADER_TIMEOUT_MS is `{v}`; set it to a number of milliseconds above 0, e.g. 20000, or unset it"
            )),
        },
    }
}

/// The Host headers a request may carry. `None`: any (bound beyond this machine).
#[derive(Debug, Clone)]
struct Hosts {
    allowed: Option<Vec<String>>,
    /// For the refusal's text.
    url: String,
}

impl Hosts {
    fn new(bind: IpAddr, port: u16) -> Hosts {
        let url = format!("http://{}/", SocketAddr::new(bind, port));
        if !bind.is_loopback() {
            return Hosts { allowed: None, url };
        }
        let mut names = vec!["127.0.0.1".to_string(), "localhost".to_string(), "[::1]".to_string()];
        let own = match bind {
            IpAddr::V4(a) => a.to_string(),
            IpAddr::V6(a) => format!("[{a}]"),
        };
        if !names.contains(&own) {
            names.push(own);
        }
        // Browsers and curl always send the port, except the scheme's own (80), which
        // they leave out; a Host without a port otherwise names another server.
        let mut allowed: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
        if port == 80 {
            allowed.extend(names);
        }
        Hosts { allowed: Some(allowed), url }
    }

    fn allows(&self, host: &str) -> bool {
        match &self.allowed {
            None => true,
            Some(list) => list.iter().any(|a| a.eq_ignore_ascii_case(host)),
        }
    }
}

const LIVE_JS: &str = include_str!("live.js");
const SCRIPT_TAG: &str = "<script src=\"/__minhbach/live.js\" defer></script>";

/// Run the server until Ctrl+C. Returns an error message for the terminal.
pub fn run(opts: ServeOptions) -> Result<(), String> {
    let header_timeout = header_timeout()?;
    // A preview is served at the host's root, whatever the site's base_url says.
    let build_opts = Options { output: None, base_url: Some(opts.base_url.clone().unwrap_or_else(|| "/".into())) };
    let mut session = Session::new(&opts.root, build_opts);
    let start_problem = match session.full_build() {
        Ok(o) => {
            if !o.warnings.is_empty() {
                eprintln!("{}", o.warnings.report("they do not stop the site."));
            }
            println!("{}", session::describe(&o, &[], session.root()));
            None
        }
        Err(d) => {
            eprintln!("{d}");
            let out = session.output_dir();
            if !out.join("index.html").exists() {
                return Err("the first build failed and there is no earlier site to serve; fix the problems above and run again".into());
            }
            eprintln!("Serving the previous site in {} until the problems are fixed.", out.display());
            Some(d.to_string())
        }
    };
    let output = session.output_dir();
    let (events, _) = broadcast::channel(16);
    let shared = Arc::new(ServerState {
        root: output.canonicalize().unwrap_or_else(|_| output.clone()),
        problem: RwLock::new(start_problem),
        events,
    });

    let (mut watcher, batches) = watch::start(session.root(), &output, opts.poll, opts.debounce)?;
    let loop_shared = shared.clone();
    std::thread::spawn(move || {
        let mut watched = std::collections::BTreeSet::new();
        // Changes that arrived while aggregates were rendered: the next batch.
        let mut arrived: Vec<PathBuf> = Vec::new();
        loop {
            let mut batch = if arrived.is_empty() {
                match batches.recv() {
                    Ok(b) => b,
                    Err(_) => break,
                }
            } else {
                std::mem::take(&mut arrived)
            };
            // Take whatever else arrived meanwhile: one rebuild for all of it.
            while let Ok(more) = batches.try_recv() {
                batch.extend(more);
            }
            watch::watch_new_folders(&mut watcher, session.root(), &mut watched);
            match session.rebuild(&batch) {
                Ok(None) => {}
                Ok(Some(outcome)) => {
                    if !outcome.warnings.is_empty() {
                        eprintln!("{}", outcome.warnings.report("they do not stop the site."));
                    }
                    println!("{}", session::describe(&outcome, &batch, session.root()));
                    *loop_shared.problem.write().unwrap() = None;
                    let _ = loop_shared.events.send(reload_of(&outcome));
                }
                Err(d) => {
                    let text = d.report("still serving the last good site.");
                    eprintln!("{text}");
                    *loop_shared.problem.write().unwrap() = Some(text.clone());
                    let _ = loop_shared.events.send(Live::Problem(text));
                    continue;
                }
            }
            // The comparisons, matrix, data files and feeds follow; tabs showing one of
            // them reload again when it is written. A new save overtakes them: its pages
            // come first, and what is left follows after them.
            let waiting = std::cell::RefCell::new(Vec::new());
            let overtaken = || {
                while let Ok(more) = batches.try_recv() {
                    waiting.borrow_mut().extend(more);
                }
                !waiting.borrow().is_empty()
            };
            match session.finish_unless(&overtaken) {
                Ok(Some(rest)) => {
                    println!(
                        "  then {} aggregate files re-rendered, {} written in {} ms{}",
                        rest.rendered.len(),
                        rest.written.len(),
                        rest.elapsed.as_millis(),
                        match session.unfinished() {
                            0 => String::new(),
                            n => format!(" ({n} left for after the next save)"),
                        }
                    );
                    if !rest.written.is_empty() {
                        let _ = loop_shared.events.send(reload_of(&rest));
                    }
                }
                Ok(None) => {}
                Err(d) => {
                    let text = d
                        .to_string()
                        .replace("nothing was written.", "the comparison and data files were not updated.");
                    eprintln!("{text}");
                    *loop_shared.problem.write().unwrap() = Some(text.clone());
                    let _ = loop_shared.events.send(Live::Problem(text));
                }
            }
            arrived = waiting.into_inner();
        }
    });

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let addr = SocketAddr::new(opts.bind, opts.port);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                format!("port {} is already in use; pass another with --port", opts.port)
            } else {
                format!("cannot listen on {addr}: {e}")
            }
        })?;
        let local = listener.local_addr().unwrap_or(addr);
        let url = format!("http://{local}/");
        println!("Serving {} at {url} — watching for changes; press Ctrl+C to stop.", output.display());
        if !opts.bind.is_loopback() {
            println!(
                "Note: bound to {}, not 127.0.0.1: other machines on the network can open this preview.",
                opts.bind
            );
        }
        if opts.open {
            let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
        }
        let app = app(shared, &output, Hosts::new(opts.bind, local.port()));
        let stop = tokio::signal::ctrl_c();
        tokio::pin!(stop);
        loop {
            let stream = tokio::select! {
                _ = &mut stop => return Ok(()),
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    // Out of file descriptors and the like: wait rather than spin.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
            };
            let service = hyper_util::service::TowerToHyperService::new(app.clone());
            tokio::spawn(async move {
                // A connection that fails (reset, header timeout) only ends itself.
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(header_timeout)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

/// The HTTP application: the Host check, live-reload endpoints, then the guarded
/// static files.
fn app(shared: Arc<ServerState>, output: &Path, hosts: Hosts) -> Router {
    let files = ServeDir::new(output)
        .append_index_html_on_directories(true)
        .not_found_service(get(not_found).with_state(shared.clone()));
    Router::new()
        .route("/__minhbach/live.js", get(live_js))
        .route("/__minhbach/events", get(events))
        .route("/__minhbach/status", get(status))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(shared.clone(), inject))
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .layer(middleware::from_fn_with_state(Arc::new(hosts), check_host))
        .with_state(shared)
}

/// A short plain-text refusal (never a page of the site: nothing to inject into).
fn refuse(status: StatusCode, text: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::X_CONTENT_TYPE_OPTIONS, "nosniff")], text)
        .into_response()
}

/// Answer only requests that name this machine (see the module doc).
async fn check_host(State(hosts): State<Arc<Hosts>>, req: Request, next: Next) -> Response {
    if hosts.allowed.is_none() {
        return next.run(req).await;
    }
    let header = req.headers().get(header::HOST).map(|h| h.to_str().unwrap_or("?"));
    // An absolute request target ("GET http://name/ HTTP/1.1") names the host as well.
    let target = req.uri().authority().map(|a| a.as_str());
    let ok = header.is_some_and(|h| hosts.allows(h)) && target.is_none_or(|a| hosts.allows(a));
    if ok {
        return next.run(req).await;
    }
    let named = target.or(header).unwrap_or("no host");
    refuse(
        StatusCode::MISDIRECTED_REQUEST,
        format!(
            "421 Misdirected Request: this preview answers only to {} (or localhost), and this request named `{named}`.\n",
            hosts.url
        ),
    )
}

/// The site's 404 page, with status 404, read only if it is inside the output folder.
async fn not_found(State(s): State<Arc<ServerState>>) -> Response {
    let page = s.root.join("404.html");
    let inside = page.canonicalize().is_ok_and(|real| real.starts_with(&s.root));
    match inside {
        true => match tokio::fs::read(&page).await {
            Ok(bytes) => {
                (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes).into_response()
            }
            Err(_) => refuse(StatusCode::NOT_FOUND, "404 Not Found\n".into()),
        },
        false => refuse(StatusCode::NOT_FOUND, "404 Not Found\n".into()),
    }
}

async fn live_js() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], LIVE_JS)
        .into_response()
}

async fn status(State(s): State<Arc<ServerState>>) -> Response {
    let problem = s.problem.read().unwrap().clone();
    let body = serde_json::json!({ "problem": problem }).to_string();
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

async fn events(
    State(s): State<Arc<ServerState>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, std::convert::Infallible>>> {
    // The current state first, so a page opened during a failure shows it at once.
    let first = match s.problem.read().unwrap().clone() {
        Some(p) => Event::default().event("problem").data(serde_json::to_string(&p).unwrap_or_default()),
        None => Event::default().event("ok").data("{}"),
    };
    let rx = BroadcastStream::new(s.events.subscribe()).filter_map(|e| match e {
        Ok(Live::Reload(paths)) => {
            let data = match paths {
                Some(p) => serde_json::json!({ "paths": p }),
                None => serde_json::json!({ "all": true }),
            };
            Some(Ok(Event::default().event("reload").data(data.to_string())))
        }
        Ok(Live::Problem(p)) => {
            Some(Ok(Event::default().event("problem").data(serde_json::to_string(&p).unwrap_or_default())))
        }
        Err(_) => None,
    });
    Sse::new(tokio_stream::once(Ok(first)).chain(rx)).keep_alive(KeepAlive::default())
}

/// The longest file name and path a request may name (Linux's limits, the tightest of
/// the usual systems).
const NAME_MAX: usize = 255;
const PATH_MAX: usize = 4096;

/// Refuse requests that try to leave the output folder.
async fn guard(State(s): State<Arc<ServerState>>, req: Request, next: Next) -> Response {
    let raw = req.uri().path();
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy().into_owned();
    let lower = decoded.to_ascii_lowercase();
    let forbidden = decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.split('/').any(|seg| seg == ".." || seg == ".")
        // Encoded twice: "%252e%252e" decodes to "%2e%2e", which is still an escape attempt.
        || lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c")
        || decoded.starts_with("//");
    if forbidden {
        return refuse(StatusCode::FORBIDDEN, "403 Forbidden: this address leaves the site\n".into());
    }
    // Dotfiles and dot-folders (`.minhbach-output`, a stray `.git`) are never part of a
    // published site: not found, in whatever encoding they were asked for.
    // Neither is a name longer than a file name can be (the file system's error would
    // be a 500) or a path longer than a path can be.
    if decoded.split('/').any(|seg| seg.starts_with('.') || seg.len() > NAME_MAX) || decoded.len() > PATH_MAX {
        return not_found(State(s)).await;
    }
    if !raw.starts_with("/__minhbach/") {
        // A symlink inside the output may point anywhere: only serve what resolves inside.
        let candidate = s.root.join(decoded.trim_start_matches('/'));
        if let Ok(real) = candidate.canonicalize()
            && !real.starts_with(&s.root)
        {
            return refuse(StatusCode::FORBIDDEN, "403 Forbidden: this file is outside the site\n".into());
        }
    }
    next.run(req).await
}

/// Add the live-reload script to HTML pages (in responses only, never on disk).
async fn inject(State(_s): State<Arc<ServerState>>, req: Request, next: Next) -> Response {
    let is_head = req.method() == axum::http::Method::HEAD;
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html || is_head || !(res.status().is_success() || res.status() == StatusCode::NOT_FOUND) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "cannot read the page").into_response();
    };
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    match text.rfind("</body>") {
        Some(i) => text.insert_str(i, SCRIPT_TAG),
        None => text.push_str(SCRIPT_TAG),
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Response::from_parts(parts, Body::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_name_this_machine_with_the_port() {
        let h = Hosts::new("127.0.0.1".parse().unwrap(), 1111);
        for ok in ["127.0.0.1:1111", "localhost:1111", "LOCALHOST:1111", "[::1]:1111"] {
            assert!(h.allows(ok), "{ok}");
        }
        for no in ["127.0.0.1", "localhost", "127.0.0.1:80", "evil.example:1111", "localhost.:1111", "", "[::1]"] {
            assert!(!h.allows(no), "{no}");
        }
        // The scheme's own port is left out by browsers.
        let h = Hosts::new("127.0.0.1".parse().unwrap(), 80);
        assert!(h.allows("localhost") && h.allows("127.0.0.1:80") && !h.allows("evil.example"));
        // Another loopback address is named as itself, IPv6 in brackets.
        assert!(Hosts::new("127.0.0.2".parse().unwrap(), 8).allows("127.0.0.2:8"));
        assert!(Hosts::new("::1".parse().unwrap(), 8).allows("[::1]:8"));
        // Bound beyond this machine: anything.
        assert!(Hosts::new("0.0.0.0".parse().unwrap(), 8).allows("preview.example"));
        assert!(Hosts::new("::".parse().unwrap(), 8).allows("preview.example"));
    }
}
