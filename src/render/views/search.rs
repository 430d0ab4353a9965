//! The search page (search.html): the form, and how the index is cut, for its script
//! (search.js); without the script, where to look instead.

use super::*;
use crate::render::pages::{CHUNK, Layout};
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct SearchPage {
    /// The address of the index's folder: shards in `s/`, records in `r/`.
    index: String,
    /// How many shards the terms are spread over (`search::shard_of`).
    shards: u32,
    /// Items per record file.
    chunk: usize,
    /// Everything that can be found: indicators, units, documents, targets, results.
    items: usize,
}

pub(crate) fn build(v: &Views) -> SearchPage {
    let layout = Layout::of(v.site, v.computed);
    SearchPage {
        index: v.shared_url(crate::render::paths::SEARCH),
        shards: layout.shards,
        chunk: CHUNK,
        items: layout.items,
    }
}
