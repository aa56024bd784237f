//! A ratatui backend for a remote terminal: it writes escape sequences into a buffer that the
//! driver sends over the SSH channel, and reports the size the client gave in pty-req and
//! window-change. It never asks the server's own tty anything (a server has none to ask).

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

/// The bytes of the frame being drawn, shared between the backend and its crossterm writer.
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Renders into memory; [`ChannelBackend::take`] hands the bytes of a frame to the driver.
pub(crate) struct ChannelBackend {
    inner: CrosstermBackend<Sink>,
    sink: Sink,
    size: Size,
    cursor: Position,
}

impl ChannelBackend {
    pub fn new(width: u16, height: u16) -> Self {
        let sink = Sink::default();
        Self {
            inner: CrosstermBackend::new(sink.clone()),
            sink,
            size: Size::new(width.max(1), height.max(1)),
            cursor: Position::ORIGIN,
        }
    }

    /// The client's terminal changed size.
    pub fn set_size(&mut self, width: u16, height: u16) {
        self.size = Size::new(width.max(1), height.max(1));
    }

    /// The bytes written since the last call.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut *self.sink.0.borrow_mut())
    }

    /// Appends raw control sequences (alternate screen, cursor visibility, …).
    pub(crate) fn write_raw(&mut self, bytes: &[u8]) {
        self.sink.0.borrow_mut().extend_from_slice(bytes);
    }
}

impl Backend for ChannelBackend {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        self.cursor = p;
        self.inner.set_cursor_position(p)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::new(0, 0),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::widgets::Paragraph;

    #[test]
    fn frames_render_into_the_buffer_at_the_client_size_and_follow_resizes() {
        let mut terminal = Terminal::new(ChannelBackend::new(80, 24)).expect("terminal");
        terminal
            .draw(|f| {
                assert_eq!(f.area().width, 80);
                f.render_widget(Paragraph::new("Sở Nội vụ"), f.area());
            })
            .expect("draw");
        let bytes = terminal.backend_mut().take();
        let nz = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero");
        let mut parser = vt100::Parser::new(nz(24), nz(80), 0);
        parser.process(&bytes);
        assert!(parser.screen().contents().starts_with("Sở Nội vụ"));

        terminal.backend_mut().set_size(100, 30);
        terminal
            .draw(|f| {
                assert_eq!((f.area().width, f.area().height), (100, 30));
            })
            .expect("draw after resize");
        assert!(terminal.backend_mut().take().len() < 4096);
        terminal.draw(|_| {}).expect("unchanged");
        assert!(
            terminal.backend_mut().take().len() < 64,
            "unchanged frames send almost nothing"
        );
    }
}
