//! Translation strings: every word a visitor reads that does not come from content.
//! Loaded from the theme's `i18n/<lang>.toml`, overridden key by key by the site's.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct Strings(pub BTreeMap<String, String>);

impl Strings {
    /// The string for `key`; a missing key shows as `[key]` so it is seen, not hidden.
    pub fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| format!("[{key}]"))
    }

    /// The string with `{name}` placeholders filled in.
    pub fn fmt(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut s = self.get(key);
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }
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
    }
}
