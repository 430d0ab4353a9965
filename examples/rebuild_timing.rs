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
    let _restore = Restore(doc.clone(), text.clone());
    // Twice: the first edit after a full build also fills the data-row cache.
    for n in 1..=2 {
        // MINHBACH_EDIT=level changes the first target's level instead of the text, so the
        // comparisons of its indicator are computed again.
        let edited = if std::env::var("MINHBACH_EDIT").as_deref() == Ok("level") {
            let at = text.find("value: \"").expect("a value") + "value: \"".len();
            let end = at + text[at..].find('"').unwrap();
            let v: f64 = text[at..end].parse().unwrap_or(1.0);
            format!("{}{}{}", &text[..at], v - n as f64, &text[end..])
        } else {
            text.replacen("\n---\n", &format!("\n---\nSửa {n}.\n\n"), 1)
        };
        std::fs::write(&doc, edited).unwrap();
        eprintln!("--- rebuild {n}");
        let t = Instant::now();
        let o = s.rebuild(std::slice::from_ref(&doc)).unwrap().unwrap();
        eprintln!("rebuild {} ms, {} rendered", t.elapsed().as_millis(), o.rendered.len());
        let t = Instant::now();
        let o = s.finish().unwrap().unwrap_or_default();
        eprintln!("finish {} ms, {} rendered", t.elapsed().as_millis(), o.rendered.len());
    }
}

/// Put the edited document back as it was.
struct Restore(std::path::PathBuf, String);

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.0, &self.1);
    }
}
