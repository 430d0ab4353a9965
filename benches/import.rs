//! Benchmark of `minhbach import` on a long Word file: the Phường 14 resolution (the
//! seed, ~12 pages) written three times over into one .docx with page breaks (about 36
//! pages, the issue's "30-page .docx"), read and taken apart by the library's `extract`
//! (what `import` does before writing). Prints the time of each of 5 runs and the best;
//! asserts nothing.
//!
//!     cargo bench --bench import

use std::io::Write as _;
use std::time::Instant;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = std::fs::read_to_string(root.join("tests/import/seeds/000-phuong-14-nghi-quyet-xiv.txt")).unwrap();
    let mut body = String::new();
    let mut words = 0;
    for copy in 0..3 {
        for (i, line) in seed.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            words += line.split_whitespace().count();
            // A page break every 12 paragraphs (about 500 words a page), as Word saves them.
            if (copy * 1000 + i) % 12 == 0 {
                body.push_str(r#"<w:p><w:r><w:lastRenderedPageBreak/><w:t xml:space="preserve"> </w:t></w:r></w:p>"#);
            }
            body.push_str(&format!(r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#, esc(line)));
        }
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let dir = std::env::temp_dir().join(format!("minhbach-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("nghi-quyet.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#).unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(document.as_bytes()).unwrap();
    zip.finish().unwrap();
    let size = std::fs::metadata(&file).unwrap().len();
    let vocabulary = minhbach::import::vocab::Vocabulary::load(&root.join("content/indicators.yaml"));
    let mut best = f64::MAX;
    let mut found = 0;
    let mut pages = 0;
    for run in 1..=5 {
        let t = Instant::now();
        let x = minhbach::import::extract(&file, None, false, &vocabulary).unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        best = best.min(ms);
        found = x.items.len();
        pages = x.paras.iter().filter_map(|p| p.page).max().unwrap_or(0);
        println!("run {run}: {ms:.1} ms");
    }
    println!(
        "import of a {pages}-page .docx ({words} words, {:.0} KB): best {best:.1} ms of 5, {found} items read (goal: under 1 s)",
        size as f64 / 1024.0
    );
    let _ = std::fs::remove_dir_all(&dir);
}
