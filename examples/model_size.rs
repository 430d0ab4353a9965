//! What the model and the computed statuses hold, part by part, in bytes (struct sizes
//! plus owned heap, without allocator overhead): for deciding what to slim.
//! `cargo run --release --example model_size -- /dev/shm/site`.
use minhbach::model::{Document, Measure, ResultRecord, Target};
use std::mem::size_of;

fn s(x: &String) -> usize {
    x.capacity()
}

fn o(x: &Option<String>) -> usize {
    x.as_ref().map_or(0, String::capacity)
}

fn b(x: &Option<Box<str>>) -> usize {
    x.as_ref().map_or(0, |s| s.len())
}

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("a site folder"));
    let config = minhbach::site::load_config(&root, &Default::default()).unwrap();
    let content = minhbach::load::content::read(&root, &config.content_dir()).unwrap();
    let p = minhbach::site::prepare(config, content).unwrap();
    let site = &p.site;
    let mut parts: Vec<(&str, usize)> = Vec::new();
    let docs = &site.documents;
    parts.push(("Document structs", docs.capacity() * size_of::<Document>()));
    // Held by `serve`; `build` keeps where each body is (the path).
    let body = |b: &minhbach::model::Body| match b {
        minhbach::model::Body::Text(t) => t.capacity(),
        minhbach::model::Body::File(f) => f.abs.capacity(),
    };
    parts.push(("document bodies", docs.iter().map(|d| body(&d.body)).sum()));
    parts.push((
        "document other text",
        docs.iter()
            .map(|d| {
                s(&d.path)
                    + s(&d.url)
                    + s(&d.slug)
                    + s(&d.title)
                    + o(&d.number)
                    + o(&d.place)
                    + o(&d.issuer)
                    + o(&d.signer)
                    + o(&d.signer_role)
                    + o(&d.congress)
                    + o(&d.event)
                    + o(&d.covers)
                    + o(&d.source)
                    + o(&d.source_url)
                    + o(&d.summary)
                    + d.file.capacity()
                    + d.results.capacity() * 8
                    + d.groups.iter().map(|g| s(&g.id) + s(&g.name) + o(&g.field)).sum::<usize>()
                    + d.groups.capacity() * size_of::<minhbach::model::Group>()
            })
            .sum(),
    ));
    let targets = || docs.iter().flat_map(|d| &d.targets);
    parts.push(("Target structs", docs.iter().map(|d| d.targets.capacity() * size_of::<Target>()).sum()));
    parts.push(("target texts", targets().map(|t| t.text.len()).sum()));
    parts.push(("target ids, fields, notes", targets().map(|t| t.id.len() + b(&t.field) + b(&t.note)).sum()));
    parts.push(("Measure structs", targets().map(|t| t.measures.capacity() * size_of::<Measure>()).sum()));
    let measures = || targets().flat_map(|t| &t.measures);
    parts.push((
        "measure other text",
        measures()
            .map(|m| b(&m.label) + b(&m.unit) + m.baseline().map_or(0, str::len) + m.variant().map_or(0, str::len))
            .sum(),
    ));
    parts.push((
        "measure extras (ranges, baselines)",
        measures().filter(|m| m.extra.is_some()).count() * size_of::<minhbach::model::MeasureExtra>(),
    ));
    parts.push(("measure result lists", measures().map(|m| m.results.capacity() * 8).sum()));
    parts.push(("ResultRecord structs", site.results.capacity() * size_of::<ResultRecord>()));
    parts.push(("result text", site.results.iter().map(|r| s(&r.quote) + o(&r.note) + o(&r.label) + o(&r.unit)).sum()));
    let c = &p.computed;
    parts.push(("statuses and paces", c.documents.iter().map(|d| d.bytes()).sum()));
    let entry = size_of::<minhbach::compute::compare::ComparedMeasure>();
    parts.push((
        "comparison entries",
        c.comparisons.iter().flat_map(|c| &c.classes).map(|k| k.entries.capacity() * entry).sum(),
    ));
    let with_pace =
        site.documents
            .iter()
            .enumerate()
            .flat_map(|(d, doc)| {
                doc.targets.iter().enumerate().flat_map(move |(t, tt)| {
                    (0..tt.measures.len()).map(move |m| minhbach::model::MeasureRef::new(d, t, m))
                })
            })
            .filter(|&r| c.pace(r).is_some())
            .count();
    println!("measures with a pace: {with_pace}");
    let total: usize = parts.iter().map(|(_, b)| b).sum();
    println!(
        "{} documents, {} targets, {} measures, {} results; struct sizes: Document {}, Target {}, Measure {}, ResultRecord {}, Entry {entry}",
        docs.len(),
        targets().count(),
        measures().count(),
        site.results.len(),
        size_of::<Document>(),
        size_of::<Target>(),
        size_of::<Measure>(),
        size_of::<ResultRecord>()
    );
    for (what, b) in &parts {
        println!("{what:<28} {:>8.1} MB {:>5.1}%", *b as f64 / 1e6, *b as f64 * 100.0 / total as f64);
    }
    println!("{:<28} {:>8.1} MB", "total", total as f64 / 1e6);
}
