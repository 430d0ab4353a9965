//! The images a build draws, without the network or a font: the site's icon as
//! `favicon.ico` and `apple-touch-icon.png` (the check mark of favicon.svg), and the
//! preview a shared link shows (`og.png`, 1200 × 630): the brand colour, the mark, and a
//! bar of the site's measures by status in the status colours of style.css. It has no
//! words: drawing Vietnamese text would need a font and a shaper in the binary; the
//! preview's words are its Open Graph title and description.

use super::pages::ImageFile;
use super::views::Views;
use crate::compute::status::Status;

const BRAND: [u8; 3] = [0x7a, 0x1c, 0x15];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];

/// The light scheme's status colours (style.css `--exceeded` …), in `Status::ALL` order.
const STATUS: [[u8; 3]; 7] = [
    [0x0b, 0x6e, 0x4f],
    [0x2e, 0x7d, 0x32],
    [0x15, 0x65, 0xc0],
    [0xa3, 0x61, 0x00],
    [0xb3, 0x26, 0x1e],
    [0x6a, 0x1b, 0x9a],
    [0x6b, 0x72, 0x80],
];

struct Canvas {
    w: usize,
    h: usize,
    px: Vec<[u8; 4]>,
}

impl Canvas {
    fn new(w: usize, h: usize) -> Canvas {
        Canvas { w, h, px: vec![[0, 0, 0, 0]; w * h] }
    }

    /// Paint `color` by a signed distance (in pixels, negative inside) over the box
    /// (x0, y0)–(x1, y1): a pixel is covered by how far inside its centre is, which
    /// antialiases edges with one sample a pixel.
    fn paint(&mut self, color: [u8; 3], bounds: (f32, f32, f32, f32), distance: impl Fn(f32, f32) -> f32) {
        let (x0, y0, x1, y1) = bounds;
        let (xa, ya) = (x0.floor().max(0.0) as usize, y0.floor().max(0.0) as usize);
        let (xb, yb) = ((x1.ceil() as usize).min(self.w), (y1.ceil() as usize).min(self.h));
        for y in ya..yb {
            for x in xa..xb {
                let a = (0.5 - distance(x as f32 + 0.5, y as f32 + 0.5)).clamp(0.0, 1.0);
                if a == 0.0 {
                    continue;
                }
                let p = &mut self.px[y * self.w + x];
                // "Over" compositing on what is there.
                let under = p[3] as f32 / 255.0;
                let out = a + under * (1.0 - a);
                for i in 0..3 {
                    let c = (color[i] as f32 * a + p[i] as f32 * under * (1.0 - a)) / out.max(1e-6);
                    p[i] = c.round() as u8;
                }
                p[3] = (out * 255.0).round() as u8;
            }
        }
    }

    /// A rectangle with corners of radius `r`.
    fn rect(&mut self, color: [u8; 3], x: f32, y: f32, w: f32, h: f32, r: f32) {
        // Square corners on whole pixels: filled as is (the preview's background would
        // otherwise cost a distance per pixel, slow in the tests' debug builds).
        if r == 0.0 && [x, y, w, h].iter().all(|v| v.fract() == 0.0) {
            let (x0, y0) = (x as usize, y as usize);
            let (x1, y1) = ((x + w) as usize, (y + h) as usize);
            for row in y0..y1.min(self.h) {
                let line = &mut self.px[row * self.w..(row + 1) * self.w];
                line[x0.min(self.w)..x1.min(self.w)].fill([color[0], color[1], color[2], 255]);
            }
            return;
        }
        let (cx, cy, hw, hh) = (x + w / 2.0, y + h / 2.0, w / 2.0 - r, h / 2.0 - r);
        self.paint(color, (x, y, x + w, y + h), |px, py| {
            let (qx, qy) = ((px - cx).abs() - hw, (py - cy).abs() - hh);
            let outside = (qx.max(0.0).powi(2) + qy.max(0.0).powi(2)).sqrt();
            outside + qx.max(qy).min(0.0) - r
        });
    }

    /// The check mark of favicon.svg (M9 17 l5 5 9-11, stroke 3.5, round ends) in a
    /// square of side `size` at (x, y).
    fn mark(&mut self, color: [u8; 3], x: f32, y: f32, size: f32) {
        let k = size / 32.0;
        let pts = [(9.0, 17.0), (14.0, 22.0), (23.0, 11.0)].map(|(a, b)| (x + a * k, y + b * k));
        let half = 1.75 * k;
        let distance = |px: f32, py: f32| {
            pts.windows(2)
                .map(|s| {
                    let ((ax, ay), (bx, by)) = (s[0], s[1]);
                    let (dx, dy) = (bx - ax, by - ay);
                    let t = (((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
                    ((px - ax - t * dx).powi(2) + (py - ay - t * dy).powi(2)).sqrt() - half
                })
                .fold(f32::MAX, f32::min)
        };
        self.paint(color, (x, y, x + size, y + size), distance);
    }

    fn png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, self.w as u32, self.h as u32);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Balanced);
        let mut w = enc.write_header().expect("an in-memory PNG header");
        w.write_image_data(self.px.as_flattened()).expect("an in-memory PNG");
        w.finish().expect("an in-memory PNG");
        out
    }
}

fn icon(size: usize, rounded: bool) -> Canvas {
    let mut c = Canvas::new(size, size);
    let s = size as f32;
    c.rect(BRAND, 0.0, 0.0, s, s, if rounded { s * 6.0 / 32.0 } else { 0.0 });
    c.mark(WHITE, 0.0, 0.0, s);
    c
}

/// An ICO file holding one PNG image (every browser reads PNG inside ICO).
fn ico(png: &[u8], size: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(22 + png.len());
    out.extend_from_slice(&[0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&[size, size, 0, 0]);
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&32u16.to_le_bytes());
    out.extend_from_slice(&(png.len() as u32).to_le_bytes());
    out.extend_from_slice(&22u32.to_le_bytes());
    out.extend_from_slice(png);
    out
}

/// The preview image: the mark, and the site's measures by status as one bar.
fn card(v: &Views) -> Canvas {
    let (w, h) = (1200usize, 630usize);
    let mut c = Canvas::new(w, h);
    c.rect(BRAND, 0.0, 0.0, w as f32, h as f32, 0.0);
    c.mark(WHITE, 60.0, 40.0, 380.0);
    let mut counts = [0usize; 7];
    for d in 0..v.site.documents.len() {
        for e in v.doc_evals(d) {
            counts[Status::ALL.iter().position(|s| *s == e.status).expect("a status")] += 1;
        }
    }
    let total: usize = counts.iter().sum();
    let (x0, y0, bw, bh) = (80.0f32, 470.0f32, 1040.0f32, 90.0f32);
    c.rect(WHITE, x0 - 8.0, y0 - 8.0, bw + 16.0, bh + 16.0, 14.0);
    if total == 0 {
        c.rect(STATUS[6], x0, y0, bw, bh, 8.0);
    } else {
        let mut x = x0;
        for (i, &n) in counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            // Whole pixels, at least 4 wide, the last one to the bar's end.
            let part = (bw * n as f32 / total as f32).round().max(4.0);
            let end = if counts[i + 1..].iter().all(|&m| m == 0) { x0 + bw } else { (x + part).min(x0 + bw) };
            c.rect(STATUS[i], x, y0, end - x, bh, 0.0);
            x = end;
        }
    }
    c
}

pub(crate) fn render(v: &Views, f: ImageFile) -> Vec<u8> {
    match f {
        ImageFile::Favicon => ico(&icon(32, true).png(), 32),
        ImageFile::TouchIcon => icon(180, false).png(),
        ImageFile::Card => card(v).png(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_is_the_mark_on_the_brand_colour() {
        let c = icon(32, true);
        let at = |x: usize, y: usize| c.px[y * 32 + x];
        assert_eq!(at(0, 0)[3], 0, "a rounded corner is transparent");
        assert_eq!(at(16, 4), [BRAND[0], BRAND[1], BRAND[2], 255]);
        assert_eq!(at(14, 21), [255, 255, 255, 255], "the mark's corner is white");
        let file = ico(&c.png(), 32);
        assert_eq!(&file[..4], &[0, 0, 1, 0]);
        assert_eq!(&file[22..30], b"\x89PNG\r\n\x1a\n");
    }
}
