//! `a`: accept the verdict an evidence hint suggests. It takes exactly the path `y` and `n`
//! take: a suggested Met is decided as `y` decides it; a suggested Not met opens the note
//! editor as `n` does, with the hint text put in as the reason when the note is empty (the
//! reviewer reads it, may change it, and Enter saves; Esc, as after `n`, records the verdict
//! with the note left as it was). Without a suggestion nothing is applied.

use super::*;

pub(super) fn accept_hint(model: &mut Model, fx: &mut Vec<Effect>) {
    let Some(hint) = model.current_hint() else {
        info(model, Key::NoSuggestion);
        return;
    };
    let Some(value) = hint.suggested else {
        info(model, Key::NoSuggestion);
        return;
    };
    if value.wants_reason() {
        open_editor(model, value, true);
        if let Mode::Editor(editor) = &mut model.mode
            && editor.input.text.trim().is_empty()
        {
            editor.input = TextInput::new(&hint.text).with_max(crate::app::input::NOTE_MAX);
        }
    } else {
        decide_selected(model, value, fx);
    }
}
