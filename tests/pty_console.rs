//! The real binary in a pseudo-terminal at 80×24 (portable-pty), its output read through a
//! terminal emulator (vt100). Every step waits for text on the emulated screen, with a timeout;
//! nothing sleeps for a fixed time. A session scores two criteria, writes a Vietnamese note,
//! quits, and finds everything again on reopening; the selection stays visible under NO_COLOR;
//! SIGTERM restores the terminal.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};
use thidua::domain::VerdictValue;
use thidua::store::Store;

const TIMEOUT: Duration = Duration::from_secs(20);

struct Console {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    /// Signals when the reader has seen the end of the output.
    eof: std::sync::mpsc::Receiver<()>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Console {
    fn open(dir: &Path, extra_env: &[(&str, &str)]) -> Console {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_thidua"));
        cmd.args(["--reviewer", "an"]);
        cmd.env("THIDUA_DB", dir.join("db"));
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env_remove("NO_COLOR");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).expect("spawn thidua");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(24).expect("rows"),
            std::num::NonZeroU16::new(80).expect("cols"),
            0,
        )));
        let feed = screen.clone();
        let (done, eof) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => feed.lock().expect("screen").process(&buf[..n]),
                }
            }
            let _ = done.send(());
        });
        Console {
            screen,
            writer,
            child,
            eof,
            _master: pty.master,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().expect("screen").screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "timed out waiting for {text:?}; the screen:\n{}",
            self.contents()
        );
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
    }

    fn wait_exit(&mut self) -> bool {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Everything the program wrote is on the emulated screen before we look.
                let _ = self.eof.recv_timeout(TIMEOUT);
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("thidua did not exit; the screen:\n{}", self.contents());
    }
}

#[test]
fn score_note_quit_and_find_it_all_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = Console::open(dir.path(), &[]);
    c.wait_for("Văn phòng UBND tỉnh");
    c.wait_for("Tiến độ");

    // Score two criteria, then give TT3 "not met" with a Vietnamese note.
    c.send("\r");
    c.wait_for("▶ TT1");
    c.send("yy");
    c.wait_for("Văn phòng UBND tỉnh · 2/10");
    c.send("n");
    c.wait_for("Ghi lý do");
    c.send("Thiếu kế hoạch");
    c.wait_for("Thiếu kế hoạch");
    c.send("\r");
    c.wait_for("Văn phòng UBND tỉnh · 3/10");
    c.wait_for("đã lưu");

    // PuTTY's End and Home (ESC[4~ and ESC[1~) move to the last and first criterion.
    c.send("\x1b[4~");
    c.wait_for("TT10 · Chỉ số");
    c.send("\x1b[1~");
    c.wait_for("TT1 · Thực hiện");
    c.send("jj");
    c.wait_for("TT3 · Kế hoạch tuyên truyền");
    c.wait_for("Ghi chú: Thiếu kế hoạch");

    c.send("q");
    assert!(c.wait_exit(), "q exits cleanly");
    assert!(
        !c.screen.lock().expect("screen").screen().alternate_screen(),
        "the terminal is restored"
    );

    // Reopen: same subject and criterion, the decisions and the note are there.
    let mut c = Console::open(dir.path(), &[]);
    c.wait_for("Văn phòng UBND tỉnh · 3/10");
    c.wait_for("TT3 · Kế hoạch tuyên truyền");
    c.wait_for("Ghi chú: Thiếu kế hoạch");
    c.send("q");
    assert!(c.wait_exit());

    let store = Store::open(&dir.path().join("db")).expect("open");
    let value = |cr: &str| store.verdict("VPUBND", cr).expect("read").map(|v| v.value);
    assert_eq!(value("TT1"), Some(VerdictValue::Met));
    assert_eq!(value("TT2"), Some(VerdictValue::Met));
    let tt3 = store.verdict("VPUBND", "TT3").expect("read").expect("TT3");
    assert_eq!(tt3.value, VerdictValue::NotMet);
    assert_eq!(tt3.note, "Thiếu kế hoạch");
    assert_eq!(tt3.reviewer, "an");
}

#[test]
fn no_color_keeps_the_selection_visible_on_a_real_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = Console::open(dir.path(), &[("NO_COLOR", "1"), ("LANG", "en_US.UTF-8")]);
    c.wait_for("Collectives");
    c.send("j");
    c.wait_for("▶ ○ Sở Nội vụ");
    {
        let parser = c.screen.lock().expect("screen");
        let screen = parser.screen();
        let (row, col) = (0..24u16)
            .find_map(|r| {
                let line = screen.contents_between(r, 0, r, 40);
                line.find("▶ ○ Sở Nội vụ")
                    .map(|_| (r, line.chars().position(|ch| ch == '▶').unwrap_or(0) as u16))
            })
            .expect("selected row");
        for x in col..col + 8 {
            let cell = screen.cell(row, x).expect("cell");
            assert!(cell.inverse(), "reverse video at {row},{x}");
            assert!(cell.bold(), "bold at {row},{x}");
        }
    }
    c.send("q");
    assert!(c.wait_exit());
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = Console::open(dir.path(), &[]);
    c.wait_for("Văn phòng UBND tỉnh");
    c.send("jjj\r");
    c.wait_for("Sở Kế hoạch và Đầu tư · 0/10");
    let pid = c.child.process_id().expect("pid");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    c.wait_exit();
    assert!(!c.screen.lock().expect("screen").screen().alternate_screen());
    let mut c = Console::open(dir.path(), &[]);
    c.wait_for("Sở Kế hoạch và Đầu tư · 0/10");
    c.send("q");
    c.wait_exit();
}

#[test]
fn sighup_ends_the_console_promptly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = Console::open(dir.path(), &[]);
    c.wait_for("Văn phòng UBND tỉnh");
    let pid = c.child.process_id().expect("pid");
    let started = Instant::now();
    let status = std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    c.wait_exit();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    let log = std::fs::read_to_string(dir.path().join("thidua.log")).expect("log");
    assert!(log.contains("stopping on a signal"), "{log}");
}

#[test]
fn summary_history_and_an_export_from_the_real_console() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = Console::open(dir.path(), &[]);
    c.wait_for("Văn phòng UBND tỉnh");
    c.send("\ry");
    c.wait_for("đã lưu");
    c.send("s");
    c.wait_for("Tổng hợp kết quả đánh giá");
    c.wait_for("Tiến độ theo người đánh giá");
    c.send("\x1b");
    c.wait_for("▶ TT2");
    c.send("kH");
    c.wait_for("Lịch sử · TT1");
    c.wait_for("an  Chưa đánh giá → Đạt (sửa)");
    c.send("\x1b");
    c.wait_for("▶ TT1");
    c.send("x");
    c.wait_for("Xuất tệp kết quả cho Hội đồng");
    c.send("\r");
    c.wait_for("Chưa xuất: việc đánh giá chưa xong");
    c.send(" \r");
    c.wait_for("Đã ghi");
    c.wait_for("CHƯA ĐẦY ĐỦ");
    c.send("\r");
    c.send("q");
    assert!(c.wait_exit());
    let today = chrono::Utc::now()
        .with_timezone(&thidua::domain::vietnam())
        .format("%Y%m%d");
    let file = dir.path().join(format!("ket-qua-{today}.xlsx"));
    assert!(
        std::fs::metadata(&file).is_ok_and(|m| m.len() > 1000),
        "{} written",
        file.display()
    );
}
