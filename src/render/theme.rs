//! Where templates, static files and translation strings come from, in order of
//! precedence: the site's own `templates/`, `static/`, `i18n/`; then the site's
//! `themes/<theme>/`; then the default theme built into the binary, so a new site made
//! with `minhbach new site` works without copying a theme.
//!
//! Only files inside the site folder are read: a symlink in any of these folders is an
//! error, never followed (one to /etc/passwd would publish it), and the theme is always
//! a folder of `themes/`. Templates and strings are read once per build, so a file that
//! cannot be used (not UTF-8, a misspelt key) is an error instead of silently giving way
//! to the theme's.

use super::i18n;
use crate::config::folder;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The folders whose files a site may add or override.
const FOLDERS: &str = "templates/, static/, i18n/ and themes/";

#[derive(Debug, Clone)]
pub struct Theme {
    /// Template name → (source, path shown in errors).
    templates: Arc<BTreeMap<String, (String, String)>>,
    strings: BTreeMap<String, String>,
    /// The file that defines the strings' keys, where a missing one is to be added.
    strings_file: String,
    /// Output path → where the bytes are; files are read when copied.
    statics: Arc<BTreeMap<String, Static>>,
}

#[derive(Debug)]
enum Static {
    Builtin(&'static [u8]),
    File(PathBuf),
}

impl Theme {
    /// Read the theme `theme` and the site's overrides at `root`, with the strings of
    /// `lang`. Every problem is reported, not only the first.
    pub(crate) fn load(root: &Path, theme: &str, lang: &str) -> Result<Theme, Diagnostics> {
        let mut diags = Diagnostics::default();
        let builtin = theme == "default";
        // The folders to read, theme first so the site's files win.
        let mut layers = Vec::new();
        let themes = root.join(folder::THEMES);
        let theme_dir = themes.join(theme);
        if real_dir(root, &themes, &mut diags) && is_name(theme) && real_dir(root, &theme_dir, &mut diags) {
            layers.push(theme_dir.clone());
        }
        layers.push(root.to_path_buf());
        let files = |sub: &str, diags: &mut Diagnostics| -> Vec<BTreeMap<String, PathBuf>> {
            layers.iter().map(|l| files_in(root, &l.join(sub), diags)).collect()
        };
        let (templates, statics, i18n_files) =
            (files(folder::TEMPLATES, &mut diags), files(folder::STATIC, &mut diags), files(folder::I18N, &mut diags));
        let is_theme = |i: usize| i + 1 < layers.len();

        let mut tmpl = BTreeMap::new();
        if builtin && let Some(d) = DEFAULT_THEME.get_dir(folder::TEMPLATES) {
            for f in builtin_files(d) {
                let name = f.path().strip_prefix(d.path()).unwrap_or(f.path()).to_string_lossy().into_owned();
                let src = f.contents_utf8().expect("the built-in theme is UTF-8 (tested)").to_string();
                tmpl.insert(name.clone(), (src, format!("(built-in theme) templates/{name}")));
            }
        }
        for layer in &templates {
            for (name, path) in layer {
                let shown = display_path(root, path);
                match read_text(path, &shown) {
                    Ok(src) => {
                        tmpl.insert(name.clone(), (src, shown.display().to_string()));
                    }
                    Err(d) => diags.push(d),
                }
            }
        }

        let mut stat = BTreeMap::new();
        if builtin && let Some(d) = DEFAULT_THEME.get_dir(folder::STATIC) {
            for f in builtin_files(d) {
                let rel = f.path().strip_prefix(d.path()).unwrap_or(f.path()).to_string_lossy().into_owned();
                stat.insert(rel, Static::Builtin(f.contents()));
            }
        }
        for layer in statics {
            stat.extend(layer.into_iter().map(|(rel, path)| (rel, Static::File(path))));
        }

        // Strings: the theme's (built in, then its folder), then the site's, which may only
        // change the theme's strings. For a language the theme lacks, the site's file is
        // checked against the theme's Vietnamese strings, the keys every template uses.
        let file = format!("{lang}.toml");
        let read_theme_strings = |file: &str, diags: &mut Diagnostics| {
            let mut strings = BTreeMap::new();
            // In words for hints, and as a path for a diagnostic's location.
            let (mut shown, mut path_shown) = (None, format!("{}/{file}", folder::I18N));
            if builtin && let Some(f) = DEFAULT_THEME.get_file(format!("{}/{file}", folder::I18N)) {
                let text = f.contents_utf8().expect("the built-in theme is UTF-8 (tested)");
                let name = format!("(built-in theme) i18n/{file}");
                strings.extend(i18n::parse(text, Path::new(&name), diags).into_iter().map(|e| (e.key, e.value)));
                shown =
                    Some(format!("the built-in theme's i18n/{file} (themes/default/i18n/{file} in minhbach's source)"));
                path_shown = name.clone();
            }
            for (i, layer) in i18n_files.iter().enumerate() {
                if is_theme(i)
                    && let Some(path) = layer.get(file)
                {
                    let name = display_path(root, path);
                    match read_text(path, &name) {
                        Ok(text) => {
                            strings.extend(i18n::parse(&text, &name, diags).into_iter().map(|e| (e.key, e.value)))
                        }
                        Err(d) => diags.push(d),
                    }
                    shown = Some(name.display().to_string());
                    path_shown = name.display().to_string();
                }
            }
            (strings, shown, path_shown)
        };
        let (mut strings, shown, path_shown) = read_theme_strings(&file, &mut diags);
        let has_language = !strings.is_empty();
        // A key the theme's strings lack is added there first (the site's file may only
        // give the theme's keys), in Vietnamese for a language the theme lacks.
        let (reference, reference_shown, strings_file) = if has_language || lang == "vi" {
            (strings.clone(), shown, path_shown)
        } else {
            read_theme_strings("vi.toml", &mut diags)
        };
        if let Some(path) = i18n_files.last().and_then(|site| site.get(&file)) {
            let name = display_path(root, path);
            match read_text(path, &name) {
                Ok(text) => {
                    let entries = i18n::parse(&text, &name, &mut diags);
                    let reference_shown = reference_shown.unwrap_or_default();
                    i18n::check_override(
                        &entries,
                        &text,
                        &name,
                        &reference,
                        &reference_shown,
                        !has_language,
                        &mut diags,
                    );
                    strings.extend(entries.into_iter().map(|e| (e.key, e.value)));
                }
                Err(d) => diags.push(d),
            }
        }
        if strings.is_empty() && diags.is_empty() {
            diags.push(
                Diagnostic::new("minhbach.toml", format!("no translation strings for language `{lang}`"))
                    .hint(format!("add i18n/{lang}.toml (a copy of the theme's i18n/vi.toml, translated)")),
            );
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(Theme { templates: Arc::new(tmpl), strings, strings_file, statics: Arc::new(stat) })
    }

    /// A template's source and the path shown in errors, site first.
    pub(crate) fn template(&self, name: &str) -> Option<(String, String)> {
        self.templates.get(name).cloned()
    }

    /// Every template name the theme and site provide (every one is compiled, used or not).
    pub(crate) fn template_names(&self) -> Vec<String> {
        self.templates.keys().cloned().collect()
    }

    /// Translation strings: the theme's, overridden key by key by the site's.
    pub(crate) fn strings(&self) -> &BTreeMap<String, String> {
        &self.strings
    }

    /// The file that defines the strings' keys (the theme's, or the site's for a
    /// language the theme lacks), as shown to the user.
    pub(crate) fn strings_file(&self) -> &str {
        &self.strings_file
    }

    /// Static files to copy to the output root: (relative path, bytes), site last so it wins.
    pub(crate) fn static_files(&self) -> std::io::Result<BTreeMap<String, Vec<u8>>> {
        let mut out = BTreeMap::new();
        for (rel, s) in self.statics.iter() {
            let bytes = match s {
                Static::Builtin(b) => b.to_vec(),
                Static::File(p) => {
                    // Read after every page is rendered, seconds after the check in `load`:
                    // a file replaced by a symlink meanwhile is still refused.
                    if std::fs::symlink_metadata(p)?.file_type().is_symlink() {
                        return Err(std::io::Error::other(format!(
                            "{} became a symlink during the build",
                            p.display()
                        )));
                    }
                    std::fs::read(p)?
                }
            };
            out.insert(rel.clone(), bytes);
        }
        Ok(out)
    }
}

/// Whether the site's settings can use language `lang` with theme `theme`: some
/// `i18n/<lang>.toml` exists in the site, the theme's folder or the built-in theme.
pub(crate) fn provides_language(root: &Path, theme: &str, lang: &str) -> bool {
    let file = format!("{}/{lang}.toml", folder::I18N);
    (theme == "default" && DEFAULT_THEME.get_file(&file).is_some())
        || [root.join(folder::THEMES).join(theme).join(&file), root.join(&file)]
            .iter()
            .any(|p| p.symlink_metadata().is_ok())
}

/// Whether `dir` is a real folder of the site (absent: false; a symlink or a file: false,
/// with a diagnostic).
fn real_dir(root: &Path, dir: &Path, diags: &mut Diagnostics) -> bool {
    match std::fs::symlink_metadata(dir) {
        Err(_) => false,
        Ok(m) if m.file_type().is_symlink() => {
            diags.push(symlink(root, dir));
            false
        }
        Ok(m) if !m.is_dir() => {
            let shown = display_path(root, dir);
            diags.push(
                Diagnostic::new(&shown, format!("{} is a file, not a folder", shown.display()))
                    .hint("remove it or rename it: this name is where minhbach looks for a folder"),
            );
            false
        }
        Ok(_) => true,
    }
}

/// The files under `dir` (relative path with `/` → path), skipping editor and hidden
/// files; a symlink or any other non-file is a diagnostic, never followed.
fn files_in(root: &Path, dir: &Path, diags: &mut Diagnostics) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    if !real_dir(root, dir, diags) {
        return out;
    }
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::load::is_ignored(&e.file_name().to_string_lossy()));
    for e in walk {
        match e {
            Err(e) => {
                let shown = display_path(root, e.path().unwrap_or(dir));
                let why = e.io_error().map(|io| io.to_string()).unwrap_or_else(|| e.to_string());
                diags
                    .push(Diagnostic::new(shown, format!("cannot read: {why}")).hint("check the folder's permissions"));
            }
            Ok(e) if e.path_is_symlink() => diags.push(symlink(root, e.path())),
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(dir).expect("walked from dir").to_string_lossy().replace('\\', "/");
                out.insert(rel, e.path().to_path_buf());
            }
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => {
                let shown = display_path(root, e.path());
                diags.push(
                    Diagnostic::new(&shown, format!("{} is not a regular file", shown.display()))
                        .hint(format!("{FOLDERS} may hold only files and folders")),
                );
            }
        }
    }
    out
}

/// A symlink met in the theme's or site's folders: named, with where it points.
fn symlink(root: &Path, link: &Path) -> Diagnostic {
    crate::load::symlink_error(root, link, FOLDERS)
}

/// A text file's contents; a byte that is not UTF-8 is an error at its line and column.
fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::new(shown, format!("cannot read: {e}")))?;
    crate::load::decode_text(bytes, shown)
}

/// Every file of a built-in folder, at any depth.
fn builtin_files<'a>(d: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<&include_dir::File<'_>> = d.files().collect();
    for sub in d.dirs() {
        out.extend(builtin_files(sub));
    }
    out
}

/// A plain name, as `theme` and `language` must be: one folder or file name, no path.
pub(crate) fn is_name(s: &str) -> bool {
    safe_relative(s) && !s.contains('/') && !s.starts_with('.')
}

/// A relative path with no `..`, no root and no prefix: safe to join under a folder.
pub(crate) fn safe_relative(p: &str) -> bool {
    !p.is_empty() && !p.contains('\\') && Path::new(p).components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        assert!(safe_relative("page.html"));
        assert!(safe_relative("partials/nav.html"));
        assert!(!safe_relative("../secret"));
        assert!(!safe_relative("/etc/passwd"));
        assert!(!safe_relative("a/../../b"));
        assert!(!safe_relative("a\\..\\b"));
    }

    fn errors(root: &Path, theme: &str) -> Vec<String> {
        match Theme::load(root, theme, "vi") {
            Ok(_) => Vec::new(),
            Err(d) => d.sorted().0.iter().map(|d| d.message.clone()).collect(),
        }
    }

    #[test]
    fn site_files_win_and_symlinks_are_refused_even_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            ("templates/home.html", "mine"),
            ("static/style.css", "mine"),
            ("static/.git/config", "secret"),
            ("i18n/vi.toml", "home = \"Đầu\""),
        ] {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), text).unwrap();
        }
        let t = Theme::load(root, "default", "vi").unwrap();
        assert_eq!(t.template("home.html").unwrap(), ("mine".to_string(), "templates/home.html".to_string()));
        let statics = t.static_files().unwrap();
        assert_eq!(statics["style.css"], b"mine");
        assert!(statics.contains_key("print.css") && !statics.keys().any(|k| k.contains(".git")));
        assert_eq!(t.strings()["home"], "Đầu");

        std::os::unix::fs::symlink("home.html", root.join("templates/copy.html")).unwrap();
        std::os::unix::fs::symlink("/etc", root.join("static/etc")).unwrap();
        assert_eq!(
            errors(root, "default"),
            [
                "static/etc is a symlink (to /etc, outside the site folder); minhbach never follows symlinks in templates/, static/, i18n/ and themes/",
                "templates/copy.html is a symlink (to home.html, inside the site); minhbach never follows symlinks in templates/, static/, i18n/ and themes/",
            ]
        );
    }

    #[test]
    fn a_theme_folder_is_read_and_must_be_real() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("themes/own/i18n")).unwrap();
        std::fs::create_dir_all(root.join("themes/own/templates")).unwrap();
        std::fs::write(root.join("themes/own/i18n/vi.toml"), "home = \"Nhà\"\nextra = \"x\"").unwrap();
        std::fs::write(root.join("themes/own/templates/home.html"), "{{ t('home') }}").unwrap();
        let t = Theme::load(root, "own", "vi").unwrap();
        // Not the default theme: nothing built in is mixed in.
        assert_eq!(t.template_names(), ["home.html"]);
        assert_eq!(t.strings().len(), 2);
        std::os::unix::fs::symlink(root.join("themes/own"), root.join("themes/linked")).unwrap();
        let linked = errors(root, "linked");
        assert!(linked.len() == 1 && linked[0].starts_with("themes/linked is a symlink"), "{linked:?}");
        std::fs::write(root.join("themes/own/templates/bad.html"), b"a\n\xff").unwrap();
        assert_eq!(errors(root, "own"), ["the file is not UTF-8 text: the byte 0xFF here is not a character"]);
    }

    #[test]
    fn builtin_theme_has_its_templates_and_strings() {
        let t = Theme::load(Path::new("/nonexistent"), "default", "vi").unwrap();
        assert!(t.template("base.html").is_some());
        assert!(t.template_names().contains(&"document.html".to_string()));
        assert_eq!(t.strings().get("status.met").map(String::as_str), Some("Đạt"));
        assert!(t.static_files().unwrap().contains_key("style.css"));
        // Every built-in text file is UTF-8 (load relies on it).
        for f in builtin_files(&DEFAULT_THEME) {
            if !f.path().starts_with("static") {
                assert!(f.contents_utf8().is_some(), "{}", f.path().display());
            }
        }
    }
}
