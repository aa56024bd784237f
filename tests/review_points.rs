//! A campaign scored in points, driven through the console's `update` and drawn at 80×24:
//! decimals with a comma or a dot, the total against the threshold, refusals with the range.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{Effect, Index, Init, Model, Msg, Role, Saved, update};
use thidua::commands::init::Contents;
use thidua::domain::Lang;

use crate::console;

/// The sample campaign with its collective group scored in points: 10 criteria of 10 points
/// in steps of 0.5, a qualifying total of 80.
pub fn points_campaign_text() -> String {
    thidua::interchange::campaign::SAMPLE
        .replace(
            "name_en = \"Collectives\"\n",
            "name_en = \"Collectives\"\nqualifying_total = 80\n",
        )
        .replacen(
            "\nscale = \"pass_fail\"",
            "\nscale = { points = 10 }\nstep = 0.5",
            10,
        )
}

fn init(lang: Lang) -> Init {
    let sample = Contents::sample().expect("sample");
    let campaign = thidua::interchange::campaign::parse(&points_campaign_text(), "points.toml")
        .expect("valid");
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
        width: 80,
        height: 24,
    }
}

fn press(model: &mut Model, keys: &str) {
    for c in keys.chars() {
        let key = match c {
            '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        };
        // Every write is answered as the store would, so the screen shows it saved.
        for fx in update(model, Msg::Key(key)) {
            if let Effect::SaveVerdict(w) = fx {
                let verdict = thidua::domain::Verdict {
                    value: w.value,
                    note: w.note.clone(),
                    reviewer: "nguyen.van.an".into(),
                    decided_at: console::at("2021-12-01T02:30:00Z"),
                    version: w.base_version + 1,
                };
                update(model, Msg::Saved(Saved::Verdict { write: w, verdict }));
            }
        }
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
fn decimals_with_a_comma_or_a_dot_and_the_total_against_the_threshold() {
    for (lang, suffix, need) in [(Lang::Vi, "vi", "cần"), (Lang::En, "en", "needs")] {
        let mut m = Model::new(init(lang));
        assert!(
            screen(&m).contains(&format!("0/100 · {need} 80")),
            "{}",
            screen(&m)
        );
        // Open the first subject; score TT1 7,5 and TT2 7.5: 15 points, not 150.
        press(&mut m, "\n7,5\n");
        press(&mut m, "7.5\n");
        let s = screen(&m);
        assert!(s.contains(&format!("15/100 · {need} 80")), "{s}");
        // `y` gives full points, shown as a number.
        press(&mut m, "y");
        let s = screen(&m);
        assert!(s.contains(&format!("25/100 · {need} 80")), "{s}");
        insta::assert_snapshot!(format!("points_campaign_{suffix}"), s);
        // Out of range and off the step: refused on screen with the allowed range.
        press(&mut m, "11\n");
        let s = screen(&m);
        assert!(
            s.contains("10") && s.contains(&format!("25/100 · {need} 80")),
            "{s}"
        );
        assert!(
            s.contains(if lang == Lang::Vi {
                "không hợp lệ"
            } else {
                "refused"
            }),
            "{s}"
        );
        press(&mut m, "7,3\n");
        let s = screen(&m);
        let step = if lang == Lang::Vi {
            "bước 0,5"
        } else {
            "steps of 0.5"
        };
        assert!(s.contains(step), "{s}");
        assert!(s.contains(&format!("25/100 · {need} 80")), "{s}");
    }
}
