//! Helpers shared by the integration tests: the binary, small fixture sites, and file
//! tree comparison.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn minhbach() -> assert_cmd::Command {
    assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("minhbach"))
}

pub const TOML: &str = "title = \"Thử nghiệm\"\nbase_url = \"/\"\nstatus_date = \"2026-11-23\"\n";

pub const VOCAB: &str = "fields:\n  - key: van-hoa-xa-hoi\n    name: Văn hóa – xã hội\nindicators:\n  - key: ty-le-ho-ngheo\n    name: Tỷ lệ hộ nghèo\n    unit: \"%\"\n    direction: lower\n    field: van-hoa-xa-hoi\n  - key: ket-nap-dang-vien\n    name: Kết nạp đảng viên mới\n    unit: đảng viên\n    direction: higher\n";

pub const UNIT: &str = "---\nname: Phường Thử\nlevel: phường\n---\nMột phường để thử.\n";

pub const DOC: &str = r#"---
title: Nghị quyết thử
kind: resolution
number: "01-NQ/ĐH"
issued: 2020-05-22
term: 2020-2025
groups:
  - id: "1"
    name: Về văn hóa - xã hội
    count: 2
    field: van-hoa-xa-hoi
targets:
  - id: "1.1"
    group: "1"
    text: "Tỷ lệ hộ nghèo dưới 0,5%."
    indicator: ty-le-ho-ngheo
    measures:
      - op: "<"
        value: "0,5"
        unit: "%"
  - id: "1.2"
    group: "1"
    text: "Kết nạp 10 đảng viên/năm."
    indicator: ket-nap-dang-vien
    measures:
      - op: ">="
        value: 10
        unit: đảng viên
        per: year
results:
  - target: "1.1"
    value: "3,07"
    unit: "%"
    as_of: 2022-12-31
    quote: "Tỷ lệ hộ nghèo đến cuối năm 2022 là 3,07%."
  - target: "1.2"
    value: 12
    as_of: 2021
    quote: "Năm 2021 kết nạp 12 đảng viên."
---
Nội dung **nghị quyết**.
"#;

/// A small valid site in a temp folder; returns the folder.
pub fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("minhbach.toml"), TOML).unwrap();
    fs::create_dir_all(root.join("content/thu/phuong-thu")).unwrap();
    fs::write(root.join("content/indicators.yaml"), VOCAB).unwrap();
    fs::write(root.join("content/thu/_index.md"), "---\nname: Tỉnh Thử\nlevel: tỉnh\n---\n").unwrap();
    fs::write(root.join("content/thu/phuong-thu/_index.md"), UNIT).unwrap();
    fs::write(root.join("content/thu/phuong-thu/nghi-quyet.md"), DOC).unwrap();
    dir
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            out.insert(rel, fs::read(e.path()).unwrap());
        }
    }
    out
}

pub fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}
