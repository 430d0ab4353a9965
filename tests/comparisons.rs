//! Comparison indices and open data, on the bundled site and on a fixture with a
//! district and its wards: indicator pages with every unit that set the indicator,
//! unlike measures kept apart, higher-level comparison, pace, matrix, roll-ups, feeds,
//! and data files that parse, match their schema and match the pages.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    minhbach().args(["build", "--root"]).arg(root).arg("--output").arg(&out).assert().success();
    (tmp, out)
}

fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    csv_records(&fs::read(path).unwrap(), &path.display().to_string())
}

/// The provinces of the bundled site.
const PROVINCES: [&str; 3] = ["ha-noi", "quang-ngai", "tp-ho-chi-minh"];

/// A province JSON's target rows with the values it leaves out as derivable rebuilt by
/// the rules its schema gives (`data_derived.*`): `id`, `unit_path`, `url`,
/// `status_label`. The other columns as they are.
fn json_targets_rebuilt(json: &serde_json::Value, schema: &serde_json::Value) -> Vec<BTreeMap<String, String>> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let docs = json["documents"].as_array().unwrap();
    let doc = |path: &serde_json::Value| docs.iter().find(|d| d["document_path"] == *path).expect("its document");
    let labels = schema["$defs"]["targets"]["items"]["properties"]["status"]["oneOf"].as_array().unwrap();
    let targets = json["targets"].as_array().unwrap();
    targets
        .iter()
        .map(|t| {
            let mut row: BTreeMap<String, String> =
                t.as_object().unwrap().iter().map(|(k, v)| (k.clone(), text(v))).collect();
            let d = doc(&t["document_path"]);
            let target_id = t["target_id"].as_str().unwrap();
            // "#" + measure when the target has several measures (several rows).
            let several = targets
                .iter()
                .filter(|o| o["document_path"] == t["document_path"] && o["target_id"] == target_id)
                .count()
                > 1;
            let mut id = format!("{}/{target_id}", d["id"].as_str().unwrap());
            if several {
                id = format!("{id}#{}", t["measure"]);
            }
            row.insert("id".into(), id);
            row.insert("unit_path".into(), text(&d["unit_path"]));
            row.insert("url".into(), format!("{}#chi-tieu-{target_id}", d["url"].as_str().unwrap()));
            let label = labels.iter().find(|l| l["const"] == t["status"]).expect("the status's label");
            row.insert("status_label".into(), text(&label["title"]));
            row
        })
        .collect()
}

/// The file behind a site URL ("/a/b/#x" → out/a/b/index.html).
fn page_of(out: &Path, url: &str) -> String {
    let path = url.split('#').next().unwrap().trim_start_matches('/');
    read(out.join(path).join("index.html"))
}

#[test]
fn shared_indicators_have_a_comparison_page_with_every_seed_unit() {
    let out = bundled();
    let cases: &[(&str, &[&str])] = &[
        ("ket-nap-dang-vien", &["Phường 14", "Phường 12", "Phường Đức Giang", "Phường Phổ Hòa"]),
        ("bao-hiem-y-te", &["Phường 14", "Phường 12", "Phường Phổ Hòa"]),
        ("ty-le-ho-ngheo", &["Phường 14", "Phường 12", "Phường Phổ Hòa"]),
        ("thu-ngan-sach", &["Phường 14", "Phường 12", "Phường Đức Giang"]),
        ("tram-lap-gieng-khoan", &["Phường 14", "Phường 12"]),
        ("pham-phap-hinh-su", &["Phường 14", "Phường 12"]),
        ("dang-vien-hoan-thanh-nhiem-vu", &["Phường 14", "Phường 12", "Phường Đức Giang"]),
        ("tiem-chung-mo-rong", &["Phường 14", "Phường 12"]),
    ];
    for (key, units) in cases {
        let html = read(out.join(format!("chi-so/{key}/index.html")));
        for u in *units {
            assert!(html.contains(&format!(">{u}</a>")), "{key}: {u} missing from the comparison");
        }
        assert!(
            html.contains(&format!("cột indicator = {key}")) && html.contains("href=\"/du-lieu/\""),
            "{key}: says where its rows are"
        );
        assert!(html.contains("<svg class=\"chart chart-bars\""), "{key}: bar chart");
    }
    // Phổ Hòa's 12 new members (60% of the resolution's target) is a result without a
    // target: shown apart, not in the column of targets.
    let k = read(out.join("chi-so/ket-nap-dang-vien/index.html"));
    let (main, rest) = k.split_at(k.find("Kết quả chưa gắn với chỉ tiêu cụ thể").unwrap());
    assert!(!main.contains("Phường Phổ Hòa") && rest.contains("60% so với chỉ tiêu"));
}

#[test]
fn unlike_measures_are_not_mixed_into_one_column() {
    let out = bundled();
    // Phường 12's "bảo hiểm y tế tự nguyện" is not Phường 14's "bảo hiểm y tế".
    let html = read(out.join("chi-so/bao-hiem-y-te/index.html"));
    let other = html.find("Đo theo cách khác").expect("a second class for the variant");
    let main = &html[..other];
    assert!(main.contains(">Phường 14</a>") && !main.contains(">Phường 12</a>"), "tự nguyện is kept apart");
    assert!(html[other..].contains("Khác cách đo chung: tự nguyện"), "says how it differs");
    // "đảng viên hoàn thành tốt nhiệm vụ" (Đức Giang) apart from "hoàn thành nhiệm vụ".
    let html = read(out.join("chi-so/dang-vien-hoan-thanh-nhiem-vu/index.html"));
    let other = html.find("Đo theo cách khác").unwrap();
    assert!(html[other..].contains("Phường Đức Giang") && html[other..].contains("hoàn thành tốt"));
}

#[test]
fn rows_are_sorted_by_ambition_in_the_indicators_direction() {
    let out = bundled();
    // Wells: higher is better, so Phường 12 (840) before Phường 14 (700).
    let html = read(out.join("chi-so/tram-lap-gieng-khoan/index.html"));
    assert!(html.find(">Phường 12</a>").unwrap() < html.find(">Phường 14</a>").unwrap());
}

#[test]
fn index_matrix_rollups_and_feeds_exist() {
    let out = bundled();
    let index = read(out.join("chi-so/index.html"));
    assert!(index.contains("Kết nạp đảng viên mới") && index.contains("Theo lĩnh vực"));
    // A–Z in Vietnamese order: "Bảo hiểm…" before "Đảng viên…" before "Giếng khoan…".
    let az = &index[..index.find("id=\"theo-linh-vuc\"").unwrap()];
    let pos = |s: &str| az.find(s).unwrap_or_else(|| panic!("{s} not in the index"));
    assert!(pos("Tỷ lệ người dân tham gia bảo hiểm y tế") > pos("Giếng khoan được trám lấp"));
    assert!(pos("Đảng viên hoàn thành nhiệm vụ trở lên") < pos("Giếng khoan được trám lấp"));

    let matrix = read(out.join("ma-tran/2020-2025/index.html"));
    for u in ["Phường 14", "Phường 12", "Phường Đức Giang"] {
        assert!(matrix.contains(&format!(">{u}</a>")), "matrix row {u}");
    }
    // The filter finds a district's rows by their units' addresses.
    assert!(matrix.contains("<option value=\"tp-ho-chi-minh/quan-go-vap\" data-url=\"/tp-ho-chi-minh/quan-go-vap/\">"));
    assert!(matrix.contains("<a href=\"/tp-ho-chi-minh/quan-go-vap/phuong-14/\">Phường 14</a>"));
    let district = read(out.join("tp-ho-chi-minh/quan-go-vap/index.html"));
    assert!(
        district.contains("Các chỉ số trong địa bàn") && district.contains("/chi-so/ket-nap-dang-vien/"),
        "roll-up"
    );
    assert!(
        district.contains("/ma-tran/2020-2025/?don-vi=tp-ho-chi-minh/quan-go-vap"),
        "matrix filtered to the district"
    );

    for feed in [
        "tp-ho-chi-minh/quan-go-vap/phuong-14/atom.xml",
        "chi-so/ket-nap-dang-vien/atom.xml",
        "quang-ngai/thi-xa-duc-pho/phuong-pho-hoa/atom.xml",
    ] {
        let xml = read(out.join(feed));
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{feed}: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "feed");
        assert!(doc.descendants().any(|n| n.has_tag_name("entry")), "{feed} has entries");
    }
}

/// A JSON file checked against a definition of the site's schema.
fn valid(out: &Path, file: &str, def: &str) -> serde_json::Value {
    let mut schema: serde_json::Value = serde_json::from_str(&read(out.join("data/schema.json"))).unwrap();
    schema["$ref"] = serde_json::json!(format!("#/$defs/{def}"));
    let data: serde_json::Value = serde_json::from_str(&read(out.join(file))).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&data).map(|e| format!("{} at {}", e, e.instance_path())).take(5).collect();
    assert!(errors.is_empty(), "{file} does not match $defs/{def}: {errors:?}");
    data
}

#[test]
fn every_target_row_is_in_its_province_s_two_files_and_its_unit_s_and_nowhere_else() {
    // docs/open-data.md: a target row is in its province's ZIP (the targets' CSV) and
    // JSON, and in its own unit's CSV (data/chi-tieu/<unit>.csv); no other file of the site holds it. A
    // row is known in each by its address and measure, which every one of them has (the
    // JSON's address rebuilt by its schema's rule).
    let out = bundled();
    let schema: serde_json::Value = serde_json::from_str(&read(out.join("data/schema.json"))).unwrap();
    let mut seen: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    // Each province CSV row, by its key: the unit and the whole row.
    let mut province_rows: BTreeMap<(String, String), BTreeMap<String, String>> = BTreeMap::new();
    let key = |r: &BTreeMap<String, String>| (r["url"].clone(), r["measure"].clone());
    for (file, bytes) in tree(out) {
        if file.ends_with(".zip") {
            let names: Vec<String> = unzip(&bytes).into_iter().map(|(n, _)| n).collect();
            let root = file.split('/').nth(1).unwrap();
            assert_eq!(names, [format!("{root}-targets.csv"), format!("{root}-results.csv")], "{file}");
            for row in zip_rows(&out.join(&file), "targets") {
                assert_eq!(file, format!("data/{}/csv.zip", row["unit_path"].split('/').next().unwrap()));
                seen.entry(key(&row)).or_default().push("province csv".into());
                province_rows.insert(key(&row), row);
            }
        } else if file.ends_with(".json") {
            let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            if json.get("targets").and_then(|t| t.as_array()).is_none() {
                continue;
            }
            assert!(file.starts_with("data/") && file.ends_with("/data.json"), "{file} holds target rows");
            for row in json_targets_rebuilt(&json, &schema) {
                seen.entry(key(&row)).or_default().push(format!("province json {file}"));
            }
        } else if file.ends_with(".csv") {
            let rows = csv_rows(&out.join(&file));
            if !rows.first().is_some_and(|r| r.contains_key("target_id")) {
                continue;
            }
            assert!(file.starts_with("data/chi-tieu/"), "{file} holds target rows");
            for row in rows {
                seen.entry(key(&row)).or_default().push(format!("unit csv {file}"));
            }
        }
    }
    assert_eq!(seen.len(), 96, "one row per measure of the bundled site");
    for (k, mut kinds) in seen {
        kinds.sort();
        let row = &province_rows[&k];
        let (unit, root) = (&row["unit_path"], row["unit_path"].split('/').next().unwrap());
        let want = [
            "province csv".to_string(),
            format!("province json data/{root}/data.json"),
            format!("unit csv data/chi-tieu/{unit}.csv"),
        ];
        assert_eq!(kinds, want, "{}", row["id"]);
    }
}

#[test]
fn a_province_at_the_units_folder_s_address_keeps_its_files_and_its_units_apart() {
    // The units' own files are in /data/chi-tieu/, which is also the data folder of a
    // province whose address is `chi-tieu` (src/render/paths.rs, `unit_targets`): its
    // ZIP and JSON, its own CSV and its wards' CSVs must all be there, each whole.
    let site = fixture();
    let content = site.path().join("content");
    fs::rename(content.join("thu"), content.join("chi-tieu")).unwrap();
    let (_tmp, out) = build(site.path());
    let files: Vec<String> = tree(&out.join("data/chi-tieu")).into_keys().collect();
    assert_eq!(files, ["chi-tieu.csv", "chi-tieu/phuong-thu.csv", "csv.zip", "data.json"]);
    let ward = csv_rows(&out.join("data/chi-tieu/chi-tieu/phuong-thu.csv"));
    assert_eq!(ward.len(), 2, "the ward's two targets");
    assert!(ward.iter().all(|r| r["url"].starts_with("/chi-tieu/phuong-thu/")));
    assert_eq!(zip_rows(&out.join("data/chi-tieu/csv.zip"), "targets").len(), 2);
    let json: serde_json::Value = serde_json::from_str(&read(out.join("data/chi-tieu/data.json"))).unwrap();
    assert_eq!(json["targets"].as_array().unwrap().len(), 2);
    let page = read(out.join("chi-tieu/phuong-thu/index.html"));
    assert!(
        page.contains("href=\"/data/chi-tieu/chi-tieu/phuong-thu.csv\" download=\"chi-tieu-chi-tieu-phuong-thu.csv\"")
    );
}

#[test]
fn every_result_of_the_site_is_in_its_province_s_files() {
    // Every result a document page shows (its anchor `ket-qua-N`) is a row of its
    // province's ZIP and JSON, with the same id.
    let out = bundled();
    let mut on_pages = std::collections::BTreeSet::new();
    for (file, bytes) in tree(out) {
        let Some(dir) = file.strip_suffix("index.html") else { continue };
        // The English edition's copies of the pages (tests/english.rs) share these files.
        if dir.starts_with("en/") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for (i, _) in html.match_indices("id=\"ket-qua-") {
            let anchor = &html[i + 4..];
            let anchor = &anchor[..anchor.find('"').unwrap()];
            // A result's own anchor (`ket-qua-3`), not a section's (`ket-qua-khac`).
            if anchor["ket-qua-".len()..].parse::<usize>().is_ok() {
                on_pages.insert(format!("/{dir}#{anchor}"));
            }
        }
    }
    assert!(on_pages.len() > 10, "the bundled site reports results: {on_pages:?}");
    let mut in_zips = std::collections::BTreeSet::new();
    let mut in_json = std::collections::BTreeSet::new();
    for p in PROVINCES {
        for row in zip_rows(&out.join(format!("data/{p}/csv.zip")), "results") {
            assert!(row["unit_path"].starts_with(p), "{}: in its province's file", row["id"]);
            assert!(in_zips.insert(row["url"].clone()), "{}: once", row["id"]);
            // The JSON's address, rebuilt by the schema's rule: the document's + the id's anchor.
            let anchor = row["id"].split_once('#').unwrap().1;
            assert!(row["url"].ends_with(&format!("/#{anchor}")), "{}", row["url"]);
        }
        let json = valid(out, &format!("data/{p}/data.json"), "province");
        let docs = json["documents"].as_array().unwrap();
        for r in json["results"].as_array().unwrap() {
            assert!(r.get("url").is_none() && r.get("unit_path").is_none(), "derivable: left out of JSON");
            let d = docs.iter().find(|d| d["document_path"] == r["document_path"]).expect("its document");
            let anchor = r["id"].as_str().unwrap().split_once('#').unwrap().1;
            in_json.insert(format!("{}#{anchor}", d["url"].as_str().unwrap()));
        }
    }
    assert_eq!(in_zips, on_pages, "the ZIPs' results are the pages'");
    assert_eq!(in_json, on_pages, "the JSON's results are the pages'");
}

/// The size the data page writes after its link to `file`: "9,6 KB".
fn shown_size(page: &str, file: &str) -> String {
    let link = format!("<code>{file}</code></a>");
    let at = page.find(&link).unwrap_or_else(|| panic!("the data page links {file}")) + link.len();
    let rest =
        page[at..].strip_prefix(" <span class=\"muted small\">(").unwrap_or_else(|| panic!("no size after {file}"));
    rest[..rest.find(')').unwrap()].to_string()
}

#[test]
fn the_index_and_the_data_page_list_every_data_file_their_rows_and_sizes() {
    let out = bundled();
    let index = valid(out, "data/index.json", "index");
    let files = index["files"].as_array().unwrap();
    let data_page = read(out.join("du-lieu/index.html"));
    let mut listed = std::collections::BTreeSet::new();
    for f in files {
        let file = f["file"].as_str().unwrap();
        listed.insert(file.to_string());
        let rows = f["rows"].as_u64().unwrap() as usize;
        let table = f["table"].as_str().unwrap();
        if f["format"] == "csv" {
            assert_eq!(csv_rows(&out.join(file)).len(), rows, "{file}: rows as the index says");
        } else if f["format"] == "zip" {
            // The CSV in the ZIP that the index names holds the table's rows.
            let entry = f["entry"].as_str().unwrap();
            let root = f["province_path"].as_str().unwrap();
            assert_eq!(entry, format!("{root}-{table}.csv"));
            assert_eq!(zip_rows(&out.join(file), table).len(), rows, "{file} {entry}: rows as the index says");
            assert!(data_page.contains(&format!("<code>{entry}</code>")), "the data page names {entry}");
            assert!(
                data_page.contains(&format!(
                    "{entry}</code>: {} {rows} dòng",
                    if table == "targets" { "chỉ tiêu," } else { "kết quả," }
                )),
                "the data page gives {entry}'s rows"
            );
        } else {
            let def = if f["province_path"].is_null() { table } else { "province" };
            let json = valid(out, file, def);
            let array = if def == "province" { &json[table] } else { &json };
            assert_eq!(array.as_array().unwrap().len(), rows, "{file}: {table} rows as the index says");
        }
        assert!(data_page.contains(&format!("href=\"/{file}\"")), "the data page links {file}");
        // Its size: exact in the index, in words after its link on the data page.
        let bytes = f["bytes"].as_u64().unwrap_or_else(|| panic!("{file}: no size in the index"));
        assert_eq!(bytes, std::fs::metadata(out.join(file)).unwrap().len(), "{file}: its size as the index says");
        let shown = shown_size(&data_page, file);
        let (n, unit) = shown.split_once(' ').unwrap_or_else(|| panic!("{file}: size {shown:?}"));
        let n: f64 = n.replace('.', "").replace(',', ".").parse().unwrap();
        let scale = match unit {
            "byte" => 1.0,
            "KB" => 1e3,
            "MB" => 1e6,
            other => panic!("{file}: size in {other:?}"),
        };
        let off = (n * scale - bytes as f64).abs() / bytes as f64;
        assert!(off < 0.06, "{file}: {bytes} bytes shown as {shown:?}");
    }
    // Every data file but the index itself, the schema and the units' own CSVs (copies
    // for the ward officer, docs/open-data.md) is in the index.
    let data_files: std::collections::BTreeSet<String> = tree(out)
        .into_keys()
        .filter(|f| f.starts_with("data/") && !f.ends_with("index.json") && !f.starts_with("data/chi-tieu/"))
        .collect();
    let mut expected = listed.clone();
    expected.insert("data/schema.json".into());
    assert_eq!(data_files, expected);
    // Every link of the data page resolves to a file of the site.
    for (i, _) in data_page.match_indices("href=\"/") {
        let href = &data_page[i + 7..];
        let href = &href[..href.find('"').unwrap()];
        let path = href.split('#').next().unwrap().trim_start_matches('/');
        let file = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
        assert!(out.join(&file).is_file(), "the data page links {href}, which is not in the site");
    }
    // Units' pages link their province's place on the data page.
    let unit = read(out.join("tp-ho-chi-minh/quan-go-vap/phuong-14/index.html"));
    assert!(
        unit.contains("href=\"/data/chi-tieu/tp-ho-chi-minh/quan-go-vap/phuong-14.csv\" download=\"chi-tieu-tp-ho-chi-minh-quan-go-vap-phuong-14.csv\""),
        "its own CSV, saved under a name that says whose"
    );
    let anchor = "du-lieu-tp-ho-chi-minh";
    assert!(unit.contains(&format!("href=\"/du-lieu/#{anchor}\"")) && data_page.contains(&format!("id=\"{anchor}\"")));
}

#[test]
fn data_files_parse_match_the_schema_and_the_pages() {
    let out = bundled();
    for name in ["units", "indicators"] {
        let data = valid(out, &format!("data/{name}.json"), name);
        let rows = csv_rows(&out.join(format!("data/{name}.csv")));
        assert_eq!(rows.len(), data.as_array().unwrap().len(), "{name}: CSV and JSON have the same rows");
    }
    // A province's JSON: the CSV's rows, without the columns that repeat the documents'
    // and units' texts, which its documents and units.json hold, nor those it says how to
    // rebuild; rebuilt, every value is the CSV's.
    let schema: serde_json::Value = serde_json::from_str(&read(out.join("data/schema.json"))).unwrap();
    for p in PROVINCES {
        let json = valid(out, &format!("data/{p}/data.json"), "province");
        let zip = out.join(format!("data/{p}/csv.zip"));
        let csv = zip_rows(&zip, "targets");
        let targets = json["targets"].as_array().unwrap();
        assert_eq!(targets.len(), csv.len());
        for left_out in ["document_title", "unit_name", "id", "unit_path", "url", "status_label"] {
            assert!(targets.iter().all(|t| t.get(left_out).is_none()), "{p}: {left_out} left out of JSON");
        }
        let docs = json["documents"].as_array().unwrap();
        for (row, t) in csv.iter().zip(json_targets_rebuilt(&json, &schema)) {
            for (col, value) in &t {
                // The CSV's text cells are made inert (a `'` before a formula's first
                // character); the JSON keeps the true text.
                let csv = &row[col];
                let csv = csv.strip_prefix('\'').filter(|c| c.starts_with(['=', '+', '-', '@', '\''])).unwrap_or(csv);
                assert_eq!(csv, value, "{}: {col}, rebuilt from the JSON", row["id"]);
            }
            let doc =
                docs.iter().find(|d| d["document_path"] == t["document_path"]).expect("its document is in the file");
            assert_eq!(row["document_title"], doc["document_title"].as_str().unwrap());
        }
        assert_eq!(json["results"].as_array().unwrap().len(), zip_rows(&zip, "results").len());
    }
    let rows: Vec<BTreeMap<String, String>> =
        PROVINCES.iter().flat_map(|p| zip_rows(&out.join(format!("data/{p}/csv.zip")), "targets")).collect();
    assert_eq!(rows.len(), 96, "one row per measure of the bundled site");
    for row in &rows {
        // Each row's numbers and status are what its page shows.
        let html = page_of(out, &row["url"]);
        let anchor = row["url"].split('#').nth(1).unwrap();
        let start = html.find(&format!("id=\"{anchor}")).unwrap_or_else(|| panic!("{} not on its page", row["id"]));
        let rest = &html[start..];
        assert!(rest.contains(&row["measure_text"]), "{}: {}", row["id"], row["measure_text"]);
        assert!(rest.contains(&format!("status-{}", row["status"])), "{}: status {}", row["id"], row["status"]);
    }
    // The previous term's footnote result is in the data, as on the page.
    let cai_tang = rows.iter().find(|r| r["indicator"] == "cai-tang-mo").unwrap();
    assert_eq!((cai_tang["latest_value"].as_str(), cai_tang["status"].as_str()), ("37.80918727915194", "not-met"));
    // A unit's own file: the unit's rows, in the province file's order, with the ward
    // officer's columns (docs/open-data.md), each as the province's file has it.
    let ward = [
        "document_title",
        "document_number",
        "document_issued",
        "term",
        "target_id",
        "group",
        "field",
        "target_text",
        "measure",
        "indicator_name",
        "label",
        "value",
        "min",
        "max",
        "unit",
        "deadline",
        "measure_text",
        "latest_value",
        "latest_value_text",
        "latest_as_of",
        "latest_quote",
        "latest_source_url",
        "status_label",
        "url",
    ];
    for unit in ["tp-ho-chi-minh/quan-go-vap/phuong-14", "ha-noi/quan-long-bien/phuong-duc-giang"] {
        let file = fs::read(out.join(format!("data/chi-tieu/{unit}.csv"))).unwrap();
        let header = String::from_utf8(file[3..].split(|&b| b == b'\n').next().unwrap().to_vec()).unwrap();
        assert_eq!(header, ward.join(","), "{unit}: the columns the docs list");
        let own = csv_records(&file, unit);
        let province: Vec<&BTreeMap<String, String>> = rows.iter().filter(|r| r["unit_path"] == unit).collect();
        assert!(!own.is_empty());
        assert_eq!(own.len(), province.len(), "{unit}: every row of its own");
        for (mine, theirs) in own.iter().zip(province) {
            for c in ward {
                assert_eq!(mine[c], theirs[c], "{unit} {}: {c}", theirs["id"]);
            }
        }
    }
    // Every column is explained on the data page.
    let page = read(out.join("du-lieu/index.html"));
    for c in ["latest_source_url", "share_of_target", "succeeded_by", "direction"] {
        assert!(page.contains(&format!("<code>{c}</code>")), "{c} explained");
    }
}

#[test]
fn higher_level_pace_and_over_time_on_a_fixture() {
    // A district and two wards with the same indicator, results, and unlike measures;
    // Phường A has its previous term's target and result too, for "across terms".
    let (_t, out) = build(&sites().join("district-comparison"));
    let unit = read(out.join("tinh/quan/phuong-a/index.html"));
    let across = &unit[unit.find("Qua các nhiệm kỳ").expect("across terms on the unit page")..];
    assert!(across.find("2015–2020").unwrap() < across.find("2020–2025").unwrap());
    assert!(
        across.contains("dưới 4%") && across.contains("4,2%") && across.contains("status-not-met"),
        "previous term's result"
    );
    assert!(across.contains("dưới 1%"), "this term's target");
    let html = read(out.join("chi-so/ty-le-ho-ngheo/index.html"));
    // Lower is better: Phường A (< 1%) asks more than the district (< 2%), Phường B (< 3%) less.
    assert!(html.find(">Phường A</a>").unwrap() < html.find(">Quận Thử</a>").unwrap());
    assert!(html.find(">Quận Thử</a>").unwrap() < html.find(">Phường B</a>").unwrap());
    assert!(html.contains("Yêu cầu cao hơn chỉ tiêu của Quận Thử (dưới 2%)"), "Phường A vs the district");
    assert!(html.contains("Yêu cầu thấp hơn chỉ tiêu của Quận Thử (dưới 2%)"), "Phường B vs the district");
    // Pace: from 2,5% at the end of 2022 to below 1% by the end of 2025 → 0,5 a year.
    assert!(html.contains("Cần giảm 0,5%/năm đến 2025 (từ 2,5% ngày 31/12/2022)"), "pace");
    // The quota-relative target is a class of its own.
    let other = html.find("Đo theo cách khác").unwrap();
    assert!(html[other..].contains("tính bằng tỷ lệ so với chỉ tiêu cấp trên giao"));
    // Results over time on the document page: a line chart with both results.
    let doc = read(out.join("tinh/quan/phuong-a/nghi-quyet/index.html"));
    let svg = &doc[doc.find("<svg class=\"chart chart-line\"").expect("line chart")..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert_eq!(svg.matches("<circle").count(), 2);
    assert!(svg.contains("<title id=") && svg.contains("<desc id=") && svg.contains("31/12/2021: 3,5%"));
    // Status history in the unit's feed: no data → behind.
    let feed = read(out.join("tinh/quan/phuong-a/atom.xml"));
    assert!(feed.contains("Phường A – Tỷ lệ hộ nghèo: Chưa có số liệu → Chậm tiến độ"), "{feed}");
}

#[test]
fn large_comparisons_are_split_by_province() {
    // A generated site with two provinces and more than 150 targets per indicator.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    generated(&site, 300, 1, 3);
    let mut session = minhbach::session::Session::new(&site, minhbach::site::Options::default());
    session.full_build().unwrap();
    let out = site.join("public");
    let main = read(out.join("chi-so/ho-ngheo/index.html"));
    assert!(main.contains("Theo tỉnh, thành phố"), "the main page summarises provinces");
    assert!(!main.contains("class=\"compare\""), "and lists no rows itself");
    let parts: Vec<_> =
        fs::read_dir(out.join("chi-so/ho-ngheo")).unwrap().flatten().filter(|e| e.path().is_dir()).collect();
    assert_eq!(parts.len(), 2, "one page per province");
    for p in &parts {
        let html = read(p.path().join("index.html"));
        assert!(html.contains("class=\"compare\""));
        // Every row's unit lies in that province (the part's folder is the province's).
        let province = format!("<tr><th scope=\"row\"><a href=\"/{}/", p.file_name().to_str().unwrap());
        let rows = html.matches("<tr><th scope=\"row\">").count();
        assert!(
            rows > 0 && html.matches(&province).count() == rows,
            "{}: a row of another province",
            p.path().display()
        );
    }
    // The matrix too: a page per province, linked from the term's page.
    let matrix = read(out.join("ma-tran/2020-2025/index.html"));
    assert!(!matrix.contains("<table class=\"matrix\""), "the term's page lists provinces, not rows");
    let matrix_parts: Vec<_> =
        fs::read_dir(out.join("ma-tran/2020-2025")).unwrap().flatten().filter(|e| e.path().is_dir()).collect();
    assert_eq!(matrix_parts.len(), 2);
    assert!(read(matrix_parts[0].path().join("index.html")).contains("<table class=\"matrix\""));
    // An edit in one province re-renders that province's part, not the other's.
    let doc = walkdir::WalkDir::new(site.join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .find(|e| e.file_name() == "nghi-quyet-dai-hoi.md" && read(e.path()).contains("ho-ngheo"))
        .unwrap()
        .into_path();
    let text = read(&doc);
    // The title, not the body: the body shows on the document's page alone.
    fs::write(&doc, text.replacen("title: ", "title: Sửa ", 1)).unwrap();
    let o = session.rebuild_all(std::slice::from_ref(&doc)).unwrap().unwrap();
    let touched: Vec<&String> =
        o.rendered.iter().filter(|r| r.starts_with("chi-so/ho-ngheo/") && r.matches('/').count() == 3).collect();
    assert_eq!(touched.len(), 1, "{touched:?}");
}

/// The target rows of a generated site's province files: every part's ZIP
/// (`csv.zip`, `csv-2.zip` …), its `<province>-targets….csv` entry.
fn target_rows(out: &Path) -> Vec<BTreeMap<String, String>> {
    let mut rows = vec![];
    for e in walkdir::WalkDir::new(out.join("data")).sort_by_file_name().into_iter().flatten() {
        let name = e.file_name().to_string_lossy();
        if name.starts_with("csv") && name.ends_with(".zip") {
            for (entry, bytes) in unzip(&fs::read(e.path()).unwrap()) {
                if entry.contains("-targets") && entry.ends_with(".csv") {
                    rows.extend(csv_records(&bytes, &entry));
                }
            }
        }
    }
    rows
}

#[test]
fn every_compared_target_is_on_its_province_s_part_with_its_status_in_words() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    generated(&site, 300, 1, 3);
    let (_out_tmp, out) = build(&site);
    let rows: Vec<_> = target_rows(&out).into_iter().filter(|r| r["indicator"] == "ho-ngheo").collect();
    assert!(rows.len() > 150, "a split comparison: {} rows", rows.len());
    let parts: Vec<(String, String)> = fs::read_dir(out.join("chi-so/ho-ngheo"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), read(e.path().join("index.html"))))
        .collect();
    for r in &rows {
        let province = r["unit_path"].split('/').next().unwrap();
        let (_, html) = parts.iter().find(|(p, _)| p == province).unwrap_or_else(|| panic!("no part for {province}"));
        // The row: its unit linked, its measure, its status as text (not a colour alone),
        // and a link to the target's row on the document's page.
        let link = format!("<a href=\"{}\">", r["url"].trim_start_matches("https://example.org"));
        let at = html.find(&link).unwrap_or_else(|| panic!("{}: no row links {link}", r["id"]));
        let start = html[..at].rfind("<tr>").unwrap();
        let end = html[at..].find("\n").map_or(html.len(), |e| at + e);
        let row = &html[start..end];
        assert!(row.contains(&format!(">{}</a>", r["unit_name"])), "{row}");
        assert!(row.contains(&format!("<td>{}", r["measure_text"])), "{row}");
        let status = format!("<span class=\"status status-{}\">{}</span>", r["status"], r["status_label"]);
        assert!(row.contains(&status), "{}: status in words: {row}", r["id"]);
    }
    // The page says where the target's words are, once, and its columns have headers.
    let (_, html) = &parts[0];
    assert!(html.contains("nguyên văn chỉ tiêu, cách trích dẫn và mã ổn định ở đó"));
    for h in ["Đơn vị", "Văn bản", "Mức chỉ tiêu", "Thời hạn", "Kết quả mới nhất", "Trạng thái"]
    {
        assert!(html.contains(&format!("<th scope=\"col\">{h}</th>")), "column header {h}");
    }
    // About 400 bytes a row (it was 1.2 KB): the rows repeat nothing the page says once.
    let bytes: usize = html.lines().filter(|l| l.contains("<tr><th scope=\"row\">")).map(|l| l.len() + 1).sum();
    let n = html.matches("<tr><th scope=\"row\">").count();
    assert!(bytes / n < 450, "{} bytes a row", bytes / n);
}

#[test]
fn matrix_parts_are_under_a_megabyte_each_list_every_part_and_an_edit_renders_its_own() {
    // Two documents a ward: the larger province is over the cells of one part.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    generated(&site, 300, 2, 5);
    let mut session = minhbach::session::Session::new(&site, minhbach::site::Options::default()).audited();
    session.full_build().unwrap();
    let out = site.join("public");
    let term = out.join("ma-tran/2020-2025");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&term)
        .min_depth(2)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "index.html")
        .map(|e| e.into_path())
        .collect();
    let numbered =
        files.iter().filter(|f| f.parent().unwrap().file_name().unwrap().to_str().unwrap().parse::<u32>().is_ok());
    assert!(numbered.count() >= 2, "a province in numbered parts: {files:?}");
    let address = |f: &Path| format!("/{}/", f.parent().unwrap().strip_prefix(&out).unwrap().display());
    let index = read(term.join("index.html"));
    let mut rows = std::collections::BTreeSet::new();
    for f in &files {
        let html = read(f);
        assert!(html.len() < 1_000_000, "{}: {} bytes", f.display(), html.len());
        // The term's page and every part link every part.
        for other in &files {
            let link = format!("href=\"{}\"", address(other));
            assert!(index.contains(&link) && html.contains(&link), "{} does not list {}", f.display(), address(other));
        }
        assert!(html.contains(&format!("href=\"{}\" aria-current=\"page\"", address(f))), "{}", f.display());
        // A row is in one part only.
        for row in html.split("<tr><th scope=\"row\"><a href=\"").skip(1) {
            let unit = row.split('"').next().unwrap().to_string();
            assert!(rows.insert(unit.clone()), "{unit} is in two parts");
        }
        // Cells: the status's class and its words, no icon element or title.
        assert!(
            ["Chưa có số liệu", "Quá hạn, chưa báo cáo", "Đạt"]
                .iter()
                .any(|s| html.contains(&format!("<i>, {s}</i></a>")))
        );
        let table = &html[html.find("<table").unwrap()..];
        assert!(!table.contains("status-icon") && !table.contains(" title=\""), "{}", f.display());
    }
    let wards: usize = rows.iter().filter(|u| u.matches('/').count() == 4).count();
    assert_eq!(wards, 300, "every ward has its row");
    // The split province: a district's page links to the part holding it, filtered to
    // it; an edit of one of its wards' targets re-renders that part, not the others.
    let split = files.iter().find(|f| f.ends_with("2/index.html")).unwrap();
    let province = split.parent().unwrap().parent().unwrap().file_name().unwrap().to_owned();
    let district = fs::read_dir(site.join("content").join(&province))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .min()
        .unwrap();
    let district_path = district.strip_prefix(site.join("content")).unwrap().display().to_string();
    let page = read(out.join(&district_path).join("index.html"));
    let part =
        files.iter().find(|f| read(f).contains(&format!("<tr><th scope=\"row\"><a href=\"/{district_path}/"))).unwrap();
    assert!(
        page.contains(&format!("href=\"{}?don-vi={district_path}\"", address(part))),
        "{district_path}: {}",
        address(part)
    );
    let ward = fs::read_dir(&district).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).min().unwrap();
    let doc = ward.join("nghi-quyet-dai-hoi.md");
    let text = read(&doc);
    // A target's figure, quoted or not, gains a leading 1.
    let mut value = text.find("value: ").unwrap() + "value: ".len();
    value += usize::from(text[value..].starts_with('"'));
    fs::write(&doc, format!("{}1{}", &text[..value], &text[value..])).unwrap();
    // The audit renders every page after the rebuild: a part it missed fails here.
    let o = session.rebuild_all(std::slice::from_ref(&doc)).unwrap().unwrap();
    let parts: Vec<&String> =
        o.rendered.iter().filter(|r| r.starts_with("ma-tran/2020-2025/") && r.matches('/').count() >= 3).collect();
    assert_eq!(parts.len(), 1, "{parts:?}");
    // An edit that changes the ward's cells (its targets leave their indicators) changes
    // what the parts weigh: the splits kept with the model are computed again (the
    // audit checks every page against a fresh build; debug builds also check the kept
    // splits against computing them again).
    let text = read(&doc);
    let cut: String =
        text.lines().filter(|l| !l.trim_start().starts_with("indicator:")).map(|l| format!("{l}\n")).collect();
    fs::write(&doc, cut).unwrap();
    let o = session.rebuild_all(std::slice::from_ref(&doc)).unwrap().unwrap();
    assert!(o.rendered.iter().any(|r| r.starts_with("ma-tran/2020-2025/")), "{:?}", o.rendered);
}

#[test]
fn feeds_keep_the_newest_hundred_results() {
    // 130 results on one target, a day apart: the unit's and the indicator's feeds hold
    // the 100 newest, newest first, and leave the 30 oldest out.
    let site = fixture();
    let mut review =
        String::from("---\ntitle: Báo cáo thử\nkind: review\nissued: 2023-06-30\nterm: 2020-2025\nresults:\n");
    // Newer than the fixture's own results (2021, 2022).
    let first = jiff::civil::date(2023, 1, 1);
    let days: Vec<jiff::civil::Date> =
        (0..130).map(|i| first.checked_add(jiff::Span::new().days(i)).unwrap()).collect();
    for (i, d) in days.iter().enumerate() {
        review.push_str(&format!(
            "  - target: \"thu/phuong-thu/nghi-quyet#1.2\"\n    value: {}\n    as_of: {d}\n    quote: \"Kết nạp {} đảng viên.\"\n",
            i % 20,
            i % 20
        ));
    }
    review.push_str("---\nBáo cáo.\n");
    fs::write(site.path().join("content/thu/phuong-thu/bao-cao.md"), review).unwrap();
    let (_tmp, out) = build(site.path());
    let newest: Vec<String> = days.iter().rev().take(100).map(|d| format!("{d}T00:00:00Z")).collect();
    for feed in ["chi-so/ket-nap-dang-vien/atom.xml", "thu/phuong-thu/atom.xml"] {
        let xml = read(out.join(feed));
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let updated: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("entry"))
            .map(|e| e.children().find(|c| c.has_tag_name("updated")).unwrap().text().unwrap().to_string())
            .collect();
        assert_eq!(updated.len(), 100, "{feed}");
        assert_eq!(updated, newest, "{feed}: the 100 newest, newest first");
    }
}

#[test]
fn no_data_file_of_a_generated_site_is_over_its_share_of_a_host_s_file_limit() {
    // The generator's provinces have 180 wards at any size, so a province's files are
    // as large at 200 × 5 as at 10,000 × 5 and must stay under 20 MiB (Cloudflare
    // Pages takes 25 MiB); the site-wide files grow with the site, so at 200 wards they
    // get 200/10,000 of it.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    generated(&site, 200, 5, 7);
    let (_t, out) = build(&site);
    const LIMIT: u64 = 20 << 20;
    let site_wide = LIMIT * 200 / 10_000;
    let mut province_files = 0;
    let mut largest = (0, String::new());
    for entry in walkdir::WalkDir::new(&out).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let rel = entry.path().strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
        let len = entry.metadata().unwrap().len();
        largest = largest.max((len, rel.clone()));
        // A unit's own CSV grows with the unit, not with the site.
        let unit_own = rel.starts_with("data/chi-tieu/");
        let in_province = rel.starts_with("data/") && rel.matches('/').count() == 2 && !unit_own;
        if in_province {
            province_files += 1;
        }
        let limit = if rel.starts_with("data/") && !in_province && !unit_own { site_wide } else { LIMIT };
        assert!(len <= limit, "{rel} is {len} bytes, over {limit}");
    }
    assert_eq!(province_files, 4, "two provinces, two files each (the ZIP and the JSON)");
    eprintln!("largest file at 200 × 5: {} ({} bytes)", largest.1, largest.0);
}
