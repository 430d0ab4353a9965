//! Splitting a Markdown file into its YAML front matter and its body.
//!
//! Done by hand rather than by a crate because errors must point at lines of the `.md`
//! file: we need to know on which line the YAML starts. A UTF-8 BOM and CRLF line ends
//! (files saved by Windows editors) are accepted.

/// A file split into front matter and body, with the line numbers each starts on.
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the file on which the YAML's first line stands.
    pub yaml_line: usize,
    pub body: &'a str,
}

/// Why a file has no usable front matter; line is 1-based.
#[derive(Debug, PartialEq)]
pub struct SplitError {
    pub line: usize,
    pub message: String,
    pub hint: String,
}

/// Normalise what editors vary on: BOM, CRLF or CR line ends, and decomposed Vietnamese (NFD, as some
/// keyboards and macOS file names produce) to composed NFC, so "phường" typed either
/// way is the same word. Line numbers are unchanged.
/// Takes the text by value: a file that needs none of this (the usual case) is returned
/// as it was read, without a copy.
pub fn normalise(text: String) -> String {
    normalised(text).0
}

/// `normalise`, and whether the text needed none of it (then it is returned as it was).
pub fn normalised(mut text: String) -> (String, bool) {
    use unicode_normalization::UnicodeNormalization;
    let mut as_was = true;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
        as_was = false;
    }
    if text.contains('\r') {
        // A CR alone is a line end too (classic Mac OS, some exports): read as one.
        text = text.replace("\r\n", "\n").replace('\r', "\n");
        as_was = false;
    }
    if crate::vi::is_nfc(&text) { (text, as_was) } else { (text.nfc().collect(), false) }
}

pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(SplitError {
            line: 1,
            message: "the file does not start with front matter".into(),
            hint: "put the fields between two lines of `---` at the top of the file".into(),
        });
    }
    let start = first.len();
    let mut offset = start;
    for (i, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            let yaml = &text[start..offset];
            let body = &text[offset + line.len()..];
            let _ = i;
            return Ok(Split { yaml, yaml_line: 2, body });
        }
        offset += line.len();
    }
    Err(SplitError {
        line: 1,
        message: "the front matter is not closed".into(),
        hint: "end the fields with a line of `---` before the text".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body() {
        let s = split("---\nname: A\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "name: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.yaml_line, 2);
    }

    #[test]
    fn accepts_bom_and_crlf_after_normalising() {
        let t = normalise("\u{feff}---\r\nname: A\r\n---\r\nBody\r\n".to_string());
        let s = split(&t).unwrap();
        assert_eq!(s.yaml, "name: A\n");
        assert_eq!(s.body, "Body\n");
    }

    #[test]
    fn cr_only_line_ends_are_line_ends() {
        let t = normalise("---\rname: A\r---\rBody\r\rmore\r\n".to_string());
        assert_eq!(t, "---\nname: A\n---\nBody\n\nmore\n");
        assert_eq!(split(&t).unwrap().yaml, "name: A\n");
    }

    #[test]
    fn decomposed_text_is_composed() {
        assert_eq!(normalise("level: phu\u{031B}o\u{031B}\u{0300}ng\n".to_string()), "level: phường\n");
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert!(split("Body only\n").unwrap_err().message.contains("does not start"));
        assert!(split("---\nname: A\n").unwrap_err().message.contains("not closed"));
    }

    #[test]
    fn a_dashes_line_in_the_body_is_not_the_end() {
        let s = split("---\na: 1\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(s.body, "text\n---\nmore\n");
    }
}
