//! What templates see: plain serialisable views of the model with every number and
//! date already formatted the Vietnamese way and every status already computed, so
//! templates only lay things out. Words come from the theme's translation strings.

pub(crate) mod document;
pub(crate) mod feed;
pub(crate) mod field;
pub(crate) mod field_index;
pub(crate) mod home;
pub(crate) mod indicator;
pub(crate) mod indicator_index;
pub(crate) mod matrix;
pub(crate) mod matrix_index;
pub(crate) mod redirect;
pub(crate) mod scorecard;
pub(crate) mod search;
pub(crate) mod share;
pub(crate) mod sitemap;
pub(crate) mod status;
pub(crate) mod unit;

#[cfg(test)]
mod contract;

use super::i18n::Strings;
use super::paths;
use crate::compute::{Computed, count, status::Evaluation};
use crate::model::*;
use crate::vi::number;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Serialize)]
pub(crate) struct SiteInfo<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub lang: &'a str,
    /// The site's base path: its shared files (style sheets, icons, data) are there.
    pub base: &'a str,
    /// This edition's home page: `base` in the site's first language, `<base>/en/` in
    /// an English edition.
    pub home: &'a str,
    /// The language the content is written in (the site's first), when this edition's
    /// differs: templates mark verbatim text with it (`lang="vi"`), for screen readers.
    pub content_lang: Option<&'a str>,
    pub base_url: &'a str,
    /// "https://example.org" when base_url is absolute, else empty.
    pub origin: String,
    pub status_date: String,
    pub status_date_iso: String,
    pub totals: Totals,
    pub fields: Vec<Link>,
    /// The open data's terms of reuse (`data_license` in minhbach.toml).
    pub data_license: Option<&'a str>,
}

#[derive(Serialize, Clone, Copy)]
pub(crate) struct Totals {
    pub(crate) units: usize,
    pub(crate) documents: usize,
    pub(crate) targets: usize,
    pub(crate) measures: usize,
    pub(crate) results: usize,
    pub(crate) indicators: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StatusCount {
    pub status: &'static str,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ResultView {
    pub anchor: String,
    pub url: String,
    pub value_text: String,
    /// When it was published (the report's date).
    pub as_of: crate::vi::date::VnDate,
    /// The period the figure is for, when not the report's date: "số liệu năm 2022".
    pub covers_text: Option<String>,
    pub quote: String,
    pub label: Option<String>,
    pub indicator: Option<Link>,
    pub verdict: Option<String>,
    /// The result has a number (so a verdict is shown beside it, not instead of it).
    pub has_figure: bool,
    pub note: Option<String>,
    pub doc: Link,
    pub doc_number: Option<String>,
    pub unit: Link,
    /// The target it reports on, if linked.
    pub target: Option<Link>,
    pub target_status: Option<&'static str>,
    /// The page of the reporting document's original where the figure stands, and the
    /// address that opens it there.
    pub page: Option<u32>,
    pub original: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MeasureView {
    pub text: String,
    pub label: Option<String>,
    pub indicator: Option<Link>,
    pub variant: Option<String>,
    pub baseline: Option<String>,
    pub deadline: String,
    pub per_year: bool,
    pub status: &'static str,
    pub status_label: String,
    pub basis: String,
    pub year: Option<i16>,
    pub compared_text: Option<String>,
    pub expected_text: Option<String>,
    pub result: Option<ResultView>,
    pub results_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TargetView {
    pub id: String,
    /// The id when it is the document's own number ("1.2.1", "a", "IV"), none when it is
    /// a name an editor gave ("ct-1", "cai-tang-mo"): tables do not show that as a number.
    pub number: Option<String>,
    pub anchor: String,
    pub url: String,
    pub kind: TargetKind,
    pub kind_label: String,
    pub text: String,
    /// `false`: `text` is an editor's summary, labelled so, not the document's words.
    pub verbatim: bool,
    pub note: Option<String>,
    pub field: Option<Link>,
    pub group: Option<String>,
    /// "Phường 14 / 2020-2025 / 01-NQ/ĐH / 1.2.1": how a reader cites the target.
    pub citation: String,
    /// Unit path / term / document / target: the same on every rebuild, used in data.
    pub stable_id: String,
    pub measures: Vec<MeasureView>,
    pub doc: Link,
    pub unit: Link,
    /// The page of the document's original where the target stands, and the address
    /// that opens the original there ("…/nghi-quyet.pdf#page=3").
    pub page: Option<u32>,
    pub original: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TargetRef {
    pub id: String,
    pub url: String,
    pub text: String,
    pub doc: Link,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct GroupView {
    /// The group's number as the document heads it ("1.2"), when it has one.
    pub number: Option<String>,
    pub id: Option<String>,
    pub name: String,
    pub count: Option<usize>,
    /// `count` in words of what the group holds ("2 chương trình"), when it has one.
    pub count_label: Option<String>,
    pub field: Option<Link>,
    pub targets: Vec<TargetView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocSummary {
    pub title: String,
    pub url: String,
    pub kind: DocKind,
    pub kind_label: String,
    pub number: Option<String>,
    pub issued: Option<crate::vi::date::VnDate>,
    pub term: Option<String>,
    pub unit: Link,
    pub targets: usize,
    pub results: usize,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct UnitSummary {
    pub name: String,
    pub url: String,
    pub level: String,
    pub documents: usize,
    pub targets: usize,
    pub children: Vec<UnitSummary>,
    pub counts: Vec<StatusCount>,
}

/// Builds views; holds what every view needs.
pub(crate) struct Views<'a> {
    pub site: &'a Site,
    pub computed: &'a Computed,
    pub strings: &'a Strings,
    /// The base path of this edition's pages ("/", or "/en/" for an English edition).
    pub base: &'a str,
    /// The site's base path, where the files every edition shares are (data files, the
    /// search index, static files): the same as `base` in the site's first language.
    pub root: &'a str,
    /// The vocabulary in this edition's language (`Translate`): views name indicators
    /// and fields from here, never from `site`, so that an edition shows its own words.
    pub indicators: &'a [Indicator],
    pub fields: &'a [Field],
    /// The edition's language when it is not the site's first (`None` there).
    pub edition: Option<&'a str>,
}

impl<'a> Views<'a> {
    /// The indicator at an index, as measures and results hold them, in this edition's words.
    pub(crate) fn indicator_at(&self, i: Option<usize>) -> Option<&'a Indicator> {
        i.map(|i| &self.indicators[i])
    }

    /// A shared file's address (`root`): a data file, the search index.
    pub(crate) fn shared_url(&self, path: &str) -> String {
        [self.root.trim_end_matches('/'), path].concat()
    }

    /// A site path ("/a/b/") under the base path ("/minhbach/a/b/").
    pub(crate) fn url(&self, path: &str) -> String {
        self.url_of(&[path])
    }

    /// The base path followed by `parts`, in one allocation: links are built for every
    /// table row, and `format!` there cost more than the rest of the link.
    pub(crate) fn url_of(&self, parts: &[&str]) -> String {
        let base = self.base.trim_end_matches('/');
        let mut s = String::with_capacity(base.len() + parts.iter().map(|p| p.len()).sum::<usize>());
        s.push_str(base);
        for p in parts {
            s.push_str(p);
        }
        s
    }

    /// A target's address on its document's page.
    pub(crate) fn target_url(&self, d: &Document, id: &str) -> String {
        self.url_of(&[&d.url, "#", TARGET_ANCHOR, id])
    }

    /// A result's anchor on the page of the document that reports it ("ket-qua-3").
    pub(crate) fn result_anchor(r: &ResultRecord) -> String {
        format!("{RESULT_ANCHOR}{}", r.number)
    }

    /// A result's address on the page of the document that reports it.
    pub(crate) fn result_url(&self, r: &ResultRecord) -> String {
        self.url_of(&[&self.site.documents[r.doc].url, "#", &Self::result_anchor(r)])
    }

    pub(crate) fn unit_link(&self, u: usize) -> Link {
        Link { name: self.site.units[u].name.clone(), url: self.url(&self.site.units[u].url) }
    }

    pub(crate) fn doc_link(&self, d: usize) -> Link {
        Link { name: self.site.documents[d].title.clone(), url: self.url(&self.site.documents[d].url) }
    }

    pub(crate) fn breadcrumbs(&self, unit: usize) -> Vec<Link> {
        let mut v = vec![Link { name: self.strings.get("home"), url: self.url("/") }];
        v.extend(self.site.ancestry(unit).into_iter().map(|u| self.unit_link(u)));
        v
    }

    /// The trail above a page directly under the home page.
    pub(crate) fn home_crumbs(&self) -> Vec<Link> {
        vec![Link { name: self.strings.get("home"), url: self.url("/") }]
    }

    /// The trail above a page of a section: home, then the section's index page
    /// (`name` is its translation key).
    pub(crate) fn section_crumbs(&self, name: &str, path: &str) -> Vec<Link> {
        let mut crumbs = self.home_crumbs();
        crumbs.push(Link { name: self.strings.get(name), url: self.url(path) });
        crumbs
    }

    pub(crate) fn field_link(&self, key: &str) -> Option<Link> {
        let f = &self.fields[*self.site.field_by_key.get(key)?];
        Some(Link { name: f.name.clone(), url: self.url_of(&paths::field_parts(&f.key)) })
    }

    /// What a measure is called on its own: its label, else its indicator's name, else
    /// the target's text (charts and feeds name measures this way).
    pub(crate) fn measure_label(&self, t: &Target, m: &Measure) -> String {
        m.label
            .as_deref()
            .map(str::to_string)
            .or_else(|| self.indicator_at(m.indicator()).map(|i| i.name.clone()))
            .unwrap_or_else(|| t.text.to_string())
    }

    pub(crate) fn link_to_indicator(&self, i: &Indicator) -> Link {
        Link { name: i.name.clone(), url: self.indicator_url(i) }
    }

    /// An indicator's comparison page.
    pub(crate) fn indicator_url(&self, i: &Indicator) -> String {
        self.url_of(&paths::indicator_parts(&i.key))
    }

    pub(crate) fn status_counts(&self, evals: Vec<&Evaluation>) -> Vec<StatusCount> {
        count(evals.into_iter())
            .into_iter()
            .map(|(s, n)| StatusCount { status: s.as_str(), label: self.strings.get(s.label_key()), count: n })
            .collect()
    }

    /// The field of a target: its own, its group's, or cong-trinh for works and programs.
    pub(crate) fn target_field(&self, d: &Document, t: &Target) -> Option<String> {
        t.field.as_deref().map(str::to_string).or_else(|| t.group.and_then(|g| d.groups[g].field.clone())).or_else(
            || match t.kind {
                TargetKind::Target => {
                    t.measures.iter().find_map(|m| self.indicator_at(m.indicator()).and_then(|i| i.field.clone()))
                }
                _ => self.site.field_by_key.contains_key("cong-trinh").then(|| "cong-trinh".to_string()),
            },
        )
    }

    /// Ids are restricted to `[A-Za-z0-9._-]` by the model, so they go into anchors as is.
    pub(crate) fn target_anchor(id: &str) -> String {
        [TARGET_ANCHOR, id].concat()
    }

    pub(crate) fn doc_summary(&self, di: usize) -> DocSummary {
        let d = &self.site.documents[di];
        DocSummary {
            title: d.title.clone(),
            url: self.url(&d.url),
            kind: d.kind,
            kind_label: self.strings.get(d.kind.label_key()),
            number: d.number.clone(),
            issued: d.issued,
            term: d.term.map(Term::label),
            unit: self.unit_link(d.unit),
            targets: d.targets.len(),
            results: d.results.len(),
            summary: d.summary.clone(),
        }
    }

    pub(crate) fn format_value(&self, v: f64, unit: Option<&str>) -> String {
        let mut n = self.strings.number_auto(v);
        match unit.map(str::trim) {
            None | Some("") => {}
            Some("%") => n.push('%'),
            Some(u) => {
                n.push(' ');
                n.push_str(u);
            }
        }
        n
    }

    pub(crate) fn measure_text(&self, m: &Measure) -> String {
        let s = self.strings;
        let unit = m.unit.as_deref();
        // Only the arm that shows the value formats it.
        let v = || m.value.map(|v| self.format_value(v, unit)).unwrap_or_default();
        let core = match m.op {
            Op::Qualitative => return s.get(m.op.label_key()),
            Op::Range => s.fmt(
                m.op.label_key(),
                &[
                    ("min", self.strings.number_auto(m.min().unwrap_or(0.0))),
                    ("max", self.format_value(m.max().unwrap_or(0.0), unit)),
                ],
            ),
            Op::Lt | Op::Le | Op::Eq | Op::Ge | Op::Gt => s.fmt(m.op.label_key(), &[("value", v())]),
        };
        let mut text = match m.relation {
            None => core,
            Some(r) => {
                let key = r.label_key();
                let value = if r == Relation::Ratio {
                    // "gấp 1,3 lần": the unit word is in the phrase already.
                    match m.op {
                        Op::Range => core,
                        _ => {
                            let n = m.value.map(number::format_auto).unwrap_or_default();
                            match m.op {
                                Op::Ge | Op::Gt | Op::Lt | Op::Le => s.fmt(m.op.label_key(), &[("value", n)]),
                                _ => n,
                            }
                        }
                    }
                } else {
                    core
                };
                s.fmt(key, &[("value", value), ("baseline", m.baseline().unwrap_or_default().to_string())])
            }
        };
        if m.per == Per::Year {
            text.push(' ');
            text.push_str(&s.get(Per::Year.label_key()));
        }
        text
    }

    pub(crate) fn result_value_text(&self, r: &ResultRecord) -> String {
        let s = self.strings;
        let unit = r.unit.as_deref();
        let mut parts = Vec::new();
        match (r.value, r.of) {
            (Some(v), Some(of)) => {
                let frac = s.fmt("result.fraction", &[("value", pad2(s, v)), ("of", pad2(s, of))]);
                let pct = format!("{}%", self.strings.number(v / of * 100.0, 2));
                // The document's own share ("37,8%") first, the computed one beside it.
                let share = match &r.written {
                    Some(w) => s.fmt("result.written_computed", &[("written", w.clone()), ("computed", pct)]),
                    None => pct,
                };
                let frac = match unit {
                    Some(u) if u.trim() != "%" && !u.trim().is_empty() => format!("{frac} {u}"),
                    _ => frac,
                };
                parts.push(self.bounded(r, format!("{frac} ({share})")));
            }
            (Some(v), None) => {
                let stated = self.format_value(v, unit);
                // As written, with the figure as the site reads it when that differs
                // ("1.117,2 triệu đồng" beside 1.117.200.000 đồng).
                let text = match &r.written {
                    Some(w) if w.split_whitespace().eq(stated.split_whitespace()) => w.clone(),
                    Some(w) => s.fmt("result.written_read", &[("written", w.clone()), ("read", stated)]),
                    None => stated,
                };
                parts.push(self.bounded(r, text));
            }
            _ => {}
        }
        if let Some(sh) = r.share_of_target {
            parts.push(s.fmt("result.share_of_target", &[("share", self.strings.number(sh, 2))]));
        }
        if parts.is_empty()
            && let Some(v) = r.verdict
        {
            parts.push(s.fmt("result.verdict_only", &[("verdict", self.verdict_label(v))]));
        }
        parts.join(", ")
    }

    /// A figure that is a bound reads as one: "trên 98%".
    fn bounded(&self, r: &ResultRecord, figure: String) -> String {
        match r.bound {
            Some(op) => self.strings.fmt(op.label_key(), &[("value", figure)]),
            None => figure,
        }
    }

    /// "số liệu năm 2022": the period a figure is for, when the report gives one.
    pub(crate) fn covers_text(&self, r: &ResultRecord) -> Option<String> {
        use crate::vi::date::Precision;
        let c = r.covers?;
        Some(match c.precision {
            Precision::Year => self.strings.fmt("result.covers_year", &[("year", c.year.to_string())]),
            Precision::Month => self.strings.fmt("result.covers_month", &[("month", c.short())]),
            Precision::Day => self.strings.fmt("result.covers_day", &[("date", c.short())]),
        })
    }

    fn verdict_label(&self, v: Verdict) -> String {
        self.strings.get(v.label_key())
    }

    pub(crate) fn result_view(&self, ri: usize) -> ResultView {
        let r = &self.site.results[ri];
        let d = &self.site.documents[r.doc];
        let anchor = Self::result_anchor(r);
        let url = self.result_url(r);
        let (target, target_status) = match r.target {
            Some(t) => {
                let td = &self.site.documents[t.doc()];
                let tt = &td.targets[t.target()];
                let name = format!("{} — {}", td.title, short_text(&tt.text, 80));
                (Some(Link { name, url: self.target_url(td, &tt.id) }), Some(self.computed.get(t).status.as_str()))
            }
            None => (None, None),
        };
        ResultView {
            url,
            anchor,
            value_text: self.result_value_text(r),
            as_of: r.as_of,
            covers_text: self.covers_text(r),
            quote: r.quote.clone(),
            label: r.label.clone(),
            indicator: self.indicator_at(r.indicator()).map(|i| self.link_to_indicator(i)),
            verdict: r.verdict.map(|v| self.verdict_label(v)),
            has_figure: r.value.is_some() || r.share_of_target.is_some(),
            note: r.note.clone(),
            doc: self.doc_link(r.doc),
            doc_number: d.number.clone(),
            unit: self.unit_link(d.unit),
            target,
            target_status,
            page: r.page,
            original: self.original_at(d, r.page),
        }
    }

    /// A document's original file's address (the site's, shared by its editions).
    pub(crate) fn original_url(&self, d: &Document) -> Option<String> {
        // The file's name as written ("Nghị quyết 01.pdf"), percent-encoded in the address.
        d.original.as_deref().map(|o| {
            let path = crate::site::asset_path(o);
            let (folder, name) = path.rsplit_once('/').unwrap_or(("", &path));
            let name = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC).to_string();
            let name = name.replace("%2E", ".").replace("%2D", "-").replace("%5F", "_");
            self.shared_url(&["/", folder, if folder.is_empty() { "" } else { "/" }, &name].concat())
        })
    }

    /// The original opened at `page` (PDF viewers read `#page=N`; a DOCX has no pages
    /// to open, so it opens whole).
    pub(crate) fn original_at(&self, d: &Document, page: Option<u32>) -> Option<String> {
        let url = self.original_url(d)?;
        Some(match page {
            Some(p) if url.to_ascii_lowercase().ends_with(".pdf") => format!("{url}#page={p}"),
            _ => url,
        })
    }

    /// One measure with its status and latest result, as tables show it.
    pub(crate) fn measure_view(&self, r: MeasureRef) -> MeasureView {
        let d = &self.site.documents[r.doc()];
        let m = &d.targets[r.target()].measures[r.measure()];
        let e = self.computed.get(r);
        let deadline = match (m.per, m.deadline, d.term.map(|t| t.end)) {
            (Per::Year, _, _) => self.strings.get(Per::Year.label_key()),
            (_, Some(dl), _) => self.strings.fmt("measure.deadline", &[("deadline", dl.short())]),
            (_, None, Some(y)) => self.strings.fmt("measure.deadline_term_end", &[("deadline", y.to_string())]),
            _ => String::new(),
        };
        MeasureView {
            text: self.measure_text(m),
            label: m.label.as_deref().map(str::to_string),
            indicator: self.indicator_at(m.indicator()).map(|i| self.link_to_indicator(i)),
            variant: m.variant().map(str::to_string),
            baseline: m.baseline().map(str::to_string),
            deadline,
            per_year: m.per == Per::Year,
            status: e.status.as_str(),
            status_label: self.strings.get(e.status.label_key()),
            basis: self.strings.fmt(basis_key(e), &[("year", e.year.map(|y| y.to_string()).unwrap_or_default())]),
            year: e.year,
            compared_text: e.compared.map(|v| self.format_value(v, m.unit.as_deref())),
            expected_text: e.expected.map(|v| self.format_value(v, m.unit.as_deref())),
            result: e.result.map(|r| self.result_view(r)),
            results_count: m.results.len(),
        }
    }

    /// Enough of a target to name and link it from another page.
    pub(crate) fn target_ref(&self, di: usize, ti: usize) -> TargetRef {
        let d = &self.site.documents[di];
        let t = &d.targets[ti];
        TargetRef {
            id: t.id.to_string(),
            url: self.target_url(d, &t.id),
            text: t.text.to_string(),
            doc: self.doc_link(di),
        }
    }

    pub(crate) fn target_view(&self, di: usize, ti: usize) -> TargetView {
        let d = &self.site.documents[di];
        let t = &d.targets[ti];
        let anchor = Self::target_anchor(&t.id);
        let measures = (0..t.measures.len()).map(|mi| self.measure_view(MeasureRef::new(di, ti, mi))).collect();
        let mut citation = self.doc_citation(di);
        citation.push_str(" / ");
        citation.push_str(&t.id);
        TargetView {
            id: t.id.to_string(),
            number: display_number(&t.id),
            url: self.target_url(d, &t.id),
            anchor,
            kind: t.kind,
            kind_label: self.strings.get(t.kind.label_key()),
            text: t.text.to_string(),
            verbatim: t.verbatim,
            note: t.note.as_deref().map(str::to_string),
            field: self.target_field(d, t).and_then(|f| self.field_link(&f)),
            group: t.group.map(|g| d.groups[g].name.clone()),
            citation,
            stable_id: target_id(self.site, di, ti),
            measures,
            doc: self.doc_link(di),
            unit: self.unit_link(d.unit),
            page: t.page,
            original: t.page.and_then(|p| self.original_at(d, Some(p))),
        }
    }

    /// How a reader cites a document's targets, without the target's id: "Phường 14 /
    /// 2020–2025 / 01-NQ/ĐH".
    pub(crate) fn doc_citation(&self, di: usize) -> String {
        let d = &self.site.documents[di];
        let unit = &self.site.units[d.unit];
        let term = d.term.map(Term::label).unwrap_or_default();
        let mut citation = String::new();
        for part in [unit.name.as_str(), term.as_str(), d.number.as_deref().unwrap_or(&d.slug)] {
            if part.is_empty() {
                continue;
            }
            if !citation.is_empty() {
                citation.push_str(" / ");
            }
            citation.push_str(part);
        }
        citation
    }

    /// A document's targets in sections: its own groups, and for targets outside any
    /// group, one section per field; sections in the order the document lists them.
    pub(crate) fn document_groups(&self, di: usize) -> Vec<GroupView> {
        let d = &self.site.documents[di];
        // (first target index, section); a group with no target keeps its declared place.
        let mut sections: Vec<(usize, GroupView)> = d
            .groups
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                let first = d.targets.iter().position(|t| t.group == Some(gi)).unwrap_or(usize::MAX);
                (
                    first,
                    GroupView {
                        number: g
                            .id
                            .starts_with(|c: char| c.is_ascii_digit() || "IVXLivxl".contains(c))
                            .then(|| g.id.clone()),
                        id: Some(g.id.clone()),
                        name: g.name.clone(),
                        count: g.count,
                        count_label: None,
                        field: g.field.as_deref().and_then(|f| self.field_link(f)),
                        targets: vec![],
                    },
                )
            })
            .collect();
        let ngroups = sections.len();
        for (ti, t) in d.targets.iter().enumerate() {
            let view = self.target_view(di, ti);
            match t.group {
                Some(g) => sections[g].1.targets.push(view),
                None => {
                    let name =
                        view.field.as_ref().map(|f| f.name.clone()).unwrap_or_else(|| self.strings.get("targets"));
                    match sections[ngroups..].iter_mut().find(|(_, g)| g.name == name) {
                        Some((_, g)) => g.targets.push(view),
                        None => sections.push((
                            ti,
                            GroupView {
                                number: None,
                                id: None,
                                name,
                                count: None,
                                count_label: None,
                                field: view.field.clone(),
                                targets: vec![view],
                            },
                        )),
                    }
                }
            }
        }
        sections.retain(|(_, g)| !g.targets.is_empty() || g.count.is_some());
        sections.sort_by_key(|(first, _)| *first);
        for (_, g) in &mut sections {
            // The document's own count, in the word for what the group holds: its items'
            // kind when they are all of one ("02 chương trình"), else "chỉ tiêu".
            let kind = match g.targets.split_first() {
                Some((first, rest)) if rest.iter().all(|t| t.kind == first.kind) => first.kind,
                _ => TargetKind::Target,
            };
            g.count_label = g.count.map(|n| self.count_of(kind, n));
        }
        sections.into_iter().map(|(_, g)| g).collect()
    }

    /// "18 chỉ tiêu", "6 công trình": a number of items of one kind, in words.
    pub(crate) fn count_of(&self, kind: TargetKind, n: usize) -> String {
        self.strings.fmt(&["target_count.", kind.as_str()].concat(), &[("n", n.to_string())])
    }

    /// What a list of targets holds, by kind, in the order kinds are listed: "18 chỉ
    /// tiêu, 6 công trình".
    pub(crate) fn counts_by_kind(&self, kinds: impl Iterator<Item = TargetKind>) -> String {
        let mut n = vec![0usize; TargetKind::ALL.len()];
        for k in kinds {
            n[TargetKind::ALL.iter().position(|x| *x == k).unwrap()] += 1;
        }
        let parts: Vec<String> =
            TargetKind::ALL.iter().zip(n).filter(|(_, c)| *c > 0).map(|(k, c)| self.count_of(*k, c)).collect();
        parts.join(", ")
    }

    pub(crate) fn doc_evals(&self, di: usize) -> Vec<&'a Evaluation> {
        self.site.measures_in(di).map(|(r, _)| self.computed.get(r)).collect()
    }

    /// Statuses of all measures of a unit and its descendants.
    pub(crate) fn unit_evals(&self, u: usize, deep: bool) -> Vec<&'a Evaluation> {
        let mut v = Vec::new();
        for &d in &self.site.units[u].documents {
            v.extend(self.doc_evals(d));
        }
        if deep {
            for &c in &self.site.units[u].children {
                v.extend(self.unit_evals(c, true));
            }
        }
        v
    }

    /// Documents newest first (by issue date, then path): the order of every list of
    /// latest documents.
    pub(crate) fn newest_first(&self, docs: &mut [usize]) {
        let site = self.site;
        docs.sort_by(|a, b| {
            let (da, db) = (&site.documents[*a], &site.documents[*b]);
            db.date().start().cmp(&da.date().start()).then_with(|| da.path.cmp(&db.path))
        });
    }

    /// The unit and every unit below it.
    pub(crate) fn descendants(&self, u: usize) -> Vec<usize> {
        let mut out = vec![u];
        let mut i = 0;
        while i < out.len() {
            out.extend(&self.site.units[out[i]].children);
            i += 1;
        }
        out
    }

    pub(crate) fn unit_summary(&self, u: usize, depth: usize) -> UnitSummary {
        let unit = &self.site.units[u];
        UnitSummary {
            name: unit.name.clone(),
            url: self.url(&unit.url),
            level: unit.level.clone(),
            documents: self.descendants(u).iter().map(|&x| self.site.units[x].documents.len()).sum(),
            targets: self
                .descendants(u)
                .iter()
                .flat_map(|&x| &self.site.units[x].documents)
                .map(|&d| self.site.documents[d].targets.len())
                .sum(),
            children: if depth > 0 {
                unit.children.iter().map(|&c| self.unit_summary(c, depth - 1)).collect()
            } else {
                vec![]
            },
            counts: self.status_counts(self.unit_evals(u, true)),
        }
    }
}

/// What a target's anchor starts with ("chi-tieu-1.2").
pub(crate) const TARGET_ANCHOR: &str = "chi-tieu-";
/// What a result's anchor starts with ("ket-qua-3").
pub(crate) const RESULT_ANCHOR: &str = "ket-qua-";

/// A target id as a number to show: one that starts with a digit ("1.2.1", "3a"), a
/// Roman numeral ("IV", "ii.2") or a lone letter ("a", "b)"); none for an editor's
/// name of a target the document does not number ("ct-1", "cai-tang-mo").
pub(crate) fn display_number(id: &str) -> Option<String> {
    let numbered = id.starts_with(|c: char| c.is_ascii_digit())
        || id.chars().all(|c| "IVXLCivxlc.-0123456789".contains(c))
        || (id.chars().count() <= 2 && id.chars().next().is_some_and(char::is_alphabetic) && !id.contains('-'));
    numbered.then(|| id.to_string())
}

/// The start of a long text, cut at a word, for link labels.
pub(crate) fn short_text(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    // "khu phố 5,…" reads as a slip: the ellipsis replaces the punctuation.
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

fn pad2(strings: &Strings, v: f64) -> String {
    // "08/08" as documents write small counts.
    if v.fract() == 0.0 && (0.0..10.0).contains(&v) { format!("{:02}", v as i64) } else { strings.number(v, 2) }
}

fn basis_key(e: &Evaluation) -> &'static str {
    use crate::compute::status::Basis;
    match e.basis {
        Basis::Final if e.year.is_some() => "basis.final-year",
        b => b.label_key(),
    }
}

#[derive(Serialize, Clone)]
pub(crate) struct IndicatorSummary {
    pub link: Link,
    pub key: String,
    pub field: Option<Link>,
    pub units: usize,
    pub measures: usize,
    pub results: usize,
    pub counts: Vec<StatusCount>,
}

pub(crate) fn indicator_summary(v: &Views, ci: usize) -> IndicatorSummary {
    let c = &v.computed.comparisons[ci];
    let ind = &v.indicators[c.indicator];
    let evals: Vec<_> = c.classes.iter().flat_map(|k| &k.entries).map(|e| v.computed.get(e.measure)).collect();
    IndicatorSummary {
        link: v.link_to_indicator(ind),
        key: ind.key.clone(),
        field: ind.field.as_deref().and_then(|f| v.field_link(f)),
        units: c.units.len(),
        measures: evals.len(),
        results: c.unlinked_results.len()
            + c.classes.iter().flat_map(|k| &k.entries).map(|e| v.site.measure(e.measure).results.len()).sum::<usize>(),
        counts: v.status_counts(evals),
    }
}

/// The units above `unit`, nearest first: "Quận Gò Vấp, Thành phố Hồ Chí Minh".
pub(crate) fn places_above(site: &Site, unit: usize) -> String {
    let mut chain = site.ancestry(unit);
    chain.pop();
    chain.iter().rev().map(|&u| site.units[u].name.as_str()).collect::<Vec<_>>().join(", ")
}

/// The stable ID of a measure: unit path / term / document / target [#measure].
/// It survives rebuilds because it is made only of what the author wrote.
pub(crate) fn measure_id(site: &Site, r: MeasureRef) -> String {
    let mut id = target_id(site, r.doc(), r.target());
    if site.documents[r.doc()].targets[r.target()].measures.len() > 1 {
        let _ = write!(id, "#{}", r.measure() + 1);
    }
    id
}

pub(crate) fn target_id(site: &Site, doc: usize, target: usize) -> String {
    let id = &site.documents[doc].targets[target].id;
    let mut s = doc_stable_id(site, doc, id.len() + 1);
    s.push('/');
    s.push_str(id);
    s
}

/// The start of every stable ID of a document's targets: unit path / term / document;
/// `extra` is room for what the caller appends.
pub(crate) fn doc_stable_id(site: &Site, doc: usize, extra: usize) -> String {
    let d = &site.documents[doc];
    let u = &site.units[d.unit];
    // Built in place: every row of the data files carries one.
    let mut s = String::with_capacity(u.path.len() + d.slug.len() + 12 + extra);
    s.push_str(&u.path);
    s.push('/');
    match d.term {
        Some(t) => s.push_str(&t.key()),
        None => s.push('-'),
    }
    s.push('/');
    s.push_str(&d.slug);
    s
}
