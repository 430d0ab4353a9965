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

static FRACTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,6}(?:\.\d{3})*)\s*/\s*(\d{1,6}(?:\.\d{3})*)\s+([^\d\s,;.()][^,;.()]{0,25})").expect("valid"));
static FIGURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(%|‰|%o)").expect("valid"));
static SHARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)đạt\s+(?:tỷ lệ\s+|tỉ lệ\s+)?(\d+(?:,\d+)?)\s*%\s*(?:so với|kế hoạch|chỉ tiêu|dự toán|nghị quyết|NQ)").expect("valid")
});
static COVERS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?:cuối |hết |trong )?năm ((?:19|20)\d\d)").expect("valid"));

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
    } else if folded.contains("vuot chi tieu") || folded.contains("vuot ke hoach") || folded.contains("vuot nghi quyet") || folded.contains("dat va vuot") {
        Some("exceeded")
    } else if folded.contains("dat chi tieu") || folded.contains("hoan thanh chi tieu") || folded.contains("dat ke hoach") || folded.contains("dat nghi quyet") {
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
            if let Some(f) = read(sentence, issued) {
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

fn read(sentence: &str, issued: Option<(i32, u32, u32)>) -> Option<Found> {
    let folded = fold(sentence);
    // A target, a task or a plan is not a result.
    if ["phan dau", "den nam 20", "muc tieu", "chi tieu nghi quyet la"].iter().any(|w| folded.starts_with(w)) {
        return None;
    }
    let says = ["dat ", "vuot", "la ", "con ", "hoan thanh", "giam", "tang", "ket nap"].iter().any(|w| folded.contains(w));
    if !says || sentence.chars().count() > 400 {
        return None;
    }
    let share = SHARE.captures(sentence).and_then(|c| number(&c[1].replace(',', "."), None).or_else(|| c[1].replace(',', ".").parse().ok()));
    let (value, written, of, unit, at) = if let Some(c) = FRACTION.captures(sentence) {
        let (a, b) = (number(&c[1], None)?, number(&c[2], None)?);
        // A date (15/5) or a scale (1/2000) is no result.
        if b == 0.0 || a > b * 10.0 || fold(&c[3]).starts_with("20") || (b >= 1900.0 && b <= 2100.0) {
            return None;
        }
        let unit = c[3].split_whitespace().take(3).collect::<Vec<_>>().join(" ");
        (Some(a), Some(c[0][..c.get(2)?.end() - c.get(0)?.start()].to_string()), Some(b), Some(unit), c.get(0)?.start())
    } else if let Some(c) = FIGURE.captures_iter(sentence).find(|c| Some(c[0].to_string()) != SHARE.captures(sentence).map(|s| format!("{}%", &s[1]))) {
        let v = number(&c[1], c.get(2).map(|m| m.as_str()))?;
        let unit = if &c[3] == "%o" { "‰" } else { &c[3] };
        (Some(v), Some(c[0].trim().to_string()), None, Some(unit.to_string()), c.get(0)?.start())
    } else if share.is_some() {
        (None, None, None, None, SHARE.find(sentence)?.start())
    } else {
        return None;
    };
    let verdict = verdict(&folded);
    let label: String = sentence[..at]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches([',', ':'])
        .trim()
        .to_string();
    let label = strip_verbs(&label);
    let covers = COVERS.captures(sentence).and_then(|c| c[1].parse::<i32>().ok()).filter(|y| issued.is_none_or(|(iy, _, _)| *y < iy));
    Some(Found {
        quote: sentence.trim_start_matches(['-', '+', '•', ' ']).to_string(),
        label,
        value,
        written,
        of,
        unit,
        share_of_target: share,
        verdict,
        covers,
        line: 0,
        page: None,
    })
}

/// "Tỷ lệ hộ nghèo đến cuối năm 2022 là" → "Tỷ lệ hộ nghèo".
fn strip_verbs(label: &str) -> String {
    let mut l = label.trim_start_matches(['-', '+', '•', ' ']).to_string();
    for cut in [" đến cuối năm", " đến năm", " năm 20", " là", " đạt", " còn", " giảm còn", " ước đạt", " được"] {
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
        let r = read("Tỷ lệ hộ nghèo đến cuối năm 2022 là 3,07%.", Some((2023, 5, 18))).unwrap();
        assert_eq!((r.value, r.unit.as_deref(), r.covers, r.label.as_str()), (Some(3.07), Some("%"), Some(2022), "Tỷ lệ hộ nghèo"));
        let r = read("có 08/08 chi bộ hoàn thành tốt nhiệm vụ", None).unwrap();
        assert_eq!((r.value, r.of), (Some(8.0), Some(8.0)));
        let r = read("kết nạp 12 đảng viên mới, đạt tỷ lệ 60% so với Nghị quyết", None).unwrap();
        assert_eq!(r.share_of_target, Some(60.0));
        assert!(read("Phấn đấu đến năm 2025 đạt 95%", None).is_none());
    }
}
