//! Search as a reader uses it, in headless Chromium: the queries of the issue typed with
//! and without tone marks on the bundled site and on a generated one, what each hit
//! shows and where it leads, the keyboard, and the page without JavaScript. The script
//! folds and shards queries as the index was built (`minhbach::render::search`): both
//! are compared on the same words.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Under
//! libtest-mimic like tests/browser.rs: MINHBACH_SKIP_BROWSER=1 shows them as ignored.

#[path = "common/chrome.rs"]
mod chrome;
mod common;
use chrome::{js, serve};
use common::*;
use fantoccini::{Client, Locator};
use std::path::Path;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    use chrome::trial;
    let tests = vec![
        trial("queries_with_and_without_tone_marks_find_the_expected_items_first", || chrome::run(bundled_queries())),
        trial("a_generated_site_is_searched_the_same_way", || chrome::run(generated_queries())),
    ];
    libtest_mimic::run(&args, tests).exit();
}

/// A hit as the page shows it.
#[derive(Debug)]
struct Hit {
    kind: String,
    title: String,
    href: String,
    status: Vec<String>,
}

/// Type `q` into the search page and wait for its hits.
async fn query(c: &Client, q: &str) -> (String, Vec<Hit>) {
    let script = "const done = arguments[arguments.length - 1]; \
        window.minhbachSearch.run(arguments[0]).then(() => done([\
          document.getElementById('tim-kiem-trang-thai').textContent, \
          [...document.querySelectorAll('#ket-qua-tim-kiem li')].map(li => [\
            li.querySelector('.search-kind').textContent, li.querySelector('a').textContent, \
            li.querySelector('a').getAttribute('href'), \
            [...li.querySelectorAll('.status')].map(s => s.textContent)])]))";
    let v = c.execute_async(script, vec![serde_json::json!(q)]).await.unwrap();
    let said = v[0].as_str().unwrap().to_string();
    let hits = v[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| Hit {
            kind: h[0].as_str().unwrap().into(),
            title: h[1].as_str().unwrap().into(),
            href: h[2].as_str().unwrap().into(),
            status: h[3].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect(),
        })
        .collect();
    (said, hits)
}

/// The page and anchor a hit links to exist in the built site.
fn lands(out: &Path, href: &str) {
    let (path, anchor) = href.split_once('#').unwrap_or((href, ""));
    let file = out.join(path.trim_start_matches('/')).join("index.html");
    let page = std::fs::read_to_string(&file).unwrap_or_else(|_| panic!("{href}: no page {}", file.display()));
    if !anchor.is_empty() {
        assert!(page.contains(&format!("id=\"{anchor}\"")), "{href}: no element with that id on the page");
    }
}

async fn bundled_queries() {
    let out = bundled();
    let port = serve(out.to_path_buf());
    let (c, _driver, _profile) = chrome::start().await;
    c.goto(&format!("http://127.0.0.1:{port}/tim-kiem/")).await.unwrap();

    // The script folds and shards as the index was built.
    for w in ["Đường", "hộ nghèo", "ĐỊNH", "Phổ Hòa", "Pho\u{0300} Ho\u{0300}a", "khu phố 7", "Ưu tiên"]
    {
        let folded: Vec<String> = minhbach::render::search::words(w).into_iter().map(|(_, f)| f).collect();
        let folded = folded.join(" ");
        let (in_js, shard) = {
            let v =
                js(&c, &format!("const s = window.minhbachSearch; const f = s.fold({w:?}); return [f, s.shard(f)]"))
                    .await;
            (v[0].as_str().unwrap().to_string(), v[1].as_u64().unwrap() as u32)
        };
        assert_eq!(in_js, folded, "search.js folds {w:?} as search.rs does");
        assert_eq!(shard, minhbach::render::search::shard_of(&folded, shards(&c).await), "{w:?}'s shard");
    }

    let mut report = Vec::new();
    let cases: &[(&str, &str, &str)] = &[
        // (query, kind of the first hit, its title must contain this)
        ("ho ngheo", "Chỉ số", "Tỷ lệ hộ nghèo"),
        ("hộ nghèo", "Chỉ số", "Tỷ lệ hộ nghèo"),
        ("bao hiem y te", "Chỉ số", "bảo hiểm y tế"),
        ("ket nap dang vien", "Chỉ số", "Kết nạp đảng viên"),
        ("phuong 14", "Đơn vị", "Phường 14"),
        ("PHƯỜNG 14", "Đơn vị", "Phường 14"),
        ("pho hoa", "Đơn vị", "Phổ Hòa"),
        ("bhyt", "Chỉ số", "bảo hiểm y tế"),
        ("duong", "Chỉ số", "đường"),
        ("Đường", "Chỉ số", "đường"),
    ];
    for &(q, kind, title) in cases {
        let (said, hits) = query(&c, q).await;
        report.push(format!("{q:?}: {said} first: {:?}", hits.first().map(|h| &h.title)));
        let first = hits.first().unwrap_or_else(|| panic!("{q:?} found nothing: {said}"));
        assert_eq!(first.kind, kind, "{q:?}: {report:?}");
        assert!(
            first.title.to_lowercase().contains(&title.to_lowercase()),
            "{q:?}: first hit {:?}, expected {title:?}",
            first.title
        );
        assert!(said.contains(&format!("“{}”", q.trim())), "{q:?}: the status names the query: {said}");
        for h in &hits {
            lands(out, &h.href);
        }
    }
    // Targets show their status; results and targets link to their row.
    let (_, hits) = query(&c, "ho ngheo").await;
    let target = hits.iter().find(|h| h.kind == "Chỉ tiêu").expect("a target about poverty");
    assert!(target.href.contains("#chi-tieu-"), "{target:?}");
    assert!(!target.status.is_empty(), "a target hit shows its status: {target:?}");
    assert!(hits.iter().any(|h| h.kind == "Kết quả" && h.href.contains("#ket-qua-")), "{hits:?}");
    // Exact tone marks first: "đình" and "định" fold alike, each ranks its own form first.
    for (q, other) in [("đình", "định"), ("định", "đình")] {
        let (_, hits) = query(&c, q).await;
        let (_, plain) = query(&c, "dinh").await;
        assert!(hits.len() == plain.len() && !hits.is_empty(), "{q}: the same items as \"dinh\"");
        let first = hits.iter().position(|h| h.title.to_lowercase().contains(q));
        let last_other =
            hits.iter().rposition(|h| h.title.to_lowercase().contains(other) && !h.title.to_lowercase().contains(q));
        assert!(first.is_some(), "{q}: a hit with {q} in its title");
        if let Some(o) = last_other {
            assert!(first.unwrap() < o, "{q}: hits with {q} come before those with only {other}");
        }
    }
    // Time to the first hits, from a fresh page (no file cached), as the reader waits.
    let mut times = Vec::new();
    for q in ["ho ngheo", "phuong 14", "bao hiem y te"] {
        c.goto(&format!("http://127.0.0.1:{port}/tim-kiem/")).await.unwrap();
        let ms = c
            .execute_async(
                "const done = arguments[arguments.length - 1]; const t = performance.now(); \
                 window.minhbachSearch.run(arguments[0]).then(() => done(performance.now() - t))",
                vec![serde_json::json!(q)],
            )
            .await
            .unwrap();
        times.push(format!("{q:?} {:.0} ms", ms.as_f64().unwrap()));
    }
    report.push(format!("time to the first hits, nothing cached: {}", times.join(", ")));
    // Nothing found: said so, with the way out.
    let (said, hits) = query(&c, "xyzzy khong co").await;
    assert!(hits.is_empty() && said.contains("Không tìm thấy"), "{said}");

    // From the keyboard: type in the box, the results follow; Tab reaches the first hit.
    c.goto(&format!("http://127.0.0.1:{port}/tim-kiem/?q=ket+nap+dang+vien")).await.unwrap();
    let first = c.wait().for_element(Locator::Css("#ket-qua-tim-kiem li a")).await.unwrap();
    assert!(first.text().await.unwrap().contains("Kết nạp đảng viên"), "a query in the address runs on load");
    let input = c.find(Locator::Id("q")).await.unwrap();
    assert_eq!(input.prop("value").await.unwrap().as_deref(), Some("ket nap dang vien"));
    let role = js(&c, "return document.getElementById('tim-kiem-trang-thai').getAttribute('role')").await;
    assert_eq!(role, "status", "screen readers hear the count");
    input.clear().await.unwrap();
    input.send_keys("phuong 12").await.unwrap();
    c.wait()
        .for_element(Locator::XPath("//ol[@id='ket-qua-tim-kiem']/li[1]//a[contains(., 'Phường 12')]"))
        .await
        .expect("typing runs the query");
    // Tab from the box: the button, then the first hit.
    for expected in ["BUTTON", "A"] {
        c.active_element().await.unwrap().send_keys("\u{E004}").await.unwrap();
        let tag = js(&c, "return document.activeElement.tagName").await;
        assert_eq!(tag, expected, "Tab from the search box reaches the button, then the first hit");
    }
    let focused = js(&c, "return document.activeElement.closest('#ket-qua-tim-kiem li') !== null").await;
    assert_eq!(focused, true, "the first hit is the link after the button");

    // The home page asks first: its form opens the search page with the query.
    c.goto(&format!("http://127.0.0.1:{port}/")).await.unwrap();
    let home_box = c.find(Locator::Css("form.search-form input[name=q]")).await.expect("a search box on the home page");
    home_box.send_keys("phuong 14\u{E007}").await.unwrap(); // Enter
    c.wait()
        .for_element(Locator::XPath("//ol[@id='ket-qua-tim-kiem']/li[1]//a[contains(., 'Phường 14')]"))
        .await
        .expect("the home page's search lands on the hits");
    assert!(c.current_url().await.unwrap().as_str().ends_with("/tim-kiem/?q=phuong+14"));

    // Without JavaScript the page says where to look instead.
    let page = std::fs::read_to_string(out.join("tim-kiem/index.html")).unwrap();
    assert!(page.contains("id=\"can-javascript\"") && page.contains("Tìm theo danh mục"));
    for section in ["/chi-so/", "/linh-vuc/", "/ma-tran/", "/du-lieu/"] {
        assert!(page.contains(&format!("href=\"{section}\"")), "the page links {section}");
    }
    // Every page's menu leads to the search.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("href=\"/tim-kiem/\""));
    println!("{}", report.join("\n"));
    c.close().await.unwrap();
}

async fn shards(c: &Client) -> u32 {
    js(c, "return parseInt(document.getElementById('tim-kiem').dataset.shards, 10)").await.as_u64().unwrap() as u32
}

async fn generated_queries() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let r = std::process::Command::new(env!("CARGO_BIN_EXE_minhbach-corpus"))
        .arg("--out")
        .arg(&site)
        .args(["--units", "1000", "--docs", "5", "--seed", "3"])
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    // An attacker's target text: shown as text in the hits, never as markup.
    let doc = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .map(Result::unwrap)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("_index.md"))
        .min()
        .unwrap();
    let payload = "<img src=x onerror=\\\"window.pwned=1\\\"> xyzzyplugh </li><script>window.pwned=2</script>";
    let text = std::fs::read_to_string(&doc).unwrap().replacen("text: \"", &format!("text: \"{payload} "), 1);
    // A street in another target, for "Đường" and "duong" (the generated names have none).
    let text = text.replacen("text: \"", "text: \"Nâng cấp Đường Nguyễn Trãi; ", 2).replacen(
        "Nâng cấp Đường Nguyễn Trãi; ",
        "",
        1,
    );
    std::fs::write(&doc, text).unwrap();
    let out = tmp.path().join("public");
    minhbach().args(["build", "--root"]).arg(&site).arg("--output").arg(&out).assert().success();
    // A ward's name, typed without tone marks, finds the ward first.
    let units = std::fs::read_to_string(out.join("data/units.csv")).unwrap();
    // path,name,level,…: the last ward listed.
    let ward = units
        .lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l.split(',').collect();
            (cols.get(2) == Some(&"phường")).then(|| cols[1].to_string())
        })
        .last()
        .expect("a ward in units.csv");
    let typed = minhbach::render::search::words(&ward).into_iter().map(|(_, f)| f).collect::<Vec<_>>().join(" ");
    let port = serve(out.clone());
    let (c, _driver, _profile) = chrome::start().await;
    c.goto(&format!("http://127.0.0.1:{port}/tim-kiem/")).await.unwrap();
    let (said, hits) = query(&c, "xyzzyplugh").await;
    let hit = hits.first().unwrap_or_else(|| panic!("the payload's target is found: {said}"));
    assert!(hit.title.contains("<img src=x") && hit.title.contains("<script>"), "shown as text: {hit:?}");
    let live = js(&c, "return [document.querySelectorAll('#ket-qua-tim-kiem img, #ket-qua-tim-kiem script').length, window.pwned || 0]").await;
    assert_eq!(live, serde_json::json!([0, 0]), "no element of the payload is live");
    let (said, hits) = query(&c, &typed).await;
    let first = hits.first().unwrap_or_else(|| panic!("{typed:?} found nothing: {said}"));
    assert_eq!((first.kind.as_str(), first.title.as_str()), ("Đơn vị", ward.as_str()), "{typed:?}: {said}");
    lands(&out, &first.href);
    // The queries of the issue at 1,000 wards × 5 documents: the indicator first for
    // its name typed without tone marks; "Đường" with its marks finds that form first,
    // "duong" finds it too (beside Dương, Đường…).
    for (q, kind, want) in [
        ("ho ngheo", "Chỉ số", "Tỷ lệ hộ nghèo"),
        ("bao hiem y te", "Chỉ số", "bảo hiểm y tế"),
        ("ket nap dang vien", "Chỉ số", "Kết nạp đảng viên"),
        ("Đường", "Chỉ tiêu", "Đường Nguyễn Trãi"),
    ] {
        let (said, hits) = query(&c, q).await;
        let first = hits.first().unwrap_or_else(|| panic!("{q:?} found nothing: {said}"));
        assert!(first.kind == kind && first.title.contains(want), "{q:?}: first {first:?} ({said})");
        lands(&out, &first.href);
    }
    // Among thousands of "Dương" and "Đường", the street typed without tone marks.
    let (said, hits) = query(&c, "duong nguyen trai").await;
    assert!(hits.first().is_some_and(|h| h.title.contains("Đường Nguyễn Trãi")), "{said}");
    let (said, _) = query(&c, "duong").await;
    assert!(said.contains("kết quả"), "{said}");
    // An indicator's name without tone marks: the indicator first, then the rows.
    let (said, hits) = query(&c, "ty le ho ngheo").await;
    assert_eq!(hits.first().map(|h| h.kind.as_str()), Some("Chỉ số"), "{said}");
    assert!(hits.iter().any(|h| h.kind == "Chỉ tiêu"), "{said}");
    assert_eq!(hits.len(), 20, "a page of 20 hits, and more behind the button: {said}");
    c.find(Locator::Id("xem-them")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#ket-qua-tim-kiem li:nth-child(21)")).await.expect("the button shows more hits");
    c.close().await.unwrap();

    // `search = false`: no search page, no index, no link to them.
    let toml = site.join("minhbach.toml");
    std::fs::write(&toml, std::fs::read_to_string(&toml).unwrap() + "search = false\n").unwrap();
    let off = tmp.path().join("off");
    minhbach().args(["build", "--root"]).arg(&site).arg("--output").arg(&off).assert().success();
    assert!(!off.join("tim-kiem").exists(), "no search page or index");
    let home = std::fs::read_to_string(off.join("index.html")).unwrap();
    assert!(!home.contains("/tim-kiem/"), "the menu has no search link");
}
