//! Vietnamese text conventions: numbers, dates, slugs and alphabetical order.
//! Kept apart from the model so every page and data file formats the same way.

pub mod collate;
pub mod date;
pub mod number;
pub mod slug;

/// Whether `s` is in composed form (NFC) for certain, answered fast for Vietnamese:
/// every character below U+0300 (ASCII, Latin-1, Latin Extended-A and -B: đ, ơ, ư …)
/// and in Latin Extended Additional (U+1E00–U+1EFF: ạ, ế, ữ …) is a starter that NFC
/// keeps as it is (the test below checks each one). Anything else (a combining mark,
/// another script) goes to the full quick check. Every source file passes through this.
pub fn is_nfc(s: &str) -> bool {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    s.chars().all(|c| (c as u32) < 0x300 || (0x1E00..=0x1EFF).contains(&(c as u32)))
        || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fast_ranges_are_composed_starters() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        for c in (0..0x300u32).chain(0x1E00..=0x1EFF).filter_map(char::from_u32) {
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "U+{:04X}", c as u32);
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
        }
        assert!(super::is_nfc("Phường Đức Giang, chỉ tiêu ữ ạ"));
        // "ườ" typed decomposed: u + horn + grave.
        assert!(!super::is_nfc("Phu\u{31b}\u{300}ng"));
    }
}
