//! Translation strings: every word a visitor reads that does not come from content.
//! Loaded from the theme's `i18n/<lang>.toml`, overridden key by key by the site's.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct Strings(pub BTreeMap<String, String>);

impl Strings {
    /// The written-out form of a date, as documents write it in their date line ("ngày
    /// 22 tháng 5 năm 2020"), from the patterns `date.long_day`, `long_month` and
    /// `long_year` with `{day}`, `{month}` and `{year}`.
    pub fn long_date(&self, d: &crate::vi::date::VnDate) -> String {
        use crate::vi::date::Precision;
        let key = match d.precision {
            Precision::Day => "date.long_day",
            Precision::Month => "date.long_month",
            Precision::Year => "date.long_year",
        };
        self.fmt(key, &[("day", d.day.to_string()), ("month", d.month.to_string()), ("year", d.year.to_string())])
    }

    /// The string for `key`; a missing key shows as `[key]` so it is seen, not hidden.
    pub fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| format!("[{key}]"))
    }

    /// The string with `{name}` placeholders filled in, in one pass over the string (it
    /// runs for nearly every cell of every table, so no intermediate strings).
    pub fn fmt(&self, key: &str, args: &[(&str, String)]) -> String {
        let Some(template) = self.0.get(key) else {
            return format!("[{key}]");
        };
        fill(template, args)
    }
}

/// `template` with each `{name}` of `args` replaced; other braces are kept as written.
/// Byte scans, not `str::find` with a char: templates are a few dozen bytes, and the
/// char searcher's set-up cost more than the scan (this runs for most table cells).
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + args.iter().map(|(_, v)| v.len()).sum::<usize>());
    let bytes = template.as_bytes();
    // `start`: first byte not yet copied; `from`: where to look for the next brace.
    let (mut start, mut from) = (0, 0);
    while let Some(off) = bytes[from..].iter().position(|&b| b == b'{') {
        let after = from + off + 1;
        // Braces are ASCII, so every index here is a char boundary.
        let value = bytes[after..].iter().position(|&b| b == b'}').and_then(|close| {
            let name = &template[after..after + close];
            args.iter().find(|(n, _)| *n == name).map(|(_, v)| (v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(&template[start..after - 1]);
                out.push_str(v);
                start = after + close + 1;
                from = start;
            }
            None => from = after,
        }
    }
    out.push_str(&template[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders_and_shows_missing_keys() {
        let mut m = BTreeMap::new();
        m.insert("measure.lt".to_string(), "dưới {value}".to_string());
        let s = Strings(m);
        assert_eq!(s.fmt("measure.lt", &[("value", "0,5%".into())]), "dưới 0,5%");
        assert_eq!(s.get("nope"), "[nope]");
        let mut m = BTreeMap::new();
        m.insert("date.long_day".to_string(), "ngày {day} tháng {month} năm {year}".to_string());
        m.insert("date.long_year".to_string(), "năm {year}".to_string());
        let dates = Strings(m);
        let day = crate::vi::date::parse("2020-05-22").unwrap();
        assert_eq!(dates.long_date(&day), "ngày 22 tháng 5 năm 2020");
        assert_eq!(dates.long_date(&crate::vi::date::parse("2025").unwrap()), "năm 2025");
        assert_eq!(dates.long_date(&crate::vi::date::parse("2022-12").unwrap()), "[date.long_month]");
        assert_eq!(fill("{a} và {b}, {a}", &[("a", "x".into()), ("b", "y".into())]), "x và y, x");
        assert_eq!(fill("{không} {a", &[("a", "x".into())]), "{không} {a");
        assert_eq!(fill("{a{a}}ư{", &[("a", "x".into())]), "{ax}ư{");
        assert_eq!(fill("", &[("a", "x".into())]), "");
    }

    /// Every label an enum names is in the theme's strings, under the key its CSS class
    /// and data files use (`status.` + `on-track`).
    #[test]
    fn every_label_key_is_translated() {
        use crate::compute::status::Status;
        use crate::model::{DocKind, TargetKind, Verdict};
        let theme: toml::Table = toml::from_str(include_str!("../../themes/default/i18n/vi.toml")).unwrap();
        let has = |key: &str| {
            let (table, name) = key.split_once('.').unwrap();
            theme.get(table).and_then(|t| t.get(name)).and_then(|v| v.as_str()).is_some_and(|v| !v.is_empty())
        };
        for s in Status::ALL {
            assert_eq!(s.label_key(), format!("status.{}", s.key()));
            assert!(has(s.label_key()), "{}", s.label_key());
        }
        for (key, k) in DocKind::ALL {
            assert_eq!(k.label_key(), format!("kind.{key}"));
            assert!(has(k.label_key()), "{}", k.label_key());
        }
        for (key, v) in Verdict::ALL {
            assert_eq!(v.label_key(), format!("verdict.{key}"));
            assert!(has(v.label_key()), "{}", v.label_key());
        }
        for k in TargetKind::ALL {
            let css = serde_json::to_value(k).unwrap();
            assert_eq!(k.label_key(), format!("target_kind.{}", css.as_str().unwrap()));
            assert!(has(k.label_key()), "{}", k.label_key());
        }
    }
}
