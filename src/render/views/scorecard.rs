//! A ward's one-page scorecard (scorecard.html, `/<unit>/tom-tat.html`): its current
//! term's targets with their status and latest result, counted by status, with the
//! documents they come from and the date the statuses are computed at, laid out to be
//! printed on one A4 sheet and pinned up or handed out.

use super::*;
use crate::model::Term;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct ScorecardPage {
    unit: Link,
    /// The latest term with targets ("2020–2025").
    term: Option<String>,
    /// That term's measures by status.
    counts: Vec<StatusCount>,
    documents: Vec<ScoreDoc>,
}

/// A document of the term with targets, and its targets in brief.
#[derive(Serialize)]
pub(crate) struct ScoreDoc {
    doc: DocSummary,
    /// Where the document was published, as its front matter says.
    source: Option<String>,
    source_url: Option<String>,
    targets: Vec<ScoreTarget>,
}

/// A target, and its words cut to a line for the measures that have no name of their own.
#[derive(Serialize)]
pub(crate) struct ScoreTarget {
    target: TargetView,
    short_text: String,
}

/// The latest term in which the unit's own documents set targets: the page lists
/// only that term (the unit page has the others).
fn current_term(v: &Views, u: usize) -> Option<Term> {
    let site = v.site;
    site.units[u]
        .documents
        .iter()
        .map(|&d| &site.documents[d])
        .filter(|d| !d.targets.is_empty())
        .filter_map(|d| d.term)
        .max_by_key(|t| (t.end, t.start))
}

pub(crate) fn build(v: &Views, u: usize) -> ScorecardPage {
    let site = v.site;
    let term = current_term(v, u);
    let docs: Vec<usize> = site.units[u]
        .documents
        .iter()
        .copied()
        .filter(|&d| !site.documents[d].targets.is_empty() && site.documents[d].term == term)
        .collect();
    ScorecardPage {
        unit: v.unit_link(u),
        term: term.map(Term::label),
        counts: v.status_counts(docs.iter().flat_map(|&d| v.doc_evals(d)).collect()),
        documents: docs
            .iter()
            .map(|&d| {
                let doc = &site.documents[d];
                ScoreDoc {
                    doc: v.doc_summary(d),
                    source: doc.source.clone(),
                    source_url: doc.source_url.clone().filter(|u| crate::render::markdown::is_allowed_url(u)),
                    targets: (0..doc.targets.len())
                        .map(|t| ScoreTarget {
                            target: v.target_view(d, t),
                            // A label before a colon: "… khu phố 2:", not "… khu phố 2.:".
                            short_text: short_text(&doc.targets[t].text, 90)
                                .trim_end_matches(['.', ',', ';', ':'])
                                .to_string(),
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}
