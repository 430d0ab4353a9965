//! Translation strings: every word a visitor reads that does not come from content.
//! Loaded from the theme's `i18n/<lang>.toml`, overridden key by key by the site's.

use crate::diagnostics::{Diagnostic, Diagnostics, Kind, closest};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;

/// The strings of the site's language, looked up from Rust (view builders, feeds, data
/// files; templates call `t`, which fails on a missing key by itself). A key the theme
/// lacks reads `[key]` in the page and is kept, so the build reports it as an error
/// ([`Strings::missing`]) instead of publishing `[key]`.
#[derive(Debug)]
pub struct Strings {
    map: BTreeMap<String, String>,
    /// The file a missing key is to be added to, as shown to the user.
    file: String,
    /// Keys looked up and not found (locked on a miss only: a hit reads `map`).
    missed: Mutex<BTreeSet<String>>,
    /// The decimal mark and the thousands separator (`number.decimal`, `number.group`):
    /// "37,81" and "1.300" in Vietnamese, "37.81" and "1,300" in English.
    marks: (char, char),
}

impl Default for Strings {
    fn default() -> Self {
        Strings::new(BTreeMap::new(), "")
    }
}

impl Strings {
    /// `map` read from the theme and site; `file`: where the theme's keys are written.
    pub(crate) fn new(map: BTreeMap<String, String>, file: impl Into<String>) -> Self {
        let mark = |key: &str, default: char| {
            map.get(key).and_then(|m| m.chars().next()).filter(|c| !c.is_alphanumeric()).unwrap_or(default)
        };
        let marks = (mark("number.decimal", ','), mark("number.group", '.'));
        Strings { map, file: file.into(), missed: Mutex::default(), marks }
    }

    /// A number in this language's marks, at most `decimals` decimals (`vi::number::format`).
    pub(crate) fn number(&self, v: f64, decimals: usize) -> String {
        self.marked(crate::vi::number::format(v, decimals))
    }

    /// A number as written, in this language's marks (`vi::number::format_auto`).
    pub(crate) fn number_auto(&self, v: f64) -> String {
        self.marked(crate::vi::number::format_auto(v))
    }

    /// Vietnamese marks (`,` decimal, `.` group) swapped for this language's.
    fn marked(&self, vi: String) -> String {
        if self.marks == (',', '.') {
            return vi;
        }
        let (decimal, group) = self.marks;
        vi.chars()
            .map(|c| match c {
                ',' => decimal,
                '.' => group,
                c => c,
            })
            .collect()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.map.iter()
    }

    /// Every key looked up so far that the strings lack, one error each, naming the
    /// file to add it to.
    pub(crate) fn missing(&self) -> Diagnostics {
        let missed = self.missed.lock().unwrap_or_else(|e| e.into_inner());
        Diagnostics(
            missed
                .iter()
                .map(|key| {
                    let (table, name) = key.split_once('.').unwrap_or(("", key));
                    let line = if table.is_empty() {
                        format!("`{name} = \"…\"` at its top")
                    } else {
                        format!("`{name} = \"…\"` under `[{table}]`")
                    };
                    Diagnostic::new(&self.file, format!("the translation string `{key}` is missing"))
                        .kind(Kind::Translation)
                        .hint(format!("add {line}, in the words a visitor should read; pages show `[{key}]` instead"))
                })
                .collect(),
        )
    }

    fn miss(&self, key: &str) -> String {
        self.missed.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_string());
        format!("[{key}]")
    }

    /// The written-out form of a date, as documents write it in their date line ("ngày
    /// 22 tháng 5 năm 2020"), from the patterns `date.long_day`, `long_month` and
    /// `long_year` with `{day}`, `{month}` and `{year}`.
    pub(crate) fn long_date(&self, d: &crate::vi::date::VnDate) -> String {
        use crate::vi::date::Precision;
        let key = match d.precision {
            Precision::Day => "date.long_day",
            Precision::Month => "date.long_month",
            Precision::Year => "date.long_year",
        };
        self.fmt(key, &[("day", d.day.to_string()), ("month", d.month.to_string()), ("year", d.year.to_string())])
    }

    /// The string for `key`; a missing key shows as `[key]` and is an error of the
    /// build ([`Strings::missing`]).
    pub(crate) fn get(&self, key: &str) -> String {
        self.map.get(key).cloned().unwrap_or_else(|| self.miss(key))
    }

    /// The string with `{name}` placeholders filled in, in one pass over the string (it
    /// runs for nearly every cell of every table, so no intermediate strings).
    pub(crate) fn fmt(&self, key: &str, args: &[(&str, String)]) -> String {
        let Some(template) = self.map.get(key) else {
            return self.miss(key);
        };
        fill(template, args)
    }
}

/// `template` with each `{name}` of `args` replaced; other braces are kept as written.
/// Byte scans, not `str::find` with a char: templates are a few dozen bytes, and the
/// char searcher's set-up cost more than the scan (this runs for most table cells).
pub(crate) fn fill(template: &str, args: &[(&str, String)]) -> String {
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

/// One string of a translation file, with the byte offsets of its key and value.
#[derive(Debug, Clone)]
pub(crate) struct Translation {
    pub key: String,
    pub value: String,
    key_at: usize,
    value_at: usize,
}

/// The strings of a translation file (TOML: `key = "text"`; a `[table]` groups keys as
/// `table.key`). Every problem is pushed to `diags`, located; what could be read is kept.
pub(crate) fn parse(text: &str, shown: &Path, diags: &mut Diagnostics) -> Vec<Translation> {
    // One error, the cause: the parser's first, unless one on an earlier line came later
    // (a string left open is reported after the lines it swallowed).
    let (table, errors) = toml::de::DeTable::parse_recoverable(text);
    let at = |e: &toml::de::Error| line_col(text, e.span().map(|s| s.start).unwrap_or(0));
    let earliest = errors.iter().min_by_key(|e| at(e).0);
    if let Some(e) =
        errors.first().zip(earliest).map(|(first, early)| if at(early).0 < at(first).0 { early } else { first })
    {
        let (line, col) = at(e);
        diags.push(
            Diagnostic::new(shown, format!("not valid TOML: {}", plain(e.message().trim())))
                .kind(Kind::Syntax)
                .at(text, line, col)
                .hint("translation strings are written one a line: key = \"text\""),
        );
        return Vec::new();
    }
    let table = table.into_inner();
    let mut out = Vec::new();
    collect("", &table, text, shown, &mut out, diags);
    out
}

/// The TOML parser's words for a string left open, in plain words.
fn plain(msg: &str) -> String {
    let open = msg
        .strip_prefix("invalid basic string, expected")
        .or_else(|| msg.strip_prefix("invalid literal string, expected"));
    match open {
        Some(quote) => format!("the text in quotes is not closed: expected{quote} here"),
        None => msg.to_string(),
    }
}

fn collect(
    prefix: &str,
    table: &toml::de::DeTable<'_>,
    text: &str,
    shown: &Path,
    out: &mut Vec<Translation>,
    diags: &mut Diagnostics,
) {
    for (k, v) in table {
        let key = if prefix.is_empty() { k.get_ref().to_string() } else { format!("{prefix}.{}", k.get_ref()) };
        match v.get_ref() {
            toml::de::DeValue::String(s) => {
                out.push(Translation { key, value: s.to_string(), key_at: k.span().start, value_at: v.span().start })
            }
            toml::de::DeValue::Table(sub) => collect(&key, sub, text, shown, out, diags),
            other => {
                let (line, col) = line_col(text, v.span().start);
                diags.push(
                    Diagnostic::new(shown, format!("`{key}` must be text in quotes, not {}", kind(other)))
                        .kind(Kind::Translation)
                        .at(text, line, col)
                        .hint(format!("write {} = \"…\"", k.get_ref())),
                );
            }
        }
    }
}

/// What a TOML value is, in plain words.
fn kind(v: &toml::de::DeValue<'_>) -> &'static str {
    match v {
        toml::de::DeValue::Integer(_) | toml::de::DeValue::Float(_) => "a number",
        toml::de::DeValue::Boolean(_) => "true or false",
        toml::de::DeValue::Datetime(_) => "a date",
        toml::de::DeValue::Array(_) => "a list",
        toml::de::DeValue::String(_) | toml::de::DeValue::Table(_) => "a group of keys",
    }
}

/// Check a site's own strings against the theme's (`reference`, read from
/// `reference_shown`): only the theme's keys, each keeping the theme's `{placeholders}`,
/// since templates fill in exactly those. With `complete`, the site's file is the only one
/// for its language and must also give every key.
pub(crate) fn check_override(
    entries: &[Translation],
    text: &str,
    shown: &Path,
    reference: &BTreeMap<String, String>,
    reference_shown: &str,
    complete: bool,
    diags: &mut Diagnostics,
) {
    if reference.is_empty() {
        return;
    }
    for e in entries {
        let Some(theirs) = reference.get(&e.key) else {
            let (line, col) = line_col(text, e.key_at);
            let hint = match closest(&e.key, reference.keys().map(String::as_str)) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("a site's strings can only change the theme's; its keys are in {reference_shown}"),
            };
            diags.push(
                Diagnostic::new(shown, format!("unknown translation key `{}`", e.key))
                    .kind(Kind::Translation)
                    .at(text, line, col)
                    .hint(hint),
            );
            continue;
        };
        let (want, have) = (placeholders(theirs), placeholders(&e.value));
        let list = |set: Vec<&&str>| set.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", ");
        let (extra, missing) = (list(have.difference(&want).collect()), list(want.difference(&have).collect()));
        // A renamed placeholder is one mistake, so one error says both sides.
        let msg = match (extra.is_empty(), missing.is_empty()) {
            (true, true) => continue,
            (false, true) => format!("`{}` has a placeholder {extra} that is never filled in", e.key),
            (true, false) => {
                format!("`{}` leaves out the placeholder {missing}, so that part vanishes from every page", e.key)
            }
            (false, false) => format!("`{}` has the placeholder {extra} instead of {missing}", e.key),
        };
        let hint = if want.is_empty() {
            format!("the theme's text is \"{theirs}\", with no placeholder")
        } else {
            format!(
                "the theme's text is \"{theirs}\": keep its placeholders, spelt the same: {}",
                list(want.iter().collect())
            )
        };
        let (line, col) = line_col(text, e.value_at);
        diags.push(Diagnostic::new(shown, msg).kind(Kind::Translation).at(text, line, col).hint(hint));
    }
    if complete {
        let given: BTreeSet<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        let missing: Vec<&str> = reference.keys().map(String::as_str).filter(|k| !given.contains(k)).collect();
        if !missing.is_empty() {
            let first: Vec<String> = missing.iter().take(5).map(|k| format!("`{k}`")).collect();
            let more = if missing.len() > 5 { format!(" and {} more", missing.len() - 5) } else { String::new() };
            diags.push(
                Diagnostic::new(
                    shown,
                    format!("{} of the theme's strings are missing: {}{more}", missing.len(), first.join(", ")),
                )
                .kind(Kind::Translation)
                .hint(format!(
                    "the theme has no strings for this language: copy {reference_shown} here and translate every value"
                )),
            );
        }
    }
}

/// The `{name}` placeholders of a string (a name of letters, digits and `_`); other
/// braces are text, as `fill` keeps them.
pub(crate) fn placeholders(s: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(close) = rest.find(['{', '}'])
            && rest[close..].starts_with('}')
            && close > 0
            && rest[..close].chars().all(|c| c.is_alphanumeric() || c == '_')
        {
            out.insert(&rest[..close]);
        }
    }
    out
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders_and_shows_missing_keys() {
        let mut m = BTreeMap::new();
        m.insert("measure.lt".to_string(), "dưới {value}".to_string());
        let s = Strings::new(m, "themes/x/i18n/vi.toml");
        assert_eq!(s.fmt("measure.lt", &[("value", "0,5%".into())]), "dưới 0,5%");
        assert!(s.missing().is_empty());
        assert_eq!(s.get("nope"), "[nope]");
        assert_eq!(s.fmt("feed.unit_title", &[("unit", "x".into())]), "[feed.unit_title]");
        assert_eq!(s.get("nope"), "[nope]");
        let missing: Vec<String> = s.missing().0.iter().map(|d| format!("{} {}", d.location(), d.message)).collect();
        assert_eq!(
            missing,
            [
                "themes/x/i18n/vi.toml the translation string `feed.unit_title` is missing",
                "themes/x/i18n/vi.toml the translation string `nope` is missing"
            ]
        );
        assert!(s.missing().0[0].hint.as_deref().unwrap().starts_with("add `unit_title = \"…\"` under `[feed]`"));
        let mut m = BTreeMap::new();
        m.insert("date.long_day".to_string(), "ngày {day} tháng {month} năm {year}".to_string());
        m.insert("date.long_year".to_string(), "năm {year}".to_string());
        let dates = Strings::new(m, "vi.toml");
        let day = crate::vi::date::parse("2020-05-22").unwrap();
        assert_eq!(dates.long_date(&day), "ngày 22 tháng 5 năm 2020");
        assert_eq!(dates.long_date(&crate::vi::date::parse("2025").unwrap()), "năm 2025");
        assert_eq!(dates.long_date(&crate::vi::date::parse("2022-12").unwrap()), "[date.long_month]");
        assert_eq!(fill("{a} và {b}, {a}", &[("a", "x".into()), ("b", "y".into())]), "x và y, x");
        assert_eq!(fill("{không} {a", &[("a", "x".into())]), "{không} {a");
        assert_eq!(fill("{a{a}}ư{", &[("a", "x".into())]), "{ax}ư{");
        assert_eq!(fill("", &[("a", "x".into())]), "");
    }

    #[test]
    fn the_themes_english_strings_have_the_vietnamese_keys_and_placeholders() {
        let read = |name: &str| {
            let text =
                std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n").join(name))
                    .unwrap();
            let mut diags = Diagnostics::default();
            let entries: BTreeMap<String, String> =
                parse(&text, Path::new(name), &mut diags).into_iter().map(|e| (e.key, e.value)).collect();
            assert!(diags.is_empty(), "{name}: {diags}");
            entries
        };
        let (vi, en) = (read("vi.toml"), read("en.toml"));
        assert_eq!(vi.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>(), "en.toml has vi.toml's keys");
        for (k, v) in &vi {
            assert_eq!(placeholders(v), placeholders(&en[k]), "`{k}`: the same placeholders");
        }
    }

    #[test]
    fn placeholders_are_braced_names_only() {
        let p = |s: &str| placeholders(s).into_iter().map(String::from).collect::<Vec<_>>();
        assert_eq!(p("từ {min} đến {max}, {min}"), ["max", "min"]);
        assert_eq!(p("ngày {ngày}"), ["ngày"]);
        assert!(p("{} {a b} {a{b}").len() == 1 && p("{} {a b} {a{b}")[0] == "b");
        assert!(p("không có").is_empty());
    }

    #[test]
    fn a_site_may_only_change_the_themes_strings_keeping_their_placeholders() {
        let theme: BTreeMap<String, String> = [("home", "Trang chủ"), ("date.long_year", "năm {year}")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let run = |text: &str, complete: bool| {
            let mut diags = Diagnostics::default();
            let entries = parse(text, Path::new("i18n/vi.toml"), &mut diags);
            check_override(&entries, text, Path::new("i18n/vi.toml"), &theme, "theme.toml", complete, &mut diags);
            diags.sorted().0.iter().map(|d| format!("{} {}", d.location(), d.message)).collect::<Vec<_>>()
        };
        assert!(run("home = \"Trang đầu\"\n[date]\nlong_year = \"{year}\"\n", false).is_empty());
        assert_eq!(
            run("[date]\nlong_yaer = \"{year}\"\n", false),
            ["i18n/vi.toml:2:1 unknown translation key `date.long_yaer`"]
        );
        assert_eq!(
            run("date.long_year = \"năm\"\nhome = true\n", false),
            [
                "i18n/vi.toml:1:18 `date.long_year` leaves out the placeholder {year}, so that part vanishes from every page",
                "i18n/vi.toml:2:8 `home` must be text in quotes, not true or false"
            ]
        );
        // The only file of its language: every key must be there.
        assert_eq!(
            run("home = \"Home\"\n", true),
            ["i18n/vi.toml 1 of the theme's strings are missing: `date.long_year`"]
        );
        assert_eq!(
            run("home = \"x\nx\"", false)[0],
            "i18n/vi.toml:1:10 not valid TOML: the text in quotes is not closed: expected `\"` here"
        );
    }
}
