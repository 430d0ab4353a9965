//! The administrative levels a unit can be (`level:` in its `_index.md`), each once:
//! its word, the tiers it can stand at, and the folder-name prefixes that suggest it.
//! The model checks `level:` against this list and a unit against its parent's tier,
//! `minhbach new unit` guesses a level from the folder name and lists the levels in the
//! file it writes, and docs/content-format.md lists them (a test checks it does).

/// One level: its word as written in `level:`, the tiers it can stand at (1 = province,
/// 2 = district, 3 = ward, 4 = below a ward), and folder-name prefixes besides its slug.
pub(crate) struct Level {
    pub(crate) name: &'static str,
    pub(crate) tiers: (u8, u8),
    pub(crate) also: &'static [&'static str],
}

const fn level(name: &'static str, tiers: (u8, u8), also: &'static [&'static str]) -> Level {
    Level { name, tiers, also }
}

/// Every level, from the top. "thành phố" is a province-level city or a city inside a
/// province.
pub(crate) const LEVELS: &[Level] = &[
    level("tỉnh", (1, 1), &[]),
    level("thành phố", (1, 2), &["tp"]),
    level("quận", (2, 2), &[]),
    level("huyện", (2, 2), &[]),
    level("thị xã", (2, 2), &[]),
    level("thành phố thuộc tỉnh", (2, 2), &[]),
    level("phường", (3, 3), &[]),
    level("xã", (3, 3), &[]),
    level("thị trấn", (3, 3), &[]),
    level("đặc khu", (3, 3), &[]),
    level("khu phố", (4, 4), &[]),
    level("tổ dân phố", (4, 4), &[]),
    level("thôn", (4, 4), &[]),
    level("ấp", (4, 4), &[]),
    level("khu vực", (4, 4), &[]),
];

/// Every level's word, from the top.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    LEVELS.iter().map(|l| l.name)
}

/// The tiers a level can stand at, or None for a word that is no level.
pub(crate) fn tiers(name: &str) -> Option<(u8, u8)> {
    LEVELS.iter().find(|l| l.name == name).map(|l| l.tiers)
}

/// The level a folder name suggests ("phuong-tan-dinh" → phường), and the rest of it.
/// The longest prefix wins: "thanh-pho-thuoc-tinh-…" is not a "thanh-pho-…".
pub(crate) fn from_slug(slug: &str) -> Option<(&'static str, String)> {
    LEVELS
        .iter()
        .flat_map(|l| {
            std::iter::once(crate::vi::slug::slugify(l.name))
                .chain(l.also.iter().map(|a| a.to_string()))
                .map(|p| (l.name, p + "-"))
        })
        .filter(|(_, p)| slug.starts_with(p.as_str()))
        .max_by_key(|(_, p)| p.len())
        .map(|(name, p)| (name, slug[p.len()..].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_suggest_levels() {
        assert_eq!(from_slug("phuong-tan-dinh"), Some(("phường", "tan-dinh".into())));
        assert_eq!(from_slug("tp-ho-chi-minh"), Some(("thành phố", "ho-chi-minh".into())));
        assert_eq!(from_slug("thanh-pho-thuoc-tinh-ba-ria"), Some(("thành phố thuộc tỉnh", "ba-ria".into())));
        assert_eq!(from_slug("thi-xa-son-tay"), Some(("thị xã", "son-tay".into())));
        assert_eq!(from_slug("dac-khu-phu-quoc"), Some(("đặc khu", "phu-quoc".into())));
        assert_eq!(from_slug("ha-noi"), None);
        // Every level can be suggested by its own slug.
        for name in names() {
            let slug = format!("{}-a", crate::vi::slug::slugify(name));
            assert_eq!(from_slug(&slug), Some((name, "a".into())), "{slug}");
        }
    }

    #[test]
    fn tiers_go_down_the_list() {
        assert_eq!(tiers("tỉnh"), Some((1, 1)));
        // A "thành phố" is a province-level city or a city inside a province.
        assert_eq!(tiers("thành phố"), Some((1, 2)));
        assert_eq!(tiers("quận"), Some((2, 2)));
        assert_eq!(tiers("phường"), Some((3, 3)));
        assert_eq!(tiers("tổ dân phố"), Some((4, 4)));
        assert_eq!(tiers("ấp"), Some((4, 4)));
        assert_eq!(tiers("làng"), None);
        assert!(LEVELS.windows(2).all(|w| w[0].tiers.0 <= w[1].tiers.0));
    }

    /// The content format's documentation lists every level, in the row of its tier
    /// ("| ward | `phường`, `xã`, … |"), and nothing else, as a site owner looks them up
    /// there.
    #[test]
    fn the_docs_list_every_level_at_its_tier() {
        let docs = include_str!("../../docs/content-format.md");
        let start = docs.find("| tier | levels |").expect("docs/content-format.md has the table of levels");
        let rows: Vec<&str> = docs[start..].lines().skip(2).take_while(|l| l.starts_with('|')).collect();
        assert_eq!(rows.len(), 4, "one row per tier: {rows:?}");
        let quoted = |row: &str| -> Vec<String> { row.split('`').skip(1).step_by(2).map(str::to_string).collect() };
        for l in LEVELS {
            let at: Vec<u8> = (1..=4u8).filter(|&t| quoted(rows[t as usize - 1]).iter().any(|q| q == l.name)).collect();
            assert!(!at.is_empty(), "docs/content-format.md lists the level `{}`", l.name);
            assert!(
                at.iter().all(|t| (l.tiers.0..=l.tiers.1).contains(t)),
                "docs/content-format.md lists `{}` at tier(s) {at:?}; it stands at {:?}",
                l.name,
                l.tiers
            );
        }
        for row in rows {
            for q in quoted(row) {
                assert!(tiers(&q).is_some(), "docs/content-format.md lists `{q}`, which is no level");
            }
        }
    }
}
