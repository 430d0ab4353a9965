//! The README's complete example is a working site: its three files, as printed, pass
//! `check` and build.

mod common;
use common::*;
use std::fs;

/// The fenced block that follows the line naming `file` in the README.
fn block_after(readme: &str, file: &str) -> String {
    let at = readme.find(&format!("`{file}`\n")).unwrap_or_else(|| panic!("README names {file}"));
    let rest = &readme[at..];
    let start = rest.find("```").unwrap();
    let body = &rest[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("```").unwrap()].to_string()
}

#[test]
fn the_readme_example_passes_check_and_builds() {
    let readme = read(repo().join("README.md"));
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::write(root.join("minhbach.toml"), TOML).unwrap();
    for file in [
        "content/ha-noi/quan-long-bien/phuong-duc-giang/_index.md",
        "content/ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi.md",
        "content/indicators.yaml",
    ] {
        let path = root.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, block_after(&readme, file)).unwrap();
    }
    // The example's ward sits in units the README does not print.
    fs::write(root.join("content/ha-noi/_index.md"), "---\nname: Thành phố Hà Nội\nlevel: thành phố\n---\n").unwrap();
    fs::write(root.join("content/ha-noi/quan-long-bien/_index.md"), "---\nname: Quận Long Biên\nlevel: quận\n---\n")
        .unwrap();
    let out = minhbach().args(["check", "--root"]).arg(root).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    minhbach().args(["build", "--root"]).arg(root).assert().success();
    let html = read(root.join("public/ha-noi/quan-long-bien/phuong-duc-giang/nghi-quyet-dai-hoi-xi/index.html"));
    assert!(html.contains("từ 10 đến 12 đảng viên mỗi năm"));
    assert!(!html.contains("…"), "no placeholder published");
}
