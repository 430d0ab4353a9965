//! The text of a document as a ward office has it: a Word file (.docx), a PDF with a
//! text layer (or, with `--ocr`, a scan read by tesseract), a page of the ward's web
//! portal (.html), or text pasted from any of these (.txt, .md). Each gives lines of
//! text, each with the page of the original it stands on where the format has pages
//! (the PDF's pages, Word's page breaks), so that a draft can cite `page:`.

use std::path::Path;

/// One line of the document's text, as read, and its page in the original (from 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub page: Option<u32>,
}

/// Why a file could not be read, in words for the terminal.
#[derive(Debug)]
pub struct ReadError {
    pub message: String,
    pub hint: String,
}

fn error(message: impl Into<String>, hint: impl Into<String>) -> ReadError {
    ReadError { message: message.into(), hint: hint.into() }
}

/// The formats `import` reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    Text,
    Docx,
    Pdf,
    Html,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "md" | "markdown" => Format::Text,
            "docx" => Format::Docx,
            "pdf" => Format::Pdf,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }
}

/// Read `path` into lines; `ocr`: read a PDF without text with tesseract.
pub fn read(path: &Path, ocr: bool) -> Result<Vec<Line>, ReadError> {
    let format = Format::of(path).ok_or_else(|| {
        error(
            format!("{} is not a format import reads", path.display()),
            "give a .docx, .pdf, .html, .txt or .md file (a .doc from old Word: save it as .docx first)",
        )
    })?;
    let bytes =
        std::fs::read(path).map_err(|e| error(format!("cannot read {}: {e}", path.display()), "check the path"))?;
    let lines = match format {
        Format::Text => text_lines(&decode(&bytes, path)?, None),
        Format::Docx => docx(&bytes).map_err(|m| {
            error(
                format!("{} is not a readable Word file: {m}", path.display()),
                "open it in Word or LibreOffice and save it again as .docx",
            )
        })?,
        Format::Html => html(&decode(&bytes, path)?),
        Format::Pdf => pdf(&bytes, path, ocr)?,
    };
    Ok(lines.into_iter().map(|l| Line { text: clean(&l.text), page: l.page }).collect())
}

/// UTF-8 text (a byte-order mark dropped); the Windows code page of old Vietnamese
/// files is not guessed: said plainly instead.
fn decode(bytes: &[u8], path: &Path) -> Result<String, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        error(
            format!("{} is not UTF-8 text", path.display()),
            "save it as UTF-8 (in Notepad: Save as… → Encoding UTF-8); old TCVN3/VNI fonts must be converted with Unikey first",
        )
    })
}

/// NFC, no control characters but tabs, no replacement characters left by a conversion
/// ("�"), non-breaking and other wide spaces as spaces.
fn clean(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc()
        .filter(|&c| c != '\u{FFFD}' && (c == '\t' || !c.is_control()) && c != '\u{AD}' && c != '\u{200B}')
        .map(|c| if c.is_whitespace() && c != '\t' { ' ' } else { c })
        .collect::<String>()
        .trim_end()
        .to_string()
}

fn text_lines(text: &str, page: Option<u32>) -> Vec<Line> {
    text.lines().map(|l| Line { text: l.to_string(), page }).collect()
}

/// A Word file: the paragraphs of word/document.xml in order, with their automatic
/// numbering written out ("1.1.", "a)") as Word shows it, tables as `| a | b |` rows,
/// and the page a paragraph starts on (Word's own page breaks: explicit ones and the
/// `lastRenderedPageBreak` marks it saves).
fn docx(bytes: &[u8]) -> Result<Vec<Line>, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut part = |name: &str| -> Result<Option<String>, String> {
        let Ok(mut f) = zip.by_name(name) else { return Ok(None) };
        let mut s = String::new();
        f.read_to_string(&mut s).map_err(|e| format!("{name}: {e}"))?;
        Ok(Some(s))
    };
    let document = part("word/document.xml")?.ok_or("it has no word/document.xml")?;
    let numbering = part("word/numbering.xml")?;
    let numbers = numbering.as_deref().map(Numbering::read).transpose()?.unwrap_or_default();
    let doc = roxmltree::Document::parse(&document).map_err(|e| e.to_string())?;
    let body = doc.descendants().find(|n| n.has_tag_name((W, "body"))).ok_or("no body")?;
    let mut out = Vec::new();
    let mut page = 1u32;
    let mut counters: std::collections::HashMap<(String, usize), Vec<u32>> = Default::default();
    for block in body.children().filter(|n| n.is_element()) {
        if block.has_tag_name((W, "p")) {
            let (text, breaks) = paragraph_text(block);
            page += breaks.before;
            let prefix = numbers.label(block, &mut counters);
            let line = match prefix {
                Some(p) if !text.trim().is_empty() => format!("{p} {text}"),
                _ => text,
            };
            out.push(Line { text: line, page: Some(page) });
            page += breaks.after;
        } else if block.has_tag_name((W, "tbl")) {
            for row in block.children().filter(|n| n.has_tag_name((W, "tr"))) {
                let cells: Vec<String> = row
                    .children()
                    .filter(|n| n.has_tag_name((W, "tc")))
                    .map(|c| {
                        c.children()
                            .filter(|p| p.has_tag_name((W, "p")))
                            .map(|p| paragraph_text(p).0)
                            .collect::<Vec<_>>()
                            .join(" ")
                            .trim()
                            .to_string()
                    })
                    .collect();
                if cells.iter().any(|c| !c.is_empty()) {
                    out.push(Line { text: format!("| {} |", cells.join(" | ")), page: Some(page) });
                }
            }
        }
    }
    Ok(out)
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Page breaks in a paragraph: before its text (a `lastRenderedPageBreak` or a page
/// break at its start) and after it.
#[derive(Default)]
struct Breaks {
    before: u32,
    after: u32,
}

fn paragraph_text(p: roxmltree::Node) -> (String, Breaks) {
    let mut s = String::new();
    let mut breaks = Breaks::default();
    let page_break = |n: &roxmltree::Node| {
        n.has_tag_name((W, "lastRenderedPageBreak"))
            || (n.has_tag_name((W, "br")) && n.attribute((W, "type")) == Some("page"))
    };
    for n in p.descendants() {
        if n.has_tag_name((W, "t")) {
            s.push_str(n.text().unwrap_or(""));
        } else if n.has_tag_name((W, "tab")) {
            s.push('\t');
        } else if n.has_tag_name((W, "br")) && n.attribute((W, "type")) != Some("page") {
            s.push(' ');
        } else if page_break(&n) {
            if s.trim().is_empty() {
                breaks.before += 1;
            } else {
                breaks.after += 1;
            }
        }
    }
    (s, breaks)
}

/// Word's numbering definitions: for each list and level, the format of its label
/// ("%1.%2.") and how its numbers are written (decimal, lower letters, roman, bullet).
#[derive(Default)]
struct Numbering {
    /// numId → abstractNumId.
    lists: std::collections::HashMap<String, String>,
    /// (abstractNumId, level) → (lvlText, numFmt, start).
    levels: std::collections::HashMap<(String, usize), (String, String, u32)>,
}

impl Numbering {
    fn read(xml: &str) -> Result<Numbering, String> {
        let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
        let mut n = Numbering::default();
        let val = |node: roxmltree::Node, tag: &str| {
            node.children().find(|c| c.has_tag_name((W, tag))).and_then(|c| c.attribute((W, "val"))).map(str::to_string)
        };
        for a in doc.descendants().filter(|x| x.has_tag_name((W, "abstractNum"))) {
            let id = a.attribute((W, "abstractNumId")).unwrap_or("").to_string();
            for l in a.children().filter(|x| x.has_tag_name((W, "lvl"))) {
                let level: usize = l.attribute((W, "ilvl")).and_then(|v| v.parse().ok()).unwrap_or(0);
                let text = val(l, "lvlText").unwrap_or_default();
                let fmt = val(l, "numFmt").unwrap_or_else(|| "decimal".into());
                let start = val(l, "start").and_then(|s| s.parse().ok()).unwrap_or(1);
                n.levels.insert((id.clone(), level), (text, fmt, start));
            }
        }
        for num in doc.descendants().filter(|x| x.has_tag_name((W, "num"))) {
            if let (Some(id), Some(a)) = (num.attribute((W, "numId")), val(num, "abstractNumId")) {
                n.lists.insert(id.to_string(), a);
            }
        }
        Ok(n)
    }

    /// The label Word shows before a numbered paragraph, counting as it goes.
    fn label(
        &self,
        p: roxmltree::Node,
        counters: &mut std::collections::HashMap<(String, usize), Vec<u32>>,
    ) -> Option<String> {
        let ppr = p.children().find(|c| c.has_tag_name((W, "pPr")))?;
        let numpr = ppr.children().find(|c| c.has_tag_name((W, "numPr")))?;
        let attr = |tag: &str| {
            numpr
                .children()
                .find(|c| c.has_tag_name((W, tag)))
                .and_then(|c| c.attribute((W, "val")))
                .map(str::to_string)
        };
        let num_id = attr("numId")?;
        let level: usize = attr("ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
        let abs = self.lists.get(&num_id)?;
        let key = (abs.clone(), 0usize);
        let counts = counters.entry(key).or_default();
        counts.resize(level + 1, 0);
        counts[level] += 1;
        let (text, fmt, _) = self.levels.get(&(abs.clone(), level))?;
        if fmt == "bullet" || fmt == "none" {
            return (fmt == "bullet").then(|| "-".to_string());
        }
        let mut label = text.clone();
        for (l, &c) in counts.iter().enumerate() {
            let (_, lfmt, start) = self.levels.get(&(abs.clone(), l)).cloned().unwrap_or_default();
            let n = c + start.max(1) - 1;
            let shown = match lfmt.as_str() {
                "lowerLetter" => char::from_u32('a' as u32 + (n - 1) % 26).map(String::from).unwrap_or_default(),
                "upperLetter" => char::from_u32('A' as u32 + (n - 1) % 26).map(String::from).unwrap_or_default(),
                "upperRoman" => roman(n),
                "lowerRoman" => roman(n).to_lowercase(),
                _ => n.to_string(),
            };
            label = label.replace(&format!("%{}", l + 1), &shown);
        }
        Some(label)
    }
}

fn roman(mut n: u32) -> String {
    let mut s = String::new();
    for (v, r) in [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")] {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// A page of a web portal: the main text without the site's menus. The element taken
/// is `<article>` or `<main>` if there is one, else the block holding the most text in
/// paragraphs; scripts, styles, navigation, headers, footers, forms and asides are
/// dropped. Block elements end lines; a table row is a `| a | b |` line.
fn html(text: &str) -> Vec<Line> {
    use scraper::{ElementRef, Html, Node, Selector};
    let doc = Html::parse_document(text);
    let pick = |css: &str| Selector::parse(css).ok().and_then(|s| doc.select(&s).next());
    let skip = ["script", "style", "nav", "header", "footer", "form", "aside", "noscript", "button", "iframe", "svg"];
    let main = pick("article").or_else(|| pick("main")).or_else(|| {
        // The block with the most paragraph text, its menus aside.
        let blocks = Selector::parse("div, section, td").ok()?;
        doc.select(&blocks).max_by_key(|e| {
            let p = Selector::parse("p").expect("valid");
            e.select(&p).map(|p| p.text().map(str::len).sum::<usize>()).sum::<usize>()
        })
    });
    let Some(root) = main.or_else(|| pick("body")) else { return Vec::new() };
    let mut lines = Vec::new();
    let mut current = String::new();
    fn walk(e: ElementRef, skip: &[&str], current: &mut String, lines: &mut Vec<String>) {
        for child in e.children() {
            match child.value() {
                Node::Text(t) => current.push_str(&t.replace('\n', " ")),
                Node::Element(el) => {
                    let name = el.name();
                    if skip.contains(&name) {
                        continue;
                    }
                    let Some(ce) = ElementRef::wrap(child) else { continue };
                    let block = matches!(
                        name,
                        "p" | "div"
                            | "li"
                            | "h1"
                            | "h2"
                            | "h3"
                            | "h4"
                            | "h5"
                            | "h6"
                            | "tr"
                            | "br"
                            | "section"
                            | "blockquote"
                            | "table"
                            | "ul"
                            | "ol"
                    );
                    if block && !current.trim().is_empty() {
                        lines.push(std::mem::take(current));
                    }
                    if name == "tr" {
                        let cells: Vec<String> = ce
                            .children()
                            .filter_map(ElementRef::wrap)
                            .filter(|c| matches!(c.value().name(), "td" | "th"))
                            .map(|c| c.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
                            .collect();
                        if cells.iter().any(|c| !c.is_empty()) {
                            lines.push(format!("| {} |", cells.join(" | ")));
                        }
                        continue;
                    }
                    if name == "li" && ce.parent().and_then(ElementRef::wrap).is_some_and(|p| p.value().name() == "ul")
                    {
                        current.push_str("- ");
                    }
                    walk(ce, skip, current, lines);
                    if block && !current.trim().is_empty() {
                        lines.push(std::mem::take(current));
                    }
                }
                _ => {}
            }
        }
    }
    walk(root, &skip, &mut current, &mut lines);
    if !current.trim().is_empty() {
        lines.push(current);
    }
    lines.into_iter().map(|l| Line { text: l.split_whitespace().collect::<Vec<_>>().join(" "), page: None }).collect()
}

/// A PDF's text layer, page by page. Without one (a scan), `ocr` reads it with
/// tesseract's Vietnamese model, where installed; otherwise the error says so.
fn pdf(bytes: &[u8], path: &Path, ocr: bool) -> Result<Vec<Line>, ReadError> {
    let pages = pdf_extract::extract_text_from_mem_by_pages(bytes).map_err(|e| {
        error(format!("{} is not a readable PDF: {e}", path.display()), "open it and save or print it again as PDF")
    })?;
    let text_chars: usize = pages.iter().map(|p| p.chars().filter(|c| c.is_alphabetic()).count()).sum();
    if text_chars < 40 {
        if !ocr {
            return Err(error(
                format!("{} has no text layer: it is a scan (pictures of pages)", path.display()),
                "pass --ocr to read it with tesseract (apt-get install tesseract-ocr tesseract-ocr-vie), or import the Word file if the office has it",
            ));
        }
        return ocr_pdf(path);
    }
    let mut out = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        // Composed first: a PDF's text may hold a vowel and its marks apart.
        use unicode_normalization::UnicodeNormalization;
        out.extend(
            text_lines(p, Some(i as u32 + 1))
                .into_iter()
                .map(|l| Line { text: heal(&l.text.nfc().collect::<String>()), ..l }),
        );
    }
    Ok(out)
}

fn is_vowel(c: char) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let base = c.to_lowercase().collect::<String>().nfd().next().unwrap_or(c);
    matches!(base, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
        || matches!(c.to_lowercase().next(), Some('ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư'))
}

/// A tone mark or a vowel's mark on `c` (ả, ở, ỷ: not a, o, y).
fn marked(c: char) -> bool {
    use unicode_normalization::UnicodeNormalization;
    c.to_string().nfd().count() > 1
}

/// The consonants a Vietnamese syllable may start with, longest first.
const ONSETS: &[&str] = &[
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k", "l", "m",
    "n", "p", "r", "s", "t", "v", "x",
];

/// Whether a piece can end a syllable: a vowel, or a coda (c, ch, m, n, ng, nh, p, t)
/// after a vowel.
fn ends_ok(w: &str) -> bool {
    let l = w.to_lowercase();
    let Some(last) = l.chars().last() else { return false };
    if is_vowel(last) {
        return true;
    }
    ["ch", "ng", "nh", "c", "m", "n", "p", "t"]
        .iter()
        .any(|c| l.strip_suffix(c).is_some_and(|rest| rest.chars().last().is_some_and(is_vowel)))
}

/// Whether a piece starts a syllable: a vowel, or an onset then a vowel.
fn starts_ok(w: &str) -> bool {
    let l = w.to_lowercase();
    if l.chars().next().is_some_and(is_vowel) {
        return true;
    }
    ONSETS.iter().any(|o| l.strip_prefix(o).is_some_and(|rest| rest.chars().next().is_some_and(is_vowel)))
}

/// A space a PDF put one letter off ("nămđ ạt", "Chib ộ", "phầ ncòn"), put back where
/// the syllables need it ("năm đạt", "Chi bộ", "phần còn").
fn reseat(line: &str) -> String {
    let mut words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    // A lone onset before a piece that starts with a vowel is that piece's ("đ ạt").
    let mut i = 0;
    while i + 1 < words.len() {
        let w = words[i].to_lowercase();
        let next = &words[i + 1];
        if ONSETS.contains(&w.as_str()) && next.chars().next().is_some_and(is_vowel) && starts_ok(&format!("{w}{next}"))
        {
            let joined = format!("{}{}", words[i], next);
            words[i] = joined;
            words.remove(i + 1);
        }
        i += 1;
    }
    for i in 1..words.len() {
        // The letters of each piece, the punctuation around them kept aside.
        let (lw, rw) = (words[i - 1].clone(), words[i].clone());
        let l_start = lw.len() - lw.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let r_end = rw.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
        let (l_pre, l) = (lw[..l_start].to_string(), lw[l_start..].to_string());
        let (r, r_post) = (rw[..r_end].to_string(), rw[r_end..].to_string());
        let letters = |s: &str| !s.is_empty() && s.chars().all(char::is_alphabetic);
        if !letters(&l) || !letters(&r) {
            continue;
        }
        // The left piece's last letters are the right one's onset.
        // A capital after small letters ("sảnH ồ") is the next word's.
        let stray_capital =
            l.chars().last().is_some_and(char::is_uppercase) && l.chars().rev().nth(1).is_some_and(char::is_lowercase);
        if r.chars().next().is_some_and(is_vowel) && (!ends_ok(&l) || stray_capital) {
            let chars: Vec<char> = l.chars().collect();
            for n in (1..=3.min(chars.len().saturating_sub(1))).rev() {
                let head: String = chars[..chars.len() - n].iter().collect();
                let tail: String = chars[chars.len() - n..].iter().collect();
                let capital_ok = !stray_capital || tail.chars().next().is_some_and(char::is_uppercase);
                if ONSETS.contains(&tail.to_lowercase().as_str())
                    && ends_ok(&head)
                    && head.chars().any(is_vowel)
                    && capital_ok
                {
                    words[i - 1] = format!("{l_pre}{head}");
                    words[i] = format!("{tail}{r}{r_post}");
                    break;
                }
            }
            continue;
        }
        // The right piece's first letter is the left one's coda.
        if !starts_ok(&r) && l.chars().last().is_some_and(is_vowel) {
            let first: String = r.chars().take(1).collect();
            let rest: String = r.chars().skip(1).collect();
            if ends_ok(&format!("{l}{first}")) && starts_ok(&rest) {
                words[i - 1] = format!("{l_pre}{l}{first}");
                words[i] = format!("{rest}{r_post}");
            }
        }
    }
    words.join(" ")
}

/// Words a PDF's text layer cut in two where a glyph with stacked marks stands
/// ("vượ t", "tr ở", "đồ ng", "Gi ảm", "U ỷ ban"), joined again: a piece with no vowel
/// cannot be a Vietnamese syllable, nor "gi" or "qu" before a marked vowel, nor "u"
/// before a marked "y" ("Uỷ").
fn heal(line: &str) -> String {
    let moved = reseat(line);
    let words: Vec<&str> = moved.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = String::with_capacity(line.len());
    let mut current = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            // Judged on the letters, without the punctuation around them ("p:", "(phầ").
            let prev = current.as_str().trim_start_matches(|c: char| !c.is_alphanumeric());
            let w = &w.trim_end_matches(|c: char| !c.is_alphanumeric());
            let letters = |s: &str| !s.is_empty() && s.chars().all(char::is_alphabetic);
            let no_vowel = |s: &str| letters(s) && !s.chars().any(is_vowel);
            let starts_marked = w.chars().next().is_some_and(|c| is_vowel(c) && marked(c));
            // A coda's letters lower-case ("vượ t"); "khu B" keeps its letter.
            let lower_coda = no_vowel(w) && w.chars().all(char::is_lowercase);
            let glued = (letters(prev) && letters(w) && (lower_coda || no_vowel(prev)))
                || (starts_marked && matches!(prev.to_lowercase().as_str(), "gi" | "qu"))
                || (starts_marked && matches!(prev, "U" | "u") && w.starts_with(['ỷ', 'ỳ', 'ý', 'ỹ', 'ỵ']));
            if !glued {
                out.push(' ');
                current.clear();
            }
        }
        out.push_str(words[i]);
        current.push_str(words[i]);
    }
    out
}

/// A scan through tesseract: each page rendered by `pdftoppm` (poppler), then read.
fn ocr_pdf(path: &Path) -> Result<Vec<Line>, ReadError> {
    let have = |cmd: &str| {
        std::process::Command::new(cmd)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
    };
    if !have("tesseract") || !have("pdftoppm") {
        return Err(error(
            "--ocr needs tesseract and pdftoppm, which are not installed",
            "apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils",
        ));
    }
    let langs = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if !langs.lines().any(|l| l.trim() == "vie") {
        return Err(error("tesseract has no Vietnamese model (vie)", "apt-get install tesseract-ocr-vie"));
    }
    let dir = TempDir::new().map_err(|e| error(format!("cannot make a temporary folder: {e}"), "check the disk"))?;
    let prefix = dir.path().join("page");
    let status = std::process::Command::new("pdftoppm").args(["-r", "300", "-png"]).arg(path).arg(&prefix).status();
    if !status.is_ok_and(|s| s.success()) {
        return Err(error(format!("pdftoppm could not render {}", path.display()), "check that the PDF opens"));
    }
    let mut images: Vec<_> =
        std::fs::read_dir(dir.path()).map_err(|e| error(e.to_string(), ""))?.flatten().map(|e| e.path()).collect();
    images.sort();
    let mut out = Vec::new();
    for (i, img) in images.iter().enumerate() {
        let o = std::process::Command::new("tesseract")
            .arg(img)
            .args(["-", "-l", "vie"])
            .output()
            .map_err(|e| error(format!("tesseract failed: {e}"), ""))?;
        out.extend(text_lines(&String::from_utf8_lossy(&o.stdout), Some(i as u32 + 1)));
    }
    Ok(out)
}

/// A folder for the pages' pictures, removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let p = std::env::temp_dir().join(format!("minhbach-ocr-{}", std::process::id()));
        std::fs::create_dir_all(&p)?;
        Ok(TempDir(p))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_a_pdf_cut_at_their_marks_are_joined_again() {
        assert_eq!(super::heal("vượ t từ 3-5% so với chỉ tiêu quậ n giao"), "vượt từ 3-5% so với chỉ tiêu quận giao");
        assert_eq!(super::heal("tr ở lên; Gi ảm tỷ lệ; U ỷ ban Mặ t trậ n"), "trở lên; Giảm tỷ lệ; Uỷ ban Mặt trận");
        assert_eq!(super::heal("ở A ở B, 10 đồ ng chí"), "ở A ở B, 10 đồng chí");
        assert_eq!(
            super::heal("Hàng nămđ ạt 100%; Chib ộ trực thuộc; cộng sảnH ồ Chí Minh"),
            "Hàng năm đạt 100%; Chi bộ trực thuộc; cộng sản Hồ Chí Minh"
        );
        assert_eq!(super::heal("(phầ ncòn lại) tỷ  lệ"), "(phần còn lại) tỷ lệ");
        // Capitals a letter off, as a header's large type gives them.
        assert_eq!(super::heal("Phường ĐứcG iang, ngày 22"), "Phường Đức Giang, ngày 22");
        assert_eq!(super::heal("Nguyễn Thị MinhH ạnh"), "Nguyễn Thị Minh Hạnh");
        assert_eq!(super::heal("G ia Lâm"), "Gia Lâm");
    }
}
