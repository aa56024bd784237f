//! A campaign: its document, period, subject tiers and criteria groups. Campaigns are data,
//! not code: another province's plan, or one scored in points, is a different file.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One emulation campaign (phong trào thi đua), as read from its TOML file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub format: String,
    pub version: u32,
    pub id: String,
    pub title_vi: String,
    pub title_en: String,
    pub document: Document,
    pub period: Period,
    #[serde(default, rename = "deadline")]
    pub deadlines: Vec<Deadline>,
    #[serde(rename = "tier")]
    pub tiers: Vec<Tier>,
    #[serde(rename = "group")]
    pub groups: Vec<Group>,
    /// More column names an import accepts, by field (`parent = ["Cơ quan chủ quản"]`), on top
    /// of the built-in ones listed in data/README.md.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub column_aliases: std::collections::BTreeMap<String, Vec<String>>,
    /// The words of the council's documents (head, signature block, awards); absent in older
    /// campaign files, which then get `Council::fallback`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub council: Option<Council>,
}

/// The issuing document (kế hoạch), e.g. 443/KH-UBND of 21/07/2021.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub number: String,
    pub date: NaiveDate,
    pub issuer_vi: String,
    pub issuer_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// A named date that evidence is checked against (e.g. the registration deadline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    pub date: NaiveDate,
}

/// A tier of subjects (cấp), e.g. `commune` = UBND các xã, phường, thị trấn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    /// The criteria group that applies to subjects of this tier.
    pub group: String,
    /// Tiers a subject of this tier may belong to; empty for top-level units.
    #[serde(default)]
    pub parents: Vec<String>,
    /// Other words an office file may use for this tier in a roster ("Xã", "Phường").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// A criteria group (nhóm tiêu chí): collectives (tập thể) or individuals (cá nhân).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    /// For points-scored groups: the total a subject must reach to qualify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifying_total: Option<u32>,
    #[serde(rename = "criterion")]
    pub criteria: Vec<Criterion>,
}

/// One criterion (tiêu chí), e.g. TT9 "emulation registration sent on time".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    pub title_vi: String,
    pub title_en: String,
    pub description_vi: String,
    pub description_en: String,
    pub scale: Scale,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas_vi: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas_en: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Hint>,
    /// For points criteria: the increment a score must be a multiple of (`step = 0.5`);
    /// none means any score with at most two decimals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<super::Points>,
    /// A knock-out criterion: the subject cannot qualify unless it is met (pass/fail) or
    /// scored at least `min` (points), whatever the total.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// For a required points criterion: the lowest score that meets it (default: any score
    /// above zero).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<super::Points>,
}

/// How a criterion is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Đạt / Không đạt.
    PassFail,
    /// A score from 0 to this maximum.
    Points(u32),
}

/// Evidence the console can suggest a verdict from; the reviewer always decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Hint {
    /// Met when the subject owns a recognised initiative (sáng kiến được công nhận).
    Initiative,
    /// Met when the roster date `field` is on or before the named deadline.
    Deadline { field: String, deadline: String },
}

/// The emulation-and-reward council (Hội đồng Thi đua – Khen thưởng) the verdict file and the
/// submission letter (tờ trình) go to: the words of their head and foot, and which award the
/// qualified subjects of each tier are proposed for. All Vietnamese: these are the documents'
/// own words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Council {
    /// The issuing body (cơ quan ban hành), top left, in capitals: the governing body over the
    /// body itself, e.g. ["UBND TỈNH AN GIANG", "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"].
    pub issuer: Vec<String>,
    /// The body as named in running text, e.g. "Hội đồng Thi đua – Khen thưởng tỉnh An Giang".
    pub name: String,
    /// The place in the date line (địa danh), e.g. "An Giang".
    pub place: String,
    /// The signer's title, one line each, e.g. ["TM. HỘI ĐỒNG", "CHỦ TỊCH"].
    pub signer: Vec<String>,
    /// The signer's name under the signature space; empty leaves the space blank.
    #[serde(default)]
    pub signer_name: String,
    /// Who prepares the lists (left of the signature block), e.g. "NGƯỜI LẬP BIỂU".
    #[serde(default = "default_preparer")]
    pub preparer: String,
    /// The symbol of the submission letter's number, e.g. "TTr-HĐTĐKT" in "Số: 15/TTr-HĐTĐKT".
    pub letter_symbol: String,
    /// Whom the letter is addressed to (Kính gửi), e.g. "Chủ tịch Ủy ban nhân dân tỉnh An Giang".
    pub recipient: String,
    /// The letter's "Nơi nhận" lines, e.g. ["Như trên;", "Lưu: VT, TĐKT."].
    pub copies_to: Vec<String>,
    /// The achievement line (thành tích) for every proposal, unless its award gives its own.
    pub reason: String,
    /// Which award (hình thức khen thưởng) each tier or group's qualified subjects are
    /// proposed for, in the order the proposal list shows them.
    #[serde(default, rename = "award", skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award>,
}

/// One form of commendation and whom it is proposed for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Award {
    /// e.g. "Bằng khen của Chủ tịch UBND tỉnh".
    pub name: String,
    /// Tier ids whose qualified subjects are proposed for this award.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<String>,
    /// Group ids: every tier of these groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// The achievement line for this award; empty uses the council's `reason`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

fn default_preparer() -> String {
    "NGƯỜI LẬP BIỂU".into()
}

impl Council {
    /// The words used when a campaign file has no `[council]` section: the plan's issuer in
    /// capitals over a generic council line, the generic signer, and dotted blanks where only
    /// the campaign file could know (the place); no award names, so the proposal list groups by
    /// tier under "Hình thức khen thưởng ……".
    pub(crate) fn fallback(c: &Campaign) -> Council {
        Council {
            issuer: vec![
                c.document.issuer_vi.to_uppercase(),
                "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG".into(),
            ],
            name: "Hội đồng Thi đua – Khen thưởng".into(),
            place: "……………".into(),
            signer: vec!["TM. HỘI ĐỒNG".into(), "CHỦ TỊCH".into()],
            signer_name: String::new(),
            preparer: default_preparer(),
            letter_symbol: "TTr-HĐTĐKT".into(),
            recipient: "……………………………".into(),
            copies_to: vec!["Như trên;".into(), "Lưu: VT.".into()],
            reason: format!(
                "Đã có thành tích xuất sắc trong {}",
                lower_first(&c.title_vi)
            ),
            awards: Vec::new(),
        }
    }

    /// The award the qualified subjects of `tier` (in group `group`) are proposed for.
    pub fn award_for(&self, tier: &str, group: &str) -> Option<&Award> {
        self.awards
            .iter()
            .find(|a| a.tiers.iter().any(|t| t == tier))
            .or_else(|| {
                self.awards
                    .iter()
                    .find(|a| a.groups.iter().any(|g| g == group))
            })
    }
}

impl Award {
    /// The achievement line of this award's proposals.
    pub fn reason<'a>(&'a self, council: &'a Council) -> &'a str {
        if self.reason.trim().is_empty() {
            &council.reason
        } else {
            &self.reason
        }
    }
}

/// "Phong trào …" → "phong trào …", for a title used inside a sentence.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Languages the campaign text and the UI come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The language a setting names: "vi" or "en".
    pub(crate) fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of a POSIX locale value such as LANG or LC_ALL (`en_US.UTF-8` → English,
    /// `vi_VN.UTF-8` → Vietnamese); `None` for anything else (C, POSIX, other languages).
    pub(crate) fn from_locale(value: &str) -> Option<Lang> {
        let v = value.trim().to_ascii_lowercase();
        if v.starts_with("en") {
            Some(Lang::En)
        } else if v.starts_with("vi") {
            Some(Lang::Vi)
        } else {
            None
        }
    }
}

impl Campaign {
    pub fn tier(&self, id: &str) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The criteria group that applies to subjects of `tier`.
    pub fn group_of_tier(&self, tier: &str) -> Option<&Group> {
        self.tier(tier).and_then(|t| self.group(&t.group))
    }

    pub fn deadline(&self, id: &str) -> Option<&Deadline> {
        self.deadlines.iter().find(|d| d.id == id)
    }

    /// Finds a criterion in any group.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.groups
            .iter()
            .flat_map(|g| &g.criteria)
            .find(|c| c.id == id)
    }

    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.title_vi,
            Lang::En => &self.title_en,
        }
    }

    /// The council's words: the campaign file's `[council]` section, or `Council::fallback`.
    pub fn council(&self) -> std::borrow::Cow<'_, Council> {
        match &self.council {
            Some(c) => std::borrow::Cow::Borrowed(c),
            None => std::borrow::Cow::Owned(Council::fallback(self)),
        }
    }

    /// Whether subjects of this tier are individuals (cá nhân) rather than collectives.
    pub(crate) fn is_individual_tier(&self, tier: &str) -> bool {
        tier == "individual"
    }
}

impl Tier {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.name_vi,
            Lang::En => &self.name_en,
        }
    }
}

impl Group {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.name_vi,
            Lang::En => &self.name_en,
        }
    }

    /// Whether this group is scored in points rather than pass/fail.
    pub(crate) fn is_points(&self) -> bool {
        self.criteria
            .iter()
            .any(|c| matches!(c.scale, Scale::Points(_)))
    }

    pub fn index_of(&self, criterion: &str) -> Option<usize> {
        self.criteria.iter().position(|c| c.id == criterion)
    }
}

impl Criterion {
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.title_vi,
            Lang::En => &self.title_en,
        }
    }

    pub fn description(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.description_vi,
            Lang::En => &self.description_en,
        }
    }

    /// Why `score` is not allowed on this criterion, as (maximum, step) for the message;
    /// `None` when it is allowed. Pass/fail criteria take no score.
    pub(crate) fn refuses_score(
        &self,
        score: super::Points,
    ) -> Option<(super::Points, Option<super::Points>)> {
        let Scale::Points(max) = self.scale else {
            return Some((super::Points::ZERO, None));
        };
        let max_p = super::Points::whole(max);
        let off_step = self.step.is_some_and(|st| {
            st.hundredths() != 0 && !score.hundredths().is_multiple_of(st.hundredths())
        });
        (score > max_p || off_step).then_some((max_p, self.step))
    }

    /// Whether a knock-out criterion is met by `value`; always true for an optional one.
    pub(crate) fn knock_out_met(&self, value: super::VerdictValue) -> bool {
        use super::VerdictValue as V;
        if !self.required {
            return true;
        }
        match (self.scale, value) {
            (_, V::Met) => true,
            (Scale::Points(_), V::Score(s)) => match self.min {
                Some(min) => s >= min,
                None => s > super::Points::ZERO,
            },
            _ => false,
        }
    }

    pub(crate) fn areas(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Vi => &self.areas_vi,
            Lang::En => &self.areas_en,
        }
    }
}

impl Deadline {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.name_vi,
            Lang::En => &self.name_en,
        }
    }
}
