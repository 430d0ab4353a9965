//! Where a one-document rebuild spends its time: `MINHBACH_TIMINGS=1 cargo run
//! --release --example rebuild_timing -- /dev/shm/site` on a generated site.
use std::time::Instant;

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("a site folder"));
    let mut s = minhbach::session::Session::new(&root, minhbach::site::Options::default());
    s.full_build().unwrap();
    let doc = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name() == "nghi-quyet-dai-hoi.md")
        .nth(500)
        .unwrap()
        .into_path();
    let text = std::fs::read_to_string(&doc).unwrap();
    // Twice: the first edit after a full build also fills the data-row cache.
    for n in 1..=2 {
        std::fs::write(&doc, text.replacen("\n---\n", &format!("\n---\nSửa {n}.\n\n"), 1)).unwrap();
        eprintln!("--- rebuild {n}");
        let t = Instant::now();
        let o = s.rebuild(std::slice::from_ref(&doc)).unwrap().unwrap();
        eprintln!("rebuild {} ms, {} rendered", t.elapsed().as_millis(), o.rendered.len());
        let t = Instant::now();
        let o = s.finish().unwrap().unwrap_or_default();
        eprintln!("finish {} ms, {} rendered", t.elapsed().as_millis(), o.rendered.len());
    }
}
