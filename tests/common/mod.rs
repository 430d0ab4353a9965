//! Helpers shared by the integration tests: the binary, the fixture sites of
//! tests/sites/, the bundled site built once, and file tree comparison.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn minhbach() -> assert_cmd::Command {
    assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("minhbach"))
}

/// A site of `minhbach-corpus` (`units` wards × `docs` documents, from `seed`) written
/// to `out`.
pub fn generated(out: &Path, units: usize, docs: usize, seed: u64) {
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin!("minhbach-corpus"))
        .args(["--units", &units.to_string(), "--docs", &docs.to_string(), "--seed", &seed.to_string(), "--out"])
        .arg(out)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "minhbach-corpus failed");
}

/// The fixture sites, one folder each, named for what they test (tests/sites/README.md).
pub fn sites() -> PathBuf {
    repo().join("tests/sites")
}

/// A copy of the fixture site `tests/sites/<name>` in a temp folder, for a test that
/// edits or builds into its site; returns the folder.
pub fn site(name: &str) -> tempfile::TempDir {
    let from = sites().join(name);
    assert!(from.join("minhbach.toml").is_file(), "no fixture site {}", from.display());
    let dir = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let to = dir.path().join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&to).unwrap();
        } else {
            fs::copy(e.path(), &to).unwrap();
        }
    }
    dir
}

// The files of the smallest valid site, tests/sites/one-ward/, for tests that write a
// changed version of one of them.
pub const TOML: &str = include_str!("../sites/one-ward/minhbach.toml");
pub const VOCAB: &str = include_str!("../sites/one-ward/content/indicators.yaml");
pub const UNIT: &str = include_str!("../sites/one-ward/content/thu/phuong-thu/_index.md");
pub const DOC: &str = include_str!("../sites/one-ward/content/thu/phuong-thu/nghi-quyet.md");

/// A small valid site in a temp folder (a copy of tests/sites/one-ward/): a province, a
/// ward and one resolution with two targets and their results.
pub fn fixture() -> tempfile::TempDir {
    site("one-ward")
}

/// The bundled site (the repository's own content/) built once per test binary, on the
/// first call; returns its output folder, which tests only read. It lives under cargo's
/// temp folder for tests, one per test binary, and is built afresh at each run.
pub fn bundled() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(concat!("bundled-", env!("CARGO_CRATE_NAME")));
        let out = dir.join("public");
        if out.exists() {
            fs::remove_dir_all(&out).unwrap();
        }
        fs::create_dir_all(&dir).unwrap();
        minhbach().args(["build", "--root"]).arg(repo()).arg("--output").arg(&out).assert().success();
        out
    })
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

/// A command line split into words, with double quotes as the shell reads them.
pub fn words(cmd: &str) -> Vec<String> {
    let (mut out, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in cmd.chars() {
        if c == '"' {
            (quoted, any) = (!quoted, true);
        } else if c == ' ' && !quoted {
            if any {
                out.push(std::mem::take(&mut word));
                any = false;
            }
        } else {
            word.push(c);
            any = true;
        }
    }
    assert!(!quoted, "unbalanced quotes in {cmd}");
    if any {
        out.push(word);
    }
    out
}

/// The files of a ZIP (a province's `csv.zip`), in the ZIP's order: name and bytes.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut out = Vec::new();
            f.read_to_end(&mut out).unwrap();
            (f.name().expect("a UTF-8 name").to_string(), out)
        })
        .collect()
}

/// A CSV file's rows, each a map of its header's names to its cells, after checking its
/// byte-order mark (Excel needs it to read Vietnamese).
pub fn csv_records(bytes: &[u8], what: &str) -> Vec<BTreeMap<String, String>> {
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "{what}: UTF-8 BOM for Excel");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| headers.iter().zip(rec.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect()
}

/// The rows of a table (`targets`, `results`) in a province's ZIP (`data/<p>/csv.zip`),
/// whose CSV is named for the province: `<p>-targets.csv`.
pub fn zip_rows(zip: &Path, table: &str) -> Vec<BTreeMap<String, String>> {
    let province = zip.parent().unwrap().file_name().unwrap().to_str().unwrap();
    let files = unzip(&fs::read(zip).unwrap());
    let name = format!("{province}-{table}.csv");
    let (_, bytes) = files.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("{name} in {}", zip.display()));
    csv_records(bytes, &name)
}
