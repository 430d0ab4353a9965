//! URL slugs from Vietnamese names: tone marks dropped, `đ`/`Đ` → `d`, lower case,
//! words joined by `-`. deunicode does the transliteration (a hand-made NFD strip would
//! leave `đ`, which has no decomposition).

/// "Phường Đức Giang" → `phuong-duc-giang`.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// Fold a text for search and matching: lower case, tone marks and other combining
/// marks dropped (after NFD), đ → d. The one fold of the project: keywords of the
/// content ("chưa rõ") are matched with it, and the search index folds with it, as the
/// search page's script does (search.js: NFD, marks U+0300–U+036F dropped, đ → d,
/// lower case; the browser test checks they agree).
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_tones_and_maps_d() {
        assert_eq!(slugify("Phường Đức Giang"), "phuong-duc-giang");
        assert_eq!(slugify("Đường Đinh Tiên Hoàng — Hà Nội"), "duong-dinh-tien-hoang-ha-noi");
        assert_eq!(slugify("Phổ Hòa"), "pho-hoa");
        assert_eq!(slugify("Phổ Hoà"), "pho-hoa");
        assert_eq!(slugify("  Phường 14 "), "phuong-14");
        assert_eq!(slugify("nghi-quyet_dai-hoi.XIV"), "nghi-quyet-dai-hoi-xiv");
    }

    #[test]
    fn decomposed_input_gives_the_same_slug() {
        // "Hòa" written as o + combining grave (NFD).
        assert_eq!(slugify("Pho\u{0300} Ho\u{0300}a"), slugify("Phò Hòa"));
    }
}
