//! The site's indicator vocabulary (`content/indicators.yaml`), to suggest an
//! indicator key for an item whose words match an indicator's name. A suggestion is
//! made only when most of the name's word pairs are in the item's words: an item
//! matching no indicator gets none, and `check` never sees a key the site lacks.

use crate::vi::slug::fold;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// (key, the name's folded word pairs, the name's folded words)
    indicators: Vec<(String, BTreeSet<String>, BTreeSet<String>)>,
    /// (key, folded name) of the fields.
    pub fields: Vec<(String, String)>,
}

#[derive(serde::Deserialize, Default)]
struct Raw {
    #[serde(default)]
    fields: Vec<RawEntry>,
    #[serde(default)]
    indicators: Vec<RawEntry>,
}

#[derive(serde::Deserialize)]
struct RawEntry {
    key: String,
    name: String,
}

/// Words that say nothing about which indicator: "tỷ lệ", "số", "các" …
const STOP: &[&str] = &[
    "ty", "le", "so", "cac", "cua", "va", "duoc", "dat", "tren", "duoi", "nam", "moi", "hang", "co", "tai", "theo",
    "tham", "gia", "phan", "dau",
];

fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

fn pairs(words: &[String]) -> BTreeSet<String> {
    words.windows(2).map(|w| format!("{} {}", w[0], w[1])).collect()
}

impl Vocabulary {
    /// The vocabulary file, or an empty vocabulary when there is none (or it does not
    /// parse: `check` says why).
    pub fn load(path: &Path) -> Vocabulary {
        let Ok(text) = std::fs::read_to_string(path) else { return Vocabulary::default() };
        let raw: Raw = serde_saphyr::from_str(&text).unwrap_or_default();
        let indicators = raw
            .indicators
            .into_iter()
            .map(|e| {
                let w = words(&e.name);
                let content: BTreeSet<String> = w.iter().filter(|x| !STOP.contains(&x.as_str())).cloned().collect();
                (e.key, pairs(&w), content)
            })
            .collect();
        let fields = raw.fields.into_iter().map(|f| (f.key, fold(&f.name))).collect();
        Vocabulary { indicators, fields }
    }

    /// The vocabulary of the site a unit folder is in (`content/indicators.yaml`).
    pub fn for_unit(unit: &Path) -> Vocabulary {
        let abs = std::fs::canonicalize(unit).unwrap_or_else(|_| unit.to_path_buf());
        abs.ancestors()
            .find(|a| a.file_name().is_some_and(|n| n == "content"))
            .map(|c| Vocabulary::load(&c.join("indicators.yaml")))
            .unwrap_or_default()
    }

    /// The indicator whose name the text says best, if one is clearly said.
    pub fn suggest(&self, text: &str) -> Option<&str> {
        let w = words(text);
        let have_pairs = pairs(&w);
        let have: BTreeSet<&String> = w.iter().collect();
        let mut best: Option<(f64, usize, &str)> = None;
        for (key, name_pairs, content) in &self.indicators {
            if content.is_empty() {
                continue;
            }
            let words_in = content.iter().filter(|x| have.contains(x)).count();
            let pairs_in = name_pairs.iter().filter(|p| have_pairs.contains(*p)).count();
            let share = words_in as f64 / content.len() as f64;
            let pair_share = if name_pairs.is_empty() { share } else { pairs_in as f64 / name_pairs.len() as f64 };
            let score = 0.5 * share + 0.5 * pair_share;
            if share >= 0.75
                && (pairs_in >= 1 || content.len() == 1)
                && words_in >= 2.min(content.len())
                && best.is_none_or(|(s, n, _)| score > s || (score == s && words_in > n))
            {
                best = Some((score, words_in, key));
            }
        }
        best.map(|(_, _, k)| k)
    }

    /// The field a group's heading names ("Về kinh tế - đô thị" → kinh-te).
    pub fn field_of(&self, heading: &str) -> Option<&str> {
        let h = fold(heading);
        let key_words = |name: &str| -> Vec<String> {
            name.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 1).map(str::to_string).collect()
        };
        self.fields
            .iter()
            .map(|(k, name)| {
                let w = key_words(name);
                let hit = w.iter().filter(|x| h.contains(x.as_str())).count();
                (hit as f64 / w.len().max(1) as f64, k)
            })
            .filter(|(s, _)| *s >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k.as_str())
    }

    pub fn has(&self, key: &str) -> bool {
        self.indicators.iter().any(|(k, _, _)| k == key)
    }
}
