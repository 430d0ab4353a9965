//! The sitemap (sitemap.xml), for an absolute base URL: every page's full address.

use super::*;
use crate::render::pages::{Page, PageKind};
use crate::render::paths;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct SitemapPage {
    urls: Vec<String>,
}

pub(crate) fn build(v: &Views, list: &[Page], origin: &str) -> SitemapPage {
    let urls = list
        .iter()
        .filter(|p| {
            p.output.ends_with("index.html") && !matches!(p.kind, PageKind::NotFound | PageKind::IndicatorAlias(..))
        })
        .map(|p| format!("{}{}", origin, v.url(&paths::address_of(&p.output))))
        .collect();
    SitemapPage { urls }
}
