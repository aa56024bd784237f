//! The subject list as the model shows it: building it for the kind and filter (kept while
//! nothing it depends on changed), selecting, and keeping the selection in view.

use super::*;

impl Model {
    /// What a list for the current kind and filter would be built for.
    pub(super) fn list_key(&self) -> ListKey {
        let generation = match self.filter {
            Filter::All => 0,
            _ => self.index.generation,
        };
        (self.kind, self.filter, generation)
    }

    /// Empties the list and forgets what it was built for (before a jump or a reload).
    pub(super) fn drop_list(&mut self) {
        self.list.clear();
        self.listed = None;
    }

    /// Rebuilds the subject list for the current kind and filter, keeping the selected subject
    /// when it is still listed. O(subjects of the kind), or a swap when the stashed list is the
    /// one wanted; the list it replaces is stashed.
    pub(super) fn rebuild_list(&mut self) {
        let keep = self.current();
        let key = self.list_key();
        let list = match self.stash.take() {
            Some((k, list)) if k == key => list,
            other => {
                self.stash = other;
                self.build_list()
            }
        };
        let old = std::mem::replace(&mut self.list, list);
        if let Some(k) = self.listed.replace(key)
            && k != key
        {
            self.stash = Some((k, old));
        }
        let wanted =
            |i: usize| self.index.entries[i].individual == (self.kind == Kind::Individuals);
        self.list_sel = keep
            .filter(|&k| wanted(k))
            .and_then(|k| self.list.iter().position(|r| *r == Row::Subject(k)))
            .unwrap_or_else(|| self.first_subject_row().unwrap_or(0));
        self.list_offset = 0;
        self.scroll();
    }

    /// The rows for the current kind and filter: headings and subjects in display order.
    ///
    /// The display order jumps about the entries (a unit's members are scattered through the
    /// roster), and at ×10 the entries are 48 MB of a persistent vector: looking each up in
    /// order costs a cache miss and a walk down the tree per row (about 0.3 s for the
    /// 300,000 individuals). So the entries are read once, front to back, into what the
    /// headings need (8 bytes each, 2.5 MB at ×10), and the order then visits only that
    /// (a list of a quarter of the entries or more; a shorter one looks its entries up).
    pub(super) fn build_list(&self) -> Vec<Row> {
        /// What the headings need of an entry, and whether the filter keeps it.
        #[derive(Clone, Copy)]
        struct Fact {
            parent: u32,
            tier: u16,
            individual: bool,
            kept: bool,
        }
        let individuals = self.kind == Kind::Individuals;
        let fact = |i: usize, e: &Entry| Fact {
            parent: e.parent().map_or(u32::MAX, |p| p as u32),
            tier: u16::try_from(e.tier()).unwrap_or(u16::MAX),
            individual: e.individual,
            kept: e.individual == individuals && self.filter.keeps_entry(&self.index, i, e),
        };
        let order = self.index.order_of(self.kind);
        // A short list (the 20,000 collectives among 320,000 entries at ×10) looks its entries
        // up one by one through a `Focus` (which keeps the leaf it last read), so it pays no
        // pass over every entry and no temporary the size of the roster.
        let long = order.len().saturating_mul(4) >= self.index.entries.len();
        let facts: Vec<Fact> = if long {
            self.index
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| fact(i, e))
                .collect()
        } else {
            Vec::new()
        };
        let mut entries = self.index.entries.focus();
        // Which tiers head their subjects with their parent unit.
        let parent_headed: Vec<bool> = self
            .campaign
            .tiers
            .iter()
            .map(|t| !t.parents.is_empty())
            .collect();
        let mut list = Vec::with_capacity(if self.filter == Filter::All {
            order.len() + order.len() / 8
        } else {
            0
        });
        let mut last_tier = usize::MAX;
        let mut last_unit: Option<Option<usize>> = None;
        for &i in order {
            let e = if long {
                facts.get(i).copied()
            } else {
                entries.get(i).map(|e| fact(i, e))
            };
            let Some(e) = e.filter(|f| f.kept) else {
                continue;
            };
            let tier = if e.tier == u16::MAX {
                usize::MAX
            } else {
                usize::from(e.tier)
            };
            let parent = (e.parent != u32::MAX).then_some(e.parent as usize);
            if !e.individual && tier != last_tier {
                list.push(Row::Tier(tier));
                last_tier = tier;
                last_unit = None;
            }
            let has_parent_heading =
                e.individual || parent_headed.get(tier).copied().unwrap_or(false);
            if has_parent_heading && last_unit != Some(parent) {
                if let Some(p) = parent {
                    list.push(Row::Unit(p));
                }
                last_unit = Some(parent);
            }
            list.push(Row::Subject(i));
        }
        list
    }

    pub(super) fn first_subject_row(&self) -> Option<usize> {
        self.list.iter().position(|r| matches!(r, Row::Subject(_)))
    }

    pub(super) fn select_first_subject(&mut self) {
        self.list_sel = self.first_subject_row().unwrap_or(0);
    }

    /// The criterion a subject opens on: the first pending one, else the first waiting for
    /// an explanation (first of all in the "waiting for an explanation" filter), else 0.
    pub fn first_pending_criterion(&self) -> usize {
        let Some(i) = self.current() else {
            return 0;
        };
        let n = usize::from(self.index.entries[i].total());
        let pending = (0..n).find(|&c| !self.index.value(i, c).is_decided());
        let waiting = (0..n).find(|&c| self.index.value(i, c) == VerdictValue::NeedsExplanation);
        let found = if self.filter == Filter::Waiting {
            waiting.or(pending)
        } else {
            pending.or(waiting)
        };
        found.unwrap_or(0)
    }

    /// Keeps every selection inside its list and its visible window: the subject list (or
    /// search results, or the subjects of review by criterion), the criteria, the initiatives overlay, the history and the help. Run
    /// after every message, so a resize or a list changing under the selection (another
    /// reviewer's change, a reload, a filter) never leaves the selected row off screen.
    pub(super) fn scroll(&mut self) {
        self.list_sel = self.list_sel.min(self.list.len().saturating_sub(1));
        let rows = self.list_rows();
        self.list_offset = geometry::keep_visible(self.list_sel, self.list_offset, rows);
        if self.list_sel == self.first_subject_row().unwrap_or(0) {
            self.list_offset = 0;
        }
        let n = self.criteria_count();
        self.crit_sel = self.crit_sel.min(n.saturating_sub(1));
        let crows = geometry::criteria_rows(self.height, n, self.detail_min());
        self.crit_offset = geometry::keep_visible(self.crit_sel, self.crit_offset, crows);
        let count = self.current_initiatives().len();
        let (width, height) = (self.width, self.height);
        if let Mode::Initiatives(view) = &mut self.mode {
            view.selected = view.selected.min(count.saturating_sub(1));
            let rows = geometry::initiative_rows(width, height, view.form.is_some());
            view.offset = geometry::keep_visible(view.selected, view.offset, rows)
                .min(count.saturating_sub(rows));
        }
        if let Mode::History(view) = &mut self.mode {
            let n = view.events.as_ref().map_or(0, Vec::len);
            view.selected = view.selected.min(n.saturating_sub(1));
        }
        self.help_scroll = self.help_scroll.min(self.help_scroll_max());
        if let Mode::Description(view) = &self.mode {
            let max = self.description_scroll_max(view);
            if let Mode::Description(view) = &mut self.mode {
                view.scroll = view.scroll.min(max);
            }
        }
    }

    /// The description overlay's text, wrapped to its box: the criterion's description, then
    /// `heading` and its areas, one a line.
    pub fn description_lines_with(&self, view: &DescriptionView, heading: &str) -> Vec<String> {
        let Some(c) = self
            .campaign
            .groups
            .get(view.group)
            .and_then(|g| g.criteria.get(view.criterion))
        else {
            return Vec::new();
        };
        let (w, _) = geometry::description_box(self.width, self.height);
        let cols = usize::from(w.saturating_sub(4));
        let mut lines = geometry::wrap_words(&crate::text::clean(c.description(self.lang)), cols);
        let areas = c.areas(self.lang);
        if !areas.is_empty() {
            lines.push(String::new());
            lines.push(heading.to_string());
            for a in areas {
                lines.extend(geometry::wrap_words(
                    &format!("– {}", crate::text::clean(a)),
                    cols,
                ));
            }
        }
        lines
    }

    /// The furthest the description can scroll: its last line at the bottom of the box.
    pub fn description_scroll_max(&self, view: &DescriptionView) -> usize {
        let (_, h) = geometry::description_box(self.width, self.height);
        // The heading is one line whatever its words, so the count needs no catalogue.
        self.description_lines_with(view, "")
            .len()
            .saturating_sub(usize::from(h.saturating_sub(2)))
    }

    /// Whether the row a decision key acts on is drawn now: the selected subject and
    /// criterion in the normal screen, or the selected initiative in its overlay. A key that
    /// acts on a row is refused when this is false (a terminal too small to draw anything).
    pub fn target_drawn(&self) -> bool {
        if geometry::too_small(self.width, self.height) {
            return false;
        }
        let subject_drawn = self.current().is_some()
            && geometry::in_window(self.list_sel, self.list_offset, self.list_rows());
        match &self.mode {
            Mode::Initiatives(view) => {
                let rows = geometry::initiative_rows(self.width, self.height, view.form.is_some());
                subject_drawn
                    && view.selected < self.current_initiatives().len()
                    && geometry::in_window(view.selected, view.offset, rows)
            }
            // Review by criterion always shows its one criterion in full.
            _ if self.by_criterion.is_some() => {
                subject_drawn && self.crit_sel < self.criteria_count()
            }
            _ => {
                let n = self.criteria_count();
                let crows = geometry::criteria_rows(self.height, n, self.detail_min());
                subject_drawn
                    && self.crit_sel < n
                    && geometry::in_window(self.crit_sel, self.crit_offset, crows)
            }
        }
    }

    /// Rows the subject list shows: the subject pane, or the list of review by criterion.
    pub fn list_rows(&self) -> usize {
        if self.by_criterion.is_some() {
            geometry::by_criterion_layout(self.height).rows
        } else {
            geometry::subject_rows(self.height)
        }
    }

    /// Lines of the help for the screen under it: its key bindings (in one or two columns),
    /// a blank line, the legend's title and its symbols (in as many columns as the keys).
    pub fn help_lines(&self) -> usize {
        let entries = keymap::bindings(self.base_scope()).count();
        let (_, per_col, _) = geometry::help_layout(self.width, self.height, entries);
        let columns = geometry::help_legend_columns(self.width, self.height, entries);
        per_col + 2 + keymap::LEGEND.len().div_ceil(columns)
    }

    /// The furthest the help can scroll: its last line at the bottom of the box.
    pub fn help_scroll_max(&self) -> usize {
        let entries = keymap::bindings(self.base_scope()).count();
        let (_, _, inner_h) = geometry::help_layout(self.width, self.height, entries);
        self.help_lines().saturating_sub(inner_h)
    }

    /// Selects the subject `i` (switching kind and clearing the filter if needed).
    pub(super) fn select_subject(&mut self, i: usize) {
        let kind = if self.index.entries[i].individual {
            Kind::Individuals
        } else {
            Kind::Collectives
        };
        let listed = self.list.iter().position(|r| *r == Row::Subject(i));
        match listed {
            Some(pos) if kind == self.kind => self.list_sel = pos,
            _ => {
                self.kind = kind;
                if !self.filter.keeps(&self.index, i) {
                    self.filter = Filter::All;
                }
                self.drop_list();
                self.rebuild_list();
                if let Some(pos) = self.list.iter().position(|r| *r == Row::Subject(i)) {
                    self.list_sel = pos;
                }
            }
        }
        // A jump (search, resume, undo) puts the subject in the middle of the pane.
        let rows = self.list_rows();
        if self.list_sel < self.list_offset || self.list_sel >= self.list_offset + rows {
            self.list_offset = self.list_sel.saturating_sub(rows / 2);
        }
        self.scroll();
    }
}

impl Filter {
    /// `Filter::keeps` for an entry already at hand (`e` is entry `i` of `index`), so a list
    /// build reads each entry once.
    fn keeps_entry(self, index: &Index, i: usize, e: &Entry) -> bool {
        match self {
            Self::All => true,
            Self::Pending => e.has_pending(),
            Self::Attention => e.attention > 0,
            Self::Waiting => e.is_waiting(),
            Self::Qualified => e.outcome == crate::domain::Outcome::Qualified,
            Self::Differs => index.differs(i) > 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list build's filter test agrees with `Filter::keeps` on every entry and filter.
    #[test]
    fn keeps_entry_is_keeps() {
        let campaign = crate::interchange::campaign::sample();
        let subjects: Vec<(u32, crate::domain::Subject)> =
            crate::interchange::roster::sample(&campaign)
                .expect("sample roster")
                .into_iter()
                .enumerate()
                .map(|(i, s)| (i as u32 + 1, s))
                .collect();
        let index = Index::build(&campaign, subjects, Vec::new(), Vec::new());
        let mut filter = Filter::All;
        loop {
            for (i, e) in index.entries.iter().enumerate() {
                assert_eq!(filter.keeps_entry(&index, i, e), filter.keeps(&index, i));
            }
            filter = filter.next();
            if filter == Filter::All {
                break;
            }
        }
    }
}
