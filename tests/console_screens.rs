//! The console's screens at 80×24 as insta snapshots (ratatui TestBackend), in Vietnamese and
//! English: the main screen, the help, the initiatives view and a search. Styles are checked on
//! buffer cells (the selection under NO_COLOR), sizes down to 60×16 and below, and the time a
//! keystroke takes with a province-scale roster.

use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{Index, Init, Model, Msg, update};
use thidua::domain::{Lang, Subject, Verdict, VerdictValue};

use crate::console;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

fn verdict(value: VerdictValue, note: &str) -> Verdict {
    Verdict {
        value,
        note: note.into(),
        reviewer: "an".into(),
        decided_at: at("2021-12-01T02:30:00Z"),
        version: 1,
    }
}

/// The sample roster with a few decisions on the first unit (subject no 1 = VPUBND).
fn init(lang: Lang, width: u16, height: u16) -> Init {
    let mut init = console::sample_init(
        lang,
        "nguyen.van.an",
        vec![
            (1, 0, verdict(VerdictValue::Met, "")),
            (
                1,
                1,
                verdict(VerdictValue::Met, "KH 12/KH-VP ngày 02/02/2021"),
            ),
            (
                1,
                2,
                verdict(VerdictValue::NotMet, "Chưa ban hành kế hoạch tuyên truyền"),
            ),
            (1, 3, verdict(VerdictValue::NeedsExplanation, "")),
            (2, 0, verdict(VerdictValue::Met, "")),
        ],
    );
    init.width = width;
    init.height = height;
    init
}

fn press(model: &mut Model, keys: &str) {
    for c in keys.chars() {
        let key = match c {
            '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            '\t' => KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
            c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        };
        update(model, Msg::Key(key));
    }
}

fn draw(model: &Model) -> Buffer {
    let backend = TestBackend::new(model.size().0, model.size().1);
    let mut terminal = Terminal::new(backend).expect("terminal");
    terminal.draw(|f| thidua::ui::view(model, f)).expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as text, with times (HH:MM after a date) masked.
fn screen(model: &Model) -> String {
    let buf = draw(model);
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(&mask_times(line.trim_end()));
        out.push('\n');
    }
    out
}

fn mask_times(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let is_time = i + 5 <= chars.len()
            && chars[i].is_ascii_digit()
            && chars[i + 1].is_ascii_digit()
            && chars[i + 2] == ':'
            && chars[i + 3].is_ascii_digit()
            && chars[i + 4].is_ascii_digit();
        if is_time {
            out.push_str("HH:MM");
            i += 5;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn both(name: &str, keys: &str) {
    for lang in [Lang::Vi, Lang::En] {
        let mut m = Model::new(init(lang, 80, 24));
        press(&mut m, keys);
        let suffix = match lang {
            Lang::Vi => "vi",
            Lang::En => "en",
        };
        insta::assert_snapshot!(format!("{name}_{suffix}"), screen(&m));
    }
}

#[test]
fn main_screen() {
    both("main", "\njj");
}

#[test]
fn help_screen() {
    both("help", "\n?");
}

#[test]
fn initiatives_screen() {
    both("initiatives", "/VPUBND.P01\ni");
}

#[test]
fn recognition_form_screen() {
    both("recognition_form", "/VPUBND.P01\nir");
}

#[test]
fn search_screen() {
    both("search", "/so noi vu");
}

#[test]
fn note_editor_screen() {
    both("editor", "\njjjc");
}

#[test]
fn conflict_screen() {
    for lang in [Lang::Vi, Lang::En] {
        let mut m = Model::new(init(lang, 80, 24));
        press(&mut m, "\n");
        let fx = update(
            &mut m,
            Msg::Key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE)),
        );
        let write = fx
            .into_iter()
            .find_map(|e| match e {
                thidua::app::Effect::SaveVerdict(w) => Some(w),
                _ => None,
            })
            .expect("a write");
        let mut theirs = verdict(VerdictValue::NotMet, "Hồ sơ thiếu");
        theirs.reviewer = "tran.thi.binh".into();
        theirs.version = 2;
        update(
            &mut m,
            Msg::Conflict(Box::new(thidua::app::ConflictReport {
                write: thidua::app::Write::Verdict(write.clone()),
                conflict: thidua::store::Conflict::Verdict {
                    subject: write.subject.clone(),
                    criterion: write.criterion.clone(),
                    current: theirs,
                },
            })),
        );
        let suffix = match lang {
            Lang::Vi => "vi",
            Lang::En => "en",
        };
        insta::assert_snapshot!(format!("conflict_{suffix}"), screen(&m));
    }
}

#[test]
fn tt2_shows_its_seven_areas() {
    let mut m = Model::new(init(Lang::Vi, 80, 24));
    press(&mut m, "\ngj");
    let s = screen(&m);
    for area in &m.campaign().groups[0].criteria[1].areas_vi {
        let shown = area.chars().take(20).collect::<String>();
        assert!(s.contains(&shown), "{area} missing:\n{s}");
    }
}

fn selected_cell(buf: &Buffer, from_x: u16, to_x: u16) -> Option<(u16, u16)> {
    (1..buf.area.height).find_map(|y| {
        (from_x..to_x)
            .find(|&x| buf[(x, y)].symbol() == "▶" && buf[(x + 1, y)].symbol() == " ")
            .map(|x| (x, y))
    })
}

#[test]
fn the_selection_is_visible_without_colour() {
    let mut i = init(Lang::Vi, 80, 24);
    i.no_color = true;
    let mut m = Model::new(i);
    press(&mut m, "j");
    let buf = draw(&m);
    let left = thidua::app::geometry::left_width(80);
    let (x, y) = selected_cell(&buf, 1, left).expect("a marker in the subject list");
    for cx in x..x + 10 {
        let cell = &buf[(cx, y)];
        assert!(
            cell.modifier.contains(Modifier::REVERSED),
            "reverse at {cx},{y}"
        );
        assert!(cell.modifier.contains(Modifier::BOLD), "bold at {cx},{y}");
    }
    let text: String = (x..left)
        .map(|cx| buf[(cx, y)].symbol().to_string())
        .collect();
    assert!(text.contains("Sở Nội vụ"), "{text}");
    for yy in 0..buf.area.height {
        for xx in 0..buf.area.width {
            let cell = &buf[(xx, yy)];
            assert_eq!(cell.fg, Color::Reset, "no colour at {xx},{yy}");
            assert_eq!(cell.bg, Color::Reset, "no colour at {xx},{yy}");
        }
    }
    // The criteria pane, once it has the keyboard, marks its row the same way.
    press(&mut m, "\n");
    let buf = draw(&m);
    let (x, y) = selected_cell(&buf, left, 80).expect("a marker in the criteria");
    assert!(
        buf[(x + 2, y)]
            .modifier
            .contains(Modifier::REVERSED | Modifier::BOLD)
    );
}

#[test]
fn sizes_down_to_60_by_16_and_a_message_below() {
    let m = Model::new(init(Lang::Vi, 60, 16));
    let s = screen(&m);
    assert!(s.contains("Văn phòng UBND"), "{s}");
    assert!(s.contains("TT1"), "{s}");
    assert!(s.contains("Tiến độ"), "{s}");
    let m = Model::new(init(Lang::En, 59, 16));
    assert!(screen(&m).contains("Terminal too small"));
    let mut m = Model::new(init(Lang::Vi, 80, 24));
    update(
        &mut m,
        Msg::Resize {
            width: 50,
            height: 10,
        },
    );
    assert!(screen(&m).contains("quá nhỏ"));
}

/// 2,000 collectives and 30,000 individuals: building, moving, searching and rendering.
#[test]
fn province_scale_stays_smooth() {
    let mut subjects = Vec::new();
    let tiers = ["province_agency", "district", "commune"];
    for i in 0..2000u32 {
        subjects.push(Subject {
            id: format!("U{i:04}"),
            name: format!("Đơn vị số {i} Long Xuyên"),
            tier: tiers[(i % 3) as usize].into(),
            parent: None,
            registered_on: None,
        });
    }
    for i in 0..30000u32 {
        subjects.push(Subject {
            id: format!("CB{i:05}"),
            name: format!("Nguyễn Văn Cán Bộ {i}"),
            tier: "individual".into(),
            parent: Some(format!("U{:04}", i % 2000)),
            registered_on: None,
        });
    }
    let mut i = init(Lang::Vi, 80, 24);
    let subjects = subjects
        .into_iter()
        .enumerate()
        .map(|(n, s)| (n as u32 + 1, s))
        .collect();
    let initiatives = i.index.initiatives.clone();
    let started = std::time::Instant::now();
    i.index = Index::build(&i.campaign, subjects, vec![], initiatives);
    let mut m = Model::new(i);
    let build = started.elapsed();

    let mut worst = std::time::Duration::ZERO;
    let mut total = std::time::Duration::ZERO;
    let mut count = 0u32;
    for keys in [
        "t", "j", "j", "G", "g", "\n", "y", "y", "]", "f", "f", "f", "f", "t", "/", "n", "g", "u",
        "y", "e", "n",
    ] {
        let t = std::time::Instant::now();
        press(&mut m, keys);
        draw(&m);
        let d = t.elapsed();
        worst = worst.max(d);
        total += d;
        count += 1;
    }
    println!(
        "32,000 subjects: model built in {build:?}; per key (update + render) worst {worst:?}, mean {:?}",
        total / count
    );
    assert!(build.as_secs_f64() < 5.0, "building took {build:?}");
    assert!(worst.as_millis() < 250, "a key took {worst:?}");
}

#[test]
fn the_opening_screen_in_both_languages() {
    use thidua::ui::loading::{Opening, render};
    for (lang, suffix) in [(Lang::Vi, "vi"), (Lang::En, "en")] {
        let opening = Opening {
            lang,
            no_color: false,
            campaign: thidua::interchange::campaign::sample()
                .title(lang)
                .to_string(),
            subjects: 123_456,
            of_subjects: 320_000,
            verdicts: 0,
        };
        let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        term.draw(|f| render(&opening, f)).expect("draw");
        let buf = term.backend().buffer().clone();
        let mut text = String::new();
        for y in 0..buf.area.height {
            let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
            text.push_str(line.trim_end());
            text.push('\n');
        }
        insta::assert_snapshot!(format!("opening_{suffix}"), text);
        // The title line is bold; the hint is dimmed.
        let row = (0..24).find(|&y| {
            (0..80)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .contains("q: ")
        });
        let row = row.expect("the hint row");
        let q = (0..80).find(|&x| buf[(x, row)].symbol() == "q").expect("q");
        assert_eq!(buf[(q, row)].fg, ratatui::style::Color::DarkGray);
    }
}
