//! `thidua status`: the campaign, then progress per tier and per criteria group and the count
//! of subjects by outcome, as plain aligned text in Vietnamese or English. The counting is
//! `domain::progress`; this module only lays it out.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use crate::cli::Global;
use crate::domain::progress::{OutcomeCounts, Progress, Tally, progress};
use crate::domain::{Campaign, Lang, format_date};
use crate::paths;
use crate::store::Store;

/// The widest a name column gets before its middle is cut out with "…" (the ends of tier names
/// are what tells them apart), so that a table fits 80 columns.
const NAME_WIDTH: usize = 36;

/// `thidua status`: the summary of an existing database.
pub fn run(global: &Global) -> anyhow::Result<()> {
    let path = paths::db_path(global)?;
    tracing::info!("status of {}", path.display());
    let store = Store::open(&path)?;
    show(&store, paths::lang(global))
}

/// Prints the summary of an open store to stdout.
pub fn show(store: &Store, lang: Lang) -> anyhow::Result<()> {
    let p = progress(store.campaign(), &store.subjects()?, &store.verdicts()?);
    print!("{}", render(store.campaign(), &p, lang));
    Ok(())
}

struct Words {
    document: &'static str,
    of: &'static str,
    by_tier: &'static str,
    by_group: &'static str,
    outcomes: &'static str,
    tier: &'static str,
    group: &'static str,
    subjects: &'static str,
    decided: &'static str,
    qualified: &'static str,
    not_qualified: &'static str,
    incomplete: &'static str,
    total: &'static str,
    decimal: char,
}

const VI: Words = Words {
    document: "Văn bản",
    of: "ngày",
    by_tier: "Tiến độ theo cấp",
    by_group: "Tiến độ theo nhóm tiêu chí",
    outcomes: "Kết quả theo nhóm tiêu chí",
    tier: "Cấp",
    group: "Nhóm",
    subjects: "Đối tượng",
    decided: "Tiêu chí đã đánh giá",
    qualified: "Đủ điều kiện",
    not_qualified: "Không đủ điều kiện",
    incomplete: "Chưa hoàn thành",
    total: "Tổng cộng",
    decimal: ',',
};

const EN: Words = Words {
    document: "Document",
    of: "of",
    by_tier: "Progress by tier",
    by_group: "Progress by criteria group",
    outcomes: "Outcome by criteria group",
    tier: "Tier",
    group: "Group",
    subjects: "Subjects",
    decided: "Criteria decided",
    qualified: "Qualified",
    not_qualified: "Not qualified",
    incomplete: "Incomplete",
    total: "Total",
    decimal: '.',
};

/// The whole summary as text.
pub fn render(campaign: &Campaign, p: &Progress, lang: Lang) -> String {
    let w = match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    };
    let d = &campaign.document;
    let issuer = match lang {
        Lang::Vi => &d.issuer_vi,
        Lang::En => &d.issuer_en,
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", campaign.title(lang));
    let _ = writeln!(
        out,
        "{}: {} {} {}, {}",
        w.document,
        d.number,
        w.of,
        format_date(d.date),
        issuer
    );

    let progress_row = |name: &str, t: &Tally| {
        vec![
            name.to_string(),
            t.subjects.to_string(),
            format!("{} / {}", t.decided, t.total),
            percent(t, w.decimal),
        ]
    };
    let mut rows: Vec<Vec<String>> = p
        .tiers
        .iter()
        .map(|tp| {
            let name = campaign
                .tier(&tp.tier)
                .map_or(tp.tier.as_str(), |t| t.name(lang));
            progress_row(name, &tp.tally)
        })
        .collect();
    rows.push(progress_row(w.total, &p.total));
    section(
        &mut out,
        w.by_tier,
        &[w.tier, w.subjects, w.decided, "%"],
        &rows,
    );

    let group_name = |id: &str| {
        campaign
            .group(id)
            .map_or(id.to_string(), |g| g.name(lang).to_string())
    };
    let mut rows: Vec<Vec<String>> = p
        .groups
        .iter()
        .map(|gp| progress_row(&group_name(&gp.group), &gp.tally))
        .collect();
    rows.push(progress_row(w.total, &p.total));
    section(
        &mut out,
        w.by_group,
        &[w.group, w.subjects, w.decided, "%"],
        &rows,
    );

    let outcome_row = |name: String, o: &OutcomeCounts| {
        vec![
            name,
            o.qualified.to_string(),
            o.not_qualified.to_string(),
            o.incomplete.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = p
        .groups
        .iter()
        .map(|gp| outcome_row(group_name(&gp.group), &gp.outcomes))
        .collect();
    rows.push(outcome_row(w.total.to_string(), &p.outcomes));
    section(
        &mut out,
        w.outcomes,
        &[w.group, w.qualified, w.not_qualified, w.incomplete],
        &rows,
    );
    out
}

fn percent(t: &Tally, decimal: char) -> String {
    if t.total == 0 {
        return "–".into();
    }
    let pm = t.permille();
    format!("{}{decimal}{}%", pm / 10, pm % 10)
}

/// A titled table: the first column left-aligned (cut to `NAME_WIDTH`), the others right.
fn section(out: &mut String, title: &str, header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    widths[0] = widths[0].min(NAME_WIDTH);
    for r in rows {
        for (i, cell) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w)
                    .max(cell.width())
                    .min(if i == 0 { NAME_WIDTH } else { usize::MAX });
            }
        }
    }
    let _ = writeln!(out, "\n{title}");
    let line = |cells: &[&str]| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let w = widths[i];
            s.push_str("  ");
            if i == 0 {
                let cut = cut(cell, w);
                s.push_str(&cut);
                s.push_str(&" ".repeat(w - cut.width()));
            } else {
                s.push_str(&" ".repeat(w.saturating_sub(cell.width())));
                s.push_str(cell);
            }
        }
        s.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(header));
    for r in rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        let _ = writeln!(out, "{}", line(&cells));
    }
}

/// `s` cut to `width` columns by replacing its middle with "…", cutting between words.
fn cut(s: &str, width: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    if s.width() <= width {
        return s.to_string();
    }
    let room = width.saturating_sub(1);
    let graphemes: Vec<&str> = s.graphemes(true).collect();
    let fits = |range: &[&str], limit: usize| {
        let mut w = 0;
        range
            .iter()
            .take_while(|g| {
                w += g.width();
                w <= limit
            })
            .count()
    };
    let mut head = fits(&graphemes, room / 2);
    if graphemes.get(head).is_some_and(|g| *g != " ")
        && let Some(space) = graphemes[..head].iter().rposition(|g| *g == " ")
    {
        head = space;
    }
    let head_text = graphemes[..head].concat();
    let rest: Vec<&str> = graphemes[head..].iter().rev().copied().collect();
    let mut tail = fits(&rest, room - head_text.width());
    if rest.get(tail).is_some_and(|g| *g != " ")
        && let Some(space) = rest[..tail].iter().rposition(|g| *g == " ")
    {
        tail = space;
    }
    let tail_text: String = rest[..tail].iter().rev().copied().collect();
    format!("{}…{}", head_text.trim_end(), tail_text.trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_and_names_are_cut() {
        let mut out = String::new();
        let rows = vec![
            vec!["Sở Nội vụ".to_string(), "21".into()],
            vec!["x".repeat(60), "5".into()],
        ];
        section(&mut out, "T", &["Cấp", "Đối tượng"], &rows);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[2].starts_with("  Cấp  "), "{out}");
        assert!(lines[2].ends_with("  Đối tượng"), "{out}");
        assert!(lines[3].ends_with(" 21"));
        assert_eq!(lines[3].width(), lines[2].width());
        assert_eq!(lines[4].width(), lines[2].width());
        assert!(lines[4].contains('…'));
        assert_eq!(
            cut(
                "Phòng, ban chuyên môn, đơn vị sự nghiệp thuộc UBND cấp huyện",
                36
            ),
            "Phòng, ban chuyên…UBND cấp huyện"
        );
    }

    #[test]
    fn percent_uses_the_language_decimal_mark() {
        let t = Tally {
            subjects: 1,
            decided: 1,
            total: 8,
        };
        assert_eq!(percent(&t, ','), "12,5%");
        assert_eq!(percent(&t, '.'), "12.5%");
        assert_eq!(percent(&Tally::default(), '.'), "–");
    }
}
