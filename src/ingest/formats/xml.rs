//! What the GraphML and GEXF writers and readers share: XML escaping, and the line of a byte
//! offset while a file is streamed (for `file:line` issues without holding the file).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Read;
use std::rc::Rc;

/// `text` escaped for an XML attribute value or element text. Characters XML 1.0 cannot
/// hold (control characters other than tab and line breaks) become U+FFFD; line breaks and
/// tabs in attributes are written as character references so that they survive attribute
/// normalisation.
pub(crate) fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    let needs = text
        .chars()
        .any(|c| matches!(c, '&' | '<' | '>' | '"' | '\'' | '\n' | '\r' | '\t') || forbidden(c));
    if !needs {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\n' | '\r' | '\t')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// A float as XML Schema's `double` lexical form (`INF`, `-INF`, `NaN` for the specials)
/// that parses back to the same value.
pub(crate) fn double(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "INF" } else { "-INF" }.into()
    } else {
        format!("{x:?}")
    }
}

/// Offsets of the line feeds read so far and not yet passed.
#[derive(Default)]
pub(crate) struct Lines {
    pending: VecDeque<u64>,
    read: u64,
    passed: u64,
}

impl Lines {
    /// The 1-based line of byte `offset`; offsets must not decrease between calls.
    pub(crate) fn line_of(&mut self, offset: u64) -> u64 {
        while self.pending.front().is_some_and(|&o| o < offset) {
            self.pending.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

/// A reader that notes where the line feeds are, for [`Lines::line_of`].
pub(crate) struct LineTracker<R> {
    inner: R,
    lines: Rc<RefCell<Lines>>,
}

impl<R> LineTracker<R> {
    /// Wraps `inner`; the returned handle answers line numbers.
    pub(crate) fn new(inner: R) -> (Self, Rc<RefCell<Lines>>) {
        let lines = Rc::new(RefCell::new(Lines::default()));
        (
            LineTracker {
                inner,
                lines: Rc::clone(&lines),
            },
            lines,
        )
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut lines = self.lines.borrow_mut();
        let start = lines.read;
        for (i, _) in buf[..n].iter().enumerate().filter(|(_, &b)| b == b'\n') {
            lines.pending.push_back(start + i as u64);
        }
        lines.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_line_breaks_and_drops_what_xml_cannot_hold() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(escape("x\ny"), "x&#10;y");
        assert_eq!(escape("bell\u{7}"), "bell\u{FFFD}");
        assert!(matches!(escape("上海"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn lines_are_counted_as_the_file_streams() {
        let (mut r, lines) = LineTracker::new(&b"a\nbb\n\nc"[..]);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        let mut l = lines.borrow_mut();
        assert_eq!(l.line_of(0), 1);
        assert_eq!(l.line_of(2), 2);
        assert_eq!(l.line_of(5), 3);
        assert_eq!(l.line_of(6), 4);
    }

    #[test]
    fn doubles_round_trip() {
        assert_eq!(double(0.1), "0.1");
        assert_eq!(double(1.0), "1.0");
        assert_eq!(double(f64::INFINITY), "INF");
    }
}
