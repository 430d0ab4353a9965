//! A result given meaning on its own while its file is read: its numbers, date, verdict,
//! quote and keys. Which measure it reports on needs every document, and is found by
//! `model::link`.

use super::values::{date_of, id_text, name_of, nfc, num, scale_twice};
use super::vocabulary::Vocab;
use crate::diagnostics::Diagnostics;
use crate::load::SourceFile;
use crate::load::schema::{RawResult, Scalar, Spanned};
use crate::model::{Op, ResultRecord, Verdict};
use crate::vi::number;

/// A result checked on its own (numbers, dates, verdict, quote, keys) while its file is
/// read; the link to its target needs every document and is made by `link_result`.
#[derive(Debug, Clone)]
pub struct PendingResult {
    /// With no target yet, and only an indicator written on the result itself.
    pub record: ResultRecord,
    pub target: Option<Spanned<Scalar>>,
    /// `measure:` as written (1-based) and where.
    pub measure: Option<(f64, crate::load::schema::Loc)>,
    /// Where `unit:` is written, to point at it when it is not the measure's.
    pub unit_at: Option<crate::load::schema::Loc>,
}

pub(crate) fn lower_result(
    site: &Vocab,
    file: &SourceFile,
    number: usize,
    r: &Spanned<RawResult>,
    diags: &mut Diagnostics,
) -> Option<PendingResult> {
    let loc = r.referenced;
    let r = &r.value;
    let before = diags.len();
    if let Some(t) = &r.target {
        id_text(file, t, diags);
    }
    let measure = match &r.measure {
        None => None,
        Some(m) => Some((num(file, m, diags)?, m.referenced)),
    };
    if let Some(i) = &r.indicator
        && !site.indicator_by_key.contains_key(&i.value)
    {
        diags.push(site.unknown_indicator(file, i));
    }
    let verdict = r.verdict.as_ref().and_then(|v| name_of::<Verdict>(file, v, "verdict", diags));
    if r.value.is_none() && r.share_of_target.is_none() && r.verdict.is_none() {
        diags.push(
            file.diag(&loc, "this result has no figure")
                .hint("give `value:` (and `of:` for a fraction), `share_of_target:` or `verdict:`"),
        );
    }
    if r.target.is_none() && r.indicator.is_none() && r.label.is_none() {
        diags.push(
            file.diag(&loc, "this result says nothing about what was measured")
                .hint("link it with `target:`, or give `indicator:` and `label:`"),
        );
    }
    if r.quote.trim().is_empty() {
        diags.push(
            file.diag(&loc, "this result has an empty `quote`")
                .hint("copy the sentence the figure comes from, so readers can check it"),
        );
    }
    let value = r.value.as_ref().and_then(|v| num(file, v, diags));
    scale_twice(file, r.value.as_ref(), r.unit.as_ref().map(|u| u.value.as_str()), diags);
    let of = r.of.as_ref().and_then(|v| num(file, v, diags));
    if let Some(o) = of
        && o <= 0.0
    {
        diags.push(
            file.diag(
                &r.of.as_ref().unwrap().referenced,
                if o == 0.0 {
                    "`of` is zero: it must be a positive number".to_string()
                } else {
                    format!("`of` must be a positive number, not {}", number::format_auto(o))
                },
            )
            .hint("`of` is the denominator of a fraction like 08/08: how many there are in all"),
        );
    }
    if let (Some(o), None) = (&r.of, &r.value) {
        diags.push(
            file.diag(&o.referenced, "`of` needs a `value`: it is the denominator of the fraction value/of")
                .hint("write the numerator as `value:`, e.g. `value: 8` and `of: 8` for \"08/08\", or remove `of`"),
        );
    }
    let share_of_target = r.share_of_target.as_ref().and_then(|v| num(file, v, diags));
    if let Some(sh) = share_of_target
        && sh < 0.0
    {
        diags.push(
            file.diag(&r.share_of_target.as_ref().unwrap().referenced, "`share_of_target` cannot be negative")
                .hint("it is the share of the target reached, in percent: \"đạt 60% so với Nghị quyết\" is `share_of_target: 60`"),
        );
    }
    let as_of = date_of(file, &r.as_of, diags);
    let bound = r.op.as_ref().and_then(|o| result_bound(file, o, r.value.is_some(), diags));
    let covers = r.covers.as_ref().and_then(|c| date_of(file, c, diags));
    if let (Some(c), Some(a), Some(at)) = (covers, as_of, &r.covers)
        && c.start() > a.end()
    {
        diags.push(
            file.diag(&at.referenced, format!("the result covers {} but is reported on {}", c.short(), a.short()))
                .hint("`covers` is the period the figure is for, which has begun by the report's date (`as_of`); check the two dates"),
        );
    }
    if let Some(w) = &r.written
        && !squeeze(&r.quote).contains(&squeeze(&w.value))
    {
        diags.push(
            file.diag(&w.referenced, format!("`written` is \"{}\", which the quote does not contain", w.value.trim()))
                .hint("`written` is the figure exactly as the quoted sentence prints it (\"37,8%\"); copy it from `quote`"),
        );
    }
    if diags.len() > before {
        return None;
    }
    Some(PendingResult {
        record: ResultRecord {
            doc: usize::MAX,
            number,
            target: None,
            indicator_id: r.indicator.as_ref().and_then(|i| site.indicator_id(&i.value)),
            label: r.label.clone(),
            bound,
            value,
            of,
            unit: r.unit.as_ref().map(|u| u.value.clone()),
            written: r.written.as_ref().map(|w| nfc(w.value.trim())),
            share_of_target,
            verdict,
            as_of: as_of?,
            covers,
            is_final: r.is_final.unwrap_or(false),
            quote: nfc(r.quote.trim()),
            note: r.note.clone(),
            page: r.page.as_ref().and_then(|p| super::values::page_of(file, p, diags)),
        },
        target: r.target.clone(),
        measure,
        unit_at: r.unit.as_ref().map(|u| u.referenced),
    })
}

/// A result's `op`: the figure is a bound (`<`, `<=`, `>=`, `>`), or with `=` exactly
/// the figure (`None`). A range or no number is not a result's.
fn result_bound(file: &SourceFile, o: &Spanned<String>, has_value: bool, diags: &mut Diagnostics) -> Option<Op> {
    let written = o.value.trim();
    let op = match written.parse::<Op>() {
        Ok(op) => op,
        Err(_) => {
            diags.push(
                file.diag(&o.referenced, format!("unknown op `{written}` on a result"))
                    .hint("a result's `op` says its figure is a bound: `>` for \"trên 98%\", `>=` for \"từ 98% trở lên\", `<` for \"dưới 1%\", `<=` for \"không quá 1%\""),
            );
            return None;
        }
    };
    match op {
        Op::Lt | Op::Le | Op::Ge | Op::Gt if !has_value => {
            diags.push(
                file.diag(&o.referenced, "a result's `op` needs a `value`: it is the bound's number")
                    .hint("write the number as `value:`, e.g. `op: \">\"` and `value: 98` for \"trên 98%\""),
            );
            None
        }
        Op::Lt | Op::Le | Op::Ge | Op::Gt => Some(op),
        Op::Eq => None,
        Op::Range | Op::Qualitative => {
            diags.push(
                file.diag(&o.referenced, format!("a result cannot have `op: {written}`")).hint(
                    "a result's `op` is `<`, `<=`, `>=` or `>` (a bound), or leave it out for a figure as stated",
                ),
            );
            None
        }
    }
}

/// Text with its runs of white space made one space, to compare a figure with the
/// sentence it comes from as the page shows them.
fn squeeze(s: &str) -> String {
    nfc(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use crate::load::fixture::{HEAD, located, lowered, problem};
    use crate::model::Verdict;

    #[test]
    fn a_result_is_checked_on_its_own_and_waits_for_its_link() {
        let l = lowered(&format!(
            "{HEAD}results:\n  - target: \"u/nq#1.1\"\n    measure: 2\n    value: \"37,8\"\n    of: 283\n    unit: \"%\"\n    verdict: not-met\n    as_of: 15/5/2020\n    final: true\n    quote: \"  Đạt 107/283 ngôi mộ.  \"\n  - indicator: ho-ngheo\n    label: Hộ nghèo\n    share_of_target: 60\n    as_of: 2021\n    quote: Đạt 60%.\n"
        ));
        assert!(l.diags.is_empty(), "{:#?}", l.diags);
        let [a, b] = &l.results[..] else { panic!("{:#?}", l.results) };
        let r = &a.record;
        assert_eq!(
            (r.number, r.value, r.of, r.unit.as_deref(), r.verdict, r.is_final, r.quote.as_str()),
            (1, Some(37.8), Some(283.0), Some("%"), Some(Verdict::NotMet), true, "Đạt 107/283 ngôi mộ.")
        );
        assert_eq!((r.as_of.year, r.as_of.month, r.as_of.day), (2020, 5, 15));
        // Not linked yet: the target is kept as written, with where it is written.
        assert_eq!((r.target, a.target.as_ref().map(|t| t.value.as_text())), (None, Some("u/nq#1.1".into())));
        assert_eq!(a.measure.map(|(n, at)| (n, l.file.file_pos(&at))), Some((2.0, (7, 14))));
        assert_eq!((b.record.number, b.record.indicator_id, b.record.share_of_target), (2, Some(1), Some(60.0)));
    }

    #[test]
    fn a_result_that_says_nothing_checkable_is_refused() {
        let l = lowered(&format!("{HEAD}results:\n  - as_of: 2021\n    quote: \" \"\n"));
        assert!(l.results.is_empty());
        let msgs: Vec<_> = l.diags.0.iter().map(located).collect();
        let at = |m| ("content/u/d.md".to_string(), 6, 5, m);
        assert_eq!(
            msgs,
            [
                at("this result has no figure"),
                at("this result says nothing about what was measured"),
                at("this result has an empty `quote`")
            ]
        );
    }

    #[test]
    fn bad_values_of_a_result_are_located() {
        let l = lowered(&format!(
            "{HEAD}results:\n  - label: A\n    value: 3\n    of: 0\n    verdict: done-ish\n    share_of_target: -5\n    as_of: 2021\n    quote: Q\n"
        ));
        assert!(l.results.is_empty());
        let d = problem(&l.diags, "`of` is zero");
        assert_eq!((d.line, d.column), (8, 9));
        let d = problem(&l.diags, "unknown verdict `done-ish`");
        assert_eq!((d.line, d.column), (9, 14));
        assert!(d.hint.as_deref().unwrap().contains("not-met"), "{d:?}");
        let d = problem(&l.diags, "`share_of_target` cannot be negative");
        assert_eq!((d.line, d.column), (10, 22));
        let l = lowered(&format!(
            "{HEAD}results:\n  - label: A\n    of: 8\n    as_of: 2021\n    quote: Q\n    verdict: met\n"
        ));
        assert_eq!(located(problem(&l.diags, "needs a `value`")).1, 7);
    }

    #[test]
    fn a_result_says_what_the_document_says() {
        // A bound, the period a figure is for, and the figure as the document writes it.
        let l = lowered(&format!(
            "{HEAD}results:\n  - label: A\n    op: \">\"\n    value: 98\n    unit: \"%\"\n    as_of: 2023-05-18\n    covers: 2022\n    quote: Đều đạt trên 98%.\n  - label: B\n    value: 107\n    of: 283\n    written: \"37,8%\"\n    as_of: 2020-05-15\n    quote: \"đạt 107/283 ngôi mộ (tỷ lệ  37,8%)\"\n  - label: C\n    op: \"=\"\n    value: 3\n    as_of: 2021\n    quote: Q\n"
        ));
        assert!(l.diags.is_empty(), "{:#?}", l.diags);
        let [a, b, c] = &l.results[..] else { panic!("{:#?}", l.results) };
        assert_eq!((a.record.bound, a.record.value), (Some(crate::model::Op::Gt), Some(98.0)));
        assert_eq!((a.record.as_of.year, a.record.date().year, a.record.date().end().month()), (2023, 2022, 12));
        assert_eq!(b.record.written.as_deref(), Some("37,8%"));
        // `=` is a figure as stated, not a bound.
        assert_eq!(c.record.bound, None);
    }

    #[test]
    fn a_bound_a_period_or_a_written_figure_that_cannot_be_is_located() {
        let l = lowered(&format!(
            "{HEAD}results:\n  - label: A\n    op: range\n    value: 3\n    as_of: 2021\n    quote: Q\n  - label: B\n    op: \">\"\n    verdict: met\n    as_of: 2021\n    quote: Q\n  - label: C\n    op: \"=>\"\n    value: 1\n    as_of: 2021\n    quote: Q\n  - label: D\n    value: 1\n    covers: 2022\n    as_of: 2021-06\n    quote: Q\n  - label: E\n    value: 1\n    written: \"1,0%\"\n    as_of: 2021\n    quote: Đạt 1%.\n"
        ));
        assert!(l.results.is_empty());
        let at = |m| {
            let d = problem(&l.diags, m);
            (d.line, d.column)
        };
        assert_eq!(at("a result cannot have `op: range`"), (7, 9));
        assert_eq!(at("a result's `op` needs a `value`"), (12, 9));
        assert_eq!(at("unknown op `=>` on a result"), (17, 9));
        assert_eq!(at("the result covers 2022 but is reported on 6/2021"), (23, 13));
        assert_eq!(at("`written` is \"1,0%\", which the quote does not contain"), (28, 14));
    }
}
