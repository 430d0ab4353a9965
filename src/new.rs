//! `minhbach new`: commented skeletons a ward officer can fill in without reading the
//! manual first. Every skeleton passes `minhbach check` as written.

use crate::vi::slug::slugify;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn refuse_existing(path: &Path) -> io::Result<()> {
    if path.exists() {
        return Err(io::Error::new(
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
    fs::create_dir_all(dir.join("content"))?;
    fs::write(
        &toml,
        format!(
            "# Site settings. See README.md for every key.\n\
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

/// A unit folder with its `_index.md`.
pub fn unit(path: &Path) -> io::Result<PathBuf> {
    let index = path.join("_index.md");
    refuse_existing(&index)?;
    fs::create_dir_all(path)?;
    let folder = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let guess = folder.replace('-', " ");
    fs::write(
        &index,
        format!(
            "---\n\
             # The unit's official name, with its level word.\n\
             name: \"{guess}\"\n\
             # tỉnh | thành phố | quận | huyện | thị xã | thành phố thuộc tỉnh | phường | xã | thị trấn | khu phố | tổ dân phố\n\
             level: phường\n\
             # Optional: official code, the unit that replaced it after a merger, its website.\n\
             # code: \"00000\"\n\
             # succeeded_by: tinh/phuong-moi\n\
             # succeeded_on: 2025-07-01\n\
             # website: https://example.gov.vn\n\
             ---\n\
             Một hai câu giới thiệu đơn vị.\n"
        ),
    )?;
    Ok(index)
}

/// A document skeleton in a unit folder.
pub fn doc(unit_dir: &Path, title: &str) -> io::Result<PathBuf> {
    if !unit_dir.join("_index.md").exists() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "{} is not a unit folder (it has no _index.md); run `minhbach new unit {}` first",
                unit_dir.display(),
                unit_dir.display()
            ),
        ));
    }
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the title gives an empty file name; use words",
        ));
    }
    let path = unit_dir.join(format!("{slug}.md"));
    refuse_existing(&path)?;
    fs::write(
        &path,
        format!(
            "---\n\
             title: \"{}\"\n\
             # resolution | action-program | review | conclusion | other\n\
             kind: resolution\n\
             number: \"01-NQ/ĐH\"          # Số / ký hiệu\n\
             issued: 2020-05-22          # or 22/5/2020\n\
             place: \"\"                  # the place before the date line\n\
             issuer: \"\"                 # the body that issued it\n\
             signer: \"\"\n\
             signer_role: \"T/M Đảng ủy – Bí thư\"\n\
             term: 2020-2025\n\
             source: \"\"                 # where the original can be checked\n\
             groups:\n\
             \x20 - id: \"1.1\"\n\
             \x20   name: Về kinh tế - đô thị\n\
             \x20   count: 1                # the count in the heading: checked against the list\n\
             \x20   field: kinh-te\n\
             targets:\n\
             \x20 - id: \"1.1.1\"\n\
             \x20   group: \"1.1\"\n\
             \x20   text: \"Đến cuối năm 2025, tỷ lệ hộ nghèo dưới 0,5%.\"   # verbatim from the document\n\
             \x20   indicator: ty-le-ho-ngheo\n\
             \x20   measures:\n\
             \x20     - op: \"<\"             # < <= = >= > range (min/max)\n\
             \x20       value: \"0,5\"\n\
             \x20       unit: \"%\"\n\
             \x20       deadline: 2025      # omit: end of the term; per: year for hàng năm\n\
             results: []\n\
             # results:\n\
             #   - target: \"1.1.1\"\n\
             #     value: \"3,07\"\n\
             #     unit: \"%\"\n\
             #     as_of: 2022-12-31\n\
             #     quote: \"Tỷ lệ hộ nghèo đến cuối năm 2022 là 3,07%.\"\n\
             ---\n\
             Toàn văn văn bản, bằng Markdown.\n",
            title.replace('"', "\\\"")
        ),
    )?;
    Ok(path)
}
