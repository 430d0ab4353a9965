//! The matrices page (matrix-index.html): one link per term with targets.

use super::*;
use crate::render::pages::matrix_terms;
use crate::render::paths;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct MatrixIndexPage {
    terms: Vec<Link>,
}

pub(crate) fn build(v: &Views) -> MatrixIndexPage {
    let site = v.site;
    let terms =
        matrix_terms(site).into_iter().map(|t| Link { name: t.label(), url: v.url(&paths::matrix(t)) }).collect();
    MatrixIndexPage { terms }
}
