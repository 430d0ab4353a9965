//! Lowering: raw front matter (`load::schema`) given meaning one file at a time, as soon
//! as it is parsed: numbers and dates parsed, keys checked against the vocabulary, and
//! every problem reported with its position. Only what needs the file and the
//! vocabulary is done here; what needs other files is done by `model::assemble` (units,
//! addresses) and `model::link` (results to targets).
//!
//! - `values`: single values as written (numbers, dates, ids, terms, addresses, names);
//! - `vocabulary`: the fields and indicators every key is checked against;
//! - `unit`, `document`, `result`: one kind of record each.

mod document;
mod result;
mod unit;
mod values;
mod vocabulary;

pub(crate) use result::PendingResult;
pub(crate) use unit::{is_content_path, unit_from_raw};
pub(crate) use values::{MAX_SLUG, sign_before_number};
pub(crate) use vocabulary::Vocab;
pub(crate) use vocabulary::vocabulary;

use crate::diagnostics::Diagnostics;
use crate::load::schema::RawDocument;
use crate::load::{Loaded, SourceFile};
use crate::model::Document;
use document::document_from_raw;
use result::lower_result;

/// A document file given meaning on its own, as soon as it is parsed: everything that
/// needs only the file and the vocabulary (numbers, dates, ids, group counts, keys).
/// The raw YAML tree is dropped here, which keeps memory near the size of the content
/// even when thousands of files are read in parallel. What needs other files (its
/// unit, links from results to targets) is done by `build`.
#[derive(Debug, Clone)]
pub struct LoweredDoc {
    /// Kept for messages about links, which point into this file.
    pub file: SourceFile,
    pub doc: Document,
    pub draft: bool,
    pub results: Vec<PendingResult>,
    pub diags: Diagnostics,
    /// Messages about unknown indicator or field keys were left out, the vocabulary
    /// being unreadable or missing (its own problem is the one to report).
    pub keys_dropped: bool,
}

pub(crate) fn lower_document(vocab: &Vocab, d: Loaded<RawDocument>) -> LoweredDoc {
    let Loaded { mut file, raw, body } = d;
    let mut diags = Diagnostics::default();
    let draft = raw.draft.unwrap_or(false);
    let (doc, raw_results) = document_from_raw(vocab, &file, raw, body, usize::MAX, &mut diags);
    let results =
        raw_results.iter().enumerate().filter_map(|(n, r)| lower_result(vocab, &file, n + 1, r, &mut diags)).collect();
    // The text is no longer needed: the few messages about links read the file again.
    file.text = String::new();
    LoweredDoc { file, doc, draft, results, diags, keys_dropped: false }
}
