//! `minhbach new`: commented skeletons a ward officer can fill in without reading the
//! manual first. Every skeleton passes `minhbach check` as written and publishes no
//! made-up figure or date: examples stay in comments until the officer writes real ones
//! (a document made without `--issued` has its date as a comment, which `check` warns
//! about until it is written).

use crate::model::DocKind;
use crate::vi::slug::slugify;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn err(kind: io::ErrorKind, msg: String) -> io::Error {
    io::Error::new(kind, msg)
}

fn refuse_existing(path: &Path) -> io::Result<()> {
    if path.exists() {
        return Err(err(
            io::ErrorKind::AlreadyExists,
            format!("{} already exists; nothing was overwritten", path.display()),
        ));
    }
    Ok(())
}

/// A new site folder: settings, an indicator vocabulary, an empty content folder.
pub fn site(dir: &Path, title: &str) -> io::Result<Vec<PathBuf>> {
    let toml = dir.join("minhbach.toml");
    refuse_existing(&toml)?;
    fs::create_dir_all(dir.join(crate::config::folder::CONTENT))?;
    fs::write(
        &toml,
        format!(
            "# Site settings: every key is described in minhbach's docs/usage.md, section \"Settings\".\n\
             title = \"{}\"\n\
             description = \"Chỉ tiêu nghị quyết và kết quả thực hiện\"\n\
             # The address the site is published at; \"/\" works for any host root.\n\
             base_url = \"/\"\n\
             language = \"vi\"\n\
             output_dir = \"public\"\n\
             # Statuses are computed at this date; fix it for reproducible builds.\n\
             # status_date = \"2026-11-23\"\n",
            title.replace('"', "\\\"")
        ),
    )?;
    let vocab = dir.join("content/indicators.yaml");
    fs::write(
        &vocab,
        "# Indicators line up the same measure across units. Keys are lower-case ASCII.\n\
         fields:\n  - key: kinh-te\n    name: Kinh tế – đô thị\n  - key: van-hoa-xa-hoi\n    name: Văn hóa – xã hội\n  - key: quoc-phong-an-ninh\n    name: Quốc phòng – an ninh\n  - key: xay-dung-dang\n    name: Xây dựng Đảng và hệ thống chính trị\n  - key: cong-trinh\n    name: Công trình, chương trình trọng điểm\n\
         indicators:\n  - key: ty-le-ho-ngheo\n    name: Tỷ lệ hộ nghèo\n    unit: \"%\"\n    direction: lower      # higher | lower | none: which way is better\n    field: van-hoa-xa-hoi\n    description: Tỷ lệ hộ nghèo theo chuẩn áp dụng tại địa phương.\n",
    )?;
    Ok(vec![toml, vocab])
}

/// `path` made absolute, with `.` and `..` resolved as written (not through symlinks),
/// so that `../ha-noi/x` typed inside a site finds its place in `content/`.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in std::path::absolute(path)?.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// The site folder a path is in, and the path's place inside `content/`.
fn locate(path: &Path) -> io::Result<(PathBuf, Vec<String>)> {
    let abs = absolute(path)?;
    let mut dir = abs.clone();
    loop {
        if dir.join("minhbach.toml").is_file() {
            let rel = abs.strip_prefix(dir.join(crate::config::folder::CONTENT)).map_err(|_| {
                err(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "{} is not inside the site's content/ folder ({})",
                        path.display(),
                        dir.join(crate::config::folder::CONTENT).display()
                    ),
                )
            })?;
            let parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            return Ok((dir, parts));
        }
        if !dir.pop() {
            return Err(err(
                io::ErrorKind::NotFound,
                format!(
                    "{} is not in a site folder (no minhbach.toml above it); run `minhbach new site <folder>` first",
                    path.display()
                ),
            ));
        }
    }
}

fn title_case(words: &str) -> String {
    words
        .split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A unit folder inside `content/`, as the user can type it from where they are.
struct Place<'a> {
    /// What the user typed, for the folders above it to be shown the same way.
    typed: &'a Path,
    site: PathBuf,
    /// The folder names from `content/` down to it.
    parts: Vec<String>,
}

impl Place<'_> {
    fn content(&self, depth: usize) -> PathBuf {
        self.site.join(crate::config::folder::CONTENT).join(self.parts[..depth].join("/"))
    }

    /// The folder `depth` names under `content/` (1 = the top one), written as the user
    /// wrote the path (`content/ha-noi` for `content/ha-noi/phuong-x`), so that the
    /// commands shown run where they typed theirs.
    fn shown(&self, depth: usize) -> PathBuf {
        use std::path::Component;
        let up = self.parts.len() - depth;
        let tail: Vec<Component> = self.typed.components().rev().take(self.parts.len()).collect();
        if tail.len() == self.parts.len() && tail.iter().all(|c| matches!(c, Component::Normal(_))) {
            let mut p = self.typed.to_path_buf();
            for _ in 0..up {
                p.pop();
            }
            p
        } else {
            self.content(depth)
        }
    }

    /// The folders above the last one (and, with `itself`, the last one) that have no
    /// `_index.md`, from the top: as depths under `content/`.
    fn missing(&self, itself: bool) -> Vec<usize> {
        let last = if itself { self.parts.len() } else { self.parts.len() - 1 };
        (1..=last).filter(|&d| !self.content(d).join("_index.md").is_file()).collect()
    }

    /// The level written in the `_index.md` of the unit `depth` names, if it reads.
    fn level_of(&self, depth: usize) -> Option<&'static str> {
        let content = self.site.join(crate::config::folder::CONTENT);
        match crate::load::read_entry(
            &self.site,
            &content,
            &self.content(depth).join("_index.md"),
            crate::load::Bodies::Held,
        ) {
            Ok(crate::load::ContentFile::Unit(u)) => {
                crate::model::level::LEVELS.iter().map(|l| l.name).find(|n| *n == u.raw.level.value.trim())
            }
            _ => None,
        }
    }
}

/// The levels a unit can be, the likeliest first: the one its folder name says (one
/// level, certain), or else those of the tier below the unit above it (`above`, None at
/// the top of `content/`, where a province or a centrally-run city stands).
fn levels_for(folder: &str, above: Option<&str>) -> (Vec<&'static str>, bool) {
    use crate::model::level::{LEVELS, from_slug, tiers};
    if let Some((l, _)) = from_slug(&slugify(folder)) {
        return (vec![l], true);
    }
    let tier = above.and_then(tiers).map_or(1, |(min, _)| (min + 1).min(4));
    let mut fit: Vec<_> = LEVELS.iter().filter(|l| (l.tiers.0..=l.tiers.1).contains(&tier)).collect();
    // Those that stand only at this tier first: a "thành phố" at tier 2 is rarer than a quận.
    fit.sort_by_key(|l| l.tiers.0 != tier);
    (fit.into_iter().map(|l| l.name).collect(), false)
}

/// A word as a shell reads it back: quoted when it holds anything but letters, digits and
/// `/ - _ . ,`.
fn shell_word(word: &str) -> String {
    if !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || "/-_.,".contains(c)) {
        word.to_string()
    } else {
        format!("\"{}\"", word.replace('\\', "\\\\").replace('"', "\\\"").replace('$', "\\$").replace('`', "\\`"))
    }
}

/// The error for folders of `place` that are not units yet (`missing`, as depths): all
/// of them named at once, why they must be units, and the commands that make them, from
/// the top, with the user's own command (`again`) last.
fn missing_units(place: &Place, missing: &[usize], why: &str, again: &str) -> io::Error {
    let names: Vec<String> = missing.iter().map(|&d| place.shown(d).display().to_string()).collect();
    let (what, have) = match names.len() {
        1 => (format!("{} is not a unit yet", names[0]), "it has"),
        _ => (format!("{} are not units yet", names.join(", ")), "they have"),
    };
    // Each folder's likeliest level follows from the unit above it: one that exists, or
    // the level just suggested for it.
    let mut suggested: Vec<(String, Vec<&'static str>)> = Vec::new();
    let mut above: Option<&'static str> = None;
    for &d in missing {
        if d == 1 {
            above = None;
        } else if !missing.contains(&(d - 1)) {
            above = place.level_of(d - 1);
        }
        let (levels, _) = levels_for(&place.parts[d - 1], above);
        above = Some(levels[0]);
        let cmd = format!(
            "minhbach new unit {} --level {}",
            shell_word(&place.shown(d).display().to_string()),
            shell_word(levels[0])
        );
        suggested.push((cmd, levels));
    }
    let width = suggested.iter().map(|(c, _)| c.chars().count()).max().unwrap_or(0);
    let mut lines: Vec<String> = suggested
        .iter()
        .map(|(cmd, levels)| match levels.len() {
            1 => format!("      {cmd}"),
            _ => format!("      {cmd:width$}    # or: {}", levels[1..].join(", ")),
        })
        .collect();
    lines.push(format!("      {again}"));
    err(
        io::ErrorKind::NotFound,
        format!(
            "{what} ({have} no _index.md); {why}\n  \
             = help: create the units first, from the top, then run yours again:\n{}\n    \
             add --name \"…\" to each, the official name with its tone marks (else it is made from the folder name)",
            lines.join("\n"),
        ),
    )
}

/// A unit folder with its `_index.md`. Returns the file and notes for the user.
pub fn unit(path: &Path, name: Option<&str>, level: Option<&str>) -> io::Result<(PathBuf, Vec<String>)> {
    let index = path.join("_index.md");
    refuse_existing(&index)?;
    let (site, parts) = locate(path)?;
    if parts.is_empty() {
        return Err(err(
            io::ErrorKind::InvalidInput,
            "content/ itself is not a unit: give the unit's folder, e.g. content/ha-noi".into(),
        ));
    }
    let place = Place { typed: path, site, parts };
    let missing = place.missing(false);
    if !missing.is_empty() {
        let mut again = format!("minhbach new unit {}", shell_word(&path.display().to_string()));
        if let Some(n) = name {
            again.push_str(&format!(" --name {}", shell_word(n)));
        }
        if let Some(l) = level {
            again.push_str(&format!(" --level {}", shell_word(l)));
        }
        return Err(missing_units(&place, &missing, "every folder above a unit must be a unit", &again));
    }
    let folder = place.parts.last().unwrap().clone();
    let mut notes = Vec::new();
    let level = match level {
        Some(l) => l.to_string(),
        None => {
            let depth = place.parts.len();
            let above = if depth > 1 { place.level_of(depth - 1) } else { None };
            let (levels, certain) = levels_for(&folder, above);
            if !certain {
                notes.push(format!(
                    "check `level:`: the folder name does not say it, so it is `{}`, the likeliest here (or {}; pass --level next time)",
                    levels[0],
                    levels[1..].join(", ")
                ));
            }
            levels[0].to_string()
        }
    };
    let name = match name {
        Some(n) => n.to_string(),
        None => {
            notes.push(
                "write `name:` with its tone marks (it was made from the folder name; pass --name next time)".into(),
            );
            match crate::model::level::from_slug(&slugify(&folder)) {
                Some((l, rest)) => format!("{} {}", title_case(&slugify(l)), title_case(&rest)),
                None => title_case(&slugify(&folder)),
            }
        }
    };
    fs::create_dir_all(path)?;
    fs::write(
        &index,
        format!(
            "---\n\
             # The unit's official name, with its level word and tone marks.\n\
             name: \"{}\"\n\
             # {levels}\n\
             level: {level}\n\
             # Optional: official code, the unit that replaced it after a merger, its website.\n\
             # code: \"00000\"\n\
             # succeeded_by: tinh/phuong-moi\n\
             # succeeded_on: 2025-07-01\n\
             # website: https://example.gov.vn\n\
             ---\n",
            name.replace('"', "\\\""),
            levels = crate::model::level::names().collect::<Vec<_>>().join(" | ")
        ),
    )?;
    Ok((index, notes))
}

/// The kind a title suggests.
fn kind_from_title(title: &str) -> DocKind {
    DocKind::from_words(title).unwrap_or(DocKind::Other)
}

/// "… nhiệm kỳ 2025–2030" → "2025-2030".
fn term_from_title(title: &str) -> Option<String> {
    let digits: Vec<&str> = title.split(|c: char| !c.is_ascii_digit()).filter(|s| s.len() == 4).collect();
    digits.windows(2).find_map(|w| {
        let (a, b) = (w[0].parse::<i32>().ok()?, w[1].parse::<i32>().ok()?);
        (b > a && b - a <= 10).then(|| format!("{a}-{b}"))
    })
}

/// A document skeleton in a unit folder, issued on `issued` (as `issued:` takes it) if
/// given. Without it the draft has no `issued:` but a placeholder: today's date would
/// be a date the document does not bear, and `check` says what to write instead.
pub fn doc(unit_dir: &Path, title: &str, issued: Option<&str>) -> io::Result<(PathBuf, Vec<String>)> {
    let (site, parts) = locate(unit_dir)?;
    let place = Place { typed: unit_dir, site, parts };
    if place.parts.is_empty() {
        return Err(err(
            io::ErrorKind::InvalidInput,
            "content/ itself is not a unit: give the folder of the unit that issued the document, e.g. content/ha-noi/phuong-x".into(),
        ));
    }
    let missing = place.missing(true);
    if !missing.is_empty() {
        let mut again =
            format!("minhbach new doc {} {}", shell_word(&unit_dir.display().to_string()), shell_word(title));
        if let Some(i) = issued {
            again.push_str(&format!(" --issued {}", shell_word(i)));
        }
        return Err(missing_units(
            &place,
            &missing,
            "a document is written in the folder of the unit that issued it",
            &again,
        ));
    }
    let issued = match issued {
        Some(text) => Some(crate::vi::date::parse(text).map_err(|e| {
            err(
                io::ErrorKind::InvalidInput,
                format!("--issued {e}; give the date printed on the document, as 2020-05-22 or 22/5/2020"),
            )
        })?),
        None => None,
    };
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(err(io::ErrorKind::InvalidInput, "the title gives an empty file name; use words".into()));
    }
    let slug: String = match slug.char_indices().nth(80) {
        Some((i, _)) => slug[..i].trim_end_matches('-').to_string(),
        None => slug,
    };
    let path = unit_dir.join(format!("{slug}.md"));
    refuse_existing(&path)?;
    let mut notes = Vec::new();
    let issued = match issued {
        Some(d) => format!("issued: {}                # the date on the document (or 22/5/2020)", d.iso()),
        None => {
            notes.push("write `issued:`, the date printed on the document (pass --issued next time)".into());
            "# issued: 2020-05-22        # required to publish: the date on the document, the day it was signed".into()
        }
    };
    let term = match term_from_title(title) {
        Some(t) => format!("term: {t}"),
        None => "# term: 2025-2030            # the term (nhiệm kỳ) the document belongs to".into(),
    };
    fs::write(
        &path,
        format!(
            "---\n\
             title: \"{title}\"\n\
             draft: true                  # not published until you delete this line\n\
             # resolution | action-program | review | conclusion | other\n\
             kind: {kind}\n\
             # number: \"01-NQ/ĐH\"           # Số / ký hiệu, as printed on the document\n\
             {issued}\n\
             {term}\n\
             # place: \"\"                    # the place before the date line\n\
             # issuer: \"\"                   # the body that issued it\n\
             # signer: \"\"\n\
             # signer_role: \"T/M Đảng ủy – Bí thư\"\n\
             # source: \"\"                   # where the original can be checked\n\
             targets: []\n\
             # Each target, copied from the document (see `minhbach format`):\n\
             # groups:\n\
             #   - id: \"1.1\"\n\
             #     name: Về kinh tế - đô thị\n\
             #     count: 1                 # the count in the heading: checked against the list\n\
             #     field: kinh-te\n\
             # targets:\n\
             #   - id: \"1.1.1\"\n\
             #     group: \"1.1\"\n\
             #     text: \"…\"                # verbatim from the document\n\
             #     indicator: ty-le-ho-ngheo\n\
             #     measures:\n\
             #       - op: \"<\"              # < <= = >= > range (min/max)\n\
             #         value: \"0,5\"\n\
             #         unit: \"%\"\n\
             #         deadline: 2025       # omit: end of the term; per: year for hàng năm\n\
             results: []\n\
             # results:\n\
             #   - target: \"1.1.1\"\n\
             #     value: \"3,07\"\n\
             #     unit: \"%\"\n\
             #     as_of: 2022-12-31\n\
             #     quote: \"…\"               # the sentence the figure comes from\n\
             ---\n\
             Toàn văn văn bản, bằng Markdown.\n",
            title = title.replace('"', "\\\""),
            kind = kind_from_title(title).as_str(),
        ),
    )?;
    Ok((path, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_kind_and_term() {
        assert_eq!(kind_from_title("Chương trình hành động số 01"), DocKind::ActionProgram);
        assert_eq!(kind_from_title("Nghị quyết Đại hội XI"), DocKind::Resolution);
        assert_eq!(kind_from_title("Báo cáo sơ kết giữa nhiệm kỳ"), DocKind::Review);
        assert_eq!(term_from_title("Nghị quyết … nhiệm kỳ 2025–2030"), Some("2025-2030".into()));
        assert_eq!(term_from_title("Nghị quyết Đại hội XI"), None);
    }
}
