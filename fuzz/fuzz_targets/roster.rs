//! Arbitrary bytes as a roster CSV: the parser and the roster checks must return rows or a
//! precise error, never panic, and every accepted name must be clean text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thidua::interchange::{campaign, roster, table};

static CAMPAIGN: std::sync::OnceLock<thidua::domain::Campaign> = std::sync::OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let campaign = CAMPAIGN.get_or_init(campaign::sample);
    if let Ok(t) = table::parse_csv("fuzz.csv", data)
        && let Ok(subjects) = roster::parse(&t, campaign, &[])
    {
        for s in subjects {
            assert_eq!(s.name, thidua::text::clean(&s.name));
        }
    }
});
