//! The campaign-file corpus under tests/corpus/campaign: each broken file gives a clear error
//! that names the file and the key; escapes in texts are stripped, never stored.

use std::path::PathBuf;

use thidua::domain::Lang;
use thidua::i18n::word_told;
use thidua::interchange::campaign;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/campaign")
        .join(name)
}

#[test]
fn every_broken_campaign_file_is_refused_with_a_clear_message() {
    let cases = [
        ("truncated.toml", "line"),
        ("latin1.toml", "not UTF-8"),
        ("unknown_key.toml", "colour"),
        ("missing_key.toml", "title_en"),
        (
            "duplicate_criterion.toml",
            "\"TT2\", key `id`: the id is used twice",
        ),
        (
            "unknown_deadline.toml",
            "no [[deadline]] has id \"registraton\"",
        ),
        ("points_without_total.toml", "no key `qualifying_total`"),
        ("mixed_scales.toml", "mixes pass_fail and points"),
        ("unknown_group.toml", "no [[group]] has id \"individuals\""),
        ("impossible_date.toml", "start"),
        ("duplicate_tier.toml", "key `tier.id`"),
        ("wrong_format.toml", "key `format`"),
        ("huge_title.toml", "too long"),
    ];
    for (file, want) in cases {
        let path = corpus(file);
        let err = campaign::load(&path).expect_err(file);
        let msg = err.to_string();
        assert!(
            msg.starts_with(&path.display().to_string()),
            "{file}: names the file: {msg}"
        );
        assert!(msg.contains(want), "{file}: expected {want:?} in: {msg}");
        assert!(
            !msg.contains('\u{1b}'),
            "{file}: no raw escape in the message"
        );
    }
}

#[test]
fn every_broken_campaign_file_is_refused_in_vietnamese_too() {
    for entry in std::fs::read_dir(corpus("")).expect("corpus") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let Err(err) = campaign::load(&path) else {
            continue;
        };
        let vi = word_told(Lang::Vi, &err.told);
        let en = word_told(Lang::En, &err.told);
        assert_ne!(vi, en, "{name}: worded the same in both languages: {vi}");
        for english in crate::cli_lang::ENGLISH.iter().chain(&["line ", "column "]) {
            // The TOML reader's own detail stays as it says it.
            let ours = vi.split("(chi tiết từ bộ đọc TOML:").next().unwrap_or(&vi);
            assert!(!ours.contains(english), "{name}: {english:?} in: {vi}");
        }
        if en.contains("line ") {
            assert!(vi.contains("dòng "), "{name}: the line is named: {vi}");
        }
        assert!(!vi.contains('\u{1b}'), "{name}: no raw escape: {vi}");
    }
}

#[test]
fn escapes_in_campaign_texts_are_stripped() {
    let c = campaign::load(&corpus("escapes_in_titles.toml")).expect("loads");
    assert!(!c.title_en.contains('\u{1b}') && !c.title_en.contains('\u{202e}'));
    assert!(
        !c.title_en.contains("[31m"),
        "the whole sequence goes: {}",
        c.title_en
    );
}

#[test]
fn the_bundled_campaign_has_ten_and_four_criteria() {
    let c = campaign::sample();
    let counts: Vec<(&str, usize)> = c
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.criteria.len()))
        .collect();
    assert_eq!(counts, [("collective", 10), ("individual", 4)]);
    let tt2 = c.criterion("TT2").expect("TT2");
    assert_eq!(tt2.areas_vi.len(), 7);
    assert_eq!(tt2.areas_en.len(), 7);
    assert_eq!(c.document.number, "443/KH-UBND");
}
