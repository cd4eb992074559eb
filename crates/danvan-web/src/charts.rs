//! Charts drawn on the server as SVG: no script, no CDN, readable with JavaScript off and printed
//! as drawn. Each is an image named by its title (`role="img"`); the page puts the same numbers
//! in a table beside it for screen readers and for copying. Colours are the product's: grey for
//! what came in, red for what was answered, yellow (dark-edged) for a share.

use crate::html::esc;
use crate::i18n::{self, Lang};
use std::fmt::Write;

/// One bar group of the time chart: a month or a year.
pub struct ChartMonth {
    pub label: String,
    pub received: i64,
    pub answered: i64,
    pub on_time_pct: Option<i64>,
}

const W: i64 = 720;
const H: i64 = 300;
const LEFT: i64 = 48;
const RIGHT: i64 = 48;
const TOP: i64 = 16;
const BOTTOM: i64 = 40;

/// A round top for the count axis: 1, 2, 5 × 10ⁿ at or above `max`.
pub fn nice_max(max: i64) -> i64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max.max(1) {
                return m * step;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// The time chart: grey bars received, red bars answered, a yellow line (dark-edged points) of
/// the share answered on time on the right-hand axis. At most about twelve labels are written
/// under the bars, evenly spaced, so a long series stays legible.
pub fn month_chart(lang: Lang, id: &str, title: &str, months: &[ChartMonth]) -> String {
    let n = months.len().max(1) as i64;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let top = nice_max(months.iter().map(|m| m.received.max(m.answered)).max().unwrap_or(0));
    let slot = (plot_w / n).max(2);
    let bar = ((slot - 6).max(2) / 2).max(1);
    let every = (n + 11) / 12;
    let y_of = |v: i64| TOP + plot_h - v * plot_h / top;
    let y_pct = |p: i64| TOP + plot_h - p * plot_h / 100;
    let mut s = format!(
        r#"<svg class="figures-chart" id="{id}" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-labelledby="{id}-title" focusable="false"><title id="{id}-title">{}</title>"#,
        esc(title)
    );
    for i in 0..=4 {
        let v = top * i / 4;
        let y = y_of(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{y}" x2="{}" y2="{y}" stroke="#d0d0d0" stroke-width="1"/><text x="{}" y="{}" font-size="12" text-anchor="end" fill="#595959">{}</text><text x="{}" y="{}" font-size="12" fill="#595959">{}%</text>"##,
            W - RIGHT,
            LEFT - 6,
            y + 4,
            i18n::number(lang, v),
            W - RIGHT + 6,
            y + 4,
            i * 25
        );
    }
    let mut points = vec![];
    let base = TOP + plot_h;
    for (i, m) in months.iter().enumerate() {
        let x = LEFT + i as i64 * slot + 3;
        let (yr, ya) = (y_of(m.received), y_of(m.answered));
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{yr}" width="{bar}" height="{}" fill="#9e9e9e"/><rect x="{}" y="{ya}" width="{bar}" height="{}" fill="#b71c1c"/>"##,
            base - yr,
            x + bar,
            base - ya
        );
        if i as i64 % every == 0 {
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#1f1f1f">{}</text>"##,
                x + bar,
                base + 16,
                esc(&m.label)
            );
        }
        if let Some(p) = m.on_time_pct {
            points.push((x + bar, y_pct(p.clamp(0, 100))));
        }
    }
    if points.len() > 1 {
        let path: Vec<String> = points.iter().map(|(x, y)| format!("{x},{y}")).collect();
        let _ = write!(s, r##"<polyline points="{}" fill="none" stroke="#f9a825" stroke-width="3"/>"##, path.join(" "));
    }
    for (x, y) in &points {
        let _ = write!(s, r##"<circle cx="{x}" cy="{y}" r="4" fill="#f9a825" stroke="#5d4300" stroke-width="1.5"/>"##);
    }
    s.push_str("</svg>");
    s
}

/// A horizontal bar per line, for shares from 0 to 100 (a ranking): the label on the left, the
/// share written at the bar's end; lines without a share show "—".
pub fn share_bars(lang: Lang, id: &str, title: &str, lines: &[(String, Option<f64>)]) -> String {
    const ROW: i64 = 26;
    const LABEL: i64 = 260;
    let h = TOP + ROW * lines.len().max(1) as i64 + 8;
    let plot_w = W - LABEL - 60;
    let mut s = format!(
        r#"<svg class="figures-chart" id="{id}" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-labelledby="{id}-title" focusable="false"><title id="{id}-title">{}</title>"#,
        esc(title)
    );
    for (i, (label, share)) in lines.iter().enumerate() {
        let y = TOP + i as i64 * ROW;
        let short: String = label.chars().take(36).collect();
        let short = if short.len() < label.len() { format!("{short}…") } else { short };
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#1f1f1f">{}</text>"##,
            LABEL - 8,
            y + 15,
            esc(&short)
        );
        match share {
            Some(v) => {
                let w = ((v.clamp(0.0, 100.0) / 100.0) * plot_w as f64).round() as i64;
                let _ = write!(
                    s,
                    r##"<rect x="{LABEL}" y="{}" width="{}" height="18" fill="#b71c1c"/><text x="{}" y="{}" font-size="12" fill="#1f1f1f">{}%</text>"##,
                    y + 2,
                    w.max(1),
                    LABEL + w + 6,
                    y + 15,
                    i18n::decimal1(lang, *v)
                );
            }
            None => {
                let _ = write!(s, r##"<text x="{}" y="{}" font-size="12" fill="#595959">—</text>"##, LABEL + 6, y + 15);
            }
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_read_well() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(12), 20);
        assert_eq!(nice_max(180), 200);
        assert_eq!(nice_max(500), 500);
        assert_eq!(nice_max(9_000_001), 10_000_000);
    }

    #[test]
    fn a_long_series_writes_about_twelve_labels_and_escapes_them() {
        let months: Vec<ChartMonth> = (0..120)
            .map(|i| ChartMonth { label: format!("<{i}>"), received: i, answered: i / 2, on_time_pct: Some(150) })
            .collect();
        let svg = month_chart(Lang::Vi, "c", "Tiêu đề & \"x\"", &months);
        assert_eq!(svg.matches("text-anchor=\"middle\"").count(), 12);
        assert!(svg.contains("&lt;0&gt;") && !svg.contains("<0>"));
        assert!(svg.contains("Tiêu đề &amp;"));
        // A share over 100 is drawn at the top, never outside the plot.
        assert!(svg.contains(&format!(",{TOP} ")) || svg.contains(&format!(",{TOP}\"")));
        let bars = share_bars(Lang::En, "r", "Ranking", &[("Phường A".into(), Some(75.0)), ("B".into(), None)]);
        assert!(bars.contains("75.0%") && bars.contains("—"));
    }
}
