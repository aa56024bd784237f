//! The real `thidua` binary in a pseudo-terminal (portable-pty), its output fed to a terminal
//! emulator (vt100). Shared by the fault, hostile-input and terminal-bytes tests and by the
//! memory harness. Besides the live screen it counts every byte the program wrote and keeps a
//! copy of the screen after each complete frame (the console ends every frame with the
//! synchronized-update end mark, ESC [ ? 2026 l), so a test reads whole frames only, never a
//! frame half drawn.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const TIMEOUT: Duration = Duration::from_secs(30);
const FRAME_END: &[u8] = b"\x1b[?2026l";

/// What the emulated terminal was asked to do besides drawing: window titles, bells, OSC.
#[derive(Default, Debug)]
pub struct Events {
    pub titles: Vec<Vec<u8>>,
    pub bells: usize,
    pub unhandled_osc: usize,
}

impl vt100::Callbacks for Events {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn unhandled_osc(&mut self, _: &mut vt100::Screen, _: &[&[u8]]) {
        self.unhandled_osc += 1;
    }
}

pub type Parser = vt100::Parser<Events>;

/// What the reader thread shares with the test.
#[derive(Default)]
pub struct Shared {
    /// Every byte the program wrote.
    pub raw: Mutex<Vec<u8>>,
    pub bytes: AtomicUsize,
    pub frames: AtomicUsize,
    /// The screen text after each complete frame, when `keep_frames` is set.
    pub kept: Mutex<Vec<String>>,
}

pub struct Console {
    pub screen: Arc<Mutex<Parser>>,
    pub shared: Arc<Shared>,
    pub writer: Option<Box<dyn Write + Send>>,
    pub child: Box<dyn Child + Send + Sync>,
    pub eof: std::sync::mpsc::Receiver<()>,
    pub master: Option<Box<dyn MasterPty + Send>>,
    pub rows: u16,
    pub cols: u16,
}

/// The screen as text, one line per row (trailing blanks kept off).
pub fn screen_text(screen: &vt100::Screen, cols: u16) -> String {
    screen.rows(0, cols).collect::<Vec<_>>().join("\n")
}

impl Console {
    /// Starts `thidua` (with `args`) on the database `db` in a `cols`×`rows` pty.
    pub fn open(
        db: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
        keep_frames: bool,
    ) -> Console {
        Self::open_bin(
            env!("CARGO_BIN_EXE_thidua"),
            db,
            args,
            env,
            cols,
            rows,
            keep_frames,
        )
    }

    pub fn open_bin(
        bin: &str,
        db: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
        keep_frames: bool,
    ) -> Console {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(["--reviewer", "an"]);
        cmd.args(args);
        cmd.env("THIDUA_DB", db);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("THIDUA_LANG");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).expect("spawn thidua");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            std::num::NonZeroU16::new(rows).expect("rows"),
            std::num::NonZeroU16::new(cols).expect("cols"),
            0,
            Events::default(),
        )));
        let shared = Arc::new(Shared::default());
        let (feed, counts) = (screen.clone(), shared.clone());
        let (done, eof) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            // The tail of the previous read, in case a frame-end mark is split across reads.
            let mut tail: Vec<u8> = Vec::new();
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                counts.bytes.fetch_add(n, Ordering::SeqCst);
                counts.raw.lock().expect("raw").extend_from_slice(&buf[..n]);
                let mut data = std::mem::take(&mut tail);
                let carried = data.len();
                data.extend_from_slice(&buf[..n]);
                let mut parser = feed.lock().expect("screen");
                let mut from = carried;
                let mut search = 0;
                while let Some(at) = find(&data[search..], FRAME_END) {
                    let end = search + at + FRAME_END.len();
                    if end > from {
                        parser.process(&data[from..end]);
                        from = end;
                    }
                    if keep_frames {
                        let text = screen_text(parser.screen(), cols);
                        counts.kept.lock().expect("frames").push(text);
                    }
                    counts.frames.fetch_add(1, Ordering::SeqCst);
                    search = end;
                }
                parser.process(&data[from..]);
                let keep = FRAME_END.len() - 1;
                tail = data[data.len().saturating_sub(keep).max(search)..].to_vec();
            }
            let _ = done.send(());
        });
        Console {
            screen,
            shared,
            writer: Some(writer),
            child,
            eof,
            master: Some(pty.master),
            rows,
            cols,
        }
    }

    pub fn contents(&self) -> String {
        screen_text(self.screen.lock().expect("screen").screen(), self.cols)
    }

    pub fn wait_until(&self, what: &str, ok: impl Fn(&Console) -> bool) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if ok(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!(
            "timed out waiting for {what}; the screen:\n{}",
            self.contents()
        );
    }

    pub fn wait_for(&self, text: &str) {
        self.wait_until(text, |c| c.contents().contains(text));
    }

    pub fn send(&mut self, bytes: &str) {
        let w = self.writer.as_mut().expect("writer");
        w.write_all(bytes.as_bytes()).expect("write");
        w.flush().expect("flush");
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    pub fn bytes(&self) -> usize {
        self.shared.bytes.load(Ordering::SeqCst)
    }

    pub fn frames(&self) -> usize {
        self.shared.frames.load(Ordering::SeqCst)
    }

    /// Waits until at least one more frame than `before` has ended and then no byte has come
    /// for `quiet`; returns the bytes written since `bytes_before`.
    pub fn settle(&self, before_frames: usize, bytes_before: usize, quiet: Duration) -> usize {
        self.wait_until("a frame", |c| c.frames() > before_frames);
        let mut last = self.bytes();
        let mut since = Instant::now();
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            std::thread::sleep(Duration::from_millis(10));
            let now = self.bytes();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                break;
            }
        }
        last - bytes_before
    }

    /// Sends `key` once the screen is quiet and returns the bytes the console wrote for it.
    pub fn bytes_for(&mut self, key: &str) -> usize {
        let quiet = Duration::from_millis(300);
        let (f, b) = (self.frames(), self.bytes());
        self.send(key);
        self.settle(f, b, quiet)
    }

    /// Waits for the process to end; returns whether it exited successfully.
    pub fn wait_exit(&mut self, within: Duration) -> Option<bool> {
        let start = Instant::now();
        while start.elapsed() < within {
            if let Ok(Some(status)) = self.child.try_wait() {
                let _ = self.eof.recv_timeout(Duration::from_secs(5));
                return Some(status.success());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Sends a signal to a process by id.
pub fn signal(pid: u32, sig: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success(), "kill -{sig} {pid}");
}

/// The peak resident set of a live process, in KiB (VmHWM from /proc).
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
