//! Vietnamese text conventions: numbers, dates, slugs and alphabetical order.
//! Kept apart from the model so every page and data file formats the same way.

pub mod collate;
pub mod date;
pub mod number;
pub mod slug;

/// Whether `s` is in composed form (NFC) for certain, answered fast for Vietnamese:
/// every character below U+0300 (ASCII, Latin-1, Latin Extended-A and -B: đ, ơ, ư …),
/// in Latin Extended Additional (U+1E00–U+1EFF: ạ, ế, ữ …) and in U+2010–U+206F (dashes,
/// quotation marks, …) is a starter that NFC keeps as it is (the test below checks each
/// one). The check reads UTF-8 bytes: those ranges are told by their first one or two
/// bytes. Anything else (a combining mark, another script) goes to the full quick check.
/// Every source file passes through this.
pub fn is_nfc(s: &str) -> bool {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0x00..=0x7F => i += 1,
            // U+0080–U+02FF
            0xC2..=0xCB => i += 2,
            // U+1E00–U+1EFF
            0xE1 if matches!(b.get(i + 1), Some(0xB8..=0xBB)) => i += 3,
            // U+2010–U+206F
            0xE2 if matches!(b.get(i + 1..i + 3), Some([0x80, 0x90..=0xBF] | [0x81, 0x80..=0xAF])) => i += 3,
            _ => return is_nfc_quick(s.chars()) == IsNormalized::Yes,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fast_ranges_are_composed_starters() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        for c in (0..0x300u32).chain(0x1E00..=0x1EFF).chain(0x2010..=0x206F).filter_map(char::from_u32) {
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "U+{:04X}", c as u32);
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
        }
        assert!(super::is_nfc("Phường Đức Giang, chỉ tiêu ữ ạ"));
        // "ườ" typed decomposed: u + horn + grave.
        assert!(!super::is_nfc("Phu\u{31b}\u{300}ng"));
        assert!(!super::is_nfc("Nghị quyết – Phu\u{31b}\u{300}ng"));
        // Just outside the fast ranges: U+2000 (en quad) is not NFC, U+0300 combines.
        assert!(!super::is_nfc("a\u{2000}b"));
        assert!(!super::is_nfc("a\u{300}\u{323}"));
        assert!(super::is_nfc("Nghị quyết – “Xã Định Tân” … 🙂 漢"));
    }
}
