//! Bytes written to the terminal for one key, measured on the real binary in a pty (the
//! sample database, 80×24): moving one row, scoring a criterion, opening and closing help.
//! ratatui diffs frames, so a one-row move must cost a few hundred bytes, not a whole frame
//! (the first frame is about 6 KB here). The figures are printed; the bounds asserted are generous (about twice
//! what was measured for moves and scoring; help is drawn and erased whole) so the test
//! catches a regression to full redraws, not noise.

use crate::pty;

#[test]
fn one_key_sends_a_small_diff_not_a_frame() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = pty::Console::open(&dir.path().join("db"), &[], &[], 80, 24, false);
    c.wait_for("Tiến độ");
    let first = c.settle(0, 0, std::time::Duration::from_millis(300));
    let j = c.bytes_for("j");
    let k = c.bytes_for("k");
    let open = c.bytes_for("\r");
    let y = c.bytes_for("y");
    let help = c.bytes_for("?");
    let close = c.bytes_for("\x1b");
    println!(
        "bytes to the terminal: first frame {first}, j {j}, k {k}, Enter {open}, y {y}, \
         ? (help) {help}, Esc (close help) {close}"
    );
    c.send("q");
    assert_eq!(c.wait_exit(pty::TIMEOUT), Some(true));
    assert!(
        first > 1500,
        "the first frame is a whole screen ({first} bytes)"
    );
    assert!(j < 800, "a one-row move sent {j} bytes");
    assert!(k < 800, "a one-row move sent {k} bytes");
    assert!(y < 3000, "scoring a criterion sent {y} bytes");
    assert!(help < 8000, "opening help sent {help} bytes");
    assert!(close < 8000, "closing help sent {close} bytes");
}
