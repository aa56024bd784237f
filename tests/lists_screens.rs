//! The lists at 80×24 as insta snapshots (ratatui TestBackend), in Vietnamese and English:
//! twenty initiatives on one subject, the list scrolled to its end with the last one selected.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::{Index, Init, Model, Msg, Role, update};
use thidua::commands::init::Contents;
use thidua::domain::{Initiative, InitiativeStatus, Lang};

#[path = "support/console.rs"]
mod console;

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
    let mut t = Terminal::new(TestBackend::new(model.width, model.height)).expect("terminal");
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
