//! Where the pages and files of a site live. The page list (the files a build writes)
//! and the links to them (pages, feeds, data files) both take their addresses from here,
//! so a renamed folder cannot leave links pointing at the old one.
//!
//! An address is a site path with a slash at both ends ("/chi-so/ho-ngheo/"). Its page
//! is written to `index.html` in that folder (`page_file`), and links put the site's base
//! path in front (`Views::url`). The default theme's menu (base.html) names the section
//! folders too, as a theme may.

use crate::model::Term;
use crate::vi::slug::slugify;

pub(crate) const STATUS: &str = "/trang-thai/";
pub(crate) const FIELDS: &str = "/linh-vuc/";
pub(crate) const INDICATORS: &str = "/chi-so/";
pub(crate) const MATRICES: &str = "/ma-tran/";
pub(crate) const DATA_PAGE: &str = "/du-lieu/";
/// The open data files (targets, results, units, indicators, schema).
pub(crate) const DATA: &str = "/data/";
/// The search page, and its index's files below it (`search.rs`).
pub(crate) const SEARCH: &str = "/tim-kiem/";

/// The section pages and the data folder, by the name templates know them by
/// (`{{ sections.indicators }}`: the address with the site's base path in front).
pub(crate) const SECTIONS: &[(&str, &str)] = &[
    ("indicators", INDICATORS),
    ("matrices", MATRICES),
    ("fields", FIELDS),
    ("data_page", DATA_PAGE),
    ("status", STATUS),
    ("data", DATA),
    ("search", SEARCH),
];

/// The sections whose files every edition shares (`languages`): written once, at the
/// site's base path, in its first language.
pub(crate) const SHARED_SECTIONS: &[&str] = &["data"];

/// The file beside a unit's and an indicator's page: its Atom feed.
pub(crate) const FEED: &str = "atom.xml";
/// A unit's one-page scorecard, a file beside its page (a file, so that no document
/// or unit folder can take its address).
pub(crate) const SCORECARD: &str = "tom-tat.html";

/// The folder of the units' own target rows (the ward officer's spreadsheets): one
/// folder under `/data/`, so that a host gives every data file one rule and a reader
/// browses them together, with the unit tree inside it.
pub(crate) const UNIT_TARGETS: &str = "/data/chi-tieu/";

/// The address of a unit's own target rows: "/ha-noi/quan-long-bien/phuong-duc-giang/"
/// → "/data/chi-tieu/ha-noi/quan-long-bien/phuong-duc-giang.csv".
///
/// It cannot be the address of another file under `/data/`: the site-wide files
/// (`units.csv`, `index.json` …) are directly in `/data/`, not in a folder of it; the
/// provinces' files are in `/data/<province>/`, which is this folder only for a province
/// whose address is `chi-tieu`, and their names end in `.zip` or `.json`, never `.csv`;
/// a unit's folder of children (`…/phuong-duc-giang/`) and its file
/// (`…/phuong-duc-giang.csv`) differ by the `.csv`, which no unit address has (addresses
/// are slugs: letters, digits and `-`). The test of pages.rs builds such a province.
pub(crate) fn unit_targets(unit_url: &str) -> String {
    [UNIT_TARGETS, unit_url.trim_matches('/'), ".csv"].concat()
}

/// Its output file, relative to the output folder.
pub(crate) fn unit_targets_file(unit_url: &str) -> String {
    unit_targets(unit_url).trim_start_matches('/').to_string()
}

/// The name a browser saves a unit's target rows as (the link's `download`): the whole
/// address, so that two wards' files keep apart in one Downloads folder, even two wards
/// of the same name in different districts ("Phường 14"), and sort by province:
/// "chi-tieu-ha-noi-quan-long-bien-phuong-duc-giang.csv". ASCII, as addresses are.
pub(crate) fn unit_targets_name(unit_url: &str) -> String {
    ["chi-tieu-", &unit_url.trim_matches('/').replace('/', "-"), ".csv"].concat()
}

/// The folder of a province's data files: "/data/ha-noi/".
pub(crate) fn province_data(root_path: &str) -> String {
    [DATA, &slugify(root_path), "/"].concat()
}

pub(crate) fn field(key: &str) -> String {
    field_parts(key).concat()
}

pub(crate) fn indicator(key: &str) -> String {
    indicator_parts(key).concat()
}

/// `field` and `indicator` in pieces, for links made in one allocation with the base
/// path in front (`Views::url_of`): every target row links its field and indicator.
pub(crate) fn field_parts(key: &str) -> [&str; 3] {
    [FIELDS, key, "/"]
}

pub(crate) fn indicator_parts(key: &str) -> [&str; 3] {
    [INDICATORS, key, "/"]
}

/// The id of a province's files on the data page, which its units' pages link to.
pub(crate) fn province_anchor(root_path: &str) -> String {
    ["du-lieu-", &slugify(root_path)].concat()
}

/// A province's part of a comparison too large for one page.
pub(crate) fn indicator_part(key: &str, root_path: &str) -> String {
    [INDICATORS, key, "/", &slugify(root_path), "/"].concat()
}

pub(crate) fn matrix(t: Term) -> String {
    [MATRICES, &t.key(), "/"].concat()
}

/// A province's part of a matrix too large for one page; of a province cut in several
/// parts, the first at the province's own address (where links made before it was cut
/// still land, and every part lists the others) and the next numbered:
/// "/ma-tran/2020-2025/ha-noi/2/". `number` counts from 1, of `of` parts.
pub(crate) fn matrix_part(t: Term, root_path: &str, number: usize, of: usize) -> String {
    let province = [MATRICES, &t.key(), "/", &slugify(root_path), "/"].concat();
    if of > 1 && number > 1 { [province, number.to_string(), "/".into()].concat() } else { province }
}

/// The output file of the page at `path`, relative to the output folder:
/// "/chi-so/ho-ngheo/" → "chi-so/ho-ngheo/index.html".
pub(crate) fn page_file(path: &str) -> String {
    file_in(path, "index.html")
}

/// The address a written file is seen at, the inverse of `page_file`:
/// "chi-so/ho-ngheo/index.html" → "/chi-so/ho-ngheo/"; other files keep their name.
pub(crate) fn address_of(output: &str) -> String {
    ["/", output.strip_suffix("index.html").unwrap_or(output)].concat()
}

/// The output file `name` in the folder of `path`, relative to the output folder.
pub(crate) fn file_in(path: &str, name: &str) -> String {
    [path.trim_start_matches('/'), name].concat()
}

/// The address of the file `name` in the folder of `path`: for links.
pub(crate) fn beside(path: &str, name: &str) -> String {
    [path, name].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_their_files_share_one_address() {
        let t = Term { start: 2020, end: 2025 };
        assert_eq!(page_file(&indicator("ho-ngheo")), "chi-so/ho-ngheo/index.html");
        assert_eq!(page_file("/"), "index.html");
        assert_eq!(address_of(&page_file(&indicator("ho-ngheo"))), "/chi-so/ho-ngheo/");
        assert_eq!(address_of("index.html"), "/");
        assert_eq!(address_of("data/ha-noi/csv.zip"), "/data/ha-noi/csv.zip");
        let ward = "/ha-noi/quan-long-bien/phuong-duc-giang/";
        assert_eq!(unit_targets(ward), "/data/chi-tieu/ha-noi/quan-long-bien/phuong-duc-giang.csv");
        assert_eq!(address_of(&unit_targets_file(ward)), unit_targets(ward));
        assert_eq!(unit_targets_name(ward), "chi-tieu-ha-noi-quan-long-bien-phuong-duc-giang.csv");
        assert_eq!(unit_targets("/ha-noi/"), "/data/chi-tieu/ha-noi.csv");
        assert_eq!(beside(&indicator("ho-ngheo"), FEED), "/chi-so/ho-ngheo/atom.xml");
        assert_eq!(matrix_part(t, "tp-ho-chi-minh", 1, 1), "/ma-tran/2020-2025/tp-ho-chi-minh/");
        assert_eq!(matrix_part(t, "tp-ho-chi-minh", 2, 3), "/ma-tran/2020-2025/tp-ho-chi-minh/2/");
        assert_eq!(indicator_part("bhyt", "Đà Nẵng"), format!("/chi-so/bhyt/{}/", slugify("Đà Nẵng")));
        assert_eq!(page_file(&matrix(t)), "ma-tran/2020-2025/index.html");
        assert_eq!(file_in(DATA, "units.json"), "data/units.json");
        assert_eq!(file_in(&province_data("ha-noi"), "csv.zip"), "data/ha-noi/csv.zip");
    }
}
