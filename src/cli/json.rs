//! JSON on standard output or in a file, streamed through the caller's buffered writer:
//! indented for a person at a terminal; compact, one row per line (the elements of a
//! top-level array, or of the arrays a top-level object holds), for pipes and files (`jq`,
//! `grep` and `head` read it line by line) — or as chosen with `--compact` / `--pretty`.
//! `--format ndjson` (where offered) writes one object per line, no brackets.

use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};

/// How JSON is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonStyle {
    /// Indented by two spaces (`serde_json`'s pretty printer).
    Pretty,
    /// No spaces; each element of a top-level array, or of an array a top-level object
    /// holds, on its own line.
    Lines,
}

/// The `--compact` / `--pretty` choice of the command line, set once by `cli::run`.
static CHOSEN: OnceLock<Option<JsonStyle>> = OnceLock::new();

/// Records the command line's choice (`None`: by destination).
pub fn choose(compact: bool, pretty: bool) {
    let choice = if compact {
        Some(JsonStyle::Lines)
    } else if pretty {
        Some(JsonStyle::Pretty)
    } else {
        None
    };
    // A second call (tests running several commands in one process) keeps the first.
    let _ = CHOSEN.set(choice);
}

/// The style for output to standard output.
pub fn for_stdout() -> JsonStyle {
    by_destination(io::stdout().is_terminal())
}

/// The style for a file written with `--out`.
pub fn for_file() -> JsonStyle {
    by_destination(false)
}

fn by_destination(terminal: bool) -> JsonStyle {
    match CHOSEN.get().copied().flatten() {
        Some(style) => style,
        None if terminal => JsonStyle::Pretty,
        None => JsonStyle::Lines,
    }
}

/// Writes `value` in `style`, then a newline.
pub fn write<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
    style: JsonStyle,
) -> io::Result<()> {
    match style {
        JsonStyle::Pretty => serde_json::to_writer_pretty(&mut *out, value)?,
        JsonStyle::Lines => {
            let mut ser = serde_json::Serializer::with_formatter(&mut *out, LinesFormatter::new());
            value.serialize(&mut ser)?;
        }
    }
    writeln!(out)
}

/// Prints `value` to standard output in its style, through one buffer.
pub fn print<T: Serialize + ?Sized>(value: &T) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(super::output::BUFFER, io::stdout().lock());
    write(&mut out, value, for_stdout())?;
    out.flush()
}

/// Writes each item compact on its own line (NDJSON / JSON Lines).
pub fn write_lines<T: Serialize>(
    out: &mut dyn Write,
    items: impl IntoIterator<Item = T>,
) -> io::Result<()> {
    for item in items {
        serde_json::to_writer(&mut *out, &item)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Compact JSON whose rows each sit on a line of their own: the elements of a top-level
/// array (`[\n{…},\n{…}\n]`), or of each array a top-level object holds (a report's
/// `"rows":[\n{…},\n{…}\n]`). Everything deeper is compact.
struct LinesFormatter {
    /// How many arrays and objects are open.
    depth: usize,
    /// Whether the outermost value is an object (its arrays hold the rows).
    top_is_object: bool,
    /// Whether the row array open now has an element.
    rows_have_values: bool,
}

impl LinesFormatter {
    fn new() -> Self {
        LinesFormatter {
            depth: 0,
            top_is_object: false,
            rows_have_values: false,
        }
    }

    /// Whether the innermost open container is an array of rows.
    fn in_row_array(&self) -> bool {
        self.depth == 1 || (self.depth == 2 && self.top_is_object)
    }
}

impl Formatter for LinesFormatter {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        if self.in_row_array() {
            self.rows_have_values = false;
        }
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        let close: &[u8] = if self.in_row_array() && self.rows_have_values {
            b"\n]"
        } else {
            b"]"
        };
        self.depth -= 1;
        writer.write_all(close)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if self.in_row_array() {
            self.rows_have_values = true;
            writer.write_all(if first { b"\n" } else { b",\n" })
        } else {
            CompactFormatter.begin_array_value(writer, first)
        }
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        if self.depth == 0 {
            self.top_is_object = true;
        }
        self.depth += 1;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        writer.write_all(b"}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(value: &serde_json::Value) -> String {
        let mut out = Vec::new();
        write(&mut out, value, JsonStyle::Lines).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn top_level_array_elements_sit_on_their_own_lines() {
        let v = serde_json::json!([{"a": [1, 2], "b": {"c": null}}, 3, []]);
        assert_eq!(
            lines(&v),
            "[\n{\"a\":[1,2],\"b\":{\"c\":null}},\n3,\n[]\n]\n"
        );
        let back: serde_json::Value = serde_json::from_str(&lines(&v)).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn empty_arrays_and_objects_stay_on_one_line() {
        assert_eq!(lines(&serde_json::json!([])), "[]\n");
        assert_eq!(
            lines(&serde_json::json!({"rows": [], "n": {}})),
            "{\"n\":{},\"rows\":[]}\n"
        );
    }

    #[test]
    fn the_arrays_of_a_top_level_object_hold_one_row_per_line() {
        let v = serde_json::json!({"a": 1, "rows": [{"x": [1, 2]}, {"y": {"z": []}}], "b": [[3]]});
        let text = lines(&v);
        assert_eq!(
            text,
            "{\"a\":1,\"b\":[\n[3]\n],\"rows\":[\n{\"x\":[1,2]},\n{\"y\":{\"z\":[]}}\n]}\n"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn ndjson_is_one_object_per_line() {
        let mut out = Vec::new();
        write_lines(
            &mut out,
            [serde_json::json!({"a": 1}), serde_json::json!({"b": 2})],
        )
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "{\"a\":1}\n{\"b\":2}\n");
    }
}
