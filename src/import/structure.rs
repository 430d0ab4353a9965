//! The shape of a document's text: its header (kind, number, place and date, issuer,
//! term, congress, signer), the part that lists its targets, the groups in it
//! ("1.1. Về kinh tế - đô thị (05 chỉ tiêu)") and each numbered item, with the
//! lead-in it sits under. Lines broken in the middle of a sentence are joined first,
//! and the Markdown marks of a pasted text (`**`, `\*`, `#`) are read through.

use super::measure::{self, Measure};
use super::read::Line;
use crate::vi::slug::fold;
use regex::Regex;
use std::sync::LazyLock;

/// A paragraph of the document: lines joined, with the first line's number (from 1)
/// and page.
#[derive(Debug, Clone)]
pub struct Para {
    pub text: String,
    pub line: usize,
    pub page: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Target,
    Work,
    Program,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub count: Option<u32>,
    pub kind: ItemKind,
    pub line: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Item {
    pub id: String,
    pub group: Option<String>,
    pub kind: ItemKind,
    pub text: String,
    pub line: usize,
    pub page: Option<u32>,
    pub measures: Vec<Measure>,
    /// The vocabulary's indicator its words suggest (`vocab::Vocabulary::suggest`).
    pub indicator: Option<String>,
    /// What a person should look at again.
    pub review: Vec<String>,
    /// How sure the reading is, 0 to 1: lower for each point to review.
    pub confidence: f32,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Meta {
    pub kind: Option<&'static str>,
    pub number: Option<String>,
    pub place: Option<String>,
    /// (year, month, day); an ISO date ("2020-05-22") in `--json`.
    #[serde(serialize_with = "iso_date")]
    pub issued: Option<(i32, u32, u32)>,
    pub issuer: Option<String>,
    pub signer: Option<String>,
    pub signer_role: Option<String>,
    pub term: Option<(i32, i32)>,
    pub congress: Option<String>,
    pub title: Option<String>,
    pub recipients: Vec<String>,
}

fn iso_date<S: serde::Serializer>(d: &Option<(i32, u32, u32)>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some((y, m, day)) => s.serialize_str(&format!("{y:04}-{m:02}-{day:02}")),
        None => s.serialize_none(),
    }
}

/// Markdown marks of pasted text, read through: bold and italic stars, escaped stars,
/// heading hashes.
fn unmark(s: &str) -> String {
    let t = s.replace("\\*", "*").replace("**", "").replace("__", "");
    let t = t.trim_start_matches('#').trim();
    // A lone italic star pair around a whole line ("*Phường 12, ngày …*").
    let t = t.strip_prefix('*').and_then(|x| x.strip_suffix('*')).unwrap_or(t);
    t.trim().to_string()
}

/// Lines → paragraphs: a line that does not end a sentence runs on into the next when
/// that one starts in lower case (a line broken by a PDF or a paste); a blank line ends
/// a paragraph, as does a line that starts a list item.
///
/// A line of two columns ("Nơi nhận:        T/M ĐẢNG ỦY", a header's two sides, a
/// name beside the last recipient), as text pasted from a two-column layout has them,
/// is read as one line per column: a gap of five spaces or more parts them.
pub fn paragraphs(lines: &[Line]) -> Vec<Para> {
    static GAP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S( {5,}|\t+)\S").expect("valid"));
    // (the line's number, its column, its page)
    let mut pieces: Vec<(usize, String, Option<u32>)> = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let t = l.text.trim();
        let mut from = 0;
        for g in GAP.find_iter(t) {
            // The gap lies inside the match, after its first character.
            let first = t[g.start()..].chars().next().map_or(1, char::len_utf8);
            let gap = &t[g.start() + first..g.end()];
            let last = gap.chars().last().map_or(1, char::len_utf8);
            pieces.push((i, t[from..g.start() + first].to_string(), l.page));
            from = g.end() - last;
        }
        pieces.push((i, t[from..].to_string(), l.page));
    }
    let mut out: Vec<Para> = Vec::new();
    let mut open = false;
    for (k, (i, raw, page)) in pieces.iter().enumerate() {
        let (i, page) = (*i, *page);
        let text = unmark(raw);
        if text.is_empty() || text.chars().all(|c| matches!(c, '-' | '_' | '*' | '=')) {
            open = false;
            continue;
        }
        let starts_lower = text.chars().next().is_some_and(|c| c.is_lowercase());
        let lone_punct = text.chars().all(|c| matches!(c, '.' | ',' | ';' | ':'));
        // A long line that stops mid-sentence was wrapped: the next line goes on with it
        // even when it starts with a figure ("… đạt" / "11 - 12%; …"), unless it opens
        // an item of its own ("2.", "(3)", "a)", "- ").
        let wrapped = out.last().is_some_and(|last| {
            open && !last.text.ends_with(['.', ':', ';', '!', '?']) && pieces[k - 1].1.trim().chars().count() >= 50
        });
        if let Some(last) = out.last_mut()
            && (lone_punct
                || (wrapped && !strong_marker(&text) && !last.text.starts_with('|'))
                || (!marker_start(&text)
                    && starts_lower
                    && (open || !last.text.ends_with(['.', ':', ';', '!', '?']))
                    && !last.text.starts_with('|')))
        {
            if lone_punct {
                last.text.push_str(&text);
            } else {
                last.text.push(' ');
                last.text.push_str(&text);
            }
            open = true;
            continue;
        }
        out.push(Para { text, line: i + 1, page });
        open = true;
    }
    for p in &mut out {
        p.text = p.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}

/// An item's number or bullet at the start of a paragraph.
#[derive(Debug, Clone, PartialEq)]
enum Marker {
    /// "1.", "1.1.", "1.1.1", "3)" or "(3)": the numbers.
    Number(Vec<u32>),
    Roman(String),
    Letter(char),
    Bullet,
    Row,
}

static MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<num>\d{1,2}(?:\.\d{1,2})*)(?:\.\s*|\)\s*|\s+-\s+|\s*/\s+)|\((?P<paren>\d{1,2})\)\s*|(?P<roman>[IVX]{1,5})\s*[.\-–/]\s*|(?P<letter>[a-zđ])[)\.]\s+|(?P<bullet>[-–—+•*·])\s*)",
    )
    .expect("valid")
});

/// An item's own number or bullet: "2.", "1.1.", "(3)", "3)", "a)", "- ", a table row.
fn strong_marker(text: &str) -> bool {
    static STRONG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:\d{1,2}(?:\.\d{1,2})*\.\s|\d{1,2}\)\s|\(\d{1,2}\)|[a-zđ]\)\s|[-–—+•*·]\s|\||[IVX]{1,5}[.\-–]\s)",
        )
        .expect("valid")
    });
    STRONG.is_match(text)
}

fn marker_start(text: &str) -> bool {
    text.starts_with('|') || marker(text).is_some()
}

/// The marker at the start of `text` and the text after it; a bullet before a number
/// ("- (1) Thu ngân sách …") is the number's.
fn marker(text: &str) -> Option<(Marker, &str)> {
    let m = first_marker(text)?;
    if m.0 == Marker::Bullet
        && let Some(inner @ (Marker::Number(_) | Marker::Letter(_), _)) = first_marker(m.1)
    {
        return Some(inner);
    }
    Some(m)
}

fn first_marker(text: &str) -> Option<(Marker, &str)> {
    if let Some(rest) = text.strip_prefix('|') {
        return Some((Marker::Row, rest));
    }
    let c = MARK.captures(text)?;
    let rest = &text[c.get(0)?.end()..];
    let m = if let Some(n) = c.name("num") {
        // "1.300 hộ" is a number, not an item: an item's number is followed by a space
        // or by text ("2. 100% doanh nghiệp …" is item 2).
        let sep = &text[n.end()..c.get(0)?.end()];
        if rest.starts_with(|ch: char| ch.is_ascii_digit()) && !sep.contains(char::is_whitespace) {
            return None;
        }
        Marker::Number(n.as_str().split('.').filter_map(|x| x.parse().ok()).collect())
    } else if let Some(n) = c.name("paren") {
        Marker::Number(vec![n.as_str().parse().ok()?])
    } else if let Some(r) = c.name("roman") {
        if !rest.starts_with(|ch: char| ch.is_uppercase()) {
            return None;
        }
        Marker::Roman(r.as_str().to_string())
    } else if let Some(l) = c.name("letter") {
        Marker::Letter(l.as_str().chars().next()?)
    } else {
        if rest.is_empty() {
            return None;
        }
        Marker::Bullet
    };
    Some((m, rest.trim_start()))
}

/// Whether a heading opens the targets: "CÁC CHỈ TIÊU …", "Các chỉ tiêu chủ yếu",
/// "MỤC TIÊU CHỦ YẾU …".
fn opens_targets(folded: &str) -> bool {
    folded.chars().count() < 140
        && !folded.contains('%')
        && !folded.contains("giai phap")
        && !folded.contains("quan diem")
        && [
            "cac chi tieu",
            "chi tieu chu yeu",
            "chi tieu cu the",
            "mot so chi tieu",
            "muc tieu chu yeu",
            "muc tieu cu the",
            "cac muc tieu",
            "chi tieu va cong trinh",
            "he thong chi tieu",
            "chi tieu kinh te",
        ]
        .iter()
        .any(|k| folded.contains(k))
}

/// Whether a heading ends them: tasks and solutions, or how the plan is carried out.
fn closes_targets(folded: &str) -> bool {
    let n = folded.chars().count();
    let f = folded.trim_start_matches(|c: char| !c.is_alphanumeric());
    // Said at the start of a heading, or in a short one: "Giao … tổ chức thực hiện; …"
    // under an item is no heading.
    [
        "nhiem vu va giai phap",
        "nhiem vu, giai phap",
        "giai phap chu yeu",
        "to chuc thuc hien",
        "nhiem vu chu yeu",
        "cac nhiem vu",
        "giai phap thuc hien",
        "phan cong thuc hien",
        "nhiem vu trong tam",
        "cac giai phap",
    ]
    .iter()
    .any(|k| (f.starts_with(k) && n < 160) || (folded.contains(k) && n < 60))
}

static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(\s*(\d{1,3})\s+(?:chỉ tiêu|công trình|chương trình|nhóm chỉ tiêu|mục tiêu|dự án)[^)]*\)")
        .expect("valid")
});

/// A group's heading: "Về kinh tế - đô thị (05 chỉ tiêu)", "Các công trình trọng điểm:",
/// "* Chương trình trọng điểm (02 chương trình)".
fn group_heading(rest: &str) -> Option<(String, Option<u32>, ItemKind)> {
    let f = fold(rest);
    let count = COUNT.captures(rest).and_then(|c| c[1].parse().ok());
    let kind = if f.contains("cong trinh trong diem")
        || f.contains("cong trinh, du an")
        || f.starts_with("cac cong trinh")
        || f.starts_with("cong trinh")
    {
        ItemKind::Work
    } else if f.contains("chuong trinh trong diem")
        || f.contains("chuong trinh dot pha")
        || f.starts_with("cac chuong trinh")
    {
        ItemKind::Program
    } else {
        ItemKind::Target
    };
    let short = rest.chars().count() < 110;
    let is_group = short
        && (count.is_some()
            || kind != ItemKind::Target
            || ((f.starts_with("ve ") || f.starts_with("linh vuc") || f.starts_with("nhom")) && !f.contains('%')));
    if !is_group {
        return None;
    }
    let name = COUNT.replace(rest, "").trim().trim_end_matches([':', '.', ';', ',']).trim().to_string();
    Some((name, count, kind))
}

/// A lead-in shared by the items under it ("Cơ cấu kinh tế đến năm 2025:"): a short
/// line ending in ":" with no figure of its own.
fn lead_in(text: &str) -> bool {
    text.ends_with(':') && text.chars().count() < 120 && measure::measures(text, "").is_empty()
}

/// The items and groups of the targets' part of `paras`.
pub fn targets(paras: &[Para]) -> (Vec<Group>, Vec<Item>) {
    // A group's heading and its items in one paragraph ("3.1. Về kinh tế (05 chỉ
    // tiêu): (1) …; (2) …"): the heading first, then the items.
    let mut expanded: Vec<Para> = Vec::with_capacity(paras.len());
    for p in paras {
        let pieces = split_run_on(&p.text);
        let head_rest = marker(&pieces[0]).map(|(_, r)| r.to_string()).unwrap_or_else(|| pieces[0].clone());
        if pieces.len() > 1 && group_heading(&head_rest).is_some() {
            expanded.push(Para { text: pieces[0].clone(), ..p.clone() });
            expanded.push(Para { text: pieces[1..].join("; "), ..p.clone() });
        } else {
            expanded.push(p.clone());
        }
    }
    let paras = &expanded[..];
    let mut groups: Vec<Group> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut inside = false;
    let mut seen_region = false;
    let mut group: Option<usize> = None;
    let mut context = String::new();
    let mut bullets = 0u32;
    let mut last_number: Option<String> = None;
    let mut parent_for_letters: Option<String> = None;
    // A table of targets: its header (folded cells), and the reading of the row at hand.
    let mut table: Option<Vec<String>> = None;
    let mut row: Option<(String, String)> = None;
    // What the heading of the targets' part says of all of them (a year).
    let mut region = String::new();
    for p in paras {
        let folded = fold(&p.text);
        let mark = marker(&p.text);
        let heading_text = mark.as_ref().map(|(_, r)| *r).unwrap_or(&p.text);
        let heading_folded = fold(heading_text);
        let headingish = matches!(mark, Some((Marker::Roman(_), _)) | Some((Marker::Number(_), _)) | None)
            || p.text.chars().filter(|c| c.is_alphabetic()).all(|c| !c.is_lowercase())
            || (matches!(mark, Some((Marker::Bullet, _)))
                && heading_text.chars().count() < 80
                && !heading_text.contains('%'));
        let counted_group = group_heading(heading_text).is_some_and(|(_, c, k)| c.is_some() && k == ItemKind::Target);
        if !inside && counted_group && !(seen_region && items.len() > 3) {
            // "1. Về kinh tế - đô thị (04 chỉ tiêu)" opens the targets by itself.
            inside = true;
            seen_region = true;
        }
        // A part of its own for the key works and programs ("III. CÁC CÔNG TRÌNH,
        // CHƯƠNG TRÌNH TRỌNG ĐIỂM"), after the targets or before them: a group of them.
        let works_part = matches!(mark, Some((Marker::Roman(_), _)))
            && group_heading(heading_text).is_some_and(|(_, _, k)| k != ItemKind::Target);
        if !inside && works_part {
            inside = true;
            seen_region = true;
        }
        if !inside {
            if headingish && opens_targets(&heading_folded) && !(seen_region && items.len() > 3) {
                inside = true;
                seen_region = true;
                // "Các chỉ tiêu chủ yếu năm 2025" (a year's targets, in a conclusion): by
                // that year. "… đến năm 2025" is the term's end, said by every target.
                static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"nam (20\d\d)").expect("valid"));
                region = match YEAR.captures(&heading_folded) {
                    Some(c) if !heading_folded.contains("den nam") && !heading_folded.contains("nhiem ky") => {
                        format!("đến năm {}", &c[1])
                    }
                    _ => String::new(),
                };
                context = region.clone();
                // "CÁC CHỈ TIÊU VÀ CÔNG TRÌNH TRỌNG ĐIỂM" is no group of its own.
                continue;
            }
            continue;
        }
        // A heading that opens the targets again, before any figure: the first was a
        // heading over more than the targets ("Mục tiêu, các chỉ tiêu …").
        if headingish && opens_targets(&heading_folded) && items.iter().all(|i| i.measures.is_empty()) {
            items.clear();
            groups.clear();
            group = None;
            bullets = 0;
            continue;
        }
        if headingish && closes_targets(&heading_folded) {
            inside = false;
            continue;
        }
        if matches!(mark, Some((Marker::Roman(_), _))) && !items.is_empty() && !works_part {
            inside = false;
            continue;
        }
        // A group heading, numbered or not.
        let group_text = match &mark {
            Some((Marker::Bullet | Marker::Number(_) | Marker::Letter(_), r)) => r,
            Some((Marker::Roman(_), r)) if works_part => r,
            None => &p.text.as_str(),
            _ => &"",
        };
        // Under a heading of works or programs, "1. Công trình nâng cấp …" is one of them,
        // not a group of its own.
        let in_works = group.is_some_and(|g| groups[g].kind != ItemKind::Target);
        let heading = group_heading(group_text)
            .filter(|(_, count, _)| !in_works || count.is_some() || fold(group_text).starts_with("cac ") || works_part);
        if let Some((name, count, kind)) = heading {
            let id = match &mark {
                Some((Marker::Number(n), _)) => n.iter().map(u32::to_string).collect::<Vec<_>>().join("."),
                Some((Marker::Letter(l), _)) => l.to_string(),
                Some((Marker::Roman(r), _)) => r.to_string(),
                _ => format!("nhom-{}", groups.len() + 1),
            };
            groups.push(Group { id, name, count, kind, line: p.line });
            group = Some(groups.len() - 1);
            context = format!("{region} {group_text}");
            bullets = 0;
            last_number = None;
            parent_for_letters = None;
            continue;
        }
        let gid = group.map(|g| groups[g].id.clone());
        let group_kind = group.map(|g| groups[g].kind).unwrap_or(ItemKind::Target);
        let under = |n: &str| match &gid {
            Some(g) if !g.starts_with("nhom-") => format!("{g}.{n}"),
            _ => n.to_string(),
        };
        // Several items run together: "(1) …; (2) …".
        let pieces = split_run_on(&p.text);
        for piece in pieces {
            let (id, text) = match marker(&piece) {
                Some((Marker::Number(n), rest)) => {
                    let id = if n.len() > 1 {
                        n.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
                    } else {
                        under(&n[0].to_string())
                    };
                    last_number = Some(id.clone());
                    parent_for_letters = rest.trim_end().ends_with(':').then(|| id.clone());
                    (id, rest.to_string())
                }
                Some((Marker::Letter(l), rest)) => {
                    let parent = parent_for_letters.clone().or(gid.clone().filter(|g| !g.starts_with("nhom-")));
                    (
                        match parent {
                            Some(p) => format!("{p}.{l}"),
                            None => l.to_string(),
                        },
                        rest.to_string(),
                    )
                }
                Some((Marker::Bullet, rest)) => {
                    bullets += 1;
                    (under(&bullets.to_string()), rest.to_string())
                }
                Some((Marker::Row, rest)) => {
                    let cells: Vec<String> =
                        rest.trim_end_matches('|').split('|').map(|c| c.trim().to_string()).collect();
                    let Some(first) = cells.first() else { continue };
                    let Ok(n) = first.trim_end_matches('.').parse::<u32>() else {
                        // The header row ("| TT | Chỉ tiêu | Đơn vị tính | … |"); a
                        // separator row ("|----|") says nothing.
                        if cells.iter().any(|c| c.chars().any(char::is_alphabetic)) {
                            table = Some(cells.iter().map(|c| fold(c)).collect());
                        }
                        continue;
                    };
                    let text = cells[1..].iter().filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>().join(" | ");
                    row = Some(row_reading(&cells, table.as_deref()));
                    (under(&n.to_string()), text)
                }
                Some((Marker::Roman(_), _)) => continue,
                None if fold(&piece).starts_with("giao ") => {
                    // "Giao Ủy ban nhân dân phường chủ trì …": who carries the item out.
                    continue;
                }
                None => {
                    // A paragraph without a number: the rest of the last item, or a
                    // lead-in, or words between the items.
                    if lead_in(&piece) {
                        context = format!("{} {}", group.map(|g| groups[g].name.clone()).unwrap_or_default(), piece);
                        continue;
                    }
                    if measure::measures(&piece, "").is_empty() || items.is_empty() && group.is_none() {
                        continue;
                    }
                    bullets += 1;
                    (under(&bullets.to_string()), piece.clone())
                }
            };
            let text = text.trim().to_string();
            if text.is_empty() {
                continue;
            }
            // In a part of works and programs, each item says which it is ("Chương trình
            // chuyển đổi số …", "Công trình nâng cấp …"); else its group does.
            let kind = match group_kind {
                ItemKind::Target => ItemKind::Target,
                _ => {
                    let f = fold(&text);
                    if f.starts_with("chuong trinh") || f.starts_with("de an") {
                        ItemKind::Program
                    } else if f.starts_with("cong trinh") || f.starts_with("du an") || f.starts_with("xay dung") {
                        ItemKind::Work
                    } else {
                        group_kind
                    }
                }
            };
            // A lead-in item ("2. Về giáo dục, đến năm 2030:") whose lettered items follow.
            if lead_in(&text) && parent_for_letters.as_deref() == Some(id.as_str()) {
                context = text.clone();
                continue;
            }
            let measures = match (kind, row.take()) {
                (ItemKind::Target, Some((words, row_context))) => {
                    // A table row: the target column's words, in the unit column's unit;
                    // `at` is then an offset in those words, not in the text.
                    measure::measures(&words, &format!("{context} {row_context}"))
                }
                (ItemKind::Target, None) => measure::measures(&text, &context),
                _ => Vec::new(),
            };
            let mut review: Vec<String> =
                measures.iter().flat_map(|m| m.review.iter().map(|r| format!("{}: {r}", m.written))).collect();
            if kind == ItemKind::Target && measures.is_empty() {
                review.push("no figure: kept as a qualitative target".into());
            }
            let id = unique(&items, id);
            let confidence = (0.95 - 0.2 * review.len() as f32).max(0.3);
            items.push(Item {
                id,
                group: gid.clone(),
                kind,
                text,
                line: p.line,
                page: p.page,
                measures,
                indicator: None,
                review,
                confidence,
            });
        }
        let _ = &last_number;
        let _ = folded;
    }
    (groups, items)
}

/// What a row of a table of targets says: the target column's words with the unit
/// column's unit ("trên 4.500 tỷ đồng"), and the target column's heading ("chỉ tiêu đến
/// năm 2030"), which gives the deadline. Without a header, the last cell is the target.
fn row_reading(cells: &[String], header: Option<&[String]>) -> (String, String) {
    let col = |pred: &dyn Fn(&str) -> bool| header.and_then(|h| h.iter().rposition(|c| pred(c)));
    let unit_col = col(&|c| c.contains("don vi") || c == "dvt" || c.contains("dvt"));
    let target_col = col(&|c| {
        (c.contains("chi tieu")
            || c.contains("muc tieu")
            || c.contains("ke hoach")
            || c.contains("den nam")
            || c.contains("nhiem ky"))
            && !c.contains("thuc hien")
            && !c.contains("hien trang")
            && c != "chi tieu"
    })
    .or_else(|| Some(cells.len().saturating_sub(1)));
    let value = target_col.and_then(|i| cells.get(i)).cloned().unwrap_or_default();
    let unit = unit_col.and_then(|i| cells.get(i)).cloned().unwrap_or_default();
    let heading = target_col.and_then(|i| header.and_then(|h| h.get(i))).cloned().unwrap_or_default();
    // "≥ 42" as the words say it.
    let value = value.replace('≥', "ít nhất").replace('≤', "không quá").replace('>', "trên").replace('<', "dưới");
    let words = if unit.is_empty() || unit == "%" && value.contains('%') {
        value
    } else if unit == "%" {
        format!("{value}%")
    } else {
        format!("{value} {unit}")
    };
    // The name cell's "hằng năm" and the target column's "đến năm 2030" hold for it.
    let name = cells.get(1).cloned().unwrap_or_default();
    (words, format!("{} {name}", heading.replace("den nam", "đến năm")))
}

/// "(1) Thu …; (2) Giảm …" as one piece per number (a paragraph holding two or more).
fn split_run_on(text: &str) -> Vec<String> {
    static RUN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\((\d{1,2})\)\s").expect("valid"));
    let starts: Vec<usize> = RUN.find_iter(text).map(|m| m.start()).collect();
    if starts.len() < 2 {
        return vec![text.to_string()];
    }
    let mut out = Vec::new();
    if starts[0] > 0 && !text[..starts[0]].trim().trim_start_matches(['-', '+', '•']).trim().is_empty() {
        out.push(text[..starts[0]].trim().to_string());
    }
    for (i, &s) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        out.push(
            text[s..end].trim().trim_end_matches([';', ',']).trim().to_string()
                + if text[s..end].trim().ends_with(';') { "" } else { "" },
        );
    }
    out
}

fn unique(items: &[Item], id: String) -> String {
    if !items.iter().any(|i| i.id == id) {
        return id;
    }
    (2..).map(|n| format!("{id}-{n}")).find(|c| !items.iter().any(|i| &i.id == c)).expect("a free id")
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[\s*(])([A-ZĐÀ-Ỹa-zđà-ỹ][^,\n*]{1,40}),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})",
    )
    .expect("valid")
});
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^số\s*:?\s*(\d{1,4}\s*-\s*[A-ZĐa-z]+(?:\s*/\s*[A-ZĐa-z]+)+)").expect("valid"));
static NUMBER_ANY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Số\s*:?\s*)?(\d{1,4}\s*-\s*(?:NQ|CTr|BC|KL|KH|TB)\s*/\s*[A-ZĐ]+(?:/[A-ZĐ]+)?)\b").expect("valid")
});
static TERM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)nhiệm kỳ\s*((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)").expect("valid"));
static CONGRESS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)lần thứ\s+([IVXL]+)\b").expect("valid"));
/// A committee's term ("Ban Chấp hành Đảng bộ Quận 2 khóa III"): the congress that
/// elected it, when the text names no congress.
static KHOA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[Kk]hóa\s+([IVXL]+)\b").expect("valid"));
static WEEKDAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)$").expect("valid"));

/// The header and the signature of the document.
pub fn meta(paras: &[Para], kind_hint: Option<&'static str>) -> Meta {
    let mut m = Meta { kind: kind_hint, ..Meta::default() };
    let head: Vec<&Para> = paras.iter().take(30).collect();
    for p in &head {
        let f = fold(&p.text);
        if m.kind.is_none() {
            m.kind = if f.starts_with("nghi quyet") && p.text.chars().filter(|c| c.is_uppercase()).count() > 6 {
                Some("resolution")
            } else if f.starts_with("chuong trinh hanh dong") {
                Some("action-program")
            } else if f.starts_with("bao cao") && p.text.chars().take(7).all(|c| !c.is_lowercase()) {
                Some("review")
            } else if f.starts_with("ket luan")
                && (p.text.chars().take(7).all(|c| !c.is_lowercase())
                    || (f.starts_with("ket luan hoi nghi") || f.starts_with("ket luan cua"))
                        && p.text.chars().count() < 300)
            {
                // "KẾT LUẬN", or a portal's title "Kết luận Hội nghị lần thứ 9 …".
                Some("conclusion")
            } else {
                None
            };
            if m.kind.is_some() {
                // The title: this line and the lines under it up to the first sentence.
                let at = paras.iter().position(|x| std::ptr::eq(x, *p)).unwrap_or(0);
                let mut title = sentence_case(&p.text);
                for next in paras.iter().skip(at + 1).take(3) {
                    // A sentence is the text, not the title; so is a heading of its parts.
                    if next.text.chars().count() > 120 || next.text.ends_with('.') || fold(&next.text) == "quyet nghi" {
                        break;
                    }
                    title.push(' ');
                    title.push_str(&title_case(next.text.trim_end_matches('.')));
                }
                m.title = Some(title.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
        if m.number.is_none()
            && let Some(c) = NUMBER.captures(&p.text)
        {
            m.number = Some(c[1].split_whitespace().collect::<String>());
        }
        if m.issued.is_none()
            && let Some(c) = DATE.captures(&p.text)
            // "Chủ Nhật, ngày 5 tháng 7 năm 2020": a portal's date of posting, not the
            // place and date of the document.
            && !WEEKDAY.is_match(c[1].trim())
        {
            let place = c[1].trim().trim_start_matches(['*', '(']).to_string();
            m.place = Some(place);
            m.issued = Some((c[4].parse().unwrap_or(0), c[3].parse().unwrap_or(0), c[2].parse().unwrap_or(0)));
        }
    }
    if m.number.is_none() {
        m.number = paras
            .iter()
            .take(40)
            .filter(|p| p.text.chars().count() < 60)
            .find_map(|p| NUMBER_ANY.captures(&p.text).map(|c| c[1].split_whitespace().collect::<String>()));
    }
    // A congress gives its days in its first sentence ("trong 02 ngày (ngày 14 và 15
    // tháng 5 năm 2020)"): the resolution is of the last day.
    if m.issued.is_none() {
        static DAYS: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)ngày\s+(\d{1,2})(?:\s*(?:và|-|–|,|đến)\s*(\d{1,2}))?\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
                .expect("valid")
        });
        // "… họp trong 02 ngày 16 và 17/10/2007": the same, written with slashes.
        static DAYS_SLASH: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)ngày\s+(\d{1,2})(?:\s*(?:và|-|–|,|đến)\s*(\d{1,2}))?\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
                .expect("valid")
        });
        m.issued = paras.iter().take(12).find_map(|p| {
            let weekday = p.text.split(',').next().is_some_and(|w| WEEKDAY.is_match(w.trim()));
            if weekday {
                return None;
            }
            let c = DAYS.captures(&p.text).or_else(|| DAYS_SLASH.captures(&p.text))?;
            let day = c.get(2).unwrap_or(c.get(1)?).as_str().parse().ok()?;
            Some((c[4].parse().ok()?, c[3].parse().ok()?, day))
        });
    }
    let all: String = paras.iter().take(60).map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n");
    m.term = TERM.captures(&all).and_then(|c| Some((c[1].parse().ok()?, c[2].parse().ok()?)));
    m.congress = CONGRESS.captures(&all).or_else(|| KHOA.captures(&all)).map(|c| c[1].to_string());
    // The issuer: "Đại hội đại biểu Đảng bộ …" for a resolution, else the committee of
    // the header ("ĐẢNG ỦY PHƯỜNG 12").
    static ISSUER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(Đại hội (?:đại biểu )?Đảng bộ (?:phường|xã|thị trấn|đặc khu|Phường|Xã|Thị trấn|Đặc khu|quận|huyện|Quận|Huyện) [A-ZĐÀ-Ỹ0-9][\wÀ-ỹ]*(?: [A-ZĐÀ-Ỹ0-9][\wÀ-ỹ]*)*)").expect("valid")
    });
    static COMMITTEE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(Ban Chấp hành Đảng bộ (?:phường|xã|thị trấn|quận|huyện|Phường|Xã|Thị trấn|Quận|Huyện) [\wÀ-ỹ]+(?: [A-ZĐÀ-Ỹ0-9][\wÀ-ỹ]*)* khóa [IVXL]+)").expect("valid")
    });
    // A conclusion of a committee's meeting is the committee's, whatever congress it
    // cites.
    let committee =
        (m.kind == Some("conclusion")).then(|| COMMITTEE.captures(&all).map(|c| c[1].to_string())).flatten();
    m.issuer = committee.or_else(|| ISSUER.captures(&all).map(|c| c[1].to_string())).or_else(|| {
        head.iter()
            .find(|p| {
                let f = fold(&p.text);
                (f.starts_with("dang uy ") || f.starts_with("ban chap hanh") || f.starts_with("uy ban nhan dan"))
                    && p.text.chars().count() < 60
            })
            .map(|p| sentence_case(&p.text))
    });
    // The signature: the name after "T/M …", "BÍ THƯ", "(đã ký)", before "Nơi nhận".
    let tail: Vec<&Para> = paras.iter().rev().take(40).collect();
    for (i, p) in tail.iter().enumerate() {
        let f = fold(&p.text);
        if m.signer.is_none() && looks_like_name(&p.text) {
            // The lines above it, past a list of recipients a layout put between the
            // title and the name ("BÍ THƯ / Nơi nhận: - …; - Lưu. / Phan Việt Hưng").
            let above: Vec<&str> = tail[i + 1..]
                .iter()
                .map(|x| x.text.as_str())
                .filter(|t| !t.starts_with(['-', '+', '•']) && !fold(t).starts_with("noi nhan"))
                .take(4)
                .collect();
            if above.iter().any(|a| {
                let fa = fold(a);
                fa.contains("bi thu")
                    || fa.contains("t/m")
                    || fa.contains("tm.")
                    || fa.contains("da ky")
                    || fa.contains("chu tich")
                    || fa.contains("ky ten")
            }) {
                m.signer = Some(p.text.trim().to_string());
                let role: Vec<String> = above
                    .iter()
                    .take_while(|a| !a.starts_with(['-', '+', '•']) && !fold(a).starts_with("noi nhan"))
                    .filter(|a| !fold(a).contains("da ky") && !fold(a).contains("ky ten"))
                    .map(|a| a.trim().to_string())
                    .collect();
                m.signer_role = Some(role.into_iter().rev().collect::<Vec<_>>().join(" – "));
                m.signer_role = m.signer_role.filter(|r| !r.is_empty() && r.chars().count() < 80);
            }
        }
        if f.starts_with("noi nhan") {
            let at = paras.len() - 1 - i;
            // The list, with the signature's lines a two-column layout put among it.
            m.recipients = paras[at + 1..]
                .iter()
                .take(20)
                .take_while(|x| x.text.starts_with(['-', '+', '•']) || x.text.chars().count() < 40)
                .filter(|x| x.text.starts_with(['-', '+', '•']))
                .map(|x| {
                    x.text.trim_start_matches(['-', '+', '•', ' ']).trim_end_matches([',', ';', '.']).trim().to_string()
                })
                .filter(|x| !x.is_empty())
                .collect();
        }
    }
    m
}

/// A person's name: two to five capitalised words, no digits, nothing else on the line.
fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic))
        && !words.iter().all(|w| w.chars().all(char::is_uppercase))
}

/// A title's later line in capitals as a title writes it: "ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ
/// PHƯỜNG BÌNH TÂM LẦN THỨ I, NHIỆM KỲ 2025 - 2030" → "Đại hội đại biểu Đảng bộ phường
/// Bình Tâm lần thứ I, nhiệm kỳ 2025 - 2030": the line's first word, "Đảng", a place's
/// name after its level word and a Roman numeral keep their capitals. A line already in
/// mixed case is kept.
fn title_case(s: &str) -> String {
    if s.chars().any(char::is_lowercase) {
        return s.to_string();
    }
    const LEVELS: [&str; 8] = ["phuong", "xa", "quan", "huyen", "tinh", "pho", "tran", "khu"];
    const STOP: [&str; 6] = ["lan", "nhiem", "ve", "thuc", "giai", "nam"];
    let mut out: Vec<String> = Vec::new();
    let mut in_name = false;
    for (i, w) in s.split_whitespace().enumerate() {
        let lower = w.to_lowercase();
        let f = fold(&lower);
        let bare = f.trim_matches(|c: char| !c.is_alphanumeric());
        let roman = !bare.is_empty()
            && bare.chars().all(|c| "ivxlc".contains(c))
            && out.last().is_some_and(|p| fold(p) == "thu");
        if in_name && (STOP.contains(&bare) || bare.chars().all(|c| c.is_ascii_digit())) {
            in_name = false;
        }
        // A line goes on the title: its first word is small unless it is "Đại hội".
        let first_big = i == 0 && bare == "dai";
        let word = if roman || bare.chars().all(|c| c.is_ascii_digit()) {
            w.to_string()
        } else if first_big || in_name || bare == "dang" {
            let mut c = lower.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        } else {
            lower.clone()
        };
        if w.ends_with(',') {
            in_name = false;
        } else if LEVELS.contains(&bare) && !in_name {
            in_name = true;
        }
        out.push(word);
    }
    out.join(" ")
}

/// "NGHỊ QUYẾT" → "Nghị quyết"; a line already in mixed case is kept.
fn sentence_case(s: &str) -> String {
    if s.chars().any(char::is_lowercase) {
        return s.to_string();
    }
    let lower = s.to_lowercase();
    let mut c = lower.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<Para> {
        paragraphs(&text.lines().map(|l| Line { text: l.to_string(), page: None }).collect::<Vec<_>>())
    }

    #[test]
    fn a_two_column_signature_gives_its_signer_and_the_header_its_number() {
        let doc = "ĐẢNG BỘ QUẬN A                 ĐẢNG CỘNG SẢN VIỆT NAM\nĐẢNG ỦY PHƯỜNG B\n     *            Phường B, ngày 02 tháng 3 năm 2021\nSố 05-NQ/ĐU\n\nNGHỊ QUYẾT\nVỀ VIỆC A\n\nNội dung.\n\nNơi nhận:                         T/M ĐẢNG ỦY\n- Quận ủy,                             BÍ THƯ\n- Lưu.                              (Đã ký)\n\n                                  Lê Văn Bình\n";
        let m = meta(&paras(doc), None);
        assert_eq!(m.number.as_deref(), Some("05-NQ/ĐU"));
        assert_eq!(m.issued, Some((2021, 3, 2)));
        assert_eq!(m.signer.as_deref(), Some("Lê Văn Bình"));
        assert_eq!(m.recipients, ["Quận ủy", "Lưu"]);
        // The name after the list of recipients, the title above it.
        let doc = "NGHỊ QUYẾT\nĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ PHƯỜNG ĐỨC GIANG\nLẦN THỨ XI, NHIỆM KỲ 2020 - 2025\n\nNội dung.\n\nT/M ĐẢNG ỦY\nBÍ THƯ\n\nNơi nhận:\n- BTV Quận uỷ;\n- Lưu.\n\nPhan Việt Hưng\n";
        let m = meta(&paras(doc), None);
        assert_eq!(m.signer.as_deref(), Some("Phan Việt Hưng"));
        assert_eq!(
            m.title.as_deref(),
            Some("Nghị quyết Đại hội đại biểu Đảng bộ phường Đức Giang lần thứ XI, nhiệm kỳ 2020 - 2025")
        );
    }

    #[test]
    fn key_works_in_a_roman_part_of_their_own_are_typed_by_their_words() {
        let doc = "II. CÁC CHỈ TIÊU CHỦ YẾU\n\n1. Tỷ lệ hộ nghèo giảm xuống dưới 0,5% vào cuối nhiệm kỳ.\n2. Kết nạp 40 đảng viên.\n\nIII. CÁC CÔNG TRÌNH, CHƯƠNG TRÌNH TRỌNG ĐIỂM\n\n1. Công trình nâng cấp đường liên thôn A - B.\n2. Chương trình chuyển đổi số của xã.\n\nIV. NHIỆM VỤ VÀ GIẢI PHÁP\n\n1. Trồng mới 150 ha rừng mỗi năm.\n";
        let (groups, items) = targets(&paras(doc));
        let kinds: Vec<(&str, ItemKind)> = items.iter().map(|i| (i.id.as_str(), i.kind)).collect();
        assert_eq!(
            kinds,
            [("1", ItemKind::Target), ("2", ItemKind::Target), ("III.1", ItemKind::Work), ("III.2", ItemKind::Program)]
        );
        assert_eq!(groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(), ["III"]);
        // "giảm xuống dưới 0,5%": a level; "cuối nhiệm kỳ": the term's end, set by extract.
        let m = &items[0].measures[0];
        assert_eq!((m.op, m.value, m.relation, m.by_term_end), ("<", 0.5, None, true));
    }
}
