//! A unit's `_index.md` given meaning: its level (one of the administrative levels), name,
//! code, successor and website. Where it stands in the tree is `model::assemble`'s.

use super::values::{date_of, id_text, link, nfc};
use crate::diagnostics::{Diagnostics, Kind};
use crate::load::Loaded;
use crate::load::schema::RawUnit;
use crate::model::{Unit, level, names};

/// What is wrong with each path of `succeeded_by`, at the entry's own line: a list
/// names several units, and the reader must know which one is wrong.
fn successor_problems(
    u: &Loaded<RawUnit>,
    s: &crate::load::schema::S<crate::load::schema::Successors>,
    diags: &mut Diagnostics,
) {
    let example = "e.g. `tp-ho-chi-minh/phuong-an-hoi-tay`";
    if s.value.0.is_empty() {
        diags.push(
            u.file
                .diag(&s.referenced, "`succeeded_by` lists no unit")
                .hint(format!("write the folder, inside content/, of the unit this one was merged into ({example}), a list of them for a unit split between several, or delete the line")),
        );
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    for p in &s.value.0 {
        let trimmed = p.trim().trim_matches('/');
        let problem = if trimmed.is_empty() {
            Some(("an empty path".to_string(), format!("write the successor's folder inside content/ ({example})")))
        } else if p.contains("..") {
            Some((
                format!("`{p}` goes out of its folder with `..`"),
                format!("write the successor's folder from the top of content/ ({example}), not relative to this unit"),
            ))
        } else if p.contains("://") || p.contains([':', '\\', '?', '#']) || p.contains("//") {
            Some((
                format!("`{p}` is not a content path"),
                format!(
                    "write the successor unit's folder inside content/ ({example}); a web address goes in `website:`"
                ),
            ))
        } else if !p.is_ascii() {
            let ascii: Vec<String> = trimmed.split('/').map(crate::vi::slug::slugify).collect();
            Some((
                format!("`{p}` has letters a folder name does not"),
                format!("folders are named without tone marks: write `{}`", ascii.join("/")),
            ))
        } else if seen.contains(&trimmed) {
            Some((format!("`{p}` is named twice"), "name each unit that took a part of it once".to_string()))
        } else {
            None
        };
        let earlier = seen.iter().filter(|x| **x == trimmed).count();
        seen.push(trimmed);
        if let Some((what, hint)) = problem {
            diags.push(entry_diag(u, &s.referenced, p, earlier, format!("`succeeded_by`: {what}")).hint(hint));
        }
    }
}

/// Whether a `succeeded_by` path can name a unit folder (what `successor_problems`
/// does not refuse).
pub(crate) fn is_content_path(p: &str) -> bool {
    let t = p.trim().trim_matches('/');
    !t.is_empty() && t.is_ascii() && !p.contains("..") && !p.contains([':', '\\', '?', '#']) && !p.contains("//")
}

/// A diagnostic at the line of one entry of a list that starts at `loc` (found by its
/// words from there on; `earlier`: how many entries before it are written the same),
/// or at `loc` itself.
fn entry_diag(
    u: &Loaded<RawUnit>,
    loc: &crate::load::schema::Loc,
    entry: &str,
    earlier: usize,
    message: String,
) -> crate::diagnostics::Diagnostic {
    let (line, _) = u.file.file_pos(loc);
    let found = (!entry.trim().is_empty())
        .then(|| {
            u.file
                .text
                .lines()
                .enumerate()
                .skip(line.saturating_sub(1))
                .take(50)
                .filter_map(|(i, l)| l.find(entry.trim()).map(|c| (i + 1, l[..c].chars().count() + 1)))
                .nth(earlier)
        })
        .flatten();
    match found {
        Some((line, col)) => crate::diagnostics::Diagnostic::new(&u.file.display, message).at(&u.file.text, line, col),
        None => u.file.diag(loc, message),
    }
}

pub(crate) fn unit_from_raw(u: &Loaded<RawUnit>, diags: &mut Diagnostics) -> Unit {
    let r = &u.raw;
    let level = r.level.value.trim().to_lowercase();
    if level::tiers(&level).is_none() {
        let hint = names::hint_among(&level, level::names());
        diags.push(u.file.diag(&r.level.referenced, format!("unknown level `{}`", r.level.value)).hint(hint));
    }
    if r.name.value.trim().is_empty() {
        diags.push(
            u.file
                .diag(&r.name.referenced, "the unit has an empty name")
                .hint("write its official name, e.g. `Phường Đức Giang`"),
        );
    }
    if let Some(s) = &r.succeeded_by {
        successor_problems(u, s, diags);
    }
    if r.succeeded_by.is_none()
        && let Some(on) = &r.succeeded_on
    {
        // Surely a slip (the line above it lost), but the site is right without the date.
        diags.push(
            u.file
                .diag(&on.referenced, "`succeeded_on` is given without `succeeded_by`, so the unit's page does not show it")
                .kind(Kind::Field)
                .warning()
                .hint("add `succeeded_by:` with the folder of the unit this one was merged into (e.g. `tp-ho-chi-minh/phuong-an-hoi-tay`), or delete `succeeded_on` if the unit was not merged"),
        );
    }
    Unit {
        path: String::new(),
        url: String::new(),
        name: nfc(&r.name.value),
        level,
        code: r.code.as_ref().map(|c| id_text(&u.file, c, diags)),
        short_name: r.short_name.clone(),
        succeeded_by: r
            .succeeded_by
            .as_ref()
            .map(|s| s.value.0.iter().map(|p| p.trim().trim_matches('/').to_string()).collect())
            .unwrap_or_default(),
        predecessors: Vec::new(),
        succeeded_on: r.succeeded_on.as_ref().and_then(|s| date_of(&u.file, s, diags)),
        website: r.website.as_ref().and_then(|w| link(&u.file, w, "website", diags)),
        weight: r.weight,
        body: u.body.clone(),
        parent: None,
        children: vec![],
        documents: vec![],
        file: u.file.display.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::unit_from_raw;
    use crate::diagnostics::Diagnostics;
    use crate::load::fixture::{Fixture, located, problem};

    /// `content/u/_index.md` with the front matter `front`, lowered; its body read
    /// while the file is there (a build reads it again when the page is made).
    fn unit(front: &str) -> (crate::model::Unit, Diagnostics) {
        let f = Fixture::new(&[("u/_index.md", &format!("---\n{front}---\nGiới thiệu.\n"))]);
        let c = f.read();
        assert!(c.unread_diags.is_empty(), "{:#?}", c.unread_diags);
        let mut diags = Diagnostics::default();
        let mut u = unit_from_raw(&c.units[0], &mut diags);
        u.body = crate::model::Body::Text(u.body.text(&u.file).unwrap().into_owned());
        (u, diags)
    }

    #[test]
    fn a_unit_keeps_its_name_level_and_links() {
        let (u, diags) = unit(
            "name: Phường Đức Giang\nlevel: \" Phường \"\ncode: \"00133\"\nsucceeded_by: ha-noi/phuong-viet-hung/\nsucceeded_on: 2025-07-01\nwebsite: https://ducgiang.vn\nweight: 2\n",
        );
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(
            (u.name.as_str(), u.level.as_str(), u.code.as_deref()),
            ("Phường Đức Giang", "phường", Some("00133"))
        );
        assert_eq!(u.succeeded_by, ["ha-noi/phuong-viet-hung"]);
        assert_eq!(
            (u.succeeded_on.map(|d| d.year), u.website.as_deref(), u.weight),
            (Some(2025), Some("https://ducgiang.vn"), Some(2))
        );
        assert_eq!(
            (u.body.text(&u.file).unwrap().trim(), u.file.to_string_lossy().as_ref()),
            ("Giới thiệu.", "content/u/_index.md")
        );
    }

    #[test]
    fn an_unknown_level_is_named_with_the_closest_one() {
        let (_, diags) = unit("name: Phường 1\nlevel: phuòng\n");
        let d = problem(&diags, "unknown level");
        assert_eq!(located(d), ("content/u/_index.md".into(), 3, 8, "unknown level `phuòng`"));
        assert!(d.hint.as_deref().unwrap().starts_with("did you mean `phường`?"), "{d:?}");
    }

    #[test]
    fn a_unit_without_a_name_or_with_a_web_successor_is_refused() {
        let (_, diags) = unit("name: \" \"\nlevel: xã\nsucceeded_by: https://example.vn/xa\ncode: 00133\n");
        let msgs: Vec<_> = diags.0.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            msgs,
            [
                (2, "the unit has an empty name"),
                (4, "`succeeded_by`: `https://example.vn/xa` is not a content path"),
                (5, "`00133` without quotes is read as the number 133"),
            ]
        );
    }
}
