//! Flowing text down portrait A4 pages in the margins of Decree 30/2020 (top and bottom 20 mm,
//! left 30 mm, right 15 mm), with page numbers from page 2, and a ruled table that repeats its
//! header row on each page.

use crate::pdf::{run, text_width, wrap, Canvas, Line, Run, Style, A4_H, A4_W, MM};

pub(crate) const LEFT: f32 = 30.0 * MM;
pub(crate) const RIGHT: f32 = A4_W - 15.0 * MM;
pub(crate) const TOP: f32 = 20.0 * MM;
pub(crate) const BOTTOM: f32 = A4_H - 20.0 * MM;
pub(crate) const WIDTH: f32 = RIGHT - LEFT;
/// Line height as a multiple of the font size (single spacing of Times New Roman in Word).
pub(crate) const LEADING: f32 = 1.2;
/// Baseline below the top of a line, as a multiple of the font size (Liberation's ascent).
pub(crate) const ASCENT: f32 = 0.9;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Justify,
}

/// Draws wrapped `lines` in the column (`x`, `width`) from `y` (top of the first line);
/// returns the y under the last line. The last line of a justified paragraph is left-aligned.
pub(crate) fn draw_lines(
    c: &mut Canvas,
    (x, width): (f32, f32),
    y: f32,
    lines: &[Line],
    size: f32,
    align: Align,
    indent: f32,
) -> f32 {
    let mut y = y;
    for (i, l) in lines.iter().enumerate() {
        let base = y + size * ASCENT;
        let lx = if i == 0 { x + indent } else { x };
        let lw = if i == 0 { width - indent } else { width };
        match align {
            Align::Left => c.line_of_text(lx, base, size, l, None),
            Align::Center => {
                let w = l.width(size);
                c.line_of_text(x + (width - w) / 2.0, base, size, l, None)
            }
            Align::Justify => {
                let last = i + 1 == lines.len();
                c.line_of_text(lx, base, size, l, if last { None } else { Some(lw) })
            }
        }
        y += size * LEADING;
    }
    y
}

/// Text in one face, wrapped and centred in a column; returns the y under it and the width of its
/// widest line.
pub(crate) fn centered_block(c: &mut Canvas, cx: f32, width: f32, y: f32, style: Style, size: f32, text: &str) -> (f32, f32) {
    let lines = wrap(&[run(style, text)], size, width, 0.0);
    let widest = lines.iter().map(|l| l.width(size)).fold(0.0, f32::max);
    let y2 = draw_lines(c, (cx - width / 2.0, width), y, &lines, size, Align::Center, 0.0);
    (y2, widest)
}

/// A document flowing down portrait A4 pages.
pub(crate) struct Flow {
    pub c: Canvas,
    pub y: f32,
    page_no: usize,
}

impl Flow {
    pub(crate) fn new(title: &str) -> Self {
        let mut c = Canvas::new(title);
        c.add_page(A4_W, A4_H);
        Flow { c, y: TOP, page_no: 1 }
    }

    /// A new page; from page 2 its number is centred in the top margin (13 pt).
    pub(crate) fn new_page(&mut self) {
        self.c.add_page(A4_W, A4_H);
        self.page_no += 1;
        self.c.text_centered((LEFT + RIGHT) / 2.0, 12.0 * MM, Style::Regular, 13.0, &self.page_no.to_string());
        self.y = TOP;
    }

    /// Makes room for `h` points, on a new page if this one has less.
    pub(crate) fn ensure(&mut self, h: f32) {
        if self.y + h > BOTTOM {
            self.new_page();
        }
    }

    /// A paragraph over the full text width, broken across pages line by line.
    pub(crate) fn paragraph(&mut self, runs: &[Run], size: f32, align: Align, indent: f32, space_after: f32) {
        let lines = wrap(runs, size, WIDTH, indent);
        for (i, l) in lines.iter().enumerate() {
            self.ensure(size * LEADING);
            let one = std::slice::from_ref(l);
            let last = i + 1 == lines.len();
            let (al, ind) = match align {
                Align::Justify if last => (Align::Left, if i == 0 { indent } else { 0.0 }),
                Align::Justify => (Align::Justify, if i == 0 { indent } else { 0.0 }),
                other => (other, if i == 0 { indent } else { 0.0 }),
            };
            self.y = draw_lines(&mut self.c, (LEFT, WIDTH), self.y, one, size, al, ind);
        }
        self.y += space_after;
    }

    /// A short centred rule under the text just drawn, `len` points long.
    pub(crate) fn rule(&mut self, cx: f32, len: f32) {
        let y = self.y + 3.0;
        self.c.line(cx - len / 2.0, y, cx + len / 2.0, y, 0.6);
    }
}

/// A cell of a table row.
pub(crate) struct Cell {
    pub runs: Vec<Run>,
    pub align: Align,
    /// Right-aligned (amounts).
    pub right: bool,
}

pub(crate) fn cell(style: Style, text: &str, align: Align) -> Cell {
    Cell { runs: vec![run(style, text)], align, right: false }
}

pub(crate) struct Table {
    pub widths: Vec<f32>,
    pub header: Vec<Cell>,
    pub size: f32,
}

const PAD: f32 = 1.5 * MM;

impl Table {
    fn row_lines(&self, cells: &[Cell], spans: &[usize]) -> (Vec<Vec<Line>>, f32) {
        let mut col = 0;
        let mut out = Vec::new();
        let mut h: f32 = 0.0;
        for (cell, span) in cells.iter().zip(spans) {
            let w: f32 = self.widths[col..col + span].iter().sum::<f32>() - 2.0 * PAD;
            let lines = wrap(&cell.runs, self.size, w, 0.0);
            h = h.max(lines.len() as f32 * self.size * LEADING);
            out.push(lines);
            col += span;
        }
        (out, h + 2.0 * PAD)
    }

    fn draw_row(&self, f: &mut Flow, cells: &[Cell], spans: &[usize]) {
        let (lines, h) = self.row_lines(cells, spans);
        let mut x = LEFT;
        let mut col = 0;
        let total: f32 = self.widths.iter().sum();
        f.c.rect(LEFT, f.y, total, h, 0.5);
        for ((cell, span), ls) in cells.iter().zip(spans).zip(&lines) {
            let w: f32 = self.widths[col..col + span].iter().sum();
            if col > 0 {
                f.c.line(x, f.y, x, f.y + h, 0.5);
            }
            let inner = w - 2.0 * PAD;
            if cell.right {
                let mut y = f.y + PAD;
                for l in ls {
                    let lw = l.width(self.size);
                    f.c.line_of_text(x + PAD + inner - lw, y + self.size * ASCENT, self.size, l, None);
                    y += self.size * LEADING;
                }
            } else {
                draw_lines(&mut f.c, (x + PAD, inner), f.y + PAD, ls, self.size, cell.align, 0.0);
            }
            x += w;
            col += span;
        }
        f.y += h;
    }

    /// Draws the header row (now and at the top of each following page) and then `rows`, each a
    /// list of cells with their column spans.
    pub(crate) fn draw(&self, f: &mut Flow, rows: &[(Vec<Cell>, Vec<usize>)]) {
        let ones = vec![1; self.widths.len()];
        let (_, hh) = self.row_lines(&self.header, &ones);
        f.ensure(hh + 3.0 * self.size * LEADING);
        self.draw_row(f, &self.header, &ones);
        let heights: Vec<f32> = rows.iter().map(|(c, s)| self.row_lines(c, s).1).collect();
        // A section heading keeps with its first line, and the last line with the total: the
        // room a row needs is its own height plus, when it keeps, what the next row needs.
        let mut need = heights.clone();
        for i in (0..rows.len().saturating_sub(1)).rev() {
            if rows[i].1.len() == 1 || i + 2 == rows.len() {
                need[i] += need[i + 1];
            }
        }
        for (i, (cells, spans)) in rows.iter().enumerate() {
            let h = need[i].min(BOTTOM - TOP - heights[0]);
            if f.y + h > BOTTOM {
                f.new_page();
                self.draw_row(f, &self.header, &ones);
            }
            self.draw_row(f, cells, spans);
        }
    }
}

/// Width of a one-line text (for rules under headings).
pub(crate) fn width_of(style: Style, size: f32, text: &str) -> f32 {
    text_width(style, size, &crate::pdf::nfc(text))
}
