//! A page at an address that moved (redirect.html): an indicator's earlier key, kept by
//! `aliases:` in the vocabulary so that links already shared still lead somewhere.
//! Static hosts cannot be told to answer with a 301 in a portable way, so the page
//! does it as Zola's and Hugo's aliases do: a canonical link and a refresh, and a
//! plain link for readers whose browser does not follow the refresh.

use super::*;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct RedirectPage {
    /// What the new address shows.
    name: String,
    /// The new address (with the base path).
    url: String,
}

pub(crate) fn indicator(v: &Views, ci: usize) -> RedirectPage {
    let ind = &v.indicators[v.computed.comparisons[ci].indicator];
    RedirectPage { name: ind.name.clone(), url: v.url(&paths::indicator(&ind.key)) }
}
