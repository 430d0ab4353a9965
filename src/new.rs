//! `minhbach new`: commented skeletons a ward officer can fill in without reading the
//! manual first. Every skeleton passes `minhbach check` as written and publishes no
//! made-up figure: examples stay in comments until the officer writes real ones.

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

/// The site folder a path is in, and the path's place inside `content/`.
fn locate(path: &Path) -> io::Result<(PathBuf, Vec<String>)> {
    let abs = std::path::absolute(path)?;
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
    if parts.len() > 1 {
        let parent = site.join(crate::config::folder::CONTENT).join(parts[..parts.len() - 1].join("/"));
        if !parent.join("_index.md").is_file() {
            return Err(err(
                io::ErrorKind::NotFound,
                format!(
                    "the parent folder {} is not a unit yet; run `minhbach new unit {}` first, so the hierarchy has no gap",
                    parent.display(),
                    parent.display()
                ),
            ));
        }
    }
    let folder = parts.last().unwrap().clone();
    let mut notes = Vec::new();
    let guessed = crate::model::level::from_slug(&slugify(&folder));
    let level = match (level, &guessed) {
        (Some(l), _) => l.to_string(),
        (None, Some((l, _))) => l.to_string(),
        (None, None) => {
            notes.push("set `level:` (the folder name did not say it; pass --level next time)".into());
            "phường".into()
        }
    };
    let name = match name {
        Some(n) => n.to_string(),
        None => {
            notes.push(
                "write `name:` with its tone marks (it was made from the folder name; pass --name next time)".into(),
            );
            match &guessed {
                Some((l, rest)) => format!("{} {}", title_case(&slugify(l)), title_case(rest)),
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
    let t = crate::vi::slug::fold(title);
    if t.contains("chuong trinh hanh dong") {
        DocKind::ActionProgram
    } else if t.starts_with("nghi quyet") {
        DocKind::Resolution
    } else if t.starts_with("bao cao") {
        DocKind::Review
    } else if t.starts_with("ket luan") {
        DocKind::Conclusion
    } else {
        DocKind::Other
    }
}

/// "… nhiệm kỳ 2025–2030" → "2025-2030".
fn term_from_title(title: &str) -> Option<String> {
    let digits: Vec<&str> = title.split(|c: char| !c.is_ascii_digit()).filter(|s| s.len() == 4).collect();
    digits.windows(2).find_map(|w| {
        let (a, b) = (w[0].parse::<i32>().ok()?, w[1].parse::<i32>().ok()?);
        (b > a && b - a <= 10).then(|| format!("{a}-{b}"))
    })
}

/// A document skeleton in a unit folder.
pub fn doc(unit_dir: &Path, title: &str) -> io::Result<PathBuf> {
    if !unit_dir.join("_index.md").exists() {
        return Err(err(
            io::ErrorKind::NotFound,
            format!(
                "{} is not a unit folder (it has no _index.md); run `minhbach new unit {}` first",
                unit_dir.display(),
                unit_dir.display()
            ),
        ));
    }
    locate(unit_dir)?;
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
    let today = jiff::ZonedDateTime::now().date();
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
             issued: {today}              # the date on the document (or 22/5/2020)\n\
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
    Ok(path)
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
