//! Where a read-only command (`status`, `log`, `export`, `verify`) reads: the database itself,
//! or, while a console or `thidua serve` holds it, that holder's answer over its reader socket
//! (`store::reader`), as of its last acknowledged change. A note on stderr says which; the
//! command's own output is the same either way.

use std::path::Path;

use crate::domain::{AuditEvent, Campaign, Initiative, Lang, Subject, Verdict};
use crate::i18n::{Key, fill};
use crate::interchange::export::{Format, Snapshot};
use crate::store::reader::{self, Answer, AuditScope, Request};
use crate::store::verify::Report;
use crate::store::{Store, StoreError};

/// The data a read-only command works on.
pub(crate) enum Source {
    /// The database, opened by this process.
    Open(Box<Store>),
    /// The answer of the process that holds the database.
    Held(Box<Answer>),
}

impl Source {
    /// Opens the database at `path`, or asks its holder for what `request` names when another
    /// thidua holds it. A holder that does not answer leaves the lock error as it was.
    pub fn open(path: &Path, request: &Request, lang: Lang) -> anyhow::Result<Source> {
        match Store::open(path) {
            Ok(store) => Ok(Source::Open(Box::new(store))),
            Err(locked @ StoreError::Locked { .. }) => match reader::ask(path, request) {
                Ok(Some(answer)) => {
                    eprintln!(
                        "{}",
                        fill(lang, Key::ReadFromHolder, &[&answer.pid.to_string()])
                    );
                    Ok(Source::Held(Box::new(answer)))
                }
                Ok(None) => Err(locked.into()),
                Err(e) => {
                    tracing::warn!("asking the holder of {} failed: {e}", path.display());
                    Err(locked.into())
                }
            },
            Err(e) if crate::store::readonly::cannot_write(&e).is_some() => {
                let why = crate::store::readonly::cannot_write(&e)
                    .map(|k| k.to_string())
                    .unwrap_or_default();
                tracing::info!("{}: {e}; reading it read-only", path.display());
                let store = match Store::open_read_only(path) {
                    Ok(store) => store,
                    Err(ro) => {
                        tracing::warn!("reading {} read-only failed: {ro}", path.display());
                        return Err(ro.into());
                    }
                };
                let seq = store.head().map_or(0, |(seq, _)| seq);
                eprintln!(
                    "{}",
                    fill(
                        lang,
                        Key::ReadOnlyUse,
                        &[&path.display().to_string(), &why, &seq.to_string()]
                    )
                );
                Ok(Source::Open(Box::new(store)))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub fn campaign(&self) -> &Campaign {
        match self {
            Source::Open(s) => s.campaign(),
            Source::Held(a) => &a.campaign,
        }
    }

    pub fn subjects(&mut self) -> anyhow::Result<Vec<(u32, Subject)>> {
        Ok(match self {
            Source::Open(s) => s.subjects()?,
            Source::Held(a) => std::mem::take(&mut a.subjects),
        })
    }

    pub fn verdicts(&mut self) -> anyhow::Result<Vec<(u32, u16, Verdict)>> {
        Ok(match self {
            Source::Open(s) => s.verdicts()?,
            Source::Held(a) => std::mem::take(&mut a.verdicts),
        })
    }

    pub fn initiatives(&mut self) -> anyhow::Result<Vec<Initiative>> {
        Ok(match self {
            Source::Open(s) => s.initiatives()?,
            Source::Held(a) => std::mem::take(&mut a.initiatives),
        })
    }

    /// The audit trail, or one subject's (the holder was asked for the same scope).
    pub fn audit(&mut self, subject: Option<&str>) -> anyhow::Result<Vec<AuditEvent>> {
        Ok(match self {
            Source::Open(s) => s.audit(subject)?,
            Source::Held(a) => std::mem::take(&mut a.audit),
        })
    }

    pub fn verify(&mut self, lang: crate::domain::Lang) -> anyhow::Result<Report> {
        match self {
            Source::Open(s) => Ok(s.verify()?),
            Source::Held(a) => a.report.take().ok_or_else(|| {
                anyhow::anyhow!(crate::i18n::tr(lang, crate::i18n::Key::CliNoCheckReport))
            }),
        }
    }

    /// The change journal's head (sequence number, SHA-256 in hex) the data was read at.
    pub fn head(&self) -> Option<(u64, String)> {
        match self {
            Source::Open(s) => s.head(),
            Source::Held(a) => a.head.clone(),
        }
    }

    /// One snapshot for an export in `format` (the audit trail only for XLSX, which shows it).
    pub fn snapshot(&mut self, format: Format) -> anyhow::Result<Snapshot> {
        if let Source::Open(store) = self {
            return Ok(crate::runtime::jobs::snapshot(store, format)?);
        }
        let head = self.head();
        let audit = match format {
            Format::Xlsx => self.audit(None)?,
            _ => Vec::new(),
        };
        let subjects = self.subjects()?;
        let ids: std::collections::HashMap<u32, String> =
            subjects.iter().map(|(no, s)| (*no, s.id.clone())).collect();
        let claims = match self {
            Source::Held(a) => std::mem::take(&mut a.claims),
            Source::Open(_) => Vec::new(),
        };
        let mut snap = Snapshot::new(
            self.campaign().clone(),
            subjects,
            self.verdicts()?,
            self.initiatives()?,
            audit,
        );
        snap.journal = head
            .map(|(sequence, sha256)| crate::interchange::export::JournalHead { sequence, sha256 });
        snap.set_claims(
            claims
                .into_iter()
                .filter_map(|(no, c, claim)| Some((ids.get(&no)?.clone(), c, claim))),
        );
        Ok(snap)
    }
}

/// What an export in `format` needs from a holder.
pub(crate) fn export_request(format: Format) -> Request {
    Request {
        subjects: true,
        verdicts: true,
        initiatives: true,
        audit: matches!(format, Format::Xlsx).then_some(AuditScope::All),
        verify: false,
        action: None,
    }
}
