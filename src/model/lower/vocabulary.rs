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
    /// An indicator's earlier key (`aliases:`) → the indicator.
    pub renamed: BTreeMap<String, usize>,
}

impl Vocab {
    /// The index of the indicator `key`, as measures and results hold it.
    pub(crate) fn indicator_id(&self, key: &str) -> Option<u32> {
        self.indicator_by_key.get(key).map(|&i| i as u32)
    }

    /// An indicator key that is not in the vocabulary: renamed (then the new key is
    /// the fix), or a typo of a known one.
    pub(crate) fn unknown_indicator(&self, file: &SourceFile, s: &Spanned<String>) -> Diagnostic {
        match self.renamed.get(&s.value) {
            Some(&i) => {
                let new = &self.indicators[i].key;
                file.diag(&s.referenced, format!("the indicator `{}` has been renamed `{new}`", s.value))
                    .kind(Kind::Vocabulary)
                    .hint(format!("write `{new}`: the old key is kept in content/indicators.yaml only so its old address still leads to the indicator's page"))
            }
            None => unknown_key(file, s, "indicator", self.indicator_by_key.keys()),
        }
    }
}

/// `translations:` as the model keeps it (blank words are no words).
fn translations(raw: BTreeMap<String, crate::load::schema::RawTranslation>) -> crate::model::Translations {
    let words = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    raw.into_iter().map(|(lang, t)| (lang, (words(t.name), words(t.description)))).collect()
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
            vocab.fields.push(Field {
                key,
                name: f.name,
                description: f.description,
                translations: translations(f.translations),
            });
        }
        let mut alias_at = Vec::new();
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
            let mut aliases = Vec::new();
            for a in i.aliases {
                if !is_key(&a.value) {
                    diags.push(
                        v.file
                            .diag(&a.referenced, format!("`{}` is not a valid key", a.value))
                            .hint("an alias is an earlier key of this indicator: lower-case ASCII words joined by `-`"),
                    );
                } else if a.value == key || aliases.contains(&a.value) {
                    diags.push(
                        v.file
                            .diag(&a.referenced, format!("`{}` is listed twice for this indicator", a.value))
                            .hint("remove the repeated alias"),
                    );
                } else {
                    alias_at.push((a.value.clone(), a.referenced, vocab.indicators.len()));
                    aliases.push(a.value);
                }
            }
            vocab.indicator_by_key.insert(key.clone(), vocab.indicators.len());
            vocab.indicators.push(Indicator {
                key,
                name: i.name,
                unit: i.unit,
                direction,
                field: i.field.map(|f| f.value),
                description: i.description,
                aliases,
                translations: translations(i.translations),
            });
        }
        // An alias is an address: it may not be another indicator's key or alias.
        for (a, at, ii) in alias_at {
            let clash = vocab
                .indicator_by_key
                .contains_key(&a)
                .then_some("an indicator's key")
                .or_else(|| vocab.renamed.get(&a).filter(|&&o| o != ii).map(|_| "an alias of another indicator"));
            match clash {
                Some(what) => diags.push(
                    v.file
                        .diag(&at, format!("the alias `{a}` of `{}` is also {what}", vocab.indicators[ii].key))
                        .kind(Kind::Vocabulary)
                        .hint("an old address can lead to one indicator only: remove one of them"),
                ),
                None => {
                    vocab.renamed.insert(a, ii);
                }
            }
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

    #[test]
    fn an_old_key_is_an_alias_that_names_the_new_one() {
        let (v, diags) = read(
            "indicators:\n  - key: an-ninh-trat-tu\n    aliases: [anh-tt, Bad Key, anh-tt]\n    name: A\n  - key: b\n    aliases: [an-ninh-trat-tu]\n    name: B\n",
        );
        let msgs: Vec<_> = diags.0.iter().map(located).collect();
        let at = |l, c, m| ("content/indicators.yaml".to_string(), l, c, m);
        assert_eq!(
            msgs,
            [
                at(3, 23, "`Bad Key` is not a valid key"),
                at(3, 32, "`anh-tt` is listed twice for this indicator"),
                at(6, 15, "the alias `an-ninh-trat-tu` of `b` is also an indicator's key"),
            ]
        );
        assert_eq!(
            (v.indicators[0].aliases.as_slice(), v.renamed.get("anh-tt")),
            (&["anh-tt".to_string()][..], Some(&0))
        );
        // A document still using the old key is told the new one.
        let c = Fixture::new(&[
            ("indicators.yaml", "indicators:\n  - key: an-ninh-trat-tu\n    aliases: [anh-tt]\n    name: A\n"),
            ("u/_index.md", "---\nname: Phường 1\nlevel: phường\n---\n"),
            ("u/d.md", "---\ntitle: D\nkind: resolution\nissued: 2021\ntargets:\n  - id: \"1\"\n    text: T\n    indicator: anh-tt\n---\n"),
        ])
        .read();
        let d = problem(&c.documents[0].diags, "renamed");
        assert_eq!((d.line, d.message.as_str()), (8, "the indicator `anh-tt` has been renamed `an-ninh-trat-tu`"));
    }
}
