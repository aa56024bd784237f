//! `thidua status`: the campaign, then progress per tier and per criteria group and the count
//! of subjects by outcome, as plain aligned text in Vietnamese or English. The counting is
//! `domain::review::summary`, the same as the console's summary screen; this module only sums
//! tiers into their groups and lays it out.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use crate::cli::Global;
use crate::domain::review::{self, OutcomeCounts, Summary, TierProgress};
use crate::domain::{Campaign, Lang, format_date};
use crate::paths;
use crate::store::Store;
use crate::store::reader::Request;

use super::source::Source;

/// The widest a name column gets before its middle is cut out with "…" (the ends of tier names
/// are what tells them apart), so that a table fits 80 columns.
const NAME_WIDTH: usize = 36;

/// `thidua status`: the summary of an existing database.
pub fn run(global: &Global) -> anyhow::Result<()> {
    let path = paths::db_path(global)?;
    tracing::info!("status of {}", path.display());
    let lang = paths::lang(global);
    let request = Request {
        subjects: true,
        verdicts: true,
        ..Request::default()
    };
    let mut source = Source::open(&path, &request, lang)?;
    let (subjects, verdicts) = (source.subjects()?, source.verdicts()?);
    let rows = review::assemble(source.campaign(), subjects, verdicts);
    let summary = review::summary(source.campaign(), &rows);
    super::print_text(&render(source.campaign(), &summary, lang))
}

/// Prints the summary of an open store to stdout.
pub fn show(store: &Store, lang: Lang) -> anyhow::Result<()> {
    let rows = review::assemble(store.campaign(), store.subjects()?, store.verdicts()?);
    let summary = review::summary(store.campaign(), &rows);
    super::print_text(&render(store.campaign(), &summary, lang))
}

/// Criteria decided out of those that apply, over some subjects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    subjects: usize,
    /// Criteria with a verdict other than pending (chưa đánh giá).
    decided: usize,
    /// Criteria that apply: subjects × criteria of their group.
    total: usize,
}

impl Tally {
    fn of(tier: &TierProgress) -> Tally {
        Tally {
            subjects: tier.subjects,
            decided: tier.decided,
            total: tier.criteria,
        }
    }

    fn add(&mut self, other: Tally) {
        self.subjects += other.subjects;
        self.decided += other.decided;
        self.total += other.total;
    }

    /// Tenths of a percent decided, rounded down (so 100.0% means everything); 0 when empty.
    fn permille(&self) -> usize {
        (self.decided * 1000).checked_div(self.total).unwrap_or(0)
    }
}

fn add_outcomes(sum: &mut OutcomeCounts, o: &OutcomeCounts) {
    sum.qualified += o.qualified;
    sum.not_qualified += o.not_qualified;
    sum.incomplete += o.incomplete;
}

/// A criteria group's share of the summary: its tiers added up.
struct GroupRow {
    name: String,
    tally: Tally,
    outcomes: OutcomeCounts,
}

/// The summary's tiers summed into the campaign's criteria groups, in campaign order, with one
/// more row for subjects whose tier the campaign does not know (so the rows add up to the
/// totals the console shows).
fn groups(campaign: &Campaign, summary: &Summary, lang: Lang, unknown: &str) -> Vec<GroupRow> {
    let mut rows: Vec<GroupRow> = campaign
        .groups
        .iter()
        .map(|g| GroupRow {
            name: g.name(lang).to_string(),
            tally: Tally::default(),
            outcomes: OutcomeCounts::default(),
        })
        .collect();
    let mut other = GroupRow {
        name: unknown.to_string(),
        tally: Tally::default(),
        outcomes: OutcomeCounts::default(),
    };
    for tp in &summary.tiers {
        let at = campaign
            .tier(&tp.tier)
            .and_then(|t| campaign.groups.iter().position(|g| g.id == t.group));
        let row = match at {
            Some(i) => &mut rows[i],
            None => &mut other,
        };
        row.tally.add(Tally::of(tp));
        add_outcomes(&mut row.outcomes, &tp.outcomes);
    }
    if other.tally.subjects > 0 {
        rows.push(other);
    }
    rows
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
    /// The group row of subjects whose tier the campaign does not know.
    unknown_group: &'static str,
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
    unknown_group: "Cấp không có trong kế hoạch",
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
    unknown_group: "Tiers not in the campaign",
    decimal: '.',
};

/// The whole summary as text.
pub fn render(campaign: &Campaign, p: &Summary, lang: Lang) -> String {
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
            progress_row(name, &Tally::of(tp))
        })
        .collect();
    let mut total = Tally::default();
    for tp in &p.tiers {
        total.add(Tally::of(tp));
    }
    rows.push(progress_row(w.total, &total));
    section(
        &mut out,
        w.by_tier,
        &[w.tier, w.subjects, w.decided, "%"],
        &rows,
    );

    let groups = groups(campaign, p, lang, w.unknown_group);
    let mut rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| progress_row(&g.name, &g.tally))
        .collect();
    rows.push(progress_row(w.total, &total));
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
    let mut rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| outcome_row(g.name.clone(), &g.outcomes))
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

    fn subject(id: &str, tier: &str) -> crate::domain::Subject {
        crate::domain::Subject {
            id: id.into(),
            name: id.into(),
            tier: tier.into(),
            parent: None,
            registered_on: None,
        }
    }

    fn met() -> crate::domain::Verdict {
        crate::domain::Verdict {
            value: crate::domain::VerdictValue::Met,
            note: String::new(),
            reviewer: "Lan".into(),
            decided_at: chrono::DateTime::UNIX_EPOCH,
            version: 1,
        }
    }

    #[test]
    fn groups_add_up_to_the_console_summary_unknown_tiers_included() {
        let c = crate::interchange::campaign::sample();
        let rows = review::assemble(
            &c,
            vec![
                (1, subject("SNV", "province_agency")),
                (2, subject("X1", "individual")),
                (3, subject("ZZ", "no_such_tier")),
            ],
            vec![(1, 0, met()), (1, 1, met()), (2, 0, met())],
        );
        let summary = review::summary(&c, &rows);
        let g = groups(&c, &summary, Lang::En, "other");
        assert_eq!(g.len(), c.groups.len() + 1, "one row for the unknown tier");
        assert_eq!(g.last().map(|r| r.name.as_str()), Some("other"));
        let subjects: usize = g.iter().map(|r| r.tally.subjects).sum();
        let decided: usize = g.iter().map(|r| r.tally.decided).sum();
        assert_eq!(subjects, 3);
        assert_eq!(decided, 3);
        let incomplete: usize = g.iter().map(|r| r.outcomes.incomplete).sum();
        assert_eq!(incomplete, summary.outcomes.incomplete);
        let text = render(&c, &summary, Lang::En);
        assert!(text.contains("Tiers not in the campaign"), "{text}");
        assert!(text.contains("no_such_tier"), "{text}");
    }
}
