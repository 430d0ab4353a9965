//! Content folders for unit tests, written to a temporary directory and read by the
//! real reader (`load::content::read`): what a test sees is what `minhbach check` would
//! say of the same files, with the same file, line and column.

use super::content::{self, Content};
use crate::diagnostics::{Diagnostic, Diagnostics};
use std::path::PathBuf;

/// A vocabulary with one field and two indicators, for documents that name keys.
pub(crate) const VOCAB: &str = "\
fields:
  - key: kinh-te
    name: Kinh tế
indicators:
  - key: thu-ngan-sach
    name: Thu ngân sách vượt dự toán
    unit: \"%\"
    field: kinh-te
  - key: ho-ngheo
    name: Tỷ lệ hộ nghèo
    unit: \"%\"
    direction: lower
";

/// A site folder with a `content/` inside, removed when dropped.
pub(crate) struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    /// `files` are (path inside `content/`, text).
    pub(crate) fn new(files: &[(&str, &str)]) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join("content").join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        Fixture { dir }
    }

    pub(crate) fn root(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    pub(crate) fn content_dir(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    /// Everything in `content/`, read as `build` reads it.
    pub(crate) fn read(&self) -> Content {
        content::read(&self.root(), &self.content_dir()).unwrap()
    }
}

/// A unit's `_index.md`.
pub(crate) fn unit(name: &str, level: &str) -> String {
    format!("---\nname: {name}\nlevel: {level}\n---\n")
}

/// A document file: `front` is its front matter (which starts on line 2), then a body.
pub(crate) fn doc(front: &str) -> String {
    format!("---\n{front}---\nNội dung.\n")
}

/// The one problem whose message contains `text`; fails listing every problem if there
/// is none or more than one.
pub(crate) fn problem<'a>(diags: &'a Diagnostics, text: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = diags.0.iter().filter(|d| d.message.contains(text)).collect();
    match found.as_slice() {
        [d] => d,
        _ => panic!("expected one problem with `{text}`, found {}:\n{:#?}", found.len(), diags.0),
    }
}

/// Where a problem is and what it says: (file, line, column, message).
pub(crate) fn located(d: &Diagnostic) -> (String, usize, usize, &str) {
    (d.file.to_string_lossy().replace('\\', "/"), d.line, d.column, d.message.as_str())
}

/// One document, `content/u/d.md` in the ward `u` with `VOCAB`, read and lowered as
/// `build` lowers it: its model, pending results and problems.
pub(crate) fn lowered(front: &str) -> crate::model::lower::LoweredDoc {
    let f = Fixture::new(&[
        ("indicators.yaml", VOCAB),
        ("u/_index.md", &unit("Phường 1", "phường")),
        ("u/d.md", &doc(front)),
    ]);
    let mut c = f.read();
    assert!(c.unread_diags.is_empty() && c.vocab_diags.is_empty(), "{:#?} {:#?}", c.unread_diags, c.vocab_diags);
    std::sync::Arc::try_unwrap(c.documents.pop().expect("the document")).unwrap()
}

/// The front matter of a resolution with no targets, to which a test adds fields.
pub(crate) const HEAD: &str = "title: Nghị quyết\nkind: resolution\nissued: 2020-05-22\n";
