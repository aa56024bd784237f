//! The JSON verdict file (`"format": "thidua-verdicts"`, version 1), described by
//! docs/verdicts.schema.json. Serialised straight from borrowed snapshot data: subjects stream
//! out one at a time, so a province-sized file never exists twice in memory. Pretty-printed
//! (two-space indent, LF, final newline) so files diff line by line.

use std::io::Write;

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use super::{ExportMeta, FORMAT, Snapshot, VERSION, rfc3339_vietnam};
use crate::domain::Points;
use crate::domain::review::{Gap, Reviewed, points_total};
use crate::domain::{
    Campaign, Claim, Criterion, Group, Initiative, Outcome, Scale, Tier, Verdict, VerdictValue,
};

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    campaign: CampaignOut<'a>,
    exported_at: String,
    exported_by: &'a str,
    /// The change journal's head the file was made from.
    #[serde(skip_serializing_if = "Option::is_none")]
    journal: Option<JournalOut<'a>>,
    incomplete: bool,
    gaps: Vec<GapOut<'a>>,
    subjects: Subjects<'a>,
}

#[derive(Serialize)]
struct JournalOut<'a> {
    sequence: u64,
    head_sha256: &'a str,
}

#[derive(Serialize)]
struct CampaignOut<'a> {
    id: &'a str,
    title_vi: &'a str,
    title_en: &'a str,
    document: DocumentOut<'a>,
    period: PeriodOut,
    tiers: Vec<TierOut<'a>>,
    groups: Vec<GroupOut<'a>>,
}

#[derive(Serialize)]
struct DocumentOut<'a> {
    number: &'a str,
    date: String,
    issuer_vi: &'a str,
    issuer_en: &'a str,
}

#[derive(Serialize)]
struct PeriodOut {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct TierOut<'a> {
    id: &'a str,
    name_vi: &'a str,
    name_en: &'a str,
    group: &'a str,
}

#[derive(Serialize)]
struct GroupOut<'a> {
    id: &'a str,
    name_vi: &'a str,
    name_en: &'a str,
    qualifying_total: Option<u32>,
    /// The most points a subject of the group can score (points groups only).
    max_total: Option<Points>,
    criteria: Vec<CriterionOut<'a>>,
}

#[derive(Serialize)]
struct CriterionOut<'a> {
    id: &'a str,
    title_vi: &'a str,
    title_en: &'a str,
    scale: &'static str,
    max_points: Option<u32>,
    /// The increment a score must be a multiple of, if the campaign sets one.
    step: Option<Points>,
    /// A knock-out criterion: the subject cannot qualify without it.
    required: bool,
    /// For a required points criterion, the lowest score that meets it.
    min: Option<Points>,
}

#[derive(Serialize)]
struct GapOut<'a> {
    subject: &'a str,
    criterion: &'a str,
    problem: &'static str,
}

#[derive(Serialize)]
struct SubjectOut<'a> {
    id: &'a str,
    name: &'a str,
    tier: &'a str,
    parent: Option<&'a str>,
    registered_on: Option<String>,
    outcome: &'static str,
    points_total: Option<Points>,
    verdicts: Vec<VerdictOut<'a>>,
    initiatives: Vec<InitiativeOut<'a>>,
}

#[derive(Serialize)]
struct VerdictOut<'a> {
    criterion: &'a str,
    verdict: &'static str,
    score: Option<Points>,
    note: &'a str,
    reviewer: Option<&'a str>,
    decided_at: Option<String>,
    /// The subject's self-assessment claim; left out when there is none, so files without
    /// claims are as before.
    #[serde(skip_serializing_if = "Option::is_none")]
    self_assessment: Option<ClaimOut<'a>>,
}

#[derive(Serialize)]
struct ClaimOut<'a> {
    value: &'static str,
    score: Option<Points>,
    evidence: &'a str,
}

fn claim_out(c: &Claim) -> ClaimOut<'_> {
    ClaimOut {
        value: c.value.code(),
        score: match c.value {
            VerdictValue::Score(n) => Some(n),
            _ => None,
        },
        evidence: &c.evidence,
    }
}

#[derive(Serialize)]
struct InitiativeOut<'a> {
    id: &'a str,
    title: &'a str,
    submitted_on: Option<String>,
    status: &'static str,
    authority: Option<&'a str>,
    decision: Option<&'a str>,
    decided_on: Option<String>,
    scope: Option<&'static str>,
}

/// The subjects array, serialised lazily from the snapshot.
struct Subjects<'a>(&'a Snapshot);

impl Serialize for Subjects<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let snap = self.0;
        let mut seq = serializer.serialize_seq(Some(snap.rows.len()))?;
        for (row, outcome) in snap.rows.iter().zip(&snap.outcomes) {
            seq.serialize_element(&subject_out(snap, row, *outcome))?;
        }
        seq.end()
    }
}

fn subject_out<'a>(snap: &'a Snapshot, row: &'a Reviewed, outcome: Outcome) -> SubjectOut<'a> {
    let s = &row.subject;
    let group = snap.group_of(row);
    let at = snap.by_id.get(&s.id).copied();
    let verdicts = group
        .map(|g| {
            g.criteria
                .iter()
                .zip(&row.verdicts)
                .enumerate()
                .map(|(i, (c, v))| {
                    let mut out = verdict_out(c, v.as_ref());
                    out.self_assessment = at.and_then(|r| snap.claim(r, i)).map(claim_out);
                    out
                })
                .collect()
        })
        .unwrap_or_default();
    SubjectOut {
        id: &s.id,
        name: &s.name,
        tier: &s.tier,
        parent: s.parent.as_deref(),
        registered_on: s.registered_on.map(|d| d.to_string()),
        outcome: outcome.code(),
        points_total: group.and_then(|g| points_total(g, row)),
        verdicts,
        initiatives: snap.initiatives_of(&s.id).map(initiative_out).collect(),
    }
}

fn verdict_out<'a>(c: &'a Criterion, v: Option<&'a Verdict>) -> VerdictOut<'a> {
    match v {
        Some(v) if v.value != VerdictValue::Pending => VerdictOut {
            criterion: &c.id,
            verdict: v.value.code(),
            score: match v.value {
                VerdictValue::Score(n) => Some(n),
                _ => None,
            },
            note: &v.note,
            reviewer: Some(&v.reviewer),
            decided_at: Some(rfc3339_vietnam(v.decided_at)),
            self_assessment: None,
        },
        _ => VerdictOut {
            criterion: &c.id,
            verdict: VerdictValue::Pending.code(),
            score: None,
            note: v.map_or("", |v| v.note.as_str()),
            reviewer: None,
            decided_at: None,
            self_assessment: None,
        },
    }
}

fn initiative_out(i: &Initiative) -> InitiativeOut<'_> {
    let r = i.recognition.as_ref();
    InitiativeOut {
        id: &i.id,
        title: &i.title,
        submitted_on: i.submitted_on.map(|d| d.to_string()),
        status: i.status.code(),
        authority: r.map(|r| r.authority.as_str()),
        decision: r.map(|r| r.decision.as_str()),
        decided_on: r.map(|r| r.decided_on.to_string()),
        scope: r.map(|r| r.scope.code()),
    }
}

fn campaign_out(c: &Campaign) -> CampaignOut<'_> {
    CampaignOut {
        id: &c.id,
        title_vi: &c.title_vi,
        title_en: &c.title_en,
        document: DocumentOut {
            number: &c.document.number,
            date: c.document.date.to_string(),
            issuer_vi: &c.document.issuer_vi,
            issuer_en: &c.document.issuer_en,
        },
        period: PeriodOut {
            start: c.period.start.to_string(),
            end: c.period.end.to_string(),
        },
        tiers: c.tiers.iter().map(tier_out).collect(),
        groups: c.groups.iter().map(group_out).collect(),
    }
}

fn tier_out(t: &Tier) -> TierOut<'_> {
    TierOut {
        id: &t.id,
        name_vi: &t.name_vi,
        name_en: &t.name_en,
        group: &t.group,
    }
}

fn group_out(g: &Group) -> GroupOut<'_> {
    GroupOut {
        id: &g.id,
        name_vi: &g.name_vi,
        name_en: &g.name_en,
        qualifying_total: g.qualifying_total,
        max_total: g.is_points().then(|| crate::domain::outcome::points_max(g)),
        criteria: g
            .criteria
            .iter()
            .map(|c| CriterionOut {
                id: &c.id,
                title_vi: &c.title_vi,
                title_en: &c.title_en,
                scale: match c.scale {
                    Scale::PassFail => "pass_fail",
                    Scale::Points(_) => "points",
                },
                max_points: match c.scale {
                    Scale::PassFail => None,
                    Scale::Points(n) => Some(n),
                },
                step: c.step,
                required: c.required,
                min: c.min,
            })
            .collect(),
    }
}

fn gap_out(g: &Gap) -> GapOut<'_> {
    GapOut {
        subject: &g.subject,
        criterion: &g.criterion,
        problem: g.problem.code(),
    }
}

/// Writes the JSON verdict file.
pub(super) fn write<W: std::io::Write>(
    snap: &Snapshot,
    meta: &ExportMeta,
    file: &mut W,
) -> std::io::Result<()> {
    let doc = Document {
        format: FORMAT,
        version: VERSION,
        campaign: campaign_out(&snap.campaign),
        exported_at: rfc3339_vietnam(meta.exported_at),
        exported_by: &meta.exported_by,
        journal: snap.journal.as_ref().map(|j| JournalOut {
            sequence: j.sequence,
            head_sha256: &j.sha256,
        }),
        incomplete: !snap.gaps.is_complete(),
        gaps: snap.gaps.gaps.iter().map(gap_out).collect(),
        subjects: Subjects(snap),
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()
}
