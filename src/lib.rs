//! minhbach: a static site generator for Vietnamese ward resolutions and their targets.
//!
//! The modules follow the data, in the order a build runs:
//! - [`config`](crate::config): `minhbach.toml`;
//! - [`load`]: walk `content/`, split front matter, deserialize it (raw schema);
//! - [`model`]: units, documents, targets, measures, results, indicators, with checks;
//! - [`compute`]: each measure's status ([`compute::status`] holds the rule);
//! - [`render`]: Markdown, views with Vietnamese formatting, templates, the page list;
//! - [`write`]: atomic output (staging folder swapped in on success);
//! - [`engine`]: the one pipeline of `build`, `check` and `serve`'s rebuilds;
//! - [`site`]: one build or check, start to end;
//! - [`new`]: skeleton files; [`import`]: a draft from the office's document (docx,
//!   pdf, html, text); [`vi`]: Vietnamese numbers, dates, slugs, order;
//!   [`diagnostics`]: errors and warnings with a kind, file, line, column, snippet and hint.

pub mod compute;
pub(crate) mod config;
pub(crate) mod diagnostics;
pub(crate) mod engine;
pub mod import;
pub mod load;
pub mod model;
pub mod new;
pub mod render;
pub mod serve;
pub mod session;
pub mod site;
pub mod vi;
pub(crate) mod write;

/// The content format reference, printed by `minhbach format` and pointed to by hints.
pub const CONTENT_FORMAT: &str = include_str!("../docs/content-format.md");
