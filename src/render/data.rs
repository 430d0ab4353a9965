//! Open data: the site's numbers as files, for journalists and researchers.
//!
//! One row per measure (`targets`), per result (`results`), per unit and per indicator,
//! as CSV (UTF-8 with a BOM, so Excel shows Vietnamese) and JSON, for the whole site
//! and for each unit and indicator. Numbers are machine numbers (a dot before decimals);
//! `*_text` columns carry the Vietnamese display. The columns are described once here
//! (name, type, meaning), and that one list produces the JSON Schema and the page that
//! explains each column, so they cannot drift apart.

use super::pages::{DataFile, Table};
use super::views::{Views, measure_id};
use crate::model::{MeasureRef, Per, Site, Term};
use serde::Serialize;

/// A column: its name, JSON type and whether it may be empty. Its meaning is the
/// translation string `data_col.<name>`.
pub(crate) struct Col {
    pub name: &'static str,
    pub kind: &'static str,
    pub nullable: bool,
}

const fn c(name: &'static str, kind: &'static str, nullable: bool) -> Col {
    Col { name, kind, nullable }
}

pub(crate) const TARGET_COLS: &[Col] = &[
    c("id", "string", false),
    c("unit_path", "string", false),
    c("unit_name", "string", false),
    c("unit_level", "string", false),
    c("province", "string", false),
    c("district", "string", true),
    c("document_path", "string", false),
    c("document_title", "string", false),
    c("document_kind", "string", false),
    c("document_number", "string", true),
    c("document_issued", "string", false),
    c("term", "string", true),
    c("target_id", "string", false),
    c("target_type", "string", false),
    c("group", "string", true),
    c("field", "string", true),
    c("target_text", "string", false),
    c("measure", "integer", false),
    c("indicator", "string", true),
    c("indicator_name", "string", true),
    c("label", "string", true),
    c("op", "string", false),
    c("value", "number", true),
    c("min", "number", true),
    c("max", "number", true),
    c("unit", "string", true),
    c("per", "string", false),
    c("deadline", "string", true),
    c("relation", "string", true),
    c("baseline", "string", true),
    c("variant", "string", true),
    c("measure_text", "string", false),
    c("latest_value", "number", true),
    c("latest_value_text", "string", true),
    c("latest_as_of", "string", true),
    c("latest_quote", "string", true),
    c("latest_source_url", "string", true),
    c("status", "string", false),
    c("status_label", "string", false),
    c("url", "string", false),
];

pub(crate) const RESULT_COLS: &[Col] = &[
    c("id", "string", false),
    c("unit_path", "string", false),
    c("unit_name", "string", false),
    c("document_path", "string", false),
    c("document_title", "string", false),
    c("document_number", "string", true),
    c("target", "string", true),
    c("indicator", "string", true),
    c("label", "string", true),
    c("value", "number", true),
    c("of", "number", true),
    c("unit", "string", true),
    c("share_of_target", "number", true),
    c("verdict", "string", true),
    c("value_text", "string", false),
    c("as_of", "string", false),
    c("final", "boolean", false),
    c("quote", "string", false),
    c("url", "string", false),
];

pub(crate) const UNIT_COLS: &[Col] = &[
    c("path", "string", false),
    c("name", "string", false),
    c("level", "string", false),
    c("code", "string", true),
    c("parent", "string", true),
    c("succeeded_by", "string", true),
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

impl Table {
    /// Its columns, in the order its rows write them.
    pub(crate) fn cols(self) -> &'static [Col] {
        match self {
            Table::Targets => TARGET_COLS,
            Table::Results => RESULT_COLS,
            Table::Units => UNIT_COLS,
            Table::Indicators => INDICATOR_COLS,
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
    pub district: Option<&'a str>,
    pub document_path: &'a str,
    pub document_title: &'a str,
    pub document_kind: &'a str,
    pub document_number: Option<&'a str>,
    pub document_issued: String,
    pub term: Option<String>,
    pub target_id: &'a str,
    pub target_type: &'a str,
    pub group: Option<&'a str>,
    pub field: Option<String>,
    pub target_text: &'a str,
    pub measure: usize,
    pub indicator: Option<&'a str>,
    pub indicator_name: Option<&'a str>,
    pub label: Option<&'a str>,
    pub op: &'a str,
    #[serde(serialize_with = "number")]
    pub value: Option<f64>,
    #[serde(serialize_with = "number")]
    pub min: Option<f64>,
    #[serde(serialize_with = "number")]
    pub max: Option<f64>,
    pub unit: Option<&'a str>,
    pub per: &'a str,
    pub deadline: Option<String>,
    pub relation: Option<&'a str>,
    pub baseline: Option<&'a str>,
    pub variant: Option<&'a str>,
    pub measure_text: String,
    #[serde(serialize_with = "number")]
    pub latest_value: Option<f64>,
    pub latest_value_text: Option<String>,
    pub latest_as_of: Option<String>,
    pub latest_quote: Option<&'a str>,
    pub latest_source_url: Option<String>,
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
    pub document_number: Option<String>,
    pub target: Option<String>,
    pub indicator: Option<String>,
    pub label: Option<String>,
    #[serde(serialize_with = "number")]
    pub value: Option<f64>,
    #[serde(serialize_with = "number")]
    pub of: Option<f64>,
    pub unit: Option<String>,
    #[serde(serialize_with = "number")]
    pub share_of_target: Option<f64>,
    pub verdict: Option<String>,
    pub value_text: String,
    pub as_of: String,
    #[serde(rename = "final")]
    pub is_final: bool,
    pub quote: String,
    pub url: String,
}

#[derive(Serialize, Default)]
pub(crate) struct UnitRow {
    pub path: String,
    pub name: String,
    pub level: String,
    pub code: Option<String>,
    pub parent: Option<String>,
    pub succeeded_by: Option<String>,
    pub succeeded_on: Option<String>,
    pub documents: usize,
    pub targets: usize,
    pub url: String,
}

#[derive(Serialize, Default)]
pub(crate) struct IndicatorRow {
    pub key: String,
    pub name: String,
    pub unit: Option<String>,
    pub direction: String,
    pub field: Option<String>,
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
        document_issued: d.issued.iso(),
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
        latest_as_of: latest.map(|(_, r)| r.as_of.iso()),
        latest_quote: latest.map(|(_, r)| r.quote.as_str()),
        latest_source_url: latest.map(|(_, r)| abs(v, origin, &v.result_url(r))),
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
        value: r.value,
        of: r.of,
        unit: r.unit.clone(),
        share_of_target: r.share_of_target,
        verdict: r.verdict.map(|x| x.as_str().to_string()),
        value_text: v.result_value_text(r),
        as_of: r.as_of.iso(),
        is_final: r.is_final,
        quote: r.quote.clone(),
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
            succeeded_by: u.succeeded_by.clone(),
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

/// Every measure of the site, in document order.
pub(crate) fn all_measures(site: &Site) -> Vec<MeasureRef> {
    (0..site.documents.len()).flat_map(|d| doc_measures(site, d)).collect()
}

/// A targets file (CSV or JSON) of these measures, in this order, rendered on its own
/// (`serve` re-renders a few this way; builds write them all in one pass,
/// `stream_data_files`, which gives the same bytes).
pub(crate) fn targets_file(v: &Views, origin: &str, measures: &[MeasureRef], json: bool) -> Vec<u8> {
    let rows: Vec<TargetRow> = measures.iter().map(|&r| target_row(v, origin, r)).collect();
    table_file(&rows, Table::Targets, json)
}

/// A table's rows as its CSV or JSON file.
fn table_file<T: Serialize>(rows: &[T], table: Table, json: bool) -> Vec<u8> {
    if json { self::json(rows) } else { csv(rows, table.cols()) }
}

/// Where the target data files of a build go: small files whole, large ones streamed.
pub trait FileSink: Sync {
    fn whole(&self, rel: &str, bytes: Vec<u8>) -> std::io::Result<()>;
    /// A file written piece by piece; the writer's `flush` ends it.
    fn open(&self, rel: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>>;
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

fn measure_indicator(site: &Site, r: MeasureRef) -> Option<usize> {
    site.measure(r).indicator()
}

/// Write every target data file of `pages` (site-wide, per unit, per indicator) in one
/// pass over the documents: each row is serialised once, the site-wide and indicator
/// files are streamed, and a unit's file is written as soon as its last document is
/// done, so memory holds a batch of documents, not every row (the site-wide files alone
/// are 2 GB at 10,000 wards). Rows are in site order in every file, as `targets_file` gives.
pub(crate) fn stream_data_files(
    v: &Views,
    origin: &str,
    pages: &[&crate::render::pages::Page],
    sink: &dyn FileSink,
) -> std::io::Result<()> {
    use crate::render::pages::PageKind;
    use rayon::prelude::*;
    use std::io::Write;
    let site = v.site;
    // What a file starts with: the same as `csv` or `json` of no rows, without the end.
    let header_of =
        |json: bool, table: Table| -> Vec<u8> { if json { b"[".to_vec() } else { csv::<()>(&[], table.cols()) } };
    let header = |json: bool| header_of(json, Table::Targets);
    // A streamed file and whether it has a row yet (JSON separators).
    struct Stream<'s> {
        w: Box<dyn Write + Send + 's>,
        json: bool,
        rows: usize,
    }
    impl Stream<'_> {
        fn row(&mut self, bytes: &[u8]) -> std::io::Result<()> {
            if self.json {
                self.w.write_all(if self.rows == 0 { b"\n" } else { b",\n" })?;
            }
            self.rows += 1;
            self.w.write_all(bytes)
        }
        fn end(mut self) -> std::io::Result<()> {
            if self.json {
                self.w.write_all(b"\n]\n")?;
            }
            self.w.flush()
        }
    }
    let mut global: Vec<Stream> = Vec::new();
    let mut results: Vec<Stream> = Vec::new();
    let mut by_indicator: std::collections::HashMap<usize, Vec<Stream>> = Default::default();
    let mut unit_files: std::collections::HashMap<usize, Vec<(String, bool)>> = Default::default();
    // A streamed file begun: opened, with its header written.
    let start = |rel: &str, table: Table, json: bool| -> std::io::Result<Stream> {
        let mut w = sink.open(rel)?;
        w.write_all(&header_of(json, table))?;
        Ok(Stream { w, json, rows: 0 })
    };
    for p in pages {
        match p.kind {
            PageKind::Data(DataFile::Table(Table::Targets, json)) => {
                global.push(start(&p.output, Table::Targets, json)?)
            }
            PageKind::IndicatorData(ci, json) => by_indicator
                .entry(v.computed.comparisons[ci].indicator)
                .or_default()
                .push(start(&p.output, Table::Targets, json)?),
            PageKind::Data(DataFile::Table(Table::Results, json)) => {
                results.push(start(&p.output, Table::Results, json)?)
            }
            PageKind::UnitData(u, json) => unit_files.entry(u).or_default().push((p.output.clone(), json)),
            _ => {}
        }
    }
    // A unit's file is complete after its last document.
    let mut last_doc: std::collections::HashMap<usize, usize> = Default::default();
    for &u in unit_files.keys() {
        match site.units[u].documents.iter().max() {
            Some(&d) => {
                last_doc.insert(d, u);
            }
            None => {
                for (rel, json) in &unit_files[&u] {
                    let mut bytes = header(*json);
                    if *json {
                        bytes.extend_from_slice(b"\n]\n");
                    }
                    sink.whole(rel, bytes)?;
                }
            }
        }
    }
    let mut unit_rows: std::collections::HashMap<usize, (Vec<u8>, Vec<u8>, usize)> = Default::default();
    // Documents in batches: rows serialised in parallel, then handed out in order.
    const BATCH: usize = 256;
    let docs: Vec<usize> = (0..site.documents.len()).collect();
    for batch in docs.chunks(BATCH) {
        // Per document, each measure with its CSV line and JSON object.
        type DocRows = Vec<(MeasureRef, Vec<u8>, Vec<u8>)>;
        let rows: Vec<DocRows> = batch
            .par_iter()
            .map(|&d| {
                doc_measures(site, d)
                    .map(|r| {
                        let (c, j) = encode(&target_row(v, origin, r));
                        (r, c, j)
                    })
                    .collect()
            })
            .collect();
        for (&d, doc_rows) in batch.iter().zip(rows) {
            let unit = site.documents[d].unit;
            let wanted = unit_files.contains_key(&unit);
            for (r, c, j) in &doc_rows {
                for g in &mut global {
                    g.row(if g.json { j } else { c })?;
                }
                if let Some(streams) = measure_indicator(site, *r).and_then(|i| by_indicator.get_mut(&i)) {
                    for st in streams {
                        st.row(if st.json { j } else { c })?;
                    }
                }
                if wanted {
                    let e = unit_rows.entry(unit).or_default();
                    e.0.extend_from_slice(c);
                    e.1.extend_from_slice(if e.2 == 0 { b"\n" } else { b",\n" });
                    e.1.extend_from_slice(j);
                    e.2 += 1;
                }
            }
            if let Some(&u) = last_doc.get(&d) {
                let (c, j, _) = unit_rows.remove(&u).unwrap_or_default();
                for (rel, json) in &unit_files[&u] {
                    let mut bytes = header(*json);
                    if *json {
                        bytes.extend_from_slice(&j);
                        bytes.extend_from_slice(b"\n]\n");
                    } else {
                        bytes.extend_from_slice(&c);
                    }
                    sink.whole(rel, bytes)?;
                }
            }
        }
    }
    // The results files, the same way.
    if !results.is_empty() {
        let all: Vec<usize> = (0..site.results.len()).collect();
        for batch in all.chunks(BATCH * 4) {
            let rows: Vec<(Vec<u8>, Vec<u8>)> =
                batch.par_iter().map(|&ri| encode(&result_row(v, origin, ri))).collect();
            for (c, j) in &rows {
                for st in &mut results {
                    st.row(if st.json { j } else { c })?;
                }
            }
        }
    }
    for st in global.into_iter().chain(results).chain(by_indicator.into_values().flatten()) {
        st.end()?;
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

/// A row serialised with every text value through [`inert_cell`]; numbers, booleans
/// and empty cells as they are, so `-5` in a number column stays a number.
struct Inert<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for Inert<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(InertSer(s))
    }
}

/// The serde serializer behind [`Inert`]: it hands everything to the CSV writer's, with
/// text made inert, struct fields and optional values wrapped in turn.
struct InertSer<S>(S);

struct InertStruct<S>(S);

impl<S: serde::ser::SerializeStruct> serde::ser::SerializeStruct for InertStruct<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), S::Error> {
        self.0.serialize_field(key, &Inert(v))
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: serde::Serializer> serde::Serializer for InertSer<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = S::SerializeSeq;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = InertStruct<S::SerializeStruct>;
    type SerializeStructVariant = S::SerializeStructVariant;

    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        self.0.serialize_str(&inert_cell(v))
    }
    fn serialize_char(self, v: char) -> Result<S::Ok, S::Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&Inert(v))
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeStruct, S::Error> {
        self.0.serialize_struct(name, len).map(InertStruct)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, v: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &Inert(v))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_variant(name, index, variant, &Inert(v))
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

/// One row as a CSV line and as a JSON object, as `csv` and `json` write them.
fn encode<T: Serialize>(row: &T) -> (Vec<u8>, Vec<u8>) {
    let mut c = Vec::with_capacity(800);
    {
        // A row is a few hundred bytes: the writer's default 8 KiB buffer, allocated and
        // zeroed for every row, cost more than the row.
        let mut w = csv::WriterBuilder::new().has_headers(false).buffer_capacity(1024).from_writer(&mut c);
        w.serialize(Inert(row)).expect("rows serialise");
        w.flush().expect("in-memory write");
    }
    (c, serde_json::to_vec(row).expect("rows serialise"))
}

/// CSV in UTF-8 with a byte-order mark (Excel needs it to read Vietnamese), text cells
/// made inert (`inert_cell`).
pub(crate) fn csv<T: Serialize>(rows: &[T], cols: &[Col]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * 640 + 1024);
    out.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
    {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(&mut out);
        w.write_record(cols.iter().map(|c| c.name)).expect("in-memory write");
        for r in rows {
            w.serialize(Inert(r)).expect("rows serialise");
        }
        w.flush().expect("in-memory write");
    }
    out
}

/// One row per line: compact (the files are large) yet readable and diff-friendly.
pub(crate) fn json<T: Serialize>(rows: &[T]) -> Vec<u8> {
    let mut v = Vec::with_capacity(rows.len() * 1200 + 16);
    v.push(b'[');
    for (i, r) in rows.iter().enumerate() {
        v.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        serde_json::to_writer(&mut v, r).expect("rows serialise");
    }
    v.extend_from_slice(b"\n]\n");
    v
}

/// JSON Schema (2020-12) of the four site-wide JSON files.
pub(crate) fn schema(v: &Views, origin: &str) -> Vec<u8> {
    let mut defs = serde_json::Map::new();
    for &table in Table::ALL {
        let cols = table.cols();
        let mut props = serde_json::Map::new();
        for c in cols {
            let ty = if c.nullable { serde_json::json!([c.kind, "null"]) } else { serde_json::json!(c.kind) };
            props.insert(
                c.name.into(),
                serde_json::json!({ "type": ty, "description": v.strings.get(&format!("data_col.{}", c.name)) }),
            );
        }
        let required: Vec<&str> = cols.iter().map(|c| c.name).collect();
        defs.insert(
            table.as_str().into(),
            serde_json::json!({
                "type": "array",
                "items": { "type": "object", "properties": props, "required": required, "additionalProperties": false }
            }),
        );
    }
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

/// The data page (data.html): each site-wide data file, its columns and what they mean.
#[derive(Serialize)]
pub(crate) struct DataPage {
    /// The address of the tables' JSON Schema.
    schema: String,
    files: Vec<DataFileView>,
}

/// A site-wide table, as the data page lists it: its two files and its columns.
#[derive(Serialize)]
pub(crate) struct DataFileView {
    name: String,
    title: String,
    csv: String,
    json: String,
    /// The files' paths in the site, as shown: "data/targets.csv".
    csv_file: String,
    json_file: String,
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
}

pub(crate) fn data_page(v: &Views) -> DataPage {
    let files = Table::ALL
        .iter()
        .map(|&table| DataFileView {
            name: table.as_str().to_string(),
            title: v.strings.get(table.label_key()),
            csv: v.url(&DataFile::Table(table, false).address()),
            json: v.url(&DataFile::Table(table, true).address()),
            csv_file: DataFile::Table(table, false).output(),
            json_file: DataFile::Table(table, true).output(),
            columns: table
                .cols()
                .iter()
                .map(|c| DataColumn {
                    name: c.name.to_string(),
                    json_type: c.kind.to_string(),
                    nullable: c.nullable,
                    description: v.strings.get(&format!("data_col.{}", c.name)),
                })
                .collect(),
        })
        .collect();
    DataPage { schema: v.url(&DataFile::Schema.address()), files }
}

/// A site-wide data file (`/data/…`), rendered on its own.
pub(crate) fn site_file(v: &Views, origin: &str, f: DataFile) -> Vec<u8> {
    let site = v.site;
    match f {
        DataFile::Table(table, json) => match table {
            Table::Targets => targets_file(v, origin, &all_measures(site), json),
            Table::Results => {
                let rows: Vec<_> = (0..site.results.len()).map(|ri| result_row(v, origin, ri)).collect();
                table_file(&rows, table, json)
            }
            Table::Units => table_file(&unit_rows(v, origin), table, json),
            Table::Indicators => table_file(&indicator_rows(v, origin), table, json),
        },
        DataFile::Schema => schema(v, origin),
    }
}

/// The measures of an indicator's comparison, in site order: its targets file's rows.
pub(crate) fn indicator_measures(v: &Views, ci: usize) -> Vec<MeasureRef> {
    let c = &v.computed.comparisons[ci];
    // The comparison's entries are the indicator's measures: in site order, they
    // are the file's rows (no pass over every measure of the site).
    let mut refs: Vec<MeasureRef> = c.classes.iter().flat_map(|k| &k.entries).map(|e| e.measure).collect();
    refs.sort_unstable_by_key(|r| (r.doc(), r.target(), r.measure()));
    refs
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
        let (line, json) = encode(&rows[0]);
        assert!(bytes.ends_with(&[&b"\n"[..], &encode(&rows[8]).0].concat()));
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
            w.serialize(row).unwrap();
            drop(w);
            String::from_utf8(out).unwrap().lines().next().unwrap().to_string()
        }
        let names = |cols: &[Col]| cols.iter().map(|c| c.name).collect::<Vec<_>>().join(",");
        assert_eq!(header(TargetRow::default()), names(TARGET_COLS));
        assert_eq!(header(ResultRow::default()), names(RESULT_COLS));
        assert_eq!(header(UnitRow::default()), names(UNIT_COLS));
        assert_eq!(header(IndicatorRow::default()), names(INDICATOR_COLS));
    }
}
