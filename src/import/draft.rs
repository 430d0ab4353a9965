//! The draft document: front matter in the content format (docs/content-format.md),
//! `draft: true`, with a `# review:` comment above each item whose reading a person
//! should confirm, and the document's text as the Markdown body. Written by hand, not
//! through a YAML serialiser, so that the comments stand where the officer looks.

use super::Extracted;
use super::structure::{ItemKind, Para};
use super::vocab::Vocabulary;
use crate::vi::slug::{fold, slugify};
use std::fmt::Write as _;
use std::path::Path;

/// A YAML string, double-quoted: every value the document gives is written this way, so
/// that no text can end the string or start a key.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as the content format reads it back ("0,5", "1.300").
fn n(v: f64) -> String {
    q(&crate::vi::number::format_auto(v))
}

/// The file name of the draft in its unit's folder.
pub fn file_name(x: &Extracted, source: &Path) -> String {
    let m = &x.meta;
    let base = match (m.kind, &m.congress, &m.number) {
        (Some("resolution"), Some(c), _) => format!("nghi-quyet-dai-hoi-{}", c.to_lowercase()),
        (Some(k), _, Some(num)) => format!("{}-{}", kind_slug(k), slugify(num.split('-').next().unwrap_or(num))),
        _ => m
            .title
            .as_deref()
            .map(|t| slugify(&t.split_whitespace().take(8).collect::<Vec<_>>().join(" ")))
            .unwrap_or_default(),
    };
    let base = if base.is_empty() {
        slugify(&source.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default())
    } else {
        base
    };
    format!("{}.md", if base.is_empty() { "van-ban".to_string() } else { base })
}

fn kind_slug(k: &str) -> &'static str {
    match k {
        "resolution" => "nghi-quyet",
        "action-program" => "chuong-trinh-hanh-dong",
        "review" => "bao-cao",
        "conclusion" => "ket-luan",
        _ => "van-ban",
    }
}

/// The clause of `text` around byte `at`: what a measure's own indicator is read from.
fn clause_at(text: &str, at: usize) -> &str {
    // A table row's figure is read from its target cell, not from `text`.
    if at >= text.len() || !text.is_char_boundary(at) {
        return text;
    }
    let start = text[..at.min(text.len())].rfind([';', '.']).map(|i| i + 1).unwrap_or(0);
    let end = text[at.min(text.len())..].find(';').map(|i| i + at).unwrap_or(text.len());
    &text[start..end]
}

/// The draft's text, and the notes to review (source line, what).
pub fn write(
    x: &Extracted,
    source: &Path,
    vocabulary: &Vocabulary,
    known: &super::Known,
    original: Option<&str>,
) -> (String, Vec<(usize, String)>) {
    let m = &x.meta;
    let mut notes: Vec<(usize, String)> = Vec::new();
    let mut s = String::from("---\n");
    let _ = writeln!(
        s,
        "# Drafted by `minhbach import` from {}.",
        source.file_name().map(|f| f.to_string_lossy()).unwrap_or_default()
    );
    let _ = writeln!(s, "# Check every `# review:` note against the original, then remove `draft: true`.");
    let title = m
        .title
        .clone()
        .unwrap_or_else(|| source.file_stem().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default());
    let _ = writeln!(s, "title: {}", q(&title));
    match m.kind {
        Some(k) => {
            let _ = writeln!(s, "kind: {k}");
        }
        None => {
            let _ = writeln!(
                s,
                "# review: the header names no kind of document (nghị quyết, chương trình hành động, báo cáo, kết luận)"
            );
            let _ = writeln!(s, "kind: other");
            notes.push((1, "the kind of document was not found in its header: `kind: other` written".into()));
        }
    }
    if let Some(num) = &m.number {
        let _ = writeln!(s, "number: {}", q(num));
    }
    match m.issued {
        Some((y, mo, d)) if jiff::civil::Date::new(y as i16, mo as i8, d as i8).is_ok() => {
            let _ = writeln!(s, "issued: {y:04}-{mo:02}-{d:02}");
        }
        _ => {
            let _ = writeln!(s, "# review: no date \"…, ngày … tháng … năm …\" was found: write `issued:`");
            notes.push((1, "no date of issue found: write `issued:`".into()));
        }
    }
    for (key, v) in [("place", &m.place), ("issuer", &m.issuer), ("signer", &m.signer), ("signer_role", &m.signer_role)]
    {
        if let Some(v) = v {
            let _ = writeln!(s, "{key}: {}", q(v));
        }
    }
    if let Some((a, b)) = m.term {
        let _ = writeln!(s, "term: {a}-{b}");
    }
    if let Some(c) = &m.congress {
        let _ = writeln!(s, "congress: {}", q(c));
    }
    let _ = writeln!(
        s,
        "source: {}",
        q(&format!(
            "{} (bản gốc do đơn vị cung cấp)",
            source.file_name().map(|f| f.to_string_lossy()).unwrap_or_default()
        ))
    );
    if let Some(o) = original {
        let _ = writeln!(s, "original: {}", q(o));
    }
    if !m.recipients.is_empty() {
        let _ = writeln!(s, "recipients:");
        for r in &m.recipients {
            let _ = writeln!(s, "  - {}", q(r));
        }
    }
    let _ = writeln!(s, "draft: true");
    if !x.groups.is_empty() {
        let _ = writeln!(s, "groups:");
        for g in &x.groups {
            let found = x.items.iter().filter(|i| i.group.as_deref() == Some(g.id.as_str())).count();
            let _ = writeln!(s, "  - id: {}", q(&g.id));
            let _ = writeln!(s, "    name: {}", q(&g.name));
            match g.count {
                Some(c) if c as usize == found => {
                    let _ = writeln!(s, "    count: {c}");
                }
                Some(c) => {
                    let _ = writeln!(
                        s,
                        "    # review: the heading says {c}, {found} items were found under it (line {})",
                        g.line
                    );
                    notes.push((g.line, format!("group {}: the heading counts {c}, {found} items were found", g.id)));
                }
                None => {}
            }
            let field = match g.kind {
                ItemKind::Target => vocabulary.field_of(&g.name),
                _ => vocabulary.field_of("công trình chương trình trọng điểm"),
            };
            if let Some(f) = field {
                let _ = writeln!(s, "    field: {f}");
            }
        }
    }
    if !x.items.is_empty() {
        let _ = writeln!(s, "targets:");
    } else {
        let _ = writeln!(s, "# review: no list of targets was found (a heading such as \"Các chỉ tiêu chủ yếu\")");
    }
    for item in &x.items {
        for r in &item.review {
            let _ = writeln!(s, "  # review (line {}): {r}", item.line);
            notes.push((item.line, format!("{}: {r}", item.id)));
        }
        let _ = writeln!(s, "  - id: {}", q(&item.id));
        if let Some(p) = item.page.filter(|_| original.is_some()) {
            let _ = writeln!(s, "    page: {p}");
        }
        if let Some(g) = &item.group {
            let _ = writeln!(s, "    group: {}", q(g));
        }
        match item.kind {
            ItemKind::Work => s.push_str("    type: work\n"),
            ItemKind::Program => s.push_str("    type: program\n"),
            ItemKind::Target => {}
        }
        let _ = writeln!(s, "    text: {}", q(&item.text));
        let target_indicator = x.indicators.get(&item.id).filter(|k| vocabulary.has(k));
        if let Some(k) = target_indicator {
            let _ = writeln!(s, "    indicator: {k}");
        }
        if item.measures.is_empty() {
            continue;
        }
        let _ = writeln!(s, "    measures:");
        for me in &item.measures {
            let own =
                vocabulary.suggest(clause_at(&item.text, me.at)).filter(|k| Some(&k.to_string()) != target_indicator);
            let mut first = true;
            let mut line = |s: &mut String, text: String| {
                let _ = writeln!(s, "      {}{text}", if first { "- " } else { "  " });
                first = false;
            };
            if let Some(k) = own {
                line(&mut s, format!("indicator: {k}"));
            }
            line(&mut s, format!("op: {}", q(me.op)));
            match me.max {
                Some(max) => {
                    line(&mut s, format!("min: {}", n(me.value)));
                    line(&mut s, format!("max: {}", n(max)));
                }
                None => line(&mut s, format!("value: {}", n(me.value))),
            }
            if !me.unit.is_empty() {
                line(&mut s, format!("unit: {}", q(&me.unit)));
            }
            if me.per_year {
                line(&mut s, "per: year".into());
            }
            if let Some(d) = me.deadline {
                line(&mut s, format!("deadline: {d}"));
            }
            if let Some(r) = me.relation {
                line(&mut s, format!("relation: {r}"));
                if let Some(b) = &me.baseline {
                    line(&mut s, format!("baseline: {}", q(b)));
                }
            }
        }
    }
    match (x.results.is_empty(), m.issued) {
        (true, _) => {}
        (false, None) => {
            let _ = writeln!(
                s,
                "# review: {} results were found, but not written: a result needs the report's date (`issued`)",
                x.results.len()
            );
        }
        (false, Some((y, mo, d))) => {
            let _ = writeln!(s, "results:");
            for r in &x.results {
                let _ = writeln!(s, "  # line {} of the original", r.line);
                let mut first = true;
                let mut line = |s: &mut String, text: String| {
                    let _ = writeln!(s, "  {}{text}", if first { "- " } else { "  " });
                    first = false;
                };
                // Its indicator from the words before the figure first, then the sentence.
                let k = vocabulary.suggest(&r.label).or_else(|| vocabulary.suggest(&r.quote));
                match k.map(|k| (k, known.get(k).map(Vec::as_slice).unwrap_or_default())) {
                    // The unit set one target for it: the result reports on that target.
                    Some((_, [(target, m)])) => {
                        line(&mut s, format!("target: {}", q(target)));
                        if *m > 1 {
                            line(&mut s, format!("measure: {m}"));
                        }
                    }
                    Some((k, _)) => line(&mut s, format!("indicator: {k}")),
                    None => {
                        notes
                            .push((r.line, "a result matching no indicator: give it `indicator:` or `target:`".into()));
                    }
                }
                let label =
                    if r.label.is_empty() { r.quote.chars().take(60).collect::<String>() } else { r.label.clone() };
                line(&mut s, format!("label: {}", q(&label)));
                if let Some(v) = r.value {
                    line(&mut s, format!("value: {}", n(v)));
                }
                if let Some(o) = r.of {
                    line(&mut s, format!("of: {}", n(o)));
                }
                if let Some(u) = &r.unit {
                    // A count out of a total is turned into a share only with `%`.
                    if r.of.is_none() || u == "%" {
                        line(&mut s, format!("unit: {}", q(u)));
                    }
                }
                line(&mut s, format!("as_of: {y:04}-{mo:02}-{d:02}"));
                if let Some(c) = r.covers {
                    line(&mut s, format!("covers: {c}"));
                }
                if let Some(sh) = r.share_of_target {
                    line(&mut s, format!("share_of_target: {}", n(sh)));
                }
                if let Some(v) = r.verdict {
                    line(&mut s, format!("verdict: {v}"));
                }
                line(&mut s, format!("quote: {}", q(&r.quote)));
                if let Some(p) = r.page.filter(|_| original.is_some()) {
                    line(&mut s, format!("page: {p}"));
                }
            }
        }
    }
    s.push_str("---\n");
    s.push_str(&body(&x.paras));
    notes.sort();
    (s, notes)
}

/// The document's text as Markdown: a paragraph per paragraph, headings (roman
/// numerals, lines in capitals) as `##`, list items kept as lists.
fn body(paras: &[Para]) -> String {
    let mut out = String::new();
    for p in paras {
        let t = p.text.trim();
        let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
        let caps = letters.len() > 3 && letters.iter().all(|c| !c.is_lowercase());
        let roman = t.split_whitespace().next().is_some_and(|w| {
            let w = w.trim_end_matches(['.', '-', '–']);
            !w.is_empty() && w.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
        });
        let line = if (caps || roman) && t.chars().count() < 140 {
            format!("## {t}")
        } else if t.starts_with(['-', '+', '•']) {
            format!("- {}", t.trim_start_matches(['-', '+', '•']).trim())
        } else {
            // A number at the start of a line would make Markdown renumber the list.
            escape_list_number(t)
        };
        out.push_str(&line);
        out.push_str("\n\n");
    }
    let _ = fold("");
    out
}

/// "1. Thu …" stays "1. Thu …" in the text, not a list Markdown renumbers from 1.
fn escape_list_number(t: &str) -> String {
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && t[digits..].starts_with(". ") {
        format!("{}\\{}", &t[..digits], &t[digits..])
    } else {
        t.to_string()
    }
}
