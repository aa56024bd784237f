//! The value encoding of verdicts, the one record the console loads by the hundred thousand
//! at start. Hand-written and fixed-layout because JSON decoding dominated start-up at
//! province scale (about 2 µs a verdict); this layout decodes in a fraction of that.
//! Other records (subjects, initiatives, audit events, the campaign) stay JSON: they are read
//! rarely or are small.
//!
//! Layout, all integers big-endian:
//! ```text
//! u8   value tag: 0 pending, 1 met, 2 not met, 3 needs explanation,
//!      4 score in whole points, 5 score in hundredths of a point
//! u32  score (0 unless tag 4 or 5)
//! u64  version
//! i64  decided_at, milliseconds since the Unix epoch, UTC
//! u16  reviewer length in bytes, then the reviewer's UTF-8
//! u32  note length in bytes, then the note's UTF-8
//! ```
//!
//! Tag 4 is how databases written before decimal scores stored a score; it is still written
//! for whole scores, so those databases need no migration and older binaries keep reading
//! them. Tag 5 carries any score exactly as hundredths (`7,5` is 750).

use chrono::{DateTime, Utc};

use crate::domain::{Points, Verdict, VerdictRef, VerdictValue};

pub(crate) fn encode_verdict(v: &Verdict) -> Vec<u8> {
    let (tag, score) = match v.value {
        VerdictValue::Pending => (0u8, 0u32),
        VerdictValue::Met => (1, 0),
        VerdictValue::NotMet => (2, 0),
        VerdictValue::NeedsExplanation => (3, 0),
        VerdictValue::Score(s) if s.hundredths().is_multiple_of(100) => (4, s.hundredths() / 100),
        VerdictValue::Score(s) => (5, s.hundredths()),
    };
    let reviewer = v.reviewer.as_bytes();
    let reviewer = &reviewer[..reviewer.len().min(usize::from(u16::MAX))];
    let note = v.note.as_bytes();
    let mut out = Vec::with_capacity(27 + reviewer.len() + note.len());
    out.push(tag);
    out.extend_from_slice(&score.to_be_bytes());
    out.extend_from_slice(&v.version.to_be_bytes());
    out.extend_from_slice(&v.decided_at.timestamp_millis().to_be_bytes());
    out.extend_from_slice(&(reviewer.len() as u16).to_be_bytes());
    out.extend_from_slice(reviewer);
    out.extend_from_slice(&(note.len() as u32).to_be_bytes());
    out.extend_from_slice(note);
    out
}

/// Decodes a verdict; `None` for bytes that are not one.
pub(crate) fn decode_verdict(bytes: &[u8]) -> Option<Verdict> {
    decode_verdict_ref(bytes).map(|v| v.to_verdict())
}

/// Decodes a verdict borrowing its strings from `bytes`; `None` for bytes that are not one.
pub(crate) fn decode_verdict_ref(bytes: &[u8]) -> Option<VerdictRef<'_>> {
    let mut r = Reader(bytes);
    let tag = r.take(1)?[0];
    let score = u32::from_be_bytes(r.take(4)?.try_into().ok()?);
    let value = match tag {
        0 => VerdictValue::Pending,
        1 => VerdictValue::Met,
        2 => VerdictValue::NotMet,
        3 => VerdictValue::NeedsExplanation,
        4 => VerdictValue::Score(Points::whole(score.min(u32::MAX / 100))),
        5 => VerdictValue::Score(Points::from_hundredths(score)),
        _ => return None,
    };
    let version = u64::from_be_bytes(r.take(8)?.try_into().ok()?);
    let millis = i64::from_be_bytes(r.take(8)?.try_into().ok()?);
    let decided_at = DateTime::<Utc>::from_timestamp_millis(millis)?;
    let len = u16::from_be_bytes(r.take(2)?.try_into().ok()?);
    let reviewer = std::str::from_utf8(r.take(usize::from(len))?).ok()?;
    let len = u32::from_be_bytes(r.take(4)?.try_into().ok()?);
    let note = std::str::from_utf8(r.take(len as usize)?).ok()?;
    if !r.0.is_empty() {
        return None;
    }
    Some(VerdictRef {
        value,
        note,
        reviewer,
        decided_at,
        version,
    })
}

/// The value encoding of a self-assessment claim (`subjectcriterion_claim`), the same first
/// five bytes as a verdict, then the evidence note:
/// ```text
/// u8   value tag: 1 met, 2 not met, 4 score in whole points, 5 score in hundredths
/// u32  score (0 unless tag 4 or 5)
/// u32  evidence length in bytes, then the evidence's UTF-8
/// ```
pub(crate) fn encode_claim(c: &crate::domain::Claim) -> Vec<u8> {
    let (tag, score) = match c.value {
        VerdictValue::Met => (1u8, 0u32),
        VerdictValue::NotMet => (2, 0),
        VerdictValue::Score(s) if s.hundredths().is_multiple_of(100) => (4, s.hundredths() / 100),
        VerdictValue::Score(s) => (5, s.hundredths()),
        // A claim is never pending nor needs-explanation; stored as not met would be wrong,
        // so these are kept as their verdict tags and refused when read back.
        VerdictValue::Pending => (0, 0),
        VerdictValue::NeedsExplanation => (3, 0),
    };
    let evidence = c.evidence.as_bytes();
    let mut out = Vec::with_capacity(9 + evidence.len());
    out.push(tag);
    out.extend_from_slice(&score.to_be_bytes());
    out.extend_from_slice(&(evidence.len() as u32).to_be_bytes());
    out.extend_from_slice(evidence);
    out
}

/// Decodes a claim; `None` for bytes that are not one.
pub(crate) fn decode_claim(bytes: &[u8]) -> Option<crate::domain::Claim> {
    let mut r = Reader(bytes);
    let tag = r.take(1)?[0];
    let score = u32::from_be_bytes(r.take(4)?.try_into().ok()?);
    let value = match tag {
        1 => VerdictValue::Met,
        2 => VerdictValue::NotMet,
        4 => VerdictValue::Score(Points::whole(score.min(u32::MAX / 100))),
        5 => VerdictValue::Score(Points::from_hundredths(score)),
        _ => return None,
    };
    let len = u32::from_be_bytes(r.take(4)?.try_into().ok()?);
    let evidence = std::str::from_utf8(r.take(len as usize)?).ok()?.to_string();
    if !r.0.is_empty() {
        return None;
    }
    Some(crate::domain::Claim { value, evidence })
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::verdict::strategies::value;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn verdicts_round_trip(value in value(), version in any::<u64>(), millis in -8_000_000_000_000i64..8_000_000_000_000,
                               reviewer in "\\PC{0,40}", note in "\\PC{0,300}") {
            let v = Verdict {
                value, version, reviewer, note,
                decided_at: DateTime::<Utc>::from_timestamp_millis(millis).expect("in range"),
            };
            prop_assert_eq!(decode_verdict(&encode_verdict(&v)), Some(v));
        }

        #[test]
        fn claims_round_trip(tag in 0usize..3, h in any::<u32>(), evidence in "\\PC{0,200}") {
            let value = [VerdictValue::Met, VerdictValue::NotMet, VerdictValue::Score(Points::from_hundredths(h))][tag];
            let c = crate::domain::Claim { value, evidence };
            prop_assert_eq!(decode_claim(&encode_claim(&c)), Some(c));
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            let _ = decode_verdict(&bytes);
        }
    }

    #[test]
    fn whole_scores_keep_the_old_layout_and_decimals_read_exactly() {
        let mut v = Verdict {
            value: VerdictValue::Score(Points::whole(7)),
            note: String::new(),
            reviewer: "a".into(),
            decided_at: DateTime::<Utc>::from_timestamp_millis(1_630_000_000_000).expect("time"),
            version: 1,
        };
        let bytes = encode_verdict(&v);
        assert_eq!(
            &bytes[..5],
            &[4, 0, 0, 0, 7],
            "a database of whole scores is unchanged"
        );
        v.value = VerdictValue::Score(Points::from_hundredths(750));
        let bytes = encode_verdict(&v);
        assert_eq!(&bytes[..5], &[5, 0, 0, 2, 238]);
        assert_eq!(decode_verdict(&bytes), Some(v));
    }

    #[test]
    fn truncated_or_padded_bytes_are_refused() {
        let v = Verdict {
            value: VerdictValue::NotMet,
            note: "Chưa có báo cáo".into(),
            reviewer: "a".into(),
            decided_at: DateTime::<Utc>::from_timestamp_millis(1_630_000_000_000).expect("time"),
            version: 3,
        };
        let bytes = encode_verdict(&v);
        assert_eq!(decode_verdict(&bytes[..bytes.len() - 1]), None);
        let mut padded = bytes.clone();
        padded.push(0);
        assert_eq!(decode_verdict(&padded), None);
    }
}
