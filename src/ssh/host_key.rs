//! The server's host key: an Ed25519 key generated on first start, written in OpenSSH format
//! with mode 0600 and reused after that, so reviewers' `known_hosts` stays valid. Its SHA-256
//! fingerprint is printed at start for reviewers to compare with what their client shows.

use std::path::{Path, PathBuf};

use anyhow::Context;
use russh::keys::ssh_key::LineEnding;
use russh::keys::{Algorithm, HashAlg, PrivateKey};

/// The default host key path for a database folder: `<db>.host_key` beside it.
pub(crate) fn default_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".host_key");
    db.with_file_name(name)
}

/// The loaded key, and whether it was created just now.
pub(crate) struct HostKey {
    pub key: PrivateKey,
    pub created: bool,
}

impl HostKey {
    /// `SHA256:…`, as `ssh-keygen -lf` and the ssh client show it.
    pub(crate) fn fingerprint(&self) -> String {
        self.key
            .public_key()
            .fingerprint(HashAlg::Sha256)
            .to_string()
    }
}

/// Reads the key at `path`, or creates one there if the file does not exist.
pub(crate) fn load_or_create(path: &Path) -> anyhow::Result<HostKey> {
    if path.exists() {
        check_permissions(path)?;
        let key = PrivateKey::read_openssh_file(path).with_context(|| {
            format!(
                "{}: not an OpenSSH private key; move it away to have a new host key made",
                path.display()
            )
        })?;
        if key.is_encrypted() {
            anyhow::bail!(
                "{}: the host key is protected by a passphrase; the server needs it unencrypted",
                path.display()
            );
        }
        return Ok(HostKey {
            key,
            created: false,
        });
    }
    let mut key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
        .context("could not generate an Ed25519 host key")?;
    key.set_comment("thidua host key");
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", parent.display()))?;
    }
    let text = key
        .to_openssh(LineEnding::LF)
        .context("could not encode the host key")?;
    // Written whole, owner-only from the start, and never over a key another server has just
    // made: the second of two servers starting at once takes the first one's key.
    match crate::files::write_bytes_atomically(
        path,
        text.as_bytes(),
        crate::files::Mode::CreateNew,
        crate::files::Kind::Private,
    ) {
        Ok(_) => Ok(HostKey { key, created: true }),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create(path),
        Err(e) => {
            Err(e).with_context(|| format!("could not write the host key to {}", path.display()))
        }
    }
}

/// Refuses a host key that others can read: anyone who has it can pose as this server.
#[cfg(unix)]
fn check_permissions(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        anyhow::bail!(
            "{}: the host key can be read by other users (mode {:o}); run `chmod 600 {}`",
            path.display(),
            mode & 0o777,
            path.display()
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_path: &Path) -> anyhow::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_once_with_mode_0600_and_then_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = default_path(&dir.path().join("review.db"));
        assert_eq!(
            path.file_name().and_then(|n| n.to_str()),
            Some("review.db.host_key")
        );
        let first = load_or_create(&path).expect("create");
        assert!(first.created);
        assert!(first.fingerprint().starts_with("SHA256:"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = load_or_create(&path).expect("reuse");
        assert!(!again.created);
        assert_eq!(again.fingerprint(), first.fingerprint());
    }

    #[test]
    fn servers_starting_at_once_end_up_with_one_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("k");
        let keys: Vec<HostKey> = std::thread::scope(|s| {
            let racers: Vec<_> = (0..8).map(|_| s.spawn(|| load_or_create(&path))).collect();
            racers
                .into_iter()
                .map(|r| r.join().expect("thread").expect("key"))
                .collect()
        });
        let on_disk = load_or_create(&path).expect("read").fingerprint();
        assert!(keys.iter().all(|k| k.fingerprint() == on_disk));
        assert!(keys.iter().filter(|k| k.created).count() <= 1);
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(left.len(), 1, "only the key is left, no temporary file");
    }

    #[cfg(unix)]
    #[test]
    fn a_readable_host_key_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("k");
        load_or_create(&path).expect("create");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let e = load_or_create(&path).err().expect("refused").to_string();
        assert!(e.contains("chmod 600"), "{e}");
    }
}
