//! The bundled site as its readers meet it, in headless Chromium: every page checked by
//! axe-core (WCAG 2.2 AA, target size included) at 1280 and 390 px and in the dark
//! scheme, and by the Nu HTML checker; the phone and paper goals of the reader pages (page heights at 390 px,
//! A4 page counts of Chromium's print to PDF, chart text size).
//!
//! Needs Debian's `chromium`, `chromium-driver` and Java, and the npm packages of
//! tests/a11y/ (`npm ci --prefix tests/a11y`): `.ci/run` installs them all. Like
//! tests/browser.rs it runs under libtest-mimic, so MINHBACH_SKIP_BROWSER=1 shows these
//! tests as ignored; without it a missing tool is a failure.

#[path = "common/chrome.rs"]
mod chrome;
mod common;
use chrome::{js, serve};
use common::*;
use fantoccini::Client;
use fantoccini::wd::PrintConfiguration;
use std::path::{Path, PathBuf};

/// A phone screen (390 × 844 CSS px, the common size today): the goals count in them.
const PHONE: (u32, u32) = (390, 844);

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    use chrome::trial;
    let tests = vec![
        trial("every_page_passes_axe_at_1280_and_390_px_light_and_dark", || chrome::run(axe_on_every_page())),
        trial("every_page_passes_the_nu_html_checker", nu_on_every_page),
        trial("reader_pages_fit_a_phone_and_paper", || chrome::run(phone_and_paper())),
    ];
    libtest_mimic::run(&args, tests).exit();
}

fn tools() -> PathBuf {
    repo().join("tests/a11y/node_modules")
}

fn tool(rel: &str) -> PathBuf {
    let p = tools().join(rel);
    assert!(p.exists(), "{} is missing: run `npm ci --prefix tests/a11y` (.ci/run does)", p.display());
    p
}

/// Every HTML page of a built site, as addresses (`/`, `/chi-so/`, `/404.html`).
fn pages(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/");
            match rel.strip_suffix("index.html") {
                Some(dir) => format!("/{dir}"),
                None => format!("/{rel}"),
            }
        })
        .collect();
    v.sort();
    v
}

/// axe-core's WCAG 2.0–2.2 A and AA rules on the page the client shows: one line per
/// violation, with up to three of the elements it found.
async fn axe(client: &Client, source: &str) -> Vec<String> {
    client.execute(source, vec![]).await.unwrap();
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
                                 resultTypes: ['violations'] })
                .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' – ' +
                                v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') +
                                (v.nodes.length > 3 ? ' and ' + (v.nodes.length - 3) + ' more' : ''))))
                .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    found.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

async fn axe_on_every_page() {
    let source = std::fs::read_to_string(tool("axe-core/axe.min.js")).unwrap();
    let out = bundled();
    let port = serve(out.to_path_buf());
    let mut pages = pages(out);
    assert!(pages.len() > 50, "the bundled site has its pages: {}", pages.len());
    // The search page with its hits shown (targets with their status badges).
    pages.push("/tim-kiem/?q=ho+ngheo".into());
    let mut failures = Vec::new();
    // Light at a wide screen's and a phone's width, and the dark scheme (the colours
    // change, not the layout) at the wide one.
    for (dark, widths) in [(false, vec![(1280, 1000), PHONE]), (true, vec![(1280, 1000)])] {
        let (client, _driver, _profile) = chrome::start_with(if dark { &["--force-dark-mode"] } else { &[] }).await;
        for (w, h) in widths {
            client.set_window_size(w, h).await.unwrap();
            for p in &pages {
                client.goto(&format!("http://127.0.0.1:{port}{p}")).await.unwrap();
                if dark {
                    // The dark background, once the stylesheet is in (a request the
                    // small test server drops under load is tried again, by a reload).
                    let mut bg = serde_json::Value::Null;
                    for attempt in 0..3 {
                        bg = js(&client, "return getComputedStyle(document.body).backgroundColor").await;
                        if bg == "rgb(21, 24, 28)" {
                            break;
                        }
                        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                        if attempt == 1 {
                            client.refresh().await.unwrap();
                        }
                    }
                    assert_eq!(bg, "rgb(21, 24, 28)", "{p}: the dark scheme applies");
                }
                if p.contains("?q=") {
                    client
                        .wait()
                        .for_element(fantoccini::Locator::Css("#ket-qua-tim-kiem li .status"))
                        .await
                        .unwrap_or_else(|e| panic!("{p}: no hits shown: {e}"));
                }
                let scheme = if dark { ", dark" } else { "" };
                failures.extend(axe(&client, &source).await.into_iter().map(|v| format!("{p} at {w} px{scheme}: {v}")));
            }
        }
        client.close().await.unwrap();
    }
    assert!(failures.is_empty(), "{} axe violations:\n{}", failures.len(), failures.join("\n"));
}

fn nu_on_every_page() {
    let jar = tool("vnu-jar/build/dist/vnu.jar");
    let out = bundled();
    let run = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .arg(out)
        .output()
        .expect("java runs (the machine's Java, for the Nu HTML checker)");
    let report = String::from_utf8_lossy(&run.stderr).into_owned() + &String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success() && report.trim().is_empty(), "the Nu HTML checker found errors:\n{report}");
    // It did look at the pages: a broken copy of one is reported.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("bad.html"), "<!doctype html><html lang=vi><title>x</title><p><div></p>").unwrap();
    let bad =
        std::process::Command::new("java").arg("-jar").arg(&jar).arg("--errors-only").arg(tmp.path()).output().unwrap();
    assert!(!bad.status.success(), "the checker reports a broken page");
}

/// The page's height in CSS px at the window's width.
async fn height(client: &Client, url: &str) -> f64 {
    client.goto(url).await.unwrap();
    js(client, "return document.documentElement.scrollHeight").await.as_f64().unwrap()
}

/// Pages in a PDF (each page object is `/Type /Page`; the tree's nodes are `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type")
        .filter(|(i, _)| text[i + 5..].trim_start().strip_prefix("/Page").is_some_and(|r| !r.starts_with('s')))
        .count()
}

async fn phone_and_paper() {
    let out = bundled();
    let port = serve(out.to_path_buf());
    let base = format!("http://127.0.0.1:{port}");
    let (client, _driver, _profile) = chrome::start().await;
    let xiv = format!("{base}/tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiv/");
    let ward = format!("{base}/tp-ho-chi-minh/quan-go-vap/phuong-14/");
    let home = format!("{base}/");

    client.set_window_size(PHONE.0, PHONE.1).await.unwrap();
    let width = js(&client, "return window.innerWidth").await.as_f64().unwrap();
    assert_eq!(width, f64::from(PHONE.0), "the window is a phone's width");
    // Screens of 844 px, whatever the headless window's chrome takes off its height.
    let screens = |h: f64| h / f64::from(PHONE.1);
    let mut report = Vec::new();
    for (url, max_px, what) in
        [(&xiv, 10_000.0, "the XIV document"), (&ward, 6.0 * 844.0, "Phường 14"), (&home, 3.0 * 844.0, "the home page")]
    {
        let h = height(&client, url).await;
        report.push(format!("{what}: {h} px at 390 px ({:.1} screens)", screens(h)));
        assert!(h <= max_px, "{what} is {h} px tall at 390 px, over {max_px}: {report:?}");
    }

    // Nothing the desktop shows is gone on the phone: every target row and the whole
    // text are in the page, folded or not.
    client.goto(&xiv).await.unwrap();
    let text = js(&client, "return document.querySelector('main').textContent").await.as_str().unwrap().to_string();
    assert!(
        text.contains("Đào Thị My Thư") && text.contains("dưới 0,5%"),
        "the phone page holds the citation and targets"
    );
    let rows = js(&client, "return document.querySelectorAll('table.targets tbody tr').length").await;
    assert_eq!(rows, 39, "every measure of the XIV document has its card");

    // Chart text is at least 12 CSS px on a phone and a wide screen, and every chart
    // names what its axis measures.
    for (w, h) in [PHONE, (1280, 1000)] {
        client.set_window_size(w, h).await.unwrap();
        for p in ["/chi-so/ket-nap-dang-vien/", "/tp-ho-chi-minh/quan-go-vap/phuong-14/nghi-quyet-dai-hoi-xiii/"] {
            client.goto(&format!("{base}{p}")).await.unwrap();
            let found = js(
                &client,
                "let min = 1e9, charts = 0, axes = 0; for (const svg of document.querySelectorAll('svg.chart')) { charts++; \
                   const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; \
                   if (svg.querySelector('text.axis')?.textContent) axes++; \
                   for (const t of svg.querySelectorAll('text')) min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale); } \
                 return [min, charts, axes]",
            )
            .await;
            let (smallest, charts, axes) =
                (found[0].as_f64().unwrap(), found[1].as_i64().unwrap(), found[2].as_i64().unwrap());
            assert!(charts > 0 && axes == charts, "{p}: {charts} charts, {axes} with an axis caption");
            assert!(smallest >= 12.0, "{p} at {w} px: chart text of {smallest:.1} px");
            report.push(format!("{p} at {w} px: smallest chart text {smallest:.1} px"));
        }
    }

    // Paper: A4 from Chromium's print to PDF (its default margins of 1 cm).
    client.set_window_size(1280, 1000).await.unwrap();
    let a4 = |c: &Client, url: String| {
        let c = c.clone();
        async move {
            c.goto(&url).await.unwrap();
            let pdf = c.print(PrintConfiguration::default()).await.unwrap();
            pdf_pages(&pdf)
        }
    };
    let n = a4(&client, xiv.clone()).await;
    report.push(format!("the XIV document: {n} A4 pages"));
    assert!((1..=8).contains(&n), "the XIV document prints on {n} A4 pages: {report:?}");
    // Printed as a table, not as cards, with the text open.
    client.goto(&xiv).await.unwrap();
    let print_like = js(&client, "return getComputedStyle(document.querySelector('table.targets tr')).display").await;
    assert_eq!(print_like, "table-row");
    let n = a4(&client, ward.clone()).await;
    assert!(n <= 2, "the ward page prints on {n} A4 pages");
    // The ward page links its one-page scorecard, which prints on one sheet, for each
    // ward with targets.
    client.goto(&ward).await.unwrap();
    client.find(fantoccini::Locator::Css("a[href$='/tom-tat.html']")).await.expect("the ward page links its scorecard");
    for w in [
        "tp-ho-chi-minh/quan-go-vap/phuong-14",
        "tp-ho-chi-minh/quan-go-vap/phuong-12",
        "ha-noi/quan-long-bien/phuong-duc-giang",
    ] {
        let url = format!("{base}/{w}/tom-tat.html");
        client.goto(&url).await.unwrap();
        let rows =
            js(&client, "return document.querySelectorAll('table.scores tbody tr').length").await.as_i64().unwrap();
        assert!(rows > 5, "{w}'s scorecard lists its measures: {rows}");
        let n = a4(&client, url).await;
        report.push(format!("{w}'s scorecard: {rows} measures on {n} A4 page"));
        assert_eq!(n, 1, "{w}'s scorecard prints on {n} A4 pages: {report:?}");
    }

    // The matrix on landscape A4: before printing, the page splits its table into parts
    // of a few columns each, every part with the unit column and its own header, so
    // every column is on paper once; after printing the screen's table is back alone.
    let matrix = format!("{base}/ma-tran/2020-2025/");
    client.goto(&matrix).await.unwrap();
    let columns = "return [...document.querySelectorAll(SEL)].map(t => [...t.tHead.rows[0].cells].slice(1).map(c => c.textContent.trim()))";
    let whole = js(&client, &columns.replace("SEL", "'table.matrix:not(.print-part)'")).await;
    let whole: Vec<String> = whole[0].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert!(whole.len() > 12, "the matrix is wider than one printed part: {} columns", whole.len());
    js(&client, "window.dispatchEvent(new Event('beforeprint')); return 0").await;
    let parts = js(&client, &columns.replace("SEL", "'table.matrix.print-part'")).await;
    let parts: Vec<Vec<String>> = parts
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect())
        .collect();
    assert!(parts.len() >= 2 && parts.iter().all(|p| p.len() <= 12), "parts of at most 12 columns: {parts:?}");
    assert_eq!(parts.concat(), whole, "the parts hold every column of the matrix once, in order");
    let rows = "return [...document.querySelectorAll('table.matrix')].map(t => t.querySelectorAll('tbody tr').length)";
    let rows = js(&client, rows).await;
    let rows: Vec<i64> = rows.as_array().unwrap().iter().map(|n| n.as_i64().unwrap()).collect();
    assert!(rows.iter().all(|&n| n == rows[0] && n > 0), "every part has every unit row: {rows:?}");
    let landscape =
        PrintConfiguration::builder().orientation(fantoccini::wd::PrintOrientation::Landscape).build().unwrap();
    let n = pdf_pages(&client.print(landscape).await.unwrap());
    report.push(format!("the matrix: {} columns in {} parts on {n} landscape A4 pages", whole.len(), parts.len()));
    assert!(n >= parts.len(), "each part starts its own page: {report:?}");
    js(&client, "window.dispatchEvent(new Event('afterprint')); return 0").await;
    let left = js(&client, "return document.querySelectorAll('table.matrix').length").await;
    assert_eq!(left, 1, "after printing the page shows its one table again");
    println!("{}", report.join("\n"));
    client.close().await.unwrap();
}
