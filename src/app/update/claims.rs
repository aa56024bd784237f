//! `A`: take the subject's self-assessment claim (tự đánh giá) as the verdict, exactly as `a`
//! takes a hint: a claimed Met or score is decided as `y` or a typed score decides it (same
//! write, conflict rules, undo and audit); a claimed Not met opens the note editor as `n`
//! does, with the claim's evidence (or "self-assessment: not met") put in as the reason when
//! the note is empty. Without a claim nothing is applied.

use super::*;

pub(super) fn accept_claim(model: &mut Model, fx: &mut Vec<Effect>) {
    let claim = model
        .current()
        .and_then(|i| model.index.claim(i, model.crit_sel))
        .cloned();
    let Some(claim) = claim else {
        info(model, Key::NoClaim);
        return;
    };
    if claim.value.wants_reason() {
        let reason =
            crate::domain::review::labels::claim_reason(claim.value, &claim.evidence, model.lang);
        open_editor(model, claim.value, true);
        if let Mode::Editor(editor) = &mut model.mode
            && editor.input.text.trim().is_empty()
        {
            editor.input = TextInput::new(&reason).with_max(crate::app::input::NOTE_MAX);
        }
    } else {
        decide_selected(model, claim.value, fx);
    }
}
