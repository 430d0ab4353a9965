//! The sitemap (sitemap.xml), for an absolute base URL: every page's full address, in
//! each of the site's editions (`languages`).

use crate::render::pages::{Page, PageKind};
use crate::render::paths;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct SitemapPage {
    urls: Vec<String>,
}

pub(crate) fn build(editions: &crate::site::EditionList, list: &[Page], origin: &str) -> SitemapPage {
    let pages: Vec<&Page> = list
        .iter()
        .filter(|p| {
            p.output.ends_with("index.html") && !matches!(p.kind, PageKind::NotFound | PageKind::IndicatorAlias(..))
        })
        .collect();
    let mut urls = Vec::with_capacity(pages.len() * editions.len());
    for (_, _, base) in editions {
        urls.extend(pages.iter().map(|p| [origin, base.trim_end_matches('/'), &paths::address_of(&p.output)].concat()));
    }
    SitemapPage { urls }
}
