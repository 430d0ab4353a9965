//! Hostile content never reaches the public site live (issue 14).
//!
//! A site is generated from a list of payloads × the text fields of every kind of file
//! (minhbach.toml, units, documents with their groups, targets, measures and results,
//! indicators.yaml): ward `p<i>` and its document carry payload `i` in every field, the
//! vocabulary has a field and an indicator per payload, the site's title and
//! description hold them all. It is built, and every HTML, XML, CSV and JSON file of
//! the output is read for a live payload: a tag or attribute the same site with
//! harmless text does not have, an `on…` attribute, a link or source with a script
//! address, template syntax that was run, a CSV text cell a spreadsheet would run as a
//! formula, XML that does not parse. The same site with harmless text is the reference
//! for which tags a page has, so a payload that adds any element is found whatever it is.
//!
//! Text payloads must build (exit 0). Addresses in the URL fields (`website`,
//! `source_url`) and control characters may be refused as located errors instead: for
//! them the build either fails with exit 1 (no panic) or its output has nothing live.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Text a hostile or careless author could write anywhere.
const TEXT: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)' x='",
    "<svg/onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">bấm</a>",
    "<iframe src=\"vbscript:msgbox(1)\"></iframe>",
    "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
    "javascript:alert(1)",
    "]]></summary><script>alert(1)</script><summary>",
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp;",
    "{{ 7*7 }}",
    "{{ \"qq\" ~ \"jj\" }}",
    "{% raw %}",
    "{% for x in range(3) %}kw{% endfor %}",
    "{# hidden #}",
    "{unit} {date} {value}",
    "=HYPERLINK(\"http://x.example/\",\"Bấm\")",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
];

/// What running template syntax would print; must appear nowhere.
const RUN_MARKERS: &[&str] = &["qqjj", "kwkwkw"];

/// Addresses that must never become a link or a source.
const URLS: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "jav&#x61;script:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "\u{1}javascript:alert(1)",
];

/// Characters pasted from PDFs and terminals.
const CONTROL: &[&str] = &["Trích\u{c}dẫn", "a\u{1}b", "\u{1b}[31mđỏ\u{1b}[0m", "a\u{7f}b", "a\u{0}b", "a\u{b}b"];

/// Markdown that tries to smuggle attributes and addresses into tags; in every body.
fn body_attacks() -> String {
    let mut s = String::from(
        "## Kết quả {autofocus tabindex=1 onfocus=alert(1)}\n\n## Mục {#muc .lop onclick=alert(1)}\n\n\
         <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[r][ref] <javascript:alert(1)>\n\n\
         [ref]: JAVASCRIPT:alert(1)\n\n",
    );
    // Control characters are refused at load (tested below), so bodies carry the rest.
    for u in URLS.iter().filter(|u| !has_control(u)) {
        let u = u.replace('\n', "\t");
        s.push_str(&format!("[liên kết](<{u}>) ![ảnh](<{u}>)\n"));
    }
    s
}

fn has_control(u: &str) -> bool {
    u.chars().any(|c| c.is_control() && c != '\t' && c != '\n')
}

/// How many of the addresses go into bodies.
fn body_urls() -> usize {
    URLS.iter().filter(|u| !has_control(u)).count()
}

/// A value as a YAML (and TOML) double-quoted string: JSON's escapes are valid in both.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// How many text fields of each payload the site fills (see `write_site`): the site's
/// title and description; a field's name, an indicator's name, unit and description;
/// a unit's name, short name, code and body; a document's title, number, place, issuer,
/// signer, signer role, congress, event, covers, source, recipient, summary and body;
/// a group's name; a target's text and note; a measure's unit, label, baseline and
/// variant; a linked result's unit, note and quote; an unlinked one's label, note and quote.
const TEXT_FIELDS: usize = 2 + 4 + 4 + 13 + 1 + 2 + 4 + 3 + 3;

/// A site with payload `i` in every text field of ward `p<i>`, its document and its
/// vocabulary entries; `urls[i]`, if given, as the ward's website and document's source.
fn write_site(root: &Path, texts: &[String], urls: &[String]) {
    let all = texts.join(" | ");
    fs::write(
        root.join("minhbach.toml"),
        format!("title = {}\ndescription = {}\nbase_url = \"/\"\nstatus_date = \"2026-11-23\"\n", q(&all), q(&all)),
    )
    .unwrap();
    let content = root.join("content");
    fs::create_dir_all(content.join("thu")).unwrap();
    fs::write(content.join("thu/_index.md"), "---\nname: Tỉnh Thử\nlevel: tỉnh\n---\n").unwrap();
    let mut vocab = String::from("fields:\n");
    for (i, t) in texts.iter().enumerate() {
        vocab.push_str(&format!("  - key: f{i}\n    name: {}\n", q(t)));
    }
    vocab.push_str("indicators:\n");
    for (i, t) in texts.iter().enumerate() {
        vocab.push_str(&format!(
            "  - key: i{i}\n    name: {}\n    unit: {}\n    direction: higher\n    field: f{i}\n    description: {}\n",
            q(t),
            q(t),
            q(t)
        ));
    }
    fs::write(content.join("indicators.yaml"), vocab).unwrap();
    let n = texts.len().max(urls.len());
    for i in 0..n {
        let t = q(&texts[i % texts.len()]);
        // After a word, so the payload is inline text of a paragraph, as in a real body.
        let body = format!("Nội dung: {}\n\n{}", texts[i % texts.len()], body_attacks());
        let url = urls.get(i).map(|u| q(u)).unwrap_or_else(|| q("https://phuong.example.gov.vn/"));
        let ward = content.join(format!("thu/p{i}"));
        fs::create_dir_all(&ward).unwrap();
        fs::write(
            ward.join("_index.md"),
            format!("---\nname: {t}\nlevel: phường\nshort_name: {t}\ncode: {t}\nwebsite: {url}\n---\n{body}\n"),
        )
        .unwrap();
        let ind = i % texts.len();
        fs::write(
            ward.join("nq.md"),
            format!(
                "---\ntitle: {t}\nkind: resolution\nnumber: {t}\nissued: 2020-05-22\nplace: {t}\nissuer: {t}\n\
                 signer: {t}\nsigner_role: {t}\nterm: 2020-2025\ncongress: {t}\nevent: {t}\ncovers: {t}\n\
                 source: {t}\nsource_url: {url}\nrecipients: [{t}]\nsummary: {t}\n\
                 groups:\n  - id: \"1\"\n    name: {t}\n    field: f{ind}\n\
                 targets:\n  - id: \"1.1\"\n    group: \"1\"\n    text: {t}\n    note: {t}\n    indicator: i{ind}\n\
                 \x20   measures:\n      - op: \">=\"\n        value: 10\n        unit: {t}\n        label: {t}\n\
                 \x20       relation: increase\n        baseline: {t}\n        variant: {t}\n\
                 results:\n  - target: \"1.1\"\n    value: 12\n    unit: {t}\n    as_of: 2022-12-31\n\
                 \x20   note: {t}\n    quote: {t}\n\
                 \x20 - indicator: i{ind}\n    label: {t}\n    value: -5\n    as_of: 2023-06-30\n\
                 \x20   note: {t}\n    quote: {t}\n---\n{body}\n"
            ),
        )
        .unwrap();
    }
}

/// Build a generated site; returns the exit code, stderr and the output tree.
fn build(texts: &[String], urls: &[String]) -> (Option<i32>, String, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path(), texts, urls);
    let out = dir.path().join("public");
    let r = minhbach().args(["build", "--root"]).arg(dir.path()).arg("--output").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "build panicked:\n{stderr}");
    let files = if out.is_dir() { tree(&out) } else { BTreeMap::new() };
    (r.status.code(), stderr, files)
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Harmless text in the same shape: the reference for which elements a page has.
fn harmless(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("Chữ thường số {i}")).collect()
}

/// A tag of an HTML page: its name and attributes (values with references decoded).
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

/// The start tags of an HTML page, read the way a browser's tokenizer reads them
/// (comments skipped, script and style contents not read as tags).
fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = html[i..].find('<') {
        i += p + 1;
        if html[i..].starts_with("!--") {
            i += html[i..].find("-->").map(|e| e + 3).unwrap_or(html.len() - i);
            continue;
        }
        if html[i..].starts_with(['!', '?', '/']) {
            i += html[i..].find('>').unwrap_or(html.len() - i);
            continue;
        }
        let name_len = html[i..].bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'-').count();
        if name_len == 0 || !b[i].is_ascii_alphabetic() {
            continue; // a `<` that is text
        }
        let name = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
                i += 1;
            }
            let attr = html[start..i].to_ascii_lowercase();
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let quote = b[i] as char;
                    let end = html[i + 1..].find(quote).map(|e| i + 1 + e).unwrap_or(b.len());
                    value = html[i + 1..end].to_string();
                    i = (end + 1).min(b.len());
                } else {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = html[start..i].to_string();
                }
            }
            attrs.push((attr, decode(&value)));
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i += html[i..].to_ascii_lowercase().find(&close).unwrap_or(html.len() - i);
        }
        out.push(Tag { name, attrs });
    }
    out
}

/// Character references in an attribute value, as a browser decodes them.
fn decode(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest.find(';').filter(|&e| e < 12);
        let Some(end) = end else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "colon" => Some(':'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            n if n.starts_with("#x") || n.starts_with("#X") => {
                u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32)
            }
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether an address (decoded) would run script or show content of its own: its
/// scheme as a browser reads it is anything but http(s), mailto, tel or none.
fn live_url(url: &str) -> bool {
    let u: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    let Some((scheme, _)) = u.split_once(':') else { return false };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme && !matches!(scheme, "http" | "https" | "mailto" | "tel" | "urn")
}

const URL_ATTRS: &[&str] =
    &["href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset", "background"];

/// What is live in one HTML page.
fn live_in_html(path: &str, html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for t in tags(html) {
        for (a, v) in &t.attrs {
            if a.starts_with("on") {
                found.push(format!("{path}: <{} {a}=…>", t.name));
            }
            if URL_ATTRS.contains(&a.as_str()) && live_url(v) {
                found.push(format!("{path}: <{} {a}={v:?}>", t.name));
            }
            if a == "style" && (v.contains("javascript:") || v.contains("expression(")) {
                found.push(format!("{path}: <{} style={v:?}>", t.name));
            }
        }
    }
    found
}

/// How many of each element a page has.
fn element_counts(html: &str) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for t in tags(html) {
        *m.entry(t.name).or_default() += 1;
    }
    m
}

fn is_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err()
}

/// Everything live in a built site; `reference` (the same site with harmless text)
/// says which elements each page should have.
fn live(files: &BTreeMap<String, Vec<u8>>, reference: Option<&BTreeMap<String, Vec<u8>>>) -> Vec<String> {
    let mut found = Vec::new();
    // A ZIP's files are read as they are unpacked (`data/thu/csv.zip/thu-targets.csv`).
    let unpacked: BTreeMap<String, Vec<u8>> = files
        .iter()
        .flat_map(|(p, b)| match p.ends_with(".zip") {
            true => unzip(b).into_iter().map(|(n, b)| (format!("{p}/{n}"), b)).collect(),
            false => vec![(p.clone(), b.clone())],
        })
        .collect();
    for (path, bytes) in &unpacked {
        let text = String::from_utf8_lossy(bytes);
        for m in RUN_MARKERS {
            if text.contains(m) {
                found.push(format!("{path}: template syntax was run ({m})"));
            }
        }
        if path.ends_with(".html") {
            found.extend(live_in_html(path, &text));
            if let Some(r) = reference.and_then(|r| r.get(path)) {
                let (got, want) = (element_counts(&text), element_counts(&String::from_utf8_lossy(r)));
                if got != want {
                    let diff: Vec<_> = got.iter().filter(|(k, v)| want.get(*k) != Some(v)).collect();
                    found.push(format!("{path}: elements differ from the harmless site: {diff:?}"));
                }
            }
        } else if path.ends_with(".xml") {
            match roxmltree::Document::parse(&text) {
                Err(e) => found.push(format!("{path}: not well-formed XML: {e}")),
                Ok(doc) => {
                    for n in doc.descendants().filter(|n| n.is_element()) {
                        let name = n.tag_name().name();
                        if matches!(name, "script" | "img" | "svg" | "iframe" | "object" | "a") {
                            found.push(format!("{path}: element <{name}>"));
                        }
                        for a in n.attributes() {
                            if a.name().starts_with("on") || (a.name() == "href" && live_url(a.value())) {
                                found.push(format!("{path}: <{name} {}={:?}>", a.name(), a.value()));
                            }
                        }
                    }
                }
            }
        } else if path.ends_with(".csv") {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
            let header = r.headers().unwrap().clone();
            for rec in r.records() {
                let rec = rec.unwrap_or_else(|e| panic!("{path}: {e}"));
                for (col, cell) in header.iter().zip(rec.iter()) {
                    if is_formula(cell) {
                        found.push(format!("{path}: column {col} starts a formula: {cell:?}"));
                    }
                }
            }
        } else if path.ends_with(".json")
            && let Err(e) = serde_json::from_slice::<serde_json::Value>(bytes)
        {
            found.push(format!("{path}: not JSON: {e}"));
        }
    }
    found
}

fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

#[test]
fn hostile_text_in_every_field_builds_and_nothing_is_live() {
    let texts = strings(TEXT);
    let (code, stderr, files) = build(&texts, &[]);
    assert_eq!(code, Some(0), "text payloads must build:\n{stderr}");
    let (code, stderr, reference) = build(&harmless(texts.len()), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let found = live(&files, Some(&reference));
    assert!(found.is_empty(), "{} live payloads:\n{}", found.len(), found.join("\n"));
    eprintln!(
        "{} text payloads × {TEXT_FIELDS} fields = {}, and {} addresses × 4 places in bodies (a link and an image in \
         a unit's and a document's) = {}: 0 live",
        TEXT.len(),
        TEXT.len() * TEXT_FIELDS,
        body_urls(),
        body_urls() * 4
    );

    // The payloads reached the output (the test is not vacuous): the JSON files keep
    // each one as written, and it is on its ward's page as text.
    // (The province's JSON refers to units by path: their names are in units.json.)
    let mut all = Vec::new();
    for file in ["data/thu/data.json", "data/units.json"] {
        let json: serde_json::Value = serde_json::from_slice(&files[file]).unwrap();
        json_strings(&json, &mut all);
    }
    for (i, t) in TEXT.iter().map(|t| t.trim()).enumerate() {
        assert!(all.iter().any(|s| s == t), "payload {i} {t:?} not kept as written in the JSON files");
        let page = String::from_utf8_lossy(&files[&format!("thu/p{i}/index.html")]).into_owned();
        let shown = t
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;");
        assert!(page.contains(&shown), "payload {i} {t:?} not shown as text on its page");
    }
}

#[test]
fn csv_formula_cells_read_back_inert_and_numbers_stay_numbers() {
    let texts = strings(TEXT);
    let (code, stderr, files) = build(&texts, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    // As a user's script (or a spreadsheet's import) reads it.
    let zip = unzip(&files["data/thu/csv.zip"]);
    let bytes = &zip.iter().find(|(n, _)| n == "thu-results.csv").expect("the results' CSV in the ZIP").1;
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header = r.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (quote, value) = (col("quote"), col("value"));
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    for t in TEXT {
        // Text is read trimmed, as an author means it.
        let t = t.trim();
        let want = if t.starts_with(['=', '+', '-', '@', '\t']) { format!("'{t}") } else { t.to_string() };
        assert!(rows.iter().any(|row| row[quote] == want), "quote {t:?} should read {want:?}");
    }
    assert!(rows.iter().any(|row| &row[value] == "-5"), "a negative number stays a number");
    assert!(!rows.iter().any(|row| row[value].starts_with('\'')), "number cells are never changed");
}

#[test]
fn script_addresses_in_url_fields_are_refused_with_a_located_error() {
    let urls = strings(URLS);
    let (code, stderr, files) = build(&harmless(1), &urls);
    assert_eq!(code, Some(1), "every script address in a URL field is refused:\n{stderr}");
    // One located error per address and field (website, source_url), none published.
    let located = stderr.matches("\n  --> content/").count() + stderr.matches("\n --> content/").count();
    assert!(located >= URLS.len() * 2, "{located} located errors for {} addresses × 2 fields:\n{stderr}", URLS.len());
    assert!(files.is_empty() || live(&files, None).is_empty());
    eprintln!(
        "{} addresses × 2 URL fields (website, source_url): {located} located errors, nothing written",
        URLS.len()
    );
}

#[test]
fn control_characters_are_refused_with_a_located_error() {
    // One build per character, so one refused does not hide what another does.
    for c in CONTROL {
        let (code, stderr, _) = build(&[c.to_string()], &[]);
        assert_eq!(code, Some(1), "{c:?} is refused at load:\n{stderr}");
        assert!(stderr.contains("control character") && stderr.contains("-->"), "{c:?}: a located error:\n{stderr}");
        eprintln!("control character payload {c:?} × {TEXT_FIELDS} fields: refused with a located error");
    }
}

/// The scanner itself finds each kind of live payload (so a pass above means something).
#[test]
fn the_scanner_finds_live_payloads() {
    let page = |s: &str| BTreeMap::from([("a/index.html".to_string(), s.as_bytes().to_vec())]);
    let safe = "<p class=\"x\">&lt;script&gt; {{ 7*7 }} <a href=\"/a/#b\">x</a> <a href=\"https://x.vn\">y</a></p>";
    assert!(live(&page(safe), Some(&page(safe))).is_empty(), "{:?}", live(&page(safe), None));
    for bad in [
        "<p>x<script>alert(1)</script></p>",
        "<p onclick=alert(1)>x</p>",
        "<h3 id=\"a\" ONFOCUS='x'>x</h3>",
        "<a href=\"jav&#x61;script:alert(1)\">x</a>",
        "<a href=\"&#106;avascript&colon;alert(1)\">x</a>",
        "<a href=\" java&Tab;script:alert(1)\">x</a>",
        "<img src=data:image/svg+xml,x>",
        "<p>qqjj</p>",
    ] {
        let with = format!("<p class=\"x\">{bad}</p>");
        assert!(!live(&page(&with), Some(&page(safe))).is_empty(), "not found: {bad}");
    }
    let csv = BTreeMap::from([("d.csv".to_string(), b"\xEF\xBB\xBFa,b\n-5,=1+1\n".to_vec())]);
    assert_eq!(live(&csv, None).len(), 1, "the formula cell, not the number");
    let xml = BTreeMap::from([("f.xml".to_string(), b"<feed><title>a\x0cb</title></feed>".to_vec())]);
    assert_eq!(live(&xml, None).len(), 1, "malformed XML");
}
