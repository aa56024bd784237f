//! Key layouts of every tree, by hand, big-endian, so that sled's byte order is the logical
//! order (never serde/bincode for keys: their integer encodings do not sort).
//!
//! | tree                        | key                                   | value            |
//! |-----------------------------|---------------------------------------|------------------|
//! | `meta`                      | ASCII name                            | see `store::meta`|
//! | `subjectno_subject`         | subject no: u32 BE                    | Subject JSON     |
//! | `subjectid_subjectno`       | subject id: UTF-8 bytes               | u32 BE           |
//! | `subjectcriterion_verdict`  | subject no: u32 BE ++ criterion: u16 BE (index in its group) | Verdict JSON |
//! | `initiativeno_initiative`   | initiative no: u32 BE                 | Initiative JSON  |
//! | `initiativeid_initiativeno` | initiative id: UTF-8 bytes            | u32 BE           |
//! | `seq_audit`                 | audit seq: u64 BE                     | AuditEvent JSON  |
//! | `subjectseq_audit`          | subject no: u32 BE ++ audit seq: u64 BE | empty (an index) |
//! | `reviewer_cursor`           | reviewer name: UTF-8 bytes            | Cursor JSON      |
//! | `subjectcriterion_claim`    | as `subjectcriterion_verdict` (`verdict_key`) | Claim (`codec::encode_claim`) |
//!
//! Subject and initiative numbers are given in import order and never reused, so scanning
//! `subjectno_subject` yields the roster in file order.

/// Key of a subject or initiative by number.
pub(crate) fn no_key(no: u32) -> [u8; 4] {
    no.to_be_bytes()
}

pub fn decode_no(bytes: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.try_into().ok()?))
}

/// Key of one verdict: the subject's number, then the criterion's index in its group.
pub fn verdict_key(subject_no: u32, criterion_index: u16) -> [u8; 6] {
    let mut k = [0u8; 6];
    k[..4].copy_from_slice(&subject_no.to_be_bytes());
    k[4..].copy_from_slice(&criterion_index.to_be_bytes());
    k
}

/// The tree of self-assessment claims; its keys are `verdict_key`s: a subject's claims are
/// one prefix, in criterion order.
pub(crate) const CLAIMS_TREE: &str = "subjectcriterion_claim";

pub(crate) fn decode_verdict_key(bytes: &[u8]) -> Option<(u32, u16)> {
    if bytes.len() != 6 {
        return None;
    }
    let no = u32::from_be_bytes(bytes[..4].try_into().ok()?);
    let idx = u16::from_be_bytes(bytes[4..].try_into().ok()?);
    Some((no, idx))
}

/// Key of one event in a subject's index of events: the subject's number, then the event's
/// sequence number, so a subject's events are one prefix, in order.
pub(crate) fn subject_seq_key(subject_no: u32, seq: u64) -> [u8; 12] {
    let mut k = [0u8; 12];
    k[..4].copy_from_slice(&subject_no.to_be_bytes());
    k[4..].copy_from_slice(&seq.to_be_bytes());
    k
}

pub(crate) fn decode_subject_seq_key(bytes: &[u8]) -> Option<(u32, u64)> {
    if bytes.len() != 12 {
        return None;
    }
    let no = u32::from_be_bytes(bytes[..4].try_into().ok()?);
    let seq = u64::from_be_bytes(bytes[4..].try_into().ok()?);
    Some((no, seq))
}

pub(crate) fn seq_key(seq: u64) -> [u8; 8] {
    seq.to_be_bytes()
}

pub(crate) fn decode_seq(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn verdict_key_order_is_logical_order(a in any::<(u32, u16)>(), b in any::<(u32, u16)>()) {
            let (ka, kb) = (verdict_key(a.0, a.1), verdict_key(b.0, b.1));
            prop_assert_eq!(ka.cmp(&kb), a.cmp(&b));
            prop_assert_eq!(decode_verdict_key(&ka), Some(a));
        }

        #[test]
        fn seq_and_no_key_order_is_numeric_order(a in any::<u64>(), b in any::<u64>(), x in any::<u32>(), y in any::<u32>()) {
            prop_assert_eq!(seq_key(a).cmp(&seq_key(b)), a.cmp(&b));
            prop_assert_eq!(no_key(x).cmp(&no_key(y)), x.cmp(&y));
            prop_assert_eq!(decode_seq(&seq_key(a)), Some(a));
            prop_assert_eq!(decode_no(&no_key(x)), Some(x));
        }

        #[test]
        fn subject_seq_key_order_is_logical_order(a in any::<(u32, u64)>(), b in any::<(u32, u64)>()) {
            let (ka, kb) = (subject_seq_key(a.0, a.1), subject_seq_key(b.0, b.1));
            prop_assert_eq!(ka.cmp(&kb), a.cmp(&b));
            prop_assert_eq!(decode_subject_seq_key(&ka), Some(a));
            prop_assert!(ka.starts_with(&no_key(a.0)));
        }

        #[test]
        fn one_subjects_verdicts_are_a_contiguous_prefix(no in any::<u32>(), i in any::<u16>()) {
            prop_assert!(verdict_key(no, i).starts_with(&no_key(no)));
        }
    }
}
