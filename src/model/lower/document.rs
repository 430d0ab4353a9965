//! A document's front matter given meaning: kind, dates, term, groups, and targets with
//! their measures, with the checks a careful reader would make (unique ids, heading
//! counts that match the list, known keys, deadlines inside the term).

use super::values::{date_of, id_text, link, name_of, name_or_words, nfc, num, parse_term, scale_twice, whole_count};
use super::vocabulary::{Vocab, unknown_key};
use crate::diagnostics::{Diagnostics, Kind, closest};
use crate::load::SourceFile;
use crate::load::schema::{Loc, RawDocument, RawMeasure, RawResult, RawTarget, Spanned};
use crate::model::*;
use std::collections::BTreeMap;

/// `unknown` (or the Vietnamese "chưa rõ", "không rõ"), for a date the sources do not give.
fn is_unknown(written: &str) -> bool {
    matches!(crate::vi::slug::fold(written.trim()).as_str(), "unknown" | "chua ro" | "khong ro")
}

/// A document without `issued`: an error, or for a draft a warning that says what to
/// write before publishing. Pointed at the `# issued:` placeholder `minhbach new doc`
/// writes, if it is there, else at the first field.
fn no_issued_date(file: &SourceFile, draft: bool) -> crate::diagnostics::Diagnostic {
    let yaml = file.text.lines().enumerate().skip(file.yaml_line - 1).take_while(|(_, l)| l.trim_end() != "---");
    let fields: Vec<(usize, &str)> = yaml.filter(|(_, l)| !l.trim().is_empty()).collect();
    let placeholder = fields
        .iter()
        .find(|(_, l)| l.strip_prefix('#').is_some_and(|r| r.trim_start().starts_with("issued:")))
        .map(|(n, _)| n + 1);
    let first = fields.iter().find(|(_, l)| !l.trim_start().starts_with('#')).map_or(file.yaml_line, |(n, _)| n + 1);
    let hint = match placeholder {
        Some(_) => {
            "delete the `# ` before `issued:` and write the date printed on the document, the day it was signed, not today (2020-05-22 or 22/5/2020)"
        }
        None => {
            "add `issued:` with the date printed on the document, the day it was signed, not today (2020-05-22 or 22/5/2020)"
        }
    };
    let d = if draft {
        crate::diagnostics::Diagnostic::new(
            &file.display,
            "this draft has no `issued` date yet; it cannot be published without one",
        )
        .warning()
    } else {
        crate::diagnostics::Diagnostic::new(&file.display, "missing field `issued` in the front matter")
    }
    .hint(hint);
    match placeholder {
        // Underlined from `issued`: the word to keep when the `# ` is deleted.
        Some(line) => {
            let col = file.text.lines().nth(line - 1).and_then(|l| l.find("issued")).map_or(1, |b| b + 1);
            d.kind(Kind::Field).at(&file.text, line, col)
        }
        None => {
            let mut d = d.kind(Kind::Field).at(&file.text, first, 1);
            // The front matter as a whole lacks it: no field of it to underline.
            d.width = 1;
            d
        }
    }
}

/// An op that came out empty because it was written `op: >` or `op: |` unquoted (YAML
/// reads that as the start of a long text, here an empty one, located on the next
/// line): said at the `op:` line, between the measure's start and that location.
fn empty_op(file: &SourceFile, measure: &Loc, op: &Loc) -> Option<crate::diagnostics::Diagnostic> {
    let ((first, _), (last, _)) = (file.file_pos(measure), file.file_pos(op));
    let lines: Vec<&str> = file.text.lines().collect();
    (first..=last).rev().find_map(|n| {
        let ("op", col, value) = crate::load::unquoted_block_start(lines.get(n.checked_sub(1)?)?)? else {
            return None;
        };
        let (message, hint) = names::unquoted_op(&value);
        Some(
            crate::diagnostics::Diagnostic::new(&file.display, message)
                .kind(Kind::Value)
                .at(&file.text, n, col)
                .hint(hint),
        )
    })
}

pub(crate) fn document_from_raw(
    site: &Vocab,
    file: &SourceFile,
    raw: RawDocument,
    body: Body,
    unit: usize,
    diags: &mut Diagnostics,
) -> (Document, Vec<Spanned<RawResult>>) {
    let kind = name_or_words(file, &raw.kind, "document kind", DocKind::from_words, diags).unwrap_or(DocKind::Other);
    // `issued: unknown`: a document known only from another one's mention of it. The
    // page says the date is unknown rather than showing a guess.
    let issued = match &raw.issued {
        Some(at) if is_unknown(&at.value.as_text()) => None,
        Some(at) => date_of(file, at, diags),
        None => {
            diags.push(no_issued_date(file, raw.draft == Some(true)));
            None
        }
    };
    let term = raw.term.as_ref().and_then(|t| parse_term(file, t, diags));

    // Groups.
    let mut groups = Vec::new();
    let mut group_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut group_locs = Vec::new();
    // A repeated group id, or a target in an unknown group, leaves no way to know which
    // group a target was meant for: the heading counts are then not compared (they
    // would only repeat that one problem).
    let mut counts_comparable = true;
    for g in raw.groups {
        let id = id_text(file, &g.id, diags);
        if group_ids.contains_key(&id) {
            diags.push(
                file.diag(&g.id.referenced, format!("the group id `{id}` is used twice"))
                    .hint("give each group its own id, e.g. its heading number `1.2`"),
            );
            counts_comparable = false;
        }
        if let Some(f) = &g.field
            && !site.field_by_key.contains_key(&f.value)
        {
            diags.push(unknown_key(file, f, "field", site.field_by_key.keys()));
        }
        let count = g.count.as_ref().and_then(|c| whole_count(file, c, diags));
        group_ids.insert(id.clone(), groups.len());
        group_locs.push(g.count.as_ref().map(|c| c.referenced).unwrap_or(g.id.referenced));
        groups.push(Group { id, name: g.name, count, field: g.field.map(|f| f.value) });
    }

    // Targets.
    let mut targets = Vec::with_capacity(raw.targets.len());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for t in raw.targets {
        let (first_line, _) = file.file_pos(&t.referenced);
        let names_group = t.value.group.is_some();
        let target = target_from_raw(site, file, t.value, &group_ids, term, diags);
        if let Some(target) = target {
            if names_group && target.0.group.is_none() {
                counts_comparable = false;
            }
            if let Some(prev_line) = seen.insert(target.0.id.to_string(), first_line) {
                diags.push(
                    file.diag(
                        &target.1,
                        format!(
                            "the target id `{}` is used twice in this document (first on line {prev_line})",
                            target.0.id
                        ),
                    )
                    .hint("ids must be unique in a document: they make the target's address and citation"),
                );
            }
            targets.push(target.0);
        }
    }
    // The heading count is a checksum of the list under it.
    for (gi, g) in groups.iter().enumerate().filter(|_| counts_comparable) {
        if let Some(count) = g.count {
            let n = targets.iter().filter(|t| t.group == Some(gi)).count();
            if n != count {
                diags.push(
                    file.diag(
                        &group_locs[gi],
                        format!("the group `{}` announces {count} targets but {n} are listed under it", g.id),
                    )
                    .hint("the heading's count is a checksum: add the missing targets or check their `group:`"),
                );
            }
        }
    }

    let posted = raw.posted.as_ref().and_then(|p| date_of(file, p, diags));
    if let (Some(p), Some(at), Some(issued)) = (posted, &raw.posted, issued)
        && p.end() < issued.start()
    {
        // A typo in one of the two dates; the page only shows the posting date.
        diags.push(
            file.diag(
                &at.referenced,
                format!("posted {} is before the document was issued ({})", p.short(), issued.short()),
            )
            .kind(Kind::Value)
            .warning()
            .hint("check both dates: a document is posted online on or after the day it is issued (leave `posted` out when it is the same day)"),
        );
    }
    let doc = Document {
        unit,
        path: String::new(),
        url: String::new(),
        slug: String::new(),
        title: nfc(&raw.title.value),
        kind,
        number: raw.number.as_ref().map(|n| id_text(file, n, diags)),
        issued,
        place: raw.place,
        issuer: raw.issuer,
        signer: raw.signer,
        signer_role: raw.signer_role,
        term,
        congress: raw.congress.as_ref().map(|c| id_text(file, c, diags)),
        event: raw.event,
        covers: raw.covers,
        posted,
        source: raw.source,
        source_url: raw.source_url.as_ref().and_then(|w| link(file, w, "source_url", diags)),
        original: raw.original.as_ref().and_then(|o| super::values::original(file, o, diags)),
        recipients: raw.recipients.unwrap_or_default(),
        summary: raw.summary,
        groups,
        targets,
        results: vec![],
        body,
        file: file.display.clone(),
    };
    (doc, raw.results)
}

fn target_from_raw(
    site: &Vocab,
    file: &SourceFile,
    t: RawTarget,
    group_ids: &BTreeMap<String, usize>,
    term: Option<Term>,
    diags: &mut Diagnostics,
) -> Option<(Target, crate::load::schema::Loc)> {
    let id = id_text(file, &t.id, diags);
    let id_loc = t.id.referenced;
    // `.` and `..` (any id of dots, dashes and underscores only) would be a path step
    // in the target's address, not a name.
    if !id.chars().any(|c| c.is_ascii_alphanumeric())
        || !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        diags.push(file.diag(&id_loc, format!("`{id}` cannot be a target id")).hint("use ASCII letters, digits, `.`, `-` and `_`, e.g. `1.2.3` or `ct-1`: the id goes into the target's address"));
    }
    let group = t.group.as_ref().and_then(|g| {
        let gid = id_text(file, g, diags);
        match group_ids.get(&gid) {
            Some(&i) => Some(i),
            None => {
                let hint = match closest(&gid, group_ids.keys().map(|k| k.as_str())) {
                    Some(c) => format!("did you mean `{c}`? Groups are declared under `groups:`"),
                    None => "declare the group under `groups:` at the top of the front matter".into(),
                };
                diags.push(file.diag(&g.referenced, format!("unknown group `{gid}`")).hint(hint));
                None
            }
        }
    });
    if let Some(f) = &t.field
        && !site.field_by_key.contains_key(&f.value)
    {
        diags.push(unknown_key(file, f, "field", site.field_by_key.keys()));
    }
    let kind = t.kind.as_ref().and_then(|k| name_of(file, k, "target type", diags)).unwrap_or(TargetKind::Target);
    if let Some(i) = &t.indicator
        && !site.indicator_by_key.contains_key(&i.value)
    {
        diags.push(site.unknown_indicator(file, i));
    }
    if t.text.trim().is_empty() {
        diags.push(
            file.diag(&id_loc, format!("target `{id}` has no text"))
                .hint("copy the target's sentence from the document into `text:`"),
        );
    }
    let default_indicator = t.indicator.as_ref().and_then(|i| site.indicator_id(&i.value));
    // A fresh vector, not `into_iter().collect()`: that would reuse the raw measures'
    // buffer in place, and keep 4 raw-sized slots (KBs) alive for every target.
    let mut measures: Vec<Measure> = Vec::with_capacity(t.measures.len().max(1));
    for m in t.measures {
        measures.push(measure_from_raw(site, file, m, default_indicator, term, diags));
    }
    if measures.is_empty() {
        measures.push(Measure { indicator_id: default_indicator, ..Measure::new(Op::Qualitative, None) });
    }
    let field = t.field.map(|f| f.value);
    Some((
        Target {
            id: id.into(),
            group,
            field: field.map(Into::into),
            kind,
            text: nfc(t.text.trim()).into(),
            verbatim: t.verbatim.unwrap_or(true),
            note: t.note.map(Into::into),
            measures,
            page: t.page.as_ref().and_then(|p| super::values::page_of(file, p, diags)),
        },
        id_loc,
    ))
}

fn measure_from_raw(
    site: &Vocab,
    file: &SourceFile,
    m: Spanned<RawMeasure>,
    default_indicator: Option<u32>,
    term: Option<Term>,
    diags: &mut Diagnostics,
) -> Measure {
    let loc = m.referenced;
    let m = m.value;
    if let Some(i) = &m.indicator
        && i.value != "none"
        && !site.indicator_by_key.contains_key(&i.value)
    {
        diags.push(site.unknown_indicator(file, i));
    }
    let mut op_unknown = false;
    let op = match &m.op {
        None => Op::Qualitative,
        Some(o) => o.value.trim().parse().unwrap_or_else(|_| {
            diags.push(match empty_op(file, &loc, &o.referenced) {
                Some(d) => d,
                None => file
                    .diag(&o.referenced, format!("unknown op `{}`", o.value.trim()))
                    .hint(names::op_hint(o.value.trim())),
            });
            op_unknown = true;
            Op::Qualitative
        }),
    };
    let value = m.value.as_ref().and_then(|v| num(file, v, diags));
    scale_twice(file, m.value.as_ref(), m.unit.as_deref(), diags);
    let min = m.min.as_ref().and_then(|v| num(file, v, diags));
    let max = m.max.as_ref().and_then(|v| num(file, v, diags));
    match op {
        Op::Range => {
            if m.min.is_none() || m.max.is_none() {
                diags.push(
                    file.diag(&loc, "a `range` needs `min:` and `max:`")
                        .hint("e.g. `op: range`, `min: 10`, `max: 12` for \"từ 10-12\""),
                );
            } else if let (Some(a), Some(b), Some(at)) = (min, max, m.min.as_ref())
                && a > b
            {
                diags.push(file.diag(&at.referenced, "`min` is larger than `max`").hint("swap the two numbers"));
            }
        }
        // An unknown op is its own problem: what the measure needs follows from the op.
        Op::Qualitative if op_unknown => {}
        Op::Qualitative => {
            if let Some(v) = &m.value {
                diags.push(
                    file.diag(&v.referenced, "a measure with a `value` needs an `op`")
                        .hint("add `op: \">=\"` (or `<`, `>`, `=` …) saying how the value is compared"),
                );
            }
            if m.label.is_none() && m.indicator.is_none() && default_indicator.is_none() {
                diags.push(
                    file.diag(&loc, "a measure without a number needs a `label` or an `indicator`")
                        .hint("say what is to be kept or done, e.g. `label: Giữ vững Trạm Y tế đạt chuẩn`"),
                );
            }
        }
        _ => {
            if m.value.is_none() {
                diags.push(
                    file.diag(&loc, "this measure has an `op` but no `value`")
                        .hint("add `value:` with the number from the text"),
                );
            }
        }
    }
    let per =
        m.per.as_ref().and_then(|p| name_or_words(file, p, "period", Per::from_words, diags)).unwrap_or(Per::Term);
    let relation = m.relation.as_ref().and_then(|r| name_of::<Relation>(file, r, "relation", diags));
    let deadline = m.deadline.as_ref().and_then(|d| date_of(file, d, diags));
    if let (Some(d), Some(t)) = (deadline, term)
        && d.year < t.start
    {
        diags.push(
            file.diag(
                &m.deadline.as_ref().unwrap().referenced,
                format!("the deadline {} is before the term {} starts", d.short(), t.key()),
            )
            .hint("check the year"),
        );
    }
    let mut measure = Measure {
        // `indicator: none` says the measure is not the target's indicator (e.g. "điểm rác
        // tồn đọng" inside a target on littering); otherwise it inherits the target's.
        indicator_id: match m.indicator.map(|i| i.value) {
            Some(k) if k == "none" => None,
            Some(k) => site.indicator_id(&k),
            None => default_indicator,
        },
        label: m.label.map(Into::into),
        unit: m.unit.map(Into::into),
        per,
        deadline,
        relation,
        ..Measure::new(op, value)
    };
    measure.set_extra(MeasureExtra {
        min,
        max,
        baseline: m.baseline.map(Into::into),
        baseline_value: m.baseline_value.as_ref().and_then(|v| num(file, v, diags)),
        baseline_date: m.baseline_date.as_ref().and_then(|d| date_of(file, d, diags)),
        variant: m.variant.map(Into::into),
    });
    measure
}

#[cfg(test)]
mod tests {
    use crate::load::fixture::{HEAD, located, lowered, problem};
    use crate::model::{DocKind, Op, Per, TargetKind, Term};

    #[test]
    fn a_resolution_becomes_groups_targets_and_measures() {
        let l = lowered(
            "title: Nghị quyết Đại hội Đảng bộ Phường 1\nkind: resolution\nissued: 2020-07-15\nterm: 2020-2025\n\
             groups:\n  - id: \"1\"\n    name: Kinh tế\n    count: 2\n    field: kinh-te\n\
             targets:\n\
             \x20 - id: \"1.1\"\n    group: \"1\"\n    text: Thu ngân sách hằng năm vượt 10% dự toán.\n    indicator: thu-ngan-sach\n\
             \x20   measures:\n      - op: \">\"\n        value: \"10\"\n        unit: \"%\"\n        per: year\n\
             \x20 - id: \"1.2\"\n    group: \"1\"\n    type: work\n    text: Hoàn thành chợ phường.\n\
             \x20   measures:\n      - op: range\n        min: \"1,5\"\n        max: 2\n        deadline: 2023\n        indicator: none\n",
        );
        assert!(l.diags.is_empty(), "{:#?}", l.diags);
        let d = &l.doc;
        assert_eq!(
            (d.title.as_str(), d.kind, d.term),
            ("Nghị quyết Đại hội Đảng bộ Phường 1", DocKind::Resolution, Some(Term { start: 2020, end: 2025 }))
        );
        assert_eq!(
            (d.groups.len(), d.groups[0].id.as_str(), d.groups[0].count, d.groups[0].field.as_deref()),
            (1, "1", Some(2), Some("kinh-te"))
        );
        assert_eq!(
            d.targets.iter().map(|t| (&*t.id, t.group, t.kind)).collect::<Vec<_>>(),
            [("1.1", Some(0), TargetKind::Target), ("1.2", Some(0), TargetKind::Work)]
        );
        let m = &d.targets[0].measures[0];
        // The measure has no indicator of its own: it reports on its target's.
        assert_eq!(
            (m.op, m.value, m.unit.as_deref(), m.per, m.indicator_id),
            (Op::Gt, Some(10.0), Some("%"), Per::Year, Some(0))
        );
        let r = &d.targets[1].measures[0];
        assert_eq!(
            (r.op, r.min(), r.max(), r.deadline.map(|d| d.year), r.indicator_id),
            (Op::Range, Some(1.5), Some(2.0), Some(2023), None)
        );
    }

    #[test]
    fn a_target_without_measures_gets_one_qualitative_measure() {
        let l = lowered(&format!(
            "{HEAD}targets:\n  - id: a\n    text: Giữ vững an ninh trật tự.\n    indicator: ho-ngheo\n"
        ));
        assert!(l.diags.is_empty(), "{:#?}", l.diags);
        let ms = &l.doc.targets[0].measures;
        assert_eq!((ms.len(), ms[0].op, ms[0].indicator_id), (1, Op::Qualitative, Some(1)));
    }

    #[test]
    fn an_unknown_kind_is_named_with_the_closest_one() {
        let l = lowered("title: A\nkind: resolutoin\nissued: 2020\n");
        let d = problem(&l.diags, "unknown document kind");
        assert_eq!(located(d), ("content/u/d.md".into(), 3, 7, "unknown document kind `resolutoin`"));
        assert!(d.hint.as_deref().unwrap().starts_with("did you mean `resolution`?"), "{d:?}");
        assert_eq!(l.doc.kind, DocKind::Other);
    }

    #[test]
    fn a_target_id_used_twice_points_at_the_second_and_names_the_first() {
        let l = lowered(&format!("{HEAD}targets:\n  - id: a\n    text: Một\n  - id: a\n    text: Hai\n"));
        let d = problem(&l.diags, "is used twice");
        assert_eq!(
            located(d),
            ("content/u/d.md".into(), 8, 9, "the target id `a` is used twice in this document (first on line 6)")
        );
    }

    #[test]
    fn a_heading_count_is_checked_against_the_targets_under_it() {
        let l = lowered(&format!(
            "{HEAD}groups:\n  - id: \"1\"\n    name: Kinh tế\n    count: 3\ntargets:\n  - id: a\n    group: \"1\"\n    text: Một\n"
        ));
        let d = problem(&l.diags, "announces");
        assert_eq!(
            located(d),
            ("content/u/d.md".into(), 8, 12, "the group `1` announces 3 targets but 1 are listed under it")
        );
        // A target in an unknown group leaves no way to count: that one problem is said.
        let l = lowered(&format!(
            "{HEAD}groups:\n  - id: \"1\"\n    name: Kinh tế\n    count: 1\ntargets:\n  - id: a\n    group: \"2\"\n    text: Một\n"
        ));
        assert_eq!(l.diags.len(), 1, "{:#?}", l.diags);
        assert_eq!(located(&l.diags.0[0]), ("content/u/d.md".into(), 11, 12, "unknown group `2`"));
    }

    #[test]
    fn keys_are_checked_against_the_vocabulary() {
        let l = lowered(&format!(
            "{HEAD}targets:\n  - id: a\n    text: Một\n    field: kinh-tee\n    indicator: thu-ngan-sac\n"
        ));
        let d = problem(&l.diags, "unknown indicator");
        assert_eq!(located(d), ("content/u/d.md".into(), 9, 16, "unknown indicator `thu-ngan-sac`"));
        assert!(d.hint.as_deref().unwrap().starts_with("did you mean `thu-ngan-sach`?"), "{d:?}");
        let d = problem(&l.diags, "unknown field key");
        assert_eq!((d.line, d.column), (8, 12));
    }

    #[test]
    fn a_measure_says_what_its_op_needs() {
        let l = lowered(&format!(
            "{HEAD}term: 2020-2025\ntargets:\n  - id: a\n    text: Một\n    measures:\n      - op: range\n        min: 5\n        max: 3\n      - op: \">=\"\n      - value: 4\n      - op: \"=>\"\n        value: 1\n      - op: \">\"\n        value: 1\n        deadline: 2019\n"
        ));
        let msgs: Vec<(usize, &str)> = l.diags.0.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            msgs,
            [
                (11, "`min` is larger than `max`"),
                (13, "this measure has an `op` but no `value`"),
                (14, "a measure with a `value` needs an `op`"),
                (14, "a measure without a number needs a `label` or an `indicator`"),
                (15, "unknown op `=>`"),
                (19, "the deadline 2019 is before the term 2020-2025 starts"),
            ]
        );
    }
}
