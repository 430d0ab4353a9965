//! The vocabulary file (`content/indicators.yaml`): its fields and indicators, checked
//! and indexed before any document is lowered, since every document's keys are checked
//! against it.

use super::values::{MAX_SLUG, name_of};
use crate::diagnostics::{Diagnostic, Diagnostics, Kind, closest};
use crate::load::schema::{RawVocabulary, Spanned};
use crate::load::{Loaded, SourceFile};
use crate::model::{Direction, Field, Indicator};
use std::collections::BTreeMap;

/// The fields and indicators of `content/indicators.yaml`: what every document's keys
/// are checked against, so it is read before the documents.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    pub fields: Vec<Field>,
    pub indicators: Vec<Indicator>,
    pub field_by_key: BTreeMap<String, usize>,
    pub indicator_by_key: BTreeMap<String, usize>,
}

impl Vocab {
    /// The index of the indicator `key`, as measures and results hold it.
    pub(crate) fn indicator_id(&self, key: &str) -> Option<u32> {
        self.indicator_by_key.get(key).map(|&i| i as u32)
    }
}

/// Check the vocabulary file and index its keys.
pub(crate) fn vocabulary(v: Option<Loaded<RawVocabulary>>, diags: &mut Diagnostics) -> Vocab {
    let mut vocab = Vocab::default();
    if let Some(v) = v {
        for f in v.raw.fields {
            let key = f.key.value.clone();
            if !is_key(&key) {
                // The key is a folder of the site (`/linh-vuc/<key>/`).
                diags.push(v.file.diag(&f.key.referenced, format!("`{key}` is not a valid key")).hint(
                    "use lower-case ASCII words joined by `-`, e.g. `van-hoa-xa-hoi`: the key is the field's address",
                ));
            }
            if vocab.field_by_key.contains_key(&key) {
                diags.push(
                    v.file
                        .diag(&f.key.referenced, format!("the field `{key}` is defined twice"))
                        .hint("remove or rename one of them"),
                );
                continue;
            }
            vocab.field_by_key.insert(key.clone(), vocab.fields.len());
            vocab.fields.push(Field { key, name: f.name, description: f.description });
        }
        for ind in v.raw.indicators {
            let loc = ind.referenced;
            let i = ind.value;
            let key = i.key.value.clone();
            if key == "none" {
                diags.push(v.file.diag(&i.key.referenced, "`none` cannot be an indicator key").hint(
                    "a measure writes `indicator: none` to say it is not its target's indicator; name this indicator otherwise, e.g. `khong-co`",
                ));
            } else if !is_key(&key) {
                diags.push(
                    v.file
                        .diag(&i.key.referenced, format!("`{key}` is not a valid key"))
                        .hint("use lower-case ASCII words joined by `-`, e.g. `ty-le-ho-ngheo`"),
                );
            }
            if vocab.indicator_by_key.contains_key(&key) {
                diags.push(
                    v.file
                        .diag(&loc, format!("the indicator `{key}` is defined twice"))
                        .hint("remove or rename one of them"),
                );
                continue;
            }
            let direction =
                i.direction.as_ref().and_then(|d| name_of(&v.file, d, "direction", diags)).unwrap_or(Direction::Higher);
            if let Some(f) = &i.field
                && !vocab.field_by_key.contains_key(&f.value)
            {
                diags.push(unknown_key(&v.file, f, "field", vocab.field_by_key.keys()));
            }
            vocab.indicator_by_key.insert(key.clone(), vocab.indicators.len());
            vocab.indicators.push(Indicator {
                key,
                name: i.name,
                unit: i.unit,
                direction,
                field: i.field.map(|f| f.value),
                description: i.description,
            });
        }
    }

    vocab
}

fn is_key(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_SLUG && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

pub(crate) fn unknown_key<'a>(
    file: &SourceFile,
    s: &Spanned<String>,
    what: &str,
    known: impl Iterator<Item = &'a String>,
) -> Diagnostic {
    let known: Vec<&str> = known.map(|k| k.as_str()).collect();
    let hint = match closest(&s.value, known.iter().copied()) {
        Some(c) => format!("did you mean `{c}`? Keys are listed in content/indicators.yaml"),
        None => format!("add `{}` to the {what}s of content/indicators.yaml, or use one of its keys", s.value),
    };
    let what = if what == "field" { "field key (lĩnh vực)" } else { what };
    file.diag(&s.referenced, format!("unknown {what} `{}`", s.value)).kind(Kind::Vocabulary).hint(hint)
}

#[cfg(test)]
mod tests {
    use crate::load::fixture::{Fixture, VOCAB, located, problem};
    use crate::model::Direction;

    /// `content/indicators.yaml` with `text`, read and checked: (vocabulary, problems).
    fn read(text: &str) -> (super::Vocab, crate::diagnostics::Diagnostics) {
        let c = Fixture::new(&[("indicators.yaml", text)]).read();
        (c.vocab, c.vocab_diags)
    }

    #[test]
    fn fields_and_indicators_are_indexed_by_key() {
        let (v, diags) = read(VOCAB);
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(
            (v.field_by_key["kinh-te"], v.indicator_by_key["ho-ngheo"], v.indicator_id("ho-ngheo")),
            (0, 1, Some(1))
        );
        let i = &v.indicators[0];
        assert_eq!(
            (i.key.as_str(), i.unit.as_deref(), i.direction, i.field.as_deref()),
            ("thu-ngan-sach", Some("%"), Direction::Higher, Some("kinh-te"))
        );
        assert_eq!(v.indicators[1].direction, Direction::Lower);
        assert_eq!(v.indicator_id("khong-co"), None);
    }

    #[test]
    fn bad_keys_and_repeated_ones_are_located() {
        let (v, diags) = read(
            "fields:\n  - key: Kinh Te\n    name: A\n  - key: xa-hoi\n    name: B\n  - key: xa-hoi\n    name: C\nindicators:\n  - key: none\n    name: D\n  - key: a\n    name: E\n    direction: up\n    field: xa-hoj\n  - key: a\n    name: F\n",
        );
        let msgs: Vec<_> = diags.0.iter().map(located).collect();
        let at = |l, c, m| ("content/indicators.yaml".to_string(), l, c, m);
        assert_eq!(
            msgs,
            [
                at(2, 10, "`Kinh Te` is not a valid key"),
                at(6, 10, "the field `xa-hoi` is defined twice"),
                at(9, 10, "`none` cannot be an indicator key"),
                at(13, 16, "unknown direction `up`"),
                at(14, 12, "unknown field key (lĩnh vực) `xa-hoj`"),
                at(15, 5, "the indicator `a` is defined twice"),
            ]
        );
        assert_eq!(
            problem(&diags, "xa-hoj").hint.as_deref(),
            Some("did you mean `xa-hoi`? Keys are listed in content/indicators.yaml")
        );
        // The first of two definitions is the one kept.
        assert_eq!((v.fields.len(), v.indicators.len(), v.indicators[1].name.as_str()), (2, 2, "E"));
    }
}
