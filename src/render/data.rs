//! Open data: the site's numbers as files, for ward officers, journalists and developers
//! (docs/open-data.md says which file is for whom).
//!
//! One row per measure (`targets`), per result (`results`), per document, unit and
//! indicator. Each province's targets and results are two CSV files in one ZIP (UTF-8
//! with a BOM, so Excel shows Vietnamese; every column, so a spreadsheet needs no other
//! file) and one compact JSON, which leaves out the columns that repeat a document's, a
//! unit's or an indicator's text (marked `from`) or that a program rebuilds from the
//! row's document (marked `derived`), and holds the province's documents instead; each
//! unit has a CSV of its own rows with the columns a ward officer reads (marked
//! `ward`); units and indicators are site-wide. Numbers are
//! machine numbers (a dot before decimals); `*_text` columns carry the Vietnamese
//! display. The columns are described once here (name, type, meaning, where the JSON
//! finds them), and that one list produces the files, the JSON Schema and the page that
//! explains each column, so they cannot drift apart.

use super::pages::{self, DataFile, Part, ProvinceFile, Table};
use super::paths;
use super::views::{Views, measure_id};
use crate::model::{MeasureRef, Per, Site, Term};
use serde::Serialize;

/// A column: its name, JSON type and whether it may be empty. Its meaning is the
/// translation string `data_col.<name>`.
pub(crate) struct Col {
    pub name: &'static str,
    pub kind: &'static str,
    pub nullable: bool,
    /// The table whose text the column repeats: the JSON files leave it out, and a
    /// program finds it there by the row's id (`document_path`, `unit_path`, `indicator`).
    pub from: Option<Table>,
    /// The JSON files leave it out because a program rebuilds it from the row's other
    /// values (and its document's); the rule is the translation string
    /// `data_derived.<table>_<name>`, in the schema and on the data page.
    pub derived: bool,
    /// The unit's own file (`/data/chi-tieu/<unit>.csv`, the ward officer's spreadsheet)
    /// has it. The columns left out there are the same on every row of the unit's file, or codes a
    /// program reads whose Vietnamese text is in another column kept there.
    pub ward: bool,
}

const fn c(name: &'static str, kind: &'static str, nullable: bool) -> Col {
    Col { name, kind, nullable, from: None, derived: false, ward: false }
}

/// A column that repeats a text of `from` (CSV only).
const fn r(name: &'static str, kind: &'static str, nullable: bool, from: Table) -> Col {
    Col { name, kind, nullable, from: Some(from), derived: false, ward: false }
}

impl Col {
    /// In the unit's own file too.
    const fn ward(self) -> Col {
        Col { ward: true, ..self }
    }

    /// Left out of JSON: derivable (`Col::derived`).
    const fn derived(self) -> Col {
        Col { derived: true, ..self }
    }

    /// Whether the JSON files write it.
    pub(crate) fn in_json(&self) -> bool {
        self.from.is_none() && !self.derived
    }
}

pub(crate) const TARGET_COLS: &[Col] = &[
    c("id", "string", false).derived(),
    c("unit_path", "string", false).derived(),
    r("unit_name", "string", false, Table::Units),
    r("unit_level", "string", false, Table::Units),
    r("province", "string", false, Table::Units),
    r("district", "string", true, Table::Units),
    c("document_path", "string", false),
    r("document_title", "string", false, Table::Documents).ward(),
    r("document_kind", "string", false, Table::Documents),
    r("document_number", "string", true, Table::Documents).ward(),
    r("document_issued", "string", true, Table::Documents).ward(),
    r("term", "string", true, Table::Documents).ward(),
    c("target_id", "string", false).ward(),
    c("target_type", "string", false),
    c("group", "string", true).ward(),
    c("field", "string", true).ward(),
    c("target_text", "string", false).ward(),
    c("measure", "integer", false).ward(),
    c("indicator", "string", true),
    r("indicator_name", "string", true, Table::Indicators).ward(),
    c("label", "string", true).ward(),
    c("op", "string", false),
    c("value", "number", true).ward(),
    c("min", "number", true).ward(),
    c("max", "number", true).ward(),
    c("unit", "string", true).ward(),
    c("per", "string", false),
    c("deadline", "string", true).ward(),
    c("relation", "string", true),
    c("baseline", "string", true),
    c("variant", "string", true),
    c("measure_text", "string", false).ward(),
    c("latest_value", "number", true).ward(),
    c("latest_value_text", "string", true).ward(),
    c("latest_as_of", "string", true).ward(),
    c("latest_quote", "string", true).ward(),
    c("latest_source_url", "string", true).ward(),
    c("original", "string", true),
    c("page", "integer", true),
    c("status", "string", false),
    c("status_label", "string", false).derived().ward(),
    c("url", "string", false).derived().ward(),
];

pub(crate) const RESULT_COLS: &[Col] = &[
    c("id", "string", false),
    c("unit_path", "string", false).derived(),
    r("unit_name", "string", false, Table::Units),
    c("document_path", "string", false),
    r("document_title", "string", false, Table::Documents),
    r("document_number", "string", true, Table::Documents),
    c("target", "string", true),
    c("indicator", "string", true),
    c("label", "string", true),
    c("bound", "string", true),
    c("value", "number", true),
    c("of", "number", true),
    c("unit", "string", true),
    c("written", "string", true),
    c("share_of_target", "number", true),
    c("verdict", "string", true),
    c("value_text", "string", false),
    c("as_of", "string", false),
    c("covers", "string", true),
    c("final", "boolean", false),
    c("quote", "string", false),
    c("original", "string", true),
    c("page", "integer", true),
    c("url", "string", false).derived(),
];

pub(crate) const DOCUMENT_COLS: &[Col] = &[
    c("document_path", "string", false),
    // The first part of its targets' ids, which the JSON leaves out (`derived`).
    c("id", "string", false),
    c("unit_path", "string", false),
    c("document_title", "string", false),
    c("document_kind", "string", false),
    c("document_number", "string", true),
    c("document_issued", "string", true),
    c("term", "string", true),
    c("url", "string", false),
];

pub(crate) const UNIT_COLS: &[Col] = &[
    c("path", "string", false),
    c("name", "string", false),
    c("level", "string", false),
    c("code", "string", true),
    c("parent", "string", true),
    c("succeeded_by", "string", true),
    c("predecessors", "string", true),
    c("succeeded_on", "string", true),
    c("documents", "integer", false),
    c("targets", "integer", false),
    c("url", "string", false),
];

pub(crate) const INDICATOR_COLS: &[Col] = &[
    c("key", "string", false),
    c("name", "string", false),
    c("unit", "string", true),
    c("direction", "string", false),
    c("field", "string", true),
    c("description", "string", true),
    c("units", "integer", false),
    c("measures", "integer", false),
    c("url", "string", false),
];

/// The index's rows: one per data file and table it holds.
pub(crate) const FILE_COLS: &[Col] = &[
    c("file", "string", false),
    c("url", "string", false),
    c("format", "string", false),
    c("entry", "string", true),
    c("table", "string", false),
    c("province_path", "string", true),
    c("part", "integer", true),
    c("parts", "integer", true),
    c("rows", "integer", false),
    c("bytes", "integer", true),
];

impl Table {
    /// Its columns, in the order its rows write them.
    pub(crate) fn cols(self) -> &'static [Col] {
        match self {
            Table::Targets => TARGET_COLS,
            Table::Results => RESULT_COLS,
            Table::Documents => DOCUMENT_COLS,
            Table::Units => UNIT_COLS,
            Table::Indicators => INDICATOR_COLS,
            Table::Files => FILE_COLS,
        }
    }
}

/// One measure as a data row. Text that is in the model already is borrowed: rows are
/// serialised at once, 900,000 of them at national scale.
#[derive(Serialize, Default)]
pub(crate) struct TargetRow<'a> {
    pub id: String,
    pub unit_path: &'a str,
    pub unit_name: &'a str,
    pub unit_level: &'a str,
    pub province: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<&'a str>,
    pub document_path: &'a str,
    pub document_title: &'a str,
    pub document_kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_issued: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    pub target_id: &'a str,
    pub target_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub target_text: &'a str,
    pub measure: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<&'a str>,
    pub op: &'a str,
    #[serde(serialize_with = "number", skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(serialize_with = "number", skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(serialize_with = "number", skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'a str>,
    pub per: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<&'a str>,
    pub measure_text: String,
    #[serde(serialize_with = "number", skip_serializing_if = "Option::is_none")]
    pub latest_value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_value_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_as_of: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_quote: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_source_url: Option<String>,
    /// The document's original file, opened at the target's page when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub status: &'a str,
    pub status_label: String,
    pub url: String,
}

#[derive(Serialize, Default)]
pub(crate) struct ResultRow {
    pub id: String,
    pub unit_path: String,
    pub unit_name: String,
    pub document_path: String,
    pub document_title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<&'static str>,
    #[serde(serialize_with = "number", skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(serialize_with = "number", skip_serializing_if = "Option::is_none")]
    pub of: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
    #[serde(serialize_with = "number", skip_serializing_if = "Option::is_none")]
    pub share_of_target: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    pub value_text: String,
    pub as_of: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covers: Option<String>,
    #[serde(rename = "final")]
    pub is_final: bool,
    pub quote: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub url: String,
}

#[derive(Serialize, Default)]
pub(crate) struct DocumentRow<'a> {
    pub document_path: &'a str,
    pub id: String,
    pub unit_path: &'a str,
    pub document_title: &'a str,
    pub document_kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_issued: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    pub url: String,
}

#[derive(Serialize, Default)]
pub(crate) struct FileRow {
    pub file: String,
    pub url: String,
    pub format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    pub table: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parts: Option<usize>,
    pub rows: usize,
    /// The file's length (for a ZIP, the whole ZIP's); none from `check`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
}

#[derive(Serialize, Default)]
pub(crate) struct UnitRow {
    pub path: String,
    pub name: String,
    pub level: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub succeeded_by: Option<String>,
    /// The units merged into it, "; " between their paths.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predecessors: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub succeeded_on: Option<String>,
    pub documents: usize,
    pub targets: usize,
    pub url: String,
}

#[derive(Serialize, Default)]
pub(crate) struct IndicatorRow {
    pub key: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub direction: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub units: usize,
    pub measures: usize,
    pub url: String,
}

/// Numbers as a reader types them: 10, not 10.0; 0.5 stays 0.5.
fn number<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
        None => s.serialize_none(),
    }
}

/// An address for data files: absolute when the site's base URL is.
fn abs(v: &Views, origin: &str, url: &str) -> String {
    let _ = v;
    format!("{origin}{url}")
}

pub(crate) fn target_row<'a>(v: &Views<'a>, origin: &str, r: MeasureRef) -> TargetRow<'a> {
    let site: &'a Site = v.site;
    let d = &site.documents[r.doc()];
    let t = &d.targets[r.target()];
    let m = &t.measures[r.measure()];
    let u = &site.units[d.unit];
    let chain = site.ancestry(d.unit);
    let e = v.computed.get(r);
    let latest = e.result.map(|ri| (ri, &site.results[ri]));
    let indicator = site.indicator_at(m.indicator());
    TargetRow {
        id: measure_id(site, r),
        unit_path: &u.path,
        unit_name: &u.name,
        unit_level: &u.level,
        province: &site.units[chain[0]].name,
        district: (chain.len() >= 3).then(|| site.units[chain[chain.len() - 2]].name.as_str()),
        document_path: &d.path,
        document_title: &d.title,
        document_kind: d.kind.as_str(),
        document_number: d.number.as_deref(),
        document_issued: d.issued.map(|i| i.iso()),
        term: d.term.map(Term::key),
        target_id: &t.id,
        target_type: t.kind.as_str(),
        group: t.group.map(|g| d.groups[g].name.as_str()),
        field: v.target_field(d, t),
        target_text: &t.text,
        measure: r.measure() + 1,
        indicator: indicator.map(|i| i.key.as_str()),
        indicator_name: indicator.map(|i| i.name.as_str()),
        label: m.label.as_deref(),
        op: m.op.as_str(),
        value: m.value,
        min: m.min(),
        max: m.max(),
        unit: m.unit.as_deref(),
        per: m.per.as_str(),
        deadline: m
            .deadline
            .map(|d| d.iso())
            .or_else(|| (m.per == Per::Term).then_some(d.term.map(|t| t.end.to_string())).flatten()),
        relation: m.relation.map(|r| r.as_str()),
        baseline: m.baseline(),
        variant: m.variant(),
        measure_text: v.measure_text(m),
        latest_value: e.compared,
        latest_value_text: latest.map(|(_, r)| v.result_value_text(r)),
        latest_as_of: latest.map(|(_, r)| r.date().iso()),
        latest_quote: latest.map(|(_, r)| r.quote.as_str()),
        latest_source_url: latest.map(|(_, r)| abs(v, origin, &v.result_url(r))),
        original: v.original_at(d, t.page).map(|o| abs(v, origin, &o)),
        page: t.page,
        status: e.status.as_str(),
        status_label: v.strings.get(e.status.label_key()),
        url: abs(v, origin, &v.target_url(d, &t.id)),
    }
}

pub(crate) fn result_row(v: &Views, origin: &str, ri: usize) -> ResultRow {
    let site = v.site;
    let r = &site.results[ri];
    let d = &site.documents[r.doc];
    let u = &site.units[d.unit];
    ResultRow {
        id: format!("{}#{}", d.path, Views::result_anchor(r)),
        unit_path: u.path.clone(),
        unit_name: u.name.clone(),
        document_path: d.path.clone(),
        document_title: d.title.clone(),
        document_number: d.number.clone(),
        target: r.target.map(|t| measure_id(site, t)),
        indicator: site.indicator_at(r.indicator()).map(|i| i.key.clone()),
        label: r.label.clone(),
        bound: r.bound.map(|op| op.as_str()),
        value: r.value,
        of: r.of,
        unit: r.unit.clone(),
        written: r.written.clone(),
        share_of_target: r.share_of_target,
        verdict: r.verdict.map(|x| x.as_str().to_string()),
        value_text: v.result_value_text(r),
        as_of: r.as_of.iso(),
        covers: r.covers.map(|c| c.iso()),
        is_final: r.is_final,
        quote: r.quote.clone(),
        original: v.original_at(d, r.page).map(|o| abs(v, origin, &o)),
        page: r.page,
        url: abs(v, origin, &v.result_url(r)),
    }
}

pub(crate) fn unit_rows(v: &Views, origin: &str) -> Vec<UnitRow> {
    let site = v.site;
    site.units
        .iter()
        .map(|u| UnitRow {
            path: u.path.clone(),
            name: u.name.clone(),
            level: u.level.clone(),
            code: u.code.clone(),
            parent: u.parent.map(|p| site.units[p].path.clone()),
            succeeded_by: (!u.succeeded_by.is_empty()).then(|| u.succeeded_by.join("; ")),
            predecessors: (!u.predecessors.is_empty())
                .then(|| u.predecessors.iter().map(|&p| site.units[p].path.as_str()).collect::<Vec<_>>().join("; ")),
            succeeded_on: u.succeeded_on.map(|d| d.iso()),
            documents: u.documents.len(),
            targets: u.documents.iter().map(|&d| site.documents[d].targets.len()).sum(),
            url: abs(v, origin, &v.url(&u.url)),
        })
        .collect()
}

pub(crate) fn indicator_rows(v: &Views, origin: &str) -> Vec<IndicatorRow> {
    let site = v.site;
    site.indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let cmp = v.computed.comparison(i);
            IndicatorRow {
                key: ind.key.clone(),
                name: ind.name.clone(),
                unit: ind.unit.clone(),
                direction: ind.direction.as_str().into(),
                field: ind.field.clone(),
                description: ind.description.clone(),
                units: cmp.map(|c| c.units.len()).unwrap_or(0),
                measures: cmp.map(|c| c.classes.iter().map(|k| k.entries.len()).sum()).unwrap_or(0),
                url: abs(v, origin, &v.indicator_url(ind)),
            }
        })
        .collect()
}

pub(crate) fn document_row<'a>(v: &Views<'a>, origin: &str, d: usize) -> DocumentRow<'a> {
    let site: &'a Site = v.site;
    let doc = &site.documents[d];
    DocumentRow {
        document_path: &doc.path,
        id: crate::render::views::doc_stable_id(site, d, 0),
        unit_path: &site.units[doc.unit].path,
        document_title: &doc.title,
        document_kind: doc.kind.as_str(),
        document_number: doc.number.as_deref(),
        document_issued: doc.issued.map(|i| i.iso()),
        term: doc.term.map(Term::key),
        url: abs(v, origin, &v.url(&doc.url)),
    }
}

/// A unit's target file (CSV) of these measures, in this order, rendered on its own
/// (`serve` re-renders a few this way; builds write them all in one pass,
/// `stream_data_files`, which gives the same bytes).
pub(crate) fn targets_file(v: &Views, origin: &str, measures: &[MeasureRef]) -> Vec<u8> {
    let mut out = ward_head();
    for &r in measures {
        out.extend_from_slice(&csv_line(&target_row(v, origin, r), ward_shape(Table::Targets)));
    }
    out
}

/// A table's rows as its CSV or JSON file.
fn table_file<T: Serialize>(rows: &[T], table: Table, json: bool) -> Vec<u8> {
    if json { self::json(rows, table) } else { csv(rows, table.cols()) }
}

/// Where the streamed data files of a build go: small files whole, large ones streamed.
pub trait FileSink: Sync {
    fn whole(&self, rel: &str, bytes: Vec<u8>) -> std::io::Result<()>;
    /// A file written piece by piece; the writer's `flush` ends it.
    fn open(&self, rel: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>>;
    /// The size in bytes of a file this pass wrote (or, for a sink that adds to an
    /// output folder, of the file already there): the data page and the index list
    /// them. `None` when the sink keeps no files (`check`).
    fn size(&self, rel: &str) -> Option<u64>;
}

/// A sink that keeps nothing: `check` renders every file and writes none.
pub struct Discard;

impl FileSink for Discard {
    fn whole(&self, _: &str, _: Vec<u8>) -> std::io::Result<()> {
        Ok(())
    }

    fn open(&self, _: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>> {
        Ok(Box::new(std::io::sink()))
    }

    fn size(&self, _: &str) -> Option<u64> {
        None
    }
}

/// The measures a unit's target file lists: its documents' measures, in site order.
pub(crate) fn unit_measures(site: &Site, unit: usize) -> Vec<MeasureRef> {
    let mut docs = site.units[unit].documents.clone();
    docs.sort_unstable();
    docs.iter().flat_map(|&d| doc_measures(site, d)).collect()
}

fn doc_measures(site: &Site, d: usize) -> impl Iterator<Item = MeasureRef> + '_ {
    site.measures_in(d).map(|(r, _)| r)
}

/// The documents of a part's units, in site order: its files' documents, and through
/// them its targets and results.
fn part_docs(site: &Site, units: &[usize]) -> Vec<usize> {
    let mut docs: Vec<usize> = units.iter().flat_map(|&u| site.units[u].documents.iter().copied()).collect();
    docs.sort_unstable();
    docs
}

/// The results of these documents, in site order.
fn docs_results(site: &Site, docs: &[usize]) -> Vec<usize> {
    let mut results: Vec<usize> = docs.iter().flat_map(|&d| site.documents[d].results.iter().copied()).collect();
    results.sort_unstable();
    results
}

/// A JSON data file written row by row: an object of named arrays (one row a line). The
/// build's streaming pass and the files rendered on their own write through it, so a
/// file is the same bytes either way.
struct Stream<W: std::io::Write> {
    w: W,
    /// Rows of the current table (JSON separators).
    rows: usize,
    /// A JSON array is open.
    open: bool,
}

impl<W: std::io::Write> Stream<W> {
    /// A JSON object that starts with `head` (its first members, without braces).
    fn object(mut w: W, head: &str) -> std::io::Result<Self> {
        w.write_all(b"{")?;
        w.write_all(head.as_bytes())?;
        Ok(Stream { w, rows: 0, open: false })
    }

    /// Close the JSON array being written, if any, and open the next: `"name":[`.
    fn table(&mut self, table: Table) -> std::io::Result<()> {
        self.close()?;
        write!(self.w, ",\n\"{}\":[", table.as_str())?;
        self.open = true;
        self.rows = 0;
        Ok(())
    }

    fn close(&mut self) -> std::io::Result<()> {
        if self.open {
            self.w.write_all(b"\n]")?;
            self.open = false;
        }
        Ok(())
    }

    /// A row's JSON object.
    fn row(&mut self, json: &[u8]) -> std::io::Result<()> {
        self.w.write_all(if self.rows == 0 { b"\n" } else { b",\n" })?;
        self.w.write_all(json)?;
        self.rows += 1;
        Ok(())
    }

    fn end(mut self) -> std::io::Result<W> {
        self.close()?;
        self.w.write_all(b"}\n")?;
        self.w.flush()?;
        Ok(self.w)
    }
}

/// The deflate level of the provinces' ZIPs. Measured on the 69.6 MB of province CSV
/// at 1,000 × 5 (docs/open-data.md): level 1 gives 7.0 MB in 0.08 s of CPU, level 6
/// 3.6 MB in 0.26 s. Half the download, and a tenth less of the site's compressed size,
/// for a thread that runs beside the pages.
const ZIP_LEVEL: i64 = 6;

/// The ZIP entries' modification time. Fixed, so that a build gives the same bytes as
/// the one before (the build keeps unchanged files, and `serve` compares hashes):
/// 1980-01-01, the earliest a ZIP can say, which unpacking tools show as "no date".
fn zip_options() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(ZIP_LEVEL))
        .last_modified_time(zip::DateTime::DEFAULT)
        .unix_permissions(0o644)
}

/// A writer whose `flush` does nothing. A streamed file ends when its writer is flushed
/// (`FileSink::open`); the ZIP writer may flush on its own, so only `ZipCsv::end` flushes
/// the file.
struct NoFlush<W>(W);

impl<W: std::io::Write> std::io::Write for NoFlush<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A province's ZIP written row by row: its targets CSV, then its results CSV, each
/// with its byte-order mark and header, deflated as they come. Streamed (no seeking
/// back: each entry's sizes follow its data), so the build holds no file whole.
struct ZipCsv<W: std::io::Write> {
    zip: zip::ZipWriter<zip::write::StreamWriter<NoFlush<W>>>,
    results: String,
}

impl<W: std::io::Write> ZipCsv<W> {
    fn new(w: W, site: &Site, part: Part) -> std::io::Result<Self> {
        let mut zip = zip::ZipWriter::new_stream(NoFlush(w));
        zip.start_file(ProvinceFile::entry(site, part, Table::Targets), zip_options())?;
        std::io::Write::write_all(&mut zip, &csv_head(TARGET_COLS))?;
        Ok(ZipCsv { zip, results: ProvinceFile::entry(site, part, Table::Results) })
    }

    /// A row's CSV line, in the entry being written.
    fn row(&mut self, line: &[u8]) -> std::io::Result<()> {
        std::io::Write::write_all(&mut self.zip, line)
    }

    /// End the targets' CSV and begin the results'.
    fn results(&mut self) -> std::io::Result<()> {
        self.zip.start_file(std::mem::take(&mut self.results), zip_options())?;
        std::io::Write::write_all(&mut self.zip, &csv_head(RESULT_COLS))
    }

    fn end(self) -> std::io::Result<W> {
        let mut w = self.zip.finish()?.into_inner().0;
        w.flush()?;
        Ok(w)
    }
}

/// A province's JSON begun: its documents, then its targets array opened.
fn begin_json<W: std::io::Write>(
    w: W,
    v: &Views,
    origin: &str,
    part: Part,
    docs: &[usize],
) -> std::io::Result<Stream<W>> {
    let head = format!(
        "\"province_path\":{},\"part\":{}",
        serde_json::to_string(&v.site.units[part.root].path).expect("a string serialises"),
        part.number
    );
    let mut st = Stream::object(w, &head)?;
    st.table(Table::Documents)?;
    for &d in docs {
        st.row(&json_row(&document_row(v, origin, d), Table::Documents))?;
    }
    st.table(Table::Targets)?;
    Ok(st)
}

/// A province's (or a part's) data file, rendered on its own (`serve`): the same bytes
/// as `stream_data_files` writes.
pub(crate) fn province_file(v: &Views, origin: &str, part: Part, file: ProvinceFile) -> Vec<u8> {
    let site = v.site;
    let units = pages::data_parts(site, part.root).swap_remove(part.number - 1);
    let docs = part_docs(site, &units);
    let targets =
        || docs.iter().flat_map(|&d| doc_measures(site, d)).map(|r| encode(&target_row(v, origin, r), Table::Targets));
    let results = || docs_results(site, &docs).into_iter().map(|ri| encode(&result_row(v, origin, ri), Table::Results));
    let go = || -> std::io::Result<Vec<u8>> {
        match file {
            ProvinceFile::Zip => {
                let mut z = ZipCsv::new(Vec::new(), site, part)?;
                for row in targets() {
                    z.row(&row.csv)?;
                }
                z.results()?;
                for row in results() {
                    z.row(&row.csv)?;
                }
                z.end()
            }
            ProvinceFile::Json => {
                let mut st = begin_json(Vec::new(), v, origin, part, &docs)?;
                for row in targets() {
                    st.row(&row.json)?;
                }
                st.table(Table::Results)?;
                for row in results() {
                    st.row(&row.json)?;
                }
                st.end()
            }
        }
    };
    go().expect("in-memory write")
}

/// Write every streamed data file of `pages` (the provinces' files and the units'
/// targets) in one pass over the documents, then one over the results: each row is
/// serialised once, the province files are streamed, and a unit's file is written as
/// soon as its last document is done, so memory holds a batch of documents, not every
/// row. Rows are in site order in every file, as `province_file` and `targets_file` give.
pub(crate) fn stream_data_files(
    v: &Views,
    origin: &str,
    pages: &[&crate::render::pages::Page],
    sink: &dyn FileSink,
) -> std::io::Result<()> {
    use crate::render::pages::PageKind;
    use rayon::prelude::*;
    use std::collections::HashMap;
    use std::io::Write;
    let site = v.site;
    type Sunk<'s> = Box<dyn Write + Send + 's>;
    // The files of one part that this pass writes.
    #[derive(Default)]
    struct PartFiles<'s> {
        zip: Option<ZipCsv<Sunk<'s>>>,
        json: Option<Stream<Sunk<'s>>>,
    }
    // The files wanted of each part, by (root, part number): which, and where.
    type Wanted<'p> = HashMap<(usize, usize), Vec<(Part, ProvinceFile, &'p str)>>;
    let mut wanted: Wanted = HashMap::new();
    let mut unit_files: HashMap<usize, &str> = HashMap::new();
    for p in pages {
        match p.kind {
            PageKind::ProvinceData(part, f) => {
                wanted.entry((part.root, part.number)).or_default().push((part, f, p.output.as_str()))
            }
            PageKind::UnitData(u) => {
                unit_files.insert(u, &p.output);
            }
            _ => {}
        }
    }
    // Each unit's part (an index into `parts`), for the parts written.
    let mut part_of: Vec<Option<usize>> = vec![None; site.units.len()];
    let mut parts: Vec<PartFiles> = Vec::new();
    let mut roots: Vec<usize> = wanted.keys().map(|k| k.0).collect();
    roots.sort_unstable();
    roots.dedup();
    for root in roots {
        for (i, units) in pages::data_parts(site, root).into_iter().enumerate() {
            let Some(files) = wanted.get(&(root, i + 1)) else { continue };
            let docs = part_docs(site, &units);
            let mut pf = PartFiles::default();
            for &(part, f, rel) in files {
                match f {
                    ProvinceFile::Zip => pf.zip = Some(ZipCsv::new(sink.open(rel)?, site, part)?),
                    ProvinceFile::Json => pf.json = Some(begin_json(sink.open(rel)?, v, origin, part, &docs)?),
                }
            }
            for &u in &units {
                part_of[u] = Some(parts.len());
            }
            parts.push(pf);
        }
    }
    // A unit's file is complete after its last document.
    let mut last_doc: HashMap<usize, usize> = HashMap::new();
    for (&u, &rel) in &unit_files {
        match site.units[u].documents.iter().max() {
            Some(&d) => {
                last_doc.insert(d, u);
            }
            None => sink.whole(rel, ward_head())?,
        }
    }
    let mut unit_rows: HashMap<usize, Vec<u8>> = HashMap::new();
    // Documents in batches: rows serialised in parallel, then handed out in order. Only
    // the documents of a file being written (`serve` writes a few).
    const BATCH: usize = 256;
    let docs: Vec<usize> = (0..site.documents.len())
        .filter(|&d| {
            let u = site.documents[d].unit;
            part_of[u].is_some_and(|p| parts[p].zip.is_some() || parts[p].json.is_some()) || unit_files.contains_key(&u)
        })
        .collect();
    for batch in docs.chunks(BATCH) {
        let rows: Vec<Vec<Encoded>> = batch
            .par_iter()
            .map(|&d| doc_measures(site, d).map(|r| encode(&target_row(v, origin, r), Table::Targets)).collect())
            .collect();
        for (&d, doc_rows) in batch.iter().zip(rows) {
            let unit = site.documents[d].unit;
            let pf = part_of[unit].map(|p| &mut parts[p]);
            if let Some(pf) = pf {
                for row in &doc_rows {
                    if let Some(z) = &mut pf.zip {
                        z.row(&row.csv)?;
                    }
                    if let Some(st) = &mut pf.json {
                        st.row(&row.json)?;
                    }
                }
            }
            if unit_files.contains_key(&unit) {
                let buf = unit_rows.entry(unit).or_default();
                for row in &doc_rows {
                    buf.extend_from_slice(&row.ward);
                }
            }
            if let Some(&u) = last_doc.get(&d) {
                let mut bytes = ward_head();
                bytes.extend_from_slice(&unit_rows.remove(&u).unwrap_or_default());
                sink.whole(unit_files[&u], bytes)?;
            }
        }
    }
    for pf in &mut parts {
        if let Some(z) = &mut pf.zip {
            z.results()?;
        }
        if let Some(st) = &mut pf.json {
            st.table(Table::Results)?;
        }
    }
    // The results, the same way.
    let results: Vec<usize> = (0..site.results.len())
        .filter(|&ri| {
            part_of[site.documents[site.results[ri].doc].unit]
                .is_some_and(|p| parts[p].zip.is_some() || parts[p].json.is_some())
        })
        .collect();
    for batch in results.chunks(BATCH * 4) {
        let rows: Vec<Encoded> =
            batch.par_iter().map(|&ri| encode(&result_row(v, origin, ri), Table::Results)).collect();
        for (&ri, row) in batch.iter().zip(&rows) {
            let p = part_of[site.documents[site.results[ri].doc].unit].expect("filtered above");
            let pf = &mut parts[p];
            if let Some(z) = &mut pf.zip {
                z.row(&row.csv)?;
            }
            if let Some(st) = &mut pf.json {
                st.row(&row.json)?;
            }
        }
    }
    for pf in parts {
        if let Some(z) = pf.zip {
            z.end()?;
        }
        if let Some(st) = pf.json {
            st.end()?;
        }
    }
    Ok(())
}

/// A text cell as it is written to CSV: one that a spreadsheet would run as a formula
/// (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return: OWASP's list) gets a
/// `'` in front, which spreadsheets show as text. A cell that already begins with `'`s
/// before such a character gets one more, so a reader can always undo it by removing
/// one `'` where a formula character follows. JSON files keep the true text.
pub(crate) fn inert_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let formula = |c: char| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r');
    if text.trim_start_matches('\'').starts_with(formula) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// How a row's cells are written: for CSV, every text value through [`inert_cell`]
/// (numbers, booleans and empty cells as they are, so `-5` in a number column stays a
/// number); for JSON, true text, without empty values. With the table's columns given,
/// only the columns `keep` says: for JSON, without those that repeat another table's text
/// or that a program derives (`Col::in_json`); for a unit's file, the ward officer's
/// (`Col::ward`).
#[derive(Clone, Copy)]
struct Shape {
    /// CSV.
    inert: bool,
    keep: Option<Keep>,
}

/// A table's columns and which of them a shape writes.
type Keep = (&'static [Col], fn(&Col) -> bool);

const CSV: Shape = Shape { inert: true, keep: None };

/// A unit's own file: CSV of the columns marked `ward`.
fn ward_shape(table: Table) -> Shape {
    Shape { inert: true, keep: Some((table.cols(), |c| c.ward)) }
}

/// A row or a value serialised in a [`Shape`].
struct Cells<'a, T: ?Sized>(&'a T, Shape);

impl<T: Serialize + ?Sized> Serialize for Cells<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(CellSer(s, self.1))
    }
}

/// The serde serializer behind [`Cells`]: it hands everything to the CSV or JSON
/// writer's, with text made inert or struct fields left out as the shape says, struct
/// fields and optional values wrapped in turn.
struct CellSer<S>(S, Shape);

struct CellStruct<S> {
    s: S,
    shape: Shape,
    /// The field's place: rows list their fields in their table's column order (a test
    /// says so), so the column is found without comparing names.
    at: usize,
}

impl<S> CellStruct<S> {
    /// Whether the shape writes the field at `at`.
    fn kept(&self, at: usize, key: &str) -> bool {
        let Some((cols, keep)) = self.shape.keep else { return true };
        debug_assert_eq!(cols[at].name, key, "a row's fields in its columns' order");
        keep(&cols[at])
    }
}

impl<S: serde::ser::SerializeStruct> serde::ser::SerializeStruct for CellStruct<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), S::Error> {
        let at = self.at;
        self.at += 1;
        if !self.kept(at, key) {
            return Ok(());
        }
        self.s.serialize_field(key, &Cells(v, Shape { keep: None, ..self.shape }))
    }
    /// An empty value (`skip_serializing_if`): an empty cell in CSV, where every row has
    /// every column; left out of JSON, as its schema allows.
    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        let at = self.at;
        self.at += 1;
        if !self.kept(at, key) {
            return Ok(());
        }
        if self.shape.inert { self.s.serialize_field(key, &None::<&str>) } else { self.s.skip_field(key) }
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.s.end()
    }
}

impl<S: serde::Serializer> serde::Serializer for CellSer<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = S::SerializeSeq;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = CellStruct<S::SerializeStruct>;
    type SerializeStructVariant = S::SerializeStructVariant;

    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        if self.1.inert { self.0.serialize_str(&inert_cell(v)) } else { self.0.serialize_str(v) }
    }
    fn serialize_char(self, v: char) -> Result<S::Ok, S::Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&Cells(v, self.1))
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeStruct, S::Error> {
        let shape = self.1;
        self.0.serialize_struct(name, len).map(|s| CellStruct { s, shape, at: 0 })
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, v: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &Cells(v, self.1))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_variant(name, index, variant, &Cells(v, self.1))
    }
    fn serialize_bool(self, v: bool) -> Result<S::Ok, S::Error> {
        self.0.serialize_bool(v)
    }
    fn serialize_i8(self, v: i8) -> Result<S::Ok, S::Error> {
        self.0.serialize_i8(v)
    }
    fn serialize_i16(self, v: i16) -> Result<S::Ok, S::Error> {
        self.0.serialize_i16(v)
    }
    fn serialize_i32(self, v: i32) -> Result<S::Ok, S::Error> {
        self.0.serialize_i32(v)
    }
    fn serialize_i64(self, v: i64) -> Result<S::Ok, S::Error> {
        self.0.serialize_i64(v)
    }
    fn serialize_u8(self, v: u8) -> Result<S::Ok, S::Error> {
        self.0.serialize_u8(v)
    }
    fn serialize_u16(self, v: u16) -> Result<S::Ok, S::Error> {
        self.0.serialize_u16(v)
    }
    fn serialize_u32(self, v: u32) -> Result<S::Ok, S::Error> {
        self.0.serialize_u32(v)
    }
    fn serialize_u64(self, v: u64) -> Result<S::Ok, S::Error> {
        self.0.serialize_u64(v)
    }
    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        self.0.serialize_f32(v)
    }
    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        self.0.serialize_f64(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<S::Ok, S::Error> {
        self.0.serialize_bytes(v)
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.0.serialize_none()
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit()
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit_struct(name)
    }
    fn serialize_unit_variant(self, name: &'static str, index: u32, variant: &'static str) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit_variant(name, index, variant)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<S::SerializeSeq, S::Error> {
        self.0.serialize_seq(len)
    }
    fn serialize_tuple(self, len: usize) -> Result<S::SerializeTuple, S::Error> {
        self.0.serialize_tuple(len)
    }
    fn serialize_tuple_struct(self, name: &'static str, len: usize) -> Result<S::SerializeTupleStruct, S::Error> {
        self.0.serialize_tuple_struct(name, len)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<S::SerializeTupleVariant, S::Error> {
        self.0.serialize_tuple_variant(name, index, variant, len)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<S::SerializeMap, S::Error> {
        self.0.serialize_map(len)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<S::SerializeStructVariant, S::Error> {
        self.0.serialize_struct_variant(name, index, variant, len)
    }
    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// The JSON shape of a table's rows: true text, without the columns marked `from` or
/// `derived`.
fn json_shape(table: Table) -> Shape {
    Shape { inert: false, keep: Some((table.cols(), Col::in_json)) }
}

/// One row as its JSON object.
fn json_row<T: Serialize>(row: &T, table: Table) -> Vec<u8> {
    serde_json::to_vec(&Cells(row, json_shape(table))).expect("rows serialise")
}

/// One row as written to each file: the province's CSV line (every column), the unit's
/// CSV line (targets only: the `ward` columns) and the JSON object.
struct Encoded {
    csv: Vec<u8>,
    ward: Vec<u8>,
    json: Vec<u8>,
}

/// One row as `csv`, `targets_file` and `json` write it.
fn encode<T: Serialize>(row: &T, table: Table) -> Encoded {
    let (csv, json) = encode_as(row, json_shape(table));
    let ward = if table == Table::Targets { csv_line(row, ward_shape(table)) } else { Vec::new() };
    Encoded { csv, ward, json }
}

fn csv_line<T: Serialize>(row: &T, shape: Shape) -> Vec<u8> {
    let mut c = Vec::with_capacity(800);
    {
        // A row is a few hundred bytes: the writer's default 8 KiB buffer, allocated and
        // zeroed for every row, cost more than the row.
        let mut w = csv::WriterBuilder::new().has_headers(false).buffer_capacity(1024).from_writer(&mut c);
        w.serialize(Cells(row, shape)).expect("rows serialise");
        w.flush().expect("in-memory write");
    }
    c
}

fn encode_as<T: Serialize>(row: &T, json: Shape) -> (Vec<u8>, Vec<u8>) {
    (csv_line(row, CSV), serde_json::to_vec(&Cells(row, json)).expect("rows serialise"))
}

/// A CSV file's first bytes: the byte-order mark and the header of these columns.
fn csv_head<'c>(cols: impl IntoIterator<Item = &'c Col>) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(&mut out);
        w.write_record(cols.into_iter().map(|c| c.name)).expect("in-memory write");
        w.flush().expect("in-memory write");
    }
    out
}

/// The head of a unit's own file: the columns marked `ward`.
fn ward_head() -> Vec<u8> {
    csv_head(TARGET_COLS.iter().filter(|c| c.ward))
}

/// CSV in UTF-8 with a byte-order mark (Excel needs it to read Vietnamese), text cells
/// made inert (`inert_cell`).
pub(crate) fn csv<T: Serialize>(rows: &[T], cols: &[Col]) -> Vec<u8> {
    let mut out = csv_head(cols);
    out.reserve(rows.len() * 640);
    {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(&mut out);
        for r in rows {
            w.serialize(Cells(r, CSV)).expect("rows serialise");
        }
        w.flush().expect("in-memory write");
    }
    out
}

/// One row per line: compact (the files are large) yet readable and diff-friendly.
pub(crate) fn json<T: Serialize>(rows: &[T], table: Table) -> Vec<u8> {
    let mut v = Vec::with_capacity(rows.len() * 1200 + 16);
    v.push(b'[');
    for (i, r) in rows.iter().enumerate() {
        v.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        serde_json::to_writer(&mut v, &Cells(r, json_shape(table))).expect("rows serialise");
    }
    v.extend_from_slice(b"\n]\n");
    v
}

/// The meaning of a column, in the site's language.
fn col_description(v: &Views, name: &str) -> String {
    v.strings.get(&format!("data_col.{name}"))
}

/// How a program rebuilds a column the JSON leaves out as derivable, in the site's
/// language (`data_derived.<table>_<name>`).
fn derived_rule(v: &Views, table: Table, c: &Col) -> String {
    v.strings.get(&format!("data_derived.{}_{}", table.as_str(), c.name))
}

/// A column's JSON Schema: its type and meaning. The status also lists its values with
/// their labels (`title`): the label table that stands for the CSV's `status_label`.
fn col_schema(v: &Views, c: &Col) -> serde_json::Value {
    let ty = if c.nullable { serde_json::json!([c.kind, "null"]) } else { serde_json::json!(c.kind) };
    let mut col = serde_json::json!({ "type": ty, "description": col_description(v, c.name) });
    if c.name == "status" {
        let values: Vec<serde_json::Value> = crate::compute::status::Status::ALL
            .iter()
            .map(|s| serde_json::json!({ "const": s.as_str(), "title": v.strings.get(s.label_key()) }))
            .collect();
        col["oneOf"] = serde_json::Value::Array(values);
    }
    col
}

/// An object of these members and no other, those of `required` always there.
fn object_schema(props: serde_json::Map<String, serde_json::Value>, required: Vec<&str>) -> serde_json::Value {
    serde_json::json!({ "type": "object", "properties": props, "required": required, "additionalProperties": false })
}

/// JSON Schema (2020-12) of the JSON files: each table's rows as they are in JSON (an
/// array, `$defs/<table>`), a province's file (`$defs/province`) and the index
/// (`$defs/index`).
pub(crate) fn schema(v: &Views, origin: &str) -> Vec<u8> {
    let mut defs = serde_json::Map::new();
    for &table in Table::ALL {
        // An empty value is left out: only the columns that always have one are required.
        let cols: Vec<&Col> = table.cols().iter().filter(|c| c.in_json()).collect();
        let props = cols.iter().map(|c| (c.name.to_string(), col_schema(v, c))).collect();
        let required = cols.iter().filter(|c| !c.nullable).map(|c| c.name).collect();
        let mut items = object_schema(props, required);
        // The columns left out as derivable, and how to rebuild each: in the row's
        // description, since a schema cannot describe a property that is not there.
        let derived: Vec<String> = table
            .cols()
            .iter()
            .filter(|c| c.derived)
            .map(|c| format!("{}: {}", c.name, derived_rule(v, table, c)))
            .collect();
        if !derived.is_empty() {
            items["description"] =
                serde_json::Value::String(format!("{} {}", v.strings.get("data.json_derived"), derived.join(" ")));
        }
        defs.insert(table.as_str().into(), serde_json::json!({ "type": "array", "items": items }));
    }
    let table_ref = |t: Table| serde_json::json!({ "$ref": format!("#/$defs/{}", t.as_str()) });
    let file_col = |name: &str| {
        let c = FILE_COLS.iter().find(|c| c.name == name).expect("a column of the index");
        // In a province's file they are always there.
        serde_json::json!({ "type": c.kind, "description": col_description(v, name) })
    };
    let mut province = serde_json::Map::new();
    province.insert("province_path".into(), file_col("province_path"));
    province.insert("part".into(), file_col("part"));
    for &t in ProvinceFile::Json.tables() {
        province.insert(t.as_str().into(), table_ref(t));
    }
    let keys: Vec<String> = province.keys().cloned().collect();
    defs.insert("province".into(), object_schema(province, keys.iter().map(String::as_str).collect()));
    let mut index = serde_json::Map::new();
    index.insert(
        "schema".into(),
        serde_json::json!({ "type": "string", "description": v.strings.get("data.schema_url") }),
    );
    index.insert("files".into(), table_ref(Table::Files));
    defs.insert("index".into(), object_schema(index, vec!["schema", "files"]));
    let schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{origin}{}", v.url(&DataFile::Schema.address())),
        "title": v.strings.get("data.schema_title"),
        "$defs": defs,
    });
    let mut out = serde_json::to_vec_pretty(&schema).expect("schema serialises");
    out.push(b'\n');
    out
}

/// The rows of one part's tables: documents, targets, results.
fn part_counts(site: &Site, units: &[usize]) -> [(Table, usize); 3] {
    let docs = part_docs(site, units);
    let targets = docs.iter().map(|&d| doc_measures(site, d).count()).sum();
    let results = docs.iter().map(|&d| site.documents[d].results.len()).sum();
    [(Table::Documents, docs.len()), (Table::Targets, targets), (Table::Results, results)]
}

/// Every province part with its rows per table, provinces in the site's order.
fn parts_with_counts(site: &Site) -> Vec<(Part, [(Table, usize); 3])> {
    site.roots
        .iter()
        .flat_map(|&root| {
            let parts = pages::data_parts(site, root);
            let of = parts.len();
            parts.into_iter().enumerate().map(move |(i, units)| (Part { root, number: i + 1, of }, units))
        })
        .map(|(part, units)| (part, part_counts(site, &units)))
        .collect()
}

fn rows_of(counts: &[(Table, usize); 3], table: Table) -> usize {
    counts.iter().find(|(t, _)| *t == table).map_or(0, |(_, n)| *n)
}

/// The index (`data/index.json`): a row per data file and table it holds, so that a
/// program finds every row of the site from one file. Rows, not bytes: a file's size
/// is known only once it is written (docs/open-data.md).
fn index_file(v: &Views, origin: &str, sizes: &dyn Fn(&str) -> Option<u64>) -> Vec<u8> {
    let site = v.site;
    let mut rows = Vec::new();
    for f in DataFile::all() {
        let DataFile::Table(table, json) = f else { continue };
        let n = match table {
            Table::Units => site.units.len(),
            _ => site.indicators.len(),
        };
        rows.push(FileRow {
            file: f.output(),
            url: abs(v, origin, &v.url(&f.address())),
            format: if json { "json" } else { "csv" },
            table: table.as_str(),
            rows: n,
            bytes: sizes(&f.output()),
            ..Default::default()
        });
    }
    for (part, counts) in parts_with_counts(site) {
        for f in ProvinceFile::ALL {
            for &table in f.tables() {
                rows.push(FileRow {
                    file: f.output(site, part),
                    url: abs(v, origin, &v.url(&f.address(site, part))),
                    format: if f.is_json() { "json" } else { "zip" },
                    entry: (!f.is_json()).then(|| ProvinceFile::entry(site, part, table)),
                    table: table.as_str(),
                    province_path: Some(site.units[part.root].path.clone()),
                    part: Some(part.number),
                    parts: Some(part.of),
                    rows: rows_of(&counts, table),
                    bytes: sizes(&f.output(site, part)),
                });
            }
        }
    }
    let head = format!(
        "\"schema\":{}",
        serde_json::to_string(&abs(v, origin, &v.url(&DataFile::Schema.address()))).expect("a string serialises")
    );
    let go = || -> std::io::Result<Vec<u8>> {
        let mut st = Stream::object(Vec::new(), &head)?;
        st.table(Table::Files)?;
        for r in &rows {
            st.row(&json_row(r, Table::Files))?;
        }
        st.end()
    };
    go().expect("in-memory write")
}

/// The data page (data.html): every data file, per province, and every table's columns
/// and what they mean.
#[derive(Serialize)]
pub(crate) struct DataPage {
    /// The address of the JSON Schema.
    schema: String,
    /// The address of the index of every file (`data/index.json`).
    index: String,
    /// Each province's files, provinces in the site's order.
    provinces: Vec<ProvinceData>,
    /// The site-wide tables (units, indicators), each as CSV and JSON.
    files: Vec<DataFileView>,
    /// The folder of every unit's own target rows, as shown: "data/chi-tieu/".
    units_folder: String,
    /// One unit's own file, the folder's pattern made concrete: the site's first unit
    /// without units below it (a ward, usually); none in a site without units.
    unit_example: Option<UnitFileView>,
    /// Every table: its columns.
    tables: Vec<DataTable>,
}

/// A unit's own target rows, as the data page shows them for an example.
#[derive(Serialize)]
pub(crate) struct UnitFileView {
    /// The unit, linked to its page.
    unit: crate::render::views::Link,
    /// Its file: "data/chi-tieu/ha-noi/quan-long-bien/phuong-duc-giang.csv".
    csv: DataLink,
    /// The name a browser saves it as, as its page's link suggests.
    csv_name: String,
}

/// A province's data files, part by part (one part unless it is split).
#[derive(Serialize)]
pub(crate) struct ProvinceData {
    name: String,
    /// The id of its place on the data page, which unit pages link to.
    anchor: String,
    parts: Vec<DataPart>,
}

/// One part of a province's data: its ZIP of the targets' and results' CSV, and its JSON.
#[derive(Serialize)]
pub(crate) struct DataPart {
    /// From 1.
    number: usize,
    /// How many parts the province has.
    of: usize,
    /// The first and the last unit whose rows it holds, when the province is split.
    first: Option<String>,
    last: Option<String>,
    zip: DataLink,
    /// The ZIP's CSV files: the targets', the results'.
    targets: DataEntry,
    results: DataEntry,
    json: DataLink,
}

/// A data file as the data page links it.
#[derive(Serialize)]
pub(crate) struct DataLink {
    url: String,
    /// Its path in the site, as shown: "data/ha-noi/csv.zip".
    file: String,
    /// Its size, as written: "1,2 MB" (none in `check`, which writes no files).
    size: Option<String>,
}

/// A CSV file inside a province's ZIP.
#[derive(Serialize)]
pub(crate) struct DataEntry {
    /// Its name in the ZIP: "ha-noi-targets.csv".
    file: String,
    rows: usize,
}

/// A site-wide table, as the data page lists it: its two files.
#[derive(Serialize)]
pub(crate) struct DataFileView {
    name: String,
    title: String,
    csv: String,
    json: String,
    /// The files' paths in the site, as shown: "data/units.csv".
    csv_file: String,
    json_file: String,
    /// Their sizes, as written ("12 KB").
    csv_size: Option<String>,
    json_size: Option<String>,
    rows: usize,
}

/// A table and its columns, as the data page explains them.
#[derive(Serialize)]
pub(crate) struct DataTable {
    name: String,
    title: String,
    columns: Vec<DataColumn>,
}

/// One column of a data file, as the data page explains it.
#[derive(Serialize)]
pub(crate) struct DataColumn {
    name: String,
    /// Its JSON Schema type: "string", "number", "integer" or "boolean".
    json_type: String,
    /// Whether a row may leave it empty.
    nullable: bool,
    /// What it holds, in the site's language (`data_col.<name>`).
    description: String,
    /// The table the JSON files leave it to (it repeats that table's text): "documents".
    json_from: Option<String>,
    /// How a program rebuilds it, when the JSON files leave it out as derivable.
    json_derived: Option<String>,
    /// For the targets' columns: whether the unit's own file (`/data/chi-tieu/<unit>.csv`)
    /// has it.
    ward: Option<bool>,
}

/// A file's size as the data page writes it: "850 byte", "12 KB", "1,2 MB" (1 KB =
/// 1,000 bytes, as phones' file managers count).
fn size_text(v: &Views, bytes: Option<u64>) -> Option<String> {
    let b = bytes? as f64;
    let (key, n) = match b {
        b if b < 1e3 => ("data_size_b", b),
        b if b < 1e6 => ("data_size_kb", b / 1e3),
        b => ("data_size_mb", b / 1e6),
    };
    // Two figures at least: "8,5 KB", "85 KB", "1,2 MB".
    let decimals = if n < 10.0 && key != "data_size_b" { 1 } else { 0 };
    Some(v.strings.fmt(key, &[("n", v.strings.number(n, decimals))]))
}

pub(crate) fn data_page(v: &Views, sizes: &dyn Fn(&str) -> Option<u64>) -> DataPage {
    let site = v.site;
    let data_link = |url: String, file: String| DataLink { url, size: size_text(v, sizes(&file)), file };
    let link = |f: ProvinceFile, part: Part| data_link(v.shared_url(&f.address(site, part)), f.output(site, part));
    let entry = |part: Part, table: Table, counts: &[(Table, usize); 3]| DataEntry {
        file: ProvinceFile::entry(site, part, table),
        rows: rows_of(counts, table),
    };
    let mut provinces: Vec<ProvinceData> = Vec::new();
    for &root in &site.roots {
        let units = pages::data_parts(site, root);
        let of = units.len();
        let parts = units
            .iter()
            .enumerate()
            .map(|(i, us)| {
                let part = Part { root, number: i + 1, of };
                let counts = part_counts(site, us);
                let name = |u: Option<&usize>| u.filter(|_| of > 1).map(|&u| site.units[u].name.clone());
                DataPart {
                    number: part.number,
                    of,
                    first: name(us.first()),
                    last: name(us.last()),
                    zip: link(ProvinceFile::Zip, part),
                    targets: entry(part, Table::Targets, &counts),
                    results: entry(part, Table::Results, &counts),
                    json: link(ProvinceFile::Json, part),
                }
            })
            .collect();
        provinces.push(ProvinceData {
            name: site.units[root].name.clone(),
            anchor: crate::render::paths::province_anchor(&site.units[root].path),
            parts,
        });
    }
    let files = pages::SITE_TABLES
        .iter()
        .map(|&table| DataFileView {
            name: table.as_str().to_string(),
            title: v.strings.get(table.label_key()),
            csv: v.shared_url(&DataFile::Table(table, false).address()),
            json: v.shared_url(&DataFile::Table(table, true).address()),
            csv_file: DataFile::Table(table, false).output(),
            json_file: DataFile::Table(table, true).output(),
            csv_size: size_text(v, sizes(&DataFile::Table(table, false).output())),
            json_size: size_text(v, sizes(&DataFile::Table(table, true).output())),
            rows: if table == Table::Units { site.units.len() } else { site.indicators.len() },
        })
        .collect();
    let tables = Table::ALL
        .iter()
        .map(|&table| DataTable {
            name: table.as_str().to_string(),
            title: v.strings.get(table.label_key()),
            columns: table
                .cols()
                .iter()
                .map(|c| DataColumn {
                    name: c.name.to_string(),
                    json_type: c.kind.to_string(),
                    nullable: c.nullable,
                    description: col_description(v, c.name),
                    json_from: c.from.map(|t| t.as_str().to_string()),
                    json_derived: c.derived.then(|| derived_rule(v, table, c)),
                    ward: (table == Table::Targets).then_some(c.ward),
                })
                .collect(),
        })
        .collect();
    let unit_example = site.units.iter().find(|u| u.children.is_empty()).map(|u| UnitFileView {
        unit: crate::render::views::Link { name: u.name.clone(), url: v.url(&u.url) },
        csv: data_link(v.shared_url(&paths::unit_targets(&u.url)), paths::unit_targets_file(&u.url)),
        csv_name: paths::unit_targets_name(&u.url),
    });
    DataPage {
        schema: v.shared_url(&DataFile::Schema.address()),
        index: v.shared_url(&DataFile::Index.address()),
        provinces,
        files,
        units_folder: paths::UNIT_TARGETS.trim_start_matches('/').to_string(),
        unit_example,
        tables,
    }
}

/// A site-wide data file (`/data/…`), rendered on its own.
pub(crate) fn site_file(v: &Views, origin: &str, f: DataFile, sizes: &dyn Fn(&str) -> Option<u64>) -> Vec<u8> {
    match f {
        DataFile::Table(table, json) => match table {
            Table::Units => table_file(&unit_rows(v, origin), table, json),
            Table::Indicators => table_file(&indicator_rows(v, origin), table, json),
            Table::Targets | Table::Results | Table::Documents | Table::Files => {
                unreachable!("{table:?} is not a site-wide table (pages::SITE_TABLES)")
            }
        },
        DataFile::Schema => schema(v, origin),
        DataFile::Index => index_file(v, origin, sizes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct R {
        a: String,
        b: Option<f64>,
    }

    #[test]
    fn csv_has_a_bom_a_header_and_machine_numbers() {
        let out = csv(
            &[R { a: "Phường 14, Gò Vấp".into(), b: Some(0.5) }, R { a: "x".into(), b: None }],
            &[c("a", "string", false), c("b", "number", true)],
        );
        assert_eq!(&out[..3], &[0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(out[3..].to_vec()).unwrap();
        assert_eq!(text, "a,b\n\"Phường 14, Gò Vấp\",0.5\nx,\n");
    }

    #[test]
    fn formula_cells_are_inert_in_text_columns_only() {
        #[derive(Serialize)]
        struct Row {
            text: String,
            note: Option<String>,
            #[serde(serialize_with = "number")]
            value: Option<f64>,
            count: i64,
        }
        let texts = [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1:A2)",
            "\tx",
            "\rx",
            "'=1",
            "Tốt",
            "5-6",
        ];
        let rows: Vec<Row> = texts
            .iter()
            .map(|t| Row { text: t.to_string(), note: Some(t.to_string()), value: Some(-5.0), count: -2 })
            .collect();
        let cols = [
            c("text", "string", false),
            c("note", "string", true),
            c("value", "number", true),
            c("count", "integer", false),
        ];
        // Read back as a user's program (or a spreadsheet's import) would.
        let bytes = csv(&rows, &cols);
        let mut reader = ::csv::Reader::from_reader(&bytes[3..]);
        let got: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(got.len(), texts.len());
        for (rec, text) in got.iter().zip(texts) {
            let inert = text.len() > 1 && !text.starts_with(['T', '5']);
            let want = if inert { format!("'{text}") } else { text.to_string() };
            assert_eq!(&rec[0], want, "{text:?}");
            assert_eq!(&rec[1], want, "{text:?}");
            assert_eq!((&rec[2], &rec[3]), ("-5", "-2"), "numbers stay numbers");
        }
        // The streamed rows are the same bytes; JSON keeps the true text.
        let true_text = Shape { inert: false, keep: None };
        let (line, json) = encode_as(&rows[0], true_text);
        assert!(bytes.ends_with(&[&b"\n"[..], &encode_as(&rows[8], true_text).0].concat()));
        assert!(String::from_utf8(line).unwrap().starts_with("\"'=HYPERLINK"));
        assert!(String::from_utf8(json).unwrap().starts_with("{\"text\":\"=HYPERLINK"));
    }

    #[test]
    fn columns_match_the_row_structs_in_order() {
        // The CSV header comes from the column list and the cells from the row structs:
        // they must list the same names in the same order.
        fn header<T: Serialize>(row: T) -> String {
            let mut out = Vec::new();
            let mut w = csv::Writer::from_writer(&mut out);
            w.serialize(Cells(&row, CSV)).unwrap();
            drop(w);
            String::from_utf8(out).unwrap().lines().next().unwrap().to_string()
        }
        let names = |cols: &[Col]| cols.iter().map(|c| c.name).collect::<Vec<_>>().join(",");
        assert_eq!(header(TargetRow::default()), names(TARGET_COLS));
        assert_eq!(header(ResultRow::default()), names(RESULT_COLS));
        assert_eq!(header(DocumentRow::default()), names(DOCUMENT_COLS));
        assert_eq!(header(UnitRow::default()), names(UNIT_COLS));
        assert_eq!(header(IndicatorRow::default()), names(INDICATOR_COLS));
        assert_eq!(header(FileRow::default()), names(FILE_COLS));
    }

    #[test]
    fn json_rows_leave_out_empty_values_and_repeated_texts_as_the_columns_say() {
        // A row with every value empty: its JSON has exactly the columns that must have a
        // value, so a nullable column that the row struct would write as `null` (or a
        // required one it would leave out) fails here.
        fn keys<T: Serialize>(row: T, table: Table) -> Vec<String> {
            let json: serde_json::Value = serde_json::from_slice(&json_row(&row, table)).unwrap();
            json.as_object().unwrap().keys().cloned().collect()
        }
        let want = |table: Table| {
            let mut k: Vec<String> =
                table.cols().iter().filter(|c| !c.nullable && c.in_json()).map(|c| c.name.to_string()).collect();
            k.sort();
            k
        };
        assert_eq!(keys(TargetRow::default(), Table::Targets), want(Table::Targets));
        assert_eq!(keys(ResultRow::default(), Table::Results), want(Table::Results));
        assert_eq!(keys(DocumentRow::default(), Table::Documents), want(Table::Documents));
        assert_eq!(keys(UnitRow::default(), Table::Units), want(Table::Units));
        assert_eq!(keys(IndicatorRow::default(), Table::Indicators), want(Table::Indicators));
        assert_eq!(keys(FileRow::default(), Table::Files), want(Table::Files));
        // CSV keeps every column, empty ones as empty cells; the unit's file the ward
        // officer's, in the same way.
        let row = encode(&TargetRow::default(), Table::Targets);
        let cells = |line: &[u8]| {
            ::csv::ReaderBuilder::new().has_headers(false).from_reader(line).records().next().unwrap().unwrap().len()
        };
        assert_eq!(cells(&row.csv), TARGET_COLS.len());
        assert_eq!(cells(&row.ward), TARGET_COLS.iter().filter(|c| c.ward).count());
        assert_eq!(cells(&ward_head()[3..]), TARGET_COLS.iter().filter(|c| c.ward).count());
        let line = encode(&UnitRow::default(), Table::Units).csv;
        let rec =
            ::csv::ReaderBuilder::new().has_headers(false).from_reader(&line[..]).records().next().unwrap().unwrap();
        assert_eq!(rec.len(), UNIT_COLS.len(), "{rec:?}");
    }
}
