//! The site's data once it has meaning: units in a tree, documents in units, targets
//! with measures, results linked to the measures they report on, and the indicator
//! vocabulary that lines measures up across units.
//!
//! Everything is indexed by position (`usize`) in the `Site`'s vectors: links between
//! records (a result to its measure, a unit to its parent) are plain indices, which keeps
//! the model `Send + Sync`, cheap to clone into templates, and free of lifetimes.

pub(crate) mod assemble;
pub(crate) mod cache;
pub(crate) mod level;
pub(crate) mod link;
pub(crate) mod lower;
pub(crate) mod names;
pub(crate) mod patch;
pub(crate) mod url;

use crate::vi::date::VnDate;
use names::named_enum;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub units: Vec<Unit>,
    pub documents: Vec<Document>,
    pub results: Vec<ResultRecord>,
    pub indicators: Vec<Indicator>,
    pub fields: Vec<Field>,
    /// Units without a parent, in Vietnamese order.
    pub roots: Vec<usize>,
    #[serde(skip)]
    pub unit_by_path: BTreeMap<String, usize>,
    #[serde(skip)]
    pub doc_by_path: BTreeMap<String, usize>,
    #[serde(skip)]
    pub indicator_by_key: BTreeMap<String, usize>,
    #[serde(skip)]
    pub field_by_key: BTreeMap<String, usize>,
    /// Each unit's name as a Vietnamese sort key, made once.
    #[serde(skip)]
    pub name_keys: Vec<crate::vi::collate::Key>,
    /// Each unit's place in Vietnamese order of names (equal names, equal places):
    /// comparisons sort thousands of rows by name, and comparing two numbers is cheap.
    #[serde(skip)]
    pub name_rank: Vec<u32>,
    /// Each unit's root unit: comparisons split by province ask it for every row, and
    /// walking up through the units' records misses the cache at each step.
    #[serde(skip)]
    pub root_of: Vec<usize>,
    /// Content paths of files that could not be read: links to them are not reported
    /// again (the file's own error is the one to fix).
    #[serde(skip)]
    pub unread: std::collections::BTreeSet<String>,
    /// Content paths of drafts (`draft: true`): checked, not published; a link to one
    /// says so rather than that there is no such document.
    #[serde(skip)]
    pub drafts: std::collections::BTreeSet<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// Content path without `content/`, e.g. `tp-ho-chi-minh/quan-go-vap`.
    pub path: String,
    pub url: String,
    pub name: String,
    pub level: String,
    pub code: Option<String>,
    pub short_name: Option<String>,
    /// The units it was merged into (one), or split between (several): content paths.
    pub succeeded_by: Vec<String>,
    /// The units merged into this one, or whose parts it took (the reverse of
    /// `succeeded_by`), in Vietnamese name order.
    pub predecessors: Vec<usize>,
    pub succeeded_on: Option<VnDate>,
    pub website: Option<String>,
    pub weight: Option<i64>,
    #[serde(skip)]
    pub body: Body,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub documents: Vec<usize>,
    #[serde(skip)]
    pub file: PathBuf,
}

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
    pub enum DocKind in "kind" {
        Resolution = "resolution",
        ActionProgram = "action-program",
        Review = "review",
        Conclusion = "conclusion",
        #[default]
        Other = "other",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Term {
    pub start: i16,
    pub end: i16,
}

impl Term {
    /// The term as readers see it: "2020–2025", with the en dash Vietnamese typesetting
    /// uses for a range of years. Every page shows a term this way.
    pub(crate) fn label(self) -> String {
        format!("{}–{}", self.start, self.end)
    }

    /// The term in addresses, ids and data files: "2020-2025", ASCII and stable.
    pub(crate) fn key(self) -> String {
        format!("{}-{}", self.start, self.end)
    }
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Document {
    pub unit: usize,
    pub path: String,
    pub url: String,
    /// The file name without `.md`: the last part of the path and URL.
    pub slug: String,
    pub title: String,
    pub kind: DocKind,
    pub number: Option<String>,
    /// `None` when the sources do not give it (`issued: unknown`); lists then place the
    /// document by its term ([`Document::date`]).
    pub issued: Option<VnDate>,
    pub place: Option<String>,
    pub issuer: Option<String>,
    pub signer: Option<String>,
    pub signer_role: Option<String>,
    pub term: Option<Term>,
    pub congress: Option<String>,
    pub event: Option<String>,
    pub covers: Option<String>,
    pub posted: Option<VnDate>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    /// The original file, its path in `content/` ("ha-noi/…/nghi-quyet-xi.pdf"): copied
    /// to the site with the content's other files, linked from the document's page.
    pub original: Option<String>,
    pub recipients: Vec<String>,
    pub summary: Option<String>,
    pub groups: Vec<Group>,
    pub targets: Vec<Target>,
    /// Indices into `Site::results` of the results this document reports.
    pub results: Vec<usize>,
    #[serde(skip)]
    pub body: Body,
    #[serde(skip)]
    pub file: PathBuf,
}

impl Document {
    /// The date lists order the document by: its issue date, else the first year of its
    /// term, else the oldest possible.
    pub fn date(&self) -> VnDate {
        let year = |y: i16| VnDate { year: y, month: 1, day: 1, precision: crate::vi::date::Precision::Year };
        self.issued.unwrap_or_else(|| year(self.term.map_or(1970, |t| t.start)))
    }
}

/// A unit's or document's Markdown body: the text after the front matter, as read
/// (BOM and CR dropped, NFC). `build` and `check` do not hold it: at national scale the
/// bodies were 43% of the model. They keep where it is and the file's fingerprint, and
/// the one page that shows it reads it again (`text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Held in memory: `serve`, whose model lives across saves (a save reads the file
    /// again anyway), and bodies made in code.
    Text(String),
    /// To be read again from its file.
    File(BodyFile),
}

impl Default for Body {
    fn default() -> Body {
        Body::Text(String::new())
    }
}

/// Where a body is, and what its file was when it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyFile {
    pub abs: PathBuf,
    /// Byte offset of the body in the file's text as read (after the BOM, CR and NFC
    /// normalisation, which change offsets); the body runs to the end.
    pub start: u64,
    /// Length and xxh3 hash of the file's bytes.
    pub len: u64,
    pub hash: u64,
    /// The text as read was the file's bytes (no BOM, CR or decomposed letters): the
    /// body is then the bytes from `start`, with nothing to normalise again.
    pub verbatim: bool,
}

impl Body {
    /// The body's text. Read again from its file for `File`: a file that changed or is
    /// gone since it was read is an error naming it (`shown`, as messages name files),
    /// so a build never publishes a body other than the one of the model it checked.
    pub fn text(&self, shown: &std::path::Path) -> Result<std::borrow::Cow<'_, str>, crate::diagnostics::Diagnostic> {
        match self {
            Body::Text(t) => Ok(std::borrow::Cow::Borrowed(t)),
            Body::File(f) => crate::load::with_body(f, shown, |t| std::borrow::Cow::Owned(t.to_string())),
        }
    }

    /// `f` of the body's text (`text`), without copying a body read again.
    pub fn with_text<T>(
        &self,
        shown: &std::path::Path,
        f: impl FnOnce(&str) -> T,
    ) -> Result<T, crate::diagnostics::Diagnostic> {
        match self {
            Body::Text(t) => Ok(f(t)),
            Body::File(b) => crate::load::with_body(b, shown, f),
        }
    }

    /// A hash that differs when the body may differ (for `File`, when the file does):
    /// what `serve` compares to know whether a save changed the body.
    pub(crate) fn fingerprint(&self) -> u64 {
        match self {
            Body::Text(t) => xxhash_rust::xxh3::xxh3_64(t.as_bytes()),
            Body::File(f) => xxhash_rust::xxh3::xxh3_64_with_seed(&f.start.to_le_bytes(), f.hash ^ f.len),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub count: Option<usize>,
    pub field: Option<String>,
}

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TargetKind in "target_kind" {
        Target = "target",
        Work = "work",
        Program = "program",
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub id: Box<str>,
    /// Index into the document's `groups`.
    pub group: Option<usize>,
    pub field: Option<Box<str>>,
    pub kind: TargetKind,
    pub text: Box<str>,
    /// `false` when `text` is an editor's summary rather than the document's words.
    pub verbatim: bool,
    pub note: Option<Box<str>>,
    /// Never empty: a target written without measures gets one qualitative measure.
    pub measures: Vec<Measure>,
    /// The page of the document's original where it stands.
    pub page: Option<u32>,
}

named_enum! {
    /// How a measure's figure is compared with its bound; its label is how a measure
    /// reads (`measure.ge`: "ít nhất {value}").
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Op in "measure" {
        Lt = "<" as "lt",
        Le = "<=" | "≤" as "le",
        Eq = "=" | "==" as "eq",
        Ge = ">=" | "≥" as "ge",
        Gt = ">" as "gt",
        Range = "range",
        /// No number: done or not, kept or not. Written by leaving `op` out.
        Qualitative = "qualitative",
    }
}

impl DocKind {
    /// The kind a document's own words name ("Nghị quyết …", "Chương trình hành động
    /// thực hiện Nghị quyết …", "Báo cáo sơ kết …", "Kết luận …"), if they name one.
    pub(crate) fn from_words(text: &str) -> Option<DocKind> {
        let t = crate::vi::slug::fold(text.trim());
        if t.contains("chuong trinh hanh dong") {
            Some(DocKind::ActionProgram)
        } else if t.starts_with("nghi quyet") {
            Some(DocKind::Resolution)
        } else if t.starts_with("bao cao") || t.starts_with("so ket") || t.starts_with("tong ket") {
            Some(DocKind::Review)
        } else if t.starts_with("ket luan") {
            Some(DocKind::Conclusion)
        } else {
            None
        }
    }
}

named_enum! {
    /// The period a measure is judged over; its label follows the measure's text
    /// (`measure.per_year`: "mỗi năm").
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Per in "measure" {
        Term = "term" as "per_term",
        Year = "year" as "per_year",
    }
}

impl Per {
    /// The period a document's words name: "hàng năm", "hằng năm", "mỗi năm" are
    /// `year`; "nhiệm kỳ" is `term`.
    pub(crate) fn from_words(text: &str) -> Option<Per> {
        let t = crate::vi::slug::fold(text.trim());
        if t.contains("nhiem ky") {
            Some(Per::Term)
        } else if t.contains("nam") || t.contains("annual") || t.contains("yearly") {
            Some(Per::Year)
        } else {
            None
        }
    }
}

named_enum! {
    /// What a measure's number is when it is not a level; its label is the measure's
    /// text (`measure.increase`: "tăng {value} so với {baseline}").
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Relation in "measure" {
        Exceed = "exceed",
        Increase = "increase",
        Decrease = "decrease",
        Ratio = "ratio",
        Share = "share",
    }
}

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Direction in "direction" {
        Higher = "higher",
        Lower = "lower",
        /// Neither: the target is a level to hit (an exact value or a range).
        None = "none",
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    /// The indicator's index in `Site::indicators` (its key is there: a measure names
    /// only known indicators, and 900,000 copies of keys weigh at national scale).
    pub indicator_id: Option<u32>,
    pub label: Option<Box<str>>,
    pub op: Op,
    /// The bound; a range's bounds are in `extra`.
    pub value: Option<f64>,
    pub unit: Option<Box<str>>,
    pub per: Per,
    /// Explicit deadline, if the text gives one ("đến năm 2025").
    pub deadline: Option<VnDate>,
    pub relation: Option<Relation>,
    /// What few measures say: boxed, so the others cost 8 bytes for it, not 80
    /// (a national site holds 900,000 measures). Read through the methods below.
    #[serde(flatten)]
    pub extra: Option<Box<MeasureExtra>>,
    /// Indices into `Site::results`, oldest first.
    pub results: Vec<usize>,
}

/// The rarer parts of a measure: a range's bounds, a baseline, a variant.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MeasureExtra {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub baseline: Option<Box<str>>,
    pub baseline_value: Option<f64>,
    pub baseline_date: Option<VnDate>,
    pub variant: Option<Box<str>>,
}

impl Measure {
    /// A measure of nothing but its operator and bound.
    pub(crate) fn new(op: Op, value: Option<f64>) -> Measure {
        Measure {
            indicator_id: None,
            label: None,
            op,
            value,
            unit: None,
            per: Per::Term,
            deadline: None,
            relation: None,
            extra: None,
            results: vec![],
        }
    }

    /// Set the rarer parts, boxed only when one of them is there.
    pub(crate) fn set_extra(&mut self, extra: MeasureExtra) {
        self.extra = (extra != MeasureExtra::default()).then(|| Box::new(extra));
    }

    pub fn extra_mut(&mut self) -> &mut MeasureExtra {
        self.extra.get_or_insert_default()
    }

    pub(crate) fn min(&self) -> Option<f64> {
        self.extra.as_ref()?.min
    }

    pub(crate) fn max(&self) -> Option<f64> {
        self.extra.as_ref()?.max
    }

    pub fn baseline(&self) -> Option<&str> {
        self.extra.as_ref()?.baseline.as_deref()
    }

    pub(crate) fn baseline_value(&self) -> Option<f64> {
        self.extra.as_ref()?.baseline_value
    }

    pub(crate) fn baseline_date(&self) -> Option<VnDate> {
        self.extra.as_ref()?.baseline_date
    }

    pub fn variant(&self) -> Option<&str> {
        self.extra.as_ref()?.variant.as_deref()
    }

    pub(crate) fn indicator(&self) -> Option<usize> {
        self.indicator_id.map(|i| i as usize)
    }
}

/// Where a result points: document, target and measure indices. Held as u32 (12
/// bytes, not 24): every comparison row and result holds one, 900,000 at national scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct MeasureRef {
    doc: u32,
    target: u32,
    measure: u32,
}

impl MeasureRef {
    pub fn new(doc: usize, target: usize, measure: usize) -> MeasureRef {
        let n = |i: usize| u32::try_from(i).expect("fewer than 4 billion documents, targets and measures");
        MeasureRef { doc: n(doc), target: n(target), measure: n(measure) }
    }

    pub(crate) fn doc(self) -> usize {
        self.doc as usize
    }

    pub(crate) fn target(self) -> usize {
        self.target as usize
    }

    pub(crate) fn measure(self) -> usize {
        self.measure as usize
    }
}

named_enum! {
    /// A document's own judgement of a result.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Verdict in "verdict" {
        Exceeded = "exceeded",
        /// "đạt và vượt chỉ tiêu": the document's own words, kept apart from a plain
        /// "vượt"; judged as exceeded.
        MetAndExceeded = "met-and-exceeded",
        Met = "met",
        NotMet = "not-met",
        InProgress = "in-progress",
        Done = "done",
        NotStarted = "not-started",
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultRecord {
    /// The document that reports the result.
    pub doc: usize,
    /// Position in that document's `results:` list (1-based), for anchors.
    pub number: usize,
    pub target: Option<MeasureRef>,
    /// Index in `Site::indicators`: the result's own, else its target's.
    pub indicator_id: Option<u32>,
    pub label: Option<String>,
    /// `Some(op)` when the figure is a bound ("trên 98%": `Gt`); only `<`, `<=`, `>=`
    /// and `>` are bounds. `None`: the figure as stated.
    pub bound: Option<Op>,
    pub value: Option<f64>,
    pub of: Option<f64>,
    pub unit: Option<String>,
    /// The figure as the document writes it ("37,8%"), beside one computed from `of`.
    pub written: Option<String>,
    pub share_of_target: Option<f64>,
    pub verdict: Option<Verdict>,
    /// The report's date: when the figure was published.
    pub as_of: VnDate,
    /// The date or period the figure is for, when not `as_of` (a year-end figure in a
    /// May report). Statuses and charts use [`ResultRecord::date`].
    pub covers: Option<VnDate>,
    /// Reported as the result of the whole period even though dated before its end.
    pub is_final: bool,
    pub quote: String,
    pub note: Option<String>,
    /// The page of the reporting document's original where the figure stands.
    pub page: Option<u32>,
}

impl ResultRecord {
    /// The date the figure stands for: what it covers, else the report's date. Statuses,
    /// "latest" and charts go by this; feeds by `as_of`, when it was published.
    pub fn date(&self) -> VnDate {
        self.covers.unwrap_or(self.as_of)
    }

    pub(crate) fn indicator(&self) -> Option<usize> {
        self.indicator_id.map(|i| i as usize)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub key: String,
    pub name: String,
    pub unit: Option<String>,
    pub direction: Direction,
    pub field: Option<String>,
    pub description: Option<String>,
    /// Earlier keys (`aliases:`), whose addresses redirect to this indicator's page.
    pub aliases: Vec<String>,
    /// Its name and description in other languages, by language code (the editions of
    /// `languages` other than the first show them).
    pub translations: Translations,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub translations: Translations,
}

/// A vocabulary entry's words in other languages: language code → (name, description).
pub type Translations = std::collections::BTreeMap<String, (Option<String>, Option<String>)>;

/// An indicator or a field as an edition in language `lang` names it: its own words
/// where the vocabulary gives them, the vocabulary's language otherwise.
pub trait Translate: Clone {
    fn translated(&self, lang: &str) -> Self;
}

impl Translate for Indicator {
    fn translated(&self, lang: &str) -> Indicator {
        let mut i = self.clone();
        if let Some((name, description)) = self.translations.get(lang) {
            i.name = name.clone().unwrap_or(i.name);
            i.description = description.clone().or(i.description);
        }
        i
    }
}

impl Translate for Field {
    fn translated(&self, lang: &str) -> Field {
        let mut f = self.clone();
        if let Some((name, description)) = self.translations.get(lang) {
            f.name = name.clone().unwrap_or(f.name);
            f.description = description.clone().or(f.description);
        }
        f
    }
}

impl Site {
    pub fn indicator(&self, key: &str) -> Option<&Indicator> {
        self.indicator_by_key.get(key).map(|&i| &self.indicators[i])
    }

    /// The indicator at an index, as measures and results hold them.
    pub(crate) fn indicator_at(&self, i: Option<usize>) -> Option<&Indicator> {
        i.map(|i| &self.indicators[i])
    }

    /// The chain of units from the root down to `unit` (inclusive).
    /// The root unit (province or city) above a unit, or the unit itself: no allocation,
    /// since comparisons ask it for every row.
    pub(crate) fn root(&self, unit: usize) -> usize {
        if let Some(&r) = self.root_of.get(unit) {
            return r;
        }
        let mut u = unit;
        while let Some(p) = self.units[u].parent {
            u = p;
        }
        u
    }

    /// The units that are one place with `unit` through the reform: itself, the units
    /// merged into it (and into those, back in time), and the units it became (forward).
    /// Not the other units merged with it: their history is theirs.
    pub(crate) fn place(&self, unit: usize) -> Vec<usize> {
        let mut out = vec![unit];
        let mut back = vec![unit];
        while let Some(u) = back.pop() {
            for &p in &self.units[u].predecessors {
                if !out.contains(&p) {
                    out.push(p);
                    back.push(p);
                }
            }
        }
        let mut forward = vec![unit];
        while let Some(u) = forward.pop() {
            for s in &self.units[u].succeeded_by {
                if let Some(&s) = self.unit_by_path.get(s)
                    && !out.contains(&s)
                {
                    out.push(s);
                    forward.push(s);
                }
            }
        }
        out
    }

    /// A unit of before the reform: one that became others (`succeeded_by`), or one
    /// whose units all did (a district whose wards were all merged away).
    pub(crate) fn is_former(&self, unit: usize) -> bool {
        let u = &self.units[unit];
        !u.succeeded_by.is_empty() || (!u.children.is_empty() && u.children.iter().all(|&c| self.is_former(c)))
    }

    pub(crate) fn ancestry(&self, unit: usize) -> Vec<usize> {
        let mut chain = vec![unit];
        let mut u = unit;
        while let Some(p) = self.units[u].parent {
            chain.push(p);
            u = p;
        }
        chain.reverse();
        chain
    }

    /// The measure a reference points at.
    pub(crate) fn measure(&self, r: MeasureRef) -> &Measure {
        &self.documents[r.doc()].targets[r.target()].measures[r.measure()]
    }

    /// Every measure of document `d` with its reference, in the document's order.
    pub(crate) fn measures_in(&self, d: usize) -> impl Iterator<Item = (MeasureRef, &Measure)> + '_ {
        self.documents[d]
            .targets
            .iter()
            .enumerate()
            .flat_map(move |(ti, t)| t.measures.iter().enumerate().map(move |(mi, m)| (MeasureRef::new(d, ti, mi), m)))
    }

    /// The direction in which a measure improves: from its indicator, else from its op.
    pub(crate) fn direction(&self, m: &Measure) -> Direction {
        if let Some(ind) = self.indicator_at(m.indicator())
            && ind.direction != Direction::None
            && m.relation.is_none()
        {
            return ind.direction;
        }
        match m.op {
            Op::Lt | Op::Le => Direction::Lower,
            Op::Gt | Op::Ge => Direction::Higher,
            Op::Eq | Op::Range | Op::Qualitative => match m.relation {
                Some(_) => Direction::Higher,
                None => Direction::None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_reads_with_an_en_dash_and_addresses_with_a_hyphen() {
        let t = Term { start: 2020, end: 2025 };
        assert_eq!(t.label(), "2020–2025");
        assert_eq!(t.key(), "2020-2025");
    }
}
