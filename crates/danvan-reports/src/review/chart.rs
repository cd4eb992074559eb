//! A chart's geometry, computed once — filled rectangles, axis-aligned lines and text items at
//! their positions, in points from the chart's top-left corner — and drawn by two backends: PDF
//! vector operators (`review/pdf.rs`) and a raster for the PNG of the DOCX (`review/raster.rs`).
//! So the printed report and the editable one show the same chart.

use super::doc::Chart;
use super::{column_values, format_int, format_value, Cell, Col, TableSheet};
use crate::pdf::{text_width, wrap_plain, Style, MM};

/// The product's palette: blue, red, green, then greys for further series.
pub(crate) const SERIES: [[u8; 3]; 5] = [[0x0b, 0x5c, 0xad], [0xc8, 0x10, 0x2e], [0x2e, 0x7d, 0x32], [0x77; 3], [0xaa; 3]];
pub(crate) const GRID: [u8; 3] = [0xcc; 3];
pub(crate) const INK: [u8; 3] = [0x22; 3];

/// 16 × 9 cm: fits the 165 mm text column of an A4 page in Decree 30's margins.
pub(crate) const WIDTH: f32 = 160.0 * MM;
const HEIGHT: f32 = 90.0 * MM;
const PAD: f32 = 6.0;
const TICK: f32 = 8.5;
const CAT: f32 = 9.0;
const LEGEND: f32 = 9.0;
const VALUE: f32 = 7.5;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// A filled rectangle; (`x`, `y`) is its top-left corner.
    Rect { x: f32, y: f32, w: f32, h: f32, rgb: [u8; 3] },
    /// A horizontal or vertical line, `width` thick.
    Line { from: (f32, f32), to: (f32, f32), width: f32, rgb: [u8; 3] },
    /// One line of text, its baseline's left end at (`x`, `y`).
    Text { x: f32, y: f32, style: Style, size: f32, text: String, rgb: [u8; 3] },
}

impl Item {
    /// The box the item inks: (left, top, right, bottom).
    #[cfg(test)]
    pub(crate) fn bounds(&self) -> (f32, f32, f32, f32) {
        match self {
            Item::Rect { x, y, w, h, .. } => (*x, *y, x + w, y + h),
            Item::Line { from, to, width, .. } => (
                from.0.min(to.0) - width / 2.0,
                from.1.min(to.1) - width / 2.0,
                from.0.max(to.0) + width / 2.0,
                from.1.max(to.1) + width / 2.0,
            ),
            Item::Text { x, y, style, size, text, .. } => {
                (*x, y - 0.95 * size, x + text_width(*style, *size, text), y + 0.25 * size)
            }
        }
    }
}

/// A laid-out chart, `width` × `height` points.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

impl Layout {
    fn text(&mut self, (x, y): (f32, f32), size: f32, text: &str) {
        self.items.push(Item::Text { x, y, style: Style::Regular, size, text: text.to_string(), rgb: INK });
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32, rgb: [u8; 3]) {
        self.items.push(Item::Line { from, to, width, rgb });
    }
}

/// The series of a chart: its valid columns with their headings, colours and values.
struct Series {
    col: Col,
    name: String,
    rgb: [u8; 3],
    values: Vec<Option<f64>>,
}

/// The value axis: its maximum, step, and tick labels.
struct Axis {
    max: f64,
    ticks: Vec<(f64, String)>,
}

fn axis(series: &[Series], percent: bool) -> Axis {
    if percent {
        return Axis { max: 100.0, ticks: (0..=5).map(|i| (i as f64 * 20.0, (i * 20).to_string())).collect() };
    }
    let top = series.iter().flat_map(|s| s.values.iter().flatten()).fold(0.0f64, |a, &v| a.max(v));
    let whole = series.iter().all(|s| s.col == Col::Count);
    // A "nice" step (1, 2 or 5 × 10^k) giving about five intervals; counts step by whole numbers.
    let raw = (top.max(1.0)) / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw - 1e-9).unwrap_or(10.0 * mag);
    if whole {
        step = step.max(1.0).round();
    }
    let n = (top / step).ceil().max(1.0) as i64;
    let label = |v: f64| if step.fract() == 0.0 { format_int(v as i64) } else { super::format_dec(v, 1) };
    Axis { max: n as f64 * step, ticks: (0..=n).map(|i| (i as f64 * step, label(i as f64 * step))).collect() }
}

/// Wraps `text` to `max` points in at most `lines` lines, the last cut with "…" when it overflows.
fn clip_lines(text: &str, size: f32, max: f32, lines: usize) -> Vec<String> {
    let mut out = wrap_plain(Style::Regular, size, text, max);
    if out.len() > lines {
        out.truncate(lines);
        let last = out.last_mut().expect("at least one line");
        while !last.is_empty() && text_width(Style::Regular, size, &format!("{last}…")) > max {
            last.pop();
        }
        last.push('…');
    }
    out
}

/// The chart of `chart` over table `t`.
pub(crate) fn layout(chart: &Chart, t: &TableSheet) -> Layout {
    let series: Vec<Series> = chart
        .columns
        .iter()
        .filter(|&&c| c > 0 && c < t.cols.len() && t.cols[c] != Col::Label)
        .enumerate()
        .map(|(k, &c)| Series {
            col: t.cols[c],
            name: crate::pdf::nfc(t.headings.get(c).map_or("", String::as_str)),
            rgb: SERIES[k % SERIES.len()],
            values: column_values(t, c),
        })
        .collect();
    let percent = chart.percent || series.iter().any(|s| matches!(s.col, Col::Share { .. }));
    let ax = axis(&series, percent);
    let cats: Vec<String> =
        t.lines.iter().map(|l| if let Some(Cell::Text(s)) = l.first() { crate::pdf::nfc(s) } else { String::new() }).collect();
    let mut l = Layout { width: WIDTH, height: HEIGHT, items: Vec::new() };
    let top = legend(&mut l, &series);
    if chart.horizontal {
        bars_horizontal(&mut l, top, &series, &cats, &ax);
    } else {
        columns_vertical(&mut l, top, &series, &cats, &ax);
    }
    l
}

/// The legend, centred in rows across the top; returns the y under it.
fn legend(l: &mut Layout, series: &[Series]) -> f32 {
    let swatch = 8.0;
    let entry_w = |s: &Series| swatch + 4.0 + text_width(Style::Regular, LEGEND, &s.name);
    let mut rows: Vec<Vec<&Series>> = vec![vec![]];
    let mut w = 0.0;
    for s in series {
        let ew = entry_w(s) + 14.0;
        if w + ew > WIDTH - 2.0 * PAD && !rows.last().is_some_and(|r| r.is_empty()) {
            rows.push(vec![]);
            w = 0.0;
        }
        w += ew;
        rows.last_mut().expect("a row").push(s);
    }
    let mut y = PAD;
    for row in rows.iter().filter(|r| !r.is_empty()) {
        let total: f32 = row.iter().map(|s| entry_w(s)).sum::<f32>() + 14.0 * (row.len() - 1) as f32;
        let mut x = ((WIDTH - total) / 2.0).max(PAD);
        for s in row {
            l.items.push(Item::Rect { x, y: y + 1.0, w: swatch, h: swatch, rgb: s.rgb });
            l.text((x + swatch + 4.0, y + LEGEND * 0.9), LEGEND, &s.name);
            x += entry_w(s) + 14.0;
        }
        y += LEGEND * 1.2 + 4.0;
    }
    y + 6.0
}

fn value_label(s: &Series, v: f64) -> String {
    format_value(s.col, Some(v))
}

/// Columns: categories along the bottom, values up the left axis.
fn columns_vertical(l: &mut Layout, top: f32, series: &[Series], cats: &[String], ax: &Axis) {
    let tick_w = ax.ticks.iter().map(|(_, s)| text_width(Style::Regular, TICK, s)).fold(0.0, f32::max);
    let (x0, x1) = (PAD + tick_w + 6.0, WIDTH - PAD);
    let n = cats.len().max(1);
    let gw = (x1 - x0) / n as f32;
    let labels: Vec<Vec<String>> = cats.iter().map(|c| clip_lines(c, CAT, gw - 4.0, 3)).collect();
    let lines = labels.iter().map(Vec::len).max().unwrap_or(1) as f32;
    let y1 = l.height - PAD - lines * CAT * 1.2 - 4.0;
    let y0 = top + VALUE + 4.0;
    let ph = y1 - y0;
    let y_of = |v: f64| y1 - (v.clamp(0.0, ax.max) / ax.max) as f32 * ph;
    for (v, s) in &ax.ticks {
        let y = y_of(*v);
        if *v > 0.0 {
            l.line((x0, y), (x1, y), 0.5, GRID);
        }
        l.text((x0 - 4.0 - text_width(Style::Regular, TICK, s), y + TICK * 0.32), TICK, s);
    }
    let bw = gw * 0.7 / series.len().max(1) as f32;
    for (i, lab) in labels.iter().enumerate() {
        let gx = x0 + i as f32 * gw;
        for (k, s) in series.iter().enumerate() {
            let Some(v) = s.values.get(i).copied().flatten() else { continue };
            let x = gx + gw * 0.15 + k as f32 * bw;
            let y = y_of(v);
            let w = if bw > 4.0 { bw - 1.0 } else { bw };
            if y1 - y > 0.0 {
                l.items.push(Item::Rect { x, y, w, h: y1 - y, rgb: s.rgb });
            }
            let text = value_label(s, v);
            let tw = text_width(Style::Regular, VALUE, &text);
            if tw <= bw + 2.0 {
                l.text((x + w / 2.0 - tw / 2.0, y - 2.0), VALUE, &text);
            }
        }
        for (j, line) in lab.iter().enumerate() {
            let tw = text_width(Style::Regular, CAT, line);
            l.text((gx + (gw - tw) / 2.0, y1 + 4.0 + CAT * 0.9 + j as f32 * CAT * 1.2), CAT, line);
        }
    }
    l.line((x0, y1), (x1, y1), 0.8, INK);
    l.line((x0, y0 - 2.0), (x0, y1), 0.8, INK);
}

/// Bars: categories down the left (long labels fit), values along the bottom axis; the chart
/// grows taller with the number of categories.
fn bars_horizontal(l: &mut Layout, top: f32, series: &[Series], cats: &[String], ax: &Axis) {
    let widest = cats.iter().map(|c| text_width(Style::Regular, CAT, c)).fold(0.0, f32::max);
    let label_w = (widest + 2.0).min((WIDTH - 2.0 * PAD) * 0.35);
    let labels: Vec<Vec<String>> = cats.iter().map(|c| clip_lines(c, CAT, label_w, 2)).collect();
    let lines = labels.iter().map(Vec::len).max().unwrap_or(1) as f32;
    let n = cats.len().max(1) as f32;
    let tick_h = TICK * 1.2 + 6.0;
    let needed = top + n * (lines * CAT * 1.2 + 8.0).max(16.0) + tick_h + PAD;
    l.height = HEIGHT.max(needed);
    let gh = (l.height - top - tick_h - PAD) / n;
    let values_w = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().map(move |v| text_width(Style::Regular, VALUE, &value_label(s, *v))))
        .fold(0.0, f32::max);
    let last_tick_w = ax.ticks.last().map(|(_, s)| text_width(Style::Regular, TICK, s)).unwrap_or(0.0);
    let (x0, x1) = (PAD + label_w + 6.0, WIDTH - PAD - (values_w + 4.0).max(last_tick_w / 2.0));
    let (y0, y1) = (top, top + n * gh);
    let pw = x1 - x0;
    let x_of = |v: f64| x0 + (v.clamp(0.0, ax.max) / ax.max) as f32 * pw;
    for (v, s) in &ax.ticks {
        let x = x_of(*v);
        if *v > 0.0 {
            l.line((x, y0), (x, y1), 0.5, GRID);
        }
        let tw = text_width(Style::Regular, TICK, s);
        l.text((x - tw / 2.0, y1 + 4.0 + TICK * 0.9), TICK, s);
    }
    let bh = gh * 0.7 / series.len().max(1) as f32;
    for (i, lab) in labels.iter().enumerate() {
        let gy = y0 + i as f32 * gh;
        for (k, s) in series.iter().enumerate() {
            let Some(v) = s.values.get(i).copied().flatten() else { continue };
            let y = gy + gh * 0.15 + k as f32 * bh;
            let h = if bh > 4.0 { bh - 1.0 } else { bh };
            let x = x_of(v);
            if x > x0 {
                l.items.push(Item::Rect { x: x0, y, w: x - x0, h, rgb: s.rgb });
            }
            if h >= VALUE * 0.8 {
                l.text((x + 3.0, y + h / 2.0 + VALUE * 0.32), VALUE, &value_label(s, v));
            }
        }
        let th = lab.len() as f32 * CAT * 1.2;
        for (j, line) in lab.iter().enumerate() {
            let tw = text_width(Style::Regular, CAT, line);
            l.text((x0 - 6.0 - tw, gy + (gh - th) / 2.0 + CAT * 0.9 + j as f32 * CAT * 1.2), CAT, line);
        }
    }
    l.line((x0, y0), (x0, y1), 0.8, INK);
    l.line((x0, y1), (x1, y1), 0.8, INK);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::sample::sample_review;
    use crate::review::{Block, Format};

    fn charts() -> Vec<(Chart, TableSheet)> {
        let d = sample_review(Format::State);
        let tables: Vec<TableSheet> =
            d.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t.clone()) } else { None }).collect();
        d.blocks
            .iter()
            .filter_map(|b| if let Block::Chart(c) = b { Some((c.clone(), tables[c.table].clone())) } else { None })
            .collect()
    }

    fn in_bounds(l: &Layout) {
        for item in &l.items {
            let (x0, y0, x1, y1) = item.bounds();
            assert!(x0 >= 0.0 && y0 >= 0.0 && x1 <= l.width && y1 <= l.height, "{item:?} outside {} × {}", l.width, l.height);
        }
    }

    #[test]
    fn bars_scale_to_the_axis_maximum_and_nothing_leaves_the_image() {
        let all = charts();
        assert!(all.len() >= 2);
        for (chart, t) in &all {
            let l = layout(chart, t);
            in_bounds(&l);
            let bars: Vec<(f32, f32)> = l
                .items
                .iter()
                .filter_map(|i| if let Item::Rect { w, h, y, .. } = i { (*y > 30.0).then_some((*w, *h)) } else { None })
                .collect();
            assert!(!bars.is_empty());
            // The longest bar is the largest value: its length over the axis's length is
            // value / axis maximum.
            let series: Vec<usize> = chart.columns.clone();
            let top = series.iter().flat_map(|&c| column_values(t, c)).flatten().fold(0.0f64, f64::max);
            let percent = chart.percent || series.iter().any(|&c| matches!(t.cols[c], Col::Share { .. }));
            let max = if percent {
                100.0
            } else {
                axis(&[Series { col: Col::Count, name: String::new(), rgb: INK, values: vec![Some(top)] }], false).max
            };
            assert!(max >= top && max < top * 2.6 + 1.0, "axis {max} for {top}");
            let longest = bars.iter().map(|(w, h)| if chart.horizontal { *w } else { *h }).fold(0.0, f32::max);
            let axis_len = l
                .items
                .iter()
                .filter_map(|i| {
                    if let Item::Line { from, to, rgb: INK, .. } = i {
                        Some(if chart.horizontal { to.0 - from.0 } else { to.1 - from.1 })
                    } else {
                        None
                    }
                })
                .fold(0.0, f32::max);
            let expected = (top / max) as f32;
            let got = longest / axis_len;
            assert!((got - expected).abs() < 0.05, "bar {got} of the axis, value {expected} of the maximum");
        }
    }

    #[test]
    fn a_percent_axis_runs_to_100_and_long_labels_are_cut() {
        let (mut chart, mut t) = charts().remove(0);
        chart.percent = true;
        t.lines[0][0] = Cell::Text("Một nhãn rất dài ".repeat(20));
        let l = layout(&chart, &t);
        in_bounds(&l);
        let ticks: Vec<&str> = l
            .items
            .iter()
            .filter_map(|i| if let Item::Text { text, size, .. } = i { (*size == TICK).then_some(text.as_str()) } else { None })
            .collect();
        assert_eq!(ticks.last(), Some(&"100"));
        assert!(l.items.iter().any(|i| matches!(i, Item::Text { text, .. } if text.ends_with('…'))));
        let empty = TableSheet { lines: vec![], ..t };
        in_bounds(&layout(&chart, &empty));
    }
}
