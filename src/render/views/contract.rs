//! The template contract is docs/templates.md: these tests fail when it drifts from the
//! code. Every view struct a template receives has a section there listing exactly its
//! fields, in order; every template of the default theme, every macro of macros.html
//! and every function and filter minhbach adds is described.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// docs/templates.md's `### Name` sections: the names in the first column of each
/// one's table.
fn documented() -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in read("docs/templates.md").lines() {
        if let Some(h) = line.strip_prefix("### ") {
            current = Some(h.trim().to_string());
            out.entry(h.trim().to_string()).or_default();
        } else if line.starts_with("## ") {
            current = None;
        } else if let (Some(c), Some(cell)) = (&current, line.strip_prefix("| `")) {
            let name = cell.split('`').next().unwrap().to_string();
            out.get_mut(c).unwrap().push(name);
        }
    }
    out
}

/// Struct name → its fields as (name, type), in order.
type Structs = BTreeMap<String, Vec<(String, String)>>;

/// The structs that derive `Serialize` in a source file (before its tests).
fn serialized_structs(rel: &str) -> Structs {
    let text = read(rel);
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
    let lines: Vec<&str> = code.lines().collect();
    let mut out = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = ["pub struct ", "pub(crate) struct ", "struct "].iter().find_map(|p| line.strip_prefix(p))
        else {
            continue;
        };
        // Its attributes are the lines right above it.
        let attrs = lines[..i].iter().rev().take_while(|l| l.starts_with("#[") || l.starts_with("///"));
        if !attrs.into_iter().any(|a| a.starts_with("#[derive(") && a.contains("Serialize")) {
            continue;
        }
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let mut fields = Vec::new();
        for field in lines[i + 1..].iter().take_while(|l| **l != "}") {
            let f = field.trim();
            if f.starts_with("//") || f.starts_with("#[") {
                continue;
            }
            let f = f.strip_prefix("pub(crate) ").or_else(|| f.strip_prefix("pub ")).unwrap_or(f);
            let (n, ty) = f.split_once(": ").unwrap_or_else(|| panic!("{rel}: a field of {name} reads `{f}`"));
            fields.push((n.to_string(), ty.trim_end_matches(',').to_string()));
        }
        assert!(!fields.is_empty(), "{rel}: no fields read for {name}");
        out.insert(name, fields);
    }
    out
}

/// Every serialised struct of render's view code: views/, the dispatcher's context and
/// data.rs (whose other structs, the data files' rows, are reached only from the data
/// page's types if at all).
fn structs() -> (Structs, BTreeSet<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render/views");
    let mut all = BTreeMap::new();
    let mut views = BTreeSet::new();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| format!("src/render/views/{}", e.unwrap().file_name().to_str().unwrap()))
        .collect();
    files.push("src/render/dispatch.rs".into());
    for f in &files {
        let found = serialized_structs(f);
        views.extend(found.keys().cloned());
        all.extend(found);
    }
    all.extend(serialized_structs("src/render/data.rs"));
    (all, views)
}

/// The type names a field's type mentions ("Option<Vec<Link>>" → Option, Vec, Link).
fn type_names(ty: &str) -> impl Iterator<Item = &str> {
    ty.split(|c: char| !c.is_alphanumeric() && c != '_').filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
}

#[test]
fn every_struct_a_template_receives_is_documented_with_exactly_its_fields() {
    let docs = documented();
    let (all, views) = structs();
    // What templates receive: every view struct, the page types the docs name for each
    // template ("`page` is a [DataPage](#datapage)"), and every struct their fields hold.
    let text = read("docs/templates.md");
    let mut todo: Vec<String> = views.iter().cloned().collect();
    for named in text.split("`page` is a").skip(1) {
        let link = named.trim_start_matches('n').trim_start();
        let name = link.strip_prefix('[').and_then(|s| s.split(']').next()).unwrap_or_else(|| panic!("{link}"));
        assert!(
            all.contains_key(name),
            "docs/templates.md names `{name}` as a page's type; src/render has no such view"
        );
        todo.push(name.to_string());
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let fields = &all[&name];
        let listed = docs.get(&name).unwrap_or_else(|| {
            panic!("docs/templates.md has no `### {name}` section: templates receive it (fields {fields:?})")
        });
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(listed, &names, "docs/templates.md `### {name}` lists other fields than the struct has");
        for (_, ty) in fields {
            todo.extend(type_names(ty).filter(|t| all.contains_key(*t)).map(str::to_string));
        }
    }
    // Dates serialise by hand (vi/date.rs): the `### Date` section lists what they give.
    let date = read("src/vi/date.rs");
    let date_fields: Vec<&str> =
        date.split("serialize_field(\"").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    assert_eq!(
        docs.get("Date").map(Vec::as_slice),
        Some(&date_fields.iter().map(|s| s.to_string()).collect::<Vec<_>>()[..])
    );
    // The `sections` global lists exactly paths.rs's sections.
    let sections: Vec<String> = crate::render::paths::SECTIONS.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(docs.get("`sections`"), Some(&sections), "docs/templates.md `### sections` lists paths::SECTIONS");
    // And no section describes a struct that no longer exists.
    let other = ["Date", "t", "num", "css_string", "long_date", "sections", "statuses"];
    for name in docs.keys() {
        let bare = name.trim_matches('`');
        assert!(
            seen.contains(bare) || other.contains(&bare),
            "docs/templates.md describes `{name}`, which templates do not receive (they receive {seen:?})"
        );
    }
}

#[test]
fn every_template_macro_function_filter_and_global_is_documented() {
    let text = read("docs/templates.md");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_str().unwrap().to_string();
        assert!(text.contains(&format!("\n## `{name}`\n")), "docs/templates.md has no `## `{name}`` section");
    }
    for part in read("themes/default/templates/macros.html").split("{% macro ").skip(1) {
        let name = part.split('(').next().unwrap();
        assert!(text.contains(&format!("| `{name}` |")), "docs/templates.md does not list the macro `{name}`");
    }
    let renderer = read("src/render/mod.rs");
    let added: Vec<&str> = ["add_function(\"", "add_filter(\"", "add_global(\""]
        .iter()
        .flat_map(|call| renderer.split(call).skip(1).map(|s| s.split('"').next().unwrap()))
        .collect();
    assert!(added.len() >= 3, "the scan finds t, num and long_date: {added:?}");
    for name in added {
        assert!(text.contains(&format!("\n### `{name}`\n")), "docs/templates.md has no `### `{name}`` section");
    }
}
