//! Small SVG charts drawn at build time: a bar chart of one indicator across units, and
//! a line of one target's results over time against the target. Each has a `<title>`
//! and a `<desc>` (its text alternative), is sized by its viewBox so it scales to a
//! phone, and is always shown next to a table with the same numbers. No JavaScript.
//!
//! Drawn in Rust rather than in templates because the geometry (scales, ticks) is
//! arithmetic; every label is escaped here, and the words come from the caller.

use super::i18n::Strings;
use std::fmt::{self, Write};

/// Text escaped as it is written into the SVG, without a string of its own per label.
struct Esc<'a>(&'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::escape_into(self.0, f)
    }
}

fn esc(s: &str) -> Esc<'_> {
    Esc(s)
}

/// A coordinate with one decimal, exactly as `{:.1}` writes it. Most of a line chart's
/// coordinates (its frame, grid and constant offsets) are whole tenths, which are
/// written from an integer here; Rust's exact float formatting took most of the cost
/// of every chart. Anything else goes to `{:.1}`.
struct F1(f64);

impl fmt::Display for F1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        let tenths = v * 10.0;
        // A product that is a whole number below 2^53 means `v` lies within a rounding
        // error of that many tenths, far from any halfway point: `{:.1}` prints it.
        if tenths == tenths.trunc() && tenths.abs() < 9.0e15 {
            let t = tenths.abs() as u64;
            // `{:.1}` keeps the sign of a negative zero.
            let sign = if v.is_sign_negative() { "-" } else { "" };
            return write!(f, "{sign}{}.{}", t / 10, t % 10);
        }
        write!(f, "{v:.1}")
    }
}

pub(crate) struct Bar {
    pub label: String,
    pub value: f64,
    pub value_text: String,
    /// The top of a range target ("từ 10 đến 12"), drawn as a lighter extension.
    pub upto: Option<f64>,
    /// A reported result drawn over the bar, with its text and status key.
    pub marker: Option<(f64, String, &'static str)>,
}

// The width a phone gives a chart (390 px less the page's margins), so that the text
// is drawn at about its size in the stylesheet (13–14 units, style.css `.chart`) on a
// phone; style.css caps the chart's width on wide screens, so text grows by at most a
// sixth there.
const W: f64 = 360.0;
const ROW: f64 = 38.0;
const TOP: f64 = 26.0;

/// Horizontal bars, one per unit, each under a line with the unit's name and its
/// value; results as diamonds over the bars. `axis` names what the bars measure, with
/// its unit ("Mức chỉ tiêu (%)"), above them. `class` is added to the chart's
/// (`chart-results`: bars that are results, drawn apart from targets' bars).
pub(crate) fn bars(
    strings: &Strings,
    id: &str,
    class: &str,
    title: &str,
    desc: &str,
    axis: &str,
    bars: &[Bar],
) -> String {
    let max = bars
        .iter()
        .flat_map(|b| std::iter::once(b.value).chain(b.upto).chain(b.marker.as_ref().map(|m| m.0)))
        .fold(0.0f64, f64::max);
    let max = if max <= 0.0 { 1.0 } else { nice_ceiling(max) };
    let (left, right) = (2.0, 10.0);
    let plot = W - left - right;
    let h = TOP + ROW * bars.len() as f64 + 24.0;
    let x = |v: f64| left + (v.max(0.0) / max) * plot;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart chart-bars{}" viewBox="0 0 {W} {h}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc><text class="axis" x="0" y="14">{}</text>"#,
        if class.is_empty() { String::new() } else { format!(" {}", esc(class)) },
        esc(title),
        esc(desc),
        esc(axis)
    );
    // Grid: 0, half, max; the end ticks anchored inwards so that they are not cut.
    for (frac, anchor) in [(0.0, "start"), (0.5, "middle"), (1.0, "end")] {
        let gx = x(max * frac);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{gx:.1}" y1="{}" x2="{gx:.1}" y2="{:.1}"/><text class="tick" x="{gx:.1}" y="{}" text-anchor="{anchor}">{}</text>"#,
            TOP,
            h - 18.0,
            h - 4.0,
            strings.number(max * frac, 2)
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let w = (x(b.value) - left).max(1.0);
        let _ = write!(
            s,
            r#"<text class="label" x="0" y="{:.1}">{}</text><text class="value" x="{W}" y="{:.1}" text-anchor="end">{}</text><rect class="bar" x="{left}" y="{:.1}" width="{w:.1}" height="12" rx="2"/>"#,
            y + 15.0,
            esc(&truncate(&b.label, 30)),
            y + 15.0,
            esc(&b.value_text),
            y + 21.0,
        );
        if let Some(top) = b.upto.filter(|t| *t > b.value) {
            let _ = write!(
                s,
                r#"<rect class="bar-range" x="{:.1}" y="{:.1}" width="{:.1}" height="12" rx="2"/>"#,
                x(b.value),
                y + 21.0,
                (x(top) - x(b.value)).max(1.0),
            );
        }
        if let Some((v, text, status)) = &b.marker {
            let mx = x(*v);
            let my = y + 27.0;
            let _ = write!(
                s,
                r#"<path class="marker status-{status}" d="M{mx:.1} {:.1} L{:.1} {my:.1} L{mx:.1} {:.1} L{:.1} {my:.1} Z"><title>{}</title></path>"#,
                my - 8.0,
                mx + 8.0,
                my + 8.0,
                mx - 8.0,
                esc(text)
            );
        }
    }
    s.push_str("</svg>");
    s
}

pub(crate) struct Point {
    /// Days since an epoch, for x positions.
    pub day: i64,
    pub date_text: String,
    pub value: f64,
    pub value_text: String,
}

/// Results over time (points joined by a line) against the target (a dashed line, or a
/// band for a range). `axis` names the vertical axis with its unit, above it.
pub(crate) fn line(
    strings: &Strings,
    id: &str,
    title: &str,
    desc: &str,
    axis: &str,
    points: &[Point],
    target: (f64, f64),
    target_text: &str,
) -> String {
    let (h, left, right, top, bottom) = (240.0, 46.0, 14.0, 34.0, 36.0);
    let mut lo = points.iter().map(|p| p.value).fold(target.0, f64::min).min(0.0);
    let mut hi = points.iter().map(|p| p.value).fold(target.1, f64::max);
    if hi <= lo {
        hi = lo + 1.0;
    }
    hi = nice_ceiling(hi);
    if lo < 0.0 {
        lo = -nice_ceiling(-lo);
    }
    let (d0, d1) = match (points.first(), points.last()) {
        (Some(a), Some(b)) if b.day > a.day => (a.day, b.day),
        (Some(a), _) => (a.day - 180, a.day + 180),
        _ => (0, 1),
    };
    let x = |d: i64| left + (d - d0) as f64 / (d1 - d0) as f64 * (W - left - right);
    let y = |v: f64| top + (hi - v) / (hi - lo) * (h - top - bottom);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart chart-line" viewBox="0 0 {W} {h}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc><text class="axis" x="0" y="14">{}</text>"#,
        esc(title),
        esc(desc),
        esc(axis)
    );
    for v in [lo, (lo + hi) / 2.0, hi] {
        let _ = write!(
            s,
            r#"<line class="grid" x1="{left}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            F1(y(v)),
            F1(W - right),
            F1(y(v)),
            F1(left - 6.0),
            F1(y(v) + 4.0),
            strings.number(v, 2)
        );
    }
    if target.1 > target.0 {
        let _ = write!(
            s,
            r#"<rect class="target-band" x="{left}" y="{:.1}" width="{:.1}" height="{:.1}"/>"#,
            F1(y(target.1)),
            F1(W - left - right),
            F1(y(target.0) - y(target.1))
        );
    }
    let _ = write!(
        s,
        r#"<line class="target" x1="{left}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/><text class="target-label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
        F1(y(target.0)),
        F1(W - right),
        F1(y(target.0)),
        F1(W - right),
        F1(y(target.0) - 6.0),
        esc(target_text)
    );
    // Each point's coordinates formatted once, though written up to four times: float
    // formatting is most of a chart's cost.
    let coords: Vec<(String, String)> =
        points.iter().map(|p| (F1(x(p.day)).to_string(), F1(y(p.value)).to_string())).collect();
    if points.len() > 1 {
        s.push_str(r#"<polyline class="series" points=""#);
        for (i, (px, py)) in coords.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            let _ = write!(s, "{px},{py}");
        }
        s.push_str(r#""/>"#);
    }
    let tick_y = F1(h - 12.0).to_string();
    for (p, (px, py)) in points.iter().zip(&coords) {
        let _ = write!(
            s,
            r#"<circle class="point" cx="{px}" cy="{py}" r="5"><title>{}: {}</title></circle><text class="value" x="{px}" y="{:.1}" text-anchor="middle">{}</text><text class="tick" x="{px}" y="{tick_y}" text-anchor="middle">{}</text>"#,
            esc(&p.date_text),
            esc(&p.value_text),
            F1(y(p.value) - 10.0),
            esc(&p.value_text),
            esc(&p.date_text)
        );
    }
    s.push_str("</svg>");
    s
}

/// 1, 2, 2.5, 5 × 10ⁿ at or above `v`: round axis ends.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= v - 1e-9 {
            return m * p;
        }
    }
    10.0 * p
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { format!("{}…", s.chars().take(n - 1).collect::<String>()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_decimal_as_rust_writes_it() {
        for v in [0.0, -0.0, 42.0, 464.0, 0.1, 0.25, 0.35, -0.05, -3.3, 12.34, 108.0, 1e-9, 2.0 / 3.0, 1e16, 123456.7] {
            assert_eq!(F1(v).to_string(), format!("{v:.1}"), "{v}");
        }
    }

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(95.0), 100.0);
        assert_eq!(nice_ceiling(12.0), 20.0);
        assert_eq!(nice_ceiling(0.5), 0.5);
        assert_eq!(nice_ceiling(840.0), 1000.0);
        assert_eq!(nice_ceiling(2.21), 2.5);
    }

    #[test]
    fn bar_chart_has_title_desc_and_escaped_labels() {
        let svg = bars(
            &Strings::default(),
            "c1",
            "",
            "Kết nạp đảng viên",
            "Phường 14: 10; Phường 12: 8",
            "Mức chỉ tiêu (<đảng viên>)",
            &[
                Bar {
                    label: "Phường <14>".into(),
                    value: 10.0,
                    value_text: "10".into(),
                    upto: Some(12.0),
                    marker: Some((12.0, "12 (2021)".into(), "met")),
                },
                Bar { label: "Phường 12".into(), value: 8.0, value_text: "8".into(), upto: None, marker: None },
            ],
        );
        assert!(svg.contains("<title id=\"c1-t\">Kết nạp đảng viên</title>"));
        assert!(svg.contains("<desc id=\"c1-d\">Phường 14: 10; Phường 12: 8</desc>"));
        assert!(svg.contains("Phường &lt;14&gt;"));
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
        assert!(svg.contains("marker status-met"));
        assert!(svg.contains("<text class=\"axis\" x=\"0\" y=\"14\">Mức chỉ tiêu (&lt;đảng viên&gt;)</text>"), "{svg}");
    }

    #[test]
    fn line_chart_draws_points_and_target() {
        let pts = vec![
            Point { day: 0, date_text: "2021".into(), value: 4.0, value_text: "4%".into() },
            Point { day: 365, date_text: "2022".into(), value: 3.07, value_text: "3,07%".into() },
        ];
        let svg =
            line(&Strings::default(), "l1", "Tỷ lệ hộ nghèo", "desc", "Kết quả (%)", &pts, (0.5, 0.5), "dưới 0,5%");
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("class=\"target\""));
        assert!(svg.contains("polyline"));
        assert!(svg.contains(">Kết quả (%)</text>"), "the axis names its unit");
    }
}
