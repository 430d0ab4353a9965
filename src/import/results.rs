//! The results a review or a conclusion reports: a figure at a date ("Tỷ lệ hộ nghèo
//! đến cuối năm 2022 là 3,07%"), a fraction ("08/08 chi bộ"), a share of the target
//! ("đạt tỷ lệ 60% so với Nghị quyết"), with the verdict the document gives (vượt,
//! đạt, chưa đạt, đang thực hiện) and the sentence as its quote.

use super::structure::Para;
use crate::vi::slug::fold;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Found {
    pub quote: String,
    /// What was measured: the words before the figure.
    pub label: String,
    pub value: Option<f64>,
    pub written: Option<String>,
    pub of: Option<f64>,
    pub unit: Option<String>,
    pub share_of_target: Option<f64>,
    pub verdict: Option<&'static str>,
    /// The year the figure is for, when the sentence gives one before the report's.
    pub covers: Option<i32>,
    pub line: usize,
    pub page: Option<u32>,
}

static FRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,6}(?:\.\d{3})*)\s*/\s*(\d{1,6}(?:\.\d{3})*)\s+([^\d\s,;.()][^,;.()]{0,25})").expect("valid")
});
static FIGURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(%|‰|%o)").expect("valid"));
static SHARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)đạt\s+(?:tỷ lệ\s+|tỉ lệ\s+)?(\d+(?:,\d+)?)\s*%\s*(?:so với|kế hoạch|chỉ tiêu|dự toán|nghị quyết|NQ)",
    )
    .expect("valid")
});
static COVERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:cuối |hết |trong )?năm ((?:19|20)\d\d)").expect("valid"));

fn number(int: &str, frac: Option<&str>) -> Option<f64> {
    let digits: String = int.chars().filter(|c| c.is_ascii_digit()).collect();
    match frac {
        Some(f) => format!("{digits}.{f}").parse().ok(),
        None => digits.parse().ok(),
    }
}

/// What the words say of the figure: vượt, đạt, chưa đạt, đang thực hiện.
fn verdict(folded: &str) -> Option<&'static str> {
    if folded.contains("chua dat") || folded.contains("khong dat") {
        Some("not-met")
    } else if folded.contains("vuot chi tieu")
        || folded.contains("vuot ke hoach")
        || folded.contains("vuot nghi quyet")
        || folded.contains("dat va vuot")
    {
        Some("exceeded")
    } else if folded.contains("dat chi tieu")
        || folded.contains("hoan thanh chi tieu")
        || folded.contains("dat ke hoach")
        || folded.contains("dat nghi quyet")
    {
        Some("met")
    } else if folded.contains("dang thuc hien") || folded.contains("dang trien khai") {
        Some("in-progress")
    } else {
        None
    }
}

/// The sentences of the document that report a figure.
pub fn find(paras: &[Para], issued: Option<(i32, u32, u32)>) -> Vec<Found> {
    let mut out = Vec::new();
    for p in paras {
        for sentence in sentences(&p.text) {
            for f in read_all(sentence, issued) {
                out.push(Found { line: p.line, page: p.page, ..f });
            }
        }
    }
    out
}

/// A resolution's footnotes on the last term: not read yet (their targets are another
/// document's, which the officer links by hand).
pub fn footnotes(_paras: &[Para], _issued: Option<(i32, u32, u32)>) -> Vec<Found> {
    Vec::new()
}

fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    for i in 0..b.len() {
        let end = (b[i] == b';' || (b[i] == b'.' && b.get(i + 1).is_none_or(|c| *c == b' ')))
            && !(i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit));
        if end {
            out.push(text[start..=i].trim());
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(text[start..].trim());
    }
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// Every figure a sentence reports, one result each: "Gia đình học tập đạt 96,18%, đơn
/// vị học tập đạt 95%" is two. A count is a figure when a verb of result stands just
/// before it ("kết nạp 12 đảng viên", "giải quyết 130 ý kiến").
fn read_all(sentence: &str, issued: Option<(i32, u32, u32)>) -> Vec<Found> {
    let folded = fold(sentence);
    // A target, a task or a plan is not a result.
    if ["phan dau", "den nam 20", "muc tieu", "chi tieu nghi quyet la"].iter().any(|w| folded.starts_with(w)) {
        return Vec::new();
    }
    if sentence.chars().count() > 500 {
        return Vec::new();
    }
    let shares: Vec<(usize, usize, f64)> = SHARE
        .captures_iter(sentence)
        .filter_map(|c| {
            let m = c.get(0)?;
            Some((m.start(), m.end(), c[1].replace(',', ".").parse().ok()?))
        })
        .collect();
    // (start, end, value, written, of, unit)
    let mut figures: Vec<(usize, usize, f64, String, Option<f64>, String)> = Vec::new();
    for c in FRACTION.captures_iter(sentence) {
        let (Some(a), Some(b)) = (number(&c[1], None), number(&c[2], None)) else { continue };
        // A date (15/5) or a scale (1/2000) is no result.
        if b == 0.0 || a > b * 10.0 || fold(&c[3]).starts_with("20") || (1900.0..=2100.0).contains(&b) {
            continue;
        }
        let m = c.get(0).expect("whole");
        let unit = c[3].split_whitespace().take(3).collect::<Vec<_>>().join(" ");
        figures.push((
            m.start(),
            m.end(),
            a,
            sentence[m.start()..c.get(2).expect("of").end()].to_string(),
            Some(b),
            unit,
        ));
    }
    for c in FIGURE.captures_iter(sentence) {
        let m = c.get(0).expect("whole");
        if shares.iter().any(|&(s, e, _)| m.start() >= s && m.end() <= e)
            || figures.iter().any(|f| m.start() < f.1 && m.end() > f.0)
        {
            continue;
        }
        let Some(v) = number(&c[1], c.get(2).map(|x| x.as_str())) else { continue };
        let unit = if &c[3] == "%o" { "‰" } else { &c[3] };
        figures.push((m.start(), m.end(), v, m.as_str().trim().to_string(), None, unit.to_string()));
    }
    // A count of what a report counts ("cử 02 đồng chí", "tiếp nhận 19 đảng viên",
    // "1.117.213.000 đồng"), or a count after a verb of result ("kết nạp 12 …").
    static COUNT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|[\s(:])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(đồng chí|đảng viên|chi bộ|tập thể chi bộ|tập thể|cá nhân|người|mô hình|hộ|ý kiến|lượt người|lượt|đối tượng|tổ dân phố|công trình|đồng|đ\b|triệu đồng|tỷ đồng|ngôi mộ|giếng khoan|tuyến hẻm|trường|học sinh|lao động|vụ|cơ sở|doanh nghiệp|chi ủy|đoàn viên|hội viên)").expect("valid")
    });
    for c in COUNT.captures_iter(sentence) {
        let m = c.get(1).expect("number");
        if figures.iter().any(|f| m.start() < f.1 && m.end() > f.0)
            || shares.iter().any(|&(s, e, _)| m.start() >= s && m.end() <= e)
        {
            continue;
        }
        let Some(v) = number(m.as_str(), c.get(2).map(|x| x.as_str())) else { continue };
        // A year, or what comes before a place's number ("khu dân cư số 5").
        let before = fold(&sentence[..m.start()]);
        if (1900.0..=2100.0).contains(&v)
            || before.ends_with("so ")
            || before.ends_with("khoa ")
            || before.ends_with("lan thu ")
        {
            continue;
        }
        let end = c.get(3).expect("unit").end();
        figures.push((m.start(), end, v, sentence[m.start()..end].trim().to_string(), None, c[3].trim().to_string()));
    }
    figures.sort_by_key(|f| f.0);
    let verdict_all = verdict(&folded);
    let covers = COVERS
        .captures(sentence)
        .and_then(|c| c[1].parse::<i32>().ok())
        .filter(|y| issued.is_none_or(|(iy, _, _)| *y < iy));
    let quote = sentence.trim_start_matches(['-', '+', '•', ' ']).to_string();
    let mut out = Vec::new();
    let mut last_end = 0;
    for (i, (start, end, value, written, of, unit)) in figures.iter().enumerate() {
        // The words since the last figure, back to the clause's start.
        let before = &sentence[last_end..*start];
        let clause_start = before.rfind([',', ';', ':']).map(|k| k + 1).unwrap_or(0);
        let label = strip_verbs(
            before[clause_start..].split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches([',', ':']).trim(),
        );
        let next = figures.get(i + 1).map(|f| f.0).unwrap_or(sentence.len());
        // A share said right after the figure belongs to it ("12 đảng viên, đạt 60% so với …").
        let share = shares.iter().find(|&&(s, _, _)| s >= *end && s < next).map(|&(_, _, v)| v);
        let tail = fold(&sentence[*end..next]);
        out.push(Found {
            quote: quote.clone(),
            label,
            value: Some(*value),
            written: Some(written.clone()),
            of: *of,
            unit: Some(unit.clone()),
            share_of_target: share,
            verdict: verdict(&tail).or(if figures.len() == 1 { verdict_all } else { None }),
            covers,
            line: 0,
            page: None,
        });
        last_end = *end;
    }
    // The document's verdict alone ("Giao quân … đạt và vượt chỉ tiêu").
    if out.is_empty() && shares.is_empty() && verdict_all.is_some() && !folded.contains("nhiem vu") {
        let cut = [
            "dat va vuot",
            "vuot chi tieu",
            "dat chi tieu",
            "chua dat",
            "khong dat",
            "hoan thanh chi tieu",
            "dang thuc hien",
        ]
        .iter()
        .filter_map(|w| folded.find(w))
        .min()
        .unwrap_or(0);
        // The subject: the words before the verdict (folded offsets are not the text's:
        // the same count of words).
        let n = folded[..cut].split_whitespace().count();
        let label = strip_verbs(&sentence.split_whitespace().take(n).collect::<Vec<_>>().join(" "));
        out.push(Found {
            quote: quote.clone(),
            label,
            value: None,
            written: None,
            of: None,
            unit: None,
            share_of_target: None,
            verdict: verdict_all,
            covers,
            line: 0,
            page: None,
        });
        return out;
    }
    // A share of the target with no figure of its own.
    if out.is_empty()
        && let Some(&(_, _, v)) = shares.first()
    {
        out.push(Found {
            quote,
            label: strip_verbs(&sentence[..shares[0].0]),
            value: None,
            written: None,
            of: None,
            unit: None,
            share_of_target: Some(v),
            verdict: verdict_all,
            covers,
            line: 0,
            page: None,
        });
    }
    out
}

/// "Tỷ lệ hộ nghèo đến cuối năm 2022 là" → "Tỷ lệ hộ nghèo".
fn strip_verbs(label: &str) -> String {
    let label = label.trim();
    let mut l = label.trim_start_matches(['-', '+', '•', ' ']).to_string();
    for cut in [" đến cuối năm", " đến năm", " năm 20", " là", " đạt", " còn", " giảm còn", " ước đạt", " được"]
    {
        if let Some(i) = l.find(cut)
            && i > 3
        {
            l.truncate(i);
        }
    }
    let words: Vec<&str> = l.split_whitespace().collect();
    let start = words.len().saturating_sub(12);
    words[start..].join(" ").trim_end_matches([',', ':', '(']).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_a_fraction_and_a_share_of_the_target() {
        let read = |s: &str, d| read_all(s, d).into_iter().next();
        let r = read("Tỷ lệ hộ nghèo đến cuối năm 2022 là 3,07%.", Some((2023, 5, 18))).unwrap();
        assert_eq!(
            (r.value, r.unit.as_deref(), r.covers, r.label.as_str()),
            (Some(3.07), Some("%"), Some(2022), "Tỷ lệ hộ nghèo")
        );
        let r = read("có 08/08 chi bộ hoàn thành tốt nhiệm vụ", None).unwrap();
        assert_eq!((r.value, r.of), (Some(8.0), Some(8.0)));
        let r = read("kết nạp 12 đảng viên mới, đạt tỷ lệ 60% so với Nghị quyết", None).unwrap();
        assert_eq!((r.value, r.unit.as_deref(), r.share_of_target), (Some(12.0), Some("đảng viên"), Some(60.0)));
        let two = read_all("Gia đình học tập đạt 96,18%, đơn vị học tập đạt 95%.", None);
        assert_eq!(
            two.iter().map(|r| (r.value, r.label.as_str())).collect::<Vec<_>>(),
            [(Some(96.18), "Gia đình học tập"), (Some(95.0), "đơn vị học tập")]
        );
        assert!(read("Phấn đấu đến năm 2025 đạt 95%", None).is_none());
    }
}
