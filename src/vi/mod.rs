//! Vietnamese text conventions: numbers, dates, slugs and alphabetical order.
//! Kept apart from the model so every page and data file formats the same way.

pub mod collate;
pub mod date;
pub mod number;
pub mod slug;

/// Whether `s` is in composed form (NFC) for certain (unicode-normalization's quick
/// check; a "maybe" counts as no, and the caller then normalises). Every source file
/// passes through this, so the characters Vietnamese is written with are passed over
/// byte by byte: everything below U+0300 (ASCII, Latin-1, Latin Extended-A and B: đ, ơ,
/// ư) and Latin Extended Additional (U+1E00–U+1EFF: ạ, ế, ữ …) is NFC on its own and a
/// starter, and none of them can be the second half of a composition (that half is a
/// quick-check "maybe"). Only the runs of other characters (quotes, dashes, combining
/// marks) go through the quick check, each starting after a starter as the check
/// expects. It was 4% of a build's instructions (callgrind, 100 × 5) without this.
pub fn is_nfc(s: &str) -> bool {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    let b = s.as_bytes();
    let fast = |i: usize| -> usize {
        // The length of the passed-over character at `i`, or 0. `s` is valid UTF-8, so
        // a lead byte is followed by its continuation bytes.
        match b[i] {
            0x00..=0x7F => 1,
            0xC2..=0xCB => 2,
            0xE1 if matches!(b[i + 1], 0xB8..=0xBB) => 3,
            _ => 0,
        }
    };
    let mut i = 0;
    while i < b.len() {
        let n = fast(i);
        if n > 0 {
            i += n;
            continue;
        }
        let start = i;
        while i < b.len() && fast(i) == 0 {
            i += 1;
            while i < b.len() && (b[i] & 0xC0) == 0x80 {
                i += 1;
            }
        }
        if is_nfc_quick(s[start..i].chars()) != IsNormalized::Yes {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    #[test]
    fn composed_text_is_told_from_decomposed() {
        assert!(super::is_nfc("Phường Đức Giang, chỉ tiêu ữ ạ"));
        assert!(super::is_nfc("Nghị quyết – “Xã Định Tân” … 🙂 漢"));
        // "ườ" typed decomposed: u + horn + grave.
        assert!(!super::is_nfc("Phu\u{31b}\u{300}ng"));
        assert!(!super::is_nfc("Nghị quyết – Phu\u{31b}\u{300}ng"));
        // U+2000 (en quad) is not NFC; combining marks out of order are not either.
        assert!(!super::is_nfc("a\u{2000}b"));
        assert!(!super::is_nfc("a\u{300}\u{323}"));
    }

    /// The passed-over ranges answer as the quick check over the whole text would: on
    /// random strings of Vietnamese letters, ASCII, combining marks, quotes and other
    /// scripts, composed or not.
    #[test]
    fn agrees_with_the_quick_check_on_random_text() {
        use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
        let pool: Vec<char> = "aAđĐơưạếữỹ Ỳ\u{1e00}\u{1eff}\u{2ff}\u{300}\u{301}\u{303}\u{309}\u{31b}\u{323}\u{340}\u{344}“”–…\u{2000}\u{2126}\u{212b}\u{f900}가\u{1161}\u{11a8}\u{0b47}\u{0b3e}漢🙂\t\n"
            .chars()
            .collect();
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..20_000 {
            let len = rng.usize(0..12);
            let s: String = (0..len).map(|_| pool[rng.usize(0..pool.len())]).collect();
            for t in [s.clone(), s.nfc().collect::<String>(), s.nfd().collect::<String>()] {
                let want = is_nfc_quick(t.chars()) == IsNormalized::Yes;
                assert_eq!(super::is_nfc(&t), want, "{t:?}");
            }
        }
    }
}
