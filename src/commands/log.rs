//! `thidua log`: prints the audit trail (nhật ký), oldest first, one event a line: number, time
//! in Vietnam time, reviewer, kind of change and a readable description, in the message
//! language. Every piece of user text is cleaned before it reaches the terminal. The last line
//! names the change journal's head (record number and SHA-256) the trail was read at.

use std::collections::HashMap;
use std::io::Write;

use unicode_width::UnicodeWidthStr;

use crate::cli::{Global, LogArgs};
use crate::domain::review::labels;
use crate::domain::{AuditEvent, Lang, format_time};
use crate::store::reader::{AuditScope, Request};

use super::source::Source;
use crate::text::clean;

/// The trail as printed lines (header first), for a subject or for everything.
pub fn render<'a>(
    events: &[AuditEvent],
    name_of: impl Fn(&str) -> Option<&'a str>,
    lang: Lang,
) -> Vec<String> {
    let mut widths = Widths::new(lang);
    for e in events {
        widths.take(e, lang);
    }
    let mut lines = vec![widths.header(lang)];
    lines.extend(events.iter().map(|e| widths.line(e, &name_of, lang)));
    lines
}

/// The widths of the trail's columns (number, reviewer, kind of change), taken from every
/// event shown and the header: a trail streamed (`ssh … log`) is read twice, once for these
/// and once to write it, so it never has to be held whole.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Widths {
    seq: usize,
    who: usize,
    cause: usize,
}

impl Widths {
    fn titles(lang: Lang) -> [&'static str; 5] {
        match lang {
            Lang::Vi => ["Số", "Thời gian", "Người", "Thao tác", "Nội dung"],
            Lang::En => ["No.", "Time", "Reviewer", "Change", "What"],
        }
    }

    /// The header's widths.
    pub(crate) fn new(lang: Lang) -> Self {
        let [seq, _, who, cause, _] = Self::titles(lang);
        Self {
            seq: seq.width(),
            who: who.width(),
            cause: cause.width(),
        }
    }

    /// Widened to fit `e`.
    pub(crate) fn take(&mut self, e: &AuditEvent, lang: Lang) {
        self.seq = self.seq.max(e.seq.to_string().len());
        self.who = self.who.max(clean(&e.reviewer).width());
        self.cause = self.cause.max(labels::cause(e.cause, lang).width());
    }

    /// The header line.
    pub(crate) fn header(&self, lang: Lang) -> String {
        let [h_seq, h_time, h_who, h_cause, h_what] = Self::titles(lang);
        format!(
            "{:>w$}  {}  {}  {}  {h_what}",
            h_seq,
            pad(h_time, 16),
            pad(h_who, self.who),
            pad(h_cause, self.cause),
            w = self.seq
        )
    }

    /// The line of `e`; every piece of user text in it cleaned.
    pub(crate) fn line<'a>(
        &self,
        e: &AuditEvent,
        name_of: &impl Fn(&str) -> Option<&'a str>,
        lang: Lang,
    ) -> String {
        let what = labels::describe(e, name_of, lang);
        format!(
            "{:>w$}  {}  {}  {}  {what}",
            e.seq,
            format_time(e.at),
            pad(&clean(&e.reviewer), self.who),
            pad(labels::cause(e.cause, lang), self.cause),
            w = self.seq
        )
    }
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.width())))
}

pub fn run(global: &Global, args: &LogArgs) -> anyhow::Result<()> {
    let lang = crate::paths::lang(global);
    let path = crate::paths::db_path(global)?;
    if args.journal {
        return print(journal_lines(&path, lang)?);
    }
    let request = Request {
        subjects: true,
        audit: Some(match &args.subject {
            Some(id) => AuditScope::Subject(id.clone()),
            None => AuditScope::All,
        }),
        ..Request::default()
    };
    let mut source = Source::open(&path, &request, lang)?;
    let subjects = source.subjects()?;
    if let Some(id) = &args.subject
        && !subjects.iter().any(|(_, s)| &s.id == id)
    {
        anyhow::bail!(match lang {
            Lang::Vi => format!(
                "không có đối tượng mã {:?} trong {}",
                clean(id),
                path.display()
            ),
            Lang::En => format!("no subject with id {:?} in {}", clean(id), path.display()),
        });
    }
    let events = source.audit(args.subject.as_deref())?;
    let head = source.head();
    let mut lines = if events.is_empty() {
        vec![
            match lang {
                Lang::Vi => "Chưa có thay đổi nào.",
                Lang::En => "No changes yet.",
            }
            .to_string(),
        ]
    } else {
        let names: HashMap<String, String> =
            subjects.into_iter().map(|(_, s)| (s.id, s.name)).collect();
        render(&events, |id| names.get(id).map(String::as_str), lang)
    };
    drop(source);
    // The change journal's head: the exact state the trail was read at, as every export names.
    if let Some((seq, hash)) = head {
        lines.push(head_line(lang, seq, &hash));
    }
    print(lines)
}

/// Prints `lines` on stdout; a closed pipe (`thidua log | head`) is not an error.
fn print(lines: Vec<String>) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in lines {
        if let Err(e) = writeln!(out, "{line}") {
            // A closed pipe (`thidua log | head`) is the reader's choice, not an error.
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(());
            }
            return Err(e.into());
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// The line naming the change journal's head (record number and SHA-256) a trail was read at.
pub(crate) fn head_line(lang: Lang, seq: u64, hash: &str) -> String {
    match lang {
        Lang::Vi => format!("Đầu nhật ký thay đổi: bản ghi {seq}, SHA-256 {hash}"),
        Lang::En => format!("Change journal head: record {seq}, SHA-256 {hash}"),
    }
}

/// The change journal's records as printed lines (`thidua log --journal`), read from the
/// journal's files alone: no lock is taken and nothing is written, so this works beside a
/// console or server holding the database and on read-only media. Each line gives the
/// record's number, time, reviewer, how the reviewer came in (the SSH key's fingerprint or
/// `local:LOGIN`; "-" for records from before the origin was kept) and the audit events it
/// carries (the numbers `thidua log` shows) or "checkpoint". The last line is the head.
pub fn journal_lines(db: &std::path::Path, lang: Lang) -> anyhow::Result<Vec<String>> {
    let mut lines = Vec::new();
    write_journal(db, lang, |line| {
        lines.push(line.to_string());
        Ok(())
    })?;
    Ok(lines)
}

/// The lines of `journal_lines`, given to `each` one at a time (`ssh … log --journal` streams
/// them): the journal is read twice, once for the columns' widths and the head, once to
/// write the records up to that head, so memory does not grow with the journal. The first
/// error `each` returns (a client gone) ends the writing; the rest of the journal is then
/// only checked, not decoded.
pub fn write_journal(
    db: &std::path::Path,
    lang: Lang,
    mut each: impl FnMut(&str) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use crate::store::journal;
    let dir = db.join(journal::DIR);
    if !crate::store::exists(&db.join("db"))? {
        return Err(crate::store::StoreError::Missing(db.to_path_buf()).into());
    }
    let damaged = |d| crate::store::StoreError::Journal(Box::new(d));
    let head = match lang {
        Lang::Vi => ["Số", "Thời gian", "Người", "Vào bằng", "Nội dung"],
        Lang::En => ["No.", "Time", "Reviewer", "Came in by", "What"],
    };
    let mut widths: Vec<usize> = head.iter().take(4).map(|h| h.width()).collect();
    let tail = journal::scan(&dir, |r, _| {
        for (w, cell) in widths.iter_mut().zip(journal_row(&r, lang)) {
            *w = (*w).max(cell.width());
        }
    })
    .map_err(damaged)?;
    let line = |r: [&str; 5]| {
        format!(
            "{}{}  {}  {}  {}  {}",
            " ".repeat(widths[0].saturating_sub(r[0].width())),
            r[0],
            pad(r[1], widths[1]),
            pad(r[2], widths[2]),
            pad(r[3], widths[3]),
            r[4]
        )
    };
    each(&line(head))?;
    let stopped = std::cell::Cell::new(false);
    let mut failed = None;
    journal::scan_some(
        &dir,
        |seq| seq <= tail.seq && !stopped.get(),
        |r, _| {
            if stopped.get() {
                return;
            }
            let [a, b, c, d, e] = journal_row(&r, lang);
            if let Err(err) = each(&line([&a, &b, &c, &d, &e])) {
                stopped.set(true);
                failed = Some(err);
            }
        },
    )
    .map_err(damaged)?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    each(&head_line(lang, tail.seq, &journal::hex(&tail.head)))?;
    Ok(())
}

/// A journal record as a row: number, time, reviewer, how they came in (the SSH key's
/// fingerprint or `local:LOGIN`; "-" for records from before the origin was kept), and the
/// audit events it carries or "checkpoint".
fn journal_row(r: &crate::store::journal::Record, lang: Lang) -> [String; 5] {
    use crate::store::journal::{self, tree};
    let (name, origin) = crate::store::journal_actor(&r.actor);
    let what = if r.kind == journal::KIND_CHECKPOINT {
        match lang {
            Lang::Vi => format!("điểm mốc ({} khoá)", r.ops.len()),
            Lang::En => format!("checkpoint ({} keys)", r.ops.len()),
        }
    } else {
        let events: Vec<String> = r
            .ops
            .iter()
            .filter(|o| o.tree == tree::AUDIT && o.new.is_some())
            .filter_map(|o| crate::store::keys::decode_seq(&o.key))
            .map(|n| n.to_string())
            .collect();
        match (lang, events.is_empty()) {
            (Lang::Vi, true) => format!("{} khoá", r.ops.len()),
            (Lang::En, true) => format!("{} keys", r.ops.len()),
            (Lang::Vi, false) => format!("sự kiện {}", events.join(", ")),
            (Lang::En, false) => format!("event {}", events.join(", ")),
        }
    };
    let at = chrono::DateTime::from_timestamp_millis(r.at_ms).unwrap_or_default();
    [
        r.seq.to_string(),
        format_time(at),
        clean(name),
        clean(origin.unwrap_or("-")),
        what,
    ]
}
