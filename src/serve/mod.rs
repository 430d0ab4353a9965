//! `minhbach serve`: build, serve the output on localhost, watch the sources, rebuild
//! what changed, and reload open tabs.
//!
//! - Files come from tower-http's `ServeDir` (content types, HEAD, Last-Modified and
//!   304); a guard in front refuses `..` in any encoding, backslashes, NUL and paths
//!   that resolve (through a symlink) outside the output folder; the site's 404 page is
//!   answered with status 404.
//! - Live reload: HTML responses get one `<script>` (served from here, never written to
//!   disk, so `build` output has none); it listens to server-sent events: `reload`
//!   after a good rebuild, `problem` with the error text after a failed one, shown as an
//!   overlay on every page until the next good rebuild.
//! - A failed rebuild keeps serving the last good site (the session writes nothing).

pub mod watch;

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
use tower_http::services::{ServeDir, ServeFile};

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

struct Shared {
    /// The output folder, canonical, for the symlink check.
    root: PathBuf,
    /// The last failed rebuild's report, while it stands.
    problem: RwLock<Option<String>>,
    events: broadcast::Sender<Live>,
}

const LIVE_JS: &str = include_str!("live.js");
const SCRIPT_TAG: &str = "<script src=\"/__minhbach/live.js\" defer></script>";

/// Run the server until Ctrl+C. Returns an error message for the terminal.
pub fn run(opts: ServeOptions) -> Result<(), String> {
    // A preview is served at the host's root, whatever the site's base_url says.
    let build_opts = Options { output: None, base_url: Some(opts.base_url.clone().unwrap_or_else(|| "/".into())) };
    let mut session = Session::new(&opts.root, build_opts);
    let start_problem = match session.full_build() {
        Ok(o) => {
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
    let shared = Arc::new(Shared {
        root: output.canonicalize().unwrap_or_else(|_| output.clone()),
        problem: RwLock::new(start_problem),
        events,
    });

    let (mut watcher, batches) = watch::start(session.root(), &output, opts.poll, opts.debounce)?;
    let loop_shared = shared.clone();
    std::thread::spawn(move || {
        let mut watched = std::collections::BTreeSet::new();
        while let Ok(mut batch) = batches.recv() {
            // Take whatever else arrived meanwhile: one rebuild for all of it.
            while let Ok(more) = batches.try_recv() {
                batch.extend(more);
            }
            watch::watch_new_folders(&mut watcher, session.root(), &mut watched);
            match session.rebuild(&batch) {
                Ok(None) => {}
                Ok(Some(outcome)) => {
                    println!("{}", session::describe(&outcome, &batch, session.root()));
                    *loop_shared.problem.write().unwrap() = None;
                    let _ = loop_shared.events.send(reload_of(&outcome));
                    // The comparisons, matrix, data files and feeds follow; tabs showing
                    // one of them reload again when it is written.
                    match session.finish() {
                        Ok(Some(rest)) => {
                            println!(
                                "  then {} aggregate files re-rendered, {} written in {} ms",
                                rest.rendered.len(),
                                rest.written.len(),
                                rest.elapsed.as_millis()
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
                }
                Err(d) => {
                    let text = d.to_string().replace("nothing was written.", "still serving the last good site.");
                    eprintln!("{text}");
                    *loop_shared.problem.write().unwrap() = Some(text.clone());
                    let _ = loop_shared.events.send(Live::Problem(text));
                }
            }
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
        let url =
            format!("http://{}/", listener.local_addr().map(|a| a.to_string()).unwrap_or_else(|_| addr.to_string()));
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
        axum::serve(listener, app(shared, &output))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string())
    })
}

/// The HTTP application: live-reload endpoints, then the guarded static files.
fn app(shared: Arc<Shared>, output: &Path) -> Router {
    let files = ServeDir::new(output)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(output.join("404.html")));
    Router::new()
        .route("/__minhbach/live.js", get(live_js))
        .route("/__minhbach/events", get(events))
        .route("/__minhbach/status", get(status))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(shared.clone(), inject))
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

async fn live_js() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], LIVE_JS)
        .into_response()
}

async fn status(State(s): State<Arc<Shared>>) -> Response {
    let problem = s.problem.read().unwrap().clone();
    let body = serde_json::json!({ "problem": problem }).to_string();
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

async fn events(
    State(s): State<Arc<Shared>>,
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

/// Refuse requests that try to leave the output folder.
async fn guard(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
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
        return (StatusCode::FORBIDDEN, "403 Forbidden: this address leaves the site").into_response();
    }
    if !raw.starts_with("/__minhbach/") {
        // A symlink inside the output may point anywhere: only serve what resolves inside.
        let candidate = s.root.join(decoded.trim_start_matches('/'));
        if let Ok(real) = candidate.canonicalize()
            && !real.starts_with(&s.root)
        {
            return (StatusCode::FORBIDDEN, "403 Forbidden: this file is outside the site").into_response();
        }
    }
    next.run(req).await
}

/// Add the live-reload script to HTML pages (in responses only, never on disk).
async fn inject(State(_s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
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
