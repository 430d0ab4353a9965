//! Vietnamese alphabetical order, from ICU4X's collator and CLDR's Vietnamese tailoring
//! (compiled into the binary).
//!
//! Why a library: the order is a ă â b c d đ e ê … with tone marks breaking ties
//! (ngang, huyền, hỏi, ngã, sắc, nặng), and every other letter (f, j, w, z, foreign
//! names, other scripts) in its place too; CLDR's tables have all of that. Digit runs
//! compare as numbers ("Phường 2" before "Phường 12", the `kn` option); words compare
//! one by one ("An Phú" before "Anh"), as Vietnamese dictionaries order syllables.
//! Canonically equivalent spellings (composed or decomposed) collate alike.
//!
//! The order is total: two different texts the collator finds equal ("Hoa" and "HOA"
//! at most differ in case, which it does weigh) are ordered by their bytes, so a page
//! lists them the same way on every build.

use icu_collator::options::CollatorOptions;
use icu_collator::preferences::CollationNumericOrdering;
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use std::cmp::Ordering;
use std::sync::LazyLock;

static COLLATOR: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    let mut prefs = CollatorPreferences::from(&icu_locale_core::locale!("vi"));
    prefs.numeric_ordering = Some(CollationNumericOrdering::True);
    CollatorBorrowed::try_new(prefs, CollatorOptions::default()).expect("the compiled data has Vietnamese")
});

/// A sort key: compare keys with `Ord` to get Vietnamese order (the collator's key,
/// then the text's bytes). Made once per name and kept, since sorting compares each
/// name many times.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    collation: Vec<u8>,
    text: String,
}

/// The sort key of a text.
pub(crate) fn key(text: &str) -> Key {
    let mut collation = Vec::new();
    let Ok(()) = COLLATOR.write_sort_key_to(text, &mut collation);
    Key { collation, text: text.to_string() }
}

/// Compare two texts in Vietnamese order (as their keys compare).
pub fn compare(a: &str, b: &str) -> Ordering {
    COLLATOR.compare(a, b).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        v.sort_by(|a, b| compare(a, b));
        let mut by_key = v.clone();
        by_key.sort_by_cached_key(|s| key(s));
        assert_eq!(by_key, v, "keys order as `compare` does");
        v
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(
            sorted(vec!["Phường 12", "Phường 2", "Phường 10", "Phường 9", "Phường 1"]),
            vec!["Phường 1", "Phường 2", "Phường 9", "Phường 10", "Phường 12"]
        );
    }

    #[test]
    fn letters_with_hat_horn_or_breve_and_d_stroke_follow_their_base() {
        assert_eq!(sorted(vec!["â", "ă", "a", "b"]), vec!["a", "ă", "â", "b"]);
        assert_eq!(sorted(vec!["Đức", "Dương", "Ân", "Em"]), vec!["Ân", "Dương", "Đức", "Em"]);
        assert_eq!(sorted(vec!["ơ", "ô", "o", "p"]), vec!["o", "ô", "ơ", "p"]);
        assert_eq!(sorted(vec!["ư", "v", "u"]), vec!["u", "ư", "v"]);
        // A base letter's every word comes before the next letter's: "ăn" after "az".
        assert_eq!(sorted(vec!["ăn", "az", "âm"]), vec!["az", "ăn", "âm"]);
        assert_eq!(
            sorted(vec!["Gò Vấp", "Đức Phổ", "Bình Thạnh", "Cần Giờ", "Củ Chi"]),
            vec!["Bình Thạnh", "Cần Giờ", "Củ Chi", "Đức Phổ", "Gò Vấp"]
        );
    }

    #[test]
    fn tones_only_break_ties_in_their_order() {
        // ngang, huyền, hỏi, ngã, sắc, nặng.
        assert_eq!(sorted(vec!["mạ", "má", "mã", "mả", "mà", "ma"]), vec!["ma", "mà", "mả", "mã", "má", "mạ"]);
        assert_eq!(sorted(vec!["Hoàng", "Hoa"]), vec!["Hoa", "Hoàng"]);
        assert_eq!(sorted(vec!["mb", "mà"]), vec!["mà", "mb"]);
    }

    #[test]
    fn foreign_letters_stand_in_their_latin_place() {
        // f after e, j after i, w after v, z after y; the old table put them after y.
        assert_eq!(sorted(vec!["Gia", "Fa", "Em"]), vec!["Em", "Fa", "Gia"]);
        assert_eq!(sorted(vec!["Kim", "Jun", "Im"]), vec!["Im", "Jun", "Kim"]);
        assert_eq!(sorted(vec!["Xa", "Wa", "Vy"]), vec!["Vy", "Wa", "Xa"]);
        assert_eq!(sorted(vec!["Zô", "Yên"]), vec!["Yên", "Zô"]);
        // Letters far apart in Unicode no longer share a key: the old table ranked a
        // foreign letter by its code point modulo 1000, so j (U+006A) and ђ (U+0452) tied.
        assert_ne!(key("j").collation, key("\u{452}").collation);
        assert_eq!(sorted(vec!["\u{452}", "j", "k"]), vec!["j", "k", "\u{452}"]);
    }

    #[test]
    fn words_compare_one_by_one() {
        assert_eq!(sorted(vec!["Anh", "An Phú", "An"]), vec!["An", "An Phú", "Anh"]);
    }

    #[test]
    fn spellings_of_one_text_collate_alike_and_the_order_is_total() {
        assert_eq!(key("Phổ Hòa").collation, key("Pho\u{0302}\u{0309} Ho\u{0300}a").collation);
        assert_eq!(compare("Phổ Hòa", "Phổ Hòa"), Ordering::Equal);
        // Equal to the collator, different texts: still one order, by bytes.
        let (a, b) = ("Pho\u{0302}\u{0309}", "Phổ");
        assert_eq!(compare(a, b), a.cmp(b));
        assert_eq!(key(a).cmp(&key(b)), a.cmp(b));
        assert_ne!(key(a), key(b));
    }
}
