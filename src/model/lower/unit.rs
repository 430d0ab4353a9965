//! A unit's `_index.md` given meaning: its level (one of the administrative levels), name,
//! code, successor and website. Where it stands in the tree is `model::assemble`'s.

use super::values::{date_of, id_text, link, nfc};
use crate::diagnostics::{Diagnostics, Kind, closest};
use crate::load::Loaded;
use crate::load::schema::RawUnit;
use crate::model::Unit;

const LEVELS: &[&str] = &[
    "tỉnh",
    "thành phố",
    "quận",
    "huyện",
    "thị xã",
    "thành phố thuộc tỉnh",
    "phường",
    "xã",
    "thị trấn",
    "đặc khu",
    "khu phố",
    "tổ dân phố",
    "thôn",
    "ấp",
    "khu vực",
];

/// The tiers a level can stand at (1 = province, 2 = district, 3 = ward, 4 = below a
/// ward). "thành phố" is a province-level city or a city inside a province.
pub(crate) fn level_rank(level: &str) -> Option<(u8, u8)> {
    Some(match level {
        "tỉnh" => (1, 1),
        "thành phố" => (1, 2),
        "quận" | "huyện" | "thị xã" | "thành phố thuộc tỉnh" => (2, 2),
        "phường" | "xã" | "thị trấn" | "đặc khu" => (3, 3),
        "khu phố" | "tổ dân phố" | "thôn" | "ấp" | "khu vực" => (4, 4),
        _ => return None,
    })
}

pub(crate) fn unit_from_raw(u: &Loaded<RawUnit>, diags: &mut Diagnostics) -> Unit {
    let r = &u.raw;
    let level = r.level.value.trim().to_lowercase();
    if !LEVELS.contains(&level.as_str()) {
        let hint = match closest(&level, LEVELS.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? Levels: {}", LEVELS.join(", ")),
            None => format!("levels: {}", LEVELS.join(", ")),
        };
        diags.push(u.file.diag(&r.level.referenced, format!("unknown level `{}`", r.level.value)).hint(hint));
    }
    if r.name.value.trim().is_empty() {
        diags.push(
            u.file
                .diag(&r.name.referenced, "the unit has an empty name")
                .hint("write its official name, e.g. `Phường Đức Giang`"),
        );
    }
    if let Some(s) = &r.succeeded_by
        && (s.value.contains("..")
            || s.value.starts_with('/')
            || s.value.contains([':', '\\', '?', '#'])
            || s.value.contains("//"))
    {
        diags.push(
            u.file
                .diag(&s.referenced, "`succeeded_by` must be a content path")
                .hint("write the successor unit's folder inside content/, e.g. `tp-ho-chi-minh/tp-thu-duc`; a web address goes in `website:`"),
        );
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
        succeeded_by: r.succeeded_by.as_ref().map(|s| s.value.trim_matches('/').to_string()),
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
