//! Vietnamese numbers: parsing what documents write ("0,5", "1.300", "1,1 tỷ", "05")
//! and displaying numbers the way readers expect (0,5; 1.300; 1.117.213.000).
//!
//! Parsing is by hand: it must accept the documents' habits (leading zeros, money
//! words, a trailing `%`, an English "0.5"), which no locale parser does. Display is
//! ICU4X's decimal formatter with CLDR's Vietnamese symbols.

use fixed_decimal::{Decimal, FloatPrecision, Sign, SignedRoundingMode, UnsignedRoundingMode};
use icu_decimal::DecimalFormatter;
use icu_decimal::options::DecimalFormatterOptions;

/// A number read from a document, with the unit word it carried ("%", "tỷ đồng"), if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub value: f64,
    /// The text after the number that was not a scale word, trimmed ("%", "giếng khoan").
    pub rest: String,
}

/// Why a text is not a Vietnamese number; shown to the user with a hint.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberError {
    pub message: String,
    pub hint: String,
}

/// Parse a number written the Vietnamese way: `.` groups thousands, `,` is the decimal
/// mark. A dot followed by exactly three digits is a thousands separator ("1.300"), any
/// other dot is an error unless the text is a plain English decimal ("0.5") which YAML
/// authors also write. Scale words multiply: nghìn/ngàn (10³), triệu (10⁶), tỷ/tỉ (10⁹).
pub fn parse(text: &str) -> Result<Parsed, NumberError> {
    let t = text.trim();
    let num_end = t
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.' || c == ',' || c == '-' || c == '+'))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    let (num, rest) = t.split_at(num_end);
    if num.is_empty() || !num.chars().any(|c| c.is_ascii_digit()) {
        return Err(NumberError {
            message: format!("`{text}` is not a number"),
            hint: "write the figure as in the document, e.g. \"0,5\", \"1.300\", \"95\" or \"1,1 tỷ\"".into(),
        });
    }
    let value = parse_digits(num).ok_or_else(|| NumberError {
        message: format!("`{num}` is not a well-formed Vietnamese number"),
        hint: "use `,` for decimals and `.` between groups of three digits: \"0,5\", \"1.300\", \"1.117.213.000\""
            .into(),
    })?;
    let mut rest = rest.trim().to_string();
    let lower = rest.to_lowercase();
    let scales: [(&str, f64); 5] = [("nghìn", 1e3), ("ngàn", 1e3), ("triệu", 1e6), ("tỷ", 1e9), ("tỉ", 1e9)];
    let mut value = value;
    for (word, factor) in scales {
        if lower.starts_with(word) {
            value *= factor;
            rest = rest[word.len()..].trim().to_string();
            break;
        }
    }
    // Hundreds of digits read as infinity, which a page would show as "—".
    if !value.is_finite() {
        return Err(NumberError {
            message: format!("`{num}` is too large to be a figure"),
            hint: "write the figure as the document states it, with a scale word if it is large: \"1,1 tỷ\"".into(),
        });
    }
    Ok(Parsed { value, rest })
}

fn parse_digits(num: &str) -> Option<f64> {
    let (sign, body) = match num.strip_prefix('-') {
        Some(b) => (-1.0, b),
        None => (1.0, num.strip_prefix('+').unwrap_or(num)),
    };
    if body.is_empty() || body.contains(['-', '+']) {
        return None;
    }
    let commas = body.matches(',').count();
    if commas > 1 {
        return None;
    }
    let (int_part, frac_part) = match body.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let int_digits: String = if int_part.contains('.') {
        let groups: Vec<&str> = int_part.split('.').collect();
        let grouped = groups[0].len() <= 3 && !groups[0].is_empty() && groups[1..].iter().all(|g| g.len() == 3);
        if grouped {
            groups.concat()
        } else if frac_part.is_none() && groups.len() == 2 {
            // "0.5": an English decimal, which YAML users type out of habit.
            return format!("{}.{}", groups[0], groups[1]).parse::<f64>().ok().map(|v| sign * v);
        } else {
            return None;
        }
    } else {
        int_part.to_string()
    };
    if int_digits.is_empty() || !int_digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let s = match frac_part {
        Some(f) if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) => {
            format!("{int_digits}.{f}")
        }
        Some(_) => return None,
        None => int_digits,
    };
    s.parse::<f64>().ok().map(|v| sign * v)
}

thread_local! {
    /// Vietnamese number symbols from CLDR: `.` between groups of three (four-digit
    /// numbers too: 1.300), `,` before decimals, `-` for negatives. One per thread: the
    /// formatter is not `Sync`, and making one from compiled data is cheap.
    static FORMATTER: DecimalFormatter =
        DecimalFormatter::try_new(icu_locale_core::locale!("vi").into(), DecimalFormatterOptions::default())
            .expect("the compiled data has Vietnamese");
}

/// Display a number the Vietnamese way: thousands with `.`, decimals with `,`, at most
/// `max_decimals` decimals and no trailing zeros ("0,5", "1.300", "37,8"). Rounds half
/// away from zero, as taught at school (0,125 → 0,13), on the number as it is written
/// (its shortest decimal form), not on its binary value.
pub fn format(value: f64, max_decimals: usize) -> String {
    let Some(mut d) = decimal(value) else { return "—".into() };
    let position = -i16::try_from(max_decimals).unwrap_or(i16::MAX);
    d.round_with_mode(position, SignedRoundingMode::Unsigned(UnsignedRoundingMode::HalfExpand));
    show(d)
}

/// Display a number as written: every decimal it has (as read from a document), unless
/// it has more than three, which only computed values (a fraction as a percentage)
/// have; those are rounded to two. 55,699 stays 55,699; 107/283 shows as 37,81.
pub fn format_auto(value: f64) -> String {
    let Some(d) = decimal(value) else { return "—".into() };
    if d.absolute.nonzero_magnitude_end() < -3 { format(value, 2) } else { show(d) }
}

/// The shortest decimal that reads back as `value`; none for infinities and NaN.
fn decimal(value: f64) -> Option<Decimal> {
    Decimal::try_from_f64(value, FloatPrecision::RoundTrip).ok()
}

/// Without trailing zeros, and without a minus sign when only zero is left (-0,001 to
/// two decimals is 0).
fn show(mut d: Decimal) -> String {
    d.absolute.trim_end();
    if d.absolute.is_zero() {
        d.sign = Sign::None;
    }
    FORMATTER.with(|f| f.format(&d).to_string())
}

/// Does the text carry a scale word (nghìn, triệu, tỷ)?
pub fn has_scale_word(text: &str) -> bool {
    let l = text.to_lowercase();
    ["nghìn", "ngàn", "triệu", "tỷ", "tỉ"].iter().any(|w| l.contains(w))
}

/// `1.300` (or `-1.300`) written without quotes: YAML reads it as 1.3, the author meant
/// 1300. A first group of zeros (`0.500`) groups nothing: both readings are 0.5.
pub fn looks_like_grouped_thousands(raw: &str) -> bool {
    let raw = raw.trim();
    let mut parts = raw.strip_prefix(['-', '+']).unwrap_or(raw).split('.');
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_digit())
        && first.chars().any(|c| c != '0')
        && rest.iter().all(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(t: &str) -> f64 {
        parse(t).unwrap().value
    }

    #[test]
    fn parses_decimal_comma_and_thousands_dot() {
        assert_eq!(v("0,5"), 0.5);
        assert_eq!(v("1.300"), 1300.0);
        assert_eq!(v("1.117.213.000"), 1_117_213_000.0);
        assert_eq!(v("37,8"), 37.8);
        assert_eq!(v("05"), 5.0);
        assert_eq!(v("1.234,5"), 1234.5);
    }

    #[test]
    fn parses_scale_words_and_keeps_the_unit() {
        assert_eq!(v("1,1 tỷ"), 1_100_000_000.0);
        assert_eq!(v("500 triệu"), 500_000_000.0);
        let p = parse("55,699 tỷ đồng").unwrap();
        assert!((p.value - 55_699_000_000.0).abs() < 1.0);
        assert_eq!(p.rest, "đồng");
        assert_eq!(parse("92,7%").unwrap().rest, "%");
    }

    #[test]
    fn accepts_an_english_decimal_but_not_nonsense() {
        assert_eq!(v("0.5"), 0.5);
        assert!(parse("1,2,3").is_err());
        assert!(parse("12.34.5").is_err());
        assert!(parse("abc").is_err());
        assert!(parse("").is_err());
        assert!(parse("1,").is_err());
    }

    #[test]
    fn negative_numbers() {
        assert_eq!(v("-0,3"), -0.3);
    }

    #[test]
    fn format_auto_keeps_what_was_written() {
        assert_eq!(format_auto(55.699), "55,699");
        assert_eq!(format_auto(0.125), "0,125");
        assert_eq!(format_auto(1_100_000_000.0), "1.100.000.000");
        assert_eq!(format_auto(107.0 / 283.0 * 100.0), "37,81");
        assert_eq!(format_auto(95.0), "95");
    }

    #[test]
    fn grouped_thousands_are_recognised() {
        assert!(looks_like_grouped_thousands("1.300"));
        assert!(looks_like_grouped_thousands("1.117.213"));
        assert!(!looks_like_grouped_thousands("0.5"));
        assert!(!looks_like_grouped_thousands("1.30"));
        assert!(!looks_like_grouped_thousands("1300"));
        assert!(looks_like_grouped_thousands("-1.234"));
        assert!(!looks_like_grouped_thousands("0.500"));
        assert!(!looks_like_grouped_thousands("1.234,5"));
    }

    #[test]
    fn formats_the_vietnamese_way() {
        assert_eq!(format(0.5, 2), "0,5");
        assert_eq!(format(1300.0, 2), "1.300");
        assert_eq!(format(1_117_213_000.0, 0), "1.117.213.000");
        assert_eq!(format(37.8, 2), "37,8");
        assert_eq!(format(95.0, 2), "95");
        assert_eq!(format(100.0, 2), "100");
        assert_eq!(format(-0.3, 2), "-0,3");
        assert_eq!(format(999.999, 2), "1.000");
        // Half away from zero on the number as written, as readers round by hand (the
        // binary value of 2,675 is a little under it).
        assert_eq!(format(0.125, 2), "0,13");
        assert_eq!(format(2.675, 2), "2,68");
        assert_eq!(format(-39.955, 2), "-39,96");
        assert_eq!(format(0.35, 1), "0,4");
        assert_eq!(format(0.0, 2), "0");
        assert_eq!(format(-0.001, 2), "0");
        assert_eq!(format(-1300.0, 2), "-1.300");
        assert_eq!(format_auto(-2.5), "-2,5");
        assert_eq!(format_auto(0.1 + 0.2), "0,3");
        assert_eq!(format_auto(1234.5), "1.234,5");
    }
}
