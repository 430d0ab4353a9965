//! From a target's words to its measures: each number that is a level to reach, with
//! the comparison the words around it say (`trên` >, `dưới` <, `ít nhất` ≥ …), its
//! unit, whether it holds every year or by a deadline, and whether it is a level or a
//! change against something else (`vượt`, `tăng`, `giảm`, `lần`, `% chỉ tiêu … giao`),
//! following the table in `docs/content-format.md` (and `../shared/domain.md`).
//!
//! A number that is not a target is left out: years, ages ("trẻ 5 tuổi"), grades
//! ("lớp 1"), document and place numbers ("Chỉ thị số 05", "khu phố 5", "hẻm 14"),
//! "5G", "2 buổi/ngày". What the words do not settle (a bare number with no comparison
//! word) is kept with a reason to review, never given a made-up figure.

use regex::Regex;
use std::sync::LazyLock;

/// A measure read off the words, as the content format writes it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Measure {
    /// `<`, `<=`, `=`, `>=`, `>` or `range`.
    pub op: &'static str,
    /// The level (for `range`, the lower end).
    pub value: f64,
    /// The upper end of a range.
    pub max: Option<f64>,
    /// As written: "0,5", "1.300", "10-12".
    pub written: String,
    pub unit: String,
    /// `year` for "hàng năm / mỗi năm", else by the deadline (`term`).
    pub per_year: bool,
    pub deadline: Option<i32>,
    /// "đến cuối nhiệm kỳ", "hết nhiệm kỳ": by the term's end, a year only the
    /// document's header gives (`import::extract` puts it in `deadline`).
    #[serde(skip)]
    pub by_term_end: bool,
    /// exceed | increase | decrease | ratio | share.
    pub relation: Option<&'static str>,
    pub baseline: Option<String>,
    /// Byte offset of the number in the text it was read from.
    pub at: usize,
    /// Why a person should look again, when the words did not settle it.
    pub review: Vec<String>,
}

/// A number as documents write it: "1.300", "0,5", "05", "1 300" (a stray space
/// between groups of three), a range "10-12", "8–10".
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+(?:[^\d]|$)|\d+)(?:,(\d+))?").expect("valid"));
static YEAR_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:đến|tới|vào)\s+(?:hết\s+|cuối\s+)?(?:năm\s+)?((?:19|20)\d\d)\b").expect("valid")
});
static TERM_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?:cuối|hết)\s+nhiệm\s+kỳ").expect("valid"));
static PER_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(hàng năm|hằng năm|mỗi năm|/năm|/ năm|bình quân năm|bình quân hàng năm|năm sau cao hơn năm trước|so với năm trước|trong năm)")
        .expect("valid")
});

fn num_value(int: &str, frac: Option<&str>) -> Option<f64> {
    let digits: String = int.chars().filter(|c| c.is_ascii_digit()).collect();
    let s = match frac {
        Some(f) => format!("{digits}.{f}"),
        None => digits,
    };
    s.parse().ok()
}

/// The words just before byte `at` of `text`, folded, the nearest last (at most `n`).
fn words_before(text: &str, at: usize, n: usize) -> Vec<String> {
    let before = &text[..at];
    let mut w: Vec<String> = before
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ':')
        .filter(|s| !s.is_empty())
        .map(crate::vi::slug::fold)
        .collect();
    let keep = w.len().saturating_sub(n);
    w.drain(..keep);
    w
}

/// Whether words say "every year": hàng năm, mỗi năm, "…/năm" (not "…/người/năm",
/// which is an income's unit).
fn per_year_in(text: &str) -> bool {
    PER_YEAR.find_iter(text).any(|m| {
        let before = &text[..m.start()];
        !(m.as_str().starts_with('/') && before.to_lowercase().ends_with("người"))
    })
}

/// The words just before byte `at`, lower-cased with their tone marks.
fn raw_before(text: &str, at: usize, n: usize) -> Vec<String> {
    let mut w: Vec<String> = text[..at]
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ':')
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase)
        .collect();
    let keep = w.len().saturating_sub(n);
    w.drain(..keep);
    w
}

/// Whether the words before a number make it something other than a level: a place,
/// a document, a grade, a year.
fn not_a_level(before: &[String], raw: &[String], after: &str) -> bool {
    let last = before.last().map(String::as_str).unwrap_or("");
    let last2 = if before.len() >= 2 { format!("{} {}", before[before.len() - 2], last) } else { String::new() };
    // Compared with tone marks: "bình quân 9%" is a level, "quận 5" a place.
    const PLACE: &[&str] = &[
        "số",
        "lớp",
        "khu",
        "phố",
        "tổ",
        "hẻm",
        "đường",
        "phường",
        "quận",
        "huyện",
        "xã",
        "ấp",
        "thôn",
        "khóa",
        "khoá",
        "thứ",
        "kỳ",
        "đoạn",
        "điều",
        "khoản",
        "mục",
        "chỉ",
        "quý",
        "tháng",
        "ngày",
        "tuổi",
        "nhiệm",
        "lần",
        "giai",
        "kênh",
        "cụm",
        "lô",
        "tập",
        "ct/tw",
        "nq/tw",
        "kcn",
        "block",
        "nhà",
        "căn",
        "kiệt",
        "đợt",
        "vòng",
        "bước",
    ];
    let folded_after = crate::vi::slug::fold(after.trim_start());
    if [
        "tuoi",
        "g ",
        "g,",
        "g.",
        "buoi/ngay",
        "buoi / ngay",
        "/20",
        "-nq",
        "-ct",
        "-kh",
        "-bc",
        "-tb",
        "/qd",
        "/nq",
        "-ctr",
        "khau dot pha",
        "dot pha",
        "nhiem vu trong tam",
        "nhom giai phap",
        "giai phap",
        "noi dung",
        "quan diem",
        "muc tieu",
        "nhiem vu chu yeu",
    ]
    .iter()
    .any(|s| folded_after.starts_with(s))
    {
        return true;
    }
    if folded_after == "g" {
        return true;
    }
    // "tăng 2%" and "từ 10" keep the number; "khu phố 5", "lớp 1", "Chỉ thị số 05" do not.
    if last == "tu" && !folded_after.starts_with("tren") {
        // "từ 6% trở lên", "từ 10-12": a level after all.
        return false;
    }
    let raw_last = raw.last().map(String::as_str).unwrap_or("");
    PLACE.contains(&raw_last) || matches!(last2.as_str(), "chi thi" | "nghi quyet" | "ke hoach" | "lan thu")
}

/// Words that end a unit: what follows the counted noun.
const UNIT_STOP: &[&str] = &[
    "tro", "so", "moi", "hang", "hang nam", "tren", "trong", "den", "vao", "va", "theo", "duoc", "co", "hoan", "thuc",
    "tham", "dat", "la", "cua", "tai", "o", "nam", "hoc", "tro len", "tu", "voi", "cho", "khong", "phai", "nguoi",
    "da", "se", "tong", "hien", "ra", "lam", "bao", "tot", "tro nen", "thanh", "xay", "hoac", "tuong", "xep", "bi",
    "dang", "tai", "giu", "duy", "nang", "len", "thong", "tiep", "kip", "ngan", "phuc", "cong", "sau", "truoc",
];

/// The unit after a number: "%", "‰", or the counted noun up to a stop word
/// ("700 giếng khoan hiện có" → "giếng khoan"; "5 vụ/10.000 dân" → "vụ/10.000 dân").
fn unit_after(after: &str) -> (String, usize) {
    let t = after.trim_start();
    let skipped = after.len() - t.len();
    if let Some(rest) = t.strip_prefix("%o").or_else(|| t.strip_prefix("‰")) {
        return ("‰".into(), skipped + (t.len() - rest.len()));
    }
    if t.starts_with('%') {
        return ("%".into(), skipped + 1);
    }
    let mut unit = String::new();
    let mut used = skipped;
    let mut words = 0;
    for (i, word) in t.split_inclusive(' ').enumerate() {
        let w = word.trim_end();
        let clean = w.trim_end_matches([',', ';', '.', ':', ')', '(']);
        let folded = crate::vi::slug::fold(clean);
        let base = folded.split('/').next().unwrap_or("");
        // "các điểm rác": the counted noun is after the plural word.
        if unit.is_empty() && matches!(base, "cac" | "nhung") {
            used += word.len();
            continue;
        }
        // A proper name ends the unit ("đoàn viên Đoàn Thanh niên"); an acronym does
        // not ("sản phẩm OCOP").
        let proper =
            clean.chars().next().is_some_and(char::is_uppercase) && clean.chars().skip(1).any(char::is_lowercase);
        // "so với" ends it; "cơ sở lưu trú" does not.
        let so_voi = base == "so" && clean.to_lowercase() == "so";
        if clean.is_empty()
            || (!unit.is_empty() && proper)
            || (i > 0 && so_voi)
            || words >= 3
            || (i > 0 && base != "so" && UNIT_STOP.contains(&base))
            || (i == 0 && matches!(base, "tro" | "so" | "den" | "va" | "trong"))
            || clean.chars().next().is_some_and(|c| c.is_ascii_digit())
        {
            break;
        }
        // Scale words belong to the unit ("1,1 tỷ đồng").
        if !unit.is_empty() {
            unit.push(' ');
        }
        unit.push_str(clean);
        used += word.len();
        words += 1;
        // A unit of measurement is the whole unit: "500 ha cà phê" is in ha, "1,1 tỷ
        // đồng" in tỷ đồng.
        const MEASURES: &[&str] = &["ha", "km", "m", "m2", "m²", "tan", "kg", "lit", "mw", "kwh", "gio", "lan", "%"];
        if words == 1 && MEASURES.contains(&base) && !clean.contains('/') {
            break;
        }
        if words == 2
            && unit
                .split_whitespace()
                .next()
                .is_some_and(|w| matches!(crate::vi::slug::fold(w).as_str(), "ty" | "trieu" | "nghin" | "ngan"))
            && base == "dong"
            && !clean.contains('/')
        {
            break;
        }
        // A slash joins the rate's parts ("vụ/10.000 dân", "đảng viên/năm"): the unit
        // ends after the word after it.
        let per_number = clean.rsplit('/').next().is_some_and(|x| x.chars().next().is_some_and(|c| c.is_ascii_digit()));
        if clean.len() < w.len() || (clean.contains('/') && !clean.ends_with('/') && !per_number) {
            break;
        }
        if per_number {
            // "vụ/10.000" + "dân", then done.
            // "vụ/10.000" + "dân", "bé trai/100" + "bé gái", then done.
            for _ in 0..2 {
                let rest = &t[used - skipped..];
                let Some(next) = rest.split_whitespace().next() else { break };
                let bare = next.trim_end_matches([',', ';', '.', ':', ')']);
                let f = crate::vi::slug::fold(bare);
                if bare.is_empty()
                    || UNIT_STOP.contains(&f.as_str())
                    || bare.chars().next().is_some_and(|c| !c.is_lowercase())
                {
                    break;
                }
                unit.push(' ');
                unit.push_str(bare);
                used += rest.find(bare).unwrap_or(0) + bare.len();
                if bare.len() < next.len() || f.contains('/') {
                    break;
                }
            }
            break;
        }
    }
    (unit, used)
}

/// Cut the per-year suffix off a unit: "đảng viên/năm" → ("đảng viên", true).
fn split_per_year(unit: &str) -> (String, bool) {
    for suffix in ["/năm", "/ năm"] {
        // "triệu đồng/người/năm" is an income, a unit of its own.
        let rate = |u: &str| u.rsplit('/').next().is_some_and(|x| x.chars().next().is_some_and(|c| c.is_ascii_digit()));
        if let Some(u) = unit.strip_suffix(suffix).filter(|u| !u.contains('/') || rate(u)) {
            return (u.trim().to_string(), true);
        }
    }
    (unit.to_string(), false)
}

/// The comparison the words next to the number say, and whether it was said.
fn op_of(before: &[String], after_unit: &str) -> Option<&'static str> {
    let after = crate::vi::slug::fold(after_unit.trim_start());
    if after.starts_with("tro len") || after.starts_with("tro nen") {
        return Some(">=");
    }
    if after.starts_with("tro xuong") {
        return Some("<=");
    }
    let n = before.len();
    let w = |k: usize| if k <= n && k > 0 { before[n - k].as_str() } else { "" };
    let two = format!("{} {}", w(2), w(1));
    let three = format!("{} {} {}", w(3), w(2), w(1));
    // Nearest first.
    if matches!(three.as_str(), "khong vuot qua" | "khong cao hon") || matches!(two.as_str(), "khong qua" | "toi da") {
        return Some("<=");
    }
    if matches!(two.as_str(), "khong duoi" | "it nhat" | "toi thieu" | "khong thap") || three == "khong thap hon" {
        return Some(">=");
    }
    match w(1) {
        "duoi" => return Some("<"),
        "tren" | "hon" => return Some(">"),
        "dat" | "dat:" => return Some(">="),
        "bang" => return Some("="),
        _ => {}
    }
    // One word further: "đạt trên 95%" is caught above; "dưới mức 5" or "trên 95 %".
    match (w(2), w(1)) {
        ("duoi", _) => Some("<"),
        ("tren", "muc") => Some(">"),
        _ => None,
    }
}

/// Whether words say "reduce" ("giảm"), tone marks and all.
fn says_reduce(raw: &str) -> bool {
    raw.contains("giảm")
}

/// The measures in one target's words. `context` is the lead-in the item sits under
/// ("Về kinh tế, đến năm 2030:"), whose deadline and "hàng năm" apply to it.
pub fn measures(text: &str, context: &str) -> Vec<Measure> {
    let mut out: Vec<Measure> = Vec::new();
    // Sentences and clauses: a deadline or "hàng năm" holds for its own clause.
    let mut start = 0;
    // (offset, clause, whether it opens a sentence)
    let clauses: Vec<(usize, &str, bool)> = {
        let mut v = Vec::new();
        let bytes = text.as_bytes();
        let mut opens = true;
        for (i, &b) in bytes.iter().enumerate() {
            let end_of_sentence = b == b'.' && bytes.get(i + 1).is_none_or(|n| *n == b' ') && !prev_is_digit(text, i);
            if b == b';' || end_of_sentence {
                v.push((start, &text[start..i], opens));
                opens = end_of_sentence;
                start = i + 1;
            }
        }
        if start < text.len() {
            v.push((start, &text[start..], opens));
        }
        v
    };
    let context_deadline = YEAR_AFTER.captures(context).and_then(|c| c[1].parse::<i32>().ok());
    let context_per_year = per_year_in(context);
    // What a sentence says at its start ("Hằng năm, …; …", "Phấn đấu đến năm 2025, …;
    // …") holds for its later clauses that say nothing of their own.
    let mut sentence: (Option<i32>, bool) = (None, false);
    for (offset, clause, opens) in clauses {
        let own_deadline = YEAR_AFTER.captures(clause).and_then(|c| c[1].parse::<i32>().ok());
        let own_per_year = per_year_in(clause);
        if opens {
            let head: String = clause.split_whitespace().take(7).collect::<Vec<_>>().join(" ");
            sentence = (YEAR_AFTER.captures(&head).and_then(|c| c[1].parse::<i32>().ok()), per_year_in(&head));
        }
        let inherit = !opens && own_deadline.is_none() && !own_per_year;
        let deadline = own_deadline.or(if inherit { sentence.0 } else { None }).or(context_deadline);
        let clause_per_year = context_per_year || (inherit && sentence.1);
        // The clause's own "hàng năm" holds from its start up to its first figure, and
        // then for the figure it stands beside: "100% khối phố …, tỷ lệ gia đình văn
        // hóa hằng năm đạt trên 92%" is yearly for the 92 only.
        let head_per_year = per_year_in(&clause.split_whitespace().take(6).collect::<Vec<_>>().join(" "));
        let _ = own_per_year;
        let folded_clause = crate::vi::slug::fold(clause);
        let mut last_end = 0;
        let mut found_in_clause = 0;
        let mut iter = NUMBER.captures_iter(clause).peekable();
        while let Some(c) = iter.next() {
            let m = c.get(1).expect("group 1");
            let mut int = m.as_str();
            // The stray-space form captured the character after it.
            if int.contains(' ') && !int.ends_with(|ch: char| ch.is_ascii_digit()) {
                int = &int[..int.len() - int.chars().last().map(char::len_utf8).unwrap_or(0)];
            }
            let frac = c.get(2).map(|f| f.as_str());
            let whole_end = m.start() + int.len() + frac.map(|f| f.len() + 1).unwrap_or(0);
            let Some(mut value) = num_value(int, frac) else { continue };
            let before = words_before(clause, m.start(), 4);
            let after = &clause[whole_end.min(clause.len())..];
            // Part of a date, a unit ("/10.000 dân") or a fraction's denominator.
            let prev_char = clause[..m.start()].chars().last();
            if matches!(prev_char, Some('/' | '-' | '.')) {
                continue;
            }
            if (1900.0..=2100.0).contains(&value) && frac.is_none() && !after.trim_start().starts_with('%') {
                let unit_word = crate::vi::slug::fold(after.trim_start());
                if !unit_word.starts_with("nguoi")
                    && !unit_word.starts_with("ho ")
                    && !unit_word.starts_with("dang vien")
                {
                    continue;
                }
            }
            if not_a_level(&before, &raw_before(clause, m.start(), 2), after) {
                continue;
            }
            // A range: "10-12", "8–10%", "từ 3 đến 5%".
            let mut max = None;
            let mut written_end = whole_end;
            let rest = &clause[whole_end.min(clause.len())..];
            static RANGE: LazyLock<Regex> =
                LazyLock::new(|| Regex::new(r"^\s*(?:[-–—]|đến)\s*(\d+(?:[.,]\d+)?)").expect("valid"));
            if let Some(r) = RANGE.captures(rest) {
                let second = r.get(1).expect("group").as_str();
                let hi = crate::vi::number::parse(second).ok().map(|p| p.value);
                if let Some(hi) = hi.filter(|&hi| hi > value) {
                    max = Some(hi);
                    written_end = whole_end + r.get(0).expect("whole").end();
                    // The next capture is the range's upper end.
                    iter.next();
                }
            }
            let (unit_raw, unit_len) = unit_after(&clause[written_end.min(clause.len())..]);
            let after_unit = &clause[(written_end + unit_len).min(clause.len())..];
            let (mut unit, unit_per_year) = split_per_year(&unit_raw);
            // A bare count with nothing after it and no comparison word: not a target.
            let op_said = op_of(&before, after_unit);
            let window = crate::vi::slug::fold(&clause[last_end..m.start()]);
            // Tone marks kept: "giảm" (reduce) and "giám" (giám sát) fold alike.
            let raw_window = clause[last_end..m.start()].to_lowercase();
            // "giảm còn 3%", "giảm xuống (còn) dưới 0,5%", "xuống còn 12%": the level to
            // reach, not a decrease by so much.
            let to_a_level = {
                let w = raw_window.trim_end();
                ["giảm còn", "xuống còn", "giảm xuống", "xuống dưới", "xuống mức", "xuống"]
                    .iter()
                    .any(|k| w.ends_with(k) || w.ends_with(&format!("{k} dưới")) || w.ends_with(&format!("{k} còn")))
            };
            // "giảm từ 15% (năm 2025) xuống còn …": the figure it starts from.
            if raw_window.trim_end().ends_with("giảm từ") && crate::vi::slug::fold(after).contains("xuong") {
                continue;
            }
            let near = before.join(" ");
            let after_folded = crate::vi::slug::fold(after_unit);
            let mut relation: Option<&'static str> = None;
            let mut baseline = None;
            let mut review = Vec::new();
            if crate::vi::slug::fold(&unit) == "lan" || window.contains("gap ") {
                relation = Some("ratio");
                if unit.is_empty() {
                    unit = "lần".into();
                }
            } else if after_folded.trim_start().starts_with("chi tieu") && after_folded.contains("giao")
                || after_folded.trim_start().starts_with("ke hoach")
            {
                relation = Some("share");
                baseline = Some(clause_phrase(after_unit));
            } else if window.contains("vuot") {
                relation = Some("exceed");
                baseline = phrase_after_word(&clause[last_end..m.start()], "vượt");
            } else if near.contains("tang") || (window.contains("tang") && folded_clause.contains("so voi")) {
                relation = Some("increase");
            } else if says_reduce(&raw_window)
                && (near.contains("giam") || folded_clause.contains("so voi"))
                && !to_a_level
            {
                // "giảm còn dưới 5%", "giảm xuống dưới 0,5%" say the level to reach.
                relation = Some("decrease");
            }
            if baseline.is_none()
                && relation.is_some()
                && let Some(i) = clause.to_lowercase().find("so với")
            {
                baseline = Some(clause_phrase(&clause[char_boundary(clause, i + "so với".len())..]))
                    .map(|b| cut_at_number(&b))
                    .filter(|b| !b.is_empty());
            }
            // "Cơ cấu kinh tế: thương mại - dịch vụ 48%, …": shares of a whole.
            let share_of_whole = crate::vi::slug::fold(context).contains("co cau") || folded_clause.contains("co cau");
            let op = match op_said {
                Some(op) => op,
                None if to_a_level => "<=",
                None if share_of_whole && unit == "%" && relation.is_none() => "=",
                None if max.is_some() => "range",
                None if unit == "%" && value == 100.0 => "=",
                None => {
                    let said_reach = window.contains("phan dau")
                        || window.contains("dam bao")
                        || window.contains("ket nap")
                        || relation.is_some()
                        || unit == "%";
                    if !said_reach && unit.is_empty() {
                        continue;
                    }
                    // A level with no comparison word is one to reach: "80% học sinh …",
                    // "duy trì 02 khu phố …" (the documents' own convention).
                    ">="
                }
            };
            let op = if max.is_some() && op != "<" && op != "<=" { "range" } else { op };
            if unit.is_empty() {
                review.push("no unit after the number".into());
            }
            // "1,1 tỷ đồng": the scale stays in the unit, as the document writes it.
            if value.fract() == 0.0 && int.starts_with('0') && int.len() > 1 {
                // "05" is 5.
                value = value.trunc();
            }
            let written = clause[m.start()..written_end.min(clause.len())].trim().to_string();
            // From the figure before up to the figure after.
            let from = (written_end + unit_len).min(clause.len());
            let local_end = NUMBER.find(&clause[from..]).map(|m| from + m.start()).unwrap_or(clause.len());
            let local = &clause[last_end..local_end];
            let yearly = clause_per_year || unit_per_year || head_per_year || per_year_in(local);
            out.push(Measure {
                op,
                value,
                max,
                written,
                unit,
                per_year: yearly,
                deadline: if yearly { None } else { deadline },
                by_term_end: !yearly && deadline.is_none() && (TERM_END.is_match(clause) || TERM_END.is_match(context)),
                relation,
                baseline,
                at: offset + m.start(),
                review,
            });
            found_in_clause += 1;
            last_end = (written_end + unit_len).min(clause.len());
        }
        // "không có …", "không để xảy ra …": a count of zero.
        if found_in_clause == 0 {
            static NONE: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(r"(?i)\bkhông (?:có|để (?:xảy ra|phát sinh|tồn đọng)|còn) ([^,;.]{2,60})").expect("valid")
            });
            if let Some(c) = NONE.captures(clause) {
                let noun = c[1]
                    .split_whitespace()
                    .take_while(|w| {
                        !UNIT_STOP.contains(&crate::vi::slug::fold(w).as_str()) && fold_is_not(w, &["bi", "hoan"])
                    })
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ");
                out.push(Measure {
                    op: "=",
                    value: 0.0,
                    max: None,
                    written: "không".into(),
                    unit: noun,
                    per_year: clause_per_year,
                    deadline: if clause_per_year { None } else { deadline },
                    by_term_end: false,
                    relation: None,
                    baseline: None,
                    at: offset + c.get(0).expect("whole").start(),
                    review: vec!["a zero read from \"không có …\": check what is counted".into()],
                });
            }
        }
    }
    out
}

fn fold_is_not(w: &str, words: &[&str]) -> bool {
    !words.contains(&crate::vi::slug::fold(w).as_str())
}

fn prev_is_digit(text: &str, i: usize) -> bool {
    text[..i].chars().last().is_some_and(|c| c.is_ascii_digit())
        && text[i + 1..].chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

/// The words of a clause up to its next break, trimmed: a baseline ("năm 2020").
fn clause_phrase(s: &str) -> String {
    let end = s.find([',', ';', '.', '(', ')']).unwrap_or(s.len());
    s[..end].trim().trim_start_matches("là").trim().to_string()
}

/// What follows `word` up to the number: "vượt chỉ tiêu pháp lệnh từ" → "chỉ tiêu pháp lệnh".
fn phrase_after_word(window: &str, word: &str) -> Option<String> {
    let i = window.rfind(word)?;
    let mut p = format!(" {}", window[i + word.len()..].trim());
    for tail in [" từ", " ít nhất", " trên", " là", " đạt", " khoảng", " bình quân", " hàng năm", " mỗi năm"]
    {
        if let Some(s) = p.strip_suffix(tail) {
            p = s.trim().to_string();
        }
    }
    let p = p.trim_end_matches([',', ':']).trim().to_string();
    (!p.is_empty() && p.chars().count() < 60).then_some(p)
}

/// A baseline up to the figure that follows it: "năm trước 0,3%" → "năm trước".
fn cut_at_number(b: &str) -> String {
    let end = b.find(|c: char| c.is_ascii_digit()).filter(|&i| {
        // "năm 2020" keeps its year.
        !b[..i].trim_end().ends_with("năm")
    });
    b[..end.unwrap_or(b.len())].trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Vec<(String, f64, Option<f64>, String, bool, Option<i32>, Option<&'static str>)> {
        measures(text, "")
            .into_iter()
            .map(|m| (m.op.to_string(), m.value, m.max, m.unit, m.per_year, m.deadline, m.relation))
            .collect()
    }

    #[test]
    fn reducing_to_a_level_is_at_most_that_level_and_giam_sat_is_no_reduction() {
        let m = one("Tỷ lệ trẻ em suy dinh dưỡng giảm xuống còn 12% vào năm 2030.");
        assert_eq!((m[0].0.as_str(), m[0].1, m[0].5, m[0].6), ("<=", 12.0, Some(2030), None));
        let m = one("Tỷ lệ hộ cận nghèo giảm còn 3%.");
        assert_eq!((m[0].0.as_str(), m[0].6), ("<=", None));
        let m = one("Tỷ lệ hộ nghèo giảm từ 15% năm 2025 xuống còn dưới 10%.");
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!((m[0].0.as_str(), m[0].1, m[0].6), ("<", 10.0, None));
        let m = one("Kiểm tra, giám sát 100% tổ chức đảng.");
        assert_eq!(m[0].6, None, "giám sát is no decrease");
        let m = one("Số vụ phạm pháp hình sự giảm 5% mỗi năm.");
        assert_eq!((m[0].0.as_str(), m[0].6), (">=", Some("decrease")));
    }

    #[test]
    fn the_comparison_words_of_the_domain_primer() {
        assert_eq!(one("bảo hiểm y tế đạt trên 95%")[0].0, ">");
        assert_eq!(one("tỷ lệ hộ nghèo dưới 0,5%")[0..1], [("<".into(), 0.5, None, "%".into(), false, None, None)]);
        assert_eq!(one("ít nhất 80% hộ phân loại rác tại nguồn")[0].0, ">=");
        let m = one("Thu ngân sách nhà nước theo phân cấp: phấn đấu vượt chỉ tiêu pháp lệnh từ 6% trở lên mỗi năm.");
        assert_eq!(m, [(">=".into(), 6.0, None, "%".into(), true, None, Some("exceed"))]);
        assert_eq!(one("100% chất thải rắn được thu gom")[0].0, "=");
        let m = one("kết nạp đảng viên hàng năm từ 10-12 đồng chí");
        assert_eq!(m, [("range".into(), 10.0, Some(12.0), "đồng chí".into(), true, None, None)]);
        assert_eq!(one("mỗi năm tăng 2% hội viên phụ nữ")[0].6, Some("increase"));
        assert_eq!(one("thu nhập hộ nghèo tăng so với năm 2020 là 1,3 lần")[0].6, Some("ratio"));
        let m = one("Kiềm chế số vụ phạm pháp hình sự dưới 5 vụ/10.000 dân");
        assert_eq!((m[0].0.as_str(), m[0].1, m[0].3.as_str()), ("<", 5.0, "vụ/10.000 dân"));
        assert_eq!(one("không có chi bộ không hoàn thành nhiệm vụ")[0].1, 0.0);
        assert_eq!(one("Kết nạp 10 đảng viên/năm")[0], (">=".into(), 10.0, None, "đảng viên".into(), true, None, None));
    }

    #[test]
    fn numbers_that_are_not_targets_are_left_out() {
        let m = one(
            "Đến năm 2025, 100% học sinh lớp 1, 80% học sinh tiểu học và 60% học sinh trung học cơ sở học 2 buổi/ngày.",
        );
        assert_eq!(m.iter().map(|m| m.1).collect::<Vec<_>>(), [100.0, 80.0, 60.0]);
        assert!(m.iter().all(|m| m.5 == Some(2025)));
        assert!(one("Cải tạo nâng cấp hẻm 14 Đường số 53 khu phố 5.").is_empty());
        assert!(one("theo Chỉ thị số 05-CT/TW, phủ sóng 5G, trẻ 5 tuổi").is_empty());
        let m = one("Phấn đấu đến năm 2025, vận động trám, lấp ít nhất 700 giếng khoan hiện có.");
        assert_eq!(m, [(">=".into(), 700.0, None, "giếng khoan".into(), false, Some(2025), None)]);
        assert_eq!(one("đạt 1.300 hộ")[0].1, 1300.0);
        assert_eq!(one("giảm còn dưới 1 300 hộ")[0].1, 1300.0);
        assert_eq!(one("tỷ lệ sinh con thứ 3 giảm 0,3%")[0].1, 0.3);
    }
}
