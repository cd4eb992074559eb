//! The raster backend of a chart's layout: an RGB buffer on white, rectangles and lines with
//! anti-aliased edges, text from the glyph outlines of the embedded Liberation Serif (ttf-parser
//! outlines filled by ab_glyph_rasterizer's coverage), encoded as PNG. Small on purpose: a chart
//! is bars, rules and text, and an SVG or imaging stack would cost minutes of build on two cores.

use super::chart::{Item, Layout};
use crate::pdf::{advance_milli, face, glyph, Style};
use ab_glyph_rasterizer::{point, Point, Rasterizer};

/// An RGB image on white.
pub(crate) struct Pixmap {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

impl Pixmap {
    fn new(width: u32, height: u32) -> Self {
        Pixmap { width, height, data: vec![255; width as usize * height as usize * 3] }
    }

    /// Blends `rgb` over the pixel at (`x`, `y`) with coverage `alpha` (0–1).
    fn blend(&mut self, x: i64, y: i64, rgb: [u8; 3], alpha: f32) {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) || alpha <= 0.0 {
            return;
        }
        let a = alpha.min(1.0);
        let i = (y as usize * self.width as usize + x as usize) * 3;
        for (k, c) in rgb.iter().enumerate() {
            let old = f32::from(self.data[i + k]);
            self.data[i + k] = (old + (f32::from(*c) - old) * a).round() as u8;
        }
    }

    /// A rectangle in pixel coordinates, its fractional edges covering their pixels partly.
    fn fill_rect(&mut self, (x0, y0, x1, y1): (f32, f32, f32, f32), rgb: [u8; 3]) {
        let cover = |p: f32, a: f32, b: f32| ((p + 1.0).min(b) - p.max(a)).max(0.0);
        for py in y0.floor() as i64..y1.ceil() as i64 {
            let cy = cover(py as f32, y0, y1);
            for px in x0.floor() as i64..x1.ceil() as i64 {
                self.blend(px, py, rgb, cy * cover(px as f32, x0, x1));
            }
        }
    }

    /// `text` with its baseline's left end at (`x`, `y`) pixels, `size` pixels high (the em).
    fn text(&mut self, (x, y): (f32, f32), style: Style, size: f32, text: &str, rgb: [u8; 3]) {
        let f = face(style);
        let s = size / f32::from(f.units_per_em());
        let mut pen = x;
        for c in text.chars() {
            let (gid, _) = glyph(style, c);
            let id = ttf_parser::GlyphId(gid);
            if let Some(bb) = f.glyph_bounding_box(id) {
                let (gx0, gy0) = ((pen + f32::from(bb.x_min) * s).floor(), (y - f32::from(bb.y_max) * s).floor());
                let (gx1, gy1) = ((pen + f32::from(bb.x_max) * s).ceil(), (y - f32::from(bb.y_min) * s).ceil());
                let (w, h) = ((gx1 - gx0) as usize + 1, (gy1 - gy0) as usize + 1);
                let mut outline = Outline {
                    r: Rasterizer::new(w, h),
                    scale: s,
                    origin: (pen - gx0, y - gy0),
                    start: point(0.0, 0.0),
                    last: point(0.0, 0.0),
                };
                if f.outline_glyph(id, &mut outline).is_some() {
                    outline.r.for_each_pixel_2d(|px, py, a| {
                        self.blend(gx0 as i64 + i64::from(px), gy0 as i64 + i64::from(py), rgb, a);
                    });
                }
            }
            pen += advance_milli(style, gid) * size / 1000.0;
        }
    }
}

/// A glyph's outline in font units, turned into pixels of its own small raster (y down).
struct Outline {
    r: Rasterizer,
    scale: f32,
    origin: (f32, f32),
    start: Point,
    last: Point,
}

impl Outline {
    fn at(&self, x: f32, y: f32) -> Point {
        point(self.origin.0 + x * self.scale, self.origin.1 - y * self.scale)
    }
}

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.start = self.at(x, y);
        self.last = self.start;
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.at(x, y);
        self.r.draw_line(self.last, p);
        self.last = p;
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (c, p) = (self.at(x1, y1), self.at(x, y));
        self.r.draw_quad(self.last, c, p);
        self.last = p;
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (c1, c2, p) = (self.at(x1, y1), self.at(x2, y2), self.at(x, y));
        self.r.draw_cubic(self.last, c1, c2, p);
        self.last = p;
    }

    fn close(&mut self) {
        if self.last != self.start {
            self.r.draw_line(self.last, self.start);
        }
        self.last = self.start;
    }
}

/// The layout drawn `width_px` pixels wide (the height in proportion).
pub(crate) fn render(l: &Layout, width_px: u32) -> Pixmap {
    let k = width_px as f32 / l.width;
    let mut pm = Pixmap::new(width_px, (l.height * k).round() as u32);
    for item in &l.items {
        match item {
            Item::Rect { x, y, w, h, rgb } => pm.fill_rect((x * k, y * k, (x + w) * k, (y + h) * k), *rgb),
            Item::Line { from, to, width, rgb } => {
                // Lines are horizontal or vertical: a thin rectangle, at least a pixel thick.
                let t = (width * k).max(1.0) / 2.0;
                let (x0, x1) = (from.0.min(to.0) * k, from.0.max(to.0) * k);
                let (y0, y1) = (from.1.min(to.1) * k, from.1.max(to.1) * k);
                let r = if y1 - y0 < x1 - x0 { (x0, y0 - t, x1, y1 + t) } else { (x0 - t, y0, x1 + t, y1) };
                pm.fill_rect(r, *rgb);
            }
            Item::Text { x, y, style, size, text, rgb } => pm.text((x * k, y * k), *style, size * k, text, *rgb),
        }
    }
    pm
}

/// The PNG file of `pm` (8-bit RGB).
pub(crate) fn png(pm: &Pixmap) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, pm.width, pm.height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    // Writing to a Vec fails only for a malformed image, which `render` never makes.
    let mut w = enc.write_header().expect("a valid PNG header");
    w.write_image_data(&pm.data).expect("the image data matches the header");
    w.finish().expect("the PNG is complete");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::chart::{INK, SERIES};

    #[test]
    fn text_and_bars_leave_ink_where_they_are_drawn() {
        let l = Layout {
            width: 100.0,
            height: 50.0,
            items: vec![
                Item::Rect { x: 60.0, y: 10.0, w: 20.0, h: 30.0, rgb: SERIES[0] },
                Item::Text { x: 5.0, y: 30.0, style: Style::Bold, size: 20.0, text: "Đạt".into(), rgb: INK },
            ],
        };
        let pm = render(&l, 400);
        assert_eq!((pm.width, pm.height), (400, 200));
        let px = |x: u32, y: u32| {
            let i = ((y * pm.width + x) * 3) as usize;
            [pm.data[i], pm.data[i + 1], pm.data[i + 2]]
        };
        assert_eq!(px(280, 100), SERIES[0]);
        assert_eq!(px(395, 5), [255; 3]);
        let dark = (0..160).flat_map(|x| (40..140).map(move |y| (x, y))).filter(|&(x, y)| px(x, y)[0] < 100).count();
        assert!(dark > 500, "{dark} dark pixels in the text's box");
        let png = png(&pm);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn the_sample_chart_has_its_bars_in_colour_and_its_text_in_ink_and_decodes_back() {
        use crate::review::{doc::Block, sample::sample_review, Format};
        let d = sample_review(Format::State);
        let Some(Block::Table(t)) = d.blocks.iter().find(|b| matches!(b, Block::Table(_))) else { panic!("a table") };
        let Some(Block::Chart(c)) = d.blocks.iter().find(|b| matches!(b, Block::Chart(_))) else { panic!("a chart") };
        let pm = render(&crate::review::chart::layout(c, t), 1600);
        let pixels: Vec<[u8; 3]> = pm.data.chunks(3).map(|p| [p[0], p[1], p[2]]).collect();
        let n = |f: &dyn Fn(&[u8; 3]) -> bool| pixels.iter().filter(|p| f(p)).count();
        assert!(n(&|p| *p == SERIES[0]) > 50_000, "blue bars");
        assert!(n(&|p| *p == SERIES[1]) > 50_000, "red bars");
        assert!(n(&|p| p.iter().all(|&v| v < 90)) > 2_000, "dark text");
        let png = png(&pm);
        let mut dec = png::Decoder::new(std::io::Cursor::new(png)).read_info().expect("a PNG");
        let mut buf = vec![0; dec.output_buffer_size().expect("size")];
        let info = dec.next_frame(&mut buf).expect("a frame");
        assert_eq!((info.width, info.height), (pm.width, pm.height));
        assert_eq!(&buf[..info.buffer_size()], &pm.data[..]);
    }
}
