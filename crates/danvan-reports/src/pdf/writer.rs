//! The page canvas and the PDF file: coordinates in points from the page's top-left corner, text
//! as Identity-H glyph codes of the subsetted fonts (codes are the subset's glyph ids), each font
//! with its widths and a ToUnicode map.

use super::{advance_milli, face, glyph, text_width, Line, Style, FONT_DATA};
use flate2::{write::ZlibEncoder, Compression};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::BTreeMap;
use std::io::Write;
use subsetter::GlyphRemapper;

const FONT_NAMES: [&[u8]; 4] = [b"F0", b"F1", b"F2", b"F3"];

struct Page {
    width: f32,
    height: f32,
    content: Content,
}

/// A document being drawn: pages, and the glyphs used in each face.
pub(crate) struct Canvas {
    pages: Vec<Page>,
    remap: [GlyphRemapper; 4],
    /// Subset glyph id → (character, advance in 1/1000 em), per face.
    used: [BTreeMap<u16, (char, f32)>; 4],
    title: String,
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::new(6));
    e.write_all(data).expect("writing to a Vec does not fail");
    e.finish().expect("writing to a Vec does not fail")
}

impl Canvas {
    pub(crate) fn new(title: &str) -> Self {
        Canvas {
            pages: Vec::new(),
            remap: std::array::from_fn(|_| GlyphRemapper::new()),
            used: std::array::from_fn(|_| BTreeMap::new()),
            title: super::nfc(title),
        }
    }

    /// Starts a new page of `width` × `height` points; drawing goes to it from now on.
    pub(crate) fn add_page(&mut self, width: f32, height: f32) {
        self.pages.push(Page { width, height, content: Content::new() });
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.add_page(super::A4_W, super::A4_H);
        }
        self.pages.last_mut().expect("a page")
    }

    fn encode(&mut self, style: Style, text: &str) -> Vec<u8> {
        let i = style.index();
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (old, shown) = glyph(style, c);
            let new = self.remap[i].remap(old);
            self.used[i].entry(new).or_insert_with(|| (shown, advance_milli(style, old)));
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }

    /// `text` with its baseline's left end at (`x`, `y`), from the top-left corner.
    pub(crate) fn text(&mut self, x: f32, y: f32, style: Style, size: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        let bytes = self.encode(style, text);
        let page = self.page();
        let py = page.height - y;
        page.content.begin_text().set_font(Name(FONT_NAMES[style.index()]), size).next_line(x, py).show(Str(&bytes)).end_text();
    }

    /// `text` centred on `cx`.
    pub(crate) fn text_centered(&mut self, cx: f32, y: f32, style: Style, size: f32, text: &str) {
        let w = text_width(style, size, text);
        self.text(cx - w / 2.0, y, style, size, text);
    }

    /// A wrapped line from `x`; `justify_to` stretches its spaces to that width.
    pub(crate) fn line_of_text(&mut self, x: f32, y: f32, size: f32, line: &Line, justify_to: Option<f32>) {
        let natural = line.width(size);
        let gaps = line.gaps();
        let extra = match justify_to {
            Some(w) if gaps > 0 && w > natural => (w - natural) / gaps as f32,
            _ => 0.0,
        };
        let mut cx = x;
        let n = line.pieces.len();
        for (i, p) in line.pieces.iter().enumerate() {
            let last = i + 1 == n;
            let shown = if p.space_after && !last { format!("{} ", p.text) } else { p.text.clone() };
            self.text(cx, y, p.style, size, &shown);
            cx += text_width(p.style, size, &shown);
            if p.space_after && !last {
                cx += extra;
            }
        }
    }

    /// A straight line, `width` points thick.
    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        let page = self.page();
        let h = page.height;
        page.content.set_line_width(width).move_to(x1, h - y1).line_to(x2, h - y2).stroke();
    }

    /// A rectangle's outline; (`x`, `y`) is its top-left corner.
    pub(crate) fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32) {
        let page = self.page();
        let ph = page.height;
        page.content.set_line_width(width).rect(x, ph - y - h, w, h).stroke();
    }

    /// A filled rectangle in colour `rgb` (chart bars, legend swatches); (`x`, `y`) is its top-left
    /// corner. The colour is set and reset around it, so the text and rules stay black.
    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, rgb: [u8; 3]) {
        let [r, g, b] = rgb.map(|v| f32::from(v) / 255.0);
        let page = self.page();
        let ph = page.height;
        page.content.save_state().set_fill_rgb(r, g, b).rect(x, ph - y - h, w, h).fill_nonzero().restore_state();
    }

    /// A straight line in colour `rgb` (chart axes and gridlines).
    pub(crate) fn line_rgb(&mut self, (x1, y1): (f32, f32), (x2, y2): (f32, f32), width: f32, rgb: [u8; 3]) {
        let [r, g, b] = rgb.map(|v| f32::from(v) / 255.0);
        let page = self.page();
        let h = page.height;
        page.content.save_state().set_stroke_rgb(r, g, b);
        page.content.set_line_width(width).move_to(x1, h - y1).line_to(x2, h - y2).stroke().restore_state();
    }

    /// `text` in colour `rgb`, its baseline's left end at (`x`, `y`).
    pub(crate) fn text_rgb(&mut self, (x, y): (f32, f32), style: Style, size: f32, text: &str, rgb: [u8; 3]) {
        let [r, g, b] = rgb.map(|v| f32::from(v) / 255.0);
        self.page().content.save_state().set_fill_rgb(r, g, b);
        self.text(x, y, style, size, text);
        self.page().content.restore_state();
    }

    /// The finished PDF file.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        if self.pages.is_empty() {
            self.add_page(super::A4_W, super::A4_H);
        }
        let mut alloc = Ref::new(1);
        let catalog_id = alloc.bump();
        let tree_id = alloc.bump();
        let info_id = alloc.bump();
        let mut pdf = Pdf::new();
        let mut font_ids: [Option<Ref>; 4] = [None; 4];
        for style in Style::ALL {
            let i = style.index();
            if self.used[i].is_empty() {
                continue;
            }
            let type0 = alloc.bump();
            font_ids[i] = Some(type0);
            self.write_font(&mut pdf, &mut alloc, style, type0);
        }
        let page_ids: Vec<Ref> = self.pages.iter().map(|_| alloc.bump()).collect();
        pdf.catalog(catalog_id).pages(tree_id);
        pdf.pages(tree_id).kids(page_ids.iter().copied()).count(page_ids.len() as i32);
        for (page, id) in std::mem::take(&mut self.pages).into_iter().zip(&page_ids) {
            let content_id = alloc.bump();
            let mut p = pdf.page(*id);
            p.parent(tree_id).media_box(Rect::new(0.0, 0.0, page.width, page.height)).contents(content_id);
            let mut res = p.resources();
            let mut fonts = res.fonts();
            for (i, f) in font_ids.iter().enumerate() {
                if let Some(f) = f {
                    fonts.pair(Name(FONT_NAMES[i]), *f);
                }
            }
            fonts.finish();
            res.finish();
            p.finish();
            let data = deflate(&page.content.finish());
            pdf.stream(content_id, &data).filter(Filter::FlateDecode);
        }
        pdf.document_info(info_id).title(TextStr(&self.title)).producer(TextStr("danvan"));
        pdf.finish()
    }

    fn write_font(&self, pdf: &mut Pdf, alloc: &mut Ref, style: Style, type0: Ref) {
        let i = style.index();
        let cid_id = alloc.bump();
        let desc_id = alloc.bump();
        let file_id = alloc.bump();
        let cmap_id = alloc.bump();
        // A subset tag from the glyphs used (six capitals, as PDF names subsets).
        let mut h: u32 = 2166136261;
        for g in self.used[i].keys() {
            h = (h ^ u32::from(*g)).wrapping_mul(16777619);
        }
        let tag: String = (0..6).map(|k| char::from(b'A' + ((h >> (k * 5)) % 26) as u8)).collect();
        let base = format!("{tag}+{}", style.postscript_name());
        let system = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
        pdf.type0_font(type0)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_id)
            .to_unicode(cmap_id);
        let mut cid = pdf.cid_font(cid_id);
        cid.subtype(CidFontType::Type2)
            .base_font(Name(base.as_bytes()))
            .system_info(system)
            .font_descriptor(desc_id)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        {
            let mut w = cid.widths();
            for (g, (_, adv)) in &self.used[i] {
                w.consecutive(*g, [*adv]);
            }
        }
        cid.finish();
        let f = face(style);
        let s = 1000.0 / f.units_per_em() as f32;
        let bb = f.global_bounding_box();
        let mut flags = FontFlags::SERIF | FontFlags::NON_SYMBOLIC;
        if matches!(style, Style::Italic | Style::BoldItalic) {
            flags |= FontFlags::ITALIC;
        }
        pdf.font_descriptor(desc_id)
            .name(Name(base.as_bytes()))
            .flags(flags)
            .bbox(Rect::new(bb.x_min as f32 * s, bb.y_min as f32 * s, bb.x_max as f32 * s, bb.y_max as f32 * s))
            .italic_angle(f.italic_angle())
            .ascent(f.ascender() as f32 * s)
            .descent(f.descender() as f32 * s)
            .cap_height(f.capital_height().unwrap_or(f.ascender()) as f32 * s)
            .stem_v(if matches!(style, Style::Bold | Style::BoldItalic) { 140.0 } else { 80.0 })
            .font_file2(file_id);
        let subset = subsetter::subset(FONT_DATA[i], 0, &self.remap[i]).unwrap_or_else(|_| FONT_DATA[i].to_vec());
        let data = deflate(&subset);
        pdf.stream(file_id, &data).filter(Filter::FlateDecode).pair(Name(b"Length1"), subset.len() as i32);
        let mut cmap = UnicodeCmap::new(Name(b"Custom"), system);
        for (g, (c, _)) in &self.used[i] {
            cmap.pair(*g, *c);
        }
        let cmap_data = cmap.finish();
        pdf.cmap(cmap_id, &cmap_data);
    }
}
