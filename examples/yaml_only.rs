//! The front matter readers alone, on one thread: the quick reader (load::quick) and
//! serde-saphyr, timed on every document of a site, and checked to agree.
//! `cargo run --release --example yaml_only -- /dev/shm/site`
use minhbach::load::schema::RawDocument;
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("a site folder"));
    let mut texts = Vec::new();
    for e in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let e = e.unwrap();
        let p = e.path();
        if p.extension().is_some_and(|x| x == "md") && !p.ends_with("_index.md") {
            let t = minhbach::load::frontmatter::normalise(std::fs::read_to_string(p).unwrap());
            let y = minhbach::load::frontmatter::split(&t).unwrap().yaml.to_string();
            texts.push(y);
        }
    }
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mb = bytes as f64 / 1e6;
    let t = std::time::Instant::now();
    let quick: Vec<Option<RawDocument>> = texts.iter().map(|y| minhbach::load::quick::document(y)).collect();
    let q = t.elapsed();
    let t = std::time::Instant::now();
    let reference: Vec<RawDocument> = texts.iter().map(|y| serde_saphyr::from_str(y).unwrap()).collect();
    let s = t.elapsed();
    let read = quick.iter().filter(|q| q.is_some()).count();
    let same = quick.iter().zip(&reference).filter(|(q, r)| q.as_ref() == Some(*r)).count();
    eprintln!("{} files, {mb:.1} MB; the quick reader read {read}, {same} the same as serde-saphyr", texts.len());
    eprintln!(
        "quick: {} ms ({:.1} MB/s); serde-saphyr: {} ms ({:.1} MB/s)",
        q.as_millis(),
        mb / q.as_secs_f64(),
        s.as_millis(),
        mb / s.as_secs_f64()
    );
}
