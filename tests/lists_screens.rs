//! The lists at 80×24 as insta snapshots (ratatui TestBackend), in Vietnamese and English:
//! twenty initiatives on one subject, the list scrolled to its end with the last one selected.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{Index, Init, Model, Msg, Role, update};
use thidua::commands::init::Contents;
use thidua::domain::{Initiative, InitiativeStatus, Lang};
use thidua::ui::Words;

use crate::console;

/// The sample roster with twenty more initiatives on the first subject (VPUBND).
fn init(lang: Lang) -> Init {
    let sample = Contents::sample().expect("sample");
    let mut initiatives = sample.initiatives;
    for n in 1..=20 {
        initiatives.push(Initiative {
            id: format!("SKB{n:05}"),
            title: format!("Sáng kiến cải tiến số {n}"),
            owner: "VPUBND".into(),
            submitted_on: chrono::NaiveDate::from_ymd_opt(2021, 8, 2),
            status: if n == 20 {
                InitiativeStatus::NotRecognized
            } else {
                InitiativeStatus::Submitted
            },
            recognition: None,
            version: 1,
        });
    }
    let subjects = sample
        .subjects
        .into_iter()
        .enumerate()
        .map(|(i, s)| (i as u32 + 1, s))
        .collect();
    Init {
        index: Index::build(&sample.campaign, subjects, Vec::new(), initiatives),
        campaign: sample.campaign,
        reviewer: "nguyen.van.an".into(),
        lang,
        role: Role::Reviewer,
        cursor: None,
        no_color: false,
        today: console::today(),
        width: 80,
        height: 24,
    }
}

fn press(model: &mut Model, keys: &str) {
    for c in keys.chars() {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        update(model, Msg::Key(KeyEvent::new(KeyCode::Char(c), mods)));
    }
}

fn screen(model: &Model) -> String {
    let mut t = Terminal::new(TestBackend::new(model.size().0, model.size().1)).expect("terminal");
    t.draw(|f| thidua::ui::view(model, f)).expect("draw");
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn initiatives_scrolled_to_the_end() {
    for (lang, suffix) in [(Lang::Vi, "vi"), (Lang::En, "en")] {
        let mut m = Model::new(init(lang));
        // Nineteen steps down from the first: the twentieth, the last, is selected.
        press(&mut m, &format!("i{}", "j".repeat(19)));
        let s = screen(&m);
        assert!(s.contains("▶ SKB00020"), "{s}");
        assert!(!s.contains("SKB00001"), "{s}");
        // `G` lands on the same screen.
        let mut g = Model::new(init(lang));
        press(&mut g, "iG");
        assert_eq!(screen(&g), s);
        insta::assert_snapshot!(format!("initiatives_end_{suffix}"), s);
    }
}

/// The sample roster with VPUBND decided except TT4, waiting for an explanation, and Sở Tư
/// pháp waiting on TT2.
fn waiting(lang: Lang) -> Init {
    let verdict = |value, note: &str| thidua::domain::Verdict {
        value,
        note: note.into(),
        reviewer: "tran.thi.binh".into(),
        decided_at: console::at("2021-12-01T02:30:00Z"),
        version: 1,
    };
    use thidua::domain::VerdictValue::{Met, NeedsExplanation};
    let mut verdicts: Vec<(u32, u16, thidua::domain::Verdict)> = (0..10)
        .filter(|c| *c != 3)
        .map(|c| (1, c, verdict(Met, "")))
        .collect();
    verdicts.push((1, 3, verdict(NeedsExplanation, "Chờ báo cáo bổ sung")));
    verdicts.push((10, 1, verdict(NeedsExplanation, "Thiếu kế hoạch")));
    console::sample_init(lang, "nguyen.van.an", verdicts)
}

/// Times (HH:MM after a date) masked, as the other snapshots do.
fn masked(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 5 <= chars.len()
            && chars[i].is_ascii_digit()
            && chars[i + 1].is_ascii_digit()
            && chars[i + 2] == ':'
            && chars[i + 3].is_ascii_digit()
            && chars[i + 4].is_ascii_digit()
        {
            out.push_str("HH:MM");
            i += 5;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn the_waiting_for_an_explanation_filter() {
    for (lang, suffix) in [(Lang::Vi, "vi"), (Lang::En, "en")] {
        let mut m = Model::new(waiting(lang));
        // Three presses of f: all → pending → not met/explain → waiting; Enter opens TT4.
        press(&mut m, "fff");
        update(
            &mut m,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        insta::assert_snapshot!(format!("waiting_filter_{suffix}"), masked(&screen(&m)));
    }
}

/// The recognition form's error stays on screen at 60×20 (and at 60×16 and 80×24), with the
/// twenty-initiative list open above it, for a missing field and for a bad date.
#[test]
fn a_form_error_stays_on_screen_at_60_by_20() {
    for lang in [Lang::Vi, Lang::En] {
        for (w, h) in [(60, 20), (60, 16), (80, 24)] {
            for (case, expected) in [
                ("missing", "thiếu cơ quan công nhận"),
                ("date", "Ngày không hợp lệ"),
            ] {
                let mut init = init(lang);
                init.width = w;
                init.height = h;
                let mut m = Model::new(init);
                press(&mut m, &format!("i{}r", "j".repeat(12)));
                let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
                if case == "date" {
                    update(&mut m, Msg::Paste("Sở Nội vụ".into()));
                    update(&mut m, key(KeyCode::Tab));
                    update(&mut m, Msg::Paste("12/QĐ-SNV".into()));
                    update(&mut m, key(KeyCode::Tab));
                    for _ in 0..12 {
                        update(&mut m, key(KeyCode::Backspace));
                    }
                    update(&mut m, Msg::Paste("31/02/2021".into()));
                }
                update(&mut m, key(KeyCode::Enter));
                let s = screen(&m);
                let want = match lang {
                    Lang::Vi => expected.to_string(),
                    Lang::En if case == "missing" => "the recognizing authority is missing".into(),
                    Lang::En => "Not a valid date".into(),
                };
                assert!(
                    s.contains(&want),
                    "{case} error not on screen at {w}×{h}:\n{s}"
                );
                // The initiative being recognised is still shown, selected.
                assert!(s.contains("▶ SKB00013"), "{w}×{h}:\n{s}");
            }
        }
    }
}

/// The help from the subject list at 80×24 ends with the legend of every symbol, on screen
/// without scrolling.
#[test]
fn help_has_the_legend() {
    for (lang, suffix) in [(Lang::Vi, "vi"), (Lang::En, "en")] {
        let mut m = Model::new(waiting(lang));
        press(&mut m, "?");
        let s = masked(&screen(&m));
        for symbol in ["✓", "✗", "○", "?", "·", "#", "◇"] {
            let legend_line = s
                .lines()
                .skip_while(|l| !l.contains(m.tr(thidua::i18n::Key::LegendTitle)))
                .any(|l| l.contains(&format!(" {symbol} ")));
            assert!(legend_line, "{symbol} missing from the legend:\n{s}");
        }
        insta::assert_snapshot!(format!("help_legend_{suffix}"), s);
    }
}
