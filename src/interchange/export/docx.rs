//! The draft submission letter (tờ trình) to the council, as DOCX (docx-rs). Laid out after
//! Decree 30/2020/NĐ-CP: A4 portrait, Times New Roman, margins top and bottom 20 mm, left
//! 30 mm, right 15 mm; the issuing body and the letter's number top left, the national title,
//! motto, place and date top right; "TỜ TRÌNH" and the subject line ("V/v đề nghị khen thưởng
//! …"); "Kính gửi"; the body (the campaign and the plan it comes from, the counts, the
//! proposals by award and tier, the attached list); then "Nơi nhận" and the signature block.
//! Every word about the council comes from the campaign file's `[council]` section (or its
//! fallback), the counts from the same snapshot as the XLSX lists.

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, PageMargin, PageNum, Paragraph, Run, RunFonts,
    SpecialIndentType, Table, TableCell, TableCellMargins, TableLayoutType, TableRow, WidthType,
};

use super::council::{self, Head, MOTTO, NATION, long_date, short_date};
use super::xlsx::{count_phrase, group_counts};
use super::{ExportMeta, Failure, Snapshot, Submission};
use crate::domain::{InitiativeStatus, Lang, Outcome};

/// Twentieths of a point per millimetre.
const TWIPS_PER_MM: f64 = 56.692_913;
/// A4 in twips.
const A4: (u32, u32) = (11_906, 16_838);

fn mm(v: f64) -> i32 {
    (v * TWIPS_PER_MM).round() as i32
}

/// A run of text in half-points `size`.
fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size)
}

fn centered(r: Run) -> Paragraph {
    Paragraph::new().add_run(r).align(AlignmentType::Center)
}

/// A body paragraph: justified, first line indented 1 cm, 6 pt after, 14 pt.
fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, 28))
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(mm(10.0))),
            None,
            None,
        )
        .line_spacing(LineSpacing::new().after(100).line(264))
}

/// A borderless two-column table (the head and the foot).
fn two_columns(left: Vec<Paragraph>, right: Vec<Paragraph>, widths: (usize, usize)) -> Table {
    let cell = |ps: Vec<Paragraph>, w: usize| {
        ps.into_iter()
            .fold(TableCell::new(), TableCell::add_paragraph)
            .width(w, WidthType::Dxa)
    };
    Table::without_borders(vec![TableRow::new(vec![
        cell(left, widths.0),
        cell(right, widths.1),
    ])])
    .margins(TableCellMargins::new().margin(0, 28, 0, 28))
    .set_grid(vec![widths.0, widths.1])
    .layout(TableLayoutType::Fixed)
    .width(widths.0 + widths.1, WidthType::Dxa)
}

/// Writes the letter.
pub(super) fn write<W: std::io::Write + std::io::Seek>(
    snap: &Snapshot,
    meta: &ExportMeta,
    sub: &Submission,
    file: &mut W,
) -> Result<(), Failure> {
    letter(snap, meta, sub)
        .build()
        .pack(file)
        .map_err(|e| Failure::Docx(e.to_string()))
}

fn letter(snap: &Snapshot, meta: &ExportMeta, sub: &Submission) -> Docx {
    let head = Head::new(snap, meta, sub);
    let k = &head.council;
    let c = &snap.campaign;
    let (left_mm, right_mm) = (30.0, 15.0);
    let text_width = A4.0 as usize - mm(left_mm + right_mm) as usize;
    let widths = (text_width * 2 / 5, text_width - text_width * 2 / 5);
    // The head: the issuing body needs about 86 mm and the national title about 88 mm at 12
    // points, more than the text width, so (as the usual templates do) the head's table reaches
    // 10 mm into the left margin and 4 mm into the right one.
    let head_width = text_width + mm(14.0) as usize;
    let head_widths = (head_width * 49 / 100, head_width - head_width * 49 / 100);

    let fonts = RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .east_asia("Times New Roman")
        .cs("Times New Roman");
    let created = meta
        .exported_at
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(mm(20.0))
                .bottom(mm(20.0))
                .left(mm(left_mm))
                .right(mm(right_mm))
                .header(mm(10.0))
                .footer(mm(10.0)),
        )
        .default_fonts(fonts)
        .default_size(28)
        .created_at(&created)
        .updated_at(&created)
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .add_page_num(PageNum::new())
                    .align(AlignmentType::Center)
                    .size(24),
            ),
        );

    // The head: issuing body and number | national title, motto, place and date.
    let mut left: Vec<Paragraph> = k
        .issuer
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let r = run(line, 24).character_spacing(-4);
            centered(if i + 1 == k.issuer.len() { r.bold() } else { r })
        })
        .collect();
    left.push(centered(run("————", 24)));
    left.push(centered(run(&format!("Số: {}", head.letter_number), 26)));
    let right = vec![
        centered(run(NATION, 24).bold().character_spacing(-4)),
        centered(run(MOTTO, 28).bold()),
        centered(run("—————————————", 26)),
        centered(run(&head.place_date, 28).italic()),
    ];
    doc = doc.add_table(two_columns(left, right, head_widths).indent(-mm(10.0)));

    // Title and subject line.
    let subject = format!(
        "V/v đề nghị khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong {}",
        lower_first(&c.title_vi)
    );
    doc = doc
        .add_paragraph(
            centered(run("TỜ TRÌNH", 28).bold())
                .line_spacing(LineSpacing::new().before(360).after(0)),
        )
        .add_paragraph(
            centered(run(&subject, 28).bold()).line_spacing(LineSpacing::new().after(240)),
        );
    if let Some(warning) = &head.incomplete {
        doc = doc.add_paragraph(
            centered(run(warning, 26).bold().color("C00000"))
                .line_spacing(LineSpacing::new().after(240)),
        );
    }
    doc = doc.add_paragraph(
        centered(run(&format!("Kính gửi: {}.", k.recipient), 28))
            .line_spacing(LineSpacing::new().after(240)),
    );

    // The body.
    let d = &c.document;
    doc = doc.add_paragraph(body(&format!(
        "Căn cứ Kế hoạch số {} {} của {} về {};",
        d.number,
        long_date(d.date),
        d.issuer_vi,
        lower_first(&c.title_vi)
    )));
    let everyone = 0..snap.rows.len();
    let count = |o: Outcome| snap.outcomes.iter().filter(|x| **x == o).count();
    let qualified = snap
        .outcomes
        .iter()
        .enumerate()
        .filter(|(_, o)| **o == Outcome::Qualified)
        .map(|(i, _)| i);
    let mut results = format!(
        "Thời gian thực hiện phong trào từ ngày {} đến ngày {}. Căn cứ kết quả đánh giá các tiêu chí thi đua, {} đã xem xét {} đối tượng của phong trào ({}); trong đó {} đủ điều kiện đề nghị khen thưởng ({}), {} không đủ điều kiện",
        short_date(c.period.start),
        short_date(c.period.end),
        k.name,
        snap.rows.len(),
        group_counts(snap, everyone),
        count(Outcome::Qualified),
        group_counts(snap, qualified),
        count(Outcome::NotQualified),
    );
    let incomplete = count(Outcome::Incomplete);
    if incomplete > 0 {
        results.push_str(&format!(", {incomplete} chưa đủ dữ liệu để kết luận"));
    }
    results.push('.');
    doc = doc.add_paragraph(body(&results));
    let recognised = snap
        .initiatives
        .iter()
        .filter(|i| i.status == InitiativeStatus::Recognized)
        .count();
    doc = doc.add_paragraph(body(&format!(
        "Có {recognised} sáng kiến được cấp có thẩm quyền công nhận, trong tổng số {} sáng kiến đã nộp.",
        snap.initiatives.len()
    )));

    let groups = council::proposals(snap, k);
    if groups.is_empty() {
        doc = doc.add_paragraph(body(
            "Không có tập thể, cá nhân nào đủ điều kiện đề nghị khen thưởng.",
        ));
    } else {
        doc = doc.add_paragraph(body(&format!(
            "{} kính trình {} xem xét, khen thưởng như sau:",
            k.name, k.recipient
        )));
        for (a, award) in groups.iter().enumerate() {
            let rows = award.tiers.iter().flat_map(|t| t.rows.iter().copied());
            doc = doc.add_paragraph(body(&format!(
                "{}. {} cho {}, gồm:",
                council::roman(a + 1),
                award.name(),
                count_phrase(snap, rows)
            )));
            for t in &award.tiers {
                doc = doc.add_paragraph(body(&format!(
                    "- {}: {};",
                    t.tier.name(Lang::Vi),
                    t.rows.len()
                )));
            }
            let reason = match award.award {
                Some(aw) => aw.reason(k),
                None => k.reason.as_str(),
            };
            doc = doc.add_paragraph(body(&format!("Thành tích: {reason}.")));
        }
        doc = doc.add_paragraph(body(
            "(Có danh sách tập thể, cá nhân đề nghị khen thưởng kèm theo.)",
        ));
    }
    doc = doc.add_paragraph(body(&format!(
        "Kính trình {} xem xét, quyết định./.",
        k.recipient
    )));

    // The foot: "Nơi nhận" | the signature block.
    let mut left = vec![
        Paragraph::new()
            .add_run(run("Nơi nhận:", 24).bold().italic())
            .line_spacing(LineSpacing::new().before(240)),
    ];
    for line in &k.copies_to {
        left.push(Paragraph::new().add_run(run(&format!("- {line}"), 22)));
    }
    let mut right: Vec<Paragraph> = k
        .signer
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let p = centered(run(line, 28).bold());
            if i == 0 {
                p.line_spacing(LineSpacing::new().before(240))
            } else {
                p
            }
        })
        .collect();
    for _ in 0..4 {
        right.push(Paragraph::new());
    }
    right.push(centered(run(&k.signer_name, 28).bold()));
    doc.add_table(two_columns(left, right, widths))
}

/// "Phong trào …" → "phong trào …", for a title used inside a sentence.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
