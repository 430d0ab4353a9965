//! A quick reader for front matter of the usual shape: yaml-rust2's events read
//! straight into the raw schema, through the schema's own `Deserialize` (serde's
//! derive): field names, required fields and unknown keys come from `load::schema`
//! alone.
//!
//! Why: serde-saphyr, with a `Spanned` location on most values, reads about 10 MB of
//! YAML a second, and front matter was a quarter of a large build. The events alone
//! come three times faster.
//!
//! serde-saphyr stays the reference. This reader gives up (`None`) on anything it is not
//! sure to read the same way: a key it does not know or sees twice, a missing required
//! field, a value of another type, an anchor, an alias, a tag, a plain scalar that YAML
//! could read as a boolean, a null or a number written some other way (`1e3`, `0x1F`,
//! `012`, `+1`, `.inf`), or a syntax error. The file is then read by serde-saphyr, which
//! also writes every error message. A test reads every bundled file both ways and
//! compares the values and their locations.

use super::schema::{Loc, RawDocument, RawUnit, SPANNED};
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The reader is not sure; serde-saphyr reads the file. Any error serde's derive raises
/// (an unknown or repeated key, a missing field) is this too.
#[derive(Debug)]
struct GiveUp;
type R<T> = Result<T, GiveUp>;

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("not of the usual shape")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: std::fmt::Display>(_: T) -> GiveUp {
        GiveUp
    }
}

/// The front matter of a document, if it has the usual shape.
pub fn document(yaml: &str) -> Option<RawDocument> {
    read(yaml)
}

/// The front matter of a unit (`_index.md`), if it has the usual shape.
pub fn unit(yaml: &str) -> Option<RawUnit> {
    read(yaml)
}

fn read<T: DeserializeOwned>(yaml: &str) -> Option<T> {
    if !usual_characters(yaml) {
        return None;
    }
    Reader::new(yaml).whole().ok()
}

/// No character on which yaml-rust2 and serde-saphyr part ways (found by fuzzing): NUL
/// (yaml-rust2 ends its input there, silently dropping the rest), other control
/// characters and DEL (serde-saphyr refuses them), a CR (the readers break lines and
/// count offsets differently), C1 controls and U+FFFE/U+FFFF. Loading refuses control
/// characters before YAML is read; this keeps the quick reader safe on its own.
fn usual_characters(yaml: &str) -> bool {
    !yaml.contains('\r') && !super::any_control_byte(yaml)
}

struct Reader<'a> {
    parser: Parser<std::str::Chars<'a>>,
    text: &'a str,
    /// Events read ahead, the next one last.
    ahead: Vec<(Event, Loc)>,
    /// A character index and its byte offset: markers count characters, and locations
    /// carry bytes too (to find a number as typed). Markers mostly grow, so the
    /// conversion walks forward from the last one.
    at_char: usize,
    at_byte: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Reader<'a> {
        Reader { parser: Parser::new_from_str(text), text, ahead: Vec::new(), at_char: 0, at_byte: 0 }
    }

    fn loc(&mut self, m: &Marker) -> Loc {
        let target = m.index();
        let text = self.text.as_bytes();
        // A block mapping is marked at its first key's colon, after the key itself:
        // markers step back a little, never far, so walk back rather than restart.
        while self.at_char > target && self.at_byte > 0 {
            self.at_byte -= 1;
            while self.at_byte > 0 && (0x80..0xC0).contains(&text[self.at_byte]) {
                self.at_byte -= 1;
            }
            self.at_char -= 1;
        }
        while self.at_char < target && self.at_byte < text.len() {
            self.at_byte += 1;
            while self.at_byte < text.len() && (0x80..0xC0).contains(&text[self.at_byte]) {
                self.at_byte += 1;
            }
            self.at_char += 1;
        }
        Loc { line: m.line() as u32, column: m.col() as u32 + 1, byte: u32::try_from(self.at_byte).ok() }
    }

    fn next(&mut self) -> R<(Event, Loc)> {
        if let Some(e) = self.ahead.pop() {
            return Ok(e);
        }
        let (event, marker) = self.parser.next_token().map_err(|_| GiveUp)?;
        match &event {
            Event::Alias(_) => return Err(GiveUp),
            Event::Scalar(_, _, anchor, tag) if *anchor != 0 || tag.is_some() => return Err(GiveUp),
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) if *anchor != 0 || tag.is_some() => {
                return Err(GiveUp);
            }
            _ => {}
        }
        let loc = self.loc(&marker);
        Ok((event, loc))
    }

    /// Where the next value starts, as serde-saphyr reports it: a block mapping at its
    /// first key (yaml-rust2 marks it at the key's colon).
    fn peek_loc(&mut self) -> R<Loc> {
        let first = self.next()?;
        let mut loc = first.1;
        if matches!(first.0, Event::MappingStart(..))
            && self.text.as_bytes().get(loc.byte.unwrap_or(0) as usize) != Some(&b'{')
        {
            let key = self.next()?;
            loc = key.1;
            self.ahead.push(key);
        }
        self.ahead.push(first);
        Ok(loc)
    }

    /// One document of one mapping, and nothing else in the stream.
    fn whole<T: DeserializeOwned>(mut self) -> R<T> {
        if !matches!(self.next()?.0, Event::StreamStart) || !matches!(self.next()?.0, Event::DocumentStart) {
            return Err(GiveUp);
        }
        let value = T::deserialize(&mut self)?;
        if !matches!(self.next()?.0, Event::DocumentEnd) || !matches!(self.next()?.0, Event::StreamEnd) {
            return Err(GiveUp);
        }
        Ok(value)
    }

    /// The next event, which must start a mapping or a sequence.
    fn start(&mut self, mapping: bool) -> R<()> {
        match self.next()?.0 {
            Event::MappingStart(..) if mapping => Ok(()),
            Event::SequenceStart(..) if !mapping => Ok(()),
            _ => Err(GiveUp),
        }
    }

    /// Whether the next event ends a mapping or a sequence (and then it is read).
    fn end(&mut self) -> R<bool> {
        let e = self.next()?;
        if matches!(e.0, Event::MappingEnd | Event::SequenceEnd) {
            return Ok(true);
        }
        self.ahead.push(e);
        Ok(false)
    }

    fn scalar_event(&mut self) -> R<(String, TScalarStyle, Loc)> {
        match self.next()? {
            // An empty block scalar (`|` or `>` with nothing under it): the readers differ
            // (an empty `>` at the end of the text is "\n" to yaml-rust2, "" to
            // serde-saphyr; found by fuzzing), so serde-saphyr reads it.
            (Event::Scalar(v, TScalarStyle::Literal | TScalarStyle::Folded, ..), _) if v.trim().is_empty() => {
                Err(GiveUp)
            }
            (Event::Scalar(v, style, ..), loc) => Ok((v, style, loc)),
            _ => Err(GiveUp),
        }
    }

    /// A text: a plain scalar only if YAML cannot read it as anything else.
    fn text(&mut self) -> R<String> {
        let (v, style, _) = self.scalar_event()?;
        if style == TScalarStyle::Plain && plain_kind(&v) != Plain::Text {
            return Err(GiveUp);
        }
        Ok(v)
    }

    fn bool(&mut self) -> R<bool> {
        match self.scalar_event()? {
            (v, TScalarStyle::Plain, _) if v == "true" => Ok(true),
            (v, TScalarStyle::Plain, _) if v == "false" => Ok(false),
            _ => Err(GiveUp),
        }
    }

    fn int(&mut self) -> R<i64> {
        match self.scalar_event()? {
            (v, TScalarStyle::Plain, _) => match plain_kind(&v) {
                Plain::Number(_) if !v.contains('.') => v.parse().map_err(|_| GiveUp),
                _ => Err(GiveUp),
            },
            _ => Err(GiveUp),
        }
    }
}

/// `fn $name(self, _: V) -> R<V::Value> { Err(GiveUp) }` for each name: requests the
/// schema never makes.
macro_rules! give_up {
    ($($name:ident)*) => {
        $(fn $name<V: Visitor<'de>>(self, _: V) -> R<V::Value> {
            Err(GiveUp)
        })*
    };
}

/// Values by the type the schema asks for. Maps and sequences are read by `visit_map`
/// and `visit_seq`; a `Spanned` (the schema's newtype named [`SPANNED`]) gets where its
/// value starts, then the value. Any other request gives up.
impl<'de> de::Deserializer<'de> for &mut Reader<'_> {
    type Error = GiveUp;

    /// A scalar (the schema's `Scalar`): a number if YAML reads it as one, else text.
    /// A list there (`succeeded_by: [a, b]`) is read as a sequence.
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        let e = self.next()?;
        if matches!(e.0, Event::SequenceStart(..)) {
            return v.visit_seq(Items(self));
        }
        self.ahead.push(e);
        let (text, style, _) = self.scalar_event()?;
        if style != TScalarStyle::Plain {
            return v.visit_string(text);
        }
        match plain_kind(&text) {
            Plain::Text => v.visit_string(text),
            Plain::Number(n) => v.visit_f64(n),
            Plain::Unsure => Err(GiveUp),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        v.visit_string(self.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        v.visit_string(self.text()?)
    }

    /// A key: a plain scalar (a quoted key is left to serde-saphyr).
    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        match self.scalar_event()? {
            (key, TScalarStyle::Plain, _) => v.visit_string(key),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        v.visit_bool(self.bool()?)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        v.visit_i64(self.int()?)
    }

    /// A key that is present has a value: a null (`~`, nothing) is `Unsure` and gives up.
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        v.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        self.start(false)?;
        v.visit_seq(Items(self))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> R<V::Value> {
        self.start(true)?;
        v.visit_map(Fields(self))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, v: V) -> R<V::Value> {
        if name != SPANNED {
            return Err(GiveUp);
        }
        let at = self.peek_loc()?;
        v.visit_seq(SpannedParts { reader: self, at: Some(at), value_read: false })
    }

    give_up! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i128 deserialize_u8 deserialize_u16
        deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_bytes deserialize_byte_buf deserialize_unit deserialize_map deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> R<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> R<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, _: V) -> R<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], _: V) -> R<V::Value> {
        Err(GiveUp)
    }
}

/// The keys and values of a mapping, its start already read.
struct Fields<'r, 'a>(&'r mut Reader<'a>);

impl<'de> MapAccess<'de> for Fields<'_, '_> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> R<Option<K::Value>> {
        if self.0.end()? { Ok(None) } else { seed.deserialize(&mut *self.0).map(Some) }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> R<V::Value> {
        seed.deserialize(&mut *self.0)
    }
}

/// The items of a sequence, its start already read.
struct Items<'r, 'a>(&'r mut Reader<'a>);

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> R<Option<T::Value>> {
        if self.0.end()? { Ok(None) } else { seed.deserialize(&mut *self.0).map(Some) }
    }
}

/// A `Spanned` as the schema reads it from this reader: (line, column, byte), then the value.
struct SpannedParts<'r, 'a> {
    reader: &'r mut Reader<'a>,
    at: Option<Loc>,
    value_read: bool,
}

impl<'de> SeqAccess<'de> for SpannedParts<'_, '_> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> R<Option<T::Value>> {
        if let Some(at) = self.at.take() {
            let parts = [at.line, at.column, at.byte.ok_or(GiveUp)?];
            return seed.deserialize(de::value::SeqDeserializer::new(parts.into_iter())).map(Some);
        }
        if std::mem::replace(&mut self.value_read, true) {
            return Ok(None);
        }
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

#[derive(Debug, PartialEq)]
enum Plain {
    Text,
    Number(f64),
    /// A boolean, a null, or a number in a form this reader does not resolve.
    Unsure,
}

/// How YAML reads a plain scalar. Only decimal integers and decimals with a point are
/// resolved here; every other word YAML 1.1 or 1.2 might read as a value is `Unsure`.
fn plain_kind(v: &str) -> Plain {
    let b = v.as_bytes();
    let Some(&first) = b.first() else { return Plain::Unsure };
    if first.is_ascii_alphabetic() {
        const WORDS: [&str; 10] = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan"];
        if b.len() <= 5 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(v)) {
            return Plain::Unsure;
        }
        if v.eq_ignore_ascii_case("inf") || v.eq_ignore_ascii_case("infinity") {
            return Plain::Unsure;
        }
        return Plain::Text;
    }
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.' | b'~')) {
        return Plain::Text;
    }
    if v == "~" {
        return Plain::Unsure;
    }
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    let (int, frac) = match digits.iter().position(|&c| c == b'.') {
        Some(p) => (&digits[..p], Some(&digits[p + 1..])),
        None => (digits, None),
    };
    let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if all_digits(int) && frac.is_none_or(all_digits) {
        // `012` is octal in YAML 1.1.
        if int.len() > 1 && int[0] == b'0' {
            return Plain::Unsure;
        }
        return v.parse::<f64>().map(Plain::Number).unwrap_or(Plain::Unsure);
    }
    // Dotted ids (`1.2.3`) cannot be numbers.
    if b.iter().all(|&c| c.is_ascii_digit() || c == b'.') && b.iter().filter(|&&c| c == b'.').count() > 1 {
        return Plain::Text;
    }
    // Anything else that starts like a number and has no space or comma might still be
    // one (`1e3`, `+1`, `.5`, `0x1F`, `1_000`, `.inf`): leave it to serde-saphyr. Dates
    // and terms (`2020-05-18`, `2020-2025`) are text.
    let numberish =
        b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'+')) || v.parse::<f64>().is_ok();
    let signed_numberish =
        first == b'-' && b[1..].iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_'));
    if numberish || signed_numberish || v.contains("e-") || v.contains("E-") {
        return Plain::Unsure;
    }
    Plain::Text
}

/// `!ward`), up to the first syntax error (serde-saphyr reports that one).
pub(crate) fn first_tag(yaml: &str) -> Option<(Loc, String)> {
    let mut parser = Parser::new_from_str(yaml);
    let mut reader = Reader::new(yaml);
    loop {
        let (event, marker) = parser.next_token().ok()?;
        if matches!(event, Event::StreamEnd) {
            return None;
        }
        if let Some(tag) = tag_of(&event) {
            let loc = reader.loc(&marker);
            // The node is marked after its tag (on the next line when it has no value):
            // the tag as typed is the word before it, or the one before its anchor.
            let at = loc.byte.unwrap_or(0) as usize;
            let Some(word) = yaml[..at].split_whitespace().rev().take(2).find(|w| w.starts_with('!')) else {
                return Some((loc, format!("{}{}", tag.handle, tag.suffix)));
            };
            let start = word.as_ptr() as usize - yaml.as_ptr() as usize;
            let line_start = yaml[..start].rfind('\n').map_or(0, |i| i + 1);
            let line = yaml[..start].matches('\n').count() as u32 + 1;
            let column = yaml[line_start..start].chars().count() as u32 + 1;
            return Some((Loc { line, column, byte: u32::try_from(start).ok() }, word.to_string()));
        }
    }
}

fn tag_of(event: &Event) -> Option<&yaml_rust2::parser::Tag> {
    match event {
        Event::Scalar(_, _, _, tag) | Event::SequenceStart(_, tag) | Event::MappingStart(_, tag) => tag.as_ref(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_first_tag_as_written() {
        let (loc, tag) = super::first_tag("title: A\nkind: !ward resolution\n").unwrap();
        assert_eq!((loc.line, loc.column, tag.as_str()), (2, 7, "!ward"));
        let (loc, tag) = super::first_tag("title: !!binary TmdoaQ==\n").unwrap();
        assert_eq!((loc.line, loc.column, tag.as_str()), (1, 8, "!!binary"));
        let (loc, tag) = super::first_tag("a:\n  - !!python/name:os.system\n").unwrap();
        assert_eq!((loc.line, loc.column, tag.as_str()), (2, 5, "!!python/name:os.system"));
        assert_eq!(super::first_tag("title: \"!x\"\nb: '!y'\n"), None);
    }

    use super::*;

    /// The first lines where two values differ, for a readable failure.
    fn same<T: PartialEq + std::fmt::Debug>(quick: &T, reference: &T, what: &str) {
        if quick != reference {
            let (a, b) = (format!("{quick:#?}"), format!("{reference:#?}"));
            let diff: Vec<String> = a
                .lines()
                .zip(b.lines())
                .enumerate()
                .filter(|(_, (x, y))| x != y)
                .take(6)
                .map(|(i, (x, y))| format!("line {i}: quick {x} | serde-saphyr {y}"))
                .collect();
            panic!("{what}: the quick reader differs:\n{}", diff.join("\n"));
        }
    }

    fn saphyr<T: serde::de::DeserializeOwned>(yaml: &str) -> T {
        serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
    }

    /// Every front matter of the bundled site, read both ways.
    #[test]
    fn reads_every_bundled_file_as_serde_saphyr_does() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let (mut quick, mut total) = (0, 0);
        for e in walkdir::WalkDir::new(&content).sort_by_file_name() {
            let e = e.unwrap();
            if e.path().extension().is_none_or(|x| x != "md") {
                continue;
            }
            let text = crate::load::frontmatter::normalise(std::fs::read_to_string(e.path()).unwrap());
            let yaml = crate::load::frontmatter::split(&text).unwrap().yaml;
            total += 1;
            let same = if e.file_name() == "_index.md" {
                unit(yaml).map(|q| same(&q, &saphyr::<RawUnit>(yaml), &e.path().display().to_string()))
            } else {
                document(yaml).map(|q| same(&q, &saphyr::<RawDocument>(yaml), &e.path().display().to_string()))
            };
            quick += same.is_some() as usize;
        }
        assert!(total > 10, "{total} files");
        assert_eq!(quick, total, "files the quick reader gave up on");
    }

    const BASE: &str = "title: \"Nghị quyết – Phường Đức Giang\"\nkind: resolution\nissued: 2020-05-22\n";

    /// Reads `extra` after a minimal document both ways; `true` if the quick reader read it
    /// (and then it must agree with serde-saphyr, locations included).
    fn agrees(extra: &str) -> bool {
        let yaml = format!("{BASE}{extra}");
        match document(&yaml) {
            Some(q) => {
                same(&q, &saphyr::<RawDocument>(&yaml), &yaml);
                true
            }
            None => false,
        }
    }

    #[test]
    fn reads_the_usual_shapes_the_same_way() {
        let usual = [
            "",
            "number: 01-NQ/ĐH\nterm: 2020-2025\ncongress: 12\n",
            "recipients: [Quận ủy, \"Các chi bộ\"]\n",
            "recipients:\n  - Quận ủy\n  - Lưu\n",
            "summary: |\n  Dòng một.\n  Dòng hai.\n",
            "summary: >\n  Gấp\n  dòng.\n",
            "summary: một câu dài\n  viết tiếp ở dòng sau\n",
            "summary: 'nháy đơn, có '' bên trong'\n",
            "# chú thích\nsource: https://example.vn/a?b=1#c # chú thích\n",
            "draft: false\n",
            "source_url: https://example.vn/van-ban/01.pdf\n",
            "source_url: \"javascript:alert(1)\"\n",
            "targets:\n  - id: 1.2\n    text: \"Đạt 90%\"\n    measures:\n      - op: \">=\"\n        value: 1.300\n        unit: \"%\"\n        deadline: 2025\n",
            "targets:\n- id: \"1\"\n  text: Ngắn\n  measures:\n  - {op: \"<\", value: \"0,5\", per: year}\n",
            "targets:\n  - id: 1.2.3\n    group: 2\n    text: Mục con\n",
            "targets:\n  - id: a-1\n    text: Chữ\n    measures:\n      - value: -3\n        op: \"=\"\n",
            "groups:\n  - id: 1\n    name: Về kinh tế\n    count: 2\n    field: kinh-te\n",
            "results:\n  - target: \"1\"\n    value: 91,5\n    as_of: 2022-12-31\n    final: true\n    quote: \"Đạt 91,5%\"\n",
        ];
        for extra in usual {
            assert!(agrees(extra), "the quick reader gave up on:\n{extra}");
        }
    }

    #[test]
    fn leaves_anything_unusual_to_serde_saphyr() {
        let unusual = [
            "draft: yes\n",
            "congress: 012\n",
            "congress: 1e3\n",
            "congress: +1\n",
            "congress: .inf\n",
            "congress: 1_000\n",
            "congress: 0x1F\n",
            "summary:\n",
            "summary: null\n",
            "summary: ~\n",
            "summary: 12\n",
            "summary: &a văn bản\nevent: *a\n",
            "summary: !!str văn bản\n",
            "sumary: lỗi chính tả\n",
            "summary: một\nsummary: hai\n",
            "recipients: Quận ủy\n",
            "\"summary\": khóa trong nháy\n",
            "targets:\n  - id: \"1\"\n    measures: []\n",
            "targets:\n  - id: \"1\"\n    text: [lỗi\n",
        ];
        for extra in unusual {
            assert!(!agrees(extra), "the quick reader read, and should not have:\n{extra}");
        }
        assert!(document("- a\n- b\n").is_none());
        assert!(document("a: 1\n---\nb: 2\n").is_none());
    }

    #[test]
    fn units_too() {
        let yaml = "name: Phường Đức Giang\nlevel: phường\ncode: \"00133\"\nweight: 2\n";
        assert_eq!(unit(yaml), Some(saphyr::<RawUnit>(yaml)));
        // `website` is located the same way by both readers (the URL policy points at it).
        let yaml = "name: A\nlevel: phường\nwebsite: 'https://a.example.gov.vn/'\n";
        let q = unit(yaml).expect("the quick reader reads it");
        same(&q, &saphyr::<RawUnit>(yaml), yaml);
        assert_eq!(q.website.map(|w| (w.referenced.line(), w.referenced.column())), Some((3, 10)));
        assert_eq!(unit("name: A\nlevel: phường\nweight: 2.5\n"), None);
        // A split: a list of successors, block or flow, read as serde-saphyr reads it.
        for yaml in [
            "name: A\nlevel: phường\nsucceeded_by:\n  - t/x\n  - t/y\nsucceeded_on: 2025-07-01\n",
            "name: A\nlevel: phường\nsucceeded_by: [t/x, t/y]\n",
            "name: A\nlevel: phường\nsucceeded_by: t/x\n",
        ] {
            let q = unit(yaml).expect("the quick reader reads it");
            same(&q, &saphyr::<RawUnit>(yaml), yaml);
        }
    }

    #[test]
    fn plain_scalars_resolve_as_yaml_does() {
        assert_eq!(plain_kind("1.300"), Plain::Number(1.3));
        assert_eq!(plain_kind("-12"), Plain::Number(-12.0));
        assert_eq!(plain_kind("0"), Plain::Number(0.0));
        for text in ["2020-2025", "2020-05-22", "14,2", "1.2.3", "Đảng ủy", "ct-1", "90%", "3-5%"] {
            assert_eq!(plain_kind(text), Plain::Text, "{text}");
        }
        for unsure in ["", "~", "NULL", "True", "off", "1e-5", "1.", ".5", "-.inf", "07", "+3", "1_0"] {
            assert_eq!(plain_kind(unsure), Plain::Unsure, "{unsure}");
        }
    }
}
