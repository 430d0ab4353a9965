//! A result given meaning on its own while its file is read: its numbers, date, verdict,
//! quote and keys. Which measure it reports on needs every document, and is found by
//! `model::link`.

use super::values::{date_of, id_text, nfc, num, scale_twice};
use super::vocabulary::{Vocab, unknown_key};
use crate::diagnostics::Diagnostics;
use crate::load::SourceFile;
use crate::load::schema::{RawResult, Scalar, Spanned};
use crate::model::{ResultRecord, Verdict};
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
        diags.push(unknown_key(file, i, "indicator", site.indicator_by_key.keys()));
    }
    let verdict = r.verdict.as_ref().and_then(|v| match Verdict::ALL.iter().find(|(k, _)| *k == v.value) {
        Some((_, x)) => Some(*x),
        None => {
            diags.push(
                file.diag(&v.referenced, format!("unknown verdict `{}`", v.value))
                    .hint("write exceeded, met, not-met, in-progress, done or not-started"),
            );
            None
        }
    });
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
            value,
            of,
            unit: r.unit.as_ref().map(|u| u.value.clone()),
            share_of_target,
            verdict,
            as_of: as_of?,
            is_final: r.is_final.unwrap_or(false),
            quote: nfc(r.quote.trim()),
            note: r.note.clone(),
        },
        target: r.target.clone(),
        measure,
        unit_at: r.unit.as_ref().map(|u| u.referenced),
    })
}
