//! The one policy for every address that content puts into a link (a unit's `website`,
//! a document's `source_url`): http, https, mailto, tel, or a path on this site
//! (starting with `/`, not `//`). Anything else is refused, not rewritten: a
//! `javascript:`, `vbscript:`, `data:` or `file:` address, a `//host` without a scheme,
//! and the disguises browsers undo before reading the scheme (spaces, tabs and control
//! characters, a backslash for a slash). Schemes are compared without regard to case.
//! An allow-list, so an entity such as `javascript&#58;` (escaped in the page, hence
//! never decoded) is refused as "neither an address nor a path".

/// Why an address is refused; `message` takes the field's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UrlError {
    /// A scheme other than http, https, mailto and tel (lower-cased as read).
    Scheme(String),
    /// `//host/…`: another site, without its scheme.
    ProtocolRelative,
    /// A space, a tab, a line break or another invisible character.
    Whitespace,
    /// `\`, which browsers read as `/` (so `/\host` is `//host`).
    Backslash,
    /// `https://` with nothing after it, `mailto:` with no address.
    Empty,
    /// No scheme, and not a path starting with `/`.
    Relative,
}

impl UrlError {
    pub(crate) fn message(&self, field: &str) -> String {
        match self {
            UrlError::Scheme(s) => format!("`{field}` cannot be a `{s}:` address"),
            UrlError::ProtocolRelative => format!("`{field}` cannot start with `//`"),
            UrlError::Whitespace => format!("`{field}` contains a space or an invisible character"),
            UrlError::Backslash => format!("`{field}` contains a backslash `\\`"),
            UrlError::Empty => format!("`{field}` has a scheme but no address after it"),
            UrlError::Relative => format!("`{field}` is neither a full address nor a path on this site"),
        }
    }

    pub(crate) fn hint(&self) -> &'static str {
        match self {
            UrlError::Whitespace => {
                "remove it (a space inside an address is written %20); links may be https://, http://, mailto:, tel: or a path on this site starting with /"
            }
            UrlError::ProtocolRelative => "write the address in full, starting with https://",
            _ => {
                "write a full address starting with https:// (or http://, mailto:, tel:), or a path on this site starting with /"
            }
        }
    }
}

/// Whether `url` may go into a link; see the module's documentation.
pub(crate) fn check(url: &str) -> Result<(), UrlError> {
    // Browsers drop these before reading the scheme (and tabs and line breaks inside).
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || is_invisible(c)) {
        return Err(UrlError::Whitespace);
    }
    if url.contains('\\') {
        return Err(UrlError::Backslash);
    }
    if url.starts_with("//") {
        return Err(UrlError::ProtocolRelative);
    }
    if url.starts_with('/') {
        return Ok(());
    }
    let Some((scheme, rest)) = split_scheme(url) else { return Err(UrlError::Relative) };
    if !allowed_scheme(&scheme) {
        return Err(UrlError::Scheme(scheme));
    }
    match scheme.as_str() {
        "http" | "https" => match rest.strip_prefix("//") {
            Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
            Some(_) => Err(UrlError::Empty),
            None => Err(UrlError::Relative),
        },
        "mailto" | "tel" if !rest.is_empty() => Ok(()),
        _ => Err(UrlError::Empty),
    }
}

/// The schemes a link from content may have, lower-cased: the allow-list shared by the
/// URL fields (here) and by links and images in Markdown bodies (render::markdown).
pub(crate) fn allowed_scheme(scheme: &str) -> bool {
    matches!(scheme, "http" | "https" | "mailto" | "tel")
}

/// The scheme, lower-cased, and what follows its `:`, if `url` starts with one (a letter,
/// then letters, digits, `+`, `-`, `.`, as URLs define it).
pub(crate) fn split_scheme(url: &str) -> Option<(String, &str)> {
    let (scheme, rest) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then(|| (scheme.to_ascii_lowercase(), rest))
}

/// Characters that show as nothing: zero-width spaces and joiners, direction marks, the
/// BOM. Not controls in Unicode's sense, but just as able to disguise a scheme.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{ad}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_web_mail_phone_and_site_paths() {
        for ok in [
            "https://phuongthu.example.gov.vn/",
            "HTTPS://Example.org/a?b=1#c",
            "http://example.org",
            "https://vi.wikipedia.org/wiki/Phường_Đức_Giang",
            "mailto:ubnd@example.gov.vn",
            "tel:+84-24-3827-1234",
            "/van-ban/nghi-quyet-01.pdf",
            "/",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_script_data_and_file_addresses_in_any_case() {
        for (bad, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("JaVaScRiPt:alert(1)", "javascript"),
            ("vbscript:msgbox(1)", "vbscript"),
            ("data:text/html;base64,PHNjcmlwdD4=", "data"),
            ("file:///etc/passwd", "file"),
            ("ftp://example.org/", "ftp"),
            ("java.script:x", "java.script"),
        ] {
            assert_eq!(check(bad), Err(UrlError::Scheme(scheme.into())), "{bad}");
        }
    }

    #[test]
    fn refuses_the_disguises_browsers_undo() {
        assert_eq!(check("java\tscript:alert(1)"), Err(UrlError::Whitespace));
        assert_eq!(check(" javascript:alert(1)"), Err(UrlError::Whitespace));
        assert_eq!(check("java\nscript:alert(1)"), Err(UrlError::Whitespace));
        assert_eq!(check("\u{1}javascript:alert(1)"), Err(UrlError::Whitespace));
        assert_eq!(check("java\u{200b}script:alert(1)"), Err(UrlError::Whitespace));
        assert_eq!(check("javascript\u{ad}:alert(1)"), Err(UrlError::Whitespace));
        assert_eq!(check("//evil.example/"), Err(UrlError::ProtocolRelative));
        assert_eq!(check("/\\evil.example/"), Err(UrlError::Backslash));
        assert_eq!(check("https:\\\\evil.example"), Err(UrlError::Backslash));
        // An entity is not decoded in an escaped attribute: a relative path, refused.
        assert_eq!(check("javascript&#58;alert(1)"), Err(UrlError::Relative));
        assert_eq!(check("&#106;avascript:alert(1)"), Err(UrlError::Relative));
        assert_eq!(check("van-ban.pdf"), Err(UrlError::Relative));
        assert_eq!(check("https:evil.example"), Err(UrlError::Relative));
        assert_eq!(check("https://"), Err(UrlError::Empty));
        assert_eq!(check("https:///x"), Err(UrlError::Empty));
        assert_eq!(check("mailto:"), Err(UrlError::Empty));
        assert_eq!(check(""), Err(UrlError::Relative));
    }

    #[test]
    fn messages_name_the_field() {
        assert_eq!(
            UrlError::Scheme("javascript".into()).message("website"),
            "`website` cannot be a `javascript:` address"
        );
    }
}
