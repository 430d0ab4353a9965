//! `minhbach.toml`: the site's settings. Every key is optional except `title`; unknown
//! keys are errors with a hint, like front matter.

use crate::diagnostics::{Diagnostic, Diagnostics, Kind, closest, display_path};
use crate::render::theme::{is_name, provides_language};
use crate::vi::date::{self, VnDate};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The folders of a site's sources, beside `minhbach.toml`. A theme in `themes/<name>/`
/// has the same `templates/`, `static/` and `i18n/` folders. Building, the output
/// folder check, the theme loader and `serve`'s watcher all name them from here.
pub(crate) mod folder {
    pub(crate) const CONTENT: &str = "content";
    pub(crate) const TEMPLATES: &str = "templates";
    pub(crate) const STATIC: &str = "static";
    pub(crate) const THEMES: &str = "themes";
    pub(crate) const I18N: &str = "i18n";
    /// Every source folder: a change in any of them can change the site.
    pub(crate) const SOURCES: &[&str] = &[CONTENT, TEMPLATES, STATIC, THEMES, I18N];
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: toml::Spanned<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<toml::Spanned<String>>,
    languages: Option<toml::Spanned<Vec<toml::Spanned<String>>>>,
    output_dir: Option<String>,
    theme: Option<toml::Spanned<String>>,
    status_date: Option<toml::Spanned<String>>,
    allow_html: Option<bool>,
    data_license: Option<String>,
    search: Option<bool>,
    translations: Option<std::collections::BTreeMap<String, RawSiteWords>>,
}

/// The site's own words in another edition's language (`[translations.en]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSiteWords {
    title: Option<String>,
    description: Option<String>,
    data_license: Option<String>,
}

/// The site's title, description and terms of reuse in one language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteWords {
    pub title: String,
    pub description: Option<String>,
    pub data_license: Option<String>,
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "languages",
    "output_dir",
    "theme",
    "status_date",
    "allow_html",
    "data_license",
    "search",
    "translations",
];

#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: Option<String>,
    /// Always ends with `/`; "/" for a site at the host's root.
    pub base_url: String,
    /// The language of the site's first edition, at the base URL.
    pub language: String,
    /// The languages of the other editions (`languages` after the first), each at
    /// `<base>/<code>/`: the interface translated, the content as written.
    pub editions: Vec<String>,
    pub output_dir: PathBuf,
    pub theme: String,
    /// The date statuses are computed at; fixed here for reproducible builds.
    pub status_date: Option<VnDate>,
    /// Let raw HTML in Markdown through (off: it is shown as text).
    pub allow_html: bool,
    /// The terms of reuse of the open data, as the data page states them ("CC BY 4.0").
    pub data_license: Option<String>,
    /// Publish the search page and its index (on by default).
    pub search: bool,
    /// The title, description and terms of reuse in the other editions' languages
    /// (`[translations.<lang>]`); what one leaves out stays in the site's language.
    pub translations: std::collections::BTreeMap<String, SiteWords>,
}

impl Config {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join(folder::CONTENT)
    }

    pub(crate) fn load(root: &Path) -> Result<Config, Diagnostics> {
        Config::read(root).map_err(|d| d.or_kind(Kind::Config))
    }

    fn read(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join("minhbach.toml");
        // Problems in the file are shown relative to the site folder, like every other
        // file's; a file that cannot be read at all is shown as given, to say where it
        // was looked for.
        let display = display_path(root, &path);
        let mut diags = Diagnostics::default();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                let message = match e.kind() {
                    // Not there at all (a dangling symlink is there, and says why it fails).
                    std::io::ErrorKind::NotFound if path.symlink_metadata().is_err() => format!(
                        "{} is not a site folder: it has no minhbach.toml",
                        if root == Path::new(".") { "this folder".to_string() } else { root.display().to_string() }
                    ),
                    _ => format!("cannot read the site settings: {e}"),
                };
                diags.push(Diagnostic::new(&path, message).hint(format!(
                    "run minhbach in a site folder (one with minhbach.toml), or pass --root; `minhbach new site {}` creates one",
                    root.display()
                )));
                return Err(diags);
            }
        };
        // Before TOML's own message, which names its grammar ("expected non-double-quote
        // visible characters"), not the invisible character.
        if let Some((line, col, c, _)) = crate::load::control_character(&text) {
            let mut d =
                Diagnostic::new(&display, format!("a control character (U+{:04X}) is in the settings", c as u32))
                    .at(&text, line, col)
                    .hint("delete it: it is invisible (usually pasted from a PDF or Word file)");
            d.width = 1;
            diags.push(d);
            return Err(diags);
        }
        let raw: RawConfig = match toml::from_str(&text) {
            Ok(r) => r,
            Err(e) => {
                let (line, col) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((0, 0));
                let msg = e.message().trim().to_string();
                let mut d = match wrong_type(&msg, &text, line) {
                    Some((message, hint)) => Diagnostic::new(&display, message).at(&text, line, col).hint(hint),
                    None => Diagnostic::new(&display, msg.clone()).at(&text, line, col),
                };
                if let Some(word) = msg.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
                    d = d.hint(match closest(word, KEYS.iter().copied()) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!("the settings are: {}", KEYS.join(", ")),
                    });
                }
                diags.push(d);
                return Err(diags);
            }
        };
        if raw.title.get_ref().trim().is_empty() {
            let (line, col) = line_col(&text, raw.title.span().start);
            diags.push(Diagnostic::new(&display, "`title` is empty").at(&text, line, col).hint(
                "write the site's name, e.g. title = \"Minh bạch Phường Đức Giang\": it starts the title of every page",
            ));
        }
        let status_date = match &raw.status_date {
            None => None,
            Some(s) => match date::parse(s.get_ref()) {
                Ok(d) => Some(d),
                Err(e) => {
                    let (line, col) = line_col(&text, s.span().start);
                    diags.push(
                        Diagnostic::new(&display, e).at(&text, line, col).hint("write status_date = \"2026-11-23\""),
                    );
                    None
                }
            },
        };
        let mut base_url = raw.base_url.unwrap_or_else(|| "/".into());
        if !Config::base_url_ok(&base_url) {
            let (line, col) = text.find("base_url").map(|o| line_col(&text, o)).unwrap_or((0, 0));
            diags.push(
                Diagnostic::new(&display, format!("base_url `{base_url}` is neither a path nor an address"))
                    .at(&text, line, col)
                    .hint("write \"/\" (the host's root), \"/sub-folder/\" or \"https://example.org/\""),
            );
        }
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let output_dir = raw.output_dir.unwrap_or_else(|| "public".into());
        if Path::new(&output_dir).components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            diags.push(
                Diagnostic::new(&display, "output_dir must stay inside the site folder")
                    .hint("use a folder name such as \"public\"; pass --output for a folder elsewhere"),
            );
        }
        let theme = raw.theme.as_ref().map(|t| t.get_ref().clone()).unwrap_or_else(|| "default".into());
        // `languages = ["vi", "en"]`: the first is the site's language; `language` is
        // the same for one language.
        let mut languages: Vec<(String, Option<std::ops::Range<usize>>)> = match (&raw.language, &raw.languages) {
            (Some(l), None) => vec![(l.get_ref().clone(), Some(l.span()))],
            (None, Some(ls)) => ls.get_ref().iter().map(|l| (l.get_ref().clone(), Some(l.span()))).collect(),
            (None, None) => vec![("vi".into(), None)],
            (Some(l), Some(_)) => {
                let (line, col) = line_col(&text, l.span().start);
                diags.push(
                    Diagnostic::new(&display, "`language` and `languages` are both set")
                        .at(&text, line, col)
                        .hint("keep one: `languages = [\"vi\", \"en\"]` publishes an edition per language, the first at the base URL"),
                );
                vec![(l.get_ref().clone(), Some(l.span()))]
            }
        };
        if let Some(ls) = &raw.languages
            && ls.get_ref().is_empty()
        {
            let (line, col) = line_col(&text, ls.span().start);
            diags.push(Diagnostic::new(&display, "`languages` lists no language").at(&text, line, col).hint(
                "write languages = [\"vi\"], or [\"vi\", \"en\"] for an English edition beside the Vietnamese one",
            ));
            languages.push(("vi".into(), None));
        }
        let language = languages[0].0.clone();
        let theme_ok = match &raw.theme {
            None => true,
            Some(t) => {
                let (line, col) = line_col(&text, t.span().start);
                // A theme is only ever read from the site's own themes/ folder.
                let problem = if !is_name(&theme) {
                    Some((
                        format!("theme `{theme}` is not the name of a folder in themes/"),
                        "write theme = \"name\" for the site's themes/name/ (themes are read only from there), or remove `theme` to use the built-in default",
                    ))
                } else if theme != "default" && root.join(folder::THEMES).join(&theme).symlink_metadata().is_err() {
                    Some((
                        format!("theme `{theme}` not found: there is no folder themes/{theme}"),
                        "put the theme in themes/<name>/ (templates/, static/, i18n/), or remove `theme` to use the built-in default",
                    ))
                } else {
                    None
                };
                if let Some((msg, hint)) = &problem {
                    diags.push(Diagnostic::new(&display, msg).at(&text, line, col).hint(*hint));
                }
                problem.is_none()
            }
        };
        let mut seen = std::collections::BTreeSet::new();
        for (lang, span) in &languages {
            let at = |d: Diagnostic| match span {
                Some(sp) => {
                    let (line, col) = line_col(&text, sp.start);
                    d.at(&text, line, col)
                }
                None => d,
            };
            if !is_name(lang) {
                diags.push(at(Diagnostic::new(&display, format!("language `{lang}` is not a language code"))
                    .hint("write a code such as language = \"vi\"; the strings are read from i18n/<code>.toml")));
            } else if !seen.insert(lang.clone()) {
                diags.push(at(Diagnostic::new(&display, format!("language `{lang}` is listed twice"))
                    .hint("list each language once; the first is the site's own, at the base URL")));
            } else if theme_ok && !provides_language(root, &theme, lang) {
                diags.push(at(Diagnostic::new(
                    &display,
                    format!("no translation strings for language `{lang}`: there is no i18n/{lang}.toml"),
                )
                .hint(format!(
                    "add i18n/{lang}.toml (a translated copy of the theme's i18n/vi.toml) or write language = \"vi\""
                ))));
            }
        }
        let title = raw.title.get_ref().clone();
        let data_license = raw.data_license.clone().filter(|l| !l.trim().is_empty());
        let mut translations = std::collections::BTreeMap::new();
        for (lang, w) in raw.translations.clone().unwrap_or_default() {
            if !languages.iter().skip(1).any(|(l, _)| *l == lang) {
                let (line, col) =
                    text.find(&format!("translations.{lang}")).map(|o| line_col(&text, o)).unwrap_or((0, 0));
                diags.push(
                    Diagnostic::new(
                        &display,
                        format!("`[translations.{lang}]` is for a language the site does not publish"),
                    )
                    .at(&text, line, col)
                    .hint(format!("add \"{lang}\" to `languages` after the site's own, or remove the table")),
                );
                continue;
            }
            let words = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
            translations.insert(
                lang,
                SiteWords {
                    title: words(w.title).unwrap_or_else(|| title.clone()),
                    description: words(w.description).or_else(|| raw.description.clone()),
                    data_license: words(w.data_license).or_else(|| data_license.clone()),
                },
            );
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title.into_inner(),
            description: raw.description,
            base_url,
            language,
            editions: languages.into_iter().skip(1).map(|(l, _)| l).collect(),
            output_dir: root.join(output_dir),
            theme,
            status_date,
            allow_html: raw.allow_html.unwrap_or(false),
            data_license: raw.data_license.filter(|l| !l.trim().is_empty()),
            search: raw.search.unwrap_or(true),
            translations,
        })
    }

    /// A path on the host, or an http(s) address, by the links' policy (`model::url`):
    /// `//host/` would send every link of the site to another host.
    fn base_url_ok(url: &str) -> bool {
        let lower = url.to_ascii_lowercase();
        crate::model::url::check(url).is_ok()
            && (url.starts_with('/') || lower.starts_with("http://") || lower.starts_with("https://"))
    }

    /// Check a base URL given on the command line the same way.
    pub(crate) fn check_base_url(url: &str) -> Result<(), Diagnostics> {
        if Config::base_url_ok(url) {
            return Ok(());
        }
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::new("--base-url", format!("`{url}` is neither a path nor an address"))
                .kind(Kind::Config)
                .hint("write /, /sub-folder/ or https://example.org/"),
        );
        Err(d)
    }

    /// The site's title, description and terms of reuse in language `lang`.
    pub(crate) fn words(&self, lang: &str) -> SiteWords {
        self.translations.get(lang).cloned().unwrap_or_else(|| SiteWords {
            title: self.title.clone(),
            description: self.description.clone(),
            data_license: self.data_license.clone(),
        })
    }

    /// The base path of the edition in language `lang`: the site's for its first
    /// language, `<base>/<lang>/` for the others.
    pub(crate) fn edition_base(&self, lang: &str) -> String {
        let base = self.base_path();
        if lang == self.language { base } else { [base.as_str(), lang, "/"].concat() }
    }

    /// The path part of base_url ("/" or "/minhbach/"), prefixed to every internal link
    /// so the site works in a sub-folder of a host too.
    pub(crate) fn base_path(&self) -> String {
        match self.base_url.find("://") {
            Some(i) => match self.base_url[i + 3..].find('/') {
                Some(j) => self.base_url[i + 3 + j..].to_string(),
                None => "/".into(),
            },
            None => self.base_url.clone(),
        }
    }
}

/// A setting of the wrong type in plain words, from TOML's "invalid type: string
/// \"yes\", expected a boolean": the setting is the key on the error's line.
fn wrong_type(msg: &str, text: &str, line: usize) -> Option<(String, String)> {
    let rest = msg.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    let line_text = text.lines().nth(line.checked_sub(1)?)?;
    let (key, value) = line_text.split_once('=')?;
    let (key, value) = (key.trim(), value.split('#').next().unwrap_or("").trim());
    if !KEYS.contains(&key) {
        return None;
    }
    Some(match expected {
        "a boolean" => (
            format!(
                "`{key}` must be true or false, not {}",
                if found.starts_with("string") { "a text" } else { "this" }
            ),
            format!("write `true` or `false` without quotes, e.g. {key} = false"),
        ),
        // A TOML date literal (`2026-11-23` without quotes) is read as a table.
        "a string" if date::parse(value).is_ok() => {
            (format!("`{key}` must be written in quotes"), format!("write {key} = \"{value}\" in quotes"))
        }
        "a string" => (format!("`{key}` must be a text in quotes"), format!("write {key} = \"…\" in quotes")),
        _ => return None,
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_and_language_are_names_of_what_the_site_has() {
        let dir = tempfile::tempdir().unwrap();
        let load = |extra: &str| {
            std::fs::write(dir.path().join("minhbach.toml"), format!("title = \"t\"\n{extra}\n")).unwrap();
            match Config::load(dir.path()) {
                Ok(c) => vec![format!("{} {}", c.theme, c.language)],
                Err(d) => d.0.iter().map(|d| format!("{} {}", d.location(), d.message)).collect(),
            }
        };
        assert_eq!(load(""), ["default vi"]);
        assert_eq!(load("theme = \"../x\""), ["minhbach.toml:2:9 theme `../x` is not the name of a folder in themes/"]);
        assert_eq!(
            load("language = \"../../etc/x\""),
            ["minhbach.toml:2:12 language `../../etc/x` is not a language code"]
        );
        std::fs::create_dir_all(dir.path().join("themes/own/i18n")).unwrap();
        assert_eq!(
            load("theme = \"own\""),
            ["minhbach.toml no translation strings for language `vi`: there is no i18n/vi.toml"]
        );
        std::fs::write(dir.path().join("themes/own/i18n/vi.toml"), "").unwrap();
        assert_eq!(load("theme = \"own\""), ["own vi"]);
    }

    #[test]
    fn base_path_of_absolute_and_relative_urls() {
        let mut c = Config {
            root: ".".into(),
            title: "t".into(),
            description: None,
            base_url: "https://example.org/minhbach/".into(),
            language: "vi".into(),
            output_dir: "public".into(),
            theme: "default".into(),
            status_date: None,
            allow_html: false,
            data_license: None,
            search: true,
            editions: vec!["en".into()],
            translations: Default::default(),
        };
        assert_eq!(c.base_path(), "/minhbach/");
        assert_eq!((c.edition_base("vi").as_str(), c.edition_base("en").as_str()), ("/minhbach/", "/minhbach/en/"));
        c.base_url = "https://example.org/".into();
        assert_eq!(c.base_path(), "/");
        c.base_url = "/".into();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn base_url_is_a_path_or_a_web_address() {
        for ok in ["/", "/minhbach/", "https://example.org/", "HTTP://example.org/a/"] {
            assert!(Config::base_url_ok(ok), "{ok}");
        }
        for bad in ["//evil.example/", "javascript:alert(1)//", "mailto:a@b", "example.org", "/a b/"] {
            assert!(!Config::base_url_ok(bad), "{bad}");
        }
    }
}
