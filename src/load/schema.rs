//! The front matter exactly as written: what serde reads from YAML, before any meaning
//! is given to it. Every field a user can get wrong semantically (a number, a date, a
//! key that must exist elsewhere) is kept `Spanned` so the model can point at its line.
//! Unknown fields are rejected here (`deny_unknown_fields`), which is what turns a typo
//! like `valeu:` into an error instead of a silently missing value.

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// Where a value stands in the YAML: 1-based line and column (in characters) and, when
/// known, the byte offset from the start of the YAML. Our own type rather than
/// serde-saphyr's because two readers make it: the quick reader (`load::quick`) for the
/// common shape of front matter, and serde-saphyr for the rest and for every error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) byte: Option<u32>,
}

impl Loc {
    pub(crate) fn line(&self) -> u64 {
        u64::from(self.line)
    }
    pub(crate) fn column(&self) -> u64 {
        u64::from(self.column)
    }
    pub(crate) fn byte_offset(&self) -> Option<u64> {
        self.byte.map(u64::from)
    }
}

impl From<serde_saphyr::Location> for Loc {
    fn from(l: serde_saphyr::Location) -> Loc {
        Loc {
            line: l.line() as u32,
            column: l.column() as u32,
            byte: l.span().byte_offset().and_then(|b| u32::try_from(b).ok()),
        }
    }
}

/// A value and where it was written (where it is used, for a value from an alias).
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub referenced: Loc,
}

/// The newtype name a `Spanned` asks its reader for: the quick reader answers with the
/// location and the value; serde-saphyr passes a name it does not know through, and its
/// own `Spanned` then fills in the location.
pub(crate) const SPANNED: &str = "minhbach::Spanned";

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = Spanned<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Spanned<T>, D::Error> {
                let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
                Ok(Spanned { value: s.value, referenced: s.referenced.into() })
            }
            /// From the quick reader: (line, column, byte), then the value.
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Spanned<T>, A::Error> {
                use serde::de::Error;
                let (line, column, byte): (u32, u32, u32) =
                    seq.next_element()?.ok_or_else(|| A::Error::invalid_length(0, &self))?;
                let value = seq.next_element()?.ok_or_else(|| A::Error::invalid_length(1, &self))?;
                Ok(Spanned { value, referenced: Loc { line, column, byte: Some(byte) } })
            }
        }
        d.deserialize_newtype_struct(SPANNED, V(std::marker::PhantomData))
    }
}

/// A YAML scalar kept as written: numbers and dates are parsed later, by the model,
/// which knows the Vietnamese conventions and can report the exact position.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Num(f64),
    Text(String),
}

impl Scalar {
    /// The scalar as text, as the user typed it (integers without ".0").
    pub(crate) fn as_text(&self) -> String {
        match self {
            Scalar::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Scalar::Num(n) => n.to_string(),
            Scalar::Text(t) => t.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or a text")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Num(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Num(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Num(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

pub(crate) type S<T> = Spanned<T>;

/// `succeeded_by:` as written: one content path, or a list of them (a unit split
/// between several new ones).
#[derive(Debug, Clone, PartialEq)]
pub struct Successors(pub Vec<String>);

impl<'de> Deserialize<'de> for Successors {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Successors;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a unit's content path, or a list of them")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Successors, E> {
                Ok(Successors(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Successors, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    v.push(s);
                }
                Ok(Successors(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnit {
    pub name: S<String>,
    pub level: S<String>,
    pub code: Option<S<Scalar>>,
    pub short_name: Option<String>,
    /// The unit it was merged into, or a list: the units a split gave its parts to.
    pub succeeded_by: Option<S<Successors>>,
    pub succeeded_on: Option<S<Scalar>>,
    pub website: Option<S<String>>,
    /// Sort position among siblings, when Vietnamese order is not wanted.
    pub weight: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDocument {
    pub title: S<String>,
    pub kind: S<String>,
    pub number: Option<S<Scalar>>,
    /// Required to publish; a draft may leave it out until the date is known (checked in
    /// the model, which says which of the two it is).
    pub issued: Option<S<Scalar>>,
    pub place: Option<String>,
    pub issuer: Option<String>,
    pub signer: Option<String>,
    pub signer_role: Option<String>,
    pub term: Option<S<Scalar>>,
    pub congress: Option<S<Scalar>>,
    pub event: Option<String>,
    pub covers: Option<String>,
    pub posted: Option<S<Scalar>>,
    pub source: Option<String>,
    pub source_url: Option<S<String>>,
    /// The original file (a PDF or DOCX beside this document in its folder).
    pub original: Option<S<String>>,
    pub recipients: Option<Vec<String>>,
    pub summary: Option<String>,
    /// Not published yet: checked like any document, left out of the site.
    pub draft: Option<bool>,
    #[serde(default)]
    pub groups: Vec<RawGroup>,
    #[serde(default)]
    pub targets: Vec<S<RawTarget>>,
    #[serde(default)]
    pub results: Vec<S<RawResult>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: S<Scalar>,
    pub name: String,
    pub count: Option<S<Scalar>>,
    pub field: Option<S<String>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub id: S<Scalar>,
    pub group: Option<S<Scalar>>,
    pub field: Option<S<String>>,
    #[serde(rename = "type")]
    pub kind: Option<S<String>>,
    pub text: String,
    /// `false`: `text` is an editor's summary, not the document's words (a target known
    /// only from another document's mention of it); the page labels it so.
    pub verbatim: Option<bool>,
    pub indicator: Option<S<String>>,
    #[serde(default)]
    pub measures: Vec<S<RawMeasure>>,
    /// Free notes shown under the target (e.g. which body is assigned to it).
    pub note: Option<String>,
    /// The page of the document's original (`original:`) where the target stands.
    pub page: Option<S<Scalar>>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeasure {
    pub indicator: Option<S<String>>,
    pub label: Option<String>,
    pub op: Option<S<String>>,
    pub value: Option<S<Scalar>>,
    pub min: Option<S<Scalar>>,
    pub max: Option<S<Scalar>>,
    pub unit: Option<String>,
    pub per: Option<S<String>>,
    pub deadline: Option<S<Scalar>>,
    pub relation: Option<S<String>>,
    pub baseline: Option<String>,
    pub baseline_value: Option<S<Scalar>>,
    pub baseline_date: Option<S<Scalar>>,
    pub variant: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResult {
    pub target: Option<S<Scalar>>,
    pub measure: Option<S<Scalar>>,
    pub indicator: Option<S<String>>,
    pub label: Option<String>,
    /// A bound instead of a figure: "đều đạt trên 98%" is `op: ">"`, `value: 98`.
    pub op: Option<S<String>>,
    pub value: Option<S<Scalar>>,
    pub of: Option<S<Scalar>>,
    pub unit: Option<S<String>>,
    /// The figure as the document writes it ("37,8%"), kept beside the one computed
    /// from `value`/`of`; it must appear in `quote`.
    pub written: Option<S<String>>,
    pub share_of_target: Option<S<Scalar>>,
    pub verdict: Option<S<String>>,
    pub as_of: S<Scalar>,
    /// The date or period the figure is for, when not the report's date: a year-end
    /// figure in a May report is `covers: 2022`, `as_of: 2023-05-18`.
    pub covers: Option<S<Scalar>>,
    /// The document gives this as the result of the whole period (a term-end report
    /// dated before the period's last day): judge it as final.
    #[serde(rename = "final")]
    pub is_final: Option<bool>,
    pub quote: String,
    pub note: Option<String>,
    /// The page of the reporting document's original where the figure stands.
    pub page: Option<S<Scalar>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVocabulary {
    #[serde(default)]
    pub fields: Vec<RawField>,
    #[serde(default)]
    pub indicators: Vec<S<RawIndicator>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawField {
    pub key: S<String>,
    pub name: String,
    pub description: Option<String>,
    /// Its name and description in the site's other languages, by language code.
    #[serde(default)]
    pub translations: BTreeMap<String, RawTranslation>,
}

/// A field's or an indicator's words in another language (`translations: {en: …}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTranslation {
    pub name: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawIndicator {
    pub key: S<String>,
    pub name: String,
    pub unit: Option<String>,
    pub direction: Option<S<String>>,
    pub field: Option<S<String>>,
    pub description: Option<String>,
    /// Keys it was published under before (a typo fixed): their addresses still answer,
    /// with a page that sends readers to the new one.
    #[serde(default)]
    pub aliases: Vec<S<String>>,
    #[serde(default)]
    pub translations: BTreeMap<String, RawTranslation>,
}
