//! Linking results to the measures they report on. A result may point at a target of
//! any document, so this runs once every document is in the site; `Site::results` is
//! rebuilt in document order, so that an incremental rebuild numbers results as a full
//! one does.

use super::lower::{LoweredDoc, PendingResult};
use super::*;
use crate::diagnostics::{Diagnostics, Kind, closest};
use crate::load::SourceFile;
use crate::load::content::with_source_lines;

/// Link every document's results to the measures they report on, from scratch:
/// `Site::results` is rebuilt in document order, so an incremental rebuild gives the
/// same indices as a full one. `lowered` is (document index, its lowered file).
/// A lowered document held nowhere else (a one-shot build) loses its pending results once
/// linked, so the results are not held twice at the peak.
pub(crate) fn link_results(site: &mut Site, lowered: &mut [(usize, std::sync::Arc<LoweredDoc>)]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    site.results.clear();
    site.results.reserve_exact(lowered.iter().map(|(_, l)| l.results.len()).sum());
    for d in &mut site.documents {
        d.results.clear();
        for t in &mut d.targets {
            for m in &mut t.measures {
                m.results.clear();
            }
        }
    }
    for (doc, lowered) in lowered {
        let doc = *doc;
        let mut link_diags = Diagnostics::default();
        for r in &lowered.results {
            if let Some(rec) = link_result(site, &lowered.file, doc, r, &mut link_diags) {
                let ri = site.results.len();
                if let Some(t) = rec.target {
                    site.documents[t.doc()].targets[t.target()].measures[t.measure()].results.push(ri);
                }
                site.documents[doc].results.push(ri);
                site.results.push(rec);
            }
        }
        if !link_diags.is_empty() {
            diags.extend(with_source_lines(&lowered.file, link_diags));
        }
        if let Some(l) = std::sync::Arc::get_mut(lowered) {
            l.results = Vec::new();
        }
    }
    // Oldest first, ties in reading order: the status uses the last.
    let order: Vec<_> = site.results.iter().map(|r| (r.date().end(), r.date().precision)).collect();
    for d in &mut site.documents {
        for t in &mut d.targets {
            for m in &mut t.measures {
                if m.results.len() > 1 {
                    m.results.sort_by_key(|&r| (order[r], r));
                }
            }
        }
    }
    diags
}

/// Link a checked result to the measure it reports on.
pub(crate) fn link_result(
    site: &Site,
    file: &SourceFile,
    doc: usize,
    p: &PendingResult,
    diags: &mut Diagnostics,
) -> Option<ResultRecord> {
    let target = p.target.as_ref().and_then(|t| {
        let text = t.value.as_text();
        let (doc_idx, id) = match text.split_once('#') {
            Some((path, id)) => {
                let path = path.trim_matches('/').trim_end_matches(".md");
                match site.doc_by_path.get(path) {
                    Some(&d) => (d, id.to_string()),
                    // That file's own error is the one to fix.
                    None if site.unread.contains(path) => return None,
                    None if site.drafts.contains(path) => {
                        diags.push(
                            file.diag(&t.referenced, format!("`{path}` is a draft (`draft: true`), so it is not published"))
                                .kind(Kind::Link)
                                .hint("a published result cannot point at a draft: publish that document (remove `draft: true`), or make this one a draft too"),
                        );
                        return None;
                    }
                    None => {
                        // Never suggest the document the reference is written in.
                        let own = file.content_path.as_str();
                        let hint =
                            match closest(path, site.doc_by_path.keys().map(|k| k.as_str()).filter(|k| *k != own)) {
                                Some(c) => {
                                    format!("did you mean `{c}#{id}`? The path is inside content/, without `.md`")
                                }
                                None => {
                                    "write `path/of/document#target-id`, the path inside content/ without `.md`".into()
                                }
                            };
                        diags.push(file.diag(&t.referenced, format!("no document `{path}`")).kind(Kind::Link).hint(hint));
                        return None;
                    }
                }
            }
            None => (doc, text.clone()),
        };
        let targets = &site.documents.get(doc_idx)?.targets;
        let Some(ti) = targets.iter().position(|x| *x.id == *id) else {
            let hint = match closest(&id, targets.iter().map(|x| &*x.id)) {
                Some(c) => format!("did you mean `{c}`?"),
                None if targets.is_empty() => {
                    "that document has no targets: link the result to the document that sets the target, e.g. `path/of/resolution#1.1`".into()
                }
                None => format!(
                    "that document's target ids are: {}",
                    targets.iter().map(|x| &*x.id).collect::<Vec<_>>().join(", ")
                ),
            };
            diags.push(
                file.diag(&t.referenced, format!("no target `{id}` in {}", site.documents[doc_idx].path))
                    .kind(Kind::Link)
                    .hint(hint),
            );
            return None;
        };
        let mi = match p.measure {
            None => 0,
            Some((n, _)) if n >= 1.0 && (n as usize) <= targets[ti].measures.len() && n.fract() == 0.0 => {
                n as usize - 1
            }
            Some((_, at)) => {
                diags.push(
                    file.diag(&at, format!("target `{id}` has {} measure(s)", targets[ti].measures.len()))
                        .kind(Kind::Link)
                        .hint("`measure:` counts the target's measures from 1"),
                );
                return None;
            }
        };
        // The status compares the figure with the measure's level as it is, except a
        // count with `of` for a measure in `%` (`compute::status::comparable`): any
        // other unit would compare different things (3,07 hộ with "dưới 0,5%").
        let m = &targets[ti].measures[mi];
        if let (Some(ru), Some(mu), Some(_)) = (p.record.unit.as_deref(), m.unit.as_deref(), p.record.value) {
            let (ru, mu) = (ru.trim(), mu.trim());
            let converted = mu == "%" && p.record.of.is_some();
            if ru.to_lowercase() != mu.to_lowercase() && !converted {
                let hint = if mu == "%" {
                    "give the figure in `%`, as the target does; or, for a count, write how many there are in all with `of:` (e.g. `value: 3`, `of: 120`), which makes it a percentage".to_string()
                } else {
                    format!("give the figure in `{mu}`, as the target does, and write `unit: {mu}` (or leave `unit` out)")
                };
                diags.push(
                    file.diag(
                        &p.unit_at.unwrap_or(t.referenced),
                        format!("the result's unit `{ru}` is not the measure's `{mu}`, so the two cannot be compared"),
                    )
                    .kind(Kind::Value)
                    .hint(hint),
                );
                return None;
            }
        }
        Some(MeasureRef::new(doc_idx, ti, mi))
    });
    if p.target.is_some() && target.is_none() {
        return None;
    }
    let mut rec = p.record.clone();
    rec.doc = doc;
    rec.target = target;
    if rec.indicator_id.is_none() {
        rec.indicator_id = target.and_then(|t| site.measure(t).indicator_id);
    }
    Some(rec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::fixture::{Fixture, VOCAB, doc, located, problem, unit};

    /// The resolution `u/nq`: target `1.1` (two measures, in %, on `ho-ngheo`) and `1.2`.
    const NQ: &str = "title: Nghị quyết\nkind: resolution\nissued: 2020-07-15\nterm: 2020-2025\ntargets:\n  - id: \"1.1\"\n    text: Giảm hộ nghèo.\n    indicator: ho-ngheo\n    measures:\n      - op: \"<\"\n        value: \"0,5\"\n        unit: \"%\"\n      - op: \"<\"\n        value: \"0,3\"\n        unit: \"%\"\n  - id: \"1.2\"\n    text: Xây chợ.\n";

    /// A report `u/bc` whose `results:` are `results`, beside `u/nq`.
    fn site(results: &str) -> Result<Site, Diagnostics> {
        let bc = format!("title: Báo cáo\nkind: review\nissued: 2023-01-10\nresults:\n{results}");
        let f = Fixture::new(&[
            ("indicators.yaml", VOCAB),
            ("u/_index.md", &unit("Phường 1", "phường")),
            ("u/nq.md", &doc(NQ)),
            ("u/bc.md", &doc(&bc)),
        ]);
        crate::model::assemble::build(f.read()).map(|(site, _warnings)| site)
    }

    #[test]
    fn results_reach_their_measures_oldest_first() {
        let s = site(
            "  - target: u/nq#1.1\n    value: \"0,4\"\n    unit: \"%\"\n    as_of: 2022\n    quote: Q1\n\
             \x20 - target: \"u/nq#1.1\"\n    measure: 2\n    value: \"0,2\"\n    as_of: 2021\n    quote: Q2\n\
             \x20 - target: /u/nq.md#1.1\n    value: \"0,6\"\n    as_of: 2021-06\n    quote: Q3\n\
             \x20 - label: Không gắn chỉ tiêu\n    value: 3\n    as_of: 2022\n    quote: Q4\n",
        )
        .unwrap();
        let (nq, bc) = (s.doc_by_path["u/nq"], s.doc_by_path["u/bc"]);
        // Numbered in document order, each with its measure.
        assert_eq!(s.documents[bc].results, [0, 1, 2, 3]);
        let at = |r: usize| s.results[r].target;
        assert_eq!(
            [at(0), at(1), at(2), at(3)],
            [Some(MeasureRef::new(nq, 0, 0)), Some(MeasureRef::new(nq, 0, 1)), Some(MeasureRef::new(nq, 0, 0)), None]
        );
        // A result without an indicator of its own reports on its measure's.
        assert_eq!(s.results[0].indicator_id, Some(1));
        // The first measure's results, oldest first: 2021-06, then 2022.
        assert_eq!(s.documents[nq].targets[0].measures[0].results, [2, 0]);
        assert_eq!(s.documents[nq].targets[0].measures[1].results, [1]);
    }

    #[test]
    fn a_result_in_the_document_of_its_target_names_the_id_alone() {
        let nq = format!(
            "{NQ}results:\n  - target: \"1.2\"\n    verdict: done\n    as_of: 2024\n    quote: Đã xây xong chợ.\n"
        );
        let f = Fixture::new(&[
            ("indicators.yaml", VOCAB),
            ("u/_index.md", &unit("Phường 1", "phường")),
            ("u/nq.md", &doc(&nq)),
        ]);
        let (s, _warnings) = crate::model::assemble::build(f.read()).unwrap();
        assert_eq!(s.results[0].target, Some(MeasureRef::new(0, 1, 0)));
        assert_eq!(s.documents[0].targets[1].measures[0].results, [0]);
    }

    #[test]
    fn an_unknown_target_or_document_is_reported_where_it_is_written() {
        let diags = site(
            "  - target: u/nq#1.3\n    value: 1\n    as_of: 2022\n    quote: Q\n\
             \x20 - target: u/nqq#1.1\n    value: 1\n    as_of: 2022\n    quote: Q\n",
        )
        .unwrap_err();
        let d = problem(&diags, "no target");
        assert_eq!(located(d), ("content/u/bc.md".into(), 6, 13, "no target `1.3` in u/nq"));
        assert!(d.hint.as_deref().unwrap().starts_with("did you mean `1."), "{d:?}");
        // The file's text was dropped after reading: the snippet is read again.
        assert_eq!(d.source_line.as_deref(), Some("  - target: u/nq#1.3"));
        let d = problem(&diags, "no document");
        assert_eq!(located(d), ("content/u/bc.md".into(), 10, 13, "no document `u/nqq`"));
        assert_eq!(d.hint.as_deref(), Some("did you mean `u/nq#1.1`? The path is inside content/, without `.md`"));
    }

    #[test]
    fn a_measure_out_of_range_or_a_unit_that_differs_is_reported() {
        let diags = site(
            "  - target: u/nq#1.1\n    measure: 3\n    value: 1\n    as_of: 2022\n    quote: Q\n\
             \x20 - target: u/nq#1.1\n    value: 12\n    unit: hộ\n    as_of: 2022\n    quote: Q\n",
        )
        .unwrap_err();
        let msgs: Vec<_> = diags.0.iter().map(located).collect();
        assert_eq!(
            msgs,
            [
                ("content/u/bc.md".into(), 7, 14, "target `1.1` has 2 measure(s)"),
                (
                    "content/u/bc.md".into(),
                    13,
                    11,
                    "the result's unit `hộ` is not the measure's `%`, so the two cannot be compared"
                ),
            ]
        );
    }

    #[test]
    fn a_result_on_a_draft_or_on_a_file_that_does_not_parse() {
        let result = "  - target: u/nq#1.1\n    value: 1\n    as_of: 2022\n    quote: Q\n";
        let bc = doc(&format!("title: Báo cáo\nkind: review\nissued: 2023\nresults:\n{result}"));
        let draft = doc(&format!("{NQ}draft: true\n"));
        let f = Fixture::new(&[
            ("indicators.yaml", VOCAB),
            ("u/_index.md", &unit("Phường 1", "phường")),
            ("u/nq.md", &draft),
            ("u/bc.md", &bc),
        ]);
        let diags = crate::model::assemble::build(f.read()).unwrap_err();
        assert_eq!(located(&diags.0[0]).3, "`u/nq` is a draft (`draft: true`), so it is not published");
        // A target in a file that does not parse: that file's error alone.
        let f = Fixture::new(&[
            ("indicators.yaml", VOCAB),
            ("u/_index.md", &unit("Phường 1", "phường")),
            ("u/nq.md", "---\ntitle: [\n---\n"),
            ("u/bc.md", &bc),
        ]);
        let diags = crate::model::assemble::build(f.read()).unwrap_err();
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags.0[0].file, std::path::Path::new("content/u/nq.md"));
    }
}
