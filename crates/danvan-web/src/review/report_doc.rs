//! A generated review report as the document `danvan_reports::review` lays out: in Vietnamese
//! (the language of the document, whatever the reader's), the issuing body's header in the format
//! its kind takes, the drafting officer's narrative in its parts, and between them the figures of
//! the run as tables and charts — the same numbers in PDF, DOCX and XLSX.

use crate::i18n::{t, Lang};
use danvan_app::review::{Figures, ReportDocument};
use danvan_domain::indicators::{CaseCounts, Indicator, Measure, YearMonth, CATALOGUE};
use danvan_domain::review::{header, place_date, DocFormat, Placement, Section};
use danvan_domain::UnitKind;
use danvan_reports::review::doc::{Block, Chart, Format, ReviewDoc, Signature};
use danvan_reports::review::{Cell, Col, TableSheet};

const VI: Lang = Lang::Vi;

fn counts_cols(extra: &[Col]) -> Vec<Col> {
    let mut c = vec![Col::Label, Col::Count, Col::Count, Col::Count, Col::Share { part: 3, whole: 2 }];
    c.extend_from_slice(extra);
    c
}

fn counts_heads(first: &str) -> Vec<String> {
    vec![first.to_string(), "Tiếp nhận".into(), "Đã trả lời".into(), "Trả lời đúng hạn".into(), "Tỷ lệ đúng hạn (%)".into()]
}

fn counts_cells(label: String, c: &CaseCounts) -> Vec<Cell> {
    vec![Cell::Text(label), Cell::Int(c.received), Cell::Int(c.answered), Cell::Int(c.on_time), Cell::Num(None)]
}

fn figures_cells(label: String, f: &Figures) -> Vec<Cell> {
    let cf = f.case_figures();
    let mut cells = counts_cells(label, &f.counts);
    cells.push(Cell::Num(cf.value(Indicator::MedianAnswerDays)));
    cells.push(Cell::Num(cf.value(Indicator::Satisfaction)));
    cells
}

fn table(
    name: &str,
    caption: String,
    headings: Vec<String>,
    cols: Vec<Col>,
    lines: Vec<Vec<Cell>>,
    total: Option<Vec<Cell>>,
) -> Block {
    Block::Table(TableSheet {
        name: name.into(),
        title: vec![caption],
        headings,
        cols,
        lines,
        total: total.map(|v| ("Tổng cộng".to_string(), v)),
    })
}

/// "87,5" — Vietnamese writes decimals with a comma.
fn dec1(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}").replace('.', ",")).unwrap_or_else(|| "—".into())
}

fn num(n: i64) -> String {
    crate::i18n::number(VI, n)
}

fn month_vi(ym: YearMonth) -> String {
    format!("{:02}/{}", ym.month, ym.year)
}

/// The narrative's part, or the blank the drafting officer still has to fill.
fn narrative(blocks: &mut Vec<Block>, d: &ReportDocument, s: Section) {
    match d.content.sections.get(&s) {
        Some(text) => blocks.push(Block::Text(text.clone())),
        None => blocks.push(Block::Placeholder("(Nội dung do đơn vị soạn thảo bổ sung.)".into())),
    }
}

/// The figures' summary in one paragraph, written from the numbers.
fn summary(d: &ReportDocument) -> String {
    let f = d.figures.total.case_figures();
    let range = d.content.range();
    let mut s = format!(
        "Từ tháng {} đến tháng {}, các cơ quan, đơn vị thuộc {} đã tiếp nhận {} phản ánh, kiến nghị, khiếu nại, tố cáo của nhân dân; \
         đã trả lời {} vụ việc, trong đó {} vụ việc trả lời đúng hạn (đạt {}% số đã trả lời).",
        month_vi(range.from),
        month_vi(range.to),
        d.figures.unit_name,
        num(f.counts.received),
        num(f.counts.answered),
        num(f.counts.on_time),
        dec1(f.value(Indicator::AnsweredOnTimeShare)),
    );
    if let Some(m) = f.value(Indicator::MedianAnswerDays) {
        s.push_str(&format!(" Thời gian trả lời trung vị là {} ngày làm việc.", dec1(Some(m))));
    }
    if let Some(v) = f.value(Indicator::Satisfaction) {
        s.push_str(&format!(" Mức hài lòng bình quân của người dân đạt {}/5 điểm.", dec1(Some(v))));
    }
    let prev = d.figures.previous.case_figures();
    if prev.counts.received > 0 {
        s.push_str(&format!(" Cùng kỳ trước đó tiếp nhận {} vụ việc.", num(prev.counts.received)));
    }
    s
}

fn pair(p: &Option<(String, UnitKind)>) -> Option<(&str, UnitKind)> {
    p.as_ref().map(|(n, k)| (n.as_str(), *k))
}

/// The whole document of a finished run.
pub fn review_doc(d: &ReportDocument) -> ReviewDoc {
    let fig = &d.figures;
    let at = Placement {
        unit: (&fig.unit_name, fig.unit_kind),
        parent: pair(&fig.parent),
        territory: pair(&fig.territory),
        above_territory: pair(&fig.above_territory),
    };
    let h = header(d.content.issuer, at);
    let mut blocks = vec![];
    let roman = ["I", "II", "III", "IV", "V"];
    blocks.push(Block::Heading(format!("{}. {}", roman[0], Section::Situation.heading_vi())));
    narrative(&mut blocks, d, Section::Situation);
    blocks.push(Block::Heading(format!("{}. {}", roman[1], Section::Results.heading_vi())));
    blocks.push(Block::Subheading("1. Tiếp nhận và giải quyết phản ánh, kiến nghị của nhân dân".into()));
    blocks.push(Block::Text(summary(d)));
    let total = fig.total.case_figures();
    let previous = fig.previous.case_figures();
    blocks.push(table(
        "Chỉ tiêu",
        "Bảng 1. Các chỉ tiêu chủ yếu".into(),
        vec!["Chỉ tiêu".into(), "Kỳ báo cáo".into(), "Kỳ trước".into()],
        vec![Col::Label, Col::Value { decimals: 1 }, Col::Value { decimals: 1 }],
        CATALOGUE
            .iter()
            .filter(|def| def.key != Indicator::OverdueNow || total.overdue_now.is_some())
            .map(|def| {
                // Counts print as whole numbers, the rest with their decimal.
                let v = |f: &danvan_domain::indicators::CaseFigures| match (def.unit, f.value(def.key)) {
                    (Measure::Count, Some(x)) => Cell::Int(x.round() as i64),
                    (_, x) => Cell::Num(x),
                };
                vec![Cell::Text(def.name_vi.to_string()), v(&total), v(&previous)]
            })
            .collect(),
        None,
    ));
    let mut heads = counts_heads("Năm");
    heads.extend(["Trung vị ngày làm việc".to_string(), "Hài lòng (1–5)".to_string()]);
    let extra = [Col::Value { decimals: 1 }, Col::Value { decimals: 2 }];
    let totals = vec![Cell::Num(total.value(Indicator::MedianAnswerDays)), Cell::Num(total.value(Indicator::Satisfaction))];
    blocks.push(table(
        "Theo năm",
        "Bảng 2. Kết quả tiếp nhận, trả lời theo năm".into(),
        heads.clone(),
        counts_cols(&extra),
        fig.years.iter().map(|(y, f)| figures_cells(y.to_string(), f)).collect(),
        Some(totals.clone()),
    ));
    blocks.push(Block::Chart(Chart {
        title: "Biểu đồ 1. Số vụ việc tiếp nhận và đã trả lời theo năm".into(),
        table: 1,
        columns: vec![1, 2],
        horizontal: false,
        percent: false,
    }));
    heads[0] = "Đơn vị".into();
    blocks.push(table(
        "Theo đơn vị",
        "Bảng 3. Kết quả theo đơn vị".into(),
        heads,
        counts_cols(&extra),
        fig.sub_units
            .iter()
            .map(|s| {
                let name = if s.own { format!("{} (trực tiếp)", s.name) } else { s.name.clone() };
                figures_cells(name, &s.figures)
            })
            .collect(),
        Some(totals),
    ));
    blocks.push(Block::Chart(Chart {
        title: "Biểu đồ 2. Tỷ lệ trả lời đúng hạn theo đơn vị (%)".into(),
        table: 2,
        columns: vec![4],
        horizontal: true,
        percent: true,
    }));
    let years: Vec<i32> = fig.years.iter().map(|(y, _)| *y).collect();
    let mut yh = vec!["Đơn vị".to_string()];
    yh.extend(years.iter().map(|y| format!("Năm {y}")));
    blocks.push(table(
        "Đơn vị theo năm",
        "Bảng 4. Số vụ việc tiếp nhận theo đơn vị và năm".into(),
        yh,
        std::iter::once(Col::Label).chain(years.iter().map(|_| Col::Count)).collect(),
        fig.sub_units
            .iter()
            .map(|s| {
                let name = if s.own { format!("{} (trực tiếp)", s.name) } else { s.name.clone() };
                let mut cells = vec![Cell::Text(name)];
                for y in &years {
                    cells.push(Cell::Int(s.by_year.iter().find(|(yy, _)| yy == y).map(|(_, c)| c.received).unwrap_or(0)));
                }
                cells
            })
            .collect(),
        Some(vec![]),
    ));
    let label = |k: &str, key: &'static str| if key == "common.unknown" { k.to_string() } else { t(VI, key) };
    blocks.push(table(
        "Theo loại",
        "Bảng 5. Theo loại vụ việc".into(),
        counts_heads("Loại vụ việc"),
        counts_cols(&[]),
        fig.by_kind.iter().map(|(k, c)| counts_cells(label(k, crate::labels::case_kind(k)), c)).collect(),
        Some(vec![]),
    ));
    blocks.push(table(
        "Theo kênh",
        "Bảng 6. Theo kênh tiếp nhận".into(),
        counts_heads("Kênh tiếp nhận"),
        counts_cols(&[]),
        fig.by_channel.iter().map(|(k, c)| counts_cells(label(k, crate::labels::channel(k)), c)).collect(),
        Some(vec![]),
    ));
    blocks.push(table(
        "Theo lĩnh vực",
        "Bảng 7. Theo lĩnh vực".into(),
        counts_heads("Lĩnh vực"),
        counts_cols(&[]),
        fig.by_category
            .iter()
            .map(|(vi, _, c)| counts_cells(if vi.is_empty() { "Chưa phân loại".into() } else { vi.clone() }, c))
            .collect(),
        Some(vec![]),
    ));
    narrative(&mut blocks, d, Section::Results);
    blocks.push(Block::Subheading("2. Mô hình, điển hình “Dân vận khéo”".into()));
    if fig.models.is_empty() {
        blocks.push(Block::Placeholder("(Trong kỳ chưa có mô hình, điển hình được công nhận.)".into()));
    } else {
        blocks.push(table(
            "Mô hình",
            format!("Bảng 8. Mô hình, điển hình được công nhận ({} mô hình, điển hình)", fig.models.len()),
            vec!["Tên mô hình, điển hình".into(), "Lĩnh vực".into(), "Đơn vị".into(), "Ngày công nhận".into()],
            vec![Col::Label, Col::Label, Col::Label, Col::Label],
            fig.models
                .iter()
                .map(|m| {
                    vec![
                        Cell::Text(m.name.clone()),
                        Cell::Text(t(VI, crate::labels::model_field(m.field))),
                        Cell::Text(m.owner_unit.clone()),
                        Cell::Text(m.decided_on.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()),
                    ]
                })
                .collect(),
            None,
        ));
    }
    blocks.push(Block::Subheading("3. Công tác thi đua, khen thưởng".into()));
    if fig.awards.is_empty() {
        blocks.push(Block::Placeholder("(Trong kỳ chưa có quyết định khen thưởng được ghi nhận.)".into()));
    } else {
        blocks.push(table(
            "Khen thưởng",
            "Bảng 9. Khen thưởng trong kỳ".into(),
            vec!["Hình thức".into(), "Cá nhân".into(), "Tập thể".into(), "Hộ gia đình".into()],
            vec![Col::Label, Col::Count, Col::Count, Col::Count],
            fig.awards
                .iter()
                .map(|a| {
                    vec![
                        Cell::Text(a.award.name_vi().to_string()),
                        Cell::Int(a.individuals),
                        Cell::Int(a.collectives),
                        Cell::Int(a.households),
                    ]
                })
                .collect(),
            Some(vec![]),
        ));
    }
    blocks.push(Block::Heading(format!("{}. {}", roman[2], Section::Assessment.heading_vi())));
    narrative(&mut blocks, d, Section::Assessment);
    blocks.push(Block::Subheading("Bài học kinh nghiệm".into()));
    narrative(&mut blocks, d, Section::Lessons);
    blocks.push(Block::Heading(format!("{}. {}", roman[3], Section::Directions.heading_vi())));
    narrative(&mut blocks, d, Section::Directions);
    blocks.push(Block::Heading(format!("{}. {}", roman[4], Section::Proposals.heading_vi())));
    narrative(&mut blocks, d, Section::Proposals);
    let c = &d.content;
    let mut recipients = c.recipients.clone();
    if recipients.is_empty() {
        recipients.push("Lưu: VT".into());
    }
    ReviewDoc {
        format: match h.format {
            DocFormat::Party => Format::Party,
            DocFormat::State => Format::State,
        },
        parent_body: h.parent_body,
        issuing_body: h.issuing_body,
        // The gap the office writes the number in survives layout (no-break spaces).
        number: h.number.replace(' ', "\u{a0}"),
        place_date: place_date(h.format, &c.place, fig.generated_on),
        doc_type: "BÁO CÁO".into(),
        subject: c.subject(),
        draft_mark: Some(format!("DỰ THẢO (phiên bản {})", d.run.version)),
        blocks,
        signature: Signature {
            on_behalf: (!c.on_behalf.is_empty()).then(|| c.on_behalf.clone()),
            title: c.signer_title.clone(),
            name: c.signer_name.clone(),
        },
        recipients,
    }
}
