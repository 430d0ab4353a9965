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

    /// The string for the key `prefix` + `name` ("status." + "met"), joined on the stack:
    /// labels are looked up for every table row, and a `format!` per lookup showed up.
    pub fn get_joined(&self, prefix: &str, name: &str) -> String {
        let mut buf = [0u8; 64];
        let n = prefix.len() + name.len();
        if n > buf.len() {
            return self.get(&format!("{prefix}{name}"));
        }
        buf[..prefix.len()].copy_from_slice(prefix.as_bytes());
        buf[prefix.len()..n].copy_from_slice(name.as_bytes());
        // Two whole `str`s side by side are valid UTF-8.
        self.get(std::str::from_utf8(&buf[..n]).unwrap_or_default())
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
        assert_eq!(s.get_joined("measure.", "lt"), "dưới {value}");
        assert_eq!(s.get_joined("no", "pe"), "[nope]");
        let long = "x".repeat(70);
        assert_eq!(s.get_joined("measure.", &long), format!("[measure.{long}]"));
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
}
