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

/// "`a`, `b` or `c`".
fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
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
    fn hints_name_the_closest_and_all() {
        assert_eq!(hint::<Per>("yaer"), "did you mean `year`? Expected one of `term` or `year`");
        assert_eq!(hint::<Direction>("up"), "expected one of `higher`, `lower` or `none`");
        assert_eq!("≤".parse::<Op>(), Ok(Op::Le));
    }
}
