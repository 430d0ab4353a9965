//! What each fuzz target asserts, shared by the targets (fuzz_targets/*.rs, nightly,
//! libFuzzer) and by `tests/fuzz_regressions.rs`, which replays every input saved under
//! fuzz/regressions/ on stable in `cargo test`. A failed assertion panics: libFuzzer
//! saves the input as a crash.
#![allow(dead_code)]

use minhbach::load::{frontmatter, quick, schema};
use minhbach::vi;

/// How a check is run: by a fuzz target or by the replay test. Every hole fuzzing found
/// is fixed, so both assert everything; a new hole found while its fix is under way may
/// be skipped under `Fuzzing` (marked KNOWN, with its regression saved), never in `Replay`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Fuzzing,
    Replay,
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Front matter splitting and normalising: no panic; the NFC fast check agrees with the
/// full one; a split gives slices of the text that put it back together, with the
/// closing line the first `---` after the opening one.
pub fn frontmatter(data: &[u8], _mode: Mode) {
    let Some(raw) = text(data) else { return };
    use unicode_normalization::UnicodeNormalization;
    let nfc: String = raw.nfc().collect();
    if vi::is_nfc(raw) {
        assert_eq!(nfc, raw, "is_nfc said composed, NFC changes it");
    }
    let t = frontmatter::normalise(raw.to_string());
    assert!(!t.starts_with("\u{feff}") || raw.starts_with("\u{feff}\u{feff}"), "a BOM is left");
    assert!(t.nfc().eq(t.chars()), "normalised text is not NFC: {t:?}");
    assert_eq!(t.matches('\n').count(), raw.matches('\n').count(), "line numbers moved");
    let Ok(s) = frontmatter::split(&t) else { return };
    let first = t.split_inclusive('\n').next().unwrap();
    assert_eq!(first.trim_end(), "---");
    assert_eq!(s.yaml_line, 2);
    let start = first.len();
    assert_eq!(&t[start..start + s.yaml.len()], s.yaml, "the YAML is not what follows the first line");
    let rest = &t[start + s.yaml.len()..];
    let closing = rest.split_inclusive('\n').next().unwrap_or("");
    assert_eq!(closing.trim_end(), "---", "the YAML does not end at a `---` line");
    assert_eq!(&rest[closing.len()..], s.body, "the body is not what follows the closing line");
    assert!(s.yaml.split_inclusive('\n').all(|l| l.trim_end() != "---"), "the YAML holds a `---` line");
}

/// Whatever the quick reader accepts, serde-saphyr (the reference, as `load::read_entry`
/// calls it) reads the same: every value and location.
pub fn yaml_document(data: &[u8], _mode: Mode) {
    let Some(yaml) = text(data) else { return };
    if let Some(q) = quick::document(yaml) {
        match serde_saphyr::from_str::<schema::RawDocument>(yaml) {
            Ok(r) => assert!(q == r, "the quick reader differs from serde-saphyr:\n{q:#?}\n{r:#?}"),
            Err(e) => panic!("the quick reader accepted what serde-saphyr rejects ({e}):\n{q:#?}"),
        }
    }
}

pub fn yaml_unit(data: &[u8], _mode: Mode) {
    let Some(yaml) = text(data) else { return };
    if let Some(q) = quick::unit(yaml) {
        match serde_saphyr::from_str::<schema::RawUnit>(yaml) {
            Ok(r) => assert!(q == r, "the quick reader differs from serde-saphyr:\n{q:#?}\n{r:#?}"),
            Err(e) => panic!("the quick reader accepted what serde-saphyr rejects ({e}):\n{q:#?}"),
        }
    }
}

/// A well-formed Vietnamese number as formatted: `-`? digits grouped by `.` in threes,
/// `,` and decimals not ending in 0.
fn well_formed(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = s.split_once(',').map(|(a, b)| (a, Some(b))).unwrap_or((s, None));
    let groups: Vec<&str> = int.split('.').collect();
    let int_ok = !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3)
        && (groups[0] != "0" || groups.len() == 1)
        && (groups[0].len() == 1 || !groups[0].starts_with('0'));
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) && !f.ends_with('0'));
    int_ok && frac_ok
}

/// Vietnamese numbers: no panic; a parsed number is finite; formatted, it is well formed
/// and reads back as itself (to the two decimals `format_auto` rounds long ones to).
pub fn vi_number(data: &[u8], _mode: Mode) {
    let Some(t) = text(data) else { return };
    let _ = vi::number::has_scale_word(t);
    let _ = vi::number::looks_like_grouped_thousands(t);
    let Ok(p) = vi::number::parse(t) else { return };
    assert!(p.value.is_finite(), "{t:?} parses to {}", p.value);
    for s in [vi::number::format_auto(p.value), vi::number::format(p.value, 2)] {
        assert!(well_formed(&s), "{} is shown as {s:?}", p.value);
        let back = vi::number::parse(&s).unwrap_or_else(|e| panic!("{s:?} (from {t:?}) does not parse: {e:?}"));
        assert!(back.rest.is_empty(), "{s:?} leaves {:?}", back.rest);
        let tolerance = 0.005 + p.value.abs() * 1e-12;
        assert!((back.value - p.value).abs() <= tolerance, "{t:?} = {} is shown as {s:?} = {}", p.value, back.value);
    }
}

/// Dates: no panic; a date reads back from both its forms; the numbers written are the
/// date's (no silent wrap-around); start ≤ end.
pub fn vi_date(data: &[u8], _mode: Mode) {
    let Some(t) = text(data) else { return };
    let Ok(d) = vi::date::parse(t) else { return };
    assert!((1900..=2200).contains(&d.year), "{t:?}: year {}", d.year);
    assert!(d.start() <= d.end());
    assert_eq!(vi::date::parse(&d.iso()), Ok(d), "{t:?}: iso {}", d.iso());
    assert_eq!(vi::date::parse(&d.short()), Ok(d), "{t:?}: short {}", d.short());
    let nums: Vec<i64> = t.trim().split(['-', '/']).map(|p| p.parse().unwrap()).collect();
    let (y, m, day) = match (t.contains('/'), nums.as_slice()) {
        (true, [d, m, y]) => (*y, *m, *d),
        (true, [m, y]) => (*y, *m, 1),
        (false, [y, m, d]) => (*y, *m, *d),
        (false, [y, m]) => (*y, *m, 1),
        (_, [y]) => (*y, 1, 1),
        _ => unreachable!("{t:?} parsed"),
    };
    assert_eq!((i64::from(d.year), i64::from(d.month), i64::from(d.day)), (y, m, day), "{t:?} is read as {}", d.iso());
}

/// Slugs: only `[a-z0-9-]`, no dash at either end or twice in a row, and a slug is its
/// own slug. Vietnamese order (the same module family): a text equals itself, and two
/// texts compare opposite ways round.
pub fn vi_slug(data: &[u8], _mode: Mode) {
    let Some(t) = text(data) else { return };
    let s = vi::slug::slugify(t);
    assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{t:?} → {s:?}");
    assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"), "{t:?} → {s:?}");
    assert_eq!(vi::slug::slugify(&s), s, "{t:?} → {s:?}");
    let _ = vi::slug::fold(t);
    let mid = t.char_indices().nth(t.chars().count() / 2).map(|(i, _)| i).unwrap_or(0);
    let (a, b) = t.split_at(mid);
    use std::cmp::Ordering;
    assert_eq!(vi::collate::compare(a, a), Ordering::Equal);
    assert_eq!(vi::collate::compare(a, b), vi::collate::compare(b, a).reverse(), "{a:?} {b:?}");
}

/// Decode the character references of an attribute value as a browser does (enough
/// for what pulldown-cmark writes: named `&amp; &lt; &gt; &quot; &#39;` and numeric).
fn decode(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e < 12);
        let entity = end.map(|e| &rest[1..e]);
        let c = match entity {
            Some("amp") => Some('&'),
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("quot") => Some('"'),
            Some("colon") => Some(':'),
            Some("Tab") => Some('\t'),
            Some("NewLine") => Some('\n'),
            Some(e) if e.starts_with("#x") || e.starts_with("#X") => {
                u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32)
            }
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (c, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The scheme a browser sees in a URL attribute: tabs and newlines removed anywhere,
/// leading spaces and control characters dropped, lower case.
fn scheme(url: &str) -> Option<String> {
    let u: String = decode(url).chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let u = u.trim_start_matches(|c: char| c <= ' ');
    let colon = u.find(':')?;
    let s = &u[..colon];
    (!s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))).then(|| s.to_lowercase())
}

/// The tags pulldown-cmark writes for Markdown: any other means raw HTML got through.
const TAGS: &[&str] = &[
    "a",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
    "img",
    "sup",
    "div",
    "input",
    "span",
    "section",
];

/// One tag of the HTML: name, attributes (name, raw value), whether it closes.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        i += 1;
        if i < b.len() && b[i] == b'/' {
            i += 1;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric()) {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i] as char).is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' || b[i] == b'/' {
                break;
            }
            let a = i;
            while i < b.len() && !b" \t\n\r=>/".contains(&b[i]) {
                i += 1;
            }
            let aname = html[a..i].to_ascii_lowercase();
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    i += 1;
                    let v = i;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    value = html[v..i.min(b.len())].to_string();
                    i += 1;
                } else {
                    let v = i;
                    while i < b.len() && !b" \t\n\r>".contains(&b[i]) {
                        i += 1;
                    }
                    value = html[v..i].to_string();
                }
            }
            if aname.is_empty() {
                i += 1;
                continue;
            }
            attrs.push((aname, value));
        }
        while i < b.len() && b[i] != b'>' {
            i += 1;
        }
        out.push((name, attrs));
    }
    out
}

/// Markdown with `allow_html = false`: the HTML has only Markdown's own tags (no raw
/// HTML, so no `<script`), no event-handler attribute (`on…=`), and no `href`/`src`
/// with a `javascript:`, `vbscript:` or `data:` URL.
pub fn markdown(data: &[u8], _mode: Mode) {
    let Some(md) = text(data) else { return };
    let html = minhbach::render::markdown::to_html(md, false);
    assert!(!html.to_ascii_lowercase().contains("<script"), "a script tag:\n{html}");
    for (name, attrs) in tags(&html) {
        assert!(TAGS.contains(&name.as_str()), "a <{name}> tag from raw HTML:\n{html}");
        for (a, v) in &attrs {
            assert!(!a.starts_with("on"), "an event handler {a}={v:?} on <{name}>:\n{html}");
            if matches!(a.as_str(), "href" | "src" | "action" | "formaction" | "poster" | "xlink:href") {
                let s = scheme(v);
                assert!(
                    !matches!(s.as_deref(), Some("javascript" | "vbscript" | "data")),
                    "a script URL {a}={v:?} on <{name}>:\n{html}"
                );
            }
        }
    }
}
