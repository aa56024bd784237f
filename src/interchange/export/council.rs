//! What the council's documents (the XLSX verdict file's printed sheets and the submission
//! letter) say in their head and foot, and the proposals grouped by award and tier. Shared by
//! the XLSX and DOCX writers so both documents carry the same words and the same counts.

use chrono::{Datelike, NaiveDate};

use super::{ExportMeta, Snapshot, Submission};
use crate::domain::campaign::{Award, Council};
use crate::domain::{Outcome, Tier, vietnam};

/// "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", the national title (quốc hiệu).
pub(crate) const NATION: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// "Độc lập – Tự do – Hạnh phúc", the motto (tiêu ngữ).
pub(crate) const MOTTO: &str = "Độc lập – Tự do – Hạnh phúc";
/// A dotted blank for a value to be written in by hand.
pub(crate) const BLANK: &str = "……";

/// The words of a document's head and foot.
pub struct Head {
    pub council: Council,
    /// "An Giang, ngày 28 tháng 11 năm 2026".
    pub place_date: String,
    /// "15/TTr-HĐTĐKT", or "……/TTr-HĐTĐKT" when no number was given.
    pub letter_number: String,
    /// "(Kèm theo Tờ trình số …/TTr-… ngày … của …)".
    pub attached_to: String,
    /// Set for an export made with gaps: what the documents say about it in their head.
    pub incomplete: Option<String>,
}

impl Head {
    pub fn new(snap: &Snapshot, meta: &ExportMeta, sub: &Submission) -> Head {
        let council = snap.campaign.council().into_owned();
        let day = sub
            .date
            .unwrap_or_else(|| meta.exported_at.with_timezone(&vietnam()).date_naive());
        let place_date = format!("{}, {}", council.place, long_date(day));
        let letter_number = match sub.number.as_deref().map(str::trim) {
            Some(n) if n.contains('/') => n.to_string(),
            Some(n) if !n.is_empty() => format!("{n}/{}", council.letter_symbol),
            _ => format!("{BLANK}/{}", council.letter_symbol),
        };
        let on = match sub.date {
            Some(d) => short_date(d),
            None => format!("{BLANK} tháng {BLANK} năm {BLANK}"),
        };
        let attached_to = format!(
            "(Kèm theo Tờ trình số {letter_number} ngày {on} của {})",
            council.name
        );
        let incomplete = (!snap.gaps.is_complete()).then(|| {
            let g = &snap.gaps;
            format!(
                "BẢN CHƯA ĐẦY ĐỦ: xuất khi việc đánh giá chưa xong ({} tiêu chí chưa đánh giá, {} đang chờ giải trình, {} không đạt chưa ghi lý do)",
                g.pending, g.needs_explanation, g.missing_reason
            )
        });
        Head {
            council,
            place_date,
            letter_number,
            attached_to,
            incomplete,
        }
    }
}

/// "ngày 05 tháng 01 năm 2026": as Decree 30/2020/NĐ-CP writes dates, a zero before days
/// under 10 and before months 1 and 2.
pub(crate) fn long_date(d: NaiveDate) -> String {
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

/// "05/01/2026".
pub(crate) fn short_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The qualified subjects of one tier under one award, as row indexes of the snapshot.
pub struct TierProposals<'a> {
    pub tier: &'a Tier,
    pub rows: Vec<usize>,
}

/// One award and whom it is proposed for, tier by tier.
pub struct AwardProposals<'a> {
    /// `None` for tiers that no award of the campaign file names.
    pub award: Option<&'a Award>,
    pub tiers: Vec<TierProposals<'a>>,
}

impl AwardProposals<'_> {
    pub fn count(&self) -> usize {
        self.tiers.iter().map(|t| t.rows.len()).sum()
    }

    /// The award's name, or the dotted blank of an award the campaign file does not name.
    pub fn name(&self) -> String {
        match self.award {
            Some(a) => a.name.clone(),
            None => format!("Hình thức khen thưởng {BLANK}"),
        }
    }
}

/// The qualified subjects grouped by award (in the campaign file's order, unnamed last) and
/// tier (campaign order), each in roster order. Awards and tiers with nobody are left out.
pub fn proposals<'a>(snap: &'a Snapshot, council: &'a Council) -> Vec<AwardProposals<'a>> {
    let c = &snap.campaign;
    let award_of = |t: &Tier| -> Option<usize> {
        let found = council.award_for(&t.id, &t.group)?;
        council.awards.iter().position(|a| std::ptr::eq(a, found))
    };
    let mut slots: Vec<Option<usize>> = (0..council.awards.len()).map(Some).collect();
    slots.push(None);
    let mut out = Vec::new();
    for slot in slots {
        let mut tiers = Vec::new();
        for t in c.tiers.iter().filter(|t| award_of(t) == slot) {
            let rows: Vec<usize> = snap
                .rows
                .iter()
                .enumerate()
                .filter(|(i, r)| r.subject.tier == t.id && snap.outcomes[*i] == Outcome::Qualified)
                .map(|(i, _)| i)
                .collect();
            if !rows.is_empty() {
                tiers.push(TierProposals { tier: t, rows });
            }
        }
        if !tiers.is_empty() {
            out.push(AwardProposals {
                award: slot.map(|i| &council.awards[i]),
                tiers,
            });
        }
    }
    out
}

/// Roman numerals for section headings (I, II, …), enough for any list of awards.
pub(crate) fn roman(n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_decree() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert_eq!(long_date(d(2026, 11, 28)), "ngày 28 tháng 11 năm 2026");
        assert_eq!(long_date(d(2026, 1, 5)), "ngày 05 tháng 01 năm 2026");
        assert_eq!(long_date(d(2026, 2, 10)), "ngày 10 tháng 02 năm 2026");
        assert_eq!(long_date(d(2026, 3, 9)), "ngày 09 tháng 3 năm 2026");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(14), "XIV");
    }
}
