//! Hostile names: a roster whose names carry terminal escape sequences (colour, a window-title
//! OSC, clear-screen), C0/C1 controls, tabs, quoted line breaks, CR, right-to-left marks and
//! overrides, zero-width characters, emoji (with ZWJ and flags), combining sequences and wide
//! CJK text, imported through the real binary. What is stored is clean (`text::clean`); the
//! console drawn on TestBackend at 80×24 never puts a control character in a cell and every
//! row stays inside its pane (the borders stay in their columns); the real binary in a pty
//! keeps its borders and never changes the window title or clears the screen for a name.

use std::path::Path;
use std::process::Command;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{Model, Msg, Role, geometry, update};
use thidua::domain::Lang;
use thidua::store::Store;
use thidua::text;

use crate::pty;

/// The hostile names, each a unit of the province (H01…) with one individual under it (HC01…).
const NAMES: &[&str] = &[
    "Sở \x1b[31mĐỏ\x1b[0m Nội vụ",
    "Phòng \x1b]0;pwned\x07 Tiêu đề",
    "Xóa \x1b[2J\x1b[H màn hình",
    "Tab\tgiữa\ttên",
    "Dòng một\nDòng hai",
    "Về đầu\rdòng",
    "Phải\u{202E}trái\u{202C} đảo chiều",
    "Dấu RLM\u{200F} và LRM\u{200E} \u{2067}cô lập\u{2069}",
    "Gia đình 👨\u{200D}👩\u{200D}👧 emoji",
    "Cờ 🇻🇳 Việt Nam ✅",
    "Tổ hợp Nguye\u{0302}\u{0303}n a\u{0300}\u{0323} e\u{0301}",
    "Không\u{200B}rộng\u{200D}nối",
    "C1 \u{009b}31m CSI \u{0085}NEL",
    "Chuông\x07 DEL\x7f xóa\x08lùi",
    "Chữ Hán 漢字漢字漢字漢字漢字漢字 rất rộng rất rộng rất rộng",
];

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Writes the hostile roster, creates a sample database and imports it with the real binary.
fn import(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("db");
    let bin = env!("CARGO_BIN_EXE_thidua");
    let out = Command::new(bin)
        .args(["init", "--sample", "--db"])
        .arg(&db)
        .output()
        .expect("init");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut csv = String::from("id,name,tier,parent\n");
    for (i, name) in NAMES.iter().enumerate() {
        csv.push_str(&format!("H{i:02},{},province_agency,\n", csv_field(name)));
    }
    for (i, name) in NAMES.iter().enumerate() {
        csv.push_str(&format!(
            "HC{i:02},{},individual,H{i:02}\n",
            csv_field(name)
        ));
    }
    let file = dir.join("hostile.csv");
    std::fs::write(&file, csv).expect("write");
    let out = Command::new(bin)
        .args(["import", "roster"])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .output()
        .expect("import");
    assert!(
        out.status.success(),
        "import refused: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn draw(model: &Model) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    t.draw(|f| thidua::ui::view(model, f)).expect("draw");
    t.backend().buffer().clone()
}

const VERTICAL: &[&str] = &["│", "┌", "┐", "└", "┘", "├", "┤"];

/// No cell holds a control character, and the pane borders are where they belong on every row.
fn check_frame(buf: &Buffer, what: &str) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            assert!(
                !sym.chars().any(text::is_unsafe_char),
                "{what}: control character {sym:?} at {x},{y}"
            );
        }
    }
    let left = geometry::left_width(80);
    let body = geometry::body_rows(24);
    for y in 0..body {
        for x in [0, left - 1, left, 79] {
            let sym = buf[(x, y)].symbol();
            assert!(
                VERTICAL.contains(&sym),
                "{what}: border broken at {x},{y}: {sym:?}\n{}",
                rows(buf).join("\n")
            );
        }
    }
}

fn rows(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
        .collect()
}

#[test]
fn hostile_names_are_stored_clean_and_never_break_the_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = import(dir.path());

    // Stored clean: NFC, no control or bidi character, and exactly what `clean` makes of it.
    let store = Store::open(&db).expect("open");
    for (i, name) in NAMES.iter().enumerate() {
        for id in [format!("H{i:02}"), format!("HC{i:02}")] {
            let s = store.subject(&id).expect("read").expect("imported");
            assert_eq!(s.name, text::clean(name), "{id}");
            assert!(
                !s.name.chars().any(text::is_unsafe_char),
                "{id}: {:?}",
                s.name
            );
            assert!(!s.name.contains('\x1b'));
        }
    }

    // Every hostile subject selected in turn, in both lists, with its criteria open.
    let init =
        thidua::runtime::session::load_init(&store, "an", Lang::Vi, Role::Reviewer, false, 80, 24)
            .expect("init");
    drop(store);
    let mut m = Model::new(init);
    let mut seen = 0;
    for kind in 0..2 {
        if kind == 1 {
            update(&mut m, key(KeyCode::Char('t')));
        }
        update(&mut m, key(KeyCode::Char('g')));
        for step in 0..700 {
            let buf = draw(&m);
            check_frame(&buf, &format!("list {kind}, row {step}"));
            if m.current_entry()
                .is_some_and(|e| e.subject.id.starts_with('H'))
            {
                seen += 1;
                update(&mut m, key(KeyCode::Enter));
                check_frame(&draw(&m), "criteria open");
                update(&mut m, key(KeyCode::Char('h')));
            }
            let before = m.selected_row();
            update(&mut m, key(KeyCode::Char('j')));
            if m.selected_row() == before {
                break;
            }
        }
    }
    assert_eq!(seen, NAMES.len() * 2, "every hostile subject was shown");

    // A search that lists them all.
    let mut m2 = m.clone();
    update(&mut m2, key(KeyCode::Char('/')));
    for ch in "h".chars() {
        update(&mut m2, key(KeyCode::Char(ch)));
    }
    check_frame(&draw(&m2), "search");
}

#[test]
fn the_real_terminal_keeps_its_borders_and_title() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = import(dir.path());
    let mut c = pty::Console::open(&db, &[], &[], 80, 24, false);
    c.wait_for("Tiến độ");
    let first = c.shared.raw.lock().expect("raw").len();
    // Search each hostile subject by id and open it, then look at the screen.
    let left = geometry::left_width(80);
    for prefix in ["H", "HC"] {
        for i in 0..NAMES.len() {
            let id = format!("{prefix}{i:02}");
            c.send(&format!("/{id}"));
            c.wait_for(&format!("Tìm: {id}▏"));
            c.send("\r");
            c.wait_until("the subject opened", |c| !c.contents().contains("Tìm: "));
            let parser = c.screen.lock().expect("screen");
            let screen = parser.screen();
            let body = geometry::body_rows(24);
            for y in 0..body {
                for x in [0, left - 1, left, 79] {
                    let cell = screen
                        .cell(y, x)
                        .map(|c| c.contents().to_string())
                        .unwrap_or_default();
                    assert!(
                        VERTICAL.contains(&cell.as_str()),
                        "{id}: border broken at {x},{y}: {cell:?}\n{}",
                        pty::screen_text(screen, 80)
                    );
                }
            }
        }
    }
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true));
    let parser = c.screen.lock().expect("screen");
    let events = parser.callbacks();
    assert!(
        events.titles.is_empty(),
        "title changed: {:?}",
        events.titles
    );
    assert_eq!(events.bells, 0, "the bell rang");
    assert_eq!(
        events.unhandled_osc, 0,
        "an OSC sequence reached the terminal"
    );
    let raw = c.shared.raw.lock().expect("raw");
    let after = &raw[first..];
    let count = |needle: &[u8]| after.windows(needle.len()).filter(|w| *w == needle).count();
    assert_eq!(count(b"\x1b]"), 0, "an OSC sequence after the first frame");
    assert_eq!(
        count(b"\x1b[2J"),
        0,
        "the screen was cleared after the first frame"
    );
    assert_eq!(count(b"\x07"), 0, "a bell after the first frame");
}
