//! Where templates, static files and translation strings come from, in order of
//! precedence: the site's own `templates/`, `static/`, `i18n/`; then the site's
//! `themes/<theme>/`; then the default theme built into the binary, so a new site made
//! with `minhbach new site` works without copying a theme.

use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

#[derive(Debug, Clone)]
pub struct Theme {
    site_root: PathBuf,
    theme_dir: PathBuf,
    use_builtin: bool,
}

impl Theme {
    pub fn new(site_root: &Path, theme: &str) -> Theme {
        Theme {
            site_root: site_root.to_path_buf(),
            theme_dir: site_root.join("themes").join(theme),
            use_builtin: theme == "default",
        }
    }

    /// A template's source and the path shown in errors, site first.
    pub fn template(&self, name: &str) -> Option<(String, String)> {
        if !safe_relative(name) {
            return None;
        }
        for dir in [self.site_root.join("templates"), self.theme_dir.join("templates")] {
            let p = dir.join(name);
            if let Ok(src) = std::fs::read_to_string(&p) {
                let shown = p.strip_prefix(&self.site_root).unwrap_or(&p).display().to_string();
                return Some((src, shown));
            }
        }
        if self.use_builtin {
            let f = DEFAULT_THEME.get_file(format!("templates/{name}"))?;
            return Some((f.contents_utf8()?.to_string(), format!("(built-in theme) templates/{name}")));
        }
        None
    }

    /// Every template name the theme and site provide (for `check`, which renders all).
    pub fn template_names(&self) -> Vec<String> {
        let mut names = std::collections::BTreeSet::new();
        if self.use_builtin
            && let Some(d) = DEFAULT_THEME.get_dir("templates")
        {
            collect_builtin(d, "templates/", &mut names);
        }
        for dir in [self.theme_dir.join("templates"), self.site_root.join("templates")] {
            for e in walkdir::WalkDir::new(&dir).into_iter().flatten() {
                if e.file_type().is_file()
                    && let Ok(rel) = e.path().strip_prefix(&dir)
                {
                    names.insert(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        names.into_iter().collect()
    }

    /// Translation strings: the theme's, overridden key by key by the site's.
    pub fn strings(&self, lang: &str) -> Result<BTreeMap<String, String>, (String, String)> {
        let name = format!("i18n/{lang}.toml");
        let mut out = BTreeMap::new();
        let mut sources: Vec<(String, String)> = Vec::new();
        if self.use_builtin
            && let Some(f) = DEFAULT_THEME.get_file(&name)
        {
            sources.push((format!("(built-in theme) {name}"), f.contents_utf8().unwrap_or("").to_string()));
        }
        for p in [self.theme_dir.join(&name), self.site_root.join(&name)] {
            if let Ok(t) = std::fs::read_to_string(&p) {
                sources.push((p.strip_prefix(&self.site_root).unwrap_or(&p).display().to_string(), t));
            }
        }
        for (shown, text) in sources {
            let table: toml::Table = toml::from_str(&text).map_err(|e| (shown.clone(), e.message().to_string()))?;
            flatten("", &table, &mut out);
        }
        Ok(out)
    }

    /// Static files to copy to the output root: (relative path, bytes), site last so it wins.
    pub fn static_files(&self) -> std::io::Result<BTreeMap<String, Vec<u8>>> {
        let mut out = BTreeMap::new();
        if self.use_builtin
            && let Some(d) = DEFAULT_THEME.get_dir("static")
        {
            collect_builtin_files(d, &mut out);
        }
        for dir in [self.theme_dir.join("static"), self.site_root.join("static")] {
            if !dir.is_dir() {
                continue;
            }
            for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let e = e?;
                if e.file_type().is_file() && !crate::load::is_ignored(&e.file_name().to_string_lossy()) {
                    let rel = e.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
                    out.insert(rel, std::fs::read(e.path())?);
                }
            }
        }
        Ok(out)
    }
}

fn flatten(prefix: &str, t: &toml::Table, out: &mut BTreeMap<String, String>) {
    for (k, v) in t {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::Table(sub) => flatten(&key, sub, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

fn collect_builtin(d: &Dir<'_>, strip: &str, out: &mut std::collections::BTreeSet<String>) {
    for f in d.files() {
        out.insert(f.path().to_string_lossy().trim_start_matches(strip).to_string());
    }
    for sub in d.dirs() {
        collect_builtin(sub, strip, out);
    }
}

fn collect_builtin_files(d: &Dir<'_>, out: &mut BTreeMap<String, Vec<u8>>) {
    for f in d.files() {
        let rel = f.path().to_string_lossy().trim_start_matches("static/").to_string();
        out.insert(rel, f.contents().to_vec());
    }
    for sub in d.dirs() {
        collect_builtin_files(sub, out);
    }
}

/// A relative path with no `..`, no root and no prefix: safe to join under a folder.
pub fn safe_relative(p: &str) -> bool {
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

    #[test]
    fn builtin_theme_has_its_templates_and_strings() {
        let t = Theme::new(Path::new("/nonexistent"), "default");
        assert!(t.template("base.html").is_some());
        assert!(t.template_names().contains(&"document.html".to_string()));
        let s = t.strings("vi").unwrap();
        assert_eq!(s.get("status.met").map(String::as_str), Some("Đạt"));
    }
}
