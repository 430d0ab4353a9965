//! Browser smoke test: headless Chromium opens the home page, follows links to a unit
//! and a document, and finds the target table; at phone width the table becomes cards.
//!
//! Needs Debian's `chromium` and `chromium-driver` (installed by .ci/run). Set
//! MINHBACH_SKIP_BROWSER=1 to skip it on a machine without them: the test then shows as
//! "ignored" in cargo's summary, never as passed (this file runs under libtest-mimic,
//! `harness = false` in Cargo.toml, which can ignore a test at run time; `-- --ignored`
//! runs it all the same). Without the variable a missing browser is a failure, so CI
//! cannot pass without running it.

#[path = "common/chrome.rs"]
mod chrome;
mod common;
use chrome::{js, serve};
use common::*;
use fantoccini::Locator;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let tests = vec![chrome::trial("home_unit_and_document_pages_in_chromium", || {
        chrome::run(home_unit_and_document_pages_in_chromium())
    })];
    libtest_mimic::run(&args, tests).exit();
}

async fn home_unit_and_document_pages_in_chromium() {
    let (client, _driver, _profile) = chrome::start().await;
    let port = serve(bundled().to_path_buf());
    let base = format!("http://127.0.0.1:{port}");

    // Home: the unit tree links to Phường 14.
    client.goto(&format!("{base}/")).await.unwrap();
    let h1 = client.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert!(h1.contains("Minh bạch"), "home h1: {h1}");
    client.find(Locator::LinkText("Phường 14")).await.unwrap().click().await.unwrap();

    // Unit page: its name, its documents, its current targets in brief: counts by status
    // and a link to each document's full table.
    let h1 = client.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert_eq!(h1, "Phường 14");
    assert!(client.current_url().await.unwrap().path().ends_with("/tp-ho-chi-minh/quan-go-vap/phuong-14/"));
    let counts = client.find_all(Locator::Css("#chi-tieu ~ .status-counts li strong")).await.unwrap();
    assert!(!counts.is_empty(), "unit page counts its current targets by status");
    let full = client.find_all(Locator::Css("a[href$='#bang-chi-tieu']")).await.unwrap();
    assert!(!full.is_empty(), "unit page links to its documents' target tables");
    client.find(Locator::XPath("//a[contains(., 'lần thứ XIV')]")).await.unwrap().click().await.unwrap();

    // Document page: citation block and the target table, styled by the shipped CSS.
    let h1 = client.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert!(h1.contains("Phường 14") && h1.contains("XIV"), "document h1: {h1}");
    let citation = client.find(Locator::Css(".citation")).await.unwrap().text().await.unwrap();
    assert!(citation.contains("15/5/2020") && citation.contains("Đào Thị My Thư"), "{citation}");
    let rows = client.find_all(Locator::Css("table.targets tbody tr:not(.cont)")).await.unwrap();
    assert_eq!(rows.len(), 24, "18 targets and 6 key works");
    let row = client.find(Locator::Css("#chi-tieu-1\\.2\\.1")).await.unwrap().text().await.unwrap();
    assert!(
        row.contains("dưới 0,5%") && row.contains("Quá hạn, chưa báo cáo"),
        "past its deadline, nothing reported: {row}"
    );
    let header_bg: String =
        js(&client, "return getComputedStyle(document.querySelector('.site-header')).backgroundColor")
            .await
            .as_str()
            .unwrap()
            .to_string();
    assert_eq!(header_bg, "rgb(122, 28, 21)", "style.css is loaded");

    // Wide screen: the target's own words are shown in their column, with no toggle.
    let verbatim = "const d = document.querySelector('#chi-tieu-1\\\\.2\\\\.1 details.fold'); \
                    return [d.open, d.getBoundingClientRect().height, d.querySelector('summary').getBoundingClientRect().height]";
    let wide = js(&client, verbatim).await;
    assert!(wide[1].as_f64().unwrap() > 20.0 && wide[2].as_f64().unwrap() == 0.0, "words shown, no toggle: {wide}");
    // Phone width: a row becomes a card whose first line is its number and its status,
    // then the measure, the deadline with its label; the words folded behind a toggle.
    client.set_window_size(390, 900).await.unwrap();
    let card = js(
        &client,
        "const r = document.querySelector('#chi-tieu-1\\\\.2\\\\.1'); const top = s => r.querySelector(s).getBoundingClientRect().top; \
         return [getComputedStyle(r).display, top('th'), top('td:last-child'), top('td:nth-last-child(4)'), \
                 getComputedStyle(r.querySelector('td:nth-last-child(3)'), '::before').content]",
    )
    .await;
    assert_eq!(card[0], "grid", "{card}");
    let (id, status, measure) = (card[1].as_f64().unwrap(), card[2].as_f64().unwrap(), card[3].as_f64().unwrap());
    assert!((id - status).abs() < 8.0 && status < measure, "number and status first: {card}");
    assert!(card[4].as_str().unwrap().contains("Thời hạn"), "deadline labelled from the page's labels: {card}");
    let phone = js(&client, verbatim).await;
    assert!(!phone[0].as_bool().unwrap() && phone[1] == phone[2], "words folded on a phone: {phone}");
    let overflow = js(&client, "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await
        .as_i64()
        .unwrap();
    assert!(overflow <= 0, "page scrolls sideways by {overflow}px at 390px");

    // An indicator comparison at phone width: its chart is drawn, fits, and has a title.
    client.goto(&format!("{base}/chi-so/ket-nap-dang-vien/")).await.unwrap();
    let size = js(
        &client,
        "const r = document.querySelector('svg.chart').getBoundingClientRect(); return [r.width, r.height];",
    )
    .await;
    let (w, h) = (size[0].as_f64().unwrap(), size[1].as_f64().unwrap());
    assert!(w > 250.0 && w <= 390.0 && h > 60.0, "chart box {w}x{h} at 390px");
    let bars = client.find_all(Locator::Css("svg.chart:not(.chart-results) rect.bar")).await.unwrap();
    assert_eq!(bars.len(), 3, "one bar per unit that set the indicator");
    // The result no target is linked to (Phổ Hòa's 12 new members) has a chart of its own.
    let results = client.find_all(Locator::Css("svg.chart-results rect.bar")).await.unwrap();
    assert_eq!(results.len(), 1, "the unlinked result drawn apart");
    let title = client.find(Locator::Css("svg.chart title")).await.unwrap().text().await;
    assert!(title.is_ok());
    let overflow = js(&client, "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await
        .as_i64()
        .unwrap();
    assert!(overflow <= 0, "indicator page scrolls sideways by {overflow}px at 390px");

    // The matrix filter works without a server: choosing a district hides other rows.
    client.set_window_size(1280, 900).await.unwrap();
    client.goto(&format!("{base}/ma-tran/2020-2025/?don-vi=tp-ho-chi-minh/quan-go-vap")).await.unwrap();
    let visible = js(
        &client,
        "return [...document.querySelectorAll('.matrix tbody tr:not(.group)')].filter(r => !r.hidden).length",
    )
    .await
    .as_i64()
    .unwrap();
    assert_eq!(visible, 2, "Phường 12 and Phường 14 only");
    // A cell's status: drawn by the stylesheet, and in words for screen readers, not seen.
    let cell = js(
        &client,
        "const a = document.querySelector('.matrix td a'); const i = a.querySelector('i'); \
         return [getComputedStyle(a, '::before').content, i.textContent, i.getBoundingClientRect().width];",
    )
    .await;
    assert!(cell[0].as_str().unwrap().len() > 2, "a symbol before the cell's figure: {cell}");
    assert!(cell[1].as_str().unwrap().starts_with(", "), "its status in words: {cell}");
    assert!(cell[2].as_f64().unwrap() <= 1.0, "hidden from sight: {cell}");

    client.close().await.unwrap();
}
