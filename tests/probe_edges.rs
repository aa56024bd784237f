//! Two rough edges of the console under several reviewers: keeping your verdict over another
//! reviewer's deletes their note (the conflict dialog says so, naming them), and a chair's lock
//! that arrives while a reason is being typed keeps the text until the subject is unlocked.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::key::{KeyCode, KeyEvent, KeyModifiers};
use thidua::app::{ConflictReport, Effect, Mode, Model, Msg, Write, update};
use thidua::domain::{Lang, Verdict, VerdictValue};
use thidua::store::{Conflict, VerdictWrite};

use crate::console;

fn model(lang: Lang) -> Model {
    let mut init = console::sample_init(lang, "nguyen.van.an", Vec::new());
    init.width = 80;
    init.height = 24;
    Model::new(init)
}

fn key(model: &mut Model, code: KeyCode) -> Vec<Effect> {
    update(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn screen(model: &Model) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(model.size().0, model.size().1)).expect("term");
    terminal.draw(|f| thidua::ui::view(model, f)).expect("draw");
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn saved(fx: Vec<Effect>) -> Option<VerdictWrite> {
    fx.into_iter().find_map(|e| match e {
        Effect::SaveVerdict(w) => Some(w),
        _ => None,
    })
}

/// Opens the first subject, marks its first criterion met and answers with a conflict: another
/// reviewer saved "not met" with `their_note` first.
fn conflict(lang: Lang, their_note: &str) -> (Model, VerdictWrite) {
    let mut m = model(lang);
    key(&mut m, KeyCode::Enter);
    let write = saved(key(&mut m, KeyCode::Char('y'))).expect("a write");
    let theirs = Verdict {
        value: VerdictValue::NotMet,
        note: their_note.into(),
        reviewer: "tran.thi.binh".into(),
        decided_at: console::at("2021-12-01T02:30:00Z"),
        version: 2,
    };
    update(
        &mut m,
        Msg::Conflict(Box::new(ConflictReport {
            write: Write::Verdict(write.clone()),
            conflict: Conflict::Verdict {
                subject: write.subject.clone(),
                criterion: write.criterion.clone(),
                current: theirs,
            },
        })),
    );
    (m, write)
}

#[test]
fn keep_yours_says_whose_note_it_deletes() {
    for (lang, line) in [
        (
            Lang::En,
            "k deletes tran.thi.binh's note: “Hồ sơ thiếu biên bản”",
        ),
        (
            Lang::Vi,
            "k xóa ghi chú của tran.thi.binh: «Hồ sơ thiếu biên bản»",
        ),
    ] {
        let (mut m, mine) = conflict(lang, "Hồ sơ thiếu\nbiên bản");
        let shown = screen(&m);
        assert!(shown.contains(line), "{lang:?}:\n{shown}");
        // k does what the dialog says: the saved verdict carries the reviewer's own note.
        let kept = saved(key(&mut m, KeyCode::Char('k'))).expect("k saves");
        assert_eq!(kept.value, mine.value);
        assert_eq!(kept.note, mine.note);
        assert_eq!(kept.base_version, 2, "based on their version");
    }
    // Nothing to lose, nothing said.
    let (m, _) = conflict(Lang::En, "");
    let shown = screen(&m);
    assert!(!shown.contains("deletes"), "{shown}");
    assert!(shown.contains("k: keep yours"), "{shown}");
}

#[test]
fn a_lock_while_typing_a_reason_keeps_the_text_until_unlocked() {
    for lang in [Lang::En, Lang::Vi] {
        let mut m = model(lang);
        key(&mut m, KeyCode::Enter);
        let subject = m.current_entry().expect("a subject").subject.clone();
        // n: not met, with a reason.
        assert!(saved(key(&mut m, KeyCode::Char('n'))).is_none());
        assert!(
            matches!(m.mode(), Mode::Editor(_)),
            "the reason editor opens"
        );
        for c in "Thiếu biên bản".chars() {
            key(&mut m, KeyCode::Char(c));
        }

        update(&mut m, Msg::Locks(vec![subject.id.clone()]));
        let notice = thidua::ui::notice_text(&m).expect("told at once");
        match lang {
            Lang::En => assert!(notice.contains("text you are typing is kept"), "{notice}"),
            Lang::Vi => assert!(notice.contains("vẫn được giữ"), "{notice}"),
        }
        assert!(notice.contains(&subject.name), "{notice}");

        // Enter cannot save now; the editor and its text stay.
        assert!(saved(key(&mut m, KeyCode::Enter)).is_none());
        let Mode::Editor(editor) = m.mode() else {
            panic!("the editor closed on a locked subject")
        };
        assert_eq!(editor.input.value(), "Thiếu biên bản");
        assert!(screen(&m).contains("Thiếu biên bản"));

        update(&mut m, Msg::Locks(Vec::new()));
        let notice = thidua::ui::notice_text(&m).expect("told of the unlock");
        assert!(notice.contains(&subject.name), "{notice}");

        let w = saved(key(&mut m, KeyCode::Enter)).expect("saved once unlocked");
        assert_eq!(w.value, VerdictValue::NotMet);
        assert_eq!(w.note, "Thiếu biên bản");
        assert_eq!(w.subject, subject.id);
    }
}
