//! Peak memory after each phase of a build, for finding what holds memory:
//! `cargo run --release --example memory_phases -- /dev/shm/site`.
// The binary's allocator, so the figures are the build's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss_mb() -> f64 {
    status_mb("VmHWM:")
}

/// Memory held now, as opposed to the peak so far.
fn now_mb() -> f64 {
    status_mb("VmRSS:")
}

fn status_mb(key: &str) -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("a site folder"));
    let config = minhbach::site::load_config(&root, &Default::default()).unwrap();
    let content = minhbach::load::content::read(&root, &config.content_dir()).unwrap();
    eprintln!("after load: peak {:.0} MB, now {:.0} MB", rss_mb(), now_mb());
    let p = minhbach::site::prepare(config, content).unwrap();
    eprintln!("after model + compute: peak {:.0} MB, now {:.0} MB", rss_mb(), now_mb());
    let (streamed, rendered): (Vec<&minhbach::render::pages::Page>, Vec<&minhbach::render::pages::Page>) =
        p.list.iter().partition(|pg| pg.kind.is_streamed());
    p.stream_data_files(&streamed, &minhbach::render::data::Discard).unwrap();
    eprintln!("after data files: peak {:.0} MB, now {:.0} MB", rss_mb(), now_mb());
    let rendered: Vec<_> = rendered.into_iter().cloned().collect();
    let d = p.render_pages(&rendered, &|_, _| Ok(()), &|_| None);
    eprintln!("after rendering {} files: peak {:.0} MB ({} problems)", rendered.len(), rss_mb(), d.len());
}
