//! Vietnamese alphabetical order with natural numbers.
//!
//! The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y: the
//! vowels with a hat or horn and đ are letters of their own, while tone marks only
//! break ties (primary key: letters; secondary: tones, in the order
//! ngang, huyền, hỏi, ngã, sắc, nặng). Digit runs compare as numbers, so
//! "Phường 2" sorts before "Phường 12". Input is NFC-normalised first, so "Hoà" and
//! "Hòa" are equal.

use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

const ALPHABET: &str = "aăâbcdđeêghiklmnoôơpqrstuưvxy";

/// A sort key: compare keys with `Ord` to get Vietnamese order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    primary: Vec<Part>,
    secondary: Vec<u8>,
    original: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    // Numbers sort before letters, as in most dictionaries' indices.
    Number(u128),
    Letter(u16),
}

/// Split a precomposed lowercase letter into (base letter of the alphabet, tone 0..=5).
fn base_and_tone(c: char) -> (char, u8) {
    // Decompose, then put back the hat/horn/breve (they make letters) and keep the tone.
    let mut base = None;
    let mut tone = 0u8;
    let mut modifier = None;
    for d in c.nfd() {
        match d {
            '\u{0300}' => tone = 1, // huyền
            '\u{0309}' => tone = 2, // hỏi
            '\u{0303}' => tone = 3, // ngã
            '\u{0301}' => tone = 4, // sắc
            '\u{0323}' => tone = 5, // nặng
            '\u{0306}' | '\u{0302}' | '\u{031B}' => modifier = Some(d),
            _ => base = Some(d),
        }
    }
    let base = base.unwrap_or(c);
    let letter = match (base, modifier) {
        ('a', Some('\u{0306}')) => 'ă',
        ('a', Some('\u{0302}')) => 'â',
        ('e', Some('\u{0302}')) => 'ê',
        ('o', Some('\u{0302}')) => 'ô',
        ('o', Some('\u{031B}')) => 'ơ',
        ('u', Some('\u{031B}')) => 'ư',
        (b, _) => b,
    };
    (letter, tone)
}

/// Build the sort key of a text.
pub fn key(text: &str) -> Key {
    let normal: String = text.nfc().collect::<String>().to_lowercase();
    let mut primary = Vec::new();
    let mut secondary = Vec::new();
    let mut word_tone = 0u8;
    let mut chars = normal.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut n: u128 = c.to_digit(10).unwrap() as u128;
            while let Some(&d) = chars.peek() {
                if let Some(v) = d.to_digit(10).filter(|_| d.is_ascii_digit()) {
                    n = n.saturating_mul(10).saturating_add(v as u128);
                    chars.next();
                } else {
                    break;
                }
            }
            primary.push(Part::Number(n));
            continue;
        }
        if !c.is_alphanumeric() {
            // Spaces and punctuation do not order names; they end a syllable, whose
            // tone is one secondary weight wherever the mark sits ("Hoà" = "Hòa").
            if word_tone > 0 {
                secondary.push(word_tone);
            } else if !secondary.is_empty() || !primary.is_empty() {
                secondary.push(0);
            }
            word_tone = 0;
            continue;
        }
        let (letter, tone) = base_and_tone(c);
        word_tone = word_tone.max(tone);
        let rank = ALPHABET
            .chars()
            .position(|a| a == letter)
            .map(|p| p as u16 + 1)
            // Letters outside the Vietnamese alphabet (f, j, w, z …) after their neighbours.
            .unwrap_or(1000 + letter as u16 % 1000);
        primary.push(Part::Letter(rank));
    }
    secondary.push(word_tone);
    Key { primary, secondary, original: text.to_string() }
}

/// Compare two texts in Vietnamese order.
pub fn compare(a: &str, b: &str) -> Ordering {
    key(a).cmp(&key(b))
}

/// Sort items by a text in Vietnamese order (stable, key computed once per item).
pub fn sort_by_key<T>(items: &mut [T], f: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| key(f(item)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        v.sort_by(|a, b| compare(a, b));
        v
    }

    #[test]
    fn natural_numbers() {
        assert_eq!(
            sorted(vec!["Phường 12", "Phường 2", "Phường 14", "Phường 1"]),
            vec!["Phường 1", "Phường 2", "Phường 12", "Phường 14"]
        );
    }

    #[test]
    fn vietnamese_letters_follow_their_base() {
        assert_eq!(sorted(vec!["Đức", "Dương", "Ân"]), vec!["Ân", "Dương", "Đức"]);
        assert_eq!(sorted(vec!["ơ", "ô", "o"]), vec!["o", "ô", "ơ"]);
        assert_eq!(sorted(vec!["ư", "v", "u"]), vec!["u", "ư", "v"]);
        assert_eq!(
            sorted(vec!["Gò Vấp", "Đức Phổ", "Bình Thạnh", "Cần Giờ"]),
            vec!["Bình Thạnh", "Cần Giờ", "Đức Phổ", "Gò Vấp"]
        );
    }

    #[test]
    fn tones_only_break_ties() {
        assert_eq!(sorted(vec!["má", "ma", "mà"]), vec!["ma", "mà", "má"]);
        // "Hoàng" (tone on a) vs "Hoa" (no tone): the letters decide first.
        assert_eq!(sorted(vec!["Hoàng", "Hoa"]), vec!["Hoa", "Hoàng"]);
    }

    #[test]
    fn nfc_and_nfd_spellings_are_equal() {
        let (a, b) = (key("Phổ Hòa"), key("Pho\u{0302}\u{0309} Ho\u{0300}a"));
        assert_eq!((a.primary, a.secondary), (b.primary, b.secondary));
        let (a, b) = (key("Hoà"), key("Hòa"));
        assert_eq!((a.primary, a.secondary), (b.primary, b.secondary));
    }
}
