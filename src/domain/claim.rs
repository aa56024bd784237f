//! Self-assessment (tự đánh giá): before the reviewers appraise (thẩm định) a unit, the unit
//! scores itself. A claim is what the unit said for one criterion, with its evidence note
//! (tài liệu kiểm chứng). Claims never count towards an outcome; a reviewer may take one as
//! the verdict.

use serde::{Deserialize, Serialize};

use super::{Criterion, Points, Scale, VerdictValue};

/// What a subject claimed for one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// Met or not met (pass/fail criteria) or a score (points criteria); never pending.
    pub value: VerdictValue,
    /// The evidence note (tài liệu kiểm chứng); may be empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evidence: String,
}

/// Why a cell cannot be a claim on a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimRefusal {
    /// Not a word or mark for met / not met (pass/fail criterion).
    NotPassFail,
    /// Not a number of points (points criterion).
    NotPoints,
    /// A score above the criterion's maximum.
    AboveMax(Points),
    /// A score that is not a multiple of the criterion's step.
    OffStep(Points),
}

/// Words and marks meaning met, compared folded (no case, no diacritics, no spaces).
const MET: [&str; 9] = ["dat", "x", "✓", "✔", "co", "yes", "met", "pass", "1"];
/// Words and marks meaning not met.
const NOT_MET: [&str; 10] = [
    "khongdat", "kdat", "chuadat", "✗", "✘", "khong", "no", "notmet", "fail", "0",
];

/// Reads a non-empty cell as a claim value for `criterion`: Đạt / Không đạt / x / ✓ / ✗ (any
/// case, with or without diacritics) on a pass/fail criterion, a number of points with a
/// comma or a dot on a points criterion.
pub fn parse_claim_value(criterion: &Criterion, cell: &str) -> Result<VerdictValue, ClaimRefusal> {
    match criterion.scale {
        Scale::PassFail => {
            let folded: String = crate::text::fold(cell)
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '.')
                .collect();
            if MET.contains(&folded.as_str()) {
                Ok(VerdictValue::Met)
            } else if NOT_MET.contains(&folded.as_str()) {
                Ok(VerdictValue::NotMet)
            } else {
                Err(ClaimRefusal::NotPassFail)
            }
        }
        Scale::Points(_) => {
            let score = Points::parse(cell).ok_or(ClaimRefusal::NotPoints)?;
            match criterion.refuses_score(score) {
                None => Ok(VerdictValue::Score(score)),
                Some((max, _)) if score > max => Err(ClaimRefusal::AboveMax(max)),
                Some((_, step)) => Err(ClaimRefusal::OffStep(step.unwrap_or(Points::ZERO))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(scale: Scale, step: Option<Points>) -> Criterion {
        Criterion {
            id: "TT1".into(),
            title_vi: "t".into(),
            title_en: "t".into(),
            description_vi: String::new(),
            description_en: String::new(),
            scale,
            areas_vi: Vec::new(),
            areas_en: Vec::new(),
            hint: None,
            step,
            required: false,
            min: None,
        }
    }

    #[test]
    fn pass_fail_words_and_marks() {
        let c = criterion(Scale::PassFail, None);
        for met in ["Đạt", "đạt", "DAT", "x", "X", "✓", " Đạt "] {
            assert_eq!(parse_claim_value(&c, met), Ok(VerdictValue::Met), "{met}");
        }
        for not in ["Không đạt", "khong dat", "KHÔNG ĐẠT", "✗", "Chưa đạt"] {
            assert_eq!(
                parse_claim_value(&c, not),
                Ok(VerdictValue::NotMet),
                "{not}"
            );
        }
        assert_eq!(parse_claim_value(&c, "8"), Err(ClaimRefusal::NotPassFail));
        assert_eq!(parse_claim_value(&c, "tốt"), Err(ClaimRefusal::NotPassFail));
    }

    #[test]
    fn points_with_comma_or_dot_within_scale_and_step() {
        let c = criterion(Scale::Points(10), Some(Points::from_hundredths(50)));
        let s = |h| Ok(VerdictValue::Score(Points::from_hundredths(h)));
        assert_eq!(parse_claim_value(&c, "8,5"), s(850));
        assert_eq!(parse_claim_value(&c, "8.5"), s(850));
        assert_eq!(parse_claim_value(&c, "10"), s(1000));
        assert_eq!(parse_claim_value(&c, "Đạt"), Err(ClaimRefusal::NotPoints));
        assert_eq!(
            parse_claim_value(&c, "12"),
            Err(ClaimRefusal::AboveMax(Points::whole(10)))
        );
        assert_eq!(
            parse_claim_value(&c, "8,25"),
            Err(ClaimRefusal::OffStep(Points::from_hundredths(50)))
        );
    }
}
