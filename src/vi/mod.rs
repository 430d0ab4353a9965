//! Vietnamese text conventions: numbers, dates, slugs and alphabetical order.
//! Kept apart from the model so every page and data file formats the same way.

pub mod collate;
pub mod date;
pub mod number;
pub mod slug;

/// Whether `s` is in composed form (NFC) for certain (unicode-normalization's quick
/// check; a "maybe" counts as no, and the caller then normalises). Every source file
/// passes through this: a hand-made fast path for Vietnamese ranges saved no measurable
/// time (docs/benchmarks.md, "Choices measured").
pub fn is_nfc(s: &str) -> bool {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    is_nfc_quick(s.chars()) == IsNormalized::Yes
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
}
