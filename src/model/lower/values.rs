//! Single values as written in front matter: numbers read Vietnamese-style ("1.234,5",
//! "1,1 tỷ"), dates, ids and codes kept as written, terms, addresses. Each refuses what
//! YAML would silently misread (`1.10` as 1.1, `0x1F` as 31) and says where.

use crate::diagnostics::{Diagnostics, Kind};
use crate::load::SourceFile;
use crate::load::schema::{Scalar, Spanned};
use crate::model::Term;
use crate::model::names::{self, Named};
use crate::vi::{date, number};

/// The longest slug of a file or folder: file systems refuse names above 255 bytes,
/// and `build` would fail writing, after `check` said nothing.
pub(crate) const MAX_SLUG: usize = 200;

pub(crate) fn num(file: &SourceFile, s: &Spanned<Scalar>, diags: &mut Diagnostics) -> Option<f64> {
    match &s.value {
        Scalar::Num(n) => {
            if let Some(raw) = file.raw_at(&s.referenced)
                && let Some(form) = non_decimal(&raw)
            {
                diags.push(
                    file.diag(&s.referenced, format!("`{raw}` is not a number"))
                        .hint(format!("YAML reads it as a {form} number ({n}): write the figure in ordinary digits, as the document prints it")),
                );
                return None;
            }
            if let Some(raw) = file.raw_at(&s.referenced)
                && number::looks_like_grouped_thousands(&raw)
            {
                diags.push(
                    file.diag(
                        &s.referenced,
                        format!("`{raw}` without quotes is read as {n}, not as {}", raw.replace('.', "")),
                    )
                    .hint(format!(
                        "if it is the Vietnamese number {}, write it in quotes, \"{raw}\" (or {}); if the dot is a decimal point, write \"{}\"",
                        raw.replace('.', ""),
                        raw.replace('.', ""),
                        raw.replace('.', ",")
                    )),
                );
                return None;
            }
            finite(file, s, *n, diags)
        }
        Scalar::Text(t) => match number::parse(t) {
            Ok(p) if !p.value.is_finite() || p.value.abs() > 1e18 => {
                diags.push(
                    file.diag(&s.referenced, format!("`{}` is too large to be a figure of a document", short(t)))
                        .hint("check the number: figures above 10¹⁸ are not read (write large sums with a scale word, e.g. \"1,1 tỷ\")"),
                );
                None
            }
            Ok(p) => {
                if !p.rest.is_empty() && p.rest != "%" {
                    diags.push(
                        file.diag(&s.referenced, format!("`{t}` has text after the number"))
                            .hint("put only the number here and the unit in `unit:`"),
                    );
                    return None;
                }
                Some(p.value)
            }
            Err(e) => {
                let hint = match sign_before_number(t) {
                    Some((op, rest)) => format!(
                        "the comparison goes in `op:`: write `op: {}` and only the number here, \"{rest}\"",
                        crate::model::names::written_op(op)
                    ),
                    None => e.hint,
                };
                diags.push(file.diag(&s.referenced, e.message).hint(hint));
                None
            }
        },
    }
}

/// A number written with its comparison (`<0,5`, `≥ 95`): the op it stands for and the
/// number, which go in `op:` and `value:`.
pub(crate) fn sign_before_number(text: &str) -> Option<(crate::model::Op, &str)> {
    let t = text.trim();
    let sign_len = t.find(|c: char| !matches!(c, '<' | '>' | '=' | '≤' | '≥')).filter(|&n| n > 0)?;
    let op = t[..sign_len].parse().ok()?;
    let rest = t[sign_len..].trim();
    number::parse(rest).is_ok().then_some((op, rest))
}

/// The form of a number YAML reads in another base (`0x1F` is 31, `0o17` is 15,
/// `0b11` is 3): no document prints a figure that way, so it is a mistake.
fn non_decimal(raw: &str) -> Option<&'static str> {
    let t = raw.split([',', '}', ']']).next().unwrap_or("").trim();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t).to_ascii_lowercase();
    match t.get(..2) {
        Some("0x") => Some("hexadecimal"),
        Some("0o") => Some("octal"),
        Some("0b") => Some("binary"),
        _ => None,
    }
}

/// A number YAML read: refused when it cannot be shown as written (YAML reads `1e400`
/// as infinity; serde-saphyr refuses those, this is for numbers it let through).
fn finite(file: &SourceFile, s: &Spanned<Scalar>, n: f64, diags: &mut Diagnostics) -> Option<f64> {
    if n.is_finite() && n.abs() <= 1e18 {
        return Some(n);
    }
    diags.push(
        file.diag(&s.referenced, format!("`{}` is too large to be a figure of a document", short(&s.value.as_text())))
            .hint("check the number: figures above 10¹⁸ are not read (write large sums with a scale word, e.g. \"1,1 tỷ\")"),
    );
    None
}

/// A value as quoted in a message: long ones cut.
fn short(t: &str) -> String {
    if t.chars().count() > 24 { format!("{}…", t.chars().take(20).collect::<String>()) } else { t.to_string() }
}

/// An id or a code as written. YAML reads `1.10`, `1.0` or `00133` without quotes as a
/// number, which would silently become `1.1`, `1` or `133`: that is an error.
pub(crate) fn id_text(file: &SourceFile, s: &Spanned<Scalar>, diags: &mut Diagnostics) -> String {
    let text = s.value.as_text();
    if let Scalar::Num(_) = s.value
        && let Some(raw) = file.raw_at(&s.referenced)
    {
        let raw = raw.split([',', '}', ']']).next().unwrap_or("").trim();
        if !raw.is_empty() && raw != text {
            diags.push(
                file.diag(&s.referenced, format!("`{raw}` without quotes is read as the number {text}"))
                    .hint(format!("write \"{raw}\" in quotes to keep it as written")),
            );
        }
    }
    text
}

/// A number of targets: a whole number, zero or more (never truncated or clamped).
pub(crate) fn whole_count(file: &SourceFile, s: &Spanned<Scalar>, diags: &mut Diagnostics) -> Option<usize> {
    let n = num(file, s, diags)?;
    if n < 0.0 || n.fract() != 0.0 || n > 1e6 {
        diags.push(
            file.diag(&s.referenced, format!("`count` must be a whole number of targets, not {}", s.value.as_text()))
                .hint("write how many targets the heading announces, e.g. `count: 5` for \"(05 chỉ tiêu)\""),
        );
        return None;
    }
    Some(n as usize)
}

/// `page:` of a target or result: a page of the original, from 1.
pub(crate) fn page_of(file: &SourceFile, s: &Spanned<Scalar>, diags: &mut Diagnostics) -> Option<u32> {
    let n = num(file, s, diags)?;
    if n < 1.0 || n.fract() != 0.0 || n > 100_000.0 {
        diags.push(
            file.diag(&s.referenced, format!("`page` must be a page number, not {}", s.value.as_text()))
                .kind(Kind::Value)
                .hint("write the page of the original where it stands, e.g. `page: 3` (the first page is 1)"),
        );
        return None;
    }
    Some(n as u32)
}

/// `original:`, the document's original file: a PDF or DOCX in the document's own
/// folder (or below it), named by its path from there. Its path in `content/`.
pub(crate) fn original(file: &SourceFile, s: &Spanned<String>, diags: &mut Diagnostics) -> Option<String> {
    let name = s.value.trim();
    let bad = |diags: &mut Diagnostics, msg: String, hint: &str| {
        diags.push(file.diag(&s.referenced, msg).kind(Kind::Value).hint(hint.to_string()));
        None
    };
    let lower = name.to_ascii_lowercase();
    if name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name.split('/').any(|p| p.is_empty() || p == "." || p == "..")
    {
        return bad(
            diags,
            format!("`original` must be a file in the document's folder, not `{name}`"),
            "write the file's name, e.g. `original: nghi-quyet-01.pdf`, and put the file beside this document",
        );
    }
    if !(lower.ends_with(".pdf") || lower.ends_with(".docx")) {
        return bad(
            diags,
            format!("the original `{name}` is not a PDF or DOCX"),
            "give the PDF (or the Word .docx) the office published; save other formats as PDF first",
        );
    }
    let on_disk = file.abs.parent().map(|d| d.join(name));
    if !on_disk.as_ref().is_some_and(|p| p.is_file()) {
        return bad(
            diags,
            format!("the original `{name}` is not in the document's folder"),
            "put the file beside this document (same folder as the .md), or correct its name",
        );
    }
    let folder = file.content_path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    Some(if folder.is_empty() { name.to_string() } else { format!("{folder}/{name}") })
}

/// "1,1 tỷ" with `unit: tỷ đồng` would count the billions twice.
pub(crate) fn scale_twice(
    file: &SourceFile,
    value: Option<&Spanned<Scalar>>,
    unit: Option<&str>,
    diags: &mut Diagnostics,
) {
    if let (Some(v), Some(u)) = (value, unit)
        && let Scalar::Text(t) = &v.value
        && number::has_scale_word(t)
        && number::has_scale_word(u)
    {
        diags.push(file.diag(&v.referenced, format!("`{t}` has a scale word and the unit `{u}` has one too")).hint(
            "write the scale once: `value: \"1,1\"` with `unit: tỷ đồng`, or `value: \"1,1 tỷ\"` with `unit: đồng`",
        ));
    }
}

pub(crate) fn date_of(file: &SourceFile, s: &Spanned<Scalar>, diags: &mut Diagnostics) -> Option<date::VnDate> {
    match date::parse(&s.value.as_text()) {
        Ok(d) => Some(d),
        Err(e) => {
            let raw = s.value.as_text();
            let parts: Vec<&str> = raw.split('-').collect();
            let meant = match parts.as_slice() {
                [d, m, y] if d.len() <= 2 && y.len() == 4 => {
                    Some(format!("{}/{}/{y}", d.trim_start_matches('0'), m.trim_start_matches('0')))
                }
                _ => written_out(&raw),
            };
            let hint = match meant {
                Some(m) => format!("did you mean {m}? Dates are written 2020-05-22, 2020-05, 2020 or 22/5/2020"),
                None => "dates are written 2020-05-22, 2020-05, 2020 or 22/5/2020".to_string(),
            };
            diags.push(file.diag(&s.referenced, e).kind(Kind::Value).hint(hint));
            None
        }
    }
}

/// A date written out in words as documents print it ("ngày 22 tháng 5 năm 2020",
/// "tháng 5/2020", "năm 2021") in the form the field takes ("22/5/2020", "5/2020",
/// "2021"), if it is one.
fn written_out(raw: &str) -> Option<String> {
    let folded = crate::vi::slug::fold(raw);
    if !["ngay", "thang", "nam"].iter().any(|w| folded.split(|c: char| !c.is_ascii_alphabetic()).any(|x| x == *w)) {
        return None;
    }
    let numbers: Vec<&str> = folded.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty()).collect();
    let meant = match numbers.as_slice() {
        [d, m, y] => format!("{}/{}/{y}", d.trim_start_matches('0'), m.trim_start_matches('0')),
        [m, y] => format!("{}/{y}", m.trim_start_matches('0')),
        [y] => y.to_string(),
        _ => return None,
    };
    date::parse(&meant).is_ok().then_some(meant)
}

/// An address from content, checked by the one URL policy (`model::url`).
pub(crate) fn link(file: &SourceFile, s: &Spanned<String>, field: &str, diags: &mut Diagnostics) -> Option<String> {
    match crate::model::url::check(&s.value) {
        Ok(()) => Some(s.value.clone()),
        Err(e) => {
            diags.push(file.diag(&s.referenced, e.message(field)).kind(Kind::Value).hint(e.hint()));
            None
        }
    }
}

/// Text is made NFC when files are read (load::frontmatter::normalise); this only
/// copies, and composes what is not NFC yet (text given other ways, e.g. in tests).
/// A written name read as one of `T`'s values (a document kind, a period …); an unknown
/// one is reported, with the closest name and every name as the hint.
pub(crate) fn name_of<T: Named + std::str::FromStr>(
    file: &SourceFile,
    s: &Spanned<String>,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    name_or_words(file, s, what, |_| None, diags)
}

/// [`name_of`], where the document's own words for a value (`nghị quyết`, `hàng năm`)
/// make the hint name that value (`words`).
pub(crate) fn name_or_words<T: Named + std::str::FromStr>(
    file: &SourceFile,
    s: &Spanned<String>,
    what: &str,
    words: fn(&str) -> Option<T>,
    diags: &mut Diagnostics,
) -> Option<T> {
    let v = s.value.parse().ok();
    if v.is_none() {
        diags.push(
            file.diag(&s.referenced, format!("unknown {what} `{}`", s.value))
                .hint(names::hint_meant(&s.value, words(&s.value))),
        );
    }
    v
}

pub(crate) fn nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if crate::vi::is_nfc(s) { s.to_string() } else { s.nfc().collect() }
}

pub(crate) fn parse_term(file: &SourceFile, s: &Spanned<Scalar>, diags: &mut Diagnostics) -> Option<Term> {
    let t = s.value.as_text();
    let parts: Vec<&str> = t.split(['-', '–', '—']).map(str::trim).collect();
    let years: Option<Vec<i16>> = parts.iter().map(|p| p.parse::<i16>().ok()).collect();
    match years.as_deref() {
        Some([a, b]) if a < b && *a >= 1900 && *b <= 2200 => Some(Term { start: *a, end: *b }),
        _ => {
            diags.push(
                file.diag(&s.referenced, format!("`{t}` is not a term"))
                    .hint("write the term's first and last year, e.g. `2020-2025`"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sign_before_number;
    use crate::load::fixture::{HEAD, located, lowered, problem};
    use crate::model::Term;
    use crate::vi::date::{Precision, VnDate};

    /// The value of the first measure of a target whose measure is `measure` (YAML).
    fn measure_value(measure: &str) -> (Option<f64>, crate::diagnostics::Diagnostics) {
        let l = lowered(&format!(
            "{HEAD}targets:\n  - id: \"1\"\n    text: Chỉ tiêu\n    measures:\n      - op: \">=\"\n        {measure}\n"
        ));
        (l.doc.targets.first().and_then(|t| t.measures[0].value), l.diags)
    }

    #[test]
    fn numbers_are_read_vietnamese_style() {
        for (written, value) in [
            ("\"1.234,5\"", 1234.5),
            ("\"37,8\"", 37.8),
            ("\"1.300\"", 1300.0),
            ("\"1,1 tỷ\"", 1_100_000_000.0),
            ("\"92,7%\"", 92.7),
            ("15", 15.0),
            ("0.5", 0.5),
        ] {
            let (v, diags) = measure_value(&format!("value: {written}"));
            assert!(diags.is_empty(), "{written}: {diags:#?}");
            assert_eq!(v, Some(value), "{written}");
        }
    }

    #[test]
    fn a_number_yaml_would_misread_is_refused_where_it_is_written() {
        // The measure's `value:` is on line 10 of the file, its value at column 16.
        let (v, diags) = measure_value("value: 1.300");
        assert_eq!(v, None);
        let d = problem(&diags, "without quotes");
        assert_eq!(located(d), ("content/u/d.md".into(), 10, 16, "`1.300` without quotes is read as 1.3, not as 1300"));
        assert!(d.hint.as_deref().unwrap().contains("\"1.300\""), "{d:?}");

        let (_, diags) = measure_value("value: 0x1F");
        let d = problem(&diags, "is not a number");
        assert_eq!((d.line, d.column), (10, 16));
        assert!(d.hint.as_deref().unwrap().contains("hexadecimal number (31)"), "{d:?}");

        let (_, diags) = measure_value("value: \"12 hộ\"");
        assert_eq!(
            problem(&diags, "`12 hộ` has text after the number").hint.as_deref(),
            Some("put only the number here and the unit in `unit:`")
        );

        let (_, diags) = measure_value("value: \"1.000.000.000.000.000.000.000\"");
        problem(&diags, "too large to be a figure");
    }

    #[test]
    fn a_comparison_in_the_value_is_sent_to_op() {
        let (_, diags) = measure_value("value: \"<0,5\"");
        assert_eq!(
            problem(&diags, "`<0,5` is not a number").hint.as_deref(),
            Some("the comparison goes in `op:`: write `op: \"<\"` and only the number here, \"0,5\"")
        );
        assert_eq!(sign_before_number("≥ 95").map(|(o, r)| (o.as_str(), r)), Some((">=", "95")));
        assert_eq!(sign_before_number("=> 95"), None);
    }

    #[test]
    fn a_scale_word_written_twice_is_refused() {
        let (_, diags) = measure_value("value: \"1,1 tỷ\"\n        unit: tỷ đồng");
        let d = problem(&diags, "has a scale word and the unit `tỷ đồng` has one too");
        assert_eq!((d.line, d.column), (10, 16));
    }

    #[test]
    fn dates_are_read_in_every_written_form() {
        let day = VnDate { year: 2020, month: 5, day: 22, precision: Precision::Day };
        for written in ["2020-05-22", "22/5/2020", "\"22/05/2020\""] {
            let l = lowered(&format!("title: A\nkind: resolution\nissued: {written}\n"));
            assert!(l.diags.is_empty(), "{written}: {:#?}", l.diags);
            assert_eq!(l.doc.issued, Some(day), "{written}");
        }
        let l = lowered("title: A\nkind: resolution\nissued: 2020-05\n");
        let issued = l.doc.issued.unwrap();
        assert_eq!((issued.year, issued.month, issued.precision), (2020, 5, Precision::Month));

        // A date the sources do not give stays unknown; lists order it by its term.
        for written in ["unknown", "chưa rõ", "Không rõ"] {
            let l = lowered(&format!("title: A\nkind: resolution\nterm: 2015-2020\nissued: {written}\n"));
            assert!(l.diags.is_empty(), "{written}: {:#?}", l.diags);
            assert_eq!(l.doc.issued, None, "{written}");
            assert_eq!(l.doc.date().year, 2015);
        }

        let l = lowered("title: A\nkind: resolution\nissued: 22-05-2020\n");
        let d = problem(&l.diags, "the year 22 is out of range");
        assert_eq!((d.line, d.column), (4, 9));
        assert!(d.hint.as_deref().unwrap().starts_with("did you mean 22/5/2020?"), "{d:?}");
        // A date in the document's words: the form it stands for.
        for (written, meant) in
            [("ngày 22 tháng 5 năm 2020", "22/5/2020"), ("tháng 05/2020", "5/2020"), ("năm 2021", "2021")]
        {
            let l = lowered(&format!("title: A\nkind: resolution\nissued: {written}\n"));
            let d = problem(&l.diags, "is not a date");
            assert_eq!(d.message, format!("`{written}` is not a date"));
            assert!(d.hint.as_deref().unwrap().starts_with(&format!("did you mean {meant}? ")), "{d:?}");
        }
    }

    #[test]
    fn terms_are_two_years_in_order() {
        for written in ["2020-2025", "2020–2025", "2020 - 2025"] {
            let l = lowered(&format!("{HEAD}term: {written}\n"));
            assert!(l.diags.is_empty(), "{written}: {:#?}", l.diags);
            assert_eq!(l.doc.term, Some(Term { start: 2020, end: 2025 }), "{written}");
        }
        let l = lowered(&format!("{HEAD}term: 2025-2020\n"));
        assert_eq!(l.doc.term, None);
        let d = problem(&l.diags, "is not a term");
        assert_eq!(located(d), ("content/u/d.md".into(), 5, 7, "`2025-2020` is not a term"));
    }

    #[test]
    fn ids_and_codes_keep_what_is_written() {
        let l = lowered(&format!("{HEAD}number: \"01-NQ/ĐU\"\ncongress: XIV\n"));
        assert!(l.diags.is_empty(), "{:#?}", l.diags);
        assert_eq!((l.doc.number.as_deref(), l.doc.congress.as_deref()), (Some("01-NQ/ĐU"), Some("XIV")));
        let l = lowered(&format!("{HEAD}targets:\n  - id: 1.10\n    text: Chỉ tiêu\n"));
        let d = problem(&l.diags, "without quotes is read as the number");
        assert_eq!(located(d), ("content/u/d.md".into(), 6, 9, "`1.10` without quotes is read as the number 1.1"));
    }

    #[test]
    fn an_address_is_checked_by_the_url_policy() {
        let l = lowered(&format!("{HEAD}source_url: \"javascript:alert(1)\"\n"));
        assert_eq!(l.doc.source_url, None);
        let d = &l.diags.0[0];
        assert_eq!((l.diags.len(), d.line, d.column), (1, 5, 13), "{:#?}", l.diags);
        assert!(d.message.contains("source_url"), "{d:?}");
        let l = lowered(&format!("{HEAD}source_url: https://example.vn/nq.pdf\n"));
        assert_eq!(l.doc.source_url.as_deref(), Some("https://example.vn/nq.pdf"));
    }
}
