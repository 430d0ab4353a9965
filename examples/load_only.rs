//! Reading and lowering the content only, for profiling the load phase:
//! `perf record cargo run --release --example load_only -- /dev/shm/site`.
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("a site folder"));
    let config = minhbach::site::load_config(&root, &Default::default()).unwrap();
    let t = std::time::Instant::now();
    let c = minhbach::load::content::read(&root, &config.content_dir()).unwrap();
    eprintln!("read {} documents in {} ms", c.documents.len(), t.elapsed().as_millis());
}
