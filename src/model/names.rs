//! The written names of the model's enums, each in one place.
//!
//! A document kind, a status or an op is read from front matter, shown in hints, written
//! to data files and JSON, used as a CSS class (`status-on-track`) and looked up as a
//! translation string (`status.on-track`). All of these come from one list per enum,
//! given to [`named_enum!`]: `Variant = "name"`, with other spellings accepted when
//! reading (`| "≤"`) and, where the translation string's name differs from the written
//! name, `as "lt"`. The macro makes the enum, `ALL`, `as_str`, `label_key`, `FromStr` and
//! a `Serialize` that writes `as_str`.
//!
//! A macro of our own rather than strum (0.28 is in Cargo.lock, through jsonschema):
//! strum's derives give `FromStr`, `as_str` and the variant list, but serde's names
//! would still be a second set of attributes to keep in step, and translation keys a
//! third; here one line per variant feeds all of them.

use crate::diagnostics::closest;

/// An enum whose values have written names: what generic helpers (hints) need.
pub(crate) trait Named: Copy + 'static {
    /// Every value, in the order they are listed (and shown).
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;
}

/// A name that is not one of an enum's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownName;

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not one of the known names")
    }
}

impl std::error::Error for UnknownName {}

/// The hint for a name that is none of `T`'s: the closest one, then all of them.
pub(crate) fn hint<T: Named>(given: &str) -> String {
    hint_among(given, T::ALL.iter().map(|v| v.as_str()))
}

/// The hint for a name that is none of `T`'s, when what was written is the document's
/// own word for one of them (`nghị quyết` for `resolution`, `hàng năm` for `year`):
/// that one, then all of them.
pub(crate) fn hint_meant<T: Named>(given: &str, meant: Option<T>) -> String {
    match meant {
        Some(v) => format!(
            "did you mean `{}`? Expected one of {}",
            v.as_str(),
            one_of(&T::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>())
        ),
        None => hint::<T>(given),
    }
}

/// The hint for a word that is none of `known`: the closest one, then all of them
/// ("did you mean `met`? Expected one of `exceeded`, `met` … or `not-started`").
pub(crate) fn hint_among<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.into_iter().collect();
    let list = one_of(&known);
    match closest(given, known.iter().copied()) {
        Some(c) => format!("did you mean `{c}`? Expected one of {list}"),
        None => format!("expected one of {list}"),
    }
}

/// How an op is written in front matter: a sign in quotes (unquoted, YAML reads a value
/// starting with `>` as the start of a long text), a word as it is.
pub(crate) fn written_op(op: crate::model::Op) -> String {
    let name = op.as_str();
    if name.chars().all(|c| c.is_ascii_alphabetic()) { name.to_string() } else { format!("\"{name}\"") }
}

/// The hint for an op that is none of the ops (`=>`, `gte`, `trên`): the op it most
/// likely means, then every op as it is written, with the wording each stands for, so
/// the officer can match it against the document's words.
pub(crate) fn op_hint(given: &str) -> String {
    use crate::model::Op;
    let wording = |op: Op| match op {
        Op::Lt => "dưới X",
        Op::Le => "không quá X",
        Op::Eq => "X exactly: 100%, không có = 0",
        Op::Ge => "ít nhất X, từ X trở lên, đạt X",
        Op::Gt => "trên X",
        Op::Range => "từ X đến Y, with `min:` and `max:`",
        Op::Qualitative => "no number; the same as leaving `op` out",
    };
    let list = or_list(Op::ALL.iter().map(|&op| format!("`op: {}` ({})", written_op(op), wording(op))).collect());
    match closest_op(given) {
        Some(op) => format!("did you mean `op: {}`? An op is one of {list}", written_op(op)),
        None => format!("an op is one of {list}"),
    }
}

/// The message and hint for an op written unquoted and starting with `>` or `|` (`op: >=`),
/// which YAML reads as the start of a long text instead of the sign.
pub(crate) fn unquoted_op(value: &str) -> (String, String) {
    use crate::model::Op;
    let sign = value.chars().next().unwrap_or('>');
    match value.parse::<Op>() {
        Ok(op) => (
            format!("the op `{value}` must be written in quotes"),
            format!(
                "write `op: {}`: without quotes, a value starting with `{sign}` is not read as written; every sign is written in quotes: {}",
                written_op(op),
                Op::ALL.iter().map(|&o| written_op(o)).filter(|w| w.starts_with('"')).collect::<Vec<_>>().join(", ")
            ),
        ),
        Err(_) => (format!("unknown op `{value}`"), op_hint(value)),
    }
}

/// The op a wrong one most likely means: a sign written the other way round (`=>`), a
/// programmer's or the document's word for it (`gte`, `ít nhất`), or a near spelling.
fn closest_op(given: &str) -> Option<crate::model::Op> {
    use crate::model::Op;
    let folded = crate::vi::slug::fold(given.trim());
    let word = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    let meaning = match word.as_str() {
        "=>" | "ge" | "gte" | "min" | "at least" | "it nhat" | "tro len" | "dat" | "toi thieu" => Some(Op::Ge),
        "=<" | "le" | "lte" | "max" | "at most" | "khong qua" | "toi da" => Some(Op::Le),
        "gt" | "more" | "more than" | "greater" | "tren" | "hon" => Some(Op::Gt),
        "lt" | "less" | "less than" | "duoi" => Some(Op::Lt),
        "eq" | "equal" | "equals" | "bang" | "===" => Some(Op::Eq),
        "between" | "from" | "khoang" | "-" | "..." => Some(Op::Range),
        _ => None,
    };
    meaning.or_else(|| {
        let names = Op::ALL.iter().map(|o| o.as_str());
        let c = closest(&word, names)?;
        Op::ALL.iter().copied().find(|o| o.as_str() == c)
    })
}

/// "`a`, `b` or `c`".
fn one_of(names: &[&str]) -> String {
    or_list(names.iter().map(|n| format!("`{n}`")).collect())
}

/// "a, b or c".
fn or_list(items: Vec<String>) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// An enum with one written name per value. See the module documentation.
///
/// ```ignore
/// named_enum! {
///     #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///     pub enum Op in "measure" {
///         Lt = "<" as "lt",
///         Le = "<=" | "≤" as "le",
///     }
/// }
/// ```
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident in $table:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $key:literal $(| $alias:literal)* $(as $tname:literal)? ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in the order they are listed (and shown).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name it is written with: in front matter, data files, JSON, CSS
            /// classes.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $key),+
                }
            }

            /// The translation string of its label.
            pub const fn label_key(self) -> &'static str {
                match self {
                    $($name::$variant => concat!($table, ".", $crate::model::names::named_enum!(@tname $key $($tname)?))),+
                }
            }
        }

        impl $crate::model::names::Named for $name {
            const ALL: &'static [$name] = $name::ALL;
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::names::UnknownName;
            fn from_str(s: &str) -> Result<$name, Self::Err> {
                match s {
                    $($key $(| $alias)* => Ok($name::$variant),)+
                    _ => Err($crate::model::names::UnknownName),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
    (@tname $key:literal) => { $key };
    (@tname $key:literal $tname:literal) => { $tname };
}

pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::compare::Ambition;
    use crate::compute::status::{Basis, Status};
    use crate::model::{Direction, DocKind, Op, Per, Relation, TargetKind, Verdict};
    use crate::render::pages::Table;

    /// Every value of `T`: its name reads back as itself, JSON writes that name, its
    /// translation string is in the default theme, and the hint lists it.
    fn check<T: Named + std::str::FromStr + serde::Serialize + PartialEq + std::fmt::Debug>(
        label_key: fn(T) -> &'static str,
    ) {
        let theme: toml::Table = toml::from_str(include_str!("../../themes/default/i18n/vi.toml")).unwrap();
        let hint = hint::<T>("?");
        for &v in T::ALL {
            assert_eq!(v.as_str().parse::<T>().ok(), Some(v), "{v:?} reads back from `{}`", v.as_str());
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str(), "{v:?} in JSON");
            let key = label_key(v);
            let (table, name) = key.split_once('.').unwrap();
            assert!(
                theme.get(table).and_then(|t| t.get(name)).and_then(|s| s.as_str()).is_some(),
                "vi.toml has no `{key}` for {v:?}"
            );
            assert!(hint.contains(&format!("`{}`", v.as_str())), "the hint `{hint}` lists `{}`", v.as_str());
        }
        assert!("?".parse::<T>().is_err());
    }

    #[test]
    fn every_name_reads_back_is_translated_and_hinted() {
        check::<DocKind>(DocKind::label_key);
        check::<TargetKind>(TargetKind::label_key);
        check::<Op>(Op::label_key);
        check::<Per>(Per::label_key);
        check::<Relation>(Relation::label_key);
        check::<Direction>(Direction::label_key);
        check::<Verdict>(Verdict::label_key);
        check::<Status>(Status::label_key);
        check::<Basis>(Basis::label_key);
        check::<Ambition>(Ambition::label_key);
        check::<Table>(Table::label_key);
    }

    /// The strings made from a name elsewhere than `label_key`: a status's help on the
    /// status page, how a comparison class differs, and the data page's column notes that
    /// list a column's values.
    #[test]
    fn every_derived_string_is_translated() {
        let theme: toml::Table = toml::from_str(include_str!("../../themes/default/i18n/vi.toml")).unwrap();
        let get = |table: &str, name: &str| {
            theme
                .get(table)
                .and_then(|t| t.get(name))
                .and_then(|s| s.as_str())
                .unwrap_or_else(|| panic!("{table}.{name}"))
        };
        for s in Status::ALL {
            get("status_help", s.as_str());
        }
        for r in Relation::ALL {
            get("differs", &format!("relation_{}", r.as_str()));
        }
        for p in Per::ALL {
            get("differs", &format!("per_{}", p.as_str()));
        }
        let lists = |column: &str, names: &[&str]| {
            let text = get("data_col", column);
            for n in names {
                assert!(text.contains(n), "data_col.{column} (`{text}`) lists `{n}`");
            }
        };
        lists("document_kind", &DocKind::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        lists("target_type", &TargetKind::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        lists("op", &Op::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        lists("per", &Per::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        lists("relation", &Relation::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        lists("direction", &Direction::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        lists("verdict", &Verdict::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        lists("status", &Status::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        // A status's name is its CSS class too: the default theme styles each one.
        let css = include_str!("../../themes/default/static/style.css");
        for s in Status::ALL {
            assert!(css.contains(&format!(".status-{} ", s.as_str())), "style.css styles .status-{}", s.as_str());
        }
    }

    /// docs/content-format.md names every value a site owner can write, beside its key
    /// in the example (`kind: resolution  # … | action-program | …`) or in its table.
    #[test]
    fn the_docs_list_every_value() {
        let docs = include_str!("../../docs/content-format.md");
        let line_of = |key: &str| {
            docs.lines().find(|l| l.trim_start().starts_with(&format!("{key}:"))).unwrap_or_else(|| panic!("`{key}:`"))
        };
        let listed = |key: &str, names: &[&str]| {
            let line = line_of(key);
            let words: Vec<&str> =
                line.split(['|', '#', ':', '"', '(', ')', ' ']).map(str::trim).filter(|w| !w.is_empty()).collect();
            for n in names {
                assert!(words.contains(n), "docs/content-format.md lists `{n}` on its `{key}:` line: {line}");
            }
        };
        listed("kind", &DocKind::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        listed("type", &TargetKind::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        // Qualitative is written by leaving `op` out.
        listed("op", &Op::ALL.iter().filter(|&&o| o != Op::Qualitative).map(|v| v.as_str()).collect::<Vec<_>>());
        listed("per", &Per::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        listed("verdict", &Verdict::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        listed("direction", &Direction::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>());
        for r in Relation::ALL {
            assert!(docs.contains(&format!("| `{}` |", r.as_str())), "the relation table lists `{}`", r.as_str());
        }
    }

    #[test]
    fn an_op_hint_names_the_op_meant_as_it_is_written() {
        for (given, meant) in [
            ("=>", "\">=\""),
            ("=<", "\"<=\""),
            ("gte", "\">=\""),
            ("ít nhất", "\">=\""),
            ("Trên", "\">\""),
            ("rnage", "range"),
            (">==", "\">=\""),
        ] {
            let h = op_hint(given);
            assert!(h.starts_with(&format!("did you mean `op: {meant}`? An op is one of ")), "{given}: {h}");
        }
        let h = op_hint("xyz");
        assert!(h.starts_with("an op is one of `op: \"<\"` (dưới X), `op: \"<=\"` (không quá X), "), "{h}");
        assert!(
            h.contains("`op: \">=\"` (ít nhất X, từ X trở lên, đạt X)") && h.contains(" or `op: qualitative` ("),
            "{h}"
        );
    }

    #[test]
    fn a_hint_names_the_value_the_documents_word_stands_for() {
        let kind = |w: &str| hint_meant::<DocKind>(w, DocKind::from_words(w));
        assert!(kind("nghị quyết").starts_with("did you mean `resolution`? Expected one of `resolution`, "));
        assert!(kind("Chương trình hành động").starts_with("did you mean `action-program`?"));
        assert!(kind("báo cáo sơ kết").starts_with("did you mean `review`?"));
        assert!(kind("kết luận").starts_with("did you mean `conclusion`?"));
        assert!(kind("quyết định").starts_with("expected one of "), "{}", kind("quyết định"));
        let per = |w: &str| hint_meant::<Per>(w, Per::from_words(w));
        assert_eq!(per("hàng năm"), "did you mean `year`? Expected one of `term` or `year`");
        assert_eq!(per("cả nhiệm kỳ"), "did you mean `term`? Expected one of `term` or `year`");
    }

    #[test]
    fn hints_name_the_closest_and_all() {
        assert_eq!(hint::<Per>("yaer"), "did you mean `year`? Expected one of `term` or `year`");
        assert_eq!(hint::<Direction>("up"), "expected one of `higher`, `lower` or `none`");
        assert_eq!("≤".parse::<Op>(), Ok(Op::Le));
    }
}
