//! Assembling the site from the lowered files: the unit tree (parents, folders that
//! skip a level, levels below their parent's, successions without cycles), documents
//! placed in their units with addresses that are unique, not reserved and not too
//! long, results linked (`model::link`), and the orders readers expect. What needs
//! only one file was checked when it was lowered (`model::lower`).

use super::level;
use super::link::link_results;
use super::lower::{LoweredDoc, MAX_SLUG, unit_from_raw};
use super::*;
use crate::diagnostics::{Diagnostic, Diagnostics, Kind};
use crate::load::content::Content;
use crate::load::schema::RawUnit;
use crate::load::{Loaded, SourceFile};
use crate::vi::{collate, slug};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Build the model, with the warnings found; returns every problem found if there is
/// an error.
pub(crate) fn build(content: Content) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut site = Site {
        units: vec![],
        // Exact sizes here and below: a vector grown by pushing keeps up to half of
        // itself empty, which at national scale is tens of megabytes.
        documents: Vec::with_capacity(content.documents.len()),
        results: vec![],
        indicators: vec![],
        fields: vec![],
        roots: vec![],
        unit_by_path: BTreeMap::new(),
        doc_by_path: BTreeMap::new(),
        indicator_by_key: BTreeMap::new(),
        field_by_key: BTreeMap::new(),
        name_keys: vec![],
        name_rank: vec![],
        root_of: vec![],
        unread: content.unread,
        drafts: BTreeSet::new(),
    };
    // Files that could not be read are reported with everything else.
    diags.extend(content.unread_diags);

    // 1. Vocabulary: fields and indicators (read first, by `read`).
    diags.extend(content.vocab_diags);
    let vocab = content.vocab;
    site.fields = vocab.fields;
    site.indicators = vocab.indicators;
    site.field_by_key = vocab.field_by_key;
    site.indicator_by_key = vocab.indicator_by_key;

    // 2. Units, ordered by path so parents come before children.
    let mut units = content.units;
    units.sort_by(|a, b| a.file.content_path.cmp(&b.file.content_path));
    let mut url_owner: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut units_refused: BTreeSet<String> = BTreeSet::new();
    // Units with a `succeeded_by`, as (unit index, index in `units`), to check the chain.
    let mut successions: Vec<(usize, usize)> = Vec::new();
    for (ui, u) in units.iter().enumerate() {
        let path = u.file.content_path.clone();
        if path.is_empty() {
            diags.push(
                u.file
                    .whole("`content/_index.md` cannot be a unit")
                    .hint("put each unit in its own folder, e.g. `content/ha-noi/_index.md`"),
            );
            continue;
        }
        if let Some(d) = unit_name_problem(&u.file, &path) {
            diags.push(d);
            // Its own problems too; the unit is left out of the site.
            unit_from_raw(u, &mut diags);
            units_refused.insert(path);
            continue;
        }
        let url = url_of(&path);
        if let Some(other) = url_owner.insert(url.clone(), u.file.display.clone()) {
            diags.push(
                u.file
                    .whole(format!("this unit's address {url} is also the address of {}", other.display()))
                    .kind(Kind::Address)
                    .hint(
                        "rename one of the folders: names that differ only in tone marks or case give the same address",
                    ),
            );
        }
        let unit = unit_from_raw(u, &mut diags);
        if !unit.succeeded_by.is_empty() {
            successions.push((site.units.len(), ui));
        }
        site.unit_by_path.insert(path.clone(), site.units.len());
        site.units.push(Unit { path, url, ..unit });
    }
    diags.extend(succession_problems(&site, &units, &successions));
    diags.extend(successor_places(&site, &units, &successions));
    // Predecessors: the reverse of each `succeeded_by`.
    for i in 0..site.units.len() {
        for p in site.units[i].succeeded_by.clone() {
            if let Some(&s) = site.unit_by_path.get(&p)
                && s != i
                && !site.units[s].predecessors.contains(&i)
            {
                site.units[s].predecessors.push(i);
            }
        }
    }
    // Parents: the nearest ancestor folder that is a unit.
    for i in 0..site.units.len() {
        let mut p = site.units[i].path.as_str();
        while let Some(idx) = p.rfind('/') {
            p = &p[..idx];
            if let Some(&parent) = site.unit_by_path.get(p) {
                site.units[i].parent = Some(parent);
                site.units[parent].children.push(i);
                break;
            }
        }
        if site.units[i].parent.is_none() {
            site.roots.push(i);
        }
    }
    // Every folder between content/ and a unit must be a unit too, or the hierarchy
    // silently skips a level (a ward would hang under its province).
    let mut reported = BTreeSet::new();
    for u in &site.units {
        let parts: Vec<&str> = u.path.split('/').collect();
        for n in 1..parts.len() {
            let folder = parts[..n].join("/");
            let known = site.unit_by_path.contains_key(&folder) || site.unread.contains(&folder);
            if !known && !units_refused.contains(&folder) && reported.insert(folder.clone()) {
                diags.push(
                    Diagnostic::new(
                        &u.file,
                        format!(
                            "the folder content/{folder}/ has no _index.md, so {} would skip a level of the hierarchy",
                            u.name
                        ),
                    )
                    .hint(format!(
                        "describe that unit: run `minhbach new unit content/{folder}` and fill in its name and level"
                    )),
                );
            }
        }
    }
    // A child's level must be below its parent's.
    for u in &site.units {
        if let Some(p) = u.parent {
            let parent = &site.units[p];
            if let (Some((_, child_max)), Some((parent_min, _))) = (level::tiers(&u.level), level::tiers(&parent.level))
                && child_max <= parent_min
            {
                let message = format!(
                    "{} ({}) is inside {} ({}), but a {} is not below a {}",
                    u.name, u.level, parent.name, parent.level, u.level, parent.level
                );
                // At the `level:` line, where the fix usually is.
                let d = match units.iter().find(|l| l.file.content_path == u.path) {
                    Some(l) => l.file.diag(&l.raw.level.referenced, message),
                    None => Diagnostic::new(&u.file, message),
                };
                diags.push(d.hint(format!(
                    "check `level:` here and in {}/_index.md, or move the folder",
                    parent.file.parent().map_or_else(|| parent.path.clone(), |p| p.display().to_string())
                )));
            }
        }
    }

    // 3. Documents.
    let mut docs = content.documents;
    docs.sort_by(|a, b| a.file.content_path.cmp(&b.file.content_path));
    let mut pending_results: Vec<(usize, std::sync::Arc<LoweredDoc>)> = Vec::new();
    let mut keys_dropped = false;
    // A one-shot build owns each lowered document and moves it out; serve's cache
    // shares it, and the model gets a copy (made in parallel: it is most of a rebuild's
    // model time).
    let owned: Vec<Document> = docs
        .par_iter_mut()
        .map(|d| match std::sync::Arc::get_mut(d) {
            Some(l) => std::mem::take(&mut l.doc),
            None => d.doc.clone(),
        })
        .collect();
    for (d, doc) in docs.into_iter().zip(owned) {
        let path = d.file.content_path.clone();
        let (folder, file_name) = match path.rfind('/') {
            Some(i) => (&path[..i], &path[i + 1..]),
            None => ("", path.as_str()),
        };
        let Some(&unit) = site.unit_by_path.get(folder) else {
            // A unit whose file did not parse (or whose name is refused) is its own error.
            if site.unread.contains(folder) || units_refused.contains(folder) {
                diags.extend(d.diags.clone());
                keys_dropped |= d.keys_dropped;
                continue;
            }
            diags.push(d.file.whole("this document is not in a unit folder").hint(if folder.is_empty() {
                "move it into the folder of the unit that issued it (a folder with an `_index.md`)".to_string()
            } else {
                format!(
                    "add `content/{folder}/_index.md` describing the unit (run `minhbach new unit content/{folder}`)"
                )
            }));
            continue;
        };
        // The file's own problems are reported whatever its name; a name that cannot be
        // an address leaves the document out of the site.
        diags.extend(d.diags.clone());
        keys_dropped |= d.keys_dropped;
        let slug = slug::slugify(file_name);
        if slug.len() > MAX_SLUG {
            diags.push(
                d.file
                    .whole(format!(
                        "the file name makes an address {} characters long; at most {MAX_SLUG} are possible",
                        slug.len()
                    ))
                    .kind(Kind::Address)
                    .hint(format!(
                        "shorten the file name to at most {MAX_SLUG} letters: file systems refuse longer names"
                    )),
            );
            continue;
        }
        if slug.is_empty() {
            diags.push(
                d.file
                    .whole(format!("the file name `{file_name}.md` gives an empty address"))
                    .kind(Kind::Address)
                    .hint("name the file with letters or digits, e.g. `nghi-quyet-dai-hoi.md`: the name is the document's address"),
            );
            continue;
        }
        let url = url_of(&path);
        if let Some(other) = url_owner.insert(url.clone(), d.file.display.clone()) {
            diags.push(
                d.file
                    .whole(format!("this document's address {url} is also the address of {}", other.display()))
                    .kind(Kind::Address)
                    .hint("rename one of the files"),
            );
        }
        let draft = d.draft;
        let idx = site.documents.len();
        if draft {
            // Checked above like every document; not part of the site until published.
            url_owner.remove(&url);
            site.drafts.insert(path);
            continue;
        }
        site.documents.push(Document { unit, path: path.clone(), url, slug, ..doc });
        site.doc_by_path.insert(path, idx);
        site.units[unit].documents.push(idx);
        pending_results.push((idx, d));
    }

    // One problem for a missing vocabulary, not one per key the documents use.
    if keys_dropped && let Some(path) = &content.vocab_missing {
        diags.push(
            Diagnostic::new(path, format!("{} is missing, and the documents use indicator and field keys", path.display()))
                .hint("create it with the `fields:` and `indicators:` the documents name (`minhbach format` shows the format; `minhbach new site` writes an example)"),
        );
    }

    // 4. Results, now that every document and target exists.
    diags.extend(link_results(&mut site, &mut pending_results));

    // 5. Orders readers expect: children and roots in Vietnamese order (weight first),
    //    documents newest first.
    site.root_of = (0..site.units.len()).map(|u| site.root(u)).collect();
    site.name_keys = site.units.iter().map(|u| collate::key(&u.name)).collect();
    let mut by_key: Vec<usize> = (0..site.units.len()).collect();
    by_key.sort_by(|a, b| site.name_keys[*a].cmp(&site.name_keys[*b]));
    site.name_rank = vec![0; site.units.len()];
    for w in by_key.windows(2) {
        site.name_rank[w[1]] = site.name_rank[w[0]] + u32::from(site.name_keys[w[0]] != site.name_keys[w[1]]);
    }
    let names: Vec<(Option<i64>, &collate::Key)> =
        site.units.iter().zip(&site.name_keys).map(|(u, k)| (u.weight, k)).collect();
    let by_name = |a: &usize, b: &usize| {
        let (wa, ka) = &names[*a];
        let (wb, kb) = &names[*b];
        wa.unwrap_or(i64::MAX).cmp(&wb.unwrap_or(i64::MAX)).then_with(|| ka.cmp(kb))
    };
    for u in &mut site.units {
        u.children.sort_by(by_name);
        u.predecessors.sort_by(by_name);
    }
    site.roots.sort_by(by_name);
    for u in 0..site.units.len() {
        sort_unit_documents(&mut site, u);
    }

    diags.into_result().map(|warnings| (site, warnings))
}

/// A unit's documents, newest first.
pub(crate) fn sort_unit_documents(site: &mut Site, u: usize) {
    let mut docs = std::mem::take(&mut site.units[u].documents);
    docs.sort_by(|a, b| {
        let (da, db) = (&site.documents[*a], &site.documents[*b]);
        (db.date().start(), &db.path).cmp(&(da.date().start(), &da.path))
    });
    site.units[u].documents = docs;
}

/// The top-level folders of the site's own pages and files (`/chi-so/`, `/data/` …): a
/// unit folder with one of these names would write its pages over them.
pub(crate) fn reserved_names() -> [&'static str; 7] {
    use crate::render::paths;
    [paths::STATUS, paths::FIELDS, paths::INDICATORS, paths::MATRICES, paths::DATA_PAGE, paths::DATA, paths::SEARCH]
        .map(|p| p.trim_matches('/'))
}

/// A unit folder whose name cannot be an address: one that slugs to nothing, or a
/// top-level one named like a section of the site.
fn unit_name_problem(file: &SourceFile, path: &str) -> Option<Diagnostic> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let slug = slug::slugify(name);
    if slug.is_empty() {
        return Some(
            file.whole(format!("the folder name `{name}` gives an empty address")).kind(Kind::Address).hint(
                "name the folder with letters or digits, e.g. `phuong-duc-giang`: the name is the unit's address",
            ),
        );
    }
    if slug.len() > MAX_SLUG {
        return Some(
            file.whole(format!(
                "the folder name makes an address {} characters long; at most {MAX_SLUG} are possible",
                slug.len()
            ))
            .kind(Kind::Address)
            .hint(format!("shorten the folder name to at most {MAX_SLUG} letters: file systems refuse longer names")),
        );
    }
    let reserved = reserved_names();
    if !path.contains('/') && reserved.contains(&slug.as_str()) {
        return Some(
            file.whole(format!("the folder name `{name}` is reserved: the site's own pages are at /{slug}/"))
                .kind(Kind::Address)
                .hint(format!(
                    "rename the folder, e.g. `tinh-{slug}`; a top-level folder cannot be named {}",
                    reserved.join(", ")
                )),
        );
    }
    None
}

pub(crate) fn url_of(content_path: &str) -> String {
    let mut url = String::from("/");
    for part in content_path.split('/').filter(|p| !p.is_empty()) {
        url.push_str(&slug::slugify(part));
        url.push('/');
    }
    url
}

/// A successor that cannot be one: the unit's own province or district, or a unit
/// inside it (an error: its pages would say it became what it contains); one that is
/// not a unit of the site (a warning: the page shows its path for a name, as for a
/// unit outside the site, but a typo looks the same).
fn successor_places(site: &Site, units: &[Loaded<RawUnit>], successions: &[(usize, usize)]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for &(u, ui) in successions {
        let Some(raw) = units[ui].raw.succeeded_by.as_ref() else { continue };
        let file = &units[ui].file;
        let path = &site.units[u].path;
        for s in &site.units[u].succeeded_by {
            // A path refused as such (`lower::unit`) is not looked for.
            if s.is_empty() || s == path || !super::lower::is_content_path(s) {
                continue;
            }
            let at = |message: String| {
                let (line, _) = file.file_pos(&raw.referenced);
                let found = file
                    .text
                    .lines()
                    .enumerate()
                    .skip(line.saturating_sub(1))
                    .take(50)
                    .find_map(|(i, l)| l.find(s.as_str()).map(|c| (i + 1, l[..c].chars().count() + 1)));
                match found {
                    Some((line, col)) => Diagnostic::new(&file.display, message).at(&file.text, line, col),
                    None => file.diag(&raw.referenced, message),
                }
            };
            if path.starts_with(&format!("{s}/")) {
                diags.push(
                    at(format!("`succeeded_by`: `{s}` contains {}", site.units[u].name))
                        .kind(Kind::Link)
                        .hint("name the new unit it was merged into, not its own district or province"),
                );
            } else if s.starts_with(&format!("{path}/")) {
                diags.push(
                    at(format!("`succeeded_by`: `{s}` is inside {}", site.units[u].name))
                        .kind(Kind::Link)
                        .hint("a unit's successor stands beside it, not inside its folder: put the new unit's folder under its province"),
                );
            } else if !site.unit_by_path.contains_key(s) {
                // The nearest path only: a national site has ten thousand of them.
                let hint = match crate::diagnostics::closest(s, site.units.iter().map(|x| x.path.as_str())) {
                    Some(c) => format!("did you mean `{c}`? Check the spelling"),
                    None => "check the spelling".to_string(),
                };
                diags.push(
                    at(format!(
                        "`succeeded_by`: `{s}` is not a unit of this site, so {}'s page shows the path for a name",
                        site.units[u].name
                    ))
                    .kind(Kind::Link)
                    .warning()
                    .hint(format!("{hint}; or add that unit (`minhbach new unit content/{s}`)")),
                );
            }
        }
    }
    diags
}

/// A unit succeeded by itself, or a chain of successors that comes back to where it
/// started: the unit pages would send readers round in a circle. One problem per
/// cycle, at the `succeeded_by` of its first unit in path order.
fn succession_problems(site: &Site, units: &[Loaded<RawUnit>], successions: &[(usize, usize)]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let next = |u: usize| -> Vec<usize> {
        site.units[u].succeeded_by.iter().filter_map(|p| site.unit_by_path.get(p).copied()).collect()
    };
    let mut reported: BTreeSet<usize> = BTreeSet::new();
    for &(start, ui) in successions {
        if reported.contains(&start) {
            continue;
        }
        // A path of successors back to `start`, searched depth first (a split gives a
        // unit several successors).
        fn back(
            next: &dyn Fn(usize) -> Vec<usize>,
            at: usize,
            start: usize,
            chain: &mut Vec<usize>,
            seen: &mut BTreeSet<usize>,
        ) -> bool {
            for n in next(at) {
                if n == start {
                    return true;
                }
                if seen.insert(n) {
                    chain.push(n);
                    if back(next, n, start, chain, seen) {
                        return true;
                    }
                    chain.pop();
                }
            }
            false
        }
        let mut chain = vec![start];
        if !back(&next, start, start, &mut chain, &mut BTreeSet::new()) {
            continue;
        }
        reported.extend(chain.iter().copied());
        let Some(loc) = units[ui].raw.succeeded_by.as_ref().map(|s| s.referenced) else { continue };
        let file = &units[ui].file;
        let d = if chain.len() == 1 {
            file.diag(&loc, format!("{} is succeeded by itself", site.units[start].name))
                .kind(Kind::Link)
                .hint("`succeeded_by` names the unit this one was merged into; remove it if the unit still exists")
        } else {
            let names: Vec<&str> = chain.iter().chain([&start]).map(|&u| site.units[u].name.as_str()).collect();
            file.diag(&loc, format!("the successors form a cycle: {}", names.join(" → ")))
                .kind(Kind::Link)
                .hint("`succeeded_by` names the unit a unit was merged into; remove it from the unit that still exists")
        };
        diags.push(d);
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::fixture::{Fixture, HEAD, VOCAB, doc, located, problem, unit};
    use std::path::Path;

    /// The site assembled from `files` (paths inside `content/`), with `VOCAB`.
    fn site(files: &[(&str, &str)]) -> Result<Site, Diagnostics> {
        let mut all = vec![("indicators.yaml", VOCAB)];
        all.extend_from_slice(files);
        build(Fixture::new(&all).read()).map(|(site, _warnings)| site)
    }

    #[test]
    fn slips_that_leave_the_site_right_are_warnings_and_the_site_is_built() {
        let posted = doc(&format!("{HEAD}posted: 2020-05-02\n"));
        let merged = "---\nname: Phường 2\nlevel: phường\nsucceeded_on: 2025-07-01\n---\n";
        let all = [
            ("indicators.yaml", VOCAB),
            ("u/_index.md", &unit("Phường 1", "phường")[..]),
            ("u/d.md", &posted),
            ("v/_index.md", merged),
        ];
        let (s, warnings) = build(Fixture::new(&all).read()).expect("warnings only");
        assert_eq!(s.documents.len(), 1);
        assert!(!warnings.has_errors() && warnings.len() == 2, "{warnings:#?}");
        let d = problem(&warnings, "is before the document was issued");
        assert_eq!(
            located(d),
            ("content/u/d.md".into(), 5, 9, "posted 2/5/2020 is before the document was issued (22/5/2020)")
        );
        assert_eq!((d.kind, d.severity), (Kind::Value, crate::diagnostics::Severity::Warning));
        let u = problem(&warnings, "`succeeded_on` is given without `succeeded_by`");
        assert_eq!((located(u).0.as_str(), located(u).1, located(u).2), ("content/v/_index.md", 4, 15));
        // A date of a coarser precision that may be the same day is not a slip.
        let fine = doc(&format!("{HEAD}posted: 2020\n"));
        let all = [("indicators.yaml", VOCAB), ("u/_index.md", &unit("Phường 1", "phường")[..]), ("u/d.md", &fine)];
        assert!(build(Fixture::new(&all).read()).unwrap().1.is_empty());
    }

    fn issued(date: &str) -> String {
        doc(&format!("title: Văn bản {date}\nkind: resolution\nissued: {date}\n"))
    }

    #[test]
    fn units_form_a_tree_in_vietnamese_order_and_documents_are_newest_first() {
        let s = site(&[
            ("gia-lai/_index.md", &unit("Tỉnh Gia Lai", "tỉnh")),
            ("dien-bien/_index.md", &unit("Tỉnh Điện Biên", "tỉnh")),
            ("da-nang/_index.md", &unit("Tỉnh Đà Nẵng", "tỉnh")),
            ("binh-duong/_index.md", "---\nname: Tỉnh Bình Dương\nlevel: tỉnh\nweight: 1\n---\n"),
            ("gia-lai/pleiku/_index.md", &unit("Thành phố Pleiku", "thành phố thuộc tỉnh")),
            ("gia-lai/pleiku/phuong-yen-do/_index.md", &unit("Phường Yên Đỗ", "phường")),
            ("gia-lai/pleiku/phuong-an-phu/_index.md", &unit("Phường An Phú", "phường")),
            ("gia-lai/pleiku/phuong-yen-do/a.md", &issued("2019")),
            ("gia-lai/pleiku/phuong-yen-do/b.md", &issued("2021-03")),
            ("gia-lai/pleiku/phuong-yen-do/c.md", &issued("2021-03")),
        ])
        .unwrap();
        let names = |us: &[usize]| us.iter().map(|&u| s.units[u].name.as_str()).collect::<Vec<_>>();
        // Weight first; then Đ after D and before G, as Vietnamese sorts it.
        assert_eq!(names(&s.roots), ["Tỉnh Bình Dương", "Tỉnh Đà Nẵng", "Tỉnh Điện Biên", "Tỉnh Gia Lai"]);
        let pleiku = s.unit_by_path["gia-lai/pleiku"];
        assert_eq!(s.units[pleiku].parent, Some(s.unit_by_path["gia-lai"]));
        assert_eq!(names(&s.units[pleiku].children), ["Phường An Phú", "Phường Yên Đỗ"]);
        let ward = &s.units[s.unit_by_path["gia-lai/pleiku/phuong-yen-do"]];
        assert_eq!(ward.url, "/gia-lai/pleiku/phuong-yen-do/");
        assert_eq!(s.root_of[s.unit_by_path["gia-lai/pleiku/phuong-yen-do"]], s.unit_by_path["gia-lai"]);
        // Newest first; the same date in reverse path order.
        let docs: Vec<&str> = ward.documents.iter().map(|&d| s.documents[d].path.as_str()).collect();
        assert_eq!(
            docs,
            ["gia-lai/pleiku/phuong-yen-do/c", "gia-lai/pleiku/phuong-yen-do/b", "gia-lai/pleiku/phuong-yen-do/a"]
        );
        let a = &s.documents[s.doc_by_path["gia-lai/pleiku/phuong-yen-do/a"]];
        assert_eq!(
            (a.url.as_str(), a.slug.as_str(), a.unit),
            ("/gia-lai/pleiku/phuong-yen-do/a/", "a", s.unit_by_path["gia-lai/pleiku/phuong-yen-do"])
        );
    }

    #[test]
    fn a_folder_without_its_unit_and_a_document_outside_any_unit_are_reported() {
        let diags = site(&[
            ("ha-noi/_index.md", &unit("Thành phố Hà Nội", "thành phố")),
            ("ha-noi/quan-1/phuong-1/_index.md", &unit("Phường 1", "phường")),
            ("le/d.md", &doc(HEAD)),
        ])
        .unwrap_err();
        let d = problem(&diags, "has no _index.md");
        assert_eq!(
            located(d),
            (
                "content/ha-noi/quan-1/phuong-1/_index.md".into(),
                0,
                0,
                "the folder content/ha-noi/quan-1/ has no _index.md, so Phường 1 would skip a level of the hierarchy"
            )
        );
        assert!(d.hint.as_deref().unwrap().contains("minhbach new unit content/ha-noi/quan-1"), "{d:?}");
        let d = problem(&diags, "not in a unit folder");
        assert_eq!(d.file, Path::new("content/le/d.md"));
        assert!(d.hint.as_deref().unwrap().contains("content/le/_index.md"), "{d:?}");
    }

    #[test]
    fn two_files_with_one_address_are_reported() {
        let diags = site(&[
            ("u/_index.md", &unit("Phường 1", "phường")),
            ("u/Nghị quyết.md", &doc(HEAD)),
            ("u/nghi-quyet.md", &doc(HEAD)),
        ])
        .unwrap_err();
        assert_eq!(
            located(&diags.0[0]),
            (
                "content/u/nghi-quyet.md".into(),
                0,
                0,
                "this document's address /u/nghi-quyet/ is also the address of content/u/Nghị quyết.md"
            )
        );
        assert_eq!(diags.len(), 1, "{diags:#?}");
    }

    #[test]
    fn a_reserved_folder_and_a_level_above_its_parent_are_reported() {
        let diags = site(&[
            ("chi-so/_index.md", &unit("Tỉnh Chỉ Số", "tỉnh")),
            ("phuong-1/_index.md", &unit("Phường 1", "phường")),
            ("phuong-1/quan-2/_index.md", &unit("Quận 2", "quận")),
        ])
        .unwrap_err();
        let d = problem(&diags, "is reserved");
        assert_eq!(d.message, "the folder name `chi-so` is reserved: the site's own pages are at /chi-so/");
        assert_eq!(
            problem(&diags, "is not below").message,
            "Quận 2 (quận) is inside Phường 1 (phường), but a quận is not below a phường"
        );
        assert_eq!(diags.len(), 2, "{diags:#?}");
    }

    #[test]
    fn successors_that_come_back_are_one_problem_per_cycle() {
        let diags = site(&[
            ("a/_index.md", "---\nname: Xã A\nlevel: xã\nsucceeded_by: b\n---\n"),
            ("b/_index.md", "---\nname: Xã B\nlevel: xã\nsucceeded_by: a\n---\n"),
            ("c/_index.md", "---\nname: Xã C\nlevel: xã\nsucceeded_by: c\n---\n"),
        ])
        .unwrap_err();
        let msgs: Vec<_> = diags.0.iter().map(located).collect();
        assert_eq!(
            msgs,
            [
                ("content/a/_index.md".into(), 4, 15, "the successors form a cycle: Xã A → Xã B → Xã A"),
                ("content/c/_index.md".into(), 4, 15, "Xã C is succeeded by itself"),
            ]
        );
    }

    #[test]
    fn a_draft_is_checked_but_left_out() {
        let s = site(&[
            ("u/_index.md", &unit("Phường 1", "phường")),
            ("u/du-thao.md", &doc(&format!("{HEAD}draft: true\n"))),
            ("u/nq.md", &doc(HEAD)),
        ])
        .unwrap();
        assert_eq!(s.documents.iter().map(|d| d.path.as_str()).collect::<Vec<_>>(), ["u/nq"]);
        assert!(s.drafts.contains("u/du-thao"));
        let diags = site(&[
            ("u/_index.md", &unit("Phường 1", "phường")),
            ("u/du-thao.md", &doc(&format!("{HEAD}draft: true\nterm: 2025\n"))),
        ])
        .unwrap_err();
        assert_eq!(located(&diags.0[0]), ("content/u/du-thao.md".into(), 6, 7, "`2025` is not a term"));
    }

    #[test]
    fn a_missing_vocabulary_is_one_problem_however_many_keys_are_used() {
        let target = "  - id: a\n    text: A\n    indicator: ho-ngheo\n";
        let f = Fixture::new(&[
            ("u/_index.md", &unit("Phường 1", "phường")),
            ("u/a.md", &doc(&format!("{HEAD}targets:\n{target}"))),
            ("u/b.md", &doc(&format!("{HEAD}targets:\n{target}"))),
        ]);
        let diags = build(f.read()).unwrap_err();
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(
            located(&diags.0[0]),
            (
                "content/indicators.yaml".into(),
                0,
                0,
                "content/indicators.yaml is missing, and the documents use indicator and field keys"
            )
        );
    }
}
