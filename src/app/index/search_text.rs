//! Every subject's folded name and id in one contiguous buffer, for search as you type at
//! province scale. A keystroke scans the whole buffer once with a prebuilt substring searcher
//! for the query's longest word (a few milliseconds for hundreds of thousands of names, where
//! a `str::find` per name and word costs a hundred), maps each hit to its subject by binary
//! search in the offsets and checks the other words only on those candidates. A query that
//! only grows narrows the previous results instead of rescanning when they are few. The
//! matching rule is exactly `text::matches_folded`: every word of the folded query appears, in
//! order, in the folded name and id.

use memchr::memmem::Finder;

/// Separates the subjects' texts in the buffer; folding turns every whitespace into a space,
/// so it occurs in no folded text and no folded query, and no hit can span two subjects.
const SEPARATOR: char = '\n';

/// The folded texts of the subjects, in display order, as one buffer with offsets.
#[derive(Debug, Clone, Default)]
pub struct SearchText {
    text: String,
    /// Where each slot's text starts in `text` (the buffer stays far below 4 GiB: about
    /// 10 MB for 320,000 subjects).
    starts: Vec<u32>,
    /// The entry each slot stands for.
    entries: Vec<u32>,
}

impl SearchText {
    /// Builds the buffer from (entry, folded text) pairs, in the order results are listed.
    pub fn build<S: AsRef<str>>(texts: impl IntoIterator<Item = (usize, S)>) -> SearchText {
        let mut search = SearchText::default();
        for (entry, folded) in texts {
            if !search.starts.is_empty() {
                search.text.push(SEPARATOR);
            }
            search.starts.push(search.text.len() as u32);
            search.entries.push(entry as u32);
            // Folded text holds no separator; should any appear it is searched as a space.
            search.text.extend(
                folded
                    .as_ref()
                    .chars()
                    .map(|c| if c == SEPARATOR { ' ' } else { c }),
            );
        }
        search
    }

    /// The buffer, the offsets and the entries, for a snapshot.
    pub(super) fn parts(&self) -> (&str, &[u32], &[u32]) {
        (&self.text, &self.starts, &self.entries)
    }

    /// A buffer from `parts` (of a snapshot), checked: every text starts on a character
    /// boundary right after a separator, no other separator occurs, and every entry is below
    /// `entries_len`. `None` when any of that is not so.
    pub(super) fn from_parts(
        text: String,
        starts: Vec<u32>,
        entries: Vec<u32>,
        entries_len: usize,
    ) -> Option<SearchText> {
        let sep = SEPARATOR as u8;
        let bytes = text.as_bytes();
        let well_placed = starts.len() == entries.len()
            && starts.first().is_none_or(|&s| s == 0)
            && starts.windows(2).all(|w| w[0] < w[1])
            && starts.iter().skip(1).all(|&s| {
                let s = s as usize;
                s <= bytes.len() && bytes[s - 1] == sep && text.is_char_boundary(s)
            })
            && memchr::memchr_iter(sep, bytes).count() == starts.len().saturating_sub(1)
            && entries.iter().all(|&e| (e as usize) < entries_len)
            && (!starts.is_empty() || text.is_empty());
        well_placed.then_some(SearchText {
            text,
            starts,
            entries,
        })
    }

    /// How many subjects the buffer holds.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether the buffer holds no subject.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The entry a slot stands for.
    pub fn entry(&self, slot: usize) -> usize {
        self.entries[slot] as usize
    }

    /// The folded text of a slot.
    pub fn slot_text(&self, slot: usize) -> &str {
        let end = self.starts.get(slot + 1).map_or(self.text.len(), |&next| {
            next as usize - SEPARATOR.len_utf8()
        });
        &self.text[self.starts[slot] as usize..end]
    }

    /// The slots (ascending, so in display order) whose text matches the folded query.
    pub fn find(&self, query: &str) -> Vec<usize> {
        let Some(matcher) = Matcher::new(query) else {
            return (0..self.len()).collect();
        };
        let haystack = self.text.as_bytes();
        let mut hits = Vec::new();
        let mut from = 0;
        while from < haystack.len() {
            let Some(at) = matcher.finder.find(&haystack[from..]) else {
                break;
            };
            let slot = self.starts.partition_point(|&s| s as usize <= from + at) - 1;
            if matcher.single || crate::text::matches_folded(self.slot_text(slot), query) {
                hits.push(slot);
            }
            // The rest of this subject's text cannot add anything: go to the next one.
            from = self
                .starts
                .get(slot + 1)
                .map_or(haystack.len(), |&s| s as usize);
        }
        hits
    }

    /// The slots matching `query`, given the slots that matched a query it extends (one it
    /// starts with): each word of the shorter query is a prefix of the same word of the longer
    /// one, so the matches can only shrink. Rescans instead when the previous matches are many.
    pub fn narrow(&self, previous: &[usize], query: &str) -> Vec<usize> {
        // Checking a candidate costs about as much as scanning a hundred bytes or so.
        self.narrow_below(previous, query, self.text.len() / 128)
    }

    /// `narrow`, rescanning when more than `most` slots matched before.
    fn narrow_below(&self, previous: &[usize], query: &str, most: usize) -> Vec<usize> {
        if previous.len() > most {
            return self.find(query);
        }
        let Some(matcher) = Matcher::new(query) else {
            return previous.to_vec();
        };
        previous
            .iter()
            .copied()
            .filter(|&slot| {
                let text = self.slot_text(slot);
                matcher.finder.find(text.as_bytes()).is_some()
                    && (matcher.single || crate::text::matches_folded(text, query))
            })
            .collect()
    }
}

/// A prebuilt searcher for a query's longest word.
struct Matcher<'q> {
    finder: Finder<'q>,
    /// The query is one word, so a hit of the finder is a match.
    single: bool,
}

impl<'q> Matcher<'q> {
    /// None when the query has no word (everything matches).
    fn new(query: &'q str) -> Option<Matcher<'q>> {
        let mut words = query.split(' ').filter(|w| !w.is_empty());
        let first = words.next()?;
        let mut single = true;
        let mut longest = first;
        for word in words {
            single = false;
            if word.len() > longest.len() {
                longest = word;
            }
        }
        Some(Matcher {
            finder: Finder::new(longest.as_bytes()),
            single,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{fold, matches_folded};
    use proptest::prelude::*;

    fn simple(texts: &[String], query: &str) -> Vec<usize> {
        (0..texts.len())
            .filter(|&i| matches_folded(&texts[i], query))
            .collect()
    }

    fn buffer(texts: &[String]) -> SearchText {
        SearchText::build(texts.iter().enumerate().map(|(i, t)| (i, t.as_str())))
    }

    #[test]
    fn finds_words_in_order_across_name_and_id() {
        let texts: Vec<String> = ["Sở Nội vụ SNV", "Sở Tư pháp STP", "Nội vụ huyện Chợ Mới X1"]
            .iter()
            .map(|s| fold(s))
            .collect();
        let search = buffer(&texts);
        assert_eq!(search.find("so noi vu"), vec![0]);
        assert_eq!(search.find("noi vu"), vec![0, 2]);
        assert_eq!(search.find("vu noi"), Vec::<usize>::new());
        assert_eq!(search.find("stp"), vec![1]);
        assert_eq!(search.find("moi x1"), vec![2]);
        assert_eq!(search.find(""), vec![0, 1, 2]);
        assert_eq!(search.slot_text(2), "noi vu huyen cho moi x1");
        assert_eq!(search.narrow(&[0, 2], "noi vu h"), vec![2]);
    }

    #[test]
    fn an_empty_buffer_finds_nothing() {
        let search = SearchText::build(std::iter::empty::<(usize, &str)>());
        assert!(search.is_empty());
        assert!(search.find("a").is_empty());
    }

    fn name() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just("ă"),
                Just("Â"),
                Just("đ"),
                Just("D"),
                Just("o"),
                Just("ô"),
                Just("ơ"),
                Just("n"),
                Just("g"),
                Just("ng"),
                Just("1"),
                Just(" "),
                Just("  "),
                Just("\n"),
            ],
            0..14,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn fast_search_agrees_with_matches_folded(
            names in proptest::collection::vec(name(), 0..40),
            query in name(),
        ) {
            let texts: Vec<String> = names.iter().map(|n| fold(n)).collect();
            let search = buffer(&texts);
            let query = fold(&query);
            prop_assert_eq!(search.find(&query), simple(&texts, &query));
            // Narrowing through every prefix of the query gives the same answer.
            let mut hits = search.find("");
            for (end, _) in query.char_indices().skip(1).chain([(query.len(), ' ')]) {
                let prefix = fold(&query[..end]);
                hits = search.narrow_below(&hits, &prefix, usize::MAX);
                prop_assert_eq!(search.narrow(&hits, &prefix), hits.clone());
                prop_assert_eq!(&hits, &simple(&texts, &prefix));
            }
        }
    }
}
