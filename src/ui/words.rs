//! The view's words for the model: every text the model names by a message id, worded in the
//! console's language through the catalogue. `app` holds ids and arguments (`msg::Key`,
//! `msg::Message`); only the view, beside the catalogue, turns them into text.

use crate::app::reports::ExportDone;
use crate::app::{DescriptionView, Model};
use crate::domain::Scope;
use crate::msg::{Key, Message};

/// Wording for the model, in its language.
pub trait Words {
    /// A catalogue entry.
    fn tr(&self, key: Key) -> &'static str;
    /// A catalogue entry with its `{}` slots filled in order.
    fn fill(&self, key: Key, args: &[&str]) -> String;
    /// A message (an id with its arguments).
    fn word(&self, message: &Message) -> String;
    /// A points subject's running total, maximum and qualifying total, as "47/100 · cần 80".
    fn points_line(&self, i: usize) -> Option<String>;
    /// The description overlay's lines, with the areas' heading.
    fn description_lines(&self, view: &DescriptionView) -> Vec<String>;
    /// The one-line account of a finished export.
    fn export_done_text(&self, done: &ExportDone) -> String;
    /// A recognition scope in words.
    fn scope_label(&self, scope: Scope) -> &'static str;
}

impl Words for Model {
    fn tr(&self, key: Key) -> &'static str {
        crate::i18n::tr(self.lang(), key)
    }

    fn fill(&self, key: Key, args: &[&str]) -> String {
        crate::i18n::fill(self.lang(), key, args)
    }

    fn word(&self, message: &Message) -> String {
        crate::i18n::word(self.lang(), message)
    }

    fn points_line(&self, i: usize) -> Option<String> {
        let (total, max, need) = self.points_parts(i)?;
        Some(self.fill(
            Key::PointsTotal,
            &[
                &total.show(self.lang()),
                &max.show(self.lang()),
                &need.to_string(),
            ],
        ))
    }

    fn description_lines(&self, view: &DescriptionView) -> Vec<String> {
        self.description_lines_with(view, self.tr(Key::DescriptionAreas))
    }

    fn export_done_text(&self, done: &ExportDone) -> String {
        self.word(&crate::app::reports::export_done_message(done))
    }

    fn scope_label(&self, scope: Scope) -> &'static str {
        match scope {
            Scope::CoSo => self.tr(Key::ScopeCoSo),
            Scope::Tinh => self.tr(Key::ScopeTinh),
            Scope::ToanQuoc => self.tr(Key::ScopeToanQuoc),
        }
    }
}
