//! Names that look alike when cut: at 80×24 on the sample roster, no two visible rows of the
//! subject list or of search results read the same; those that would show what tells them
//! apart (the tail of the name or the parent).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{Index, Init, Model, Msg, Role, update};
use thidua::commands::init::Contents;
use thidua::domain::Lang;

use crate::console;

fn init(width: u16, height: u16) -> Init {
    let sample = Contents::sample().expect("sample");
    let campaign = thidua::interchange::campaign::sample();
    let subjects = sample
        .subjects
        .into_iter()
        .enumerate()
        .map(|(i, s)| (i as u32 + 1, s))
        .collect();
    Init {
        index: Index::build(&campaign, subjects, Vec::new(), Vec::new()),
        campaign,
        reviewer: "nguyen.van.an".into(),
        lang: Lang::Vi,
        role: Role::Reviewer,
        cursor: None,
        no_color: false,
        today: console::today(),
        width,
        height,
    }
}

fn press(model: &mut Model, keys: &str) {
    for c in keys.chars() {
        let key = match c {
            '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        };
        update(model, Msg::Key(key));
    }
}

/// The rows of the subject pane (left of the first `┐`), without the marker and symbol.
fn subject_rows(model: &Model) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(model.size().0, model.size().1)).expect("terminal");
    t.draw(|f| thidua::ui::view(model, f)).expect("draw");
    let buf = t.backend().buffer();
    let left = thidua::app::geometry::left_width(model.size().0);
    let mut out = Vec::new();
    for y in 1..buf.area.height {
        let line: String = (1..left.saturating_sub(1))
            .map(|x| buf[(x, y)].symbol())
            .collect();
        if line.starts_with('└') || line.contains('─') {
            break;
        }
        // Subject rows start with the marker or two spaces, then a symbol and a space.
        let body: String = line.chars().skip(4).collect();
        if !body.trim().is_empty() && line.chars().nth(3) == Some(' ') {
            out.push(body.trim_end().to_string());
        }
    }
    out
}

fn assert_distinct(rows: &[String], what: &str) {
    let mut seen = std::collections::HashSet::new();
    for r in rows {
        assert!(seen.insert(r.clone()), "{what}: {r:?} twice in {rows:#?}");
    }
}

#[test]
fn search_results_for_phong_noi_vu_read_differently_at_80_by_24() {
    let mut m = Model::new(init(80, 24));
    press(&mut m, "/phong noi vu");
    let rows = subject_rows(&m);
    assert!(rows.len() >= 10, "{rows:#?}");
    assert!(rows.iter().all(|r| r.starts_with("Ph")), "{rows:#?}");
    assert_distinct(&rows, "search results");
    // Walking down the results, every window stays distinct.
    for _ in 0..rows.len() * 2 {
        update(
            &mut m,
            Msg::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)),
        );
        assert_distinct(&subject_rows(&m), "search results, scrolled");
    }
}

#[test]
fn the_subject_list_reads_differently_in_every_window() {
    for (w, h) in [(80, 24), (60, 16)] {
        let mut m = Model::new(init(w, h));
        for kind in 0..2 {
            for _ in 0..600 {
                assert_distinct(&subject_rows(&m), &format!("subject list at {w}×{h}"));
                update(
                    &mut m,
                    Msg::Key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE)),
                );
            }
            if kind == 0 {
                press(&mut m, "t");
            }
        }
    }
}
