//! The whole description of a criterion (key d), driven through the console's `update` and
//! drawn: TT2's funding requirement, which the detail pane cannot show at 80×24, is readable in
//! the overlay from the criteria pane and from review by criterion; the overlay scrolls and
//! always says which lines are shown.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{Index, Init, Model, Msg, Role, update};
use thidua::commands::init::Contents;
use thidua::domain::Lang;

use crate::console;

fn init(lang: Lang, width: u16, height: u16) -> Init {
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
        lang,
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
            '\x1b' => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
            c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        };
        update(model, Msg::Key(key));
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

/// The screen with the text joined across lines, to find a phrase the overlay wrapped.
fn joined(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn tt2_reads_whole_at_80_by_24_in_both_languages() {
    for (lang, suffix, funding) in [
        (Lang::Vi, "vi", "có bố trí kinh phí thực hiện"),
        (
            Lang::En,
            "en",
            "with funding allocated for its implementation",
        ),
    ] {
        let mut m = Model::new(init(lang, 80, 24));
        // Open the first subject, go to TT2; the detail pane does not reach the funding.
        press(&mut m, "\ngj");
        assert!(
            !joined(&screen(&m)).contains(funding),
            "the detail pane shows it already:\n{}",
            screen(&m)
        );
        press(&mut m, "d");
        let s = screen(&m);
        assert!(s.contains("TT2 · "), "{s}");
        assert!(joined(&s).contains(funding), "{s}");
        insta::assert_snapshot!(format!("tt2_description_{suffix}"), s);
        press(&mut m, "\x1b");
        let closed = screen(&m);
        assert!(
            !closed.contains("dòng 1–") && !closed.contains("lines 1–"),
            "Esc closes it:\n{closed}"
        );
    }
}

#[test]
fn a_small_terminal_scrolls_and_shows_where_it_is() {
    let mut m = Model::new(init(Lang::Vi, 60, 16));
    press(&mut m, "\ngjd");
    let s = screen(&m);
    // 9 lines of text in the box at 60×16, of more.
    let total: usize = {
        let at = s.find("dòng 1–9/").expect("position in the border");
        s[at + "dòng 1–9/".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .expect("count")
    };
    assert!(total > 9, "{s}");
    press(&mut m, "j");
    assert!(
        screen(&m).contains(&format!("dòng 2–10/{total}")),
        "{}",
        screen(&m)
    );
    press(&mut m, "G");
    let end = screen(&m);
    assert!(
        end.contains(&format!("dòng {}–{total}/{total}", total - 8)),
        "{end}"
    );
    // The last area is the last line shown.
    let last_line = end
        .lines()
        .find(|l| l.contains("dòng "))
        .expect("bottom border");
    let above = end
        .lines()
        .take_while(|l| *l != last_line)
        .last()
        .expect("line");
    assert!(above.contains("phủ số"), "{end}");
    // Past the end nothing moves; g goes back to the top.
    press(&mut m, "jjj");
    assert!(screen(&m).contains(&format!("dòng {}–{total}/{total}", total - 8)));
    press(&mut m, "g");
    assert!(screen(&m).contains("dòng 1–9/"));
}

#[test]
fn review_by_criterion_opens_it_on_its_criterion() {
    let mut m = Model::new(init(Lang::En, 80, 24));
    press(&mut m, "\ngjb");
    assert!(m.by_criterion().is_some(), "{}", screen(&m));
    press(&mut m, "d");
    let s = screen(&m);
    assert!(s.contains("TT2 · "), "{s}");
    assert!(
        joined(&s).contains("with funding allocated for its implementation"),
        "{s}"
    );
    press(&mut m, "d");
    assert!(!screen(&m).contains("lines 1–"), "{}", screen(&m));
    assert!(
        m.by_criterion().is_some(),
        "closing it returns to review by criterion"
    );
}
